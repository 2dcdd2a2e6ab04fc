/* test_sensitivity.c — lhs and sobol designs, the Ishigami model, and Sobol
 * indices with their bootstrap intervals: the estimators on their own (a
 * hand-computed design, the bootstrap's stream), against the closed form,
 * and the /sensitivity table written, read back and printed ranked. */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "out.h"
#include "results_read.h"
#include "rng.h"
#include "run.h"
#include "scn.h"
#include "scn_design.h"
#include "sensitivity.h"
#include "stats.h"
#include "testutil.h"

static scenario *load_text(const char *text, const scn_overrides *ov, err *e)
{
    return tu_load_text(text, ov, e);
}

static scenario *must_load(const char *text, const scn_overrides *ov)
{
    err e;
    scenario *s = load_text(text, ov, &e);
    if (s == NULL)
        fail_msg("%s:%d: %s: %s", e.file, e.line, e.key, e.msg);
    return s;
}

/* ---- Ishigami: the closed form --------------------------------------------- */

typedef struct ishigami_truth {
    double S1[3], ST[3];
} ishigami_truth;

/* Sobol' & Levitan (1999); Saltelli et al. (2010), with x_i ~ U(-pi, pi). */
static ishigami_truth ishigami_exact(double a, double b)
{
    const double pi = 3.14159265358979323846;
    double pi4 = pow(pi, 4), pi8 = pow(pi, 8);
    double v1 = 0.5 * pow(1 + b * pi4 / 5, 2), v2 = a * a / 8, v3 = 0;
    double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    /* The parts add up to the whole: V = V1 + V2 + V3 + V13. */
    assert_true(fabs(v - (v1 + v2 + v3 + v13)) < 1e-9 * v);
    return (ishigami_truth){{v1 / v, v2 / v, v3 / v}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

static const char ISHIGAMI[] =
    "model = \"ishigami\";\nreplications = 1;\nseed = 11;\n"
    "ishigami = { a = 7.0; b = 0.1; };\n"
    "sweep = {\n  design = \"sobol\";\n  samples = %d;\n  parameters = (\n"
    "    { key = \"ishigami.x1\"; range = [-3.141592653589793, 3.141592653589793]; },\n"
    "    { key = \"ishigami.x2\"; range = [-3.141592653589793, 3.141592653589793]; },\n"
    "    { key = \"ishigami.x3\"; range = [-3.141592653589793, 3.141592653589793]; }\n"
    "  );\n};\n";

static scenario *ishigami_scenario(int samples)
{
    char text[1024];
    snprintf(text, sizeof text, ISHIGAMI, samples);
    return must_load(text, NULL);
}

/* Runs every point of s once on the engine (run_one) into a fresh acc. */
static acc *run_points(const scenario *s)
{
    acc *a = acc_alloc(s);
    assert_non_null(a);
    double values[8];
    for (size_t p = 0; p < s->n_points; p++) {
        int32_t outcome;
        err e;
        err_clear(&e);
        assert_int_equal(run_one(s, p, 0, &outcome, values, NULL, &e), 0);
        acc_add(a, p, outcome, values);
    }
    return a;
}

static void ishigami_model_is_the_function(void **st)
{
    (void)st;
    scenario *s = must_load("model = \"ishigami\";\nreplications = 1;\n"
                            "ishigami = { x1 = 1.0; x2 = -2.0; x3 = 0.5; a = 7.0; b = 0.1; };\n",
                            NULL);
    assert_string_equal(s->model->name, "ishigami");
    assert_int_equal(s->model->n_summaries, 1);
    assert_string_equal(s->model->summaries[0].name, "mean_y");
    int32_t outcome = -1;
    double y = 0;
    uint64_t events = 0;
    err e;
    assert_int_equal(run_one(s, 0, 0, &outcome, &y, &events, &e), 0);
    double want = sin(1.0) + 7 * sin(-2.0) * sin(-2.0) + 0.1 * pow(0.5, 4) * sin(1.0);
    assert_true(fabs(y - want) < 1e-14);
    assert_int_equal(outcome, 0);
    assert_int_equal(events, 1); /* one event on the shared engine */
    scn_free(s);
}

static void ishigami_indices_match_closed_form(void **st)
{
    (void)st;
    const int n = 4096;
    scenario *s = ishigami_scenario(n);
    assert_int_equal(s->design, SCN_SOBOL);
    assert_int_equal(s->n_points, (size_t)n * 5);
    assert_int_equal(s->n_outputs, 1); /* default: the model's first row, mean_y */
    assert_int_equal(s->outputs[0], 0);
    acc *a = run_points(s);
    double *y = malloc(s->n_points * sizeof *y);
    for (size_t p = 0; p < s->n_points; p++) {
        summary_row row;
        acc_summary(a, p, s->outputs[0], &row);
        y[p] = row.estimate;
    }
    sens_result r[3];
    err e;
    assert_int_equal(sens_compute(s, y, r, &e), 0);
    ishigami_truth t = ishigami_exact(7, 0.1);
    assert_true(fabs(t.S1[0] - 0.3139) < 1e-4 && fabs(t.S1[1] - 0.4424) < 1e-4);
    assert_true(fabs(t.ST[0] - 0.5576) < 1e-4 && fabs(t.ST[2] - 0.2437) < 1e-4);
    for (int j = 0; j < 3; j++) {
        print_message("x%d  S1 %.4f [%.4f, %.4f] (exact %.4f)   ST %.4f [%.4f, %.4f] "
                      "(exact %.4f)\n", j + 1, r[j].S1, r[j].S1_ci_low, r[j].S1_ci_high, t.S1[j],
                      r[j].ST, r[j].ST_ci_low, r[j].ST_ci_high, t.ST[j]);
        /* The exact value lies within the 95% bootstrap interval ... */
        assert_true(r[j].S1_ci_low <= t.S1[j] && t.S1[j] <= r[j].S1_ci_high);
        assert_true(r[j].ST_ci_low <= t.ST[j] && t.ST[j] <= r[j].ST_ci_high);
        /* ... the estimate is close to it, and the interval is honest but useful. */
        assert_true(fabs(r[j].S1 - t.S1[j]) < 0.05);
        assert_true(fabs(r[j].ST - t.ST[j]) < 0.05);
        assert_true(r[j].S1_ci_high - r[j].S1_ci_low < 0.15);
        assert_true(r[j].ST_ci_high - r[j].ST_ci_low < 0.15);
    }
    free(y);
    acc_free(a);
    scn_free(s);
}

/* sens_write -> /sensitivity -> sens_print_file, and sens_print from the acc. */
static void sensitivity_table_written_and_ranked(void **st)
{
    (void)st;
    scenario *s = ishigami_scenario(1024);
    acc *a = run_points(s);
    char path[256];
    assert_non_null(tu_write(path, sizeof path, "placeholder", ""));
    char *slash = strrchr(path, '/');
    snprintf(slash, sizeof path - (size_t)(slash - path), "/r.h5");
    err e;
    err_clear(&e);
    out_file *o = out_create(path, &e);
    assert_non_null(o);
    assert_int_equal(sens_write(o, s, a, &e), 0);
    assert_int_equal(out_commit(o, &e), 0);

    /* The table: 3 rows with the contract's columns, in that order. */
    out_reader *rd = out_read_open(path, &e);
    assert_non_null(rd);
    const char *cols[] = {"output", "parameter", "S1", "S1_ci_low", "S1_ci_high",
                          "ST", "ST_ci_low", "ST_ci_high"};
    out_column got[10];
    char names[10][OUT_NAME_LEN];
    assert_int_equal(out_read_columns(rd, "/sensitivity", got, names, 10, &e), 8);
    for (int i = 0; i < 8; i++) {
        assert_string_equal(got[i].name, cols[i]);
        assert_int_equal(got[i].type, i < 2 ? OUT_STR : OUT_F64);
    }
    assert_int_equal(out_read_rows(rd, "/sensitivity", &e), 3);
    /* Read back, the rows are those computed from the acc. */
    sens_row *rows;
    size_t n_rows;
    int64_t samples;
    assert_int_equal(res_read_sensitivity(rd, &rows, &n_rows, &samples, &e), 0);
    out_read_close(rd);
    assert_int_equal(n_rows, 3);
    assert_int_equal(samples, 1024);
    double *y = malloc(s->n_points * sizeof *y);
    for (size_t p = 0; p < s->n_points; p++) {
        summary_row row;
        acc_summary(a, p, s->outputs[0], &row);
        y[p] = row.estimate;
    }
    sens_result want[3];
    assert_int_equal(sens_compute(s, y, want, &e), 0);
    for (size_t j = 0; j < 3; j++) {
        assert_string_equal(rows[j].output, "mean_y");
        assert_string_equal(rows[j].parameter, s->swept[j].key->path);
        assert_memory_equal(&rows[j].S1, &want[j], sizeof want[j]);
    }
    free(y);
    free(rows);

    /* Printed from the file and from the acc: the same ranked table. */
    char *from_file = NULL, *from_acc = NULL;
    size_t n1 = 0, n2 = 0;
    FILE *m = open_memstream(&from_file, &n1);
    assert_int_equal(sens_print_file(path, m, &e), 1);
    fclose(m);
    m = open_memstream(&from_acc, &n2);
    sens_print(m, s, a);
    fclose(m);
    assert_string_equal(from_file, from_acc);
    print_message("%s", from_file);
    char *x1 = strstr(from_file, "ishigami.x1"), *x2 = strstr(from_file, "ishigami.x2"),
         *x3 = strstr(from_file, "ishigami.x3");
    assert_true(x1 && x2 && x3 && x1 < x2 && x2 < x3); /* ST1 > ST2 > ST3 */
    assert_non_null(strstr(from_file, "Sobol indices of mean_y"));
    assert_non_null(strstr(from_file, "1024 base samples"));
    for (char *line = from_file; (line = strchr(line, '\n')) != NULL; line++) {
        char *next = strchr(line + 1, '\n');
        assert_true(next == NULL || next - line - 1 <= 100);
    }
    free(from_file);
    free(from_acc);
    tu_remove(path);
    acc_free(a);
    scn_free(s);
}

static void nothing_for_other_designs(void **st)
{
    (void)st;
    scenario *s = must_load("model = \"mm1\";\nsweep = { parameters = ( { key = \"mm1.mu\"; "
                            "values = [2.0, 3.0]; } ); };\n", NULL);
    acc *a = acc_alloc(s);
    err e;
    double y[2] = {1, 2};
    sens_result r[1];
    assert_int_equal(sens_compute(s, y, r, &e), -1);
    assert_int_equal(e.kind, ERR_INPUT);
    char path[256];
    assert_non_null(tu_write(path, sizeof path, "x", ""));
    char *slash = strrchr(path, '/');
    snprintf(slash, sizeof path - (size_t)(slash - path), "/g.h5");
    out_file *o = out_create(path, &e);
    assert_int_equal(sens_write(o, s, a, &e), 0);
    assert_int_equal(out_commit(o, &e), 0);
    FILE *m = tmpfile();
    assert_int_equal(sens_print_file(path, m, &e), 0); /* no /sensitivity */
    assert_int_equal(ftell(m), 0);
    fclose(m);
    tu_remove(path);
    acc_free(a);
    scn_free(s);
}

/* ---- the estimator on its own ------------------------------------------------ */

static const char ADDITIVE[] =
    "model = \"mm1\";\nseed = %d;\nmm1 = { mu = 5.0; };\n"
    "sweep = { design = \"sobol\"; samples = 512; parameters = (\n"
    "  { key = \"mm1.lambda\"; range = [1.0, 2.0]; },\n"
    "  { key = \"mm1.customers\"; range = [1, 1000000]; }\n); };\n";

static void bootstrap_is_deterministic_from_the_seed(void **st)
{
    (void)st;
    char text[512];
    snprintf(text, sizeof text, ADDITIVE, 1);
    scenario *s1 = must_load(text, NULL);
    snprintf(text, sizeof text, ADDITIVE, 2);
    scenario *s2 = must_load(text, NULL);
    /* The sobol design itself has no randomness: same points for any seed. */
    for (size_t p = 0; p < s1->n_points; p++)
        for (size_t j = 0; j < 2; j++)
            assert_true(sch_equal(s1->swept[j].key, scn_point_value(s1, p, j),
                                  scn_point_value(s2, p, j)));
    double *y = malloc(s1->n_points * sizeof *y);
    for (size_t p = 0; p < s1->n_points; p++)
        y[p] = 2 * scn_point_value(s1, p, 0).r + 1e-6 * (double)scn_point_value(s1, p, 1).i;
    sens_result a[2], b[2], c[2];
    err e;
    assert_int_equal(sens_compute(s1, y, a, &e), 0);
    assert_int_equal(sens_compute(s1, y, b, &e), 0);
    assert_int_equal(sens_compute(s2, y, c, &e), 0);
    assert_memory_equal(a, b, sizeof a);          /* same seed: bit for bit */
    assert_true(a[0].S1 == c[0].S1 && a[1].ST == c[1].ST); /* the estimates do not resample */
    assert_true(a[0].S1_ci_low != c[0].S1_ci_low); /* another seed, other resamples */
    for (int j = 0; j < 2; j++) {
        assert_true(a[j].S1_ci_low <= a[j].S1 && a[j].S1 <= a[j].S1_ci_high);
        assert_true(a[j].ST_ci_low <= a[j].ST && a[j].ST <= a[j].ST_ci_high);
    }
    free(y);
    scn_free(s1);
    scn_free(s2);
}

static void additive_function_has_no_interactions(void **st)
{
    (void)st;
    char text[512];
    snprintf(text, sizeof text, ADDITIVE, 3);
    scenario *s = must_load(text, NULL);
    /* Rescale: u = (lambda - 1), v = customers / 1e6, y = 2u + v: Var 4/12 + 1/12. */
    double *y = malloc(s->n_points * sizeof *y);
    for (size_t p = 0; p < s->n_points; p++)
        y[p] = 2 * (scn_point_value(s, p, 0).r - 1) +
               (double)scn_point_value(s, p, 1).i / 1e6;
    sens_result r[2];
    err e;
    assert_int_equal(sens_compute(s, y, r, &e), 0);
    assert_true(fabs(r[0].S1 - 0.8) < 0.02 && fabs(r[0].ST - 0.8) < 0.02);
    assert_true(fabs(r[1].S1 - 0.2) < 0.02 && fabs(r[1].ST - 0.2) < 0.02);
    free(y);
    scn_free(s);
}

static void nan_samples_left_out_and_constant_output(void **st)
{
    (void)st;
    /* k = 1, n = 4 base samples: rows (A, B, AB^1). */
    double y[12] = {1, 2, 2, 3, 1, 1, 0, 5, 5, 4, 4, 4};
    sens_result full, part;
    err e;
    assert_int_equal(sens_saltelli(4, 1, y, 50, 1, &full, &e), 0);
    /* By hand: f(A) = 1 3 0 4, f(B) = 2 1 5 4, f(AB) = f(B); mean 2.5, V = 22/8;
     * S1 = (-0.5 * 1 + -1.5 * -2 + 2.5 * 5 + 1.5 * 0) / 4 / V (f(B) centred);
     * ST = (1 + 4 + 25 + 0) / 8 / V. */
    assert_true(fabs(full.S1 - 3.75 / 2.75) < 1e-12);
    assert_true(fabs(full.ST - 3.75 / 2.75) < 1e-12);
    y[4] = NAN; /* sample 1 has a point with no value */
    assert_int_equal(sens_saltelli(4, 1, y, 50, 1, &part, &e), 0);
    double kept[9] = {1, 2, 2, 0, 5, 5, 4, 4, 4};
    sens_result three;
    assert_int_equal(sens_saltelli(3, 1, kept, 0, 1, &three, &e), 0);
    assert_true(part.S1 == three.S1 && part.ST == three.ST);
    assert_true(isnan(three.S1_ci_low)); /* no resamples, no interval */
    double flat[6] = {3, 3, 3, 3, 3, 3};
    assert_int_equal(sens_saltelli(2, 1, flat, 20, 1, &part, &e), 0);
    assert_true(isnan(part.S1) && isnan(part.ST) && isnan(part.ST_ci_high));
}

/* A design of n = 2 base samples and k = 2 keys, by hand. Rows (A, B, AB^1,
 * AB^2): (1, 4, 3, 2) and (5, 2, 4, 6). f(A), f(B) = 1 4 5 2: mean 3,
 * V = (4 + 1 + 4 + 1) / 4 = 2.5.
 *   S1_1 = (1/2) [(4-3)(3-1) + (2-3)(4-5)] / V = 1.5 / 2.5 = 0.6
 *   S1_2 = (1/2) [(4-3)(2-1) + (2-3)(6-5)] / V = 0
 *   ST_1 = (1/4) [(1-3)^2 + (5-4)^2] / V = 1.25 / 2.5 = 0.5
 *   ST_2 = (1/4) [(1-2)^2 + (5-6)^2] / V = 0.5 / 2.5 = 0.2
 * The resample (1, 1) — sample 1 twice — has mean 3.5, V = 2.25:
 *   S1_1 = (2-3.5)(4-5) / V = 2/3, S1_2 = (2-3.5)(6-5) / V = -2/3,
 *   ST_1 = ST_2 = (1/2) (1)^2 / V = 2/9. */
static const double HAND[8] = {1, 4, 3, 2, 5, 2, 4, 6};

static void saltelli_and_jansen_on_a_hand_computed_design(void **st)
{
    (void)st;
    double s1[2], stot[2];
    const size_t both[2] = {0, 1}, twice[2] = {1, 1};
    sens_estimate(2, HAND, both, 2, s1, stot);
    assert_true(fabs(s1[0] - 0.6) < 1e-15 && fabs(s1[1]) < 1e-15);
    assert_true(fabs(stot[0] - 0.5) < 1e-15 && fabs(stot[1] - 0.2) < 1e-15);
    sens_estimate(2, HAND, twice, 2, s1, stot);
    assert_true(fabs(s1[0] - 2.0 / 3) < 1e-15 && fabs(s1[1] + 2.0 / 3) < 1e-15);
    assert_true(fabs(stot[0] - 2.0 / 9) < 1e-15 && fabs(stot[1] - 2.0 / 9) < 1e-15);
    /* sens_saltelli: the same estimates from every sample, and without
     * resamples no interval. */
    sens_result r[2];
    err e;
    assert_int_equal(sens_saltelli(2, 2, HAND, 0, 1, r, &e), 0);
    assert_true(fabs(r[0].S1 - 0.6) < 1e-15 && fabs(r[1].ST - 0.2) < 1e-15);
    assert_true(isnan(r[0].S1_ci_low) && isnan(r[1].ST_ci_high));
    /* One valid sample is too few: every index NaN. */
    assert_int_equal(sens_saltelli(1, 2, HAND, 10, 1, r, &e), 0);
    assert_true(isnan(r[0].S1) && isnan(r[1].ST) && isnan(r[0].S1_ci_low));
}

static void percentiles_of_the_finite_values(void **st)
{
    (void)st;
    double x[44];
    for (int i = 0; i < 41; i++)
        x[i] = 41 - i; /* 41 .. 1, unsorted on purpose */
    x[41] = NAN;
    x[42] = INFINITY;
    x[43] = -INFINITY;
    double lo, hi;
    sens_percentiles(x, 44, &lo, &hi);
    /* 41 values: the 2.5% point is at rank 0.025 * 40 = 1, the 97.5% at 39. */
    assert_true(lo == 2 && hi == 40);
    double none[3] = {NAN, INFINITY, NAN};
    sens_percentiles(none, 3, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

/* The intervals are a pure function of (outputs, seed): the resamples are
 * those of the Philox stream (seed, SENS_PURPOSE_BOOTSTRAP, 0, 0), drawn as
 * sensitivity.h says — checked by redoing the bootstrap here. */
static void bootstrap_is_the_documented_stream(void **st)
{
    (void)st;
    enum { N = 64, K = 3, B = 200 };
    double y[N * (K + 2)];
    for (size_t i = 0; i < N * (K + 2); i++)
        y[i] = sin(0.37 * (double)i) + 0.01 * (double)(i % 7);
    sens_result a[K], b[K], c[K];
    err e;
    assert_int_equal(sens_saltelli(N, K, y, B, 42, a, &e), 0);
    assert_int_equal(sens_saltelli(N, K, y, B, 42, b, &e), 0);
    assert_int_equal(sens_saltelli(N, K, y, B, 43, c, &e), 0);
    assert_memory_equal(a, b, sizeof a); /* same seed: bit for bit */
    for (int j = 0; j < K; j++) {
        assert_true(a[j].S1 == c[j].S1 && a[j].ST == c[j].ST); /* estimates do not resample */
        assert_true(a[j].S1_ci_low != c[j].S1_ci_low);         /* the intervals do */
    }
    /* By hand: B resamples of N indices, each estimated, then percentiles. */
    gsl_rng *r = rng_alloc();
    rng_stream(r, 42, SENS_PURPOSE_BOOTSTRAP, 0, 0);
    static double s1[K][B], stot[K][B];
    size_t idx[N];
    for (int k = 0; k < B; k++) {
        double e1[K], et[K];
        for (size_t i = 0; i < N; i++)
            idx[i] = gsl_rng_uniform_int(r, N);
        sens_estimate(K, y, idx, N, e1, et);
        for (int j = 0; j < K; j++) {
            s1[j][k] = e1[j];
            stot[j][k] = et[j];
        }
    }
    gsl_rng_free(r);
    for (int j = 0; j < K; j++) {
        double lo, hi;
        sens_percentiles(s1[j], B, &lo, &hi);
        assert_true(lo == a[j].S1_ci_low && hi == a[j].S1_ci_high);
        sens_percentiles(stot[j], B, &lo, &hi);
        assert_true(lo == a[j].ST_ci_low && hi == a[j].ST_ci_high);
    }
}

/* The ranked table from rows alone: by ST, NaN last, ties in row order,
 * grouped by output. */
static void ranked_table_from_rows(void **st)
{
    (void)st;
    const sens_row rows[] = {
        {"p", "k.a", 0.1, 0.0, 0.2, 0.2, 0.1, 0.3},
        {"p", "k.b", 0.5, 0.4, 0.6, 0.7, 0.6, 0.8},
        {"p", "k.c", NAN, NAN, NAN, NAN, NAN, NAN},
        {"p", "k.d", 0.1, NAN, NAN, 0.2, NAN, NAN},
        {"q", "k.a", 0.3, 0.2, 0.4, 0.3, 0.2, 0.4},
    };
    char *out = NULL;
    size_t len;
    FILE *f = open_memstream(&out, &len);
    sens_print_rows(f, rows, 5, 16);
    fclose(f);
    const char *want =
        "\nSobol indices of p, ranked by total effect ST (95% bootstrap intervals; 16 base "
        "samples)\n"
        "  rank  parameter  S1 (alone)               ST (with interactions)\n"
        "     1  k.b         0.500 [ 0.400,  0.600]   0.700 [ 0.600,  0.800]\n"
        "     2  k.a         0.100 [ 0.000,  0.200]   0.200 [ 0.100,  0.300]\n"
        "     3  k.d         0.100                    0.200\n"
        "     4  k.c             -                        -\n"
        "S1: share of the variance of p due to the key alone; ST: with all its\n"
        "interactions (ST - S1 large: the key matters through others). Sum of S1: nan\n"
        "\nSobol indices of q, ranked by total effect ST (95% bootstrap intervals; 16 base "
        "samples)\n"
        "  rank  parameter  S1 (alone)               ST (with interactions)\n"
        "     1  k.a         0.300 [ 0.200,  0.400]   0.300 [ 0.200,  0.400]\n"
        "S1: share of the variance of q due to the key alone; ST: with all its\n"
        "interactions (ST - S1 large: the key matters through others). Sum of S1: 0.300\n";
    if (strcmp(out, want) != 0)
        print_message("%s", out);
    assert_string_equal(out, want);
    free(out);
}

/* ---- designs ------------------------------------------------------------------ */

static const char LHS[] =
    "model = \"mm1\";\nseed = %d;\n"
    "sweep = { design = \"lhs\"; points = %d; parameters = (\n"
    "  { key = \"mm1.lambda\"; range = [0.1, 0.5]; },\n"
    "  { key = \"mm1.mu\"; range = [1.0, 2.0]; }\n); };\n";

static scenario *lhs_scenario(int seed, int points, const scn_overrides *ov)
{
    char text[512];
    snprintf(text, sizeof text, LHS, seed, points);
    return must_load(text, ov);
}

static void lhs_one_point_per_stratum(void **st)
{
    (void)st;
    const int n = 97;
    scenario *s = lhs_scenario(5, n, NULL);
    assert_int_equal(s->design, SCN_LHS);
    assert_int_equal(s->n_points, n);
    const double lo[2] = {0.1, 1.0}, hi[2] = {0.5, 2.0};
    for (size_t j = 0; j < 2; j++) {
        int seen[97] = {0};
        for (size_t p = 0; p < (size_t)n; p++) {
            double v = scn_point_value(s, p, j).r;
            assert_true(v >= lo[j] && v < hi[j]);
            int stratum = (int)floor((v - lo[j]) / (hi[j] - lo[j]) * n);
            assert_in_range(stratum, 0, n - 1);
            seen[stratum]++;
        }
        for (int i = 0; i < n; i++)
            assert_int_equal(seen[i], 1);
    }
    /* scn_point writes the same values into the parameters. */
    struct { double lambda, mu; int64_t customers; } v;
    scn_point(s, 3, &v);
    assert_true(v.lambda == scn_point_value(s, 3, 0).r && v.mu == scn_point_value(s, 3, 1).r);
    scn_free(s);
}

static void lhs_reproducible_from_the_seed(void **st)
{
    (void)st;
    scenario *a = lhs_scenario(5, 40, NULL), *b = lhs_scenario(5, 40, NULL);
    scenario *c = lhs_scenario(6, 40, NULL);
    scn_overrides ov = {.replications = -1, .seed = 6};
    scenario *d = lhs_scenario(5, 40, &ov); /* -s 6 */
    int differ = 0;
    for (size_t p = 0; p < 40; p++)
        for (size_t j = 0; j < 2; j++) {
            assert_true(scn_point_value(a, p, j).r == scn_point_value(b, p, j).r);
            assert_true(scn_point_value(c, p, j).r == scn_point_value(d, p, j).r);
            differ += scn_point_value(a, p, j).r != scn_point_value(c, p, j).r;
        }
    assert_true(differ > 70);
    scn_free(a);
    scn_free(b);
    scn_free(c);
    scn_free(d);
}

static void lhs_integers_round_booleans_split_levels_even(void **st)
{
    (void)st;
    scenario *s = must_load(
        "seed = 3;\nsweep = { design = \"lhs\"; points = 40; parameters = (\n"
        "  { key = \"force.troops\"; range = [10000, 30000]; },\n"
        "  { key = \"us_backstop.enabled\"; },\n"
        "  { key = \"force.mandate\"; values = [\"deterrence\", \"monitoring\"]; },\n"
        "  { key = \"russia.probe_battalions\"; range = [1, 3]; }\n); };\n", NULL);
    assert_int_equal(s->n_points, 40);
    int on = 0, monitoring = 0, battalions[4] = {0};
    for (size_t p = 0; p < 40; p++) {
        int64_t t = scn_point_value(s, p, 0).i;
        assert_true(t >= 10000 && t <= 30000);
        on += scn_point_value(s, p, 1).b;
        monitoring += scn_point_value(s, p, 2).c == 1;
        int64_t bn = scn_point_value(s, p, 3).i;
        assert_in_range(bn, 1, 3);
        battalions[bn]++;
    }
    assert_int_equal(on, 20);         /* strata below 1/2: false; above: true */
    assert_int_equal(monitoring, 20); /* two levels, 20 strata each */
    assert_int_equal(battalions[1], 10); /* rounded to nearest: [0, 1/4) -> 1 */
    assert_int_equal(battalions[2], 20); /* [1/4, 3/4) -> 2 */
    assert_int_equal(battalions[3], 10);
    scn_free(s);

    /* The map itself, at the edges. */
    scn_swept w = {.ranged = 1};
    const model_def *m = model_find("reassurance");
    w.key = sch_find(m->keys, m->n_keys, "russia.probe_battalions");
    w.lo.i = 1;
    w.hi.i = 3;
    assert_int_equal(scn_design_value(&w, 0.0).i, 1);
    assert_int_equal(scn_design_value(&w, 0.2499).i, 1);
    assert_int_equal(scn_design_value(&w, 0.2501).i, 2);
    assert_int_equal(scn_design_value(&w, 0.7501).i, 3);
    assert_int_equal(scn_design_value(&w, nextafter(1.0, 0.0)).i, 3);
    w.key = sch_find(m->keys, m->n_keys, "us_backstop.enabled");
    w.lo.b = 0;
    w.hi.b = 1;
    assert_int_equal(scn_design_value(&w, 0.4999).b, 0);
    assert_int_equal(scn_design_value(&w, 0.5).b, 1);
    w.key = sch_find(m->keys, m->n_keys, "force.basing_distance_km");
    w.lo.r = 100;
    w.hi.r = 800;
    assert_true(scn_design_value(&w, 0.0).r == 100);
    assert_true(scn_design_value(&w, 0.5).r == 450);
    assert_true(scn_design_value(&w, nextafter(1.0, 0.0)).r <= 800);
}

static void sobol_points_follow_saltelli(void **st)
{
    (void)st;
    scenario *s = must_load(
        "model = \"ishigami\";\nsweep = { design = \"sobol\"; samples = 16; parameters = (\n"
        "  { key = \"ishigami.x1\"; range = [-1.0, 1.0]; },\n"
        "  { key = \"ishigami.x2\"; range = [0.0, 2.0]; },\n"
        "  { key = \"ishigami.x3\"; range = [-3.0, 0.0]; }\n); };\n", NULL);
    size_t k = 3, w = k + 2;
    assert_int_equal(s->n_points, 16 * w);
    assert_int_equal(s->samples, 16);
    for (size_t i = 0; i < 16; i++) {
        size_t A = i * w, B = A + 1;
        int differ = 0;
        for (size_t j = 0; j < k; j++) {
            double a = scn_point_value(s, A, j).r, b = scn_point_value(s, B, j).r;
            differ += a != b;
            for (size_t m = 0; m < k; m++) {
                double ab = scn_point_value(s, A + 2 + m, j).r;
                assert_true(ab == (j == m ? b : a));
            }
        }
        assert_true(differ > 0); /* A_i and B_i are different points */
    }
    /* The sequence's centre point (1/2, ..., 1/2) is skipped: the first row
     * is its next point, (3/4, 1/4, 3/4 | 1/4, 3/4, 1/4). */
    assert_true(scn_point_value(s, 0, 0).r == 0.5 && scn_point_value(s, 0, 1).r == 0.5);
    assert_true(scn_point_value(s, 0, 2).r == -0.75);
    assert_true(scn_point_value(s, 1, 0).r == -0.5 && scn_point_value(s, 1, 2).r == -2.25);
    /* The raw design for k = 2: rows of [0, 1). */
    double u[4 * 4 * 2];
    assert_int_equal(scn_design_sobol(4, 2, u), 0);
    for (size_t i = 0; i < 4 * 4 * 2; i++)
        assert_true(u[i] > 0 && u[i] < 1);
    assert_int_equal(scn_design_sobol(4, SCN_MAX_SOBOL_KEYS + 1, u), -1);
    scn_free(s);
}

static void sobol_outputs_default_and_named(void **st)
{
    (void)st;
    scenario *s = must_load(
        "sweep = { design = \"sobol\"; samples = 4; parameters = (\n"
        "  { key = \"force.troops\"; range = [10000, 30000]; }\n); };\n", NULL);
    assert_int_equal(s->n_outputs, 1);
    assert_string_equal(s->model->summaries[s->outputs[0]].name, "p_rung_ge_7");
    assert_int_equal(s->n_points, 4 * 3);
    scn_free(s);
    s = must_load("model = \"mm1\";\nmm1 = { mu = 9.0; };\n"
                  "sweep = { design = \"sobol\"; samples = 4; "
                  "outputs = [\"mean_time_in_system\", \"customers_served\"];\n"
                  "  parameters = ( { key = \"mm1.lambda\"; range = [0.1, 0.9]; } ); };\n",
                  NULL);
    assert_int_equal(s->n_outputs, 2);
    assert_string_equal(s->model->summaries[s->outputs[0]].name, "mean_time_in_system");
    assert_string_equal(s->model->summaries[s->outputs[1]].name, "customers_served");
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ishigami_model_is_the_function),
        cmocka_unit_test(ishigami_indices_match_closed_form),
        cmocka_unit_test(sensitivity_table_written_and_ranked),
        cmocka_unit_test(nothing_for_other_designs),
        cmocka_unit_test(bootstrap_is_deterministic_from_the_seed),
        cmocka_unit_test(additive_function_has_no_interactions),
        cmocka_unit_test(nan_samples_left_out_and_constant_output),
        cmocka_unit_test(saltelli_and_jansen_on_a_hand_computed_design),
        cmocka_unit_test(percentiles_of_the_finite_values),
        cmocka_unit_test(bootstrap_is_the_documented_stream),
        cmocka_unit_test(ranked_table_from_rows),
        cmocka_unit_test(lhs_one_point_per_stratum),
        cmocka_unit_test(lhs_reproducible_from_the_seed),
        cmocka_unit_test(lhs_integers_round_booleans_split_levels_even),
        cmocka_unit_test(sobol_points_follow_saltelli),
        cmocka_unit_test(sobol_outputs_default_and_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
