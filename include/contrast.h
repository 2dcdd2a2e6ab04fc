/* contrast.h — paired differences between two sets of replications.
 *
 * With common random numbers, replication r of point A and replication r
 * of point B (of one result, or of two results of one seed) saw the same
 * random numbers, so the difference of an output between A and B is best
 * estimated replication by replication: its interval is a Student t
 * interval on the per-replication differences, far narrower than the two
 * points' own intervals combined when the outputs are correlated. For each
 * p_* and mean_* summary row of the model (shares and means; quantiles
 * are left out), contrast_pair gives B - A with its paired interval, and
 * the half-width the two unpaired intervals would give, for comparison.
 *
 * Pairing: replications with the same index in both; a mean pairs the
 * replications where the measure applies at both points (not NaN); a
 * conditional share (p_offensive_succeeds) those where it applies at both.
 *
 * Ownership: contrast_* results are malloc'd, freed by the caller.
 * Thread-safety: pure functions of their arguments (contrast_files reads
 * files: one thread at a time, as every HDF5 reader).
 */
#ifndef REASSURE_CONTRAST_H
#define REASSURE_CONTRAST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

typedef struct contrast_row {
    uint32_t point_a, point_b;
    char name[48];             /* the summary row compared */
    double estimate;           /* B - A */
    double ci_low, ci_high;    /* 95%, paired */
    double unpaired_half;      /* 95% half-width of B - A from the two points' own intervals */
    uint64_t n;                /* pairs */
} contrast_row;

enum { CONTRAST_MAX_ROWS = 64 };

/* The summary rows of m a contrast compares — shares and means, not
 * quantiles — in the model's order (contrast_pair's), into rows (at most
 * CONTRAST_MAX_ROWS); returns how many. */
size_t contrast_rows(const model_def *m, int rows[CONTRAST_MAX_ROWS]);

/* Running sums of the pairs of one row: Welford for the differences and
 * for each side (the unpaired comparison), and the plain sum of the
 * differences (the estimate: exactly 0 when they cancel). */
typedef struct contrast_acc {
    uint64_t n;
    double md, m2d, ma, m2a, mb, m2b;
    double sd;
} contrast_acc;

/* One replication's value of a summary row: 1/0 for a share, the measure
 * for a mean; NaN when it does not apply (a mean's NaN measure, a
 * conditional share's NaN condition). */
double contrast_row_value(const summary_def *d, int32_t outcome, const double *v);

/* Adds the pair (a, b) of one replication. */
void contrast_acc_add(contrast_acc *s, double a, double b);

/* The contrast row of summary row d from its sums. */
void contrast_acc_row(const contrast_acc *s, const summary_def *d, uint32_t pa, uint32_t pb,
                      contrast_row *c);

/* The contrasts B - A of every share and mean row of model m, from the
 * rows of point A (rows_a, na, in the layout of result.h) and point B;
 * out has room for m->n_summaries rows; returns how many were written. */
size_t contrast_pair(const model_def *m, const unsigned char *rows_a, size_t na,
                     const unsigned char *rows_b, size_t nb, uint32_t pa, uint32_t pb,
                     contrast_row *out);

/* Every point of result file b against the same point of file a (one
 * model, one seed, as many points): *rows (malloc'd) holds *n contrasts.
 * Files of different runs' shapes are refused (ERR_INPUT). */
int contrast_files(const char *a, const char *b, contrast_row **rows, size_t *n, err *e);

/* In one result of a cases design: every other case against the baseline
 * case (the file's `baseline_case`, or `baseline` when not NULL), point by
 * point of the grid they are crossed with. *base_name (the file's, or
 * baseline) names the reference. Files without cases are refused. */
int contrast_cases(const char *path, const char *baseline, contrast_row **rows, size_t *n,
                   err *e);

#endif
