/* out_read.c — reading a file back (out.h): tables, matrices and
 * attributes by path, for --resume, merge and results_read.c, which reads
 * a reassure result's groups through these.
 *
 * Like the writer, nothing prints: every public function turns HDF5's own
 * error printing off for its length (quiet_on/quiet_off), and failures
 * become an err record naming the file. A file that cannot be opened is
 * checked for the usual reasons, so the message says "no such file",
 * "truncated" or "not an HDF5 file" rather than an HDF5 stack.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "out_private.h"

struct out_reader {
    char *path;
    hid_t file;
    int borrowed;  /* the writer's file (out_read_writer): not ours to close */
    int sources;   /* the virtual table's source files: 0 not looked at, 1 all there */
};

static int read_fail(err *e, const char *path, const char *what)
{
    return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s", what);
}

static out_reader *read_open(const char *path, err *e)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        err_set(e, ERR_RUNTIME, path, 0, NULL, "cannot read the result: %s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        read_fail(e, path, "is a folder, not a result file");
        return NULL;
    }
    htri_t is = H5Fis_hdf5(path);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl >= 0 && out_fapl_no_lock(fapl) < 0) {
        H5Pclose(fapl);
        fapl = H5I_INVALID_HID;
    }
    hid_t f = is > 0 && fapl >= 0 ? H5Fopen(path, H5F_ACC_RDONLY, fapl) : H5I_INVALID_HID;
    if (fapl >= 0)
        H5Pclose(fapl);
    if (f < 0) {
        read_fail(e, path, is > 0 || st.st_size >= 8 ?
                  "not a readable HDF5 result (truncated or damaged?)" :
                  "not a readable HDF5 result (empty or not HDF5)");
        return NULL;
    }
    out_reader *r = calloc(1, sizeof *r);
    if (r == NULL || (r->path = strdup(path)) == NULL) {
        free(r);
        H5Fclose(f);
        read_fail(e, path, "out of memory");
        return NULL;
    }
    r->file = f;
    return r;
}

static int has_attr(out_reader *r, const char *name)
{
    return H5Aexists(r->file, name) > 0;
}

static int attr_str(out_reader *r, const char *name, char **value, err *e)
{
    *value = NULL;
    hid_t a = H5Aexists(r->file, name) > 0 ? H5Aopen(r->file, name, H5P_DEFAULT) : -1;
    if (a < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "the result has no attribute %s", name);
    hid_t ft = H5Aget_type(a);
    int rc = -1;
    if (ft >= 0 && H5Tget_class(ft) == H5T_STRING) {
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_cset(mt, H5Tget_cset(ft)); /* HDF5 converts no character sets */
        if (H5Tis_variable_str(ft) > 0) {
            char *v = NULL;
            H5Tset_size(mt, H5T_VARIABLE);
            if (H5Aread(a, mt, &v) >= 0 && v != NULL) {
                *value = strdup(v);
                H5free_memory(v);
                rc = *value ? 0 : -1;
            }
        } else {
            size_t n = H5Tget_size(ft);
            char *v = calloc(n + 1, 1);
            H5Tset_size(mt, n + 1);
            H5Tset_strpad(mt, H5T_STR_NULLTERM);
            if (v != NULL && H5Aread(a, mt, v) >= 0) {
                *value = v;
                rc = 0;
            } else {
                free(v);
            }
        }
        H5Tclose(mt);
    }
    if (ft >= 0)
        H5Tclose(ft);
    H5Aclose(a);
    if (rc < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "cannot read attribute %s as text", name);
    return 0;
}

static int attr_i64(out_reader *r, const char *obj, const char *name, int64_t *value,
                    err *e)
{
    hid_t a = H5Aexists_by_name(r->file, obj, name, H5P_DEFAULT) > 0
                  ? H5Aopen_by_name(r->file, obj, name, H5P_DEFAULT, H5P_DEFAULT) : -1;
    if (a < 0 && strcmp(obj, "/") == 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "the result has no attribute %s", name);
    if (a < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "%s has no attribute %s", obj, name);
    int ok = H5Aread(a, H5T_NATIVE_INT64, value) >= 0;
    H5Aclose(a);
    if (!ok)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "cannot read attribute %s as a number",
                       name);
    return 0;
}

static int64_t table_rows(out_reader *r, const char *path, err *e)
{
    hid_t d = H5Lexists(r->file, path + (path[0] == '/'), H5P_DEFAULT) > 0
                  ? H5Dopen2(r->file, path, H5P_DEFAULT) : -1;
    if (d < 0) {
        err_set(e, ERR_RUNTIME, r->path, 0, NULL, "the result has no table %s", path);
        return -1;
    }
    hid_t sp = H5Dget_space(d);
    hsize_t dims[1] = {0};
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
             H5Sget_simple_extent_dims(sp, dims, NULL) == 1;
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    if (!ok) {
        err_set(e, ERR_RUNTIME, r->path, 0, NULL, "%s is not a table", path);
        return -1;
    }
    return (int64_t)dims[0];
}

/* The memory type mt (which it consumes) with each string member in the
 * character set of the stored member of the same name: HDF5 converts no
 * character sets, so an ASCII buffer could not read a UTF-8 column. */
static hid_t in_stored_cset(hid_t d, hid_t mt)
{
    hid_t ft = H5Dget_type(d);
    int n = H5Tget_nmembers(mt);
    hid_t t = ft >= 0 && n >= 0 ? H5Tcreate(H5T_COMPOUND, H5Tget_size(mt)) : -1;
    for (int i = 0; t >= 0 && i < n; i++) {
        char *name = H5Tget_member_name(mt, (unsigned)i);
        hid_t m = H5Tget_member_type(mt, (unsigned)i);
        int fi = name ? H5Tget_member_index(ft, name) : -1;
        if (m >= 0 && fi >= 0 && H5Tget_class(m) == H5T_STRING) {
            hid_t fm = H5Tget_member_type(ft, (unsigned)fi);
            if (fm >= 0 && H5Tget_class(fm) == H5T_STRING)
                H5Tset_cset(m, H5Tget_cset(fm));
            if (fm >= 0)
                H5Tclose(fm);
        }
        if (m < 0 || name == NULL ||
            H5Tinsert(t, name, H5Tget_member_offset(mt, (unsigned)i), m) < 0) {
            H5Tclose(t);
            t = -1;
        }
        if (m >= 0)
            H5Tclose(m);
        H5free_memory(name);
    }
    if (ft >= 0)
        H5Tclose(ft);
    if (t < 0)
        return mt;
    H5Tclose(mt);
    return t;
}

/* A virtual table (rows written by several MPI ranks, results/result.h)
 * reads a missing source file as zeros, without an error: so every source
 * file is looked for once, beside the file, before its rows are read. */
static int sources_present(out_reader *r, hid_t d, const char *path, err *e)
{
    if (r->sources)
        return 0;
    hid_t dcpl = H5Dget_create_plist(d);
    size_t n = 0;
    int rc = 0, virtual = dcpl >= 0 && H5Pget_layout(dcpl) == H5D_VIRTUAL;
    if (virtual && H5Pget_virtual_count(dcpl, &n) >= 0) {
        char name[4096], last[4096] = ".", full[8300];
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (H5Pget_virtual_filename(dcpl, i, name, sizeof name) < 0)
                rc = err_set(e, ERR_RUNTIME, r->path, 0, NULL, "cannot read the sources of %s", path);
            else if (strcmp(name, last) != 0) {
                struct stat st;
                if (name[0] == '/')
                    snprintf(full, sizeof full, "%s", name);
                else
                    out_beside(r->path, name, full, sizeof full);
                if (stat(full, &st) != 0)
                    rc = err_set(e, ERR_INPUT, r->path, 0, NULL,
                                 "its rows (%s) are in %s, which is missing: a result written "
                                 "by several MPI ranks keeps them in the folder beside it, and "
                                 "the two go together", path, full);
                snprintf(last, sizeof last, "%s", name);
            }
        }
    }
    if (dcpl >= 0)
        H5Pclose(dcpl);
    r->sources = virtual && rc == 0; /* a result has one virtual table, /replications */
    return rc;
}

static int read_table(out_reader *r, const char *path, const out_column *cols, int n_cols,
                      size_t row_size, uint64_t start, size_t n, void *rows, err *e)
{
    if (n == 0)
        return 0;
    hid_t d = H5Dopen2(r->file, path, H5P_DEFAULT);
    if (d >= 0 && sources_present(r, d, path, e) < 0) {
        H5Dclose(d);
        return -1;
    }
    hid_t mt = d >= 0 ? out_compound_type(cols, n_cols, row_size, 0) : -1;
    if (mt >= 0)
        mt = in_stored_cset(d, mt);
    hid_t fs = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t off[1] = {start}, cnt[1] = {n};
    hid_t ms = H5Screate_simple(1, cnt, NULL);
    hid_t dxpl = out_transfer_list();
    int ok = d >= 0 && mt >= 0 && fs >= 0 && ms >= 0 && dxpl >= 0 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) >= 0 &&
             H5Dread(d, mt, ms, fs, dxpl, rows) >= 0;
    if (dxpl >= 0)
        H5Pclose(dxpl);
    if (ms >= 0)
        H5Sclose(ms);
    if (fs >= 0)
        H5Sclose(fs);
    if (mt >= 0)
        H5Tclose(mt);
    if (d >= 0)
        H5Dclose(d);
    if (!ok)
        return err_set(e, ERR_RUNTIME, r->path, 0, NULL,
                       "cannot read rows %llu to %llu of %s (truncated or damaged?)",
                       (unsigned long long)start, (unsigned long long)(start + n), path);
    return 0;
}

/* 1 when every link of path ("/a/b") exists: H5Lexists wants its parents
 * to exist. */
static int exists(out_reader *r, const char *path)
{
    char buf[512];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
        return 0;
    for (char *p = buf + 1; ; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (p > buf + 1 && H5Lexists(r->file, buf, H5P_DEFAULT) <= 0)
            return 0;
        if (c == '\0')
            return 1;
        *p = c;
    }
}

static int attr_f64_array(out_reader *r, const char *obj, const char *name, double *values,
                          size_t n, err *e)
{
    hid_t a = H5Aexists_by_name(r->file, obj, name, H5P_DEFAULT) > 0
                  ? H5Aopen_by_name(r->file, obj, name, H5P_DEFAULT, H5P_DEFAULT) : -1;
    if (a < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "%s has no attribute %s", obj, name);
    hid_t sp = H5Aget_space(a);
    hssize_t have = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    int ok = have == (hssize_t)n && (n == 0 || H5Aread(a, H5T_NATIVE_DOUBLE, values) >= 0);
    if (sp >= 0)
        H5Sclose(sp);
    H5Aclose(a);
    if (!ok)
        return err_set(e, ERR_RUNTIME, r->path, 0, name,
                       "cannot read attribute %s of %s as %zu numbers", name, obj, n);
    return 0;
}

/* The out_type of a stored member, or -1 for one reassure never writes. */
static int column_type(hid_t mt, size_t *str_len)
{
    size_t size = H5Tget_size(mt);
    *str_len = 0;
    switch (H5Tget_class(mt)) {
    case H5T_STRING:
        *str_len = size;
        return OUT_STR;
    case H5T_ENUM:
        return OUT_ENUM;
    case H5T_FLOAT:
        return OUT_F64;
    case H5T_INTEGER:
        if (H5Tget_sign(mt) == H5T_SGN_NONE)
            return size <= 4 ? OUT_U32 : OUT_U64;
        return size <= 4 ? OUT_I32 : OUT_I64;
    default:
        return -1;
    }
}

static int columns(out_reader *r, const char *path, out_column *cols,
                   char (*names)[OUT_NAME_LEN], int max, err *e)
{
    hid_t d = exists(r, path) ? H5Dopen2(r->file, path, H5P_DEFAULT) : -1;
    if (d < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, NULL, "the result has no table %s", path);
    hid_t ft = H5Dget_type(d);
    int n = ft >= 0 && H5Tget_class(ft) == H5T_COMPOUND ? H5Tget_nmembers(ft) : -1;
    for (int i = 0; i < n && i < max; i++) {
        char *name = H5Tget_member_name(ft, (unsigned)i);
        hid_t mt = H5Tget_member_type(ft, (unsigned)i);
        size_t len = 0;
        int type = mt >= 0 ? column_type(mt, &len) : -1;
        if (name == NULL || type < 0)
            n = -1;
        else {
            snprintf(names[i], OUT_NAME_LEN, "%s", name);
            cols[i] = (out_column){.name = names[i], .type = (out_type)type, .str_len = len};
        }
        if (mt >= 0)
            H5Tclose(mt);
        H5free_memory(name);
    }
    if (ft >= 0)
        H5Tclose(ft);
    H5Dclose(d);
    if (n < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, NULL, "%s is not a table of known columns",
                       path);
    return n;
}

static int matrix(out_reader *r, const char *path, size_t *rows, size_t *cols, void **data,
                  int f64, err *e)
{
    *rows = *cols = 0;
    *data = NULL;
    hid_t d = exists(r, path) ? H5Dopen2(r->file, path, H5P_DEFAULT) : -1;
    if (d < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, NULL, "the result has no matrix %s", path);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2] = {0, 0};
    int ok = sp >= 0 && H5Sget_simple_extent_ndims(sp) == 2 &&
             H5Sget_simple_extent_dims(sp, dims, NULL) == 2;
    size_t n = ok ? (size_t)(dims[0] * dims[1]) : 0;
    if (ok && n > 0) {
        *data = malloc(n * 8);
        ok = *data != NULL && H5Dread(d, f64 ? H5T_NATIVE_DOUBLE : H5T_NATIVE_UINT64, H5S_ALL,
                                      H5S_ALL, H5P_DEFAULT, *data) >= 0;
    }
    if (sp >= 0)
        H5Sclose(sp);
    H5Dclose(d);
    if (!ok) {
        free(*data);
        *data = NULL;
        return err_set(e, ERR_RUNTIME, r->path, 0, NULL, "cannot read %s as a matrix", path);
    }
    *rows = (size_t)dims[0];
    *cols = (size_t)dims[1];
    return 0;
}

/* ---- the public functions: each with HDF5's printing off ---------------- */

out_reader *out_read_open(const char *path, err *e)
{
    quiet q = quiet_on();
    out_reader *r = read_open(path, e);
    quiet_off(q);
    return r;
}

void out_read_close(out_reader *r)
{
    if (r == NULL)
        return;
    if (!r->borrowed) {
        quiet q = quiet_on();
        H5Fclose(r->file);
        quiet_off(q);
    }
    free(r->path);
    free(r);
}

out_reader *out_read_writer(out_file *o, err *e)
{
    out_reader *r = calloc(1, sizeof *r);
    if (r == NULL || (r->path = strdup(out_temp_path(o))) == NULL) {
        free(r);
        err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    r->file = out_file_hid(o);
    r->borrowed = 1;
    return r;
}

const char *out_read_path(const out_reader *r)
{
    return r->path;
}

int out_read_has_attr(out_reader *r, const char *name)
{
    quiet q = quiet_on();
    int rc = has_attr(r, name);
    quiet_off(q);
    return rc;
}

int out_read_attr_str(out_reader *r, const char *name, char **value, err *e)
{
    quiet q = quiet_on();
    int rc = attr_str(r, name, value, e);
    quiet_off(q);
    return rc;
}

int out_read_attr_i64(out_reader *r, const char *name, int64_t *value, err *e)
{
    quiet q = quiet_on();
    int rc = attr_i64(r, "/", name, value, e);
    quiet_off(q);
    return rc;
}

int out_read_attr_f64(out_reader *r, const char *name, double *value, err *e)
{
    quiet q = quiet_on();
    hid_t a = H5Aexists(r->file, name) > 0 ? H5Aopen(r->file, name, H5P_DEFAULT) : -1;
    int rc = a < 0 ? err_set(e, ERR_RUNTIME, r->path, 0, name, "the result has no attribute %s",
                             name)
             : H5Aread(a, H5T_NATIVE_DOUBLE, value) < 0
                 ? err_set(e, ERR_RUNTIME, r->path, 0, name,
                           "cannot read attribute %s as a number", name)
                 : 0;
    if (a >= 0)
        H5Aclose(a);
    quiet_off(q);
    return rc;
}

int out_read_exists(out_reader *r, const char *path)
{
    quiet q = quiet_on();
    int rc = exists(r, path);
    quiet_off(q);
    return rc;
}

int out_read_obj_attr_i64(out_reader *r, const char *obj, const char *name, int64_t *value,
                          err *e)
{
    quiet q = quiet_on();
    int rc = attr_i64(r, obj, name, value, e);
    quiet_off(q);
    return rc;
}

int out_read_obj_attr_f64_array(out_reader *r, const char *obj, const char *name,
                                double *values, size_t n, err *e)
{
    quiet q = quiet_on();
    int rc = attr_f64_array(r, obj, name, values, n, e);
    quiet_off(q);
    return rc;
}

int64_t out_read_rows(out_reader *r, const char *path, err *e)
{
    quiet q = quiet_on();
    int64_t n = table_rows(r, path, e);
    quiet_off(q);
    return n;
}

int out_read_columns(out_reader *r, const char *path, out_column *cols,
                     char (*names)[OUT_NAME_LEN], int max, err *e)
{
    quiet q = quiet_on();
    int n = columns(r, path, cols, names, max, e);
    quiet_off(q);
    return n;
}

int out_read_table(out_reader *r, const char *path, const out_column *cols, int n_cols,
                   size_t row_size, uint64_t start, size_t n, void *rows, err *e)
{
    quiet q = quiet_on();
    int rc = read_table(r, path, cols, n_cols, row_size, start, n, rows, e);
    quiet_off(q);
    return rc;
}

int out_read_u64_matrix(out_reader *r, const char *path, size_t *rows, size_t *cols,
                        uint64_t **data, err *e)
{
    quiet q = quiet_on();
    void *v = NULL;
    int rc = matrix(r, path, rows, cols, &v, 0, e);
    *data = v;
    quiet_off(q);
    return rc;
}

/* ---- the library ---------------------------------------------------------- */

void out_library_version(unsigned *major, unsigned *minor, unsigned *release)
{
    H5get_libversion(major, minor, release);
}

void out_library_quiet(void)
{
    /* Before any other HDF5 call: no teardown at exit. Every file of ours
     * is closed explicitly (commit, abort, reader close); the one HDF5
     * cannot close — after a flush failed on a full disk, HDF5 1.10.8's
     * metadata cache refuses every later close — made the teardown crash
     * (H5F__close_cb, exit 139) instead of exiting 1 with the message. */
    H5dont_atexit();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

int out_read_f64_matrix(out_reader *r, const char *path, size_t *rows, size_t *cols,
                        double **data, err *e)
{
    quiet q = quiet_on();
    void *v = NULL;
    int rc = matrix(r, path, rows, cols, &v, 1, e);
    *data = v;
    quiet_off(q);
    return rc;
}
