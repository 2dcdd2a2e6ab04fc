/* des.c — the discrete-event engine (see des.h).
 *
 * Design, and why:
 *
 *  - The future-event list is an implicit binary min-heap of small nodes
 *    {time, seq, slot}. The key is held inline, so sifting compares nodes
 *    that sit next to each other in one array and never chases a pointer to
 *    the event. seq is a 64-bit counter bumped on every schedule: (time, seq)
 *    is a total order, equal times fire in the order they were scheduled,
 *    and a run is a pure function of its inputs. A 4-ary heap and a
 *    bottom-up (Floyd) pop were tried on the hold model with 10^2..10^6
 *    pending events and were not measurably faster, so the plain binary
 *    heap stays.
 *
 *  - Events live in a pool of slots next to the heap, one slot per pending
 *    event; a freed slot goes on a LIFO free list, so the slot a handler
 *    frees is the one its next schedule reuses (hot in cache). Each slot
 *    records its heap position (kept up to date by every sift), so
 *    des_cancel finds and removes its node in O(log n) without a search.
 *
 *  - A handle is (generation << 32) | slot. A slot's generation is odd while
 *    it holds a pending event and even while it is free, and is bumped on
 *    every change, so a handle whose event fired, was cancelled, or was
 *    discarded by des_reset no longer matches and cancels nothing; an odd
 *    generation also makes every handle nonzero. (A generation wraps after
 *    2^31 reuses of one slot; a handle kept that long could alias.)
 *
 *  - Heap and pool grow together by doubling (realloc): pending events and
 *    occupied slots are the same number. Indices are uint32_t, which caps the
 *    pending set near 2^31 events (over 100 GB). A failed allocation
 *    schedules nothing, returns handle 0 and sets an error flag that makes
 *    des_run return DES_ERROR until des_reset; the queue stays valid.
 *
 *  - The run loop copies the event out of its slot and frees the slot before
 *    calling the handler: the handler may schedule and cancel, which moves
 *    heap nodes and may realloc the pool, so it gets a stable copy. Stop and
 *    error requests share one flag word, so the loop tests one word after
 *    each handler; "no event limit" is stored as UINT64_MAX for the same
 *    reason.
 *
 *  - Invariants are asserted (debug builds): the clock never goes backwards,
 *    only a pending event is popped, a slot and its heap node point at each
 *    other, and every dispatched type has a handler.
 *
 * Nothing here is global: an engine is one malloc'd struct and two arrays.
 */
#include "des.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>

#define NIL UINT32_MAX /* end of the free list */
/* Most slots: 2 * i + 2 must fit in uint32_t, and the bytes in size_t. */
#define CAP_MAX (UINT32_MAX / 2 - 1 < SIZE_MAX / sizeof(slot) \
                     ? UINT32_MAX / 2 - 1                       \
                     : SIZE_MAX / sizeof(slot))
#define DEFAULT_CAP 16

enum { FLAG_STOP = 1u, FLAG_ERROR = 2u, FLAG_BAD_TIME = 4u };

typedef struct hnode {
    double time;
    uint64_t seq;
    uint32_t slot;
} hnode;

typedef struct slot {
    des_event ev;    /* the event, while pending */
    uint32_t pos;    /* heap index while pending; next free slot while free */
    uint32_t gen;    /* odd while pending, even while free */
} slot;

struct des_engine {
    hnode *heap;          /* heap[0..n-1] */
    slot *slots;          /* slots[0..cap-1]; [0..used-1] have been handed out */
    uint32_t n;           /* pending events */
    uint32_t cap;         /* size of both arrays */
    uint32_t used;        /* slots handed out since the last reset */
    uint32_t free;        /* head of the free list, or NIL */
    unsigned flags;       /* FLAG_STOP | FLAG_ERROR | FLAG_BAD_TIME */
    double now;
    uint64_t seq;         /* next insertion sequence number */
    uint64_t events;      /* events handled since reset */
    uint64_t limit;       /* stop at this many events; UINT64_MAX = none */
    const des_handler *handlers;
    int n_types;
    void *state;
    des_trace_fn trace;
    void *trace_ctx;
};

static inline int before(const hnode *a, const hnode *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* Places x at hole i or above it. */
static inline void sift_up(des_engine *e, uint32_t i, hnode x)
{
    hnode *h = e->heap;
    slot *s = e->slots;
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (!before(&x, &h[p]))
            break;
        h[i] = h[p];
        s[h[i].slot].pos = i;
        i = p;
    }
    h[i] = x;
    s[x.slot].pos = i;
}

/* Places x at hole i or below it. */
static inline void sift_down(des_engine *e, uint32_t i, hnode x)
{
    hnode *h = e->heap;
    slot *s = e->slots;
    const uint32_t n = e->n;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= n)
            break;
        c += c + 1 < n && before(&h[c + 1], &h[c]);
        if (!before(&h[c], &x))
            break;
        h[i] = h[c];
        s[h[i].slot].pos = i;
        i = c;
    }
    h[i] = x;
    s[x.slot].pos = i;
}

/* Removes the node at heap index i. */
static inline void heap_remove(des_engine *e, uint32_t i)
{
    hnode last = e->heap[--e->n];
    if (i == e->n)
        return;
    if (i > 0 && before(&last, &e->heap[(i - 1) / 2]))
        sift_up(e, i, last);
    else
        sift_down(e, i, last);
}

static inline void slot_release(des_engine *e, uint32_t k)
{
    slot *s = &e->slots[k];
    assert(s->gen & 1u);
    s->gen++;
    s->pos = e->free;
    e->free = k;
}

/* Doubles both arrays. Returns 0, or -1 (nothing changed but, possibly, the
 * heap array's size) when out of memory. */
static int grow(des_engine *e)
{
    if (e->cap >= CAP_MAX)
        return -1;
    uint32_t cap = e->cap > CAP_MAX / 2 ? (uint32_t)CAP_MAX : 2 * e->cap;
    hnode *h = realloc(e->heap, (size_t)cap * sizeof *h);
    if (h == NULL)
        return -1;
    e->heap = h;
    slot *s = realloc(e->slots, (size_t)cap * sizeof *s);
    if (s == NULL)
        return -1;
    e->slots = s;
    for (uint32_t k = e->cap; k < cap; k++)
        s[k].gen = 0;
    e->cap = cap;
    return 0;
}

des_engine *des_alloc(size_t capacity_hint)
{
    if (capacity_hint > CAP_MAX)
        return NULL;
    uint32_t cap = capacity_hint > 0 ? (uint32_t)capacity_hint : DEFAULT_CAP;
    des_engine *e = calloc(1, sizeof *e);
    if (e == NULL)
        return NULL;
    e->heap = malloc((size_t)cap * sizeof *e->heap);
    e->slots = calloc(cap, sizeof *e->slots);
    if (e->heap == NULL || e->slots == NULL) {
        des_free(e);
        return NULL;
    }
    e->cap = cap;
    e->free = NIL;
    e->limit = UINT64_MAX;
    return e;
}

void des_free(des_engine *e)
{
    if (e == NULL)
        return;
    free(e->heap);
    free(e->slots);
    free(e);
}

void des_bind(des_engine *e, const des_handler *handlers, int n_types, void *state)
{
    assert(n_types >= 0 && (handlers != NULL || n_types == 0));
    e->handlers = handlers;
    e->n_types = n_types;
    e->state = state;
}

void des_reset(des_engine *e)
{
    /* Retire the pending events' generations so their handles go stale, then
     * hand slots out from 0 again (every slot is free, its generation even). */
    for (uint32_t i = 0; i < e->n; i++)
        e->slots[e->heap[i].slot].gen++;
    e->n = 0;
    e->used = 0;
    e->free = NIL;
    e->flags = 0;
    e->now = 0.0;
    e->seq = 0;
    e->events = 0;
}

des_handle des_schedule(des_engine *e, double t, int32_t type, des_payload p)
{
    assert(type >= 0 && (e->handlers == NULL || type < e->n_types));
    if (isnan(t) || t > DBL_MAX) { /* NaN or +inf: a model's rate gave no time at all */
        e->flags |= FLAG_BAD_TIME;
        return 0;
    }
    if (!(t >= e->now)) /* the past (-inf too) */
        return 0;
    uint32_t k = e->free;
    if (k != NIL) {
        e->free = e->slots[k].pos;
    } else {
        if (e->used == e->cap && grow(e) != 0) {
            e->flags |= FLAG_ERROR;
            return 0;
        }
        k = e->used++;
    }
    slot *s = &e->slots[k];
    assert(!(s->gen & 1u));
    s->gen++;
    s->ev.time = t;
    s->ev.type = type;
    s->ev.p = p;
    hnode x = {t, e->seq++, k};
    sift_up(e, e->n++, x);
    return ((uint64_t)s->gen << 32) | k;
}

des_handle des_schedule_in(des_engine *e, double delay, int32_t type, des_payload p)
{
    if (isnan(delay))
        return des_schedule(e, delay, type, p); /* refused, and remembered */
    if (!(delay >= 0.0))
        return 0;
    return des_schedule(e, e->now + delay, type, p);
}

int des_cancel(des_engine *e, des_handle h)
{
    uint32_t k = (uint32_t)h, gen = (uint32_t)(h >> 32);
    if (!(gen & 1u) || k >= e->used || e->slots[k].gen != gen)
        return 0;
    uint32_t i = e->slots[k].pos;
    assert(i < e->n && e->heap[i].slot == k);
    heap_remove(e, i);
    slot_release(e, k);
    return 1;
}

des_status des_run(des_engine *e, double horizon)
{
    assert(!isnan(horizon));
    if (e->flags & FLAG_ERROR)
        return DES_ERROR;
    if (e->flags & FLAG_BAD_TIME)
        return DES_BAD_TIME;
    if (e->events >= e->limit)
        return DES_EVENT_LIMIT;
    while (e->n > 0) {
        const uint32_t k = e->heap[0].slot;
        if (!(e->heap[0].time <= horizon)) {
            if (horizon > e->now)
                e->now = horizon;
            return DES_HORIZON;
        }
        const des_event ev = e->slots[k].ev;
        assert((e->slots[k].gen & 1u) && e->slots[k].pos == 0); /* pending */
        assert(ev.time >= e->now);                 /* time never runs back */
        hnode last = e->heap[--e->n];
        if (e->n > 0)
            sift_down(e, 0, last);
        slot_release(e, k);
        e->now = ev.time;
        e->events++;
        if (e->trace != NULL)
            e->trace(e->trace_ctx, e, &ev);
        assert(ev.type >= 0 && ev.type < e->n_types && e->handlers[ev.type] != NULL);
        e->handlers[ev.type](e, e->state, &ev);
        if (e->flags != 0) {
            if (e->flags & FLAG_ERROR)
                return DES_ERROR;
            if (e->flags & FLAG_BAD_TIME)
                return DES_BAD_TIME;
            e->flags &= ~(unsigned)FLAG_STOP;
            return DES_STOPPED;
        }
        if (e->events >= e->limit)
            return DES_EVENT_LIMIT;
    }
    return DES_EMPTY;
}

void des_stop(des_engine *e)
{
    e->flags |= FLAG_STOP;
}

void des_set_event_limit(des_engine *e, uint64_t limit)
{
    e->limit = limit > 0 ? limit : UINT64_MAX;
}

void des_set_trace(des_engine *e, des_trace_fn fn, void *ctx)
{
    e->trace = fn;
    e->trace_ctx = ctx;
}

double des_now(const des_engine *e)
{
    return e->now;
}

uint64_t des_events(const des_engine *e)
{
    return e->events;
}

size_t des_pending(const des_engine *e)
{
    return e->n;
}
