/* test_fold.c — the fold in blocks (stats.h): a block folded where it was
 * computed (acc_block) and combined in order (acc_merge) gives the bits
 * that acc_add gives folding the same rows one by one with the same grid,
 * whatever the block size; the block's wire form carries all of it; the
 * saved state (acc_save, acc_load) goes on as if never stopped, the paired
 * contrasts of an uncertainty design included; acc_fold_reps depends on
 * the run's shape only.
 *
 * Rows come from the models themselves (run_one): the reassurance model's
 * baseline, whose measures have histograms and NaN "does not apply"
 * values, and the crossover validation model's worlds.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pairs.h"
#include "run.h"
#include "scn.h"
#include "stats.h"

enum { NR = 120, MAX_MEASURES = 64 };

typedef struct rows {
    const scenario *s;
    size_t points;
    int32_t *outcomes; /* [point][rep] */
    double *values;    /* [point][rep][measure] */
} rows;

static scenario *load(const char *path, int64_t reps)
{
    scn_overrides ov = {.replications = reps, .seed = 11};
    err e;
    scenario *s = scn_load(path, &ov, &e);
    if (s == NULL)
        fail_msg("%s: %s", path, e.msg);
    return s;
}

static void make_rows(rows *r, const scenario *s, size_t points)
{
    size_t nm = (size_t)s->model->n_measures;
    r->s = s;
    r->points = points;
    r->outcomes = calloc(points * NR, sizeof *r->outcomes);
    r->values = calloc(points * NR * nm, sizeof *r->values);
    assert_non_null(r->outcomes);
    assert_non_null(r->values);
    err e;
    for (size_t p = 0; p < points; p++)
        for (uint64_t k = 0; k < NR; k++)
            assert_int_equal(run_one(s, p, k, &r->outcomes[p * NR + k],
                                     &r->values[(p * NR + k) * nm], NULL, &e), 0);
}

static void free_rows(rows *r)
{
    free(r->outcomes);
    free(r->values);
}

/* One by one: acc_add with the grid of blocks of cap. */
static acc *by_rows(const rows *r, uint64_t cap)
{
    acc *a = acc_alloc(r->s);
    assert_non_null(a);
    acc_grid(a, 0, NR, cap);
    size_t nm = (size_t)r->s->model->n_measures;
    for (size_t p = 0; p < r->points; p++)
        for (size_t k = 0; k < NR; k++)
            acc_add(a, p, r->outcomes[p * NR + k], &r->values[(p * NR + k) * nm]);
    return a;
}

/* Block by block, each block's wire form copied into another acc_block
 * (as a message would carry it) before it is combined. */
static acc *by_blocks(const rows *r, uint64_t cap)
{
    const model_def *m = r->s->model;
    size_t nm = (size_t)m->n_measures;
    acc *a = acc_alloc(r->s);
    acc_block *b = acc_block_alloc(m), *inbox = acc_block_alloc(m);
    void *params = malloc(m->params_size);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(inbox);
    assert_non_null(params);
    for (size_t p = 0; p < r->points; p++) {
        scn_point(r->s, p, params);
        for (size_t k0 = 0; k0 < NR; k0 += cap) {
            size_t n = NR - k0 < cap ? NR - k0 : cap;
            acc_block_start(b, m, p, params);
            for (size_t k = k0; k < k0 + n; k++)
                acc_block_add(b, r->outcomes[p * NR + k], &r->values[(p * NR + k) * nm]);
            size_t bytes, bytes2;
            void *w = acc_block_wire(b, &bytes), *w2 = acc_block_wire(inbox, &bytes2);
            assert_int_equal(bytes, bytes2);
            memcpy(w2, w, bytes);
            assert_int_equal(acc_block_point(inbox), p);
            assert_int_equal(acc_block_count(inbox), n);
            acc_merge(a, inbox, &r->outcomes[p * NR + k0], &r->values[(p * NR + k0) * nm]);
        }
    }
    free(params);
    acc_block_free(b);
    acc_block_free(inbox);
    return a;
}

/* Every summary row and histogram count of every point, bit for bit. */
static void assert_same(const acc *x, const acc *y, const scenario *s, size_t points)
{
    const model_def *m = s->model;
    for (size_t p = 0; p < points; p++) {
        assert_int_equal(acc_count(x, p), acc_count(y, p));
        for (int i = 0; i < m->n_summaries; i++) {
            summary_row a, b;
            acc_summary(x, p, i, &a);
            acc_summary(y, p, i, &b);
            assert_memory_equal(&a, &b, sizeof a);
        }
        for (int j = 0; j < m->n_measures; j++) {
            if (acc_hist_bins(x, j) <= 0)
                continue;
            uint64_t u[3], v[3];
            acc_hist(x, j, p, &u[0], &u[1], &u[2]);
            acc_hist(y, j, p, &v[0], &v[1], &v[2]);
            assert_memory_equal(u, v, sizeof u);
            const double *ex, *ey;
            const uint64_t *cx, *cy;
            acc_hist_blocks(x, j, &ex, &cx);
            acc_hist_blocks(y, j, &ey, &cy);
            size_t bins = (size_t)acc_hist_bins(x, j);
            assert_memory_equal(cx, cy, points * bins * sizeof *cx);
        }
    }
}

static void blocks_fold_as_rows_do(void **state)
{
    (void)state;
    scenario *s = load("scenarios/baseline.cfg", NR);
    rows r;
    make_rows(&r, s, s->n_points);
    const uint64_t caps[] = {1, 7, 64, NR};
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        acc *a = by_rows(&r, caps[c]), *b = by_blocks(&r, caps[c]);
        assert_same(a, b, s, s->n_points);
        acc_free(a);
        acc_free(b);
    }
    free_rows(&r);
    scn_free(s);
}

/* The block size moves a mean only by rounding; counts not at all. A test
 * that the grid is applied at all: some mean's last bits differ. */
static void block_size_moves_means_by_rounding_only(void **state)
{
    (void)state;
    scenario *s = load("scenarios/baseline.cfg", NR);
    rows r;
    make_rows(&r, s, s->n_points);
    acc *a = by_rows(&r, 1), *b = by_rows(&r, NR);
    int differ = 0;
    for (size_t p = 0; p < s->n_points; p++)
        for (int i = 0; i < s->model->n_summaries; i++) {
            summary_row x, y;
            acc_summary(a, p, i, &x);
            acc_summary(b, p, i, &y);
            assert_int_equal(x.n, y.n);
            if (s->model->summaries[i].kind != SUMMARY_MEAN || x.n == 0) {
                assert_memory_equal(&x, &y, sizeof x);
                continue;
            }
            assert_true(fabs(x.estimate - y.estimate) <= 1e-12 * (1 + fabs(y.estimate)));
            differ += x.estimate != y.estimate || x.ci_low != y.ci_low;
        }
    assert_true(differ > 0);
    acc_free(a);
    acc_free(b);
    free_rows(&r);
    scn_free(s);
}

/* Saved half way and loaded into a new accumulator, the fold goes on to
 * the bits of one that never stopped: the paired contrasts of the
 * crossover's uncertainty design (kept reference values, sums) too. */
static void saved_state_goes_on(void **state)
{
    (void)state;
    scenario *s = load("tests/scenarios/crossover.cfg", NR);
    rows r;
    size_t points = s->n_points;
    make_rows(&r, s, points);
    acc *whole = by_rows(&r, 16);
    assert_true(pairs_ready(acc_pairs(whole)));

    acc *half = acc_alloc(s);
    acc_grid(half, 0, NR, 16);
    size_t nm = (size_t)s->model->n_measures;
    for (size_t p = 0; p < points / 2; p++)
        for (size_t k = 0; k < NR; k++)
            acc_add(half, p, r.outcomes[p * NR + k], &r.values[(p * NR + k) * nm]);
    size_t n = acc_state_words(half);
    uint64_t *w = malloc(n * sizeof *w);
    assert_non_null(w);
    acc_save(half, w);
    acc *again = acc_alloc(s);
    assert_int_equal(acc_load(again, w, n - 1), -1); /* short */
    w[0] ^= 1;
    assert_int_equal(acc_load(again, w, n), -1);      /* not a state */
    w[0] ^= 1;
    assert_int_equal(acc_load(again, w, n), 0);
    acc_grid(again, 0, NR, 16);
    for (size_t p = points / 2; p < points; p++)
        for (size_t k = 0; k < NR; k++)
            acc_add(again, p, r.outcomes[p * NR + k], &r.values[(p * NR + k) * nm]);
    assert_same(whole, again, s, points);
    assert_true(pairs_ready(acc_pairs(again)));
    for (size_t p = 0; p < points; p++) {
        contrast_row x[CONTRAST_MAX_ROWS], y[CONTRAST_MAX_ROWS];
        size_t k = pairs_contrast(acc_pairs(whole), p, x);
        assert_int_equal(pairs_contrast(acc_pairs(again), p, y), k);
        assert_memory_equal(x, y, k * sizeof *x);
    }
    free(w);
    acc_free(whole);
    acc_free(half);
    acc_free(again);
    free_rows(&r);
    scn_free(s);
}

/* The blocks' size is the run's shape's alone: the same for every thread
 * and rank count (it takes none), within [1, min(nr, 1024)]. */
static void fold_reps_rule(void **state)
{
    (void)state;
    assert_int_equal(acc_fold_reps(96000, 4000), 1024);
    assert_int_equal(acc_fold_reps(9600, 400), 400);
    assert_int_equal(acc_fold_reps(4800, 200), 200);
    assert_int_equal(acc_fold_reps(1600, 400), 100);
    assert_int_equal(acc_fold_reps(10, 10), 1);
    assert_int_equal(acc_fold_reps(0, 0), 1);
    assert_int_equal(acc_fold_reps(24 * 1000000ULL, 1000000), 1464);    /* 24e6 / 16384 */
    assert_int_equal(acc_fold_reps(24 * 10000000ULL, 10000000), 8192);  /* the debate at 10^7 */
    assert_int_equal(acc_fold_reps(24 * 10000000ULL, 5000), 5000);
    assert_int_equal(acc_fold_reps(400 * 10000ULL, 10000), 1024);       /* options at 10^4 */
    for (uint64_t nr = 1; nr < 3000; nr += 37)
        for (uint64_t pts = 1; pts < 200; pts += 13) {
            uint64_t c = acc_fold_reps(pts * nr, nr);
            assert_true(c >= 1 && c <= nr && c <= 8192);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blocks_fold_as_rows_do),
        cmocka_unit_test(block_size_moves_means_by_rounding_only),
        cmocka_unit_test(saved_state_goes_on),
        cmocka_unit_test(fold_reps_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
