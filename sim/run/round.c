/* round.c — one round of the work list on this rank's threads.
 *
 * Each OpenMP thread claims this rank's blocks in order (an atomic counter,
 * so threads share them dynamically), computes each into its slot of the
 * ring and hands it to the commit protocol (commit.c). Rank 0 watches for a
 * stop; workers then claim nothing more, and a block cut short is dropped,
 * so what is committed stays a prefix of the work list.
 */
#include <time.h>

#include "run_private.h"

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

/* Computes local block i into its ring slot and folds it there (the
 * block's statistics, which rank 0 combines in block order): 0, or 1 when a stop came
 * before it was finished (looked for between replications, so a run stops
 * within one replication: the block is dropped, the prefix before it
 * kept), or -1 when the engine failed (out of memory, or an event time
 * that is not finite), the failure noted with its point and replication. */
static int compute_block(shared *sh, workspace *w, long long i)
{
    const scenario *s = sh->s;
    slot *sl = &sh->ring[i % sh->ring_size];
    uint64_t b = wl_deal_block(sh->rank, sh->ranks, (uint64_t)i);
    wl_block(&sh->l, b, &sl->point, &sl->rep0, &sl->n);
    scn_point(s, (size_t)sl->point, w->params);
    acc_block_start(sl->fold, s->model, (size_t)sl->point, w->params);
    size_t nm = (size_t)s->model->n_measures;
    for (size_t k = 0; k < sl->n; k++) {
        if (should_stop(sh))
            return 1;
        int rc = run_replicate(w, s, sl->rep0 + k, &sl->outcomes[k], sl->values + k * nm, NULL,
                               stop_ask, sh);
        if (rc < 0) {
            err why;
            run_replicate_failure(rc, (size_t)sl->point, sl->rep0 + k, &why);
            commit_note_failure(sh, &why);
            return -1;
        }
        if (rc != 0)
            return rc;
        acc_block_add(sl->fold, sl->outcomes[k], sl->values + k * nm);
    }
    return 0;
}

static void fail_with(shared *sh, const char *what)
{
    err why;
    err_set(&why, ERR_RUNTIME, NULL, 0, NULL, "%s", what);
    commit_note_failure(sh, &why);
}

/* A worker: claims local blocks in order, computes each into its ring slot,
 * and commits what is ready. A block more than ring_size ahead of the last
 * committed one waits (sleeping, not spinning: threads may outnumber free
 * cores on a shared node) for the ring to drain, or for a stop: a stopped
 * rank 0 may commit nothing more. */
static void worker(shared *sh)
{
    workspace *w = run_ws_alloc(sh->s->model);
    uint64_t counted = 0; /* of w->events, added to sh->events (block by block, so that a
                           * checkpoint's events attribute counts the blocks done) */
    if (w == NULL)
        fail_with(sh, "out of memory for a thread");
    while (w != NULL && !atomic_load(&sh->failed) && !should_stop(sh)) {
        long long i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->n_local)
            break;
        while (i >= atomic_load(&sh->local_done) + sh->ring_size && !atomic_load(&sh->failed) &&
               !should_stop(sh)) {
            commit_try(sh);
            if (i >= atomic_load(&sh->local_done) + sh->ring_size)
                nanosleep(&(struct timespec){0, 100000}, NULL);
        }
        if (atomic_load(&sh->failed) || should_stop(sh))
            break; /* its slot may still hold a block to commit: leave it */
        int rc = compute_block(sh, w, i);
        if (rc > 0)
            break; /* stopped: the block is dropped */
        if (rc < 0)
            break; /* noted by compute_block */
        atomic_fetch_add(&sh->events, w->events - counted);
        counted = w->events;
        atomic_store(&sh->ring[i % sh->ring_size].block, i);
        commit_try(sh);
    }
    if (w != NULL)
        atomic_fetch_add(&sh->events, w->events - counted);
    run_ws_free(w);
}

void round_run(shared *sh)
{
    sh->n_local = (long long)wl_deal_n_local(sh->l.n_blocks, sh->rank, sh->ranks);
    atomic_store(&sh->next, 0);
    atomic_store(&sh->local_done, 0);
    atomic_store(&sh->committed, 0);
    atomic_store(&sh->sent, 0);
    sh->draining = 0;
    sh->round_end = sh->done + (sh->l.rows - sh->l.start);
    if (sh->rank == 0)
        run_fold_grid(sh);
#pragma omp parallel num_threads(sh->opt->threads)
    worker(sh);
    sh->draining = 1;
    /* Rank 0 still takes the other ranks' blocks; the others send the rest
     * of theirs. */
    while (!atomic_load(&sh->failed) &&
           (sh->rank == 0 ? atomic_load(&sh->committed) < sh->l.n_blocks &&
                                !atomic_load(&sh->stopping)
                          : atomic_load(&sh->local_done) < sh->n_local))
        commit_try(sh);
    commit_try(sh); /* a stopped rank 0 keeps its ready prefix */
    if (sh->rank == 0)
        commit_flush(sh);
}
