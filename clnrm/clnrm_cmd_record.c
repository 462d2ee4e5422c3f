/* clnrm_cmd_record: `clnrm record [-o FILE] [run options] PATH...`, a run
 * whose JSON result is saved as the baseline for `diff`. See
 * clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <libgen.h>
#include <string.h>

const char clnrm_cmd_record_usage[] =
    "usage: clnrm record [-o FILE] [run options] [PATH...]\n\n"
    "Runs the tests as `clnrm run` does (same options) and saves the JSON\n"
    "result to FILE (default .clnrm/baseline.json, its directory created),\n"
    "atomically. Compare a later run with `clnrm diff FILE NEW.json`.\n\n"
    "exit status: as clnrm run\n";

int clnrm_cmd_record(struct clnrm_ctx *ctx, int argc, char **argv)
{
    const char *path = ".clnrm/baseline.json";
    char **args = cr_calloc((size_t)argc + 4, sizeof(*args));
    char *dir;
    int n = 0, status, mk = -ENOMEM;

    if (args == NULL) {
        fprintf(ctx->err, "clnrm record: out of memory\n");
        return CLNRM_EXIT_ENV;
    }
    args[n++] = argv[0];
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) &&
            i + 1 < argc)
            path = argv[++i];
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(clnrm_cmd_record_usage, ctx->out);
            cr_free(args);
            return CLNRM_EXIT_OK;
        } else
            args[n++] = argv[i];
    }
    dir = cr_strdup(path);
    if (dir == NULL || (mk = cr_fs_mkdirs(dirname(dir))) != 0) {
        fprintf(ctx->err,
                "clnrm record: cannot create the directory of %s: %s\n", path,
                strerror(-mk));
        cr_free(dir);
        cr_free(args);
        return CLNRM_EXIT_ENV;
    }
    cr_free(dir);
    /* `run` does the work; --report-json goes first so a PATH named like
     * an option cannot swallow it. */
    memmove(args + 3, args + 1, (size_t)(n - 1) * sizeof(*args));
    args[1] = (char *)"--report-json";
    args[2] = (char *)path;
    n += 2;
    args[n] = NULL;
    status = clnrm_cmd_run(ctx, n, args);
    if (status == CLNRM_EXIT_OK || status == CLNRM_EXIT_FAILED)
        fprintf(ctx->err, "clnrm record: saved %s\n", path);
    cr_free(args);
    return status;
}
