/* main.c — the `reassure` command line: run, check, trace.
 *
 * Parses options, loads the scenario, calls the runner, and is the only
 * place that prints errors and chooses exit codes: 0 success, 1 a run-time
 * failure (I/O, HDF5, memory), 2 bad usage or a bad scenario.
 */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "report.h"
#include "run.h"
#include "scn.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2, MAX_THREADS = 1024, MAX_OVERRIDES = 256 };

static const char USAGE[] =
    "usage:\n"
    "  reassure run SCENARIO.cfg [-o OUT.h5] [-n REPS] [-s SEED] [-j THREADS] [--quiet]\n"
    "                            [--set KEY=VALUE]... [--sweep KEY=V1,V2,...]...\n"
    "  reassure check SCENARIO.cfg [--set KEY=VALUE]... [--sweep KEY=V1,...]... [-n REPS] [-s SEED]\n"
    "  reassure trace SCENARIO.cfg [--point P] [--rep R] [--set KEY=VALUE]... [-s SEED]\n"
    "  reassure summary OUT.h5 [--csv]\n"
    "  reassure --help | --version\n"
    "\n"
    "commands:\n"
    "  run     run every replication of every sweep point; write an HDF5 result\n"
    "  check   validate the scenario, print the resolved parameters and the sweep; run nothing\n"
    "  trace   tell one replication event by event\n"
    "  summary print the summary table of a result file (--csv: /summary as CSV)\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.h5     result file (default results/<scenario name>.h5); written\n"
    "                          to a temporary file and renamed when complete\n"
    "  -n, --replications N    replications per sweep point (overrides `replications`)\n"
    "  -s, --seed S            master seed (overrides `seed`)\n"
    "  -j, --threads N         OpenMP threads (default: all cores); results do not depend on it\n"
    "  -q, --quiet             print no summary table and no progress\n"
    "      --set KEY=VALUE     override one scenario key, e.g. --set mm1.lambda=0.5\n"
    "      --sweep KEY=V1,...  sweep a key over values (grid with the file's sweep)\n"
    "      --point P           (trace) sweep point, default 0\n"
    "      --rep R             (trace) replication, default 0\n"
    "      --csv               (summary) print /summary as CSV\n"
    "\n"
    "exit codes: 0 success, 1 run-time failure (I/O, HDF5), 2 bad usage or scenario\n";

typedef struct cli {
    const char *command;
    const char *scenario;
    const char *output;
    int threads;
    int quiet, csv;
    long long point, rep;
    const char *sets[MAX_OVERRIDES];
    const char *sweeps[MAX_OVERRIDES];
    scn_overrides ov;
} cli;

static int fail(const err *e)
{
    char msg[2048];
    err_format(e, msg, sizeof msg);
    fprintf(stderr, "reassure: %s\n", msg);
    return e->kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "reassure: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(reassure --help shows the usage)\n");
    return EXIT_USAGE;
}

/* A whole non-negative decimal number, or -1. */
static long long parse_count(const char *s)
{
    if (s == NULL || *s == '\0')
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*end != '\0' || errno == ERANGE || v < 0)
        return -1;
    return v;
}

static int parse_cli(int argc, char **argv, cli *c)
{
    enum { OPT_SET = 256, OPT_SWEEP, OPT_POINT, OPT_REP, OPT_CSV };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"replications", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},    {"threads", required_argument, NULL, 'j'},
        {"quiet", no_argument, NULL, 'q'},         {"set", required_argument, NULL, OPT_SET},
        {"sweep", required_argument, NULL, OPT_SWEEP}, {"point", required_argument, NULL, OPT_POINT},
        {"rep", required_argument, NULL, OPT_REP}, {"help", no_argument, NULL, 'h'},
        {"csv", no_argument, NULL, OPT_CSV},
        {NULL, 0, NULL, 0}};
    c->ov.replications = -1;
    c->ov.seed = -1;
    c->ov.sets = c->sets;
    c->ov.sweeps = c->sweeps;
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":o:n:s:j:qh", opts, NULL)) != -1) {
        long long v;
        switch (ch) {
        case 'o':
            c->output = optarg;
            break;
        case 'n':
            if ((v = parse_count(optarg)) < 1)
                return usage_error("-n/--replications: \"%s\" is not a positive whole number", optarg);
            c->ov.replications = v;
            break;
        case 's':
            if ((v = parse_count(optarg)) < 0)
                return usage_error("-s/--seed: \"%s\" is not a whole number >= 0", optarg);
            c->ov.seed = v;
            break;
        case 'j':
            if ((v = parse_count(optarg)) < 1 || v > MAX_THREADS)
                return usage_error("-j/--threads: \"%s\" is not a thread count from 1 to 1024", optarg);
            c->threads = (int)v;
            break;
        case 'q':
            c->quiet = 1;
            break;
        case OPT_SET:
            if (c->ov.n_sets == MAX_OVERRIDES)
                return usage_error("%s: too many --set options", "--set");
            c->sets[c->ov.n_sets++] = optarg;
            break;
        case OPT_SWEEP:
            if (c->ov.n_sweeps == MAX_OVERRIDES)
                return usage_error("%s: too many --sweep options", "--sweep");
            c->sweeps[c->ov.n_sweeps++] = optarg;
            break;
        case OPT_POINT:
            if ((c->point = parse_count(optarg)) < 0)
                return usage_error("--point: \"%s\" is not a whole number >= 0", optarg);
            break;
        case OPT_REP:
            if ((c->rep = parse_count(optarg)) < 0)
                return usage_error("--rep: \"%s\" is not a whole number >= 0", optarg);
            break;
        case OPT_CSV:
            c->csv = 1;
            break;
        case 'h':
            fputs(USAGE, stdout);
            exit(0);
        case ':':
            return usage_error("option %s needs a value", argv[optind - 1]);
        default:
            return usage_error("unknown option %s", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return usage_error(strcmp(c->command, "summary") == 0 ? "%s: which result file?"
                                                               : "%s: which scenario file?",
                           c->command);
    c->scenario = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument \"%s\"", argv[optind]);
    return 0;
}

/* Default result path: results/<scenario file name without .cfg>.h5. */
static int default_output(const char *scenario, char *buf, size_t n)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0)
        len -= 4;
    if (mkdir("results", 0777) != 0 && errno != EEXIST)
        return -1;
    snprintf(buf, n, "results/%.*s.h5", (int)len, base);
    return 0;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* Progress on a terminal: one line, redrawn in place. */
static void show_progress(void *ctx, uint64_t done, uint64_t total, double seconds)
{
    (void)ctx;
    double rate = seconds > 0 ? (double)done / seconds : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    if (done >= total) {
        fprintf(stderr, "\r%80s\r", "");
        return;
    }
    fprintf(stderr, "\r  %llu / %llu replications  %3.0f%%  %.3g/s  %02d:%02d left ",
            (unsigned long long)done, (unsigned long long)total,
            total ? 100.0 * (double)done / (double)total : 100.0, rate, (int)(left / 60),
            (int)left % 60);
    fflush(stderr);
}

static int cmd_run(cli *c, const scenario *s)
{
    char path[4096];
    err e;
    err_clear(&e);
    const char *out = c->output;
    if (out == NULL) {
        if (default_output(c->scenario, path, sizeof path) < 0) {
            err_set(&e, ERR_RUNTIME, "results", 0, NULL, "cannot create the folder: %s",
                    strerror(errno));
            return fail(&e);
        }
        out = path;
    }
    if (same_file(out, c->scenario)) {
        err_set(&e, ERR_RUNTIME, out, 0, NULL,
                "the output would overwrite the scenario file; choose another -o");
        return fail(&e);
    }
    run_options o = {.out_path = out, .threads = c->threads, .progress_seconds = 0.1};
    if (!c->quiet && isatty(STDERR_FILENO))
        o.progress = show_progress;
    run_report r;
    if (!c->quiet)
        printf("reassure %s: %s, %zu point%s x %lld replications, %d thread%s\n",
               REASSURE_VERSION, s->model->name, s->n_points, s->n_points == 1 ? "" : "s",
               (long long)s->replications, c->threads, c->threads == 1 ? "" : "s");
    if (run_scenario(s, &o, &r, &e) < 0)
        return fail(&e);
    if (c->quiet)
        return 0;
    printf("%llu replications, %llu events in %.2f s (%.3g events/s)\n\n",
           (unsigned long long)r.replications, (unsigned long long)r.events, r.wall_seconds,
           r.wall_seconds > 0 ? (double)r.events / r.wall_seconds : 0.0);
    if (report_print(out, 0, stdout, &e) < 0)
        return fail(&e);
    printf("\nwrote %s\n", out);
    return 0;
}

static int cmd_trace(cli *c, const scenario *s)
{
    err e;
    err_clear(&e);
    if ((size_t)c->point >= s->n_points) {
        fprintf(stderr, "reassure: --point %lld: the scenario has %zu point%s (0 to %zu)\n",
                c->point, s->n_points, s->n_points == 1 ? "" : "s", s->n_points - 1);
        return EXIT_USAGE;
    }
    if (s->model->describe == NULL && s->model->narrate == NULL) {
        fprintf(stderr, "reassure: model %s has no trace\n", s->model->name);
        return EXIT_USAGE;
    }
    printf("trace of %s, point %lld, replication %lld, seed %llu\n", s->path, c->point, c->rep,
           (unsigned long long)s->seed);
    if (run_trace(s, (size_t)c->point, (uint64_t)c->rep, stdout, &e) < 0)
        return fail(&e);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        unsigned maj, min, rel;
        H5get_libversion(&maj, &min, &rel);
        printf("reassure %s (HDF5 %u.%u.%u, GSL %s)\n", REASSURE_VERSION, maj, min, rel,
               GSL_VERSION);
        return 0;
    }
    cli c = {.command = argv[1], .threads = omp_get_num_procs()};
    if (strcmp(c.command, "run") != 0 && strcmp(c.command, "check") != 0 &&
        strcmp(c.command, "trace") != 0 && strcmp(c.command, "summary") != 0)
        return usage_error("unknown command \"%s\"", c.command);
    int rc = parse_cli(argc - 1, argv + 1, &c);
    if (rc != 0)
        return rc;

    /* Library-wide settings, once, before any thread starts: GSL and HDF5
     * report errors through our own error path, never by printing or
     * aborting. */
    gsl_set_error_handler_off();
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    err e;
    err_clear(&e);
    if (strcmp(c.command, "summary") == 0)
        return report_print(c.scenario, c.csv, stdout, &e) < 0 ? fail(&e) : 0;
    scenario *s = scn_load(c.scenario, &c.ov, &e);
    if (s == NULL)
        return fail(&e);
    if (strcmp(c.command, "check") == 0) {
        scn_print(s, stdout);
        rc = 0;
    } else if (strcmp(c.command, "trace") == 0) {
        rc = cmd_trace(&c, s);
    } else {
        rc = cmd_run(&c, s);
    }
    scn_free(s);
    return rc;
}
