/* schema.h — the one table of scenario keys.
 *
 * Every scenario key a model accepts is one sch_key row: its dotted path,
 * type, default, unit, valid range or choices, a one-line description and
 * the source of the default, and where its value lives in the model's
 * parameter struct. The loader's checks, the defaults, `reassure check`'s
 * print-out and docs/scenarios.md all come from these rows; no key is
 * checked or defaulted anywhere else.
 *
 * Storage by type: SCH_INT → int64_t, SCH_REAL → double, SCH_BOOL → int
 * (0/1), SCH_CHOICE → int (index into choices), SCH_STRING → char[SCH_STR].
 * SCH_LIST is a list of records (e.g. coalition.contributors): the row gives
 * the record's fields as sub-keys (offsets within one record), where the
 * array of records and its count live, and a default list. In a record,
 * string fields are required and other fields default to their row's
 * default when that default is valid (otherwise they are required, as a
 * contributor's share is). Lists are set in the file only: they cannot be swept or set with
 * --set.
 *
 * Priors: a judgement parameter also says how its default was reached (its
 * basis: evidence, calibrated or assumption) and, for a numeric key, a prior
 * — a plausible range, a distribution over it and one sentence on why —
 * from which assumption uncertainty can later be sampled. A structural or
 * contract key (a horizon, a validation model's parameters) has basis NONE
 * and no prior. sch_prior_check says when a row's prior is malformed.
 *
 * Thread-safety: the tables are read-only.
 */
#ifndef REASSURE_SCHEMA_H
#define REASSURE_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef enum sch_type { SCH_INT, SCH_REAL, SCH_BOOL, SCH_CHOICE, SCH_STRING, SCH_LIST } sch_type;

/* A SCH_STRING holds at most SCH_STR_CHARS characters, counted as UTF-8
 * characters (not bytes: "Україна" is 7), in SCH_STR bytes: room for that
 * many characters of up to 4 bytes each, and the NUL. */
enum { SCH_STR_CHARS = 31, SCH_STR = 4 * SCH_STR_CHARS + 4 };

/* The UTF-8 characters of s (bytes that do not continue a character). */
size_t sch_utf8_chars(const char *s);

/* Whether s fits a SCH_STRING: at most SCH_STR_CHARS characters, and
 * fewer than SCH_STR bytes (malformed UTF-8 could have more). */
int sch_str_fits(const char *s);

typedef struct sch_key sch_key;

/* How a judgement parameter's default was reached. */
typedef enum sch_basis { SCH_BASIS_NONE = 0, SCH_EVIDENCE, SCH_CALIBRATED, SCH_ASSUMPTION } sch_basis;

typedef enum sch_dist { SCH_DIST_NONE = 0, SCH_UNIFORM, SCH_TRIANGULAR, SCH_LOGUNIFORM } sch_dist;

/* A plausible range of a numeric key, in the key's unit, and how belief is
 * spread over it: uniform on [lo, hi], triangular on [lo, hi] peaking at
 * mode, or log-uniform (uniform in log x, lo > 0) for a quantity known only
 * to within a factor. */
typedef struct sch_prior {
    sch_dist dist;
    double lo, mode, hi;   /* mode is used by SCH_TRIANGULAR only */
    const char *why;       /* one sentence: why this range and shape */
} sch_prior;

/* SCH_LIST only. */
typedef struct sch_list {
    const sch_key *fields;      /* one row per field; offsets within a record */
    size_t n_fields;
    size_t record_size;
    size_t max_records;
    size_t count_offset;        /* offsetof(params, n_records), an int */
    const void *defaults;       /* n_defaults records */
    size_t n_defaults;
    const char *sum_to_one;     /* a SCH_REAL field whose values must sum to 1, or NULL */
} sch_list;

/* Range bounds: a value v is valid when lo <= v <= hi, with the bound itself
 * excluded where lo_open / hi_open is set (e.g. a rate > 0). */
struct sch_key {
    const char *path;             /* "mm1.lambda" */
    sch_type type;
    size_t offset;                /* offsetof(model params, field) */
    double def;                   /* default: number, 0/1, or choice index */
    double lo, hi;                /* SCH_INT, SCH_REAL */
    int lo_open, hi_open;
    const char *const *choices;   /* SCH_CHOICE: NULL-terminated */
    const char *unit;             /* "days", "km", "troops", "1/day", "" */
    const char *description;
    const char *source;
    const sch_list *list;         /* SCH_LIST */
    sch_basis basis;       /* NONE: structural or contract keys (horizon, validation models) */
    sch_prior prior;       /* dist NONE: no prior */
};

/* One value of a key, as read from a file, --set or a sweep list. */
typedef union sch_value {
    int64_t i;         /* SCH_INT */
    double r;          /* SCH_REAL */
    int b;             /* SCH_BOOL */
    int c;             /* SCH_CHOICE */
    char s[SCH_STR];   /* SCH_STRING */
} sch_value;

/* The key named path in keys[0..n-1], or NULL. */
const sch_key *sch_find(const sch_key *keys, size_t n, const char *path);

/* The known path closest to `path` by edit distance, or NULL if none is
 * close enough to be a plausible typo. */
const char *sch_suggest(const sch_key *keys, size_t n, const char *path);

/* Checks v against k's range or choices; on failure fills e (ERR_INPUT, the
 * file, line and key given) with a message that names the valid range. */
int sch_check(const sch_key *k, sch_value v, const char *file, int line, err *e);

/* Parses text (from --set or --sweep) as a value of k: integers, reals
 * (finite), true/false, or one of the choices (quotes optional). */
int sch_parse(const sch_key *k, const char *text, sch_value *v,
              const char *file, const char *what, err *e);

/* 1 when a and b are the same value of k (compares only k's member). */
int sch_equal(const sch_key *k, sch_value a, sch_value b);

/* 1 when k's default is a valid value (a record field without one, such as
 * a contributor's share, must be given). */
int sch_has_default(const sch_key *k);

void sch_store(const sch_key *k, void *params, sch_value v);
sch_value sch_load(const sch_key *k, const void *params);
sch_value sch_default(const sch_key *k);

/* Writes v as text ("12", "0.8", "true", "square"). */
void sch_format(const sch_key *k, sch_value v, char *buf, size_t n);

/* Writes every key's default into params. */
void sch_defaults(const sch_key *keys, size_t n, void *params);

/* "", "evidence", "calibrated", "assumption" (static strings). */
const char *sch_basis_name(sch_basis b);

/* "", "uniform", "triangular", "log-uniform" (static strings). */
const char *sch_dist_name(sch_dist d);

/* 0 when k's basis and prior are well formed; otherwise -1 with e filled
 * (ERR_INPUT, key = k->path) naming the fault. A prior must sit on a
 * SCH_INT or SCH_REAL key, have lo < hi (lo <= mode <= hi for triangular,
 * lo > 0 for log-uniform), lie within the key's valid range, contain the
 * key's default, and give its why; a numeric key whose basis is calibrated
 * or assumption must have a prior. A key without a prior and with basis
 * NONE or evidence passes. e may be NULL. */
int sch_prior_check(const sch_key *k, err *e);

/* The u-quantile (inverse CDF) of p, u in [0, 1]: lo at 0, hi at 1, and
 * monotone between, so uniform u (a Latin hypercube, a Sobol sequence)
 * becomes draws from the prior. u outside [0, 1] is clamped; a prior with
 * dist NONE gives NaN. Pure: safe from any thread. */
double sch_prior_quantile(const sch_prior *p, double u);

#endif
