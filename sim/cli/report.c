/* report.c — the summary table of a result file (report.h), laid out by
 * the model's summary_layout (model.h); for a sobol result, the ranked
 * table of its Sobol indices (sensitivity.h). */
#include "report.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "result.h"
#include "results_read.h"
#include "sensitivity.h"
#include "stats.h"

enum { MAX_COLS = 64, CELL = 40 }; /* MAX_COLS: swept keys (an lhs design may sweep many) */
enum { SHARE_WIDTH = 5, MEAN_WIDTH = 14 }; /* columns of a layout's tables (model.h) */

/* What the report needs of a file, read once. */
typedef struct result {
    char model[64];
    int64_t seed, replications, complete;
    int64_t share[4];      /* points from, to; replications from, to (-1: not recorded) */
    int64_t used_lo, used_hi; /* --precision: the fewest and most replications used (0: none) */
    int64_t worlds;        /* an uncertainty design's worlds (0: none) */
    int cases;             /* a cases design's complete result: it has /contrasts */
    char rows_kept[64];    /* --rows: "all" (or a file from before it), "none", "sample:N" */
    size_t n_points, n_cols;
    char col_name[MAX_COLS][128];
    char *cells;           /* [point][col] formatted swept values, CELL bytes each */
    double *num;           /* [point][col] a numeric swept value (NaN for text), for the CSV */
    unsigned char is_num[MAX_COLS]; /* column c holds numbers (not text, not on/off) */
    summary_row *rows;     /* /summary */
    size_t n_rows;
    size_t *by_point;      /* indices of rows, grouped by point (a counting sort) */
    size_t *first;         /* [n_points + 1]: point p's rows are by_point[first[p] .. first[p + 1]) */
    int *width;            /* [n_cols]: each swept key's column width (0: not yet measured) */
} result;

static void result_free(result *r)
{
    free(r->cells);
    free(r->num);
    free(r->rows);
    free(r->by_point);
    free(r->first);
    free(r->width);
}

/* Groups the rows by point in one pass each way, keeping their order
 * within a point, so a point's rows are found in time proportional to
 * their number: the report is linear in the rows, whatever the points. */
static int index_rows(result *r)
{
    r->first = calloc(r->n_points + 1, sizeof *r->first);
    r->by_point = malloc((r->n_rows ? r->n_rows : 1) * sizeof *r->by_point);
    r->width = calloc(r->n_cols ? r->n_cols : 1, sizeof *r->width);
    if (!r->first || !r->by_point || !r->width)
        return -1;
    for (size_t i = 0; i < r->n_rows; i++)
        if (r->rows[i].point < r->n_points)
            r->first[r->rows[i].point + 1]++;
    for (size_t p = 0; p < r->n_points; p++)
        r->first[p + 1] += r->first[p];
    size_t *next = malloc((r->n_points ? r->n_points : 1) * sizeof *next);
    if (!next)
        return -1;
    memcpy(next, r->first, r->n_points * sizeof *next);
    for (size_t i = 0; i < r->n_rows; i++)
        if (r->rows[i].point < r->n_points)
            r->by_point[next[r->rows[i].point]++] = i;
    free(next);
    return 0;
}

static const char *cell(const result *r, size_t p, size_t c)
{
    return r->cells + (p * r->n_cols + c) * CELL;
}

static int fail(err *e, const char *path, const char *what)
{
    return err_set(e, ERR_RUNTIME, path, 0, NULL, "%s", what);
}

/* A root attribute as text, truncated to n - 1 characters; -1 when the
 * file has none. */
static int read_attr_str(out_reader *in, const char *name, char *buf, size_t n)
{
    buf[0] = '\0';
    char *v = NULL;
    err ignore;
    if (!out_read_has_attr(in, name) || out_read_attr_str(in, name, &v, &ignore) < 0)
        return -1;
    snprintf(buf, n, "%s", v);
    free(v);
    return 0;
}

static void read_attr_i64(out_reader *in, const char *name, int64_t *v)
{
    err ignore;
    if (!out_read_has_attr(in, name) || out_read_attr_i64(in, name, v, &ignore) < 0)
        *v = -1;
}

/* /points: each swept key's values, formatted. */
static int read_points(out_reader *in, result *r)
{
    res_points pts;
    err ignore;
    if (res_read_points(in, &pts, &ignore) < 0)
        return -1;
    r->n_points = pts.n_points;
    r->n_cols = pts.n_keys;
    int rc = r->n_cols <= MAX_COLS && r->n_points > 0 ? 0 : -1;
    size_t n_cells = r->n_points * (r->n_cols ? r->n_cols : 1);
    r->cells = rc == 0 ? calloc(n_cells, CELL) : NULL;
    r->num = rc == 0 ? calloc(n_cells, sizeof *r->num) : NULL;
    if (!r->cells || !r->num)
        rc = -1;
    for (size_t c = 0; rc == 0 && c < r->n_cols; c++) {
        snprintf(r->col_name[c], sizeof r->col_name[c], "%s", pts.key[c]);
        if (pts.is_text[c]) {
            for (size_t p = 0; p < r->n_points; p++)
                snprintf(r->cells + (p * r->n_cols + c) * CELL, CELL, "%.*s", CELL - 1,
                         res_points_text(&pts, p, c));
        } else {
            int is_bool = strstr(r->col_name[c], "enabled") != NULL;
            r->is_num[c] = !is_bool;
            for (size_t p = 0; p < r->n_points; p++) {
                char *dst = r->cells + (p * r->n_cols + c) * CELL;
                double num = pts.value[p * pts.n_keys + c];
                r->num[p * r->n_cols + c] = num;
                if (is_bool)
                    snprintf(dst, CELL, "%s", num != 0 ? "on" : "off");
                else
                    snprintf(dst, CELL, "%.6g", num);
            }
        }
    }
    res_points_free(&pts);
    return rc;
}

static int read_summary(out_reader *in, result *r)
{
    err ignore;
    return res_read_summary(in, &r->rows, &r->n_rows, &ignore);
}

/* A --precision run's /replications_used: the fewest and the most. */
static void read_used(out_reader *in, result *r)
{
    r->used_lo = r->used_hi = 0;
    if (!out_read_exists(in, "/replications_used"))
        return;
    size_t rows = 0, cols = 0;
    uint64_t *v = NULL;
    err ignore;
    if (out_read_u64_matrix(in, "/replications_used", &rows, &cols, &v, &ignore) == 0 && rows > 0)
        for (size_t i = 0; i < rows; i++) {
            int64_t x = (int64_t)v[i * cols];
            if (r->used_lo == 0 || x < r->used_lo)
                r->used_lo = x;
            if (x > r->used_hi)
                r->used_hi = x;
        }
    free(v);
}

static int load(const char *path, result *r, err *e)
{
    memset(r, 0, sizeof *r);
    int rc = 0;
    FILE *probe = fopen(path, "rb");
    if (probe == NULL)
        rc = fail(e, path, "cannot open the result file");
    else
        fclose(probe);
    err ignore;
    out_reader *in = rc == 0 ? out_read_open(path, &ignore) : NULL;
    if (rc == 0 && in == NULL)
        rc = fail(e, path, "not a readable HDF5 file (truncated, or not a result?)");
    if (rc == 0 && read_attr_str(in, "model", r->model, sizeof r->model) < 0)
        rc = fail(e, path, "not a reassure result: no `model` attribute");
    if (rc == 0) {
        read_attr_i64(in, "seed", &r->seed);
        read_attr_i64(in, "replications", &r->replications);
        read_attr_i64(in, "complete", &r->complete);
        static const char *const share_attr[4] = {"share_points_from", "share_points_to",
                                                  "share_replications_from",
                                                  "share_replications_to"};
        for (int k = 0; k < 4; k++) {
            r->share[k] = -1;
            if (out_read_has_attr(in, share_attr[k]))
                read_attr_i64(in, share_attr[k], &r->share[k]);
        }
        read_used(in, r);
        if (out_read_has_attr(in, "worlds"))
            read_attr_i64(in, "worlds", &r->worlds);
        r->cases = out_read_exists(in, "/contrasts");
        res_rows_kept(in, r->rows_kept, sizeof r->rows_kept);
        if (read_points(in, r) < 0 || read_summary(in, r) < 0)
            rc = fail(e, path, "cannot read /points and /summary: the file is damaged or "
                               "incomplete");
        else if (index_rows(r) < 0)
            rc = fail(e, path, "out of memory indexing /summary");
    }
    out_read_close(in);
    if (rc < 0)
        result_free(r);
    return rc;
}

/* The row of statistic `name` at point p, or NULL: a search of that
 * point's rows only (a few dozen), never of the whole table. */
static const summary_row *find(const result *r, size_t p, const char *name)
{
    for (size_t k = r->first[p]; k < r->first[p + 1]; k++)
        if (strcmp(r->rows[r->by_point[k]].name, name) == 0)
            return &r->rows[r->by_point[k]];
    return NULL;
}

/* Column headings: a key's last part (its group for a bare "enabled"),
 * with the layout's long words shortened so a sweep of three keys fits 100
 * columns. The full keys are listed above the table. */
static void heading(const summary_layout *l, const char *key, char *buf, size_t n)
{
    const char *dot = strrchr(key, '.');
    const char *leaf = dot ? dot + 1 : key;
    char word[128];
    if (strcmp(leaf, "enabled") == 0 && dot != NULL)
        snprintf(word, sizeof word, "%.*s", (int)(dot - key), key);
    else
        snprintf(word, sizeof word, "%s", leaf);
    buf[0] = '\0';
    size_t used = 0;
    for (char *part = word; part != NULL && used + 1 < n;) {
        char *us = strchr(part, '_');
        if (us)
            *us = '\0';
        const char *w = part;
        for (int k = 0; k < l->n_abbreviations; k++)
            if (strcmp(part, l->abbreviations[k][0]) == 0)
                w = l->abbreviations[k][1];
        int k = snprintf(buf + used, n - used, "%s%s", used ? "_" : "", w);
        used += k > 0 ? (size_t)k : 0;
        part = us ? us + 1 : NULL;
    }
}

/* Measured once per column (the widest of its heading and cells), then
 * remembered: every row prints with it. */
static int col_width(const result *r, const summary_layout *l, size_t c)
{
    if (r->width[c] > 0)
        return r->width[c];
    char h[128];
    heading(l, r->col_name[c], h, sizeof h);
    int w = (int)strlen(h);
    for (size_t p = 0; p < r->n_points; p++)
        if ((int)strlen(cell(r, p, c)) > w)
            w = (int)strlen(cell(r, p, c));
    r->width[c] = w > 0 ? w : 1;
    return r->width[c];
}

static void print_keys_header(const result *r, const summary_layout *l, FILE *f)
{
    fprintf(f, "%3s", "pt");
    for (size_t c = 0; c < r->n_cols; c++) {
        char h[128];
        heading(l, r->col_name[c], h, sizeof h);
        fprintf(f, "  %*s", col_width(r, l, c), h);
    }
}

static void print_keys(const result *r, const summary_layout *l, size_t p, FILE *f)
{
    fprintf(f, "%3zu", p);
    for (size_t c = 0; c < r->n_cols; c++)
        fprintf(f, "  %*s", col_width(r, l, c), cell(r, p, c));
}

static void print_heading(const result *r, FILE *f)
{
    if (r->used_hi > 0 && r->used_lo == r->used_hi)
        fprintf(f, "%s: %zu point%s x %lld replications (used, --precision), seed %lld%s\n",
                r->model, r->n_points, r->n_points == 1 ? "" : "s", (long long)r->used_hi,
                (long long)r->seed, r->complete == 1 ? "" : "  [INCOMPLETE: interrupted run]");
    else if (r->used_hi > 0)
        fprintf(f, "%s: %zu point%s x %lld to %lld replications (used, --precision), seed %lld%s\n",
                r->model, r->n_points, r->n_points == 1 ? "" : "s", (long long)r->used_lo,
                (long long)r->used_hi, (long long)r->seed,
                r->complete == 1 ? "" : "  [INCOMPLETE: interrupted run]");
    else
        fprintf(f, "%s: %zu point%s x %lld replications, seed %lld%s\n", r->model, r->n_points,
                r->n_points == 1 ? "" : "s", (long long)r->replications, (long long)r->seed,
                r->complete == 1 ? "" : "  [INCOMPLETE: interrupted run]");
    if (r->share[0] >= 0 && r->share[1] >= 0 && r->share[2] >= 0 && r->share[3] >= 0 &&
        (r->share[0] != 0 || r->share[1] != (int64_t)r->n_points || r->share[2] != 0 ||
         r->share[3] != r->replications))
        fprintf(f, "a share of the run: points %lld:%lld, replications %lld:%lld "
                "(reassure merge joins the shares)\n", (long long)r->share[0],
                (long long)r->share[1], (long long)r->share[2], (long long)r->share[3]);
    if (strcmp(r->rows_kept, "all") != 0)
        fprintf(f, "rows kept in /replications: %s (--rows; the tables are of every "
                   "replication)\n", r->rows_kept);
    if (r->n_cols > 0) {
        fprintf(f, "swept:");
        for (size_t c = 0; c < r->n_cols; c++)
            fprintf(f, " %s", r->col_name[c]);
        fprintf(f, "\n");
    }
}

static void percent(const summary_row *s, FILE *f)
{
    if (s == NULL)
        fprintf(f, " %*s", SHARE_WIDTH, "-");
    else
        fprintf(f, " %*.1f", SHARE_WIDTH, 100 * s->estimate);
}

static void mean_cell(const summary_row *s, int w, FILE *f)
{
    char buf[64];
    if (s == NULL || isnan(s->estimate))
        snprintf(buf, sizeof buf, "-");
    else if (isnan(s->ci_low))
        snprintf(buf, sizeof buf, "%.4g", s->estimate);
    else { /* to the precision of the uncertainty: two digits of the half-width */
        double h = (s->ci_high - s->ci_low) / 2;
        int d = h > 0 ? 1 - (int)floor(log10(h)) : 0;
        d = d < 0 ? 0 : d > 6 ? 6 : d;
        snprintf(buf, sizeof buf, "%.*f +-%.*f", d, s->estimate, d, h);
    }
    fprintf(f, " %*s", w, buf);
}

/* The headline row with its interval, then the layout's shares in %. */
static void print_shares(const result *r, const model_def *m, FILE *f)
{
    const summary_layout *l = m->layout;
    int w = (int)strlen(l->headline_head);
    fprintf(f, "\n%s\n", l->shares_title);
    print_keys_header(r, l, f);
    fprintf(f, "  %-*s", w, l->headline_head);
    for (int k = 0; k < l->n_shares; k++)
        fprintf(f, " %*s", SHARE_WIDTH, l->shares[k].head);
    fprintf(f, "\n");
    const char *headline = m->summaries[model_headline(m)].name;
    for (size_t p = 0; p < r->n_points; p++) {
        print_keys(r, l, p, f);
        const summary_row *s = find(r, p, headline);
        if (s)
            fprintf(f, "  %.3f [%.3f,%.3f]", s->estimate, s->ci_low, s->ci_high);
        else
            fprintf(f, "  %-*s", w, "-");
        for (int k = 0; k < l->n_shares; k++)
            percent(find(r, p, l->shares[k].row), f);
        fprintf(f, "\n");
    }
    if (l->shares_legend != NULL)
        fprintf(f, "%s\n", l->shares_legend);
}

static void print_means(const result *r, const summary_layout *l, FILE *f)
{
    fprintf(f, "\n%s\n", l->means_title);
    print_keys_header(r, l, f);
    for (int k = 0; k < l->n_means; k++)
        fprintf(f, " %*s", MEAN_WIDTH, l->means[k].head);
    fprintf(f, "\n");
    for (size_t p = 0; p < r->n_points; p++) {
        print_keys(r, l, p, f);
        for (int k = 0; k < l->n_means; k++)
            mean_cell(find(r, p, l->means[k].row), MEAN_WIDTH, f);
        fprintf(f, "\n");
    }
}

/* The model's tables: its layout (model.h) gives the rows and headers. */
static void print_layout(const result *r, const model_def *m, FILE *f)
{
    if (m->layout->shares_title != NULL)
        print_shares(r, m, f);
    if (m->layout->means_title != NULL)
        print_means(r, m->layout, f);
}

static void print_generic(const result *r, FILE *f)
{
    for (size_t p = 0; p < r->n_points; p++) {
        fprintf(f, "\npoint %zu", p);
        for (size_t c = 0; c < r->n_cols; c++)
            fprintf(f, "%s %s = %s", c ? "," : ":", r->col_name[c], cell(r, p, c));
        fprintf(f, "\n");
        for (size_t k = r->first[p]; k < r->first[p + 1]; k++) {
            const summary_row *s = &r->rows[r->by_point[k]];
            fprintf(f, "  %-28s %12.6g   [%.6g, %.6g]   n = %llu\n", s->name, s->estimate,
                    s->ci_low, s->ci_high, (unsigned long long)s->n);
        }
    }
}

void report_csv_field(const char *s, FILE *f)
{
    if (strpbrk(s, ",\"\n\r") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* x in the fewest significant digits (at most 17) that read back as x
 * exactly: 0.3 stays "0.3", 0.30000000000000004 keeps its digits, and
 * 123456.789012345 is not rounded to 123457 as %g would. */
static void shortest(double x, char *buf, size_t n)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, n, "%.*g", digits, x);
        if (strtod(buf, NULL) == x || isnan(x))
            return;
    }
}

/* %.17g keeps every bit of the doubles: the CSV equals /summary; the swept
 * values, read back, equal /points. */
static void print_csv(const result *r, FILE *f)
{
    fprintf(f, "point");
    for (size_t c = 0; c < r->n_cols; c++) {
        fputc(',', f);
        report_csv_field(r->col_name[c], f);
    }
    fprintf(f, ",name,estimate,ci_low,ci_high,n\n");
    for (size_t i = 0; i < r->n_rows; i++) {
        const summary_row *s = &r->rows[i];
        fprintf(f, "%u", s->point);
        for (size_t c = 0; c < r->n_cols && s->point < r->n_points; c++) {
            fputc(',', f);
            if (r->is_num[c]) {
                char num[40];
                shortest(r->num[s->point * r->n_cols + c], num, sizeof num);
                fputs(num, f);
            } else {
                report_csv_field(cell(r, s->point, c), f);
            }
        }
        fputc(',', f);
        report_csv_field(s->name, f);
        fprintf(f, ",%.17g,%.17g,%.17g,%llu\n", s->estimate, s->ci_low, s->ci_high,
                (unsigned long long)s->n);
    }
}

int report_print(const char *path, int csv, FILE *f, err *e)
{
    result r;
    if (load(path, &r, e) < 0)
        return -1;
    int rc = 0;
    if (csv) {
        if (r.complete != 1) /* the CSV itself has no room to say so */
            fprintf(stderr, "reassure: %s is an interrupted run (complete = 0): the rows cover "
                    "the finished replications only; --resume finishes it\n", path);
        print_csv(&r, f);
    } else {
        print_heading(&r, f);
        /* The file's model, when this build has it, lays out the table. */
        const model_def *m = model_find(r.model);
        /* A sobol result's thousands of points are raw material for its
         * indices: the ranked table is what a person reads. */
        rc = sens_print_file(path, f, e);
        /* Options in worlds: what is compared, not hundreds of worlds. */
        if (rc == 0 && r.worlds > 0)
            rc = report_uncertainty(path, f, e);
        if (rc == 1)
            fprintf(f, "\nper-point statistics: reassure summary %s --csv\n", path);
        else if (rc == 0 && m != NULL && m->layout != NULL)
            print_layout(&r, m, f);
        else if (rc == 0)
            print_generic(&r, f);
        if (rc == 0 && r.worlds == 0 && r.cases)
            rc = report_uncertainty(path, f, e);
    }
    result_free(&r);
    return rc < 0 ? -1 : 0;
}
