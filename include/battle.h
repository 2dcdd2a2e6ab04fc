/* battle.h — stochastic Lanchester attrition, one unit lost at a time.
 *
 * Two sides X and Y with x and y units. Under the square law (aimed fire) X
 * loses a unit at rate b*y and Y at rate a*x; under the linear law (area
 * fire) at rates b*x*y and a*x*y. The time to the next loss is exponential
 * with the total rate, and the loser is X with probability (X's rate)/(total):
 * the continuous-time Markov chain whose win probability Brown (1963) gives
 * exactly. The `lanchester` validation model and the reassurance model's
 * engagements both step battles with battle_step, so the code the tests
 * check against Brown's recursion is the code the model uses.
 *
 * Units: a and b are losses per time unit per unit (per unit pair for the
 * linear law); times are in the caller's unit.
 * Thread-safety: pure functions of their arguments and the caller's rng.
 */
#ifndef REASSURE_BATTLE_H
#define REASSURE_BATTLE_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

typedef enum battle_law { BATTLE_SQUARE = 0, BATTLE_LINEAR = 1 } battle_law;

typedef struct battle {
    battle_law law;
    double a;     /* X's effectiveness: rate at which Y loses units */
    double b;     /* Y's effectiveness: rate at which X loses units */
    int64_t x, y; /* units left */
} battle;

/* Rates at which X and Y lose units now. */
double battle_rate_x_loss(const battle *bt);
double battle_rate_y_loss(const battle *bt);

typedef enum battle_side { BATTLE_X = 0, BATTLE_Y = 1 } battle_side;

/* Draws the time to the next loss (into *dt) and which side suffers it,
 * from two uniforms of r; changes nothing. An event-driven caller schedules
 * the loss at now + *dt and applies it when it fires; if the forces change
 * in between (reinforcement, withdrawal), it cancels and draws again, which
 * the exponential's lack of memory makes exact. Precondition: x, y > 0. */
battle_side battle_draw(const battle *bt, gsl_rng *r, double *dt);

/* Takes one unit off the side. */
void battle_apply(battle *bt, battle_side loser);

/* 1 when one side has no units left. */
int battle_over(const battle *bt);

#endif
