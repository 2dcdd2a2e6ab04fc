/* run.h — the Monte Carlo runner: points x replications on the engine.
 *
 * The work list is every (point, rep) of a scenario, cut into blocks of
 * replications of one point and dealt to MPI ranks; OpenMP threads take a
 * rank's blocks dynamically; the thread that computes a block folds it
 * (stats.h: acc_block), and rank 0 commits the blocks in block order —
 * combining each fold into the statistics and appending the rows --rows
 * keeps to /replications —, so the results are the same bit for bit
 * whatever the threads and ranks, and memory holds a small ring of blocks
 * per rank, whatever the number of replications. The parts are in sim/run/ (run_private.h lists
 * them).
 *
 * Every random draw of replication r at any point comes from the streams
 * (seed, purpose, 0, r): the point is deliberately left out of the key so
 * that sweep points share their random numbers (common random numbers),
 * and differences between points are the parameters', not the noise's.
 *
 * Ownership: nothing returned needs freeing. Thread-safety: run_* may be
 * called from one thread at a time (they start their own threads).
 */
#ifndef REASSURE_RUN_H
#define REASSURE_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "result.h"
#include "scn.h"
#include "stop.h"

/* Progress: called by whichever thread commits, at most every
 * progress_seconds, with the replications committed so far (done, of
 * total), of which `resumed` were in the file before this session (a rate
 * is this session's: (done - resumed) / seconds). */
typedef void (*run_progress_fn)(void *ctx, uint64_t done, uint64_t total, uint64_t resumed,
                                double seconds);

/* The seconds a run still needs at this session's rate; 0 when nothing
 * has been computed yet. A pure function, for the progress line. */
double run_seconds_left(uint64_t done, uint64_t total, uint64_t resumed, double seconds);

/* A warning for the user (the run goes on), e.g. an output filesystem
 * without file locks; rank 0, before the work starts. */
typedef void (*run_warn_fn)(void *ctx, const char *message);

/* Which rows /replications keeps (--rows); the summaries never depend on it. */
typedef enum run_rows {
    RUN_ROWS_ALL,    /* every replication's row (the default) */
    RUN_ROWS_NONE,   /* none: the summaries, histograms and tables only */
    RUN_ROWS_SAMPLE  /* the rows of replications 0 .. rows_sample-1 of each point */
} run_rows;

typedef struct run_options {
    const char *out_path;   /* the HDF5 result (written by rank 0) */
    int threads;            /* >= 1, per rank */
    run_progress_fn progress; /* NULL = none */
    void *progress_ctx;
    double progress_seconds;
    run_warn_fn warn;       /* NULL = warnings are dropped */
    void *warn_ctx;
    const scn_overrides *ov;  /* recorded in the file so merge can reload it; may be NULL */
    int has_share;          /* 0: the whole work list; 1: `share` only */
    res_share share;        /* --points A:B, --replications A:B */
    int resume;             /* finish the interrupted result at out_path */
    int force;              /* replace a complete result at out_path (never another file) */
    stop_watch *stop;       /* SIGINT/SIGTERM; NULL = not watched */
    double precision;       /* > 0: sequential stopping (--precision): add batches of
                             * the scenario's replications per point until every p_*
                             * 95% half-width is <= precision; 0 = off */
    uint64_t max_replications; /* the cap per point with precision */
    double checkpoint_seconds;  /* > 0: the partial result is saved (committed under
                                 * out_path, or NAME.partial beside a complete result)
                                 * at most this often, so that --resume after SIGKILL
                                 * goes on from there; 0 = never */
    uint64_t checkpoint_blocks; /* > 0: also every this many blocks committed */
    run_rows rows;              /* --rows */
    uint64_t rows_sample;       /* --rows sample:N: N */
    int shards;                 /* --shards: in an MPI run of several ranks each rank
                                 * writes the rows it keeps to its own file, in a folder
                                 * beside the result (run/shards.c); not for --precision
                                 * or a paired design, whose rows rank 0 writes */
    uint64_t kill_after_blocks; /* tests only (REASSURE_TEST_KILL_AFTER_BLOCKS): > 0 = the
                                 * process kills itself (SIGKILL) once this call has
                                 * committed that many blocks, a checkpoint then due
                                 * taken first; 0 = off */
    uint64_t stop_after_blocks; /* tests only (REASSURE_TEST_STOP_AFTER_BLOCKS): > 0 = stop
                                 * exactly as a SIGTERM would, once this call has committed
                                 * that many blocks, keeping exactly those; 0 = off */
    uint64_t wait_after_blocks; /* tests only (REASSURE_TEST_WAIT_AFTER_BLOCKS): > 0 = once
                                 * this call has committed that many blocks, rank 0 says so
                                 * on stderr and waits (at most a minute) for a signal
                                 * before committing more, so a test's real signal finds
                                 * the run under way however loaded the machine; 0 = off */
} run_options;

typedef struct run_report {
    uint64_t replications;  /* done in this call */
    uint64_t done;          /* rows in the file (earlier sessions included) */
    uint64_t total;         /* rows of the share */
    uint64_t events;        /* handled by the engine, all replications of this call */
    double wall_seconds;
    int interrupted;        /* the signal that stopped the run (file has complete = 0) */
    int already_complete;   /* --resume found nothing to do; the file is untouched */
    int resumed_from;       /* --resume found an interrupted file (0: started afresh) */
    char partial[4096];     /* interrupted while a complete result stood at out_path:
                               the finished replications are here, out_path untouched
                               ("" otherwise); --resume finds them */
    uint64_t resumed_rows;
} run_report;

/* --rows as text: "all", "none" or "sample:N". */
void run_rows_name(const run_options *o, char *buf, size_t size);

/* Runs the share of s (every replication of every point by default) and
 * writes the result file (atomically: see out.h); with MPI every rank
 * calls it and rank 0 writes. Interrupted by opt->stop, it keeps every
 * finished replication in (point, rep) order and writes the file with
 * complete = 0 (r->interrupted says so); opt->resume then finishes it with
 * the numbers an uninterrupted run gives. Returns 0, or -1 with e filled
 * (ERR_RUNTIME; ERR_INPUT when --resume finds a file of another run). */
int run_scenario(const scenario *s, const run_options *o, run_report *r, err *e);

/* One replication (point p, rep r) with its own engine; outcome and
 * values (model->n_measures) filled. For tests and trace. */
int run_one(const scenario *s, size_t p, uint64_t rep, int32_t *outcome, double *values,
            uint64_t *events, err *e);

/* Tells replication (p, rep) event by event on f, one line per event. */
int run_trace(const scenario *s, size_t p, uint64_t rep, FILE *f, err *e);

#endif
