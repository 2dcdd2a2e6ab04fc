/* crossover.c — a validation model for decisions under uncertainty: two
 * options whose comparison turns at a known value of one assumption.
 *
 * Option A (crossover.option = 0) fails with probability theta, an
 * assumption with a uniform prior on [0, 1]; option B (option = 1) fails
 * with the fixed probability c = crossover.b_risk. A replication draws one
 * uniform U from its stream and fails when U < risk, so under common random
 * numbers A fails whenever B does if theta > c, and the other way round:
 * the paired difference of p_loss is the share of replications with U
 * between c and theta, of the sign of theta - c in every replication.
 * crossover.noise is a second assumption that changes nothing.
 *
 * Known answers, with theta uniform on [0, 1] and the goal "min" on
 * p_loss: A is worse than B in a share 1 - c of the worlds; scenario
 * discovery's box for "A worse than B" is theta > c, noise unrestricted;
 * A's regret in a world is max(0, theta - c), B's max(0, c - theta), so
 * their maximum regrets are 1 - c and c, their mean regrets (1 - c)^2 / 2
 * and c^2 / 2, and A is within a tolerance t of the best in a share
 * min(1, c + t) of the worlds, B in min(1, 1 - c + t). Across worlds, A's
 * p_loss is uniform on [0, 1] (its q-quantile is q), B's is c.
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>

#include "model.h"

typedef struct crossover_params {
    int64_t option;
    double b_risk, theta, noise;
} crossover_params;

#define SRC "validation model (docs/model.md, Validation models)"
static const sch_key crossover_keys[] = {
    {"crossover.option", SCH_INT, offsetof(crossover_params, option), 0, 0, 1, 0, 0, NULL, "",
     "the option: 0 = A (fails with probability theta), 1 = B (fails with probability b_risk)",
     SRC, NULL, SCH_BASIS_NONE, {0}},
    {"crossover.b_risk", SCH_REAL, offsetof(crossover_params, b_risk), 0.3, 0, 1, 0, 0, NULL, "",
     "option B's chance of failure (the threshold of theta at which the options cross)", SRC,
     NULL, SCH_BASIS_NONE, {0}},
    {"crossover.theta", SCH_REAL, offsetof(crossover_params, theta), 0.5, 0, 1, 0, 0, NULL, "",
     "option A's chance of failure: the uncertain assumption", SRC, NULL, SCH_ASSUMPTION,
     {SCH_UNIFORM, 0, 0, 1, "validation: uniform on [0, 1], so shares of worlds are lengths"}},
    {"crossover.noise", SCH_REAL, offsetof(crossover_params, noise), 0.5, 0, 1, 0, 0, NULL, "",
     "an assumption that changes nothing (scenario discovery must leave it alone)", SRC, NULL,
     SCH_ASSUMPTION, {SCH_UNIFORM, 0, 0, 1, "validation: an irrelevant input"}},
};

enum { CROSSOVER_DRAW, CROSSOVER_N_EVENTS };
enum { M_RISK, CROSSOVER_N_MEASURES };
enum { OUT_SAFE, OUT_LOSS };

typedef struct crossover_state {
    const crossover_params *p;
    gsl_rng *stream;
    double risk;
    int loss;
} crossover_state;

static const des_payload NO_PAYLOAD = {0, 0, 0.0};

static void on_draw(des_engine *e, void *state, const des_event *ev)
{
    (void)e;
    (void)ev;
    crossover_state *s = state;
    s->loss = gsl_rng_uniform(s->stream) < s->risk;
}

static const des_handler crossover_handlers[CROSSOVER_N_EVENTS] = {on_draw};

static void crossover_start(void *state, const void *params, des_engine *e,
                            gsl_rng *const *streams)
{
    crossover_state *s = state;
    const crossover_params *p = params;
    *s = (crossover_state){.p = p, .stream = streams[0],
                           .risk = p->option == 0 ? p->theta : p->b_risk};
    des_schedule(e, 0.0, CROSSOVER_DRAW, NO_PAYLOAD);
}

static int32_t crossover_finish(void *state, const des_engine *e, double *values)
{
    (void)e;
    const crossover_state *s = state;
    values[M_RISK] = s->risk;
    return s->loss ? OUT_LOSS : OUT_SAFE;
}

static double crossover_horizon(const void *params)
{
    (void)params;
    return INFINITY;
}

static void crossover_describe(const void *state, const des_event *ev, char *buf, size_t n)
{
    (void)ev;
    const crossover_state *s = state;
    snprintf(buf, n, "option %s: draw U, fail when U < %g", s->p->option == 0 ? "A" : "B",
             s->risk);
}

static const char *const crossover_streams[] = {"draw"};
static const char *const crossover_outcomes[] = {"safe", "loss"};
static const measure_def crossover_measures[CROSSOVER_N_MEASURES] = {
    {"risk", MEASURE_REAL, "", "the option's chance of failure in this world", 0},
};
static const summary_def crossover_summaries[] = {
    {"p_loss", SUMMARY_P_OUTCOME, OUT_LOSS, 0},
    {"mean_risk", SUMMARY_MEAN, M_RISK, 0},
};

const model_def model_crossover = {
    .name = "crossover",
    .description = "two options that cross at a known assumption (validation model: "
                   "uncertainty, regret and scenario discovery known in closed form)",
    .keys = crossover_keys,
    .n_keys = sizeof crossover_keys / sizeof crossover_keys[0],
    .params_size = sizeof(crossover_params),
    .check = NULL,
    .n_streams = 1,
    .stream_names = crossover_streams,
    .outcomes = crossover_outcomes,
    .n_outcomes = 2,
    .measures = crossover_measures,
    .n_measures = CROSSOVER_N_MEASURES,
    .summaries = crossover_summaries,
    .n_summaries = sizeof crossover_summaries / sizeof crossover_summaries[0],
    .headline = "p_loss",
    .headline_goal = -1,
    .hist_range = NULL,
    .state_size = sizeof(crossover_state),
    .handlers = crossover_handlers,
    .n_event_types = CROSSOVER_N_EVENTS,
    .horizon = crossover_horizon,
    .start = crossover_start,
    .finish = crossover_finish,
    .describe = crossover_describe,
};
