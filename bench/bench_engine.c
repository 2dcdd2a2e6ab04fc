/* bench_engine.c — the engine (des.h) against a hand-rolled floor.
 *
 * Two workloads, each run two ways that do the same work:
 *
 *   mm1     an M/M/1 queue (lambda 0.9, mu 1.0, FIFO), N customers: two
 *           pending events at most, so this measures the per-event overhead
 *           of the engine (dispatch, slot pool, handles, sequence numbers).
 *   hold10k the classic "hold" model: 10,000 pending events; each event
 *           schedules one more at now + Exp(1). This measures the heap.
 *
 *   engine  state + handlers bound with des_bind, driven by des_run, the way
 *           a model uses the engine.
 *   floor   the same model as one loop over a plain binary heap of
 *           (time, type) with the handlers inlined in a switch.
 *
 * Both draw from the same tiny generator (splitmix64, defined here so the
 * benchmark depends on nothing but des.h) in the same order, with
 * exponentials as -log(1 - u) / rate, so they must agree exactly on the
 * number of events, the mean wait (mm1) and the final clock (hold); the
 * program checks that and exits 1 if they do not.
 *
 * Each figure is the median of 5 timed runs (CLOCK_MONOTONIC), engine and
 * floor runs interleaved. Output, one "name value" line each:
 *   engine_mm1_events_per_s, floor_mm1_events_per_s, engine_vs_floor_ratio
 *   (floor / engine rate: how many times slower the engine is), and the same
 *   for hold10k. Usage: bench_engine [customers [hold_events]].
 */
#include "des.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define RUNS 5
#define SEED 0x5eed2024u
#define LAMBDA 0.9
#define MU 1.0
#define HOLD_PENDING 10000
#define QCAP (1u << 16) /* waiting line of the M/M/1; P(len > 2^16) ~ 0 */

enum { ARRIVAL = 0, DEPARTURE = 1, HOLD = 0 };

/* ---- shared randomness ------------------------------------------------- */

static inline uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static inline double expo(uint64_t *s, double rate)
{
    double u = (double)(splitmix64(s) >> 11) * 0x1.0p-53; /* [0, 1) */
    return -log(1.0 - u) / rate;
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The M/M/1 model: its waiting line and what it measures. */
typedef struct mm1 {
    uint64_t rng;
    uint64_t customers; /* arrivals to generate */
    uint64_t arrivals;
    uint64_t served;    /* customers who started service */
    double wait_sum;    /* time from arrival to start of service */
    int busy;
    unsigned head, len;
    double *line;       /* arrival times, ring of QCAP */
} mm1;

static void mm1_init(mm1 *m, uint64_t customers, double *line)
{
    *m = (mm1){.rng = SEED, .customers = customers, .line = line};
}

static inline void line_push(mm1 *m, double t)
{
    if (m->len == QCAP) {
        fprintf(stderr, "bench_engine: M/M/1 line over %u\n", QCAP);
        exit(1);
    }
    m->line[(m->head + m->len++) & (QCAP - 1)] = t;
}

static inline double line_pop(mm1 *m)
{
    double t = m->line[m->head];
    m->head = (m->head + 1) & (QCAP - 1);
    m->len--;
    return t;
}

/* ---- (a) on the engine --------------------------------------------------- */

static const des_payload NOP = {0, 0, 0.0};

static void on_arrival(des_engine *e, void *state, const des_event *ev)
{
    mm1 *m = state;
    if (++m->arrivals < m->customers)
        des_schedule_in(e, expo(&m->rng, LAMBDA), ARRIVAL, NOP);
    if (!m->busy) {
        m->busy = 1;
        m->served++;
        des_schedule_in(e, expo(&m->rng, MU), DEPARTURE, NOP);
    } else {
        line_push(m, ev->time);
    }
}

static void on_departure(des_engine *e, void *state, const des_event *ev)
{
    mm1 *m = state;
    if (m->len == 0) {
        m->busy = 0;
        return;
    }
    m->wait_sum += ev->time - line_pop(m);
    m->served++;
    des_schedule_in(e, expo(&m->rng, MU), DEPARTURE, NOP);
}

static const des_handler MM1_HANDLERS[] = {on_arrival, on_departure};

static uint64_t engine_mm1(des_engine *e, mm1 *m)
{
    des_reset(e);
    des_bind(e, MM1_HANDLERS, 2, m);
    des_schedule(e, expo(&m->rng, LAMBDA), ARRIVAL, NOP);
    if (des_run(e, INFINITY) != DES_EMPTY) {
        fprintf(stderr, "bench_engine: engine M/M/1 did not run to empty\n");
        exit(1);
    }
    return des_events(e);
}

static void on_hold(des_engine *e, void *state, const des_event *ev)
{
    (void)ev;
    des_schedule_in(e, expo(state, 1.0), HOLD, NOP);
}

static const des_handler HOLD_HANDLERS[] = {on_hold};

/* Fills the engine with HOLD_PENDING events (untimed). */
static void engine_hold_setup(des_engine *e, uint64_t *rng, uint64_t events)
{
    des_reset(e);
    des_bind(e, HOLD_HANDLERS, 1, rng);
    for (int i = 0; i < HOLD_PENDING; i++)
        des_schedule(e, expo(rng, 1.0), HOLD, NOP);
    des_set_event_limit(e, events);
}

/* ---- (b) the hand-rolled floor -------------------------------------------- */

typedef struct fnode {
    double t;
    int type;
} fnode;

typedef struct fheap {
    fnode *a;
    size_t n;
} fheap;

static inline void fpush(fheap *h, double t, int type)
{
    size_t i = h->n++;
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (h->a[p].t <= t)
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = (fnode){t, type};
}

static inline fnode fpop(fheap *h)
{
    fnode top = h->a[0], x = h->a[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h->a[c + 1].t < h->a[c].t)
            c++;
        if (h->a[c].t >= x.t)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    h->a[i] = x;
    return top;
}

static uint64_t floor_mm1(fheap *h, mm1 *m)
{
    uint64_t events = 0;
    h->n = 0;
    fpush(h, expo(&m->rng, LAMBDA), ARRIVAL);
    while (h->n > 0) {
        fnode ev = fpop(h);
        double now = ev.t;
        events++;
        switch (ev.type) {
        case ARRIVAL:
            if (++m->arrivals < m->customers)
                fpush(h, now + expo(&m->rng, LAMBDA), ARRIVAL);
            if (!m->busy) {
                m->busy = 1;
                m->served++;
                fpush(h, now + expo(&m->rng, MU), DEPARTURE);
            } else {
                line_push(m, now);
            }
            break;
        case DEPARTURE:
            if (m->len == 0) {
                m->busy = 0;
                break;
            }
            m->wait_sum += now - line_pop(m);
            m->served++;
            fpush(h, now + expo(&m->rng, MU), DEPARTURE);
            break;
        }
    }
    return events;
}

static void floor_hold_setup(fheap *h, uint64_t *rng)
{
    h->n = 0;
    for (int i = 0; i < HOLD_PENDING; i++)
        fpush(h, expo(rng, 1.0), HOLD);
}

static double floor_hold(fheap *h, uint64_t *rng, uint64_t events)
{
    double now = 0.0;
    for (uint64_t i = 0; i < events; i++) {
        fnode ev = fpop(h);
        now = ev.t;
        fpush(h, now + expo(rng, 1.0), HOLD);
    }
    return now;
}

/* ---- driver --------------------------------------------------------------- */

/* The cost of one exponential draw (throughput of independent draws), which
 * both ways pay once per event in both models; the rest of an event's time
 * is the event list, the dispatch and the model's bookkeeping. */
static double draw_ns(uint64_t draws)
{
    double best = INFINITY, sink = 0.0;
    for (int r = 0; r < RUNS; r++) {
        uint64_t rng = SEED;
        double t0 = seconds();
        for (uint64_t i = 0; i < draws; i++)
            sink += expo(&rng, 1.0);
        double t = seconds() - t0;
        best = t < best ? t : best;
    }
    if (sink < 0.0)
        printf("?\n");
    return 1e9 * best / (double)draws;
}

static void report(const char *model, const char *ratio_name, double *eng, double *flo)
{
    double me = median(eng, RUNS), mf = median(flo, RUNS);
    printf("engine_%s_events_per_s %.0f\n", model, me);
    printf("floor_%s_events_per_s %.0f\n", model, mf);
    printf("%s %.3f\n", ratio_name, mf / me);
    printf("# %s: engine %.1f ns/event, floor %.1f ns/event\n", model, 1e9 / me, 1e9 / mf);
}

int main(int argc, char **argv)
{
    uint64_t customers = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000u;
    uint64_t hold_events = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000u;
    if (customers == 0 || hold_events == 0) {
        fprintf(stderr, "usage: bench_engine [customers [hold_events]]\n");
        return 2;
    }
    des_engine *e = des_alloc(HOLD_PENDING);
    double *line = malloc(QCAP * sizeof *line);
    fheap h = {malloc((HOLD_PENDING + 1) * sizeof(fnode)), 0};
    if (e == NULL || line == NULL || h.a == NULL) {
        fprintf(stderr, "bench_engine: out of memory\n");
        return 1;
    }
    int ok = 1;
    double eng[RUNS], flo[RUNS];

    for (int r = 0; r < RUNS; r++) {
        mm1 a, b;
        mm1_init(&a, customers, line);
        double t0 = seconds();
        uint64_t ea = engine_mm1(e, &a);
        double t1 = seconds();
        mm1_init(&b, customers, line);
        double t2 = seconds();
        uint64_t eb = floor_mm1(&h, &b);
        double t3 = seconds();
        eng[r] = (double)ea / (t1 - t0);
        flo[r] = (double)eb / (t3 - t2);
        double wa = a.wait_sum / (double)a.served, wb = b.wait_sum / (double)b.served;
        if (r == 0) {
            printf("# mm1: %llu customers, lambda %g, mu %g; mean wait in line: "
                   "theory %g\n", (unsigned long long)customers, LAMBDA, MU,
                   LAMBDA / (MU * (MU - LAMBDA)));
            printf("engine_mm1_mean_wait %.17g\nfloor_mm1_mean_wait %.17g\n", wa, wb);
            printf("engine_mm1_events %llu\nfloor_mm1_events %llu\n",
                   (unsigned long long)ea, (unsigned long long)eb);
        }
        if (ea != eb || wa != wb || a.served != customers || b.served != customers) {
            fprintf(stderr, "bench_engine: M/M/1 engine and floor disagree (run %d)\n", r);
            ok = 0;
        }
    }
    report("mm1", "engine_vs_floor_ratio", eng, flo);

    for (int r = 0; r < RUNS; r++) {
        uint64_t ra = SEED, rb = SEED;
        engine_hold_setup(e, &ra, hold_events);
        double t0 = seconds();
        des_status st = des_run(e, INFINITY);
        double t1 = seconds();
        floor_hold_setup(&h, &rb);
        double t2 = seconds();
        double nowb = floor_hold(&h, &rb, hold_events);
        double t3 = seconds();
        eng[r] = (double)hold_events / (t1 - t0);
        flo[r] = (double)hold_events / (t3 - t2);
        if (r == 0)
            printf("# hold10k: %d pending, %llu events; final clock engine %.17g floor %.17g\n",
                   HOLD_PENDING, (unsigned long long)hold_events, des_now(e), nowb);
        if (st != DES_EVENT_LIMIT || des_events(e) != hold_events || des_now(e) != nowb ||
            des_pending(e) != HOLD_PENDING || h.n != HOLD_PENDING) {
            fprintf(stderr, "bench_engine: hold engine and floor disagree (run %d)\n", r);
            ok = 0;
        }
    }
    des_set_event_limit(e, 0);
    report("hold10k", "engine_vs_floor_ratio_hold10k", eng, flo);
    printf("# one exponential draw (throughput; one per event in both models): %.1f ns\n",
           draw_ns(hold_events));

    des_free(e);
    free(line);
    free(h.a);
    return ok ? 0 : 1;
}
