/* main.c — the `reassure` command line: run, check, trace, summary, merge.
 *
 * A command is a line of COMMANDS: its word, its handler and its usage
 * (the --help text is built from the table). main finds the command,
 * parses the options (each checked by run_option, options.h), loads the
 * scenario for the commands that take one, and calls the handler; the
 * rules between options are the library's (run_options_check and its
 * kin), so unit tests reach them. main.c is the only place that prints
 * errors and chooses exit codes: 0 success, 1 a run-time failure (I/O,
 * HDF5, memory), 2 bad usage or a bad scenario.
 */
#include <errno.h>
#include <ctype.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "merge.h"
#include "options.h"
#include "out.h"
#include "par.h"
#include "build_info.h"
#include "contrast.h"
#include "report.h"
#include "run.h"
#include "scn.h"
#include "stop.h"

enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

typedef struct cli cli;

/* A command: its word, what it does with the parsed command line (and the
 * scenario, for those that load one), and its lines of the usage. */
typedef struct command {
    const char *name;
    int (*handler)(cli *c, const scenario *s);
    const char *usage;     /* after "  reassure ", continuation lines included */
    const char *help;      /* its line under "commands:" */
    const char *operand;   /* "scenario" or "result": what its file argument is */
    int many;              /* takes several files (merge) */
    int loads;             /* loads the scenario before the handler */
    const char *takes;     /* the long names of the options it takes, space-separated:
                              any other is an error, not silently ignored */
} command;

struct cli {
    const command *cmd;
    const char *file;                       /* the scenario or result file */
    const char *inputs[OPT_MAX_OVERRIDES];  /* merge's files */
    size_t n_inputs;
    run_request req;                        /* the options (options.h) */
    int *argc;                              /* main's, for MPI */
    char ***argv;
};

static int cmd_run(cli *c, const scenario *s);
static int cmd_check(cli *c, const scenario *s);
static int cmd_trace(cli *c, const scenario *s);
static int cmd_summary(cli *c, const scenario *s);
static int cmd_merge(cli *c, const scenario *s);
static int cmd_compare(cli *c, const scenario *s);
static int cmd_export(cli *c, const scenario *s);

static const command COMMANDS[] = {
    {"run", cmd_run,
     "run SCENARIO.cfg [-o OUT.h5] [-n REPS] [-s SEED] [-j THREADS] [--quiet] [--resume|--force]\n"
     "                            [--set KEY=VALUE]... [--sweep KEY=V1,V2,...]...\n"
     "                            [--points A:B] [--replications A:B]\n"
     "                            [--precision P [--max-replications M]]\n"
     "                            [--checkpoint S] [--checkpoint-blocks N]\n"
     "                            [--rows all|none|sample:N] [--shards]",
     "run every replication of every sweep point; write an HDF5 result", "scenario", 0, 1,
     "output replications seed threads quiet resume force set sweep points precision "
     "max-replications checkpoint checkpoint-blocks rows shards"},
    {"check", cmd_check,
     "check SCENARIO.cfg [--set KEY=VALUE]... [--sweep KEY=V1,...]... [-n REPS] [-s SEED]",
     "validate the scenario, print the resolved parameters and the sweep; run nothing",
     "scenario", 0, 1,
     "replications seed set sweep"},
    {"trace", cmd_trace,
     "trace SCENARIO.cfg [--point P] [--rep R] [--set KEY=VALUE]... [-s SEED]\n"
     "                            | trace RESULT.h5 [--point P] [--rep R]",
     "tell one replication event by event (of a result file: as it ran)", "scenario", 0, 1,
     "point rep set seed"},
    {"summary", cmd_summary, "summary OUT.h5 [--csv]",
     "print the summary table of a result file (--csv: /summary as CSV)", "result", 0, 0,
     "csv"},
    {"merge", cmd_merge, "merge A.h5 B.h5 ... -o ALL.h5",
     "join the results of shares of one run (--points / --replications) into one", "result", 1,
     0,
     "output quiet"},
    {"export", cmd_export, "export OUT.h5 --table replications|summary|points [--csv]",
     "a table of a result as tidy CSV (swept values on every row, outcomes by name)", "result",
     0, 0,
     "table csv"},
    {"compare", cmd_compare, "compare A.h5 B.h5 [--csv] | compare CASES.h5 [--baseline NAME] [--csv]",
     "B - A at each point, with 95% intervals from the paired replications (one seed); of one\n"
     "                            cases result: every case against the baseline case", "result",
     1, 0,
     "csv baseline"},
};
enum { N_COMMANDS = sizeof COMMANDS / sizeof COMMANDS[0] };

static const char OPTIONS[] =
    "options:\n"
    "  -o, --output OUT.h5     result file (default results/<scenario name>.h5); written\n"
    "                          to a temporary file and renamed when complete\n"
    "  -n, --replications N    replications per sweep point (overrides `replications`)\n"
    "  -s, --seed S            master seed (overrides `seed`)\n"
    "  -j, --threads N         OpenMP threads (default: all cores); results do not depend on it\n"
    "  -q, --quiet             print no summary table and no progress\n"
    "      --resume            finish the interrupted result OUT.h5 (same scenario and options);\n"
    "                          the result equals an uninterrupted run\n"
    "      --force             replace a complete result OUT.h5 (without it the run refuses;\n"
    "                          a file that is not a result, or an input, is never replaced)\n"
    "      --points A:B        run only sweep points A to B-1 (a share, for a job array)\n"
    "      --replications A:B  run only replications A to B-1 of each point (a share);\n"
    "                          --replications N (no colon) is -n N\n"
    "      --precision P       sequential stopping: run the scenario's replications per point,\n"
    "                          then add batches at the points where any p_* 95% interval is\n"
    "                          wider than +-P, until none is (0 < P <= 0.5)\n"
    "      --max-replications M  (with --precision) at most M per point; default 1000000\n"
    "      --checkpoint S      save the finished replications at most every S seconds\n"
    "                          (default 30; 0: never), so that --resume after SIGKILL, the\n"
    "                          OOM killer or a lost node goes on from there\n"
    "      --checkpoint-blocks N  also save them every N blocks of replications\n"
    "      --rows WHICH        the rows /replications keeps: all (default), none, or\n"
    "                          sample:N (replications 0 to N-1 of each point); the summaries,\n"
    "                          histograms and tables are the same whichever\n"
    "      --shards            (MPI, several ranks) each rank writes the rows it keeps to a\n"
    "                          file of its own in a folder OUT.h5.rows-TOKEN beside the result,\n"
    "                          read as one /replications: rank 0 then writes no rows (not\n"
    "                          for --precision or a cases design, whose rows rank 0 writes)\n"
    "      --set KEY=VALUE     override one scenario key, e.g. --set mm1.lambda=0.5\n"
    "      --sweep KEY=V1,...  sweep a key over values (grid with the file's sweep)\n"
    "      --point P           (trace) sweep point, default 0\n"
    "      --rep R             (trace) replication, default 0\n"
    "      --csv               (summary, compare, export) CSV, every digit kept\n"
    "      --table T           (export) replications, summary or points\n"
    "      --baseline NAME     (compare) the reference case of a cases result\n"
    "\n"
    "SIGINT, SIGTERM, SIGHUP or SIGUSR1 stops a run within a second: finished replications\n"
    "are kept in OUT.h5 with complete = 0, and --resume finishes it. A second signal exits\n"
    "at once. After SIGKILL, --resume goes on from the last checkpoint (--checkpoint).\n"
    "Under mpirun or srun (a build with MPI), ranks share the work and rank 0 writes.\n"
    "\n"
    "exit codes: 0 success, 1 run-time failure (I/O, HDF5) or interrupted, 2 bad usage or scenario\n";

/* 1 when path starts with HDF5's signature (a result file, not a scenario). */
static int is_hdf5(const char *path)
{
    unsigned char sig[8] = {0};
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    size_t n = fread(sig, 1, sizeof sig, f);
    fclose(f);
    return n == sizeof sig && memcmp(sig, "\x89HDF\r\n\x1a\n", 8) == 0;
}

/* The usage, from the command table. */
static void usage(FILE *f)
{
    fputs("usage:\n", f);
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  reassure %s\n", COMMANDS[i].usage);
    fputs("  reassure --help | --version\n\ncommands:\n", f);
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-7s %s\n", COMMANDS[i].name, COMMANDS[i].help);
    fprintf(f, "\n%s", OPTIONS);
}

/* The long name of option ch (a short letter or an OPT_ id). */
static const char *option_name(int ch)
{
    static const struct { int ch; const char *name; } names[] = {
        {OPT_OUTPUT, "output"}, {OPT_N, "replications"}, {OPT_REPLICATIONS, "replications"},
        {OPT_SEED, "seed"}, {OPT_THREADS, "threads"}, {OPT_QUIET, "quiet"},
        {OPT_RESUME, "resume"}, {OPT_FORCE, "force"}, {OPT_SET, "set"}, {OPT_SWEEP, "sweep"},
        {OPT_POINTS, "points"}, {OPT_PRECISION, "precision"}, {OPT_MAX_REPS, "max-replications"},
        {OPT_POINT, "point"}, {OPT_REP, "rep"}, {OPT_CSV, "csv"}, {OPT_TABLE, "table"},
        {OPT_BASELINE, "baseline"}, {OPT_CHECKPOINT, "checkpoint"},
        {OPT_CHECKPOINT_BLOCKS, "checkpoint-blocks"}, {OPT_ROWS, "rows"},
        {OPT_SHARDS, "shards"}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].ch == ch)
            return names[i].name;
    return "?";
}

/* 1 when the command takes the option called name. */
static int takes(const command *c, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = c->takes; (p = strstr(p, name)) != NULL; p += n)
        if ((p == c->takes || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* `reassure CMD --help`: its usage, what it does, and the options it takes
 * (the lines of OPTIONS that name them). */
static void command_usage(const command *c, FILE *f)
{
    fprintf(f, "usage:\n  reassure %s\n\n%s\n\noptions:\n", c->usage, c->help);
    int show = 0;
    for (const char *line = strchr(OPTIONS, '\n') + 1; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) + 1 : strlen(line);
        if (len <= 1)
            break; /* the end of the options */
        const char *dash = strstr(line, "--");
        if (dash != NULL && dash < line + 10) { /* an option's first line */
            char name[32];
            size_t k = 0;
            for (dash += 2; k + 1 < sizeof name && (isalnum((unsigned char)*dash) || *dash == '-');)
                name[k++] = *dash++;
            name[k] = '\0';
            show = takes(c, name);
        }
        if (show)
            fwrite(line, 1, len, f);
        line += len;
    }
}

static const command *find_command(const char *name)
{
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(COMMANDS[i].name, name) == 0)
            return &COMMANDS[i];
    return NULL;
}

static int fail(const err *e)
{
    char msg[2048];
    err_format(e, msg, sizeof msg);
    fprintf(stderr, "reassure: %s\n", msg);
    return e->kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "reassure: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n(reassure --help shows the usage)\n");
    va_end(ap);
    return EXIT_USAGE;
}

/* Options (checked one by one by run_option), then the command's files. */
static int parse_cli(int argc, char **argv, cli *c)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, OPT_OUTPUT},
        {"replications", required_argument, NULL, OPT_REPLICATIONS},
        {"resume", no_argument, NULL, OPT_RESUME}, {"force", no_argument, NULL, OPT_FORCE},
        {"points", required_argument, NULL, OPT_POINTS},
        {"precision", required_argument, NULL, OPT_PRECISION},
        {"max-replications", required_argument, NULL, OPT_MAX_REPS},
        {"table", required_argument, NULL, OPT_TABLE},
        {"baseline", required_argument, NULL, OPT_BASELINE},
        {"seed", required_argument, NULL, OPT_SEED}, {"threads", required_argument, NULL, OPT_THREADS},
        {"quiet", no_argument, NULL, OPT_QUIET},   {"set", required_argument, NULL, OPT_SET},
        {"sweep", required_argument, NULL, OPT_SWEEP}, {"point", required_argument, NULL, OPT_POINT},
        {"rep", required_argument, NULL, OPT_REP}, {"help", no_argument, NULL, 'h'},
        {"csv", no_argument, NULL, OPT_CSV},
        {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
        {"checkpoint-blocks", required_argument, NULL, OPT_CHECKPOINT_BLOCKS},
        {"rows", required_argument, NULL, OPT_ROWS},
        {"shards", no_argument, NULL, OPT_SHARDS},
        {NULL, 0, NULL, 0}};
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, ":o:n:s:j:qh", opts, NULL)) != -1) {
        err e;
        err_clear(&e);
        if (ch == 'h') {
            command_usage(c->cmd, stdout);
            exit(0);
        }
        if (ch == ':')
            return usage_error("option %s needs a value", argv[optind - 1]);
        if (ch == '?')
            return usage_error("unknown option %s", argv[optind - 1]);
        if (!takes(c->cmd, option_name(ch)))
            return usage_error("%s does not take --%s (reassure %s --help lists what it takes)",
                               c->cmd->name, option_name(ch), c->cmd->name);
        if (run_option(&c->req, ch, optarg, &e) < 0) {
            char msg[2048];
            err_format(&e, msg, sizeof msg);
            return usage_error("%s", msg);
        }
    }
    if (optind >= argc)
        return usage_error("%s: which %s file?", c->cmd->name, c->cmd->operand);
    if (c->cmd->many) {
        while (optind < argc) {
            if (c->n_inputs == OPT_MAX_OVERRIDES)
                return usage_error("%s: too many input files", c->cmd->name);
            c->inputs[c->n_inputs++] = argv[optind++];
        }
        return 0;
    }
    c->file = argv[optind++];
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
static void show_progress(void *ctx, uint64_t done, uint64_t total, uint64_t resumed,
                          double seconds)
{
    (void)ctx;
    /* This session's rate: replications resumed from the file took none
     * of its time. */
    double rate = seconds > 0 && done > resumed ? (double)(done - resumed) / seconds : 0;
    double left = run_seconds_left(done, total, resumed, seconds);
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

static void show_warning(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "reassure: warning: %s\n", message);
}

/* `run` once MPI and the signal watcher are up. */
static int run_body(cli *c, const scenario *s, stop_watch *stop)
{
    const run_request *q = &c->req;
    char path[4096];
    err e;
    err_clear(&e);
    int rank = par_rank(), ranks = par_size();
    const char *out = q->output;
    if (out == NULL) {
        if (rank == 0 && default_output(c->file, path, sizeof path) < 0) {
            err_set(&e, ERR_RUNTIME, "results", 0, NULL, "cannot create the folder: %s",
                    strerror(errno));
            return fail(&e);
        }
        if (rank != 0)
            default_output_name(c->file, path, sizeof path);
        out = path;
    }
    for (size_t i = 0; i < s->n_inputs; i++) {
        if (out_same_file(out, s->inputs[i])) {
            err_set(&e, ERR_INPUT, out, 0, NULL,
                    "is an input of this run (%s, read by the scenario); it will not be "
                    "replaced: choose another -o", s->inputs[i]);
            return fail(&e);
        }
    }
    run_options o = {.out_path = out, .threads = q->threads, .progress_seconds = 0.1,
                     .ov = &q->ov, .stop = stop, .warn = show_warning};
    const char *hook = getenv("REASSURE_TEST_STOP_AFTER_BLOCKS"); /* tests only: see run.h */
    o.stop_after_blocks = hook != NULL ? strtoull(hook, NULL, 10) : 0;
    const char *kill_hook = getenv("REASSURE_TEST_KILL_AFTER_BLOCKS"); /* tests only */
    o.kill_after_blocks = kill_hook != NULL ? strtoull(kill_hook, NULL, 10) : 0;
    const char *wait_hook = getenv("REASSURE_TEST_WAIT_AFTER_BLOCKS"); /* tests only */
    o.wait_after_blocks = wait_hook != NULL ? strtoull(wait_hook, NULL, 10) : 0;
    if (run_options_check(q, s, &o, &e) < 0)
        return fail(&e);
    int talk = !q->quiet && rank == 0;
    if (talk && isatty(STDERR_FILENO))
        o.progress = show_progress;
    run_report r;
    if (talk)
        printf("reassure %s: %s, %zu point%s x %lld replications, %d thread%s%s\n",
               reassure_version(), s->model->name, s->n_points, s->n_points == 1 ? "" : "s",
               (long long)s->replications, q->threads, q->threads == 1 ? "" : "s",
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
    if (r.interrupted && r.partial[0]) {
        fprintf(stderr, "reassure: %s: interrupted by %s: %llu of %llu replications kept in "
                "%s (complete = 0); %s, the complete result, is untouched; finish with the "
                "same command and --resume\n", out,
                stop_signal_name(r.interrupted), (unsigned long long)r.done,
                (unsigned long long)r.total, r.partial, out);
        if (ranks > 1) {
            fflush(stdout);
            par_abort(EXIT_RUNTIME);
        }
        return EXIT_RUNTIME;
    }
    if (r.interrupted) {
        fprintf(stderr, "reassure: %s: interrupted by %s: %llu of %llu replications kept "
                "(complete = 0); finish with the same command and --resume\n", out,
                stop_signal_name(r.interrupted), (unsigned long long)r.done,
                (unsigned long long)r.total);
        if (ranks > 1) {
            fflush(stdout);
            par_abort(EXIT_RUNTIME); /* the other ranks are still at work */
        }
        return EXIT_RUNTIME;
    }
    if (q->quiet)
        return 0;
    if (o.precision > 0)
        printf("--precision %g: %llu replications in all (%lld per point at first, at most %llu)\n",
               o.precision, (unsigned long long)r.done, (long long)s->replications,
               (unsigned long long)o.max_replications);
    if (q->resume && r.resumed_from)
        printf("resumed: %llu replications were in the file, %llu run now\n",
               (unsigned long long)r.resumed_rows, (unsigned long long)r.replications);
    else if (q->resume)
        printf("resume: %s did not exist; ran from the start\n", out);
    printf("%llu replications, %llu events in %.2f s (%.3g events/s)\n\n",
           (unsigned long long)r.replications, (unsigned long long)r.events, r.wall_seconds,
           r.wall_seconds > 0 ? (double)r.events / r.wall_seconds : 0.0);
    if (report_print(out, 0, stdout, &e) < 0)
        return fail(&e);
    printf("\nwrote %s\n", out);
    return 0;
}

/* Signals are blocked before MPI or OpenMP start threads, which inherit
 * the mask; the watcher thread takes them. */
static int cmd_run(cli *c, const scenario *s)
{
    int rc;
    stop_watch *stop = stop_start();
    if (par_init(c->argc, c->argv) < 0) {
        fprintf(stderr, "reassure: MPI cannot give MPI_THREAD_SERIALIZED support\n");
        rc = EXIT_RUNTIME;
    } else {
        rc = run_body(c, s, stop);
        if (rc != 0 && par_size() > 1) {
            fflush(stdout);
            par_abort(rc);
        }
        par_finalize();
    }
    stop_end(stop);
    return rc;
}

static int cmd_check(cli *c, const scenario *s)
{
    (void)c;
    err e;
    err_clear(&e);
    if (run_memory_check(s, &e) < 0) /* a design a run could not hold is bad input */
        return fail(&e);
    scn_print(s, stdout);
    return 0;
}

static int cmd_trace(cli *c, const scenario *s)
{
    err e;
    err_clear(&e);
    if (trace_options_check(&c->req, s, &e) < 0)
        return fail(&e);
    printf("trace of %s, point %lld, replication %lld, seed %llu\n", s->path, c->req.point,
           c->req.rep, (unsigned long long)s->seed);
    if (run_trace(s, (size_t)c->req.point, (uint64_t)c->req.rep, stdout, &e) < 0)
        return fail(&e);
    return 0;
}

static int cmd_summary(cli *c, const scenario *s)
{
    (void)s;
    err e;
    err_clear(&e);
    return report_print(c->file, c->req.csv, stdout, &e) < 0 ? fail(&e) : 0;
}

/* A table of a result as tidy CSV on stdout (report.h). */
static int cmd_export(cli *c, const scenario *s)
{
    (void)s;
    err e;
    err_clear(&e);
    if (c->req.table == NULL)
        return usage_error("export: which table? --table replications, summary or points");
    if (report_export(c->file, c->req.table, stdout, &e) < 0)
        return fail(&e);
    return 0;
}

/* Two results of one seed: every share and mean of B less A, point by
 * point, paired by replication (contrast.h). */
static int cmd_compare(cli *c, const scenario *s)
{
    (void)s;
    err e;
    err_clear(&e);
    if (c->n_inputs != 1 && c->n_inputs != 2)
        return usage_error("compare: name two result files A.h5 B.h5, or one of a cases design");
    contrast_row *rows;
    size_t n;
    int one = c->n_inputs == 1;
    if (one ? contrast_cases(c->inputs[0], c->req.baseline, &rows, &n, &e) < 0
            : contrast_files(c->inputs[0], c->inputs[1], &rows, &n, &e) < 0)
        return fail(&e);
    if (c->req.csv) {
        printf("point_a,point_b,name,estimate,ci_low,ci_high,n,unpaired_half_width\n");
        for (size_t i = 0; i < n; i++)
            printf("%u,%u,%s,%.17g,%.17g,%.17g,%llu,%.17g\n", rows[i].point_a, rows[i].point_b,
                   rows[i].name, rows[i].estimate, rows[i].ci_low, rows[i].ci_high,
                   (unsigned long long)rows[i].n, rows[i].unpaired_half);
    } else {
        if (one)
            printf("B - A in %s: each case's point B against the baseline case's point A of the\n"
                   "same grid cell; ", c->inputs[0]);
        else
            printf("B - A, B = %s, A = %s, point by point; ", c->inputs[1], c->inputs[0]);
        printf("95%% intervals from the paired\nreplications (common random numbers), beside "
               "the half-width the two points'\nown intervals would give (Monte Carlo only)\n\n");
        printf("%4s %4s  %-32s %11s  %-25s %12s %9s\n", "A", "B", "output", "B - A",
               "paired 95% CI", "unpaired +-", "pairs");
        for (size_t i = 0; i < n; i++)
            printf("%4u %4u  %-32s %11.4g  [%10.4g, %10.4g] %12.4g %9llu\n", rows[i].point_a,
                   rows[i].point_b, rows[i].name, rows[i].estimate, rows[i].ci_low,
                   rows[i].ci_high, rows[i].unpaired_half, (unsigned long long)rows[i].n);
    }
    free(rows);
    return 0;
}

/* This process's rank when a launcher (mpirun, srun) started several,
 * read from the launcher's environment without starting MPI; 0 alone. */
static long launcher_rank(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK",
                                       "SLURM_PROCID"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && *v != '\0')
            return strtol(v, NULL, 10);
    }
    return 0;
}


static int merge_stopped(void *ctx)
{
    return stop_requested(ctx);
}

static void merge_files(void *ctx, const char *tmp, const char *lock)
{
    stop_cleanup(ctx, tmp, lock);
}

/* SIGINT, SIGTERM, SIGHUP (and SIGUSR1, SIGXFSZ) stop a merge as they stop
 * a run; a merge has no partial result, so its temporary file and lock
 * are removed and nothing is written (a second signal removes them and
 * exits at once). */
static int cmd_merge(cli *c, const scenario *s)
{
    (void)s;
    err e;
    err_clear(&e);
    if (merge_options_check(&c->req, c->n_inputs, &e) < 0)
        return fail(&e);
    /* merge is one process's work: under `mpirun -np N` every rank would
     * write the same file (and all but one fail on its lock). Rank 0
     * merges; the others have nothing to do and succeed. */
    if (launcher_rank() > 0)
        return 0;
    stop_watch *stop = stop_start_saying("the merge is abandoned, nothing is written");
    merge_watch w = {merge_stopped, merge_files, stop};
    merge_report r;
    int rc = merge_results_watched(c->inputs, c->n_inputs, c->req.output, &w, &r, &e);
    stop_end(stop);
    if (r.warning[0] != '\0')
        show_warning(NULL, r.warning);
    if (rc < 0 && r.stopped) {
        fprintf(stderr, "reassure: %s: merge stopped by %s: nothing written; the inputs are "
                "untouched\n", c->req.output, stop_signal_name(r.stopped));
        return EXIT_RUNTIME;
    }
    if (rc < 0)
        return fail(&e);
    if (!c->req.quiet) {
        printf("merged %zu file%s: %llu replications of %llu point%s\n", c->n_inputs,
               c->n_inputs == 1 ? "" : "s", (unsigned long long)r.rows,
               (unsigned long long)r.points, r.points == 1 ? "" : "s");
        if (report_print(c->req.output, 0, stdout, &e) < 0)
            return fail(&e);
        printf("\nwrote %s\n", c->req.output);
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* A reader that goes away early (`reassure run ... | head`) must not
     * kill a run whose result is already committed with SIGPIPE (exit
     * 141): writes to it fail with EPIPE instead, and are let go. */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        unsigned maj, min, rel;
        out_library_version(&maj, &min, &rel);
        int dirty = reassure_tree_modified();
        printf("reassure %s (commit %s%s; HDF5 %u.%u.%u, GSL %s)\n", reassure_version(),
               reassure_commit(), dirty > 0 ? ", tree modified" : "", maj, min, rel, GSL_VERSION);
        return 0;
    }
    cli c = {0};
    c.argc = &argc;
    c.argv = &argv;
    c.cmd = find_command(argv[1]);
    if (c.cmd == NULL)
        return usage_error("unknown command \"%s\"", argv[1]);
    run_request_init(&c.req, omp_get_num_procs());
    int rc = parse_cli(argc - 1, argv + 1, &c);
    if (rc != 0)
        return rc;

    /* Library-wide settings, once, before any thread starts: GSL and HDF5
     * report errors through our own error path, never by printing or
     * aborting. */
    gsl_set_error_handler_off();
    out_library_quiet();

    scenario *s = NULL;
    if (c.cmd->loads) {
        err e;
        err_clear(&e);
        if (c.cmd->handler == cmd_trace && is_hdf5(c.file)) {
            /* trace RESULT.h5: the scenario the file recorded, as it ran. */
            if (c.req.ov.n_sets || c.req.ov.n_sweeps || c.req.ov.replications >= 0 ||
                c.req.ov.seed >= 0)
                return usage_error("trace %s: a result file replays the run it recorded; "
                                   "--set, --sweep, -n and -s go with a scenario file", c.file);
            if ((s = merge_reload(c.file, &e)) == NULL)
                return fail(&e);
        } else if ((s = scn_load(c.file, &c.req.ov, &e)) == NULL) {
            return fail(&e);
        }
    }
    rc = c.cmd->handler(&c, s);
    scn_free(s);
    return rc;
}
