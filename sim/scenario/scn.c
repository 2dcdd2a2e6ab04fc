/* scn.c — loading and checking a scenario: the settings tree, lists of
 * records, overrides, and building the sweep (the `sweep` block itself is
 * read in scn_sweep.c; both share scn_private.h).
 *
 * Order of precedence, last wins: schema defaults, the file, --set, -n/-s.
 * A swept key takes its values from the sweep; --sweep replaces the file's
 * sweep of the same key, and --set on a swept key pins it (removes it from
 * the sweep). Every value from any source passes the same sch_check.
 *
 * lhs and sobol designs (scn_design.h) are built once the overrides are in,
 * so a key pinned by --set leaves the design. --sweep lists grid values and
 * is refused with an lhs or sobol file sweep: a design's keys have ranges,
 * and a grid on top of a design would multiply its points and break the
 * Saltelli layout that the sensitivity indices need.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "scn.h"

#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_design.h"
#include "scn_private.h"
#include "scn_text.h"



const sch_key scn_common_keys[] = {
    {"model", SCH_CHOICE, offsetof(scn_common, model), 0, 0, 0, 0, 0, model_names, "",
     "which model the scenario runs: the reassurance model or a validation model",
     "PRODUCT.md", NULL, SCH_BASIS_NONE, {0}},
    {"replications", SCH_INT, offsetof(scn_common, replications), 1000, 1, 1e12, 0, 0, NULL,
     "", "independent replications at each sweep point", "PRODUCT.md", NULL, SCH_BASIS_NONE, {0}},
    {"seed", SCH_INT, offsetof(scn_common, seed), 1, 0, 9223372036854775807.0, 0, 0, NULL,
     "", "master seed: with the same scenario, identical results bit for bit",
     "PRODUCT.md", NULL, SCH_BASIS_NONE, {0}},
};
const size_t scn_n_common_keys = sizeof scn_common_keys / sizeof scn_common_keys[0];

/* A grid's points are computed on demand; a design's are stored (limits in
 * scn_design.h). */
enum { MAX_POINTS = 100000000 };



void scn_where(const loader *L, const config_setting_t *st, const char **file, int *line)
{
    scn_text_where(L->text, (int)config_setting_source_line(st), file, line);
}

const char *scn_type_name(int t)
{
    switch (t) {
    case CONFIG_TYPE_GROUP: return "a group { ... }";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a real number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array [ ... ]";
    case CONFIG_TYPE_LIST: return "a list ( ... )";
    default: return "nothing";
    }
}

static int unknown_key(const loader *L, const char *file, int line, const char *path)
{
    const model_def *m = L->s->model;
    const char *hint = m ? sch_suggest(m->keys, m->n_keys, path) : NULL;
    const char *common = sch_suggest(scn_common_keys, scn_n_common_keys, path);
    if (hint == NULL)
        hint = common;
    if (hint != NULL)
        return err_set(L->e, ERR_INPUT, file, line, path,
                       "unknown key for model \"%s\"; did you mean \"%s\"?",
                       m ? m->name : "?", hint);
    return err_set(L->e, ERR_INPUT, file, line, path,
                   "unknown key for model \"%s\" (`reassure check` lists the keys)",
                   m ? m->name : "?");
}

/* Reads one scalar setting as a value of k (type check, then range check). */
int scn_read_value(const loader *L, const sch_key *k, const config_setting_t *st,
                   sch_value *v)
{
    const char *file;
    int line;
    scn_where(L, st, &file, &line);
    int t = config_setting_type(st);
    switch (k->type) {
    case SCH_INT:
        if (t == CONFIG_TYPE_FLOAT)
            return err_set(L->e, ERR_INPUT, file, line, k->path,
                           "expected an integer, found the real number %g",
                           config_setting_get_float(st));
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
            return err_set(L->e, ERR_INPUT, file, line, k->path,
                           "expected an integer, found %s", scn_type_name(t));
        v->i = config_setting_get_int64(st);
        break;
    case SCH_REAL:
        if (t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64)
            v->r = (double)config_setting_get_int64(st);
        else if (t == CONFIG_TYPE_FLOAT)
            v->r = config_setting_get_float(st);
        else
            return err_set(L->e, ERR_INPUT, file, line, k->path,
                           "expected a number, found %s", scn_type_name(t));
        break;
    case SCH_BOOL:
        if (t != CONFIG_TYPE_BOOL)
            return err_set(L->e, ERR_INPUT, file, line, k->path,
                           "expected true or false, found %s", scn_type_name(t));
        v->b = config_setting_get_bool(st) != 0;
        break;
    case SCH_STRING:
        if (t != CONFIG_TYPE_STRING)
            return err_set(L->e, ERR_INPUT, file, line, k->path,
                           "expected a string, found %s", scn_type_name(t));
        if (sch_parse(k, config_setting_get_string(st), v, file, "", L->e) < 0) {
            L->e->line = line;
            return -1;
        }
        break;
    case SCH_LIST:
        return err_set(L->e, ERR_INPUT, file, line, k->path, "expected a list ( ... )");
    case SCH_CHOICE:
        if (t != CONFIG_TYPE_STRING)
            return err_set(L->e, ERR_INPUT, file, line, k->path,
                           "expected a string naming a choice, found %s", scn_type_name(t));
        if (sch_parse(k, config_setting_get_string(st), v, file, "", L->e) < 0) {
            L->e->line = line;
            return -1;
        }
        break;
    }
    return sch_check(k, *v, file, line, L->e);
}

/* ---- lists of records ------------------------------------------------------ */

/* Reads one record of list k (a group) into rec; `at` names it in messages
 * ("coalition.contributors[2]"). */
static int read_record(loader *L, const sch_key *k, const config_setting_t *g, const char *at,
                       void *rec)
{
    const sch_list *l = k->list;
    const char *file;
    int line;
    scn_where(L, g, &file, &line);
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return err_set(L->e, ERR_INPUT, file, line, at, "expected a group { ... }, found %s",
                       scn_type_name(config_setting_type(g)));
    sch_defaults(l->fields, l->n_fields, rec);
    for (size_t f = 0; f < l->n_fields; f++) {
        const sch_key *fk = &l->fields[f];
        const config_setting_t *c = config_setting_get_member(g, fk->path);
        if (c == NULL) {
            if (fk->type == SCH_STRING)
                return err_set(L->e, ERR_INPUT, file, line, at, "needs %s = \"...\";",
                               fk->path);
            if (!sch_has_default(fk))
                return err_set(L->e, ERR_INPUT, file, line, at, "needs %s = ...;", fk->path);
            continue;
        }
        sch_value v;
        if (scn_read_value(L, fk, c, &v) < 0) {
            /* Name the field by its place in the list. */
            size_t na = strnlen(at, 100), nf = strnlen(fk->path, 26);
            memcpy(L->e->key, at, na);
            L->e->key[na] = '.';
            memcpy(L->e->key + na + 1, fk->path, nf);
            L->e->key[na + 1 + nf] = '\0';
            return -1;
        }
        sch_store(fk, rec, v);
    }
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *c = config_setting_get_elem(g, (unsigned)i);
        if (sch_find(l->fields, l->n_fields, config_setting_name(c)) == NULL) {
            scn_where(L, c, &file, &line);
            const char *hint = sch_suggest(l->fields, l->n_fields, config_setting_name(c));
            char path[400];
            snprintf(path, sizeof path, "%s.%s", at, config_setting_name(c));
            if (hint)
                return err_set(L->e, ERR_INPUT, file, line, path,
                               "unknown field; did you mean \"%s\"?", hint);
            return err_set(L->e, ERR_INPUT, file, line, path, "unknown field");
        }
    }
    return 0;
}

static int read_list(loader *L, const sch_key *k, const config_setting_t *st)
{
    const sch_list *l = k->list;
    const char *file;
    int line;
    scn_where(L, st, &file, &line);
    int t = config_setting_type(st);
    if (t != CONFIG_TYPE_LIST)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "expected a list ( { ... }, ... ), found %s", scn_type_name(t));
    int n = config_setting_length(st);
    if (n == 0)
        return err_set(L->e, ERR_INPUT, file, line, k->path, "the list is empty");
    if ((size_t)n > l->max_records)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "the list has %d entries; at most %zu are allowed", n, l->max_records);
    char *base = (char *)L->s->base + k->offset;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        char at[160];
        snprintf(at, sizeof at, "%s[%d]", k->path, i);
        void *rec = base + (size_t)i * l->record_size;
        if (read_record(L, k, config_setting_get_elem(st, (unsigned)i), at, rec) < 0)
            return -1;
        if (l->sum_to_one != NULL)
            sum += sch_load(sch_find(l->fields, l->n_fields, l->sum_to_one), rec).r;
    }
    if (l->sum_to_one != NULL && fabs(sum - 1.0) > 1e-9)
        return err_set(L->e, ERR_INPUT, file, line, k->path,
                       "the %s values sum to %.10g; they must sum to 1", l->sum_to_one, sum);
    memcpy((char *)L->s->base + l->count_offset, &n, sizeof n);
    return 0;
}

/* ---- the settings tree --------------------------------------------------- */

static int has_prefix_key(const model_def *m, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < m->n_keys; i++)
        if (strncmp(m->keys[i].path, prefix, n) == 0 && m->keys[i].path[n] == '.')
            return 1;
    return 0;
}

static int walk(loader *L, const config_setting_t *g, const char *prefix)
{
    const model_def *m = L->s->model;
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *c = config_setting_get_elem(g, (unsigned)i);
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, prefix[0] ? "." : "",
                 config_setting_name(c));
        const char *file;
        int line;
        scn_where(L, c, &file, &line);
        if (L->in_case && prefix[0] == '\0') {
            if (strcmp(path, "name") == 0)
                continue; /* read by build_cases */
            if (strcmp(path, "base") == 0 || strcmp(path, "sweep") == 0 ||
                sch_find(scn_common_keys, scn_n_common_keys, path) != NULL)
                return err_set(L->e, ERR_INPUT, file, line, path,
                               "a case sets the model's keys only (its name and, e.g., force = "
                               "{ troops = ...; }), not %s", path);
        }
        if (prefix[0] == '\0' && !L->in_case) {
            if (strcmp(path, "base") == 0)
                continue; /* read when the layers were gathered */
            if (strcmp(path, "sweep") == 0) {
                if (L->skip_sweep)
                    continue; /* a later file's sweep replaces it */
                if (scn_read_sweep(L, c) < 0)
                    return -1;
                continue;
            }
            const sch_key *k = sch_find(scn_common_keys, scn_n_common_keys, path);
            if (k != NULL) {
                sch_value v;
                if (scn_read_value(L, k, c, &v) < 0)
                    return -1;
                sch_store(k, &L->common, v);
                continue;
            }
        }
        const sch_key *k = sch_find(m->keys, m->n_keys, path);
        if (k == NULL && has_prefix_key(m, path)) {
            if (config_setting_type(c) != CONFIG_TYPE_GROUP)
                return err_set(L->e, ERR_INPUT, file, line, path,
                               "expected a group { ... } of %s.* keys, found %s", path,
                               scn_type_name(config_setting_type(c)));
            if (walk(L, c, path) < 0)
                return -1;
            continue;
        }
        if (k == NULL)
            return unknown_key(L, file, line, path);
        if (L->touched != NULL)
            L->touched[k - m->keys] = 1;
        if (L->origin != NULL) {
            size_t i = (size_t)(k - m->keys);
            char where[600];
            snprintf(where, sizeof where, "%s:%d", file, line);
            free(L->origin[i]);
            if ((L->origin[i] = strdup(where)) == NULL)
                return err_set(L->e, ERR_RUNTIME, file, line, path, "out of memory");
        }
        if (k->type == SCH_LIST) {
            if (read_list(L, k, c) < 0)
                return -1;
            continue;
        }
        sch_value v;
        if (scn_read_value(L, k, c, &v) < 0)
            return -1;
        sch_store(k, L->s->base, v);
    }
    return 0;
}

/* ---- command-line overrides ---------------------------------------------- */

static int split_assignment(loader *L, const char *opt, const char *arg, char *key,
                            size_t n, const char **value)
{
    const char *eq = strchr(arg, '=');
    if (eq == NULL || eq == arg || (size_t)(eq - arg) >= n)
        return err_set(L->e, ERR_INPUT, SCN_CLI, 0, NULL,
                       "%s \"%s\": expected KEY=VALUE", opt, arg);
    memcpy(key, arg, (size_t)(eq - arg));
    key[eq - arg] = '\0';
    *value = eq + 1;
    return 0;
}

static int apply_set(loader *L, const char *arg)
{
    char path[256];
    const char *text;
    if (split_assignment(L, "--set", arg, path, sizeof path, &text) < 0)
        return -1;
    const model_def *m = L->s->model;
    sch_value v;
    const sch_key *k = sch_find(scn_common_keys, scn_n_common_keys, path);
    if (k != NULL) {
        if (strcmp(path, "model") == 0)
            return err_set(L->e, ERR_INPUT, SCN_CLI, 0, path,
                           "--set cannot change the model; edit the scenario file");
        if (sch_parse(k, text, &v, SCN_CLI, "--set: ", L->e) < 0 ||
            sch_check(k, v, SCN_CLI, 0, L->e) < 0)
            return -1;
        sch_store(k, &L->common, v);
        return 0;
    }
    k = sch_find(m->keys, m->n_keys, path);
    if (k == NULL) {
        unknown_key(L, SCN_CLI, 0, path);
        err_wrap(L->e, "--set: ", "");
        return -1;
    }
    if (sch_parse(k, text, &v, SCN_CLI, "--set: ", L->e) < 0 || sch_check(k, v, SCN_CLI, 0, L->e) < 0)
        return -1;
    sch_store(k, L->s->base, v);
    scn_drop_swept(L->s, k);
    return 0;
}

static int apply_sweep(loader *L, const char *arg)
{
    char path[256];
    const char *text;
    if (split_assignment(L, "--sweep", arg, path, sizeof path, &text) < 0)
        return -1;
    const sch_key *k = scn_sweepable_key(L, path, SCN_CLI, 0);
    if (k == NULL)
        return -1;
    if (L->s->design != SCN_GRID)
        return err_set(L->e, ERR_INPUT, SCN_CLI, 0, path,
                       "--sweep lists grid values, but the file's sweep is a%s %s design; add "
                       "{ key = \"%s\"; range = [lo, hi]; } to its sweep.parameters instead",
                       L->s->design == SCN_LHS ? "n" : "", scn_design_name(L->s->design), path);
    size_t n = 1;
    for (const char *p = text; *p; p++)
        n += *p == ',';
    sch_value *values = calloc(n, sizeof *values);
    if (values == NULL)
        return err_set(L->e, ERR_RUNTIME, SCN_CLI, 0, path, "out of memory");
    const char *p = text;
    for (size_t i = 0; i < n; i++) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char word[256];
        if (len >= sizeof word) {
            free(values);
            return err_set(L->e, ERR_INPUT, SCN_CLI, 0, path, "--sweep: value too long");
        }
        memcpy(word, p, len);
        word[len] = '\0';
        if (len == 0) {
            free(values);
            return err_set(L->e, ERR_INPUT, SCN_CLI, 0, path,
                           "--sweep: value %zu is empty (write --sweep KEY=V1,V2,...)", i + 1);
        }
        if (sch_parse(k, word, &values[i], SCN_CLI, "--sweep: ", L->e) < 0 ||
            sch_check(k, values[i], SCN_CLI, 0, L->e) < 0) {
            free(values);
            return -1;
        }
        p = comma ? comma + 1 : p + len;
    }
    return scn_add_swept(L, k, values, n, NULL, 1, SCN_CLI, 0);
}

static int apply_overrides(loader *L, const scn_overrides *ov)
{
    if (ov == NULL)
        return 0;
    /* One key both set and swept on the command line: which was meant? */
    for (size_t i = 0; i < ov->n_sets; i++) {
        const char *eq = strchr(ov->sets[i], '=');
        size_t n = eq ? (size_t)(eq - ov->sets[i]) : strlen(ov->sets[i]);
        for (size_t j = 0; j < ov->n_sweeps; j++)
            if (strncmp(ov->sweeps[j], ov->sets[i], n) == 0 && ov->sweeps[j][n] == '=')
                return err_set(L->e, ERR_INPUT, SCN_CLI, 0, NULL,
                               "--set %s and --sweep %s name one key: give one or the other",
                               ov->sets[i], ov->sweeps[j]);
    }
    for (size_t i = 0; i < ov->n_sets; i++)
        if (apply_set(L, ov->sets[i]) < 0)
            return -1;
    for (size_t i = 0; i < ov->n_sweeps; i++)
        if (apply_sweep(L, ov->sweeps[i]) < 0)
            return -1;
    const struct {
        int64_t v;
        const char *key;
        const char *opt;
    } nums[] = {{ov->replications, "replications", "-n"}, {ov->seed, "seed", "-s"}};
    for (size_t i = 0; i < 2; i++) {
        if (nums[i].v < 0)
            continue;
        const sch_key *k = sch_find(scn_common_keys, scn_n_common_keys, nums[i].key);
        sch_value v = {.i = nums[i].v};
        if (sch_check(k, v, SCN_CLI, 0, L->e) < 0)
            return -1;
        sch_store(k, &L->common, v);
    }
    return 0;
}

static char *overrides_text(const scn_overrides *ov)
{
    size_t n = 1;
    if (ov != NULL) {
        for (size_t i = 0; i < ov->n_sets; i++)
            n += strlen(ov->sets[i]) + 8;
        for (size_t i = 0; i < ov->n_sweeps; i++)
            n += strlen(ov->sweeps[i]) + 10;
        n += 64;
    }
    char *s = calloc(n, 1);
    if (s == NULL || ov == NULL)
        return s;
    size_t used = 0;
    for (size_t i = 0; i < ov->n_sets; i++)
        used += (size_t)snprintf(s + used, n - used, "%s--set %s", used ? " " : "", ov->sets[i]);
    for (size_t i = 0; i < ov->n_sweeps; i++)
        used += (size_t)snprintf(s + used, n - used, "%s--sweep %s", used ? " " : "",
                                 ov->sweeps[i]);
    if (ov->replications >= 0)
        used += (size_t)snprintf(s + used, n - used, "%s-n %lld", used ? " " : "",
                                 (long long)ov->replications);
    if (ov->seed >= 0)
        snprintf(s + used, n - used, "%s-s %lld", used ? " " : "", (long long)ov->seed);
    return s;
}

/* ---- loading --------------------------------------------------------------- */

static int choose_model(loader *L, config_t *cfg)
{
    const sch_key *k = sch_find(scn_common_keys, scn_n_common_keys, "model");
    sch_value v = sch_default(k);
    const config_setting_t *st = config_lookup(cfg, "model");
    if (st != NULL && scn_read_value(L, k, st, &v) < 0)
        return -1;
    L->common.model = v.c;
    /* The choices are the registry's names: each has its model. */
    L->s->model = model_find(model_names[v.c]);
    return 0;
}

/* An lhs or sobol design's table of points, once the overrides are in. */
static int build_design(loader *L)
{
    scenario *s = L->s;
    const char *file = L->sweep_file ? L->sweep_file : s->path;
    size_t k = s->n_swept, n;
    const char *name = scn_design_name(s->design);
    if (k == 0)
        return err_set(L->e, ERR_INPUT, file, L->params_line, "sweep.parameters",
                       "--set pins every key of the %s design: nothing is left to sweep", name);
    /* A Sobol index is a share of variance: a key drawn from one listed
     * value (a one-level choice) has none, and its indices would be 0/0. */
    for (size_t j = 0; s->design == SCN_SOBOL && j < k; j++)
        if (!s->swept[j].ranged && s->swept[j].n_values < 2)
            return err_set(L->e, ERR_INPUT, file, L->sweep_line, s->swept[j].key->path,
                           "a sobol design draws this key from one value only; list two or "
                           "more, or fix it with --set (a key that never varies has no "
                           "Sobol index)");
    if (s->design == SCN_LHS) {
        n = L->points;
    } else {
        if (k > SCN_MAX_SOBOL_KEYS) /* the file is checked; this is a safeguard */
            return err_set(L->e, ERR_INPUT, file, L->params_line, "sweep.parameters",
                           "a sobol design takes at most %d keys", SCN_MAX_SOBOL_KEYS);
        n = s->samples > SCN_MAX_DESIGN_POINTS / (k + 2) ? (size_t)SCN_MAX_DESIGN_POINTS + 1
                                                     : s->samples * (k + 2);
    }
    if (n > SCN_MAX_DESIGN_POINTS || n > SCN_MAX_DESIGN_VALUES / k)
        return err_set(L->e, ERR_INPUT, file, L->sweep_line,
                       s->design == SCN_LHS ? "sweep.points" : "sweep.samples",
                       "the design would have %s%zu points of %zu key%s; at most %d points and "
                       "%d values (points x keys) are allowed",
                       n > SCN_MAX_DESIGN_POINTS ? "over " : "",
                       n > SCN_MAX_DESIGN_POINTS ? (size_t)SCN_MAX_DESIGN_POINTS : n, k,
                       k == 1 ? "" : "s", SCN_MAX_DESIGN_POINTS, SCN_MAX_DESIGN_VALUES);
    double *u = malloc(n * k * sizeof *u);
    s->table = malloc(n * k * sizeof *s->table);
    int rc = u && s->table ? 0 : -1;
    if (rc == 0)
        rc = s->design == SCN_LHS ? scn_design_lhs(s->seed, n, k, u)
                                   : scn_design_sobol(s->samples, k, u);
    for (size_t i = 0; rc == 0 && i < n * k; i++) {
        sch_value v = scn_design_value(&s->swept[i % k], u[i]);
        memcpy(&s->table[i], &v, sizeof s->table[i]); /* i, r, b, c all start the union */
    }
    free(u);
    if (rc < 0)
        return err_set(L->e, ERR_RUNTIME, file, L->sweep_line, "sweep", "out of memory");
    s->n_points = n;
    if (s->design == SCN_SOBOL && s->n_outputs == 0) {
        /* Default: the model's headline row. */
        s->outputs = calloc(1, sizeof *s->outputs);
        if (s->outputs == NULL)
            return err_set(L->e, ERR_RUNTIME, file, L->sweep_line, "sweep", "out of memory");
        s->outputs[0] = model_headline(s->model);
        s->n_outputs = 1;
    }
    return 0;
}

/* An lhs or sobol range stands for every value in it, not only the points
 * one seed happens to draw: each ranged key is probed over its range (every
 * integer of an int range up to RANGE_PROBES values, else RANGE_PROBES
 * evenly spaced values with both ends; both values of a boolean), the other
 * keys as at design point 0, through the key's own check and the model's.
 * So `force.troops` over [0, 30000] is refused at load, whatever the seed:
 * 1 to 799 troops are less than a battalion. */
enum { RANGE_PROBES = 10001 };

static int check_ranges(loader *L, void *params)
{
    scenario *s = L->s;
    const model_def *m = s->model;
    for (size_t j = 0; j < s->n_swept; j++) {
        const scn_swept *w = &s->swept[j];
        if (!w->ranged)
            continue;
        const sch_key *k = w->key;
        /* every: an int range narrow enough to try each of its values (in
         * doubles: hi - lo may not fit an int64) */
        int every = k->type == SCH_INT && (double)w->hi.i - (double)w->lo.i < RANGE_PROBES;
        size_t n = every ? (size_t)((double)w->hi.i - (double)w->lo.i) + 1
                   : k->type == SCH_BOOL ? 2 : RANGE_PROBES;
        for (size_t i = 0; i < n; i++) {
            sch_value v = w->lo;
            if (every)
                v.i = w->lo.i + (int64_t)i;
            else if (k->type == SCH_INT || k->type == SCH_REAL)
                v = scn_design_value(w, n > 1 ? (double)i / (double)(n - 1) : 0.0);
            else if (k->type == SCH_BOOL)
                v.b = (int)i;
            scn_point(s, 0, params);
            sch_store(k, params, v);
            if (sch_check(k, v, s->path, 0, L->e) < 0 ||
                (m->check != NULL && m->check(params, s->path, L->e) < 0)) {
                char lo[64], hi[64], at[200];
                sch_format(k, w->lo, lo, sizeof lo);
                sch_format(k, w->hi, hi, sizeof hi);
                snprintf(at, sizeof at, " (a value the %s range [%s, %s] of %s can produce: "
                         "narrow the range)", scn_design_name(s->design), lo, hi, k->path);
                err_wrap(L->e, "", at);
                return -1;
            }
        }
    }
    return 0;
}

int scn_on_command_line(const scn_overrides *ov, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 0; ov != NULL && i < ov->n_sets; i++)
        if (strncmp(ov->sets[i], path, n) == 0 && ov->sets[i][n] == '=')
            return 1;
    for (size_t i = 0; ov != NULL && i < ov->n_sweeps; i++)
        if (strncmp(ov->sweeps[i], path, n) == 0 && ov->sweeps[i][n] == '=')
            return 1;
    return 0;
}

/* A cases design: each case's parameters are the base (file and --set)
 * with the case's own keys set; names are unique; a key a case sets may
 * be neither swept nor given on the command line (one would silently undo
 * the other). */
static int build_cases(loader *L, const scn_overrides *ov)
{
    scenario *s = L->s;
    const model_def *m = s->model;
    size_t n = (size_t)config_setting_length(L->cases), size = m->params_size;
    const char *file;
    int line;
    if (n > 10000) {
        scn_where(L, L->cases, &file, &line);
        return err_set(L->e, ERR_INPUT, file, line, "sweep.cases", "at most 10000 cases");
    }
    s->case_names = calloc(n, sizeof *s->case_names);
    s->case_params = malloc(n * size);
    L->touched = calloc(m->n_keys, 1);
    if (s->case_names == NULL || s->case_params == NULL || L->touched == NULL)
        return err_set(L->e, ERR_RUNTIME, s->path, 0, NULL, "out of memory");
    s->n_cases = n;
    void *base = s->base;
    scn_text *text = L->text;
    char **origin = L->origin;
    L->text = L->cases_text;
    L->origin = NULL;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(L->cases, (unsigned)i);
        scn_where(L, g, &file, &line);
        const config_setting_t *nm = config_setting_get_member(g, "name");
        if (config_setting_type(g) != CONFIG_TYPE_GROUP || nm == NULL ||
            config_setting_type(nm) != CONFIG_TYPE_STRING ||
            config_setting_get_string(nm)[0] == '\0') {
            rc = err_set(L->e, ERR_INPUT, file, line, "sweep.cases",
                         "case %zu: expected { name = \"...\"; and the keys it sets }", i + 1);
            break;
        }
        const char *name = config_setting_get_string(nm);
        if (!sch_str_fits(name)) {
            rc = err_set(L->e, ERR_INPUT, file, line, "sweep.cases",
                         "case name \"%s\" is longer than %d characters", name, SCH_STR_CHARS);
            break;
        }
        for (size_t j = 0; j < i && rc == 0; j++)
            if (strcmp(s->case_names[j], name) == 0)
                rc = err_set(L->e, ERR_INPUT, file, line, "sweep.cases",
                             "two cases are named \"%s\"", name);
        snprintf(s->case_names[i], SCH_STR, "%s", name);
        memcpy(s->case_params + i * size, base, size);
        s->base = s->case_params + i * size;
        L->in_case = 1;
        if (rc == 0)
            rc = walk(L, g, "");
        L->in_case = 0;
        s->base = base;
    }
    L->text = text;
    L->origin = origin;
    for (size_t k = 0; rc == 0 && k < m->n_keys; k++) {
        if (!L->touched[k])
            continue;
        scn_where(L, L->cases, &file, &line);
        if (scn_find_swept(s, &m->keys[k]) != NULL || scn_on_command_line(ov, m->keys[k].path))
            rc = err_set(L->e, ERR_INPUT, file, line, m->keys[k].path,
                         "is set by a case and %s: one would undo the other", 
                         scn_find_swept(s, &m->keys[k]) ? "swept" : "given by --set");
    }
    s->baseline_case = 0;
    if (rc == 0 && L->baseline != NULL) {
        size_t j = 0;
        while (j < n && strcmp(s->case_names[j], L->baseline) != 0)
            j++;
        if (j == n) {
            scn_where(L, L->cases, &file, &line);
            rc = err_set(L->e, ERR_INPUT, file, L->baseline_line, "sweep.baseline",
                         "\"%s\" is not the name of a case", L->baseline);
        }
        s->baseline_case = j;
    }
    free(L->case_keys);
    L->case_keys = L->touched; /* the worlds leave these keys to the cases */
    L->touched = NULL;
    return rc;
}

static int check_points(loader *L)
{
    scenario *s = L->s;
    size_t n = 1;
    int grid = s->design == SCN_GRID || s->design == SCN_CASES || s->design == SCN_UNCERTAINTY;
    if (!grid) {
        if (build_design(L) < 0)
            return -1;
        n = s->n_points;
        void *probe = malloc(s->model->params_size);
        int rc = probe != NULL ? check_ranges(L, probe)
                               : err_set(L->e, ERR_RUNTIME, s->path, 0, NULL, "out of memory");
        free(probe);
        if (rc < 0)
            return -1;
    }
    for (size_t j = 0; grid && j + s->n_assumptions < s->n_swept; j++) {
        if (s->swept[j].n_values > MAX_POINTS / n)
            return err_set(L->e, ERR_INPUT, s->path, 0, "sweep",
                           "the sweep has more than %d points", MAX_POINTS);
        n *= s->swept[j].n_values;
    }
    if (s->n_worlds > 0) {
        if (n > MAX_POINTS / s->n_worlds)
            return err_set(L->e, ERR_INPUT, s->path, 0, "sweep",
                           "the sweep has more than %d points", MAX_POINTS);
        n *= s->n_worlds;
    }
    s->grid_points = n;
    if (s->n_cases > 0) {
        if (n > MAX_POINTS / s->n_cases)
            return err_set(L->e, ERR_INPUT, s->path, 0, "sweep",
                           "the sweep has more than %d points", MAX_POINTS);
        n *= s->n_cases;
    }
    s->n_points = n;
    if ((double)n * (double)s->replications > 9.0e15)
        return err_set(L->e, ERR_INPUT, s->path, 0, "replications",
                       "%zu points x %lld replications is too many", n,
                       (long long)s->replications);
    if (s->model->check == NULL)
        return 0;
    void *params = malloc(s->model->params_size);
    if (params == NULL)
        return err_set(L->e, ERR_RUNTIME, s->path, 0, NULL, "out of memory");
    for (size_t p = 0; p < n; p++) {
        scn_point(s, p, params);
        if (s->model->check(params, s->path, L->e) < 0) {
            free(params);
            if (s->n_cases > 0) {
                char at[96];
                snprintf(at, sizeof at, " (in case \"%s\", sweep point %zu)",
                         s->case_names[p / s->grid_points], p);
                err_wrap(L->e, "", at);
            } else if (s->n_swept > 0) {
                char at[48];
                snprintf(at, sizeof at, " (at sweep point %zu)", p);
                err_wrap(L->e, "", at);
            }
            return -1;
        }
    }
    free(params);
    return 0;
}

/* Reads and parses one file into a layer; a libconfig error names the file
 * and line (and, for a setting given twice, the key and both lines). */
static int read_layer(const char *path, int top, scn_layer *ly, err *e)
{
    config_init(&ly->cfg);
    ly->text = scn_text_load(path, top, e);
    if (ly->text == NULL)
        return -1;
    if (!config_read_string(&ly->cfg, ly->text->expanded)) {
        const char *file;
        int line;
        scn_text_where(ly->text, config_error_line(&ly->cfg), &file, &line);
        const char *why = config_error_text(&ly->cfg);
        if (strcmp(why, "syntax error") == 0)
            return err_set(e, ERR_INPUT, file, line, NULL,
                           "syntax error (each setting is `name = value;`, groups are { ... })");
        if (strstr(why, "duplicate setting") != NULL &&
            scn_base_duplicate(ly->text, config_error_line(&ly->cfg), e) < 0 &&
            e->kind == ERR_INPUT)
            return -1;
        return err_set(e, ERR_INPUT, file, line, NULL, "syntax error: %s", why);
    }
    if (config_setting_length(config_root_setting(&ly->cfg)) == 0)
        return err_set(e, ERR_INPUT, path, 0, NULL, "the scenario file is empty (it sets no keys)");
    return 0;
}

/* The files a scenario is based on: layers[*n - 1] is the file itself; each
 * `base = "file.cfg"` (relative to the file that names it) is read before
 * it, deepest first after the shift. */
static int read_layers(const char *path, scn_layer *layers, int *n, err *e)
{
    scn_layer chain[SCN_MAX_LAYERS];
    int k = 0;
    const char *next = path;
    char *owned = NULL;
    for (;;) {
        if (k == SCN_MAX_LAYERS) {
            free(owned);
            const char *file;
            int line;
            scn_text_where(chain[k - 1].text, 1, &file, &line);
            for (int i = 0; i < k; i++) {
                config_destroy(&chain[i].cfg);
                scn_text_free(chain[i].text);
            }
            return err_set(e, ERR_INPUT, file, 0, "base",
                           "more than %d scenario files based on one another", SCN_MAX_LAYERS);
        }
        int rc = read_layer(next, k == 0, &chain[k], e);
        free(owned);
        owned = NULL;
        k++;
        if (rc < 0) {
            if (k > 1 && e->kind == ERR_INPUT) { /* say which file named this base */
                const config_setting_t *b = config_lookup(&chain[k - 2].cfg, "base");
                const char *file;
                int line;
                scn_text_where(chain[k - 2].text, (int)config_setting_source_line(b), &file,
                               &line);
                if (e->line == 0) { /* the file itself: point at the line naming it */
                    err copy = *e;
                    err_set(e, ERR_INPUT, file, line, "base", "base scenario %s: %s", copy.file,
                            copy.msg);
                } else {
                    char before[700];
                    snprintf(before, sizeof before, "in the base scenario named at %s:%d: ", file,
                             line);
                    err_wrap(e, before, "");
                }
            }
            goto fail;
        }
        const config_setting_t *b = config_lookup(&chain[k - 1].cfg, "base");
        if (b == NULL)
            break;
        const char *file;
        int line;
        scn_text_where(chain[k - 1].text, (int)config_setting_source_line(b), &file, &line);
        if (config_setting_type(b) != CONFIG_TYPE_STRING) {
            err_set(e, ERR_INPUT, file, line, "base",
                    "expected a file name in quotes (base = \"baseline.cfg\";)");
            goto fail;
        }
        const char *name = config_setting_get_string(b);
        const char *slash = strrchr(file, '/');
        size_t dir = name[0] != '/' && slash ? (size_t)(slash - file) + 1 : 0;
        if ((owned = malloc(dir + strlen(name) + 1)) == NULL) {
            err_set(e, ERR_RUNTIME, file, line, "base", "out of memory");
            goto fail;
        }
        memcpy(owned, file, dir);
        strcpy(owned + dir, name);
        char *real_next = realpath(owned, NULL);
        for (int i = 0; i < k && real_next != NULL; i++) {
            char *real_i = realpath(chain[i].text->files[0], NULL);
            int same = real_i != NULL && strcmp(real_i, real_next) == 0;
            free(real_i);
            if (same) {
                free(real_next);
                err_set(e, ERR_INPUT, file, line, "base",
                        "\"%s\" is based on itself (through base = ...)", owned);
                free(owned);
                goto fail;
            }
        }
        free(real_next);
        next = owned;
    }
    for (int i = 0; i < k; i++)
        layers[i] = chain[k - 1 - i];
    *n = k;
    return 0;
fail:
    for (int i = 0; i < k; i++) {
        config_destroy(&chain[i].cfg);
        scn_text_free(chain[i].text);
    }
    return -1;
}

/* The layer that chooses the model: the latest that sets `model`; every
 * other that sets it must agree. */
static int model_layer(const scn_layer *layers, int n, err *e)
{
    int chosen = n - 1;
    const config_setting_t *cm = NULL;
    for (int i = n - 1; i >= 0; i--) {
        const config_setting_t *m = config_lookup(&layers[i].cfg, "model");
        if (m == NULL || config_setting_type(m) != CONFIG_TYPE_STRING)
            continue;
        if (cm == NULL) {
            cm = m;
            chosen = i;
        } else if (strcmp(config_setting_get_string(cm), config_setting_get_string(m)) != 0) {
            const char *file, *bfile;
            int line, bline;
            scn_text_where(layers[chosen].text, (int)config_setting_source_line(cm), &file, &line);
            scn_text_where(layers[i].text, (int)config_setting_source_line(m), &bfile, &bline);
            return err_set(e, ERR_INPUT, file, line, "model",
                           "model \"%s\" differs from its base scenario's \"%s\" (%s:%d)",
                           config_setting_get_string(cm), config_setting_get_string(m), bfile,
                           bline);
        }
    }
    return chosen;
}

static int has_sweep_after(const scn_layer *layers, int n, int i)
{
    for (int k = i + 1; k < n; k++)
        if (config_lookup(&layers[k].cfg, "sweep") != NULL)
            return 1;
    return 0;
}

scenario *scn_load(const char *path, const scn_overrides *ov, err *e)
{
    scenario *s = calloc(1, sizeof *s);
    if (s == NULL) {
        err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
        return NULL;
    }
    loader L = {.s = s, .e = e};
    s->path = strdup(path);
    sch_defaults(scn_common_keys, scn_n_common_keys, &L.common);
    scn_layer layers[SCN_MAX_LAYERS];
    int n = 0, rc = -1;
    if (s->path == NULL) {
        err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
        scn_free(s);
        return NULL;
    }
    if (read_layers(path, layers, &n, e) < 0) {
        scn_free(s);
        return NULL;
    }
    int chooser = model_layer(layers, n, e);
    if (chooser < 0)
        goto done;
    L.text = layers[chooser].text;
    if (choose_model(&L, &layers[chooser].cfg) < 0)
        goto done;
    s->base = calloc(1, s->model->params_size);
    if (s->base == NULL || (n > 1 && (L.origin = calloc(s->model->n_keys, sizeof *L.origin)) ==
                                         NULL)) {
        err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
        goto done;
    }
    sch_defaults(s->model->keys, s->model->n_keys, s->base);
    for (int i = 0; i < n; i++) {
        L.text = layers[i].text;
        L.skip_sweep = has_sweep_after(layers, n, i);
        if (walk(&L, config_root_setting(&layers[i].cfg), "") < 0)
            goto done;
    }
    if (apply_overrides(&L, ov) < 0 || (L.cases != NULL && build_cases(&L, ov) < 0) ||
        (L.unc != NULL && scn_build_worlds(&L, ov) < 0))
        goto done;
    s->replications = L.common.replications;
    s->seed = (uint64_t)L.common.seed;
    if (check_points(&L) < 0)
        goto done;
    scn_text *top = layers[n - 1].text;
    s->text = top->original;
    top->original = NULL;
    if (n > 1) {
        s->expanded = scn_base_flatten(layers, n, path);
    } else {
        s->expanded = top->expanded;
        top->expanded = NULL;
    }
    s->origin = L.origin;
    L.origin = NULL;
    for (int i = 0; i < n; i++)
        s->n_inputs += layers[i].text->n_files;
    s->inputs = calloc(s->n_inputs ? s->n_inputs : 1, sizeof *s->inputs);
    for (int i = 0, k = 0; s->inputs != NULL && i < n; i++)
        for (size_t j = 0; j < layers[i].text->n_files; j++)
            if ((s->inputs[k++] = strdup(layers[i].text->files[j])) == NULL)
                rc = -2; /* scn_free frees what was filled (the rest is NULL) */
    if (s->inputs == NULL || rc == -2) {
        rc = -1;
        err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
        goto done;
    }
    s->overrides = overrides_text(ov);
    if (s->overrides == NULL || s->expanded == NULL) {
        err_set(e, ERR_RUNTIME, path, 0, NULL, "out of memory");
        goto done;
    }
    rc = 0;
done:
    free(L.case_keys);
    for (int i = 0; i < n; i++) {
        config_destroy(&layers[i].cfg);
        scn_text_free(layers[i].text);
    }
    if (L.origin != NULL) {
        for (size_t i = 0; i < s->model->n_keys; i++)
            free(L.origin[i]);
        free(L.origin);
    }
    if (rc < 0) {
        scn_free(s);
        return NULL;
    }
    return s;
}

void scn_free(scenario *s)
{
    if (s != NULL) {
        free(s->case_names);
        free(s->case_params);
    }
    if (s != NULL && s->inputs != NULL) {
        for (char **p = s->inputs; p < s->inputs + s->n_inputs; p++)
            free(*p);
        free(s->inputs);
    }
    if (s != NULL && s->origin != NULL && s->model != NULL) {
        for (size_t i = 0; i < s->model->n_keys; i++)
            free(s->origin[i]);
        free(s->origin);
    }
    if (s == NULL)
        return;
    for (size_t j = 0; j < s->n_swept; j++)
        free(s->swept[j].values);
    free(s->swept);
    free(s->table);
    free(s->worlds);
    free(s->rules);
    free(s->outputs);
    free(s->base);
    free(s->path);
    if (s->expanded != s->text)
        free(s->expanded);
    free(s->text);
    free(s->overrides);
    free(s);
}

sch_value scn_point_value(const scenario *s, size_t p, size_t j)
{
    if (s->table != NULL) {
        sch_value v;
        memset(&v, 0, sizeof v);
        memcpy(&v, &s->table[p * s->n_swept + j], sizeof s->table[0]);
        return v;
    }
    size_t grid_keys = s->n_swept - s->n_assumptions;
    if (j >= grid_keys) {
        sch_value v;
        memset(&v, 0, sizeof v);
        memcpy(&v, &s->worlds[(p % s->n_worlds) * s->n_assumptions + (j - grid_keys)],
               sizeof s->worlds[0]);
        return v;
    }
    if (s->n_worlds > 0)
        p /= s->n_worlds;
    size_t stride = 1;
    for (size_t q = j + 1; q < grid_keys; q++)
        stride *= s->swept[q].n_values;
    return s->swept[j].values[(p / stride) % s->swept[j].n_values];
}

size_t scn_options(const scenario *s)
{
    return s->n_worlds > 0 ? s->n_points / s->n_worlds : s->n_points;
}

void scn_point(const scenario *s, size_t p, void *params)
{
    if (s->n_cases > 0)
        memcpy(params, s->case_params + (p / s->grid_points) * s->model->params_size,
               s->model->params_size);
    else
        memcpy(params, s->base, s->model->params_size);
    for (size_t j = 0; j < s->n_swept; j++)
        sch_store(s->swept[j].key, params, scn_point_value(s, p, j));
}

/* A list key: one line per record, its fields as name = value. */
static void print_list(const scenario *s, const sch_key *k, int w, FILE *f)
{
    const sch_list *l = k->list;
    int n;
    memcpy(&n, (const char *)s->base + l->count_offset, sizeof n);
    fprintf(f, "  %-*s  %d record%s: %s\n", w, k->path, n, n == 1 ? "" : "s", k->description);
    for (int r = 0; r < n; r++) {
        const char *rec = (const char *)s->base + k->offset + (size_t)r * l->record_size;
        fprintf(f, "  %*s    [%d]", w, "", r);
        for (size_t j = 0; j < l->n_fields; j++) {
            char val[64];
            sch_format(&l->fields[j], sch_load(&l->fields[j], rec), val, sizeof val);
            fprintf(f, " %s = %s;", l->fields[j].path, val);
        }
        fprintf(f, "\n");
    }
}

/* A prior's range as "[lo, hi]", or "[lo, mode, hi]" for a triangular one
 * (the order of its parameters, as in docs/scenarios.md). */
static void format_prior_range(const sch_prior *p, char *buf, size_t n)
{
    if (p->dist == SCH_TRIANGULAR)
        snprintf(buf, n, "[%g, %g, %g]", p->lo, p->mode, p->hi);
    else
        snprintf(buf, n, "[%g, %g]", p->lo, p->hi);
}

static void print_prior(const sch_key *k, const char *path, int w, FILE *f)
{
    char range[96];
    format_prior_range(&k->prior, range, sizeof range);
    fprintf(f, "  %-*s  %-10s  %-24s %-11s  %s\n", w, path, sch_basis_name(k->basis), range,
            sch_dist_name(k->prior.dist), k->prior.why ? k->prior.why : "");
}

/* Calls visit(key, dotted path) for every key of m and every field of its
 * lists ("coalition.contributors[].share"): priors sit on both. */
static void each_key(const model_def *m, void (*visit)(const sch_key *, const char *, void *),
                     void *ctx)
{
    for (size_t i = 0; i < m->n_keys; i++) {
        const sch_key *k = &m->keys[i];
        visit(k, k->path, ctx);
        if (k->type != SCH_LIST)
            continue;
        for (size_t j = 0; j < k->list->n_fields; j++) {
            char path[160];
            snprintf(path, sizeof path, "%s[].%s", k->path, k->list->fields[j].path);
            visit(&k->list->fields[j], path, ctx);
        }
    }
}

static void widest_prior(const sch_key *k, const char *path, void *ctx)
{
    int *w = ctx;
    if (k->prior.dist != SCH_DIST_NONE && (int)strlen(path) > *w)
        *w = (int)strlen(path);
}

typedef struct prior_print { int w; FILE *f; } prior_print;

static void print_one_prior(const sch_key *k, const char *path, void *ctx)
{
    const prior_print *pp = ctx;
    if (k->prior.dist != SCH_DIST_NONE)
        print_prior(k, path, pp->w, pp->f);
}

/* The priors block: after the parameters' blank line, so that a reader of
 * the parameter lines (tests/e2e/test_docs.sh) stops before it. Nothing when
 * the model has no priors (the validation models). */
static void print_priors(const model_def *m, FILE *f)
{
    prior_print pp = {0, f};
    each_key(m, widest_prior, &pp.w);
    if (pp.w == 0)
        return;
    fprintf(f, "\npriors (basis, plausible range, distribution, why):\n");
    each_key(m, print_one_prior, &pp);
}

/* lhs, sobol: where each key is drawn from, and the sobol outputs. */
static void print_design(const scenario *s, FILE *f)
{
    int w = 0;
    for (size_t j = 0; j < s->n_swept; j++)
        if ((int)strlen(s->swept[j].key->path) > w)
            w = (int)strlen(s->swept[j].key->path);
    for (size_t j = 0; j < s->n_swept; j++) {
        const scn_swept *sw = &s->swept[j];
        const sch_key *k = sw->key;
        fprintf(f, "  %-*s  ", w, k->path);
        if (sw->ranged && k->type == SCH_BOOL) {
            fprintf(f, "false or true, even chances\n");
            continue;
        }
        if (sw->ranged) {
            char lo[64], hi[64];
            sch_format(k, sw->lo, lo, sizeof lo);
            sch_format(k, sw->hi, hi, sizeof hi);
            fprintf(f, "range [%s, %s]%s%s, uniform%s\n", lo, hi, k->unit[0] ? " " : "", k->unit,
                    k->type == SCH_INT ? ", rounded to whole numbers" : "");
            continue;
        }
        fprintf(f, "one of");
        for (size_t i = 0; i < sw->n_values; i++) {
            char v[64];
            sch_format(k, sw->values[i], v, sizeof v);
            fprintf(f, "%s %s", i ? "," : "", v);
        }
        fprintf(f, ", even chances\n");
    }
    if (s->design == SCN_SOBOL) {
        fprintf(f, "  outputs:");
        for (size_t i = 0; i < s->n_outputs; i++)
            fprintf(f, "%s %s", i ? "," : "", s->model->summaries[s->outputs[i]].name);
        fprintf(f, " (first-order and total Sobol indices of each)\n");
    }
}

void scn_print(const scenario *s, FILE *f)
{
    const model_def *m = s->model;
    fprintf(f, "scenario      %s\n", s->path);
    fprintf(f, "model         %s: %s\n", m->name, m->description);
    fprintf(f, "seed          %llu\n", (unsigned long long)s->seed);
    fprintf(f, "replications  %lld per point\n", (long long)s->replications);
    if (s->overrides[0])
        fprintf(f, "overrides     %s\n", s->overrides);
    fprintf(f, "\nparameters (value, unit, default, description):\n");
    int w = 0;
    for (size_t i = 0; i < m->n_keys; i++)
        if ((int)strlen(m->keys[i].path) > w)
            w = (int)strlen(m->keys[i].path);
    for (size_t i = 0; i < m->n_keys; i++) {
        const sch_key *k = &m->keys[i];
        char val[64], def[64];
        if (k->type == SCH_LIST) {
            print_list(s, k, w, f);
            if (s->origin != NULL && s->origin[i] != NULL)
                fprintf(f, "  %*s    (set at %s)\n", w, "", s->origin[i]);
            continue;
        }
        if (scn_find_swept((scenario *)s, k) != NULL)
            snprintf(val, sizeof val, "(swept)");
        else
            sch_format(k, sch_load(k, s->base), val, sizeof val);
        sch_format(k, sch_default(k), def, sizeof def);
        fprintf(f, "  %-*s  %-12s %-8s default %-10s %s", w, k->path, val, k->unit, def,
                k->description);
        if (k->basis != SCH_BASIS_NONE)
            fprintf(f, "  [%s]", sch_basis_name(k->basis));
        if (s->origin != NULL && s->origin[i] != NULL)
            fprintf(f, "  (set at %s)", s->origin[i]);
        fprintf(f, "\n");
    }
    print_priors(m, f);
    size_t swept = s->n_swept - s->n_assumptions;
    fprintf(f, "\nsweep: %zu key%s, %zu point%s", swept, swept == 1 ? "" : "s", s->n_points,
            s->n_points == 1 ? "" : "s");
    if (s->design == SCN_LHS)
        fprintf(f, " (lhs design: a Latin hypercube drawn from seed %llu)",
                (unsigned long long)s->seed);
    else if (s->design == SCN_SOBOL)
        fprintf(f, " (sobol design: %zu samples x (%zu keys + 2), Saltelli's scheme)",
                s->samples, s->n_swept);
    else if (s->design == SCN_CASES)
        fprintf(f, " (cases design: %zu case%s%s; baseline \"%s\")", s->n_cases,
                s->n_cases == 1 ? "" : "s",
                s->n_swept > s->n_assumptions ? " x the grid of the keys" : "",
                s->case_names[s->baseline_case]);
    else if (s->n_swept > 0 && s->n_worlds == 0)
        fprintf(f, " (grid design)");
    if (s->n_worlds > 0)
        fprintf(f, ": %zu option%s x %zu worlds", scn_options(s), scn_options(s) == 1 ? "" : "s",
                s->n_worlds);
    fprintf(f, "\n");
    if (s->n_worlds > 0) {
        scn_print_worlds(s, f);
        return;
    }
    if (s->design != SCN_GRID && s->design != SCN_CASES)
        print_design(s, f);
    int casew = 4;
    for (size_t i = 0; i < s->n_cases; i++)
        if ((int)strlen(s->case_names[i]) > casew)
            casew = (int)strlen(s->case_names[i]);
    if (s->n_swept > 0 || s->n_cases > 0) {
        fprintf(f, "  %6s", "point");
        if (s->n_cases > 0)
            fprintf(f, "  %-*s", casew, "case");
        for (size_t j = 0; j < s->n_swept; j++)
            fprintf(f, "  %s", s->swept[j].key->path);
        fprintf(f, "\n");
        size_t shown = s->n_points <= 60 ? s->n_points : 50;
        for (size_t p = 0; p < shown; p++) {
            fprintf(f, "  %6zu", p);
            if (s->n_cases > 0)
                fprintf(f, "  %-*s", casew, s->case_names[p / s->grid_points]);
            for (size_t j = 0; j < s->n_swept; j++) {
                char val[64];
                const sch_key *k = s->swept[j].key;
                sch_value v = scn_point_value(s, p, j);
                if (s->design != SCN_GRID && k->type == SCH_REAL) /* drawn: 6 digits */
                    snprintf(val, sizeof val, "%.6g", v.r);
                else
                    sch_format(k, v, val, sizeof val);
                fprintf(f, "  %*s", (int)strlen(k->path), val);
            }
            fprintf(f, "\n");
        }
        if (shown < s->n_points)
            fprintf(f, "  ... %zu more points\n", s->n_points - shown);
    }
    fprintf(f, "\ntotal replications: %llu (%zu point%s x %lld)\n",
            (unsigned long long)s->n_points * (unsigned long long)s->replications, s->n_points,
            s->n_points == 1 ? "" : "s", (long long)s->replications);
}
