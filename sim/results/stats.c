/* stats.c — confidence intervals and per-point accumulators (stats.h). */
#include "stats.h"

#include "pairs.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_histogram.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const double Z95 = 1.959963984540054; /* gsl_cdf_ugaussian_Pinv(0.975) */

void stats_wilson(uint64_t k, uint64_t n, double *lo, double *hi)
{
    if (n == 0) {
        *lo = *hi = NAN;
        return;
    }
    double nn = (double)n, p = (double)k / nn, z2 = Z95 * Z95;
    double denom = 1.0 + z2 / nn;
    double centre = (p + z2 / (2.0 * nn)) / denom;
    double half = Z95 / denom * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn));
    /* At k = 0 (k = n) the lower (upper) bound is exactly 0 (1); rounding
     * would otherwise leave it a hair inside. */
    *lo = k == 0 || centre - half < 0.0 ? 0.0 : centre - half;
    *hi = k == n || centre + half > 1.0 ? 1.0 : centre + half;
}

void stats_t_interval(double mean, double sd, uint64_t n, double *lo, double *hi)
{
    if (n < 2) {
        *lo = *hi = NAN;
        return;
    }
    double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
    *lo = mean - half;
    *hi = mean + half;
}

/* The statistics of one summary row over some replications. */
typedef struct moments {
    uint64_t n;
    uint64_t hits; /* proportions */
    double mean;   /* means: running mean ... */
    double m2;     /* ... and sum of squared deviations from it */
} moments;

struct acc {
    const model_def *m;
    size_t n_points;
    moments *stats;           /* [point][summary] */
    uint64_t *reps;           /* [point]: replications added (a summary's n skips NaN) */
    /* Histograms, one block per measure (NULL without), points one after
     * another: edges [point][bins + 1] and counts [point][bins]. GSL finds
     * the bin through a gsl_histogram view of a point's edges; nothing is
     * allocated per point, and the writer takes each block whole. */
    double **edges;           /* [measure] */
    uint64_t **counts;        /* [measure] */
    uint64_t *below, *above;  /* [point][measure] */
    uint64_t *missing;        /* [point][measure]: NaN values */
    pairs *pairs;             /* a cases or uncertainty design's paired sums (pairs.h) */
};

/* Point p's histogram of measure j as GSL sees it: its edges (the bin
 * counts are kept apart, as integers). */
static gsl_histogram view(const acc *a, size_t j, size_t p)
{
    size_t bins = (size_t)a->m->measures[j].hist_bins;
    gsl_histogram h = {bins, a->edges[j] + p * (bins + 1), NULL};
    return h;
}

size_t acc_bytes_per_point(const model_def *m)
{
    size_t ns = (size_t)m->n_summaries, nm = (size_t)m->n_measures;
    size_t bytes = ns * sizeof(moments) + sizeof(uint64_t) + nm * 3 * sizeof(uint64_t);
    for (size_t j = 0; j < nm; j++)
        if (m->measures[j].hist_bins > 0)
            bytes += (2 * (size_t)m->measures[j].hist_bins + 1) * 8;
    return bytes;
}

acc *acc_alloc(const scenario *s)
{
    const model_def *m = s->model;
    acc *a = calloc(1, sizeof *a);
    if (a == NULL)
        return NULL;
    a->m = m;
    a->n_points = s->n_points;
    a->pairs = pairs_alloc(s); /* NULL: nothing to pair here, or unc_table reads rows back */
    size_t np = s->n_points, ns = (size_t)m->n_summaries, nm = (size_t)m->n_measures;
    a->stats = calloc(np * ns, sizeof *a->stats);
    a->reps = calloc(np ? np : 1, sizeof *a->reps);
    a->edges = calloc(nm ? nm : 1, sizeof *a->edges);
    a->counts = calloc(nm ? nm : 1, sizeof *a->counts);
    a->below = calloc(np * nm, sizeof *a->below);
    a->above = calloc(np * nm, sizeof *a->above);
    a->missing = calloc(np * nm, sizeof *a->missing);
    void *params = malloc(m->params_size);
    if (!a->stats || !a->reps || !a->edges || !a->counts || !a->below || !a->above ||
        !a->missing || !params)
        goto fail;
    size_t most = 1; /* the most bins of any measure */
    for (size_t j = 0; j < nm; j++) {
        size_t bins = m->measures[j].hist_bins > 0 ? (size_t)m->measures[j].hist_bins : 0;
        most = bins > most ? bins : most;
        if (bins == 0)
            continue;
        a->edges[j] = malloc((np ? np : 1) * (bins + 1) * sizeof *a->edges[j]);
        a->counts[j] = calloc((np ? np : 1) * bins, sizeof *a->counts[j]);
        if (!a->edges[j] || !a->counts[j])
            goto fail;
    }
    /* GSL sets the edges (and clears bins: scratch ones, the counts are
     * kept as integers apart). */
    double *scratch = malloc(most * sizeof *scratch);
    if (scratch == NULL)
        goto fail;
    for (size_t p = 0; p < np; p++) {
        scn_point(s, p, params);
        for (size_t j = 0; j < nm; j++) {
            if (a->edges[j] == NULL)
                continue;
            double lo, hi;
            m->hist_range(params, (int)j, &lo, &hi);
            gsl_histogram h = view(a, j, p);
            h.bin = scratch;
            if (!(lo < hi) || gsl_histogram_set_ranges_uniform(&h, lo, hi) != GSL_SUCCESS) {
                free(scratch);
                goto fail;
            }
        }
    }
    free(scratch);
    free(params);
    return a;
fail:
    free(params);
    acc_free(a);
    return NULL;
}

void acc_free(acc *a)
{
    if (a == NULL)
        return;
    size_t nm = (size_t)a->m->n_measures;
    for (size_t j = 0; j < nm; j++) {
        free(a->edges ? a->edges[j] : NULL);
        free(a->counts ? a->counts[j] : NULL);
    }
    pairs_free(a->pairs);
    free(a->stats);
    free(a->reps);
    free(a->edges);
    free(a->counts);
    free(a->below);
    free(a->above);
    free(a->missing);
    free(a);
}

void acc_add(acc *a, size_t p, int32_t outcome, const double *values)
{
    const model_def *m = a->m;
    size_t ns = (size_t)m->n_summaries, nm = (size_t)m->n_measures;
    pairs_add(a->pairs, p, a->reps[p], outcome, values);
    a->reps[p]++;
    for (size_t i = 0; i < ns; i++) {
        const summary_def *d = &m->summaries[i];
        moments *st = &a->stats[p * ns + i];
        /* A NaN measure means "does not apply" (e.g. no breach): a mean is
         * over the replications where it applies, and n says how many. */
        if (d->kind != SUMMARY_P_OUTCOME && d->kind != SUMMARY_P_GE && isnan(values[d->index]))
            continue;
        st->n++;
        switch (d->kind) {
        case SUMMARY_MEAN: { /* Welford (1962) */
            double x = values[d->index], delta = x - st->mean;
            st->mean += delta / (double)st->n;
            st->m2 += delta * (x - st->mean);
            break;
        }
        case SUMMARY_P_OUTCOME:
            st->hits += outcome == d->index;
            break;
        case SUMMARY_P_GE:
        case SUMMARY_P_GIVEN:
            st->hits += values[d->index] >= d->threshold;
            break;
        case SUMMARY_QUANTILE: /* from the histogram below */
            break;
        }
    }
    for (size_t j = 0; j < nm; j++) {
        if (a->edges[j] == NULL)
            continue;
        gsl_histogram h = view(a, j, p);
        double x = values[j];
        size_t bin;
        if (isnan(x))
            a->missing[p * nm + j]++;
        else if (x < h.range[0])
            a->below[p * nm + j]++;
        else if (x >= h.range[h.n])
            a->above[p * nm + j]++;
        else if (gsl_histogram_find(&h, x, &bin) == GSL_SUCCESS) /* in range: always */
            a->counts[j][p * h.n + bin]++;
    }
}

/* The value of the k-th smallest of n (1-based) from a histogram: the
 * centre of its bin; -inf / +inf below / above the range. */
static double order_stat(const gsl_histogram *h, const uint64_t *counts, uint64_t below,
                         uint64_t k)
{
    if (k <= below)
        return -INFINITY;
    uint64_t c = below;
    for (size_t b = 0; b < h->n; b++) {
        c += counts[b];
        if (k <= c)
            return 0.5 * (h->range[b] + h->range[b + 1]);
    }
    return INFINITY;
}

/* The q quantile of n values (NaN skipped) and its 95% interval: order
 * statistics of ranks n q -+ z sqrt(n q (1 - q)), which cover the true
 * quantile with about 95% probability whatever the distribution (the
 * normal approximation to the binomial count below the quantile). */
static void quantile(const gsl_histogram *h, const uint64_t *counts, uint64_t below,
                     uint64_t above, uint64_t n, double q, summary_row *row)
{
    (void)above;
    if (n == 0) {
        row->estimate = row->ci_low = row->ci_high = NAN;
        return;
    }
    double nq = (double)n * q, half = 1.959963984540054 * sqrt(nq * (1.0 - q));
    double k = ceil(nq), lo = floor(nq - half), hi = ceil(nq + half) + 1;
    if (k < 1)
        k = 1;
    if (lo < 1)
        lo = 1;
    if (hi > (double)n)
        hi = (double)n;
    row->estimate = order_stat(h, counts, below, (uint64_t)k);
    row->ci_low = order_stat(h, counts, below, (uint64_t)lo);
    row->ci_high = order_stat(h, counts, below, (uint64_t)hi);
}

/* Counted apart from the summaries: a summary's n leaves out the
 * replications where its measure is NaN ("does not apply"), so a point
 * whose first measure never applies still has its replications. */
uint64_t acc_count(const acc *a, size_t p)
{
    return a->reps[p];
}

void acc_summary(const acc *a, size_t p, int i, summary_row *row)
{
    const summary_def *d = &a->m->summaries[i];
    const moments *st = &a->stats[p * (size_t)a->m->n_summaries + (size_t)i];
    memset(row, 0, sizeof *row);
    row->point = (uint32_t)p;
    strncpy(row->name, d->name, sizeof row->name - 1);
    row->n = st->n;
    if (d->kind == SUMMARY_MEAN) {
        row->estimate = st->n ? st->mean : NAN;
        double sd = st->n > 1 ? sqrt(st->m2 / (double)(st->n - 1)) : NAN;
        stats_t_interval(row->estimate, sd, st->n, &row->ci_low, &row->ci_high);
    } else if (d->kind == SUMMARY_QUANTILE) {
        size_t nm = (size_t)a->m->n_measures, m = (size_t)d->index, j = p * nm + m;
        gsl_histogram h = view(a, m, p);
        quantile(&h, a->counts[m] + p * h.n, a->below[j], a->above[j], st->n, d->threshold, row);
    } else {
        row->estimate = st->n ? (double)st->hits / (double)st->n : NAN;
        stats_wilson(st->hits, st->n, &row->ci_low, &row->ci_high);
    }
}

int acc_hist_bins(const acc *a, int m)
{
    return a->m->measures[m].hist_bins;
}

void acc_hist(const acc *a, int m, size_t p, uint64_t *below, uint64_t *above,
              uint64_t *missing)
{
    size_t nm = (size_t)a->m->n_measures;
    *below = a->below[p * nm + (size_t)m];
    *above = a->above[p * nm + (size_t)m];
    *missing = a->missing[p * nm + (size_t)m];
}

void acc_hist_blocks(const acc *a, int m, const double **edges, const uint64_t **counts)
{
    *edges = a->edges[m];
    *counts = a->counts[m];
}

const pairs *acc_pairs(const acc *a)
{
    return a->pairs;
}
