/* clnrm_selftest: interim. */
#include "clnrm_cli.h"

int clnrm_cmd_selftest(struct clnrm_ctx *ctx, int argc, char **argv)
{
    fprintf(ctx->err, "self-test: not yet\n");
    return 2;
}
