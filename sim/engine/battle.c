/* battle.c — one step of a stochastic Lanchester battle (battle.h). */
#include "battle.h"

#include <assert.h>
#include <gsl/gsl_rng.h>

#include "rng.h"

double battle_rate_x_loss(const battle *bt)
{
    double x = (double)bt->x, y = (double)bt->y;
    return bt->law == BATTLE_SQUARE ? bt->b * y : bt->b * x * y;
}

double battle_rate_y_loss(const battle *bt)
{
    double x = (double)bt->x, y = (double)bt->y;
    return bt->law == BATTLE_SQUARE ? bt->a * x : bt->a * x * y;
}

battle_side battle_draw(const battle *bt, gsl_rng *r, double *dt)
{
    assert(bt->x > 0 && bt->y > 0);
    double rx = battle_rate_x_loss(bt), ry = battle_rate_y_loss(bt);
    double total = rx + ry;
    *dt = rng_exponential(r, 1.0 / total);
    return gsl_rng_uniform(r) * total < rx ? BATTLE_X : BATTLE_Y;
}

void battle_apply(battle *bt, battle_side loser)
{
    if (loser == BATTLE_X)
        bt->x--;
    else
        bt->y--;
}

int battle_over(const battle *bt)
{
    return bt->x <= 0 || bt->y <= 0;
}
