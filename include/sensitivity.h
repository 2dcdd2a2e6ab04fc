/* sensitivity.h — Sobol sensitivity indices from a sobol sweep.
 *
 * A sobol sweep (scn.h, scn_design.h) lays its N (k + 2) points out as
 * Saltelli's A_i, B_i, AB_i^1 .. AB_i^k for each base sample i. From an
 * output f at every point (a /summary row's estimate: with a stochastic
 * model, the mean over the point's replications), this module estimates
 * for each swept key j:
 *
 *   S1_j  first-order index, the share of Var f due to key j alone —
 *         Saltelli et al. (2010) estimator
 *             (1/N) sum_i f(B_i) (f(AB_i^j) - f(A_i)) / V
 *         with f(B_i) centred on the mean m of the f(A), f(B) values
 *         (f(B_i) - m in place of f(B_i): the same expectation, as
 *         E[f(AB^j) - f(A)] = 0, and a variance that no longer grows with
 *         the mean of f)
 *   ST_j  total-order index, key j with all its interactions — Jansen
 *         (1999) estimator
 *             (1/2N) sum_i (f(A_i) - f(AB_i^j))^2 / V
 *
 * with V the variance (divisor 2N) of the 2N values f(A_i), f(B_i). Their
 * 95% intervals are percentile bootstrap intervals: SENS_RESAMPLES
 * resamples of the N base samples with replacement (each resample
 * recomputes V, S1 and ST), drawn from the Philox stream
 * (seed, SENS_PURPOSE_BOOTSTRAP, 0, 0) — the same resamples for every
 * output —, so the intervals are a pure function of the scenario and its
 * seed. A base sample with a NaN output at any of its k + 2 points (a mean
 * over no replications) is left out; indices are NaN when fewer than two
 * samples remain or the output does not vary.
 *
 * The bootstrap treats the base samples as independent, which quasi-random
 * rows are not: for a smooth f the intervals are conservative. With a
 * stochastic model, each point's output carries Monte Carlo noise that
 * inflates V and the differences f(A) - f(AB^j) alike: noise adds to ST
 * (every key looks a little "interacting") and widens the intervals; more
 * replications per point shrink it. The runner's common random numbers
 * (the same streams at every point) keep the noise in f(A) - f(AB^j) small.
 *
 * Two parts, in two files. The estimators and the bootstrap
 * (sensitivity.c) are pure functions of their arguments: no file, no
 * printing, callable on any array of outputs. The /sensitivity table
 * (sens_table.c) computes their rows from a run's accumulators, writes
 * them (out.h), reads them back (results_read.h) and prints them ranked.
 *
 * Ownership: the caller's arrays; nothing returned needs freeing.
 * Thread-safety: the estimators share no state and may run on any number
 * of threads at once; the table's file functions from one thread (HDF5).
 */
#ifndef REASSURE_SENSITIVITY_H
#define REASSURE_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "out.h"
#include "scn.h"
#include "stats.h"

#define SENS_PURPOSE_BOOTSTRAP UINT64_C(0x100002)

enum { SENS_RESAMPLES = 1000 };

/* ---- the estimators (pure) ------------------------------------------------ */

/* The indices of one swept key, with 95% bootstrap intervals. */
typedef struct sens_result {
    double S1, S1_ci_low, S1_ci_high;
    double ST, ST_ci_low, ST_ci_high;
} sens_result;

/* The point estimates S1_j (s1[j]) and ST_j (st[j]) of k keys from the
 * base samples idx[0 .. m-1] (m >= 1; an index may repeat, as in a
 * bootstrap resample) of Saltelli-ordered outputs y[i (k + 2) + c] (c = 0:
 * A_i, 1: B_i, 2 + j: AB_i^j): V over their 2m values f(A), f(B), S1 by
 * the Saltelli 2010 estimator with f(B) centred, ST by Jansen's. NaN for
 * every key when V = 0. No NaN check: sens_saltelli leaves such samples
 * out before calling it. */
void sens_estimate(size_t k, const double *y, const size_t *idx, size_t m, double *s1,
                   double *st);

/* The 2.5% and 97.5% points (gsl_stats_quantile_from_sorted_data) of the
 * finite values among x[0 .. n-1], which it reorders; NaN when there are
 * none. */
void sens_percentiles(double *x, size_t n, double *lo, double *hi);

/* The indices of k keys from Saltelli-ordered outputs y[i (k + 2) + m]
 * (m = 0: A_i, 1: B_i, 2 + j: AB_i^j) of n base samples, with `resamples`
 * bootstrap resamples from stream (seed, SENS_PURPOSE_BOOTSTRAP, 0, 0).
 * out has k entries. Returns 0, or -1 (ERR_RUNTIME) when out of memory. */
int sens_saltelli(size_t n, size_t k, const double *y, size_t resamples, uint64_t seed,
                  sens_result *out, err *e);

/* The same for a loaded sobol scenario: y holds one output at each of its
 * n_points points; out has n_swept entries (swept key j's indices in
 * out[j]). ERR_INPUT when s is not a sobol sweep. */
int sens_compute(const scenario *s, const double *y, sens_result *out, err *e);

/* ---- the /sensitivity table (sens_table.c) ---------------------------------- */

enum { SENS_OUTPUT_LEN = 48, SENS_PARAMETER_LEN = 64 };

/* A row of /sensitivity: one (output, swept key). Strings NUL-terminated. */
typedef struct sens_row {
    char output[SENS_OUTPUT_LEN];       /* the /summary row's name */
    char parameter[SENS_PARAMETER_LEN]; /* the key's dotted path */
    double S1, S1_ci_low, S1_ci_high;
    double ST, ST_ci_low, ST_ci_high;
} sens_row;

/* Prints rows grouped by output (in the order the outputs first appear),
 * each group ranked by ST (highest first, NaN last, ties in row order)
 * with S1 and ST and their intervals, within 100 columns. samples: the
 * base samples for the heading, or 0 when unknown. No file involved. */
void sens_print_rows(FILE *f, const sens_row *rows, size_t n, long long samples);

/* The columns of /sensitivity, one sens_row per row: written by
 * sens_write, read by res_read_sensitivity (results_read.h). */
enum { SENS_COLUMNS = 8 };
extern const out_column sens_columns[SENS_COLUMNS];

/* Writes /sensitivity for a sobol scenario: one row per (output, swept
 * key) — output, parameter (the key's dotted path), S1, S1_ci_low,
 * S1_ci_high, ST, ST_ci_low, ST_ci_high — with attributes samples,
 * bootstrap_resamples and method. Each output's value at point p is
 * acc_summary(a, p, output).estimate. Does nothing and returns 0 for
 * other designs, or when some point has no replications in a (a share of
 * the work: the indices need every point). */
int sens_write(out_file *o, const scenario *s, const acc *a, err *e);

/* Prints, per output, the keys ranked by ST (highest first) with S1 and ST
 * and their intervals, within 100 columns. Nothing for other designs. */
void sens_print(FILE *f, const scenario *s, const acc *a);

/* The same table from a result file's /sensitivity, read through
 * results_read.h. Returns 1 when it was printed, 0 when the file has no
 * /sensitivity, -1 (ERR_RUNTIME) when the file cannot be read. */
int sens_print_file(const char *h5path, FILE *f, err *e);

#endif
