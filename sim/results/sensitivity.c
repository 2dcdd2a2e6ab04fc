/* sensitivity.c — Sobol indices, their bootstrap intervals, /sensitivity
 * and the ranked table (sensitivity.h). */
#include "sensitivity.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <hdf5.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

enum { NAME_LEN = 48, PARAM_LEN = 64 };

/* A row of /sensitivity. */
typedef struct sens_row {
    char output[NAME_LEN];
    char parameter[PARAM_LEN];
    double S1, S1_ci_low, S1_ci_high;
    double ST, ST_ci_low, ST_ci_high;
} sens_row;

static const char METHOD[] =
    "Saltelli et al. 2010 sampling on gsl_qrng_sobol (A, B, AB^j per base sample); "
    "S1: Saltelli 2010 estimator (f(B) centred); ST: Jansen 1999 estimator; "
    "variance of f(A) and f(B); "
    "95% percentile bootstrap over the base samples (Philox stream seed, purpose 0x100002)";

/* S1 and ST of every key from the base samples idx[0..m-1] (repeats
 * allowed). Var is over their 2m values f(A), f(B), and f(B) enters S1's
 * sum centred on their mean: E[f(AB^j) - f(A)] = 0, so centring leaves
 * the estimator's expectation alone and removes the part of its variance
 * that grows with the mean of f (a P(rung >= 7) of 0.3 would otherwise
 * make every S1 interval several times wider). */
static void estimate(size_t k, const double *y, const size_t *idx, size_t m, double *s1,
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
static void percentiles(double *x, size_t n, double *lo, double *hi)
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
    estimate(k, y, valid, m, s1, st);
    for (size_t j = 0; j < k; j++) {
        out[j].S1 = s1[j];
        out[j].ST = st[j];
    }
    /* boot[j][b] holds S1, boot[k + j][b] ST of resample b. */
    rng_stream(r, seed, SENS_PURPOSE_BOOTSTRAP, 0, 0);
    for (size_t b = 0; b < resamples; b++) {
        for (size_t i = 0; i < m; i++)
            idx[i] = valid[gsl_rng_uniform_int(r, m)];
        estimate(k, y, idx, m, s1, st);
        for (size_t j = 0; j < k; j++) {
            boot[j * resamples + b] = s1[j];
            boot[(k + j) * resamples + b] = st[j];
        }
    }
    for (size_t j = 0; resamples > 0 && j < k; j++) {
        percentiles(boot + j * resamples, resamples, &out[j].S1_ci_low, &out[j].S1_ci_high);
        percentiles(boot + (k + j) * resamples, resamples, &out[j].ST_ci_low,
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

/* The rows of every output (n_outputs x n_swept), or NULL (e filled). */
static sens_row *compute_rows(const scenario *s, const acc *a, err *e)
{
    size_t k = s->n_swept, np = s->n_points;
    sens_row *rows = calloc(s->n_outputs * k, sizeof *rows);
    double *y = malloc(np * sizeof *y);
    sens_result *res = malloc(k * sizeof *res);
    if (!rows || !y || !res) {
        err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    for (size_t o = 0; o < s->n_outputs; o++) {
        int out_index = s->outputs[o];
        for (size_t p = 0; p < np; p++) {
            summary_row row;
            acc_summary(a, p, out_index, &row);
            y[p] = row.estimate;
        }
        if (sens_compute(s, y, res, e) < 0)
            goto fail;
        for (size_t j = 0; j < k; j++) {
            sens_row *r = &rows[o * k + j];
            snprintf(r->output, sizeof r->output, "%s", s->model->summaries[out_index].name);
            snprintf(r->parameter, sizeof r->parameter, "%s", s->swept[j].key->path);
            r->S1 = res[j].S1;
            r->S1_ci_low = res[j].S1_ci_low;
            r->S1_ci_high = res[j].S1_ci_high;
            r->ST = res[j].ST;
            r->ST_ci_low = res[j].ST_ci_low;
            r->ST_ci_high = res[j].ST_ci_high;
        }
    }
    free(y);
    free(res);
    return rows;
fail:
    free(rows);
    free(y);
    free(res);
    return NULL;
}

static int every_point_done(const scenario *s, const acc *a)
{
    for (size_t p = 0; p < s->n_points; p++)
        if (acc_count(a, p) == 0)
            return 0;
    return 1;
}

int sens_write(out_file *o, const scenario *s, const acc *a, err *e)
{
    if (s->design != SCN_SOBOL || !every_point_done(s, a))
        return 0;
    static const out_column cols[] = {
        {"output", OUT_STR, offsetof(sens_row, output), NAME_LEN, NULL, 0},
        {"parameter", OUT_STR, offsetof(sens_row, parameter), PARAM_LEN, NULL, 0},
        {"S1", OUT_F64, offsetof(sens_row, S1), 0, NULL, 0},
        {"S1_ci_low", OUT_F64, offsetof(sens_row, S1_ci_low), 0, NULL, 0},
        {"S1_ci_high", OUT_F64, offsetof(sens_row, S1_ci_high), 0, NULL, 0},
        {"ST", OUT_F64, offsetof(sens_row, ST), 0, NULL, 0},
        {"ST_ci_low", OUT_F64, offsetof(sens_row, ST_ci_low), 0, NULL, 0},
        {"ST_ci_high", OUT_F64, offsetof(sens_row, ST_ci_high), 0, NULL, 0},
    };
    sens_row *rows = compute_rows(s, a, e);
    if (rows == NULL)
        return -1;
    size_t n = s->n_outputs * s->n_swept;
    int t = out_table_create(o, "/sensitivity", cols, (int)(sizeof cols / sizeof cols[0]),
                             sizeof(sens_row), n, e);
    int rc = t < 0 ? -1 : out_table_append(o, t, rows, n, e);
    if (rc == 0)
        rc = out_attr_i64(o, "/sensitivity", "samples", (int64_t)s->samples, e);
    if (rc == 0)
        rc = out_attr_i64(o, "/sensitivity", "bootstrap_resamples", SENS_RESAMPLES, e);
    if (rc == 0)
        rc = out_attr_str(o, "/sensitivity", "method", METHOD, e);
    free(rows);
    return rc;
}

/* ---- the ranked table ------------------------------------------------------ */

/* Descending ST; NaN last; ties in the order of the sweep. */
static int by_st(const void *pa, const void *pb)
{
    const sens_row *a = *(const sens_row *const *)pa, *b = *(const sens_row *const *)pb;
    int na = isnan(a->ST), nb = isnan(b->ST);
    if (na != nb)
        return na - nb;
    if (!na && a->ST != b->ST)
        return a->ST < b->ST ? 1 : -1;
    return a < b ? -1 : a > b;
}

static void cell(char *buf, size_t n, double est, double lo, double hi)
{
    if (isnan(est))
        snprintf(buf, n, "%6s", "-");
    else if (isnan(lo) || isnan(hi))
        snprintf(buf, n, "%6.3f", est);
    else
        snprintf(buf, n, "%6.3f [%6.3f, %6.3f]", est, lo, hi);
}

/* One output's n rows, ranked by ST. samples = 0 when unknown. */
static void print_ranked(FILE *f, const sens_row *rows, size_t n, long long samples)
{
    const sens_row **order = malloc((n ? n : 1) * sizeof *order);
    if (order == NULL)
        return;
    int w = 9;
    double sum_s1 = 0;
    for (size_t i = 0; i < n; i++) {
        order[i] = &rows[i];
        int len = (int)strlen(rows[i].parameter);
        w = len > w ? len : w;
        sum_s1 += rows[i].S1;
    }
    w = w > 40 ? 40 : w;
    qsort(order, n, sizeof *order, by_st);
    fprintf(f, "\nSobol indices of %s, ranked by total effect ST (95%% bootstrap intervals",
            n ? rows[0].output : "?");
    if (samples > 0)
        fprintf(f, "; %lld base samples", samples);
    fprintf(f, ")\n  %4s  %-*s  %-23s  %s\n", "rank", w, "parameter", "S1 (alone)",
            "ST (with interactions)");
    for (size_t i = 0; i < n; i++) {
        char s1[64], st[64];
        cell(s1, sizeof s1, order[i]->S1, order[i]->S1_ci_low, order[i]->S1_ci_high);
        cell(st, sizeof st, order[i]->ST, order[i]->ST_ci_low, order[i]->ST_ci_high);
        fprintf(f, "  %4zu  %-*.*s  %-23s  %s\n", i + 1, w, w, order[i]->parameter, s1, st);
    }
    fprintf(f, "S1: share of the variance of %s due to the key alone; ST: with all its\n"
               "interactions (ST - S1 large: the key matters through others). Sum of S1: %.3f\n",
            n ? rows[0].output : "?", sum_s1);
    free(order);
}

/* Prints rows grouped by output, in the order the outputs first appear. */
static void print_rows(FILE *f, const sens_row *rows, size_t n, long long samples)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(rows[j].output, rows[i].output) == 0)
            j++;
        print_ranked(f, rows + i, j - i, samples);
        i = j;
    }
}

void sens_print(FILE *f, const scenario *s, const acc *a)
{
    if (s->design != SCN_SOBOL || !every_point_done(s, a))
        return;
    err e;
    err_clear(&e);
    sens_row *rows = compute_rows(s, a, &e);
    if (rows == NULL) {
        fprintf(f, "sensitivity: %s\n", e.msg);
        return;
    }
    print_rows(f, rows, s->n_outputs * s->n_swept, (long long)s->samples);
    free(rows);
}

/* /sensitivity read back: its rows (malloc'd) and the samples attribute. */
static int read_rows(hid_t file, sens_row **rows, size_t *n, long long *samples)
{
    hid_t ds = H5Dopen2(file, "/sensitivity", H5P_DEFAULT);
    if (ds < 0)
        return -1;
    hid_t sp = H5Dget_space(ds);
    hsize_t dims = 0;
    H5Sget_simple_extent_dims(sp, &dims, NULL);
    H5Sclose(sp);
    *n = (size_t)dims;
    *rows = calloc(*n ? *n : 1, sizeof **rows);
    hid_t ft = H5Dget_type(ds);
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(sens_row));
    hid_t str[2] = {H5Tcopy(H5T_C_S1), H5Tcopy(H5T_C_S1)};
    const char *names[2] = {"output", "parameter"};
    size_t sizes[2] = {NAME_LEN, PARAM_LEN}, offs[2] = {offsetof(sens_row, output),
                                                         offsetof(sens_row, parameter)};
    for (int i = 0; i < 2; i++) {
        H5Tset_size(str[i], sizes[i]);
        int m = H5Tget_member_index(ft, names[i]);
        if (m >= 0) { /* HDF5 converts no character sets: read in the stored one */
            hid_t mt = H5Tget_member_type(ft, (unsigned)m);
            H5Tset_cset(str[i], H5Tget_cset(mt));
            H5Tclose(mt);
        }
        H5Tinsert(t, names[i], offs[i], str[i]);
    }
    static const struct {
        const char *name;
        size_t off;
    } nums[] = {{"S1", offsetof(sens_row, S1)},
                {"S1_ci_low", offsetof(sens_row, S1_ci_low)},
                {"S1_ci_high", offsetof(sens_row, S1_ci_high)},
                {"ST", offsetof(sens_row, ST)},
                {"ST_ci_low", offsetof(sens_row, ST_ci_low)},
                {"ST_ci_high", offsetof(sens_row, ST_ci_high)}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        H5Tinsert(t, nums[i].name, nums[i].off, H5T_NATIVE_DOUBLE);
    herr_t rc = *rows ? H5Dread(ds, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, *rows) : -1;
    for (size_t i = 0; rc >= 0 && i < *n; i++) {
        (*rows)[i].output[NAME_LEN - 1] = '\0';
        (*rows)[i].parameter[PARAM_LEN - 1] = '\0';
    }
    *samples = 0;
    if (H5Aexists(ds, "samples") > 0) {
        hid_t at = H5Aopen(ds, "samples", H5P_DEFAULT);
        int64_t v = 0;
        if (at >= 0 && H5Aread(at, H5T_NATIVE_INT64, &v) >= 0)
            *samples = (long long)v;
        if (at >= 0)
            H5Aclose(at);
    }
    H5Tclose(str[0]);
    H5Tclose(str[1]);
    H5Tclose(t);
    H5Tclose(ft);
    H5Dclose(ds);
    if (rc < 0) {
        free(*rows);
        *rows = NULL;
        return -1;
    }
    return 0;
}

int sens_print_file(const char *h5path, FILE *f, err *e)
{
    H5E_auto2_t old_fn;
    void *old_data;
    H5Eget_auto2(H5E_DEFAULT, &old_fn, &old_data);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    int rc = 0;
    FILE *probe = fopen(h5path, "rb");
    if (probe == NULL)
        rc = err_set(e, ERR_RUNTIME, h5path, 0, NULL, "cannot open the result file");
    else
        fclose(probe);
    hid_t file = rc == 0 ? H5Fopen(h5path, H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
    if (rc == 0 && file < 0)
        rc = err_set(e, ERR_RUNTIME, h5path, 0, NULL, "not a readable HDF5 file");
    if (rc == 0 && H5Lexists(file, "/sensitivity", H5P_DEFAULT) > 0) {
        sens_row *rows = NULL;
        size_t n = 0;
        long long samples = 0;
        if (read_rows(file, &rows, &n, &samples) < 0) {
            rc = err_set(e, ERR_RUNTIME, h5path, 0, NULL,
                         "cannot read /sensitivity: the file is damaged");
        } else {
            print_rows(f, rows, n, samples);
            rc = 1;
        }
        free(rows);
    }
    if (file >= 0)
        H5Fclose(file);
    H5Eset_auto2(H5E_DEFAULT, old_fn, old_data);
    return rc;
}
