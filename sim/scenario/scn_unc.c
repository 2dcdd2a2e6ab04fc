/* scn_unc.c — sweep.uncertainty: options run in worlds drawn from the
 * schema's priors (scn.h).
 *
 *   sweep = {
 *     design = "cases";            # or "uncertainty": a grid (or one option)
 *     cases = ( ... );
 *     uncertainty = {
 *       worlds = 200;              # lhs: how many worlds
 *       sampling = "lhs";          # or "sobol": samples = N gives N (k + 2) worlds
 *       keys = [ "russia.cost_war", ... ];  # default: every key with a prior
 *       objective = "p_rung_ge_7"; # default: the model's headline row
 *       goal = "min";              # default: the model's (lower or higher is better)
 *       tolerance = 0.01;          # near-best: within this of the best option
 *       discover = ( { case = "A"; worse_than = "B"; },
 *                    { case = "A"; output = "p_rung_ge_7"; above = 0.3; } );
 *     };
 *   };
 *
 * The worlds are built once the overrides and cases are in: a key that
 * --set pins, the grid sweeps or a case sets is decided, not assumed, so by
 * default it is left out of the worlds, and naming it in `keys` is an
 * error (one would silently undo the other). A world's value of key j is
 * the u-quantile of the key's prior (sch_prior_quantile), u from a Latin
 * hypercube drawn from the scenario's seed or from Saltelli's Sobol rows
 * (scn_design.h), rounded for integer keys; so every world is a valid
 * scenario (sch_prior_check keeps priors inside the keys' valid ranges).
 */
#include <libconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_design.h"
#include "scn_private.h"

enum { MAX_RULES = 64 };

/* Why key k cannot be an assumption of this scenario, or NULL. */
static const char *decided(const loader *L, const sch_key *k, const scn_overrides *ov)
{
    const scenario *s = L->s;
    if (k->prior.dist == SCH_DIST_NONE)
        return "has no prior in the schema (see `reassure check`'s list of priors)";
    if (scn_find_swept((scenario *)s, k) != NULL)
        return "is swept by the grid";
    if (L->case_keys != NULL && L->case_keys[k - s->model->keys])
        return "is set by a case";
    if (scn_on_command_line(ov, k->path)) /* a --sweep key is swept: caught above */
        return "is pinned by --set";
    return NULL;
}

static int setting_where(const loader *L, const config_setting_t *c, const char **file)
{
    int line;
    scn_where(L, c, file, &line);
    return line;
}

/* keys = [...]: each a key with a prior, not decided, listed once. */
static int read_keys(loader *L, const config_setting_t *c, const scn_overrides *ov,
                     const sch_key **keys, size_t *n)
{
    const model_def *m = L->s->model;
    const char *file;
    int line = setting_where(L, c, &file);
    int t = config_setting_type(c);
    if ((t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST) || config_setting_length(c) == 0)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.keys",
                       "expected an array of one or more key names [\"...\", ...]");
    for (int i = 0; i < config_setting_length(c); i++) {
        const config_setting_t *el = config_setting_get_elem(c, (unsigned)i);
        line = setting_where(L, el, &file);
        if (config_setting_type(el) != CONFIG_TYPE_STRING)
            return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.keys",
                           "expected a string naming a key, found %s",
                           scn_type_name(config_setting_type(el)));
        const char *path = config_setting_get_string(el);
        const sch_key *k = sch_find(m->keys, m->n_keys, path);
        if (k == NULL) {
            const char *hint = sch_suggest(m->keys, m->n_keys, path);
            return err_set(L->e, ERR_INPUT, file, line, path,
                           "uncertainty names an unknown key%s%s%s",
                           hint ? "; did you mean \"" : "",
                           hint ? hint : "", hint ? "\"?" : "");
        }
        const char *why = decided(L, k, ov);
        if (why != NULL)
            return err_set(L->e, ERR_INPUT, file, line, path, "cannot be an assumption: it %s",
                           why);
        for (size_t j = 0; j < *n; j++)
            if (keys[j] == k)
                return err_set(L->e, ERR_INPUT, file, line, path,
                               "is listed twice in sweep.uncertainty.keys");
        keys[(*n)++] = k;
    }
    return 0;
}

static int find_case(loader *L, const config_setting_t *c, const char *what, size_t *out)
{
    const scenario *s = L->s;
    const char *file;
    int line = setting_where(L, c, &file);
    if (config_setting_type(c) != CONFIG_TYPE_STRING)
        return err_set(L->e, ERR_INPUT, file, line, what, "expected the name of a case, in quotes");
    const char *name = config_setting_get_string(c);
    for (size_t i = 0; i < s->n_cases; i++)
        if (strcmp(s->case_names[i], name) == 0) {
            *out = i;
            return 0;
        }
    return err_set(L->e, ERR_INPUT, file, line, what, "\"%s\" is not the name of a case", name);
}

static int find_output(loader *L, const config_setting_t *c, const char *what, int *out)
{
    const model_def *m = L->s->model;
    const char *file;
    int line = setting_where(L, c, &file);
    if (config_setting_type(c) != CONFIG_TYPE_STRING)
        return err_set(L->e, ERR_INPUT, file, line, what,
                       "expected the name of a /summary row, in quotes");
    const char *name = config_setting_get_string(c);
    for (int r = 0; r < m->n_summaries; r++)
        if (strcmp(m->summaries[r].name, name) == 0) {
            if (m->summaries[r].kind == SUMMARY_QUANTILE)
                break;
            *out = r;
            return 0;
        }
    return err_set(L->e, ERR_INPUT, file, line, what,
                   "\"%s\" is not a share or mean row of model \"%s\" (reassure check lists them)",
                   name, m->name);
}

static int read_number(loader *L, const config_setting_t *c, const char *what, double *v)
{
    const char *file;
    int line = setting_where(L, c, &file);
    int t = config_setting_type(c);
    if (t != CONFIG_TYPE_FLOAT && t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64)
        return err_set(L->e, ERR_INPUT, file, line, what, "expected a number, found %s",
                       scn_type_name(t));
    *v = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(c) : (double)config_setting_get_int64(c);
    if (!isfinite(*v))
        return err_set(L->e, ERR_INPUT, file, line, what, "expected a finite number");
    return 0;
}

/* The members of one question, each NULL when absent. */
typedef struct question {
    const config_setting_t *cs, *worse, *out, *above, *below;
} question;

static int question_members(loader *L, const config_setting_t *g, question *q)
{
    const char *file;
    memset(q, 0, sizeof *q);
    for (int i = 0; i < config_setting_length(g); i++) {
        const config_setting_t *c = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(c);
        const config_setting_t **slot = strcmp(name, "case") == 0         ? &q->cs
                                        : strcmp(name, "worse_than") == 0 ? &q->worse
                                        : strcmp(name, "output") == 0     ? &q->out
                                        : strcmp(name, "above") == 0      ? &q->above
                                        : strcmp(name, "below") == 0      ? &q->below
                                                                          : NULL;
        int line = setting_where(L, c, &file); /* sets file: not inside err_set's own */
        if (slot == NULL)                      /* arguments, whose order is unspecified */
            return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.discover",
                           "unknown entry \"%s\": a question has case, and worse_than or "
                           "output with above or below", name);
        *slot = c;
    }
    return 0;
}

/* One entry of discover = ( ... ). */
static int read_rule(loader *L, const config_setting_t *g, scn_rule *r)
{
    scenario *s = L->s;
    const char *file;
    int line = setting_where(L, g, &file);
    const char *at = "sweep.uncertainty.discover";
    if (config_setting_type(g) != CONFIG_TYPE_GROUP)
        return err_set(L->e, ERR_INPUT, file, line, at,
                       "each question is a group { case = \"A\"; worse_than = \"B\"; } or "
                       "{ case = \"A\"; output = \"...\"; above = x; } (or below = x)");
    question q;
    if (question_members(L, g, &q) < 0)
        return -1;
    memset(r, 0, sizeof *r);
    if (s->n_cases > 0 && q.cs == NULL)
        return err_set(L->e, ERR_INPUT, file, line, at, "a question names its case = \"...\"");
    if (s->n_cases == 0 && q.cs != NULL)
        return err_set(L->e, ERR_INPUT, file, line, at,
                       "this sweep has no cases: a question applies to every option");
    if (q.cs != NULL && find_case(L, q.cs, at, &r->a) < 0)
        return -1;
    const char *a_name = s->n_cases > 0 ? s->case_names[r->a] : "each option";
    if (q.worse != NULL) {
        if (q.out != NULL || q.above != NULL || q.below != NULL || s->n_cases == 0)
            return err_set(L->e, ERR_INPUT, file, line, at,
                           s->n_cases == 0 ? "worse_than compares cases; this sweep has none"
                                           : "a question is either worse_than or output with "
                                             "above or below, not both");
        if (find_case(L, q.worse, at, &r->b) < 0)
            return -1;
        if (r->b == r->a)
            return err_set(L->e, ERR_INPUT, file, line, at, "a case compared with itself");
        r->kind = SCN_RULE_WORSE;
        snprintf(r->text, sizeof r->text, "\"%s\" worse than \"%s\" on %s", a_name,
                 s->case_names[r->b], s->model->summaries[s->objective].name);
        return 0;
    }
    if (q.out == NULL || (q.above == NULL) == (q.below == NULL))
        return err_set(L->e, ERR_INPUT, file, line, at,
                       "a question needs worse_than = \"...\", or output = \"...\" with one of "
                       "above = x or below = x");
    if (find_output(L, q.out, at, &r->output) < 0 ||
        read_number(L, q.above ? q.above : q.below, at, &r->threshold) < 0)
        return -1;
    r->kind = q.above ? SCN_RULE_ABOVE : SCN_RULE_BELOW;
    if (s->n_cases > 0)
        snprintf(r->text, sizeof r->text, "%s of \"%s\" %s %g",
                 s->model->summaries[r->output].name, a_name, q.above ? "above" : "below",
                 r->threshold);
    else /* asked of every option in turn: the table names the option */
        snprintf(r->text, sizeof r->text, "%s %s %g", s->model->summaries[r->output].name,
                 q.above ? "above" : "below", r->threshold);
    return 0;
}

/* What the entries of the block say of how the worlds are drawn. */
typedef struct draw {
    int counted;       /* worlds or samples given */
    int sobol;         /* bit 0: sampling = "sobol"; bit 1: samples = N */
    size_t count;
    const config_setting_t *goal;
} draw;

/* worlds = N, samples = N or sampling = "...". */
static int read_draw(loader *L, const config_setting_t *c, draw *d)
{
    const char *file, *name = config_setting_name(c);
    int line = setting_where(L, c, &file), t = config_setting_type(c);
    if (strcmp(name, "sampling") == 0) {
        const char *v = t == CONFIG_TYPE_STRING ? config_setting_get_string(c) : "";
        if (strcmp(v, "lhs") != 0 && strcmp(v, "sobol") != 0)
            return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.sampling",
                           "expected \"lhs\" (a Latin hypercube) or \"sobol\" (Saltelli's "
                           "scheme, for total indices)");
        d->sobol |= strcmp(v, "sobol") == 0 ? 1 : 0;
        return 0;
    }
    long long v = t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64 ? config_setting_get_int64(c)
                                                                  : -1;
    if (v < 2 || v > SCN_MAX_DESIGN_POINTS)
        return err_set(L->e, ERR_INPUT, file, line,
                       strcmp(name, "worlds") == 0 ? "sweep.uncertainty.worlds"
                                                    : "sweep.uncertainty.samples",
                       "expected a whole number in [2, %d]", SCN_MAX_DESIGN_POINTS);
    if (d->counted++)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                       "give worlds = N (lhs) or samples = N (sobol), once");
    d->count = (size_t)v;
    d->sobol |= strcmp(name, "samples") == 0 ? 2 : 0;
    return 0;
}

/* Once every entry is read: a count that fits the sampling, and a goal. */
static int finish_draw(loader *L, const draw *d)
{
    scenario *s = L->s;
    const char *file = L->sweep_file;
    int line = L->unc_line;
    if (!d->counted)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.worlds",
                       "uncertainty needs worlds = N (or, with sampling = \"sobol\", samples = N)");
    if (d->sobol == 2 || d->sobol == 1)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                       d->sobol == 2 ? "samples = N goes with sampling = \"sobol\"; an lhs gives "
                                       "worlds = N"
                                     : "sampling = \"sobol\" takes samples = N (N (k + 2) "
                                       "worlds for k keys), not worlds");
    s->world_sampling = d->sobol ? SCN_SOBOL : SCN_LHS;
    if (d->goal != NULL) {
        line = setting_where(L, d->goal, &file);
        const char *v = config_setting_type(d->goal) == CONFIG_TYPE_STRING
                            ? config_setting_get_string(d->goal) : "";
        if (strcmp(v, "min") != 0 && strcmp(v, "max") != 0)
            return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.goal",
                           "expected \"min\" (lower is better) or \"max\"");
        s->goal = strcmp(v, "min") == 0 ? -1 : 1;
    } else if (s->goal == 0 || s->objective != model_headline(s->model)) {
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.goal",
                       "say whether %s is better low or high: goal = \"min\" or \"max\"",
                       s->model->summaries[s->objective].name);
    }
    return 0;
}

/* Every other entry of the block. */
static int read_settings(loader *L, const scn_overrides *ov, const sch_key **keys, size_t *nk,
                         size_t *count, const config_setting_t **discover)
{
    scenario *s = L->s;
    s->objective = model_headline(s->model);
    s->goal = s->model->headline_goal;
    s->tolerance = 0.01;
    draw d = {0};
    for (int i = 0; i < config_setting_length(L->unc); i++) {
        const config_setting_t *c = config_setting_get_elem(L->unc, (unsigned)i);
        const char *file, *name = config_setting_name(c);
        int line = setting_where(L, c, &file), rc = 0;
        if (strcmp(name, "worlds") == 0 || strcmp(name, "samples") == 0 ||
            strcmp(name, "sampling") == 0)
            rc = read_draw(L, c, &d);
        else if (strcmp(name, "keys") == 0)
            rc = read_keys(L, c, ov, keys, nk);
        else if (strcmp(name, "objective") == 0)
            rc = find_output(L, c, "sweep.uncertainty.objective", &s->objective);
        else if (strcmp(name, "goal") == 0)
            d.goal = c;
        else if (strcmp(name, "tolerance") == 0)
            rc = read_number(L, c, "sweep.uncertainty.tolerance", &s->tolerance) < 0 ? -1
                 : s->tolerance < 0 ? err_set(L->e, ERR_INPUT, file, line,
                                              "sweep.uncertainty.tolerance", "must be 0 or more")
                                    : 0;
        else if (strcmp(name, "discover") == 0)
            *discover = c;
        else
            rc = err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                         "unknown key \"%s\"; uncertainty has worlds (or samples), sampling, "
                         "keys, objective, goal, tolerance and discover", name);
        if (rc < 0)
            return -1;
    }
    *count = d.count;
    return finish_draw(L, &d);
}

static int read_rules(loader *L, const config_setting_t *c)
{
    scenario *s = L->s;
    const char *file;
    int line = setting_where(L, c, &file);
    if (config_setting_type(c) != CONFIG_TYPE_LIST || config_setting_length(c) == 0 ||
        config_setting_length(c) > MAX_RULES)
        return err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.discover",
                       "expected a list of 1 to %d questions ( { ... }, ... )", MAX_RULES);
    size_t n = (size_t)config_setting_length(c);
    if ((s->rules = calloc(n, sizeof *s->rules)) == NULL)
        return err_set(L->e, ERR_RUNTIME, file, line, NULL, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (read_rule(L, config_setting_get_elem(c, (unsigned)i), &s->rules[s->n_rules++]) < 0)
            return -1;
    return 0;
}

static sch_value world_value(const sch_key *k, double u)
{
    sch_value v = {0};
    double x = sch_prior_quantile(&k->prior, u);
    if (k->type == SCH_INT) {
        long long i = llround(x);
        long long lo = (long long)ceil(k->prior.lo), hi = (long long)floor(k->prior.hi);
        v.i = i < lo ? lo : i > hi ? hi : i;
    } else {
        v.r = x;
    }
    return v;
}

int scn_build_worlds(loader *L, const scn_overrides *ov)
{
    scenario *s = L->s;
    const model_def *m = s->model;
    scn_text *text = L->text;
    L->text = L->unc_text;
    const sch_key **keys = calloc(m->n_keys, sizeof *keys);
    size_t nk = 0, count = 0;
    const config_setting_t *discover = NULL;
    int rc = keys == NULL ? err_set(L->e, ERR_RUNTIME, s->path, 0, NULL, "out of memory") : 0;
    if (rc == 0)
        rc = read_settings(L, ov, keys, &nk, &count, &discover);
    if (rc == 0 && discover != NULL)
        rc = read_rules(L, discover);
    int every = nk == 0; /* default: every key with a prior */
    for (size_t i = 0; rc == 0 && every && i < m->n_keys; i++)
        if (decided(L, &m->keys[i], ov) == NULL)
            keys[nk++] = &m->keys[i];
    const char *file = L->sweep_file;
    int line = L->unc_line;
    if (rc == 0 && nk == 0)
        rc = err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                     "no key is left uncertain: every key with a prior is swept, set by a case "
                     "or pinned by --set");
    if (rc == 0 && s->world_sampling == SCN_SOBOL && nk > SCN_MAX_SOBOL_KEYS)
        rc = err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty.keys",
                     "sobol sampling takes at most %d keys (this has %zu): list them in keys",
                     SCN_MAX_SOBOL_KEYS, nk);
    size_t n = s->world_sampling == SCN_SOBOL ? count * (nk + 2) : count;
    if (rc == 0 && (n > SCN_MAX_DESIGN_POINTS || n > SCN_MAX_DESIGN_VALUES / nk))
        rc = err_set(L->e, ERR_INPUT, file, line, "sweep.uncertainty",
                     "%zu worlds of %zu keys: at most %d worlds and %d values (worlds x keys)",
                     n, nk, SCN_MAX_DESIGN_POINTS, SCN_MAX_DESIGN_VALUES);
    double *u = rc == 0 ? malloc(n * nk * sizeof *u) : NULL;
    if (rc == 0 && (u == NULL || (s->worlds = malloc(n * nk * sizeof *s->worlds)) == NULL))
        rc = err_set(L->e, ERR_RUNTIME, file, line, NULL, "out of memory");
    if (rc == 0 && (s->world_sampling == SCN_SOBOL ? scn_design_sobol(count, nk, u)
                                                   : scn_design_lhs(s->seed, n, nk, u)) < 0)
        rc = err_set(L->e, ERR_RUNTIME, file, line, NULL, "out of memory");
    for (size_t i = 0; rc == 0 && i < n * nk; i++) {
        sch_value v = world_value(keys[i % nk], u[i]);
        memcpy(&s->worlds[i], &v, sizeof s->worlds[i]); /* a number: its first 8 bytes */
    }
    for (size_t j = 0; rc == 0 && j < nk; j++) {
        sch_value range[2] = {world_value(keys[j], 0.0), world_value(keys[j], 1.0)};
        rc = scn_add_swept(L, keys[j], NULL, 0, range, 0, file, line);
    }
    if (rc == 0) {
        s->n_assumptions = nk;
        s->n_worlds = n;
        s->world_samples = s->world_sampling == SCN_SOBOL ? count : 0;
    }
    free(u);
    free(keys);
    L->text = text;
    return rc;
}

static void print_options(const scenario *s, FILE *f)
{
    size_t grid_keys = s->n_swept - s->n_assumptions, n = scn_options(s);
    int casew = 4;
    for (size_t i = 0; i < s->n_cases; i++)
        if ((int)strlen(s->case_names[i]) > casew)
            casew = (int)strlen(s->case_names[i]);
    fprintf(f, "  %6s", "option");
    if (s->n_cases > 0)
        fprintf(f, "  %-*s", casew, "case");
    for (size_t j = 0; j < grid_keys; j++)
        fprintf(f, "  %s", s->swept[j].key->path);
    fprintf(f, "  points\n");
    for (size_t o = 0; o < n && o < 60; o++) {
        size_t p = o * s->n_worlds;
        fprintf(f, "  %6zu", o);
        if (s->n_cases > 0)
            fprintf(f, "  %-*s", casew, s->case_names[p / s->grid_points]);
        for (size_t j = 0; j < grid_keys; j++) {
            char val[64];
            sch_format(s->swept[j].key, scn_point_value(s, p, j), val, sizeof val);
            fprintf(f, "  %*s", (int)strlen(s->swept[j].key->path), val);
        }
        fprintf(f, "  %zu-%zu\n", p, p + s->n_worlds - 1);
    }
    if (n > 60)
        fprintf(f, "  ... %zu more options\n", n - 60);
}

void scn_print_worlds(const scenario *s, FILE *f)
{
    const model_def *m = s->model;
    print_options(s, f);
    fprintf(f, "\nuncertainty: %zu worlds, ", s->n_worlds);
    if (s->world_sampling == SCN_SOBOL)
        fprintf(f, "Saltelli's scheme on a Sobol sequence (%zu samples x (%zu keys + 2))\n",
                s->world_samples, s->n_assumptions);
    else
        fprintf(f, "a Latin hypercube drawn from seed %llu\n", (unsigned long long)s->seed);
    fprintf(f, "  every option runs in every world with the same random numbers\n");
    fprintf(f, "  objective %s (%s is better); near-best: within %g of the best option\n",
            m->summaries[s->objective].name, s->goal < 0 ? "lower" : "higher", s->tolerance);
    size_t grid_keys = s->n_swept - s->n_assumptions;
    int w = 0;
    for (size_t j = grid_keys; j < s->n_swept; j++)
        if ((int)strlen(s->swept[j].key->path) > w)
            w = (int)strlen(s->swept[j].key->path);
    fprintf(f, "  assumptions (%zu key%s, each drawn from its prior):\n", s->n_assumptions,
            s->n_assumptions == 1 ? "" : "s");
    for (size_t j = grid_keys; j < s->n_swept; j++) {
        const sch_key *k = s->swept[j].key;
        const sch_prior *p = &k->prior;
        fprintf(f, "    %-*s  %s on [%g, %g]", w, k->path, sch_dist_name(p->dist), p->lo, p->hi);
        if (p->dist == SCH_TRIANGULAR)
            fprintf(f, ", mode %g", p->mode);
        fprintf(f, "%s%s%s\n", k->unit[0] ? " " : "", k->unit,
                k->type == SCH_INT ? ", rounded to whole numbers" : "");
    }
    for (size_t i = 0; i < s->n_rules; i++)
        fprintf(f, "  discover: when is %s? (PRIM over the assumptions)\n", s->rules[i].text);
    fprintf(f, "\ntotal replications: %llu (%zu options x %zu worlds x %lld)\n",
            (unsigned long long)s->n_points * (unsigned long long)s->replications,
            scn_options(s), s->n_worlds, (long long)s->replications);
}
