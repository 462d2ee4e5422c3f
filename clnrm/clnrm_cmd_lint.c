/* clnrm_cmd_lint: `clnrm lint [--format F] [--deny-warnings] PATH...`.
 * See clnrm_cmd.h and clnrm_lint.h. */
#include "clnrm_cmd.h"

#include "clnrm_lint.h"
#include "clnrm_load.h"
#include "clnrm_suite.h"

#include <getopt.h>
#include <string.h>

const char clnrm_cmd_lint_usage[] =
    "usage: clnrm lint [options] [PATH...]\n\n"
    "What validate checks, plus style: a test or step without a\n"
    "description, a step checked by its exit code only, an image without a\n"
    "tag. One finding per line with its file, line, column and rule.\n\n"
    "  -f, --format FMT        human (default), json, github (workflow\n"
    "                          annotations)\n"
    "      --deny-warnings     exit 1 when there is any warning\n"
    "      --var KEY=VALUE     a template variable (wins over [vars])\n\n"
    "exit status: 0 clean (or warnings only), 1 warnings with\n"
    "--deny-warnings, 2 an invalid file or bad usage\n";

struct lint_args {
    struct clnrm_suite_opts so;
    enum clnrm_lint_format fmt;
    bool deny;
    const char *vars[CLNRM_MAX_VARS];
};

static int parse(struct clnrm_ctx *ctx, int argc, char **argv,
                 struct lint_args *a)
{
    static const struct option longopts[] = {
        { "format", required_argument, NULL, 'f' },
        { "deny-warnings", no_argument, NULL, 'D' },
        { "var", required_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        if (c == 'V') {
            if ((c = clnrm_cmd_var(ctx, "lint", a->vars, &a->so.n_vars,
                                   optarg)) >= 0)
                return c;
        } else if (c == 'f' && clnrm_lint_format_parse(optarg, &a->fmt) == 0) {
            continue;
        } else if (c == 'D') {
            a->deny = true;
        } else if (c == 'h') {
            fputs(clnrm_cmd_lint_usage, ctx->out);
            return CLNRM_EXIT_OK;
        } else {
            fprintf(ctx->err,
                    "clnrm lint: bad option \"%s\" (see clnrm lint --help)\n",
                    argv[optind - 1]);
            return CLNRM_EXIT_USAGE;
        }
    }
    a->so.vars = a->vars;
    a->so.paths = (const char *const *)argv + optind;
    a->so.npaths = (size_t)(argc - optind);
    return -1;
}

int clnrm_cmd_lint(struct clnrm_ctx *ctx, int argc, char **argv)
{
    struct lint_args a = { 0 };
    struct clnrm_suite s = { 0 };
    struct clnrm_diags d = { 0 };
    struct clnrm_findings fs = { 0 };
    struct cr_buf out = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc, lrc;
    size_t errors = 0;
    int status = parse(ctx, argc, argv, &a);

    if (status >= 0)
        return status;
    rc = clnrm_suite_load(&a.so, &s, &d, &e);
    lrc = clnrm_lint_diags(&d, &fs);
    for (size_t i = 0; lrc == CLNRM_OK && i < s.n; i++)
        lrc = clnrm_lint_test(s.tests[i], &fs);
    if (lrc == CLNRM_OK && clnrm_lint_render(&out, a.fmt, &fs) != 0)
        lrc = CLNRM_E_NOMEM;
    if (lrc == CLNRM_OK &&
        (fwrite(cr_buf_str(&out), 1, out.len, ctx->out) != out.len ||
         fflush(ctx->out) != 0))
        lrc = CLNRM_E_IO;
    cr_buf_release(&out);
    for (size_t i = 0; i < fs.n; i++)
        errors += fs.items[i].error;
    if (rc == CLNRM_OK && s.discovered == 0)
        rc = clnrm_error_set(&e, CLNRM_E_INPUT, "no *.clnrm.toml files found");
    if (rc != CLNRM_OK && errors == 0)
        fprintf(ctx->err, "clnrm lint: %s\n", e.msg);
    if (lrc != CLNRM_OK)
        fprintf(ctx->err, "clnrm lint: %s\n",
                lrc == CLNRM_E_NOMEM ? "out of memory"
                                     : "cannot write the findings");
    status = rc != CLNRM_OK || errors > 0 ? CLNRM_EXIT_USAGE
             : lrc != CLNRM_OK            ? CLNRM_EXIT_ENV
             : a.deny && fs.n > 0         ? CLNRM_EXIT_FAILED
                                          : CLNRM_EXIT_OK;
    clnrm_findings_release(&fs);
    clnrm_diags_release(&d);
    clnrm_suite_release(&s);
    return status;
}
