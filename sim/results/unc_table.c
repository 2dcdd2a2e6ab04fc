/* unc_table.c — the tables of a cases or uncertainty design (uncertainty.h),
 * written into the run's own file before it is closed.
 *
 * Estimates per point come from the accumulators (as /summary); paired
 * contrasts need the replications of two points side by side, so the rows
 * are read back from the file being written (out_read_writer), one world
 * of one group at a time: the reference's rows once, then each member's.
 * Memory: the estimates and contrasts of every point (a few doubles per
 * point and row), the rows of two points, and the tables' rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pairs.h"
#include "prim.h"
#include "result.h"
#include "results_read.h"
#include "sensitivity.h"
#include "uncertainty.h"

/* What the tables are computed from: per point and compared row (a share
 * or a mean; quantile rows are left out), the estimate with its 95%
 * interval, and for each point of a non-reference member its paired
 * contrast with the reference in the same world. */
typedef struct unc_data {
    const scenario *s;
    unc_shape u;
    int rows[CONTRAST_MAX_ROWS]; /* the model's compared summary rows (contrast_rows) */
    size_t nr;
    double *est;        /* [point][row][3]: estimate, ci_low, ci_high */
    double *diff;       /* [point][row][3]: B - A, paired ci; NaN at reference points */
    uint64_t *first;    /* [point + 1]: where the point's rows start in /replications */
} unc_data;

static double *at(double *base, const unc_data *d, size_t point, size_t row)
{
    return base + (point * d->nr + row) * 3;
}

static int no_memory(err *e)
{
    return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
}

static int data_init(unc_data *d, const scenario *s, const acc *a, err *e)
{
    const model_def *m = s->model;
    memset(d, 0, sizeof *d);
    d->s = s;
    d->u = unc_shape_of(s);
    d->nr = contrast_rows(m, d->rows);
    size_t cells = s->n_points * d->nr * 3;
    d->est = malloc(cells * sizeof *d->est);
    d->diff = malloc(cells * sizeof *d->diff);
    d->first = malloc((s->n_points + 1) * sizeof *d->first);
    if (d->est == NULL || d->diff == NULL || d->first == NULL)
        return no_memory(e);
    /* A complete run's rows are in (point, rep) order, acc_count of each. */
    d->first[0] = 0;
    for (size_t p = 0; p < s->n_points; p++)
        d->first[p + 1] = d->first[p] + acc_count(a, p);
    for (size_t i = 0; i < cells; i++)
        d->diff[i] = NAN;
    for (size_t p = 0; p < s->n_points; p++)
        for (size_t r = 0; r < d->nr; r++) {
            summary_row row;
            acc_summary(a, p, d->rows[r], &row);
            double *x = at(d->est, d, p, r);
            x[0] = acc_count(a, p) > 0 ? row.estimate : NAN;
            x[1] = row.ci_low;
            x[2] = row.ci_high;
        }
    return 0;
}

static void data_free(unc_data *d)
{
    free(d->est);
    free(d->diff);
    free(d->first);
}

/* Point pb's contrasts (one per compared row) into d->diff, for the
 * tables computed from them across worlds. */
static void keep_contrasts(unc_data *d, size_t pb, const contrast_row *c)
{
    for (size_t i = 0; i < d->nr; i++) {
        double *x = at(d->diff, d, pb, i);
        x[0] = c[i].estimate;
        x[1] = c[i].ci_low;
        x[2] = c[i].ci_high;
    }
}

/* Rows of points [p, p + n) (consecutive worlds of one option) into rows:
 * one read. */
static int span_rows(out_reader *r, const unc_data *d, size_t p, size_t n, unsigned char *rows,
                     err *e)
{
    return res_read_rows(r, d->s->model, d->first[p], (size_t)(d->first[p + n] - d->first[p]),
                         rows, e);
}

/* Worlds read at once: about BATCH_ROWS rows per option, so each read
 * spans many of the table's compressed chunks instead of re-reading one
 * chunk per world. */
enum { BATCH_ROWS = 1 << 16 };

static size_t batch_worlds(const unc_data *d, size_t *rows)
{
    uint64_t most = 1;
    for (size_t p = 0; p < d->s->n_points; p++)
        if (d->first[p + 1] - d->first[p] > most)
            most = d->first[p + 1] - d->first[p];
    size_t w = (size_t)(BATCH_ROWS / most);
    w = w < 1 ? 1 : w > d->u.n_worlds ? d->u.n_worlds : w;
    *rows = w * (size_t)most; /* room for the rows of any w consecutive worlds */
    return w;
}

/* The contrasts of worlds [w0, w0 + nw) of group g into out, in (world,
 * member) order, and into d->diff. */
static int contrast_batch(out_reader *r, unc_data *d, size_t g, size_t w0, size_t nw,
                          unsigned char *ra, unsigned char *rb, contrast_row *out, size_t *k,
                          err *e)
{
    const model_def *m = d->s->model;
    const unc_shape *u = &d->u;
    size_t size = res_row_size(m), members = u->n_members - 1;
    size_t pa0 = unc_point(u, unc_option(u, g, u->baseline), w0);
    int rc = span_rows(r, d, pa0, nw, ra, e);
    for (size_t b = 0, j = 0; rc == 0 && b < u->n_members; b++) {
        if (b == u->baseline)
            continue;
        size_t pb0 = unc_point(u, unc_option(u, g, b), w0);
        if (rc == 0)
            rc = span_rows(r, d, pb0, nw, rb, e);
        for (size_t w = 0; rc == 0 && w < nw; w++) {
            size_t pa = pa0 + w, pb = pb0 + w;
            contrast_row *c = out + (w * members + j) * d->nr;
            size_t n = contrast_pair(m, ra + (d->first[pa] - d->first[pa0]) * size,
                                     (size_t)(d->first[pa + 1] - d->first[pa]),
                                     rb + (d->first[pb] - d->first[pb0]) * size,
                                     (size_t)(d->first[pb + 1] - d->first[pb]), (uint32_t)pa,
                                     (uint32_t)pb, c);
            if (n != d->nr)
                rc = no_memory(e);
            if (rc == 0)
                keep_contrasts(d, pb, c);
        }
        j++;
    }
    *k = nw * members * d->nr;
    return rc;
}

/* The same from the sums folded as the rows were committed: nothing read. */
static int write_folded(out_file *o, int t, unc_data *d, const pairs *pr, err *e)
{
    const unc_shape *u = &d->u;
    contrast_row *out = calloc((u->n_members - 1) * d->nr, sizeof *out);
    int rc = out == NULL ? no_memory(e) : 0;
    for (size_t g = 0; rc == 0 && g < u->n_groups; g++)
        for (size_t w = 0; rc == 0 && w < u->n_worlds; w++) {
            size_t k = 0;
            for (size_t b = 0; b < u->n_members; b++) {
                if (b == u->baseline)
                    continue;
                size_t pb = unc_point(u, unc_option(u, g, b), w);
                contrast_row *c = out + k;
                k += pairs_contrast(pr, pb, c);
                keep_contrasts(d, pb, c);
            }
            rc = out_table_append(o, t, out, k, e);
        }
    free(out);
    return rc;
}

/* /contrasts: every member against the reference, world by world, in
 * (group, world, member) order: from the sums folded at commit when the
 * run kept them (pairs.h), else from the rows read back. */
static int write_contrasts(out_file *o, unc_data *d, const acc *a, err *e)
{
    const unc_shape *u = &d->u;
    int t = out_table_create(o, "/contrasts", contrast_columns, CONTRAST_COLUMNS,
                             sizeof(contrast_row), 1024, e);
    if (t < 0)
        return -1;
    if (pairs_ready(acc_pairs(a)))
        return write_folded(o, t, d, acc_pairs(a), e);
    size_t rows, nw = batch_worlds(d, &rows), size = res_row_size(d->s->model);
    out_reader *r = out_read_writer(o, e);
    contrast_row *out = calloc(nw * (u->n_members - 1) * (size_t)d->s->model->n_summaries,
                               sizeof *out);
    unsigned char *ra = malloc(rows * size), *rb = malloc(rows * size);
    int rc = r == NULL ? -1 : out == NULL || ra == NULL || rb == NULL ? no_memory(e) : 0;
    for (size_t g = 0; rc == 0 && g < u->n_groups; g++)
        for (size_t w0 = 0; rc == 0 && w0 < u->n_worlds; w0 += nw) {
            size_t n = w0 + nw <= u->n_worlds ? nw : u->n_worlds - w0, k = 0;
            rc = contrast_batch(r, d, g, w0, n, ra, rb, out, &k, e);
            if (rc == 0)
                rc = out_table_append(o, t, out, k, e);
        }
    free(out);
    free(ra);
    free(rb);
    out_read_close(r);
    return rc;
}

static int write_options(out_file *o, const unc_data *d, double *tmp, err *e)
{
    const unc_shape *u = &d->u;
    int t = out_table_create(o, "/uncertainty/options", unc_option_columns, UNC_OPTION_COLUMNS,
                             sizeof(unc_option_row), 256, e);
    double *half = malloc(u->n_worlds * sizeof *half);
    int rc = t < 0 ? -1 : half == NULL ? no_memory(e) : 0;
    for (size_t opt = 0; rc == 0 && opt < u->n_options; opt++)
        for (size_t r = 0; rc == 0 && r < d->nr; r++) {
            unc_option_row row = {.option = (uint32_t)opt,
                                  .point = (uint32_t)unc_point(u, opt, 0)};
            strncpy(row.name, d->s->model->summaries[d->rows[r]].name, sizeof row.name - 1);
            for (size_t w = 0; w < u->n_worlds; w++) {
                const double *x = at(d->est, d, unc_point(u, opt, w), r);
                tmp[w] = x[0];
                half[w] = isnan(x[0]) ? NAN : (x[2] - x[1]) / 2;
            }
            double q[5], mean;
            row.worlds = unc_spread(tmp, u->n_worlds, &row.mean, q);
            row.q05 = q[0];
            row.q25 = q[1];
            row.q50 = q[2];
            row.q75 = q[3];
            row.q95 = q[4];
            unc_spread(half, u->n_worlds, &mean, q);
            row.mc_half = q[2];
            rc = out_table_append(o, t, &row, 1, e);
        }
    free(half);
    return rc;
}

static int write_shares(out_file *o, const unc_data *d, double *tmp, err *e)
{
    const unc_shape *u = &d->u;
    int t = out_table_create(o, "/uncertainty/contrasts", unc_contrast_columns,
                             UNC_CONTRAST_COLUMNS, sizeof(unc_contrast_row), 256, e);
    size_t n = u->n_worlds;
    double *dv = malloc(3 * n * sizeof *dv);
    int rc = t < 0 ? -1 : dv == NULL ? no_memory(e) : 0;
    for (size_t g = 0; rc == 0 && g < u->n_groups; g++)
        for (size_t b = 0; rc == 0 && b < u->n_members; b++) {
            if (b == u->baseline)
                continue;
            size_t oa = unc_option(u, g, u->baseline), ob = unc_option(u, g, b);
            for (size_t r = 0; rc == 0 && r < d->nr; r++) {
                for (size_t w = 0; w < n; w++) {
                    const double *x = at(d->diff, d, unc_point(u, ob, w), r);
                    dv[w] = x[0];
                    dv[n + w] = x[1];
                    dv[2 * n + w] = x[2];
                }
                unc_contrast_row row = {.option_a = (uint32_t)oa, .option_b = (uint32_t)ob,
                                        .point_a = (uint32_t)unc_point(u, oa, 0),
                                        .point_b = (uint32_t)unc_point(u, ob, 0)};
                strncpy(row.name, d->s->model->summaries[d->rows[r]].name, sizeof row.name - 1);
                unc_contrast_shares(dv, dv + n, dv + 2 * n, n, tmp, &row);
                rc = out_table_append(o, t, &row, 1, e);
            }
        }
    free(dv);
    return rc;
}

/* The compared row of summary row r of the model, or -1. */
static int compared(const unc_data *d, int r)
{
    for (size_t i = 0; i < d->nr; i++)
        if (d->rows[i] == r)
            return (int)i;
    return -1;
}

static int write_regret(out_file *o, const unc_data *d, double *tmp, err *e)
{
    const unc_shape *u = &d->u;
    const scenario *s = d->s;
    int t = out_table_create(o, "/uncertainty/regret", unc_regret_columns, UNC_REGRET_COLUMNS,
                             sizeof(unc_regret_row), 256, e);
    double *v = malloc(s->n_points * sizeof *v);
    unc_regret_row *rows = calloc(u->n_options, sizeof *rows);
    int rc = t < 0 ? -1 : v == NULL || rows == NULL ? no_memory(e) : 0;
    int obj = compared(d, s->objective);
    for (size_t p = 0; rc == 0 && p < s->n_points; p++)
        v[p] = at(d->est, d, p, (size_t)obj)[0];
    if (rc == 0) {
        unc_regret(u, v, s->goal, s->tolerance, tmp, rows);
        for (size_t i = 0; i < u->n_options; i++)
            strncpy(rows[i].name, s->model->summaries[s->objective].name,
                    sizeof rows[i].name - 1);
        rc = out_table_append(o, t, rows, u->n_options, e);
    }
    free(v);
    free(rows);
    return rc;
}

/* The worlds' assumption values as doubles, x[w * k + j]. */
static double *world_inputs(const scenario *s)
{
    size_t k = s->n_assumptions, g = s->n_swept - k;
    double *x = malloc(s->n_worlds * k * sizeof *x);
    for (size_t w = 0; x != NULL && w < s->n_worlds; w++)
        for (size_t j = 0; j < k; j++) {
            scn_cell v = s->worlds[w * k + j];
            x[w * k + j] = s->swept[g + j].key->type == SCH_INT ? (double)v.i : v.r;
        }
    return x;
}

/* One box: the worlds where question q holds for option a (against option
 * b for WORSE), as rows of /discovery. */
static int discover_one(out_file *o, int t, const unc_data *d, size_t q, size_t a, size_t b,
                        const double *x, double *xs, int *y, err *e)
{
    const scenario *s = d->s;
    const scn_rule *rule = &s->rules[q];
    const unc_shape *u = &d->u;
    size_t k = s->n_assumptions, n = 0;
    int obj = compared(d, s->objective), out = compared(d, rule->output);
    for (size_t w = 0; w < u->n_worlds; w++) {
        double va, vb = 0;
        if (rule->kind == SCN_RULE_WORSE) {
            va = at(d->est, d, unc_point(u, a, w), (size_t)obj)[0];
            vb = at(d->est, d, unc_point(u, b, w), (size_t)obj)[0];
        } else {
            va = at(d->est, d, unc_point(u, a, w), (size_t)out)[0];
        }
        if (isnan(va) || isnan(vb))
            continue;
        memcpy(xs + n * k, x + w * k, k * sizeof *x);
        y[n++] = rule->kind == SCN_RULE_WORSE ? (s->goal < 0 ? va > vb : va < vb)
               : rule->kind == SCN_RULE_ABOVE ? va > rule->threshold
                                              : va < rule->threshold;
    }
    if (n == 0)
        return 0;
    prim_result *res = NULL;
    if (prim_find(xs, y, n, k, NULL, &res, e) < 0)
        return -1;
    int rc = 0;
    for (size_t j = 0; rc == 0 && j < k; j++) {
        unc_discovery_row row = {
            .rule = (uint32_t)q, .option = (uint32_t)a, .point = (uint32_t)unc_point(u, a, 0),
            .lo = res->box[j].lo, .hi = res->box[j].hi, .restricted = res->box[j].restricted,
            .quasi_p = res->box[j].quasi_p, .coverage = res->coverage, .density = res->density,
            .mass = res->mass, .inside = res->n_inside, .of_interest = res->n_interest,
            .worlds = n};
        snprintf(row.question, sizeof row.question, "%s", rule->text);
        snprintf(row.key, sizeof row.key, "%s", s->swept[s->n_swept - k + j].key->path);
        rc = out_table_append(o, t, &row, 1, e);
    }
    prim_free(res);
    return rc;
}

static int write_discovery(out_file *o, const unc_data *d, err *e)
{
    const scenario *s = d->s;
    const unc_shape *u = &d->u;
    int t = out_table_create(o, "/discovery", unc_discovery_columns, UNC_DISCOVERY_COLUMNS,
                             sizeof(unc_discovery_row), 256, e);
    double *x = world_inputs(s);
    double *xs = malloc(u->n_worlds * s->n_assumptions * sizeof *xs);
    int *y = malloc(u->n_worlds * sizeof *y);
    int rc = t < 0 ? -1 : x == NULL || xs == NULL || y == NULL ? no_memory(e) : 0;
    for (size_t q = 0; rc == 0 && q < s->n_rules; q++) {
        const scn_rule *rule = &s->rules[q];
        /* With cases, the question's case in each grid cell; without, every option. */
        size_t targets = s->n_cases > 0 ? u->n_groups : u->n_options;
        for (size_t i = 0; rc == 0 && i < targets; i++) {
            size_t a = s->n_cases > 0 ? unc_option(u, i, rule->a) : i;
            size_t b = s->n_cases > 0 ? unc_option(u, i, rule->b) : 0;
            rc = discover_one(o, t, d, q, a, b, x, xs, y, e);
        }
    }
    free(x);
    free(xs);
    free(y);
    return rc;
}

/* Sobol sampling: the indices of each contrast of the objective. */
static int write_sensitivity(out_file *o, const unc_data *d, err *e)
{
    const scenario *s = d->s;
    const unc_shape *u = &d->u;
    size_t k = s->n_assumptions;
    int t = out_table_create(o, "/uncertainty/sensitivity", unc_sens_columns, UNC_SENS_COLUMNS,
                             sizeof(unc_sens_row), 256, e);
    double *y = malloc(u->n_worlds * sizeof *y);
    sens_result *res = malloc(k * sizeof *res);
    int rc = t < 0 ? -1 : y == NULL || res == NULL ? no_memory(e) : 0;
    int obj = compared(d, s->objective);
    for (size_t g = 0; rc == 0 && g < u->n_groups; g++)
        for (size_t b = 0; rc == 0 && b < u->n_members; b++) {
            if (b == u->baseline)
                continue;
            size_t oa = unc_option(u, g, u->baseline), ob = unc_option(u, g, b);
            for (size_t w = 0; w < u->n_worlds; w++)
                y[w] = at(d->diff, d, unc_point(u, ob, w), (size_t)obj)[0];
            rc = sens_saltelli(s->world_samples, k, y, SENS_RESAMPLES, s->seed, res, e);
            for (size_t j = 0; rc == 0 && j < k; j++) {
                unc_sens_row row = {.option_a = (uint32_t)oa, .option_b = (uint32_t)ob,
                                    .S1 = res[j].S1, .S1_low = res[j].S1_ci_low,
                                    .S1_high = res[j].S1_ci_high, .ST = res[j].ST,
                                    .ST_low = res[j].ST_ci_low, .ST_high = res[j].ST_ci_high,
                                    .samples = s->world_samples};
                strncpy(row.name, s->model->summaries[s->objective].name, sizeof row.name - 1);
                snprintf(row.key, sizeof row.key, "%s", s->swept[s->n_swept - k + j].key->path);
                rc = out_table_append(o, t, &row, 1, e);
            }
        }
    free(y);
    free(res);
    return rc;
}

int unc_write(out_file *o, const scenario *s, const acc *a, err *e)
{
    if (s->n_cases == 0 && s->n_worlds == 0)
        return 0;
    unc_data d;
    int rc = data_init(&d, s, a, e);
    double *tmp = rc == 0 ? malloc(d.u.n_worlds * sizeof *tmp) : NULL;
    if (rc == 0 && tmp == NULL)
        rc = no_memory(e);
    if (rc == 0 && d.u.n_members > 1)
        rc = write_contrasts(o, &d, a, e);
    if (rc == 0 && s->n_worlds > 0) {
        rc = write_options(o, &d, tmp, e);
        if (rc == 0 && d.u.n_members > 1)
            rc = write_shares(o, &d, tmp, e);
        if (rc == 0)
            rc = write_regret(o, &d, tmp, e);
        if (rc == 0 && s->n_rules > 0)
            rc = write_discovery(o, &d, e);
        if (rc == 0 && s->world_sampling == SCN_SOBOL && d.u.n_members > 1)
            rc = write_sensitivity(o, &d, e);
    }
    free(tmp);
    data_free(&d);
    return rc;
}
