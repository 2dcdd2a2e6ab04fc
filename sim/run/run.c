/* run.c — the Monte Carlo runner (run.h).
 *
 * The work list is the share's rows in (point, rep) order, from the first
 * row not yet in the file (0, or what --resume found), cut into blocks of
 * replications of one point. Blocks are dealt to MPI ranks in fixed cycles
 * (rank 0, which also writes, takes fewer), and within a rank OpenMP threads claim them
 * dynamically. Finished blocks wait in a small ring per rank; whichever
 * thread holds the commit lock commits them in order. On rank 0 committing
 * means folding the records into the accumulators and appending them to
 * /replications, taking the other ranks' blocks, in turn, as messages; on
 * the other ranks it means sending. So the file is written in (point, rep)
 * order by one process whatever the ranks and threads, and /replications
 * and /summary are the same bit for bit. Memory holds a ring of blocks per
 * rank, never the whole run.
 *
 * Why rank 0 writes rather than parallel HDF5: the rows must be folded into
 * the summary in one fixed order anyway (a sum of doubles depends on its
 * order), which needs them in one place; a run's output is small beside
 * its computation (a few hundred bytes per replication against thousands
 * of events), so one writer is not the bottleneck; and the serial HDF5
 * library is what every user's h5py reads, with no MPI-IO file system
 * needed. Rank 0 receives one block at a time, so no rank's memory grows
 * with the number of replications.
 *
 * Interrupts: workers stop claiming blocks once opt->stop has seen a
 * signal; what is committed (a prefix of the work list) is written with
 * complete = 0 and replications_done. --resume copies those rows into a new
 * temporary file, folding them into the accumulators in the same order,
 * and computes the rest: the result equals an uninterrupted run.
 */
#include "run.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "des.h"
#include "out.h"
#include "par.h"
#include "rng.h"
#include "stats.h"

enum { MAX_BLOCK_REPS = 1024, WRITE_ROWS = 4096, TAG_SPAN = 32000 };

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

/* Events between looks at a stop request inside one replication (about
 * 40 ms of M/M/1): a run stops within a second however long a single
 * replication is. Slicing des_run by its event limit changes nothing in
 * the replication: the same events run in the same order. */
enum { SLICE_EVENTS = 1 << 20 };

/* One replication with w->params already set to the point's parameters;
 * trace (NULL but for `reassure trace`) is the model's story channel;
 * stop (NULL: none) is asked between slices of events. Returns 0, 1 when
 * stopped before the end (nothing is filled), or -1 (out of memory). */
static int replicate(workspace *w, const scenario *s, uint64_t rep, int32_t *outcome,
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
    *outcome = m->finish(w->state, w->eng, values);
    w->events += des_events(w->eng);
    return 0;
}

/* ---- the work list ------------------------------------------------------ */

/* Blocks of a round's rows: replications [rep_lo, rep_hi) of each listed
 * point, in (point, rep) order, from row `start` on (resume), none crossing
 * a point: the first point may be partly done, the rest are cut alike. */
typedef struct layout {
    const uint64_t *points; /* ascending */
    uint64_t n_points;
    uint64_t rep_lo, nr;    /* nr replications per point */
    uint64_t rows;          /* n_points * nr */
    uint64_t start;         /* first row to compute */
    uint64_t cap;           /* replications per block */
    uint64_t q0, off;       /* start = q0 * nr + off */
    uint64_t first_n;       /* blocks of the partly done point */
    uint64_t per_point;     /* blocks of a whole point */
    uint64_t n_blocks;
} layout;

static void layout_init(layout *l, const uint64_t *points, uint64_t n_points, uint64_t rep_lo,
                        uint64_t rep_hi, uint64_t start, uint64_t cap)
{
    memset(l, 0, sizeof *l);
    l->points = points;
    l->n_points = n_points;
    l->rep_lo = rep_lo;
    l->nr = rep_hi - rep_lo;
    l->rows = n_points * l->nr;
    l->start = start;
    l->cap = cap;
    if (l->nr == 0 || n_points == 0 || start >= l->rows)
        return;
    l->q0 = start / l->nr;
    l->off = start % l->nr;
    l->first_n = l->off ? (l->nr - l->off + cap - 1) / cap : 0;
    l->per_point = (l->nr + cap - 1) / cap;
    uint64_t whole = n_points - l->q0 - (l->off ? 1 : 0);
    l->n_blocks = l->first_n + whole * l->per_point;
}

/* Row k of the round as (point, rep). */
static void layout_row(const layout *l, uint64_t k, uint64_t *point, uint64_t *rep)
{
    *point = l->points[k / l->nr];
    *rep = l->rep_lo + k % l->nr;
}

/* Block b as (point, first rep, count). */
static void layout_block(const layout *l, uint64_t b, uint64_t *point, uint64_t *rep0, size_t *n)
{
    uint64_t k0, left;
    if (b < l->first_n) {
        k0 = l->q0 * l->nr + l->off + b * l->cap;
        left = l->nr - l->off - b * l->cap;
    } else {
        uint64_t bb = b - l->first_n;
        uint64_t q = l->q0 + (l->off ? 1 : 0) + bb / l->per_point, i = bb % l->per_point;
        k0 = q * l->nr + i * l->cap;
        left = l->nr - i * l->cap;
    }
    layout_row(l, k0, point, rep0);
    *n = (size_t)(left < l->cap ? left : l->cap);
}

/* Replications per block: enough blocks for every thread of every rank to
 * share (16 each), none larger than MAX_BLOCK_REPS. Block size never
 * changes results: rows are committed in (point, rep) order regardless. */
static uint64_t block_reps(uint64_t rows, uint64_t nr, int threads)
{
    double want = (double)rows / (16.0 * threads);
    uint64_t b = want < 1.0 ? 1 : want > MAX_BLOCK_REPS ? MAX_BLOCK_REPS : (uint64_t)want;
    return b > nr ? (nr ? nr : 1) : b;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

/* ---- dealing blocks to ranks -------------------------------------------- */

/* Blocks are dealt to ranks in cycles of `period`: rank 0 takes the first
 * DEAL_W - (ranks - 1) of each cycle (none from DEAL_W + 1 ranks on), every
 * other rank DEAL_W. Rank 0 folds and writes every rank's rows besides
 * computing (about 1/DEAL_W of a rank's time per other rank, measured on
 * the debate sweep with deflate level 1), so it is given that much less.
 * The deal is a pure function of the block number: it decides who computes,
 * never what — results do not depend on it. */
enum { DEAL_W = 8 };

static uint64_t deal_count(int rank, int ranks)
{
    if (rank != 0)
        return DEAL_W;
    return ranks - 1 >= DEAL_W ? 0 : (uint64_t)(DEAL_W - (ranks - 1));
}

static uint64_t deal_period(int ranks)
{
    return deal_count(0, ranks) + (uint64_t)(ranks - 1) * DEAL_W;
}

static uint64_t deal_start(int rank, int ranks)
{
    return rank == 0 ? 0 : deal_count(0, ranks) + (uint64_t)(rank - 1) * DEAL_W;
}

static int deal_owner(uint64_t b, int ranks)
{
    uint64_t o = b % deal_period(ranks), w0 = deal_count(0, ranks);
    return o < w0 ? 0 : 1 + (int)((o - w0) / DEAL_W);
}

/* Rank's i-th block, and back. */
static uint64_t deal_block(int rank, int ranks, uint64_t i)
{
    uint64_t cnt = deal_count(rank, ranks);
    return (i / cnt) * deal_period(ranks) + deal_start(rank, ranks) + i % cnt;
}

static uint64_t deal_local(uint64_t b, int rank, int ranks)
{
    uint64_t per = deal_period(ranks);
    return (b / per) * deal_count(rank, ranks) + (b % per - deal_start(rank, ranks));
}

/* Blocks of rank among n_blocks. */
static uint64_t deal_n_local(uint64_t n_blocks, int rank, int ranks)
{
    uint64_t per = deal_period(ranks), cnt = deal_count(rank, ranks), st = deal_start(rank, ranks);
    uint64_t rem = n_blocks % per, part = rem > st ? rem - st : 0;
    return (n_blocks / per) * cnt + (part < cnt ? part : cnt);
}

/* ---- the ring of finished blocks --------------------------------------- */

/* A finished block waiting for its turn to be committed. `block` is the
 * hand-off: a worker fills the slot, then stores the block's local index
 * (release); the committer loads it (acquire) and, after committing,
 * stores EMPTY. */
enum { EMPTY = -1 };

typedef struct slot {
    atomic_llong block;
    uint64_t point, rep0;
    size_t n;
    int32_t *outcomes;   /* [cap] */
    double *values;      /* [cap][n_measures] */
    par_req req[2];      /* MPI: its messages (outcomes, values) in flight */
} slot;

static void slot_free(slot *sl)
{
    free(sl->outcomes);
    free(sl->values);
}

static int slot_alloc(slot *sl, const model_def *m, size_t cap)
{
    atomic_init(&sl->block, EMPTY);
    sl->outcomes = calloc(cap, sizeof *sl->outcomes);
    sl->values = calloc(cap * (size_t)(m->n_measures ? m->n_measures : 1), sizeof *sl->values);
    return sl->outcomes && sl->values ? 0 : -1;
}

/* Everything the threads of one rank share. Fields a thread may change are
 * atomics, or are touched only by the holder of commit_lock. */
typedef struct shared {
    const scenario *s;
    const run_options *opt;
    layout l;
    int rank, ranks;
    long long n_local;      /* blocks of this rank */
    slot *ring;
    long long ring_size;
    atomic_llong next;      /* next local block to claim */
    atomic_llong local_done;/* local blocks committed (a prefix) */
    atomic_int failed;
    atomic_int stopping;    /* rank 0: a signal came; claim nothing more */
    atomic_ullong events;
    omp_lock_t commit_lock;
    struct timespec t0;
    err fail;               /* the first failure; written once, under run_fail */
    /* rank 0 only, under commit_lock: */
    out_file *o;
    int table;
    acc *a;
    atomic_ullong committed;/* global blocks committed (a prefix); written under the lock */
    uint64_t done;          /* rows committed by this call */
    uint64_t before;        /* rows in the file before this call (resume) */
    uint64_t round_end;     /* sh->done when the current round is finished */
    double next_progress;
    slot inbox;             /* a block received from another rank */
    int inbox_posted;       /* its receives are posted */
    atomic_llong sent;      /* other ranks: local blocks whose sends are posted (written
                             * under commit_lock; local_done counts those completed) */
    int draining;           /* the threads are done: wait on messages, do not poll */
    unsigned char *rows;    /* [WRITE_ROWS + cap] packed rows waiting to be appended */
    size_t pending;         /* rows in it */
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

/* Calls the progress callback if it is due (or `last`); under commit_lock. */
static void report_progress(shared *sh, int last)
{
    const run_options *o = sh->opt;
    if (o->progress == NULL || sh->rank != 0)
        return;
    double t = seconds_since(&sh->t0);
    if (!last && t < sh->next_progress)
        return;
    sh->next_progress = t + o->progress_seconds;
    o->progress(o->progress_ctx, sh->before + sh->done, sh->before + sh->round_end, t);
}

/* Rank 0: appends the packed rows waiting in sh->rows to the file. One
 * append per few thousand rows, not per block: an HDF5 append costs about
 * as much as a small block of replications. */
static void flush_rows(shared *sh)
{
    err why;
    if (sh->pending > 0 && !atomic_load(&sh->failed) &&
        out_table_append(sh->o, sh->table, sh->rows, sh->pending, &why) < 0)
        note_failure(sh, &why);
    sh->pending = 0;
}

/* Rank 0: folds a block into the statistics and queues its rows. */
static void fold_block(shared *sh, const slot *sl)
{
    const model_def *m = sh->s->model;
    for (size_t i = 0; i < sl->n; i++)
        acc_add(sh->a, sl->point, sl->outcomes[i], sl->values + i * (size_t)m->n_measures);
    res_pack(m, sl->point, sl->rep0, sl->n, sl->outcomes, sl->values,
             sh->rows + sh->pending * res_row_size(m));
    sh->pending += sl->n;
    sh->done += sl->n;
    if (sh->pending >= WRITE_ROWS)
        flush_rows(sh);
}

/* Messages of a block: its outcomes, then its values (tag = block mod
 * TAG_SPAN; a rank's messages to rank 0 arrive in the order sent). They
 * are non-blocking on both sides, so neither rank waits for the other while
 * it has work: a rank posts the sends of a finished block and goes on;
 * rank 0 posts the receives of the next block it needs from another rank
 * and polls them between its own blocks. */
static int post_sends(shared *sh, uint64_t b, slot *sl)
{
    size_t nm = (size_t)sh->s->model->n_measures;
    int tag = (int)(b % TAG_SPAN);
    if (par_isend(sl->outcomes, sl->n * sizeof *sl->outcomes, 0, tag, &sl->req[0]) < 0 ||
        (nm > 0 && par_isend(sl->values, sl->n * nm * sizeof *sl->values, 0, tag, &sl->req[1]) < 0))
        return -1;
    return 0;
}

static int post_receives(shared *sh, uint64_t b, slot *sl)
{
    size_t nm = (size_t)sh->s->model->n_measures;
    int from = deal_owner(b, sh->ranks), tag = (int)(b % TAG_SPAN);
    layout_block(&sh->l, b, &sl->point, &sl->rep0, &sl->n);
    if (par_irecv(sl->outcomes, sl->n * sizeof *sl->outcomes, from, tag, &sl->req[0]) < 0 ||
        (nm > 0 && par_irecv(sl->values, sl->n * nm * sizeof *sl->values, from, tag, &sl->req[1]) < 0))
        return -1;
    return 0;
}

/* 1 when both messages of the slot are done, 0 not yet, -1 failure; with
 * `wait`, blocks until they are. */
static int messages_done(shared *sh, slot *sl, int wait)
{
    int n = sh->s->model->n_measures > 0 ? 2 : 1;
    for (int k = 0; k < n; k++) {
        int rc = wait ? (par_wait(&sl->req[k]) < 0 ? -1 : 1) : par_test(&sl->req[k]);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

/* Rank 0's turn at the commit lock: every ready block, in global order. */
static void commit_rank0(shared *sh)
{
    while (atomic_load(&sh->committed) < sh->l.n_blocks && !atomic_load(&sh->failed)) {
        uint64_t c = atomic_load(&sh->committed);
        if (deal_owner(c, sh->ranks) == 0) {
            long long i = (long long)deal_local(c, 0, sh->ranks);
            slot *sl = &sh->ring[i % sh->ring_size];
            if (atomic_load(&sl->block) != i)
                break;
            fold_block(sh, sl);
            atomic_store(&sl->block, EMPTY);
            atomic_fetch_add(&sh->local_done, 1);
        } else {
            if (atomic_load(&sh->stopping))
                break; /* keep the prefix; the other ranks are ended */
            int rc = sh->inbox_posted ? 0 : post_receives(sh, c, &sh->inbox);
            sh->inbox_posted = rc == 0;
            if (rc == 0)
                rc = messages_done(sh, &sh->inbox, sh->draining);
            if (rc == 0)
                break; /* not here yet: compute, look again later */
            if (rc < 0) {
                err why;
                err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "MPI: lost contact with rank %d",
                        deal_owner(c, sh->ranks));
                note_failure(sh, &why);
                break;
            }
            sh->inbox_posted = 0;
            fold_block(sh, &sh->inbox);
        }
        atomic_store(&sh->committed, c + 1);
        report_progress(sh, 0);
    }
}

/* Another rank's turn: post the sends of ready blocks, in order, and free
 * the slots whose sends have completed. */
static void commit_other(shared *sh)
{
    for (long long i = atomic_load(&sh->sent); i < sh->n_local && !atomic_load(&sh->failed);
         i = atomic_load(&sh->sent)) {
        slot *sl = &sh->ring[i % sh->ring_size];
        if (atomic_load(&sl->block) != i)
            break;
        if (post_sends(sh, deal_block(sh->rank, sh->ranks, (uint64_t)i), sl) < 0) {
            err why;
            err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "MPI: cannot send to rank 0");
            note_failure(sh, &why);
            return;
        }
        atomic_store(&sh->sent, i + 1);
    }
    long long i = atomic_load(&sh->local_done);
    while (i < atomic_load(&sh->sent) && !atomic_load(&sh->failed)) {
        slot *sl = &sh->ring[i % sh->ring_size];
        int rc = messages_done(sh, sl, sh->draining);
        if (rc == 0)
            break;
        if (rc < 0) {
            err why;
            err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "MPI: a send to rank 0 failed");
            note_failure(sh, &why);
            return;
        }
        atomic_store(&sl->block, EMPTY);
        atomic_store(&sh->local_done, ++i);
    }
}

/* 1 when the committer has something to do that needs no other rank: the
 * next block in order is one of this rank's and it is finished. */
static int own_block_ready(shared *sh)
{
    if (atomic_load(&sh->failed))
        return 0;
    long long i;
    if (sh->rank == 0) {
        uint64_t c = atomic_load(&sh->committed);
        if (c >= sh->l.n_blocks || deal_owner(c, sh->ranks) != 0)
            return 0;
        i = (long long)deal_local(c, 0, sh->ranks);
    } else {
        i = atomic_load(&sh->sent);
        if (i >= sh->n_local)
            return 0;
    }
    return atomic_load(&sh->ring[i % sh->ring_size].block) == i;
}

/* Commits every ready block in order, if no other thread is committing.
 * Never blocks on another thread: a thread that finds the lock taken
 * leaves its block to the holder, which looks again after releasing the
 * lock, so no ready block is ever stranded. Messages are waited for only
 * when draining, after this rank's threads are done; before that a block
 * still on its way from another rank is looked for again later. */
static void try_commit(shared *sh)
{
    for (;;) {
        if (!omp_test_lock(&sh->commit_lock))
            return;
        if (sh->rank == 0)
            commit_rank0(sh);
        else
            commit_other(sh);
        omp_unset_lock(&sh->commit_lock);
        if (!own_block_ready(sh))
            return;
    }
}

/* Rank 0 watches for a signal; the others are ended by rank 0's abort once
 * it has written what it has. */
static int should_stop(shared *sh)
{
    if (sh->rank == 0 && !atomic_load(&sh->stopping) && stop_requested(sh->opt->stop))
        atomic_store(&sh->stopping, 1);
    return atomic_load(&sh->stopping);
}

static int stop_ask(void *ctx)
{
    return should_stop(ctx);
}

/* Computes local block i into its ring slot: 0, or 1 when a stop came
 * before it was finished (looked for between replications, so a run stops
 * within one replication: the block is dropped, the prefix before it
 * kept), or -1 when the engine ran out of memory. */
static int compute_block(shared *sh, workspace *w, long long i)
{
    const scenario *s = sh->s;
    slot *sl = &sh->ring[i % sh->ring_size];
    uint64_t b = deal_block(sh->rank, sh->ranks, (uint64_t)i);
    layout_block(&sh->l, b, &sl->point, &sl->rep0, &sl->n);
    scn_point(s, (size_t)sl->point, w->params);
    size_t nm = (size_t)s->model->n_measures;
    for (size_t k = 0; k < sl->n; k++) {
        if (should_stop(sh))
            return 1;
        int rc = replicate(w, s, sl->rep0 + k, &sl->outcomes[k], sl->values + k * nm, NULL,
                           stop_ask, sh);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* A worker: claims local blocks in order, computes each into its ring slot,
 * and commits what is ready. A block more than ring_size ahead of the last
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
    while (w != NULL && !atomic_load(&sh->failed) && !should_stop(sh)) {
        long long i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->n_local)
            break;
        while (i >= atomic_load(&sh->local_done) + sh->ring_size && !atomic_load(&sh->failed)) {
            try_commit(sh);
            if (i >= atomic_load(&sh->local_done) + sh->ring_size)
                nanosleep(&(struct timespec){0, 100000}, NULL);
        }
        if (atomic_load(&sh->failed))
            break;
        int rc = compute_block(sh, w, i);
        if (rc > 0)
            break; /* stopped: the block is dropped */
        if (rc < 0) {
            err why;
            err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "out of memory in the event engine");
            note_failure(sh, &why);
            break;
        }
        atomic_store(&sh->ring[i % sh->ring_size].block, i);
        try_commit(sh);
    }
    if (w != NULL)
        atomic_fetch_add(&sh->events, w->events);
    ws_free(w);
}

/* What rank 0 tells every rank before the work starts. */
typedef struct plan {
    int64_t status;       /* 0 go, 1 nothing to do, -1 failed (rank 0 reports) */
    uint64_t start;       /* rows already in the file */
    uint64_t cap;
} plan;

/* ---- the run ------------------------------------------------------------ */

/* Runs the current round (sh->l) on this rank's threads; rank 0 commits
 * the round's blocks of every rank. */
static void run_round(shared *sh)
{
    sh->n_local = (long long)deal_n_local(sh->l.n_blocks, sh->rank, sh->ranks);
    atomic_store(&sh->next, 0);
    atomic_store(&sh->local_done, 0);
    atomic_store(&sh->committed, 0);
    atomic_store(&sh->sent, 0);
    sh->draining = 0;
    sh->round_end = sh->done + (sh->l.rows - sh->l.start);
#pragma omp parallel num_threads(sh->opt->threads)
    worker(sh);
    sh->draining = 1;
    /* Rank 0 still takes the other ranks' blocks; the others send the rest
     * of theirs. */
    while (!atomic_load(&sh->failed) &&
           (sh->rank == 0 ? atomic_load(&sh->committed) < sh->l.n_blocks &&
                                !atomic_load(&sh->stopping)
                          : atomic_load(&sh->local_done) < sh->n_local))
        try_commit(sh);
    try_commit(sh); /* a stopped rank 0 keeps its ready prefix */
    if (sh->rank == 0)
        flush_rows(sh);
}

/* Sequential stopping, on rank 0 after a round: the widest 95% interval of
 * the point's proportions (p_* rows), as a half-width. */
static double widest_half_width(const shared *sh, uint64_t p)
{
    const model_def *m = sh->s->model;
    double w = 0;
    for (int i = 0; i < m->n_summaries; i++) {
        /* Shares of all replications only: a conditional share (its n is
         * the replications where it applies) and a quantile (in the
         * measure's unit) do not set the stopping rule. */
        if (m->summaries[i].kind != SUMMARY_P_OUTCOME && m->summaries[i].kind != SUMMARY_P_GE)
            continue;
        summary_row row;
        acc_summary(sh->a, (size_t)p, i, &row);
        double h = 0.5 * (row.ci_high - row.ci_low);
        if (h > w)
            w = h;
    }
    return w;
}

/* The next round of a --precision run, decided on rank 0 from the points'
 * intervals and shared with every rank: the points still too wide (kept in
 * pts, in order) and their new replication count. Every active point has
 * had the same replications (`have`). The next count aims at the
 * replications the widest interval needs ((w/P)^2 as many), at least one
 * more first batch, at most four times as many, never past the cap. A pure
 * function of the results so far, so the run is deterministic for a seed. */
static uint64_t next_round(shared *sh, uint64_t *pts, uint64_t *n_pts, uint64_t have,
                           uint64_t first_batch)
{
    uint64_t hdr[2] = {0, have};
    if (sh->rank == 0) {
        double need = 0;
        uint64_t k = 0;
        for (uint64_t q = 0; q < *n_pts; q++) {
            double w = widest_half_width(sh, pts[q]);
            if (w <= sh->opt->precision || have >= sh->opt->max_replications)
                continue;
            double f = (w / sh->opt->precision) * (w / sh->opt->precision);
            if (f * (double)have > need)
                need = f * (double)have;
            pts[k++] = pts[q];
        }
        uint64_t next = have + first_batch;
        if (need > (double)next)
            next = need > 4.0 * (double)have ? 4 * have : (uint64_t)ceil(need);
        if (next > sh->opt->max_replications)
            next = sh->opt->max_replications;
        hdr[0] = k;
        hdr[1] = next;
    }
    par_bcast(hdr, sizeof hdr, 0);
    *n_pts = hdr[0];
    if (hdr[0] > 0)
        par_bcast(pts, (size_t)hdr[0] * sizeof *pts, 0);
    return hdr[1];
}

/* Rank 0: the replications each point has had, as /replications_used. */
static int write_used(shared *sh, err *e)
{
    size_t np = sh->s->n_points;
    uint64_t *used = calloc(np, sizeof *used);
    if (used == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (size_t p = 0; p < np; p++)
        used[p] = acc_count(sh->a, p);
    int rc = out_u64_matrix(sh->o, "/replications_used", used, np, 1, e);
    if (rc == 0)
        rc = out_attr_str(sh->o, "/replications_used", "meaning",
                          "replications run at each point ([point][0]): --precision stops "
                          "a point once its every p_* interval is narrow enough", e);
    free(used);
    return rc;
}

int run_scenario(const scenario *s, const run_options *opt, run_report *r, err *e)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    memset(r, 0, sizeof *r);
    const model_def *m = s->model;
    shared sh = {.s = s, .table = -1, .opt = opt, .t0 = t0};
    sh.rank = par_rank();
    sh.ranks = par_size();
    res_share share = opt->has_share ? opt->share : res_share_all(s);
    uint64_t rows = res_share_rows(&share);
    r->total = rows;

    /* Rank 0 decides where to start, and the block size, for everyone. */
    plan pl = {0, 0, 0};
    out_reader *prev = NULL;
    int rc = 0;
    if (sh.rank == 0) {
        res_previous what = RES_PREV_NONE;
        rc = res_previous_find(opt->out_path, opt->resume, s, &share, &prev, &what, &pl.start, e);
        if (rc < 0)
            pl.status = -1;
        else if (what == RES_PREV_COMPLETE)
            pl.status = 1;
        pl.cap = block_reps(rows - pl.start, share.rep_hi - share.rep_lo,
                            opt->threads * sh.ranks);
    }
    if (par_bcast(&pl, sizeof pl, 0) < 0 && rc == 0)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "MPI: cannot share the plan");
    if (pl.status != 0) {
        r->already_complete = pl.status == 1;
        r->done = r->already_complete ? rows : 0;
        return pl.status == 1 ? 0 : (sh.rank == 0 ? -1 : err_set(e, ERR_RUNTIME, NULL, 0, NULL,
                                                                 "rank 0 failed"));
    }
    r->resumed_rows = pl.start;
    r->resumed_from = prev != NULL;
    sh.before = pl.start;
    /* Slots per rank: two per thread, and with MPI a cycle of the deal more,
     * so a rank can run ahead while rank 0 takes another rank's run. */
    sh.ring_size = 2LL * opt->threads + 2 + (sh.ranks > 1 ? 2LL * DEAL_W : 0);
    atomic_init(&sh.next, 0);
    atomic_init(&sh.local_done, 0);
    atomic_init(&sh.failed, 0);
    atomic_init(&sh.stopping, 0);
    atomic_init(&sh.events, 0);
    atomic_init(&sh.committed, 0);
    atomic_init(&sh.sent, 0);
    err_clear(&sh.fail);

    /* The points of the share; a --precision run drops those done. */
    uint64_t n_pts = share.point_hi - share.point_lo;
    uint64_t *pts = calloc(n_pts ? n_pts : 1, sizeof *pts);
    for (uint64_t q = 0; pts != NULL && q < n_pts; q++)
        pts[q] = share.point_lo + q;
    sh.ring = calloc((size_t)sh.ring_size, sizeof *sh.ring);
    if (sh.ring == NULL || pts == NULL)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (long long i = 0; rc == 0 && i < sh.ring_size; i++)
        if (slot_alloc(&sh.ring[i], m, (size_t)pl.cap) < 0)
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    if (rc == 0)
        layout_init(&sh.l, pts, n_pts, share.rep_lo, share.rep_hi, pl.start, pl.cap);
    if (rc == 0 && sh.rank == 0) {
        res_run_info ri = {.threads = opt->threads, .ranks = sh.ranks, .ov = opt->ov};
        sh.a = acc_alloc(s);
        sh.rows = calloc(WRITE_ROWS + (size_t)pl.cap, res_row_size(m));
        if (sh.a == NULL || sh.rows == NULL || slot_alloc(&sh.inbox, m, (size_t)pl.cap) < 0)
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        if (rc == 0 && (sh.o = out_create(opt->out_path, e)) == NULL)
            rc = -1;
        if (rc == 0)
            stop_cleanup(opt->stop, out_temp_path(sh.o), out_lock_path(sh.o));
        if (rc == 0 && (sh.table = res_begin(sh.o, s, &share, &ri, e)) < 0)
            rc = -1;
        if (rc == 0 && opt->precision > 0 &&
            (out_attr_f64(sh.o, "/", "precision", opt->precision, e) < 0 ||
             out_attr_i64(sh.o, "/", "max_replications", (int64_t)opt->max_replications, e) < 0))
            rc = -1;
        if (rc == 0 && prev != NULL)
            rc = res_copy_rows(prev, opt->out_path, &share, 0, pl.start, m, sh.a, sh.o, sh.table,
                               e);
    }
    out_read_close(prev);
    if (rc < 0 && sh.ranks > 1) {
        /* The other ranks would wait for rank 0 for ever. */
        char msg[2048];
        err_format(e, msg, sizeof msg);
        fprintf(stderr, "reassure: %s\n", msg);
        out_abort(sh.o);
        par_abort(1);
    }

    int complete = 0;
    if (rc == 0) {
        omp_init_lock(&sh.commit_lock);
        uint64_t lo = share.rep_lo, hi = share.rep_hi;
        for (;;) {
            run_round(&sh);
            if (atomic_load(&sh.failed) || atomic_load(&sh.stopping) ||
                (sh.rank == 0 && atomic_load(&sh.committed) < sh.l.n_blocks))
                break;
            if (opt->precision <= 0) {
                complete = 1;
                break;
            }
            uint64_t next = next_round(&sh, pts, &n_pts, hi, share.rep_hi - share.rep_lo);
            if (n_pts == 0) {
                complete = 1;
                break;
            }
            lo = hi;
            hi = next;
            uint64_t cap = block_reps(n_pts * (hi - lo), hi - lo, opt->threads * sh.ranks);
            layout_init(&sh.l, pts, n_pts, lo, hi, 0, cap < pl.cap ? cap : pl.cap);
        }
        report_progress(&sh, 1);
        omp_destroy_lock(&sh.commit_lock);
        if (atomic_load(&sh.failed)) {
            *e = sh.fail;
            rc = -1;
        }
    }
    if (sh.rank != 0)
        complete = rc == 0;
    r->replications = sh.done;
    r->done = sh.before + sh.done;
    r->events = atomic_load(&sh.events);
    if (rc == 0 && sh.rank == 0 && !complete)
        r->interrupted = stop_requested(opt->stop);
    if (rc == 0 && complete)
        r->events = par_sum_u64(r->events); /* every rank gets here */
    r->wall_seconds = seconds_since(&t0);
    if (rc == 0 && sh.rank == 0 && opt->precision > 0)
        rc = write_used(&sh, e);
    if (rc == 0 && sh.rank == 0)
        rc = res_finish(sh.o, s, &share, sh.a, r->done, r->events, r->wall_seconds, complete, e);
    if (sh.rank == 0) {
        if (rc == 0)
            rc = out_commit(sh.o, e);
        else
            out_abort(sh.o);
        stop_cleanup(opt->stop, NULL, NULL);
    }
    for (long long i = 0; sh.ring && i < sh.ring_size; i++)
        slot_free(&sh.ring[i]);
    slot_free(&sh.inbox);
    free(sh.ring);
    free(sh.rows);
    free(pts);
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
    int rc = replicate(w, s, rep, outcome, values, NULL, NULL, NULL);
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
    int rc = values ? replicate(w, s, rep, &outcome, values, &story, NULL, NULL) : -1;
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
