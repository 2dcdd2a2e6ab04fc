/* pairs.h — paired contrasts folded as the rows are committed.
 *
 * A cases or uncertainty design compares every option with its reference
 * (uncertainty.h) replication by replication. The rows come in (point,
 * rep) order and the case varies slowest, so the points of the reference
 * case, and of every case before it, come before the cases after it: their
 * values (one per compared summary row and replication) are kept until the
 * other side of each pair arrives, and each pair is folded into the same
 * sums, in the same order, as contrast_pair (contrast.h) would fold it
 * reading the rows back — so the two give the same bits, and the file's
 * rows need not be read again.
 *
 * The kept values cost (reference case + 1) x groups x worlds x
 * replications x compared rows x 8 bytes; above PAIRS_BUDGET (or a run
 * whose rows do not come in order: --precision rounds, a share) pairs_alloc
 * declines or pairs_ready says no, and unc_table.c reads the rows back.
 *
 * Ownership: pairs_alloc's result is freed by pairs_free. Thread-safety:
 * one thread (the committer) adds; read after the last add.
 */
#ifndef REASSURE_PAIRS_H
#define REASSURE_PAIRS_H

#include <stddef.h>
#include <stdint.h>

#include "contrast.h"
#include "scn.h"

#define PAIRS_BUDGET ((size_t)256 << 20)

typedef struct pairs pairs;

/* NULL when s compares nothing, or its values would exceed the budget
 * (the environment's REASSURE_TEST_PAIRS_BUDGET, in bytes, stands in for
 * PAIRS_BUDGET in tests), or out of memory. */
pairs *pairs_alloc(const scenario *s);

/* 1 when s compares points and its kept values fit the budget: what
 * pairs_alloc allocates, short of memory. */
int pairs_fit(const scenario *s);
void pairs_free(pairs *pr);

/* Row rep (0, 1, ... at each point, in order) of point p. */
void pairs_add(pairs *pr, size_t p, uint64_t rep, int32_t outcome, const double *values);

/* The state as 64-bit words, as acc_save (stats.h) keeps it; pairs_load
 * returns the words it used, or 0 when they do not fit (damaged). */
size_t pairs_state_words(const pairs *pr);
uint64_t *pairs_save(const pairs *pr, uint64_t *w);
size_t pairs_load(pairs *pr, const uint64_t *w, size_t n);

/* 1 when every pair was folded from complete, in-order rows of the whole run. */
int pairs_ready(const pairs *pr);

/* The contrasts of point pb (not of the reference case) against the
 * reference point of its group and world, one per compared row (as
 * contrast_pair writes them); returns their number. */
size_t pairs_contrast(const pairs *pr, size_t pb, contrast_row *out);

#endif
