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

#endif
