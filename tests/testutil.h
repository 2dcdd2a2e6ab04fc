/* testutil.h — small helpers shared by the unit tests. */
#ifndef REASSURE_TESTUTIL_H
#define REASSURE_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scn.h"

/* Writes text to a fresh file in a fresh folder under /tmp; returns its
 * path in buf (the caller removes it with tu_remove). */
static inline const char *tu_write(char *buf, size_t n, const char *name, const char *text)
{
    char dir[] = "/tmp/reassure-test-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return NULL;
    snprintf(buf, n, "%s/%s", dir, name);
    FILE *f = fopen(buf, "w");
    if (f == NULL)
        return NULL;
    fputs(text, f);
    fclose(f);
    return buf;
}

/* Writes a second file beside an earlier one (same folder). */
static inline const char *tu_write_beside(char *buf, size_t n, const char *beside,
                                          const char *name, const char *text)
{
    const char *slash = strrchr(beside, '/');
    snprintf(buf, n, "%.*s/%s", (int)(slash - beside), beside, name);
    char *s = strrchr(buf, '/');
    *s = '\0';
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", buf);
    if (system(cmd) != 0)
        return NULL;
    *s = '/';
    FILE *f = fopen(buf, "w");
    if (f == NULL)
        return NULL;
    fputs(text, f);
    fclose(f);
    return buf;
}

/* Removes the folder holding path. */
static inline void tu_remove(const char *path)
{
    char cmd[600];
    const char *slash = strrchr(path, '/');
    snprintf(cmd, sizeof cmd, "rm -rf '%.*s'", (int)(slash - path), path);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", path);
}

/* Loads a scenario from text (written to a temporary file, removed after);
 * NULL with e filled when it does not load or cannot be written. */
static inline scenario *tu_load_text(const char *text, const scn_overrides *ov, err *e)
{
    char path[256];
    err_clear(e);
    if (tu_write(path, sizeof path, "s.cfg", text) == NULL) {
        err_set(e, ERR_RUNTIME, "s.cfg", 0, NULL, "cannot write a temporary scenario");
        return NULL;
    }
    scenario *s = scn_load(path, ov, e);
    tu_remove(path);
    return s;
}

/* Brown (1963): the chance that X wins a stochastic Lanchester battle
 * fought to the end from x0 against y0 units, by recursion over the states
 * (square law: X's next kill comes first with chance a x / (a x + b y);
 * linear law: a / (a + b)). NaN when out of memory. */
static inline double tu_brown(int square, double a, double b, int x0, int y0)
{
    double *P = calloc((size_t)(x0 + 1) * (size_t)(y0 + 1), sizeof *P);
    if (P == NULL)
        return 0.0 / 0.0;
#define TU_AT(x, y) P[(size_t)(x) * (size_t)(y0 + 1) + (size_t)(y)]
    for (int x = 0; x <= x0; x++) {
        for (int y = 0; y <= y0; y++) {
            if (y == 0 && x > 0)
                TU_AT(x, y) = 1.0;
            else if (x == 0)
                TU_AT(x, y) = 0.0;
            else {
                double A = square ? a * x / (a * x + b * y) : a / (a + b);
                TU_AT(x, y) = A * TU_AT(x, y - 1) + (1.0 - A) * TU_AT(x - 1, y);
            }
        }
    }
    double p = TU_AT(x0, y0);
#undef TU_AT
    free(P);
    return p;
}

#endif
