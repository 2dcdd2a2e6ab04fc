/* contrast.c — paired differences between points under common random
 * numbers (contrast.h). */
#include "contrast.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "result.h"
#include "results_read.h"
#include "stats.h"

size_t contrast_rows(const model_def *m, int rows[CONTRAST_MAX_ROWS])
{
    size_t n = 0;
    for (int r = 0; r < m->n_summaries && n < CONTRAST_MAX_ROWS; r++)
        if (m->summaries[r].kind != SUMMARY_QUANTILE)
            rows[n++] = r;
    return n;
}

double contrast_row_value(const summary_def *d, int32_t outcome, const double *v)
{
    switch (d->kind) {
    case SUMMARY_P_OUTCOME:
        return outcome == d->index;
    case SUMMARY_P_GE:
        return v[d->index] >= d->threshold;
    case SUMMARY_P_GIVEN:
        return isnan(v[d->index]) ? NAN : v[d->index] >= d->threshold;
    case SUMMARY_MEAN:
        return v[d->index];
    default:
        return NAN;
    }
}

void contrast_acc_add(contrast_acc *s, double a, double b)
{
    s->n++;
    double nn = (double)s->n, d = b - a;
    s->sd += d;
    double dd = d - s->md, da = a - s->ma, db = b - s->mb;
    s->md += dd / nn;
    s->m2d += dd * (d - s->md);
    s->ma += da / nn;
    s->m2a += da * (a - s->ma);
    s->mb += db / nn;
    s->m2b += db * (b - s->mb);
}

void contrast_acc_row(const contrast_acc *s, const summary_def *d, uint32_t pa, uint32_t pb,
                      contrast_row *c)
{
    memset(c, 0, sizeof *c);
    c->point_a = pa;
    c->point_b = pb;
    strncpy(c->name, d->name, sizeof c->name - 1);
    c->n = s->n;
    /* The sum, not Welford's running mean: shares and 0/1 differences sum
     * exactly, so a tie reads 0, not a rounding error of either sign. */
    c->estimate = s->n ? s->sd / (double)s->n : NAN;
    double sd = s->n > 1 ? sqrt(s->m2d / (double)(s->n - 1)) : NAN;
    stats_t_interval(c->estimate, sd, s->n, &c->ci_low, &c->ci_high);
    c->unpaired_half = s->n > 1 ? 1.959963984540054 *
                                      sqrt((s->m2a + s->m2b) / (double)(s->n - 1) /
                                           (double)s->n)
                                : NAN;
}

size_t contrast_pair(const model_def *m, const unsigned char *rows_a, size_t na,
                     const unsigned char *rows_b, size_t nb, uint32_t pa, uint32_t pb,
                     contrast_row *out)
{
    size_t size = res_row_size(m), nm = (size_t)m->n_measures, k = 0;
    double *va = malloc(nm * sizeof *va), *vb = malloc(nm * sizeof *vb);
    contrast_acc *acc = calloc((size_t)m->n_summaries, sizeof *acc);
    if (va == NULL || vb == NULL || acc == NULL) {
        free(va);
        free(vb);
        free(acc);
        return 0;
    }
    /* Both sides are in rep order: walk them together, pairing equal reps. */
    size_t i = 0, j = 0;
    while (i < na && j < nb) {
        uint64_t p, ra, rb;
        int32_t oa, ob;
        res_unpack(m, rows_a + i * size, &p, &ra, &oa, va);
        res_unpack(m, rows_b + j * size, &p, &rb, &ob, vb);
        if (ra < rb) {
            i++;
            continue;
        }
        if (rb < ra) {
            j++;
            continue;
        }
        for (int r = 0; r < m->n_summaries; r++) {
            double a = contrast_row_value(&m->summaries[r], oa, va),
                   b = contrast_row_value(&m->summaries[r], ob, vb);
            if (!isnan(a) && !isnan(b))
                contrast_acc_add(&acc[r], a, b);
        }
        i++;
        j++;
    }
    for (int r = 0; r < m->n_summaries; r++)
        if (m->summaries[r].kind != SUMMARY_QUANTILE)
            contrast_acc_row(&acc[r], &m->summaries[r], pa, pb, &out[k++]);
    free(va);
    free(vb);
    free(acc);
    return k;
}

/* Reads point a of ra and point b of rb and appends their contrasts to
 * out at *k. */
static int read_pair(out_reader *ra, out_reader *rb, const model_def *m, uint64_t a, uint64_t b,
                     contrast_row *out, size_t *k, err *e)
{
    unsigned char *xa = NULL, *xb = NULL;
    size_t na = 0, nb = 0;
    int rc = 0;
    if (res_read_replications(ra, m, a, &xa, &na, e) < 0 ||
        res_read_replications(rb, m, b, &xb, &nb, e) < 0)
        rc = -1;
    else
        *k += contrast_pair(m, xa, na, xb, nb, (uint32_t)a, (uint32_t)b, out + *k);
    free(xa);
    free(xb);
    return rc;
}

static int open_meta(const char *path, out_reader **r, res_meta *m, err *e)
{
    if ((*r = out_read_open(path, e)) == NULL)
        return -1;
    if (res_meta_read(*r, path, m, e) < 0) {
        out_read_close(*r);
        return -1;
    }
    if (!m->complete) {
        res_meta_free(m);
        out_read_close(*r);
        return err_set(e, ERR_INPUT, path, 0, NULL,
                       "is an interrupted run: finish it with --resume first");
    }
    char rows[64];
    if (!res_rows_kept(*r, rows, sizeof rows)) {
        res_meta_free(m);
        out_read_close(*r);
        return err_set(e, ERR_INPUT, path, 0, NULL,
                       "keeps not every row (--rows %s): compare pairs the replications row "
                       "by row; run with --rows all (a cases design's contrasts against its "
                       "baseline are in its /contrasts: reassure summary prints them)", rows);
    }
    if (out_read_exists(*r, "/replications_used")) {
        res_meta_free(m);
        out_read_close(*r);
        return err_set(e, ERR_INPUT, path, 0, NULL,
                       "is a --precision result: its points ran different replications, in "
                       "rounds; compare runs of a fixed -n");
    }
    return 0;
}

int contrast_files(const char *a, const char *b, contrast_row **rows, size_t *n, err *e)
{
    *rows = NULL;
    *n = 0;
    out_reader *ra, *rb;
    res_meta ma, mb;
    if (open_meta(a, &ra, &ma, e) < 0)
        return -1;
    if (open_meta(b, &rb, &mb, e) < 0) {
        res_meta_free(&ma);
        out_read_close(ra);
        return -1;
    }
    int rc = 0;
    const model_def *m = model_find(ma.model);
    if (strcmp(ma.model, mb.model) != 0)
        rc = err_set(e, ERR_INPUT, b, 0, NULL, "is a result of model \"%s\", %s of \"%s\"",
                     mb.model, a, ma.model);
    else if (m == NULL)
        rc = err_set(e, ERR_INPUT, a, 0, NULL, "model \"%s\" is not in this build", ma.model);
    else if (ma.seed != mb.seed)
        rc = err_set(e, ERR_INPUT, b, 0, NULL,
                     "has seed %lld, %s seed %lld: replications pair only under one seed",
                     (long long)mb.seed, a, (long long)ma.seed);
    else if (ma.points != mb.points)
        rc = err_set(e, ERR_INPUT, b, 0, NULL, "has %lld points, %s %lld: points pair by number",
                     (long long)mb.points, a, (long long)ma.points);
    contrast_row *out = NULL;
    if (rc == 0 && (out = calloc((size_t)ma.points * (size_t)m->n_summaries + 1, sizeof *out)) ==
                       NULL)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (uint64_t p = 0; rc == 0 && p < (uint64_t)ma.points; p++) {
        if (read_pair(ra, rb, m, p, p, out, &k, e) < 0)
            rc = -1;
    }
    res_meta_free(&ma);
    res_meta_free(&mb);
    out_read_close(ra);
    out_read_close(rb);
    if (rc < 0) {
        free(out);
        return -1;
    }
    *rows = out;
    *n = k;
    return 0;
}

/* The columns of /points other than the case: the point's place in the
 * grid the cases are crossed with. */
static int same_cell(const res_points *pts, size_t a, size_t b, size_t case_col)
{
    for (size_t j = 0; j < pts->n_keys; j++) {
        if (j == case_col)
            continue;
        if (pts->is_text[j] ? strcmp(res_points_text(pts, a, j), res_points_text(pts, b, j)) != 0
                            : pts->value[a * pts->n_keys + j] != pts->value[b * pts->n_keys + j])
            return 0;
    }
    return 1;
}

int contrast_cases(const char *path, const char *baseline, contrast_row **rows, size_t *n,
                   err *e)
{
    *rows = NULL;
    *n = 0;
    out_reader *r;
    res_meta meta;
    if (open_meta(path, &r, &meta, e) < 0)
        return -1;
    res_points pts;
    memset(&pts, 0, sizeof pts);
    char *base = NULL;
    contrast_row *out = NULL;
    int rc = 0;
    const model_def *m = model_find(meta.model);
    size_t case_col = 0;
    if (m == NULL)
        rc = err_set(e, ERR_INPUT, path, 0, NULL, "model \"%s\" is not in this build", meta.model);
    if (rc == 0 && res_read_points(r, &pts, e) < 0)
        rc = -1;
    while (rc == 0 && case_col < pts.n_keys && strcmp(pts.key[case_col], "case") != 0)
        case_col++;
    if (rc == 0 && (case_col == pts.n_keys || !out_read_has_attr(r, "baseline_case")))
        rc = err_set(e, ERR_INPUT, path, 0, NULL,
                     "is not a result of a cases design: compare two files instead");
    if (rc == 0 && baseline == NULL && out_read_attr_str(r, "baseline_case", &base, e) < 0)
        rc = -1;
    const char *ref = baseline != NULL ? baseline : base;
    size_t found = 0;
    for (size_t p = 0; rc == 0 && p < pts.n_points; p++)
        found += strcmp(res_points_text(&pts, p, case_col), ref) == 0;
    if (rc == 0 && found == 0)
        rc = err_set(e, ERR_INPUT, path, 0, NULL, "has no case named \"%s\"", ref);
    if (rc == 0 && (out = calloc(pts.n_points * (size_t)m->n_summaries + 1, sizeof *out)) == NULL)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t b = 0; rc == 0 && b < pts.n_points; b++) {
        if (strcmp(res_points_text(&pts, b, case_col), ref) == 0)
            continue;
        size_t a = 0;
        while (a < pts.n_points && !(strcmp(res_points_text(&pts, a, case_col), ref) == 0 &&
                                     same_cell(&pts, a, b, case_col)))
            a++;
        if (a == pts.n_points)
            continue;
        if (read_pair(r, r, m, a, b, out, &k, e) < 0)
            rc = -1;
    }
    free(base);
    res_points_free(&pts);
    res_meta_free(&meta);
    out_read_close(r);
    if (rc < 0) {
        free(out);
        return -1;
    }
    *rows = out;
    *n = k;
    return 0;
}
