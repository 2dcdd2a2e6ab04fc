/* options.c — the rules of the command line's options (options.h). */
#include "options.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "pairs.h"
#include "result.h"

static int refuse(err *e, const char *fmt, const char *arg)
{
    return err_set(e, ERR_INPUT, NULL, 0, NULL, fmt, arg);
}

/* A whole non-negative decimal number, or -1. */
static long long parse_count(const char *s)
{
    if (s == NULL || *s == '\0')
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || v < 0)
        return -1;
    return v;
}

/* "A:B" with whole numbers A < B. */
static int parse_range(const char *s, uint64_t *a, uint64_t *b)
{
    char left[32];
    const char *colon = strchr(s, ':');
    if (colon == NULL || (size_t)(colon - s) >= sizeof left)
        return -1;
    memcpy(left, s, (size_t)(colon - s));
    left[colon - s] = '\0';
    long long x = parse_count(left), y = parse_count(colon + 1);
    if (x < 0 || y < 0 || x >= y)
        return -1;
    *a = (uint64_t)x;
    *b = (uint64_t)y;
    return 0;
}

void run_request_init(run_request *q, int threads)
{
    memset(q, 0, sizeof *q);
    q->threads = threads;
    q->ov.replications = -1;
    q->ov.seed = -1;
    q->checkpoint_seconds = -1;
    q->ov.sets = q->sets;
    q->ov.sweeps = q->sweeps;
}

/* One case per option, each beside its own refusal: a long switch, read a
 * case at a time (split up, an option's rule and its message would part). */
int run_option(run_request *q, int opt, const char *arg, err *e)
{
    long long v;
    switch (opt) {
    case OPT_OUTPUT:
        q->output = arg;
        return 0;
    case OPT_REPLICATIONS:
        if (strchr(arg, ':') != NULL) {
            if (parse_range(arg, &q->reps_a, &q->reps_b) < 0)
                return refuse(e, "--replications: \"%s\" is not a share A:B with A < B "
                                 "(or a count N)", arg);
            q->has_reps = 1;
            return 0;
        }
        __attribute__((fallthrough)); /* --replications N is -n N */
    case OPT_N:
        if ((v = parse_count(arg)) < 1)
            return refuse(e, "-n/--replications: \"%s\" is not a positive whole number", arg);
        q->ov.replications = v;
        return 0;
    case OPT_SEED:
        if ((v = parse_count(arg)) < 0)
            return refuse(e, "-s/--seed: \"%s\" is not a whole number >= 0", arg);
        q->ov.seed = v;
        return 0;
    case OPT_THREADS:
        if ((v = parse_count(arg)) < 1 || v > OPT_MAX_THREADS)
            return refuse(e, "-j/--threads: \"%s\" is not a thread count from 1 to 1024", arg);
        q->threads = (int)v;
        return 0;
    case OPT_QUIET:
        q->quiet = 1;
        return 0;
    case OPT_SET:
        if (q->ov.n_sets == OPT_MAX_OVERRIDES)
            return refuse(e, "%s: too many --set options", "--set");
        q->sets[q->ov.n_sets++] = arg;
        return 0;
    case OPT_SWEEP:
        if (q->ov.n_sweeps == OPT_MAX_OVERRIDES)
            return refuse(e, "%s: too many --sweep options", "--sweep");
        q->sweeps[q->ov.n_sweeps++] = arg;
        return 0;
    case OPT_POINT:
        if ((q->point = parse_count(arg)) < 0)
            return refuse(e, "--point: \"%s\" is not a whole number >= 0", arg);
        return 0;
    case OPT_REP:
        if ((q->rep = parse_count(arg)) < 0)
            return refuse(e, "--rep: \"%s\" is not a whole number >= 0", arg);
        return 0;
    case OPT_CSV:
        q->csv = 1;
        return 0;
    case OPT_BASELINE:
        q->baseline = arg;
        return 0;
    case OPT_ROWS:
        if (strcmp(arg, "all") == 0) {
            q->rows = RUN_ROWS_ALL;
        } else if (strcmp(arg, "none") == 0) {
            q->rows = RUN_ROWS_NONE;
        } else if (strncmp(arg, "sample:", 7) == 0 && (v = parse_count(arg + 7)) >= 1) {
            q->rows = RUN_ROWS_SAMPLE;
            q->rows_sample = (uint64_t)v;
        } else {
            return refuse(e, "--rows: \"%s\" is not all, none or sample:N (N >= 1 replications "
                             "of each point)", arg);
        }
        return 0;
    case OPT_TABLE:
        if (strcmp(arg, "replications") != 0 && strcmp(arg, "summary") != 0 &&
            strcmp(arg, "points") != 0)
            return refuse(e, "--table: \"%s\" is not replications, summary or points", arg);
        q->table = arg;
        return 0;
    case OPT_RESUME:
        q->resume = 1;
        return 0;
    case OPT_SHARDS:
        q->shards = 1;
        return 0;
    case OPT_FORCE:
        q->force = 1;
        return 0;
    case OPT_PRECISION: {
        char *end;
        errno = 0;
        double p = strtod(arg, &end);
        if (end == arg || *end != '\0' || errno == ERANGE || !(p > 0 && p <= 0.5))
            return refuse(e, "--precision: \"%s\" is not a half-width in (0, 0.5]", arg);
        q->precision = p;
        return 0;
    }
    case OPT_CHECKPOINT: {
        char *end;
        errno = 0;
        double t = strtod(arg, &end);
        if (end == arg || *end != '\0' || errno == ERANGE || !(t >= 0 && t <= 1e9))
            return refuse(e, "--checkpoint: \"%s\" is not a number of seconds >= 0 (0: never)",
                          arg);
        q->checkpoint_seconds = t;
        return 0;
    }
    case OPT_CHECKPOINT_BLOCKS:
        if ((q->checkpoint_blocks = parse_count(arg)) < 1)
            return refuse(e, "--checkpoint-blocks: \"%s\" is not a positive whole number", arg);
        return 0;
    case OPT_MAX_REPS:
        if ((q->max_reps = parse_count(arg)) < 1)
            return refuse(e, "--max-replications: \"%s\" is not a positive whole number", arg);
        return 0;
    case OPT_POINTS:
        if (parse_range(arg, &q->points_a, &q->points_b) < 0)
            return refuse(e, "--points: \"%s\" is not a share A:B of points with A < B", arg);
        q->has_points = 1;
        return 0;
    default:
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "option %d is not a run option", opt);
    }
}

/* The share chosen with --points / --replications, checked against s. */
static int choose_share(const run_request *q, const scenario *s, res_share *sh, err *e)
{
    *sh = res_share_all(s);
    if (q->has_points) {
        if (q->points_b > s->n_points)
            return err_set(e, ERR_INPUT, NULL, 0, NULL,
                           "--points %llu:%llu: the scenario has %zu point%s (0 to %zu)",
                           (unsigned long long)q->points_a, (unsigned long long)q->points_b,
                           s->n_points, s->n_points == 1 ? "" : "s", s->n_points - 1);
        sh->point_lo = q->points_a;
        sh->point_hi = q->points_b;
    }
    if (q->has_reps) {
        if (q->reps_b > (uint64_t)s->replications)
            return err_set(e, ERR_INPUT, NULL, 0, NULL,
                           "--replications %llu:%llu: the scenario has %lld replications per "
                           "point", (unsigned long long)q->reps_a,
                           (unsigned long long)q->reps_b, (long long)s->replications);
        sh->rep_lo = q->reps_a;
        sh->rep_hi = q->reps_b;
    }
    return 0;
}

/* The output's name leaves room for the names made beside it: the longest
 * is the temporary file of NAME.partial, ".NAME.partial.tmp.XXXXXX", 20
 * bytes more. A longer name would fail only once the run had finished. */
enum { OUT_NAME_EXTRA = 20 };

int output_name_check(const char *path, err *e)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    long max = NAME_MAX;
    char dir[4096];
    if (slash != NULL && (size_t)(slash - path) < sizeof dir) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
        long m = pathconf(dir[0] ? dir : "/", _PC_NAME_MAX);
        if (m > 0)
            max = m;
    } else if (slash == NULL) {
        long m = pathconf(".", _PC_NAME_MAX);
        if (m > 0)
            max = m;
    }
    size_t len = strlen(name);
    if ((long)len > max - OUT_NAME_EXTRA)
        return err_set(e, ERR_INPUT, path, 0, NULL,
                       "the output's name is %zu bytes; at most %ld are allowed here (the "
                       "folder takes names of %ld bytes, and the temporary file beside the "
                       "output adds %d)", len, max - OUT_NAME_EXTRA, max, OUT_NAME_EXTRA);
    return 0;
}

/* The memory of this machine a run may use: physical memory, or less
 * under an address-space limit (ulimit -v). REASSURE_TEST_MEMORY_BYTES
 * stands in for it in tests. */
static double machine_bytes(void)
{
    const char *hook = getenv("REASSURE_TEST_MEMORY_BYTES"); /* tests only */
    if (hook != NULL && *hook != '\0')
        return strtod(hook, NULL);
    long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    double have = pages > 0 && page > 0 ? (double)pages * (double)page : 0;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        (have == 0 || (double)rl.rlim_cur < have))
        have = (double)rl.rlim_cur;
    return have;
}

/* What a run needs besides its points: the program, its libraries, HDF5's
 * caches and the threads' workspaces. */
enum { RUN_BASE_BYTES = 64 << 20 };

int run_memory_check(const scenario *s, err *e)
{
    double have = machine_bytes();
    size_t per = res_bytes_per_point(s);
    double need = (double)s->n_points * (double)per + RUN_BASE_BYTES;
    if (have <= 0 || need <= have)
        return 0;
    return err_set(e, ERR_INPUT, s->path, 0, "sweep",
                   "a run of its %zu points needs about %.3g GB of memory (%zu bytes a point), "
                   "more than the %.3g GB this machine has: sweep fewer points", s->n_points,
                   need / 1e9, per, have / 1e9);
}

int run_options_check(const run_request *q, const scenario *s, run_options *o, err *e)
{
    if (o->out_path != NULL && output_name_check(o->out_path, e) < 0)
        return -1;
    if (run_memory_check(s, e) < 0)
        return -1;
    o->has_share = q->has_points || q->has_reps;
    o->resume = q->resume;
    o->force = q->force;
    o->checkpoint_seconds = q->checkpoint_seconds >= 0 ? q->checkpoint_seconds
                                                       : OPT_DEFAULT_CHECKPOINT_SECONDS;
    o->checkpoint_blocks = (uint64_t)q->checkpoint_blocks;
    o->precision = 0;
    o->max_replications = 0;
    o->rows = q->rows;
    o->rows_sample = q->rows_sample;
    o->shards = q->shards;
    if (choose_share(q, s, &o->share, e) < 0)
        return -1;
    if (q->rows != RUN_ROWS_ALL && (s->n_cases > 0 || s->n_worlds > 0) && !pairs_fit(s))
        return err_set(e, ERR_INPUT, NULL, 0, NULL,
                       "--rows: this design's paired contrasts are too many to hold in memory "
                       "(over %zu MB) and are read back from its rows; give --rows all",
                       (size_t)(PAIRS_BUDGET >> 20));
    if (q->max_reps > 0 && q->precision <= 0)
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "--max-replications goes with --precision");
    if (q->precision <= 0)
        return 0;
    /* Pairs are replications of one index at two options: a stopping rule
     * that gives points different counts would leave some unpaired, and
     * writes the rows in rounds rather than point by point. */
    if (s->n_cases > 0 || s->n_worlds > 0)
        return err_set(e, ERR_INPUT, NULL, 0, NULL,
                       "--precision: a cases or uncertainty design compares its options "
                       "replication by replication, on the same replications at every point; "
                       "give -n instead");
    int props = 0;
    for (int i = 0; i < s->model->n_summaries; i++)
        props += s->model->summaries[i].kind != SUMMARY_MEAN;
    const char *why = props == 0 ? "the model has no proportions (p_* rows) to make precise"
                      : o->has_share ? "--precision works on the whole sweep, not a share"
                      : NULL;
    if (why != NULL)
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "--precision: %s", why);
    o->precision = q->precision;
    o->max_replications = q->max_reps > 0 ? (uint64_t)q->max_reps : OPT_DEFAULT_MAX_REPS;
    if (o->max_replications < (uint64_t)s->replications)
        return err_set(e, ERR_INPUT, NULL, 0, NULL,
                       "--max-replications %llu is below the first batch of %lld "
                       "replications per point", (unsigned long long)o->max_replications,
                       (long long)s->replications);
    return 0;
}

int trace_options_check(const run_request *q, const scenario *s, err *e)
{
    if ((size_t)q->point >= s->n_points)
        return err_set(e, ERR_INPUT, NULL, 0, NULL,
                       "--point %lld: the scenario has %zu point%s (0 to %zu)", q->point,
                       s->n_points, s->n_points == 1 ? "" : "s", s->n_points - 1);
    if (q->rep >= s->replications)
        return err_set(e, ERR_INPUT, NULL, 0, NULL,
                       "--rep %lld: the scenario has %lld replication%s a point (0 to %lld)",
                       q->rep, (long long)s->replications, s->replications == 1 ? "" : "s",
                       (long long)s->replications - 1);
    if (s->model->describe == NULL && s->model->narrate == NULL)
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "model %s has no trace", s->model->name);
    return 0;
}

int merge_options_check(const run_request *q, size_t n_inputs, err *e)
{
    if (q->output == NULL)
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "merge: name the merged file with -o ALL.h5");
    if (n_inputs < 1)
        return err_set(e, ERR_INPUT, NULL, 0, NULL, "merge: which result files?");
    return output_name_check(q->output, e);
}
