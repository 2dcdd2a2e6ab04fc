/* report_unc.c — what a person reads of a cases or uncertainty result
 * (report.h): options across worlds, shares of worlds, regret and
 * scenario discovery, each interval saying what it covers; and, for a
 * cases design, its paired contrasts. Reads through the results reader.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "report.h"
#include "result.h"
#include "results_read.h"
#include "uncertainty.h"

enum { LABEL = 64 };

/* A box's restriction with a quasi-p-value at or above this is printed as weak. */
#define WEAK_P 0.05

/* What the printers share: the file, its options' labels and the tables. */
typedef struct unc_file {
    const char *path;
    out_reader *r;
    res_points pts;
    int64_t worlds, options, replications;
    char *objective, *goal, *sampling, *keys, *baseline;
    double tolerance;
    char (*label)[LABEL];    /* [option]: case and grid values */
    size_t n_assumptions;
} unc_file;

static int unc_is_assumption(const unc_file *u, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = u->keys; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, key, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
            return 1;
    return 0;
}

/* "case, key=value, ..." of option o's first point: what sets it apart. */
static void unc_make_labels(unc_file *u)
{
    for (int64_t o = 0; o < u->options; o++) {
        size_t p = (size_t)(o * u->worlds), used = 0;
        char *l = u->label[o];
        l[0] = '\0';
        for (size_t j = 0; j < u->pts.n_keys && p < u->pts.n_points; j++) {
            const char *key = u->pts.key[j];
            if (unc_is_assumption(u, key))
                continue;
            char v[48];
            if (u->pts.is_text[j])
                snprintf(v, sizeof v, "%s", res_points_text(&u->pts, p, j));
            else
                snprintf(v, sizeof v, "%g", u->pts.value[p * u->pts.n_keys + j]);
            int w = strcmp(key, "case") == 0
                        ? snprintf(l + used, LABEL - used, "%s%s", used ? ", " : "", v)
                        : snprintf(l + used, LABEL - used, "%s%s=%s", used ? ", " : "", key, v);
            used += w > 0 && (size_t)w < LABEL - used ? (size_t)w : 0;
        }
        if (used == 0)
            snprintf(l, LABEL, "option %lld", (long long)o);
    }
}

static void unc_close(unc_file *u)
{
    res_points_free(&u->pts);
    free(u->objective);
    free(u->goal);
    free(u->sampling);
    free(u->keys);
    free(u->baseline);
    free(u->label);
    out_read_close(u->r);
}

static int unc_open(const char *path, unc_file *u, err *e)
{
    memset(u, 0, sizeof *u);
    u->path = path;
    if ((u->r = out_read_open(path, e)) == NULL)
        return -1;
    int rc = res_read_points(u->r, &u->pts, e);
    if (rc == 0 && out_read_has_attr(u->r, "worlds")) {
        double tol = 0;
        rc = out_read_attr_i64(u->r, "worlds", &u->worlds, e) < 0 ||
             out_read_attr_i64(u->r, "options", &u->options, e) < 0 ||
             out_read_attr_i64(u->r, "replications", &u->replications, e) < 0 ||
             out_read_attr_str(u->r, "objective", &u->objective, e) < 0 ||
             out_read_attr_str(u->r, "goal", &u->goal, e) < 0 ||
             out_read_attr_str(u->r, "world_sampling", &u->sampling, e) < 0 ||
             out_read_attr_str(u->r, "assumption_keys", &u->keys, e) < 0 ||
             out_read_attr_f64(u->r, "tolerance", &tol, e) < 0
                 ? -1 : 0;
        u->tolerance = tol;
        for (const char *p = u->keys; rc == 0 && p != NULL && *p; p = strchr(p, '\n'))
            u->n_assumptions++, p += *p == '\n';
    } else if (rc == 0) {
        u->worlds = 1;
        u->options = (int64_t)u->pts.n_points;
    }
    if (rc == 0 && out_read_has_attr(u->r, "baseline_case"))
        rc = out_read_attr_str(u->r, "baseline_case", &u->baseline, e);
    if (rc == 0 && u->worlds > 0 &&
        (u->label = calloc((size_t)u->options + 1, sizeof *u->label)) == NULL)
        rc = err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
    if (rc == 0)
        unc_make_labels(u);
    if (rc < 0)
        unc_close(u);
    return rc;
}

static int unc_read(unc_file *u, const char *table, const out_column *cols, int nc, size_t size,
                void **rows, size_t *n, err *e)
{
    return res_read_table(u->r, table, cols, nc, size, rows, n, e);
}

static int unc_label_width(const unc_file *u)
{
    int w = 6;
    for (int64_t o = 0; o < u->options; o++)
        w = (int)strlen(u->label[o]) > w ? (int)strlen(u->label[o]) : w;
    return w;
}

static int unc_print_options(unc_file *u, FILE *f, err *e)
{
    unc_option_row *rows;
    size_t n;
    if (unc_read(u, "/uncertainty/options", unc_option_columns, UNC_OPTION_COLUMNS, sizeof *rows,
             (void **)&rows, &n, e) < 0)
        return -1;
    int w = unc_label_width(u);
    fprintf(f, "\n%s of each option across the worlds — the spread the assumptions make — and "
               "the\nMonte Carlo 95%% half-width of one world's estimate (the median over "
               "worlds):\n", u->objective);
    fprintf(f, "  %-*s  %8s  %-22s  %-22s  %s\n", w, "option", "median",
            "50% of worlds", "90% of worlds", "Monte Carlo");
    for (size_t i = 0; i < n; i++) {
        unc_option_row *r = &rows[i];
        r->name[sizeof r->name - 1] = '\0';
        if (strcmp(r->name, u->objective) != 0 || r->option >= (uint64_t)u->options)
            continue;
        char mid[32], wide[32];
        snprintf(mid, sizeof mid, "[%.3f, %.3f]", r->q25, r->q75);
        snprintf(wide, sizeof wide, "[%.3f, %.3f]", r->q05, r->q95);
        fprintf(f, "  %-*s  %8.3f  %-22s  %-22s  ±%.3f\n", w, u->label[r->option], r->q50, mid,
                wide, r->mc_half);
    }
    fprintf(f, "  (50%% and 90%% of worlds: assumptions; ±: Monte Carlo, %lld replications a "
               "world)\n", (long long)u->replications);
    free(rows);
    return 0;
}

static int unc_print_shares(unc_file *u, FILE *f, err *e)
{
    unc_contrast_row *rows;
    size_t n;
    if (!out_read_exists(u->r, "/uncertainty/contrasts"))
        return 0;
    if (unc_read(u, "/uncertainty/contrasts", unc_contrast_columns, UNC_CONTRAST_COLUMNS,
             sizeof *rows, (void **)&rows, &n, e) < 0)
        return -1;
    int lower = strcmp(u->goal, "min") == 0, w = unc_label_width(u);
    fprintf(f, "\nworld by world against the reference, on %s (%s is better): the share of "
               "worlds\nthat favour each, with 95%% intervals over the worlds (assumptions); "
               "\"clear\": worlds whose\npaired Monte Carlo interval excludes a tie\n",
            u->objective, lower ? "lower" : "higher");
    fprintf(f, "  %-*s  %-*s  %-18s  %-18s  %6s  %s\n", w, "option", w, "reference",
            "favours option", "favours reference", "clear", "B - A: median [5%, 95%]");
    for (size_t i = 0; i < n; i++) {
        unc_contrast_row *r = &rows[i];
        r->name[sizeof r->name - 1] = '\0';
        if (strcmp(r->name, u->objective) != 0)
            continue;
        /* B is favoured where B - A is on the goal's side of 0. */
        double fb = lower ? r->below : r->above, fbl = lower ? r->below_low : r->above_low,
               fbh = lower ? r->below_high : r->above_high;
        double fa = lower ? r->above : r->below, fal = lower ? r->above_low : r->below_low,
               fah = lower ? r->above_high : r->below_high;
        char b[32], a[32];
        snprintf(b, sizeof b, "%3.0f%% [%2.0f, %2.0f]", 100 * fb, 100 * fbl, 100 * fbh);
        snprintf(a, sizeof a, "%3.0f%% [%2.0f, %2.0f]", 100 * fa, 100 * fal, 100 * fah);
        fprintf(f, "  %-*s  %-*s  %-18s  %-18s  %5.0f%%  %+.3f [%+.3f, %+.3f]\n", w,
                u->label[r->option_b], w, u->label[r->option_a], b, a, 100 * r->clear, r->q50,
                r->q05, r->q95);
    }
    free(rows);
    return 0;
}

static int unc_print_regret(unc_file *u, FILE *f, err *e)
{
    unc_regret_row *rows;
    size_t n;
    if (unc_read(u, "/uncertainty/regret", unc_regret_columns, UNC_REGRET_COLUMNS, sizeof *rows,
             (void **)&rows, &n, e) < 0)
        return -1;
    int w = unc_label_width(u);
    fprintf(f, "\nregret on %s: in each world, how far an option is from the best option "
               "there;\nranked by the largest regret over the worlds (minimax regret); "
               "near-best: within %g\n", u->objective, u->tolerance);
    fprintf(f, "  %4s  %-*s  %10s  %10s  %10s  %11s  %s\n", "rank", w, "option", "mean value",
            "max regret", "mean", "95% worlds", "near-best worlds (assumptions)");
    uint32_t groups = 0;
    for (size_t i = 0; i < n; i++)
        groups = rows[i].group + 1 > groups ? rows[i].group + 1 : groups;
    for (uint32_t g = 0; g < groups; g++)
        for (uint32_t rank = 1; rank <= n; rank++)
            for (size_t i = 0; i < n; i++) {
                const unc_regret_row *r = &rows[i];
                if (r->group != g || r->rank != rank || r->option >= (uint64_t)u->options)
                    continue;
                fprintf(f, "  %4u  %-*s  %10.3f  %10.3f  %10.3f  %11.3f  %3.0f%% [%2.0f, %2.0f]\n",
                        r->rank, w, u->label[r->option], r->mean_value, r->max_regret,
                        r->mean_regret, r->q95_regret, 100 * r->near_best, 100 * r->near_low,
                        100 * r->near_high);
            }
    free(rows);
    return 0;
}

/* One box as a plain rule: "when k1 > x and k2 <= y". */
static void unc_print_box(const unc_file *u, const unc_discovery_row *rows, size_t n, FILE *f)
{
    const unc_discovery_row *h = &rows[0];
    fprintf(f, "  %s", h->question);
    /* which option (no cases) or which grid cell (cases crossed with a grid) */
    if (h->option < (uint64_t)u->options &&
        (u->baseline == NULL || strchr(u->label[h->option], '=') != NULL))
        fprintf(f, " (for %s)", u->label[h->option]);
    fprintf(f, ": true in %llu of %llu worlds\n", (unsigned long long)h->of_interest,
            (unsigned long long)h->worlds);
    if (h->of_interest == 0) {
        fprintf(f, "    never: nothing to explain\n");
        return;
    }
    size_t restricted = 0;
    for (size_t i = 0; i < n; i++)
        restricted += rows[i].restricted != 0;
    if (restricted == 0) {
        fprintf(f, "    no box does better than all worlds (%.0f%% of them)\n", 100 * h->density);
        return;
    }
    fprintf(f, "    true in %.0f%% of the worlds of this box, which holds %.0f%% of the worlds "
               "where it is true\n    (density, coverage); the box:", 100 * h->density,
            100 * h->coverage);
    /* A restriction whose quasi-p-value is large is as likely the search
     * fitting noise as a condition: listed apart, so the rule reads true. */
    const char *sep = "";
    size_t weak = 0;
    for (size_t i = 0; i < n; i++) {
        const unc_discovery_row *r = &rows[i];
        if (!r->restricted)
            continue;
        if (!(r->quasi_p < WEAK_P)) {
            weak++;
            continue;
        }
        fprintf(f, "%s\n      %s in [%.4g, %.4g]  (quasi-p %.2g)", sep, r->key, r->lo, r->hi,
                r->quasi_p);
        sep = " and";
    }
    if (weak == restricted)
        fprintf(f, " no restriction stands out (every quasi-p >= %g)", WEAK_P);
    fprintf(f, "\n");
    if (weak > 0) {
        fprintf(f, "    weaker restrictions (quasi-p >= %g, possibly noise):", WEAK_P);
        for (size_t i = 0; i < n; i++)
            if (rows[i].restricted && !(rows[i].quasi_p < WEAK_P))
                fprintf(f, " %s", rows[i].key);
        fprintf(f, "\n");
    }
}

static int unc_print_discovery(unc_file *u, FILE *f, err *e)
{
    unc_discovery_row *rows;
    size_t n;
    if (!out_read_exists(u->r, "/discovery"))
        return 0;
    if (unc_read(u, "/discovery", unc_discovery_columns, UNC_DISCOVERY_COLUMNS, sizeof *rows,
             (void **)&rows, &n, e) < 0)
        return -1;
    fprintf(f, "\nscenario discovery (PRIM over the %zu assumption key%s; box bounds in each "
               "key's units):\n", u->n_assumptions, u->n_assumptions == 1 ? "" : "s");
    for (size_t i = 0; i < n; i++) {
        rows[i].question[UNC_QUESTION - 1] = '\0';
        rows[i].key[UNC_KEY - 1] = '\0';
    }
    for (size_t i = 0, j; i < n; i = j) {
        for (j = i; j < n && rows[j].rule == rows[i].rule && rows[j].option == rows[i].option; j++)
            ;
        unc_print_box(u, rows + i, j - i, f);
    }
    free(rows);
    return 0;
}

/* A cases design without worlds: every option against the baseline. */
static int unc_print_contrasts(unc_file *u, FILE *f, err *e)
{
    contrast_row *rows;
    size_t n;
    if (unc_read(u, "/contrasts", contrast_columns, CONTRAST_COLUMNS, sizeof *rows, (void **)&rows,
             &n, e) < 0)
        return -1;
    char model[64] = "";
    char *name = NULL;
    if (out_read_attr_str(u->r, "model", &name, e) == 0)
        snprintf(model, sizeof model, "%s", name);
    free(name);
    const model_def *m = model_find(model);
    const char *headline = m != NULL ? m->summaries[model_headline(m)].name : "";
    /* compare pairs rows: of a file that keeps them (--rows all). */
    char every[4200] = "";
    if (res_rows_kept(u->r, NULL, 0))
        snprintf(every, sizeof every, "; every row: reassure compare %s", u->path);
    fprintf(f, "\npaired contrasts of %s against the baseline \"%s\" (B - A, the same random "
               "numbers\nreplication by replication; 95%% intervals, Monte Carlo, and the unpaired "
               "half-width for\ncomparison%s):\n", headline, u->baseline ? u->baseline : "", every);
    int w = unc_label_width(u);
    fprintf(f, "  %-*s  %-22s  %10s  %-24s  %s\n", w, "option", "row", "B - A", "paired 95%",
            "unpaired ±");
    for (size_t i = 0; i < n; i++) {
        contrast_row *r = &rows[i];
        r->name[sizeof r->name - 1] = '\0';
        if (strcmp(r->name, headline) != 0 || r->point_b >= (uint64_t)u->options)
            continue;
        char ci[40];
        snprintf(ci, sizeof ci, "[%+.4f, %+.4f]", r->ci_low, r->ci_high);
        fprintf(f, "  %-*s  %-22s  %+10.4f  %-24s  ±%.4f\n", w, u->label[r->point_b], r->name,
                r->estimate, ci, r->unpaired_half);
    }
    free(rows);
    return 0;
}

int report_uncertainty(const char *path, FILE *f, err *e)
{
    unc_file u;
    if (unc_open(path, &u, e) < 0)
        return -1;
    int rc = 0;
    if (u.n_assumptions == 0) {
        rc = out_read_exists(u.r, "/contrasts") ? unc_print_contrasts(&u, f, e) : 0;
        unc_close(&u);
        return rc;
    }
    fprintf(f, "\noptions under uncertainty: %lld option%s x %lld worlds, drawn from the priors "
               "of %zu assumption key%s (%s)\nevery option meets every world with the same "
               "random numbers\n", (long long)u.options, u.options == 1 ? "" : "s",
            (long long)u.worlds, u.n_assumptions, u.n_assumptions == 1 ? "" : "s",
            strcmp(u.sampling, "sobol") == 0 ? "Saltelli's Sobol scheme" : "Latin hypercube");
    if (unc_print_options(&u, f, e) < 0 || unc_print_shares(&u, f, e) < 0 ||
        unc_print_regret(&u, f, e) < 0 || unc_print_discovery(&u, f, e) < 0)
        rc = -1;
    unc_close(&u);
    return rc < 0 ? -1 : 1;
}
