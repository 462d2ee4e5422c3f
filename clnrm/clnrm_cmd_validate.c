/* clnrm_cmd_validate: `clnrm validate` and `clnrm list`, which load the
 * same suite and show it in two ways. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_discover.h"
#include "clnrm_load.h"
#include "clnrm_spec.h"
#include "clnrm_suite.h"

#include <getopt.h>
#include <string.h>

const char clnrm_cmd_validate_usage[] =
    "usage: clnrm validate [options] [PATH...]\n\n"
    "Checks test files without running anything; unknown keys are\n"
    "warnings with their position and a did-you-mean.\n\n"
    "      --strict            unknown keys are errors\n"
    "      --explain           print each test's effective settings\n"
    "                          (security, limits, network, readiness)\n"
    "  -k, --filter REGEX      only tests whose name matches REGEX\n"
    "      --shard I/N         only the I-th of N shares\n"
    "      --var KEY=VALUE     a template variable (wins over [vars])\n";

const char clnrm_cmd_list_usage[] =
    "usage: clnrm list [options] [PATH...]\n\n"
    "Prints name, file and step count of each test a run would take.\n\n"
    "      --strict            unknown keys are errors\n"
    "  -k, --filter REGEX      only tests whose name matches REGEX\n"
    "      --shard I/N         only the I-th of N shares\n"
    "      --var KEY=VALUE     a template variable (wins over [vars])\n";

struct common_args {
    struct clnrm_suite_opts suite;
    bool explain;
    const char *vars[CLNRM_MAX_VARS];
};

/* Options shared by validate and list; returns -1 to go on, else the exit
 * status. */
static int parse_common(struct clnrm_ctx *ctx, int argc, char **argv,
                        struct common_args *a)
{
    static const struct option longopts[] = {
        { "strict", no_argument, NULL, 'S' },
        { "explain", no_argument, NULL, 'e' },
        { "filter", required_argument, NULL, 'k' },
        { "shard", required_argument, NULL, 's' },
        { "var", required_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "k:h", longopts, NULL)) != -1) {
        if (c == 'V' && (c = clnrm_cmd_var(ctx, argv[0], a->vars,
                                           &a->suite.n_vars, optarg)) >= 0)
            return c;
        if (c == 'V')
            continue;
        if (c == 'S')
            a->suite.strict = true;
        else if (c == 'e')
            a->explain = true;
        else if (c == 'k')
            a->suite.filter = optarg;
        else if (c == 's' && clnrm_shard_parse(optarg, &a->suite.shard_index,
                                               &a->suite.shard_count) == 0)
            continue;
        else if (c == 'h') {
            fputs(strcmp(argv[0], "list") == 0 ? clnrm_cmd_list_usage
                                               : clnrm_cmd_validate_usage,
                  ctx->out);
            return CLNRM_EXIT_OK;
        } else {
            fprintf(ctx->err,
                    "clnrm %s: bad option \"%s\" (see clnrm "
                    "--help)\n",
                    argv[0], argv[optind - 1]);
            return CLNRM_EXIT_USAGE;
        }
    }
    a->suite.vars = a->vars;
    a->suite.paths = (const char *const *)argv + optind;
    a->suite.npaths = (size_t)(argc - optind);
    return -1;
}

static void show_valid(const struct clnrm_ctx *ctx, bool explain_it,
                       const struct clnrm_test *t)
{
    FILE *f = ctx->out;

    if (explain_it)
        clnrm_cmd_explain(f, t, ctx->masks, ctx->n_masks);
    else
        fprintf(f, "ok %s (%s: %zu step%s, %zu service%s)\n", t->path, t->name,
                t->n_steps, t->n_steps == 1 ? "" : "s", t->n_services,
                t->n_services == 1 ? "" : "s");
}

/* The body of validate and list: loads the suite the arguments name, prints
 * its diagnostics and a line (or, validate --explain, a plan) per test.
 * Only validate prints warnings, and fails a suite that found no files. */
static int load_and_show(struct clnrm_ctx *ctx, int argc, char **argv,
                         bool validate)
{
    struct common_args a = { 0 };
    struct clnrm_suite s = { 0 };
    struct clnrm_diags d = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    int status = parse_common(ctx, argc, argv, &a);

    if (status >= 0)
        return status;
    a.suite.allow = ctx->allow;
    rc = clnrm_suite_load(&a.suite, &s, &d, &e);
    clnrm_cmd_print_diags(ctx, &d, validate);
    for (size_t i = 0; i < s.n; i++) {
        if (validate)
            show_valid(ctx, a.explain, s.tests[i]);
        else
            fprintf(ctx->out, "%s\t%s\t%zu steps\n", s.tests[i]->name,
                    s.tests[i]->path, s.tests[i]->n_steps);
    }
    if (validate && rc == CLNRM_OK && s.discovered == 0)
        rc = clnrm_error_set(&e, CLNRM_E_INPUT, "no *.clnrm.toml files found");
    if (rc != CLNRM_OK)
        fprintf(ctx->err, "clnrm %s: %s\n", validate ? "validate" : "list",
                e.msg);
    clnrm_diags_release(&d);
    clnrm_suite_release(&s);
    return rc == CLNRM_OK ? CLNRM_EXIT_OK : CLNRM_EXIT_USAGE;
}

int clnrm_cmd_validate(struct clnrm_ctx *ctx, int argc, char **argv)
{
    return load_and_show(ctx, argc, argv, true);
}

int clnrm_cmd_list(struct clnrm_ctx *ctx, int argc, char **argv)
{
    return load_and_show(ctx, argc, argv, false);
}
