/* replicate.c — one replication on a thread's workspace: the model's start,
 * the engine's loop, the model's finish; and the two ways to run one alone,
 * run_one (tests) and run_trace (`reassure trace`). */
#include <stdlib.h>

#include "rng.h"
#include "run_private.h"

void run_ws_free(workspace *w)
{
    if (w == NULL)
        return;
    des_free(w->eng);
    for (int k = 0; w->streams && k < w->m->n_streams; k++)
        gsl_rng_free(w->streams[k]);
    free(w->streams);
    free(w->state);
    free(w->params);
    free(w);
}

workspace *run_ws_alloc(const model_def *m)
{
    workspace *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->m = m;
    w->eng = des_alloc(64);
    w->streams = calloc((size_t)m->n_streams, sizeof *w->streams);
    w->state = calloc(1, m->state_size);
    w->params = calloc(1, m->params_size);
    if (!w->eng || !w->streams || !w->state || !w->params) {
        run_ws_free(w);
        return NULL;
    }
    for (int k = 0; k < m->n_streams; k++) {
        if ((w->streams[k] = rng_alloc()) == NULL) {
            run_ws_free(w);
            return NULL;
        }
    }
    des_bind(w->eng, m->handlers, m->n_event_types, w->state);
    return w;
}

/* Events between looks at a stop request inside one replication (about
 * 40 ms of M/M/1): a run stops within a second however long a single
 * replication is. Slicing des_run by its event limit changes nothing in
 * the replication: the same events run in the same order. */
enum { SLICE_EVENTS = 1 << 20 };

int run_replicate(workspace *w, const scenario *s, uint64_t rep, int32_t *outcome,
                  double *values, const model_trace *trace, int (*stop)(void *),
                  void *stop_ctx)
{
    const model_def *m = w->m;
    des_reset(w->eng);
    for (int k = 0; k < m->n_streams; k++)
        rng_stream(w->streams[k], s->seed, (uint64_t)k, 0, rep);
    m->start(w->state, w->params, w->eng, w->streams);
    if (trace != NULL && m->narrate != NULL)
        m->narrate(w->state, trace);
    double horizon = m->horizon(w->params);
    des_status st;
    for (;;) {
        des_set_event_limit(w->eng, stop ? des_events(w->eng) + SLICE_EVENTS : 0);
        st = des_run(w->eng, horizon);
        if (st != DES_EVENT_LIMIT)
            break;
        if (stop(stop_ctx)) {
            w->events += des_events(w->eng);
            return 1;
        }
    }
    if (st == DES_ERROR)
        return -1;
    if (st == DES_BAD_TIME)
        return -2;
    *outcome = m->finish(w->state, w->eng, values);
    w->events += des_events(w->eng);
    return 0;
}

int run_replicate_failure(int rc, size_t p, uint64_t rep, err *e)
{
    if (rc == -2)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL,
                       "point %zu, replication %llu: the model scheduled an event at a time that "
                       "is not a finite number (a rate too small or too large to give a time); "
                       "the run is stopped rather than give a wrong answer", p,
                       (unsigned long long)rep);
    return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory in the event engine");
}

int run_one(const scenario *s, size_t p, uint64_t rep, int32_t *outcome, double *values,
            uint64_t *events, err *e)
{
    workspace *w = run_ws_alloc(s->model);
    if (w == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    scn_point(s, p, w->params);
    int rc = run_replicate(w, s, rep, outcome, values, NULL, NULL, NULL);
    if (events != NULL)
        *events = w->events;
    run_ws_free(w);
    return rc < 0 ? run_replicate_failure(rc, p, rep, e) : 0;
}

/* ---- trace ---------------------------------------------------------------- */

typedef struct trace_ctx {
    const model_def *m;
    const void *state;
    FILE *f;
} trace_ctx;

/* describe-style models: one line per event, before it is handled. */
static void trace_event(void *ctx, const des_engine *e, const des_event *ev)
{
    (void)e;
    trace_ctx *t = ctx;
    char line[512];
    t->m->describe(t->state, ev, line, sizeof line);
    fprintf(t->f, "t %12.4f  %s\n", ev->time, line);
}

/* narrate-style models: the model's own story lines. */
static void trace_story(void *ctx, double day, int rung, const char *text)
{
    trace_ctx *t = ctx;
    fprintf(t->f, "day %7.1f  rung %d  %s\n", day, rung, text);
}

int run_trace(const scenario *s, size_t p, uint64_t rep, FILE *f, err *e)
{
    const model_def *m = s->model;
    workspace *w = run_ws_alloc(m);
    if (w == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    trace_ctx ctx = {m, w->state, f};
    model_trace story = {trace_story, &ctx};
    if (m->describe != NULL)
        des_set_trace(w->eng, trace_event, &ctx);
    scn_point(s, p, w->params);
    int32_t outcome = 0;
    double *values = calloc((size_t)m->n_measures, sizeof *values);
    int rc = values ? run_replicate(w, s, rep, &outcome, values, &story, NULL, NULL) : -1;
    if (rc < 0 && values != NULL)
        run_replicate_failure(rc, p, rep, e);
    else if (rc < 0)
        err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    if (rc == 0) {
        fprintf(f, "outcome: %s\n", m->outcomes[outcome]);
        for (int j = 0; j < m->n_measures; j++)
            fprintf(f, "  %-24s %.6g %s\n", m->measures[j].name, values[j], m->measures[j].unit);
        fprintf(f, "events: %llu\n", (unsigned long long)w->events);
    }
    free(values);
    run_ws_free(w);
    return rc < 0 ? -1 : 0;
}
