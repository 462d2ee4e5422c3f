/* clnrm_cmd_init: `clnrm init [DIR]`. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_init.h"

#include <string.h>

const char clnrm_cmd_init_usage[] =
    "usage: clnrm init [DIR]\n\n"
    "Writes DIR/basic.clnrm.toml (default DIR: tests), a runnable example;\n"
    "never overwrites an existing file.\n";

int clnrm_cmd_init(struct clnrm_ctx *ctx, int argc, char **argv)
{
    const char *dir = argc > 1 ? argv[1] : "tests";
    char path[4096];
    struct cr_error e = { 0 };

    if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
        bool help =
            strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0;
        fputs(clnrm_cmd_init_usage, help ? ctx->out : ctx->err);
        return help ? CLNRM_EXIT_OK : CLNRM_EXIT_USAGE;
    }
    if (clnrm_init_write(dir, path, sizeof(path), &e) != CLNRM_OK) {
        fprintf(ctx->err, "clnrm init: %s\n", e.msg);
        return CLNRM_EXIT_USAGE;
    }
    fprintf(ctx->out, "wrote %s\nrun it with: clnrm run %s\n", path, path);
    return CLNRM_EXIT_OK;
}
