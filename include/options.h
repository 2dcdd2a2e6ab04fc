/* options.h — the rules of the command line's options, apart from it.
 *
 * main.c reads argv with getopt and hands each option, by its id and text,
 * to run_option(), which checks the value and records it in a
 * run_request. Once the scenario is loaded, run_options_check() applies
 * the rules between options and against the scenario (shares within the
 * sweep, --precision and what it cannot go with, --max-replications) and
 * fills the runner's run_options; trace_options_check() and
 * merge_options_check() do the same for `trace` and `merge`. The rules
 * live here, in the library, so unit tests reach every one of them without
 * the CLI (tests/test_options.c).
 *
 * Every refusal is ERR_INPUT (exit 2) with no file and no key: the message
 * is what the CLI prints after "reassure: " (run_option's with
 * "(reassure --help shows the usage)" on the next line).
 *
 * Ownership: a run_request points into the argv strings it was given and
 * into its own arrays (ov.sets, ov.sweeps); it owns nothing to free.
 * Thread-safety: none needed (one command line, one thread).
 */
#ifndef REASSURE_OPTIONS_H
#define REASSURE_OPTIONS_H

#include <stdint.h>

#include "err.h"
#include "run.h"
#include "scn.h"

enum {
    OPT_MAX_THREADS = 1024,    /* -j */
    OPT_MAX_OVERRIDES = 256,   /* --set, --sweep, merge's input files */
    OPT_DEFAULT_MAX_REPS = 1000000
};

/* Option ids: getopt's short letters, then the long-only options. */
enum {
    OPT_OUTPUT = 'o', OPT_N = 'n', OPT_SEED = 's', OPT_THREADS = 'j', OPT_QUIET = 'q',
    OPT_SET = 256, OPT_SWEEP, OPT_POINT, OPT_REP, OPT_CSV, OPT_RESUME, OPT_FORCE, OPT_POINTS,
    OPT_REPLICATIONS, OPT_PRECISION, OPT_MAX_REPS, OPT_TABLE, OPT_BASELINE, OPT_CHECKPOINT,
    OPT_CHECKPOINT_BLOCKS, OPT_ROWS, OPT_SHARDS
};

/* --checkpoint's default: the partial result is saved at most every 30 s. */
#define OPT_DEFAULT_CHECKPOINT_SECONDS 30.0

/* What the options asked for; run_request_init's values mean "not given". */
typedef struct run_request {
    const char *output;        /* -o */
    int threads;               /* -j; the caller's default until given */
    int quiet, csv, resume, force;
    const char *table;         /* export --table: replications, summary or points */
    const char *baseline;      /* compare --baseline: a case's name */
    long long point, rep;      /* trace: --point, --rep (default 0) */
    int has_points, has_reps;  /* --points A:B, --replications A:B */
    uint64_t points_a, points_b, reps_a, reps_b;
    double precision;          /* --precision P; 0 = not given */
    long long max_reps;        /* --max-replications M; 0 = not given */
    double checkpoint_seconds; /* --checkpoint S; < 0 = not given, 0 = never */
    long long checkpoint_blocks; /* --checkpoint-blocks N; 0 = not given */
    run_rows rows;             /* --rows all|none|sample:N (default all) */
    uint64_t rows_sample;      /* its N */
    int shards;                /* --shards */
    const char *sets[OPT_MAX_OVERRIDES];
    const char *sweeps[OPT_MAX_OVERRIDES];
    scn_overrides ov;          /* -n, -s, --set, --sweep (sets, sweeps point above) */
} run_request;

/* Empty request with `threads` threads. Call it once before run_option:
 * it points q->ov at q's own arrays, so q must not move afterwards. */
void run_request_init(run_request *q, int threads);

/* Records option `opt` (an OPT_ id) with its text `arg` (NULL for a flag).
 * Refuses: -n/--replications N < 1 or not a number; --replications A:B
 * and --points A:B unless whole numbers A < B; -s < 0; -j outside 1..1024;
 * --point, --rep < 0; --precision outside (0, 0.5]; --max-replications
 * < 1; --checkpoint not a number of seconds >= 0; --checkpoint-blocks < 1;
 * --rows other than all, none or sample:N with N >= 1;
 * a 257th --set or --sweep; an id it does not know. */
int run_option(run_request *q, int opt, const char *arg, err *e);

/* The rules of `run` once the scenario s is loaded, in this order:
 * --points within s's points and --replications A:B within its
 * replications; --max-replications only with --precision; --precision
 * only for a model with proportions (p_* rows), not with a share (it
 * goes with --resume); --max-replications (default 1000000) not below s's
 * replications; --rows none or sample:N not for a cases or uncertainty
 * design whose pairs are read back from its rows (past PAIRS_BUDGET). Fills o's share, has_share, resume, precision and
 * max_replications, checkpoint_seconds (default 30), checkpoint_blocks,
 * rows, rows_sample and shards;
 * leaves its other fields. */
int run_options_check(const run_request *q, const scenario *s, run_options *o, err *e);

/* Whether a run of s fits this machine: its points times the memory a
 * point takes at the run's peak (res_bytes_per_point) and 64 MiB more,
 * against physical memory (or an address-space limit); ERR_INPUT with
 * both figures otherwise. `check` and run_options_check apply it. */
int run_memory_check(const scenario *s, err *e);

/* `trace`: --point within s's points; a model with a trace. */
int trace_options_check(const run_request *q, const scenario *s, err *e);

/* `merge`: an output (-o) and at least one input; the output's name as
 * output_name_check. */
int merge_options_check(const run_request *q, size_t n_inputs, err *e);

/* An output's last name leaves room for the lock and temporary names made
 * beside it (20 bytes more than the name): ERR_INPUT naming the limit of
 * its folder (NAME_MAX, 255 on most filesystems) otherwise. run_options_check
 * applies it to o->out_path first. */
int output_name_check(const char *path, err *e);

#endif
