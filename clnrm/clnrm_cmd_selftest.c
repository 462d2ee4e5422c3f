/* clnrm_cmd_selftest: `clnrm self-test [--suite NAME] [--format FMT]`. */
#include "clnrm_cmd.h"

#include "clnrm_reap.h"
#include "clnrm_selftest.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_text.h"

const char clnrm_cmd_selftest_usage[] =
    "usage: clnrm self-test [--suite NAME] [--format human|json]\n\n"
    "Checks this installation end to end.\n"
    "suites: parsing engine lifecycle exec isolation timeouts cleanup "
    "reports\n";

static void print_human(struct clnrm_ctx *ctx,
                        const struct clnrm_check_result *r, size_t n)
{
    size_t failed = 0;
    const char *suite = "";

    fprintf(ctx->out, "clnrm self-test\n");
    for (size_t i = 0; i < n; i++) {
        if (strcmp(suite, r[i].suite) != 0) {
            suite = r[i].suite;
            fprintf(ctx->out, "%s\n", suite);
        }
        failed += !r[i].passed;
        fprintf(ctx->out, "  %s%s%s %s (%llu ms)%s%s\n",
                ctx->color ? (r[i].passed ? "\033[32m" : "\033[31m") : "",
                r[i].passed ? "PASS" : "FAIL", ctx->color ? "\033[0m" : "",
                r[i].name, (unsigned long long)r[i].duration_ms,
                r[i].passed ? "" : ": ", r[i].passed ? "" : r[i].message);
    }
    fprintf(ctx->out, "%zu checks: %zu passed, %zu failed\n", n, n - failed,
            failed);
}

/* One check as a JSON object, or NULL when out of memory. */
static cJSON *json_check(const struct clnrm_check_result *c)
{
    cJSON *o = cJSON_CreateObject();

    if (!o || cr_json_add_text(o, "suite", c->suite) != 0 ||
        cr_json_add_text(o, "name", c->name) != 0 ||
        !cJSON_AddBoolToObject(o, "passed", c->passed) ||
        !cJSON_AddNumberToObject(o, "duration_ms", (double)c->duration_ms) ||
        cr_json_add_text(o, "message", c->message) != 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* Prints the whole document, or nothing: returns 0, or -ENOMEM when any
 * part of it could not be built. */
static int print_json(struct clnrm_ctx *ctx, const struct clnrm_check_result *r,
                      size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = root ? cJSON_AddArrayToObject(root, "checks") : NULL;
    size_t failed = 0;
    char *text = NULL;
    bool ok = arr != NULL;

    for (size_t i = 0; ok && i < n; i++) {
        cJSON *o = json_check(&r[i]);
        ok = o && cJSON_AddItemToArray(arr, o);
        if (o && !ok)
            cJSON_Delete(o);
        failed += !r[i].passed;
    }
    ok = ok && cJSON_AddNumberToObject(root, "total", (double)n) &&
         cJSON_AddNumberToObject(root, "passed", (double)(n - failed)) &&
         cJSON_AddNumberToObject(root, "failed", (double)failed) &&
         (text = cJSON_Print(root)) != NULL;
    if (ok)
        fprintf(ctx->out, "%s\n", text);
    cr_free(text);
    cJSON_Delete(root);
    return ok ? 0 : -ENOMEM;
}

int clnrm_cmd_selftest(struct clnrm_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "suite", required_argument, NULL, 's' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *suite = NULL, *format = "human";
    struct clnrm_check_result *r = NULL;
    struct cr_error e = { 0 };
    size_t n = 0, failed = 0;
    enum clnrm_code rc;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "s:f:h", longopts, NULL)) != -1) {
        if (c == 's')
            suite = optarg;
        else if (c == 'f')
            format = optarg;
        else {
            fputs(clnrm_cmd_selftest_usage, c == 'h' ? ctx->out : ctx->err);
            return c == 'h' ? CLNRM_EXIT_OK : CLNRM_EXIT_USAGE;
        }
    }
    if (strcmp(format, "human") != 0 && strcmp(format, "json") != 0) {
        fprintf(ctx->err, "clnrm self-test: --format must be human or json\n");
        return CLNRM_EXIT_USAGE;
    }
    /* Ctrl-C ends the self-test after the current check, with its
     * containers removed, rather than killing it mid-way. */
    rc = clnrm_selftest_run(suite, clnrm_cmd_signals_install(), &r, &n, &e);
    if (rc != CLNRM_OK && rc != CLNRM_E_CANCELLED) {
        fprintf(ctx->err, "clnrm self-test: %s\n", e.msg);
        cr_free(r);
        return clnrm_exit_status(rc);
    }
    if (strcmp(format, "json") == 0 && print_json(ctx, r, n) != 0) {
        fprintf(ctx->err, "clnrm self-test: out of memory writing the "
                          "JSON report\n");
        cr_free(r);
        return clnrm_exit_status(CLNRM_E_NOMEM);
    }
    if (strcmp(format, "json") != 0)
        print_human(ctx, r, n);
    for (size_t i = 0; i < n; i++)
        failed += !r[i].passed;
    cr_free(r);
    if (rc == CLNRM_E_CANCELLED) {
        fprintf(ctx->err, "clnrm self-test: interrupted; its containers "
                          "and networks were removed\n");
        return CLNRM_EXIT_INTERRUPTED;
    }
    return failed == 0 ? CLNRM_EXIT_OK : CLNRM_EXIT_FAILED;
}
