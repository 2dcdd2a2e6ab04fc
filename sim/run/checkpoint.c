/* checkpoint.c — the partial result saved while a run goes on, so that a
 * run killed outright (SIGKILL: Slurm after KillWait, the OOM killer, a
 * lost node) loses at most the work since the last checkpoint.
 *
 * A checkpoint is an interruption and a --resume in one process: rank 0,
 * holding the commit lock between two blocks, writes the file as a signal
 * would have it written (every committed row, /summary, complete = 0),
 * commits it under the output's name (NAME.partial when a complete result
 * stands there: it is never replaced by a partial one), and goes on in a
 * new temporary file into which it copies the committed rows back (those
 * --rows keeps; with --rows none or sample:N the accumulators are saved
 * too, as /fold_state, since the rows do not hold them all). The
 * accumulators stay in memory, so nothing is folded twice, and --resume
 * reads a checkpoint exactly as it reads an interrupted run's file: the
 * result equals an uninterrupted run bit for bit. The lock is held
 * throughout (out_checkpoint).
 *
 * Why not keep one file and flush it: HDF5 has no journal, so a file
 * being written is unreadable after SIGKILL whatever was flushed before;
 * only a closed file is whole. The price is the copy of the rows at each
 * checkpoint, which grows with the run; so the interval grows too: a
 * checkpoint that took d seconds is followed by at least 19 d of work.
 * Checkpoints then cost a twentieth of the time between them, about a
 * tenth of the run as their cost grows (measured: 10% more CPU with a
 * near-zero --checkpoint on a 2-second run, the worst case).
 */
#include <signal.h>
#include <stdio.h>

#include "run_private.h"

/* Every committed row into the new temporary file, verbatim (this process
 * wrote them; the accumulators already hold them). */
static int copy_back(shared *sh, const char *path, uint64_t rows, err *e)
{
    out_reader *r = out_read_open(path, e);
    if (r == NULL)
        return -1;
    int rc = res_copy_rows_at(r, path, 0, rows, sh->s->model, NULL, NULL, NULL, sh->o, sh->table,
                              e);
    out_read_close(r);
    return rc;
}

static int checkpoint(shared *sh, err *e)
{
    const run_options *opt = sh->opt;
    commit_flush(sh);
    if (atomic_load(&sh->failed))
        return 0; /* noted already */
    uint64_t rows = sh->before + sh->done;
    const char *aside = sh->replacing || sh->from_partial ? sh->partial : NULL;
    int rc = 0;
    if (opt->precision > 0)
        rc = prec_write_used(sh, e);
    if (rc == 0 && sh->sharded)
        rc = shards_absorb(sh, e); /* a checkpoint stands alone */
    if (rc == 0 && opt->rows != RUN_ROWS_ALL)
        rc = res_save_fold(sh->o, sh->a, e);
    if (rc == 0 && opt->rows != RUN_ROWS_ALL && opt->precision > 0)
        rc = prec_save_round(sh, e);
    uint64_t kept = out_table_rows(sh->o, sh->table); /* all of `rows`, or those --rows keeps */
    if (rc == 0)
        rc = res_finish(sh->o, sh->s, sh->share, sh->a, rows,
                        sh->events_before + atomic_load(&sh->events),
                        run_seconds_since(&sh->t0), 0, e);
    if (rc == 0)
        rc = out_checkpoint(sh->o, aside, e);
    if (rc == 0) {
        stop_cleanup(opt->stop, out_temp_path(sh->o), out_lock_path(sh->o));
        rc = run_begin_file(sh, e);
    }
    if (rc == 0)
        rc = copy_back(sh, aside != NULL ? aside : opt->out_path, kept, e);
    return rc;
}

void ckpt_after_block(shared *sh)
{
    const run_options *opt = sh->opt;
    int last = opt->precision <= 0 && atomic_load(&sh->committed) >= sh->l.n_blocks;
    double now = run_seconds_since(&sh->t0);
    int due = (opt->checkpoint_blocks > 0 && sh->blocks_total % opt->checkpoint_blocks == 0) ||
              (opt->checkpoint_seconds > 0 && now >= sh->next_checkpoint);
    if (due && !last && !atomic_load(&sh->stopping) && !atomic_load(&sh->failed)) {
        err why;
        err_clear(&why);
        if (checkpoint(sh, &why) < 0)
            commit_note_failure(sh, &why);
        double end = run_seconds_since(&sh->t0);
        double wait = 19 * (end - now);
        sh->next_checkpoint = end + (wait > opt->checkpoint_seconds ? wait
                                                                    : opt->checkpoint_seconds);
    }
    if (opt->kill_after_blocks > 0 && sh->blocks_total == opt->kill_after_blocks)
        raise(SIGKILL); /* the test hook: a kill -9 at an exact point */
}
