/* test_worklist.c — the runner's work list (sim/run/worklist.h): every row
 * in exactly one block, in (point, rep) order, for whole runs, shares,
 * resumed runs and --precision rounds; every block dealt to exactly one of
 * 1 to 64 ranks, deal and undeal inverse; the next --precision round. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "../sim/run/worklist.h"
#include "run.h"
#include "stats.h"

/* Checks a layout against its definition: block after block, the rows
 * start..rows-1 of the round in order, each row once; no block crosses a
 * point or exceeds cap; a point's blocks are cut alike from its first rep
 * (or from the resume offset in the partly done point). */
static void check_layout(const uint64_t *points, uint64_t n_points, uint64_t rep_lo,
                         uint64_t rep_hi, uint64_t start, uint64_t cap)
{
    wl_layout l;
    wl_layout_init(&l, points, n_points, rep_lo, rep_hi, start, cap);
    uint64_t nr = rep_hi - rep_lo, rows = n_points * nr;
    uint64_t k = start; /* the next row expected */
    for (uint64_t b = 0; b < l.n_blocks; b++) {
        uint64_t point, rep0;
        size_t n;
        wl_block(&l, b, &point, &rep0, &n);
        assert_true(n >= 1 && n <= cap);
        assert_true(k < rows);
        assert_int_equal(point, points[k / nr]);
        assert_int_equal(rep0, rep_lo + k % nr);
        assert_true(rep0 + n <= rep_hi); /* within one point */
        /* cut alike: a block is full unless it ends its point */
        assert_true(n == cap || rep0 + n == rep_hi);
        k += n;
    }
    assert_int_equal(k, start < rows ? rows : start); /* every row, once */
    if (start >= rows)
        assert_int_equal(l.n_blocks, 0);
}

static const uint64_t ALL[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                               12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};

/* A whole run: every point, replications 0..nr, blocks of several sizes. */
static void layout_whole_run(void **st)
{
    (void)st;
    uint64_t caps[] = {1, 2, 3, 7, 64, 1000, 1024, 4000, 5000};
    for (size_t c = 0; c < sizeof caps / sizeof *caps; c++) {
        check_layout(ALL, 24, 0, 4000, 0, caps[c]);
        check_layout(ALL, 1, 0, 1, 0, caps[c]);
        check_layout(ALL, 3, 0, 17, 0, caps[c]);
    }
    wl_layout l;
    wl_layout_init(&l, ALL, 24, 0, 4000, 0, 1024);
    assert_int_equal(l.n_blocks, 24 * 4); /* 1024, 1024, 1024, 928 per point */
}

/* Shares (--points A:B, --replications A:B): points from A, reps from A. */
static void layout_shares(void **st)
{
    (void)st;
    check_layout(ALL + 7, 17, 0, 2500, 0, 1024);
    check_layout(ALL + 7, 17, 2500, 4000, 0, 1024);
    check_layout(ALL, 7, 0, 4000, 0, 333);
    check_layout(ALL + 23, 1, 1999, 2000, 0, 1);
}

/* Resumed runs: from any row, including a point boundary and the end. */
static void layout_resume(void **st)
{
    (void)st;
    uint64_t nr = 50, rows = 24 * nr;
    for (uint64_t start = 0; start <= rows + 1; start++) {
        check_layout(ALL, 24, 0, nr, start, 7);
        check_layout(ALL, 24, 0, nr, start, 50);
        check_layout(ALL + 5, 6, 100, 100 + nr, start < 6 * nr ? start : 6 * nr, 16);
    }
    wl_layout l;
    wl_layout_init(&l, ALL, 24, 0, 50, 3 * 50 + 10, 16); /* 40 left of point 3: 16, 16, 8 */
    assert_int_equal(l.first_n, 3);
    assert_int_equal(l.n_blocks, 3 + 20 * 4);
}

/* --precision rounds: a later round lays out the points still too wide (any
 * ascending subset) with replications [have, next). */
static void layout_precision_rounds(void **st)
{
    (void)st;
    static const uint64_t wide[] = {0, 3, 4, 17, 23};
    check_layout(wide, 5, 200, 650, 0, 150);
    check_layout(wide, 5, 200, 650, 0, 450);
    check_layout(wide + 3, 1, 800, 3200, 0, 1024);
    check_layout(wide, 0, 200, 400, 0, 10); /* no point left: no blocks */
    check_layout(wide, 5, 400, 400, 0, 10); /* no replication: no blocks */
}

/* Every block owned by exactly one rank; a rank's blocks in global order;
 * deal and undeal inverse; rank 0 takes WL_DEAL_W - (ranks - 1) a cycle. */
static void deal_every_block_once(void **st)
{
    (void)st;
    uint64_t counts[] = {0, 1, 5, 8, 9, 63, 64, 65, 200, 511, 1000, 1537};
    for (int ranks = 1; ranks <= 64; ranks++) {
        for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
            uint64_t n = counts[c];
            unsigned char *seen = calloc(n ? n : 1, 1);
            assert_non_null(seen);
            uint64_t total = 0;
            for (int rank = 0; rank < ranks; rank++) {
                uint64_t n_local = wl_deal_n_local(n, rank, ranks);
                total += n_local;
                for (uint64_t i = 0; i < n_local; i++) {
                    uint64_t b = wl_deal_block(rank, ranks, i);
                    assert_true(b < n);
                    assert_int_equal(wl_deal_owner(b, ranks), rank);
                    assert_int_equal(wl_deal_local(b, rank, ranks), i);
                    if (i > 0)
                        assert_true(b > wl_deal_block(rank, ranks, i - 1));
                    seen[b]++;
                }
            }
            assert_int_equal(total, n);
            for (uint64_t b = 0; b < n; b++) {
                assert_int_equal(seen[b], 1);
                int o = wl_deal_owner(b, ranks);
                assert_true(o >= 0 && o < ranks);
                assert_int_equal(wl_deal_block(o, ranks, wl_deal_local(b, o, ranks)), b);
            }
            free(seen);
        }
        /* One cycle: rank 0's share shrinks as ranks grow, then vanishes. */
        uint64_t zero = ranks - 1 >= WL_DEAL_W ? 0 : (uint64_t)(WL_DEAL_W - (ranks - 1));
        uint64_t period = zero + (uint64_t)(ranks - 1) * WL_DEAL_W;
        assert_int_equal(wl_deal_n_local(period, 0, ranks), zero);
        for (int rank = 1; rank < ranks; rank++)
            assert_int_equal(wl_deal_n_local(period, rank, ranks), WL_DEAL_W);
    }
    assert_int_equal(wl_deal_n_local(1000, 0, 1), 1000); /* one process: all of it */
}

/* A share dealt to ranks: every row of the share computed exactly once. */
static void deal_share_rows_once(void **st)
{
    (void)st;
    uint64_t nr = 37, npts = 10, rep_lo = 100;
    for (int ranks = 1; ranks <= 64; ranks++) {
        wl_layout l;
        wl_layout_init(&l, ALL + 7, npts, rep_lo, rep_lo + nr, 5, 4);
        unsigned char seen[10 * 37] = {0};
        for (int rank = 0; rank < ranks; rank++)
            for (uint64_t i = 0; i < wl_deal_n_local(l.n_blocks, rank, ranks); i++) {
                uint64_t point, rep0;
                size_t n;
                wl_block(&l, wl_deal_block(rank, ranks, i), &point, &rep0, &n);
                for (size_t k = 0; k < n; k++)
                    seen[(point - 7) * nr + rep0 - rep_lo + k]++;
            }
        for (uint64_t k = 0; k < npts * nr; k++)
            assert_int_equal(seen[k], k < 5 ? 0 : 1); /* the first 5 rows were resumed */
    }
}

/* ---- the next --precision round ----------------------------------------- */

typedef struct widths {
    double w[24];
    int asked[24];
} widths;

static double width_of(void *ctx, uint64_t p)
{
    widths *w = ctx;
    w->asked[p]++;
    return w->w[p];
}

/* P = 0.25 and half-widths that are multiples of 1/8 keep (w/P)^2 exact. */
static void next_round_rule(void **st)
{
    (void)st;
    widths w = {{0.125, 0.375, 0.25, 0.5}, {0}};
    uint64_t pts[] = {0, 1, 2, 3}, n = 4;
    /* 0.125 and 0.25 are narrow enough; 0.375 needs 2.25x, 0.5 needs 4x. */
    uint64_t next = wl_next_round(pts, &n, 200, 200, 0.25, 1000000, width_of, &w);
    assert_int_equal(n, 2);
    assert_int_equal(pts[0], 1);
    assert_int_equal(pts[1], 3);
    assert_int_equal(next, 800); /* need 800 = 4 x 200: allowed */
    for (int p = 0; p < 4; p++)
        assert_int_equal(w.asked[p], 1);

    /* The widest sets the count: 2.25 x 200 = 450. */
    uint64_t p1[] = {1}, n1 = 1;
    assert_int_equal(wl_next_round(p1, &n1, 200, 200, 0.25, 1000000, width_of, &w), 450);
    assert_int_equal(n1, 1);
    /* At least one more first batch: 2.25 x 100 = 225 < 100 + 200. */
    n1 = 1;
    assert_int_equal(wl_next_round(p1, &n1, 100, 200, 0.25, 1000000, width_of, &w), 300);
    /* At most four times as many: 0.625 needs 6.25x. */
    w.w[5] = 0.625;
    uint64_t p5[] = {5}, n5 = 1;
    assert_int_equal(wl_next_round(p5, &n5, 200, 200, 0.25, 1000000, width_of, &w), 800);
    /* Never past the cap; a point at the cap is done. */
    n5 = 1;
    assert_int_equal(wl_next_round(p5, &n5, 200, 200, 0.25, 500, width_of, &w), 500);
    assert_int_equal(n5, 1);
    n5 = 1;
    wl_next_round(p5, &n5, 500, 200, 0.25, 500, width_of, &w);
    assert_int_equal(n5, 0);
    /* Everything narrow: the run is done. */
    uint64_t p02[] = {0, 2}, n02 = 2;
    wl_next_round(p02, &n02, 200, 200, 0.25, 1000000, width_of, &w);
    assert_int_equal(n02, 0);
}

/* A later round of a --precision run, laid out from the decision: the kept
 * points, replications [have, next). */
static void next_round_layout(void **st)
{
    (void)st;
    widths w = {{0.5, 0.125, 0.375, 0.125, 0.5}, {0}};
    uint64_t pts[] = {0, 1, 2, 3, 4}, n = 5;
    uint64_t next = wl_next_round(pts, &n, 200, 200, 0.25, 1000000, width_of, &w);
    assert_int_equal(n, 3);
    uint64_t cap = acc_fold_reps(n * (next - 200), next - 200);
    check_layout(pts, n, 200, next, 0, cap);
}

/* The time left counts this session's work only: replications resumed
 * from the file took none of its seconds (the ETA after --resume). */
static void seconds_left_at_this_sessions_rate(void **st)
{
    (void)st;
    assert_true(run_seconds_left(100, 1000, 0, 10.0) == 90.0);   /* 10/s: 900 left */
    assert_true(run_seconds_left(100, 1000, 50, 10.0) == 180.0); /* 5/s this session */
    assert_true(run_seconds_left(50, 1000, 50, 10.0) == 0.0);    /* nothing computed yet */
    assert_true(run_seconds_left(1000, 1000, 0, 10.0) == 0.0);   /* done */
    assert_true(run_seconds_left(100, 1000, 0, 0.0) == 0.0);     /* no time yet */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(layout_whole_run),
        cmocka_unit_test(layout_shares),
        cmocka_unit_test(layout_resume),
        cmocka_unit_test(layout_precision_rounds),
        cmocka_unit_test(deal_every_block_once),
        cmocka_unit_test(deal_share_rows_once),
        cmocka_unit_test(next_round_rule),
        cmocka_unit_test(next_round_layout),
        cmocka_unit_test(seconds_left_at_this_sessions_rate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
