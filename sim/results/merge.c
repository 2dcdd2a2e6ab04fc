/* merge.c — one result from the shares of one run (merge.h).
 *
 * The scenario is loaded again from the text the inputs recorded (with
 * @include already expanded) and their --set/--sweep arguments, so the
 * merged file's /points, histogram ranges and summary rows come from the
 * same code as a run's.
 */
#include "merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"
#include "result.h"
#include "scn.h"
#include "stats.h"

enum { MAX_ARGS = 256 };

typedef struct input {
    const char *path;
    out_reader *r;
    res_meta m;
    int64_t events;
    double wall;
} input;

/* Inputs must be complete results of one run. */
static int check_together(input *in, size_t n, err *e)
{
    for (size_t i = 0; i < n; i++) {
        const res_meta *a = &in[0].m, *b = &in[i].m;
        if (!b->complete)
            return err_set(e, ERR_INPUT, in[i].path, 0, NULL,
                           "is an interrupted run (%lld replications done): finish it with "
                           "reassure run ... --resume before merging", (long long)b->done);
        const char *what = res_meta_difference(a, b);
        if (what != NULL)
            return err_set(e, ERR_INPUT, in[i].path, 0, NULL,
                           "is not a share of the same run as %s: the %s differs", in[0].path,
                           what);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            const res_share *x = &in[i].m.share, *y = &in[j].m.share;
            uint64_t plo = x->point_lo > y->point_lo ? x->point_lo : y->point_lo;
            uint64_t phi = x->point_hi < y->point_hi ? x->point_hi : y->point_hi;
            uint64_t rlo = x->rep_lo > y->rep_lo ? x->rep_lo : y->rep_lo;
            uint64_t rhi = x->rep_hi < y->rep_hi ? x->rep_hi : y->rep_hi;
            if (plo < phi && rlo < rhi)
                return err_set(e, ERR_INPUT, in[j].path, 0, NULL,
                               "overlaps %s: both hold point %llu, replication %llu",
                               in[i].path, (unsigned long long)plo, (unsigned long long)rlo);
        }
    uint64_t total = (uint64_t)in[0].m.points * (uint64_t)in[0].m.replications, have = 0;
    for (size_t i = 0; i < n; i++)
        have += res_share_rows(&in[i].m.share);
    if (have != total) {
        /* Find a hole to name. */
        for (uint64_t p = 0; p < (uint64_t)in[0].m.points; p++) {
            uint64_t covered = 0;
            for (size_t i = 0; i < n; i++)
                if (p >= in[i].m.share.point_lo && p < in[i].m.share.point_hi)
                    covered += in[i].m.share.rep_hi - in[i].m.share.rep_lo;
            if (covered < (uint64_t)in[0].m.replications)
                return err_set(e, ERR_INPUT, in[0].path, 0, NULL,
                               "the inputs hold %llu of the run's %llu replications (point %llu "
                               "is not covered whole): merge every share", (unsigned long long)have,
                               (unsigned long long)total, (unsigned long long)p);
        }
    }
    return 0;
}

/* Splits "a\nb\n" into args (pointers into text, which is modified). */
static size_t split_lines(char *text, const char **args)
{
    size_t n = 0;
    for (char *line = strtok(text, "\n"); line != NULL && n < MAX_ARGS; line = strtok(NULL, "\n"))
        args[n++] = line;
    return n;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* The scenario the inputs were run from, loaded from their record. */
static scenario *reload(const input *in, err *e)
{
    char tmp[] = "/tmp/reassure-merge-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0) {
        err_set(e, ERR_RUNTIME, tmp, 0, NULL, "cannot create a temporary file");
        return NULL;
    }
    size_t len = strlen(in->m.scenario_loaded);
    int ok = write(fd, in->m.scenario_loaded, len) == (ssize_t)len;
    close(fd);
    char *sets = strdup(in->m.cli_set), *sweeps = strdup(in->m.cli_sweep);
    const char *set_args[MAX_ARGS], *sweep_args[MAX_ARGS];
    scn_overrides ov = {.sets = set_args, .sweeps = sweep_args,
                        .replications = in->m.replications, .seed = in->m.seed};
    scenario *s = NULL;
    if (ok && sets && sweeps) {
        ov.n_sets = split_lines(sets, set_args);
        ov.n_sweeps = split_lines(sweeps, sweep_args);
        s = scn_load(tmp, &ov, e);
        if (s == NULL)
            err_wrap(e, "cannot load the scenario recorded in the inputs: ", "");
    } else {
        err_set(e, ERR_RUNTIME, tmp, 0, NULL, "cannot write a temporary file");
    }
    unlink(tmp);
    free(sets);
    free(sweeps);
    if (s == NULL)
        return NULL;
    /* Record what the inputs recorded, not the temporary copy. */
    char *text = dup_or_null(in->m.scenario_text), *over = dup_or_null(in->m.overrides);
    char *path = NULL;
    if (out_read_has_attr(in->r, "scenario_path")) {
        err ignore;
        out_read_attr_str(in->r, "scenario_path", &path, &ignore);
    }
    if (text == NULL || over == NULL || (size_t)in->m.points != s->n_points) {
        free(text);
        free(over);
        free(path);
        scn_free(s);
        err_set(e, ERR_RUNTIME, in->path, 0, NULL,
                "the recorded scenario does not load to the recorded %lld points",
                (long long)in->m.points);
        return NULL;
    }
    if (s->expanded == s->text)
        s->expanded = strdup(s->text);
    free(s->text);
    s->text = text;
    free(s->overrides);
    s->overrides = over;
    if (path != NULL) {
        free(s->path);
        s->path = path;
    }
    return s;
}

scenario *merge_reload(const char *path, err *e)
{
    input in = {.path = path};
    if ((in.r = out_read_open(path, e)) == NULL)
        return NULL;
    scenario *s = NULL;
    if (res_meta_read(in.r, path, &in.m, e) == 0) {
        s = reload(&in, e);
        res_meta_free(&in.m);
    }
    out_read_close(in.r);
    return s;
}

/* Copies every row in (point, rep) order, folding it into a: for each
 * point, the segments of the inputs that hold it, by first replication. */
/* 0, or the signal the watch says asks the merge to stop (e filled). */
static int asked_to_stop(const merge_watch *w, const char *out, merge_report *r, err *e)
{
    int sig = w != NULL && w->stopped != NULL ? w->stopped(w->ctx) : 0;
    if (sig == 0)
        return 0;
    r->stopped = sig;
    return err_set(e, ERR_RUNTIME, out, 0, NULL,
                   "merge stopped by signal %d: nothing written; the inputs are untouched", sig);
}

static int copy_rows(input *in, size_t n, const scenario *s, out_file *o, int table, acc *a,
                     uint64_t *rows, const merge_watch *w, const char *out, merge_report *r,
                     err *e)
{
    size_t *order = calloc(n, sizeof *order);
    int rc = order ? 0 : err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    *rows = 0;
    for (uint64_t p = 0; rc == 0 && p < s->n_points; p++) {
        if ((rc = asked_to_stop(w, out, r, e)) != 0)
            break;
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (p >= in[i].m.share.point_lo && p < in[i].m.share.point_hi)
                order[k++] = i;
        for (size_t x = 1; x < k; x++)
            for (size_t y = x; y > 0 && in[order[y]].m.share.rep_lo <
                                            in[order[y - 1]].m.share.rep_lo; y--) {
                size_t t = order[y];
                order[y] = order[y - 1];
                order[y - 1] = t;
            }
        for (size_t x = 0; rc == 0 && x < k; x++) {
            input *f = &in[order[x]];
            uint64_t nr = f->m.share.rep_hi - f->m.share.rep_lo;
            rc = res_copy_rows(f->r, f->path, &f->m.share, (p - f->m.share.point_lo) * nr, nr,
                               s->model, a, o, table, e);
            *rows += nr;
        }
    }
    free(order);
    return rc;
}

/* Opens input i and checks it can be merged: not the output, a result,
 * not a --precision run, with every row of its share; its events kept. */
static int open_input(input *in, const char *path, const char *out, err *e)
{
    int rc = 0;
    in->path = path;
    if (out_same_file(path, out))
        rc = err_set(e, ERR_INPUT, out, 0, NULL,
                     "is also an input: the merged file must be a new one");
    else if ((in->r = out_read_open(path, e)) == NULL)
        rc = -1;
    else if (res_meta_read(in->r, path, &in->m, e) < 0)
        rc = -1;
    else if (out_read_has_attr(in->r, "precision"))
        rc = err_set(e, ERR_INPUT, path, 0, NULL,
                     "is a --precision run (its points have different replications): "
                     "it is whole already and cannot be merged");
    else if (res_rows_kept(in->r, NULL, 0) != 1)
        rc = err_set(e, ERR_INPUT, path, 0, NULL,
                     "was run with --rows none or sample:N: merge folds the shares' rows "
                     "again, so run the shares with --rows all (the default)");
    else if (out_read_rows(in->r, "/replications", e) !=
             (int64_t)res_share_rows(&in->m.share) && in->m.complete)
        rc = err_set(e, ERR_RUNTIME, path, 0, NULL,
                     "/replications does not hold its share's %llu rows: damaged",
                     (unsigned long long)res_share_rows(&in->m.share));
    if (rc == 0) {
        err ignore;
        if (out_read_has_attr(in->r, "events"))
            out_read_attr_i64(in->r, "events", &in->events, &ignore);
    }
    return rc;
}

/* The merged file's root attributes, /points and empty /replications
 * (res_begin), with the inputs' --set/--sweep and their names; returns the
 * /replications table, or -1. */
static int begin_file(out_file *o, const scenario *s, const res_share *all, const input *in,
                      const char *const *inputs, size_t n, err *e)
{
    res_run_info ri = {.threads = 1, .ranks = 1, .ov = NULL, .rows = NULL};
    int table = res_begin(o, s, all, &ri, e);
    if (table < 0)
        return -1;
    /* res_begin recorded no --set/--sweep (ri.ov is NULL): the inputs' own. */
    if (out_attr_str(o, "/", "cli_set", in[0].m.cli_set, e) < 0 ||
        out_attr_str(o, "/", "cli_sweep", in[0].m.cli_sweep, e) < 0)
        return -1;
    size_t names = 1;
    for (size_t i = 0; i < n; i++)
        names += strlen(inputs[i]) + 1;
    char *from = calloc(names, 1);
    for (size_t i = 0; from && i < n; i++) {
        strcat(from, inputs[i]);
        strcat(from, "\n");
    }
    int rc = from == NULL ? err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory")
                          : out_attr_str(o, "/", "merged_from", from, e);
    free(from);
    return rc < 0 ? -1 : table;
}

int merge_results(const char *const *inputs, size_t n, const char *out, merge_report *r, err *e)
{
    return merge_results_watched(inputs, n, out, NULL, r, e);
}

int merge_results_watched(const char *const *inputs, size_t n, const char *out,
                          const merge_watch *w, merge_report *r, err *e)
{
    memset(r, 0, sizeof *r);
    input *in = calloc(n, sizeof *in);
    if (in == NULL)
        return err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = open_input(&in[i], inputs[i], out, e);
    if (rc == 0)
        rc = check_together(in, n, e);
    scenario *s = rc == 0 ? reload(&in[0], e) : NULL;
    if (rc == 0 && s == NULL)
        rc = -1;
    acc *a = s ? acc_alloc(s) : NULL;
    if (rc == 0 && a == NULL)
        rc = err_set(e, ERR_RUNTIME, NULL, 0, NULL, "out of memory");
    /* The one run's blocks, so the rows fold as its threads folded them. */
    if (a != NULL)
        acc_grid(a, 0, (uint64_t)s->replications,
                 acc_fold_reps(s->n_points * (uint64_t)s->replications,
                               (uint64_t)s->replications));
    out_file *o = NULL;
    if (rc == 0 && (o = out_create(out, e)) == NULL)
        rc = -1;
    if (rc == 0 && out_warning(o) != NULL)
        snprintf(r->warning, sizeof r->warning, "%s", out_warning(o));
    if (rc == 0 && w != NULL && w->files != NULL)
        w->files(w->ctx, out_temp_path(o), out_lock_path(o));
    res_share all = s ? res_share_all(s) : (res_share){0, 0, 0, 0};
    int table = rc == 0 ? begin_file(o, s, &all, in, inputs, n, e) : -1;
    if (rc == 0 && table < 0)
        rc = -1;
    uint64_t rows = 0, events = 0;
    if (rc == 0)
        rc = copy_rows(in, n, s, o, table, a, &rows, w, out, r, e);
    for (size_t i = 0; i < n; i++)
        events += (uint64_t)in[i].events;
    if (rc == 0)
        rc = res_finish(o, s, &all, a, rows, events, 0.0, 1, e);
    if (rc == 0)
        rc = asked_to_stop(w, out, r, e);
    if (rc == 0)
        rc = out_commit(o, e);
    else
        out_abort(o);
    if (w != NULL && w->files != NULL)
        w->files(w->ctx, NULL, NULL);
    if (rc == 0) {
        r->rows = rows;
        r->points = s->n_points;
    }
    acc_free(a);
    scn_free(s);
    for (size_t i = 0; i < n; i++) {
        out_read_close(in[i].r);
        res_meta_free(&in[i].m);
    }
    free(in);
    return rc;
}
