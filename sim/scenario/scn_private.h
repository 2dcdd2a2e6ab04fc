/* scn_private.h — what the scenario loader's files (scn.c, the settings
 * tree, overrides and loading; scn_sweep.c, the sweep block) share, and
 * nobody else. */
#ifndef REASSURE_SCN_PRIVATE_H
#define REASSURE_SCN_PRIVATE_H

#include <libconfig.h>

#include "scn.h"
#include "scn_text.h"

/* The file name in messages about command-line options. */
#define SCN_CLI "<command line>"

typedef struct scn_common {
    int model;
    int64_t replications;
    int64_t seed;
} scn_common;

/* A scenario file and the files it is based on (`base = "file.cfg";`),
 * each read and parsed on its own: layers[0] is the deepest base. */
enum { SCN_MAX_LAYERS = 8 };
typedef struct scn_layer {
    scn_text *text;
    config_t cfg;
} scn_layer;

/* Loader context: everything a check needs to name its place. */
typedef struct loader {
    scenario *s;
    scn_text *text;
    scn_common common;
    err *e;
    /* The file's sweep, for what is checked after the overrides. */
    const char *sweep_file;
    int sweep_line, params_line;
    size_t points; /* lhs: sweep.points */
    /* With a base: where each model key was last set ("file:line"). */
    char **origin;
    int skip_sweep; /* this layer's sweep is replaced by a later file's */
    /* A cases design, read with the sweep and built after the overrides. */
    const config_setting_t *cases;
    const char *baseline;
    int baseline_line;
    scn_text *cases_text;
    int in_case;             /* walking a case: only model keys, no name */
    unsigned char *touched;  /* [model key]: set by the case being walked */
    unsigned char *case_keys;  /* [model key]: set by some case (kept for the worlds) */
    /* sweep.uncertainty (or design "uncertainty"), built after the cases. */
    const config_setting_t *unc;
    scn_text *unc_text;
    int unc_line;
} loader;

/* File and line of a setting, through the @include map. */
void scn_where(const loader *L, const config_setting_t *st, const char **file, int *line);

/* "an integer", "a group", ... for messages. */
const char *scn_type_name(int t);

/* Reads setting st as a value of key k (type checked, range checked). */
int scn_read_value(const loader *L, const sch_key *k, const config_setting_t *st, sch_value *v);

/* ---- scn_base.c ---- */

/* The layers' settings merged into one scenario text (malloc'd), the later
 * file winning; NULL when out of memory. */
char *scn_base_flatten(const scn_layer *layers, int n, const char *top_path);

/* libconfig refused a setting given twice at expanded line `line`: fills e
 * naming the key and both lines (-1), or returns -1 leaving e alone when
 * the line cannot be read. */
int scn_base_duplicate(const scn_text *t, int line, err *e);

/* ---- scn_sweep.c ---- */

/* Reads the file's `sweep` group. */
int scn_read_sweep(loader *L, const config_setting_t *sw);

/* The sweep of key k, or NULL; removes it (a --set pins the key). */
scn_swept *scn_find_swept(scenario *s, const sch_key *k);
void scn_drop_swept(scenario *s, const sch_key *k);

/* Adds (or, from the command line, replaces) the sweep of k; takes values. */
int scn_add_swept(loader *L, const sch_key *k, sch_value *values, size_t n,
                  const sch_value *range, int replace, const char *file, int line);

/* 1 when the key at path is given on the command line, by --set or --sweep. */
int scn_on_command_line(const scn_overrides *ov, const char *path);

/* ---- scn_unc.c ---- */
/* sweep.uncertainty: the worlds, built once the overrides and cases are in
 * (a key pinned by --set, swept or set by a case is not an assumption). */
int scn_build_worlds(loader *L, const scn_overrides *ov);

/* `reassure check` of an uncertainty design: the options, the assumptions
 * with their priors, the objective and the questions; and the total. */
void scn_print_worlds(const scenario *s, FILE *f);

/* The key a sweep names, if it may be swept; else fills L->e. */
const sch_key *scn_sweepable_key(loader *L, const char *path, const char *file, int line);

#endif
