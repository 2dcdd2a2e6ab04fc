/* result.h — the layout of a result file, shared by everything that writes
 * one: the runner (run.c), --resume, and `reassure merge` (merge.c).
 *
 * The writer (out.h) knows tables and attributes; this module knows what a
 * reassure result holds (PRODUCT.md): the root attributes, /points,
 * /replications rows (point, rep, outcome enum, the model's measures),
 * /summary, /histograms/<measure>. A row of /replications in memory is
 * res_row_size(m) bytes: point u32 at 0, rep u64 at 8, outcome i32 at 16,
 * measure j at 24 + 8j (int64 for integer measures, double otherwise).
 *
 * What a file covers — its share of the work: points [point_lo, point_hi)
 * and replications [rep_lo, rep_hi) of each (the whole scenario by
 * default; `--points A:B` / `--replications A:B` choose a share for a job
 * array), and of that share the first `done` rows in (point, rep) order
 * (all of them when complete).
 *
 * Ownership: nothing returned needs freeing but res_meta_read's strings
 * (res_meta_free). Thread-safety: one thread (HDF5).
 */
#ifndef REASSURE_RESULT_H
#define REASSURE_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "out.h"
#include "scn.h"
#include "stats.h"

enum { RES_HEADER = 24, RES_MAX_COLS = 3 + 64 };

/* The share of a scenario's work list a run or a file covers. */
typedef struct res_share {
    uint64_t point_lo, point_hi;  /* points [lo, hi) */
    uint64_t rep_lo, rep_hi;      /* replications [lo, hi) at each point */
} res_share;

/* The whole work list of s. */
res_share res_share_all(const scenario *s);

/* Rows of the share, in (point, rep) order. */
uint64_t res_share_rows(const res_share *sh);

/* Row k of the share (0 <= k < res_share_rows) as (point, rep). */
void res_share_at(const res_share *sh, uint64_t k, uint64_t *point, uint64_t *rep);

size_t res_row_size(const model_def *m);

/* The /replications columns of model m into cols (RES_MAX_COLS); returns
 * their number, or -1 when the model has too many measures. */
int res_columns(const model_def *m, out_column *cols);

/* The columns of /summary, one summary_row (stats.h) per row: written by
 * res_finish, read by res_read_summary (results_read.h). */
enum { RES_SUMMARY_COLUMNS = 6 };
extern const out_column res_summary_columns[RES_SUMMARY_COLUMNS];

/* Packs n records of point p, replications rep0.. (outcomes[i], values
 * [i][n_measures]) as rows; and one row back into a record. */
void res_pack(const model_def *m, uint64_t p, uint64_t rep0, size_t n, const int32_t *outcomes,
              const double *values, unsigned char *rows);
void res_unpack(const model_def *m, const unsigned char *row, uint64_t *p, uint64_t *rep,
                int32_t *outcome, double *values);

/* How a file came to be: recorded in its root attributes. */
typedef struct res_run_info {
    int threads;
    int ranks;
    const scn_overrides *ov;   /* the command line's overrides, or NULL */
    const char *rows;          /* --rows as given: "all", "none" or "sample:N"; NULL = all */
} res_run_info;

/* Root attributes (complete = 0 until res_finish), /points and an empty
 * /replications; returns the /replications table id, or -1. */
int res_begin(out_file *o, const scenario *s, const res_share *sh, const res_run_info *ri,
              err *e);

/* The memory a run of s takes per sweep point, in bytes, at its peak (the
 * end, when /histograms is written): the accumulators (stats.h), HDF5's
 * copies of each histogram's small attributes, and a design's table. For
 * `check`'s estimate of what a run needs. */
size_t res_bytes_per_point(const scenario *s);

/* /summary (points of the share with at least one replication),
 * /histograms, /sensitivity where the design has one, and the closing root
 * attributes: replications_done, events, wall_seconds, complete. */
int res_finish(out_file *o, const scenario *s, const res_share *sh, const acc *a, uint64_t done,
               uint64_t events, double wall_seconds, int complete, err *e);

/* Rows written by several MPI ranks (run/shards.c): each rank's rows, in
 * the order it computed them, are a plain file of packed rows while the
 * run goes on (raw_fd, `rows` of them), then its own HDF5 file at
 * `path` — a table /replications like a result's — which the result's
 * /replications (a virtual table, out_virtual_table) reads in (point, rep)
 * order. */
int res_write_shard(const char *path, const model_def *m, int raw_fd, uint64_t rows, err *e);

/* The rows folder (full path) of the complete result at path, when its
 * rows were written by several ranks; buf is "" otherwise. */
void res_rows_folder(const char *path, char *buf, size_t size);

/* The table of m's rows at `path` in o (a result's /replications, a
 * shard's); returns its id, or -1. */
int res_rows_table(out_file *o, const char *path, const model_def *m, err *e);

/* An interrupted result that does not keep every row (--rows none or
 * sample:N) keeps its accumulators instead, as /fold_state (acc_save), so
 * --resume can go on: res_save_fold writes it, res_load_fold restores it
 * into a (ERR_RUNTIME when missing or not this run's: damaged). */
int res_save_fold(out_file *o, const acc *a, err *e);
int res_load_fold(out_reader *r, const char *path, acc *a, err *e);

/* A state kept for --resume as one column of n 64-bit words at `dset`,
 * with its `meaning` attribute; and read back (malloc'd *w), ERR_RUNTIME
 * naming the file at path when it is missing ("which <keeper> keeps") or
 * not one column: damaged. */
int res_save_words(out_file *o, const char *dset, const uint64_t *w, size_t n,
                   const char *meaning, err *e);
int res_load_words(out_reader *r, const char *path, const char *dset, const char *keeper,
                   uint64_t **w, size_t *n, err *e);

/* Copies rows [first, first + n) of the /replications of the result `r`
 * (at `path`, covering share `sh`) to table `table` of `o`, folding each
 * into `a`. Each row must be the (point, rep) that its place in the share
 * says, with a valid outcome: otherwise the file is damaged (ERR_RUNTIME).
 * Reads and appends a few thousand rows at a time. --resume and merge
 * both copy rows this way, so a copied row is folded exactly as a computed
 * one. */
int res_copy_rows(out_reader *r, const char *path, const res_share *sh, uint64_t first,
                  uint64_t n, const model_def *m, acc *a, out_file *o, int table, err *e);

/* The same with the (point, rep) row k must be given by at(ctx, k, ...):
 * a --precision run's later rounds are not in share order. at == NULL
 * checks nothing and a == NULL folds nothing: a verbatim copy of rows this
 * process wrote itself (a checkpoint going on in a new file). */
typedef void (*res_row_at)(void *ctx, uint64_t k, uint64_t *point, uint64_t *rep);
int res_copy_rows_at(out_reader *r, const char *path, uint64_t first, uint64_t n,
                     const model_def *m, res_row_at at, void *ctx, acc *a, out_file *o, int table,
                     err *e);

/* What --resume finds at path, for a run of s over share sh. */
typedef enum res_previous {
    RES_PREV_NONE,        /* no file: start from the beginning */
    RES_PREV_PARTIAL,     /* an interrupted run of this one: *rows are done */
    RES_PREV_COMPLETE     /* this run, finished: nothing to do */
} res_previous;

/* With resume: opens the earlier file at path, checks that it is this
 * run's (scenario, overrides, seed, replications, share: ERR_INPUT if not)
 * and whole (ERR_RUNTIME if damaged), and says what it holds; a partial
 * file is left open in *prev for res_copy_rows. Without resume, nothing is
 * lost (ERR_INPUT, the file untouched): a file that is not a reassure
 * result is never replaced, an interrupted result never (its finished
 * replications would be lost: --resume it), a complete result only with
 * force (--force). */
int res_previous_find(const char *path, int resume, int force, const scenario *s,
                      const res_share *sh, out_reader **prev, res_previous *what, uint64_t *rows,
                      err *e);

/* ---- reading a file's identity back ------------------------------------- */

/* What a result says of the run that made it: enough to check that a
 * --resume or a merge input belongs to the same scenario, seed and share,
 * and to load that scenario again (merge). Strings are malloc'd. */
typedef struct res_meta {
    char *model;
    char *scenario_text;     /* verbatim */
    char *scenario_loaded;   /* the text with @include expanded */
    char *overrides;         /* as recorded, one line */
    char *cli_set;           /* --set arguments, one per line */
    char *cli_sweep;         /* --sweep arguments, one per line */
    char *version;           /* reassure_version of the build that wrote it */
    int64_t seed, replications, points, complete, done;
    res_share share;
} res_meta;

int res_meta_read(out_reader *r, const char *path, res_meta *m, err *e);

/* 1 when the result keeps every row (--rows all, or a file from before
 * --rows), 0 when it keeps none or a sample; its --rows text in buf
 * (size > 0) either way. */
int res_rows_kept(out_reader *r, char *buf, size_t size);
void res_meta_free(res_meta *m);

/* What differs between the runs that wrote a and b ("seed", "scenario",
 * ...), or NULL when they are the same run (shares and progress aside). */
const char *res_meta_difference(const res_meta *a, const res_meta *b);

/* 0 when the file's meta is a run of scenario s; else fills e (ERR_INPUT)
 * naming what differs. */
int res_meta_match(const res_meta *m, const scenario *s, const char *path, err *e);

#endif
