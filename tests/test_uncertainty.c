/* test_uncertainty.c — the pure part of comparing options across worlds
 * (uncertainty.h): the grouping of options, spreads, shares of worlds
 * with their intervals, and regret, on hand-made numbers whose answers
 * are worked out in the comments.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "uncertainty.h"

static void close_to(double a, double b, double tol)
{
    if (!(fabs(a - b) <= tol))
        fail_msg("%.17g is not within %g of %.17g", a, tol, b);
}

/* Cases vary slowest: member m of group g is option m x groups + g; the
 * world fastest. Without cases, every option is a member of one group. */
static void shapes(void **state)
{
    (void)state;
    scenario s;
    memset(&s, 0, sizeof s);
    s.n_points = 3 * 4 * 10; /* 3 cases x 4 grid cells x 10 worlds */
    s.n_cases = 3;
    s.n_worlds = 10;
    s.baseline_case = 2;
    unc_shape u = unc_shape_of(&s);
    assert_int_equal(u.n_options, 12);
    assert_int_equal(u.n_groups, 4);
    assert_int_equal(u.n_members, 3);
    assert_int_equal(u.baseline, 2);
    assert_int_equal(unc_option(&u, 1, 2), 9);     /* case 2, cell 1 */
    assert_int_equal(unc_point(&u, 9, 7), 97);
    s.n_cases = 0;
    s.n_worlds = 0; /* a plain cases-less grid of 120 points: one group */
    u = unc_shape_of(&s);
    assert_int_equal(u.n_worlds, 1);
    assert_int_equal(u.n_groups, 1);
    assert_int_equal(u.n_members, 120);
    assert_int_equal(u.baseline, 0);
}

/* 1..21 with NaNs among them: mean 11, quantiles by linear interpolation
 * over 21 sorted values (GSL: index q (n - 1)): q05 = 2, q50 = 11. */
static void spread_leaves_out_nan(void **state)
{
    (void)state;
    double v[25], mean, q[5];
    size_t k = 0;
    for (int i = 21; i >= 1; i--) {
        v[k++] = i;
        if (i % 7 == 0)
            v[k++] = NAN;
    }
    assert_int_equal(k, 24);
    assert_int_equal(unc_spread(v, k, &mean, q), 21);
    close_to(mean, 11, 1e-12);
    close_to(q[0], 2, 1e-12);
    close_to(q[1], 6, 1e-12);
    close_to(q[2], 11, 1e-12);
    close_to(q[4], 20, 1e-12);
    double none[2] = {NAN, NAN};
    assert_int_equal(unc_spread(none, 2, &mean, q), 0);
    assert_true(isnan(mean) && isnan(q[2]));
}

/* Ten worlds: 6 above 0, 3 below, 1 tie, 1 without an estimate; 4 clear
 * (interval excludes 0). Shares are of the 10 with an estimate, with
 * Wilson intervals (stats_wilson). */
static void shares_of_worlds(void **state)
{
    (void)state;
    double d[11] = {0.2, 0.1, 0.05, 0.3, 0.01, 0.02, -0.1, -0.2, -0.01, 0, NAN};
    double lo[11] = {0.1, 0.05, -0.01, 0.2, -0.1, -0.1, -0.15, -0.3, -0.1, -0.05, NAN};
    double hi[11] = {0.3, 0.15, 0.1, 0.4, 0.1, 0.1, -0.05, -0.1, 0.1, 0.05, NAN};
    double tmp[11];
    unc_contrast_row row;
    memset(&row, 0, sizeof row);
    unc_contrast_shares(d, lo, hi, 11, tmp, &row);
    assert_int_equal(row.worlds, 10);
    close_to(row.above, 0.6, 1e-15);
    close_to(row.below, 0.3, 1e-15);
    close_to(row.clear, 0.5, 1e-15); /* 0.2, 0.1, 0.3 above; -0.1, -0.2 below */
    double wl, wh;
    stats_wilson(6, 10, &wl, &wh);
    close_to(row.above_low, wl, 0);
    close_to(row.above_high, wh, 0);
    assert_true(row.above_low < 0.6 && 0.6 < row.above_high);
    close_to(row.mean, 0.037, 1e-12);
    close_to(row.q50, 0.015, 1e-12); /* the median of 10 values: (0.01 + 0.02) / 2 */
}

/* Two groups of three members, four worlds, lower is better. Group 0:
 *   world:      0     1     2     3
 *   member 0:  0.1   0.5   0.3   0.2
 *   member 1:  0.2   0.2   0.3   NaN   (world 3 leaves the group)
 *   member 2:  0.3   0.1   0.35  0.1
 * best: 0.1, 0.1, 0.3 (world 3 out). Regrets: m0: 0, 0.4, 0 -> max 0.4,
 * mean 0.4/3; m1: 0.1, 0.1, 0 -> max 0.1; m2: 0.2, 0, 0.05 -> max 0.2.
 * Ranks by max regret: m1 1, m2 2, m0 3. Near-best within 0.05: m0 2/3,
 * m1 1/3, m2 2/3. Group 1 is group 0 + 1 with goal "max" read the other
 * way round in the second half of the test. */
static void regret_and_ranks(void **state)
{
    (void)state;
    unc_shape u = {.n_options = 6, .n_worlds = 4, .n_groups = 2, .n_members = 3};
    double g0[3][4] = {{0.1, 0.5, 0.3, 0.2}, {0.2, 0.2, 0.3, NAN}, {0.3, 0.1, 0.35, 0.1}};
    double value[24];
    for (size_t m = 0; m < 3; m++)
        for (size_t w = 0; w < 4; w++) {
            value[unc_point(&u, unc_option(&u, 0, m), w)] = g0[m][w];
            value[unc_point(&u, unc_option(&u, 1, m), w)] = g0[m][w] + 1;
        }
    unc_regret_row rows[6];
    double tmp[4];
    memset(rows, 0, sizeof rows);
    unc_regret(&u, value, -1, 0.05 + 1e-12, tmp, rows);
    for (size_t g = 0; g < 2; g++) {
        const unc_regret_row *m0 = &rows[unc_option(&u, g, 0)], *m1 = &rows[unc_option(&u, g, 1)],
                             *m2 = &rows[unc_option(&u, g, 2)];
        assert_int_equal(m0->worlds, 3);
        close_to(m0->max_regret, 0.4, 1e-12);
        close_to(m0->mean_regret, 0.4 / 3, 1e-12);
        close_to(m1->max_regret, 0.1, 1e-12);
        close_to(m2->max_regret, 0.2, 1e-12);
        assert_int_equal(m1->rank, 1);
        assert_int_equal(m2->rank, 2);
        assert_int_equal(m0->rank, 3);
        close_to(m0->near_best, 2.0 / 3, 1e-12);
        close_to(m1->near_best, 1.0 / 3, 1e-12);
        close_to(m2->near_best, 2.0 / 3, 1e-12);
        close_to(m0->mean_value, 0.9 / 3 + g, 1e-12);
        assert_int_equal(m0->group, g);
        assert_int_equal(m0->point, unc_point(&u, unc_option(&u, g, 0), 0));
    }
    /* Higher is better: best 0.3, 0.5, 0.35; m0: 0.2, 0, 0.05 -> max 0.2;
     * m1: 0.1, 0.3, 0.05 -> 0.3; m2: 0, 0.4, 0 -> 0.4. */
    unc_regret(&u, value, +1, 0.05 + 1e-12, tmp, rows);
    close_to(rows[0].max_regret, 0.2, 1e-12);
    close_to(rows[2].max_regret, 0.3, 1e-12);
    close_to(rows[4].max_regret, 0.4, 1e-12);
    assert_int_equal(rows[0].rank, 1);
    assert_int_equal(rows[2].rank, 2);
    assert_int_equal(rows[4].rank, 3);
}

/* Equal maximum regret: the lower mean regret ranks first, then the
 * lower option. */
static void ties_in_rank(void **state)
{
    (void)state;
    unc_shape u = {.n_options = 3, .n_worlds = 2, .n_groups = 1, .n_members = 3};
    /* worlds: best 0 and 0; m0 regrets 0.5, 0.5; m1 0.5, 0; m2 0, 0.5 */
    double value[6] = {0.5, 0.5, 0.5, 0.0, 0.0, 0.5};
    unc_regret_row rows[3];
    double tmp[2];
    unc_regret(&u, value, -1, 0, tmp, rows);
    assert_int_equal(rows[1].rank, 1);
    assert_int_equal(rows[2].rank, 2);
    assert_int_equal(rows[0].rank, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shapes),
        cmocka_unit_test(spread_leaves_out_nan),
        cmocka_unit_test(shares_of_worlds),
        cmocka_unit_test(regret_and_ranks),
        cmocka_unit_test(ties_in_rank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
