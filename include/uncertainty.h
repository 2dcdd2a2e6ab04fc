/* uncertainty.h — comparing options across assumptions: the tables a cases
 * or uncertainty design adds to its result (PRODUCT.md, README "Results").
 *
 * Options and worlds (scn.h): an option is a case in a grid cell (or, with
 * no cases, a grid point); each runs in n_worlds worlds (1 without an
 * uncertainty block), point = option x n_worlds + world. Options are
 * compared within a group: with cases, the cases of one grid cell; with no
 * cases, every option. Member m of group g is option m x n_groups + g
 * (the case varies slowest); the reference member is the baseline case
 * (with no cases, the first option).
 *
 * What each table covers, as printed:
 *
 *   /contrasts                 per world, B - A of every share and mean row
 *                              with its paired 95% interval — Monte Carlo
 *                              (contrast.h);
 *   /uncertainty/options       per option and row, the spread of its estimate
 *                              across worlds — assumptions (quantiles of the
 *                              worlds' estimates), and beside it the median
 *                              Monte Carlo half-width;
 *   /uncertainty/contrasts     per pair and row, the share of worlds where
 *                              B - A is above / below 0, Wilson 95% intervals
 *                              over the worlds — assumptions;
 *   /uncertainty/regret        per option, on the objective: regret against
 *                              the best member of its group in each world,
 *                              its maximum (minimax regret), mean, and the
 *                              share of worlds within the tolerance of the
 *                              best (Wilson interval), ranked within the group;
 *   /discovery                 per question (scn_rule), and per group (and,
 *                              with no cases, per option), a PRIM box (prim.h)
 *                              over the assumption keys: one row per key;
 *   /uncertainty/sensitivity   sobol sampling only: first-order and total
 *                              Sobol indices of each contrast of the
 *                              objective over the assumption keys.
 *
 * The computations here are pure; unc_write (unc_table.c) reads the run's
 * rows back and writes the tables. Ownership: the caller's arrays.
 * Thread-safety: pure functions; unc_write is one thread (HDF5).
 */
#ifndef REASSURE_UNCERTAINTY_H
#define REASSURE_UNCERTAINTY_H

#include <stddef.h>
#include <stdint.h>

#include "contrast.h"
#include "err.h"
#include "out.h"
#include "scn.h"
#include "stats.h"

/* How the options of a scenario are grouped and compared. */
typedef struct unc_shape {
    size_t n_options, n_worlds;   /* n_worlds = 1 without uncertainty */
    size_t n_groups, n_members;   /* n_options = n_groups x n_members */
    size_t baseline;              /* the reference member */
} unc_shape;

unc_shape unc_shape_of(const scenario *s);

static inline size_t unc_option(const unc_shape *u, size_t group, size_t member)
{
    return member * u->n_groups + group;
}

static inline size_t unc_point(const unc_shape *u, size_t option, size_t world)
{
    return option * u->n_worlds + world;
}

/* ---- rows ------------------------------------------------------------------ */

typedef struct unc_option_row {
    uint32_t option, point;        /* point: the option's first (world 0) */
    char name[48];                 /* the summary row */
    double mean, q05, q25, q50, q75, q95;  /* of the worlds' estimates */
    double mc_half;                /* median of the worlds' 95% Monte Carlo half-widths */
    uint64_t worlds;               /* worlds with an estimate */
} unc_option_row;

typedef struct unc_contrast_row {
    uint32_t option_a, option_b;   /* a: the reference */
    uint32_t point_a, point_b;     /* their first points */
    char name[48];
    double mean, q05, q50, q95;    /* B - A across worlds */
    double above, above_low, above_high;   /* share of worlds with B - A > 0 */
    double below, below_low, below_high;   /* share with B - A < 0 */
    double clear;                  /* share whose paired 95% interval excludes 0 */
    uint64_t worlds;
} unc_contrast_row;

typedef struct unc_regret_row {
    uint32_t option, point, group, rank;   /* rank 1: least maximum regret in its group */
    char name[48];                 /* the objective */
    double mean_value;             /* its estimate, averaged over worlds */
    double max_regret, mean_regret, q95_regret;
    double near_best, near_low, near_high; /* share of worlds within the tolerance */
    uint64_t worlds;
} unc_regret_row;

enum { UNC_QUESTION = 160, UNC_KEY = 64 };

typedef struct unc_discovery_row {
    uint32_t rule, option;         /* option: the "A" of the question */
    uint32_t point;                /* its first point */
    char question[UNC_QUESTION];
    char key[UNC_KEY];
    double lo, hi;                 /* the box on this key, closed */
    int32_t restricted;
    double quasi_p;                /* NaN when not restricted */
    double coverage, density, mass;
    uint64_t inside, of_interest, worlds;  /* worlds in the box, true in all, all */
} unc_discovery_row;

typedef struct unc_sens_row {
    uint32_t option_a, option_b;
    char name[48];                 /* the objective; the index is of B - A */
    char key[UNC_KEY];
    double S1, S1_low, S1_high, ST, ST_low, ST_high;
    uint64_t samples;
} unc_sens_row;

enum {
    UNC_OPTION_COLUMNS = 11,
    UNC_CONTRAST_COLUMNS = 17,
    UNC_REGRET_COLUMNS = 13,
    UNC_DISCOVERY_COLUMNS = 15,
    UNC_SENS_COLUMNS = 11,
    CONTRAST_COLUMNS = 8
};
extern const out_column unc_option_columns[UNC_OPTION_COLUMNS];
extern const out_column unc_contrast_columns[UNC_CONTRAST_COLUMNS];
extern const out_column unc_regret_columns[UNC_REGRET_COLUMNS];
extern const out_column unc_discovery_columns[UNC_DISCOVERY_COLUMNS];
extern const out_column unc_sens_columns[UNC_SENS_COLUMNS];
extern const out_column contrast_columns[CONTRAST_COLUMNS];

/* ---- the computations (pure) ---------------------------------------------- */

/* The spread of v[0 .. n-1] (NaN values left out; v is reordered): mean
 * and the 5, 25, 50, 75 and 95% points (gsl_stats_quantile_from_sorted_data);
 * returns how many values were finite (all NaN when none). */
size_t unc_spread(double *v, size_t n, double *mean, double q[5]);

/* The share rows of one contrast from its per-world estimates d[w] and
 * paired interval [lo[w], hi[w]] (NaN: no estimate in that world); fills
 * every figure of row but its identity. tmp has room for n doubles. */
void unc_contrast_shares(const double *d, const double *lo, const double *hi, size_t n,
                         double *tmp, unc_contrast_row *row);

/* Regret on the objective: value[o * n_worlds + w] is option o's estimate
 * in world w; goal -1: lower is better, +1 higher. Fills rows[o] (its
 * identity too, but name) for every option; an option's regret in a world
 * is its distance from the best member of its group there (0 for the
 * best); a world where some member of the group has no estimate is left
 * out of that group. tmp has room for n_worlds doubles. */
void unc_regret(const unc_shape *u, const double *value, int goal, double tolerance,
                double *tmp, unc_regret_row *rows);

/* ---- the tables (unc_table.c) ----------------------------------------------- */

/* For a complete run of a cases or uncertainty design, written by
 * res_finish before the file is closed: /contrasts (cases), and with an
 * uncertainty block every /uncertainty table and /discovery. Reads the
 * run's rows back through out_read_writer. */
int unc_write(out_file *o, const scenario *s, const acc *a, err *e);

#endif
