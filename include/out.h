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

/* Leaves no trace of a dead run beside `path`: when no live run holds the
 * output's lock, removes its stale temporaries and the lock file (a run
 * killed after its final rename, before it dropped the lock, leaves the
 * lock file; --resume of the complete result then has nothing to write,
 * but tidies). Failures are ignored: it is only disk space. */
void out_tidy(const char *path);

/* Opens a temporary file beside `path`. Fails (ERR_RUNTIME, naming the path)
 * when the folder is missing or unwritable or `path` is a folder, or when
 * another process holds the lock ".<name>.lock" beside it. Holding the
 * lock, it removes the ".<name>.tmp.XXXXXX" files a dead run left. */
out_file *out_create(const char *path, err *e);

/* Renames the temporary file onto the target path after closing it; on any
 * failure the temporary file is removed and the target left as it was.
 * Releases the handle either way. */
int out_commit(out_file *o, err *e);

/* A checkpoint: commits what is written so far, as out_commit does, to
 * `to` (NULL: the target; else a path in the same folder), then goes on in
 * a new empty temporary file under the same lock (the caller writes the
 * file afresh: tables are closed, their ids void). On failure the handle
 * is still released only by out_abort, and what stood under the name
 * committed to is untouched. */
int out_checkpoint(out_file *o, const char *to, err *e);

/* Commits to path instead of the name out_create was given (the same
 * folder: the rename stays atomic); for a run interrupted while a complete
 * result stands under that name. */
int out_retarget(out_file *o, const char *path, err *e);

/* Closes and removes the temporary file; the target is untouched. Releases
 * the handle. Safe on NULL. */
void out_abort(out_file *o);

/* Path of the temporary file (for messages and tests). */
const char *out_temp_path(const out_file *o);

/* 1 when paths a and b name the same existing file (the same inode). */
int out_same_file(const char *a, const char *b);

/* Path of the lock file beside the target (NULL when there is none). */
const char *out_lock_path(const out_file *o);

/* Something the caller should tell the user (NULL: nothing): the
 * filesystem has no file locks (flock fails with ENOSYS, ENOLCK or
 * EOPNOTSUPP), so the output is written without one. */
const char *out_warning(const out_file *o);

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

/* "name" in the folder of path ("dir/name"; "./name" when path has no
 * folder) into buf; -1 when it does not fit. */
int out_beside(const char *path, const char *name, char *buf, size_t size);

/* Removes a folder of plain files (a run's temporary folder): its files,
 * then the folder; what cannot be removed stays. */
void out_remove_folder(const char *path);

/* Renames the object at `from` to `to` in the file (an open table keeps
 * its id). */
int out_move(out_file *o, const char *from, const char *to, err *e);

/* One piece of a virtual table: rows [src_off, src_off + count) of the
 * table `dset` (src_rows long) in the file `file` (relative to this file's
 * folder; "." is this file) become rows [dst_off, dst_off + count). */
typedef struct out_vmap {
    const char *file;
    const char *dset;
    uint64_t src_rows, src_off, dst_off, count;
} out_vmap;

/* A table of `rows` rows at `path` whose rows are other tables' (an HDF5
 * virtual dataset): a reader reads it as one table. Its columns are as
 * out_table_create's; every row must be covered by one piece. */
int out_virtual_table(out_file *o, const char *path, const out_column *cols, int n_cols,
                      size_t row_size, uint64_t rows, const out_vmap *maps, size_t n_maps,
                      err *e);

/* Writes a 2-D uint64 dataset [rows][cols] at `path` (groups created),
 * chunked and compressed. */
int out_u64_matrix(out_file *o, const char *path, const uint64_t *data,
                   size_t rows, size_t cols, err *e);

/* The same of doubles (IEEE little-endian in the file). */
int out_f64_matrix(out_file *o, const char *path, const double *data, size_t rows, size_t cols,
                   err *e);

/* ---- reading a file back (out_read.c) --------------------------------- */

/* The generic reading side: tables, matrices and attributes by path, with
 * no knowledge of what a reassure result holds (results_read.h reads its
 * groups through these). Every function that can fail fills e with
 * ERR_RUNTIME naming the file; none prints (HDF5's error printing is off
 * for the length of each call).
 *
 * Ownership: out_read_open's handle is released by out_read_close; strings
 * and arrays these functions allocate are the caller's to free(); arrays
 * passed in stay the caller's. Thread-safety: as for the writer, one
 * thread at a time for every reader and writer of the process (HDF5). */

typedef struct out_reader out_reader;

/* Opens an existing result read-only. A missing, truncated or non-HDF5
 * file fails with ERR_RUNTIME naming the path and saying which. */
out_reader *out_read_open(const char *path, err *e);
void out_read_close(out_reader *r);

/* A reader of the file o is writing, as written so far (the same HDF5
 * file, not reopened): what res_finish reads back of /replications to
 * compare options. Close it with out_read_close before o is committed. */
out_reader *out_read_writer(out_file *o, err *e);

/* The path the reader was opened on. */
const char *out_read_path(const out_reader *r);

/* 1 when the root attribute exists. */
int out_read_has_attr(out_reader *r, const char *name);

/* A root attribute: a string (malloc'd, the caller frees) or an integer.
 * A missing attribute fails, naming it. */
int out_read_attr_str(out_reader *r, const char *name, char **value, err *e);
int out_read_attr_i64(out_reader *r, const char *name, int64_t *value, err *e);
int out_read_attr_f64(out_reader *r, const char *name, double *value, err *e);

/* 1 when an object (table, matrix or group) exists at `path` ("/a/b"),
 * 0 when it does not. */
int out_read_exists(out_reader *r, const char *path);

/* An attribute of the object at `obj` ("/" for the root): an integer, or
 * an array of exactly n doubles (a different length fails). */
int out_read_obj_attr_i64(out_reader *r, const char *obj, const char *name, int64_t *value,
                          err *e);
int out_read_obj_attr_f64_array(out_reader *r, const char *obj, const char *name,
                                double *values, size_t n, err *e);

/* Rows of the table at `path`, or -1 (e filled). */
int64_t out_read_rows(out_reader *r, const char *path, err *e);

/* The columns of the compound table at `path`, in their stored order:
 * up to `max` of them into cols (name, and type: OUT_STR with str_len the
 * stored length, OUT_ENUM without names, an integer as OUT_I32, OUT_I64,
 * OUT_U32 or OUT_U64, a float as OUT_F64; offset 0). Each name is copied
 * into names[i] (truncated to OUT_NAME_LEN - 1 characters) and cols[i].name
 * points there. Returns the number of columns (which may exceed max: only
 * max are filled), or -1. */
enum { OUT_NAME_LEN = 128 };
int out_read_columns(out_reader *r, const char *path, out_column *cols,
                     char (*names)[OUT_NAME_LEN], int max, err *e);

/* Reads rows [start, start + n) of a compound table into the caller's rows
 * described as for out_table_create (HDF5 converts by member name, numbers
 * to the type asked for; a string is read in the character set it was
 * stored in, NUL-padded to str_len). */
int out_read_table(out_reader *r, const char *path, const out_column *cols, int n_cols,
                   size_t row_size, uint64_t start, size_t n, void *rows, err *e);

/* A 2-D uint64 dataset (out_u64_matrix): its dimensions and a malloc'd
 * copy of its values, row-major (NULL when empty). */
int out_read_u64_matrix(out_reader *r, const char *path, size_t *rows, size_t *cols,
                        uint64_t **data, err *e);
int out_read_f64_matrix(out_reader *r, const char *path, size_t *rows, size_t *cols,
                        double **data, err *e);

/* ---- the library itself ------------------------------------------------- */

/* The HDF5 library's version (for --version). */
void out_library_version(unsigned *major, unsigned *minor, unsigned *release);

/* Turns HDF5's automatic error printing off for the process (the thread,
 * in a thread-safe HDF5 build): main calls it once before any thread
 * starts, so that only main prints. The functions of this header never
 * print either way. It also turns off HDF5's teardown at exit (it must
 * be the first HDF5 call): a file left unclosable by a full disk crashed
 * it (exit 139). */
void out_library_quiet(void);

#endif
