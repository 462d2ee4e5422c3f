/* clnrm_cli: the command table and the dispatcher. See clnrm_cli.h. */
#include "clnrm_cli.h"

#include "clnrm.h"
#include "clnrm_cmd.h"
#include "clnrm_error.h"
#include "engine.h"

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
          "DOCKER_TLS_VERIFY).\n",
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

/* Runs cmd with what its flags ask for set up around it. */
static int run_command(const struct command *cmd, int argc, char **argv)
{
    struct clnrm_ctx ctx;
    struct cr_error e = { 0 };
    enum engine_code rc;
    int status;

    ctx_init(&ctx);
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
