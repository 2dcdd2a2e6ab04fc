/* test_results.c — the results layer in process: the result layout
 * (result.h), the reader (results_read.h) and merge (merge.h), on small
 * runs of the mm1 model written by the runner.
 *
 * A merge of the shares of a run must be that run, bit for bit: the tests
 * write the whole run and its shares with the same scenario and compare
 * every group through the reader. Each test works in its own folder under
 * /tmp, removed afterwards.
 */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "merge.h"
#include "out.h"
#include "result.h"
#include "results_read.h"
#include "run.h"
#include "scn.h"
#include "stats.h"
#include "testresults.h"
#include "testutil.h"


/* ---- the layout on its own ------------------------------------------------- */

static void share_rows_in_point_rep_order(void **state)
{
    (void)state;
    res_share sh = {.point_lo = 2, .point_hi = 4, .rep_lo = 10, .rep_hi = 13};
    assert_int_equal(res_share_rows(&sh), 6);
    const uint64_t want[6][2] = {{2, 10}, {2, 11}, {2, 12}, {3, 10}, {3, 11}, {3, 12}};
    for (uint64_t k = 0; k < 6; k++) {
        uint64_t p, r;
        res_share_at(&sh, k, &p, &r);
        assert_int_equal(p, want[k][0]);
        assert_int_equal(r, want[k][1]);
    }
}

static void pack_unpack_round_trip(void **state)
{
    (void)state;
    const model_def *m = model_find("mm1");
    assert_non_null(m);
    assert_int_equal(res_row_size(m), RES_HEADER + 8 * 3);
    const int32_t outcomes[2] = {0, 0};
    const double values[6] = {0.25, 1.5, 200, NAN, 2.0, 7};
    unsigned char rows[2 * (RES_HEADER + 24)];
    res_pack(m, 7, 41, 2, outcomes, values, rows);
    for (int i = 0; i < 2; i++) {
        uint64_t p, rep;
        int32_t outcome;
        double v[3];
        res_unpack(m, rows + i * res_row_size(m), &p, &rep, &outcome, v);
        assert_int_equal(p, 7);
        assert_int_equal(rep, 41 + i);
        assert_int_equal(outcome, 0);
        for (int j = 0; j < 3; j++)
            assert_true(v[j] == values[i * 3 + j] || (isnan(v[j]) && isnan(values[i * 3 + j])));
    }
}

/* ---- a measure that never applies ------------------------------------------------ */

/* A NaN measure means "does not apply": when the first summary's measure
 * is NaN in every replication of a point, the point still has its
 * replications (acc_count), so its /summary rows are written — that row
 * with n = 0 and a NaN estimate, the others with their values. */
static void nan_first_measure_keeps_the_point(void **state)
{
    char path[256];
    in_dir(state, "nan.h5", path, sizeof path);
    scenario *s = load_mm1(-1);
    acc *a = acc_alloc(s);
    assert_non_null(a);
    for (uint64_t k = 0; k < REPS; k++) {
        const double never[3] = {NAN, 2.0 + (double)k, 0.0}, always[3] = {1.0, 2.0, 3.0};
        acc_add(a, 0, 0, never);
        acc_add(a, 1, 0, always);
    }
    assert_int_equal(acc_count(a, 0), REPS);
    assert_int_equal(acc_count(a, 1), REPS);
    err e;
    out_file *o = out_create(path, &e);
    assert_non_null(o);
    res_share sh = res_share_all(s);
    res_run_info ri = {1, 1, NULL, NULL};
    assert_true(res_begin(o, s, &sh, &ri, &e) >= 0);
    assert_int_equal(res_finish(o, s, &sh, a, POINTS * REPS, 0, 0.0, 1, &e), 0);
    assert_int_equal(out_commit(o, &e), 0);
    out_reader *r = must_open(path);
    summary_row *rows;
    size_t n;
    assert_int_equal(res_read_summary(r, &rows, &n, &e), 0);
    out_read_close(r);
    assert_int_equal(n, POINTS * (size_t)s->model->n_summaries);
    assert_int_equal(rows[0].point, 0);
    assert_string_equal(rows[0].name, "mean_wait_in_queue");
    assert_int_equal(rows[0].n, 0);
    assert_true(isnan(rows[0].estimate));
    assert_string_equal(rows[1].name, "mean_time_in_system");
    assert_int_equal(rows[1].n, REPS);
    assert_true(rows[1].estimate == 2.0 + (REPS - 1) / 2.0);
    free(rows);
    acc_free(a);
    scn_free(s);
}

/* ---- the reader on a run ------------------------------------------------------ */

static void reader_gives_every_group(void **state)
{
    char path[256];
    in_dir(state, "all.h5", path, sizeof path);
    scenario *s = load_mm1(-1);
    run_share(s, NULL, path);
    out_reader *r = must_open(path);
    err e;

    /* Root attributes, and the run's identity. */
    char *model = NULL;
    assert_int_equal(out_read_attr_str(r, "model", &model, &e), 0);
    assert_string_equal(model, "mm1");
    free(model);
    res_meta meta;
    assert_int_equal(res_meta_read(r, path, &meta, &e), 0);
    assert_int_equal(meta.seed, 5);
    assert_int_equal(meta.replications, REPS);
    assert_int_equal(meta.complete, 1);
    assert_int_equal(meta.done, POINTS * REPS);
    assert_int_equal(res_meta_match(&meta, s, path, &e), 0);
    res_meta_free(&meta);

    /* /points: the swept key and its values. */
    res_points pts;
    assert_int_equal(res_read_points(r, &pts, &e), 0);
    assert_int_equal(pts.n_points, POINTS);
    assert_int_equal(pts.n_keys, 1);
    assert_string_equal(pts.key[0], "mm1.mu");
    assert_false(pts.is_text[0]);
    assert_true(pts.value[0] == 1.0 && pts.value[1] == 2.0);
    assert_string_equal(res_points_text(&pts, 1, 0), "");
    res_points_free(&pts);

    /* /summary: every row of every point, as the accumulators give them. */
    summary_row *rows;
    size_t n;
    assert_int_equal(res_read_summary(r, &rows, &n, &e), 0);
    assert_int_equal(n, POINTS * (size_t)s->model->n_summaries);
    acc *a = acc_alloc(s);
    double v[3];
    for (size_t p = 0; p < POINTS; p++)
        for (uint64_t k = 0; k < REPS; k++) {
            int32_t outcome;
            assert_int_equal(run_one(s, p, k, &outcome, v, NULL, &e), 0);
            acc_add(a, p, outcome, v);
        }
    for (size_t i = 0; i < n; i++) {
        summary_row want;
        acc_summary(a, rows[i].point, (int)(i % 3), &want);
        assert_memory_equal(&rows[i], &want, sizeof want);
    }
    free(rows);

    /* /replications of point 1: its 12 rows, those run_one gives. */
    unsigned char *reps;
    assert_int_equal(res_read_replications(r, s->model, 1, &reps, &n, &e), 0);
    assert_int_equal(n, REPS);
    for (size_t i = 0; i < n; i++) {
        uint64_t p, rep;
        int32_t outcome, want_outcome;
        double got[3];
        res_unpack(s->model, reps + i * res_row_size(s->model), &p, &rep, &outcome, got);
        assert_int_equal(p, 1);
        assert_int_equal(rep, i);
        assert_int_equal(run_one(s, 1, i, &want_outcome, v, NULL, &e), 0);
        assert_memory_equal(got, v, sizeof v);
    }
    free(reps);
    assert_int_equal(res_read_replications(r, s->model, 2, &reps, &n, &e), 0);
    assert_int_equal(n, 0); /* no such point: no rows */
    assert_null(reps);

    /* /histograms: each point's values, binned or counted apart. */
    res_histogram h;
    assert_int_equal(res_read_histogram(r, "mean_wait_in_queue", &h, &e), 0);
    assert_int_equal(h.n_points, POINTS);
    assert_int_equal(h.bins, 60);
    for (size_t p = 0; p < POINTS; p++) {
        uint64_t sum = 0;
        for (size_t b = 0; b < h.bins; b++)
            sum += h.counts[p * h.bins + b];
        assert_int_equal(sum + (uint64_t)(h.below[p] + h.above[p] + h.missing[p]), REPS);
        assert_true(h.edges[p * (h.bins + 1)] < h.edges[p * (h.bins + 1) + h.bins]);
    }
    res_histogram_free(&h);
    assert_int_equal(res_read_histogram(r, "customers_served", &h, &e), -1);
    assert_non_null(strstr(e.msg, "/histograms/customers_served"));

    /* No /sensitivity in a grid's result. */
    assert_int_equal(out_read_exists(r, "/sensitivity"), 0);
    assert_int_equal(out_read_exists(r, "/histograms/mean_wait_in_queue"), 1);
    assert_int_equal(out_read_exists(r, "/histograms/nothing"), 0);
    acc_free(a);
    out_read_close(r);
    scn_free(s);
}

/* ---- merge ----------------------------------------------------------------------- */

/* Every group of a and b the same, row for row and bit for bit. */
static void same_result(const char *a_path, const char *b_path, const model_def *m)
{
    out_reader *a = must_open(a_path), *b = must_open(b_path);
    err e;
    summary_row *sa, *sb;
    size_t na, nb;
    assert_int_equal(res_read_summary(a, &sa, &na, &e), 0);
    assert_int_equal(res_read_summary(b, &sb, &nb, &e), 0);
    assert_int_equal(na, nb);
    assert_memory_equal(sa, sb, na * sizeof *sa);
    free(sa);
    free(sb);
    for (uint64_t p = 0; p < POINTS; p++) {
        unsigned char *ra, *rb;
        assert_int_equal(res_read_replications(a, m, p, &ra, &na, &e), 0);
        assert_int_equal(res_read_replications(b, m, p, &rb, &nb, &e), 0);
        assert_int_equal(na, REPS);
        assert_int_equal(nb, REPS);
        assert_memory_equal(ra, rb, na * res_row_size(m));
        free(ra);
        free(rb);
    }
    res_histogram ha, hb;
    assert_int_equal(res_read_histogram(a, "mean_wait_in_queue", &ha, &e), 0);
    assert_int_equal(res_read_histogram(b, "mean_wait_in_queue", &hb, &e), 0);
    assert_memory_equal(ha.counts, hb.counts, POINTS * ha.bins * sizeof *ha.counts);
    assert_memory_equal(ha.edges, hb.edges, POINTS * (ha.bins + 1) * sizeof *ha.edges);
    assert_memory_equal(ha.missing, hb.missing, POINTS * sizeof *ha.missing);
    res_histogram_free(&ha);
    res_histogram_free(&hb);
    res_points pa, pb;
    assert_int_equal(res_read_points(a, &pa, &e), 0);
    assert_int_equal(res_read_points(b, &pb, &e), 0);
    assert_memory_equal(pa.value, pb.value, POINTS * sizeof *pa.value);
    res_points_free(&pa);
    res_points_free(&pb);
    out_read_close(a);
    out_read_close(b);
}

static void merge_of_shares_is_the_run(void **state)
{
    scenario *s = load_mm1(-1);
    char all[256], p0[256], p1[256], r0[256], r1[256], by_points[256], by_reps[256];
    run_share(s, NULL, in_dir(state, "all.h5", all, sizeof all));
    const res_share shares[4] = {{0, 1, 0, REPS}, {1, 2, 0, REPS}, {0, 2, 0, 5},
                                 {0, 2, 5, REPS}};
    run_share(s, &shares[0], in_dir(state, "p0.h5", p0, sizeof p0));
    run_share(s, &shares[1], in_dir(state, "p1.h5", p1, sizeof p1));
    run_share(s, &shares[2], in_dir(state, "r0.h5", r0, sizeof r0));
    run_share(s, &shares[3], in_dir(state, "r1.h5", r1, sizeof r1));
    err e;
    merge_report mr;
    const char *points_in[] = {p1, p0}; /* any order */
    assert_int_equal(merge_results(points_in, 2, in_dir(state, "mp.h5", by_points,
                                                         sizeof by_points), &mr, &e), 0);
    assert_int_equal(mr.rows, POINTS * REPS);
    assert_int_equal(mr.points, POINTS);
    const char *reps_in[] = {r0, r1};
    assert_int_equal(merge_results(reps_in, 2, in_dir(state, "mr.h5", by_reps, sizeof by_reps),
                                   &mr, &e), 0);
    same_result(all, by_points, s->model);
    same_result(all, by_reps, s->model);

    scn_free(s);
}

static void merge_refuses_what_is_not_one_run(void **state)
{
    scenario *s = load_mm1(-1), *other = load_mm1(6);
    char a[256], b[256], c[256], d[256], out[256];
    const res_share first = {0, 2, 0, 7}, overlapping = {0, 2, 5, REPS}, rest = {0, 2, 7, REPS};
    run_share(s, &first, in_dir(state, "a.h5", a, sizeof a));
    run_share(s, &overlapping, in_dir(state, "b.h5", b, sizeof b));
    run_share(other, &rest, in_dir(state, "c.h5", c, sizeof c));
    run_share(s, &rest, in_dir(state, "d.h5", d, sizeof d));
    in_dir(state, "out.h5", out, sizeof out);
    err e;
    merge_report mr;

    const char *overlap[] = {a, b};
    err_clear(&e);
    assert_int_equal(merge_results(overlap, 2, out, &mr, &e), -1);
    assert_int_equal(e.kind, ERR_INPUT);
    assert_non_null(strstr(e.msg, "overlaps"));

    const char *seeds[] = {a, c};
    err_clear(&e);
    assert_int_equal(merge_results(seeds, 2, out, &mr, &e), -1);
    assert_int_equal(e.kind, ERR_INPUT);
    assert_non_null(strstr(e.msg, "the seed differs"));

    const char *part[] = {a};
    err_clear(&e);
    assert_int_equal(merge_results(part, 1, out, &mr, &e), -1);
    assert_int_equal(e.kind, ERR_INPUT);
    assert_non_null(strstr(e.msg, "merge every share"));

    const char *into_input[] = {a, d};
    err_clear(&e);
    assert_int_equal(merge_results(into_input, 2, a, &mr, &e), -1);
    assert_int_equal(e.kind, ERR_INPUT);
    assert_non_null(strstr(e.msg, "is also an input"));

    /* Nothing was written by the refusals; the right pair merges. */
    FILE *none = fopen(out, "rb");
    assert_null(none);
    const char *whole[] = {d, a};
    assert_int_equal(merge_results(whole, 2, out, &mr, &e), 0);
    assert_int_equal(mr.rows, POINTS * REPS);
    scn_free(s);
    scn_free(other);
}

/* A watch that asks the merge to stop the n-th time it is asked, and
 * records the files it is told to remove on a second signal. */
typedef struct fake_watch {
    int asked, stop_at;
    char tmp[512];
    int named, cleared;
} fake_watch;

static int fake_stopped(void *ctx)
{
    fake_watch *f = ctx;
    return ++f->asked >= f->stop_at ? SIGTERM : 0;
}

static void fake_files(void *ctx, const char *tmp, const char *lock)
{
    fake_watch *f = ctx;
    if (tmp != NULL && lock != NULL) {
        snprintf(f->tmp, sizeof f->tmp, "%s", tmp);
        f->named++;
    } else {
        f->cleared++;
    }
}

/* Issue 17: merge handled no signal (SIGTERM left a 17.7 MB temporary file
 * and the lock). Asked to stop between points, or just before the commit,
 * a merge writes nothing and leaves no temporary file or lock; it named
 * them for a second signal while they existed, and no longer after. */
static void merge_stops_and_cleans_up(void **state)
{
    scenario *s = load_mm1(-1);
    char p0[256], p1[256], out[256], lock[256];
    const res_share shares[2] = {{0, 1, 0, REPS}, {1, 2, 0, REPS}};
    run_share(s, &shares[0], in_dir(state, "p0.h5", p0, sizeof p0));
    run_share(s, &shares[1], in_dir(state, "p1.h5", p1, sizeof p1));
    in_dir(state, "m.h5", out, sizeof out);
    in_dir(state, ".m.h5.lock", lock, sizeof lock);
    const char *in[] = {p0, p1};
    for (int at = 1; at <= POINTS + 1; at++) { /* each point, then the commit */
        fake_watch f = {.stop_at = at};
        merge_watch w = {fake_stopped, fake_files, &f};
        merge_report mr;
        err e;
        err_clear(&e);
        assert_int_equal(merge_results_watched(in, 2, out, &w, &mr, &e), -1);
        assert_int_equal(mr.stopped, SIGTERM);
        assert_int_equal(e.kind, ERR_RUNTIME);
        assert_non_null(strstr(e.msg, "nothing written"));
        assert_int_equal(f.named, 1);
        assert_int_equal(f.cleared, 1);
        assert_non_null(strstr(f.tmp, ".m.h5.tmp."));
        assert_int_equal(access(out, F_OK), -1);
        assert_int_equal(access(f.tmp, F_OK), -1);
        assert_int_equal(access(lock, F_OK), -1);
    }
    /* Never asked to stop: the merge is written. */
    fake_watch f = {.stop_at = 1000000};
    merge_watch w = {fake_stopped, fake_files, &f};
    merge_report mr;
    err e;
    assert_int_equal(merge_results_watched(in, 2, out, &w, &mr, &e), 0);
    assert_int_equal(mr.stopped, 0);
    assert_int_equal(access(out, F_OK), 0);
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(share_rows_in_point_rep_order),
        cmocka_unit_test(pack_unpack_round_trip),
        cmocka_unit_test_setup_teardown(nan_first_measure_keeps_the_point, setup, teardown),
        cmocka_unit_test_setup_teardown(reader_gives_every_group, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_of_shares_is_the_run, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_refuses_what_is_not_one_run, setup, teardown),
        cmocka_unit_test_setup_teardown(merge_stops_and_cleans_up, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
