/* scn_design.c — Latin hypercube and Saltelli/Sobol designs (scn_design.h). */
#include "scn_design.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#include "rng.h"

int scn_design_lhs(uint64_t seed, size_t n, size_t k, double *u)
{
    gsl_rng *r = rng_alloc();
    size_t *perm = malloc(n * sizeof *perm);
    if (r == NULL || perm == NULL) {
        if (r != NULL)
            gsl_rng_free(r);
        free(perm);
        return -1;
    }
    /* The largest double below 1: (n - 1 + U) / n can round up to 1.0. */
    const double below_one = nextafter(1.0, 0.0);
    for (size_t j = 0; j < k; j++) {
        rng_stream(r, seed, SCN_PURPOSE_LHS, j, 0);
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        gsl_ran_shuffle(r, perm, n, sizeof *perm);
        for (size_t i = 0; i < n; i++) {
            double x = ((double)perm[i] + gsl_rng_uniform(r)) / (double)n;
            u[i * k + j] = x < below_one ? x : below_one;
        }
    }
    free(perm);
    gsl_rng_free(r);
    return 0;
}

int scn_design_sobol(size_t n, size_t k, double *u)
{
    if (k < 1 || k > SCN_MAX_SOBOL_KEYS)
        return -1;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    if (q == NULL)
        return -1;
    double x[2 * SCN_MAX_SOBOL_KEYS];
    gsl_qrng_get(q, x); /* (1/2, ..., 1/2): A = B, no information (scn_design.h) */
    for (size_t i = 0; i < n; i++) {
        gsl_qrng_get(q, x);
        const double *a = x, *b = x + k;
        double *rows = u + i * (k + 2) * k;
        for (size_t j = 0; j < k; j++) {
            rows[j] = a[j];                    /* A_i */
            rows[k + j] = b[j];                /* B_i */
            for (size_t m = 0; m < k; m++)     /* AB_i^m: A_i with column m from B_i */
                rows[(2 + m) * k + j] = j == m ? b[j] : a[j];
        }
    }
    gsl_qrng_free(q);
    return 0;
}

sch_value scn_design_value(const scn_swept *w, double u)
{
    sch_value v = {0};
    if (!w->ranged) {
        size_t i = (size_t)(u * (double)w->n_values);
        return w->values[i < w->n_values ? i : w->n_values - 1];
    }
    switch (w->key->type) {
    case SCH_INT: {
        double lo = (double)w->lo.i, hi = (double)w->hi.i;
        long long x = llround(lo + u * (hi - lo));
        v.i = x < w->lo.i ? w->lo.i : x > w->hi.i ? w->hi.i : x;
        break;
    }
    case SCH_REAL: {
        double x = w->lo.r + u * (w->hi.r - w->lo.r);
        v.r = x < w->lo.r ? w->lo.r : x > w->hi.r ? w->hi.r : x;
        break;
    }
    case SCH_BOOL:
        v.b = u >= 0.5;
        break;
    case SCH_CHOICE:
    case SCH_STRING:
    case SCH_LIST: /* never ranged: the loader refuses a range on these */
        v = w->lo;
        break;
    }
    return v;
}
