/* fuzz_scenario.c — libFuzzer harness for the scenario loader and the
 * --set / --sweep parser.
 *
 * An input is: leading lines "--set KEY=VALUE" or "--sweep KEY=V1,V2" (the
 * overrides), then the scenario text. The text is written to a file in a
 * private folder (the loader reads files, and @include resolves beside it)
 * and loaded with the overrides; a loaded scenario is printed (to
 * /dev/null) and every sweep point's parameters are built. Any crash,
 * sanitizer report or leak is a finding; an error return is fine.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scn.h"

enum { MAX_OV = 16 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char dir[64], path[96];
    snprintf(dir, sizeof dir, "/tmp/reassure-fuzz-%d", (int)getpid());
    snprintf(path, sizeof path, "%s/s.cfg", dir);
    static int made; /* the folder, once per process: harness state, not the library's */
    if (!made) {
        char cmd[96];
        snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
        if (system(cmd) != 0)
            return 0;
        made = 1;
    }
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';

    const char *sets[MAX_OV], *sweeps[MAX_OV];
    scn_overrides ov = {.sets = sets, .sweeps = sweeps, .replications = -1, .seed = -1};
    char *text = buf;
    while (ov.n_sets < MAX_OV && ov.n_sweeps < MAX_OV) {
        char *nl = strchr(text, '\n');
        if (strncmp(text, "--set ", 6) == 0) {
            sets[ov.n_sets++] = text + 6;
        } else if (strncmp(text, "--sweep ", 8) == 0) {
            sweeps[ov.n_sweeps++] = text + 8;
        } else {
            break;
        }
        if (nl == NULL) {
            text += strlen(text);
            break;
        }
        *nl = '\0';
        text = nl + 1;
    }
    FILE *f = fopen(path, "wb");
    if (f != NULL) {
        fwrite(text, 1, size - (size_t)(text - buf), f);
        fclose(f);
        err e;
        err_clear(&e);
        scenario *s = scn_load(path, &ov, &e);
        if (s != NULL) {
            FILE *null = fopen("/dev/null", "w");
            if (null != NULL) {
                scn_print(s, null);
                fclose(null);
            }
            void *params = malloc(s->model->params_size);
            size_t n = s->n_points < 1000 ? s->n_points : 1000;
            for (size_t p = 0; params != NULL && p < n; p++)
                scn_point(s, p, params);
            free(params);
            scn_free(s);
        }
    }
    free(buf);
    return 0;
}
