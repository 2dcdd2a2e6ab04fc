/* scn_base.c — a scenario that starts from another: `base = "file.cfg";`.
 *
 * A scenario file may name a base scenario (a path relative to the file
 * that names it); the base may name its own, up to SCN_MAX_LAYERS files.
 * The loader reads every layer, base first, so a later file's value wins;
 * a group is merged key by key, a list (coalition.contributors), an array
 * and the whole `sweep` block are replaced. A duplicate inside one file
 * stays an error (libconfig's), now naming the key and both lines.
 *
 * Why a key and not @include: @include pastes text, and libconfig refuses a
 * setting given twice, which is what an override is. A key keeps each file
 * a valid scenario on its own and lets every message name the file and
 * line that set a value.
 *
 * The layers are flattened into one scenario text (scn_base_flatten) that
 * is what a result file records as `scenario_loaded`: it loads on its own
 * (merge and resume reload it), with every number written exactly (the
 * shortest text that reads back as the same double; libconfig 1.5 cannot
 * set the precision of its own writer).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn_private.h"

/* ---- flattening -------------------------------------------------------- */

static void put_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        switch (*s) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        default: fputc(*s, f);
        }
    }
    fputc('"', f);
}

static void put_value(FILE *f, const config_setting_t *st, int depth);

static void indent(FILE *f, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", f);
}

static void put_elements(FILE *f, const config_setting_t *st, int depth, const char *open,
                         const char *close)
{
    fputs(open, f);
    int n = config_setting_length(st);
    for (int i = 0; i < n; i++) {
        fputs(i ? ", " : " ", f);
        put_value(f, config_setting_get_elem(st, (unsigned)i), depth);
    }
    fputs(n ? " " : "", f);
    fputs(close, f);
}

static void put_group(FILE *f, const config_setting_t *const *layers, int n, int depth,
                      int root);

static void put_value(FILE *f, const config_setting_t *st, int depth)
{
    char num[64];
    switch (config_setting_type(st)) {
    case CONFIG_TYPE_INT:
        fprintf(f, "%d", config_setting_get_int(st));
        break;
    case CONFIG_TYPE_INT64:
        fprintf(f, "%lldL", (long long)config_setting_get_int64(st));
        break;
    case CONFIG_TYPE_FLOAT: {
        /* The shortest text that reads back as the same double. */
        double x = config_setting_get_float(st);
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(num, sizeof num, "%.*g", prec, x);
            if (strtod(num, NULL) == x)
                break;
        }
        fputs(num, f);
        if (strpbrk(num, ".eEn") == NULL) /* keep it a float: 2 -> 2.0 */
            fputs(".0", f);
        break;
    }
    case CONFIG_TYPE_BOOL:
        fputs(config_setting_get_bool(st) ? "true" : "false", f);
        break;
    case CONFIG_TYPE_STRING:
        put_string(f, config_setting_get_string(st));
        break;
    case CONFIG_TYPE_ARRAY:
        put_elements(f, st, depth, "[", "]");
        break;
    case CONFIG_TYPE_LIST:
        put_elements(f, st, depth, "(", ")");
        break;
    case CONFIG_TYPE_GROUP:
        put_group(f, &st, 1, depth + 1, 0);
        break;
    default:
        break;
    }
}

/* Writes the merge of n versions of one group (layers[0] the base): each
 * name in order of first appearance; its value from the last layer that
 * sets it, groups merged over the layers since the last non-group value;
 * at the root, `base` is dropped and `sweep` taken whole from the last. */
static void put_group(FILE *f, const config_setting_t *const *layers, int n, int depth, int root)
{
    if (!root)
        fputs("{\n", f);
    for (int l = 0; l < n; l++) {
        for (int i = 0; i < config_setting_length(layers[l]); i++) {
            const config_setting_t *c = config_setting_get_elem(layers[l], (unsigned)i);
            const char *name = config_setting_name(c);
            int seen = 0;
            for (int k = 0; k < l && !seen; k++)
                seen = config_setting_get_member(layers[k], name) != NULL;
            if (seen || (root && strcmp(name, "base") == 0))
                continue;
            /* Every layer's version of this name, from the last plain value on. */
            const config_setting_t *v[SCN_MAX_LAYERS];
            int nv = 0;
            for (int k = l; k < n; k++) {
                const config_setting_t *x = config_setting_get_member(layers[k], name);
                if (x == NULL)
                    continue;
                if (config_setting_type(x) != CONFIG_TYPE_GROUP ||
                    (root && strcmp(name, "sweep") == 0))
                    nv = 0;
                v[nv++] = x;
            }
            indent(f, depth);
            fprintf(f, "%s = ", name);
            if (config_setting_type(v[nv - 1]) == CONFIG_TYPE_GROUP && nv > 1)
                put_group(f, v, nv, depth + 1, 0);
            else
                put_value(f, v[nv - 1], depth);
            fputs(";\n", f);
        }
    }
    if (!root) {
        indent(f, depth - 1);
        fputs("}", f);
    }
}

char *scn_base_flatten(const scn_layer *layers, int n, const char *top_path)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    if (f == NULL)
        return NULL;
    fprintf(f, "# %s with its base scenario%s (", top_path, n > 2 ? "s" : "");
    for (int i = n - 2; i >= 0; i--)
        fprintf(f, "%s%s", layers[i].text->files[0], i ? ", " : "");
    fprintf(f, ") flattened: the later file's values win.\n");
    const config_setting_t *roots[SCN_MAX_LAYERS];
    for (int i = 0; i < n; i++)
        roots[i] = config_root_setting(&layers[i].cfg);
    put_group(f, roots, n, 0, 1);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* ---- a duplicate inside one file --------------------------------------- */

/* A setting name seen in a group: its nesting depth and line. */
typedef struct seen_name {
    int depth, line;
    char name[64];
} seen_name;

enum { MAX_SEEN = 4096, MAX_DEPTH = 64 };

/* Scans the expanded text (strings and comments skipped) for the first
 * setting name given twice in one group; fills the dotted path and both
 * lines. Returns 1 when found. */
static int find_duplicate(const char *s, char *path, size_t n, int *first, int *second)
{
    static const size_t cap = MAX_SEEN;
    seen_name *seen = malloc(cap * sizeof *seen);
    char scope[MAX_DEPTH][64] = {{0}};
    if (seen == NULL)
        return 0;
    size_t n_seen = 0;
    int depth = 0, line = 1, found = 0;
    char last[64] = "";
    for (const char *p = s; *p && !found; p++) {
        if (*p == '\n') {
            line++;
        } else if (*p == '"') {
            for (p++; *p && *p != '"'; p++)
                if (*p == '\\' && p[1])
                    p++;
                else if (*p == '\n')
                    line++;
            if (!*p)
                break;
        } else if (*p == '#' || (*p == '/' && p[1] == '/')) {
            while (p[1] && p[1] != '\n')
                p++;
        } else if (*p == '/' && p[1] == '*') {
            for (p += 2; *p && !(*p == '*' && p[1] == '/'); p++)
                line += *p == '\n';
            if (!*p)
                break;
            p++;
        } else if (*p == '{' || *p == '(' || *p == '[') {
            if (depth + 1 < MAX_DEPTH) {
                depth++;
                snprintf(scope[depth], sizeof scope[depth], "%s", *p == '{' ? last : "");
            }
        } else if (*p == '}' || *p == ')' || *p == ']') {
            while (n_seen > 0 && seen[n_seen - 1].depth >= depth)
                n_seen--;
            if (depth > 0)
                depth--;
        } else if (isalpha((unsigned char)*p) || *p == '*') {
            char name[64];
            size_t k = 0;
            while ((isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '*') &&
                   k + 1 < sizeof name)
                name[k++] = *p++;
            name[k] = '\0';
            const char *q = p;
            while (*q == ' ' || *q == '\t')
                q++;
            p--;
            if (*q != '=' && *q != ':')
                continue;
            snprintf(last, sizeof last, "%s", name);
            for (size_t i = n_seen; i-- > 0 && seen[i].depth == depth;) {
                if (strcmp(seen[i].name, name) == 0) {
                    size_t used = 0;
                    path[0] = '\0';
                    for (int d = 1; d <= depth && used < n; d++)
                        if (scope[d][0])
                            used += (size_t)snprintf(path + used, n - used, "%s.", scope[d]);
                    if (used < n)
                        snprintf(path + used, n - used, "%s", name);
                    *first = seen[i].line;
                    *second = line;
                    found = 1;
                    break;
                }
            }
            if (!found && n_seen < cap) {
                seen[n_seen].depth = depth;
                seen[n_seen].line = line;
                snprintf(seen[n_seen].name, sizeof seen[n_seen].name, "%s", name);
                n_seen++;
            }
        }
    }
    free(seen);
    return found;
}

int scn_base_duplicate(const scn_text *t, int line, err *e)
{
    (void)line;
    char path[256];
    int first, second;
    if (!find_duplicate(t->expanded, path, sizeof path, &first, &second))
        return -1;
    const char *file, *file0;
    int fl, fl0;
    scn_text_where(t, second, &file, &fl);
    scn_text_where(t, first, &file0, &fl0);
    return err_set(e, ERR_INPUT, file, fl, path,
                   "duplicate setting name: \"%s\" is set twice in one group (first at %s:%d); to "
                   "start from another scenario and change keys, name it with base = "
                   "\"file.cfg\" (not @include)", path, file0, fl0);
}
