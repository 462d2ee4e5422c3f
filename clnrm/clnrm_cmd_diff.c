/* clnrm_cmd_diff: `clnrm diff BASELINE NEW`, two saved results compared.
 * See clnrm_cmd.h and clnrm_saved.h. */
#include "clnrm_cmd.h"

#include "clnrm_saved.h"

#include <string.h>

const char clnrm_cmd_diff_usage[] =
    "usage: clnrm diff BASELINE NEW\n\n"
    "Compares two JSON results (`record`, `run --format json`): tests\n"
    "matched by file and name, their status, and each step's name, status\n"
    "and exit code. Durations and output are not compared. One line per\n"
    "difference: `-` only in BASELINE, `+` only in NEW, `~` changed.\n\n"
    "exit status: 0 the same, 1 a difference, 2 bad usage or not a result\n";

int clnrm_cmd_diff(struct clnrm_ctx *ctx, int argc, char **argv)
{
    struct clnrm_saved a, b;
    struct cr_buf out = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    size_t d;

    if (argc == 2 && strcmp(argv[1], "--help") == 0) {
        fputs(clnrm_cmd_diff_usage, ctx->out);
        return CLNRM_EXIT_OK;
    }
    if (argc != 3) {
        fputs(clnrm_cmd_diff_usage, ctx->err);
        return CLNRM_EXIT_USAGE;
    }
    if ((rc = clnrm_saved_load(argv[1], &a, &e)) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm diff: %s\n", e.msg);
        return CLNRM_EXIT_USAGE;
    }
    if ((rc = clnrm_saved_load(argv[2], &b, &e)) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm diff: %s\n", e.msg);
        clnrm_saved_release(&a);
        return CLNRM_EXIT_USAGE;
    }
    d = clnrm_saved_diff(&out, &a, &b);
    fwrite(cr_buf_str(&out), 1, out.len, ctx->out);
    cr_buf_release(&out);
    if (d == 0)
        fprintf(ctx->out, "no difference (%zu tests)\n", a.n);
    else
        fprintf(ctx->out, "%zu difference%s\n", d, d == 1 ? "" : "s");
    clnrm_saved_release(&a);
    clnrm_saved_release(&b);
    return d == 0 ? CLNRM_EXIT_OK : CLNRM_EXIT_FAILED;
}
