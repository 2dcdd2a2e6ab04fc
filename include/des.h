/* des.h — the discrete-event engine shared by every model.
 *
 * A future-event list (an indexed binary heap: O(log n) schedule, pop and
 * cancel) and a run loop. Events are ordered by time, and events at equal
 * times by the order they were scheduled (insertion sequence), so a run is
 * a pure function of its inputs.
 *
 * A model is state plus a table of handlers, one per event type; it never
 * owns a loop. The engine calls handler[ev->type](engine, state, ev) for each
 * event in order; a handler may schedule, cancel, or call des_stop().
 *
 * Units: times are in the model's unit (days for the reassurance model).
 * Ownership: des_alloc's engine is freed by des_free. The engine keeps a
 * pointer to the handler table and the model state; it does not own them.
 * Thread-safety: one engine per thread; engines share nothing.
 */
#ifndef REASSURE_DES_H
#define REASSURE_DES_H

#include <stddef.h>
#include <stdint.h>

/* A small typed payload: each model documents, per event type, what its
 * fields mean (e.g. i0 = unit, i1 = sector, x = strength). No void *. */
typedef struct des_payload {
    int32_t i0;
    int32_t i1;
    double x;
} des_payload;

typedef struct des_event {
    double time;
    int32_t type;
    des_payload p;
} des_event;

/* A handle names a scheduled event for des_cancel(); 0 is never a valid
 * handle. A handle stays safe to cancel after its event fired or was
 * cancelled (the call then does nothing and returns 0). */
typedef uint64_t des_handle;

typedef struct des_engine des_engine;

typedef void (*des_handler)(des_engine *e, void *state, const des_event *ev);

/* Called before each event is handled (for `reassure trace`); NULL = none. */
typedef void (*des_trace_fn)(void *ctx, const des_engine *e, const des_event *ev);

typedef enum des_status {
    DES_EMPTY = 0,       /* no events left */
    DES_HORIZON = 1,     /* next event lies beyond the horizon */
    DES_STOPPED = 2,     /* a handler called des_stop() */
    DES_EVENT_LIMIT = 3, /* des_set_event_limit() reached */
    DES_ERROR = -1,      /* out of memory while scheduling */
    DES_BAD_TIME = -2    /* an event was scheduled at a time that is NaN or +inf */
} des_status;

/* capacity_hint: expected number of pending events (memory grows as needed).
 * Returns NULL when out of memory. */
des_engine *des_alloc(size_t capacity_hint);
void des_free(des_engine *e);

/* Installs the model: handlers[0..n_types-1] and the state they get. */
void des_bind(des_engine *e, const des_handler *handlers, int n_types, void *state);

/* Empties the queue, sets time to 0 and the counters to 0, clears a pending
 * stop request and a remembered out-of-memory error; keeps memory, the
 * binding, the event limit and the trace hook: call it between
 * replications. Handles from before a reset are dead (cancel returns 0). */
void des_reset(des_engine *e);

/* Schedules an event at absolute time t (t >= des_now(e), finite). Returns its
 * handle, or 0 if t lies in the past (nothing scheduled), if t is NaN or
 * +inf (a rate so small or so large that it gives no time: then des_run()
 * returns DES_BAD_TIME until des_reset, so such an event is never lost in
 * silence), or if memory ran out (then des_run() returns DES_ERROR until
 * des_reset). The zero cases are told apart only by des_run's status. At
 * most about 2^31 events may be pending. */
des_handle des_schedule(des_engine *e, double t, int32_t type, des_payload p);

/* Same, at des_now(e) + delay (delay >= 0; a NaN or +inf delay is
 * DES_BAD_TIME, as above). */
des_handle des_schedule_in(des_engine *e, double delay, int32_t type, des_payload p);

/* Removes a pending event. Returns 1 if it was pending, 0 otherwise. */
int des_cancel(des_engine *e, des_handle h);

/* Processes events in order while their time is <= horizon (not NaN). On
 * DES_HORIZON the clock is set to the horizon (never moved back, if the
 * horizon is earlier than now); on DES_EMPTY it stays at the last event's
 * time. May be called again to continue. The event type must be below the
 * bound n_types (asserted). */
des_status des_run(des_engine *e, double horizon);

/* Asks des_run() to return after the current event (called outside a run,
 * after the next event handled). */
void des_stop(des_engine *e);

/* Stops des_run() after this many events in total since the last reset
 * (0 = no limit); once reached, des_run returns DES_EVENT_LIMIT at once. */
void des_set_event_limit(des_engine *e, uint64_t limit);

void des_set_trace(des_engine *e, des_trace_fn fn, void *ctx);

double des_now(const des_engine *e);
uint64_t des_events(const des_engine *e);   /* events handled since reset */
size_t des_pending(const des_engine *e);    /* events scheduled, not yet handled */

#endif
