/* scn.h — a scenario: a checked model, parameters, sweep and work size.
 *
 * scn_load reads a libconfig scenario file, expands @include (relative to the
 * including file), checks every key against the model's schema table
 * (unknown keys with the closest known key suggested, types, ranges,
 * choices, finite numbers), applies command-line overrides (--set, --sweep,
 * -n, -s) checked exactly like the file, and builds the sweep's points by
 * its design:
 *
 *   grid   the cartesian product of the swept keys' values, the first listed
 *          varying slowest (computed on demand, nothing stored);
 *   lhs    a Latin hypercube of `sweep.points` points over each key's range
 *          (scn_design.h), drawn at load time from the scenario's seed;
 *   sobol  Saltelli's (2010) scheme on a Sobol sequence: `sweep.samples` = N
 *          base samples of k keys give N (k + 2) points, in the order
 *          A_i, B_i, AB_i^1, ..., AB_i^k for i = 0 .. N-1 (scn_design.h);
 *          sensitivity.h turns the outputs at these points into indices.
 *
 * lhs and sobol points are an explicit table (n_points x n_swept values)
 * generated at load time, so every reader — the runner, /points, check —
 * sees the same points through scn_point / scn_point_value whatever the
 * design. Every failure is an ERR_INPUT naming file, line and key.
 *
 * Ownership: scn_load's scenario is freed with scn_free.
 * Thread-safety: a loaded scenario is read-only; scn_point writes only into
 * the caller's buffer, so threads may share one scenario.
 */
#ifndef REASSURE_SCN_H
#define REASSURE_SCN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "model.h"
#include "schema.h"

/* Command-line overrides, in the order given. */
typedef struct scn_overrides {
    const char *const *sets;    /* "KEY=VALUE" */
    size_t n_sets;
    const char *const *sweeps;  /* "KEY=V1,V2,..." */
    size_t n_sweeps;
    int64_t replications;       /* -n; < 0 = not given */
    int64_t seed;               /* -s; < 0 = not given */
} scn_overrides;

typedef enum scn_design { SCN_GRID, SCN_LHS, SCN_SOBOL, SCN_CASES, SCN_UNCERTAINTY } scn_design;

/* A question for scenario discovery (sweep.uncertainty.discover): in which
 * worlds is it true? WORSE: case `a` is worse than case `b` on the
 * objective (the goal says which way is worse); ABOVE / BELOW: summary row
 * `output` of case `a` is above / below `threshold`. With no cases, `a` is
 * every option (each grid point) in turn. */
typedef enum scn_rule_kind { SCN_RULE_WORSE, SCN_RULE_ABOVE, SCN_RULE_BELOW } scn_rule_kind;

typedef struct scn_rule {
    scn_rule_kind kind;
    size_t a, b;           /* cases (b: WORSE only) */
    int output;            /* ABOVE, BELOW: index into model->summaries */
    double threshold;
    char text[160];        /* the question in words, as printed and stored */
} scn_rule;

/* A swept key. grid: the listed values. lhs and sobol: either a range
 * [lo, hi] (ranged = 1; a boolean's range is false/true) that a uniform
 * draw u in [0, 1) maps to lo + u (hi - lo) — rounded to the nearest
 * integer for integer keys, false below 0.5 and true above for booleans —
 * or, with ranged = 0, levels: the listed values, drawn with equal chances
 * (values[floor(u n_values)]), the way to put a choice key in a design. */
typedef struct scn_swept {
    const sch_key *key;
    sch_value *values;
    size_t n_values;
    int ranged;
    sch_value lo, hi;
} scn_swept;

/* One value of a design table: a number, boolean or choice (no string key
 * is ever swept), in 8 bytes rather than a whole sch_value, which has room
 * for a string: a table of 10^6 points stays small. */
typedef union scn_cell {
    int64_t i;
    double r;
    int b;
    int c;
} scn_cell;

typedef struct scenario {
    char *path;
    char *text;            /* the scenario file, verbatim */
    char *expanded;        /* the text with @include expanded (== text if none); with a
                              base scenario, every layer flattened into one text */
    char *overrides;       /* the command-line overrides, as one line ("" if none) */
    const model_def *model;
    int64_t replications;  /* per point */
    uint64_t seed;
    void *base;            /* model params: defaults, file, --set */
    scn_swept *swept;
    size_t n_swept;
    size_t n_points;
    scn_design design;
    scn_cell *table;       /* lhs, sobol: [point][swept key] values; NULL for grid */
    size_t samples;        /* sobol: N base samples (n_points = N (n_swept + 2)); else 0 */
    int *outputs;          /* sobol: indices into model->summaries of the outputs whose */
    size_t n_outputs;      /*   sensitivity is computed (sweep.outputs); else none */
    char **origin;         /* with a base scenario: per model key, "file:line" of the
                              value in force (NULL: default); NULL without a base */
    char **inputs;         /* every file read: the scenario, its @includes and bases */
    size_t n_inputs;
    /* design "cases": named options, each the base with its own keys set,
     * crossed with the grid of the swept keys (the case varies slowest). */
    size_t n_cases;        /* 0: not a cases design */
    char (*case_names)[SCH_STR];
    unsigned char *case_params;   /* n_cases x model->params_size */
    size_t baseline_case;  /* sweep.baseline, or the first */
    size_t grid_points;    /* points per case (the grid's x n_worlds), or n_points */
    /* Assumption uncertainty (sweep.uncertainty; design "uncertainty" is a
     * grid with one): every option — a case x grid point, or a grid point
     * without cases — runs in each of n_worlds worlds, the assumption keys
     * drawn from the schema's priors by a Latin hypercube or Saltelli's
     * Sobol scheme. The assumption keys are the last n_assumptions entries
     * of swept[] (ranged over their prior's range); the world varies
     * fastest: point p is option p / n_worlds in world p % n_worlds. Every
     * world uses the same random numbers (replication r of every point
     * draws the same streams), so options are compared world by world. */
    size_t n_worlds;       /* 0: no uncertainty block */
    size_t n_assumptions;
    scn_cell *worlds;      /* n_worlds x n_assumptions */
    scn_design world_sampling;  /* SCN_LHS or SCN_SOBOL */
    size_t world_samples;  /* sobol: N base samples (n_worlds = N (n_assumptions + 2)) */
    int objective;         /* index into model->summaries: what regret is measured on */
    int goal;              /* -1: lower is better; +1: higher is better */
    double tolerance;      /* an option within this of the best counts as near-best */
    scn_rule *rules;
    size_t n_rules;
} scenario;

/* Options of an uncertainty design: n_points / n_worlds; without cases,
 * every grid point is an option, with cases each case in each grid cell. */
size_t scn_options(const scenario *s);

/* "grid", "lhs", "sobol", "cases" or "uncertainty". */
const char *scn_design_name(scn_design d);

/* The keys every scenario has, whatever its model. */
extern const sch_key scn_common_keys[];
extern const size_t scn_n_common_keys;

/* Loads and checks. ov may be NULL. Returns NULL and fills e on failure. */
scenario *scn_load(const char *path, const scn_overrides *ov, err *e);
void scn_free(scenario *s);

/* Writes the parameters of sweep point p (0 <= p < n_points) into params
 * (model->params_size bytes). */
void scn_point(const scenario *s, size_t p, void *params);

/* The value of swept key j (0 <= j < n_swept) at point p. */
sch_value scn_point_value(const scenario *s, size_t p, size_t j);

/* `reassure check`: resolved parameters, points and total replications. */
void scn_print(const scenario *s, FILE *f);

#endif
