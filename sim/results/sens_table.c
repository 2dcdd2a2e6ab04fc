/* sens_table.c — the /sensitivity table (sensitivity.h): its rows
 * computed from a run's accumulators by the estimators (sensitivity.c),
 * written through out.h, read back through results_read.h, and printed
 * ranked by total effect. */
#include "sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "results_read.h"

static const char METHOD[] =
    "Saltelli et al. 2010 sampling on gsl_qrng_sobol (A, B, AB^j per base sample); "
    "S1: Saltelli 2010 estimator (f(B) centred); ST: Jansen 1999 estimator; "
    "variance of f(A) and f(B); "
    "95% percentile bootstrap over the base samples (Philox stream seed, purpose 0x100002)";

/* The rows of every output (n_outputs x n_swept), or NULL (e filled). */
static sens_row *compute_rows(const scenario *s, const acc *a, err *e)
{
    size_t k = s->n_swept, np = s->n_points;
    sens_row *rows = calloc(s->n_outputs * k, sizeof *rows);
    double *y = malloc(np * sizeof *y);
    sens_result *res = malloc(k * sizeof *res);
    if (!rows || !y || !res) {
        err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
        goto fail;
    }
    for (size_t o = 0; o < s->n_outputs; o++) {
        int out_index = s->outputs[o];
        for (size_t p = 0; p < np; p++) {
            summary_row row;
            acc_summary(a, p, out_index, &row);
            y[p] = row.estimate;
        }
        if (sens_compute(s, y, res, e) < 0)
            goto fail;
        for (size_t j = 0; j < k; j++) {
            sens_row *r = &rows[o * k + j];
            snprintf(r->output, sizeof r->output, "%s", s->model->summaries[out_index].name);
            snprintf(r->parameter, sizeof r->parameter, "%s", s->swept[j].key->path);
            r->S1 = res[j].S1;
            r->S1_ci_low = res[j].S1_ci_low;
            r->S1_ci_high = res[j].S1_ci_high;
            r->ST = res[j].ST;
            r->ST_ci_low = res[j].ST_ci_low;
            r->ST_ci_high = res[j].ST_ci_high;
        }
    }
    free(y);
    free(res);
    return rows;
fail:
    free(rows);
    free(y);
    free(res);
    return NULL;
}

static int every_point_done(const scenario *s, const acc *a)
{
    for (size_t p = 0; p < s->n_points; p++)
        if (acc_count(a, p) == 0)
            return 0;
    return 1;
}

const out_column sens_columns[SENS_COLUMNS] = {
    {"output", OUT_STR, offsetof(sens_row, output), SENS_OUTPUT_LEN, NULL, 0},
    {"parameter", OUT_STR, offsetof(sens_row, parameter), SENS_PARAMETER_LEN, NULL, 0},
    {"S1", OUT_F64, offsetof(sens_row, S1), 0, NULL, 0},
    {"S1_ci_low", OUT_F64, offsetof(sens_row, S1_ci_low), 0, NULL, 0},
    {"S1_ci_high", OUT_F64, offsetof(sens_row, S1_ci_high), 0, NULL, 0},
    {"ST", OUT_F64, offsetof(sens_row, ST), 0, NULL, 0},
    {"ST_ci_low", OUT_F64, offsetof(sens_row, ST_ci_low), 0, NULL, 0},
    {"ST_ci_high", OUT_F64, offsetof(sens_row, ST_ci_high), 0, NULL, 0},
};

int sens_write(out_file *o, const scenario *s, const acc *a, err *e)
{
    if (s->design != SCN_SOBOL || !every_point_done(s, a))
        return 0;
    sens_row *rows = compute_rows(s, a, e);
    if (rows == NULL)
        return -1;
    size_t n = s->n_outputs * s->n_swept;
    int t = out_table_create(o, "/sensitivity", sens_columns, SENS_COLUMNS,
                             sizeof(sens_row), n, e);
    int rc = t < 0 ? -1 : out_table_append(o, t, rows, n, e);
    if (rc == 0)
        rc = out_attr_i64(o, "/sensitivity", "samples", (int64_t)s->samples, e);
    if (rc == 0)
        rc = out_attr_i64(o, "/sensitivity", "bootstrap_resamples", SENS_RESAMPLES, e);
    if (rc == 0)
        rc = out_attr_str(o, "/sensitivity", "method", METHOD, e);
    free(rows);
    return rc;
}

/* ---- the ranked table ------------------------------------------------------ */

/* Descending ST; NaN last; ties in the order of the sweep. */
static int by_st(const void *pa, const void *pb)
{
    const sens_row *a = *(const sens_row *const *)pa, *b = *(const sens_row *const *)pb;
    int na = isnan(a->ST), nb = isnan(b->ST);
    if (na != nb)
        return na - nb;
    if (!na && a->ST != b->ST)
        return a->ST < b->ST ? 1 : -1;
    return a < b ? -1 : a > b;
}

static void cell(char *buf, size_t n, double est, double lo, double hi)
{
    if (isnan(est))
        snprintf(buf, n, "%6s", "-");
    else if (isnan(lo) || isnan(hi))
        snprintf(buf, n, "%6.3f", est);
    else
        snprintf(buf, n, "%6.3f [%6.3f, %6.3f]", est, lo, hi);
}

/* One output's n rows, ranked by ST. samples = 0 when unknown. */
static void print_ranked(FILE *f, const sens_row *rows, size_t n, long long samples)
{
    const sens_row **order = malloc((n ? n : 1) * sizeof *order);
    if (order == NULL)
        return;
    int w = 9;
    double sum_s1 = 0;
    for (size_t i = 0; i < n; i++) {
        order[i] = &rows[i];
        int len = (int)strlen(rows[i].parameter);
        w = len > w ? len : w;
        sum_s1 += rows[i].S1;
    }
    w = w > 40 ? 40 : w;
    qsort(order, n, sizeof *order, by_st);
    fprintf(f, "\nSobol indices of %s, ranked by total effect ST (95%% bootstrap intervals",
            n ? rows[0].output : "?");
    if (samples > 0)
        fprintf(f, "; %lld base samples", samples);
    fprintf(f, ")\n  %4s  %-*s  %-23s  %s\n", "rank", w, "parameter", "S1 (alone)",
            "ST (with interactions)");
    for (size_t i = 0; i < n; i++) {
        char s1[64], st[64];
        cell(s1, sizeof s1, order[i]->S1, order[i]->S1_ci_low, order[i]->S1_ci_high);
        cell(st, sizeof st, order[i]->ST, order[i]->ST_ci_low, order[i]->ST_ci_high);
        fprintf(f, "  %4zu  %-*.*s  %-23s  %s\n", i + 1, w, w, order[i]->parameter, s1, st);
    }
    fprintf(f, "S1: share of the variance of %s due to the key alone; ST: with all its\n"
               "interactions (ST - S1 large: the key matters through others). Sum of S1: %.3f\n",
            n ? rows[0].output : "?", sum_s1);
    free(order);
}

void sens_print_rows(FILE *f, const sens_row *rows, size_t n, long long samples)
{
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(rows[j].output, rows[i].output) == 0)
            j++;
        print_ranked(f, rows + i, j - i, samples);
        i = j;
    }
}

void sens_print(FILE *f, const scenario *s, const acc *a)
{
    if (s->design != SCN_SOBOL || !every_point_done(s, a))
        return;
    err e;
    err_clear(&e);
    sens_row *rows = compute_rows(s, a, &e);
    if (rows == NULL) {
        fprintf(f, "sensitivity: %s\n", e.msg);
        return;
    }
    sens_print_rows(f, rows, s->n_outputs * s->n_swept, (long long)s->samples);
    free(rows);
}

int sens_print_file(const char *h5path, FILE *f, err *e)
{
    int rc = 0;
    FILE *probe = fopen(h5path, "rb");
    if (probe == NULL)
        return err_set(e, ERR_RUNTIME, h5path, 0, NULL, "cannot open the result file");
    fclose(probe);
    err why;
    out_reader *r = out_read_open(h5path, &why);
    if (r == NULL)
        return err_set(e, ERR_RUNTIME, h5path, 0, NULL, "not a readable HDF5 file");
    if (out_read_exists(r, "/sensitivity")) {
        sens_row *rows = NULL;
        size_t n = 0;
        int64_t samples = 0;
        if (res_read_sensitivity(r, &rows, &n, &samples, &why) < 0) {
            rc = err_set(e, ERR_RUNTIME, h5path, 0, NULL,
                         "cannot read /sensitivity: the file is damaged");
        } else {
            sens_print_rows(f, rows, n, (long long)samples);
            rc = 1;
        }
        free(rows);
    }
    out_read_close(r);
    return rc;
}
