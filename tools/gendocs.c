/* gendocs.c — writes docs/scenarios.md from the schema tables (make docs).
 *
 * Every key of every model comes from its sch_key table: the generated
 * reference cannot disagree with the loader, `reassure check` or the
 * defaults, with each key's basis and prior. `make test` fails when the
 * committed file is stale.
 */
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "scn.h"
#include "scn_design.h"

/* Markdown-safe cell text: '|' escaped. */
static void cell(const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", stdout);
        else
            putchar(*s);
    }
}

static const char *type_name(const sch_key *k)
{
    switch (k->type) {
    case SCH_INT: return "integer";
    case SCH_REAL: return "real";
    case SCH_BOOL: return "boolean";
    case SCH_CHOICE: return "choice";
    case SCH_STRING: return "string";
    case SCH_LIST: return "list of records";
    }
    return "?";
}

static void number(double v, int integer, char *buf, size_t n)
{
    if (v >= 9223372036854775807.0) { /* INT64_MAX does not survive a double */
        snprintf(buf, n, "2^63 - 1");
        return;
    }
    if (integer || (v == (double)(long long)v && v > -1e15 && v < 1e15))
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%g", v);
}

static void valid(const sch_key *k)
{
    char lo[32], hi[32];
    switch (k->type) {
    case SCH_INT:
    case SCH_REAL:
        number(k->lo, k->type == SCH_INT, lo, sizeof lo);
        number(k->hi, k->type == SCH_INT, hi, sizeof hi);
        printf("%s%s, %s%s", k->lo_open ? "(" : "[", lo, hi, k->hi_open ? ")" : "]");
        break;
    case SCH_BOOL:
        fputs("true \\| false", stdout);
        break;
    case SCH_CHOICE:
        for (int i = 0; k->choices[i] != NULL; i++)
            printf("%s`\"%s\"`", i ? " \\| " : "", k->choices[i]);
        break;
    case SCH_STRING:
        printf("up to %d characters", SCH_STR_CHARS);
        break;
    case SCH_LIST:
        printf("1 to %zu records", k->list->max_records);
        break;
    }
}

/* "uniform [0.05, 0.2]", "triangular [0.3, 0.5, 0.9]" (lo, mode, hi). */
static void prior_range(const sch_key *k)
{
    const sch_prior *p = &k->prior;
    char lo[32], mode[32], hi[32];
    number(p->lo, 0, lo, sizeof lo);
    number(p->mode, 0, mode, sizeof mode);
    number(p->hi, 0, hi, sizeof hi);
    if (p->dist == SCH_TRIANGULAR)
        printf("[%s, %s, %s]", lo, mode, hi);
    else
        printf("[%s, %s]", lo, hi);
}

static void row(const sch_key *k, const char *path, const char *def)
{
    printf("| `%s` | %s | ", path, type_name(k));
    cell(def);
    printf(" | %s | ", k->unit[0] ? k->unit : "");
    valid(k);
    printf(" | ");
    cell(k->description);
    printf(" | ");
    cell(k->source);
    printf(" | %s | ", sch_basis_name(k->basis));
    if (k->prior.dist != SCH_DIST_NONE) {
        printf("%s ", sch_dist_name(k->prior.dist));
        prior_range(k);
    }
    printf(" |\n");
}

static void header(void)
{
    printf("| key | type | default | unit | valid values | description | source | basis | prior "
           "|\n");
    printf("|---|---|---|---|---|---|---|---|---|\n");
}

static void list_key(const sch_key *k)
{
    const sch_list *l = k->list;
    char def[64];
    snprintf(def, sizeof def, "%zu records (below)", l->n_defaults);
    row(k, k->path, def);
    printf("\nFields of each `%s` record%s:\n\n", k->path,
           l->sum_to_one ? "" : "");
    header();
    for (size_t f = 0; f < l->n_fields; f++) {
        const sch_key *fk = &l->fields[f];
        char path[160], d[64];
        snprintf(path, sizeof path, "%s[].%s", k->path, fk->path);
        if (fk->type == SCH_STRING || !sch_has_default(fk))
            snprintf(d, sizeof d, "(required)");
        else
            sch_format(fk, sch_default(fk), d, sizeof d);
        row(fk, path, d);
    }
    if (l->sum_to_one)
        printf("\nThe `%s` values of the records must sum to 1.\n", l->sum_to_one);
    printf("\nDefault records:\n\n|");
    for (size_t f = 0; f < l->n_fields; f++)
        printf(" %s |", l->fields[f].path);
    printf("\n|");
    for (size_t f = 0; f < l->n_fields; f++)
        printf("---|");
    printf("\n");
    for (size_t r = 0; r < l->n_defaults; r++) {
        const char *rec = (const char *)l->defaults + r * l->record_size;
        printf("|");
        for (size_t f = 0; f < l->n_fields; f++) {
            char v[64];
            sch_format(&l->fields[f], sch_load(&l->fields[f], rec), v, sizeof v);
            printf(" ");
            cell(v);
            printf(" |");
        }
        printf("\n");
    }
    printf("\n");
}

static void prior_row(const sch_key *k, const char *path, int *n)
{
    if (k->prior.dist == SCH_DIST_NONE)
        return;
    if ((*n)++ == 0)
        printf("Priors:\n\n| key | basis | distribution | range | why |\n|---|---|---|---|---|\n");
    printf("| `%s` | %s | %s | ", path, sch_basis_name(k->basis), sch_dist_name(k->prior.dist));
    prior_range(k);
    printf(" | ");
    cell(k->prior.why ? k->prior.why : "");
    printf(" |\n");
}

/* Below a model's table: every key and list field with a prior, with the
 * sentence on why; nothing when the model has none. */
static void priors(const sch_key *keys, size_t n_keys)
{
    int n = 0;
    for (size_t i = 0; i < n_keys; i++) {
        const sch_key *k = &keys[i];
        prior_row(k, k->path, &n);
        if (k->type != SCH_LIST)
            continue;
        for (size_t f = 0; f < k->list->n_fields; f++) {
            char path[160];
            snprintf(path, sizeof path, "%s[].%s", k->path, k->list->fields[f].path);
            prior_row(&k->list->fields[f], path, &n);
        }
    }
    if (n > 0)
        printf("\n");
}

static void table(const sch_key *keys, size_t n)
{
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        const sch_key *k = &keys[i];
        if (k->type == SCH_LIST) {
            if (open)
                printf("\n");
            printf("List key:\n\n");
            header();
            list_key(k);
            open = 0;
            continue;
        }
        if (!open) {
            header();
            open = 1;
        }
        char def[64];
        sch_format(k, sch_default(k), def, sizeof def);
        row(k, k->path, def);
    }
    if (open)
        printf("\n");
}

/* A comment line of at most ~90 columns per line, "  # " indented. */
static void comment(const char *indent, const char *text)
{
    const char *p = text;
    while (*p) {
        int w = 86 - (int)strlen(indent), n = (int)strlen(p);
        if (n > w) {
            n = w;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = w;
        }
        printf("%s# %.*s\n", indent, n, p);
        p += n;
        while (*p == ' ')
            p++;
    }
}

/* scenarios/baseline.cfg: the reassurance model with every key written
 * out at its default, grouped as in the file, with unit, basis and source
 * (make docs; make test fails when it is stale). */
static void baseline(void)
{
    const model_def *m = model_find("reassurance");
    printf("# baseline.cfg — the reassurance model with every key at its default.\n"
           "#\n"
           "# Generated by `make docs` (tools/gendocs.c) from the schema table in\n"
           "# sim/models/reassurance/keys.c: do not edit by hand; copy it to start a scenario.\n"
           "# Each key is written out with its unit, basis and source; `reassure check\n"
           "# scenarios/baseline.cfg` prints the resolved values with their priors;\n"
           "# docs/scenarios.md describes every key, docs/model.md how each acts.\n\n"
           "model = \"reassurance\";\nreplications = 10000;\nseed = 20250306;\n");
    char group[64] = "";
    for (size_t i = 0; i < m->n_keys; i++) {
        const sch_key *k = &m->keys[i];
        const char *dot = strchr(k->path, '.');
        char g[64] = "";
        if (dot)
            snprintf(g, sizeof g, "%.*s", (int)(dot - k->path), k->path);
        if (strcmp(g, group) != 0) {
            if (group[0])
                printf("};\n");
            printf("\n");
            if (g[0])
                printf("%s = {\n", g);
            snprintf(group, sizeof group, "%s", g);
        }
        const char *ind = g[0] ? "  " : "";
        const char *name = dot ? dot + 1 : k->path;
        char line[600];
        snprintf(line, sizeof line, "%s%s%s%s.", k->description, k->unit[0] ? " [" : "",
                 k->unit, k->unit[0] ? "]" : "");
        comment(ind, line);
        snprintf(line, sizeof line, "%s%s%s.", k->basis ? sch_basis_name(k->basis) : "",
                 k->basis ? ": " : "Source: ", k->source);
        comment(ind, line);
        if (k->type == SCH_LIST) {
            const sch_list *l = k->list;
            printf("%s%s = (\n", ind, name);
            for (size_t r = 0; r < l->n_defaults; r++) {
                const char *rec = (const char *)l->defaults + r * l->record_size;
                printf("%s  {", ind);
                for (size_t f = 0; f < l->n_fields; f++) {
                    char v[64];
                    const sch_key *fk = &l->fields[f];
                    sch_format(fk, sch_load(fk, rec), v, sizeof v);
                    printf(" %s = %s;", fk->path, v); /* strings come quoted */
                }
                printf(" }%s\n", r + 1 < l->n_defaults ? "," : "");
            }
            printf("%s);\n", ind);
            continue;
        }
        char v[64];
        sch_format(k, sch_default(k), v, sizeof v);
        if (k->type == SCH_CHOICE)
            printf("%s%s = \"%s\";\n", ind, name, v);
        else if (k->type == SCH_REAL && strpbrk(v, ".e") == NULL)
            printf("%s%s = %s.0;\n", ind, name, v);
        else
            printf("%s%s = %s;\n", ind, name, v);
    }
    if (group[0])
        printf("};\n");
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--baseline") == 0) {
        baseline();
        return 0;
    }
    printf("# Scenario keys\n\n"
           "<!-- Generated by `make docs` (tools/gendocs.c) from the schema tables in sim/: "
           "do not edit by hand; `make test` fails when this file is stale. -->\n\n"
           "Every key a scenario file may set, with its type, default, unit, valid values, a "
           "one-line description, the source of the default, and for a judgement parameter its "
           "basis and prior. The same tables drive the loader's checks, the defaults and "
           "`reassure check`.\n\n"
           "Conventions:\n\n"
           "- Keys are nested groups in the file (`force = { troops = 20000; };`) and dotted "
           "paths on the command line and in sweeps (`force.troops`).\n"
           "- `--set KEY=VALUE` overrides one key; `--sweep KEY=V1,V2,...` sweeps it; both are "
           "checked exactly like the file.\n"
           "- Valid ranges are written `[lo, hi]`, with `(` or `)` where the bound itself is "
           "excluded. A real key accepts an integer (`lo = 1;` is 1.0); an integer key does "
           "not accept a real.\n"
           "- Lists of records are set in the file only: they cannot be swept or set with "
           "`--set`.\n"
           "- `base = \"file.cfg\";` starts from another scenario (a path relative to this "
           "file): the later file's values win key by key; a group merges, a list, an array "
           "and the `sweep` block are replaced.\n"
           "- `basis` says how a judgement parameter's default was reached: `evidence` (read "
           "from a source), `calibrated` (set so that the model meets a calibration target) or "
           "`assumption` (a judgement); it is empty for structural keys and the validation "
           "models. `prior` is the key's plausible range and the distribution of belief over "
           "it: `uniform [lo, hi]`, `triangular [lo, mode, hi]` or `log-uniform [lo, hi]` "
           "(uniform in the logarithm); a model's Priors table gives the reason for each.\n\n"
           "## Keys of every scenario\n\n");
    table(scn_common_keys, scn_n_common_keys);
    printf("## Sweeps\n\n"
           "A `sweep = { ... };` group varies keys across points (`reassure check` prints the "
           "points). Its keys:\n\n"
           "| key | type | default | valid values | description |\n"
           "|---|---|---|---|---|\n"
           "| `sweep.design` | choice | `\"grid\"` | `\"grid\"` \\| `\"lhs\"` \\| "
           "`\"sobol\"` \\| `\"cases\"` | grid: the cartesian product of the listed values, "
           "the first key varying slowest; lhs: a Latin hypercube over each key's range, drawn "
           "from `seed`; sobol: Saltelli's scheme on a Sobol sequence, for Sobol sensitivity "
           "indices; cases: named options, each crossed with the grid of `parameters` "
           "(optional), the case varying slowest |\n"
           "| `sweep.cases` | list of groups | (required for cases) | 1 to 10000 | cases: "
           "`{ name = \"...\"; force = { troops = ...; }; ... }`, each the scenario with its "
           "own model keys set (a list key too); a key a case sets may be neither swept nor "
           "given by `--set` |\n"
           "| `sweep.baseline` | string | the first case | a case's name | cases: the reference "
           "option of `reassure compare` (root attribute `baseline_case`) |\n"
           "| `sweep.parameters` | list of records | (required) | 1 or more; sobol: at most %d | "
           "`{ key = \"force.troops\"; values = [...]; }` (grid) or "
           "`{ key = ...; range = [lo, hi]; }` (lhs, sobol) |\n"
           "| `sweep.points` | integer | (required for lhs) | [1, %d] | lhs: how many "
           "points to draw |\n"
           "| `sweep.samples` | integer | (required for sobol) | [1, %d] | sobol: base "
           "samples N; the design has N (k + 2) points for k keys |\n"
           "| `sweep.outputs` | array of strings | `[\"p_rung_ge_7\"]`, or the model's first "
           "/summary row | /summary rows of the model | sobol: the outputs whose indices are "
           "computed (`/sensitivity`) |\n\n"
           "Fields of each `sweep.parameters` record:\n\n"
           "| field | designs | description |\n"
           "|---|---|---|\n"
           "| `key` | all | the dotted path of a key of the model (not a list, not a common "
           "key) |\n"
           "| `values` | grid; lhs, sobol | grid: the values of the key; lhs, sobol: levels "
           "drawn with even chances (how a choice key enters a design) |\n"
           "| `range` | lhs, sobol | `[lo, hi]`, both valid values of the key, lo < hi; draws "
           "are uniform, rounded to the nearest whole number for integer keys; a boolean "
           "needs no range (false below one half, true above) |\n\n"
           "A record has `values` or `range`, not both. `--sweep KEY=V1,V2` adds a grid key "
           "and is refused with an lhs or sobol sweep; `--set` on a swept key takes it out of "
           "the sweep. A design has at most %d points and %d values (points x keys).\n\n",
           SCN_MAX_SOBOL_KEYS, SCN_MAX_DESIGN_POINTS, SCN_MAX_DESIGN_POINTS,
           SCN_MAX_DESIGN_POINTS, SCN_MAX_DESIGN_VALUES);
    for (int i = 0; model_names[i] != NULL; i++) {
        const model_def *m = model_find(model_names[i]);
        printf("## Model `%s`\n\n%s.\n\n", m->name, m->description);
        table(m->keys, m->n_keys);
        priors(m->keys, m->n_keys);
    }
    return 0;
}
