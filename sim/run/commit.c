/* commit.c — the ring of finished blocks and the commit protocol.
 *
 * Finished blocks wait in a small ring per rank; whichever thread holds the
 * commit lock commits them in order. A block arrives folded (acc_block:
 * the thread that computed it folded it), so on rank 0 committing means
 * combining the fold into the accumulators — a few hundred additions,
 * whatever the block's replications — and queueing the rows the file keeps
 * (--rows) for /replications, taking the other ranks' blocks, in turn, as
 * messages; on the other ranks it means sending the fold and, only when
 * rank 0 needs them (commit_wants_rows), the rows. Blocks are combined in
 * (point, rep) order whatever the ranks and threads, and the blocks
 * themselves depend on the run's shape alone (acc_fold_reps), so every
 * table is the same bit for bit. Memory holds a ring of blocks per rank,
 * never the whole run.
 *
 * Rows the file keeps: in an MPI run of several ranks each rank writes its
 * own (shards.c), and rank 0 only combines folds; in one process, and for
 * --precision and paired designs, rank 0 writes them with serial HDF5
 * (docs/architecture.md, "Past one writer").
 */
#include <stdio.h>
#include <stdlib.h>

#include "run_private.h"

/* Message tags are block numbers modulo this (MPI guarantees tags up to 32767). */
enum { TAG_SPAN = 32000 };

void commit_slot_free(slot *sl)
{
    free(sl->outcomes);
    free(sl->values);
    acc_block_free(sl->fold);
}

int commit_slot_alloc(slot *sl, const model_def *m, size_t cap)
{
    atomic_init(&sl->block, RING_EMPTY);
    sl->outcomes = calloc(cap, sizeof *sl->outcomes);
    sl->values = calloc(cap * (size_t)(m->n_measures ? m->n_measures : 1), sizeof *sl->values);
    sl->fold = acc_block_alloc(m);
    return sl->outcomes && sl->values && sl->fold ? 0 : -1;
}

size_t commit_kept_rows(const run_options *o, uint64_t rep0, size_t n)
{
    if (o->rows == RUN_ROWS_ALL)
        return n;
    if (o->rows == RUN_ROWS_NONE || rep0 >= o->rows_sample)
        return 0;
    return (size_t)(o->rows_sample - rep0 < n ? o->rows_sample - rep0 : n);
}

int commit_wants_rows(const shared *sh, uint64_t rep0)
{
    if (sh->sharded)
        return sh->pairs; /* the rows stay with the rank that computed them */
    return sh->pairs || commit_kept_rows(sh->opt, rep0, 1) > 0;
}

void commit_note_failure(shared *sh, const err *why)
{
#pragma omp critical(run_fail)
    {
        if (!atomic_load(&sh->failed)) {
            sh->fail = *why;
            atomic_store(&sh->failed, 1);
        }
    }
}

/* Under commit_lock, or after the threads are done. */
void commit_progress(shared *sh, int last)
{
    const run_options *o = sh->opt;
    if (o->progress == NULL || sh->rank != 0)
        return;
    double t = run_seconds_since(&sh->t0);
    if (!last && t < sh->next_progress)
        return;
    sh->next_progress = t + o->progress_seconds;
    o->progress(o->progress_ctx, sh->before + sh->done, sh->before + sh->round_end, sh->before,
                t);
}

/* One append per few thousand rows, not per block: an HDF5 append costs
 * about as much as a small block of replications. */
static void flush_rows(shared *sh)
{
    err why;
    if (sh->pending > 0 && !atomic_load(&sh->failed) &&
        out_table_append(sh->o, sh->table, sh->rows, sh->pending, &why) < 0)
        commit_note_failure(sh, &why);
    sh->pending = 0;
}

/* Outside a block's commit (the end of a round, a checkpoint): timed as
 * commit work. */
void commit_flush(shared *sh)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    flush_rows(sh);
    sh->commit_seconds += run_seconds_since(&t0);
}

/* Rank 0: combines a block's fold into the statistics and queues the rows
 * the file keeps (--rows: all, none, or those of the first N replications
 * of each point). A fold that is not the block's (a damaged message) ends
 * the run. */
static void fold_block(shared *sh, const slot *sl)
{
    const model_def *m = sh->s->model;
    const run_options *o = sh->opt;
    if (acc_block_point(sl->fold) != sl->point || acc_block_count(sl->fold) != sl->n) {
        err why;
        err_set(&why, ERR_RUNTIME, NULL, 0, NULL,
                "MPI: the fold of point %llu, replications %llu+%zu, came as another block's",
                (unsigned long long)sl->point, (unsigned long long)sl->rep0, sl->n);
        commit_note_failure(sh, &why);
        return;
    }
    acc_merge(sh->a, sl->fold, sl->outcomes, sl->values);
    size_t keep = sh->sharded ? 0 : commit_kept_rows(o, sl->rep0, sl->n); /* sharded: written */
    if (keep > 0)
        res_pack(m, sl->point, sl->rep0, keep, sl->outcomes, sl->values,
                 sh->rows + sh->pending * res_row_size(m));
    sh->pending += keep;
    sh->done += sl->n;
    if (sh->pending >= COMMIT_WRITE_ROWS)
        flush_rows(sh); /* timed with the block */
}

/* ---- messages ------------------------------------------------------------- */

/* Messages of a block: its fold, then (commit_wants_rows) its outcomes and
 * its values (tag = block mod TAG_SPAN; a rank's messages to rank 0 arrive
 * in the order sent). They
 * are non-blocking on both sides, so neither rank waits for the other while
 * it has work: a rank posts the sends of a finished block and goes on;
 * rank 0 posts the receives of the next block it needs from another rank
 * and polls them between its own blocks. */
static int post_sends(shared *sh, uint64_t b, slot *sl)
{
    size_t nm = (size_t)sh->s->model->n_measures, bytes;
    int tag = (int)(b % TAG_SPAN);
    void *fold = acc_block_wire(sl->fold, &bytes);
    sl->n_req = 1;
    if (par_isend(fold, bytes, 0, tag, &sl->req[0]) < 0)
        return -1;
    if (!commit_wants_rows(sh, sl->rep0))
        return 0;
    sl->n_req = nm > 0 ? 3 : 2;
    if (par_isend(sl->outcomes, sl->n * sizeof *sl->outcomes, 0, tag, &sl->req[1]) < 0 ||
        (nm > 0 && par_isend(sl->values, sl->n * nm * sizeof *sl->values, 0, tag, &sl->req[2]) < 0))
        return -1;
    return 0;
}

static int post_receives(shared *sh, uint64_t b, slot *sl)
{
    size_t nm = (size_t)sh->s->model->n_measures, bytes;
    int from = wl_deal_owner(b, sh->ranks), tag = (int)(b % TAG_SPAN);
    wl_block(&sh->l, b, &sl->point, &sl->rep0, &sl->n);
    void *fold = acc_block_wire(sl->fold, &bytes);
    sl->n_req = 1;
    if (par_irecv(fold, bytes, from, tag, &sl->req[0]) < 0)
        return -1;
    if (!commit_wants_rows(sh, sl->rep0))
        return 0;
    sl->n_req = nm > 0 ? 3 : 2;
    if (par_irecv(sl->outcomes, sl->n * sizeof *sl->outcomes, from, tag, &sl->req[1]) < 0 ||
        (nm > 0 && par_irecv(sl->values, sl->n * nm * sizeof *sl->values, from, tag, &sl->req[2]) < 0))
        return -1;
    return 0;
}

/* 1 when every message of the slot is done, 0 not yet, -1 failure; with
 * `wait`, blocks until they are. */
static int messages_done(shared *sh, slot *sl, int wait)
{
    (void)sh;
    int n = sl->n_req;
    for (int k = 0; k < n; k++) {
        int rc = wait ? (par_wait(&sl->req[k]) < 0 ? -1 : 1) : par_test(&sl->req[k]);
        if (rc <= 0)
            return rc;
    }
    return 1;
}

/* ---- committing ----------------------------------------------------------- */

/* The test hook (run_options.stop_after_blocks): once this call has
 * committed that many blocks, rank 0 stops as a SIGTERM would stop it and
 * commits nothing more, so the kept prefix is exactly those blocks. */
static int hook_stops(shared *sh)
{
    uint64_t n = sh->opt->stop_after_blocks;
    if (n == 0 || sh->blocks_total < n)
        return 0;
    atomic_store(&sh->hook_stopped, 1);
    atomic_store(&sh->stopping, 1);
    return 1;
}

/* The test hook (run_options.wait_after_blocks): once this call has
 * committed that many blocks, rank 0 says so on stderr (the line a test
 * waits for before it signals) and waits for a signal, looking every
 * millisecond for at most a minute, then goes on; the stop itself is then
 * taken as any signal's is (round.c), so a test's kill finds the run under
 * way with those blocks kept whatever the machine's load, without a sleep
 * that guesses. */
static void hook_waits(shared *sh)
{
    uint64_t n = sh->opt->wait_after_blocks;
    if (n == 0 || sh->blocks_total != n)
        return;
    fprintf(stderr, "reassure: test hook: %llu blocks committed, waiting for a signal\n",
            (unsigned long long)n);
    fflush(stderr);
    for (int ms = 0; ms < 60000 && !stop_requested(sh->opt->stop); ms++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
}

/* Rank 0, global block c from another rank: 1 when it has arrived and is
 * folded, 0 not yet (or stopping), -1 failure (noted). */
static int take_remote(shared *sh, uint64_t c)
{
    if (atomic_load(&sh->stopping))
        return 0; /* keep the prefix; the other ranks are ended */
    int rc = sh->inbox_posted ? 0 : post_receives(sh, c, &sh->inbox);
    sh->inbox_posted = rc == 0;
    if (rc == 0)
        rc = messages_done(sh, &sh->inbox, sh->draining);
    if (rc == 0)
        return 0; /* not here yet: compute, look again later */
    if (rc < 0) {
        err why;
        err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "MPI: lost contact with rank %d",
                wl_deal_owner(c, sh->ranks));
        commit_note_failure(sh, &why);
        return -1;
    }
    sh->inbox_posted = 0;
    fold_block(sh, &sh->inbox);
    return 1;
}

/* Rank 0's turn at the commit lock: every ready block, in global order. */
static void commit_rank0(shared *sh)
{
    while (atomic_load(&sh->committed) < sh->l.n_blocks && !atomic_load(&sh->failed) &&
           !atomic_load(&sh->hook_stopped)) {
        uint64_t c = atomic_load(&sh->committed);
        struct timespec t0; /* the commit's own time, not the wait for a block */
        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (wl_deal_owner(c, sh->ranks) == 0) {
            long long i = (long long)wl_deal_local(c, 0, sh->ranks);
            slot *sl = &sh->ring[i % sh->ring_size];
            if (atomic_load(&sl->block) != i)
                break;
            if (sh->sharded)
                shards_write_block(sh, sl);
            if (atomic_load(&sh->failed))
                break; /* its rows are not on disk: it is not committed */
            fold_block(sh, sl);
            atomic_store(&sl->block, RING_EMPTY);
            atomic_fetch_add(&sh->local_done, 1);
        } else if (take_remote(sh, c) <= 0) {
            break;
        }
        atomic_store(&sh->committed, c + 1);
        sh->commit_seconds += run_seconds_since(&t0);
        commit_progress(sh, 0);
        sh->blocks_total++;
        ckpt_after_block(sh);
        hook_waits(sh);
        if (hook_stops(sh))
            break;
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
        if (sh->sharded)
            shards_write_block(sh, sl); /* its rows on disk before its fold goes */
        if (atomic_load(&sh->failed))
            return;
        if (post_sends(sh, wl_deal_block(sh->rank, sh->ranks, (uint64_t)i), sl) < 0) {
            err why;
            err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "MPI: cannot send to rank 0");
            commit_note_failure(sh, &why);
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
            commit_note_failure(sh, &why);
            return;
        }
        atomic_store(&sl->block, RING_EMPTY);
        atomic_store(&sh->local_done, ++i);
    }
}

/* 1 when the committer has something to do that needs no other rank: the
 * next block in order is one of this rank's and it is finished. */
static int own_block_ready(shared *sh)
{
    if (atomic_load(&sh->failed) || atomic_load(&sh->hook_stopped))
        return 0;
    long long i;
    if (sh->rank == 0) {
        uint64_t c = atomic_load(&sh->committed);
        if (c >= sh->l.n_blocks || wl_deal_owner(c, sh->ranks) != 0)
            return 0;
        i = (long long)wl_deal_local(c, 0, sh->ranks);
    } else {
        i = atomic_load(&sh->sent);
        if (i >= sh->n_local)
            return 0;
    }
    return atomic_load(&sh->ring[i % sh->ring_size].block) == i;
}

/* Never blocks on another thread: a thread that finds the lock taken
 * leaves its block to the holder, which looks again after releasing the
 * lock, so no ready block is ever stranded. Messages are waited for only
 * when draining, after this rank's threads are done; before that a block
 * still on its way from another rank is looked for again later. */
void commit_try(shared *sh)
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
