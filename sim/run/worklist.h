/* worklist.h — the runner's work list: which block, which rank, which order.
 *
 * Pure arithmetic, no state, no I/O, no MPI: every function here is a
 * function of its arguments, so the runner's layout and deal can be tested
 * in-process for any number of ranks (tests/test_worklist.c).
 *
 * A round of a run computes replications [rep_lo, rep_hi) of each of a list
 * of points, its rows in (point, rep) order. The rows from `start` on (0, or
 * the rows --resume found in the file) are cut into blocks of at most `cap`
 * replications of one point (cap: the fold's blocks, acc_fold_reps in
 * stats.h): the first point may be partly done, every
 * later point is cut alike. Block b is dealt to one rank (wl_deal_owner);
 * a rank numbers its blocks 0, 1, ... in global order (wl_deal_block and
 * wl_deal_local are inverse). Neither the block size nor the deal changes a
 * result: rows are committed in (point, rep) order whoever computed them.
 *
 * A --precision run has later rounds: the points whose intervals are still
 * too wide, replications [have, next) each (wl_next_round decides next).
 *
 * Ownership: a wl_layout borrows its points array, which must outlive it.
 * Thread-safety: every function is pure; a wl_layout is read-only once
 * initialised.
 */
#ifndef REASSURE_WORKLIST_H
#define REASSURE_WORKLIST_H

#include <stddef.h>
#include <stdint.h>

enum {
    WL_DEAL_W = 8             /* blocks per rank per cycle of the deal */
};

/* Blocks of a round's rows. */
typedef struct wl_layout {
    const uint64_t *points; /* ascending; borrowed */
    uint64_t n_points;
    uint64_t rep_lo, nr;    /* nr replications per point, from rep_lo */
    uint64_t rows;          /* n_points * nr */
    uint64_t start;         /* first row to compute */
    uint64_t cap;           /* replications per block */
    uint64_t q0, off;       /* start = q0 * nr + off */
    uint64_t first_n;       /* blocks of the partly done point */
    uint64_t per_point;     /* blocks of a whole point */
    uint64_t n_blocks;
} wl_layout;

/* Lays out replications [rep_lo, rep_hi) of points[0..n_points) from row
 * `start` on, in blocks of at most cap (>= 1) replications. No blocks when
 * there are no rows or start >= rows. */
void wl_layout_init(wl_layout *l, const uint64_t *points, uint64_t n_points, uint64_t rep_lo,
                    uint64_t rep_hi, uint64_t start, uint64_t cap);

/* Block b (< l->n_blocks) as (point, first rep, count >= 1). */
void wl_block(const wl_layout *l, uint64_t b, uint64_t *point, uint64_t *rep0, size_t *n);


/* The deal: blocks go to ranks in cycles. Rank 0, which also folds and
 * writes every rank's rows, takes the first WL_DEAL_W - (ranks - 1) blocks
 * of a cycle (none from WL_DEAL_W + 1 ranks on), every other rank the next
 * WL_DEAL_W each. ranks >= 1. */
int wl_deal_owner(uint64_t b, int ranks);
/* A rank's i-th block, and back (b must be one of rank's). */
uint64_t wl_deal_block(int rank, int ranks, uint64_t i);
uint64_t wl_deal_local(uint64_t b, int rank, int ranks);
/* How many of n_blocks are rank's. */
uint64_t wl_deal_n_local(uint64_t n_blocks, int rank, int ranks);

/* The next round of a --precision run. Every one of pts[0..*n_pts) has had
 * `have` replications; width(ctx, point) is its widest 95% half-width. The
 * points still wider than `precision` and under max_reps are kept in pts,
 * in order (*n_pts becomes their number); the return is their new
 * replication count: aimed at what the widest interval needs ((w/P)^2 as
 * many), at least have + first_batch, at most 4 x have, never past
 * max_reps. *n_pts = 0: the run is done. */
uint64_t wl_next_round(uint64_t *pts, uint64_t *n_pts, uint64_t have, uint64_t first_batch,
                       double precision, uint64_t max_reps,
                       double (*width)(void *ctx, uint64_t point), void *ctx);

#endif
