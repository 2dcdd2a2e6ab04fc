/* results_read.h — reading a reassure result back: the one reader.
 *
 * The results layer is the only code that calls HDF5. Whatever reads a
 * result — the summary table and CSV (report.c), the ranked Sobol table
 * (sens_table.c), --resume and merge (result.c, merge.c) — reads it through
 * out.h's generic reader (out_read_open, root attributes, table rows) and
 * the functions here, which know the groups of a result (PRODUCT.md,
 * README "Results (HDF5)"):
 *
 *   root attributes   out_read_attr_str / out_read_attr_i64 (out.h), and
 *                     res_meta_read (result.h) for a run's identity
 *   /points           res_read_points: each swept key's value per point
 *   /summary          res_read_summary: summary_row (stats.h) per row
 *   /replications     res_read_replications: the rows of one point, in
 *                     the layout of result.h (res_unpack reads a row)
 *   /sensitivity      res_read_sensitivity: sens_row (sensitivity.h)
 *   /histograms/<m>   res_read_histogram: counts and edges per point
 *   /contrasts, /uncertainty/..., /discovery
 *                     res_read_table with uncertainty.h's columns
 *
 * Every function opens nothing: it reads from an out_reader the caller
 * opened (out_read_open) and closes (out_read_close). Failures fill e with
 * ERR_RUNTIME naming the file and what could not be read; nothing prints.
 *
 * Ownership: what a function returns through a pointer is malloc'd and the
 * caller's: free() it, or the matching _free for a struct. Thread-safety:
 * one thread at a time for every reader and writer of the process (HDF5).
 */
#ifndef REASSURE_RESULTS_READ_H
#define REASSURE_RESULTS_READ_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"
#include "out.h"
#include "sensitivity.h"
#include "stats.h"

/* /points: the columns after `point` are the swept keys. A key stored as
 * text (a choice) has its values in text, any other (integer, real,
 * boolean) in value, converted to double. */
typedef struct res_points {
    size_t n_points;
    size_t n_keys;
    char (*key)[OUT_NAME_LEN];  /* [key]: the key's dotted path */
    int *is_text;               /* [key] */
    double *value;              /* [point * n_keys + key]; NaN for a text key */
    size_t text_len;            /* bytes per text cell, NUL included */
    char *text;                 /* [(point * n_keys + key) * text_len]; "" for a number */
} res_points;

/* Reads /points; pts is zeroed first and released by res_points_free. */
int res_read_points(out_reader *r, res_points *pts, err *e);
void res_points_free(res_points *pts);

/* The text of key j at point p ("" for a numeric key). */
const char *res_points_text(const res_points *pts, size_t p, size_t j);

/* Reads /summary whole, in its stored order: *rows (malloc'd, never NULL
 * on success) holds *n rows, each name NUL-terminated. */
int res_read_summary(out_reader *r, summary_row **rows, size_t *n, err *e);

/* Reads /sensitivity whole: *rows (malloc'd, never NULL on success) holds
 * *n rows, and *samples its `samples` attribute (0 when it has none).
 * A file without /sensitivity fails: ask out_read_exists first. */
int res_read_sensitivity(out_reader *r, sens_row **rows, size_t *n, int64_t *samples, err *e);

/* Any table whose rows the caller lays out by cols (e.g. uncertainty.h's
 * /uncertainty/... and /discovery, /contrasts): *rows (malloc'd, at least
 * one row allocated) holds *n rows of size bytes. A string column is read
 * NUL-padded to its str_len; the caller terminates it. */
int res_read_table(out_reader *r, const char *path, const out_column *cols, int ncols,
                   size_t size, void **rows, size_t *n, err *e);

/* The rows of point p in /replications of a result of model m: *rows
 * (malloc'd; NULL when there are none) holds *n rows of res_row_size(m)
 * bytes, in (rep) order, as res_pack lays them out. The file's rows are in
 * (point, rep) order (every writer's), so they are found by bisection
 * without reading the others. */
int res_read_replications(out_reader *r, const model_def *m, uint64_t p, unsigned char **rows,
                          size_t *n, err *e);

/* Rows [first, first + n) of /replications into rows (room for n rows of
 * res_row_size(m) bytes, the caller's), when the caller knows where a
 * point's rows are (unc_table.c: from the counts of its accumulators). */
int res_read_rows(out_reader *r, const model_def *m, uint64_t first, size_t n,
                  unsigned char *rows, err *e);

/* /histograms/<measure>: counts [point][bin] and, per point, the bins + 1
 * edges and the values below and above the range and not applicable. */
typedef struct res_histogram {
    size_t n_points, bins;
    uint64_t *counts;   /* [point * bins + bin] */
    double *edges;      /* [point * (bins + 1) + i] */
    double *below, *above, *missing;  /* [point] */
} res_histogram;

/* Reads the histogram of `measure`; h is zeroed first and released by
 * res_histogram_free. A measure without a histogram fails. */
int res_read_histogram(out_reader *r, const char *measure, res_histogram *h, err *e);
void res_histogram_free(res_histogram *h);

#endif
