/* stats.h — confidence intervals and the per-point accumulators of a run.
 *
 * Intervals are 95%: Wilson's score interval for proportions (it stays inside
 * [0, 1] and behaves at 0 and n successes), Student's t for means.
 *
 * An acc holds, for every sweep point, the statistics of each summary row
 * of the model (running mean and sum of squared deviations for means —
 * Welford's update —, counts for proportions) and the histograms of the
 * measures that have one (gsl_histogram, with counts below and above the
 * range kept apart).
 *
 * The summary is defined as the fold of the replications in (point, rep)
 * order: a pure function of /replications, which the runner feeds in that
 * order whatever the thread count, and which any later step (merge, resume)
 * can recompute bit for bit from the stored rows. (gsl_rstat would do the
 * same fold but also updates a running median on every add, unused here.)
 *
 * Ownership: acc_alloc / acc_free. Thread-safety: one thread at a time.
 */
#ifndef REASSURE_STATS_H
#define REASSURE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "scn.h"

/* Wilson 95% interval for k successes in n trials (n > 0). */
void stats_wilson(uint64_t k, uint64_t n, double *lo, double *hi);

/* Student t 95% interval for a mean from n samples with standard deviation
 * sd. With n < 2 the bounds are NaN (no interval from one sample). */
void stats_t_interval(double mean, double sd, uint64_t n, double *lo, double *hi);

typedef struct summary_row {
    uint32_t point;
    char name[48];
    double estimate;
    double ci_low;
    double ci_high;
    uint64_t n;
} summary_row;

typedef struct acc acc;
typedef struct pairs pairs;

acc *acc_alloc(const scenario *s);
void acc_free(acc *a);

/* Adds one replication's outcome and measures at point p. */
void acc_add(acc *a, size_t p, int32_t outcome, const double *values);

/* A cases or uncertainty design's paired sums, folded as the rows were
 * added (pairs.h), or NULL. */
const pairs *acc_pairs(const acc *a);

/* Replications added at point p. */
uint64_t acc_count(const acc *a, size_t p);

/* Summary row i (0 <= i < model->n_summaries) of point p. */
void acc_summary(const acc *a, size_t p, int i, summary_row *row);

/* Histogram of measure m (hist_bins > 0) at point p: how many values fell
 * below or above the range or were NaN ("does not apply"). */
int acc_hist_bins(const acc *a, int m);
void acc_hist(const acc *a, int m, size_t p, uint64_t *below, uint64_t *above,
              uint64_t *missing);

/* Measure m's histograms of every point, as the accumulator holds them (no
 * copy; valid until acc_free): edges [point][bins + 1] and counts
 * [point][bins], points one after another. */
void acc_hist_blocks(const acc *a, int m, const double **edges, const uint64_t **counts);

/* The accumulator's bytes per sweep point for model m: summary moments,
 * the replication count, and each histogram's edges and counts. */
size_t acc_bytes_per_point(const model_def *m);

#endif
