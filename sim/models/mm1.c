/* model_mm1.c — the M/M/1 queue, a validation model with an exact answer.
 *
 * Customers arrive at rate lambda (Poisson) to one server with exponential
 * service at rate mu, FIFO. A replication admits `customers` customers and
 * ends when the last has been served. Waits come from the areas under the
 * queue-length curves: with every admitted customer served, the total wait
 * in queue is exactly the integral of the number waiting (a sample-path
 * identity behind Little's law), so no per-customer record is kept.
 * Exact steady-state answers: mean wait in queue lambda / (mu (mu - lambda)),
 * mean time in system 1 / (mu - lambda).
 *
 * Streams: 0 arrivals, 1 service (each service time is the k-th draw of its
 * stream, so sweeps over lambda keep common service times).
 * Events: MM1_ARRIVAL and MM1_DEPARTURE, no payload.
 */
#include <math.h>
#include <stdio.h>

#include "model.h"
#include "rng.h"

typedef struct mm1_params {
    double lambda;
    double mu;
    int64_t customers;
} mm1_params;

static const sch_key mm1_keys[] = {
    {"mm1.lambda", SCH_REAL, offsetof(mm1_params, lambda), 0.9, 0, 1e9, 1, 0, NULL,
     "1/time", "arrival rate of customers (Poisson)", "validation model (PRODUCT.md)", NULL,
     SCH_BASIS_NONE, {0}},
    {"mm1.mu", SCH_REAL, offsetof(mm1_params, mu), 1.0, 0, 1e9, 1, 0, NULL, "1/time",
     "service rate of the single server (exponential)", "validation model (PRODUCT.md)", NULL,
     SCH_BASIS_NONE, {0}},
    {"mm1.customers", SCH_INT, offsetof(mm1_params, customers), 100000, 1, 1e10, 0, 0, NULL,
     "customers", "customers admitted and served in each replication",
     "validation model (PRODUCT.md)", NULL, SCH_BASIS_NONE, {0}},
};

enum { MM1_ARRIVAL, MM1_DEPARTURE, MM1_N_EVENTS };
enum { STREAM_ARRIVALS, STREAM_SERVICE, MM1_N_STREAMS };
enum { M_WAIT, M_SYSTEM, M_SERVED, MM1_N_MEASURES };

typedef struct mm1_state {
    const mm1_params *p;
    gsl_rng *arrivals, *service;
    int64_t arrived, served, in_system;
    double last_time;   /* time of the previous event */
    double area_queue;  /* integral of the number waiting */
    double area_system; /* integral of the number in the system */
} mm1_state;

static const des_payload NO_PAYLOAD = {0, 0, 0.0};

static void advance(mm1_state *s, double now)
{
    double dt = now - s->last_time;
    s->area_system += (double)s->in_system * dt;
    if (s->in_system > 1)
        s->area_queue += (double)(s->in_system - 1) * dt;
    s->last_time = now;
}

static void on_arrival(des_engine *e, void *state, const des_event *ev)
{
    mm1_state *s = state;
    advance(s, ev->time);
    s->arrived++;
    if (++s->in_system == 1)
        des_schedule_in(e, rng_exponential(s->service, 1.0 / s->p->mu), MM1_DEPARTURE,
                        NO_PAYLOAD);
    if (s->arrived < s->p->customers)
        des_schedule_in(e, rng_exponential(s->arrivals, 1.0 / s->p->lambda), MM1_ARRIVAL,
                        NO_PAYLOAD);
}

static void on_departure(des_engine *e, void *state, const des_event *ev)
{
    mm1_state *s = state;
    advance(s, ev->time);
    s->in_system--;
    s->served++;
    if (s->in_system > 0)
        des_schedule_in(e, rng_exponential(s->service, 1.0 / s->p->mu), MM1_DEPARTURE,
                        NO_PAYLOAD);
}

static const des_handler mm1_handlers[MM1_N_EVENTS] = {on_arrival, on_departure};

static void mm1_start(void *state, const void *params, des_engine *e, gsl_rng *const *streams)
{
    mm1_state *s = state;
    *s = (mm1_state){.p = params, .arrivals = streams[STREAM_ARRIVALS],
                     .service = streams[STREAM_SERVICE]};
    des_schedule(e, rng_exponential(s->arrivals, 1.0 / s->p->lambda), MM1_ARRIVAL,
                 NO_PAYLOAD);
}

static int32_t mm1_finish(void *state, const des_engine *e, double *values)
{
    (void)e;
    mm1_state *s = state;
    double n = (double)s->served;
    values[M_WAIT] = s->served ? s->area_queue / n : NAN;
    values[M_SYSTEM] = s->served ? s->area_system / n : NAN;
    values[M_SERVED] = n;
    return 0;
}

static double mm1_horizon(const void *params)
{
    (void)params;
    return INFINITY;
}

static int mm1_check(const void *params, const char *file, err *e)
{
    const mm1_params *p = params;
    /* A rate so small that its mean time 1/rate overflows gives no event
     * time at all (the engine would stop the run): refuse it here. */
    if (!isfinite(1.0 / p->lambda))
        return err_set(e, ERR_INPUT, file, 0, "mm1.lambda",
                       "%g is too small: the mean time between arrivals 1/lambda is not a "
                       "finite number", p->lambda);
    if (!isfinite(1.0 / p->mu))
        return err_set(e, ERR_INPUT, file, 0, "mm1.mu",
                       "%g is too small: the mean service time 1/mu is not a finite number",
                       p->mu);
    if (p->lambda >= p->mu)
        return err_set(e, ERR_INPUT, file, 0, "mm1.lambda",
                       "must be less than mm1.mu (%g >= %g): the queue has no steady state "
                       "and no exact answer",
                       p->lambda, p->mu);
    return 0;
}

static void mm1_hist_range(const void *params, int m, double *lo, double *hi)
{
    const mm1_params *p = params;
    (void)m;
    *lo = 0.0;
    *hi = 3.0 * p->lambda / (p->mu * (p->mu - p->lambda));
}

static void mm1_describe(const void *state, const des_event *ev, char *buf, size_t n)
{
    const mm1_state *s = state;
    if (ev->type == MM1_ARRIVAL)
        snprintf(buf, n, "customer %lld arrives; %lld in the system before it",
                 (long long)s->arrived + 1, (long long)s->in_system);
    else
        snprintf(buf, n, "customer %lld leaves; %lld left behind", (long long)s->served + 1,
                 (long long)s->in_system - 1);
}

static const char *const mm1_streams[MM1_N_STREAMS] = {"arrivals", "service"};
static const char *const mm1_outcomes[] = {"completed"};
static const measure_def mm1_measures[MM1_N_MEASURES] = {
    {"mean_wait_in_queue", MEASURE_REAL, "time", "customers' mean wait before service", 60},
    {"mean_time_in_system", MEASURE_REAL, "time", "customers' mean time waiting and served", 0},
    {"customers_served", MEASURE_INT, "customers", "customers served", 0},
};
static const summary_def mm1_summaries[] = {
    {"mean_wait_in_queue", SUMMARY_MEAN, M_WAIT, 0},
    {"mean_time_in_system", SUMMARY_MEAN, M_SYSTEM, 0},
    {"customers_served", SUMMARY_MEAN, M_SERVED, 0},
};

const model_def model_mm1 = {
    .name = "mm1",
    .description = "M/M/1 queue (validation model: exact mean wait lambda/(mu(mu-lambda)))",
    .keys = mm1_keys,
    .n_keys = sizeof mm1_keys / sizeof mm1_keys[0],
    .params_size = sizeof(mm1_params),
    .check = mm1_check,
    .n_streams = MM1_N_STREAMS,
    .stream_names = mm1_streams,
    .outcomes = mm1_outcomes,
    .n_outcomes = 1,
    .measures = mm1_measures,
    .n_measures = MM1_N_MEASURES,
    .summaries = mm1_summaries,
    .n_summaries = sizeof mm1_summaries / sizeof mm1_summaries[0],
    .headline = "mean_wait_in_queue",
    .headline_goal = -1,
    .hist_range = mm1_hist_range,
    .state_size = sizeof(mm1_state),
    .handlers = mm1_handlers,
    .n_event_types = MM1_N_EVENTS,
    .horizon = mm1_horizon,
    .start = mm1_start,
    .finish = mm1_finish,
    .describe = mm1_describe,
};
