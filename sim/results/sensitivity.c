/* sensitivity.c — the Sobol estimators and their bootstrap intervals
 * (sensitivity.h): pure functions of arrays of outputs, no file and no
 * printing (the /sensitivity table is sens_table.c). */
#include "sensitivity.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

#include "rng.h"

/* S1 and ST of every key from the base samples idx[0..m-1] (repeats
 * allowed). Var is over their 2m values f(A), f(B), and f(B) enters S1's
 * sum centred on their mean: E[f(AB^j) - f(A)] = 0, so centring leaves
 * the estimator's expectation alone and removes the part of its variance
 * that grows with the mean of f (a P(rung >= 7) of 0.3 would otherwise
 * make every S1 interval several times wider). */
void sens_estimate(size_t k, const double *y, const size_t *idx, size_t m, double *s1,
                   double *st)
{
    size_t w = k + 2;
    double mean = 0;
    for (size_t r = 0; r < m; r++)
        mean += y[idx[r] * w] + y[idx[r] * w + 1];
    mean /= 2.0 * (double)m;
    double var = 0;
    for (size_t r = 0; r < m; r++) {
        double a = y[idx[r] * w] - mean, b = y[idx[r] * w + 1] - mean;
        var += a * a + b * b;
    }
    var /= 2.0 * (double)m;
    for (size_t j = 0; j < k; j++) {
        double first = 0, total = 0;
        for (size_t r = 0; r < m; r++) {
            const double *row = y + idx[r] * w;
            double fa = row[0], fb = row[1], fab = row[2 + j];
            first += (fb - mean) * (fab - fa);
            total += (fa - fab) * (fa - fab);
        }
        s1[j] = var > 0 ? first / (double)m / var : NAN;
        st[j] = var > 0 ? total / (2.0 * (double)m) / var : NAN;
    }
}

/* The 2.5% and 97.5% points of the finite values among x[0..n-1] (sorted
 * in place); NaN when there are none. */
void sens_percentiles(double *x, size_t n, double *lo, double *hi)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            x[m++] = x[i];
    if (m == 0) {
        *lo = *hi = NAN;
        return;
    }
    gsl_sort(x, 1, m);
    *lo = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.025);
    *hi = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.975);
}

int sens_saltelli(size_t n, size_t k, const double *y, size_t resamples, uint64_t seed,
                  sens_result *out, err *e)
{
    size_t w = k + 2;
    size_t *valid = malloc((n ? n : 1) * sizeof *valid);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    double *s1 = malloc(k * sizeof *s1), *st = malloc(k * sizeof *st);
    double *boot = malloc(2 * k * (resamples ? resamples : 1) * sizeof *boot);
    gsl_rng *r = rng_alloc();
    int rc = 0;
    if (!valid || !idx || !s1 || !st || !boot || !r) {
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        goto done;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        int ok = 1;
        for (size_t c = 0; c < w; c++)
            ok &= !isnan(y[i * w + c]);
        if (ok)
            valid[m++] = i;
    }
    for (size_t j = 0; j < k; j++)
        out[j] = (sens_result){NAN, NAN, NAN, NAN, NAN, NAN};
    if (m < 2)
        goto done;
    sens_estimate(k, y, valid, m, s1, st);
    for (size_t j = 0; j < k; j++) {
        out[j].S1 = s1[j];
        out[j].ST = st[j];
    }
    /* boot[j][b] holds S1, boot[k + j][b] ST of resample b. */
    rng_stream(r, seed, SENS_PURPOSE_BOOTSTRAP, 0, 0);
    for (size_t b = 0; b < resamples; b++) {
        for (size_t i = 0; i < m; i++)
            idx[i] = valid[gsl_rng_uniform_int(r, m)];
        sens_estimate(k, y, idx, m, s1, st);
        for (size_t j = 0; j < k; j++) {
            boot[j * resamples + b] = s1[j];
            boot[(k + j) * resamples + b] = st[j];
        }
    }
    for (size_t j = 0; resamples > 0 && j < k; j++) {
        sens_percentiles(boot + j * resamples, resamples, &out[j].S1_ci_low,
                         &out[j].S1_ci_high);
        sens_percentiles(boot + (k + j) * resamples, resamples, &out[j].ST_ci_low,
                         &out[j].ST_ci_high);
    }
done:
    if (r != NULL)
        gsl_rng_free(r);
    free(valid);
    free(idx);
    free(s1);
    free(st);
    free(boot);
    return rc;
}

int sens_compute(const scenario *s, const double *y, sens_result *out, err *e)
{
    if (s->design != SCN_SOBOL)
        return err_set(e, ERR_INPUT, s->path, 0, "sweep.design",
                       "sensitivity indices need a sobol design; this sweep's is \"%s\"",
                       scn_design_name(s->design));
    return sens_saltelli(s->samples, s->n_swept, y, SENS_RESAMPLES, s->seed, out, e);
}

