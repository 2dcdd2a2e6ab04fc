/* model_ishigami.c — the Ishigami function, a validation model for
 * sensitivity analysis with indices known in closed form.
 *
 *     y = sin x1 + a sin^2 x2 + b x3^4 sin x1      (Ishigami & Homma 1990)
 *
 * With x1, x2, x3 independent and uniform on [-pi, pi] (a sobol sweep of
 * ishigami.x1..x3 over that range), the variance of y and its parts are
 * (Sobol' & Levitan 1999; Saltelli et al. 2010):
 *
 *     V   = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2
 *     V1  = (1 + b pi^4/5)^2 / 2,   V2 = a^2/8,   V3 = 0,
 *     V13 = b^2 pi^8 (1/18 - 1/50) = 8 b^2 pi^8 / 225  (the only interaction)
 *
 * so S_i = V_i / V, ST1 = (V1 + V13) / V, ST2 = S2, ST3 = V13 / V; at
 * a = 7, b = 0.1: S1 = 0.3139, S2 = 0.4424, S3 = 0, ST1 = 0.5576,
 * ST2 = 0.4424, ST3 = 0.2437.
 *
 * It runs on the shared engine like every model: start() schedules one
 * event at time 0 whose handler evaluates y; finish() reports it as the
 * measure `y` of the outcome "evaluated". A replication draws nothing, so
 * one replication per point is enough (more give the same y). The runner
 * gives every model at least one stream; this model's is unused.
 */
#include <math.h>
#include <stdio.h>

#include "model.h"

typedef struct ishigami_params {
    double x1, x2, x3;
    double a, b;
} ishigami_params;

/* pi to double precision, written out: M_PI is not ISO C. A range written
 * in a scenario as [-3.141592653589793, 3.141592653589793] is exactly this. */
#define ISHIGAMI_PI 3.14159265358979323846

#define SRC "Ishigami & Homma 1990; validation model"
static const sch_key ishigami_keys[] = {
    {"ishigami.x1", SCH_REAL, offsetof(ishigami_params, x1), 0, -ISHIGAMI_PI, ISHIGAMI_PI, 0, 0,
     NULL, "", "first input (sweep it uniformly over [-pi, pi])", SRC, NULL, SCH_BASIS_NONE, {0}},
    {"ishigami.x2", SCH_REAL, offsetof(ishigami_params, x2), 0, -ISHIGAMI_PI, ISHIGAMI_PI, 0, 0,
     NULL, "", "second input (sweep it uniformly over [-pi, pi])", SRC, NULL, SCH_BASIS_NONE, {0}},
    {"ishigami.x3", SCH_REAL, offsetof(ishigami_params, x3), 0, -ISHIGAMI_PI, ISHIGAMI_PI, 0, 0,
     NULL, "", "third input (sweep it uniformly over [-pi, pi])", SRC, NULL, SCH_BASIS_NONE, {0}},
    {"ishigami.a", SCH_REAL, offsetof(ishigami_params, a), 7, -1e6, 1e6, 0, 0, NULL, "",
     "weight of sin^2 x2", SRC, NULL, SCH_BASIS_NONE, {0}},
    {"ishigami.b", SCH_REAL, offsetof(ishigami_params, b), 0.1, -1e6, 1e6, 0, 0, NULL, "",
     "weight of x3^4 sin x1", SRC, NULL, SCH_BASIS_NONE, {0}},
};

enum { ISHIGAMI_EVALUATE, ISHIGAMI_N_EVENTS };
enum { M_Y, ISHIGAMI_N_MEASURES };

typedef struct ishigami_state {
    const ishigami_params *p;
    double y;
} ishigami_state;

static const des_payload NO_PAYLOAD = {0, 0, 0.0};

static void on_evaluate(des_engine *e, void *state, const des_event *ev)
{
    (void)e;
    (void)ev;
    ishigami_state *s = state;
    const ishigami_params *p = s->p;
    double s1 = sin(p->x1), s2 = sin(p->x2), x3 = p->x3;
    s->y = s1 + p->a * s2 * s2 + p->b * x3 * x3 * x3 * x3 * s1;
}

static const des_handler ishigami_handlers[ISHIGAMI_N_EVENTS] = {on_evaluate};

static void ishigami_start(void *state, const void *params, des_engine *e,
                           gsl_rng *const *streams)
{
    (void)streams;
    ishigami_state *s = state;
    *s = (ishigami_state){.p = params, .y = NAN};
    des_schedule(e, 0.0, ISHIGAMI_EVALUATE, NO_PAYLOAD);
}

static int32_t ishigami_finish(void *state, const des_engine *e, double *values)
{
    (void)e;
    const ishigami_state *s = state;
    values[M_Y] = s->y;
    return 0;
}

static double ishigami_horizon(const void *params)
{
    (void)params;
    return INFINITY;
}

static void ishigami_describe(const void *state, const des_event *ev, char *buf, size_t n)
{
    (void)ev;
    const ishigami_params *p = ((const ishigami_state *)state)->p;
    snprintf(buf, n, "evaluate y = sin x1 + a sin^2 x2 + b x3^4 sin x1 at x = (%g, %g, %g), "
             "a = %g, b = %g", p->x1, p->x2, p->x3, p->a, p->b);
}

static const char *const ishigami_streams[] = {"unused"};
static const char *const ishigami_outcomes[] = {"evaluated"};
static const measure_def ishigami_measures[ISHIGAMI_N_MEASURES] = {
    {"y", MEASURE_REAL, "", "the Ishigami function at the point", 0},
};
static const summary_def ishigami_summaries[] = {
    {"mean_y", SUMMARY_MEAN, M_Y, 0},
};

const model_def model_ishigami = {
    .name = "ishigami",
    .description = "Ishigami function (validation model: Sobol indices known in closed form)",
    .keys = ishigami_keys,
    .n_keys = sizeof ishigami_keys / sizeof ishigami_keys[0],
    .params_size = sizeof(ishigami_params),
    .check = NULL,
    .n_streams = 1,
    .stream_names = ishigami_streams,
    .outcomes = ishigami_outcomes,
    .n_outcomes = 1,
    .measures = ishigami_measures,
    .n_measures = ISHIGAMI_N_MEASURES,
    .summaries = ishigami_summaries,
    .n_summaries = sizeof ishigami_summaries / sizeof ishigami_summaries[0],
    .headline = "mean_y",
    .hist_range = NULL,
    .state_size = sizeof(ishigami_state),
    .handlers = ishigami_handlers,
    .n_event_types = ISHIGAMI_N_EVENTS,
    .horizon = ishigami_horizon,
    .start = ishigami_start,
    .finish = ishigami_finish,
    .describe = ishigami_describe,
};
