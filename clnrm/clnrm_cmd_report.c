/* clnrm_cmd_report: `clnrm report [-i FILE] [-f FMT] [-o OUT]`, a saved
 * JSON result rendered again. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_report.h"
#include "clnrm_saved.h"
#include "cr_fs.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

const char clnrm_cmd_report_usage[] =
    "usage: clnrm report [-i FILE] [-f FMT] [-o OUT]\n\n"
    "Renders a result saved by `run --format json` (or `record`).\n\n"
    "  -i, --input FILE        the JSON result (default\n"
    "                          .clnrm/baseline.json)\n"
    "  -f, --format FMT        human (default), junit, tap, markdown, json\n"
    "  -o, --output OUT        write to OUT atomically instead of stdout\n\n"
    "exit status: 0 rendered, 2 bad usage or not a result, 3 cannot write\n";

static int render(const struct clnrm_saved *s, const char *fmt, bool color,
                  struct cr_buf *out, struct cr_error *e)
{
    enum clnrm_report_format rf;

    if (strcmp(fmt, "markdown") == 0 || strcmp(fmt, "md") == 0)
        return clnrm_saved_markdown(s->results, s->n, &s->totals, out) == 0
                   ? CLNRM_OK
                   : clnrm_error_set(e, CLNRM_E_NOMEM, "out of memory");
    if (clnrm_report_parse_format(fmt, &rf) != 0)
        return clnrm_error_set(e, CLNRM_E_USAGE,
                               "--format must be human, junit, tap, markdown "
                               "or json, not \"%s\"",
                               fmt);
    return clnrm_report_render(rf, s->results, s->n, &s->totals, color, out, e);
}

int clnrm_cmd_report(struct clnrm_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "input", required_argument, NULL, 'i' },
        { "format", required_argument, NULL, 'f' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *in = ".clnrm/baseline.json", *fmt = "human", *outp = NULL;
    struct clnrm_saved s;
    struct cr_buf out = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    int c, wr;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "i:f:o:h", longopts, NULL)) != -1) {
        if (c == 'i')
            in = optarg;
        else if (c == 'f')
            fmt = optarg;
        else if (c == 'o')
            outp = optarg;
        else if (c == 'h') {
            fputs(clnrm_cmd_report_usage, ctx->out);
            return CLNRM_EXIT_OK;
        } else {
            fprintf(ctx->err, "clnrm report: bad option \"%s\"\n",
                    argv[optind - 1]);
            return CLNRM_EXIT_USAGE;
        }
    }
    if (optind < argc) /* the Rust tool's positional input */
        in = argv[optind];
    if ((rc = clnrm_saved_load(in, &s, &e)) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm report: %s\n", e.msg);
        return rc == CLNRM_E_NOMEM ? CLNRM_EXIT_ENV : CLNRM_EXIT_USAGE;
    }
    rc = render(&s, fmt, ctx->color && outp == NULL, &out, &e);
    clnrm_saved_release(&s);
    if (rc != CLNRM_OK) {
        fprintf(ctx->err, "clnrm report: %s\n", e.msg);
        cr_buf_release(&out);
        return rc == CLNRM_E_USAGE ? CLNRM_EXIT_USAGE : CLNRM_EXIT_ENV;
    }
    if (outp != NULL)
        wr = cr_fs_write_atomic(outp, cr_buf_str(&out), out.len, 0644);
    else
        wr = fwrite(cr_buf_str(&out), 1, out.len, ctx->out) == out.len &&
                     fflush(ctx->out) == 0
                 ? 0
                 : -errno;
    cr_buf_release(&out);
    if (wr != 0) {
        fprintf(ctx->err, "clnrm report: cannot write %s: %s\n",
                outp ? outp : "stdout", strerror(-wr));
        return CLNRM_EXIT_ENV;
    }
    return CLNRM_EXIT_OK;
}
