/* test_models.c — the validation models against their exact answers.
 *
 * Each estimate is checked against the exact value with a 99.9% interval,
 * so a correct model fails a check about once in a thousand seeds; the
 * seeds are fixed, so a run is deterministic and a failure means a change.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "run.h"
#include "scn.h"
#include "testutil.h"

static const double Z999 = 3.2905267314919255; /* two-sided 99.9% normal */

static scenario *load(const char *text, const char *const *sets, size_t n_sets)
{
    char path[256];
    assert_non_null(tu_write(path, sizeof path, "s.cfg", text));
    scn_overrides ov = {.sets = sets, .n_sets = n_sets, .replications = -1, .seed = -1};
    err e;
    err_clear(&e);
    scenario *s = scn_load(path, &ov, &e);
    if (s == NULL)
        fail_msg("%s:%d: %s: %s", e.file, e.line, e.key, e.msg);
    tu_remove(path);
    return s;
}

/* Runs n replications of point 0 and returns the mean of measure m and the
 * share of outcome `outcome` (if outcome >= 0). */
typedef struct sample {
    double mean, sd, share;
    uint64_t n, hits;
} sample;

static sample replicate(const scenario *s, uint64_t n, int m, int outcome)
{
    sample r = {0};
    double values[16], sum = 0, sum2 = 0;
    for (uint64_t rep = 0; rep < n; rep++) {
        int32_t oc;
        err e;
        assert_int_equal(run_one(s, 0, rep, &oc, values, NULL, &e), 0);
        sum += values[m];
        sum2 += values[m] * values[m];
        r.hits += outcome >= 0 && oc == outcome;
    }
    r.n = n;
    r.mean = sum / (double)n;
    r.sd = sqrt((sum2 - sum * sum / (double)n) / (double)(n - 1));
    r.share = (double)r.hits / (double)n;
    return r;
}

static void check_p_x_wins(const char *law, double a, double b, int x0, int y0, uint64_t n)
{
    char text[512];
    snprintf(text, sizeof text,
             "model = \"lanchester\"; seed = 11;\n"
             "lanchester = { law = \"%s\"; x0 = %d; y0 = %d; a = %.17g; b = %.17g; };\n",
             law, x0, y0, a, b);
    scenario *s = load(text, NULL, 0);
    sample r = replicate(s, n, 0, 0 /* x_wins */);
    double exact = tu_brown(strcmp(law, "square") == 0, a, b, x0, y0);
    double half = Z999 * sqrt(exact * (1 - exact) / (double)n);
    if (fabs(r.share - exact) > half)
        fail_msg("%s law %d vs %d (a=%g b=%g): P(X wins) %.4f, exact %.4f, 99.9%% half-width %.4f",
                 law, x0, y0, a, b, r.share, exact, half);
    scn_free(s);
}

static void lanchester_square_matches_brown(void **st)
{
    (void)st;
    check_p_x_wins("square", 0.8, 1.0, 12, 10, 20000);
    check_p_x_wins("square", 1.0, 1.0, 5, 5, 20000);
    check_p_x_wins("square", 2.0, 0.5, 3, 9, 20000);
    check_p_x_wins("square", 1.0, 1.0, 1, 1, 20000);
}

static void lanchester_linear_matches_brown(void **st)
{
    (void)st;
    check_p_x_wins("linear", 1.0, 0.7, 8, 10, 20000);
    check_p_x_wins("linear", 0.8, 1.0, 12, 10, 20000);
}

/* The recursion itself: symmetric battles are even, and X with all the
 * advantages almost surely wins. (Guards the oracle.) */
static void brown_recursion_sane(void **st)
{
    (void)st;
    assert_true(fabs(tu_brown(1, 1.0, 1.0, 7, 7) - 0.5) < 1e-12);
    assert_true(fabs(tu_brown(0, 1.0, 1.0, 7, 7) - 0.5) < 1e-12);
    assert_true(tu_brown(1, 4.0, 1.0, 40, 10) > 0.999999);
    assert_true(fabs(tu_brown(1, 1.0, 1.0, 1, 1) - 0.5) < 1e-12);
}

/* Mean |relative change| of the law's invariant over a battle of
 * 3000k vs 2000k units: a x^2 - b y^2 (square) or a x - b y (linear). */
static double invariant_drift(int square, int k)
{
    double x0 = 3000.0 * k, y0 = 2000.0 * k;
    double a = square ? 1.5 : 0.001, b = square ? 2.0 : 0.0012;
    char sets[5][64];
    snprintf(sets[0], 64, "lanchester.law=%s", square ? "square" : "linear");
    snprintf(sets[1], 64, "lanchester.x0=%.0f", x0);
    snprintf(sets[2], 64, "lanchester.y0=%.0f", y0);
    snprintf(sets[3], 64, "lanchester.a=%g", a);
    snprintf(sets[4], 64, "lanchester.b=%g", b);
    const char *const ptrs[] = {sets[0], sets[1], sets[2], sets[3], sets[4]};
    scenario *s = load("model = \"lanchester\"; seed = 3;\n", ptrs, 5);
    double inv0 = square ? a * x0 * x0 - b * y0 * y0 : a * x0 - b * y0, sum = 0;
    const uint64_t reps = 8;
    for (uint64_t rep = 0; rep < reps; rep++) {
        double v[3];
        int32_t oc;
        err e;
        assert_int_equal(run_one(s, 0, rep, &oc, v, NULL, &e), 0);
        assert_int_equal(oc, 0); /* X has the advantage in both set-ups */
        double inv = square ? a * v[1] * v[1] - b * v[2] * v[2] : a * v[1] - b * v[2];
        sum += fabs(inv - inv0) / inv0;
    }
    scn_free(s);
    return sum / reps;
}

/* Deterministic limit: as the forces grow, the stochastic battle follows
 * Lanchester's ODEs, whose invariant is conserved: the relative drift
 * shrinks like 1/sqrt(units) (10x for 100x the units) and is under 2% at
 * 300,000 units. The linear set-up's drift is known exactly: each loss is
 * X's with probability p = b / (a + b), so X's losses until Y's 2000k are
 * negative binomial, sd sqrt(2000k p) / (1 - p), and the mean |drift| is
 * a sd sqrt(2 / pi) / (0.6k): 0.097 at k = 1, 0.0097 at k = 100, whose mean
 * over 8 replications has sd 0.0026; so 2% (4 sd above) is the bound, not
 * 1%, which its expectation nearly reaches (an earlier 1% passed by the
 * draws' luck, about one seed in two). */
static void lanchester_deterministic_limit(void **st)
{
    (void)st;
    for (int square = 0; square <= 1; square++) {
        double small = invariant_drift(square, 1), large = invariant_drift(square, 100);
        if (!(large < 0.02 && small / large > 4.0))
            fail_msg("%s law: invariant drift %.4f at 3000 units, %.4f at 300000",
                     square ? "square" : "linear", small, large);
    }
}

/* Every battle ends with exactly one side at zero, and never gains units. */
static void lanchester_invariants(void **st)
{
    (void)st;
    scenario *s = load("model = \"lanchester\"; seed = 5;\n"
                       "lanchester = { x0 = 6; y0 = 9; };\n", NULL, 0);
    for (uint64_t rep = 0; rep < 2000; rep++) {
        double v[3];
        int32_t oc;
        uint64_t events;
        err e;
        assert_int_equal(run_one(s, 0, rep, &oc, v, &events, &e), 0);
        assert_true((v[1] == 0) != (v[2] == 0));
        assert_true(v[1] >= 0 && v[1] <= 6 && v[2] >= 0 && v[2] <= 9);
        assert_int_equal(oc, v[2] == 0 ? 0 : 1);
        /* One event per unit lost. */
        assert_int_equal(events, (uint64_t)((6 - v[1]) + (9 - v[2])));
        assert_true(v[0] > 0);
    }
    scn_free(s);
}

static void check_mm1(double lambda, double mu, int customers, uint64_t reps)
{
    char text[256];
    snprintf(text, sizeof text,
             "model = \"mm1\"; seed = 21;\n"
             "mm1 = { lambda = %.17g; mu = %.17g; customers = %d; };\n",
             lambda, mu, customers);
    scenario *s = load(text, NULL, 0);
    double wq = lambda / (mu * (mu - lambda)), w = 1.0 / (mu - lambda);
    sample q = replicate(s, reps, 0, -1);
    sample t = replicate(s, reps, 1, -1);
    double tq = gsl_cdf_tdist_Pinv(0.9995, (double)(reps - 1));
    double hq = tq * q.sd / sqrt((double)reps), ht = tq * t.sd / sqrt((double)reps);
    if (fabs(q.mean - wq) > hq)
        fail_msg("M/M/1 lambda=%g mu=%g: mean wait %.4f, exact %.4f, 99.9%% half-width %.4f",
                 lambda, mu, q.mean, wq, hq);
    if (fabs(t.mean - w) > ht)
        fail_msg("M/M/1 lambda=%g mu=%g: time in system %.4f, exact %.4f, half-width %.4f",
                 lambda, mu, t.mean, w, ht);
    /* The interval is informative: narrower than a fifth of the answer. */
    assert_true(hq < 0.2 * wq);
    sample served = replicate(s, 3, 2, -1);
    assert_true(served.mean == customers);
    scn_free(s);
}

static void mm1_matches_exact_wait(void **st)
{
    (void)st;
    check_mm1(0.9, 1.0, 100000, 20);
    check_mm1(0.5, 1.0, 20000, 40);
    check_mm1(2.0, 5.0, 20000, 40);
}

/* lambda >= mu has no steady state: refused with the key named. */
static void mm1_refuses_unstable(void **st)
{
    (void)st;
    char path[256];
    assert_non_null(tu_write(path, sizeof path, "s.cfg",
                             "model = \"mm1\";\nmm1 = { lambda = 1.0; mu = 1.0; };\n"));
    err e;
    err_clear(&e);
    assert_null(scn_load(path, NULL, &e));
    assert_int_equal(e.kind, ERR_INPUT);
    assert_string_equal(e.key, "mm1.lambda");
    tu_remove(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(brown_recursion_sane),
        cmocka_unit_test(lanchester_square_matches_brown),
        cmocka_unit_test(lanchester_linear_matches_brown),
        cmocka_unit_test(lanchester_deterministic_limit),
        cmocka_unit_test(lanchester_invariants),
        cmocka_unit_test(mm1_matches_exact_wait),
        cmocka_unit_test(mm1_refuses_unstable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
