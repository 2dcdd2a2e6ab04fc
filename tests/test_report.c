/* test_report.c — the summary table and CSV (report.h) in process, read
 * through the results reader: what it prints of a small mm1 run, and how
 * it fails on what is not a result (the messages `reassure summary` shows).
 *
 * report.c is a CLI source, which the Makefile keeps out of the library
 * the tests link: it is compiled into this test instead.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Before cmocka.h, whose fail() macro would rename report.c's fail(). */
#include "../sim/cli/report.c"
#include "../sim/cli/report_unc.c"

#include <cmocka.h>

#include "out.h"
#include "result.h"
#include "results_read.h"
#include "run.h"
#include "scn.h"
#include "testresults.h"
#include "testutil.h"


/* ---- the summary table's reading ---------------------------------------------------- */

static void report_reads_only_results(void **state)
{
    char path[256], junk[256], bare[256];
    scenario *s = load_mm1(-1);
    run_share(s, NULL, in_dir(state, "all.h5", path, sizeof path));
    err e;

    /* The CSV is /summary with the swept values, every bit kept. */
    char *csv = NULL;
    size_t len;
    FILE *f = open_memstream(&csv, &len);
    assert_int_equal(report_print(path, 1, f, &e), 0);
    fclose(f);
    out_reader *r = must_open(path);
    summary_row *rows;
    size_t n;
    assert_int_equal(res_read_summary(r, &rows, &n, &e), 0);
    out_read_close(r);
    char *line = strchr(csv, '\n');
    assert_non_null(line);
    assert_true(strncmp(csv, "point,mm1.mu,name,estimate", 26) == 0);
    for (size_t i = 0; i < n; i++) {
        unsigned point;
        double mu, est;
        char name[64];
        assert_int_equal(sscanf(line + 1, "%u,%lf,%63[^,],%lf", &point, &mu, name, &est), 4);
        assert_int_equal(point, rows[i].point);
        assert_true(mu == (point == 0 ? 1.0 : 2.0));
        assert_string_equal(name, rows[i].name);
        assert_true(est == rows[i].estimate || (isnan(est) && isnan(rows[i].estimate)));
        line = strchr(line + 1, '\n');
        assert_non_null(line);
    }
    assert_int_equal(line[1], '\0');
    free(rows);
    free(csv);

    /* The table: a heading, then every statistic of every point. */
    char *table = NULL;
    f = open_memstream(&table, &len);
    assert_int_equal(report_print(path, 0, f, &e), 0);
    fclose(f);
    assert_true(strncmp(table, "mm1: 2 points x 12 replications, seed 5\nswept: mm1.mu\n", 52) ==
                0);
    assert_non_null(strstr(table, "point 1: mm1.mu = 2\n  mean_wait_in_queue"));
    free(table);

    /* What is not a result fails, naming the file and why. */
    err_clear(&e);
    assert_int_equal(report_print(in_dir(state, "none.h5", junk, sizeof junk), 0, stdout, &e),
                     -1);
    assert_int_equal(e.kind, ERR_RUNTIME);
    assert_string_equal(e.file, junk);
    assert_string_equal(e.msg, "cannot open the result file");
    f = fopen(in_dir(state, "junk.h5", junk, sizeof junk), "w");
    fputs("not HDF5 at all\n", f);
    fclose(f);
    assert_int_equal(report_print(junk, 0, stdout, &e), -1);
    assert_string_equal(e.msg, "not a readable HDF5 file (truncated, or not a result?)");
    /* An HDF5 file that is not a result, then one with no /summary. */
    out_file *o = out_create(in_dir(state, "bare.h5", bare, sizeof bare), &e);
    assert_non_null(o);
    assert_int_equal(out_attr_i64(o, "/", "seed", 1, &e), 0);
    assert_int_equal(out_commit(o, &e), 0);
    assert_int_equal(report_print(bare, 1, stdout, &e), -1);
    assert_string_equal(e.msg, "not a reassure result: no `model` attribute");
    o = out_create(bare, &e);
    assert_int_equal(out_attr_str(o, "/", "model", "mm1", &e), 0);
    static const out_column pcol[] = {{"point", OUT_U32, 0, 0, NULL, 0},
                                      {"mm1.mu", OUT_F64, 8, 0, NULL, 0}};
    int t = out_table_create(o, "/points", pcol, 2, 16, 16, &e);
    struct { uint32_t point; double mu; } pt = {0, 1.0};
    assert_int_equal(out_table_append(o, t, &pt, 1, &e), 0);
    assert_int_equal(out_commit(o, &e), 0);
    assert_int_equal(report_print(bare, 0, stdout, &e), -1);
    assert_string_equal(e.msg,
                        "cannot read /points and /summary: the file is damaged or incomplete");
    scn_free(s);
}

/* ---- the cost of the table: each point's rows, found without a scan of all ---------- */

/* The table looks a statistic up per point and column; with the rows
 * grouped by point once (a counting sort), a lookup reads that point's rows
 * only, so `summary` of 10^5 points is linear, not quadratic. The grouping
 * keeps the file's order within a point, and rows of a point beyond
 * /points are left out. */
static void report_groups_rows_by_point(void **state)
{
    (void)state;
    static const struct { unsigned point; const char *name; } in[] = {
        {2, "a"}, {0, "a"}, {1, "a"}, {0, "b"}, {2, "b"}, {7, "a"}, {0, "a"}};
    enum { N = sizeof in / sizeof in[0] };
    result r;
    memset(&r, 0, sizeof r);
    r.n_points = 3;
    r.n_rows = N;
    r.rows = calloc(N, sizeof *r.rows);
    assert_non_null(r.rows);
    for (size_t i = 0; i < N; i++) {
        r.rows[i].point = in[i].point;
        snprintf(r.rows[i].name, sizeof r.rows[i].name, "%s", in[i].name);
        r.rows[i].estimate = (double)i;
    }
    assert_int_equal(index_rows(&r), 0);
    static const size_t first[] = {0, 3, 4, 6};
    for (size_t p = 0; p <= 3; p++)
        assert_int_equal(r.first[p], first[p]);
    static const size_t order[] = {1, 3, 6, 2, 0, 4};
    for (size_t k = 0; k < 6; k++)
        assert_int_equal(r.by_point[k], order[k]);
    assert_true(find(&r, 0, "a") == &r.rows[1]); /* the first of the point's "a" rows */
    assert_true(find(&r, 0, "b") == &r.rows[3]);
    assert_true(find(&r, 2, "b") == &r.rows[4]);
    assert_null(find(&r, 1, "b"));
    result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(report_reads_only_results, setup, teardown),
        cmocka_unit_test(report_groups_rows_by_point),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
