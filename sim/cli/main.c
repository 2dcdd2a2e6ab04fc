/* main.c — the `reassure` command line: run, check, trace, summary, merge.
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
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "merge.h"
#include "out.h"
#include "par.h"
#include "report.h"
#include "run.h"
#include "scn.h"
#include "stop.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2, MAX_THREADS = 1024, MAX_OVERRIDES = 256 };

static const char USAGE[] =
    "usage:\n"
    "  reassure run SCENARIO.cfg [-o OUT.h5] [-n REPS] [-s SEED] [-j THREADS] [--quiet] [--resume]\n"
    "                            [--set KEY=VALUE]... [--sweep KEY=V1,V2,...]...\n"
    "                            [--points A:B] [--replications A:B]\n"
    "                            [--precision P [--max-replications M]]\n"
    "  reassure check SCENARIO.cfg [--set KEY=VALUE]... [--sweep KEY=V1,...]... [-n REPS] [-s SEED]\n"
    "  reassure trace SCENARIO.cfg [--point P] [--rep R] [--set KEY=VALUE]... [-s SEED]\n"
    "  reassure summary OUT.h5 [--csv]\n"
    "  reassure merge A.h5 B.h5 ... -o ALL.h5\n"
    "  reassure --help | --version\n"
    "\n"
    "commands:\n"
    "  run     run every replication of every sweep point; write an HDF5 result\n"
    "  check   validate the scenario, print the resolved parameters and the sweep; run nothing\n"
    "  trace   tell one replication event by event\n"
    "  summary print the summary table of a result file (--csv: /summary as CSV)\n"
    "  merge   join the results of shares of one run (--points / --replications) into one\n"
    "\n"
    "options:\n"
    "  -o, --output OUT.h5     result file (default results/<scenario name>.h5); written\n"
    "                          to a temporary file and renamed when complete\n"
    "  -n, --replications N    replications per sweep point (overrides `replications`)\n"
    "  -s, --seed S            master seed (overrides `seed`)\n"
    "  -j, --threads N         OpenMP threads (default: all cores); results do not depend on it\n"
    "  -q, --quiet             print no summary table and no progress\n"
    "      --resume            finish the interrupted result OUT.h5 (same scenario and options);\n"
    "                          the result equals an uninterrupted run\n"
    "      --points A:B        run only sweep points A to B-1 (a share, for a job array)\n"
    "      --replications A:B  run only replications A to B-1 of each point (a share);\n"
    "                          --replications N (no colon) is -n N\n"
    "      --precision P       sequential stopping: run the scenario's replications per point,\n"
    "                          then add batches at the points where any p_* 95% interval is\n"
    "                          wider than +-P, until none is (0 < P <= 0.5)\n"
    "      --max-replications M  (with --precision) at most M per point; default 1000000\n"
    "      --set KEY=VALUE     override one scenario key, e.g. --set mm1.lambda=0.5\n"
    "      --sweep KEY=V1,...  sweep a key over values (grid with the file's sweep)\n"
    "      --point P           (trace) sweep point, default 0\n"
    "      --rep R             (trace) replication, default 0\n"
    "      --csv               (summary) print /summary as CSV\n"
    "\n"
    "SIGINT or SIGTERM stops a run within a second: finished replications are kept in\n"
    "OUT.h5 with complete = 0, and --resume finishes it. A second signal exits at once.\n"
    "Under mpirun or srun (a build with MPI), ranks share the work and rank 0 writes.\n"
    "\n"
    "exit codes: 0 success, 1 run-time failure (I/O, HDF5) or interrupted, 2 bad usage or scenario\n";

typedef struct cli {
    const char *command;
    const char *scenario;
    const char *output;
    int threads;
    int quiet, csv, resume;
    long long point, rep;
    int has_points, has_reps;
    double precision;
    long long max_reps;
    unsigned long long points_a, points_b, reps_a, reps_b;
    const char *inputs[MAX_OVERRIDES];
    size_t n_inputs;
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

/* "A:B" with whole numbers A < B. */
static int parse_range(const char *s, unsigned long long *a, unsigned long long *b)
{
    char left[32];
    const char *colon = strchr(s, ':');
    if (colon == NULL || (size_t)(colon - s) >= sizeof left)
        return -1;
    memcpy(left, s, (size_t)(colon - s));
    left[colon - s] = '\0';
    long long x = parse_count(left), y = parse_count(colon + 1);
    if (x < 0 || y < 0 || x >= y)
        return -1;
    *a = (unsigned long long)x;
    *b = (unsigned long long)y;
    return 0;
}

static int parse_cli(int argc, char **argv, cli *c)
{
    enum { OPT_SET = 256, OPT_SWEEP, OPT_POINT, OPT_REP, OPT_CSV, OPT_RESUME, OPT_POINTS,
           OPT_REPS, OPT_PRECISION, OPT_MAX_REPS };
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},  {"replications", required_argument, NULL, OPT_REPS},
        {"resume", no_argument, NULL, OPT_RESUME}, {"points", required_argument, NULL, OPT_POINTS},
        {"precision", required_argument, NULL, OPT_PRECISION},
        {"max-replications", required_argument, NULL, OPT_MAX_REPS},
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
        case OPT_REPS:
            if (strchr(optarg, ':') != NULL) {
                if (parse_range(optarg, &c->reps_a, &c->reps_b) < 0)
                    return usage_error("--replications: \"%s\" is not a share A:B with A < B "
                                       "(or a count N)", optarg);
                c->has_reps = 1;
                break;
            }
            __attribute__((fallthrough)); /* --replications N is -n N */
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
        case OPT_RESUME:
            c->resume = 1;
            break;
        case OPT_PRECISION: {
            char *end;
            errno = 0;
            double p = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || errno == ERANGE || !(p > 0 && p <= 0.5))
                return usage_error("--precision: \"%s\" is not a half-width in (0, 0.5]", optarg);
            c->precision = p;
            break;
        }
        case OPT_MAX_REPS:
            if ((c->max_reps = parse_count(optarg)) < 1)
                return usage_error("--max-replications: \"%s\" is not a positive whole number",
                                   optarg);
            break;
        case OPT_POINTS:
            if (parse_range(optarg, &c->points_a, &c->points_b) < 0)
                return usage_error("--points: \"%s\" is not a share A:B of points with A < B",
                                   optarg);
            c->has_points = 1;
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
        return usage_error(strcmp(c->command, "summary") == 0 || strcmp(c->command, "merge") == 0
                               ? "%s: which result file?" : "%s: which scenario file?",
                           c->command);
    if (strcmp(c->command, "merge") == 0) {
        while (optind < argc) {
            if (c->n_inputs == MAX_OVERRIDES)
                return usage_error("%s: too many input files", "merge");
            c->inputs[c->n_inputs++] = argv[optind++];
        }
        return 0;
    }
    c->scenario = argv[optind++];
    if (optind < argc)
        return usage_error("unexpected argument \"%s\"", argv[optind]);
    return 0;
}

/* Default result path: results/<scenario file name without .cfg>.h5. */
static void default_output_name(const char *scenario, char *buf, size_t n)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".cfg") == 0)
        len -= 4;
    snprintf(buf, n, "results/%.*s.h5", (int)len, base);
}

/* The same, creating results/ when it is missing. */
static int default_output(const char *scenario, char *buf, size_t n)
{
    if (mkdir("results", 0777) != 0 && errno != EEXIST)
        return -1;
    default_output_name(scenario, buf, n);
    return 0;
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

/* The share chosen with --points / --replications, checked against s. */
static int choose_share(const cli *c, const scenario *s, res_share *sh)
{
    *sh = res_share_all(s);
    if (c->has_points) {
        if (c->points_b > s->n_points) {
            fprintf(stderr, "reassure: --points %llu:%llu: the scenario has %zu point%s (0 to %zu)\n",
                    c->points_a, c->points_b, s->n_points, s->n_points == 1 ? "" : "s",
                    s->n_points - 1);
            return -1;
        }
        sh->point_lo = c->points_a;
        sh->point_hi = c->points_b;
    }
    if (c->has_reps) {
        if (c->reps_b > (unsigned long long)s->replications) {
            fprintf(stderr, "reassure: --replications %llu:%llu: the scenario has %lld "
                    "replications per point\n", c->reps_a, c->reps_b, (long long)s->replications);
            return -1;
        }
        sh->rep_lo = c->reps_a;
        sh->rep_hi = c->reps_b;
    }
    return 0;
}

static int cmd_run(cli *c, const scenario *s, stop_watch *stop)
{
    char path[4096];
    err e;
    err_clear(&e);
    int rank = par_rank(), ranks = par_size();
    const char *out = c->output;
    if (out == NULL) {
        if (rank == 0 && default_output(c->scenario, path, sizeof path) < 0) {
            err_set(&e, ERR_RUNTIME, "results", 0, NULL, "cannot create the folder: %s",
                    strerror(errno));
            return fail(&e);
        }
        if (rank != 0)
            default_output_name(c->scenario, path, sizeof path);
        out = path;
    }
    if (out_same_file(out, c->scenario)) {
        err_set(&e, ERR_RUNTIME, out, 0, NULL,
                "the output would overwrite the scenario file; choose another -o");
        return fail(&e);
    }
    run_options o = {.out_path = out, .threads = c->threads, .progress_seconds = 0.1,
                     .ov = &c->ov, .has_share = c->has_points || c->has_reps,
                     .resume = c->resume, .stop = stop};
    const char *hook = getenv("REASSURE_TEST_STOP_AFTER_BLOCKS"); /* tests only: see run.h */
    o.stop_after_blocks = hook != NULL ? strtoull(hook, NULL, 10) : 0;
    if (choose_share(c, s, &o.share) < 0)
        return EXIT_USAGE;
    if (c->max_reps > 0 && c->precision <= 0) {
        fprintf(stderr, "reassure: --max-replications goes with --precision\n");
        return EXIT_USAGE;
    }
    if (c->precision > 0) {
        int props = 0;
        for (int i = 0; i < s->model->n_summaries; i++)
            props += s->model->summaries[i].kind != SUMMARY_MEAN;
        const char *why = props == 0 ? "the model has no proportions (p_* rows) to make precise"
                          : c->resume ? "a --precision run cannot be resumed; run it again"
                          : o.has_share ? "--precision works on the whole sweep, not a share"
                          : NULL;
        if (why != NULL) {
            fprintf(stderr, "reassure: --precision: %s\n", why);
            return EXIT_USAGE;
        }
        o.precision = c->precision;
        o.max_replications = c->max_reps > 0 ? (uint64_t)c->max_reps : 1000000;
        if (o.max_replications < (uint64_t)s->replications) {
            fprintf(stderr, "reassure: --max-replications %llu is below the first batch of %lld "
                    "replications per point\n", (unsigned long long)o.max_replications,
                    (long long)s->replications);
            return EXIT_USAGE;
        }
    }
    int talk = !c->quiet && rank == 0;
    if (talk && isatty(STDERR_FILENO))
        o.progress = show_progress;
    run_report r;
    if (talk)
        printf("reassure %s: %s, %zu point%s x %lld replications, %d thread%s%s\n",
               REASSURE_VERSION, s->model->name, s->n_points, s->n_points == 1 ? "" : "s",
               (long long)s->replications, c->threads, c->threads == 1 ? "" : "s",
               ranks > 1 ? " per rank" : "");
    if (talk && ranks > 1)
        printf("  %d MPI ranks share the work; rank 0 writes\n", ranks);
    if (talk && o.has_share)
        printf("  share: points %llu:%llu, replications %llu:%llu (%llu rows)\n",
               (unsigned long long)o.share.point_lo, (unsigned long long)o.share.point_hi,
               (unsigned long long)o.share.rep_lo, (unsigned long long)o.share.rep_hi,
               (unsigned long long)res_share_rows(&o.share));
    if (run_scenario(s, &o, &r, &e) < 0)
        return fail(&e);
    if (rank != 0)
        return 0;
    if (r.already_complete) {
        if (talk)
            printf("%s is complete already: nothing to resume\n", out);
        return 0;
    }
    if (r.interrupted) {
        fprintf(stderr, "reassure: %s: interrupted by %s: %llu of %llu replications kept "
                "(complete = 0); finish with the same command and --resume\n", out,
                r.interrupted == SIGTERM ? "SIGTERM" : "SIGINT", (unsigned long long)r.done,
                (unsigned long long)r.total);
        if (ranks > 1) {
            fflush(stdout);
            par_abort(EXIT_RUNTIME); /* the other ranks are still at work */
        }
        return EXIT_RUNTIME;
    }
    if (c->quiet)
        return 0;
    if (o.precision > 0)
        printf("--precision %g: %llu replications in all (%lld per point at first, at most %llu)\n",
               o.precision, (unsigned long long)r.done, (long long)s->replications,
               (unsigned long long)o.max_replications);
    if (c->resume && r.resumed_from)
        printf("resumed: %llu replications were in the file, %llu run now\n",
               (unsigned long long)r.resumed_rows, (unsigned long long)r.replications);
    else if (c->resume)
        printf("resume: %s did not exist; ran from the start\n", out);
    printf("%llu replications, %llu events in %.2f s (%.3g events/s)\n\n",
           (unsigned long long)r.replications, (unsigned long long)r.events, r.wall_seconds,
           r.wall_seconds > 0 ? (double)r.events / r.wall_seconds : 0.0);
    if (report_print(out, 0, stdout, &e) < 0)
        return fail(&e);
    printf("\nwrote %s\n", out);
    return 0;
}

static int cmd_merge(cli *c)
{
    err e;
    err_clear(&e);
    if (c->output == NULL) {
        fprintf(stderr, "reassure: merge: name the merged file with -o ALL.h5\n");
        return EXIT_USAGE;
    }
    if (c->n_inputs < 1) {
        fprintf(stderr, "reassure: merge: which result files?\n");
        return EXIT_USAGE;
    }
    merge_report r;
    if (merge_results(c->inputs, c->n_inputs, c->output, &r, &e) < 0)
        return fail(&e);
    if (!c->quiet) {
        printf("merged %zu file%s: %llu replications of %llu point%s\n", c->n_inputs,
               c->n_inputs == 1 ? "" : "s", (unsigned long long)r.rows,
               (unsigned long long)r.points, r.points == 1 ? "" : "s");
        if (report_print(c->output, 0, stdout, &e) < 0)
            return fail(&e);
        printf("\nwrote %s\n", c->output);
    }
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
        strcmp(c.command, "trace") != 0 && strcmp(c.command, "summary") != 0 &&
        strcmp(c.command, "merge") != 0)
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
    if (strcmp(c.command, "merge") == 0)
        return cmd_merge(&c);
    scenario *s = scn_load(c.scenario, &c.ov, &e);
    if (s == NULL)
        return fail(&e);
    if (strcmp(c.command, "check") == 0) {
        scn_print(s, stdout);
        rc = 0;
    } else if (strcmp(c.command, "trace") == 0) {
        rc = cmd_trace(&c, s);
    } else {
        /* Signals are blocked before MPI or OpenMP start threads, which
         * inherit the mask; the watcher thread takes them. */
        stop_watch *stop = stop_start();
        if (par_init(&argc, &argv) < 0) {
            fprintf(stderr, "reassure: MPI cannot give MPI_THREAD_SERIALIZED support\n");
            rc = EXIT_RUNTIME;
        } else {
            rc = cmd_run(&c, s, stop);
            if (rc != 0 && par_size() > 1) {
                fflush(stdout);
                par_abort(rc);
            }
            par_finalize();
        }
        stop_end(stop);
    }
    scn_free(s);
    return rc;
}
