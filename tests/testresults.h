/* testresults.h — a small mm1 sweep run into a test's own folder, for the
 * tests of the results layer (test_results.c, test_report.c): a scenario,
 * a folder as cmocka state, a runner of shares, a reader that must open.
 * Include after cmocka.h. */
#ifndef REASSURE_TESTRESULTS_H
#define REASSURE_TESTRESULTS_H

#include "out.h"
#include "result.h"
#include "run.h"
#include "scn.h"
#include "testutil.h"

enum { REPS = 12, POINTS = 2 };

static const char MM1[] =
    "model = \"mm1\";\nreplications = 12;\nseed = 5;\n"
    "mm1 = { lambda = 0.5; customers = 200; };\n"
    "sweep = { parameters = ( { key = \"mm1.mu\"; values = [1.0, 2.0]; } ); };\n";

static inline scenario *load_mm1(int64_t seed)
{
    scn_overrides ov = {.replications = -1, .seed = seed};
    err e;
    scenario *s = tu_load_text(MM1, &ov, &e);
    if (s == NULL)
        fail_msg("%s: %s", e.key, e.msg);
    return s;
}

/* A folder for the test's files, as state. */
static inline int setup(void **state)
{
    char buf[256];
    if (tu_write(buf, sizeof buf, "placeholder", "") == NULL)
        return -1;
    *state = strdup(buf);
    return *state ? 0 : -1;
}

static inline int teardown(void **state)
{
    tu_remove(*state);
    free(*state);
    return 0;
}

static inline const char *in_dir(void **state, const char *name, char *buf, size_t n)
{
    const char *p = *state, *slash = strrchr(p, '/');
    snprintf(buf, n, "%.*s/%s", (int)(slash - p), p, name);
    return buf;
}

/* Runs share sh (NULL: all) of s into path. */
static inline void run_share(const scenario *s, const res_share *sh, const char *path)
{
    run_options o = {.out_path = path, .threads = 2};
    if (sh != NULL) {
        o.has_share = 1;
        o.share = *sh;
    }
    run_report rr;
    err e;
    err_clear(&e);
    if (run_scenario(s, &o, &rr, &e) != 0)
        fail_msg("run %s: %s", path, e.msg);
}

static inline out_reader *must_open(const char *path)
{
    err e;
    out_reader *r = out_read_open(path, &e);
    if (r == NULL)
        fail_msg("%s: %s", path, e.msg);
    return r;
}

#endif
