/* bench_engine.c — the engine (des.h) against a hand-rolled floor.
 *
 * Two workloads, each run two ways that do the same work (and M/M/1 two
 * more ways, below):
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
 * The engine's overhead is the ratio of those two. What a user gets is the
 * M/M/1 model itself (sim/models/mm1.c, the one `reassure run` runs): its
 * Philox streams, its exponential variate (rng_exponential) and its
 * bookkeeping, on the engine. Two more ways measure it:
 *
 *   model        one replication of scenarios/validation/mm1.cfg with
 *                mm1.customers = N (run_one: the runner's per-replication
 *                path without the file), seed 7, replication 0.
 *   floor_philox the floor's loop drawing exactly the model's random numbers
 *                (its two Philox streams, rng_exponential): the same events
 *                as the model (checked), so model / floor_philox is the
 *                engine's and the model's overhead with the same variate.
 *
 * The goal (issue 17) is the model's customers per second at >= 0.7x the
 * floor's, the floor unchanged (splitmix64, -log(1 - u)): the yardstick.
 *
 * Each figure is the median of RUNS timed runs (CLOCK_MONOTONIC, default 5),
 * all ways interleaved. Output, one "name value" line each:
 *   engine_mm1_events_per_s, floor_mm1_events_per_s, engine_vs_floor_ratio
 *   (floor / engine rate: how many times slower the engine is);
 *   model_mm1_customers_per_s, floor_mm1_customers_per_s,
 *   model_vs_floor_customers_ratio (model / floor: the goal's figure, with
 *   a "goal" line saying whether it is >= 0.7), floor_philox_mm1_customers_per_s,
 *   model_vs_floor_philox_ratio; and engine_vs_floor for hold10k.
 * Usage: bench_engine [customers [hold_events [runs]]]; hold_events 0 skips
 * hold10k (`bench_engine 10000000 0 3`: the M/M/1 figures, medians of 3).
 */
#include "des.h"
#include "rng.h"
#include "run.h"
#include "scn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_RUNS 99
#define MODEL_SEED 7
#define GOAL 0.7
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

/* The floor drawing the model's numbers: arrivals from stream (seed, 0, 0,
 * 0), service times from stream (seed, 1, 0, 0), as run_replicate keys
 * replication 0 of point 0; each stream drawn in the model's order. */
static uint64_t floor_philox_mm1(fheap *h, mm1 *m, gsl_rng *arr, gsl_rng *svc)
{
    uint64_t events = 0;
    rng_stream(arr, MODEL_SEED, 0, 0, 0);
    rng_stream(svc, MODEL_SEED, 1, 0, 0);
    h->n = 0;
    fpush(h, rng_exponential(arr, 1.0 / LAMBDA), ARRIVAL);
    while (h->n > 0) {
        fnode ev = fpop(h);
        double now = ev.t;
        events++;
        switch (ev.type) {
        case ARRIVAL:
            if (!m->busy) {
                m->busy = 1;
                m->served++;
                fpush(h, now + rng_exponential(svc, 1.0 / MU), DEPARTURE);
            } else {
                line_push(m, now);
            }
            if (++m->arrivals < m->customers)
                fpush(h, now + rng_exponential(arr, 1.0 / LAMBDA), ARRIVAL);
            break;
        case DEPARTURE:
            if (m->len == 0) {
                m->busy = 0;
                break;
            }
            m->wait_sum += now - line_pop(m);
            m->served++;
            fpush(h, now + rng_exponential(svc, 1.0 / MU), DEPARTURE);
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
 * every way pays once per event; the rest of an event's time is the event
 * list, the dispatch and the model's bookkeeping. philox: the model's
 * variate (rng_exponential on a Philox stream) instead of the floor's. */
static double draw_ns(uint64_t draws, int runs, gsl_rng *philox)
{
    double best = INFINITY, sink = 0.0;
    for (int r = 0; r < runs; r++) {
        uint64_t rng = SEED;
        if (philox != NULL)
            rng_stream(philox, SEED, 0, 0, 0);
        double t0 = seconds();
        if (philox != NULL)
            for (uint64_t i = 0; i < draws; i++)
                sink += rng_exponential(philox, 1.0);
        else
            for (uint64_t i = 0; i < draws; i++)
                sink += expo(&rng, 1.0);
        double t = seconds() - t0;
        best = t < best ? t : best;
    }
    if (sink < 0.0)
        printf("?\n");
    return 1e9 * best / (double)draws;
}

static void report(const char *model, const char *ratio_name, double *eng, double *flo, int runs)
{
    double me = median(eng, runs), mf = median(flo, runs);
    printf("engine_%s_events_per_s %.0f\n", model, me);
    printf("floor_%s_events_per_s %.0f\n", model, mf);
    printf("%s %.3f\n", ratio_name, mf / me);
    printf("# %s: engine %.1f ns/event, floor %.1f ns/event\n", model, 1e9 / me, 1e9 / mf);
}

/* scenarios/validation/mm1.cfg (lambda 0.9, mu 1.0, as LAMBDA and MU here)
 * with N customers and seed MODEL_SEED; run from the project's root. */
static scenario *model_scenario(uint64_t customers)
{
    char set[64];
    snprintf(set, sizeof set, "mm1.customers=%llu", (unsigned long long)customers);
    const char *sets[] = {set};
    scn_overrides ov = {.sets = sets, .n_sets = 1, .replications = 1, .seed = MODEL_SEED};
    err er;
    err_clear(&er);
    scenario *s = scn_load("scenarios/validation/mm1.cfg", &ov, &er);
    if (s == NULL)
        fprintf(stderr, "bench_engine: %s:%d: %s: %s (run from the project's root)\n",
                er.file, er.line, er.key, er.msg);
    return s;
}

int main(int argc, char **argv)
{
    uint64_t customers = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000000u;
    uint64_t hold_events = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000u;
    int runs = argc > 3 ? atoi(argv[3]) : 5;
    if (customers == 0 || runs < 1 || runs > MAX_RUNS) {
        fprintf(stderr, "usage: bench_engine [customers [hold_events [runs]]] "
                        "(customers > 0, 1 <= runs <= %d; hold_events 0: no hold10k)\n",
                MAX_RUNS);
        return 2;
    }
    des_engine *e = des_alloc(HOLD_PENDING);
    double *line = malloc(QCAP * sizeof *line);
    fheap h = {malloc((HOLD_PENDING + 1) * sizeof(fnode)), 0};
    gsl_rng *arr = rng_alloc(), *svc = rng_alloc();
    scenario *sc = model_scenario(customers);
    if (sc == NULL)
        return 1;
    if (e == NULL || line == NULL || h.a == NULL || arr == NULL || svc == NULL) {
        fprintf(stderr, "bench_engine: out of memory\n");
        return 1;
    }
    int ok = 1;
    double eng[MAX_RUNS], flo[MAX_RUNS], flc[MAX_RUNS], mod[MAX_RUNS], flp[MAX_RUNS];

    for (int r = 0; r < runs; r++) {
        mm1 a, b, c;
        mm1_init(&a, customers, line);
        double t0 = seconds();
        uint64_t ea = engine_mm1(e, &a);
        double t1 = seconds();
        mm1_init(&b, customers, line);
        double t2 = seconds();
        uint64_t eb = floor_mm1(&h, &b);
        double t3 = seconds();
        int32_t outcome;
        double values[8];
        uint64_t em = 0;
        err er;
        double t4 = seconds();
        int rc = run_one(sc, 0, 0, &outcome, values, &em, &er);
        double t5 = seconds();
        mm1_init(&c, customers, line);
        double t6 = seconds();
        uint64_t ec = floor_philox_mm1(&h, &c, arr, svc);
        double t7 = seconds();
        eng[r] = (double)ea / (t1 - t0);
        flo[r] = (double)eb / (t3 - t2);
        flc[r] = (double)customers / (t3 - t2);
        mod[r] = (double)customers / (t5 - t4);
        flp[r] = (double)customers / (t7 - t6);
        double wa = a.wait_sum / (double)a.served, wb = b.wait_sum / (double)b.served;
        double wc = c.wait_sum / (double)c.served;
        if (r == 0) {
            printf("# mm1: %llu customers, lambda %g, mu %g; mean wait in line: "
                   "theory %g\n", (unsigned long long)customers, LAMBDA, MU,
                   LAMBDA / (MU * (MU - LAMBDA)));
            printf("engine_mm1_mean_wait %.17g\nfloor_mm1_mean_wait %.17g\n", wa, wb);
            printf("engine_mm1_events %llu\nfloor_mm1_events %llu\n",
                   (unsigned long long)ea, (unsigned long long)eb);
            printf("model_mm1_mean_wait %.17g\nfloor_philox_mm1_mean_wait %.17g\n", values[0],
                   wc);
            printf("model_mm1_events %llu\nfloor_philox_mm1_events %llu\n",
                   (unsigned long long)em, (unsigned long long)ec);
        }
        if (ea != eb || wa != wb || a.served != customers || b.served != customers) {
            fprintf(stderr, "bench_engine: M/M/1 engine and floor disagree (run %d)\n", r);
            ok = 0;
        }
        /* The model's wait is an area over the queue-length curve, the
         * floor's a sum over customers: equal but for rounding. */
        if (rc != 0 || em != ec || values[2] != (double)customers || c.served != customers ||
            !(fabs(values[0] - wc) <= 1e-9 * wc)) {
            fprintf(stderr, "bench_engine: M/M/1 model and floor_philox disagree (run %d)\n", r);
            ok = 0;
        }
    }
    report("mm1", "engine_vs_floor_ratio", eng, flo, runs);
    double mm = median(mod, runs), mf = median(flc, runs), mp = median(flp, runs);
    printf("model_mm1_customers_per_s %.0f\n", mm);
    printf("floor_mm1_customers_per_s %.0f\n", mf);
    printf("floor_philox_mm1_customers_per_s %.0f\n", mp);
    printf("model_vs_floor_customers_ratio %.3f\n", mm / mf);
    printf("model_vs_floor_philox_ratio %.3f\n", mm / mp);
    printf("# goal: the M/M/1 model at >= %.1fx the floor's customers/s: %s (%.3f)\n", GOAL,
           mm / mf >= GOAL ? "met" : "NOT met", mm / mf);
    printf("# one exponential draw (throughput): floor's -log(1 - u) on splitmix64 %.1f ns, "
           "model's rng_exponential on Philox %.1f ns\n",
           draw_ns(customers, runs, NULL), draw_ns(customers, runs, arr));

    if (hold_events > 0) {
        for (int r = 0; r < runs; r++) {
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
                printf("# hold10k: %d pending, %llu events; final clock engine %.17g floor "
                       "%.17g\n",
                       HOLD_PENDING, (unsigned long long)hold_events, des_now(e), nowb);
            if (st != DES_EVENT_LIMIT || des_events(e) != hold_events || des_now(e) != nowb ||
                des_pending(e) != HOLD_PENDING || h.n != HOLD_PENDING) {
                fprintf(stderr, "bench_engine: hold engine and floor disagree (run %d)\n", r);
                ok = 0;
            }
        }
        des_set_event_limit(e, 0);
        report("hold10k", "engine_vs_floor_ratio_hold10k", eng, flo, runs);
    }

    scn_free(sc);
    gsl_rng_free(arr);
    gsl_rng_free(svc);
    des_free(e);
    free(line);
    free(h.a);
    return ok ? 0 : 1;
}
