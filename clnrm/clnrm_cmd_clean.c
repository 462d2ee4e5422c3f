/* clnrm_cmd_clean: `clnrm clean`, which removes what `run
 * --keep-on-failure` kept, and what dead runs left. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_reap.h"
#include "engine.h"

#include <stdlib.h>

const char clnrm_cmd_clean_usage[] =
    "usage: clnrm clean\n\n"
    "Removes the containers and networks of this machine that\n"
    "`clnrm run --keep-on-failure` kept (label cleanroom.keep) once their\n"
    "run is over, and everything else left by runs that are gone.\n\n"
    "exit status: 0 removed (or nothing to remove), 1 something could not\n"
    "be removed, 3 the engine is unreachable\n";

int clnrm_cmd_clean(struct clnrm_ctx *ctx, int argc, char **argv)
{
    struct engine *eng = NULL;
    struct clnrm_sweep_stats kept = { 0 }, orphans = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    enum engine_code ec;

    if (argc > 1) {
        fprintf(ctx->err, "clnrm clean: unexpected argument \"%s\"\n", argv[1]);
        return CLNRM_EXIT_USAGE;
    }
    if ((ec = engine_open(&eng, NULL, NULL, &e)) != ENGINE_OK) {
        fprintf(ctx->err, "clnrm clean: %s\n", e.msg);
        return clnrm_exit_status(clnrm_from_engine(ec, &e));
    }
    rc = clnrm_reap_clean(eng, &kept, &e);
    if (rc == CLNRM_OK)
        rc = clnrm_reap_sweep(eng, NULL, &orphans, &e);
    engine_close(eng);
    if (rc != CLNRM_OK) {
        fprintf(ctx->err, "clnrm clean: %s\n", e.msg);
        return clnrm_exit_status(rc);
    }
    fprintf(ctx->out,
            "removed %zu kept container(s), %zu kept network(s), "
            "%zu leftover container(s), %zu leftover network(s)\n",
            kept.containers, kept.networks, orphans.containers,
            orphans.networks);
    if (kept.failed + orphans.failed > 0) {
        fprintf(ctx->err,
                "clnrm clean: %zu object(s) could not be removed; "
                "first: %s\n",
                kept.failed + orphans.failed,
                kept.failed ? kept.first_failure : orphans.first_failure);
        return CLNRM_EXIT_FAILED;
    }
    return CLNRM_EXIT_OK;
}
