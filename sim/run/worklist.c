/* worklist.c — the runner's work list: blocks, the deal to ranks, and the
 * next round of a --precision run (worklist.h). Pure arithmetic. */
#include "worklist.h"

#include <math.h>
#include <string.h>

void wl_layout_init(wl_layout *l, const uint64_t *points, uint64_t n_points, uint64_t rep_lo,
                    uint64_t rep_hi, uint64_t start, uint64_t cap)
{
    memset(l, 0, sizeof *l);
    l->points = points;
    l->n_points = n_points;
    l->rep_lo = rep_lo;
    l->nr = rep_hi - rep_lo;
    l->rows = n_points * l->nr;
    l->start = start;
    l->cap = cap;
    if (l->nr == 0 || n_points == 0 || start >= l->rows)
        return;
    l->q0 = start / l->nr;
    l->off = start % l->nr;
    l->first_n = l->off ? (l->nr - l->off + cap - 1) / cap : 0;
    l->per_point = (l->nr + cap - 1) / cap;
    uint64_t whole = n_points - l->q0 - (l->off ? 1 : 0);
    l->n_blocks = l->first_n + whole * l->per_point;
}

void wl_block(const wl_layout *l, uint64_t b, uint64_t *point, uint64_t *rep0, size_t *n)
{
    uint64_t k0, left;
    if (b < l->first_n) {
        k0 = l->q0 * l->nr + l->off + b * l->cap;
        left = l->nr - l->off - b * l->cap;
    } else {
        uint64_t bb = b - l->first_n;
        uint64_t q = l->q0 + (l->off ? 1 : 0) + bb / l->per_point, i = bb % l->per_point;
        k0 = q * l->nr + i * l->cap;
        left = l->nr - i * l->cap;
    }
    /* Row k0 of the round as (point, rep). */
    *point = l->points[k0 / l->nr];
    *rep0 = l->rep_lo + k0 % l->nr;
    *n = (size_t)(left < l->cap ? left : l->cap);
}

/* ---- the deal ----------------------------------------------------------- */

/* Rank 0 commits every rank's blocks besides computing (with --rows all it
 * writes their rows: about 1/WL_DEAL_W of a rank's time per other rank,
 * measured on the debate sweep with deflate level 1), so it is given that
 * much less. The deal decides
 * who computes, never what. */
static uint64_t deal_count(int rank, int ranks)
{
    if (rank != 0)
        return WL_DEAL_W;
    return ranks - 1 >= WL_DEAL_W ? 0 : (uint64_t)(WL_DEAL_W - (ranks - 1));
}

static uint64_t deal_period(int ranks)
{
    return deal_count(0, ranks) + (uint64_t)(ranks - 1) * WL_DEAL_W;
}

static uint64_t deal_start(int rank, int ranks)
{
    return rank == 0 ? 0 : deal_count(0, ranks) + (uint64_t)(rank - 1) * WL_DEAL_W;
}

int wl_deal_owner(uint64_t b, int ranks)
{
    uint64_t o = b % deal_period(ranks), w0 = deal_count(0, ranks);
    return o < w0 ? 0 : 1 + (int)((o - w0) / WL_DEAL_W);
}

uint64_t wl_deal_block(int rank, int ranks, uint64_t i)
{
    uint64_t cnt = deal_count(rank, ranks);
    return (i / cnt) * deal_period(ranks) + deal_start(rank, ranks) + i % cnt;
}

uint64_t wl_deal_local(uint64_t b, int rank, int ranks)
{
    uint64_t per = deal_period(ranks);
    return (b / per) * deal_count(rank, ranks) + (b % per - deal_start(rank, ranks));
}

uint64_t wl_deal_n_local(uint64_t n_blocks, int rank, int ranks)
{
    uint64_t per = deal_period(ranks), cnt = deal_count(rank, ranks), st = deal_start(rank, ranks);
    uint64_t rem = n_blocks % per, part = rem > st ? rem - st : 0;
    return (n_blocks / per) * cnt + (part < cnt ? part : cnt);
}

/* ---- the next --precision round ----------------------------------------- */

/* A pure function of the results so far (through width), so a --precision
 * run is deterministic for a seed whatever the threads and ranks. */
uint64_t wl_next_round(uint64_t *pts, uint64_t *n_pts, uint64_t have, uint64_t first_batch,
                       double precision, uint64_t max_reps,
                       double (*width)(void *ctx, uint64_t point), void *ctx)
{
    double need = 0;
    uint64_t k = 0;
    for (uint64_t q = 0; q < *n_pts; q++) {
        double w = width(ctx, pts[q]);
        if (w <= precision || have >= max_reps)
            continue;
        double f = (w / precision) * (w / precision);
        if (f * (double)have > need)
            need = f * (double)have;
        pts[k++] = pts[q];
    }
    uint64_t next = have + first_batch;
    if (need > (double)next)
        next = need > 4.0 * (double)have ? 4 * have : (uint64_t)ceil(need);
    if (next > max_reps)
        next = max_reps;
    *n_pts = k;
    return next;
}
