/* clnrm_cmd_health: `clnrm health`. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_spec.h"
#include "engine.h"

const char clnrm_cmd_health_usage[] =
    "usage: clnrm health\n\n"
    "Checks that the engine ($DOCKER_HOST) answers, shows its version and\n"
    "the API version in use, and whether the base image clnrm-base:latest\n"
    "exists. Exit status 0 when all is well, 3 otherwise.\n";

int clnrm_cmd_health(struct clnrm_ctx *ctx, int argc, char **argv)
{
    struct engine *eng = NULL;
    struct engine_version v = { 0 };
    struct cr_error e = { 0 };
    bool exists = false;
    enum engine_code rc;

    if (argc > 1) {
        fputs(clnrm_cmd_health_usage, ctx->err);
        return CLNRM_EXIT_USAGE;
    }
    if ((rc = engine_open(&eng, NULL, NULL, &e)) != ENGINE_OK) {
        fprintf(ctx->out, "engine: unreachable: %s\n", e.msg);
        return clnrm_exit_status(clnrm_from_engine(rc, &e));
    }
    if (engine_version(eng, &v, &e) != ENGINE_OK)
        snprintf(v.version, sizeof(v.version), "unknown");
    fprintf(ctx->out, "engine: ok %s (Docker %s, API %s, using %s)\n",
            engine_host(eng), v.version, v.api_version,
            engine_api_version(eng));
    if (engine_image_exists(eng, CLNRM_DEFAULT_IMAGE, &exists, &e) != ENGINE_OK)
        fprintf(ctx->out, "base image: %s\n", e.msg);
    else
        fprintf(ctx->out, "base image %s: %s\n", CLNRM_DEFAULT_IMAGE,
                exists ? "present" : "missing (run `clnrm image bootstrap`)");
    engine_close(eng);
    return exists ? CLNRM_EXIT_OK : CLNRM_EXIT_ENV;
}
