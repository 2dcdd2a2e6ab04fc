/* results_read.c — the groups of a reassure result read back
 * (results_read.h), through out.h's generic reader: this file knows the
 * layout, out_read.c knows HDF5. */
#include "results_read.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

enum { MAX_POINT_COLS = 1 + 64 };

static int no_memory(out_reader *r, err *e)
{
    return err_set(e, ERR_RUNTIME, out_read_path(r), 0, NULL, "out of memory");
}

/* ---- /points ---------------------------------------------------------------- */

void res_points_free(res_points *pts)
{
    free(pts->key);
    free(pts->is_text);
    free(pts->value);
    free(pts->text);
    memset(pts, 0, sizeof *pts);
}

const char *res_points_text(const res_points *pts, size_t p, size_t j)
{
    return pts->text + (p * pts->n_keys + j) * pts->text_len;
}

/* Key j's column into pts: one member read by name (HDF5 converts). */
static int read_key(out_reader *r, res_points *pts, size_t j, size_t str_len, void *buf,
                    err *e)
{
    size_t np = pts->n_points, nk = pts->n_keys;
    out_column c = {.name = pts->key[j], .type = OUT_F64, .offset = 0};
    if (pts->is_text[j]) {
        c.type = OUT_STR;
        c.str_len = str_len + 1; /* NUL-padded: always terminated */
        if (out_read_table(r, "/points", &c, 1, c.str_len, 0, np, buf, e) < 0)
            return -1;
        for (size_t p = 0; p < np; p++) {
            pts->value[p * nk + j] = NAN;
            memcpy(pts->text + (p * nk + j) * pts->text_len, (char *)buf + p * c.str_len,
                   c.str_len);
        }
        return 0;
    }
    if (out_read_table(r, "/points", &c, 1, sizeof(double), 0, np, buf, e) < 0)
        return -1;
    for (size_t p = 0; p < np; p++)
        pts->value[p * nk + j] = ((double *)buf)[p];
    return 0;
}

int res_read_points(out_reader *r, res_points *pts, err *e)
{
    memset(pts, 0, sizeof *pts);
    out_column cols[MAX_POINT_COLS];
    char names[MAX_POINT_COLS][OUT_NAME_LEN];
    int nc = out_read_columns(r, "/points", cols, names, MAX_POINT_COLS, e);
    int64_t np = nc < 0 ? -1 : out_read_rows(r, "/points", e);
    if (np < 0)
        return -1;
    if (nc > MAX_POINT_COLS)
        return err_set(e, ERR_RUNTIME, out_read_path(r), 0, NULL,
                       "/points has %d columns, more than the %d a result can have", nc,
                       MAX_POINT_COLS);
    size_t nk = nc > 1 ? (size_t)(nc - 1) : 0, str_len = 0;
    for (size_t j = 0; j < nk; j++)
        if (cols[j + 1].type == OUT_STR && cols[j + 1].str_len > str_len)
            str_len = cols[j + 1].str_len;
    pts->n_points = (size_t)np;
    pts->n_keys = nk;
    pts->text_len = str_len + 1;
    size_t cells = pts->n_points * nk;
    pts->key = calloc(nk ? nk : 1, sizeof *pts->key);
    pts->is_text = calloc(nk ? nk : 1, sizeof *pts->is_text);
    pts->value = calloc(cells ? cells : 1, sizeof *pts->value);
    pts->text = calloc(cells ? cells : 1, pts->text_len);
    size_t width = str_len + 1 > sizeof(double) ? str_len + 1 : sizeof(double);
    void *buf = calloc(pts->n_points ? pts->n_points : 1, width);
    int rc = 0;
    if (!pts->key || !pts->is_text || !pts->value || !pts->text || !buf)
        rc = no_memory(r, e);
    for (size_t j = 0; rc == 0 && j < nk; j++) {
        memcpy(pts->key[j], names[j + 1], OUT_NAME_LEN);
        pts->is_text[j] = cols[j + 1].type == OUT_STR;
        rc = read_key(r, pts, j, cols[j + 1].str_len, buf, e);
    }
    free(buf);
    if (rc < 0)
        res_points_free(pts);
    return rc;
}

/* ---- /summary and /sensitivity ------------------------------------------------ */

/* Reads all of table path into a fresh array of nr rows of size bytes each
 * (at least one row allocated, so an empty table is not NULL). */
static void *read_whole_table(out_reader *r, const char *path, const out_column *cols, int ncols,
                              size_t size, int64_t *nr, err *e)
{
    *nr = out_read_rows(r, path, e);
    if (*nr < 0)
        return NULL;
    void *rows = calloc(*nr ? (size_t)*nr : 1, size);
    if (rows == NULL) {
        no_memory(r, e);
        return NULL;
    }
    if (out_read_table(r, path, cols, ncols, size, 0, (size_t)*nr, rows, e) < 0) {
        free(rows);
        return NULL;
    }
    return rows;
}

int res_read_table(out_reader *r, const char *path, const out_column *cols, int ncols,
                   size_t size, void **rows, size_t *n, err *e)
{
    int64_t nr;
    *rows = read_whole_table(r, path, cols, ncols, size, &nr, e);
    *n = *rows != NULL ? (size_t)nr : 0;
    return *rows != NULL ? 0 : -1;
}

int res_read_summary(out_reader *r, summary_row **rows, size_t *n, err *e)
{
    *rows = NULL;
    *n = 0;
    int64_t nr;
    summary_row *s = read_whole_table(r, "/summary", res_summary_columns, RES_SUMMARY_COLUMNS,
                                      sizeof *s, &nr, e);
    if (s == NULL)
        return -1;
    for (int64_t i = 0; i < nr; i++)
        s[i].name[sizeof s[i].name - 1] = '\0';
    *rows = s;
    *n = (size_t)nr;
    return 0;
}

int res_read_sensitivity(out_reader *r, sens_row **rows, size_t *n, int64_t *samples, err *e)
{
    *rows = NULL;
    *n = 0;
    *samples = 0;
    int64_t nr;
    sens_row *s = read_whole_table(r, "/sensitivity", sens_columns, SENS_COLUMNS, sizeof *s,
                                   &nr, e);
    if (s == NULL)
        return -1;
    for (int64_t i = 0; i < nr; i++) {
        s[i].output[SENS_OUTPUT_LEN - 1] = '\0';
        s[i].parameter[SENS_PARAMETER_LEN - 1] = '\0';
    }
    err ignore; /* the attribute is optional */
    if (out_read_obj_attr_i64(r, "/sensitivity", "samples", samples, &ignore) < 0)
        *samples = 0;
    *rows = s;
    *n = (size_t)nr;
    return 0;
}

/* ---- /replications -------------------------------------------------------------- */

/* The first row at or after `from` whose point is >= p, in [from, hi]. */
static int first_at_or_after(out_reader *r, uint64_t p, uint64_t from, uint64_t hi,
                             uint64_t *at, err *e)
{
    static const out_column point = {"point", OUT_U32, 0, 0, NULL, 0};
    uint64_t lo = from;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        uint32_t got;
        if (out_read_table(r, "/replications", &point, 1, sizeof got, mid, 1, &got, e) < 0)
            return -1;
        if (got < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    *at = lo;
    return 0;
}

int res_read_replications(out_reader *r, const model_def *m, uint64_t p, unsigned char **rows,
                          size_t *n, err *e)
{
    *rows = NULL;
    *n = 0;
    out_column cols[RES_MAX_COLS];
    int nc = res_columns(m, cols);
    if (nc < 0)
        return err_set(e, ERR_RUNTIME, out_read_path(r), 0, NULL,
                       "model %s has too many measures", m->name);
    int64_t total = out_read_rows(r, "/replications", e);
    if (total < 0)
        return -1;
    uint64_t lo, hi;
    if (first_at_or_after(r, p, 0, (uint64_t)total, &lo, e) < 0 ||
        first_at_or_after(r, p + 1, lo, (uint64_t)total, &hi, e) < 0)
        return -1;
    if (hi == lo)
        return 0;
    size_t stride = res_row_size(m), count = (size_t)(hi - lo);
    unsigned char *buf = calloc(count, stride); /* the gaps between members zeroed */
    if (buf == NULL)
        return no_memory(r, e);
    if (out_read_table(r, "/replications", cols, nc, stride, lo, count, buf, e) < 0) {
        free(buf);
        return -1;
    }
    *rows = buf;
    *n = count;
    return 0;
}

int res_read_rows(out_reader *r, const model_def *m, uint64_t first, size_t n,
                  unsigned char *rows, err *e)
{
    out_column cols[RES_MAX_COLS];
    int nc = res_columns(m, cols);
    if (nc < 0)
        return err_set(e, ERR_RUNTIME, out_read_path(r), 0, NULL,
                       "model %s has too many measures", m->name);
    return n == 0 ? 0 : out_read_table(r, "/replications", cols, nc, res_row_size(m), first, n,
                                       rows, e);
}

/* ---- /histograms ------------------------------------------------------------------ */

void res_histogram_free(res_histogram *h)
{
    free(h->counts);
    free(h->edges);
    free(h->below);
    free(h->above);
    free(h->missing);
    memset(h, 0, sizeof *h);
}

int res_read_histogram(out_reader *r, const char *measure, res_histogram *h, err *e)
{
    memset(h, 0, sizeof *h);
    char path[OUT_NAME_LEN + 16];
    snprintf(path, sizeof path, "/histograms/%s", measure);
    if (out_read_u64_matrix(r, path, &h->n_points, &h->bins, &h->counts, e) < 0)
        return -1;
    size_t np = h->n_points ? h->n_points : 1;
    h->edges = malloc(np * (h->bins + 1) * sizeof *h->edges);
    h->below = malloc(np * sizeof *h->below);
    h->above = malloc(np * sizeof *h->above);
    h->missing = malloc(np * sizeof *h->missing);
    int rc = h->edges && h->below && h->above && h->missing ? 0 : no_memory(r, e);
    /* The edges are /histogram_edges/<measure>; a file of 0.2.0 or before
     * has them as the counts' attribute `edges`. */
    char epath[OUT_NAME_LEN + 24];
    snprintf(epath, sizeof epath, "/histogram_edges/%s", measure);
    if (rc == 0 && out_read_exists(r, epath)) {
        size_t er = 0, ec = 0;
        double *edges = NULL;
        rc = out_read_f64_matrix(r, epath, &er, &ec, &edges, e);
        if (rc == 0 && (er != h->n_points || ec != h->bins + 1))
            rc = err_set(e, ERR_RUNTIME, out_read_path(r), 0, NULL,
                         "%s is %zu x %zu, its counts %zu x %zu", epath, er, ec, h->n_points,
                         h->bins);
        if (rc == 0 && er * ec > 0)
            memcpy(h->edges, edges, er * ec * sizeof *edges);
        free(edges);
    } else if (rc == 0 && out_read_obj_attr_f64_array(r, path, "edges", h->edges,
                                                      h->n_points * (h->bins + 1), e) < 0) {
        rc = -1;
    }
    if (rc == 0 &&
        (out_read_obj_attr_f64_array(r, path, "below_range", h->below, h->n_points, e) < 0 ||
         out_read_obj_attr_f64_array(r, path, "above_range", h->above, h->n_points, e) < 0 ||
         out_read_obj_attr_f64_array(r, path, "not_applicable", h->missing, h->n_points, e) < 0))
        rc = -1;
    if (rc < 0)
        res_histogram_free(h);
    return rc;
}
