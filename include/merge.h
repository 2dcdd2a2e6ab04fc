/* merge.h — `reassure merge`: one result from the shares of one run.
 *
 * A job array splits a run with --points A:B or --replications A:B; each
 * task writes a share. merge_results() checks that the inputs are complete
 * results of the same scenario text, overrides, seed and replications,
 * that their shares do not overlap and together cover every (point, rep),
 * and writes one result whose /replications, /summary and /histograms are
 * those of a single run, bit for bit: rows are copied in (point, rep) order
 * and folded into fresh accumulators in that order (stats.h). Memory holds
 * one chunk of rows at a time, whatever the size of the run.
 *
 * Failures: inputs that do not belong together (ERR_INPUT, exit 2, naming
 * both files and what differs), unreadable inputs or an unwritable output
 * (ERR_RUNTIME). The output is written atomically (out.h) and may not be
 * one of the inputs.
 */
#ifndef REASSURE_MERGE_H
#define REASSURE_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct merge_report {
    uint64_t rows;    /* replications in the merged file */
    uint64_t points;
    char warning[512]; /* "" or a warning for the user (out_warning) */
    int stopped;       /* the signal that stopped it (merge_results_watched), or 0 */
} merge_report;

int merge_results(const char *const *inputs, size_t n, const char *out, merge_report *r, err *e);

/* What a merge asks of its caller about signals (the CLI's stop watcher,
 * stop.h; the results layer knows nothing of it): stopped(ctx) is 0, or
 * the signal that asks the merge to stop, looked at between points and
 * before the commit; files(ctx, tmp, lock) names the files to remove if
 * the process must exit at once (NULL, NULL: none from now on). A merge
 * asked to stop abandons its output (ERR_RUNTIME naming the signal,
 * stopped = the signal): there is no partial merge. */
typedef struct merge_watch {
    int (*stopped)(void *ctx);
    void (*files)(void *ctx, const char *tmp, const char *lock);
    void *ctx;
} merge_watch;

/* merge_results under a watch (NULL: none, as merge_results). */
int merge_results_watched(const char *const *inputs, size_t n, const char *out,
                          const merge_watch *w, merge_report *r, err *e);

/* The scenario a result file was run from, loaded from what it recorded
 * (the loaded text, the command-line overrides, seed and replications):
 * what `reassure trace RESULT.h5` replays. NULL with e filled when the file
 * is not a readable result or its record does not load. Free with
 * scn_free. */
struct scenario;
struct scenario *merge_reload(const char *path, err *e);

#endif
