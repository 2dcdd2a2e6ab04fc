/* scn_sweep.c — the `sweep` block of a scenario: grid values, lhs and
 * sobol ranges, outputs, and the checks on each (the design itself is built
 * in scn_design.c once the overrides are in; see scn.c). */
#include <libconfig.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_design.h"
#include "scn_private.h"

static const char *const DESIGNS[] = {"grid", "lhs", "sobol", "cases", "uncertainty", NULL};

const char *scn_design_name(scn_design d)
{
    return DESIGNS[d];
}

scn_swept *scn_find_swept(scenario *s, const sch_key *k)
{
    for (size_t j = 0; j < s->n_swept; j++)
        if (s->swept[j].key == k)
            return &s->swept[j];
    return NULL;
}

void scn_drop_swept(scenario *s, const sch_key *k)
{
    scn_swept *w = scn_find_swept(s, k);
    if (w == NULL)
        return;
    free(w->values);
    size_t j = (size_t)(w - s->swept);
    memmove(w, w + 1, (s->n_swept - j - 1) * sizeof *w);
    s->n_swept--;
}

/* A value reduced to what orders it: one of i, r, s is used, the others
 * stay zero, so one comparison serves every key type (and needs no
 * context, which qsort cannot pass). idx breaks ties: equal values come
 * out in the order they were listed. */
typedef struct sort_entry {
    int64_t i;
    double r;
    const char *s;
    size_t idx;
} sort_entry;

static int cmp_entry(const void *pa, const void *pb)
{
    const sort_entry *a = pa, *b = pb;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    if (a->r != b->r)
        return a->r < b->r ? -1 : 1;
    int c = a->s && b->s ? strcmp(a->s, b->s) : 0;
    if (c != 0)
        return c;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Whether values[0..n-1] lists a value twice, in n log n (a sort, not a
 * comparison of every pair: a sweep may list 10^5 values). On 1, *at is
 * the first value, in list order, that is listed again (what a pairwise
 * scan would name); -1 when out of memory. */
static int first_duplicate(const sch_key *k, const sch_value *values, size_t n, size_t *at)
{
    if (n < 2)
        return 0;
    sort_entry *e = calloc(n, sizeof *e);
    if (e == NULL)
        return -1;
    for (size_t a = 0; a < n; a++) {
        e[a].idx = a;
        switch (k->type) {
        case SCH_INT: e[a].i = values[a].i; break;
        case SCH_REAL: e[a].r = values[a].r == 0 ? 0.0 : values[a].r; break; /* -0 == 0 */
        case SCH_BOOL: e[a].i = values[a].b; break;
        case SCH_CHOICE: e[a].i = values[a].c; break;
        case SCH_STRING: e[a].s = values[a].s; break;
        case SCH_LIST: e[a].i = (int64_t)a; break; /* never equal (sch_equal) */
        }
    }
    qsort(e, n, sizeof *e, cmp_entry);
    int found = 0;
    for (size_t a = 0; a + 1 < n; a++) {
        sort_entry x = e[a + 1];
        x.idx = e[a].idx;
        if (cmp_entry(&e[a], &x) == 0 && (!found || e[a].idx < *at)) {
            *at = e[a].idx; /* the first of a run of equal values: the smallest index */
            found = 1;
        }
    }
    free(e);
    return found;
}

/* Adds (or, from the command line, replaces) the sweep of k; takes values.
 * range (lhs, sobol) is [lo, hi], or NULL when the values are listed. */
int scn_add_swept(loader *L, const sch_key *k, sch_value *values, size_t n,
                  const sch_value *range, int replace, const char *file, int line)
{
    scenario *s = L->s;
    scn_swept *w = scn_find_swept(s, k);
    if (w != NULL && !replace) {
        free(values);
        return err_set(L->e, ERR_INPUT, file, line, k->path, "key is swept twice");
    }
    size_t twice = 0;
    int dup = first_duplicate(k, values, n, &twice);
    if (dup != 0) {
        char text[64];
        if (dup > 0)
            sch_format(k, values[twice], text, sizeof text);
        free(values);
        if (dup < 0)
            return err_set(L->e, ERR_RUNTIME, file, line, k->path, "out of memory");
        return err_set(L->e, ERR_INPUT, file, line, k->path, "sweep lists the value %s twice",
                       text);
    }
    if (w != NULL) {
        free(w->values);
    } else {
        scn_swept *sw = realloc(s->swept, (s->n_swept + 1) * sizeof *sw);
        if (sw == NULL) {
            free(values);
            return err_set(L->e, ERR_RUNTIME, file, line, k->path, "out of memory");
        }
        s->swept = sw;
        w = &s->swept[s->n_swept++];
        memset(w, 0, sizeof *w);
        w->key = k;
    }
    w->values = values;
    w->n_values = n;
    w->ranged = range != NULL;
    if (range != NULL) {
        w->lo = range[0];
        w->hi = range[1];
    }
    return 0;
}

const sch_key *scn_sweepable_key(loader *L, const char *path, const char *file, int line)
{
    const model_def *m = L->s->model;
    const sch_key *k = sch_find(m->keys, m->n_keys, path);
    if (k != NULL && (k->type == SCH_LIST || k->type == SCH_STRING)) {
        err_set(L->e, ERR_INPUT, file, line, path,
                "cannot be swept: a list is set in the scenario file only");
        return NULL;
    }
    if (k != NULL)
        return k;
    if (sch_find(scn_common_keys, scn_n_common_keys, path) != NULL) {
        err_set(L->e, ERR_INPUT, file, line, path,
                "cannot be swept: it applies to the whole run, not to a point");
        return NULL;
    }
    const char *hint = sch_suggest(m->keys, m->n_keys, path);
    if (hint)
        err_set(L->e, ERR_INPUT, file, line, path,
                "sweep names an unknown key; did you mean \"%s\"?", hint);
    else
        err_set(L->e, ERR_INPUT, file, line, path, "sweep names an unknown key");
    return NULL;
}

/* `values = [...]` of a sweep entry: values of k, one type, each checked. */
static int read_sweep_values(loader *L, const sch_key *k, const config_setting_t *vals)
{
    const char *file;
    int line;
    scn_where(L, vals, &file, &line);
    int vt = config_setting_type(vals);
    if (vt != CONFIG_TYPE_ARRAY && vt != CONFIG_TYPE_LIST)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "sweep values must be an array [ ... ], found %s", scn_type_name(vt));
    int n = config_setting_length(vals);
    if (n == 0)
        return err_set(L->e, ERR_INPUT, file, line, k->path, "sweep lists no values");
    sch_value *values = calloc((size_t)n, sizeof *values);
    if (values == NULL)
        return err_set(L->e, ERR_RUNTIME, file, line, k->path, "out of memory");
    int first_type = config_setting_type(config_setting_get_elem(vals, 0));
    for (int i = 0; i < n; i++) {
        const config_setting_t *el = config_setting_get_elem(vals, (unsigned)i);
        int t = config_setting_type(el);
        int same = t == first_type ||
                   ((t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) &&
                    (first_type == CONFIG_TYPE_INT || first_type == CONFIG_TYPE_INT64));
        if (!same) {
            scn_where(L, el, &file, &line);
            free(values);
            return err_set(L->e, ERR_INPUT, file, line, k->path,
                           "sweep values mix types: value %d is %s, value 1 is %s",
                           i + 1, scn_type_name(t), scn_type_name(first_type));
        }
        if (scn_read_value(L, k, el, &values[i]) < 0) {
            free(values);
            return -1;
        }
    }
    scn_where(L, vals, &file, &line);
    return scn_add_swept(L, k, values, (size_t)n, NULL, 0, file, line);
}

/* `range = [lo, hi]` of an lhs or sobol entry: two values of k, each in k's
 * own range, lo below hi; a boolean's range is [false, true]. */
static int read_sweep_range(loader *L, const sch_key *k, const config_setting_t *r)
{
    const char *file;
    int line;
    scn_where(L, r, &file, &line);
    int t = config_setting_type(r);
    if (k->type == SCH_CHOICE)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "a choice key has no range: list the choices to draw from as "
                       "values = [...]");
    if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) || config_setting_length(r) != 2)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "range must be [lo, hi], two values; found %s%s",
                       t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST ? "a list of " : "",
                       t == CONFIG_TYPE_ARRAY || t == CONFIG_TYPE_LIST
                           ? (config_setting_length(r) == 1 ? "1 value" : "another length")
                           : scn_type_name(t));
    sch_value lohi[2];
    for (int i = 0; i < 2; i++) {
        if (scn_read_value(L, k, config_setting_get_elem(r, (unsigned)i), &lohi[i]) < 0) {
            err_wrap(L->e, i == 0 ? "range, low end: " : "range, high end: ", "");
            return -1;
        }
    }
    int empty = k->type == SCH_INT ? lohi[0].i >= lohi[1].i
              : k->type == SCH_REAL ? !(lohi[0].r < lohi[1].r)
              : !(lohi[0].b == 0 && lohi[1].b == 1);
    if (k->type == SCH_BOOL && empty)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "a boolean's range is [false, true] (or leave range out)");
    if (empty) {
        char lo[64], hi[64];
        sch_format(k, lohi[0], lo, sizeof lo);
        sch_format(k, lohi[1], hi, sizeof hi);
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "range [%s, %s] is empty: the low end must be below the high end", lo, hi);
    }
    return scn_add_swept(L, k, NULL, 0, lohi, 0, file, line);
}

static int read_sweep_entry(loader *L, const config_setting_t *g, scn_design d)
{
    const char *file;
    int line;
    scn_where(L, g, &file, &line);
    const char *what = d == SCN_GRID ? "key and values" : "key and range (or values)";
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters",
                       "each entry must be a group { key = \"...\"; %s; }, found %s",
                       d == SCN_GRID ? "values = [...]" : "range = [lo, hi]",
                       scn_type_name(config_setting_type(g)));
    const config_setting_t *key = NULL, *vals = NULL, *range = NULL;
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *c = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(c);
        if (strcmp(name, "key") == 0) {
            key = c;
        } else if (strcmp(name, "values") == 0) {
            vals = c;
        } else if (strcmp(name, "range") == 0) {
            range = c;
        } else {
            scn_where(L, c, &file, &line);
            return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters",
                           "unknown entry \"%s\": an entry has %s", name, what);
        }
    }
    if (key == NULL || (d == SCN_GRID && vals == NULL && range == NULL))
        return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters",
                       d == SCN_GRID ? "an entry needs both key = \"...\" and values = [...]"
                                     : "an entry needs key = \"...\" and range = [lo, hi] "
                                       "(or values = [...])");
    scn_where(L, key, &file, &line);
    if (config_setting_type(key) != CONFIG_TYPE_STRING)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters.key",
                       "expected a string naming a scenario key, found %s",
                       scn_type_name(config_setting_type(key)));
    const sch_key *k = scn_sweepable_key(L, config_setting_get_string(key), file, line);
    if (k == NULL)
        return -1;
    if (range != NULL)
        scn_where(L, range, &file, &line);
    if (d == SCN_GRID && range != NULL)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "range = [lo, hi] is for lhs and sobol designs; a grid sweep lists "
                       "values = [...]");
    if (vals != NULL && range != NULL)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "give range = [lo, hi] or values = [...], not both");
    if (vals != NULL)
        return read_sweep_values(L, k, vals);
    if (range != NULL)
        return read_sweep_range(L, k, range);
    if (k->type == SCH_BOOL) { /* lhs, sobol: a boolean without range splits evenly */
        sch_value both[2] = {{.b = 0}, {.b = 1}};
        return scn_add_swept(L, k, NULL, 0, both, 0, file, line);
    }
    return err_set(L->e, ERR_INPUT, file, line, k->path,
                   "an %s design draws this key from range = [lo, hi] (or from values = [...]); "
                   "the entry gives neither", DESIGNS[d]);
}

/* sweep.points or sweep.samples: a whole number >= 1. */
static int read_count(loader *L, const config_setting_t *c, const char *path, size_t *n)
{
    const char *file;
    int line;
    scn_where(L, c, &file, &line);
    int t = config_setting_type(c);
    if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return err_set(L->e, ERR_INPUT, file, line, path, "expected a whole number, found %s",
                       scn_type_name(t));
    long long v = config_setting_get_int64(c);
    if (v < 1 || v > SCN_MAX_DESIGN_POINTS)
        return err_set(L->e, ERR_INPUT, file, line, path,
                       "%lld is out of range: valid values are [1, %d]", v, SCN_MAX_DESIGN_POINTS);
    *n = (size_t)v;
    return 0;
}

/* sweep.outputs: names of /summary rows of the model, each once. */
static int read_outputs(loader *L, const config_setting_t *c)
{
    const char *file;
    int line;
    scn_where(L, c, &file, &line);
    const model_def *m = L->s->model;
    int t = config_setting_type(c);
    if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.outputs",
                       "expected an array of /summary row names [\"...\", ...], found %s",
                       scn_type_name(t));
    int n = config_setting_length(c);
    if (n == 0)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.outputs", "the list is empty");
    scenario *s = L->s;
    s->outputs = calloc((size_t)n, sizeof *s->outputs);
    if (s->outputs == NULL)
        return err_set(L->e, ERR_RUNTIME, file, line, "sweep.outputs", "out of memory");
    for (int i = 0; i < n; i++) {
        const config_setting_t *el = config_setting_get_elem(c, (unsigned)i);
        scn_where(L, el, &file, &line);
        if (config_setting_type(el) != CONFIG_TYPE_STRING)
            return err_set(L->e, ERR_INPUT, file, line, "sweep.outputs",
                           "expected a string naming a /summary row, found %s",
                           scn_type_name(config_setting_type(el)));
        const char *name = config_setting_get_string(el);
        int found = -1;
        for (int r = 0; r < m->n_summaries && found < 0; r++)
            if (strcmp(m->summaries[r].name, name) == 0)
                found = r;
        if (found < 0) {
            char rows[512];
            size_t used = 0;
            rows[0] = '\0';
            for (int r = 0; r < m->n_summaries && used < sizeof rows - 1; r++) {
                int w = snprintf(rows + used, sizeof rows - used, "%s%s", r ? ", " : "",
                                 m->summaries[r].name);
                used += w > 0 ? (size_t)w : 0;
            }
            return err_set(L->e, ERR_INPUT, file, line, "sweep.outputs",
                           "\"%s\" is not a /summary row of model \"%s\" (its rows: %s)", name,
                           m->name, rows);
        }
        for (size_t j = 0; j < s->n_outputs; j++)
            if (s->outputs[j] == found)
                return err_set(L->e, ERR_INPUT, file, line, "sweep.outputs",
                               "\"%s\" is listed twice", name);
        s->outputs[s->n_outputs++] = found;
    }
    return 0;
}

int scn_read_sweep(loader *L, const config_setting_t *sw)
{
    const char *file;
    int line;
    scn_where(L, sw, &file, &line);
    if (config_setting_type(sw) != CONFIG_TYPE_GROUP)
        return err_set(L->e, ERR_INPUT, file, line, "sweep",
                       "expected a group { design = \"grid\"; parameters = (...); }, found %s",
                       scn_type_name(config_setting_type(sw)));
    L->sweep_file = file;
    L->sweep_line = line;
    const config_setting_t *params = NULL, *points = NULL, *samples = NULL, *outputs = NULL;
    const config_setting_t *cases = NULL, *baseline = NULL, *unc = NULL;
    scn_design d = SCN_GRID;
    for (int i = 0; i < config_setting_length(sw); i++) {
        const config_setting_t *c = config_setting_get_elem(sw, (unsigned)i);
        const char *name = config_setting_name(c);
        scn_where(L, c, &file, &line);
        if (strcmp(name, "design") == 0) {
            if (config_setting_type(c) != CONFIG_TYPE_STRING)
                return err_set(L->e, ERR_INPUT, file, line, "sweep.design",
                               "expected a string, found %s", scn_type_name(config_setting_type(c)));
            const char *v = config_setting_get_string(c);
            int found = -1;
            for (int j = 0; DESIGNS[j] != NULL; j++)
                if (strcmp(v, DESIGNS[j]) == 0)
                    found = j;
            if (found < 0)
                return err_set(L->e, ERR_INPUT, file, line, "sweep.design",
                               "\"%s\" is not one of \"grid\", \"lhs\", \"sobol\", \"cases\", "
                               "\"uncertainty\"", v);
            d = (scn_design)found;
        } else if (strcmp(name, "parameters") == 0) {
            params = c;
        } else if (strcmp(name, "points") == 0) {
            points = c;
        } else if (strcmp(name, "samples") == 0) {
            samples = c;
        } else if (strcmp(name, "outputs") == 0) {
            outputs = c;
        } else if (strcmp(name, "cases") == 0) {
            cases = c;
        } else if (strcmp(name, "baseline") == 0) {
            baseline = c;
        } else if (strcmp(name, "uncertainty") == 0) {
            unc = c;
        } else {
            return err_set(L->e, ERR_INPUT, file, line, "sweep",
                           "unknown key \"sweep.%s\"; a sweep has design and parameters, "
                           "an lhs sweep points, a sobol sweep samples and outputs, a cases "
                           "sweep cases and baseline, any grid or cases sweep uncertainty",
                           name);
        }
    }
    L->s->design = d;
    if (unc != NULL && d != SCN_GRID && d != SCN_CASES && d != SCN_UNCERTAINTY) {
        scn_where(L, unc, &file, &line);
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                       "an %s design draws its own points; uncertainty goes with a grid, "
                       "cases or design \"uncertainty\"", DESIGNS[d]);
    }
    scn_where(L, sw, &file, &line);
    if (d == SCN_UNCERTAINTY && unc == NULL)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                       "design \"uncertainty\" needs uncertainty = { worlds = N; ... }");
    if (unc != NULL) {
        scn_where(L, unc, &file, &line);
        if (config_setting_type(unc) != CONFIG_TYPE_GROUP)
            return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                           "expected a group { worlds = N; ... }, found %s",
                           scn_type_name(config_setting_type(unc)));
        L->unc = unc;
        L->unc_text = L->text;
        L->unc_line = line;
    }
    const struct {
        const config_setting_t *c;
        const char *path;
        scn_design only;
        const char *why;
    } extra[] = {
        {points, "sweep.points", SCN_LHS,
         "only an lhs design has points (a sobol design has samples; a grid's points are "
         "the product of its values)"},
        {samples, "sweep.samples", SCN_SOBOL, "only a sobol design has samples"},
        {outputs, "sweep.outputs", SCN_SOBOL,
         "only a sobol design has outputs (the /summary rows whose sensitivity it computes)"},
        {cases, "sweep.cases", SCN_CASES, "only a cases design has cases"},
        {baseline, "sweep.baseline", SCN_CASES, "only a cases design has a baseline case"},
    };
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        if (extra[i].c == NULL || extra[i].only == d)
            continue;
        scn_where(L, extra[i].c, &file, &line);
        return err_set(L->e, ERR_INPUT, file, line, extra[i].path, "%s; this sweep's design is "
                       "\"%s\"", extra[i].why, DESIGNS[d]);
    }
    scn_where(L, sw, &file, &line);
    if (d == SCN_LHS && points == NULL)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.points",
                       "an lhs design needs points = N: how many points to draw");
    if (d == SCN_SOBOL && samples == NULL)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.samples",
                       "a sobol design needs samples = N: base samples (N (k + 2) points "
                       "for k keys)");
    if (points != NULL && read_count(L, points, "sweep.points", &L->points) < 0)
        return -1;
    if (samples != NULL && read_count(L, samples, "sweep.samples", &L->s->samples) < 0)
        return -1;
    if (outputs != NULL && read_outputs(L, outputs) < 0)
        return -1;
    if (d == SCN_CASES) {
        if (cases == NULL)
            return err_set(L->e, ERR_INPUT, file, line, "sweep.cases",
                           "a cases design needs cases = ( { name = \"...\"; force = { ... }; }, "
                           "... )");
        scn_where(L, cases, &file, &line);
        if (config_setting_type(cases) != CONFIG_TYPE_LIST || config_setting_length(cases) == 0)
            return err_set(L->e, ERR_INPUT, file, line, "sweep.cases",
                           "expected a list of one or more cases ( { name = ...; ... }, ... )");
        L->cases = cases;
        L->cases_text = L->text;
        if (baseline != NULL) {
            scn_where(L, baseline, &file, &line);
            if (config_setting_type(baseline) != CONFIG_TYPE_STRING)
                return err_set(L->e, ERR_INPUT, file, line, "sweep.baseline",
                               "expected the name of a case, in quotes");
            L->baseline = config_setting_get_string(baseline);
            L->baseline_line = line;
        }
        if (params == NULL)
            return 0; /* cases alone: no grid to cross */
    }
    if (params == NULL && unc != NULL)
        return 0; /* options in worlds: one option, or the cases */
    if (params == NULL)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters",
                       d == SCN_GRID
                           ? "a sweep needs parameters = ( { key = ...; values = [...]; }, ... )"
                           : "a sweep needs parameters = ( { key = ...; range = [lo, hi]; }, "
                             "... )");
    scn_where(L, params, &file, &line);
    L->params_line = line;
    int pt = config_setting_type(params);
    if (pt != CONFIG_TYPE_LIST)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters",
                       "expected a list ( { ... }, ... ), found %s", scn_type_name(pt));
    if (config_setting_length(params) == 0)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters",
                       "the sweep names no parameters");
    if (d == SCN_SOBOL && config_setting_length(params) > SCN_MAX_SOBOL_KEYS)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.parameters",
                       "a sobol design takes at most %d keys (GSL's Sobol sequence has 40 "
                       "dimensions, two per key); this one has %d",
                       SCN_MAX_SOBOL_KEYS, config_setting_length(params));
    /* A cases design crosses its cases with a grid of values. */
    scn_design entries = d == SCN_CASES || d == SCN_UNCERTAINTY ? SCN_GRID : d;
    for (int i = 0; i < config_setting_length(params); i++)
        if (read_sweep_entry(L, config_setting_get_elem(params, (unsigned)i), entries) < 0)
            return -1;
    return 0;
}

