/* result.c — what a reassure result file holds (result.h).
 *
 * The summary and the histograms are defined as the fold of /replications
 * in (point, rep) order (stats.h). Everything that writes a result — a run,
 * a resumed run, a merge — feeds its accumulators in that order, so the
 * same rows always give the same /summary, bit for bit.
 */
#include "result.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>

#include "build_info.h"
#include "run.h"
#include "sensitivity.h"
#include "uncertainty.h"

enum { STR_LEN = 32, COPY_ROWS = 4096 };

res_share res_share_all(const scenario *s)
{
    return (res_share){0, s->n_points, 0, (uint64_t)s->replications};
}

uint64_t res_share_rows(const res_share *sh)
{
    return (sh->point_hi - sh->point_lo) * (sh->rep_hi - sh->rep_lo);
}

void res_share_at(const res_share *sh, uint64_t k, uint64_t *point, uint64_t *rep)
{
    uint64_t nr = sh->rep_hi - sh->rep_lo;
    *point = sh->point_lo + k / nr;
    *rep = sh->rep_lo + k % nr;
}

size_t res_row_size(const model_def *m)
{
    return RES_HEADER + 8 * (size_t)m->n_measures;
}

int res_columns(const model_def *m, out_column *cols)
{
    if (3 + m->n_measures > RES_MAX_COLS)
        return -1;
    cols[0] = (out_column){.name = "point", .type = OUT_U32, .offset = 0};
    cols[1] = (out_column){.name = "rep", .type = OUT_U64, .offset = 8};
    cols[2] = (out_column){.name = "outcome", .type = OUT_ENUM, .offset = 16,
                           .enum_names = m->outcomes, .n_enum = m->n_outcomes};
    for (int j = 0; j < m->n_measures; j++)
        cols[3 + j] = (out_column){.name = m->measures[j].name,
                                   .type = m->measures[j].type == MEASURE_INT ? OUT_I64 : OUT_F64,
                                   .offset = RES_HEADER + 8 * (size_t)j};
    return 3 + m->n_measures;
}

void res_pack(const model_def *m, uint64_t p, uint64_t rep0, size_t n, const int32_t *outcomes,
              const double *values, unsigned char *rows)
{
    size_t stride = res_row_size(m), nm = (size_t)m->n_measures;
    uint32_t pt = (uint32_t)p;
    for (size_t i = 0; i < n; i++) {
        unsigned char *row = rows + i * stride;
        uint64_t rep = rep0 + i;
        memset(row, 0, RES_HEADER);
        memcpy(row, &pt, 4);
        memcpy(row + 8, &rep, 8);
        memcpy(row + 16, &outcomes[i], 4);
        for (size_t j = 0; j < nm; j++) {
            double v = values[i * nm + j];
            if (m->measures[j].type == MEASURE_INT) {
                int64_t x = (int64_t)v;
                memcpy(row + RES_HEADER + 8 * j, &x, 8);
            } else {
                memcpy(row + RES_HEADER + 8 * j, &v, 8);
            }
        }
    }
}

void res_unpack(const model_def *m, const unsigned char *row, uint64_t *p, uint64_t *rep,
                int32_t *outcome, double *values)
{
    uint32_t pt;
    memcpy(&pt, row, 4);
    *p = pt;
    memcpy(rep, row + 8, 8);
    memcpy(outcome, row + 16, 4);
    for (size_t j = 0; j < (size_t)m->n_measures; j++) {
        if (m->measures[j].type == MEASURE_INT) {
            int64_t x;
            memcpy(&x, row + RES_HEADER + 8 * j, 8);
            values[j] = (double)x;
        } else {
            memcpy(&values[j], row + RES_HEADER + 8 * j, 8);
        }
    }
}

/* ---- writing ------------------------------------------------------------ */

/* /points: its columns (point, case, each swept key by type), then its
 * rows; kept together because the rows are packed at the columns' offsets. */
static int write_points(out_file *o, const scenario *s, err *e)
{
    /* A cases design: the case's name after the point, then the grid. */
    size_t lead = s->n_cases > 0 ? 2 : 1;
    size_t nc = s->n_swept + lead, off = 8;
    out_column *cols = calloc(nc, sizeof *cols);
    if (cols == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    cols[0] = (out_column){.name = "point", .type = OUT_U32, .offset = 0};
    if (lead == 2) {
        /* A case name is up to SCH_STR_CHARS UTF-8 characters: SCH_STR bytes. */
        cols[1] = (out_column){.name = "case", .type = OUT_STR, .str_len = SCH_STR, .offset = off};
        off += SCH_STR;
    }
    for (size_t j = 0; j < s->n_swept; j++) {
        const sch_key *k = s->swept[j].key;
        out_column *c = &cols[j + lead];
        c->name = k->path;
        c->offset = off;
        switch (k->type) {
        case SCH_INT: c->type = OUT_I64; off += 8; break;
        case SCH_REAL: c->type = OUT_F64; off += 8; break;
        case SCH_BOOL: c->type = OUT_I32; off += 8; break;
        case SCH_CHOICE:
        case SCH_STRING:
        case SCH_LIST: /* never swept */
            c->type = OUT_STR; c->str_len = STR_LEN; off += STR_LEN; break;
        }
    }
    size_t stride = off;
    enum { BATCH = 4096 }; /* rows per append: one HDF5 write per batch, not per row */
    unsigned char *rows = calloc(BATCH, stride);
    int rc = rows ? 0 : err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    int t = rc < 0 ? -1 : out_table_create(o, "/points", cols, (int)nc, stride, 1024, e);
    size_t queued = 0;
    for (size_t p = 0; t >= 0 && p < s->n_points; p++) {
        unsigned char *row = rows + queued * stride;
        uint32_t point = (uint32_t)p;
        memcpy(row, &point, sizeof point);
        if (lead == 2)
            strncpy((char *)row + cols[1].offset, s->case_names[p / s->grid_points],
                    SCH_STR - 1);
        for (size_t j = 0; j < s->n_swept; j++) {
            const sch_key *k = s->swept[j].key;
            sch_value v = scn_point_value(s, p, j);
            unsigned char *dst = row + cols[j + lead].offset;
            if (k->type == SCH_INT)
                memcpy(dst, &v.i, 8);
            else if (k->type == SCH_REAL)
                memcpy(dst, &v.r, 8);
            else if (k->type == SCH_BOOL)
                memcpy(dst, &(int32_t){v.b}, 4);
            else if (k->type == SCH_CHOICE)
                strncpy((char *)dst, k->choices[v.c], STR_LEN - 1);
            else
                memcpy(dst, v.s, strnlen(v.s, STR_LEN - 1));
        }
        if (++queued == BATCH || p + 1 == s->n_points) {
            if (out_table_append(o, t, rows, queued, e) < 0)
                t = -1;
            memset(rows, 0, BATCH * stride);
            queued = 0;
        }
    }
    free(rows);
    free(cols);
    return t < 0 ? -1 : 0;
}

/* /summary's columns: a summary_row (stats.h) per row; the writer below and
 * the reader (results_read.c) share them. */
const out_column res_summary_columns[RES_SUMMARY_COLUMNS] = {
    {"point", OUT_U32, offsetof(summary_row, point), 0, NULL, 0},
    {"name", OUT_STR, offsetof(summary_row, name), sizeof(((summary_row *)0)->name), NULL, 0},
    {"estimate", OUT_F64, offsetof(summary_row, estimate), 0, NULL, 0},
    {"ci_low", OUT_F64, offsetof(summary_row, ci_low), 0, NULL, 0},
    {"ci_high", OUT_F64, offsetof(summary_row, ci_high), 0, NULL, 0},
    {"n", OUT_U64, offsetof(summary_row, n), 0, NULL, 0},
};

static int write_summary(out_file *o, const scenario *s, const res_share *sh, const acc *a,
                         err *e)
{
    int t = out_table_create(o, "/summary", res_summary_columns, RES_SUMMARY_COLUMNS,
                             sizeof(summary_row), 1024, e);
    if (t < 0)
        return -1;
    /* Appends of a few thousand rows, not one per row: an HDF5 write has
     * a fixed cost larger than a row's. */
    size_t ns = (size_t)s->model->n_summaries, cap = ns * (4096 / (ns ? ns : 1) + 1), n = 0;
    summary_row *rows = calloc(cap, sizeof *rows);
    if (rows == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    int rc = 0;
    for (uint64_t p = sh->point_lo; rc == 0 && p < sh->point_hi; p++) {
        if (acc_count(a, p) == 0)
            continue;
        if (n + ns > cap) {
            rc = out_table_append(o, t, rows, n, e);
            n = 0;
        }
        for (size_t i = 0; i < ns; i++)
            acc_summary(a, p, (int)i, &rows[n++]);
    }
    if (rc == 0 && n > 0)
        rc = out_table_append(o, t, rows, n, e);
    free(rows);
    return rc;
}

static int write_histograms(out_file *o, const scenario *s, const acc *a, err *e)
{
    const model_def *m = s->model;
    size_t np = s->n_points;
    for (int j = 0; j < m->n_measures; j++) {
        int bins = acc_hist_bins(a, j);
        if (bins <= 0)
            continue;
        size_t nb = (size_t)bins;
        const uint64_t *counts; /* the accumulator's own blocks: written without a copy */
        const double *edges;
        acc_hist_blocks(a, j, &edges, &counts);
        double *below = calloc(np, sizeof *below), *above = calloc(np, sizeof *above);
        double *missing = calloc(np, sizeof *missing);
        int rc = 0;
        if (!below || !above || !missing)
            rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        for (size_t p = 0; rc == 0 && p < np; p++) {
            uint64_t b, t, nan;
            acc_hist(a, j, p, &b, &t, &nan);
            below[p] = (double)b;
            above[p] = (double)t;
            missing[p] = (double)nan;
        }
        char path[160];
        snprintf(path, sizeof path, "/histograms/%s", m->measures[j].name);
        if (rc == 0)
            rc = out_u64_matrix(o, path, counts, np, nb, e);
        /* The edges, bins + 1 per point, as a matrix beside the counts: an
         * attribute of that size is copied three times by HDF5 as it is
         * written, which made it the largest cost per point of a run. */
        char epath[180];
        snprintf(epath, sizeof epath, "/histogram_edges/%s", m->measures[j].name);
        if (rc == 0)
            rc = out_f64_matrix(o, epath, edges, np, nb + 1, e);
        if (rc == 0)
            rc = out_attr_f64_array(o, path, "below_range", below, np, e);
        if (rc == 0)
            rc = out_attr_f64_array(o, path, "above_range", above, np, e);
        if (rc == 0)
            rc = out_attr_f64_array(o, path, "not_applicable", missing, np, e);
        free(missing);
        free(below);
        free(above);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void utc_now(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The arguments, one per line (for the file to be loaded again). */
static char *lines(const char *const *args, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(args[i]) + 1;
    char *s = calloc(len, 1);
    for (size_t i = 0; s != NULL && i < n; i++) {
        strcat(s, args[i]);
        strcat(s, "\n");
    }
    return s;
}

/* An uncertainty design's root attributes: how the worlds were drawn and
 * what the options are compared on (uncertainty.h). */
static int write_worlds(out_file *o, const scenario *s, err *e)
{
    size_t k = s->n_assumptions, len = 1;
    for (size_t j = s->n_swept - k; j < s->n_swept; j++)
        len += strlen(s->swept[j].key->path) + 1;
    char *keys = calloc(len, 1);
    if (keys == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (size_t j = s->n_swept - k; j < s->n_swept; j++) {
        strcat(keys, s->swept[j].key->path);
        if (j + 1 < s->n_swept)
            strcat(keys, "\n");
    }
    int rc = out_attr_i64(o, "/", "worlds", (int64_t)s->n_worlds, e) < 0 ||
             out_attr_i64(o, "/", "options", (int64_t)scn_options(s), e) < 0 ||
             out_attr_str(o, "/", "world_sampling", scn_design_name(s->world_sampling), e) < 0 ||
             out_attr_str(o, "/", "assumption_keys", keys, e) < 0 ||
             out_attr_str(o, "/", "objective", s->model->summaries[s->objective].name, e) < 0 ||
             out_attr_str(o, "/", "goal", s->goal < 0 ? "min" : "max", e) < 0 ||
             out_attr_f64(o, "/", "tolerance", s->tolerance, e) < 0
                 ? -1 : 0;
    free(keys);
    return rc;
}

static int write_root(out_file *o, const scenario *s, const res_share *sh,
                      const res_run_info *ri, err *e)
{
    char when[32];
    utc_now(when, sizeof when);
    const scn_overrides *ov = ri->ov;
    char *sets = lines(ov ? ov->sets : NULL, ov ? ov->n_sets : 0);
    char *sweeps = lines(ov ? ov->sweeps : NULL, ov ? ov->n_sweeps : 0);
    int rc = sets && sweeps ? 0 : err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    if (rc == 0 &&
        (out_attr_str(o, "/", "reassure_version", reassure_version(), e) < 0 ||
         out_attr_str(o, "/", "commit", reassure_commit(), e) < 0 ||
         out_attr_i64(o, "/", "tree_modified", reassure_tree_modified(), e) < 0 ||
         out_attr_str(o, "/", "model", s->model->name, e) < 0 ||
         out_attr_i64(o, "/", "seed", (int64_t)s->seed, e) < 0 ||
         out_attr_i64(o, "/", "replications", s->replications, e) < 0 ||
         out_attr_i64(o, "/", "points", (int64_t)s->n_points, e) < 0 ||
         out_attr_i64(o, "/", "threads", ri->threads, e) < 0 ||
         out_attr_i64(o, "/", "ranks", ri->ranks, e) < 0 ||
         out_attr_str(o, "/", "rows", ri->rows ? ri->rows : "all", e) < 0 ||
         out_attr_str(o, "/", "created_utc", when, e) < 0 ||
         out_attr_str(o, "/", "scenario_path", s->path, e) < 0 ||
         out_attr_str(o, "/", "scenario_text", s->text, e) < 0 ||
         out_attr_str(o, "/", "scenario_loaded", s->expanded, e) < 0 ||
         out_attr_str(o, "/", "overrides", s->overrides, e) < 0 ||
         out_attr_str(o, "/", "cli_set", sets, e) < 0 ||
         out_attr_str(o, "/", "cli_sweep", sweeps, e) < 0 ||
         out_attr_i64(o, "/", "share_points_from", (int64_t)sh->point_lo, e) < 0 ||
         out_attr_i64(o, "/", "share_points_to", (int64_t)sh->point_hi, e) < 0 ||
         out_attr_i64(o, "/", "share_replications_from", (int64_t)sh->rep_lo, e) < 0 ||
         out_attr_i64(o, "/", "share_replications_to", (int64_t)sh->rep_hi, e) < 0 ||
         out_attr_i64(o, "/", "replications_done", 0, e) < 0 ||
         out_attr_i64(o, "/", "complete", 0, e) < 0))
        rc = -1;
    if (rc == 0 && s->n_cases > 0 &&
        out_attr_str(o, "/", "baseline_case", s->case_names[s->baseline_case], e) < 0)
        rc = -1;
    if (rc == 0 && s->n_worlds > 0 && write_worlds(o, s, e) < 0)
        rc = -1;
    if (rc == 0 && strcmp(s->expanded, s->text) != 0 &&
        out_attr_str(o, "/", "scenario_expanded", s->expanded, e) < 0)
        rc = -1;
    free(sets);
    free(sweeps);
    return rc;
}

int res_begin(out_file *o, const scenario *s, const res_share *sh, const res_run_info *ri,
              err *e)
{
    if (write_root(o, s, sh, ri, e) < 0 || write_points(o, s, e) < 0)
        return -1;
    return res_rows_table(o, "/replications", s->model, e);
}

size_t res_bytes_per_point(const scenario *s)
{
    const model_def *m = s->model;
    size_t bytes = acc_bytes_per_point(m);
    for (int j = 0; j < m->n_measures; j++)
        if (m->measures[j].hist_bins > 0) /* below, above, not applicable: attributes */
            bytes += 3 * 3 * sizeof(double);
    if (s->table != NULL)
        bytes += s->n_swept * sizeof *s->table;
    return bytes;
}

int res_finish(out_file *o, const scenario *s, const res_share *sh, const acc *a, uint64_t done,
               uint64_t events, double wall_seconds, int complete, err *e)
{
    if (write_summary(o, s, sh, a, e) < 0 || write_histograms(o, s, a, e) < 0)
        return -1;
    /* Sobol indices need every point of the whole run: not for a share. */
    res_share all = res_share_all(s);
    int whole = complete && memcmp(sh, &all, sizeof all) == 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (whole && (sens_write(o, s, a, e) < 0 || unc_write(o, s, a, e) < 0))
        return -1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    /* What comparing the options cost beyond the runs (make bench). */
    if (whole && (s->n_cases > 0 || s->n_worlds > 0) &&
        out_attr_f64(o, "/", "analysis_seconds",
                     (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec),
                     e) < 0)
        return -1;
    if (out_attr_i64(o, "/", "replications_done", (int64_t)done, e) < 0 ||
        out_attr_i64(o, "/", "events", (int64_t)events, e) < 0 ||
        out_attr_f64(o, "/", "wall_seconds", wall_seconds, e) < 0 ||
        out_attr_i64(o, "/", "complete", complete, e) < 0)
        return -1;
    return 0;
}

int res_save_words(out_file *o, const char *dset, const uint64_t *w, size_t n,
                   const char *meaning, err *e)
{
    if (out_u64_matrix(o, dset, w, n, 1, e) < 0)
        return -1;
    return out_attr_str(o, dset, "meaning", meaning, e);
}

int res_load_words(out_reader *r, const char *path, const char *dset, const char *keeper,
                   uint64_t **w, size_t *n, err *e)
{
    size_t cols = 0;
    *w = NULL;
    *n = 0;
    if (!out_read_exists(r, dset))
        return err_set(e, ERR_RUNTIME, path, 0, NULL, "has no %s, which %s keeps: damaged", dset,
                       keeper);
    if (out_read_u64_matrix(r, dset, n, &cols, w, e) < 0)
        return -1;
    if (cols == 1 && *w != NULL)
        return 0;
    free(*w);
    *w = NULL;
    return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s is not one column of words: damaged", dset);
}

int res_save_fold(out_file *o, const acc *a, err *e)
{
    size_t n = acc_state_words(a);
    uint64_t *w = malloc(n * sizeof *w);
    if (w == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    acc_save(a, w);
    int rc = res_save_words(o, "/fold_state", w, n,
                            "the accumulators of an interrupted --rows none or sample:N run, "
                            "for --resume (the rows they fold are not all kept)", e);
    free(w);
    return rc;
}

int res_load_fold(out_reader *r, const char *path, acc *a, err *e)
{
    size_t n = 0;
    uint64_t *w = NULL;
    int rc = res_load_words(r, path, "/fold_state", "an interrupted --rows none or sample:N run",
                            &w, &n, e);
    if (rc == 0 && acc_load(a, w, n) < 0)
        rc = err_set(e, ERR_RUNTIME, path, 0, NULL,
                     "/fold_state is not this run's accumulators: damaged");
    free(w);
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

void res_meta_free(res_meta *m)
{
    free(m->model);
    free(m->scenario_text);
    free(m->scenario_loaded);
    free(m->overrides);
    free(m->cli_set);
    free(m->cli_sweep);
    free(m->version);
    memset(m, 0, sizeof *m);
}

int res_meta_read(out_reader *r, const char *path, res_meta *m, err *e)
{
    memset(m, 0, sizeof *m);
    int64_t v[4];
    if (out_read_attr_str(r, "model", &m->model, e) < 0 ||
        out_read_attr_str(r, "scenario_text", &m->scenario_text, e) < 0 ||
        out_read_attr_str(r, "overrides", &m->overrides, e) < 0 ||
        out_read_attr_i64(r, "seed", &m->seed, e) < 0 ||
        out_read_attr_i64(r, "replications", &m->replications, e) < 0 ||
        out_read_attr_i64(r, "points", &m->points, e) < 0 ||
        out_read_attr_i64(r, "complete", &m->complete, e) < 0)
        goto fail;
    if (!out_read_has_attr(r, "replications_done") || !out_read_has_attr(r, "cli_set") ||
        !out_read_has_attr(r, "scenario_loaded")) {
        err_set(e, ERR_INPUT, path, 0, NULL,
                "this result was written by an older reassure: it cannot be resumed or merged");
        goto fail;
    }
    if (out_read_attr_str(r, "reassure_version", &m->version, e) < 0 ||
        out_read_attr_i64(r, "replications_done", &m->done, e) < 0 ||
        out_read_attr_str(r, "scenario_loaded", &m->scenario_loaded, e) < 0 ||
        out_read_attr_str(r, "cli_set", &m->cli_set, e) < 0 ||
        out_read_attr_str(r, "cli_sweep", &m->cli_sweep, e) < 0 ||
        out_read_attr_i64(r, "share_points_from", &v[0], e) < 0 ||
        out_read_attr_i64(r, "share_points_to", &v[1], e) < 0 ||
        out_read_attr_i64(r, "share_replications_from", &v[2], e) < 0 ||
        out_read_attr_i64(r, "share_replications_to", &v[3], e) < 0)
        goto fail;
    m->share = (res_share){(uint64_t)v[0], (uint64_t)v[1], (uint64_t)v[2], (uint64_t)v[3]};
    return 0;
fail:
    res_meta_free(m);
    return -1;
}

int res_rows_kept(out_reader *r, char *buf, size_t size)
{
    char *rows = NULL;
    err ignore;
    if (out_read_has_attr(r, "rows") && out_read_attr_str(r, "rows", &rows, &ignore) < 0)
        rows = NULL;
    int all = rows == NULL || strcmp(rows, "all") == 0;
    if (buf != NULL && size > 0)
        snprintf(buf, size, "%s", rows != NULL ? rows : "all");
    free(rows);
    return all;
}

const char *res_meta_difference(const res_meta *a, const res_meta *b)
{
    /* Another version may compute other numbers from the same scenario:
     * its rows and this build's do not belong in one result. */
    if (a->version != NULL && b->version != NULL && strcmp(a->version, b->version) != 0)
        return "reassure version";
    if (strcmp(a->model, b->model) != 0)
        return "model";
    if (strcmp(a->scenario_text, b->scenario_text) != 0)
        return "scenario";
    if (strcmp(a->scenario_loaded, b->scenario_loaded) != 0)
        return "scenario (an @include'd file changed)";
    if (a->seed != b->seed)
        return "seed";
    if (a->replications != b->replications)
        return "replications per point";
    if (strcmp(a->overrides, b->overrides) != 0)
        return "command-line overrides";
    if (a->points != b->points)
        return "number of sweep points";
    return NULL;
}

int res_meta_match(const res_meta *m, const scenario *s, const char *path, err *e)
{
    /* The scenario seen as the meta its run would write (a read-only view:
     * res_meta_difference only reads). */
    const res_meta now = {.version = (char *)reassure_version(),
                          .model = (char *)s->model->name, .scenario_text = s->text,
                          .scenario_loaded = s->expanded, .overrides = s->overrides,
                          .seed = (int64_t)s->seed, .replications = s->replications,
                          .points = (int64_t)s->n_points};
    const char *what = res_meta_difference(m, &now);
    if (what == NULL)
        return 0;
    return err_set(e, ERR_INPUT, path, 0, NULL,
                   "was written by a different run: its %s differs from this one's", what);
}

/* ---- copying rows, and what --resume finds ------------------------------ */

int res_copy_rows_at(out_reader *r, const char *path, uint64_t first, uint64_t n,
                     const model_def *m, res_row_at at, void *ctx, acc *a, out_file *o, int table,
                     err *e)
{
    out_column cols[RES_MAX_COLS];
    int nc = res_columns(m, cols);
    size_t stride = res_row_size(m);
    unsigned char *buf = malloc(COPY_ROWS * stride);
    double *values = calloc((size_t)m->n_measures + 1, sizeof *values);
    int rc = buf && values && nc > 0 ? 0 : err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    for (uint64_t k = first; rc == 0 && k < first + n; k += COPY_ROWS) {
        size_t c = first + n - k < COPY_ROWS ? (size_t)(first + n - k) : COPY_ROWS;
        rc = out_read_table(r, "/replications", cols, nc, stride, k, c, buf, e);
        for (size_t i = 0; rc == 0 && (at != NULL || a != NULL) && i < c; i++) {
            uint64_t p, rep, want_p, want_rep;
            int32_t outcome;
            res_unpack(m, buf + i * stride, &p, &rep, &outcome, values);
            if (at != NULL)
                at(ctx, k + i, &want_p, &want_rep);
            if (at != NULL && (p != want_p || rep != want_rep || outcome < 0 ||
                               outcome >= m->n_outcomes))
                rc = err_set(e, ERR_RUNTIME, path, 0, NULL,
                             "row %llu of /replications is not (point %llu, rep %llu): damaged",
                             (unsigned long long)(k + i), (unsigned long long)want_p,
                             (unsigned long long)want_rep);
            else if (a != NULL)
                acc_add(a, (size_t)p, outcome, values);
        }
        if (rc == 0)
            rc = out_table_append(o, table, buf, c, e);
    }
    free(buf);
    free(values);
    return rc;
}

static void share_at(void *ctx, uint64_t k, uint64_t *point, uint64_t *rep)
{
    res_share_at(ctx, k, point, rep);
}

int res_copy_rows(out_reader *r, const char *path, const res_share *sh, uint64_t first,
                  uint64_t n, const model_def *m, acc *a, out_file *o, int table, err *e)
{
    return res_copy_rows_at(r, path, first, n, m, share_at, (void *)sh, a, o, table, e);
}

/* Without --resume: 0 when the result r at path may be replaced (a
 * complete one with --force, or one interrupted before finishing anything);
 * otherwise ERR_INPUT saying why not. */
static int may_replace(out_reader *r, const char *path, int force, err *e)
{
    int64_t complete = 1, done = 0;
    if (out_read_has_attr(r, "complete"))
        out_read_attr_i64(r, "complete", &complete, e);
    if (complete == 0 && out_read_has_attr(r, "replications_done"))
        out_read_attr_i64(r, "replications_done", &done, e);
    if (complete == 0 && done > 0)
        return err_set(e, ERR_INPUT, path, 0, NULL,
                       "holds an interrupted run with %lld finished replications: finish it "
                       "with --resume, or choose another -o (it is not replaced)",
                       (long long)done);
    if (complete != 0 && !force)
        return err_set(e, ERR_INPUT, path, 0, NULL,
                       "holds a complete result; --force replaces it, or choose another -o");
    return 0;
}

int res_previous_find(const char *path, int resume, int force, const scenario *s,
                      const res_share *sh, out_reader **prev, res_previous *what, uint64_t *rows,
                      err *e)
{
    *prev = NULL;
    *what = RES_PREV_NONE;
    *rows = 0;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0; /* nothing there, or a folder or device: out_create says why not */
    out_reader *r = out_read_open(path, e);
    if (r == NULL || !out_read_has_attr(r, "model")) {
        /* Not a result: never replaced (a scenario, notes, another tool's
         * file), with or without --force. */
        if (r != NULL)
            out_read_close(r);
        if (resume) {
            err_wrap(e, "", "; --resume needs the interrupted result file");
            return -1;
        }
        return err_set(e, ERR_INPUT, path, 0, NULL,
                       "exists and is not a reassure result; it will not be replaced: choose "
                       "another -o");
    }
    int rc = 0;
    if (!resume) {
        rc = may_replace(r, path, force, e);
        out_read_close(r);
        return rc;
    }
    res_meta m;
    if (res_meta_read(r, path, &m, e) < 0) {
        out_read_close(r);
        return -1;
    }
    if (res_meta_match(&m, s, path, e) < 0) {
        rc = -1;
    } else if (memcmp(&m.share, sh, sizeof *sh) != 0) {
        rc = err_set(e, ERR_INPUT, path, 0, NULL,
                     "holds the share --points %llu:%llu --replications %llu:%llu; resume it "
                     "with the same share", (unsigned long long)m.share.point_lo,
                     (unsigned long long)m.share.point_hi, (unsigned long long)m.share.rep_lo,
                     (unsigned long long)m.share.rep_hi);
    } else if (m.complete) {
        *what = RES_PREV_COMPLETE;
    } else {
        int64_t n = out_read_rows(r, "/replications", e);
        if (n < 0)
            rc = -1;
        /* A --precision run goes past its first round's rows (the share's);
         * its rounds are checked as its rows are copied. */
        else if (res_rows_kept(r, NULL, 0) &&
                 (n != m.done ||
                  ((uint64_t)n > res_share_rows(sh) && !out_read_has_attr(r, "precision"))))
            rc = err_set(e, ERR_RUNTIME, path, 0, NULL,
                         "/replications holds %lld rows but the file records %lld done: damaged",
                         (long long)n, (long long)m.done);
        else {
            *what = RES_PREV_PARTIAL;
            *rows = (uint64_t)m.done; /* == n when every row is kept */
        }
    }
    res_meta_free(&m);
    if (rc < 0 || *what != RES_PREV_PARTIAL) {
        out_read_close(r);
        return rc;
    }
    *prev = r;
    return 0;
}

int res_rows_table(out_file *o, const char *path, const model_def *m, err *e)
{
    out_column cols[RES_MAX_COLS];
    int nc = res_columns(m, cols);
    if (nc < 0)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "model %s has too many measures", m->name);
    return out_table_create(o, path, cols, nc, res_row_size(m), 4096, e);
}

int res_write_shard(const char *path, const model_def *m, int raw_fd, uint64_t rows, err *e)
{
    size_t stride = res_row_size(m);
    unsigned char *buf = malloc(COPY_ROWS * stride);
    out_file *o = buf != NULL ? out_create(path, e) : NULL;
    int rc = buf == NULL ? err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory")
             : o == NULL ? -1
                         : 0;
    int table = rc == 0 ? res_rows_table(o, "/replications", m, e) : -1;
    if (rc == 0 && table < 0)
        rc = -1;
    for (uint64_t k = 0; rc == 0 && k < rows; k += COPY_ROWS) {
        size_t c = rows - k < COPY_ROWS ? (size_t)(rows - k) : COPY_ROWS;
        size_t want = c * stride, got = 0;
        while (got < want) {
            ssize_t r = pread(raw_fd, buf + got, want - got, (off_t)(k * stride + got));
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        if (got < want)
            rc = err_set(e, ERR_RUNTIME, path, 0, NULL,
                         "this rank's rows are cut short (%llu of %llu): its row file was "
                         "damaged", (unsigned long long)k, (unsigned long long)rows);
        else
            rc = out_table_append(o, table, buf, c, e);
    }
    if (rc == 0)
        rc = out_commit(o, e);
    else if (o != NULL)
        out_abort(o);
    free(buf);
    return rc;
}

void res_rows_folder(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    err ignore;
    out_reader *r = out_read_open(path, &ignore);
    char *name = NULL;
    if (r != NULL && out_read_has_attr(r, "rows_folder") &&
        out_read_attr_str(r, "rows_folder", &name, &ignore) == 0 && strchr(name, '/') == NULL &&
        name[0] != '.' && name[0] != '\0' && out_beside(path, name, buf, size) < 0)
        buf[0] = '\0';
    free(name);
    out_read_close(r);
}
