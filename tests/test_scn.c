/* test_scn.c — the scenario loader: defaults, precedence, sweeps, @include,
 * exact integers, and errors that name file, line and key. (The corpus of
 * bad files is run end to end by tests/e2e/test_cli.sh.) */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reassurance.h"
#include "scn.h"
#include "testutil.h"

typedef struct mm1_view { double lambda, mu; int64_t customers; } mm1_view;

static scenario *load_text(const char *text, const scn_overrides *ov, err *e)
{
    return tu_load_text(text, ov, e);
}

static const mm1_view *mm1(const scenario *s)
{
    return (const mm1_view *)s->base;
}

static void defaults_fill_every_key(void **st)
{
    (void)st;
    err e;
    scenario *s = load_text("model = \"mm1\";\n", NULL, &e);
    assert_non_null(s);
    assert_string_equal(s->model->name, "mm1");
    assert_true(mm1(s)->lambda == 0.9 && mm1(s)->mu == 1.0);
    assert_int_equal(mm1(s)->customers, 100000);
    assert_int_equal(s->replications, 1000);
    assert_int_equal(s->seed, 1);
    assert_int_equal(s->n_points, 1);
    assert_int_equal(s->n_swept, 0);
    /* Every key's default lies in its own range. */
    for (size_t i = 0; i < s->model->n_keys; i++) {
        const sch_key *k = &s->model->keys[i];
        err_clear(&e);
        assert_int_equal(sch_check(k, sch_default(k), "x", 0, &e), 0);
    }
    scn_free(s);
}

static void file_then_set_then_options(void **st)
{
    (void)st;
    const char *sets[] = {"mm1.mu=2.5", "replications=7"};
    scn_overrides ov = {.sets = sets, .n_sets = 2, .replications = -1, .seed = 42};
    err e;
    scenario *s = load_text("model = \"mm1\"; replications = 3; seed = 5;\n"
                            "mm1 = { lambda = 1; mu = 2.0; customers = 50; };\n", &ov, &e);
    assert_non_null(s);
    assert_true(mm1(s)->lambda == 1.0); /* an integer is a valid real */
    assert_true(mm1(s)->mu == 2.5);
    assert_int_equal(mm1(s)->customers, 50);
    assert_int_equal(s->replications, 7);
    assert_int_equal(s->seed, 42);
    assert_string_equal(s->overrides, "--set mm1.mu=2.5 --set replications=7 -s 42");
    scn_free(s);
    ov.replications = 9; /* -n beats --set replications */
    s = load_text("model = \"mm1\";\n", &ov, &e);
    assert_int_equal(s->replications, 9);
    scn_free(s);
}

static void grid_is_cartesian_first_key_slowest(void **st)
{
    (void)st;
    err e;
    scenario *s = load_text(
        "model = \"mm1\";\n"
        "sweep = { design = \"grid\"; parameters = (\n"
        "  { key = \"mm1.mu\"; values = [2.0, 3.0, 4.0]; },\n"
        "  { key = \"mm1.customers\"; values = [10, 20]; }\n"
        "); };\n", NULL, &e);
    assert_non_null(s);
    assert_int_equal(s->n_points, 6);
    const double mus[] = {2, 2, 3, 3, 4, 4};
    const int64_t cs[] = {10, 20, 10, 20, 10, 20};
    mm1_view v;
    for (size_t p = 0; p < 6; p++) {
        scn_point(s, p, &v);
        assert_true(v.mu == mus[p]);
        assert_int_equal(v.customers, cs[p]);
        assert_true(v.lambda == 0.9);
    }
    scn_free(s);
}

static void cli_sweep_replaces_and_set_pins(void **st)
{
    (void)st;
    const char *text = "model = \"mm1\";\n"
                       "sweep = { parameters = ( { key = \"mm1.mu\"; values = [2.0, 3.0]; } ); };\n";
    const char *sweeps[] = {"mm1.mu=5,6,7", "mm1.lambda=0.1,0.2"};
    scn_overrides ov = {.sweeps = sweeps, .n_sweeps = 2, .replications = -1, .seed = -1};
    err e;
    scenario *s = load_text(text, &ov, &e);
    assert_non_null(s);
    assert_int_equal(s->n_points, 6);
    assert_string_equal(s->swept[0].key->path, "mm1.mu");
    assert_true(s->swept[0].values[2].r == 7.0);
    scn_free(s);

    const char *sets[] = {"mm1.mu=9"};
    scn_overrides pin = {.sets = sets, .n_sets = 1, .replications = -1, .seed = -1};
    s = load_text(text, &pin, &e);
    assert_non_null(s);
    assert_int_equal(s->n_points, 1);
    assert_true(mm1(s)->mu == 9.0);
    scn_free(s);
}

static void include_is_relative_to_including_file(void **st)
{
    (void)st;
    char top[256], mid[256], leaf[256];
    assert_non_null(tu_write(top, sizeof top, "top.cfg",
                             "model = \"mm1\";\n@include \"sub/mid.cfg\"\nseed = 3;\n"));
    assert_non_null(tu_write_beside(mid, sizeof mid, top, "sub/mid.cfg",
                                    "mm1 = {\n  @include \"leaf.cfg\"\n  mu = 4.0;\n};\n"));
    assert_non_null(tu_write_beside(leaf, sizeof leaf, top, "sub/leaf.cfg",
                                    "lambda = 1.5;\ncustomers = 77;\n"));
    err e;
    err_clear(&e);
    scenario *s = scn_load(top, NULL, &e);
    if (s == NULL)
        fail_msg("%s:%d: %s", e.file, e.line, e.msg);
    assert_true(mm1(s)->lambda == 1.5 && mm1(s)->mu == 4.0);
    assert_int_equal(mm1(s)->customers, 77);
    assert_int_equal(s->seed, 3);
    assert_non_null(strstr(s->expanded, "customers = 77"));
    assert_null(strstr(s->text, "customers")); /* scenario_text is the top file verbatim */
    scn_free(s);

    /* An error inside an included file names that file and its line. */
    assert_non_null(tu_write_beside(leaf, sizeof leaf, top, "sub/leaf.cfg",
                                    "lambda = 1.5;\ncustomerz = 77;\n"));
    assert_null(scn_load(top, NULL, &e));
    assert_non_null(strstr(e.file, "sub/leaf.cfg"));
    assert_int_equal(e.line, 2);
    assert_string_equal(e.key, "mm1.customerz");
    tu_remove(top);
}

/* base = "file.cfg": the later file wins key by key; a group merges, a
 * list and the sweep are replaced; check knows which file set each value;
 * the flattened text (scenario_loaded) loads to the same parameters. */
static void a_scenario_based_on_another(void **st)
{
    (void)st;
    char top[256], mid[256], low[256];
    assert_non_null(tu_write(low, sizeof low, "low.cfg",
                             "model = \"reassurance\";\nreplications = 7;\nseed = 11;\n"
                             "force = { troops = 10000; readiness_days = 3.5; };\n"
                             "russia = { rationality = 0.123456789012345; };\n"
                             "sweep = { parameters = ( { key = \"force.basing_distance_km\"; "
                             "values = [100.0, 800.0]; } ); };\n"));
    assert_non_null(tu_write_beside(mid, sizeof mid, low, "sub/mid.cfg",
                                    "base = \"../low.cfg\";\nforce = { troops = 20000; };\n"));
    assert_non_null(tu_write_beside(top, sizeof top, low, "sub/top.cfg",
                                    "base = \"mid.cfg\";\nreplications = 9;\n"
                                    "coalition = { contributors = ( { name = \"UK\"; share = 1.0; } ); };\n"
                                    "sweep = { parameters = ( { key = \"us_backstop.enabled\"; "
                                    "values = [false, true]; } ); };\n"));
    err e;
    err_clear(&e);
    scenario *s = scn_load(top, NULL, &e);
    if (s == NULL)
        fail_msg("%s:%d: %s: %s", e.file, e.line, e.key, e.msg);
    const reassurance_params *p = s->base;
    assert_int_equal(p->troops, 20000);              /* mid over low */
    assert_true(p->readiness_days == 3.5);           /* low, merged into force */
    assert_true(p->rationality == 0.123456789012345);
    assert_int_equal(p->n_contributors, 1);          /* the list replaced */
    assert_int_equal(s->replications, 9);
    assert_int_equal(s->seed, 11);
    assert_int_equal(s->n_swept, 1);                 /* the sweep replaced */
    assert_string_equal(s->swept[0].key->path, "us_backstop.enabled");
    /* Where each value came from. */
    const sch_key *troops = sch_find(s->model->keys, s->model->n_keys, "force.troops");
    const sch_key *ready = sch_find(s->model->keys, s->model->n_keys, "force.readiness_days");
    assert_non_null(strstr(s->origin[troops - s->model->keys], "sub/mid.cfg:2"));
    assert_non_null(strstr(s->origin[ready - s->model->keys], "low.cfg:4"));
    assert_null(s->origin[sch_find(s->model->keys, s->model->n_keys, "horizon_days") -
                          s->model->keys]);
    /* The flattened text is a scenario of its own, with the same values. */
    scenario *f = tu_load_text(s->expanded, NULL, &e);
    if (f == NULL)
        fail_msg("flattened: %s:%d: %s: %s\n%s", e.file, e.line, e.key, e.msg, s->expanded);
    assert_memory_equal(f->base, s->base, s->model->params_size);
    assert_int_equal(f->n_points, s->n_points);
    assert_int_equal(f->replications, 9);
    scn_free(f);
    scn_free(s);
    tu_remove(low);
}

/* design = "cases": each case is the base with its own keys (a list key
 * included), crossed with the grid, the case varying slowest; --set
 * applies to every case, unless a case sets the key (then it is refused). */
static void cases_are_options_crossed_with_a_grid(void **st)
{
    (void)st;
    static const char text[] =
        "model = \"reassurance\";\nreplications = 3;\nforce = { readiness_days = 4.0; };\n"
        "sweep = { design = \"cases\"; baseline = \"big\";\n"
        "  cases = ( { name = \"small\"; force = { troops = 5000; }; },\n"
        "            { name = \"big\"; force = { troops = 40000; mandate = \"monitoring\"; };\n"
        "              coalition = { contributors = ( { name = \"UK\"; share = 1.0; } ); }; } );\n"
        "  parameters = ( { key = \"us_backstop.enabled\"; values = [false, true]; } ); };\n";
    const char *sets[] = {"force.qrf_fraction=0.4"};
    scn_overrides ov = {.sets = sets, .n_sets = 1, .replications = -1, .seed = -1};
    err e;
    scenario *s = tu_load_text(text, &ov, &e);
    if (s == NULL)
        fail_msg("%s:%d: %s: %s", e.file, e.line, e.key, e.msg);
    assert_int_equal(s->n_cases, 2);
    assert_int_equal(s->n_points, 4);
    assert_int_equal(s->grid_points, 2);
    assert_int_equal(s->baseline_case, 1);
    assert_string_equal(s->case_names[0], "small");
    reassurance_params p;
    const int64_t troops[4] = {5000, 5000, 40000, 40000};
    for (size_t i = 0; i < 4; i++) {
        scn_point(s, i, &p);
        assert_int_equal(p.troops, troops[i]);
        assert_int_equal(p.us_enabled, (int)(i % 2));
        assert_true(p.readiness_days == 4.0); /* the file's base, in every case */
        assert_true(p.qrf_fraction == 0.4);   /* --set, in every case */
        assert_int_equal(p.mandate, i < 2 ? MANDATE_DETERRENCE : MANDATE_MONITORING);
        assert_int_equal(p.n_contributors, i < 2 ? 4 : 1); /* a case may set a list */
    }
    scn_free(s);
    /* A --set of a key a case sets would undo the case: refused. */
    const char *clash[] = {"force.troops=100000"};
    scn_overrides ov2 = {.sets = clash, .n_sets = 1, .replications = -1, .seed = -1};
    assert_null(tu_load_text(text, &ov2, &e));
    assert_string_equal(e.key, "force.troops");
    assert_non_null(strstr(e.msg, "given by --set"));
}

/* libconfig 1.5 wraps literals beyond 32 bits; the loader must not. */
static void integers_are_exact_to_64_bits(void **st)
{
    (void)st;
    err e;
    scenario *s = load_text("model = \"mm1\";\nseed = 12345678901; # a comment 99999999999\n"
                            "replications = 3000000000;\nmm1 = { customers = 0x1FFFFFFFF; };\n",
                            NULL, &e);
    if (s == NULL)
        fail_msg("%s:%d: %s", e.file, e.line, e.msg);
    assert_int_equal(s->seed, 12345678901ULL);
    assert_int_equal(s->replications, 3000000000LL);
    assert_int_equal(mm1(s)->customers, 0x1FFFFFFFFLL);
    scn_free(s);
    s = load_text("model = \"mm1\";\nseed = 9223372036854775807;\n", NULL, &e);
    assert_non_null(s);
    assert_int_equal(s->seed, 9223372036854775807ULL);
    scn_free(s);
    assert_null(load_text("model = \"mm1\";\nseed = 9223372036854775808;\n", NULL, &e));
    assert_int_equal(e.line, 2);
    /* The range of a 64-bit key names its real top, 2^63 - 1, not 2^63. */
    assert_null(load_text("model = \"mm1\";\nseed = -1;\n", NULL, &e));
    assert_string_equal(e.msg, "-1 is out of range: valid values are [0, 9223372036854775807]");
    /* Strings and reals with many digits are left alone. */
    s = load_text("model = \"lanchester\";\nlanchester = { a = 123456789012e-5; b = 2147483648.0e-3; law = \"square\"; };\n",
                  NULL, &e);
    assert_non_null(s);
    scn_free(s);
}

static void errors_name_file_line_key(void **st)
{
    (void)st;
    err e;
    assert_null(load_text("model = \"mm1\";\n\nmm1 = {\n  mu = -1.0;\n};\n", NULL, &e));
    assert_int_equal(e.kind, ERR_INPUT);
    assert_non_null(strstr(e.file, "s.cfg"));
    assert_int_equal(e.line, 4);
    assert_string_equal(e.key, "mm1.mu");
    assert_non_null(strstr(e.msg, "(0, 1e+09]"));

    const char *sets[] = {"mm1.mu=abc"};
    scn_overrides ov = {.sets = sets, .n_sets = 1, .replications = -1, .seed = -1};
    assert_null(load_text("model = \"mm1\";\n", &ov, &e));
    assert_string_equal(e.file, "<command line>");
    assert_string_equal(e.key, "mm1.mu");
}

static void suggestions(void **st)
{
    (void)st;
    const model_def *m = model_find("mm1");
    assert_string_equal(sch_suggest(m->keys, m->n_keys, "mm1.lamda"), "mm1.lambda");
    assert_string_equal(sch_suggest(m->keys, m->n_keys, "mm1.Customers"), "mm1.customers");
    assert_string_equal(sch_suggest(m->keys, m->n_keys, "queue.customers"), "mm1.customers");
    assert_null(sch_suggest(m->keys, m->n_keys, "force.troops"));
}

static void format_round_trips(void **st)
{
    (void)st;
    const model_def *m = model_find("lanchester");
    for (size_t i = 0; i < m->n_keys; i++) {
        const sch_key *k = &m->keys[i];
        char text[64];
        sch_value v = sch_default(k), back;
        sch_format(k, v, text, sizeof text);
        err e;
        assert_int_equal(sch_parse(k, text, &back, "x", "", &e), 0);
        assert_true(sch_equal(k, v, back));
    }
}

/* lhs and sobol designs: the command line, pins, and what check prints.
 * (The designs' numbers are tested in test_sensitivity.c.) */
static const char SOBOL_MM1[] =
    "model = \"mm1\";\nmm1 = { mu = 2.0; };\n"
    "sweep = { design = \"sobol\"; samples = 8; parameters = (\n"
    "  { key = \"mm1.lambda\"; range = [0.1, 0.9]; },\n"
    "  { key = \"mm1.customers\"; range = [10, 20]; }\n); };\n";

static void design_and_the_command_line(void **st)
{
    (void)st;
    err e;
    scenario *s = load_text(SOBOL_MM1, NULL, &e);
    assert_non_null(s);
    assert_int_equal(s->design, SCN_SOBOL);
    assert_int_equal(s->n_points, 8 * (2 + 2));
    assert_string_equal(scn_design_name(s->design), "sobol");
    scn_free(s);

    /* --sweep lists grid values: refused on a design, naming the key. */
    const char *sweeps[] = {"mm1.mu=2,3"};
    scn_overrides ov = {.sweeps = sweeps, .n_sweeps = 1, .replications = -1, .seed = -1};
    assert_null(load_text(SOBOL_MM1, &ov, &e));
    assert_int_equal(e.kind, ERR_INPUT);
    assert_string_equal(e.file, "<command line>");
    assert_string_equal(e.key, "mm1.mu");
    assert_non_null(strstr(e.msg, "the file's sweep is a sobol design"));

    /* --set pins a key: it leaves the design, which has one key fewer. */
    const char *sets[] = {"mm1.customers=15"};
    scn_overrides pin = {.sets = sets, .n_sets = 1, .replications = -1, .seed = -1};
    s = load_text(SOBOL_MM1, &pin, &e);
    assert_non_null(s);
    assert_int_equal(s->n_swept, 1);
    assert_int_equal(s->n_points, 8 * (1 + 2));
    assert_int_equal(mm1(s)->customers, 15);
    mm1_view v;
    for (size_t p = 0; p < s->n_points; p++) {
        scn_point(s, p, &v);
        assert_int_equal(v.customers, 15);
        assert_true(v.lambda >= 0.1 && v.lambda < 0.9);
    }
    scn_free(s);

    /* Pinning every key leaves nothing to sweep. */
    const char *both[] = {"mm1.customers=15", "mm1.lambda=0.5"};
    pin.sets = both;
    pin.n_sets = 2;
    assert_null(load_text(SOBOL_MM1, &pin, &e));
    assert_string_equal(e.key, "sweep.parameters");
    assert_int_equal(e.line, 3);
    assert_non_null(strstr(e.msg, "nothing is left to sweep"));
}

static char *printed(const scenario *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    scn_print(s, f);
    fclose(f);
    /* A copy: gcc's -Wdangling-pointer takes pointers into buf, once inlined
     * here, for pointers to the local variable whose address escaped. */
    char *copy = strdup(buf);
    free(buf);
    return copy;
}

static void check_prints_the_design(void **st)
{
    (void)st;
    err e;
    scenario *s = load_text(SOBOL_MM1, NULL, &e);
    char *text = printed(s);
    assert_non_null(
        strstr(text, "sweep: 2 keys, 32 points (sobol design: 8 samples x (2 keys + 2)"));
    assert_non_null(strstr(text, "mm1.lambda     range [0.1, 0.9] 1/time, uniform\n"));
    assert_non_null(strstr(text, "range [10, 20] customers, uniform, rounded to whole numbers"));
    assert_non_null(strstr(text, "outputs: mean_wait_in_queue"));
    assert_non_null(strstr(text, "total replications: 32000 (32 points x 1000)"));
    free(text);
    scn_free(s);
    s = load_text("model = \"lanchester\";\nseed = 4;\n"
                  "sweep = { design = \"lhs\"; points = 70; parameters = (\n"
                  "  { key = \"lanchester.law\"; values = [\"square\", \"linear\"]; },\n"
                  "  { key = \"lanchester.a\"; range = [0.5, 1.0]; }\n); };\n", NULL, &e);
    assert_non_null(s);
    text = printed(s);
    assert_non_null(strstr(text, "sweep: 2 keys, 70 points (lhs design: a Latin hypercube drawn "
                                 "from seed 4)"));
    assert_non_null(strstr(text, "lanchester.law  one of square, linear, even chances"));
    assert_non_null(strstr(text, "... 20 more points"));
    free(text);
    scn_free(s);
    s = load_text("model = \"mm1\";\n"
                  "sweep = { parameters = ( { key = \"mm1.mu\"; values = [2.0, 3.0]; } ); };\n",
                  NULL, &e);
    assert_int_equal(s->design, SCN_GRID);
    assert_null(s->table);
    text = printed(s);
    assert_non_null(strstr(text, "sweep: 1 key, 2 points (grid design)\n"));
    free(text);
    scn_free(s);
}

/* The priors block of `reassure check`, on mm1 given a prior as a judgement
 * model would have one: it follows the parameters' blank line (readers of
 * the parameter lines stop there), and the key's line is marked. */
static void check_prints_the_priors(void **st)
{
    (void)st;
    err e;
    scenario *s = load_text("model = \"mm1\";\n", NULL, &e);
    assert_non_null(s);
    const model_def *mm1_def = s->model;
    sch_key keys[8];
    assert_true(mm1_def->n_keys <= 8);
    memcpy(keys, mm1_def->keys, mm1_def->n_keys * sizeof keys[0]);
    keys[1].basis = SCH_ASSUMPTION; /* mm1.mu, default 1 */
    keys[1].prior = (sch_prior){SCH_TRIANGULAR, 0.5, 1, 2.5, "within a factor of two"};
    assert_string_equal(keys[1].path, "mm1.mu");
    assert_int_equal(sch_prior_check(&keys[1], &e), 0);
    model_def with_prior = *mm1_def;
    with_prior.keys = keys;
    s->model = &with_prior;
    char *text = printed(s);
    s->model = mm1_def;
    char *params = strstr(text, "\nparameters (");
    char *blank = params ? strstr(params + 1, "\n\n") : NULL;
    char *priors = strstr(text, "\npriors (basis, plausible range, distribution, why):\n");
    assert_non_null(blank);
    assert_non_null(priors);
    assert_ptr_equal(priors, blank + 1);
    /* The parameter line keeps its columns and gains the basis at its end. */
    assert_non_null(strstr(text, "\n  mm1.mu         1            1/time   default 1          "
                                 "service rate of the single server (exponential)  "
                                 "[assumption]\n"));
    assert_non_null(strstr(text, "\n  mm1.lambda     0.9          1/time   default 0.9        "
                                 "arrival rate of customers (Poisson)\n"));
    assert_non_null(strstr(priors, "\n  mm1.mu  assumption  [0.5, 1, 2.5]            "
                                   "triangular   within a factor of two\n"));
    assert_null(strstr(priors, "mm1.lambda")); /* keys without a prior are not listed */
    free(text);
    /* The real mm1 has no priors: no block at all. */
    text = printed(s);
    assert_null(strstr(text, "priors ("));
    free(text);
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_fill_every_key),
        cmocka_unit_test(file_then_set_then_options),
        cmocka_unit_test(grid_is_cartesian_first_key_slowest),
        cmocka_unit_test(cli_sweep_replaces_and_set_pins),
        cmocka_unit_test(include_is_relative_to_including_file),
        cmocka_unit_test(a_scenario_based_on_another),
        cmocka_unit_test(cases_are_options_crossed_with_a_grid),
        cmocka_unit_test(integers_are_exact_to_64_bits),
        cmocka_unit_test(errors_name_file_line_key),
        cmocka_unit_test(suggestions),
        cmocka_unit_test(format_round_trips),
        cmocka_unit_test(design_and_the_command_line),
        cmocka_unit_test(check_prints_the_design),
        cmocka_unit_test(check_prints_the_priors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
