/* clnrm_cmd_image: `clnrm image bootstrap|pull`, the base image. See
 * clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clnrm_error.h"
#include "cr_signal.h"
#include "engine.h"
#include "engine_baseimage.h"

const char clnrm_cmd_image_usage[] =
    "usage: clnrm image bootstrap [--quiet] [--force] [--tag NAME]\n"
    "       clnrm image pull [--quiet] NAME\n"
    "       clnrm image --help\n"
    "\n"
    "bootstrap  build the base image " ENGINE_BASEIMAGE_BASE
    " from the host's\n"
    "           statically linked " ENGINE_BASEIMAGE_BUSYBOX
    " (Debian package busybox-static)\n"
    "           and import it into the Docker engine ($DOCKER_HOST).\n"
    "           Does nothing when the image exists already.\n"
    "  -q, --quiet    print nothing on success\n"
    "  -f, --force    rebuild even when the image exists\n"
    "  -t, --tag NAME image name (default " ENGINE_BASEIMAGE_BASE ")\n"
    "      --busybox PATH  busybox binary to use\n"
    "\n"
    "pull       fetch NAME from its registry, showing progress on a\n"
    "           terminal; an error reported mid-stream fails the pull\n";

/* err holds an engine library code: clnrm's exit status for it. */
static int fail(const struct clnrm_ctx *ctx, struct cr_error *e)
{
    fprintf(ctx->err, "clnrm image: %s\n", e->msg);
    return clnrm_exit_status(clnrm_from_engine(e->code, e));
}

/* Progress of a pull, one rewritten line per layer event on a terminal. */
static void show_progress(void *arg, const char *status, const char *id,
                          const char *progress)
{
    FILE *err = arg;

    fprintf(err, "\r\033[K%s%s%s %s", id, *id ? ": " : "", status, progress);
    fflush(err);
}

static int open_engine(struct engine **eng, struct cr_error *err)
{
    static const int sigs[] = { SIGINT, SIGTERM };
    const struct cr_signal_opts so = { sigs, 2, -1, NULL, 0 };

    cr_signal_install(&so);
    return engine_open(eng, NULL, cr_signal_flag(), err) == ENGINE_OK ? 0 : -1;
}

static int bootstrap(const struct clnrm_ctx *ctx,
                     struct engine_baseimage_opts *o, bool quiet)
{
    struct cr_error err = { 0 };
    struct engine *eng = NULL;
    bool built = false;
    int napplets = 0;
    const char *name = o->name ? o->name : ENGINE_BASEIMAGE_BASE;

    if (open_engine(&eng, &err) < 0)
        return fail(ctx, &err);
    if (engine_baseimage_bootstrap(eng, o, &built, &napplets, &err) !=
        ENGINE_OK) {
        engine_close(eng);
        return fail(ctx, &err);
    }
    if (!quiet && built)
        fprintf(ctx->out, "built %s (busybox, %d applets) on %s\n", name,
                napplets, engine_host(eng));
    else if (!quiet)
        fprintf(ctx->out, "%s already present on %s (use --force to rebuild)\n",
                name, engine_host(eng));
    engine_close(eng);
    return 0;
}

static int pull(const struct clnrm_ctx *ctx, const char *name, bool quiet)
{
    struct cr_error err = { 0 };
    struct engine *eng = NULL;
    bool tty = !quiet && isatty(fileno(ctx->err));
    enum engine_code rc;

    if (open_engine(&eng, &err) < 0)
        return fail(ctx, &err);
    rc = engine_image_pull(eng, name, tty ? show_progress : NULL, ctx->err,
                           &err);
    if (tty)
        fprintf(ctx->err, "\r\033[K");
    engine_close(eng);
    if (rc != ENGINE_OK)
        return fail(ctx, &err);
    if (!quiet)
        fprintf(ctx->out, "pulled %s\n", name);
    return 0;
}

int clnrm_cmd_image(struct clnrm_ctx *ctx, int argc, char **argv)
{
    static const struct option longs[] = {
        { "help", no_argument, NULL, 'h' },
        { "quiet", no_argument, NULL, 'q' },
        { "force", no_argument, NULL, 'f' },
        { "tag", required_argument, NULL, 't' },
        { "busybox", required_argument, NULL, 'b' },
        { NULL, 0, NULL, 0 },
    };
    struct engine_baseimage_opts o = { 0 };
    bool quiet = false;
    const char *sub = NULL;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "hqft:b:", longs, NULL)) != -1) {
        if (c == 'h') {
            fputs(clnrm_cmd_image_usage, ctx->out);
            return CLNRM_EXIT_OK;
        }
        if (c == 'q')
            quiet = true;
        else if (c == 'f')
            o.force = true;
        else if (c == 't')
            o.name = optarg;
        else if (c == 'b')
            o.busybox = optarg;
        else {
            fputs(clnrm_cmd_image_usage, ctx->err);
            return CLNRM_EXIT_USAGE;
        }
    }
    /* GNU getopt moved the operands last: options go anywhere. */
    if (optind < argc)
        sub = argv[optind++];
    if (sub && strcmp(sub, "bootstrap") == 0 && optind == argc)
        return bootstrap(ctx, &o, quiet);
    if (sub && strcmp(sub, "pull") == 0 && optind + 1 == argc)
        return pull(ctx, argv[optind], quiet);
    if (!sub)
        fprintf(ctx->err, "clnrm image: missing subcommand\n");
    else
        fprintf(ctx->err, "clnrm image: bad subcommand or arguments: %s\n",
                sub);
    fputs(clnrm_cmd_image_usage, ctx->err);
    return CLNRM_EXIT_USAGE;
}
