/* run.c — the Monte Carlo runner (run.h): run_scenario, the outline of a run.
 *
 * A run, on every rank:
 *   1. plan      rank 0 finds where to start (0, or what --resume found) and
 *                the block size, and tells every rank;
 *   2. set up    the ring of finished blocks, the work list's first round;
 *                rank 0 opens the result file (and copies a resumed prefix);
 *   3. rounds    each round is computed by the threads of every rank and
 *                committed in (point, rep) order by rank 0 (round.c,
 *                commit.c); a --precision run adds rounds (precision.c);
 *   4. finish    rank 0 writes /summary and the rest and renames the file
 *                into place.
 * The work list — which block, which rank, which order — is worklist.c;
 * one replication is replicate.c.
 *
 * Interrupts: workers stop claiming blocks once opt->stop has seen a
 * signal (or the test hook opt->stop_after_blocks has fired); what is
 * committed (a prefix of the work list) is written with complete = 0 and
 * replications_done. --resume copies those rows into a new temporary file,
 * folding them into the accumulators in the same order, and computes the
 * rest: the result equals an uninterrupted run.
 */
#include "run.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pairs.h"
#include "run_private.h"

double run_seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

void run_rows_name(const run_options *o, char *buf, size_t size)
{
    if (o->rows == RUN_ROWS_SAMPLE)
        snprintf(buf, size, "sample:%llu", (unsigned long long)o->rows_sample);
    else
        snprintf(buf, size, "%s", o->rows == RUN_ROWS_NONE ? "none" : "all");
}

void run_fold_grid(shared *sh)
{
    acc_grid(sh->a, sh->l.rep_lo - sh->share->rep_lo, sh->l.nr, sh->l.cap);
}

/* What rank 0 tells every rank before the work starts. */
typedef struct plan {
    int64_t status;       /* 0 go, 1 nothing to do, -1 failed (rank 0 reports) */
    uint64_t start;       /* rows already in the file */
    uint64_t cap;         /* replications per block */
    int64_t pairs;        /* the blocks' rows go to rank 0 for the paired contrasts */
    int64_t sharded;      /* each rank writes its own rows (shards.c) */
} plan;

/* 1 (e filled) when the interrupted file was not a --precision run with
 * this run's --precision and --max-replications, or was one and this run
 * is not: its rows are another run's. */
static int precision_differs(out_reader *prev, const run_options *opt, err *e)
{
    int had = out_read_has_attr(prev, "precision");
    double p = 0;
    int64_t cap = 0;
    err ignore;
    if (had) {
        double v[1];
        if (out_read_obj_attr_f64_array(prev, "/", "precision", v, 1, &ignore) == 0)
            p = v[0];
        if (out_read_attr_i64(prev, "max_replications", &cap, &ignore) < 0)
            cap = 0;
    }
    if (!had && opt->precision <= 0)
        return 0;
    if (had && opt->precision > 0 && p == opt->precision &&
        (uint64_t)cap == opt->max_replications)
        return 0;
    if (had)
        err_set(e, ERR_INPUT, out_read_path(prev), 0, NULL,
                "was written by a different run: it is a --precision %g --max-replications %lld "
                "run; resume it with those", p, (long long)cap);
    else
        err_set(e, ERR_INPUT, out_read_path(prev), 0, NULL,
                "was written by a different run: it is not a --precision run");
    return 1;
}

/* 1 (e filled) when the interrupted file keeps other rows (--rows) than
 * this run would: its rows, or its /fold_state, are another run's. */
static int rows_differ(out_reader *prev, const run_options *opt, err *e)
{
    char had[64], now[32];
    res_rows_kept(prev, had, sizeof had);
    run_rows_name(opt, now, sizeof now);
    if (strcmp(had, now) == 0)
        return 0;
    err_set(e, ERR_INPUT, out_read_path(prev), 0, NULL,
            "was written by a different run: it keeps --rows %s; resume it with that", had);
    return 1;
}

/* 1. Rank 0 decides where to start, and the block size, for everyone. */
static int make_plan(shared *sh, const res_share *share, plan *pl, out_reader **prev, err *e)
{
    const run_options *opt = sh->opt;
    int rc = 0;
    if (sh->rank == 0) {
        res_previous what = RES_PREV_NONE;
        /* A run interrupted while a complete result stood under its name
         * kept its work in NAME.partial: --resume goes on from there. */
        snprintf(sh->partial, sizeof sh->partial, "%s.partial", opt->out_path);
        struct stat st;
        sh->from_partial = opt->resume && stat(sh->partial, &st) == 0;
        sh->replacing = !opt->resume && opt->force && stat(opt->out_path, &st) == 0;
        rc = res_previous_find(sh->from_partial ? sh->partial : opt->out_path, opt->resume,
                               opt->force, sh->s, share, prev, &what, &pl->start, e);
        if (rc < 0)
            pl->status = -1;
        else if (what == RES_PREV_COMPLETE)
            pl->status = 1;
        if (what == RES_PREV_COMPLETE && opt->resume)
            out_tidy(opt->out_path); /* a run killed after its rename left its lock file */
        if (rc == 0 && *prev != NULL && (precision_differs(*prev, opt, e) || rows_differ(*prev, opt, e))) {
            out_read_close(*prev);
            *prev = NULL;
            rc = -1;
            pl->status = -1;
        }
        /* The blocks are the fold's (acc_fold_reps): sized by the share's
         * shape alone, so that every session of a run, with any threads
         * and ranks, cuts the same ones. */
        pl->cap = acc_fold_reps(res_share_rows(share), share->rep_hi - share->rep_lo);
        pl->pairs = pairs_fit(sh->s);
        /* With --shards the rows the file keeps are written by the ranks
         * that compute them, when there are several; --precision (whose
         * --resume replays its rounds from the rows) and paired designs
         * (whose pairs rank 0 folds row by row) keep them on rank 0. */
        pl->sharded = opt->shards && sh->ranks > 1 && opt->rows != RUN_ROWS_NONE &&
                      opt->precision <= 0 && !pl->pairs;
    }
    if (par_bcast(pl, sizeof *pl, 0) < 0 && rc == 0)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "MPI: cannot share the plan");
    return rc;
}

/* 2. The ring (two slots per thread, and with MPI a cycle of the deal more,
 * so a rank can run ahead while rank 0 takes another rank's run), the
 * share's points (a --precision run drops those done) and the first round. */
static int set_up(shared *sh, const res_share *share, const plan *pl, uint64_t **pts,
                  uint64_t *n_pts, err *e)
{
    int rc = 0;
    sh->ring_size = 2LL * sh->opt->threads + 2 + (sh->ranks > 1 ? 2LL * WL_DEAL_W : 0);
    *n_pts = share->point_hi - share->point_lo;
    *pts = calloc(*n_pts ? *n_pts : 1, sizeof **pts);
    for (uint64_t q = 0; *pts != NULL && q < *n_pts; q++)
        (*pts)[q] = share->point_lo + q;
    sh->ring = calloc((size_t)sh->ring_size, sizeof *sh->ring);
    if (sh->ring == NULL || *pts == NULL)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (long long i = 0; rc == 0 && i < sh->ring_size; i++)
        if (commit_slot_alloc(&sh->ring[i], sh->s->model, (size_t)pl->cap) < 0)
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    if (rc == 0)
        wl_layout_init(&sh->l, *pts, *n_pts, share->rep_lo, share->rep_hi, pl->start, pl->cap);
    return rc;
}

int run_begin_file(shared *sh, err *e)
{
    const run_options *opt = sh->opt;
    char rows[32];
    run_rows_name(opt, rows, sizeof rows);
    res_run_info ri = {.threads = opt->threads, .ranks = sh->ranks, .ov = opt->ov, .rows = rows};
    if ((sh->table = res_begin(sh->o, sh->s, sh->share, &ri, e)) < 0)
        return -1;
    if (opt->precision > 0 &&
        (out_attr_f64(sh->o, "/", "precision", opt->precision, e) < 0 ||
         out_attr_i64(sh->o, "/", "max_replications", (int64_t)opt->max_replications, e) < 0))
        return -1;
    return 0;
}

/* 2. Rank 0: the accumulators, the rows buffer and the result file, with
 * the rows of an interrupted run copied in when resuming. */
static int open_result(shared *sh, const res_share *share, const plan *pl, out_reader *prev,
                       uint64_t *pts, uint64_t *n_pts, err *e)
{
    const scenario *s = sh->s;
    const run_options *opt = sh->opt;
    sh->a = acc_alloc(s);
    sh->rows = calloc(COMMIT_WRITE_ROWS + (size_t)pl->cap, res_row_size(s->model));
    if (sh->a == NULL || sh->rows == NULL || commit_slot_alloc(&sh->inbox, s->model,
                                                               (size_t)pl->cap) < 0)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    if ((sh->o = out_create(opt->out_path, e)) == NULL)
        return -1;
    if (out_warning(sh->o) != NULL && opt->warn != NULL)
        opt->warn(opt->warn_ctx, out_warning(sh->o));
    stop_cleanup(opt->stop, out_temp_path(sh->o), out_lock_path(sh->o));
    if (run_begin_file(sh, e) < 0)
        return -1;
    sh->next_checkpoint = opt->checkpoint_seconds;
    if (prev != NULL) {
        /* The file's events count every session's, not only the last. */
        int64_t before = 0;
        err ignore;
        if (out_read_has_attr(prev, "events") &&
            out_read_attr_i64(prev, "events", &before, &ignore) == 0 && before > 0)
            sh->events_before = (uint64_t)before;
        if (opt->rows != RUN_ROWS_ALL) {
            /* The rows kept are not all the rows folded: the accumulators
             * come from /fold_state (and a --precision run's round from
             * /precision_round), the kept rows are copied as they are. */
            int64_t kept = out_read_rows(prev, "/replications", e);
            if (kept < 0 || res_load_fold(prev, out_read_path(prev), sh->a, e) < 0)
                return -1;
            if (opt->precision > 0 && prec_restore(sh, prev, out_read_path(prev), pts, n_pts, e) < 0)
                return -1;
            if (opt->precision <= 0)
                run_fold_grid(sh);
            return res_copy_rows_at(prev, out_read_path(prev), 0, (uint64_t)kept, s->model, NULL,
                                    NULL, NULL, sh->o, sh->table, e);
        }
        if (opt->precision > 0)
            return prec_resume(sh, prev, out_read_path(prev), pl->start, pts, n_pts,
                               share->rep_hi - share->rep_lo, pl->cap, e);
        run_fold_grid(sh);
        return res_copy_rows(prev, opt->out_path, share, 0, pl->start, s->model, sh->a, sh->o,
                             sh->table, e);
    }
    return 0;
}

/* 3. Round after round until the work is done (1) or a stop or failure
 * ends it (0). */
static int run_rounds(shared *sh, uint64_t *pts, uint64_t n_pts, const res_share *share,
                      uint64_t cap)
{
    for (;;) {
        round_run(sh);
        if (atomic_load(&sh->failed) || atomic_load(&sh->stopping) ||
            (sh->rank == 0 && atomic_load(&sh->committed) < sh->l.n_blocks))
            return 0;
        if (sh->opt->precision <= 0 ||
            !prec_next_round(sh, pts, &n_pts, share->rep_hi - share->rep_lo, cap))
            return 1;
    }
}

/* 4. The report, and on rank 0 the file's end: /replications_used,
 * /summary and the rest, then the rename into place (or, after a failure,
 * the temporary file removed). */
static int finish(shared *sh, const res_share *share, int complete, int rc, run_report *r,
                  err *e)
{
    const run_options *opt = sh->opt;
    r->replications = sh->done;
    r->done = sh->before + sh->done;
    r->events = atomic_load(&sh->events);
    if (rc == 0 && sh->rank == 0 && !complete)
        r->interrupted = atomic_load(&sh->hook_stopped) ? SIGTERM : stop_requested(opt->stop);
    if (rc == 0 && complete)
        r->events = par_sum_u64(r->events); /* every rank gets here */
    if (rc == 0 && complete && sh->sharded)
        rc = shards_finish(sh, e); /* collective: every rank's rows, then the virtual table */
    r->wall_seconds = run_seconds_since(&sh->t0);
    if (sh->rank != 0) {
        shards_close(sh, 0);
        return rc;
    }
    if (rc == 0 && !complete && sh->sharded)
        rc = shards_absorb(sh, e); /* an interrupted file stands alone */
    if (rc == 0 && opt->precision > 0)
        rc = prec_write_used(sh, e);
    if (rc == 0 && !complete && opt->rows != RUN_ROWS_ALL)
        rc = res_save_fold(sh->o, sh->a, e);
    if (rc == 0 && !complete && opt->rows != RUN_ROWS_ALL && opt->precision > 0)
        rc = prec_save_round(sh, e);
    if (rc == 0)
        rc = out_attr_f64(sh->o, "/", "commit_seconds", sh->commit_seconds, e);
    if (rc == 0)
        rc = res_finish(sh->o, sh->s, share, sh->a, r->done, sh->events_before + r->events,
                        r->wall_seconds, complete, e);
    /* Interrupted over a complete result (--force, or resuming from its
     * .partial): the complete result stays, the work goes to NAME.partial. */
    int keep_aside = !complete && (sh->replacing || sh->from_partial);
    if (rc == 0 && keep_aside && (rc = out_retarget(sh->o, sh->partial, e)) == 0)
        snprintf(r->partial, sizeof r->partial, "%s", sh->partial);
    char replaced[4096] = ""; /* a complete result's rows folder, replaced with it */
    if (rc == 0 && complete)
        res_rows_folder(opt->out_path, replaced, sizeof replaced);
    int placed = rc == 0 && complete && sh->sharded && (rc = shards_place(sh, e)) == 0;
    if (rc == 0)
        rc = out_commit(sh->o, e);
    else
        out_abort(sh->o);
    if (sh->sharded)
        shards_close(sh, !placed || rc != 0); /* placed but not committed: it goes too */
    if (rc == 0 && replaced[0] != '\0' && strcmp(replaced, sh->shard_name) != 0)
        out_remove_folder(replaced);
    if (rc == 0 && complete)
        unlink(sh->partial); /* finished: an earlier partial of this output is spent */
    stop_cleanup(opt->stop, NULL, NULL);
    return rc;
}

static void shared_free(shared *sh)
{
    for (long long i = 0; sh->ring && i < sh->ring_size; i++)
        commit_slot_free(&sh->ring[i]);
    commit_slot_free(&sh->inbox);
    free(sh->ring);
    free(sh->rows);
    free(sh->raw_read);
    acc_free(sh->a);
}

static void shared_init(shared *sh, const scenario *s, const run_options *opt)
{
    memset(sh, 0, sizeof *sh);
    sh->s = s;
    sh->opt = opt;
    sh->table = -1;
    sh->raw_fd = -1;
    sh->rank = par_rank();
    sh->ranks = par_size();
    clock_gettime(CLOCK_MONOTONIC, &sh->t0);
    atomic_init(&sh->next, 0);
    atomic_init(&sh->local_done, 0);
    atomic_init(&sh->failed, 0);
    atomic_init(&sh->stopping, 0);
    atomic_init(&sh->hook_stopped, 0);
    atomic_init(&sh->events, 0);
    atomic_init(&sh->committed, 0);
    atomic_init(&sh->sent, 0);
    err_clear(&sh->fail);
}

int run_scenario(const scenario *s, const run_options *opt, run_report *r, err *e)
{
    memset(r, 0, sizeof *r);
    shared sh;
    shared_init(&sh, s, opt);
    res_share share = opt->has_share ? opt->share : res_share_all(s);
    sh.share = &share;
    r->total = res_share_rows(&share);

    plan pl = {0, 0, 0, 0, 0};
    out_reader *prev = NULL;
    int rc = make_plan(&sh, &share, &pl, &prev, e);
    if (pl.status != 0) {
        r->already_complete = pl.status == 1;
        r->done = r->already_complete ? r->total : 0;
        return pl.status == 1 ? 0 : (sh.rank == 0 ? -1 : err_set(e, ERR_RUNTIME, NULL, 0, NULL,
                                                                 "rank 0 failed"));
    }
    r->resumed_rows = pl.start;
    sh.pairs = pl.pairs != 0;
    sh.sharded = pl.sharded != 0;
    r->resumed_from = prev != NULL;
    sh.before = pl.start;

    uint64_t *pts = NULL, n_pts = 0;
    if (rc == 0)
        rc = set_up(&sh, &share, &pl, &pts, &n_pts, e);
    if (rc == 0 && sh.rank == 0)
        rc = open_result(&sh, &share, &pl, prev, pts, &n_pts, e);
    out_read_close(prev);
    if (rc < 0 && sh.ranks > 1) {
        /* The other ranks would wait for rank 0 for ever. */
        char msg[2048];
        err_format(e, msg, sizeof msg);
        fprintf(stderr, "reassure: %s\n", msg);
        out_abort(sh.o);
        par_abort(1);
    }
    if (rc == 0 && sh.sharded)
        rc = shards_open(&sh, e); /* collective */
    /* A --precision run resumed: rank 0 found the round to go on with. */
    if (rc == 0 && opt->precision > 0 && pl.start > 0 && prec_share_round(&sh, pts, &n_pts) < 0)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "MPI: cannot share the round");

    int complete = 0;
    if (rc == 0) {
        omp_init_lock(&sh.commit_lock);
        complete = run_rounds(&sh, pts, n_pts, &share, pl.cap);
        commit_progress(&sh, 1);
        omp_destroy_lock(&sh.commit_lock);
        if (atomic_load(&sh.failed)) {
            *e = sh.fail;
            rc = -1;
        }
    }
    if (sh.rank != 0)
        complete = rc == 0;
    rc = finish(&sh, &share, complete, rc, r, e);
    shared_free(&sh);
    free(pts);
    return rc;
}

double run_seconds_left(uint64_t done, uint64_t total, uint64_t resumed, double seconds)
{
    double now = done > resumed ? (double)(done - resumed) : 0;
    if (seconds <= 0 || now <= 0 || done >= total)
        return 0;
    return (double)(total - done) * seconds / now;
}
