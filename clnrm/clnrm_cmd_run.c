/* clnrm_cmd_run: `clnrm run`. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_build.h"
#include "clnrm_discover.h"
#include "clnrm_load.h"
#include "clnrm_mask.h"
#include "clnrm_progress.h"
#include "clnrm_reap.h"
#include "clnrm_report.h"
#include "clnrm_runner.h"
#include "clnrm_suite.h"
#include "cr_alloc.h"
#include "cr_clock.h"
#include "engine.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct run_args {
    struct clnrm_suite_opts suite;
    unsigned jobs;
    bool fail_fast;
    bool stats;
    enum clnrm_report_format format;
    const char *junit_path;
    const char *json_path;
    bool keep_on_failure;
    const char *vars[CLNRM_MAX_VARS];
};

const char clnrm_cmd_run_usage[] =
    "usage: clnrm run [options] [PATH...]\n\n"
    "Runs every *.clnrm.toml under the PATHs (default: the current\n"
    "directory; .git, node_modules, target and build* are skipped), each\n"
    "test in fresh containers on its own network.\n\n"
    "  -j, --jobs N            tests in parallel, 1 to 256 (default: 4 per\n"
    "                          core, 4 to 16; see README, Speed)\n"
    "      --shard I/N         run only the I-th of N deterministic shares\n"
    "  -k, --filter REGEX      only tests whose name matches REGEX\n"
    "  -x, --fail-fast         start no more tests after one fails\n"
    "  -f, --format FMT        report on stdout: human (default), json,\n"
    "                          junit or tap\n"
    "      --report-junit FILE also write a JUnit XML report to FILE\n"
    "      --report-json FILE  also write the JSON result to FILE (for\n"
    "                          `clnrm report` and `clnrm diff`)\n"
    "      --keep-on-failure   keep a failed test's containers and network\n"
    "                          to look inside; `clnrm clean` removes them\n"
    "      --strict            unknown keys in test files are errors\n"
    "      --stats             print the engine calls made, by kind, on\n"
    "                          stderr (--format json has them per test)\n"
    "      --var KEY=VALUE     a template variable (wins over [vars])\n"
    "      --watch             rerun what changes: `clnrm dev` with the\n"
    "                          same options (see clnrm dev --help)\n\n"
    "Ctrl-C (or SIGTERM, SIGHUP) stops the work within about 0.1 s,\n"
    "force-removes this run's containers and networks and exits 130. A\n"
    "third interrupt quits at once; the next run sweeps what is left.\n";

static int parse_jobs(const char *s, unsigned *out)
{
    char *end;
    long v = strtol(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < 1 || v > 256)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Tests mostly wait on the engine (create, start, runc), not on this
 * process, so one worker per core leaves the engine idle between a test's
 * calls. Measured on two cores with 50 one-step tests, alternating (README,
 * Speed): 8 workers beat 4 in every round and 16 did no better than 8,
 * while each worker holds two engine connections and a container. */
static unsigned default_jobs(long cores)
{
    long j = cores > 0 ? 4 * cores : 4;

    return j < 4 ? 4 : j > 16 ? 16 : (unsigned)j;
}

static int parse_run_args(struct clnrm_ctx *ctx, int argc, char **argv,
                          struct run_args *a)
{
    static const struct option longopts[] = {
        { "jobs", required_argument, NULL, 'j' },
        { "shard", required_argument, NULL, 's' },
        { "filter", required_argument, NULL, 'k' },
        { "fail-fast", no_argument, NULL, 'x' },
        { "format", required_argument, NULL, 'f' },
        { "report-junit", required_argument, NULL, 'J' },
        { "report-json", required_argument, NULL, 'O' },
        { "keep-on-failure", no_argument, NULL, 'K' },
        { "strict", no_argument, NULL, 'S' },
        { "stats", no_argument, NULL, 'T' },
        { "var", required_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int c;

    a->jobs = default_jobs(cores);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "j:f:k:xh", longopts, NULL)) != -1) {
        if (c == 'j' && parse_jobs(optarg, &a->jobs) == 0)
            continue;
        if (c == 's' && clnrm_shard_parse(optarg, &a->suite.shard_index,
                                          &a->suite.shard_count) == 0)
            continue;
        if (c == 'f' && clnrm_report_parse_format(optarg, &a->format) == 0)
            continue;
        switch (c) {
        case 'k':
            a->suite.filter = optarg;
            continue;
        case 'x':
            a->fail_fast = true;
            continue;
        case 'J':
            a->junit_path = optarg;
            continue;
        case 'O':
            a->json_path = optarg;
            continue;
        case 'K':
            a->keep_on_failure = true;
            continue;
        case 'S':
            a->suite.strict = true;
            continue;
        case 'T':
            a->stats = true;
            continue;
        case 'V':
            if ((c = clnrm_cmd_var(ctx, "run", a->vars, &a->suite.n_vars,
                                   optarg)) >= 0)
                return c;
            continue;
        case 'h':
            fputs(clnrm_cmd_run_usage, ctx->out);
            return CLNRM_EXIT_OK;
        case 'j':
            fprintf(ctx->err, "clnrm run: -j needs a number from 1 to 256\n");
            return CLNRM_EXIT_USAGE;
        case 's':
            fprintf(ctx->err, "clnrm run: --shard needs I/N with 1 <= I <= "
                              "N, such as 2/4\n");
            return CLNRM_EXIT_USAGE;
        case 'f':
            fprintf(ctx->err, "clnrm run: --format must be human, json, "
                              "junit or tap\n");
            return CLNRM_EXIT_USAGE;
        default:
            fprintf(ctx->err,
                    "clnrm run: unknown option \"%s\" (see clnrm "
                    "--help)\n",
                    argv[optind - 1]);
            return CLNRM_EXIT_USAGE;
        }
    }
    a->suite.vars = a->vars;
    a->suite.paths = (const char *const *)argv + optind;
    a->suite.npaths = (size_t)(argc - optind);
    return -1;
}

/* True when the image of service k of test i appeared earlier. */
static bool seen_before(const struct clnrm_suite *s, size_t i, size_t k)
{
    const char *image = s->tests[i]->services[k].image;

    for (size_t a = 0; a <= i; a++)
        for (size_t b = 0; b < s->tests[a]->n_services; b++) {
            if (a == i && b == k)
                return false;
            if (strcmp(s->tests[a]->services[b].image, image) == 0)
                return true;
        }
    return false;
}

/* The line of a service's table; an implicit service has none of its own
 * and points at the file's first line. */
static unsigned svc_line(const struct clnrm_service *svc)
{
    return svc->line ? svc->line : 1;
}

/* Checks every image the tests use exists locally: a run never pulls. */
static int check_images(struct clnrm_ctx *ctx, struct engine *eng,
                        const struct clnrm_suite *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->tests[i]->n_services; k++) {
            const char *image = s->tests[i]->services[k].image;
            struct cr_error e = { 0 };
            bool exists = false;
            enum engine_code rc;

            if (seen_before(s, i, k))
                continue;
            rc = engine_image_exists(eng, image, &exists, &e);
            if (rc != ENGINE_OK) {
                fprintf(ctx->err, "clnrm: %s\n", e.msg);
                return clnrm_exit_status(clnrm_from_engine(rc, &e));
            }
            if (exists)
                continue;
            /* Where the service is declared, as every input error. */
            fprintf(ctx->err,
                    "clnrm: %s:%u:1: image \"%s\" (test \"%s\") not found "
                    "locally\n",
                    s->tests[i]->path, svc_line(&s->tests[i]->services[k]),
                    image, s->tests[i]->name);
            if (strcmp(image, CLNRM_DEFAULT_IMAGE) == 0)
                fprintf(ctx->err, "hint: run `clnrm image bootstrap` to build "
                                  "it from the host's busybox\n");
            else
                fprintf(ctx->err, "hint: build or load it first (clnrm run "
                                  "never pulls from a registry)\n");
            return CLNRM_EXIT_ENV;
        }
    }
    return CLNRM_EXIT_OK;
}

/* Build output on a live terminal; quiet otherwise (a failed build still
 * shows its last lines in its error). */
static void build_line(void *ctx, const char *line)
{
    struct clnrm_ctx *c = ctx;

    if (c->live)
        fprintf(c->err, "  build: %s\n", line);
}

/* Builds the images of services with `build` (an unchanged context is
 * found, not rebuilt). Returns an exit status. */
static int build_images(struct clnrm_ctx *ctx, struct engine *eng,
                        const struct clnrm_suite *s)
{
    struct clnrm_build_stats st = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc =
        clnrm_build_images(eng, s->tests, s->n, build_line, ctx, &st, &e);

    if (rc != CLNRM_OK) {
        fprintf(ctx->err, "clnrm: %s\n", e.msg);
        return rc == CLNRM_E_ENGINE || rc == CLNRM_E_PERMISSION ||
                       rc == CLNRM_E_NOIMAGE
                   ? clnrm_exit_status(rc)
                   : CLNRM_EXIT_FAILED;
    }
    if (st.built + st.reused > 0)
        fprintf(ctx->err, "note: %zu image(s) built, %zu unchanged\n", st.built,
                st.reused);
    return CLNRM_EXIT_OK;
}

/* Checks the volume sources, sweeps what dead runs left and checks the
 * images, on a short-lived engine connection. Returns an exit status; an
 * interruption is 130 rather than the engine error it caused. */
static int prepare(struct clnrm_ctx *ctx, const struct clnrm_runctx *rc,
                   const struct clnrm_suite *s, struct clnrm_run_sweep *sw)
{
    struct engine *eng = NULL;
    struct cr_error e = { 0 };
    enum engine_code ec;
    int status;

    /* Needs no engine: a missing volume source is reported first, before
     * any build or image check. */
    if (clnrm_suite_check_volumes(s, &e) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm: %s\n", e.msg);
        return clnrm_exit_status(e.code);
    }
    if ((ec = engine_open(&eng, rc->engine_host, rc->cancel, &e)) !=
        ENGINE_OK) {
        if (!*rc->cancel)
            fprintf(ctx->err, "clnrm: %s\n", e.msg);
        return *rc->cancel ? CLNRM_EXIT_INTERRUPTED
                           : clnrm_exit_status(clnrm_from_engine(ec, &e));
    }
    clnrm_cmd_sweep_start(ctx, eng, sw);
    status = build_images(ctx, eng, s);
    if (status == CLNRM_EXIT_OK)
        status = check_images(ctx, eng, s);
    engine_close(eng);
    return *rc->cancel ? CLNRM_EXIT_INTERRUPTED : status;
}

/* Progress goes with the human report on stdout, else to stderr; it is
 * live and coloured only when that very stream is a terminal (and neither
 * CI nor NO_COLOR asks for plain lines), so a redirected stream never
 * receives escape sequences. */
static struct clnrm_progress *progress_start(const struct clnrm_ctx *ctx,
                                             const struct run_args *a, size_t n)
{
    FILE *f = a->format == CLNRM_REPORT_HUMAN ? ctx->out : ctx->err;
    bool fancy = (ctx->live || ctx->color) && isatty(fileno(f));

    return clnrm_progress_start(f, fancy, fancy, n);
}

/* Runs the suite with live progress and reports it; rc's run is over (and
 * swept) when this returns. */
static int execute(struct clnrm_ctx *ctx, const struct run_args *a,
                   const struct clnrm_mask *m, const struct clnrm_runctx *rc,
                   const struct clnrm_suite *s,
                   const struct clnrm_run_sweep *sw)
{
    struct clnrm_test_result *res = cr_calloc(s->n + 1, sizeof(*res));
    struct clnrm_run_opts ro = { .jobs = a->jobs, .fail_fast = a->fail_fast };
    struct clnrm_totals tot = { 0 };
    struct cr_error e = { 0 };
    struct clnrm_progress *prog;
    uint64_t start = cr_clock_ms();
    int status;

    if (res == NULL) {
        fprintf(ctx->err, "clnrm: out of memory\n");
        return CLNRM_EXIT_ENV;
    }
    prog = progress_start(ctx, a, s->n);
    clnrm_progress_set_mask(prog, m);
    if (prog != NULL)
        ro.hooks = (struct clnrm_run_hooks){ clnrm_progress_on_start,
                                             clnrm_progress_on_done, prog };
    if (clnrm_run_all(rc, s->tests, s->n, &ro, res, &e) != CLNRM_OK)
        fprintf(ctx->err, "clnrm: %s\n", e.msg);
    clnrm_progress_finish(prog);
    /* Also catches objects whose create was cut short before the runner
     * learnt their id, and late creations of dead runs. */
    clnrm_cmd_sweep_end(ctx, rc, sw);
    tot.duration_ms = cr_clock_ms() - start;
    clnrm_totals_count(res, s->n, &tot);
    status = clnrm_cmd_run_report(ctx, a->format, a->junit_path, a->json_path,
                                  m, res, s->n, &tot);
    clnrm_cmd_run_print_kept(ctx, res, s->n);
    if (a->stats)
        clnrm_cmd_run_print_stats(ctx, res, s->n);
    if (status == CLNRM_EXIT_OK)
        status = clnrm_totals_exit_status(res, s->n);
    for (size_t i = 0; i < s->n; i++)
        clnrm_test_result_release(&res[i]);
    cr_free(res);
    return status;
}

/* Opens the engine, sweeps, checks images, runs, reports. */
static int run_suite(struct clnrm_ctx *ctx, const struct run_args *a,
                     const struct clnrm_suite *s)
{
    struct clnrm_mask m = { .globs = ctx->masks, .n_globs = ctx->n_masks };
    struct clnrm_runctx rc;
    struct clnrm_run_sweep sw = { 0 };
    struct cr_error e = { 0 };
    int status;

    if (clnrm_mask_add_environ(&m) != 0 ||
        clnrm_mask_add_tests(&m, s->tests, s->n) != 0) {
        clnrm_mask_release(&m);
        fprintf(ctx->err, "clnrm: out of memory\n");
        return CLNRM_EXIT_ENV;
    }

    if (clnrm_runctx_init(&rc, &e) != CLNRM_OK) {
        clnrm_mask_release(&m);
        fprintf(ctx->err, "clnrm: %s\n", e.msg);
        return CLNRM_EXIT_ENV;
    }
    rc.cancel = clnrm_cmd_signals_install();
    rc.keep_on_failure = a->keep_on_failure;
    status = prepare(ctx, &rc, s, &sw);
    if (status == CLNRM_EXIT_OK)
        status = execute(ctx, a, &m, &rc, s, &sw);
    clnrm_mask_release(&m);
    if (*rc.cancel) {
        fprintf(ctx->err, "clnrm: interrupted; containers and networks of "
                          "this run were removed\n");
        status = CLNRM_EXIT_INTERRUPTED;
    }
    return status;
}

int clnrm_cmd_run(struct clnrm_ctx *ctx, int argc, char **argv)
{
    struct run_args a = { 0 };
    struct clnrm_suite s = { 0 };
    struct clnrm_diags d = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    int status;

    /* `run --watch` is the `clnrm dev` loop, with dev's options. */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--watch") == 0)
            return clnrm_cmd_dev(ctx, argc, argv);
    status = parse_run_args(ctx, argc, argv, &a);
    a.suite.allow = ctx->allow;

    if (status >= 0)
        return status;
    rc = clnrm_suite_load(&a.suite, &s, &d, &e);
    clnrm_cmd_print_diags(ctx, &d, false);
    clnrm_diags_release(&d);
    if (rc != CLNRM_OK) {
        fprintf(ctx->err, "clnrm: %s\n", e.msg);
        clnrm_suite_release(&s);
        return clnrm_exit_status(rc) == 1 ? CLNRM_EXIT_USAGE
                                          : clnrm_exit_status(rc);
    }
    if (s.discovered == 0) {
        fprintf(ctx->err, "clnrm: no *.clnrm.toml files found\n");
        clnrm_suite_release(&s);
        return CLNRM_EXIT_USAGE;
    }
    if (s.n == 0)
        fprintf(ctx->err, "clnrm: no test selected (filter or shard)\n");
    status = s.n == 0 ? CLNRM_EXIT_OK : run_suite(ctx, &a, &s);
    clnrm_suite_release(&s);
    return status;
}
