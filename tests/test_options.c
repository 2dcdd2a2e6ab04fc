/* test_options.c — every rule of the command line's options (options.h),
 * without the CLI: each value and combination refused, with the message
 * main prints after "reassure: ", and each accepted one with what it sets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "options.h"
#include "testutil.h"

/* A request with the given options (id, text) applied; all must pass. */
static void request(run_request *q, int n, const int *ids, const char *const *args)
{
    run_request_init(q, 4);
    for (int i = 0; i < n; i++) {
        err e;
        err_clear(&e);
        assert_int_equal(run_option(q, ids[i], args[i], &e), 0);
    }
}

/* rc is a refusal: ERR_INPUT, no file and no key, and the message msg. */
static void assert_refused(int rc, const err *e, const char *msg)
{
    char buf[2048];
    assert_int_equal(rc, -1);
    assert_int_equal(e->kind, ERR_INPUT);
    assert_string_equal(e->file, "");
    assert_string_equal(e->key, "");
    err_format(e, buf, sizeof buf);
    assert_string_equal(buf, msg);
}

/* One option on a fresh request: refused with msg. */
static void refuse(int opt, const char *arg, const char *msg)
{
    run_request q;
    err e;
    run_request_init(&q, 4);
    err_clear(&e);
    assert_refused(run_option(&q, opt, arg, &e), &e, msg);
}

/* One option on a fresh request: accepted; the request is returned. */
static run_request *accept(run_request *q, int opt, const char *arg)
{
    err e;
    run_request_init(q, 4);
    err_clear(&e);
    assert_int_equal(run_option(q, opt, arg, &e), 0);
    return q;
}

static void nothing_given_means_defaults(void **st)
{
    (void)st;
    run_request q;
    run_request_init(&q, 7);
    assert_int_equal(q.threads, 7);
    assert_int_equal(q.ov.replications, -1);
    assert_int_equal(q.ov.seed, -1);
    assert_ptr_equal(q.ov.sets, q.sets);
    assert_ptr_equal(q.ov.sweeps, q.sweeps);
    assert_null(q.output);
    assert_false(q.quiet || q.csv || q.resume || q.has_points || q.has_reps);
    assert_true(q.point == 0 && q.rep == 0 && q.precision == 0 && q.max_reps == 0);
}

static void replications_count(void **st)
{
    (void)st;
    run_request q;
    assert_int_equal(accept(&q, OPT_N, "1")->ov.replications, 1);
    assert_int_equal(accept(&q, OPT_N, "250000")->ov.replications, 250000);
    assert_int_equal(accept(&q, OPT_REPLICATIONS, "7")->ov.replications, 7); /* = -n 7 */
    assert_false(q.has_reps);
    const char *bad[] = {"0", "abc", "-3", "", "5x", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[200];
        snprintf(msg, sizeof msg, "-n/--replications: \"%s\" is not a positive whole number",
                 bad[i]);
        refuse(OPT_N, bad[i], msg);
        refuse(OPT_REPLICATIONS, bad[i], msg);
    }
    /* The last -n wins. */
    run_request r;
    request(&r, 2, (const int[]){OPT_N, OPT_N}, (const char *const[]){"3", "9"});
    assert_int_equal(r.ov.replications, 9);
}

static void replications_share(void **st)
{
    (void)st;
    run_request q;
    accept(&q, OPT_REPLICATIONS, "2:5");
    assert_true(q.has_reps && q.reps_a == 2 && q.reps_b == 5);
    assert_int_equal(q.ov.replications, -1);
    accept(&q, OPT_REPLICATIONS, "0:1");
    assert_true(q.has_reps && q.reps_a == 0 && q.reps_b == 1);
    const char *bad[] = {"5:3", "3:3", "a:b", ":5", "2:", "-1:4", "1:2:3",
                         "123456789012345678901234567890123:2"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "--replications: \"%s\" is not a share A:B with A < B (or a count N)", bad[i]);
        refuse(OPT_REPLICATIONS, bad[i], msg);
    }
}

static void points_share(void **st)
{
    (void)st;
    run_request q;
    accept(&q, OPT_POINTS, "0:2");
    assert_true(q.has_points && q.points_a == 0 && q.points_b == 2);
    const char *bad[] = {"2:2", "3:1", "x:4", "4", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[200];
        snprintf(msg, sizeof msg, "--points: \"%s\" is not a share A:B of points with A < B",
                 bad[i]);
        refuse(OPT_POINTS, bad[i], msg);
    }
}

static void seed_threads_point_rep(void **st)
{
    (void)st;
    run_request q;
    assert_int_equal(accept(&q, OPT_SEED, "0")->ov.seed, 0);
    assert_int_equal(accept(&q, OPT_SEED, "20250306")->ov.seed, 20250306);
    refuse(OPT_SEED, "-4", "-s/--seed: \"-4\" is not a whole number >= 0");
    refuse(OPT_SEED, "x", "-s/--seed: \"x\" is not a whole number >= 0");
    assert_int_equal(accept(&q, OPT_THREADS, "1")->threads, 1);
    assert_int_equal(accept(&q, OPT_THREADS, "1024")->threads, 1024);
    refuse(OPT_THREADS, "0", "-j/--threads: \"0\" is not a thread count from 1 to 1024");
    refuse(OPT_THREADS, "1025", "-j/--threads: \"1025\" is not a thread count from 1 to 1024");
    refuse(OPT_THREADS, "two", "-j/--threads: \"two\" is not a thread count from 1 to 1024");
    assert_int_equal(accept(&q, OPT_POINT, "0")->point, 0);
    assert_int_equal(accept(&q, OPT_POINT, "12")->point, 12);
    refuse(OPT_POINT, "-1", "--point: \"-1\" is not a whole number >= 0");
    refuse(OPT_POINT, "x", "--point: \"x\" is not a whole number >= 0");
    assert_int_equal(accept(&q, OPT_REP, "3")->rep, 3);
    refuse(OPT_REP, "-1", "--rep: \"-1\" is not a whole number >= 0");
}

static void precision_and_max(void **st)
{
    (void)st;
    run_request q;
    assert_true(accept(&q, OPT_PRECISION, "0.5")->precision == 0.5);
    assert_true(accept(&q, OPT_PRECISION, "0.01")->precision == 0.01);
    const char *bad[] = {"0", "0.7", "-0.1", "abc", "0.1x", "", "nan", "1e-400"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char msg[200];
        snprintf(msg, sizeof msg, "--precision: \"%s\" is not a half-width in (0, 0.5]", bad[i]);
        refuse(OPT_PRECISION, bad[i], msg);
    }
    assert_int_equal(accept(&q, OPT_MAX_REPS, "1")->max_reps, 1);
    refuse(OPT_MAX_REPS, "0", "--max-replications: \"0\" is not a positive whole number");
    refuse(OPT_MAX_REPS, "many", "--max-replications: \"many\" is not a positive whole number");
}

static void flags_output_and_overrides(void **st)
{
    (void)st;
    run_request q;
    assert_string_equal(accept(&q, OPT_OUTPUT, "x.h5")->output, "x.h5");
    assert_true(accept(&q, OPT_QUIET, NULL)->quiet);
    assert_true(accept(&q, OPT_CSV, NULL)->csv);
    assert_true(accept(&q, OPT_RESUME, NULL)->resume);
    refuse(12345, "x", "option 12345 is not a run option");

    /* 256 --set and 256 --sweep, in order; the 257th of each is refused. */
    err e;
    run_request_init(&q, 1);
    for (int i = 0; i < OPT_MAX_OVERRIDES; i++) {
        assert_int_equal(run_option(&q, OPT_SET, "mm1.mu=2", &e), 0);
        assert_int_equal(run_option(&q, OPT_SWEEP, "mm1.lambda=0.1,0.2", &e), 0);
    }
    assert_int_equal(q.ov.n_sets, OPT_MAX_OVERRIDES);
    assert_int_equal(q.ov.n_sweeps, OPT_MAX_OVERRIDES);
    assert_string_equal(q.ov.sets[255], "mm1.mu=2");
    err_clear(&e);
    assert_refused(run_option(&q, OPT_SET, "mm1.mu=3", &e), &e, "--set: too many --set options");
    err_clear(&e);
    assert_refused(run_option(&q, OPT_SWEEP, "mm1.mu=3", &e), &e,
                   "--sweep: too many --sweep options");
}

/* ---- the rules against a scenario ---------------------------------------- */

/* lanchester: a proportion (p_x_wins); 6 points of 100 replications. */
static const char LAN6[] = "model = \"lanchester\";\nreplications = 100;\n"
                           "sweep = { parameters = (\n"
                           "  { key = \"lanchester.law\"; values = [\"square\", \"linear\"]; },\n"
                           "  { key = \"lanchester.x0\"; values = [5, 6, 7]; }); };\n";
static const char LAN1[] = "model = \"lanchester\";\nreplications = 100;\n";
static const char MM1[] = "model = \"mm1\";\nreplications = 100;\nmm1 = { customers = 10; };\n";

static scenario *load(const char *text)
{
    err e;
    scenario *s = tu_load_text(text, NULL, &e);
    if (s == NULL)
        fail_msg("%s", e.msg);
    return s;
}

/* run_options_check of the options (ids, texts) on scenario text. */
static int check_run(const char *text, int n, const int *ids, const char *const *args,
                     run_options *o, err *e)
{
    run_request q;
    request(&q, n, ids, args);
    scenario *s = load(text);
    *o = (run_options){.threads = 3, .progress_seconds = 0.1};
    err_clear(e);
    int rc = run_options_check(&q, s, o, e);
    scn_free(s);
    return rc;
}

static void run_accepts(void **st)
{
    (void)st;
    run_options o;
    err e;
    /* No options: the whole work list, no precision; other fields untouched. */
    assert_int_equal(check_run(LAN6, 0, NULL, NULL, &o, &e), 0);
    assert_false(o.has_share || o.resume);
    assert_true(o.share.point_lo == 0 && o.share.point_hi == 6);
    assert_true(o.share.rep_lo == 0 && o.share.rep_hi == 100);
    assert_true(o.precision == 0 && o.max_replications == 0);
    assert_int_equal(o.threads, 3);
    /* Shares within the sweep, alone and together, with --resume. */
    assert_int_equal(check_run(LAN6, 1, (const int[]){OPT_POINTS}, (const char *const[]){"0:6"},
                               &o, &e), 0);
    assert_true(o.has_share && o.share.point_lo == 0 && o.share.point_hi == 6);
    assert_int_equal(check_run(LAN6, 3, (const int[]){OPT_POINTS, OPT_REPLICATIONS, OPT_RESUME},
                               (const char *const[]){"2:4", "10:100", NULL}, &o, &e), 0);
    assert_true(o.has_share && o.resume);
    assert_true(o.share.point_lo == 2 && o.share.point_hi == 4);
    assert_true(o.share.rep_lo == 10 && o.share.rep_hi == 100);
    assert_int_equal(check_run(LAN1, 1, (const int[]){OPT_POINTS}, (const char *const[]){"0:1"},
                               &o, &e), 0);
    /* --resume alone. */
    assert_int_equal(check_run(LAN6, 1, (const int[]){OPT_RESUME}, (const char *const[]){NULL},
                               &o, &e), 0);
    assert_true(o.resume && !o.has_share);
    /* --precision: the default cap, a cap equal to the first batch. */
    assert_int_equal(check_run(LAN6, 1, (const int[]){OPT_PRECISION},
                               (const char *const[]){"0.05"}, &o, &e), 0);
    assert_true(o.precision == 0.05 && o.max_replications == 1000000);
    assert_int_equal(check_run(LAN6, 2, (const int[]){OPT_PRECISION, OPT_MAX_REPS},
                               (const char *const[]){"0.05", "100"}, &o, &e), 0);
    assert_true(o.precision == 0.05 && o.max_replications == 100);
    /* --precision with --resume (issue 17: it was refused, and the Slurm
     * scripts, which always pass --resume, could not run --precision). */
    assert_int_equal(check_run(LAN6, 2, (const int[]){OPT_PRECISION, OPT_RESUME},
                               (const char *const[]){"0.05", NULL}, &o, &e), 0);
    assert_true(o.precision == 0.05 && o.resume);
    /* --checkpoint: 30 s unless given; 0 is never. */
    assert_true(o.checkpoint_seconds == 30 && o.checkpoint_blocks == 0);
    assert_int_equal(check_run(LAN6, 2, (const int[]){OPT_CHECKPOINT, OPT_CHECKPOINT_BLOCKS},
                               (const char *const[]){"0", "7"}, &o, &e), 0);
    assert_true(o.checkpoint_seconds == 0 && o.checkpoint_blocks == 7);
    /* -n in the request changes nothing here: the loaded scenario's count
     * is what shares and caps are checked against. */
    assert_int_equal(check_run(LAN6, 1, (const int[]){OPT_N}, (const char *const[]){"5"}, &o,
                               &e), 0);
    /* A model of means only runs without --precision. */
    assert_int_equal(check_run(MM1, 0, NULL, NULL, &o, &e), 0);
}

static void run_refuses(void **st)
{
    (void)st;
    run_options o;
    err e;
    assert_refused(check_run(LAN6, 1, (const int[]){OPT_POINTS}, (const char *const[]){"0:7"},
                             &o, &e), &e, "--points 0:7: the scenario has 6 points (0 to 5)");
    assert_refused(check_run(LAN1, 1, (const int[]){OPT_POINTS}, (const char *const[]){"0:2"},
                             &o, &e), &e, "--points 0:2: the scenario has 1 point (0 to 0)");
    assert_refused(check_run(LAN6, 1, (const int[]){OPT_REPLICATIONS},
                             (const char *const[]){"0:101"}, &o, &e), &e,
                   "--replications 0:101: the scenario has 100 replications per point");
    assert_refused(check_run(LAN6, 1, (const int[]){OPT_MAX_REPS}, (const char *const[]){"100"},
                             &o, &e), &e, "--max-replications goes with --precision");
    assert_refused(check_run(MM1, 1, (const int[]){OPT_PRECISION}, (const char *const[]){"0.1"},
                             &o, &e), &e,
                   "--precision: the model has no proportions (p_* rows) to make precise");
    assert_refused(check_run(LAN6, 2, (const int[]){OPT_PRECISION, OPT_POINTS},
                             (const char *const[]){"0.1", "0:2"}, &o, &e), &e,
                   "--precision: --precision works on the whole sweep, not a share");
    assert_refused(check_run(LAN6, 2, (const int[]){OPT_PRECISION, OPT_REPLICATIONS},
                             (const char *const[]){"0.1", "0:50"}, &o, &e), &e,
                   "--precision: --precision works on the whole sweep, not a share");
    assert_refused(check_run(LAN6, 2, (const int[]){OPT_PRECISION, OPT_MAX_REPS},
                             (const char *const[]){"0.1", "99"}, &o, &e), &e,
                   "--max-replications 99 is below the first batch of 100 replications per "
                   "point");
}

/* When several rules are broken, the first in the documented order speaks. */
static void run_rules_in_order(void **st)
{
    (void)st;
    run_options o;
    err e;
    assert_refused(check_run(LAN6, 2, (const int[]){OPT_MAX_REPS, OPT_POINTS},
                             (const char *const[]){"5", "0:9"}, &o, &e), &e,
                   "--points 0:9: the scenario has 6 points (0 to 5)");
    assert_refused(check_run(LAN6, 2, (const int[]){OPT_POINTS, OPT_REPLICATIONS},
                             (const char *const[]){"0:9", "0:999"}, &o, &e), &e,
                   "--points 0:9: the scenario has 6 points (0 to 5)");
    assert_refused(check_run(MM1, 3, (const int[]){OPT_PRECISION, OPT_RESUME, OPT_POINTS},
                             (const char *const[]){"0.1", NULL, "0:1"}, &o, &e), &e,
                   "--precision: the model has no proportions (p_* rows) to make precise");
    assert_refused(check_run(LAN6, 3, (const int[]){OPT_PRECISION, OPT_RESUME, OPT_POINTS},
                             (const char *const[]){"0.1", NULL, "0:1"}, &o, &e), &e,
                   "--precision: --precision works on the whole sweep, not a share");
    assert_refused(check_run(LAN6, 3, (const int[]){OPT_PRECISION, OPT_POINTS, OPT_MAX_REPS},
                             (const char *const[]){"0.1", "0:1", "5"}, &o, &e), &e,
                   "--precision: --precision works on the whole sweep, not a share");
}

static void trace_rules(void **st)
{
    (void)st;
    run_request q;
    err e;
    scenario *s = load(LAN6);
    request(&q, 1, (const int[]){OPT_POINT}, (const char *const[]){"5"});
    assert_int_equal(trace_options_check(&q, s, &e), 0);
    request(&q, 1, (const int[]){OPT_POINT}, (const char *const[]){"6"});
    assert_refused(trace_options_check(&q, s, &e), &e,
                   "--point 6: the scenario has 6 points (0 to 5)");
    /* A model that neither describes nor narrates has no trace. */
    model_def silent = *s->model;
    silent.describe = NULL;
    silent.narrate = NULL;
    const model_def *real = s->model;
    s->model = &silent;
    request(&q, 0, NULL, NULL);
    assert_refused(trace_options_check(&q, s, &e), &e, "model lanchester has no trace");
    s->model = real;
    scn_free(s);
    s = load(LAN1);
    assert_int_equal(trace_options_check(&q, s, &e), 0);
    request(&q, 1, (const int[]){OPT_POINT}, (const char *const[]){"1"});
    assert_refused(trace_options_check(&q, s, &e), &e,
                   "--point 1: the scenario has 1 point (0 to 0)");
    scn_free(s);
}

static void merge_rules(void **st)
{
    (void)st;
    run_request q;
    err e;
    request(&q, 0, NULL, NULL);
    assert_refused(merge_options_check(&q, 2, &e), &e,
                   "merge: name the merged file with -o ALL.h5");
    request(&q, 1, (const int[]){OPT_OUTPUT}, (const char *const[]){"all.h5"});
    assert_refused(merge_options_check(&q, 0, &e), &e, "merge: which result files?");
    assert_int_equal(merge_options_check(&q, 1, &e), 0);
    assert_int_equal(merge_options_check(&q, 2, &e), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nothing_given_means_defaults),
        cmocka_unit_test(replications_count),
        cmocka_unit_test(replications_share),
        cmocka_unit_test(points_share),
        cmocka_unit_test(seed_threads_point_rep),
        cmocka_unit_test(precision_and_max),
        cmocka_unit_test(flags_output_and_overrides),
        cmocka_unit_test(run_accepts),
        cmocka_unit_test(run_refuses),
        cmocka_unit_test(run_rules_in_order),
        cmocka_unit_test(trace_rules),
        cmocka_unit_test(merge_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
