/* uncertainty.c — the pure part of comparing options across worlds
 * (uncertainty.h): shapes, spreads, shares of worlds and regret, and the
 * column tables that the writer and the reader share. */
#include "uncertainty.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#define COL(type, field, t) {#field, t, offsetof(type, field), 0, NULL, 0}
#define STR(type, field) \
    {#field, OUT_STR, offsetof(type, field), sizeof(((type *)0)->field), NULL, 0}

const out_column contrast_columns[CONTRAST_COLUMNS] = {
    COL(contrast_row, point_a, OUT_U32),   COL(contrast_row, point_b, OUT_U32),
    STR(contrast_row, name),               COL(contrast_row, estimate, OUT_F64),
    COL(contrast_row, ci_low, OUT_F64),    COL(contrast_row, ci_high, OUT_F64),
    COL(contrast_row, n, OUT_U64),         COL(contrast_row, unpaired_half, OUT_F64),
};

const out_column unc_option_columns[UNC_OPTION_COLUMNS] = {
    COL(unc_option_row, option, OUT_U32), COL(unc_option_row, point, OUT_U32),
    STR(unc_option_row, name),            COL(unc_option_row, mean, OUT_F64),
    COL(unc_option_row, q05, OUT_F64),    COL(unc_option_row, q25, OUT_F64),
    COL(unc_option_row, q50, OUT_F64),    COL(unc_option_row, q75, OUT_F64),
    COL(unc_option_row, q95, OUT_F64),    COL(unc_option_row, mc_half, OUT_F64),
    COL(unc_option_row, worlds, OUT_U64),
};

const out_column unc_contrast_columns[UNC_CONTRAST_COLUMNS] = {
    COL(unc_contrast_row, option_a, OUT_U32),   COL(unc_contrast_row, option_b, OUT_U32),
    COL(unc_contrast_row, point_a, OUT_U32),    COL(unc_contrast_row, point_b, OUT_U32),
    STR(unc_contrast_row, name),                COL(unc_contrast_row, mean, OUT_F64),
    COL(unc_contrast_row, q05, OUT_F64),        COL(unc_contrast_row, q50, OUT_F64),
    COL(unc_contrast_row, q95, OUT_F64),        COL(unc_contrast_row, above, OUT_F64),
    COL(unc_contrast_row, above_low, OUT_F64),  COL(unc_contrast_row, above_high, OUT_F64),
    COL(unc_contrast_row, below, OUT_F64),      COL(unc_contrast_row, below_low, OUT_F64),
    COL(unc_contrast_row, below_high, OUT_F64), COL(unc_contrast_row, clear, OUT_F64),
    COL(unc_contrast_row, worlds, OUT_U64),
};

const out_column unc_regret_columns[UNC_REGRET_COLUMNS] = {
    COL(unc_regret_row, option, OUT_U32),       COL(unc_regret_row, point, OUT_U32),
    COL(unc_regret_row, group, OUT_U32),        COL(unc_regret_row, rank, OUT_U32),
    STR(unc_regret_row, name),                  COL(unc_regret_row, mean_value, OUT_F64),
    COL(unc_regret_row, max_regret, OUT_F64),   COL(unc_regret_row, mean_regret, OUT_F64),
    COL(unc_regret_row, q95_regret, OUT_F64),   COL(unc_regret_row, near_best, OUT_F64),
    COL(unc_regret_row, near_low, OUT_F64),     COL(unc_regret_row, near_high, OUT_F64),
    COL(unc_regret_row, worlds, OUT_U64),
};

const out_column unc_discovery_columns[UNC_DISCOVERY_COLUMNS] = {
    COL(unc_discovery_row, rule, OUT_U32),      COL(unc_discovery_row, option, OUT_U32),
    COL(unc_discovery_row, point, OUT_U32),     STR(unc_discovery_row, question),
    STR(unc_discovery_row, key),                COL(unc_discovery_row, lo, OUT_F64),
    COL(unc_discovery_row, hi, OUT_F64),        COL(unc_discovery_row, restricted, OUT_I32),
    COL(unc_discovery_row, quasi_p, OUT_F64),   COL(unc_discovery_row, coverage, OUT_F64),
    COL(unc_discovery_row, density, OUT_F64),   COL(unc_discovery_row, mass, OUT_F64),
    COL(unc_discovery_row, inside, OUT_U64),    COL(unc_discovery_row, of_interest, OUT_U64),
    COL(unc_discovery_row, worlds, OUT_U64),
};

const out_column unc_sens_columns[UNC_SENS_COLUMNS] = {
    COL(unc_sens_row, option_a, OUT_U32), COL(unc_sens_row, option_b, OUT_U32),
    STR(unc_sens_row, name),              STR(unc_sens_row, key),
    COL(unc_sens_row, S1, OUT_F64),       COL(unc_sens_row, S1_low, OUT_F64),
    COL(unc_sens_row, S1_high, OUT_F64),  COL(unc_sens_row, ST, OUT_F64),
    COL(unc_sens_row, ST_low, OUT_F64),   COL(unc_sens_row, ST_high, OUT_F64),
    COL(unc_sens_row, samples, OUT_U64),
};

unc_shape unc_shape_of(const scenario *s)
{
    unc_shape u = {0};
    u.n_worlds = s->n_worlds > 0 ? s->n_worlds : 1;
    u.n_options = s->n_points / u.n_worlds;
    if (s->n_cases > 0) {
        u.n_members = s->n_cases;
        u.n_groups = u.n_options / s->n_cases;
        u.baseline = s->baseline_case;
    } else {
        u.n_members = u.n_options;
        u.n_groups = 1;
        u.baseline = 0;
    }
    return u;
}

size_t unc_spread(double *v, size_t n, double *mean, double q[5])
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            v[k++] = v[i];
    static const double at[5] = {0.05, 0.25, 0.5, 0.75, 0.95};
    if (k == 0) {
        *mean = NAN;
        for (int j = 0; j < 5; j++)
            q[j] = NAN;
        return 0;
    }
    gsl_sort(v, 1, k);
    *mean = gsl_stats_mean(v, 1, k);
    for (int j = 0; j < 5; j++)
        q[j] = gsl_stats_quantile_from_sorted_data(v, 1, k, at[j]);
    return k;
}

void unc_contrast_shares(const double *d, const double *lo, const double *hi, size_t n,
                         double *tmp, unc_contrast_row *row)
{
    uint64_t above = 0, below = 0, clear = 0, k = 0;
    for (size_t w = 0; w < n; w++) {
        if (isnan(d[w]))
            continue;
        tmp[k++] = d[w];
        above += d[w] > 0;
        below += d[w] < 0;
        clear += lo[w] > 0 || hi[w] < 0;
    }
    double q[5];
    unc_spread(tmp, (size_t)k, &row->mean, q);
    row->q05 = q[0];
    row->q50 = q[2];
    row->q95 = q[4];
    row->worlds = k;
    if (k == 0) {
        row->above = row->above_low = row->above_high = NAN;
        row->below = row->below_low = row->below_high = row->clear = NAN;
        return;
    }
    row->above = (double)above / (double)k;
    row->below = (double)below / (double)k;
    row->clear = (double)clear / (double)k;
    stats_wilson(above, k, &row->above_low, &row->above_high);
    stats_wilson(below, k, &row->below_low, &row->below_high);
}

/* The best member's value of group g in world w, or NaN when a member has none. */
static double best_in(const unc_shape *u, const double *value, int goal, size_t g, size_t w)
{
    double best = NAN;
    for (size_t m = 0; m < u->n_members; m++) {
        double v = value[unc_point(u, unc_option(u, g, m), w)];
        if (isnan(v))
            return NAN;
        if (isnan(best) || (goal < 0 ? v < best : v > best))
            best = v;
    }
    return best;
}

/* Ranks the members of group g by maximum regret, then mean regret, then
 * option. */
static void rank_group(const unc_shape *u, size_t g, unc_regret_row *rows)
{
    for (size_t m = 0; m < u->n_members; m++) {
        const unc_regret_row *a = &rows[unc_option(u, g, m)];
        uint32_t rank = 1;
        for (size_t j = 0; j < u->n_members; j++) {
            const unc_regret_row *b = &rows[unc_option(u, g, j)];
            int ahead = b->max_regret < a->max_regret ||
                        (b->max_regret == a->max_regret &&
                         (b->mean_regret < a->mean_regret ||
                          (b->mean_regret == a->mean_regret && j < m)));
            rank += j != m && ahead;
        }
        rows[unc_option(u, g, m)].rank = rank;
    }
}

void unc_regret(const unc_shape *u, const double *value, int goal, double tolerance,
                double *tmp, unc_regret_row *rows)
{
    for (size_t g = 0; g < u->n_groups; g++) {
        for (size_t m = 0; m < u->n_members; m++) {
            size_t o = unc_option(u, g, m);
            unc_regret_row *r = &rows[o];
            uint64_t k = 0, near = 0;
            double sum_value = 0, max = 0;
            for (size_t w = 0; w < u->n_worlds; w++) {
                double best = best_in(u, value, goal, g, w);
                if (isnan(best))
                    continue;
                double v = value[unc_point(u, o, w)];
                double regret = goal < 0 ? v - best : best - v;
                tmp[k++] = regret;
                sum_value += v;
                max = regret > max ? regret : max;
                near += regret <= tolerance;
            }
            r->option = (uint32_t)o;
            r->point = (uint32_t)unc_point(u, o, 0);
            r->group = (uint32_t)g;
            r->worlds = k;
            if (k == 0) {
                r->mean_value = r->max_regret = r->mean_regret = r->q95_regret = NAN;
                r->near_best = r->near_low = r->near_high = NAN;
                continue;
            }
            double q[5];
            unc_spread(tmp, (size_t)k, &r->mean_regret, q);
            r->q95_regret = q[4];
            r->max_regret = max;
            r->mean_value = sum_value / (double)k;
            r->near_best = (double)near / (double)k;
            stats_wilson(near, k, &r->near_low, &r->near_high);
        }
        rank_group(u, g, rows);
    }
}
