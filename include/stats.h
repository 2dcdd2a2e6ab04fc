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
 * The summary is defined as a fold in blocks: a point's replications are
 * cut into blocks of `cap` from the round's first (acc_grid; the runner's
 * work list cuts its blocks alike), each block is folded in rep order
 * (Welford) and a point's blocks are combined in order (Chan, Golub and
 * LeVeque's pairwise update; counts and histograms are integer sums). So a
 * block can be folded wherever it is computed — on any thread of any rank
 * (acc_block) — and combined by rank 0 in block order (acc_merge), and the
 * summary stays a pure function of /replications and the blocks' size,
 * whatever the threads and ranks: merge and resume recompute it bit for bit
 * from the stored rows (acc_add closes each block as its last row comes).
 * (gsl_rstat would do the per-block fold but also updates a running median
 * on every add, unused here.)
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

/* Replications per fold block for a run of `rows` rows, nr per point: a
 * function of the run's shape only (never of threads or ranks), so every
 * session of a run, and a merge of its shares, cuts the same blocks: a
 * sixteenth of the rows, at least 1 and at most nr, and at most 1,024 —
 * or, past 16.7 million rows, rows / 16,384 up to 8,192, so that rank 0
 * combines fewer, larger blocks where a thousand cores would otherwise
 * keep it busy. (A run too small to give every core blocks of 1,024 takes
 * a second anyway; a large one has at least 16,384 blocks to share.) */
uint64_t acc_fold_reps(uint64_t rows, uint64_t nr);

/* The blocks of the rows to come: every point has `have` rows already;
 * from there each point's blocks hold `cap` rows, its nr-th row closing its
 * last. Until it is called a point is one block (have 0, no cap). */
void acc_grid(acc *a, uint64_t have, uint64_t nr, uint64_t cap);

/* Adds one replication's outcome and measures at point p, its next row in
 * order; the row that ends a block of the grid closes the block. */
void acc_add(acc *a, size_t p, int32_t outcome, const double *values);

/* One block of one point, folded where it was computed.
 * Thread-safety: one thread at a time; each thread keeps its own. */
typedef struct acc_block acc_block;

acc_block *acc_block_alloc(const model_def *m);
void acc_block_free(acc_block *b);

/* Empties b for a block of point p, whose parameters (scn_point) give its
 * histograms' ranges. */
void acc_block_start(acc_block *b, const model_def *m, size_t p, const void *params);

/* Adds the block's next replication. */
void acc_block_add(acc_block *b, int32_t outcome, const double *values);

/* The block as bytes (its point, its count, its moments and histogram
 * counts), to send whole to another rank and receive into another
 * acc_block of the same model; *bytes is the same for every block of m. */
void *acc_block_wire(acc_block *b, size_t *bytes);

/* The point and the replications of a block (as sent or received). */
uint64_t acc_block_point(const acc_block *b);
uint64_t acc_block_count(const acc_block *b);

/* 1 when acc_merge needs the block's rows too (a cases or uncertainty
 * design pairs replications across points: pairs.h). */
int acc_wants_rows(const acc *a);

/* Combines block b, the next of its point in order, into the point's
 * statistics; outcomes and values are its rows when acc_wants_rows (else
 * may be NULL). The point must hold no partly added block (acc_add). */
void acc_merge(acc *a, const acc_block *b, const int32_t *outcomes, const double *values);

/* The accumulator's whole state as 64-bit words (doubles by their bits),
 * saved in an interrupted result that does not keep every row (--rows
 * none or sample:N), so that --resume goes on from it rather than from
 * the rows: acc_state_words long; acc_save fills w; acc_load restores it
 * into a new acc of the same scenario (-1: the words are another run's,
 * or damaged). */
size_t acc_state_words(const acc *a);
void acc_save(const acc *a, uint64_t *w);
int acc_load(acc *a, const uint64_t *w, size_t n);

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
