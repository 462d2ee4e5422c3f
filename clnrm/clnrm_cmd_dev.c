/* clnrm_cmd_dev: `clnrm dev` and `clnrm run --watch`. See clnrm_cmd.h and
 * clnrm_dev.h. */
#include "clnrm_cmd.h"

#include "clnrm_dev.h"
#include "clnrm_reap.h"
#include "engine.h"

#include "cr_text.h"
#include "watch.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char clnrm_cmd_dev_usage[] =
    "usage: clnrm dev [options] [PATH...]\n"
    "       clnrm run --watch [options] [PATH...]\n\n"
    "Runs the tests once, then watches their files and the files they\n"
    "mount and reruns only the tests that changed, in services kept warm.\n\n"
    "  -k, --only REGEX        only tests whose name matches REGEX\n"
    "      --timebox MS        cut a rerun longer than MS milliseconds\n"
    "      --debounce-ms MS    fold the events of MS ms into one rerun\n"
    "                          (default 20)\n"
    "      --fresh             recreate every container on every rerun\n"
    "      --once              exit after the first rerun that follows a\n"
    "                          change (0 passed, 1 failed)\n"
    "      --clear             clear the terminal before each rerun\n"
    "  -f, --format FMT        human (default) or json (one event a line)\n"
    "      --strict            unknown keys in test files are errors\n\n"
    "Ctrl-C stops watching and removes the session's containers and\n"
    "networks (exit 130).\n";

struct dev_args {
    struct clnrm_dev_opts o;
    bool json, clear;
};

struct printer {
    struct clnrm_ctx *ctx;
    const struct dev_args *a;
    bool tty; /* ctx->out is a terminal (events are printed via memory) */
};

static int parse_ms(const char *s, int64_t max, int64_t *out)
{
    char *end;
    long long v = strtoll(s, &end, 10);

    if (*s == '\0' || *end != '\0' || v < 0 || v > max)
        return -1;
    *out = v;
    return 0;
}

static int usage_error(struct clnrm_ctx *ctx, const char *what)
{
    fprintf(ctx->err, "clnrm dev: %s (see clnrm dev --help)\n", what);
    return CLNRM_EXIT_USAGE;
}

static int parse_numeric(struct clnrm_ctx *ctx, int c, struct dev_args *a)
{
    int64_t v;

    if (c == 'T') {
        if (parse_ms(optarg, 86400000, &v) != 0 || v == 0)
            return usage_error(ctx, "--timebox needs milliseconds > 0");
        a->o.timebox_ms = v;
        return -1;
    }
    if (parse_ms(optarg, 10000, &v) != 0)
        return usage_error(ctx, "--debounce-ms needs 0 to 10000");
    a->o.debounce_ms = (unsigned)v;
    return -1;
}

static int parse_args(struct clnrm_ctx *ctx, int argc, char **argv,
                      struct dev_args *a)
{
    static const struct option longopts[] = {
        { "only", required_argument, NULL, 'k' },
        { "filter", required_argument, NULL, 'k' },
        { "timebox", required_argument, NULL, 'T' },
        { "debounce-ms", required_argument, NULL, 'D' },
        { "fresh", no_argument, NULL, 'F' },
        { "once", no_argument, NULL, 'O' },
        { "clear", no_argument, NULL, 'C' },
        { "format", required_argument, NULL, 'f' },
        { "strict", no_argument, NULL, 'S' },
        { "watch", no_argument, NULL, 'W' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c, st;

    a->o.debounce_ms = WATCH_DEBOUNCE_MS;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "k:f:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'k':
            a->o.only = optarg;
            break;
        case 'T':
        case 'D':
            if ((st = parse_numeric(ctx, c, a)) >= 0)
                return st;
            break;
        case 'F':
            a->o.fresh = true;
            break;
        case 'O':
            a->o.once = true;
            break;
        case 'C':
            a->clear = true;
            break;
        case 'S':
            a->o.strict = true;
            break;
        case 'W':
            break; /* `clnrm run --watch` */
        case 'f':
            if (strcmp(optarg, "json") != 0 && strcmp(optarg, "human") != 0)
                return usage_error(ctx, "--format must be human or json");
            a->json = strcmp(optarg, "json") == 0;
            break;
        case 'h':
            fputs(clnrm_cmd_dev_usage, ctx->out);
            return CLNRM_EXIT_OK;
        default:
            return usage_error(ctx, "unknown option or missing value");
        }
    }
    a->o.paths = (const char *const *)argv + optind;
    a->o.npaths = (size_t)(argc - optind);
    return -1;
}

static const char *kind_name(enum clnrm_dev_kind k)
{
    static const char *const names[] = {
        "watching",      "file_changed", "file_removed", "error",
        "rerun_started", "service",      "test_done",    "rerun_done",
    };
    return names[k];
}

/* One step's result as a JSON object, or NULL when out of memory. */
static cJSON *json_step(const struct clnrm_step_result *s)
{
    cJSON *j = cJSON_CreateObject();

    if (j == NULL)
        return NULL;
    cJSON_AddStringToObject(j, "name", s->step->name);
    cJSON_AddStringToObject(j, "status", clnrm_status_name(s->status));
    cJSON_AddNumberToObject(j, "exit_code", s->exit_code);
    cJSON_AddNumberToObject(j, "duration_ms", (double)s->duration_ms);
    cr_json_add_text(j, "message", s->message);
    cr_json_add_bytes(j, "stdout", cr_buf_str(&s->out), s->out.len);
    cr_json_add_bytes(j, "stderr", cr_buf_str(&s->err), s->err.len);
    return j;
}

static void json_steps(cJSON *o, const struct clnrm_test_result *r)
{
    cJSON *steps = cJSON_AddArrayToObject(o, "steps");

    for (size_t i = 0; steps != NULL && i < r->n_steps; i++) {
        cJSON *j = json_step(&r->steps[i]);
        if (j == NULL)
            return;
        cJSON_AddItemToArray(steps, j);
    }
}

static void print_line(struct printer *p, cJSON *o)
{
    char *text = o != NULL ? cJSON_PrintUnformatted(o) : NULL;

    if (text != NULL) {
        fprintf(p->ctx->out, "%s\n", text);
        cJSON_free(text);
    }
    cJSON_Delete(o);
}

/* A `step` event per step before the test's own, for consumers that
 * follow steps as they are reported. */
static void json_step_events(struct printer *p,
                             const struct clnrm_dev_event *ev)
{
    for (size_t i = 0; i < ev->result->n_steps; i++) {
        cJSON *o = json_step(&ev->result->steps[i]);
        if (o == NULL)
            return;
        cJSON_AddStringToObject(o, "event", "step");
        cJSON_AddNumberToObject(o, "rerun", ev->rerun);
        cr_json_add_text(o, "test", ev->test);
        print_line(p, o);
    }
}

static void json_fields(cJSON *o, const struct clnrm_dev_event *ev)
{
    if (ev->path != NULL)
        cr_json_add_text(o, "path", ev->path);
    if (ev->message != NULL)
        cr_json_add_text(o, "message", ev->message);
    if (ev->test != NULL)
        cr_json_add_text(o, "test", ev->test);
    if (ev->service != NULL)
        cr_json_add_text(o, "service", ev->service);
    if (ev->tests != NULL) {
        cJSON *t = cJSON_AddArrayToObject(o, "tests");
        for (size_t i = 0; t != NULL && ev->tests[i] != NULL; i++)
            cJSON_AddItemToArray(t, cJSON_CreateString(ev->tests[i]));
    }
}

static void print_json(struct printer *p, const struct clnrm_dev_event *ev)
{
    cJSON *o = cJSON_CreateObject();

    if (o == NULL)
        return;
    cJSON_AddStringToObject(o, "event", kind_name(ev->kind));
    cJSON_AddNumberToObject(o, "rerun", ev->rerun);
    json_fields(o, ev);
    if (ev->kind == CLNRM_DEV_WATCHING) {
        cJSON_AddNumberToObject(o, "files", (double)ev->n);
        cJSON_AddNumberToObject(o, "dirs", (double)ev->n_dirs);
    } else if (ev->kind == CLNRM_DEV_TEST_DONE) {
        cJSON_AddStringToObject(o, "status",
                                clnrm_status_name(ev->result->status));
        cJSON_AddBoolToObject(o, "warm", ev->warm);
        cJSON_AddBoolToObject(o, "timeboxed", ev->timeboxed);
        cJSON_AddNumberToObject(o, "duration_ms",
                                (double)ev->result->duration_ms);
        cr_json_add_text(o, "message", ev->result->message);
        json_steps(o, ev->result);
    }
    if (ev->kind == CLNRM_DEV_RERUN_START || ev->kind == CLNRM_DEV_RERUN_DONE)
        cJSON_AddBoolToObject(o, "after_change", ev->after_change);
    if (ev->kind == CLNRM_DEV_RERUN_DONE) {
        cJSON_AddNumberToObject(o, "passed", (double)ev->passed);
        cJSON_AddNumberToObject(o, "failed", (double)ev->failed);
        cJSON_AddBoolToObject(o, "cancelled", ev->cancelled);
        cJSON_AddBoolToObject(o, "timeboxed", ev->timeboxed);
        if (ev->after_change)
            cJSON_AddNumberToObject(o, "latency_ms", ev->latency_ms);
    }
    if (ev->kind == CLNRM_DEV_TEST_DONE)
        json_step_events(p, ev);
    print_line(p, o);
    fflush(p->ctx->out);
}

static const char *mark(const struct printer *p, enum clnrm_status st)
{
    if (!p->ctx->color)
        return st == CLNRM_STATUS_PASS ? "PASS" : "FAIL";
    return st == CLNRM_STATUS_PASS ? "\033[32mPASS\033[0m"
                                   : "\033[31mFAIL\033[0m";
}

static void print_test(struct printer *p, const struct clnrm_dev_event *ev)
{
    const struct clnrm_test_result *r = ev->result;
    FILE *f = p->ctx->out;

    fprintf(f, "%s %s (%s, %zu step%s, %llu ms)%s%s\n", mark(p, r->status),
            ev->test, ev->warm ? "warm services" : "services started",
            r->n_steps, r->n_steps == 1 ? "" : "s",
            (unsigned long long)r->duration_ms,
            r->status != CLNRM_STATUS_PASS ? ": " : "",
            r->status != CLNRM_STATUS_PASS ? r->message : "");
    if (ev->timeboxed)
        fprintf(f, "  cut by --timebox\n");
}

static void print_human(struct printer *p, const struct clnrm_dev_event *ev)
{
    FILE *f = p->ctx->out;

    switch (ev->kind) {
    case CLNRM_DEV_WATCHING:
        fprintf(p->ctx->err,
                "clnrm dev: watching %zu test file(s) in %zu "
                "director%s; Ctrl-C stops\n",
                ev->n, ev->n_dirs, ev->n_dirs == 1 ? "y" : "ies");
        break;
    case CLNRM_DEV_CHANGED:
        fprintf(f, "changed: %s\n", ev->path);
        break;
    case CLNRM_DEV_REMOVED:
        fprintf(f, "removed: %s (its services stopped)\n", ev->path);
        break;
    case CLNRM_DEV_ERROR:
        fprintf(f, "error: %s\n", ev->message);
        break;
    case CLNRM_DEV_RERUN_START:
        if (p->a->clear && p->tty)
            fputs("\033[H\033[2J", f);
        fprintf(f, "-- rerun %u%s\n", ev->rerun,
                ev->after_change ? "" : " (first run)");
        break;
    case CLNRM_DEV_SERVICE:
        fprintf(f, "   service %s/%s %s\n", ev->test, ev->service, ev->message);
        break;
    case CLNRM_DEV_TEST_DONE:
        print_test(p, ev);
        break;
    case CLNRM_DEV_RERUN_DONE:
        if (ev->cancelled)
            fprintf(f, "-- rerun %u cancelled by a newer change\n", ev->rerun);
        else if (ev->after_change)
            fprintf(f, "-- %zu passed, %zu failed; edit\u2192result %.0f ms\n",
                    ev->passed, ev->failed, ev->latency_ms);
        else
            fprintf(f, "-- %zu passed, %zu failed; watching\n", ev->passed,
                    ev->failed);
        break;
    }
    fflush(f);
}

/* Each event is printed to memory first, so that the secret values of its
 * test (clnrm_mask.h) are masked before it reaches stdout. */
static void on_event(void *ctx, const struct clnrm_dev_event *ev)
{
    struct printer *p = ctx;
    FILE *out = p->ctx->out;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    if (mem == NULL)
        return;
    p->ctx->out = mem;
    if (p->a->json)
        print_json(p, ev);
    else
        print_human(p, ev);
    p->ctx->out = out;
    fclose(mem);
    clnrm_cmd_print_masked(out, ev->result != NULL ? ev->result->test : NULL,
                           p->ctx->masks, p->ctx->n_masks, text, len);
    free(text); /* open_memstream's buffer comes from malloc */
    fflush(out);
}

/* Removes what dead runs left (SIGKILLed sessions included), or this
 * session's own leftovers when run_id is set. */
static void sweep(struct clnrm_ctx *ctx, const struct clnrm_runctx *rc,
                  const char *run_id)
{
    struct engine *eng = NULL;
    struct clnrm_sweep_stats st = { 0 };
    struct cr_error e = { 0 };

    if (engine_open(&eng, rc->engine_host, NULL, &e) != ENGINE_OK ||
        clnrm_reap_sweep(eng, run_id, &st, &e) != CLNRM_OK)
        fprintf(ctx->err, "warning: sweeping leftovers failed: %s\n", e.msg);
    else if (st.failed > 0)
        fprintf(ctx->err,
                "warning: %zu object(s) could not be removed (the next "
                "run sweeps them); first: %s\n",
                st.failed, st.first_failure);
    engine_close(eng);
}

int clnrm_cmd_dev(struct clnrm_ctx *ctx, int argc, char **argv)
{
    struct dev_args a = { 0 };
    struct printer p = { ctx, &a, isatty(fileno(ctx->out)) != 0 };
    struct clnrm_runctx rc;
    struct cr_error e = { 0 };
    enum clnrm_code code;
    bool failed = false;
    int status = parse_args(ctx, argc, argv, &a);

    if (status >= 0)
        return status;
    a.o.allow = ctx->allow;
    if (clnrm_runctx_init(&rc, &e) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm dev: %s\n", e.msg);
        return CLNRM_EXIT_ENV;
    }
    rc.cancel = clnrm_cmd_signals_install();
    sweep(ctx, &rc, NULL);
    code = clnrm_dev_run(&a.o, &rc, on_event, &p, &failed, &e);
    /* Also what a cut-short create left without the session knowing. */
    sweep(ctx, &rc, rc.run_id);
    if (code == CLNRM_E_CANCELLED) {
        fprintf(ctx->err, "clnrm dev: stopped; the session's containers and "
                          "networks were removed\n");
        return CLNRM_EXIT_INTERRUPTED;
    }
    if (code != CLNRM_OK) {
        fprintf(ctx->err, "clnrm dev: %s\n", e.msg);
        return clnrm_exit_status(code) == 1 ? CLNRM_EXIT_USAGE
                                            : clnrm_exit_status(code);
    }
    return failed ? CLNRM_EXIT_FAILED : CLNRM_EXIT_OK;
}
