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

/* Welford's update (1962) of a mean and its sum of squared deviations. */
static void welford(moments *st, double x)
{
    double delta = x - st->mean;
    st->mean += delta / (double)st->n;
    st->m2 += delta * (x - st->mean);
}

/* a += b: Chan, Golub and LeVeque's pairwise update (1979) of the mean and
 * the squared deviations; counts add. An empty side is an exact copy. */
static void combine(moments *a, const moments *b)
{
    uint64_t n = a->n + b->n;
    if (a->n == 0) {
        a->mean = b->mean;
        a->m2 = b->m2;
    } else if (b->n > 0) {
        double na = (double)a->n, nb = (double)b->n, delta = b->mean - a->mean;
        a->mean += delta * (nb / (double)n);
        a->m2 += b->m2 + delta * delta * (na * nb / (double)n);
    }
    a->n = n;
    a->hits += b->hits;
}

/* One replication into the moments of every summary row. */
static void fold_summaries(const model_def *m, moments *stats, int32_t outcome,
                           const double *values)
{
    for (int i = 0; i < m->n_summaries; i++) {
        const summary_def *d = &m->summaries[i];
        moments *st = &stats[i];
        /* A NaN measure means "does not apply" (e.g. no breach): a mean is
         * over the replications where it applies, and n says how many. */
        if (d->kind != SUMMARY_P_OUTCOME && d->kind != SUMMARY_P_GE && isnan(values[d->index]))
            continue;
        st->n++;
        switch (d->kind) {
        case SUMMARY_MEAN:
            welford(st, values[d->index]);
            break;
        case SUMMARY_P_OUTCOME:
            st->hits += outcome == d->index;
            break;
        case SUMMARY_P_GE:
        case SUMMARY_P_GIVEN:
            st->hits += values[d->index] >= d->threshold;
            break;
        case SUMMARY_QUANTILE: /* from the histogram */
            break;
        }
    }
}

/* Where x falls in histogram h: its bin, or one of these. */
enum { HIST_MISSING = -3, HIST_BELOW = -2, HIST_ABOVE = -1 };

static long hist_slot(const gsl_histogram *h, double x)
{
    size_t bin;
    if (isnan(x))
        return HIST_MISSING;
    if (x < h->range[0])
        return HIST_BELOW;
    if (x >= h->range[h->n])
        return HIST_ABOVE;
    if (gsl_histogram_find(h, x, &bin) != GSL_SUCCESS) /* in range: never */
        return HIST_ABOVE;
    return (long)bin;
}

struct acc {
    const model_def *m;
    size_t n_points;
    moments *stats;           /* [point][summary]: the blocks closed so far */
    moments *open;            /* [point][summary]: acc_add's block being filled */
    uint64_t have, nr, cap;   /* acc_grid */
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
    size_t bytes = 2 * ns * sizeof(moments) + sizeof(uint64_t) + nm * 3 * sizeof(uint64_t);
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
    a->open = calloc(np * ns > 0 ? np * ns : 1, sizeof *a->open);
    a->nr = a->cap = UINT64_MAX;
    a->reps = calloc(np ? np : 1, sizeof *a->reps);
    a->edges = calloc(nm ? nm : 1, sizeof *a->edges);
    a->counts = calloc(nm ? nm : 1, sizeof *a->counts);
    a->below = calloc(np * nm, sizeof *a->below);
    a->above = calloc(np * nm, sizeof *a->above);
    a->missing = calloc(np * nm, sizeof *a->missing);
    void *params = malloc(m->params_size);
    if (!a->stats || !a->open || !a->reps || !a->edges || !a->counts || !a->below || !a->above ||
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
    free(a->open);
    free(a->reps);
    free(a->edges);
    free(a->counts);
    free(a->below);
    free(a->above);
    free(a->missing);
    free(a);
}

uint64_t acc_fold_reps(uint64_t rows, uint64_t nr)
{
    uint64_t big = rows / 16384; /* past 16.7 million rows: still 16,384 blocks */
    uint64_t most = big < 1024 ? 1024 : big > 8192 ? 8192 : big;
    uint64_t want = rows / 16;
    uint64_t b = want > most ? most : want;
    b = b > nr ? nr : b;
    return b > 0 ? b : 1;
}

void acc_grid(acc *a, uint64_t have, uint64_t nr, uint64_t cap)
{
    a->have = have;
    a->nr = nr;
    a->cap = cap > 0 ? cap : 1;
}

/* Point p's open block into its statistics. */
static void close_block(acc *a, size_t p)
{
    size_t ns = (size_t)a->m->n_summaries;
    for (size_t i = 0; i < ns; i++) {
        combine(&a->stats[p * ns + i], &a->open[p * ns + i]);
        memset(&a->open[p * ns + i], 0, sizeof(moments));
    }
}

void acc_add(acc *a, size_t p, int32_t outcome, const double *values)
{
    const model_def *m = a->m;
    size_t ns = (size_t)m->n_summaries, nm = (size_t)m->n_measures;
    pairs_add(a->pairs, p, a->reps[p], outcome, values);
    a->reps[p]++;
    fold_summaries(m, &a->open[p * ns], outcome, values);
    for (size_t j = 0; j < nm; j++) {
        if (a->edges[j] == NULL)
            continue;
        gsl_histogram h = view(a, j, p);
        long k = hist_slot(&h, values[j]);
        if (k >= 0)
            a->counts[j][p * h.n + (size_t)k]++;
        else
            (k == HIST_MISSING ? a->missing : k == HIST_BELOW ? a->below : a->above)[p * nm + j]++;
    }
    uint64_t in_round = a->reps[p] - a->have;
    if (in_round % a->cap == 0 || in_round == a->nr)
        close_block(a, p);
}

/* ---- blocks --------------------------------------------------------------- */

/* The wire form, one buffer: header, moments [summary], then for each
 * measure with a histogram its below, above and missing counts and its bin
 * counts. */
typedef struct block_head {
    uint64_t point, count;
} block_head;

struct acc_block {
    const model_def *m;
    size_t bytes;
    unsigned char *wire;
    block_head *head;
    moments *stats;
    uint64_t **hist;   /* [measure]: below, above, missing, bins... (NULL without) */
    double **edges;    /* [measure]: the point's bin edges, kept apart from the wire */
    double *scratch;   /* [most bins]: the bins gsl_histogram_set_ranges_uniform clears */
};

acc_block *acc_block_alloc(const model_def *m)
{
    size_t ns = (size_t)m->n_summaries, nm = (size_t)m->n_measures;
    acc_block *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->m = m;
    b->bytes = sizeof(block_head) + ns * sizeof(moments);
    for (size_t j = 0; j < nm; j++)
        if (m->measures[j].hist_bins > 0)
            b->bytes += (3 + (size_t)m->measures[j].hist_bins) * sizeof(uint64_t);
    b->wire = calloc(1, b->bytes);
    b->hist = calloc(nm ? nm : 1, sizeof *b->hist);
    b->edges = calloc(nm ? nm : 1, sizeof *b->edges);
    size_t most = 1;
    for (size_t j = 0; j < nm; j++)
        most = (size_t)m->measures[j].hist_bins > most ? (size_t)m->measures[j].hist_bins : most;
    b->scratch = malloc(most * sizeof *b->scratch);
    if (b->wire == NULL || b->hist == NULL || b->edges == NULL || b->scratch == NULL) {
        acc_block_free(b);
        return NULL;
    }
    b->head = (block_head *)(void *)b->wire;
    b->stats = (moments *)(void *)(b->wire + sizeof(block_head));
    uint64_t *at = (uint64_t *)(void *)(b->stats + ns);
    for (size_t j = 0; j < nm; j++) {
        size_t bins = m->measures[j].hist_bins > 0 ? (size_t)m->measures[j].hist_bins : 0;
        if (bins == 0)
            continue;
        b->hist[j] = at;
        at += 3 + bins;
        if ((b->edges[j] = malloc((bins + 1) * sizeof *b->edges[j])) == NULL) {
            acc_block_free(b);
            return NULL;
        }
    }
    return b;
}

void acc_block_free(acc_block *b)
{
    if (b == NULL)
        return;
    for (int j = 0; b->edges && j < b->m->n_measures; j++)
        free(b->edges[j]);
    free(b->edges);
    free(b->scratch);
    free(b->hist);
    free(b->wire);
    free(b);
}

void acc_block_start(acc_block *b, const model_def *m, size_t p, const void *params)
{
    memset(b->wire, 0, b->bytes);
    b->head->point = p;
    for (int j = 0; j < m->n_measures; j++) {
        if (b->edges[j] == NULL)
            continue;
        /* The same edges as acc_alloc sets for the point, so the same bins. */
        double lo, hi;
        m->hist_range(params, j, &lo, &hi);
        gsl_histogram h = {(size_t)m->measures[j].hist_bins, b->edges[j], b->scratch};
        gsl_histogram_set_ranges_uniform(&h, lo, hi);
    }
}

void acc_block_add(acc_block *b, int32_t outcome, const double *values)
{
    const model_def *m = b->m;
    b->head->count++;
    fold_summaries(m, b->stats, outcome, values);
    for (int j = 0; j < m->n_measures; j++) {
        if (b->edges[j] == NULL)
            continue;
        gsl_histogram h = {(size_t)m->measures[j].hist_bins, b->edges[j], NULL};
        long k = hist_slot(&h, values[j]);
        b->hist[j][k >= 0 ? 3 + (size_t)k : (size_t)(k - HIST_MISSING)]++;
    }
}

void *acc_block_wire(acc_block *b, size_t *bytes)
{
    *bytes = b->bytes;
    return b->wire;
}

uint64_t acc_block_point(const acc_block *b)
{
    return b->head->point;
}

uint64_t acc_block_count(const acc_block *b)
{
    return b->head->count;
}

int acc_wants_rows(const acc *a)
{
    return a->pairs != NULL;
}

void acc_merge(acc *a, const acc_block *b, const int32_t *outcomes, const double *values)
{
    const model_def *m = a->m;
    size_t p = (size_t)b->head->point, ns = (size_t)m->n_summaries, nm = (size_t)m->n_measures;
    for (uint64_t i = 0; a->pairs != NULL && i < b->head->count; i++)
        pairs_add(a->pairs, p, a->reps[p] + i, outcomes[i], values + i * nm);
    a->reps[p] += b->head->count;
    for (size_t i = 0; i < ns; i++)
        combine(&a->stats[p * ns + i], &b->stats[i]);
    for (size_t j = 0; j < nm; j++) {
        if (a->edges[j] == NULL)
            continue;
        const uint64_t *h = b->hist[j];
        size_t bins = (size_t)m->measures[j].hist_bins;
        a->below[p * nm + j] += h[HIST_BELOW - HIST_MISSING];
        a->above[p * nm + j] += h[HIST_ABOVE - HIST_MISSING];
        a->missing[p * nm + j] += h[0];
        for (size_t k = 0; k < bins; k++)
            a->counts[j][p * bins + k] += h[3 + k];
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
    size_t at = p * (size_t)a->m->n_summaries + (size_t)i;
    moments merged = a->stats[at]; /* with a block acc_add has not closed yet */
    combine(&merged, &a->open[at]);
    const moments *st = &merged;
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

/* ---- the state, for --resume without rows --------------------------------- */

_Static_assert(sizeof(moments) == 4 * sizeof(uint64_t), "moments are 4 words");

enum { STATE_MAGIC = 0x52414343 /* "RACC" */ };

/* Copies the state's arrays, in order, to w (save) or from it (load), or
 * only counts them (w NULL); returns the words. */
static size_t walk(const acc *a, uint64_t *w, int save)
{
    const model_def *m = a->m;
    size_t np = a->n_points, ns = (size_t)m->n_summaries, nm = (size_t)m->n_measures, k = 0;
    void *arrays[6] = {a->reps, a->stats, a->open, a->below, a->above, a->missing};
    size_t words[6] = {np, np * ns * 4, np * ns * 4, np * nm, np * nm, np * nm};
    for (size_t j = 0; j < 6 + nm; j++) {
        void *at = j < 6 ? arrays[j] : a->counts[j - 6];
        size_t n = j < 6 ? words[j] : np * (size_t)m->measures[j - 6].hist_bins;
        if (at == NULL || n == 0)
            continue;
        if (w != NULL && save)
            memcpy(w + k, at, n * sizeof *w);
        else if (w != NULL)
            memcpy(at, w + k, n * sizeof *w);
        k += n;
    }
    return k;
}

enum { STATE_HEAD = 4 };

size_t acc_state_words(const acc *a)
{
    return STATE_HEAD + walk(a, NULL, 0) + pairs_state_words(a->pairs);
}

void acc_save(const acc *a, uint64_t *w)
{
    w[0] = STATE_MAGIC;
    w[1] = a->n_points;
    w[2] = (uint64_t)a->m->n_summaries;
    w[3] = acc_state_words(a);
    size_t k = walk(a, w + STATE_HEAD, 1);
    pairs_save(a->pairs, w + STATE_HEAD + k);
}

int acc_load(acc *a, const uint64_t *w, size_t n)
{
    size_t need = acc_state_words(a);
    if (n != need || w[0] != STATE_MAGIC || w[1] != a->n_points ||
        w[2] != (uint64_t)a->m->n_summaries || w[3] != need)
        return -1;
    size_t k = walk(a, (uint64_t *)w + STATE_HEAD, 0);
    if (a->pairs != NULL &&
        pairs_load(a->pairs, w + STATE_HEAD + k, need - STATE_HEAD - k) == 0)
        return -1;
    return 0;
}

const pairs *acc_pairs(const acc *a)
{
    return a->pairs;
}
