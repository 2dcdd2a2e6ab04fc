/* export.c — a table of a result as tidy CSV (report.h: report_export),
 * for R, pandas and spreadsheets: one observation per row, the swept
 * values of its point on every row, outcomes by name, every digit kept.
 * Reads through the results reader; /replications point by point. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "out.h"
#include "report.h"
#include "result.h"
#include "results_read.h"

static void number(FILE *f, double v)
{
    if (isnan(v))
        fputs("NA", f);
    else
        fprintf(f, "%.17g", v);
}

static void field(FILE *f, const char *s)
{
    report_csv_field(s, f);
}

static void point_cells(FILE *f, const res_points *pts, size_t p)
{
    fprintf(f, "%zu", p);
    for (size_t j = 0; j < pts->n_keys; j++) {
        fputc(',', f);
        if (pts->is_text[j])
            field(f, res_points_text(pts, p, j));
        else
            number(f, pts->value[p * pts->n_keys + j]);
    }
}

static void point_header(FILE *f, const res_points *pts)
{
    fputs("point", f);
    for (size_t j = 0; j < pts->n_keys; j++) {
        fputc(',', f);
        field(f, pts->key[j]);
    }
}

static int export_summary(out_reader *r, const res_points *pts, FILE *f, err *e)
{
    summary_row *rows;
    size_t n;
    if (res_read_summary(r, &rows, &n, e) < 0)
        return -1;
    point_header(f, pts);
    fputs(",name,estimate,ci_low,ci_high,n\n", f);
    for (size_t i = 0; i < n; i++) {
        if (rows[i].point >= pts->n_points)
            continue;
        point_cells(f, pts, rows[i].point);
        fputc(',', f);
        field(f, rows[i].name);
        const double v[3] = {rows[i].estimate, rows[i].ci_low, rows[i].ci_high};
        for (int k = 0; k < 3; k++) {
            fputc(',', f);
            number(f, v[k]);
        }
        fprintf(f, ",%llu\n", (unsigned long long)rows[i].n);
    }
    free(rows);
    return 0;
}

static int export_replications(out_reader *r, const model_def *m, const res_points *pts, FILE *f,
                               err *e)
{
    point_header(f, pts);
    fputs(",rep,outcome", f);
    for (int k = 0; k < m->n_measures; k++)
        fprintf(f, ",%s", m->measures[k].name);
    fputc('\n', f);
    double *v = malloc((size_t)m->n_measures * sizeof *v);
    if (v == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    size_t size = res_row_size(m);
    for (size_t p = 0; p < pts->n_points; p++) {
        unsigned char *rows = NULL;
        size_t n = 0;
        if (res_read_replications(r, m, p, &rows, &n, e) < 0) {
            free(v);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            uint64_t pp, rep;
            int32_t o;
            res_unpack(m, rows + i * size, &pp, &rep, &o, v);
            point_cells(f, pts, p);
            fprintf(f, ",%llu,", (unsigned long long)rep);
            field(f, o >= 0 && o < m->n_outcomes ? m->outcomes[o] : "?");
            for (int k = 0; k < m->n_measures; k++) {
                fputc(',', f);
                number(f, v[k]);
            }
            fputc('\n', f);
        }
        free(rows);
    }
    free(v);
    return 0;
}

int report_export(const char *path, const char *table, FILE *f, err *e)
{
    out_reader *r = out_read_open(path, e);
    if (r == NULL)
        return -1;
    res_meta meta;
    res_points pts;
    memset(&pts, 0, sizeof pts);
    int rc = res_meta_read(r, path, &meta, e);
    if (rc < 0) {
        out_read_close(r);
        return -1;
    }
    const model_def *m = model_find(meta.model);
    if (m == NULL)
        rc = err_set(e, ERR_INPUT, path, 0, NULL, "model \"%s\" is not in this build", meta.model);
    if (rc == 0)
        rc = res_read_points(r, &pts, e);
    if (rc == 0 && strcmp(table, "points") == 0) {
        point_header(f, &pts);
        fputc('\n', f);
        for (size_t p = 0; p < pts.n_points; p++) {
            point_cells(f, &pts, p);
            fputc('\n', f);
        }
    } else if (rc == 0 && strcmp(table, "summary") == 0) {
        rc = export_summary(r, &pts, f, e);
    } else if (rc == 0) {
        rc = export_replications(r, m, &pts, f, e);
    }
    if (rc == 0 && !meta.complete)
        fprintf(stderr, "reassure: %s is an interrupted run (complete = 0): its tables hold the "
                "finished replications only\n", path);
    res_points_free(&pts);
    res_meta_free(&meta);
    out_read_close(r);
    return rc;
}
