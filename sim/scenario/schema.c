/* schema.c — lookup, checking, parsing and formatting of scenario keys.
 *
 * Everything here works from sch_key rows (schema.h); a model's table is
 * the only place its keys, defaults and ranges are written down.
 */
#include "schema.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sch_key *sch_find(const sch_key *keys, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i].path, path) == 0)
            return &keys[i];
    return NULL;
}

/* Levenshtein distance, capped: strings longer than 127 never match. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 127 || lb > 127)
        return (size_t)-1;
    size_t row[128];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (up + 1 < best)
                best = up + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* A suggestion must be closer than a third of the name's length (at least 2
 * edits allowed), or share the last component exactly ("troops" in another
 * group is still worth naming), or have a last component that contains the
 * name's (an abbreviation). */
const char *sch_suggest(const sch_key *keys, size_t n, const char *path)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        size_t d = edit_distance(path, keys[i].path);
        if (d < best_d) {
            best_d = d;
            best = keys[i].path;
        }
    }
    size_t len = strlen(path);
    size_t limit = len / 3 > 2 ? len / 3 : 2;
    if (best != NULL && best_d <= limit)
        return best;
    const char *leaf = strrchr(path, '.');
    leaf = leaf ? leaf + 1 : path;
    for (size_t i = 0; i < n; i++) {
        const char *kl = strrchr(keys[i].path, '.');
        kl = kl ? kl + 1 : keys[i].path;
        if (strcmp(kl, leaf) == 0)
            return keys[i].path;
    }
    /* An abbreviation: "tolerance" for "casualty_tolerance". */
    if (strlen(leaf) >= 4)
        for (size_t i = 0; i < n; i++) {
            const char *kl = strrchr(keys[i].path, '.');
            if (strstr(kl ? kl + 1 : keys[i].path, leaf) != NULL)
                return keys[i].path;
        }
    return NULL;
}

size_t sch_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0u) != 0x80u;
    return n;
}

int sch_str_fits(const char *s)
{
    return strlen(s) < SCH_STR && sch_utf8_chars(s) <= SCH_STR_CHARS;
}

static void format_range(const sch_key *k, char *buf, size_t n)
{
    char lo[32], hi[32];
    if (k->type == SCH_INT) {
        /* 9223372036854775807.0 is the double 2^63: the bound a 64-bit
         * key can hold is one less, so print that. */
        if (k->lo <= -9223372036854775808.0)
            snprintf(lo, sizeof lo, "%lld", (long long)INT64_MIN);
        else
            snprintf(lo, sizeof lo, "%.0f", k->lo);
        if (k->hi >= 9223372036854775807.0)
            snprintf(hi, sizeof hi, "%lld", (long long)INT64_MAX);
        else
            snprintf(hi, sizeof hi, "%.0f", k->hi);
    } else {
        snprintf(lo, sizeof lo, "%g", k->lo);
        snprintf(hi, sizeof hi, "%g", k->hi);
    }
    snprintf(buf, n, "%s%s, %s%s", k->lo_open ? "(" : "[", lo, hi, k->hi_open ? ")" : "]");
}

static void format_choices(const sch_key *k, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; k->choices[i] != NULL; i++) {
        int w = snprintf(buf + used, n - used, "%s\"%s\"", i ? ", " : "", k->choices[i]);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
}

int sch_check(const sch_key *k, sch_value v, const char *file, int line, err *e)
{
    char range[96];
    switch (k->type) {
    case SCH_INT: {
        double x = (double)v.i;
        int below = k->lo_open ? x <= k->lo : x < k->lo;
        int above = k->hi_open ? x >= k->hi : x > k->hi;
        if (below || above) {
            format_range(k, range, sizeof range);
            return err_set(e, ERR_INPUT, file, line, k->path,
                           "%lld is out of range: valid values are %s%s%s",
                           (long long)v.i, range, k->unit[0] ? " " : "", k->unit);
        }
        return 0;
    }
    case SCH_REAL: {
        if (!isfinite(v.r))
            return err_set(e, ERR_INPUT, file, line, k->path,
                           "value is not a finite number");
        int below = k->lo_open ? v.r <= k->lo : v.r < k->lo;
        int above = k->hi_open ? v.r >= k->hi : v.r > k->hi;
        if (below || above) {
            format_range(k, range, sizeof range);
            return err_set(e, ERR_INPUT, file, line, k->path,
                           "%g is out of range: valid values are %s%s%s",
                           v.r, range, k->unit[0] ? " " : "", k->unit);
        }
        return 0;
    }
    case SCH_BOOL:
    case SCH_STRING:
    case SCH_LIST:
        return 0;
    case SCH_CHOICE: {
        int n = 0;
        while (k->choices[n] != NULL)
            n++;
        if (v.c < 0 || v.c >= n)
            return err_set(e, ERR_INPUT, file, line, k->path, "unknown choice");
        return 0;
    }
    }
    return 0;
}

static int parse_choice(const sch_key *k, const char *word, sch_value *v,
                        const char *file, const char *what, err *e)
{
    for (int i = 0; k->choices[i] != NULL; i++) {
        if (strcmp(k->choices[i], word) == 0) {
            v->c = i;
            return 0;
        }
    }
    char list[256];
    format_choices(k, list, sizeof list);
    return err_set(e, ERR_INPUT, file, 0, k->path, "%s\"%s\" is not one of %s",
                   what ? what : "", word, list);
}

/* Parses --set / --sweep text. `what` prefixes messages (e.g. "--set: "). */
int sch_parse(const sch_key *k, const char *text, sch_value *v,
              const char *file, const char *what, err *e)
{
    const char *w = what ? what : "";
    char word[256];
    size_t len = strlen(text);
    if (len >= sizeof word)
        return err_set(e, ERR_INPUT, file, 0, k->path, "%svalue is too long", w);
    memcpy(word, text, len + 1);
    if (len >= 2 && (word[0] == '"' || word[0] == '\'') && word[len - 1] == word[0]) {
        word[len - 1] = '\0';
        memmove(word, word + 1, len - 1);
    }
    if (word[0] == '\0')
        return err_set(e, ERR_INPUT, file, 0, k->path, "%sempty value", w);
    char *end = NULL;
    errno = 0;
    switch (k->type) {
    case SCH_INT: {
        long long x = strtoll(word, &end, 10);
        if (*end != '\0' || end == word)
            return err_set(e, ERR_INPUT, file, 0, k->path,
                           "%s\"%s\" is not an integer", w, word);
        if (errno == ERANGE)
            return err_set(e, ERR_INPUT, file, 0, k->path,
                           "%s\"%s\" does not fit a 64-bit integer", w, word);
        v->i = x;
        return 0;
    }
    case SCH_REAL: {
        double x = strtod(word, &end);
        if (*end != '\0' || end == word)
            return err_set(e, ERR_INPUT, file, 0, k->path,
                           "%s\"%s\" is not a number", w, word);
        if (!isfinite(x))
            return err_set(e, ERR_INPUT, file, 0, k->path,
                           "%s\"%s\" is not a finite number", w, word);
        v->r = x;
        return 0;
    }
    case SCH_BOOL:
        if (strcmp(word, "true") == 0) {
            v->b = 1;
            return 0;
        }
        if (strcmp(word, "false") == 0) {
            v->b = 0;
            return 0;
        }
        return err_set(e, ERR_INPUT, file, 0, k->path,
                       "%s\"%s\" is not true or false", w, word);
    case SCH_CHOICE:
        return parse_choice(k, word, v, file, w, e);
    case SCH_STRING:
        if (!sch_str_fits(word))
            return err_set(e, ERR_INPUT, file, 0, k->path,
                           "%s\"%s\" is longer than %d characters", w, word, SCH_STR_CHARS);
        memset(v->s, 0, sizeof v->s);
        memcpy(v->s, word, strlen(word));
        return 0;
    case SCH_LIST:
        return err_set(e, ERR_INPUT, file, 0, k->path,
                       "%sa list is set in the scenario file only", w);
    }
    return 0;
}

int sch_equal(const sch_key *k, sch_value a, sch_value b)
{
    switch (k->type) {
    case SCH_INT: return a.i == b.i;
    case SCH_REAL: return a.r == b.r;
    case SCH_BOOL: return a.b == b.b;
    case SCH_CHOICE: return a.c == b.c;
    case SCH_STRING: return strcmp(a.s, b.s) == 0;
    case SCH_LIST: return 0;
    }
    return 0;
}

int sch_has_default(const sch_key *k)
{
    if (k->type == SCH_STRING || k->type == SCH_LIST)
        return 0;
    return sch_check(k, sch_default(k), "", 0, NULL) == 0;
}

void sch_store(const sch_key *k, void *params, sch_value v)
{
    char *p = (char *)params + k->offset;
    switch (k->type) {
    case SCH_INT:
        memcpy(p, &v.i, sizeof v.i);
        break;
    case SCH_REAL:
        memcpy(p, &v.r, sizeof v.r);
        break;
    case SCH_BOOL:
        memcpy(p, &v.b, sizeof v.b);
        break;
    case SCH_CHOICE:
        memcpy(p, &v.c, sizeof v.c);
        break;
    case SCH_STRING:
        memcpy(p, v.s, sizeof v.s);
        break;
    case SCH_LIST:
        break; /* records are stored by the loader, field by field */
    }
}

sch_value sch_load(const sch_key *k, const void *params)
{
    const char *p = (const char *)params + k->offset;
    sch_value v;
    memset(&v, 0, sizeof v);
    switch (k->type) {
    case SCH_INT:
        memcpy(&v.i, p, sizeof v.i);
        break;
    case SCH_REAL:
        memcpy(&v.r, p, sizeof v.r);
        break;
    case SCH_BOOL:
        memcpy(&v.b, p, sizeof v.b);
        break;
    case SCH_CHOICE:
        memcpy(&v.c, p, sizeof v.c);
        break;
    case SCH_STRING:
        memcpy(v.s, p, sizeof v.s);
        break;
    case SCH_LIST:
        break;
    }
    return v;
}

sch_value sch_default(const sch_key *k)
{
    sch_value v;
    memset(&v, 0, sizeof v);
    switch (k->type) {
    case SCH_INT:
        v.i = (int64_t)k->def;
        break;
    case SCH_REAL:
        v.r = k->def;
        break;
    case SCH_BOOL:
        v.b = k->def != 0.0;
        break;
    case SCH_CHOICE:
        v.c = (int)k->def;
        break;
    case SCH_STRING: /* only list fields are strings; their defaults are the list's */
    case SCH_LIST:
        break;
    }
    return v;
}

void sch_format(const sch_key *k, sch_value v, char *buf, size_t n)
{
    switch (k->type) {
    case SCH_INT:
        snprintf(buf, n, "%lld", (long long)v.i);
        break;
    case SCH_REAL:
        snprintf(buf, n, "%.17g", v.r);
        if (v.r == floor(v.r) && fabs(v.r) < 1e15) { /* 730, not 7.3e+02 */
            snprintf(buf, n, "%.0f", v.r);
            break;
        }
        /* Shortest form that reads back to the same double. */
        for (int prec = 1; prec <= 17; prec++) {
            char tmp[64];
            snprintf(tmp, sizeof tmp, "%.*g", prec, v.r);
            if (strtod(tmp, NULL) == v.r) {
                snprintf(buf, n, "%s", tmp);
                break;
            }
        }
        break;
    case SCH_BOOL:
        snprintf(buf, n, "%s", v.b ? "true" : "false");
        break;
    case SCH_CHOICE:
        snprintf(buf, n, "%s", k->choices[v.c]);
        break;
    case SCH_STRING:
        snprintf(buf, n, "\"%s\"", v.s);
        break;
    case SCH_LIST:
        snprintf(buf, n, "(list)");
        break;
    }
}

void sch_defaults(const sch_key *keys, size_t n, void *params)
{
    for (size_t i = 0; i < n; i++) {
        const sch_key *k = &keys[i];
        if (k->type != SCH_LIST) {
            sch_store(k, params, sch_default(k));
            continue;
        }
        const sch_list *l = k->list;
        memcpy((char *)params + k->offset, l->defaults, l->n_defaults * l->record_size);
        int count = (int)l->n_defaults;
        memcpy((char *)params + l->count_offset, &count, sizeof count);
    }
}

const char *sch_basis_name(sch_basis b)
{
    switch (b) {
    case SCH_BASIS_NONE: return "";
    case SCH_EVIDENCE: return "evidence";
    case SCH_CALIBRATED: return "calibrated";
    case SCH_ASSUMPTION: return "assumption";
    }
    return "";
}

const char *sch_dist_name(sch_dist d)
{
    switch (d) {
    case SCH_DIST_NONE: return "";
    case SCH_UNIFORM: return "uniform";
    case SCH_TRIANGULAR: return "triangular";
    case SCH_LOGUNIFORM: return "log-uniform";
    }
    return "";
}

static int is_numeric(const sch_key *k)
{
    return k->type == SCH_INT || k->type == SCH_REAL;
}

/* A prior's bound must itself be a value the loader would accept, so that
 * every draw from the prior is a valid scenario. */
static int within_valid_range(const sch_key *k, double x)
{
    int below = k->lo_open ? x <= k->lo : x < k->lo;
    int above = k->hi_open ? x >= k->hi : x > k->hi;
    return !below && !above;
}

static int prior_fault(const sch_key *k, err *e, const char *what)
{
    return err_set(e, ERR_INPUT, NULL, 0, k->path, "malformed prior: %s", what);
}

/* The checks run from the row's own fields only, so one loop over a model's
 * table (and its list fields) proves every prior sound before any sampling
 * code trusts it. */
int sch_prior_check(const sch_key *k, err *e)
{
    const sch_prior *p = &k->prior;
    if (k->basis < SCH_BASIS_NONE || k->basis > SCH_ASSUMPTION)
        return prior_fault(k, e, "unknown basis");
    if (p->dist == SCH_DIST_NONE) {
        /* A judgement on a number is exactly what the later uncertainty
         * analysis varies: it cannot be left without a range. Evidence may
         * stand without one; choices and booleans are varied by level. */
        if (is_numeric(k) && (k->basis == SCH_CALIBRATED || k->basis == SCH_ASSUMPTION))
            return err_set(e, ERR_INPUT, NULL, 0, k->path,
                           "malformed prior: a number whose basis is %s needs a prior "
                           "(a plausible range and a distribution)", sch_basis_name(k->basis));
        return 0;
    }
    if (p->dist < SCH_UNIFORM || p->dist > SCH_LOGUNIFORM)
        return prior_fault(k, e, "unknown distribution");
    if (!is_numeric(k))
        return prior_fault(k, e, "only an integer or real key can have a prior");
    /* A prior with no basis would be listed without saying where it comes
     * from, and the model-wide check could not tell it from a structural key. */
    if (k->basis == SCH_BASIS_NONE)
        return prior_fault(k, e, "a prior needs a basis (evidence, calibrated or assumption)");
    int tri = p->dist == SCH_TRIANGULAR;
    if (!isfinite(p->lo) || !isfinite(p->hi) || (tri && !isfinite(p->mode)))
        return prior_fault(k, e, "bounds must be finite numbers");
    if (!(p->lo < p->hi))
        return err_set(e, ERR_INPUT, NULL, 0, k->path,
                       "malformed prior: lo (%g) must be below hi (%g)", p->lo, p->hi);
    if (tri && (p->mode < p->lo || p->mode > p->hi))
        return err_set(e, ERR_INPUT, NULL, 0, k->path,
                       "malformed prior: the triangular mode %g is outside [%g, %g]", p->mode,
                       p->lo, p->hi);
    if (p->dist == SCH_LOGUNIFORM && p->lo <= 0)
        return err_set(e, ERR_INPUT, NULL, 0, k->path,
                       "malformed prior: a log-uniform range must be positive (lo is %g)",
                       p->lo);
    if (!within_valid_range(k, p->lo) || !within_valid_range(k, p->hi)) {
        char range[96];
        format_range(k, range, sizeof range);
        return err_set(e, ERR_INPUT, NULL, 0, k->path,
                       "malformed prior: [%g, %g] reaches outside the valid values %s",
                       p->lo, p->hi, range);
    }
    /* The default is the model's best single guess: a range that excludes it
     * says the guess itself is implausible. */
    if (k->def < p->lo || k->def > p->hi)
        return err_set(e, ERR_INPUT, NULL, 0, k->path,
                       "malformed prior: the default %g is outside [%g, %g]", k->def, p->lo,
                       p->hi);
    int said = 0;
    for (const char *c = p->why ? p->why : ""; *c && !said; c++)
        said = !isspace((unsigned char)*c);
    if (!said)
        return prior_fault(k, e, "say why (one sentence on the range and shape)");
    return 0;
}

/* Closed forms, so that a stratified u (Latin hypercube, Sobol) keeps its
 * stratification through the transform. The endpoints are returned exactly:
 * lo + 1 * (hi - lo) can round past hi, and a draw outside the prior could
 * fall outside the key's valid range. */
double sch_prior_quantile(const sch_prior *p, double u)
{
    if (p->dist == SCH_DIST_NONE || isnan(u))
        return NAN;
    if (u <= 0)
        return p->lo;
    if (u >= 1)
        return p->hi;
    double lo = p->lo, hi = p->hi, x = NAN;
    switch (p->dist) {
    case SCH_DIST_NONE:
        return NAN;
    case SCH_UNIFORM:
        x = lo + u * (hi - lo);
        break;
    case SCH_TRIANGULAR: {
        /* F(x) = (x-lo)^2 / ((hi-lo)(mode-lo)) up to the mode, where
         * F = (mode-lo)/(hi-lo); the mirror image above it. */
        double width = hi - lo, at_mode = (p->mode - lo) / width;
        if (u < at_mode)
            x = lo + sqrt(u * width * (p->mode - lo));
        else
            x = hi - sqrt((1 - u) * width * (hi - p->mode));
        break;
    }
    case SCH_LOGUNIFORM:
        x = exp(log(lo) + u * (log(hi) - log(lo)));
        break;
    }
    return x < lo ? lo : x > hi ? hi : x;
}
