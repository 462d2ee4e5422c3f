/* clnrm_cli: command table and dispatch. See clnrm_cli.h. */
#include "clnrm_cli.h"

#include "clnrm.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct command {
    const char *name;
    int (*fn)(struct clnrm_ctx *ctx, int argc, char **argv);
    const char *summary;
};

/* Sorted by name for bsearch. `image` is routed by main.c. */
static const struct command commands[] = {
    { "health", clnrm_cmd_health,
      "check the engine, its API version and the base image" },
    { "init", clnrm_cmd_init,
      "write a runnable example test (never overwrites)" },
    { "list", clnrm_cmd_list, "list the tests a run would take" },
    { "run", clnrm_cmd_run, "run tests in fresh containers" },
    { "self-test", clnrm_cmd_selftest, "check this installation end to end" },
    { "validate", clnrm_cmd_validate,
      "check test files without running anything" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static int cmp_command(const void *key, const void *elem)
{
    return strcmp(key, ((const struct command *)elem)->name);
}

void clnrm_cli_usage(FILE *f)
{
    fputs("usage: clnrm <command> [options] [paths...]\n\n"
          "Runs *.clnrm.toml tests in fresh, labelled containers.\n\n"
          "commands:\n",
          f);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("  image      build or inspect the base image (image bootstrap)\n\n"
          "run options:\n"
          "  -j, --jobs N          tests in parallel (default: cores)\n"
          "  --shard I/N           run the I-th of N deterministic shares\n"
          "  --filter REGEX        only tests whose name matches\n"
          "  --fail-fast           stop starting tests after a failure\n"
          "  -f, --format FMT      human (default), json, junit or tap on "
          "stdout\n"
          "  --report-junit FILE   also write a JUnit XML report\n"
          "  --strict              unknown keys in test files are errors\n"
          "validate options: --strict, --explain (effective settings)\n"
          "self-test options: --suite NAME, --format human|json\n\n"
          "exit status: 0 all passed, 1 a test failed, 2 bad input or "
          "usage,\n"
          "             3 environment (engine unreachable, image missing),\n"
          "             130 interrupted\n"
          "Plain output when CI or NO_COLOR is set or stdout is not a "
          "terminal.\n",
          f);
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

int clnrm_cli_main(int argc, char **argv)
{
    struct clnrm_ctx ctx;
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
    cmd = bsearch(argv[1], commands, N_COMMANDS, sizeof(commands[0]),
                  cmp_command);
    if (cmd == NULL) {
        fprintf(stderr, "clnrm: unknown command \"%s\" (see clnrm --help)\n",
                argv[1]);
        return CLNRM_EXIT_USAGE;
    }
    ctx_init(&ctx);
    return cmd->fn(&ctx, argc - 1, argv + 1);
}
