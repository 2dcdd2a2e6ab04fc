/* out.h — the HDF5 results file.
 *
 * A result is written to a temporary file in the target folder
 * (".<name>.tmp.XXXXXX") and renamed onto the target only by out_commit(), so
 * a failed or aborted run leaves no partial file and never replaces an
 * earlier result. The writer knows nothing of models or scenarios: callers
 * describe tables as columns of packed C rows (name, type, byte offset),
 * and the writer turns them into HDF5 compound datasets that are chunked,
 * shuffled and deflate-compressed, and extendible so that rows are appended
 * in blocks (memory does not grow with the number of rows).
 *
 * Ownership: out_create's handle is released by exactly one of out_commit or
 * out_abort. Strings passed in are copied. Thread-safety: one thread at a
 * time per handle (HDF5 itself is not thread-safe here; call it from one
 * thread only).
 */
#ifndef REASSURE_OUT_H
#define REASSURE_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct out_file out_file;

typedef enum out_type {
    OUT_I32,  /* int32_t */
    OUT_I64,  /* int64_t */
    OUT_U32,  /* uint32_t */
    OUT_U64,  /* uint64_t */
    OUT_F64,  /* double */
    OUT_STR,  /* char[str_len], NUL-padded, stored as a fixed-length string */
    OUT_ENUM  /* int32_t code, stored as an HDF5 enum of enum_names */
} out_type;

typedef struct out_column {
    const char *name;
    out_type type;
    size_t offset;                 /* byte offset in the caller's row */
    size_t str_len;                /* OUT_STR only */
    const char *const *enum_names; /* OUT_ENUM only: code i is enum_names[i] */
    int n_enum;                    /* OUT_ENUM only */
} out_column;

/* Opens a temporary file beside `path`. Fails (ERR_RUNTIME, naming the path)
 * when the folder is missing or unwritable or `path` is a folder. */
out_file *out_create(const char *path, err *e);

/* Renames the temporary file onto the target path after closing it; on any
 * failure the temporary file is removed and the target left as it was.
 * Releases the handle either way. */
int out_commit(out_file *o, err *e);

/* Closes and removes the temporary file; the target is untouched. Releases
 * the handle. Safe on NULL. */
void out_abort(out_file *o);

/* Path of the temporary file (for messages and tests). */
const char *out_temp_path(const out_file *o);

/* 1 when paths a and b name the same existing file (the same inode). */
int out_same_file(const char *a, const char *b);

/* Path of the lock file beside the target (NULL when there is none). */
const char *out_lock_path(const out_file *o);

/* Attributes on an object: "/" for the root, or a dataset or group path
 * that already exists. A string attribute may be any length (scenario
 * text). An attribute that exists is replaced. */
int out_attr_str(out_file *o, const char *obj, const char *name, const char *value, err *e);
int out_attr_i64(out_file *o, const char *obj, const char *name, int64_t value, err *e);
int out_attr_f64(out_file *o, const char *obj, const char *name, double value, err *e);
int out_attr_f64_array(out_file *o, const char *obj, const char *name,
                       const double *values, size_t n, err *e);

/* Creates an empty, extendible compound table at `path` (intermediate groups
 * are created). row_size is the caller's row stride; chunk_rows the HDF5 chunk
 * size in rows (> 0). Returns a table id >= 0, or -1. */
int out_table_create(out_file *o, const char *path, const out_column *cols, int n_cols,
                     size_t row_size, size_t chunk_rows, err *e);

/* Appends n rows (packed with the stride given at creation). */
int out_table_append(out_file *o, int table, const void *rows, size_t n, err *e);

/* Rows appended to a table so far. */
uint64_t out_table_rows(const out_file *o, int table);

/* Writes a 2-D uint64 dataset [rows][cols] at `path` (groups created),
 * chunked and compressed. */
int out_u64_matrix(out_file *o, const char *path, const uint64_t *data,
                   size_t rows, size_t cols, err *e);

/* ---- reading a result back (out_read.c): --resume and merge ----------- */

typedef struct out_reader out_reader;

/* Opens an existing result read-only. A missing, truncated or non-HDF5
 * file fails with ERR_RUNTIME naming the path and saying which. */
out_reader *out_read_open(const char *path, err *e);
void out_read_close(out_reader *r);

/* 1 when the root attribute exists. */
int out_read_has_attr(out_reader *r, const char *name);

/* A root attribute: a string (malloc'd, the caller frees) or an integer.
 * A missing attribute fails, naming it. */
int out_read_attr_str(out_reader *r, const char *name, char **value, err *e);
int out_read_attr_i64(out_reader *r, const char *name, int64_t *value, err *e);

/* Rows of the table at `path`, or -1 (e filled). */
int64_t out_read_rows(out_reader *r, const char *path, err *e);

/* Reads rows [start, start + n) of a compound table into the caller's rows
 * described as for out_table_create (HDF5 converts by member name). */
int out_read_table(out_reader *r, const char *path, const out_column *cols, int n_cols,
                   size_t row_size, uint64_t start, size_t n, void *rows, err *e);

#endif
