/* scn.h — a scenario: a checked model, parameters, sweep and work size.
 *
 * scn_load reads a libconfig scenario file, expands @include (relative to the
 * including file), checks every key against the model's schema table
 * (unknown keys with the closest known key suggested, types, ranges,
 * choices, finite numbers), applies command-line overrides (--set, --sweep,
 * -n, -s) checked exactly like the file, and builds the grid sweep: the
 * cartesian product of the swept keys, the first listed varying slowest.
 * Every failure is an ERR_INPUT naming file, line and key.
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

typedef struct scn_swept {
    const sch_key *key;
    sch_value *values;
    size_t n_values;
} scn_swept;

typedef struct scenario {
    char *path;
    char *text;            /* the scenario file, verbatim */
    char *expanded;        /* the text with @include expanded (== text if none) */
    char *overrides;       /* the command-line overrides, as one line ("" if none) */
    const model_def *model;
    int64_t replications;  /* per point */
    uint64_t seed;
    void *base;            /* model params: defaults, file, --set */
    scn_swept *swept;
    size_t n_swept;
    size_t n_points;
} scenario;

/* The keys every scenario has, whatever its model. */
extern const sch_key scn_common_keys[];
extern const size_t scn_n_common_keys;

/* Loads and checks. ov may be NULL. Returns NULL and fills e on failure. */
scenario *scn_load(const char *path, const scn_overrides *ov, err *e);
void scn_free(scenario *s);

/* Writes the parameters of sweep point p (0 <= p < n_points) into params
 * (model->params_size bytes). */
void scn_point(const scenario *s, size_t p, void *params);

/* The value of swept key j at point p. */
sch_value scn_point_value(const scenario *s, size_t p, size_t j);

/* `reassure check`: resolved parameters, points and total replications. */
void scn_print(const scenario *s, FILE *f);

#endif
