/* run.c — the Monte Carlo runner and the result file it writes (run.h).
 *
 * Result layout (PRODUCT.md): root attributes; /points (one row per sweep
 * point with every swept key); /replications (point, rep, outcome enum,
 * measures), appended block by block; /summary (point, name, estimate,
 * 95% interval, n); /histograms/<measure> [point][bin] with bin edges.
 */
#include "run.h"

#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "des.h"
#include "out.h"
#include "rng.h"
#include "stats.h"

enum { MAX_BLOCK_REPS = 1024, CHUNK_ROWS = 4096, REP_HEADER = 24, STR_LEN = 32 };

/* Per-thread scratch, allocated once and reused for every replication. */
typedef struct workspace {
    const model_def *m;
    des_engine *eng;
    gsl_rng **streams;
    void *state;
    void *params;
    uint64_t events;
} workspace;

static void ws_free(workspace *w)
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

static size_t row_size(const model_def *m)
{
    return REP_HEADER + 8 * (size_t)m->n_measures;
}

static workspace *ws_alloc(const model_def *m)
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
        ws_free(w);
        return NULL;
    }
    for (int k = 0; k < m->n_streams; k++) {
        if ((w->streams[k] = rng_alloc()) == NULL) {
            ws_free(w);
            return NULL;
        }
    }
    des_bind(w->eng, m->handlers, m->n_event_types, w->state);
    return w;
}

/* One replication with w->params already set to the point's parameters;
 * trace (NULL but for `reassure trace`) is the model's story channel. */
static int replicate(workspace *w, const scenario *s, uint64_t rep, int32_t *outcome,
                     double *values, const model_trace *trace)
{
    const model_def *m = w->m;
    des_reset(w->eng);
    for (int k = 0; k < m->n_streams; k++)
        rng_stream(w->streams[k], s->seed, (uint64_t)k, 0, rep);
    m->start(w->state, w->params, w->eng, w->streams);
    if (trace != NULL && m->narrate != NULL)
        m->narrate(w->state, trace);
    if (des_run(w->eng, m->horizon(w->params)) == DES_ERROR)
        return -1;
    *outcome = m->finish(w->state, w->eng, values);
    w->events += des_events(w->eng);
    return 0;
}

/* ---- result file ------------------------------------------------------- */

static int write_points(out_file *o, const scenario *s, err *e)
{
    size_t nc = s->n_swept + 1, off = 8;
    out_column *cols = calloc(nc, sizeof *cols);
    if (cols == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    cols[0] = (out_column){.name = "point", .type = OUT_U32, .offset = 0};
    for (size_t j = 0; j < s->n_swept; j++) {
        const sch_key *k = s->swept[j].key;
        out_column *c = &cols[j + 1];
        c->name = k->path;
        c->offset = off;
        switch (k->type) {
        case SCH_INT: c->type = OUT_I64; off += 8; break;
        case SCH_REAL: c->type = OUT_F64; off += 8; break;
        case SCH_BOOL: c->type = OUT_I32; off += 8; break;
        case SCH_CHOICE:
        case SCH_STRING:
        case SCH_LIST: /* never swept */
            c->type = OUT_STR; c->str_len = STR_LEN; off += STR_LEN; break;
        }
    }
    size_t stride = off;
    unsigned char *row = calloc(1, stride);
    int rc = row ? 0 : err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    int t = rc < 0 ? -1 : out_table_create(o, "/points", cols, (int)nc, stride, 1024, e);
    for (size_t p = 0; t >= 0 && p < s->n_points; p++) {
        memset(row, 0, stride);
        uint32_t point = (uint32_t)p;
        memcpy(row, &point, sizeof point);
        for (size_t j = 0; j < s->n_swept; j++) {
            const sch_key *k = s->swept[j].key;
            sch_value v = scn_point_value(s, p, j);
            unsigned char *dst = row + cols[j + 1].offset;
            if (k->type == SCH_INT)
                memcpy(dst, &v.i, 8);
            else if (k->type == SCH_REAL)
                memcpy(dst, &v.r, 8);
            else if (k->type == SCH_BOOL)
                memcpy(dst, &(int32_t){v.b}, 4);
            else if (k->type == SCH_CHOICE)
                strncpy((char *)dst, k->choices[v.c], STR_LEN - 1);
            else
                memcpy(dst, v.s, strnlen(v.s, STR_LEN - 1));
        }
        if (out_table_append(o, t, row, 1, e) < 0)
            t = -1;
    }
    free(row);
    free(cols);
    return t < 0 ? -1 : 0;
}

static int create_replications(out_file *o, const model_def *m, err *e)
{
    size_t nc = 3 + (size_t)m->n_measures;
    out_column *cols = calloc(nc, sizeof *cols);
    if (cols == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    cols[0] = (out_column){.name = "point", .type = OUT_U32, .offset = 0};
    cols[1] = (out_column){.name = "rep", .type = OUT_U64, .offset = 8};
    cols[2] = (out_column){.name = "outcome", .type = OUT_ENUM, .offset = 16,
                           .enum_names = m->outcomes, .n_enum = m->n_outcomes};
    for (int j = 0; j < m->n_measures; j++)
        cols[3 + j] = (out_column){.name = m->measures[j].name,
                                   .type = m->measures[j].type == MEASURE_INT ? OUT_I64 : OUT_F64,
                                   .offset = REP_HEADER + 8 * (size_t)j};
    int t = out_table_create(o, "/replications", cols, (int)nc, row_size(m), CHUNK_ROWS, e);
    free(cols);
    return t;
}

static int write_summary(out_file *o, const scenario *s, const acc *a, err *e)
{
    static const out_column cols[] = {
        {"point", OUT_U32, offsetof(summary_row, point), 0, NULL, 0},
        {"name", OUT_STR, offsetof(summary_row, name), sizeof(((summary_row *)0)->name), NULL, 0},
        {"estimate", OUT_F64, offsetof(summary_row, estimate), 0, NULL, 0},
        {"ci_low", OUT_F64, offsetof(summary_row, ci_low), 0, NULL, 0},
        {"ci_high", OUT_F64, offsetof(summary_row, ci_high), 0, NULL, 0},
        {"n", OUT_U64, offsetof(summary_row, n), 0, NULL, 0},
    };
    int t = out_table_create(o, "/summary", cols, 6, sizeof(summary_row), 1024, e);
    if (t < 0)
        return -1;
    for (size_t p = 0; p < s->n_points; p++) {
        for (int i = 0; i < s->model->n_summaries; i++) {
            summary_row row;
            acc_summary(a, p, i, &row);
            if (out_table_append(o, t, &row, 1, e) < 0)
                return -1;
        }
    }
    return 0;
}

static int write_histograms(out_file *o, const scenario *s, const acc *a, err *e)
{
    const model_def *m = s->model;
    size_t np = s->n_points;
    for (int j = 0; j < m->n_measures; j++) {
        int bins = acc_hist_bins(a, j);
        if (bins <= 0)
            continue;
        size_t nb = (size_t)bins;
        uint64_t *counts = calloc(np * nb, sizeof *counts);
        double *edges = calloc(np * (nb + 1), sizeof *edges);
        double *below = calloc(np, sizeof *below), *above = calloc(np, sizeof *above);
        double *missing = calloc(np, sizeof *missing);
        int rc = 0;
        if (!counts || !edges || !below || !above || !missing)
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        for (size_t p = 0; rc == 0 && p < np; p++) {
            uint64_t b, t, nan;
            acc_hist(a, j, p, edges + p * (nb + 1), counts + p * nb, &b, &t, &nan);
            below[p] = (double)b;
            above[p] = (double)t;
            missing[p] = (double)nan;
        }
        char path[160];
        snprintf(path, sizeof path, "/histograms/%s", m->measures[j].name);
        if (rc == 0)
            rc = out_u64_matrix(o, path, counts, np, nb, e);
        if (rc == 0)
            rc = out_attr_f64_array(o, path, "edges", edges, np * (nb + 1), e);
        if (rc == 0)
            rc = out_attr_str(o, path, "edges_layout",
                              "edges holds bins+1 values per point, point-major", e);
        if (rc == 0)
            rc = out_attr_f64_array(o, path, "below_range", below, np, e);
        if (rc == 0)
            rc = out_attr_f64_array(o, path, "above_range", above, np, e);
        if (rc == 0)
            rc = out_attr_f64_array(o, path, "not_applicable", missing, np, e);
        free(missing);
        free(counts);
        free(edges);
        free(below);
        free(above);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void utc_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int write_root(out_file *o, const scenario *s, const run_options *opt, err *e)
{
    char when[32];
    utc_now(when, sizeof when);
    if (out_attr_str(o, "/", "reassure_version", REASSURE_VERSION, e) < 0 ||
        out_attr_str(o, "/", "model", s->model->name, e) < 0 ||
        out_attr_i64(o, "/", "seed", (int64_t)s->seed, e) < 0 ||
        out_attr_i64(o, "/", "replications", s->replications, e) < 0 ||
        out_attr_i64(o, "/", "points", (int64_t)s->n_points, e) < 0 ||
        out_attr_i64(o, "/", "threads", opt->threads, e) < 0 ||
        out_attr_i64(o, "/", "ranks", 1, e) < 0 ||
        out_attr_str(o, "/", "created_utc", when, e) < 0 ||
        out_attr_str(o, "/", "scenario_path", s->path, e) < 0 ||
        out_attr_str(o, "/", "scenario_text", s->text, e) < 0 ||
        out_attr_str(o, "/", "overrides", s->overrides, e) < 0 ||
        out_attr_i64(o, "/", "complete", 0, e) < 0)
        return -1;
    if (strcmp(s->expanded, s->text) != 0 &&
        out_attr_str(o, "/", "scenario_expanded", s->expanded, e) < 0)
        return -1;
    return 0;
}

/* ---- the run ------------------------------------------------------------ */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* Replications per block: enough blocks for the threads to share (16 per
 * thread), none larger than MAX_BLOCK_REPS. Block size never changes
 * results: replications are committed in (point, rep) order regardless. */
static size_t block_reps(const scenario *s, int threads)
{
    double total = (double)s->n_points * (double)s->replications;
    double want = total / (16.0 * threads);
    size_t b = want < 1.0 ? 1 : want > MAX_BLOCK_REPS ? MAX_BLOCK_REPS : (size_t)want;
    if ((int64_t)b > s->replications)
        b = (size_t)s->replications;
    return b;
}

/* A finished block waiting in the ring for its turn to be committed.
 * `block` is the hand-off: a worker fills the slot, then stores the block
 * number (release); the committer loads it (acquire) and, after committing,
 * stores EMPTY. */
enum { EMPTY = -1 };

typedef struct slot {
    atomic_llong block;
    size_t point;
    uint64_t rep0;
    size_t n;
    int32_t *outcomes;   /* [cap] */
    double *values;      /* [cap][n_measures] */
    unsigned char *rows; /* [cap][row_size] */
} slot;

static void slot_free(slot *sl)
{
    free(sl->outcomes);
    free(sl->values);
    free(sl->rows);
}

static int slot_alloc(slot *sl, const model_def *m, size_t cap)
{
    atomic_init(&sl->block, EMPTY);
    sl->outcomes = calloc(cap, sizeof *sl->outcomes);
    sl->values = calloc(cap * (size_t)m->n_measures, sizeof *sl->values);
    sl->rows = calloc(cap, row_size(m));
    return sl->outcomes && sl->values && sl->rows ? 0 : -1;
}

/* Packs the slot's records as /replications rows (see create_replications). */
static void pack_rows(const model_def *m, slot *sl)
{
    size_t stride = row_size(m), nm = (size_t)m->n_measures;
    uint32_t pt = (uint32_t)sl->point;
    for (size_t i = 0; i < sl->n; i++) {
        unsigned char *row = sl->rows + i * stride;
        uint64_t rep = sl->rep0 + i;
        memcpy(row, &pt, 4);
        memcpy(row + 8, &rep, 8);
        memcpy(row + 16, &sl->outcomes[i], 4);
        for (size_t j = 0; j < nm; j++) {
            double v = sl->values[i * nm + j];
            if (m->measures[j].type == MEASURE_INT) {
                int64_t x = (int64_t)v;
                memcpy(row + REP_HEADER + 8 * j, &x, 8);
            } else {
                memcpy(row + REP_HEADER + 8 * j, &v, 8);
            }
        }
    }
}

/* Everything the threads of one run share. Fields a thread may change are
 * atomics, or are touched only by the holder of commit_lock. */
typedef struct shared {
    const scenario *s;
    out_file *o;
    int table;
    acc *a;
    size_t cap;
    uint64_t per_point;    /* blocks per point */
    long long n_blocks;
    slot *ring;
    long long ring_size;
    atomic_llong next;      /* next block to claim */
    atomic_llong committed; /* blocks committed (a prefix) */
    atomic_int failed;
    atomic_ullong events;
    omp_lock_t commit_lock;
    const run_options *opt;
    struct timespec t0;
    double next_progress;   /* seconds since t0; touched only under commit_lock */
    uint64_t done;          /* replications committed; under commit_lock */
    err fail;               /* the first failure; written once, under run_fail */
} shared;

static void note_failure(shared *sh, const err *why)
{
#pragma omp critical(run_fail)
    {
        if (!atomic_load(&sh->failed)) {
            sh->fail = *why;
            atomic_store(&sh->failed, 1);
        }
    }
}

static double seconds_since(const struct timespec *t0);

/* Calls the progress callback if it is due (or `last`); under commit_lock. */
static void report_progress(shared *sh, int last)
{
    const run_options *o = sh->opt;
    if (o->progress == NULL)
        return;
    double t = seconds_since(&sh->t0);
    if (!last && t < sh->next_progress)
        return;
    sh->next_progress = t + o->progress_seconds;
    o->progress(o->progress_ctx, sh->done,
                (uint64_t)sh->s->n_points * (uint64_t)sh->s->replications, t);
}

/* Commits every ready block in order, if no other thread is committing.
 * Never blocks: a thread that finds the lock taken leaves its block to the
 * holder, which looks again after releasing the lock, so no ready block is
 * ever stranded. */
static void try_commit(shared *sh)
{
    const model_def *m = sh->s->model;
    for (;;) {
        if (!omp_test_lock(&sh->commit_lock))
            return;
        long long c = atomic_load(&sh->committed);
        while (c < sh->n_blocks && !atomic_load(&sh->failed)) {
            slot *sl = &sh->ring[c % sh->ring_size];
            if (atomic_load(&sl->block) != c)
                break;
            for (size_t i = 0; i < sl->n; i++)
                acc_add(sh->a, sl->point, sl->outcomes[i],
                        sl->values + i * (size_t)m->n_measures);
            err why;
            if (out_table_append(sh->o, sh->table, sl->rows, sl->n, &why) < 0)
                note_failure(sh, &why);
            atomic_store(&sl->block, EMPTY);
            atomic_store(&sh->committed, ++c);
            sh->done += sl->n;
            report_progress(sh, 0);
        }
        omp_unset_lock(&sh->commit_lock);
        c = atomic_load(&sh->committed);
        if (c >= sh->n_blocks || atomic_load(&sh->failed) ||
            atomic_load(&sh->ring[c % sh->ring_size].block) != c)
            return;
    }
}

/* Computes block b into its ring slot. */
static int compute_block(shared *sh, workspace *w, long long b)
{
    const scenario *s = sh->s;
    slot *sl = &sh->ring[b % sh->ring_size];
    sl->point = (size_t)((uint64_t)b / sh->per_point);
    sl->rep0 = ((uint64_t)b % sh->per_point) * sh->cap;
    uint64_t left = (uint64_t)s->replications - sl->rep0;
    sl->n = left < sh->cap ? (size_t)left : sh->cap;
    scn_point(s, sl->point, w->params);
    size_t nm = (size_t)s->model->n_measures;
    for (size_t i = 0; i < sl->n; i++)
        if (replicate(w, s, sl->rep0 + i, &sl->outcomes[i], sl->values + i * nm, NULL) < 0)
            return -1;
    pack_rows(s->model, sl);
    return 0;
}
/* A worker: claims blocks in order, computes each into its ring slot, and
 * commits what is ready. A block more than ring_size ahead of the last
 * committed one waits (sleeping, not spinning: threads may outnumber free
 * cores on a shared node) for the ring to drain. */
static void worker(shared *sh)
{
    workspace *w = ws_alloc(sh->s->model);
    if (w == NULL) {
        err why;
        err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "out of memory for a thread");
        note_failure(sh, &why);
    }
    while (w != NULL && !atomic_load(&sh->failed)) {
        long long b = atomic_fetch_add(&sh->next, 1);
        if (b >= sh->n_blocks)
            break;
        while (b >= atomic_load(&sh->committed) + sh->ring_size && !atomic_load(&sh->failed)) {
            try_commit(sh);
            if (b >= atomic_load(&sh->committed) + sh->ring_size)
                nanosleep(&(struct timespec){0, 100000}, NULL);
        }
        if (atomic_load(&sh->failed))
            break;
        if (compute_block(sh, w, b) < 0) {
            err why;
            err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "out of memory in the event engine");
            note_failure(sh, &why);
            break;
        }
        atomic_store(&sh->ring[b % sh->ring_size].block, b);
        try_commit(sh);
    }
    if (w != NULL)
        atomic_fetch_add(&sh->events, w->events);
    ws_free(w);
}

int run_scenario(const scenario *s, const run_options *opt, run_report *r, err *e)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(r, 0, sizeof *r);
    const model_def *m = s->model;
    shared sh = {.s = s, .table = -1, .opt = opt, .t0 = t0};
    sh.cap = block_reps(s, opt->threads);
    sh.per_point = ((uint64_t)s->replications + sh.cap - 1) / sh.cap;
    sh.n_blocks = (long long)(sh.per_point * s->n_points);
    sh.ring_size = 2LL * opt->threads + 2;
    atomic_init(&sh.next, 0);
    atomic_init(&sh.committed, 0);
    atomic_init(&sh.failed, 0);
    atomic_init(&sh.events, 0);
    err_clear(&sh.fail);

    int rc = 0;
    sh.ring = calloc((size_t)sh.ring_size, sizeof *sh.ring);
    sh.a = acc_alloc(s);
    if (sh.ring == NULL || sh.a == NULL)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (long long i = 0; rc == 0 && i < sh.ring_size; i++)
        if (slot_alloc(&sh.ring[i], m, sh.cap) < 0)
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    if (rc == 0 && (sh.o = out_create(opt->out_path, e)) == NULL)
        rc = -1;
    if (rc == 0 && (write_root(sh.o, s, opt, e) < 0 || write_points(sh.o, s, e) < 0 ||
                    (sh.table = create_replications(sh.o, m, e)) < 0))
        rc = -1;

    if (rc == 0) {
        omp_init_lock(&sh.commit_lock);
#pragma omp parallel num_threads(opt->threads)
        worker(&sh);
        try_commit(&sh); /* nothing is left normally; this makes it certain */
        report_progress(&sh, 1);
        omp_destroy_lock(&sh.commit_lock);
        if (atomic_load(&sh.failed)) {
            *e = sh.fail;
            rc = -1;
        } else if (atomic_load(&sh.committed) != sh.n_blocks) {
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "internal error: %lld of %lld blocks "
                         "committed", (long long)atomic_load(&sh.committed), sh.n_blocks);
        }
    }
    if (rc == 0) {
        r->replications = (uint64_t)s->n_points * (uint64_t)s->replications;
        r->events = atomic_load(&sh.events);
        rc = write_summary(sh.o, s, sh.a, e);
    }
    if (rc == 0)
        rc = write_histograms(sh.o, s, sh.a, e);
    r->wall_seconds = seconds_since(&t0);
    if (rc == 0 && (out_attr_i64(sh.o, "/", "events", (int64_t)r->events, e) < 0 ||
                    out_attr_f64(sh.o, "/", "wall_seconds", r->wall_seconds, e) < 0 ||
                    out_attr_i64(sh.o, "/", "complete", 1, e) < 0))
        rc = -1;
    if (rc == 0)
        rc = out_commit(sh.o, e);
    else
        out_abort(sh.o);
    for (long long i = 0; sh.ring && i < sh.ring_size; i++)
        slot_free(&sh.ring[i]);
    free(sh.ring);
    acc_free(sh.a);
    return rc;
}

int run_one(const scenario *s, size_t p, uint64_t rep, int32_t *outcome, double *values,
            uint64_t *events, err *e)
{
    workspace *w = ws_alloc(s->model);
    if (w == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    scn_point(s, p, w->params);
    int rc = replicate(w, s, rep, outcome, values, NULL);
    if (events != NULL)
        *events = w->events;
    ws_free(w);
    return rc < 0 ? err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory in the engine") : 0;
}

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
    workspace *w = ws_alloc(m);
    if (w == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    trace_ctx ctx = {m, w->state, f};
    model_trace story = {trace_story, &ctx};
    if (m->describe != NULL)
        des_set_trace(w->eng, trace_event, &ctx);
    scn_point(s, p, w->params);
    int32_t outcome = 0;
    double *values = calloc((size_t)m->n_measures, sizeof *values);
    int rc = values ? replicate(w, s, rep, &outcome, values, &story) : -1;
    if (rc == 0) {
        fprintf(f, "outcome: %s\n", m->outcomes[outcome]);
        for (int j = 0; j < m->n_measures; j++)
            fprintf(f, "  %-24s %.6g %s\n", m->measures[j].name, values[j], m->measures[j].unit);
        fprintf(f, "events: %llu\n", (unsigned long long)w->events);
    }
    free(values);
    ws_free(w);
    return rc < 0 ? err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory") : 0;
}
