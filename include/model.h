/* model.h — what the engine, the runner and the writers know of a model.
 *
 * A model is a const table (model_def): its parameters (schema rows and the
 * size of its parameter struct), its random streams, its outcome classes,
 * per-replication measures and summary rows, its headline row and summary
 * table, its simulation as state plus event handlers, and its trace. The
 * runner drives every model the same way:
 *
 *     start(state, params, engine, streams)   schedule the first events
 *     des_run(engine, horizon(params))        the engine's loop, never the model's
 *     outcome = finish(state, engine, values) fill the measures
 *
 * Streams: streams[k] is the model's k-th purpose (k < n_streams), keyed by
 * (seed, k, 0, rep) before start() — the same at every sweep point (see
 * run.h); a model draws each kind of randomness from its own stream so
 * sweeps get common random numbers.
 *
 * Thread-safety: model_def tables are read-only; state is per thread.
 */
#ifndef REASSURE_MODEL_H
#define REASSURE_MODEL_H

#include <gsl/gsl_rng.h>
#include <stddef.h>
#include <stdint.h>

#include "des.h"
#include "err.h"
#include "schema.h"

typedef enum measure_type { MEASURE_INT, MEASURE_REAL } measure_type;

typedef struct measure_def {
    const char *name;          /* column of /replications */
    measure_type type;         /* stored as int64 or double */
    const char *unit;
    const char *description;
    int hist_bins;             /* > 0: a histogram /histograms/<name> */
} measure_def;

typedef enum summary_kind {
    SUMMARY_MEAN,       /* mean of measure `index` (Student t interval) */
    SUMMARY_P_OUTCOME,  /* share of replications with outcome `index` (Wilson) */
    SUMMARY_P_GE,       /* share with measure `index` >= threshold (Wilson) */
    SUMMARY_P_GIVEN,    /* the same among replications where `index` is not NaN */
    SUMMARY_QUANTILE    /* the `threshold` quantile of measure `index`, from its
                           histogram (hist_bins > 0): bin centres, with a
                           distribution-free interval from order statistics */
} summary_kind;

typedef struct summary_def {
    const char *name;          /* row name in /summary */
    summary_kind kind;
    int index;
    double threshold;
} summary_def;

/* One column of a summary table: the /summary row it shows and its short
 * header (at most the column's width: 5 for shares, 14 for means). */
typedef struct summary_column {
    const char *row;
    const char *head;
} summary_column;

/* What `reassure summary` prints for the model, as data (cli/report.c):
 * per point, the swept keys, then
 *
 *   a table of shares: the headline row (model_def.headline) as an estimate
 *   with its 95% interval under headline_head, then each of `shares` as a
 *   percentage; shares_title above it and shares_legend below;
 *   a table of means: each of `means` with its 95% half-width, means_title
 *   above it.
 *
 * Titles and legends are printed verbatim (newlines included; a title is
 * preceded by an empty line). A row missing from a file prints "-". The
 * swept keys are headed by their last part, with the words of
 * `abbreviations` ({word, short}) shortened. A model without a layout gets
 * every /summary row of every point, one per line. */
typedef struct summary_layout {
    const char *shares_title;
    const char *headline_head;
    const summary_column *shares;
    int n_shares;
    const char *shares_legend;
    const char *means_title;
    const summary_column *means;
    int n_means;
    const char *const (*abbreviations)[2];
    int n_abbreviations;
} summary_layout;

/* The story channel of `reassure trace`: a model that narrates calls
 * line(ctx, day, rung, text) as things happen, never printf. */
typedef struct model_trace {
    void (*line)(void *ctx, double day, int rung, const char *text);
    void *ctx;
} model_trace;

typedef struct model_def {
    const char *name;
    const char *description;

    const sch_key *keys;
    size_t n_keys;
    size_t params_size;
    /* Checks that span keys (e.g. lambda < mu); NULL when there are none. */
    int (*check)(const void *params, const char *file, err *e);

    int n_streams;
    const char *const *stream_names;

    const char *const *outcomes;
    int n_outcomes;
    const measure_def *measures;
    int n_measures;
    const summary_def *summaries;
    int n_summaries;
    /* The /summary row a design reports by default (a sobol sweep's output
     * when the scenario names none) and the summary table leads with; NULL
     * or not a row: the first row. */
    const char *headline;
    /* Which way the headline is better: -1 lower, +1 higher, 0 neither
     * (an uncertainty design's regret then needs the scenario's goal). */
    int headline_goal;
    /* The summary table of `reassure summary`; NULL: every row. */
    const summary_layout *layout;
    /* Histogram range [lo, hi) of measure m (with hist_bins > 0). */
    void (*hist_range)(const void *params, int m, double *lo, double *hi);

    size_t state_size;
    const des_handler *handlers;
    int n_event_types;
    double (*horizon)(const void *params);
    void (*start)(void *state, const void *params, des_engine *e, gsl_rng *const *streams);
    int32_t (*finish)(void *state, const des_engine *e, double *values);
    /* Trace, one of two ways (NULL = not this way): describe writes one
     * line of plain words per event before it is handled; narrate installs
     * a story channel (after start) that the model's handlers write to. */
    void (*describe)(const void *state, const des_event *ev, char *buf, size_t n);
    void (*narrate)(void *state, const model_trace *t);
} model_def;

/* The registry (sim/models/registry.c): a model is its own source file
 * (or folder) defining `const model_def model_<name>` and one line there;
 * nothing else names it. */

/* The model called name, or NULL. */
const model_def *model_find(const char *name);

/* NULL-terminated names of every model, the default first. */
extern const char *const model_names[];

/* The index in model->summaries of its headline row (model_def.headline;
 * 0 when it has none). */
int model_headline(const model_def *m);

#endif
