/* test_outlook.c — the attacker's exact chance of success (outlook.h):
 * Brown's (1963) recursion as the special case it generalises, and the
 * whole (breakpoints, joins by phase, rates by phase, an Erlang clock)
 * against Monte Carlo of the battle.h steps the model itself uses.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <gsl/gsl_randist.h>

#include "battle.h"
#include "outlook.h"
#include "rng.h"
#include "testutil.h"

static void break_losses_follow_the_models_rule(void **st)
{
    (void)st;
    assert_int_equal(outlook_break_losses(90, 0.33), 30); /* 60 <= 60.3 */
    assert_int_equal(outlook_break_losses(30, 0.2), 6);
    assert_int_equal(outlook_break_losses(2, 0.2), 1);
    assert_int_equal(outlook_break_losses(4, 0.33), 2);
    assert_int_equal(outlook_break_losses(10, 1.0), 10);
    assert_int_equal(outlook_break_losses(0, 0.2), 0);
}

static void fought_to_the_end_it_is_browns_recursion(void **st)
{
    (void)st;
    const int cases[][2] = {{12, 10}, {5, 5}, {1, 3}, {30, 9}};
    for (size_t c = 0; c < 4; c++) {
        outlook_battle ob = {.x0 = cases[c][0], .y0 = cases[c][1], .x_break_fraction = 1,
                             .y_break_fraction = 1, .n_phases = 1,
                             .phase = {{.start = 0, .a = 0.8, .b = 1.0}}};
        outlook_result r;
        assert_int_equal(outlook_solve(&ob, &r), 0);
        double exact = tu_brown(1, 0.8, 1.0, cases[c][0], cases[c][1]);
        if (fabs(r.p_success - exact) > 1e-12)
            fail_msg("%d vs %d: %.15f, Brown %.15f", cases[c][0], cases[c][1], r.p_success, exact);
    }
    /* Split into phases with the same rates, it must not change. */
    outlook_battle ob = {.x0 = 12, .y0 = 10, .x_break_fraction = 1, .y_break_fraction = 1,
                         .n_phases = 3,
                         .phase = {{0, 0.8, 1.0, 0, 0}, {0.7, 0.8, 1.0, 0, 0},
                                   {2.5, 0.8, 1.0, 0, 0}}};
    outlook_result r;
    assert_int_equal(outlook_solve(&ob, &r), 0);
    assert_true(fabs(r.p_success - tu_brown(1, 0.8, 1.0, 12, 10)) < 1e-10);
    assert_true(r.p_reach[0] == 1.0 && r.p_reach[1] < 1 && r.p_reach[2] < r.p_reach[1]);
}

/* Monte Carlo of the same battle with battle.h: phases, joins, the clock. */
static double simulate(const outlook_battle *ob, uint64_t n, uint64_t seed)
{
    gsl_rng *g = rng_alloc();
    assert_non_null(g);
    uint64_t wins = 0;
    int64_t lxb = outlook_break_losses(ob->x0, ob->x_break_fraction);
    for (uint64_t i = 0; i < n; i++) {
        rng_stream(g, seed, 0, 0, i);
        double clock = ob->clock_stages > 0
                           ? gsl_ran_gamma(g, ob->clock_stages, 1.0 / ob->clock_rate)
                           : INFINITY;
        double t = 0;
        int64_t lx = 0, ly = 0, y0 = ob->y0;
        int j = 0, won = -1;
        if (outlook_break_losses(y0, ob->y_break_fraction) == 0)
            won = 1;
        while (won < 0) {
            double next = j + 1 < ob->n_phases ? ob->phase[j + 1].start : INFINITY;
            double until = ob->phase[j].clock ? fmin(next, clock) : next;
            battle bt = {BATTLE_SQUARE, ob->phase[j].a, ob->phase[j].b, ob->x0 - lx, y0 - ly};
            double dt;
            battle_side s = battle_draw(&bt, g, &dt);
            if (t + dt >= until) { /* memoryless: redraw after the boundary */
                t = until;
                if (ob->phase[j].clock && clock <= next) {
                    won = 1;
                    break;
                }
                j++;
                y0 += ob->phase[j].join;
                continue;
            }
            t += dt;
            if (s == BATTLE_X)
                lx++;
            else
                ly++;
            if (lx >= lxb)
                won = 0;
            else if (ly >= outlook_break_losses(y0, ob->y_break_fraction))
                won = 1;
        }
        wins += (uint64_t)won;
    }
    gsl_rng_free(g);
    return (double)wins / (double)n;
}

static void agrees_with_simulated_battles(void **st)
{
    (void)st;
    /* An offensive: 90 against 30, 4 battalions join on day 6 at a
     * higher rate, air power doubles the attackers' losses from day 8. */
    outlook_battle off = {.x0 = 90, .y0 = 30, .x_break_fraction = 0.33,
                          .y_break_fraction = 0.2, .n_phases = 3,
                          .phase = {{0, 0.0055, 0.08, 0, 0}, {6, 0.0055, 0.09, 4, 0},
                                    {8, 0.0055, 0.18, 0, 0}}};
    /* A probe: 4 against 2 with an Erlang(4) clock of mean 3 days; 3
     * battalions arrive on day 2.5 and stop the clock. */
    outlook_battle probe = {.x0 = 4, .y0 = 2, .x_break_fraction = 0.33,
                            .y_break_fraction = 0.2, .clock_stages = 4, .clock_rate = 4.0 / 3,
                            .n_phases = 2,
                            .phase = {{0, 0.0055, 0.08, 0, 1}, {2.5, 0.0055, 0.12, 3, 0}}};
    const outlook_battle *cases[] = {&off, &probe};
    const uint64_t n = 40000;
    for (size_t c = 0; c < 2; c++) {
        outlook_result r;
        assert_int_equal(outlook_solve(cases[c], &r), 0);
        double p = simulate(cases[c], n, 11 + c);
        double se = sqrt(r.p_success * (1 - r.p_success) / (double)n);
        if (fabs(p - r.p_success) > 4 * se + 1e-9)
            fail_msg("case %zu: exact %.4f, simulated %.4f (4 se = %.4f)", c, r.p_success, p,
                     4 * se);
        if (!(r.p_success > 0.02 && r.p_success < 0.98)) /* a case that can tell */
            fail_msg("case %zu: p = %.4f tells nothing", c, r.p_success);
    }
}

static void more_defenders_never_help_the_attacker(void **st)
{
    (void)st;
    double last = 1;
    for (int64_t join = 0; join <= 40; join += 4) {
        outlook_battle ob = {.x0 = 90, .y0 = 30, .x_break_fraction = 0.33,
                             .y_break_fraction = 0.2, .n_phases = 2,
                             .phase = {{0, 0.0055, 0.08, 0, 0}, {2, 0.0055, 0.1, join, 0}}};
        outlook_result r;
        assert_int_equal(outlook_solve(&ob, &r), 0);
        assert_true(r.p_success <= last + 1e-12);
        last = r.p_success;
    }
    assert_true(last < 0.1);
}

static void malformed_battles_are_refused(void **st)
{
    (void)st;
    outlook_result r;
    outlook_battle ok = {.x0 = 4, .y0 = 2, .x_break_fraction = 0.5, .y_break_fraction = 0.5,
                         .n_phases = 1, .phase = {{0, 1, 1, 0, 0}}};
    assert_int_equal(outlook_solve(&ok, &r), 0);
    outlook_battle b = ok;
    b.x0 = 0;
    assert_int_equal(outlook_solve(&b, &r), -1);
    b = ok;
    b.x_break_fraction = 0;
    assert_int_equal(outlook_solve(&b, &r), -1);
    b = ok;
    b.n_phases = 2;
    b.phase[1] = (outlook_phase){0, 1, 1, 0, 0}; /* not after the first */
    assert_int_equal(outlook_solve(&b, &r), -1);
    b = ok;
    b.clock_stages = 3; /* with no rate */
    assert_int_equal(outlook_solve(&b, &r), -1);
    /* No defenders: the defence is broken from the start. */
    b = ok;
    b.y0 = 0;
    assert_int_equal(outlook_solve(&b, &r), 0);
    assert_true(r.p_success == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(break_losses_follow_the_models_rule),
        cmocka_unit_test(fought_to_the_end_it_is_browns_recursion),
        cmocka_unit_test(agrees_with_simulated_battles),
        cmocka_unit_test(more_defenders_never_help_the_attacker),
        cmocka_unit_test(malformed_battles_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
