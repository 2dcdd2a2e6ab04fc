/* model_lanchester.c — a stochastic Lanchester battle, a validation model.
 *
 * Sides X (x0 units) and Y (y0 units) fight until one has no units left,
 * one loss at a time, with the battle code (battle.h) that the reassurance
 * model's engagements use. P(X wins) is exact by Brown's (1963) recursion,
 * and in the deterministic limit (many units) the square law keeps
 * a x^2 - b y^2 constant; the tests check both.
 *
 * Streams: 0 combat (loss times and losers).
 * Events: LAN_LOSS, payload i0 = the side that loses a unit (battle_side).
 */
#include <math.h>
#include <stdio.h>

#include "battle.h"
#include "model.h"

typedef struct lan_params {
    int law;
    int64_t x0, y0;
    double a, b;
} lan_params;

static const char *const laws[] = {"square", "linear", NULL};

static const sch_key lan_keys[] = {
    {"lanchester.law", SCH_CHOICE, offsetof(lan_params, law), 0, 0, 0, 0, 0, laws, "",
     "square: aimed fire (X loses at rate b*y); linear: area fire (rate b*x*y)",
     "Lanchester (1916); Brown (1963)", NULL, SCH_BASIS_NONE, {0}},
    {"lanchester.x0", SCH_INT, offsetof(lan_params, x0), 12, 1, 1e9, 0, 0, NULL, "units",
     "units of side X at the start", "validation model (PRODUCT.md)", NULL, SCH_BASIS_NONE, {0}},
    {"lanchester.y0", SCH_INT, offsetof(lan_params, y0), 10, 1, 1e9, 0, 0, NULL, "units",
     "units of side Y at the start", "validation model (PRODUCT.md)", NULL, SCH_BASIS_NONE, {0}},
    {"lanchester.a", SCH_REAL, offsetof(lan_params, a), 0.8, 0, 1e9, 1, 0, NULL, "1/time",
     "X's effectiveness: rate at which Y loses units per X unit (square law)",
     "validation model (PRODUCT.md)", NULL, SCH_BASIS_NONE, {0}},
    {"lanchester.b", SCH_REAL, offsetof(lan_params, b), 1.0, 0, 1e9, 1, 0, NULL, "1/time",
     "Y's effectiveness: rate at which X loses units per Y unit (square law)",
     "validation model (PRODUCT.md)", NULL, SCH_BASIS_NONE, {0}},
};

enum { LAN_LOSS, LAN_N_EVENTS };
enum { STREAM_COMBAT, LAN_N_STREAMS };
enum { OUT_X_WINS, OUT_Y_WINS, LAN_N_OUTCOMES };
enum { M_DURATION, M_X_SURVIVORS, M_Y_SURVIVORS, LAN_N_MEASURES };

typedef struct lan_state {
    battle bt;
    gsl_rng *combat;
    double end_time;
} lan_state;

static void schedule_next_loss(des_engine *e, lan_state *s)
{
    double dt;
    battle_side loser = battle_draw(&s->bt, s->combat, &dt);
    des_schedule_in(e, dt, LAN_LOSS, (des_payload){.i0 = (int32_t)loser});
}

static void on_loss(des_engine *e, void *state, const des_event *ev)
{
    lan_state *s = state;
    battle_apply(&s->bt, (battle_side)ev->p.i0);
    s->end_time = ev->time;
    if (!battle_over(&s->bt))
        schedule_next_loss(e, s);
}

static const des_handler lan_handlers[LAN_N_EVENTS] = {on_loss};

static void lan_start(void *state, const void *params, des_engine *e, gsl_rng *const *streams)
{
    const lan_params *p = params;
    lan_state *s = state;
    *s = (lan_state){.bt = {.law = (battle_law)p->law, .a = p->a, .b = p->b,
                            .x = p->x0, .y = p->y0},
                     .combat = streams[STREAM_COMBAT]};
    schedule_next_loss(e, s);
}

static int32_t lan_finish(void *state, const des_engine *e, double *values)
{
    (void)e;
    const lan_state *s = state;
    values[M_DURATION] = s->end_time;
    values[M_X_SURVIVORS] = (double)s->bt.x;
    values[M_Y_SURVIVORS] = (double)s->bt.y;
    return s->bt.y == 0 ? OUT_X_WINS : OUT_Y_WINS;
}

static double lan_horizon(const void *params)
{
    (void)params;
    return INFINITY;
}

/* Only the duration has a histogram. Its range: the expected time to the
 * last loss is at most x0 + y0 losses at the slowest rate, min(a, b) per
 * loss (square law, one unit left); later ends are counted as above range. */
static void lan_hist_range(const void *params, int m, double *lo, double *hi)
{
    const lan_params *p = params;
    (void)m;
    *lo = 0.0;
    *hi = (double)(p->x0 + p->y0) / fmin(p->a, p->b);
}

static void lan_describe(const void *state, const des_event *ev, char *buf, size_t n)
{
    const lan_state *s = state;
    int x_loses = ev->p.i0 == BATTLE_X;
    snprintf(buf, n, "%s loses a unit: X %lld, Y %lld%s", x_loses ? "X" : "Y",
             (long long)(s->bt.x - x_loses), (long long)(s->bt.y - !x_loses),
             (s->bt.x - x_loses == 0) ? "  (Y wins)"
             : (s->bt.y - !x_loses == 0) ? "  (X wins)" : "");
}

static const char *const lan_streams[LAN_N_STREAMS] = {"combat"};
static const char *const lan_outcomes[LAN_N_OUTCOMES] = {"x_wins", "y_wins"};
static const measure_def lan_measures[LAN_N_MEASURES] = {
    {"duration", MEASURE_REAL, "time", "time until one side has no units left", 50},
    {"x_survivors", MEASURE_INT, "units", "units of X left at the end", 0},
    {"y_survivors", MEASURE_INT, "units", "units of Y left at the end", 0},
};
static const summary_def lan_summaries[] = {
    {"p_x_wins", SUMMARY_P_OUTCOME, OUT_X_WINS, 0},
    {"mean_duration", SUMMARY_MEAN, M_DURATION, 0},
    {"mean_x_survivors", SUMMARY_MEAN, M_X_SURVIVORS, 0},
    {"mean_y_survivors", SUMMARY_MEAN, M_Y_SURVIVORS, 0},
};

const model_def model_lanchester = {
    .name = "lanchester",
    .description = "stochastic Lanchester battle (validation model: exact P(X wins) by "
                   "Brown's recursion)",
    .keys = lan_keys,
    .n_keys = sizeof lan_keys / sizeof lan_keys[0],
    .params_size = sizeof(lan_params),
    .check = NULL,
    .n_streams = LAN_N_STREAMS,
    .stream_names = lan_streams,
    .outcomes = lan_outcomes,
    .n_outcomes = LAN_N_OUTCOMES,
    .measures = lan_measures,
    .n_measures = LAN_N_MEASURES,
    .summaries = lan_summaries,
    .n_summaries = sizeof lan_summaries / sizeof lan_summaries[0],
    .headline = "p_x_wins",
    .headline_goal = 1,
    .hist_range = lan_hist_range,
    .state_size = sizeof(lan_state),
    .handlers = lan_handlers,
    .n_event_types = LAN_N_EVENTS,
    .horizon = lan_horizon,
    .start = lan_start,
    .finish = lan_finish,
    .describe = lan_describe,
};
