/* clnrm_cli: the command table and the dispatcher. See clnrm_cli.h. */
#include "clnrm_cli.h"

#include "clnrm.h"
#include "clnrm_cmd.h"
#include "clnrm_error.h"
#include "clnrm_load.h"
#include "clnrm_spec.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The command needs the engine library: the dispatcher calls
 * engine_global_init before it and engine_global_cleanup after. Commands
 * without it (validate, list, init) never load or set up libcurl. */
#define NEEDS_ENGINE (1u << 0)

struct command {
    const char *name;
    int (*fn)(struct clnrm_ctx *ctx, int argc, char **argv);
    unsigned flags;
    const char *summary; /* one line in `clnrm --help` */
    const char *usage;   /* `clnrm NAME --help` */
};

/* Every command, sorted by name for bsearch. */
static const struct command commands[] = {
    { "clean", clnrm_cmd_clean, NEEDS_ENGINE,
      "remove containers kept by run --keep-on-failure",
      clnrm_cmd_clean_usage },
    { "dev", clnrm_cmd_dev, NEEDS_ENGINE,
      "run tests, then rerun what changes in warm services",
      clnrm_cmd_dev_usage },
    { "diff", clnrm_cmd_diff, 0,
      "compare two saved results (exit 1 on a difference)",
      clnrm_cmd_diff_usage },
    { "dry-run", clnrm_cmd_dryrun, 0,
      "show what run would do, starting nothing", clnrm_cmd_dryrun_usage },
    { "fmt", clnrm_cmd_fmt, 0, "write test files in the canonical layout",
      clnrm_cmd_fmt_usage },
    { "health", clnrm_cmd_health, NEEDS_ENGINE,
      "check the engine, its API version and the base image",
      clnrm_cmd_health_usage },
    { "image", clnrm_cmd_image, NEEDS_ENGINE,
      "build the base image (bootstrap) or pull one", clnrm_cmd_image_usage },
    { "init", clnrm_cmd_init, 0,
      "write a runnable example test (never overwrites)",
      clnrm_cmd_init_usage },
    { "lint", clnrm_cmd_lint, 0,
      "validate plus style checks (human, json, "
      "github)",
      clnrm_cmd_lint_usage },
    { "list", clnrm_cmd_list, 0, "list the tests a run would take",
      clnrm_cmd_list_usage },
    { "plugins", clnrm_cmd_plugins, 0, "list the service kinds understood",
      clnrm_cmd_plugins_usage },
    { "record", clnrm_cmd_record, NEEDS_ENGINE,
      "run tests and save the result as a baseline", clnrm_cmd_record_usage },
    { "render", clnrm_cmd_render, 0,
      "print a templated test file rendered to TOML", clnrm_cmd_render_usage },
    { "report", clnrm_cmd_report, 0,
      "render a saved JSON result (human, junit, tap, markdown)",
      clnrm_cmd_report_usage },
    { "run", clnrm_cmd_run, NEEDS_ENGINE, "run tests in fresh containers",
      clnrm_cmd_run_usage },
    { "self-test", clnrm_cmd_selftest, NEEDS_ENGINE,
      "check this installation end to end", clnrm_cmd_selftest_usage },
    { "validate", clnrm_cmd_validate, 0,
      "check test files without running anything", clnrm_cmd_validate_usage },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int cmp_command(const void *key, const void *elem)
{
    return strcmp(key, ((const struct command *)elem)->name);
}

static const struct command *find_command(const char *name)
{
    return bsearch(name, commands, N_COMMANDS, sizeof(commands[0]),
                   cmp_command);
}

void clnrm_cli_usage(FILE *f)
{
    fputs("usage: clnrm <command> [options] [paths...]\n\n"
          "Runs *.clnrm.toml tests in fresh, labelled containers.\n\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("\n`clnrm COMMAND --help` lists a command's options. Most used:\n"
          "  clnrm run [-j N] [--shard I/N] [-k REGEX] [-x] [-f FMT]\n"
          "            [--report-junit FILE] [--strict] [PATH...]\n"
          "  clnrm validate [--strict] [--explain] [PATH...]\n\n"
          "exit status: 0 all passed, 1 a test failed, 2 bad input or "
          "usage,\n"
          "             3 environment (engine unreachable, image missing),\n"
          "             130 interrupted (containers and networks removed)\n"
          "Plain output when CI or NO_COLOR is set or stdout is not a "
          "terminal.\n"
          "Engine: $DOCKER_HOST (unix:// or tcp://, TLS with "
          "DOCKER_TLS_VERIFY).\n"
          "Options for every command: --engine-timeout DURATION (per "
          "engine call),\n"
          "  --mask NAME_GLOB (more secret env names to mask), "
          "--allow-privileged,\n"
          "  --allow-host-network, --allow-host-pid, --allow-host-ipc,\n"
          "  --allow-docker-socket (let test files ask for them).\n",
          f);
}

bool clnrm_cli_needs_engine(const char *name)
{
    const struct command *cmd = find_command(name);

    return cmd != NULL && (cmd->flags & NEEDS_ENGINE) != 0;
}

static void ctx_init(struct clnrm_ctx *ctx)
{
    const char *no_color = getenv("NO_COLOR"), *ci = getenv("CI");
    bool plain = (no_color != NULL && no_color[0] != '\0') ||
                 (ci != NULL && ci[0] != '\0');

    ctx->out = stdout;
    ctx->err = stderr;
    ctx->color = !plain && isatty(STDOUT_FILENO);
    ctx->live = !plain && isatty(STDERR_FILENO);
}

/* The most --mask globs a command line takes. */
#define MAX_MASKS 32

struct global_opts {
    unsigned allow;
    const char *masks[MAX_MASKS];
    size_t n_masks;
};

/* --engine-timeout D: the engine library reads it from the environment
 * for every connection it opens (engine.h), set here before any thread. */
static int set_engine_timeout(const char *v)
{
    int64_t ms;
    char num[32];

    if (v == NULL || clnrm_parse_duration(v, &ms) != 0 || ms <= 0) {
        fprintf(stderr, "clnrm: --engine-timeout needs a duration such as "
                        "1s or 500ms\n");
        return -1;
    }
    snprintf(num, sizeof(num), "%lld", (long long)ms);
    return setenv(ENGINE_CALL_TIMEOUT_ENV, num, 1);
}

/* Takes one global option at argv[i]; returns how many words it used (0:
 * not a global option) or -1 on a usage error. */
static int take_global(int argc, char **argv, int i, struct global_opts *g)
{
    static const struct {
        const char *name;
        unsigned bit;
    } allows[] = { { "--allow-privileged", CLNRM_ALLOW_PRIVILEGED },
                   { "--allow-host-network", CLNRM_ALLOW_HOST_NETWORK },
                   { "--allow-host-pid", CLNRM_ALLOW_HOST_PID },
                   { "--allow-host-ipc", CLNRM_ALLOW_HOST_IPC },
                   { "--allow-docker-socket", CLNRM_ALLOW_DOCKER_SOCK } };
    const char *next = i + 1 < argc ? argv[i + 1] : NULL;

    for (size_t k = 0; k < sizeof(allows) / sizeof(allows[0]); k++)
        if (strcmp(argv[i], allows[k].name) == 0) {
            g->allow |= allows[k].bit;
            return 1;
        }
    if (strncmp(argv[i], "--engine-timeout=", 17) == 0)
        return set_engine_timeout(argv[i] + 17) == 0 ? 1 : -1;
    if (strcmp(argv[i], "--engine-timeout") == 0)
        return set_engine_timeout(next) == 0 ? 2 : -1;
    if (strcmp(argv[i], "--mask") != 0)
        return 0;
    if (next == NULL || g->n_masks == MAX_MASKS) {
        fprintf(stderr, "clnrm: --mask needs a NAME_GLOB (at most %d)\n",
                MAX_MASKS);
        return -1;
    }
    g->masks[g->n_masks++] = next;
    return 2;
}

/* Removes the global options from argv (up to a "--"). Returns the new
 * argc, or -1 after printing a usage error. */
static int take_globals(int argc, char **argv, struct global_opts *g)
{
    int out = 0, i = 0;

    while (i < argc) {
        int used =
            strcmp(argv[i], "--") == 0 ? 0 : take_global(argc, argv, i, g);

        if (used < 0)
            return -1;
        if (used == 0 && strcmp(argv[i], "--") == 0) {
            while (i < argc)
                argv[out++] = argv[i++];
            break;
        }
        if (used == 0)
            argv[out++] = argv[i++];
        i += used;
    }
    argv[out] = NULL;
    return out;
}

/* A plaintext tcp:// engine gets one warning per command. */
static void warn_plaintext(FILE *err)
{
    struct engine_addr a;
    const char *tls = getenv("DOCKER_TLS_VERIFY");

    if (engine_addr_parse(getenv("DOCKER_HOST"), tls != NULL && *tls != '\0',
                          &a, NULL) == ENGINE_OK &&
        a.transport == ENGINE_TCP && !a.tls)
        fprintf(err,
                "warning: the Docker engine at %s is reached over plaintext "
                "TCP (set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH for TLS)\n",
                a.display);
}

/* Runs cmd with what its flags ask for set up around it. */
static int run_command(const struct command *cmd, int argc, char **argv)
{
    struct clnrm_ctx ctx;
    struct global_opts g = { 0 };
    struct cr_error e = { 0 };
    enum engine_code rc;
    int status;

    ctx_init(&ctx);
    argc = take_globals(argc, argv, &g);
    if (argc < 0)
        return CLNRM_EXIT_USAGE;
    ctx.allow = g.allow;
    ctx.masks = g.masks;
    ctx.n_masks = g.n_masks;
    if (cmd->flags & NEEDS_ENGINE)
        warn_plaintext(ctx.err);
    if ((cmd->flags & NEEDS_ENGINE) &&
        (rc = engine_global_init(&e)) != ENGINE_OK) {
        fprintf(ctx.err, "clnrm %s: %s\n", cmd->name, e.msg);
        return clnrm_exit_status(clnrm_from_engine(rc, &e));
    }
    status = cmd->fn(&ctx, argc, argv);
    if (cmd->flags & NEEDS_ENGINE)
        engine_global_cleanup();
    return status;
}

int clnrm_cli_main(int argc, char **argv)
{
    const struct command *cmd;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        clnrm_cli_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? CLNRM_EXIT_USAGE : CLNRM_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("clnrm (%s)\n", clnrm_version());
        return CLNRM_EXIT_OK;
    }
    cmd = find_command(argv[1]);
    if (cmd == NULL) {
        fprintf(stderr, "clnrm: unknown command \"%s\" (see clnrm --help)\n",
                argv[1]);
        return CLNRM_EXIT_USAGE;
    }
    /* Here rather than in each command, so `health --help` cannot start
     * work. */
    if (argc == 3 &&
        (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
        fputs(cmd->usage, stdout);
        return CLNRM_EXIT_OK;
    }
    return run_command(cmd, argc - 1, argv + 1);
}
