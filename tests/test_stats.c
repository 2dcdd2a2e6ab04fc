/* test_stats.c — confidence intervals against published values and limits. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stats.h"

/* Wilson interval for 81/263 (Newcombe 1998, Table I, example: 0.2553 to
 * 0.3662 with the continuity-free score method). */
static void wilson_matches_newcombe(void **st)
{
    (void)st;
    double lo, hi;
    stats_wilson(81, 263, &lo, &hi);
    assert_true(fabs(lo - 0.2553) < 5e-4);
    assert_true(fabs(hi - 0.3662) < 5e-4);
}

/* At 0 and n successes the interval stays in [0, 1] and is not degenerate. */
static void wilson_edges(void **st)
{
    (void)st;
    double lo, hi;
    stats_wilson(0, 10, &lo, &hi);
    assert_true(lo == 0.0);
    assert_true(hi > 0.25 && hi < 0.35); /* 0.2775 */
    stats_wilson(10, 10, &lo, &hi);
    assert_true(hi == 1.0);
    assert_true(lo > 0.65 && lo < 0.75);
    stats_wilson(0, 0, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

/* Student t: n = 10, sd = 1: half-width 2.262157 / sqrt(10). */
static void t_interval_known(void **st)
{
    (void)st;
    double lo, hi;
    stats_t_interval(5.0, 1.0, 10, &lo, &hi);
    double half = 2.2621571627982 / sqrt(10.0);
    assert_true(fabs(lo - (5.0 - half)) < 1e-9);
    assert_true(fabs(hi - (5.0 + half)) < 1e-9);
    stats_t_interval(5.0, 1.0, 1, &lo, &hi);
    assert_true(isnan(lo) && isnan(hi));
}

/* Coverage: over many simulated Bernoulli samples, the Wilson interval
 * covers the true p close to 95% of the time. */
static void wilson_coverage(void **st)
{
    (void)st;
    uint64_t state = 12345, covered = 0, trials = 20000;
    const double p = 0.3;
    for (uint64_t t = 0; t < trials; t++) {
        uint64_t k = 0;
        for (int i = 0; i < 100; i++) {
            state = state * 6364136223846793005ULL + 1442695040888963407ULL;
            k += (double)(state >> 11) * 0x1.0p-53 < p;
        }
        double lo, hi;
        stats_wilson(k, 100, &lo, &hi);
        covered += lo <= p && p <= hi;
    }
    double c = (double)covered / (double)trials;
    assert_true(c > 0.93 && c < 0.97);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wilson_matches_newcombe),
        cmocka_unit_test(wilson_edges),
        cmocka_unit_test(t_interval_known),
        cmocka_unit_test(wilson_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
