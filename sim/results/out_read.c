/* out_read.c — reading a result file back (out.h): the rows and root
 * attributes that --resume and `reassure merge` need.
 *
 * Like the writer, nothing prints: HDF5's own error printing is off in
 * every call (main turns it off once for the process), and failures become
 * an err record naming the file. A file that cannot be opened is checked
 * for the usual reasons, so the message says "no such file", "truncated"
 * or "not an HDF5 file" rather than an HDF5 stack.
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
};

static int read_fail(err *e, const char *path, const char *what)
{
    return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s", what);
}

out_reader *out_read_open(const char *path, err *e)
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
    hid_t f = is > 0 ? H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT) : H5I_INVALID_HID;
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

void out_read_close(out_reader *r)
{
    if (r == NULL)
        return;
    H5Fclose(r->file);
    free(r->path);
    free(r);
}

int out_read_has_attr(out_reader *r, const char *name)
{
    return H5Aexists(r->file, name) > 0;
}

int out_read_attr_str(out_reader *r, const char *name, char **value, err *e)
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

int out_read_attr_i64(out_reader *r, const char *name, int64_t *value, err *e)
{
    hid_t a = H5Aexists(r->file, name) > 0 ? H5Aopen(r->file, name, H5P_DEFAULT) : -1;
    if (a < 0)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "the result has no attribute %s", name);
    int ok = H5Aread(a, H5T_NATIVE_INT64, value) >= 0;
    H5Aclose(a);
    if (!ok)
        return err_set(e, ERR_RUNTIME, r->path, 0, name, "cannot read attribute %s as a number",
                       name);
    return 0;
}

int64_t out_read_rows(out_reader *r, const char *path, err *e)
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

int out_read_table(out_reader *r, const char *path, const out_column *cols, int n_cols,
                   size_t row_size, uint64_t start, size_t n, void *rows, err *e)
{
    if (n == 0)
        return 0;
    hid_t d = H5Dopen2(r->file, path, H5P_DEFAULT);
    hid_t mt = d >= 0 ? out_compound_type(cols, n_cols, row_size, 0) : -1;
    hid_t fs = d >= 0 ? H5Dget_space(d) : -1;
    hsize_t off[1] = {start}, cnt[1] = {n};
    hid_t ms = H5Screate_simple(1, cnt, NULL);
    int ok = d >= 0 && mt >= 0 && fs >= 0 && ms >= 0 &&
             H5Sselect_hyperslab(fs, H5S_SELECT_SET, off, NULL, cnt, NULL) >= 0 &&
             H5Dread(d, mt, ms, fs, H5P_DEFAULT, rows) >= 0;
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
