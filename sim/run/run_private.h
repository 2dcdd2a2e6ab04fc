/* run_private.h — what the runner's files share, and nobody else.
 *
 *   run.c        run_scenario: the outline of a run (plan, open, rounds, finish)
 *   worklist.c   which block, which rank, which order (pure; worklist.h)
 *   round.c      one round on this rank's threads: claim, compute, hand off
 *   commit.c     the ring of finished blocks and the commit protocol (rank 0
 *                folds and writes, the other ranks send)
 *   checkpoint.c the partial result saved as the run goes on (kill -9)
 *   precision.c  --precision: the next round, /replications_used
 *   replicate.c  one replication on a thread's workspace; run_one, run_trace
 *   shards.c     rows written by the ranks that compute them (MPI, --rows kept)
 *
 * Thread-safety: a `shared` is one rank's state for one run_scenario call;
 * its threads touch it only as documented on each field.
 */
#ifndef REASSURE_RUN_PRIVATE_H
#define REASSURE_RUN_PRIVATE_H

#include <omp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "des.h"
#include "out.h"
#include "par.h"
#include "run.h"
#include "stats.h"
#include "worklist.h"

/* ---- replicate.c ---------------------------------------------------------- */

/* Per-thread scratch, allocated once and reused for every replication. */
typedef struct workspace {
    const model_def *m;
    des_engine *eng;
    gsl_rng **streams;
    void *state;
    void *params;
    uint64_t events; /* handled by this workspace's replications so far */
} workspace;

/* NULL when out of memory; run_ws_free(NULL) does nothing. */
workspace *run_ws_alloc(const model_def *m);
void run_ws_free(workspace *w);

/* One replication with w->params already set to the point's parameters;
 * trace (NULL but for `reassure trace`) is the model's story channel;
 * stop (NULL: none) is asked between slices of events. Returns 0, 1 when
 * stopped before the end (nothing is filled), -1 (out of memory) or -2 (the
 * model scheduled an event at a NaN or infinite time: a rate too small or
 * too large to give a time; nothing is filled). */
int run_replicate(workspace *w, const scenario *s, uint64_t rep, int32_t *outcome,
                  double *values, const model_trace *trace, int (*stop)(void *),
                  void *stop_ctx);

/* Fills e (ERR_RUNTIME) with why run_replicate's rc < 0 failed at point p,
 * replication rep; returns -1. */
int run_replicate_failure(int rc, size_t p, uint64_t rep, err *e);

/* ---- commit.c: the ring --------------------------------------------------- */

/* A finished block waiting for its turn to be committed. `block` is the
 * hand-off: a worker fills the slot, then stores the block's local index
 * (release); the committer loads it (acquire) and, after committing,
 * stores RING_EMPTY. */
enum { RING_EMPTY = -1 };

typedef struct slot {
    atomic_llong block;
    uint64_t point, rep0;
    size_t n;
    int32_t *outcomes;   /* [cap] */
    double *values;      /* [cap][n_measures] */
    acc_block *fold;     /* the block folded by the thread that computed it */
    par_req req[3];      /* MPI: its messages (fold, outcomes, values) in flight */
    int n_req;           /* how many of them */
} slot;

/* Everything the threads of one rank share. Fields a thread may change are
 * atomics, or are touched only by the holder of commit_lock. */
typedef struct shared {
    const scenario *s;
    const run_options *opt;
    wl_layout l;            /* the current round */
    int rank, ranks;
    long long n_local;      /* blocks of this rank */
    slot *ring;
    long long ring_size;
    atomic_llong next;      /* next local block to claim */
    atomic_llong local_done;/* local blocks committed (a prefix) */
    atomic_int failed;
    atomic_int stopping;    /* rank 0: a signal came; claim nothing more */
    atomic_int hook_stopped;/* rank 0: opt->stop_after_blocks stopped the run */
    atomic_ullong events;
    omp_lock_t commit_lock;
    struct timespec t0;
    err fail;               /* the first failure; written once, under run_fail */
    /* rank 0 only, under commit_lock: */
    out_file *o;
    int table;
    acc *a;
    int pairs;              /* every rank: the accumulator wants every block's rows */
    atomic_ullong committed;/* global blocks committed (a prefix); written under the lock */
    uint64_t blocks_total;  /* blocks committed by this call, every round */
    uint64_t done;          /* rows committed by this call */
    uint64_t before;        /* rows in the file before this call (resume) */
    uint64_t events_before; /* events of the sessions before this one (resume) */
    int replacing;          /* --force over a complete result: an interruption keeps it */
    int from_partial;       /* --resume found out_path's .partial beside a complete result */
    char partial[4096];     /* out_path + ".partial" */
    const res_share *share; /* the run's share */
    double next_checkpoint; /* seconds since t0 when a checkpoint is next due */
    uint64_t round_end;     /* sh->done when the current round is finished */
    double next_progress;
    slot inbox;             /* a block received from another rank */
    int inbox_posted;       /* its receives are posted */
    atomic_llong sent;      /* other ranks: local blocks whose sends are posted (written
                             * under commit_lock; local_done counts those completed) */
    int draining;           /* the threads are done: wait on messages, do not poll */
    double commit_seconds;  /* spent committing blocks and writing rows: the serial path */
    unsigned char *rows;    /* [COMMIT_WRITE_ROWS + cap] packed rows waiting to be appended */
    size_t pending;         /* rows in it */
    /* shards.c, every rank (sharded: the plan chose it), under commit_lock: */
    int sharded;            /* each rank writes its own rows */
    char shard_dir[4096];   /* the rows' folder (temporary until placed) */
    char shard_name[4096];  /* its final name, beside the output */
    int raw_fd;             /* this rank's plain file of packed rows; -1 = none */
    uint64_t raw_at;        /* bytes in it */
    unsigned char *shard_buf; /* [cap rows] */
    uint64_t *raw_read;     /* rank 0: [rank] bytes of each rank's file absorbed */
    uint64_t absorbed;      /* rank 0: blocks whose rows are in the result's own table */
} shared;

/* How many of a block's n rows, from replication rep0 on, --rows keeps
 * (they are its first ones). */
size_t commit_kept_rows(const run_options *o, uint64_t rep0, size_t n);

/* 1 when block (point, rep0) of the current round travels and is
 * committed with its rows: the file keeps some of them (--rows), or the
 * accumulator pairs them (acc_wants_rows). The same on every rank. */
int commit_wants_rows(const shared *sh, uint64_t rep0);

/* Packed rows rank 0 gathers before one append to /replications. */
enum { COMMIT_WRITE_ROWS = 4096 };

int commit_slot_alloc(slot *sl, const model_def *m, size_t cap);
void commit_slot_free(slot *sl);

/* Records the first failure of the run; any thread. */
void commit_note_failure(shared *sh, const err *why);

/* Commits every ready block in order, if no other thread is committing;
 * never blocks on another thread (commit.c says why nothing is stranded). */
void commit_try(shared *sh);

/* Rank 0: appends the rows waiting in sh->rows to the file. */
void commit_flush(shared *sh);

/* Calls the progress callback if it is due (or `last`); rank 0. */
void commit_progress(shared *sh, int last);

/* ---- shards.c --------------------------------------------------------------- */

/* Collective, once the result is open: the rows' folder, each rank's file
 * in it, and a check that rank 0 sees them all. -1 (e filled) otherwise. */
int shards_open(shared *sh, err *e);

/* A finished block's kept rows onto this rank's file (before its fold is
 * sent or committed); a failure is noted. */
void shards_write_block(shared *sh, const slot *sl);

/* Rank 0: the rows of the blocks committed since the last call into the
 * result's own table (a checkpoint, an interruption). */
int shards_absorb(shared *sh, err *e);

/* Collective, a complete run: every rank's HDF5 file of its rows; rank 0
 * then makes /replications the virtual table over them. */
int shards_finish(shared *sh, err *e);

/* Rank 0: the folder renamed into place beside the output. */
int shards_place(shared *sh, err *e);

/* Closes this rank's file; rank 0 with remove_folder removes the folder
 * (a run that did not finish, or failed). */
void shards_close(shared *sh, int remove_folder);

/* ---- checkpoint.c ----------------------------------------------------------- */

/* Rank 0, under commit_lock, after each committed block: a checkpoint
 * when one is due (opt->checkpoint_seconds, opt->checkpoint_blocks); a
 * failure is noted (commit_note_failure) and ends the run. Then the
 * kill test hook (opt->kill_after_blocks). */
void ckpt_after_block(shared *sh);

/* ---- run.c ----------------------------------------------------------------- */

/* Rank 0: the root attributes, /points and an empty /replications in
 * sh->o (sh->table), and a --precision run's attributes. */
int run_begin_file(shared *sh, err *e);

/* ---- round.c -------------------------------------------------------------- */

/* Runs the current round (sh->l) on this rank's threads; rank 0 commits
 * the round's blocks of every rank. */
void round_run(shared *sh);

/* ---- precision.c ---------------------------------------------------------- */

/* After a complete round of a --precision run: lays out the next round in
 * sh->l (the points still too wide, kept in pts) and returns 1, or returns 0
 * when no point needs more. Collective: every rank calls it; rank 0
 * decides. first_batch is the scenario's replications per point; cap the
 * first round's block size (the slots' size). */
int prec_next_round(shared *sh, uint64_t *pts, uint64_t *n_pts, uint64_t first_batch,
                    uint64_t cap);

/* Rank 0, --resume of a --precision run: copies the `rows` rows of the
 * interrupted file prev (at path) into sh->o, round by round, checking
 * each row's (point, rep) and folding it, and replays the decisions
 * between rounds; lays out in sh->l the round where the rows end (from
 * where they end), with its points left in pts. -1 (e filled) when a row
 * is not the one the rounds give: the file is damaged. */
int prec_resume(shared *sh, out_reader *prev, const char *path, uint64_t rows, uint64_t *pts,
                uint64_t *n_pts, uint64_t first_batch, uint64_t cap, err *e);

/* Rank 0, --precision with --rows none or sample:N: the round under way
 * saved in sh->o (/precision_round) when the run is interrupted or
 * checkpointed; and restored from the interrupted file prev into sh->l
 * (points in pts), its accumulators already loaded (res_load_fold). */
int prec_save_round(shared *sh, err *e);
int prec_restore(shared *sh, out_reader *prev, const char *path, uint64_t *pts,
                 uint64_t *n_pts, err *e);

/* Collective, after prec_resume on rank 0: every rank gets its round
 * (points, replications, start, block size). -1 when MPI fails. */
int prec_share_round(shared *sh, uint64_t *pts, uint64_t *n_pts);

/* Rank 0: the replications each point has had, as /replications_used. */
int prec_write_used(shared *sh, err *e);

double run_seconds_since(const struct timespec *t0);

/* Rank 0: tells the accumulator the current round's blocks (sh->l), so
 * that rows it folds one by one (a resumed prefix) close the same blocks
 * as the blocks the threads fold. */
void run_fold_grid(shared *sh);

#endif
