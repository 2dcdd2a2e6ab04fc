/* test_corpus.c — the bad-scenario corpus, in-process.
 *
 * Every tests/scenarios/bad/NAME.cfg must be refused by the loader as bad
 * input (ERR_INPUT: exit 2 from the CLI) with a message that contains
 * NAME.expect (file, line, key and words, as `reassure check` prints it).
 * One loop over the files instead of a process per file; the CLI's own
 * handling of a refused scenario (exit 2, no output created, an existing
 * output untouched) is checked on a sample by tests/e2e/test_cli.sh.
 * A new corpus file is picked up without touching this file.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "scn.h"

static const char DIR_BAD[] = "tests/scenarios/bad";

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .cfg files of the corpus, sorted; *n set. */
static char **corpus(size_t *n)
{
    DIR *d = opendir(DIR_BAD);
    assert_non_null(d);
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".cfg") != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
            assert_non_null(names);
        }
        names[(*n)++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, *n, sizeof *names, by_name);
    return names;
}

/* The expected message: NAME.expect without its final newline. */
static void expected(const char *cfg, char *buf, size_t size)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%.*s.expect", DIR_BAD, (int)(strlen(cfg) - 4), cfg);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("%s has no .expect file", cfg);
    size_t k = fread(buf, 1, size - 1, f);
    fclose(f);
    buf[k] = '\0';
    while (k > 0 && (buf[k - 1] == '\n' || buf[k - 1] == '\r'))
        buf[--k] = '\0';
    if (k == 0)
        fail_msg("%s: empty .expect file", cfg);
}

static void every_bad_scenario_is_refused_with_its_message(void **st)
{
    (void)st;
    size_t n;
    char **names = corpus(&n);
    assert_true(n >= 80); /* the corpus only grows */
    size_t passed = 0;
    for (size_t i = 0; i < n; i++) {
        char path[512], want[1024], got[2048];
        snprintf(path, sizeof path, "%s/%s", DIR_BAD, names[i]);
        expected(names[i], want, sizeof want);
        scn_overrides ov = {.replications = -1, .seed = -1};
        err e;
        err_clear(&e);
        scenario *s = scn_load(path, &ov, &e);
        if (s != NULL) {
            scn_free(s);
            print_message("  %s: loaded, expected a refusal (%s)\n", names[i], want);
        } else if (e.kind != ERR_INPUT) {
            print_message("  %s: refused as a run-time failure, not bad input\n", names[i]);
        } else {
            err_format(&e, got, sizeof got);
            if (strstr(got, want) != NULL)
                passed++;
            else
                print_message("  %s: message \"%s\", expected it to contain \"%s\"\n", names[i],
                              got, want);
        }
        free(names[i]);
    }
    free(names);
    print_message("  bad corpus: %zu of %zu refused with their message\n", passed, n);
    assert_int_equal(passed, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_bad_scenario_is_refused_with_its_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
