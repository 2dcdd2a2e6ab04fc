/* test_des.c — unit tests of the discrete-event engine (des.h).
 *
 * Events carry an id in p.i0; handlers append what they see to a trail, and
 * the tests compare trails with the order the contract promises: by time,
 * then by insertion order. The randomized test replays 200,000 schedule /
 * cancel / pop / run-to-horizon operations against a plain array kept in
 * the promised order, with a fixed-seed generator defined here.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "des.h"

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
#define HAVE_MALLINFO2 1
#endif
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#if UNDER_ASAN
/* Under AddressSanitizer the address space cannot be capped; have its
 * allocator refuse big blocks instead, so the out-of-memory test runs. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=64";
}
#endif

/* ---- helpers -------------------------------------------------------------- */

static uint64_t lcg_next(uint64_t *s) /* Knuth's MMIX LCG; use the high bits */
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

static uint32_t below(uint64_t *s, uint32_t n)
{
    return (uint32_t)(lcg_next(s) % n);
}

static double unit(uint64_t *s)
{
    return (double)lcg_next(s) / 2147483648.0; /* [0, 1) */
}

typedef struct trail {
    int32_t *id;
    double *t;
    size_t n, cap;
} trail;

enum { T_REC, T_STOP, T_SPAWN, T_CANCEL, T_COPY, N_TYPES };

/* The model every test binds: a trail plus what the scripted handlers use. */
typedef struct world {
    des_engine *e;
    trail tr;
    des_handle target, self; /* T_CANCEL: cancel target, then self */
    int target_result, self_result;
    uint64_t trace_calls;
    int trace_bad;
    int spawn_failed; /* T_SPAWN schedules that returned 0 */
} world;

static void trail_add(trail *tr, int32_t id, double t)
{
    if (tr->n == tr->cap) {
        tr->cap = tr->cap ? 2 * tr->cap : 64;
        tr->id = realloc(tr->id, tr->cap * sizeof *tr->id);
        tr->t = realloc(tr->t, tr->cap * sizeof *tr->t);
        assert_non_null(tr->id);
        assert_non_null(tr->t);
    }
    tr->id[tr->n] = id;
    tr->t[tr->n] = t;
    tr->n++;
}

static void h_rec(des_engine *e, void *state, const des_event *ev)
{
    world *w = state;
    assert_true(des_now(e) == ev->time);
    trail_add(&w->tr, ev->p.i0, ev->time);
}

static void h_stop(des_engine *e, void *state, const des_event *ev)
{
    h_rec(e, state, ev);
    des_stop(e);
}

/* Schedules p.i1 events at the current time, ids 100 * p.i0 + k. */
static void h_spawn(des_engine *e, void *state, const des_event *ev)
{
    world *w = state;
    h_rec(e, state, ev);
    for (int32_t k = 0; k < ev->p.i1; k++)
        if (des_schedule(e, des_now(e), T_REC, (des_payload){100 * ev->p.i0 + k, 0, 0.0}) == 0)
            w->spawn_failed++;
}

static void h_cancel(des_engine *e, void *state, const des_event *ev)
{
    world *w = state;
    h_rec(e, state, ev);
    w->target_result = des_cancel(e, w->target);
    w->self_result = des_cancel(e, w->self);
}

/* Schedules enough to reuse its own slot and force growth, then checks that
 * the event it was handed did not change. */
static void h_copy(des_engine *e, void *state, const des_event *ev)
{
    const des_event before = *ev;
    h_rec(e, state, ev);
    for (int k = 0; k < 1000; k++)
        des_schedule(e, ev->time + 1.0 + k, T_REC, (des_payload){-1, -1, -1.0});
    assert_true(ev->time == before.time);
    assert_int_equal(ev->type, T_COPY);
    assert_int_equal(ev->p.i0, before.p.i0);
    assert_int_equal(ev->p.i1, 4242);
    assert_true(ev->p.x == 2.5);
}

static const des_handler HANDLERS[N_TYPES] = {h_rec, h_stop, h_spawn, h_cancel, h_copy};

static void world_init(world *w, size_t hint)
{
    memset(w, 0, sizeof *w);
    w->e = des_alloc(hint);
    assert_non_null(w->e);
    des_bind(w->e, HANDLERS, N_TYPES, w);
}

static void world_done(world *w)
{
    des_free(w->e);
    free(w->tr.id);
    free(w->tr.t);
}

static des_handle at(world *w, double t, int32_t type, int32_t id)
{
    return des_schedule(w->e, t, type, (des_payload){id, 0, 0.0});
}

/* The trail must be exactly ids[0..n-1]. */
static void expect_ids(const world *w, const int32_t *ids, size_t n)
{
    assert_int_equal(w->tr.n, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(w->tr.id[i], ids[i]);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_alloc_and_empty(void **unused)
{
    (void)unused;
    assert_null(des_alloc(SIZE_MAX));
    des_engine *e = des_alloc(0);
    assert_non_null(e);
    assert_true(des_now(e) == 0.0);
    assert_int_equal(des_events(e), 0);
    assert_int_equal(des_pending(e), 0);
    assert_int_equal(des_run(e, INFINITY), DES_EMPTY);
    assert_int_equal(des_run(e, 10.0), DES_EMPTY);
    des_free(e);
    des_free(NULL);
}

static void test_order_by_time(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 4);
    /* 0..99 in a scrambled order (37 is coprime with 100). */
    for (int32_t k = 0; k < 100; k++) {
        int32_t v = (k * 37 + 11) % 100;
        assert_int_not_equal(at(&w, 0.5 * v, T_REC, v), 0);
    }
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    for (int32_t k = 0; k < 100; k++) {
        assert_int_equal(w.tr.id[k], k);
        assert_true(w.tr.t[k] == 0.5 * k);
    }
    assert_int_equal(w.tr.n, 100);
    assert_true(des_now(w.e) == 49.5);
    world_done(&w);
}

static void test_fifo_equal_times(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 1);
    /* 3000 events: times cycle through 2, 0, 1, and every 10th has a time of
     * its own (0.009, 0.019, ..., 2.999) between those, so runs of equal
     * times are scheduled interleaved with, and fire among, other times. */
    enum { N = 3000 };
    double t[N];
    for (int32_t k = 0; k < N; k++) {
        t[k] = k % 10 == 9 ? 1e-3 * k : (double)((k + 2) % 3);
        assert_int_not_equal(at(&w, t[k], T_REC, k), 0);
    }
    /* A later batch all at time 1, scheduled after the first. */
    for (int32_t k = N; k < N + 500; k++)
        assert_int_not_equal(at(&w, 1.0, T_REC, k), 0);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(w.tr.n, N + 500);
    for (size_t i = 1; i < w.tr.n; i++) {
        assert_true(w.tr.t[i - 1] <= w.tr.t[i]);
        if (w.tr.t[i - 1] == w.tr.t[i])
            assert_true(w.tr.id[i - 1] < w.tr.id[i]);
    }
    world_done(&w);
}

static void test_cancel_basic(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 8);
    des_handle a = at(&w, 1.0, T_REC, 1);
    des_handle b = at(&w, 2.0, T_REC, 2);
    des_handle c = at(&w, 3.0, T_REC, 3);
    assert_true(a != 0 && b != 0 && c != 0 && a != b && b != c && a != c);
    assert_int_equal(des_cancel(w.e, 0), 0);
    assert_int_equal(des_cancel(w.e, UINT64_MAX), 0);
    assert_int_equal(des_cancel(w.e, (des_handle)1 << 32 | 12345), 0);
    assert_int_equal(des_pending(w.e), 3);
    assert_int_equal(des_cancel(w.e, b), 1);   /* pending */
    assert_int_equal(des_pending(w.e), 2);
    assert_int_equal(des_cancel(w.e, b), 0);   /* twice */
    assert_int_equal(des_pending(w.e), 2);
    assert_int_equal(des_run(w.e, 1.5), DES_HORIZON);
    assert_int_equal(des_cancel(w.e, a), 0);   /* after it fired */
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(des_cancel(w.e, c), 0);
    const int32_t ids[] = {1, 3};              /* b never fires */
    expect_ids(&w, ids, 2);
    assert_int_equal(des_events(w.e), 2);
    world_done(&w);
}

/* Scheduled in increasing time, the heap is the array itself: 1 is the root,
 * 15 the last node, 8 a leaf in the middle, 3 an inner node. */
static void test_cancel_root_last_middle(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 15);
    des_handle h[16];
    for (int32_t k = 1; k <= 15; k++)
        h[k] = at(&w, (double)k, T_REC, k);
    assert_int_equal(des_cancel(w.e, h[1]), 1);  /* root */
    assert_int_equal(des_cancel(w.e, h[15]), 1); /* last */
    assert_int_equal(des_cancel(w.e, h[8]), 1);  /* middle */
    assert_int_equal(des_cancel(w.e, h[3]), 1);  /* an inner node */
    assert_int_equal(des_pending(w.e), 11);
    des_set_event_limit(w.e, 2);
    assert_int_equal(des_run(w.e, INFINITY), DES_EVENT_LIMIT);
    assert_int_equal(des_cancel(w.e, h[5]), 1);  /* the root now */
    assert_int_equal(des_cancel(w.e, h[14]), 1);
    /* Equal times too: cancel among a run of ties. */
    des_handle t1 = at(&w, 9.0, T_REC, 91);
    des_handle t2 = at(&w, 9.0, T_REC, 92);
    at(&w, 9.0, T_REC, 93);
    assert_int_equal(des_cancel(w.e, t2), 1);
    assert_int_equal(des_cancel(w.e, t1), 1);
    des_set_event_limit(w.e, 0);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    const int32_t ids[] = {2, 4, 6, 7, 9, 93, 10, 11, 12, 13};
    expect_ids(&w, ids, sizeof ids / sizeof ids[0]);
    world_done(&w);
}

/* With one slot the pool must reuse it; every old handle must then be dead. */
static void test_stale_handle_after_reuse(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 1);
    enum { N = 1000 };
    des_handle old[N];
    for (int k = 0; k < N; k++) {
        old[k] = at(&w, (double)k, T_REC, k);
        assert_int_not_equal(old[k], 0);
        for (int j = 0; j < k; j++)
            assert_true(old[j] != old[k]);
        if (k % 2)
            assert_int_equal(des_cancel(w.e, old[k]), 1);
        else
            assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY); /* fires it */
    }
    des_handle live = at(&w, 5000.0, T_REC, 5000);
    for (int k = 0; k < N; k++)
        assert_int_equal(des_cancel(w.e, old[k]), 0);
    assert_int_equal(des_pending(w.e), 1);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(w.tr.id[w.tr.n - 1], 5000);
    assert_int_equal(w.tr.n, N / 2 + 1);
    assert_int_equal(des_cancel(w.e, live), 0);
    world_done(&w);
}

/* ---- randomized test against a reference ---------------------------------- */

typedef struct ref_ev {
    double t;
    uint64_t seq;
    int32_t id;
} ref_ev;

/* The reference: pending events kept sorted by (t, seq), earliest last. */
typedef struct ref {
    ref_ev *a;
    size_t n;
} ref;

static int ref_after(const ref_ev *x, const ref_ev *y)
{
    return x->t > y->t || (x->t == y->t && x->seq > y->seq);
}

static void ref_insert(ref *r, ref_ev x)
{
    size_t lo = 0, hi = r->n; /* the first i with x after a[i], by bisection */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ref_after(&x, &r->a[mid]))
            hi = mid;
        else
            lo = mid + 1;
    }
    size_t i = lo;
    memmove(&r->a[i + 1], &r->a[i], (r->n - i) * sizeof x);
    r->a[i] = x;
    r->n++;
}

static int ref_remove(ref *r, int32_t id)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->a[i].id == id) {
            memmove(&r->a[i], &r->a[i + 1], (r->n - i - 1) * sizeof r->a[0]);
            r->n--;
            return 1;
        }
    return 0;
}

static void test_random_vs_reference(void **unused)
{
    (void)unused;
    enum { OPS = 200000 };
    world w;
    world_init(&w, 1);
    ref r = {malloc(OPS * sizeof(ref_ev)), 0};
    des_handle *handle = malloc(OPS * sizeof *handle);
    assert_non_null(r.a);
    assert_non_null(handle);
    uint64_t rng = 20240601u, seq = 0;
    int32_t next_id = 0;
    size_t peak = 0, fired = 0, hits = 0, misses = 0, horizons = 0;

    for (int op = 0; op < OPS; op++) {
        uint32_t sched = op < OPS / 3 ? 70 : op < 2 * OPS / 3 ? 42 : 30;
        uint32_t dice = below(&rng, 100);
        double now = des_now(w.e);
        if (dice < sched) {
            uint32_t kind = below(&rng, 10);
            double t = kind < 3   ? now                                  /* ties at now */
                       : kind < 6 ? floor(now) + 1.0 + below(&rng, 5)  /* ties */
                                  : now + 10.0 * unit(&rng);
            int32_t id = next_id++;
            handle[id] = at(&w, t, T_REC, id);
            assert_int_not_equal(handle[id], 0);
            ref_insert(&r, (ref_ev){t, seq++, id});
        } else if (dice < sched + 15) {
            if (next_id == 0)
                continue;
            /* Mostly recent handles, some long dead. */
            uint32_t back = below(&rng, 4) ? below(&rng, 64) : below(&rng, (uint32_t)next_id);
            int32_t id = back < (uint32_t)next_id ? next_id - 1 - (int32_t)back : 0;
            int expected = ref_remove(&r, id);
            assert_int_equal(des_cancel(w.e, handle[id]), expected);
            hits += expected;
            misses += !expected;
        } else if (dice < 99) {
            /* Pop exactly one event. */
            size_t before = w.tr.n;
            des_set_event_limit(w.e, des_events(w.e) + 1);
            des_status st = des_run(w.e, INFINITY);
            if (r.n == 0) {
                assert_int_equal(st, DES_EMPTY);
                assert_int_equal(w.tr.n, before);
            } else {
                ref_ev x = r.a[--r.n];
                assert_int_equal(st, DES_EVENT_LIMIT);
                assert_int_equal(w.tr.n, before + 1);
                assert_int_equal(w.tr.id[before], x.id);
                assert_true(des_now(w.e) == x.t);
                fired++;
            }
        } else {
            /* Run to a horizon: exactly the events at or before it, in order. */
            double hz = now + 0.2 * unit(&rng);
            size_t before = w.tr.n;
            des_set_event_limit(w.e, 0);
            des_status st = des_run(w.e, hz);
            size_t k = before;
            while (r.n > 0 && r.a[r.n - 1].t <= hz) {
                assert_true(k < w.tr.n);
                assert_int_equal(w.tr.id[k], r.a[r.n - 1].id);
                r.n--;
                k++;
            }
            assert_int_equal(w.tr.n, k);
            fired += k - before;
            assert_int_equal(st, r.n > 0 ? DES_HORIZON : DES_EMPTY);
            if (st == DES_HORIZON) {
                assert_true(des_now(w.e) == hz);
                horizons += k > before;
            }
        }
        assert_int_equal(des_pending(w.e), r.n);
        if (r.n > peak)
            peak = r.n;
    }
    des_set_event_limit(w.e, 0);
    size_t before = w.tr.n;
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    for (size_t k = before; k < w.tr.n; k++)
        assert_int_equal(w.tr.id[k], r.a[r.n - 1 - (k - before)].id);
    assert_int_equal(w.tr.n - before, r.n);
    assert_int_equal(des_events(w.e), fired + r.n);
    /* The run exercised what it is meant to: a deep heap, live and dead
     * cancels, horizons that fired some events and left others. */
    assert_true(peak > 1000);
    assert_true(hits > 5000 && misses > 5000);
    assert_true(horizons > 100);
    free(r.a);
    free(handle);
    world_done(&w);
}

/* ---- the run loop ----------------------------------------------------------- */

static void test_horizon(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 4);
    at(&w, 1.0, T_REC, 1);
    at(&w, 2.0, T_REC, 2);
    at(&w, 5.0, T_REC, 5); /* exactly at the horizon: fires */
    at(&w, 10.0, T_REC, 10);
    assert_int_equal(des_run(w.e, 5.0), DES_HORIZON);
    assert_true(des_now(w.e) == 5.0);
    assert_int_equal(des_events(w.e), 3);
    assert_int_equal(des_pending(w.e), 1);
    assert_int_equal(des_run(w.e, 7.0), DES_HORIZON);
    assert_true(des_now(w.e) == 7.0);
    assert_int_equal(des_events(w.e), 3);
    assert_int_equal(des_run(w.e, 6.0), DES_HORIZON); /* never back in time */
    assert_true(des_now(w.e) == 7.0);
    assert_int_equal(at(&w, 6.5, T_REC, 6), 0);        /* before the new now */
    assert_int_not_equal(at(&w, 7.0, T_REC, 7), 0);    /* at now */
    assert_int_equal(des_run(w.e, 7.0), DES_HORIZON);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_true(des_now(w.e) == 10.0);
    const int32_t ids[] = {1, 2, 5, 7, 10};
    expect_ids(&w, ids, 5);
    world_done(&w);
}

static void test_stop_from_handler(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 4);
    at(&w, 1.0, T_REC, 1);
    at(&w, 2.0, T_STOP, 2);
    at(&w, 2.0, T_REC, 3);
    at(&w, 4.0, T_STOP, 4); /* the last event: still STOPPED, not EMPTY */
    assert_int_equal(des_run(w.e, INFINITY), DES_STOPPED);
    assert_true(des_now(w.e) == 2.0);
    assert_int_equal(des_events(w.e), 2);
    assert_int_equal(des_pending(w.e), 2);
    assert_int_equal(des_run(w.e, INFINITY), DES_STOPPED); /* request was cleared */
    assert_int_equal(des_events(w.e), 4);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    const int32_t ids[] = {1, 2, 3, 4};
    expect_ids(&w, ids, 4);
    world_done(&w);
}

static void test_event_limit(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 4);
    for (int32_t k = 0; k < 10; k++)
        at(&w, (double)k, T_REC, k);
    des_set_event_limit(w.e, 4);
    assert_int_equal(des_run(w.e, INFINITY), DES_EVENT_LIMIT);
    assert_int_equal(des_events(w.e), 4);
    assert_true(des_now(w.e) == 3.0);
    assert_int_equal(des_run(w.e, INFINITY), DES_EVENT_LIMIT); /* a total, not per run */
    assert_int_equal(des_events(w.e), 4);
    des_set_event_limit(w.e, 7);
    assert_int_equal(des_run(w.e, INFINITY), DES_EVENT_LIMIT);
    assert_int_equal(des_events(w.e), 7);
    des_set_event_limit(w.e, 0); /* no limit */
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(des_events(w.e), 10);
    assert_int_equal(w.tr.n, 10);
    world_done(&w);
}

static void test_counts_and_pending(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 2);
    for (int32_t k = 0; k < 50; k++) {
        at(&w, 1.0 + k, T_REC, k);
        assert_int_equal(des_pending(w.e), (size_t)k + 1);
    }
    for (uint64_t k = 1; k <= 50; k++) {
        assert_int_equal(des_run(w.e, 0.5 + (double)k), k < 50 ? DES_HORIZON : DES_EMPTY);
        assert_int_equal(des_events(w.e), k);
        assert_int_equal(des_pending(w.e), 50 - k);
    }
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(des_events(w.e), 50);
    world_done(&w);
}

/* A time in the past is refused (handle 0) and the engine goes on; a NaN
 * or infinite time — a rate so small, e.g. 4.9e-324, that its mean time
 * overflows — is refused too, and remembered: des_run returns DES_BAD_TIME
 * until des_reset, so the event is never dropped in silence. */
static void test_reject_bad_times(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 4);
    const des_payload p = {0, 0, 0.0};
    assert_int_equal(des_schedule(w.e, -INFINITY, T_REC, p), 0);
    assert_int_equal(des_schedule(w.e, -1e-300, T_REC, p), 0);
    assert_int_equal(des_schedule_in(w.e, -1.0, T_REC, p), 0);
    at(&w, 3.0, T_REC, 3);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(des_schedule(w.e, 2.999, T_REC, p), 0);
    assert_int_equal(des_pending(w.e), 0);
    /* Not an error state: the engine goes on. */
    assert_int_not_equal(des_schedule_in(w.e, 0.0, T_REC, (des_payload){4, 0, 0.0}), 0);
    assert_int_not_equal(des_schedule_in(w.e, 1.5, T_REC, (des_payload){5, 0, 0.0}), 0);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_true(des_now(w.e) == 4.5);
    const int32_t ids[] = {3, 4, 5};
    expect_ids(&w, ids, 3);

    /* Each way to a time that is not a number or infinite ends the run
     * with DES_BAD_TIME, before or after the events already pending. */
    for (int way = 0; way < 5; way++) {
        des_reset(w.e);
        w.tr.n = 0;
        at(&w, 1.0, T_REC, 8);
        if (way == 4) { /* now + delay overflowing to infinity */
            at(&w, DBL_MAX, T_REC, 9);
            assert_int_equal(des_run(w.e, 2.0), DES_HORIZON);
            assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
        }
        des_handle h = way == 0   ? des_schedule(w.e, NAN, T_REC, p)
                       : way == 1 ? des_schedule(w.e, INFINITY, T_REC, p)
                       : way == 2 ? des_schedule_in(w.e, NAN, T_REC, p)
                       : way == 3 ? des_schedule_in(w.e, INFINITY, T_REC, p)
                                  : des_schedule_in(w.e, DBL_MAX, T_REC, p);
        assert_int_equal(h, 0);
        assert_int_equal(des_run(w.e, INFINITY), DES_BAD_TIME);
        assert_int_equal(des_run(w.e, INFINITY), DES_BAD_TIME); /* remembered */
    }
    des_reset(w.e); /* and forgotten by a reset */
    w.tr.n = 0;
    at(&w, 1.0, T_REC, 10);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    const int32_t after[] = {10};
    expect_ids(&w, after, 1);
    world_done(&w);
}

static size_t heap_bytes(void)
{
#ifdef HAVE_MALLINFO2
    return mallinfo2().uordblks;
#else
    return 0;
#endif
}

static void test_reset(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 1);
    des_handle h[5000];
    for (int32_t k = 0; k < 5000; k++)
        h[k] = at(&w, (double)(k % 100), T_REC, k);
    assert_int_equal(des_run(w.e, 50.0), DES_HORIZON);
    assert_true(des_events(w.e) > 0);
    size_t bytes = heap_bytes();
    des_reset(w.e);
    assert_int_equal(heap_bytes(), bytes); /* reset keeps its memory */
    assert_true(des_now(w.e) == 0.0);
    assert_int_equal(des_events(w.e), 0);
    assert_int_equal(des_pending(w.e), 0);
    for (int32_t k = 0; k < 5000; k++)
        assert_int_equal(des_cancel(w.e, h[k]), 0); /* old handles are dead */
    w.tr.n = 0;
    /* Same work again: the same memory, the same binding. */
    for (int32_t k = 0; k < 5000; k++)
        h[k] = at(&w, (double)(k % 100), T_REC, k);
    assert_int_equal(heap_bytes(), bytes);
    assert_int_equal(des_cancel(w.e, h[4999]), 1);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(w.tr.n, 4999);
    for (size_t i = 1; i < w.tr.n; i++)
        assert_true(w.tr.t[i - 1] < w.tr.t[i] ||
                    (w.tr.t[i - 1] == w.tr.t[i] && w.tr.id[i - 1] < w.tr.id[i]));
    assert_int_equal(des_events(w.e), 4999);
    /* The stop request does not survive a reset. */
    des_stop(w.e);
    des_reset(w.e);
    at(&w, 1.0, T_REC, 1);
    at(&w, 2.0, T_REC, 2);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(des_events(w.e), 2);
    world_done(&w);
}

static void test_schedule_at_now_from_handler(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 1);
    des_schedule(w.e, 1.0, T_SPAWN, (des_payload){1, 3, 0.0}); /* spawns 100..102 */
    at(&w, 1.0, T_REC, 2);
    des_schedule(w.e, 1.0, T_SPAWN, (des_payload){3, 2, 0.0}); /* spawns 300, 301 */
    at(&w, 2.0, T_REC, 4);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(w.spawn_failed, 0);
    const int32_t ids[] = {1, 2, 3, 100, 101, 102, 300, 301, 4};
    expect_ids(&w, ids, sizeof ids / sizeof ids[0]);
    for (size_t i = 0; i + 1 < w.tr.n; i++)
        assert_true(w.tr.t[i] == 1.0);
    world_done(&w);
}

static void test_cancel_from_handler(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 2);
    w.self = at(&w, 1.0, T_CANCEL, 1);
    w.target = at(&w, 1.0, T_REC, 2); /* same time, later: cancelled first */
    at(&w, 1.0, T_REC, 3);
    w.target_result = w.self_result = -1;
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(w.target_result, 1);
    assert_int_equal(w.self_result, 0); /* it is firing: no longer pending */
    const int32_t ids[] = {1, 3};
    expect_ids(&w, ids, 2);
    world_done(&w);
}

static void test_handler_gets_a_copy(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 1);
    des_schedule(w.e, 1.0, T_COPY, (des_payload){7, 4242, 2.5});
    assert_int_equal(des_run(w.e, 1.0), DES_HORIZON);
    assert_int_equal(des_pending(w.e), 1000);
    world_done(&w);
}

static void test_growth_to_a_million(void **unused)
{
    (void)unused;
    enum { N = 1000000 };
    world w;
    world_init(&w, 1);
    uint64_t rng = 7;
    for (int32_t k = 0; k < N; k++)
        assert_int_not_equal(at(&w, 0.25 * below(&rng, 4000), T_REC, k), 0);
    assert_int_equal(des_pending(w.e), N);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(des_events(w.e), N);
    assert_int_equal(w.tr.n, N);
    for (size_t i = 1; i < w.tr.n; i++)
        assert_true(w.tr.t[i - 1] < w.tr.t[i] ||
                    (w.tr.t[i - 1] == w.tr.t[i] && w.tr.id[i - 1] < w.tr.id[i]));
    world_done(&w);
}

static void trace_fn(void *ctx, const des_engine *e, const des_event *ev)
{
    world *w = ctx;
    w->trace_calls++;
    /* Called before the handler, after the clock and the count moved. */
    if (des_now(e) != ev->time || des_events(e) != w->trace_calls ||
        w->tr.n != w->trace_calls - 1)
        w->trace_bad++;
}

static void test_trace_hook(void **unused)
{
    (void)unused;
    world w;
    world_init(&w, 4);
    des_set_trace(w.e, trace_fn, &w);
    for (int32_t k = 0; k < 20; k++)
        at(&w, (double)(k / 3), T_REC, k);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(w.trace_calls, 20);
    assert_int_equal(w.trace_bad, 0);
    des_set_trace(w.e, NULL, NULL);
    at(&w, 100.0, T_REC, 100);
    assert_int_equal(des_run(w.e, INFINITY), DES_EMPTY);
    assert_int_equal(w.trace_calls, 20);
    world_done(&w);
}

/* Runs in a child whose address space is capped, so allocation fails for
 * real. Returns 0 or the number of the check that failed. */
static int oom_checks(world *w)
{
    long page = sysconf(_SC_PAGESIZE), vm_pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f == NULL)
        return 2;
    int got = fscanf(f, "%ld", &vm_pages);
    fclose(f);
    if (got != 1 || page <= 0)
        return 2;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) != 0)
        return 3;
    rl.rlim_cur = (rlim_t)vm_pages * (rlim_t)page + ((rlim_t)128 << 20);
    if (!UNDER_ASAN && setrlimit(RLIMIT_AS, &rl) != 0)
        return 4;
    const des_payload p = {0, 0, 0.0};
    size_t n = 0;
    while (des_schedule(w->e, (double)(n % 7), T_REC, p) != 0)
        if (++n > 16000000) /* 1 GB: the cap did not work */
            return 5;
    if (n < 1000 || des_pending(w->e) != n)
        return 6; /* the failed call scheduled nothing */
    if (des_run(w->e, INFINITY) != DES_ERROR || des_events(w->e) != 0)
        return 7;
    if (des_run(w->e, INFINITY) != DES_ERROR) /* remembered */
        return 8;
    /* After a reset the memory is there again: refill to the same size,
     * then a handler that schedules two events needs one slot more. */
    des_reset(w->e);
    for (size_t k = 0; k + 1 < n; k++)
        if (des_schedule(w->e, 1.0 + (double)k, T_REC, p) == 0)
            return 9;
    if (des_schedule(w->e, 0.5, T_SPAWN, (des_payload){1, 2, 0.0}) == 0)
        return 10;
    if (des_run(w->e, INFINITY) != DES_ERROR || des_events(w->e) != 1 ||
        des_pending(w->e) != n || w->spawn_failed != 1)
        return 11; /* it stops right after the handler whose schedule failed */
    des_reset(w->e);
    if (des_schedule(w->e, 1.0, T_REC, p) == 0 || des_run(w->e, INFINITY) != DES_EMPTY)
        return 12;
    return 0;
}

static int oom_child(void)
{
    world w;
    memset(&w, 0, sizeof w);
    w.e = des_alloc(1);
    if (w.e == NULL)
        return 1;
    des_bind(w.e, HANDLERS, N_TYPES, &w);
    trail_add(&w.tr, 0, 0.0); /* the handlers' trail needs no memory later */
    w.tr.n = 0;
    int rc = oom_checks(&w);
    world_done(&w);
    return rc;
}

static void test_out_of_memory(void **unused)
{
    (void)unused;
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(oom_child());
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_and_empty),
        cmocka_unit_test(test_order_by_time),
        cmocka_unit_test(test_fifo_equal_times),
        cmocka_unit_test(test_cancel_basic),
        cmocka_unit_test(test_cancel_root_last_middle),
        cmocka_unit_test(test_stale_handle_after_reuse),
        cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_horizon),
        cmocka_unit_test(test_stop_from_handler),
        cmocka_unit_test(test_event_limit),
        cmocka_unit_test(test_counts_and_pending),
        cmocka_unit_test(test_reject_bad_times),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_schedule_at_now_from_handler),
        cmocka_unit_test(test_cancel_from_handler),
        cmocka_unit_test(test_handler_gets_a_copy),
        cmocka_unit_test(test_growth_to_a_million),
        cmocka_unit_test(test_trace_hook),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests_name("des", tests, NULL, NULL);
}
