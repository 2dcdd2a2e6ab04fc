/* outlook.h — the exact chance that an attack succeeds, as the attacker
 * can foresee it: the square-law battle of battle.h with breakpoints,
 * defenders joining at known times, rates that change by phase, and an
 * optional fait-accompli clock.
 *
 * The battle is the continuous-time Markov chain that battle_draw steps,
 * on the grid of losses (attackers lost Lx, defenders lost Ly) and, for a
 * probe, the stage of an Erlang clock. Until its last phase the chain is
 * solved by uniformization (the transient distribution at each phase's
 * end); in the last phase, which lasts until the battle ends, by Brown's
 * (1963) recursion, generalised to breakpoints: W(s) = sum over the next
 * states s' of rate(s -> s') / rate(s) * W(s'). With no phases, no clock
 * and breakpoints at annihilation this is Brown's recursion exactly
 * (tests/test_outlook.c checks it, and checks the whole against the
 * simulated battles of the reassurance model).
 *
 * One approximation, stated: inside a phase the defenders' kill rate b is
 * one number per defending unit. The reassurance model's defenders are a
 * mix (force battalions fight at force.effectiveness); its caller passes
 * the mix at the phase's start, as if losses fell on each kind in
 * proportion, which is what they do on average.
 *
 * Units: times in days from the attack's start; rates per day.
 * Thread-safety: pure functions; the caller owns every buffer.
 */
#ifndef REASSURE_OUTLOOK_H
#define REASSURE_OUTLOOK_H

#include <stdint.h>

enum { OUTLOOK_MAX_PHASES = 6 };

typedef struct outlook_phase {
    double start;    /* days after the attack's start (the first phase: 0) */
    double a;        /* defenders lost per attacking unit per day */
    double b;        /* attackers lost per defending unit per day */
    int64_t join;    /* defending units that join at this phase's start */
    int clock;       /* 1: the fait-accompli clock runs in this phase */
} outlook_phase;

typedef struct outlook_battle {
    int64_t x0;                 /* attacking units */
    int64_t y0;                 /* defending units at the start */
    double x_break_fraction;    /* the attack culminates at x <= x0 (1 - f) */
    double y_break_fraction;    /* the defence breaks at y <= y0' (1 - f), y0' all committed */
    int clock_stages;           /* Erlang stages of the fait-accompli clock (0: none) */
    double clock_rate;          /* per stage, per day */
    int n_phases;               /* 1..OUTLOOK_MAX_PHASES, starts increasing */
    outlook_phase phase[OUTLOOK_MAX_PHASES];
} outlook_battle;

typedef struct outlook_result {
    double p_success;                        /* defence broken, or the clock completed */
    double losses[OUTLOOK_MAX_PHASES];       /* expected losses (either side) in each phase */
    double p_reach[OUTLOOK_MAX_PHASES];      /* chance the battle is still on at the phase's start */
} outlook_result;

/* Solves the battle. Returns 0, or -1 when it is malformed (no units, a
 * fraction outside (0, 1], phases not increasing, too large a grid) or
 * memory runs out. */
int outlook_solve(const outlook_battle *ob, outlook_result *r);

/* The same breakpoint rule as the reassurance model's battles: the fewest
 * losses of n units after which n - L <= n (1 - f) in double arithmetic. */
int64_t outlook_break_losses(int64_t n, double f);

#endif
