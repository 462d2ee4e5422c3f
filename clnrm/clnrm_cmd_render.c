/* clnrm_cmd_render: `clnrm render FILE [--var K=V]`, which prints a test
 * file as the loader sees it after rendering its template; and the
 * `--var` option validate and run share. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_load_tmpl.h"
#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

const char clnrm_cmd_render_usage[] =
    "usage: clnrm render [--var KEY=VALUE]... FILE\n\n"
    "Prints FILE rendered as the loader renders it before parsing: a file\n"
    "holding {{, {% or {# is a Tera template (see \"Templates\" in\n"
    "clnrm/README.md); others print unchanged. A template error is one\n"
    "line FILE:LINE:COL: message, exit status 2.\n\n"
    "      --var KEY=VALUE     a template variable (wins over [vars]);\n"
    "                          may be repeated\n";

int clnrm_cmd_var(struct clnrm_ctx *ctx, const char *cmd, const char **vars,
                  size_t *n, const char *arg)
{
    const char *eq = strchr(arg, '=');

    if (eq == NULL || eq == arg) {
        fprintf(ctx->err, "clnrm %s: --var needs KEY=VALUE, not \"%s\"\n", cmd,
                arg);
        return CLNRM_EXIT_USAGE;
    }
    if (*n >= CLNRM_MAX_VARS) {
        fprintf(ctx->err, "clnrm %s: more than %d --var options\n", cmd,
                CLNRM_MAX_VARS);
        return CLNRM_EXIT_USAGE;
    }
    vars[(*n)++] = arg;
    return -1;
}

static int render_file(struct clnrm_ctx *ctx, const char *path,
                       const struct clnrm_load_opts *lo)
{
    struct tmpl_output r = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    char *buf;
    size_t len;
    int rd = cr_fs_read(path, &buf, &len);

    if (rd != 0) {
        fprintf(ctx->err, "clnrm render: cannot read %s: %s\n", path,
                strerror(-rd));
        return rd == -ENOMEM ? CLNRM_EXIT_FAILED : CLNRM_EXIT_USAGE;
    }
    if (!tmpl_wanted(buf, len)) {
        fwrite(buf, 1, len, ctx->out);
        cr_free(buf);
        return CLNRM_EXIT_OK;
    }
    rc = clnrm_render(buf, len, path, lo, &r, &e);
    cr_free(buf);
    if (rc != CLNRM_OK) {
        fprintf(ctx->err, "clnrm render: %s\n", e.msg);
        return clnrm_exit_status(rc);
    }
    fwrite(r.text, 1, r.len, ctx->out);
    tmpl_output_release(&r);
    return CLNRM_EXIT_OK;
}

int clnrm_cmd_render(struct clnrm_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "var", required_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *vars[CLNRM_MAX_VARS];
    struct clnrm_load_opts lo = { .vars = vars };
    int c, status;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'V') {
            if ((status = clnrm_cmd_var(ctx, "render", vars, &lo.n_vars,
                                        optarg)) >= 0)
                return status;
        } else if (c == 'h') {
            fputs(clnrm_cmd_render_usage, ctx->out);
            return CLNRM_EXIT_OK;
        } else {
            fprintf(ctx->err,
                    "clnrm render: bad option \"%s\" (see clnrm "
                    "render --help)\n",
                    argv[optind - 1]);
            return CLNRM_EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(ctx->err, "clnrm render: expected one FILE (see clnrm render "
                          "--help)\n");
        return CLNRM_EXIT_USAGE;
    }
    return render_file(ctx, argv[optind], &lo);
}
