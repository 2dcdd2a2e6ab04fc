/* test_reassurance.c — the reassurance model: calibration targets of
 * MODEL.md with confidence bounds, invariants, and common random numbers.
 *
 * Seeds are fixed, so each run is deterministic; bounds are 95% (or
 * wider where said) intervals, so a correct model passes with a margin
 * and a change that moves a target fails.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "reassurance.h"
#include "run.h"
#include "scn.h"
#include "stats.h"
#include "testutil.h"

enum { O_QUIET, O_CONTESTED, O_REPELLED, O_BREAKTHROUGH, O_COLLAPSE, O_WAR };
enum { M_MAX_RUNG, M_FIRST_BREACH, M_FORCE_CAS, M_UKRAINE_CAS, M_RUSSIA_CAS, M_TERRITORY,
       M_WITHDRAWN, M_US_ENGAGED, M_PROBES, M_PROBES_REPELLED, M_VIOLATIONS, M_HIGH_DAYS,
       M_ATTACKER_LOSS_RATE, M_DEFENDER_LOSS_RATE, N_MEASURES };

typedef struct rep {
    int32_t outcome;
    double v[N_MEASURES];
} rep;

/* Runs replications 0..n-1 of point p of the scenario text with --set
 * overrides; returns a malloc'd array. */
static rep *run_reps(const char *text, const char *const *sets, size_t n_sets, size_t point,
                     uint64_t n)
{
    char path[256];
    assert_non_null(tu_write(path, sizeof path, "s.cfg", text));
    scn_overrides ov = {.sets = sets, .n_sets = n_sets, .replications = -1, .seed = -1};
    err e;
    err_clear(&e);
    scenario *s = scn_load(path, &ov, &e);
    tu_remove(path);
    if (s == NULL)
        fail_msg("%s:%d: %s: %s", e.file, e.line, e.key, e.msg);
    assert_int_equal(s->model->n_measures, N_MEASURES);
    rep *r = calloc(n, sizeof *r);
    for (uint64_t i = 0; i < n; i++)
        assert_int_equal(run_one(s, point, i, &r[i].outcome, r[i].v, NULL, &e), 0);
    scn_free(s);
    return r;
}

static double share_ge7(const rep *r, uint64_t n, uint64_t *k)
{
    *k = 0;
    for (uint64_t i = 0; i < n; i++)
        *k += r[i].v[M_MAX_RUNG] >= 7;
    return (double)*k / (double)n;
}

static const char BASE[] = "seed = 2025;\n";

/* MODEL.md: with no force and no backstop, about half of the replications
 * see renewed large-scale fighting (rung >= 7) within 730 days. */
static void calibration_no_force_about_half(void **st)
{
    (void)st;
    const char *sets[] = {"force.troops=0", "us_backstop.enabled=false"};
    const uint64_t n = 6000;
    rep *r = run_reps(BASE, sets, 2, 0, n);
    uint64_t k;
    double p = share_ge7(r, n, &k), lo, hi;
    stats_wilson(k, n, &lo, &hi);
    if (!(lo < 0.55 && hi > 0.45 && p > 0.45 && p < 0.55))
        fail_msg("P(rung >= 7) with no force = %.3f [%.3f, %.3f], not about half", p, lo, hi);
    free(r);
}

/* MODEL.md: a credible force (30k, with backstop) cuts that risk by 50-75%
 * (Fortna 2008). The reduction's interval (delta method on the ratio of
 * two proportions) must reach into the band, the estimate lie inside it. */
static void calibration_credible_force_cuts_risk(void **st)
{
    (void)st;
    const uint64_t n = 6000;
    const char *none[] = {"force.troops=0"};
    const char *strong[] = {"force.troops=30000", "us_backstop.enabled=true"};
    rep *a = run_reps(BASE, none, 1, 0, n), *b = run_reps(BASE, strong, 2, 0, n);
    uint64_t ka, kb;
    double pa = share_ge7(a, n, &ka), pb = share_ge7(b, n, &kb);
    double cut = 1.0 - pb / pa;
    double se = (pb / pa) * sqrt((1 - pa) / (pa * n) + (1 - pb) / (pb * n));
    if (!(cut >= 0.5 && cut <= 0.75 && cut - 1.96 * se < 0.75 && cut + 1.96 * se > 0.5))
        fail_msg("30k with backstop cuts P(rung >= 7) from %.3f to %.3f: by %.1f%% (+-%.1f)",
                 pa, pb, 100 * cut, 196 * se);
    free(a);
    free(b);
}

/* Dupuy's QJM: attackers lose 2.8%/day and defenders 1.5%/day typically,
 * at most 13.44% and 5.76%. Mean daily loss fractions in the offensives. */
static void engagements_within_qjm_bounds(void **st)
{
    (void)st;
    const char *sets[] = {"force.troops=0"};
    const uint64_t n = 3000;
    rep *r = run_reps(BASE, sets, 1, 0, n);
    double sa = 0, sd = 0, sa2 = 0, sd2 = 0;
    uint64_t m = 0;
    for (uint64_t i = 0; i < n; i++) {
        double a = r[i].v[M_ATTACKER_LOSS_RATE], d = r[i].v[M_DEFENDER_LOSS_RATE];
        assert_true(isnan(a) == isnan(d));
        assert_true(isnan(a) || r[i].v[M_MAX_RUNG] >= 7); /* rates come from offensives */
        if (isnan(a))
            continue;
        m++;
        sa += a;
        sd += d;
        sa2 += a * a;
        sd2 += d * d;
    }
    assert_true(m > n / 4);
    double ma = sa / m, md = sd / m;
    double ha = 1.96 * sqrt((sa2 / m - ma * ma) / m), hd = 1.96 * sqrt((sd2 / m - md * md) / m);
    if (!(ma + ha <= 0.1344 && md + hd <= 0.0576))
        fail_msg("loss fractions %.4f (+-%.4f) attacker, %.4f (+-%.4f) defender exceed QJM bounds",
                 ma, ha, md, hd);
    /* ... and sit near the typical rates, within a factor of two. */
    assert_true(ma > 0.014 && ma < 0.056);
    assert_true(md > 0.0075 && md < 0.03);
    free(r);
}

/* The 3:1 rule: Ukraine alone holds a 3:1 offensive about half the time. */
static void three_to_one_holds_about_half(void **st)
{
    (void)st;
    const char *sets[] = {"force.troops=0", "russia.offensive_probability=1",
                          "horizon_days=120"}; /* < russia.regeneration_days: one offensive */
    const uint64_t n = 4000;
    rep *r = run_reps(BASE, sets, 3, 0, n);
    uint64_t offensives = 0, breaks = 0;
    for (uint64_t i = 0; i < n; i++) {
        if (r[i].v[M_MAX_RUNG] < 7)
            continue;
        offensives++;
        breaks += r[i].outcome == O_BREAKTHROUGH;
    }
    assert_true(offensives > n * 9 / 10);
    double lo, hi, hold = 1.0 - (double)breaks / (double)offensives;
    stats_wilson(offensives - breaks, offensives, &lo, &hi);
    if (!(lo < 0.6 && hi > 0.4))
        fail_msg("defence holds %.3f [%.3f, %.3f] of 3:1 offensives, not about half", hold, lo, hi);
    free(r);
}

/* OSCE regimes: ~750-1,100 violations a day in the high regime, ~47 with
 * zero days after a recommitment — an order of magnitude less. */
static void violations_follow_osce_regimes(void **st)
{
    (void)st;
    const uint64_t n = 400;
    const char *high[] = {"violations.recommitment_rate_per_day=0", "force.troops=0",
                          "russia.decision_rate_per_day=0.000001"};
    const char *low[] = {"violations.initial_regime=low", "violations.relapse_rate_per_day=0",
                         "force.troops=0", "russia.decision_rate_per_day=0.000001"};
    rep *h = run_reps(BASE, high, 3, 0, n), *l = run_reps(BASE, low, 4, 0, n);
    double sh = 0, sl = 0;
    for (uint64_t i = 0; i < n; i++) {
        assert_true(h[i].v[M_HIGH_DAYS] == 730 && l[i].v[M_HIGH_DAYS] == 0);
        sh += h[i].v[M_VIOLATIONS] / 730;
        sl += l[i].v[M_VIOLATIONS] / 730;
    }
    sh /= n;
    sl /= n;
    assert_true(sh >= 750 && sh <= 1100);
    assert_true(fabs(sl - 47) < 3);
    assert_true(sh / sl > 10);
    free(h);
    free(l);

    /* One day in the low regime: zero violations about 10% of the time
     * (negative binomial, size 0.5, mean 47: (0.5/47.5)^0.5 = 0.1026). */
    const char *day[] = {"horizon_days=1", "violations.initial_regime=low",
                         "violations.relapse_rate_per_day=0", "force.troops=0"};
    const uint64_t nd = 4000;
    rep *d = run_reps(BASE, day, 4, 0, nd);
    uint64_t zeros = 0;
    for (uint64_t i = 0; i < nd; i++)
        zeros += d[i].v[M_VIOLATIONS] == 0;
    double lo, hi;
    stats_wilson(zeros, nd, &lo, &hi);
    if (!(lo <= 0.1026 && 0.1026 <= hi))
        fail_msg("zero-violation days %.4f [%.4f, %.4f], expected 0.1026",
                 (double)zeros / nd, lo, hi);
    free(d);
}

/* Invariants of every replication, over a mix of settings. */
static void invariants_hold(void **st)
{
    (void)st;
    const char *variants[][3] = {
        {"force.troops=0", "us_backstop.enabled=true", "force.mandate=deterrence"},
        {"force.troops=30000", "us_backstop.enabled=true", "force.basing_distance_km=900"},
        {"force.troops=10000", "force.mandate=peacekeeping", "force.basing_distance_km=50"},
        {"force.troops=200000", "force.mandate=monitoring", "coalition.casualty_tolerance_scale=0.01"},
    };
    for (size_t v = 0; v < 4; v++) {
        const uint64_t n = 1500;
        rep *r = run_reps(BASE, variants[v], 3, 0, n);
        for (uint64_t i = 0; i < n; i++) {
            const double *x = r[i].v;
            int rung = (int)x[M_MAX_RUNG];
            assert_true(rung >= 1 && rung <= 9);
            assert_true((r[i].outcome == O_WAR) == (rung == 9));
            assert_true(r[i].outcome != O_QUIET || rung <= 2);
            assert_true(r[i].outcome != O_BREAKTHROUGH || rung >= 7);
            assert_true(r[i].outcome != O_REPELLED || rung >= 7);
            assert_true(isnan(x[M_FIRST_BREACH]) == (rung < 4));
            assert_true(isnan(x[M_FIRST_BREACH]) ||
                        (x[M_FIRST_BREACH] >= 0 && x[M_FIRST_BREACH] <= 730));
            for (int m = M_FORCE_CAS; m <= M_VIOLATIONS; m++)
                assert_true(x[m] >= 0);
            assert_true(x[M_PROBES_REPELLED] <= x[M_PROBES]);
            assert_true(x[M_HIGH_DAYS] >= 0 && x[M_HIGH_DAYS] <= 730 + 1e-9);
            if (v == 0) { /* no force: nothing of the force can happen */
                assert_true(x[M_FORCE_CAS] == 0 && x[M_WITHDRAWN] == 0 && x[M_US_ENGAGED] == 0);
                assert_true(r[i].outcome != O_COLLAPSE);
            }
        }
        free(r);
    }
}

/* Common random numbers: each kind of randomness has its own stream, so a
 * parameter that touches only violation counts leaves every other draw —
 * and so every decision, engagement and rung — as it was. */
static void common_random_numbers_isolate_streams(void **st)
{
    (void)st;
    const char text[] = "seed = 9;\nsweep = { parameters = ( { key = "
                        "\"violations.high_mean_per_day\"; values = [900.0, 1000.0]; } ); };\n";
    const uint64_t n = 500;
    rep *a = run_reps(text, NULL, 0, 0, n), *b = run_reps(text, NULL, 0, 1, n);
    uint64_t differ = 0;
    for (uint64_t i = 0; i < n; i++) {
        assert_int_equal(a[i].outcome, b[i].outcome);
        for (int m = 0; m < N_MEASURES; m++) {
            if (m == M_VIOLATIONS)
                continue;
            assert_true(a[i].v[m] == b[i].v[m] || (isnan(a[i].v[m]) && isnan(b[i].v[m])));
        }
        differ += a[i].v[M_VIOLATIONS] != b[i].v[M_VIOLATIONS];
    }
    assert_true(differ > n * 9 / 10); /* the swept parameter did act */
    free(a);
    free(b);
}

/* With common random numbers, P(rung >= 7) does not rise with the force's
 * size, nor when the backstop is enabled; and the pairing is real: most
 * replications end on the same side of rung 7 at neighbouring points. */
static void crn_risk_falls_with_troops_and_backstop(void **st)
{
    (void)st;
    const char text[] =
        "seed = 4;\nsweep = { parameters = (\n"
        "  { key = \"us_backstop.enabled\"; values = [false, true]; },\n"
        "  { key = \"force.troops\"; values = [0, 10000, 20000, 30000]; } ); };\n";
    const uint64_t n = 3000;
    rep *r[8];
    double p[8];
    for (size_t pt = 0; pt < 8; pt++) {
        uint64_t k;
        r[pt] = run_reps(text, NULL, 0, pt, n);
        p[pt] = share_ge7(r[pt], n, &k);
    }
    for (size_t b = 0; b < 2; b++)
        for (size_t t = 1; t < 4; t++)
            if (p[b * 4 + t] > p[b * 4 + t - 1])
                fail_msg("P(rung >= 7) rises from %.4f to %.4f with troops (backstop %zu)",
                         p[b * 4 + t - 1], p[b * 4 + t], b);
    for (size_t t = 0; t < 4; t++)
        if (p[4 + t] > p[t])
            fail_msg("P(rung >= 7) rises from %.4f to %.4f with the backstop (point %zu)", p[t],
                     p[4 + t], t);
    uint64_t same = 0;
    for (uint64_t i = 0; i < n; i++)
        same += (r[2][i].v[M_MAX_RUNG] >= 7) == (r[3][i].v[M_MAX_RUNG] >= 7);
    assert_true(same > n * 8 / 10); /* independent samples would agree ~50% */
    for (size_t pt = 0; pt < 8; pt++)
        free(r[pt]);
}

/* The smallest valid values run and give sane results. */
static void edges_run(void **st)
{
    (void)st;
    const char *sets[] = {"force.troops=0", "force.basing_distance_km=0", "horizon_days=1"};
    rep *r = run_reps(BASE, sets, 3, 0, 50);
    for (int i = 0; i < 50; i++) {
        assert_true(r[i].v[M_MAX_RUNG] >= 1 && r[i].v[M_MAX_RUNG] <= 9);
        assert_true(r[i].v[M_HIGH_DAYS] <= 1.0);
    }
    free(r);
    const char *near[] = {"force.troops=800", "force.basing_distance_km=0",
                          "force.readiness_days=0", "us_backstop.enabled=true"};
    r = run_reps(BASE, near, 4, 0, 200);
    free(r);
}

/* Loads a scenario text with overrides (for traces). */
static scenario *load_scn(const char *text, const char *const *sets, size_t n_sets)
{
    char path[256];
    assert_non_null(tu_write(path, sizeof path, "s.cfg", text));
    scn_overrides ov = {.sets = sets, .n_sets = n_sets, .replications = -1, .seed = -1};
    err e;
    err_clear(&e);
    scenario *sc = scn_load(path, &ov, &e);
    tu_remove(path);
    if (sc == NULL)
        fail_msg("%s: %s", e.key, e.msg);
    return sc;
}

/* Timing laws read from the story of many replications: a wave of the
 * force joins exactly one response time (or, for contingents that need a
 * vote, combat_approval_days) after its engagement began — never a late
 * wave of an ended engagement — and US air power engages exactly
 * delay_days after the decision of this engagement (never carried over). */
static void engagements_keep_their_timing(void **st)
{
    (void)st;
    const char *sets[] = {"force.troops=30000", "force.basing_distance_km=100",
                          "russia.probe_probability=1", "russia.decision_rate_per_day=3",
                          "us_backstop.enabled=true", "horizon_days=200"};
    scenario *sc = load_scn(BASE, sets, 6);
    const double response = 2 + 100.0 / 150 - 2; /* readiness + distance/speed - warning */
    int joins = 0, engages = 0;
    for (uint64_t rep = 0; rep < 40; rep++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        err e;
        assert_int_equal(run_trace(sc, 0, rep, f, &e), 0);
        fclose(f);
        double start = -1, decided = -1;
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
            double day;
            if (sscanf(line, "day %lf", &day) != 1)
                continue;
            if (strstr(line, "Russian probe") || strstr(line, "large Russian offensive"))
                start = day, decided = -1;
            if (strstr(line, "force battalions join the fight") && !strstr(line, "interposes")) {
                joins++;
                /* first wave after the response time; contingents that need a vote
                 * after combat_approval_days (7); both days print to 0.1 */
                if (fabs(day - (start + response)) > 0.101 && fabs(day - (start + 7.0)) > 0.101)
                    fail_msg("rep %llu: a wave joins on day %.1f; the engagement began on day "
                             "%.1f, response %.2f days", (unsigned long long)rep, day, start,
                             response);
            }
            if (strstr(line, "the US decides to back the force"))
                decided = day;
            if (strstr(line, "US air power engages")) {
                engages++;
                if (decided < 0 || fabs(day - (decided + 2.0)) > 0.101)
                    fail_msg("rep %llu: US air power engages on day %.1f; decided on day %.1f",
                             (unsigned long long)rep, day, decided);
            }
        }
        free(buf);
    }
    assert_true(joins > 40 && engages > 10); /* the laws were exercised */
    scn_free(sc);
}

/* A force that arrives exactly at the fait accompli deadline is in time:
 * at 150 km the response is 2 + 150/150 = 3 days = fait_accompli_days. */
static void arrival_at_the_deadline_is_in_time(void **st)
{
    (void)st;
    const uint64_t n = 1500;
    double share[2];
    const char *km[] = {"force.basing_distance_km=140", "force.basing_distance_km=150"};
    for (int i = 0; i < 2; i++) {
        const char *sets[] = {"force.troops=30000", km[i], "russia.probe_probability=0.2"};
        rep *r = run_reps(BASE, sets, 3, 0, n);
        double probes = 0, repelled = 0;
        for (uint64_t k = 0; k < n; k++) {
            probes += r[k].v[M_PROBES];
            repelled += r[k].v[M_PROBES_REPELLED];
        }
        share[i] = repelled / probes;
        free(r);
    }
    if (!(share[1] > 0.8 * share[0]))
        fail_msg("probes repelled: %.3f at 140 km but %.3f at 150 km (deadline tie)", share[0],
                 share[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(calibration_no_force_about_half),
        cmocka_unit_test(calibration_credible_force_cuts_risk),
        cmocka_unit_test(engagements_within_qjm_bounds),
        cmocka_unit_test(three_to_one_holds_about_half),
        cmocka_unit_test(violations_follow_osce_regimes),
        cmocka_unit_test(invariants_hold),
        cmocka_unit_test(common_random_numbers_isolate_streams),
        cmocka_unit_test(crn_risk_falls_with_troops_and_backstop),
        cmocka_unit_test(edges_run),
        cmocka_unit_test(engagements_keep_their_timing),
        cmocka_unit_test(arrival_at_the_deadline_is_in_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
