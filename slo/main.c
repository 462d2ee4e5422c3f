/*
 * slo: command-line tool. Measures the objectives in a file and judges each
 * against its target and critical limit. See slo/README.md.
 */
#include "slo.h"
#include "slo_chart.h"
#include "slo_config.h"
#include "slo_cli_history.h"
#include "slo_history.h"
#include "slo_judge.h"
#include "slo_measure.h"
#include "slo_memory.h"
#include "slo_memory_report.h"
#include "slo_report.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_clock.h"
#include "cr_fs.h"
#include "cr_signal.h"
#include "engine.h"

static const char usage[] =
    "usage: slo check [FILE] [options]   measure objectives (default "
    "slo.toml)\n"
    "       slo history [--history FILE] [--last N]\n"
    "                                     the trend of each objective\n"
    "       slo memory [--config FILE] [--objective NAME] [--out DIR]\n"
    "                  [--format text|json] [-- CMD...]\n"
    "                                     heap objectives under heaptrack\n"
    "       slo --help | --version\n"
    "\n"
    "options:\n"
    "  --only NAME        measure only this objective (repeatable)\n"
    "  --runs N           override every objective's run count\n"
    "  --format FMT       text (default), json or markdown on stdout\n"
    "  --json FILE        also write the JSON report to FILE (atomically)\n"
    "  --markdown FILE    also write a Markdown table to FILE\n"
    "  --history FILE     append this check's JSON as one line to FILE and\n"
    "                     compare with its last line\n"
    "  --baseline FILE    compare with this saved report (--json) instead\n"
    "  --svg FILE         also write an SVG chart (bars, limits, trends)\n"
    "  --trend N          checks of the history in the chart (default 20)\n"
    "  --strict           fail (exit 1) on WARN and INCONCLUSIVE too\n"
    "\n"
    "verdicts: PASS, INCONCLUSIVE (meets the target, CI does not),\n"
    "          WARN (over target), FAIL (over critical), ERROR (did not run)\n"
    "exit status: 0 no FAIL/ERROR (with --strict: all PASS), 1 otherwise,\n"
    "             2 bad usage or file,\n"
    "             3 heaptrack not installed (slo memory), 130 interrupted\n";

struct opts {
    const char *file, *format, *json, *markdown, *history, *baseline, *svg;
    const char **only;
    size_t n_only;
    int runs, trend;
    bool strict;
};

static int selected(const struct opts *op, const char *name)
{
    if (op->n_only == 0)
        return 1;
    for (size_t i = 0; i < op->n_only; i++)
        if (strcmp(op->only[i], name) == 0)
            return 1;
    return 0;
}

/* Progress on a terminal only: CI logs and pipes stay clean. */
static void progress(void *arg, const struct slo_objective *o, int run,
                     int runs)
{
    (void)arg;
    if (run < 0)
        fprintf(stderr, "\r\033[K%s: warm-up", o->name);
    else
        fprintf(stderr, "\r\033[K%s: run %d/%d", o->name, run + 1, runs);
}

/* A run count from the command line, or -1 when it is not 1..100000. */
static int parse_count(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);

    return (*s && !*end && v >= 1 && v <= 100000) ? (int)v : -1;
}

static int parse_args(int argc, char **argv, struct opts *op)
{
    op->file = "slo.toml";
    op->format = "text";
    op->trend = 20;
    op->only = cr_calloc((size_t)argc, sizeof(*op->only));
    if (!op->only)
        return -1;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (strcmp(a, "--only") == 0 && has)
            op->only[op->n_only++] = argv[++i];
        else if (strcmp(a, "--runs") == 0 && has)
            op->runs = parse_count(argv[++i]);
        else if (strcmp(a, "--format") == 0 && has)
            op->format = argv[++i];
        else if (strcmp(a, "--json") == 0 && has)
            op->json = argv[++i];
        else if (strcmp(a, "--markdown") == 0 && has)
            op->markdown = argv[++i];
        else if (strcmp(a, "--history") == 0 && has)
            op->history = argv[++i];
        else if (strcmp(a, "--baseline") == 0 && has)
            op->baseline = argv[++i];
        else if (strcmp(a, "--svg") == 0 && has)
            op->svg = argv[++i];
        else if (strcmp(a, "--trend") == 0 && has)
            op->trend = parse_count(argv[++i]);
        else if (strcmp(a, "--strict") == 0)
            op->strict = true;
        else if (a[0] != '-')
            op->file = a;
        else {
            fprintf(stderr, "slo: unknown or incomplete option '%s'\n", a);
            return -1;
        }
    }
    if (strcmp(op->format, "text") && strcmp(op->format, "json") &&
        strcmp(op->format, "markdown")) {
        fprintf(stderr, "slo: --format must be text, json or markdown\n");
        return -1;
    }
    if (op->runs < 0 || op->runs > 100000) {
        fprintf(stderr, "slo: --runs must be between 1 and 100000\n");
        return -1;
    }
    if (op->trend < 0) {
        fprintf(stderr, "slo: --trend must be between 1 and 100000\n");
        return -1;
    }
    return 0;
}

/* The earlier checks: the history (for trends and, without a baseline,
 * the comparison) and the baseline report. */
struct past {
    struct slo_history hist, base;
};

static int load_past(const struct opts *op, struct past *p)
{
    struct cr_error err = { 0 };

    if ((op->history && slo_history_load(op->history, &p->hist, &err)) ||
        (op->baseline &&
         slo_history_load_report(op->baseline, &p->base, &err))) {
        fprintf(stderr, "slo: %s\n", err.msg);
        return slo_exit_status(err.code);
    }
    return 0;
}

static const struct slo_check *compared(const struct opts *op,
                                        const struct past *p)
{
    return slo_history_last(op->baseline ? &p->base : &p->hist);
}

static int write_reports(const struct opts *op, const struct cr_buf *json,
                         const struct cr_buf *md, const struct cr_buf *svg)
{
    struct cr_error err = { 0 };

    if ((op->json && slo_report_write(op->json, json, &err)) ||
        (op->markdown && slo_report_write(op->markdown, md, &err)) ||
        (op->svg && slo_report_write(op->svg, svg, &err)) ||
        (op->history && slo_report_append_history(op->history, json, &err))) {
        fprintf(stderr, "slo: %s\n", err.msg);
        return -1;
    }
    return 0;
}

static int emit(const struct opts *op, const struct past *p,
                const struct slo_result *res, size_t n)
{
    struct cr_buf text = { 0 }, json = { 0 }, md = { 0 }, svg = { 0 };
    const struct slo_check *prev = compared(op, p);
    int colour = isatty(1) && !getenv("NO_COLOR") && !getenv("CI");
    int rc = 0;

    if (slo_report_text(&text, res, n, prev, colour) ||
        slo_report_json(&json, res, n, prev, cr_clock_wall_ms()) ||
        slo_report_markdown(&md, res, n, prev) ||
        (op->svg && slo_chart_svg(&svg, res, n, &p->hist, (size_t)op->trend))) {
        fprintf(stderr, "slo: out of memory\n");
        rc = -1;
        goto out;
    }
    if (strcmp(op->format, "json") == 0)
        fputs(cr_buf_str(&json), stdout);
    else if (strcmp(op->format, "markdown") == 0)
        fputs(cr_buf_str(&md), stdout);
    else
        fputs(cr_buf_str(&text), stdout);
    rc = write_reports(op, &json, &md, &svg);
out:
    cr_buf_release(&text);
    cr_buf_release(&json);
    cr_buf_release(&md);
    cr_buf_release(&svg);
    return rc;
}

/* The exit status a verdict asks for: FAIL and ERROR fail the check, and
 * with --strict so do WARN and INCONCLUSIVE. */
static int verdict_status(const struct opts *op, enum slo_verdict v)
{
    return v >= SLO_FAIL || (op->strict && v != SLO_PASS);
}

/* One line on stderr per objective that fails the check, saying why. */
static void verdict_line(const struct opts *op, const struct slo_result *r)
{
    const struct slo_objective *o = r->obj;
    char v[32], lim[32];
    bool crit = r->verdict == SLO_FAIL;

    if (r->verdict == SLO_ERROR) {
        fprintf(stderr, "slo: %s: objective %s: ERROR: %s\n", op->file, o->name,
                r->note);
        return;
    }
    slo_format_value(v, sizeof(v), r->value, o->metric);
    slo_format_value(lim, sizeof(lim), crit ? o->critical : o->target,
                     o->metric);
    fprintf(stderr,
            "slo: %s: objective %s: %s: %s %s %s is %s its %s limit %s\n",
            op->file, o->name, slo_verdict_name(r->verdict),
            slo_stat_name(o->stat), slo_metric_name(o->metric), v,
            r->verdict == SLO_INCONCLUSIVE ? "within, but its interval is not,"
                                           : "over",
            crit ? "critical" : "target", lim);
}

/* The engine library loads libcurl: only when a probe needs it. */
static bool needs_engine(const struct slo_config *cfg)
{
    for (size_t i = 0; i < cfg->n; i++)
        if (cfg->obj[i].probe == SLO_PROBE_CONTAINER)
            return true;
    return false;
}

static int cmd_check(int argc, char **argv)
{
    struct slo_config *cfg = NULL;
    struct slo_result *res = NULL;
    struct cr_error err = { 0 };
    struct opts op = { 0 };
    struct past past = { 0 };
    size_t n = 0;
    int status = 0, tty = isatty(2) && !getenv("CI");

    if (parse_args(argc, argv, &op)) {
        cr_free(op.only);
        return 2;
    }
    if (slo_config_load(op.file, &cfg, &err)) {
        fprintf(stderr, "slo: %s\n", err.msg);
        cr_free(op.only);
        return slo_exit_status(err.code);
    }
    if ((status = load_past(&op, &past)) != 0)
        goto out;
    if (needs_engine(cfg) && engine_global_init(&err) != ENGINE_OK)
        fprintf(stderr, "slo: %s (the container probe will be an ERROR)\n",
                err.msg);
    res = cr_calloc(cfg->n, sizeof(*res));
    if (!res) {
        fprintf(stderr, "slo: out of memory\n");
        status = 1;
        goto out;
    }
    for (size_t i = 0; i < cfg->n && !*cr_signal_flag(); i++) {
        struct slo_objective *o = &cfg->obj[i];
        if (!selected(&op, o->name))
            continue;
        if (op.runs)
            o->runs = op.runs;
        if (slo_measure(cfg, o, tty ? progress : NULL, NULL, cr_signal_flag(),
                        &res[n], &err)) {
            fprintf(stderr, "slo: %s\n", err.msg);
            status = slo_exit_status(err.code);
            goto out;
        }
        if (tty)
            fprintf(stderr, "\r\033[K");
        if (verdict_status(&op, res[n].verdict))
            status = 1;
        n++;
    }
    if (op.n_only && n == 0) {
        fprintf(stderr, "slo: no objective named '%s' in %s\n", op.only[0],
                op.file);
        status = 2;
        goto out;
    }
    if (emit(&op, &past, res, n))
        status = 1;
    for (size_t i = 0; i < n; i++)
        if (verdict_status(&op, res[i].verdict))
            verdict_line(&op, &res[i]);
    if (*cr_signal_flag())
        status = 130;
out:
    for (size_t i = 0; i < n; i++)
        slo_result_release(&res[i]);
    cr_free(res);
    cr_free(op.only);
    slo_config_free(cfg);
    slo_history_release(&past.hist);
    slo_history_release(&past.base);
    engine_global_cleanup();
    return status;
}

struct mem_opts {
    const char *config, *only, *out, *format;
    char **argv;
};

static int parse_memory_args(int argc, char **argv, struct mem_opts *op)
{
    op->out = ".cleanroom/memory";
    op->format = "text";
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (strcmp(a, "--") == 0) {
            op->argv = i + 1 < argc ? &argv[i + 1] : NULL;
            break;
        } else if (strcmp(a, "--config") == 0 && has)
            op->config = argv[++i];
        else if (strcmp(a, "--objective") == 0 && has)
            op->only = argv[++i];
        else if (strcmp(a, "--out") == 0 && has)
            op->out = argv[++i];
        else if (strcmp(a, "--format") == 0 && has)
            op->format = argv[++i];
        else {
            fprintf(stderr, "slo: unknown or incomplete option '%s'\n", a);
            return -1;
        }
    }
    if (strcmp(op->format, "text") && strcmp(op->format, "json")) {
        fprintf(stderr, "slo: --format must be text or json\n");
        return -1;
    }
    return 0;
}

/* Both reports into the output directory, atomically; one on stdout. */
static int memory_reports(const struct mem_opts *op, const struct slo_memory *m)
{
    struct cr_buf text = { 0 }, json = { 0 }, path = { 0 };
    struct cr_error err = { 0 };
    int rc = 0;

    if (slo_memory_report_text(&text, m) ||
        slo_memory_report_json(&json, m, cr_clock_wall_ms())) {
        fprintf(stderr, "slo: out of memory\n");
        rc = -1;
        goto out;
    }
    fputs(cr_buf_str(strcmp(op->format, "json") == 0 ? &json : &text), stdout);
    if (cr_buf_printf(&path, "%s/report.txt", m->out_dir) ||
        slo_report_write(cr_buf_str(&path), &text, &err)) {
        fprintf(stderr, "slo: %s\n", err.msg[0] ? err.msg : "out of memory");
        rc = -1;
        goto out;
    }
    cr_buf_reset(&path);
    if (cr_buf_printf(&path, "%s/report.json", m->out_dir) ||
        slo_report_write(cr_buf_str(&path), &json, &err)) {
        fprintf(stderr, "slo: %s\n", err.msg[0] ? err.msg : "out of memory");
        rc = -1;
    }
out:
    cr_buf_release(&text);
    cr_buf_release(&json);
    cr_buf_release(&path);
    return rc;
}

/*
 * slo memory: with "-- CMD" and neither --config nor --objective, a plain
 * heap profile of CMD (no verdicts); otherwise the heap objectives of the
 * file, judged from one heaptrack run.
 */
static int cmd_memory(int argc, char **argv)
{
    struct mem_opts op = { 0 };
    struct slo_config *cfg = NULL;
    struct slo_memory m = { 0 };
    struct slo_memory_opts mo = { 0 };
    struct cr_error err = { 0 };
    int status = 0;

    if (parse_memory_args(argc, argv, &op))
        return 2;
    if ((op.config || op.only || !op.argv) &&
        slo_config_load(op.config ? op.config : "slo.toml", &cfg, &err)) {
        fprintf(stderr, "slo: %s\n", err.msg);
        return slo_exit_status(err.code);
    }
    mo.out_dir = op.out;
    mo.argv = op.argv;
    mo.only = op.only;
    mo.stop = cr_signal_flag();
    if (slo_memory_run(cfg, &mo, &m, &err)) {
        fprintf(stderr, "slo: %s\n", err.msg);
        status = *cr_signal_flag() ? 130 : slo_exit_status(err.code);
        goto out;
    }
    slo_memory_draw(&m);
    if (memory_reports(&op, &m))
        status = 1;
    for (size_t i = 0; i < m.n; i++)
        if (m.res[i].verdict >= SLO_FAIL)
            status = 1;
out:
    slo_memory_release(&m);
    slo_config_free(cfg);
    return status;
}

int main(int argc, char **argv)
{
    static const int sigs[] = { SIGINT, SIGTERM };
    const struct cr_signal_opts so = { sigs, 2, -1, NULL, 0 };

    cr_alloc_set(NULL); /* cJSON through the allocation hook */
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("slo (%s)\n", slo_version());
        return 0;
    }
    if (strcmp(argv[1], "history") == 0)
        return slo_cli_history(argc, argv);
    if (strcmp(argv[1], "check") != 0 && strcmp(argv[1], "memory") != 0) {
        fprintf(stderr, "slo: unknown command '%s' (try slo --help)\n",
                argv[1]);
        return 2;
    }
    /* Ctrl-C stops the command's whole group, then slo reports it. */
    cr_signal_install(&so);
    if (strcmp(argv[1], "memory") == 0)
        return cmd_memory(argc, argv);
    return cmd_check(argc, argv);
}
