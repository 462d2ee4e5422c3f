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
    const char *usage; /* `clnrm CMD --help` */
};

static const char run_usage[] =
    "usage: clnrm run [options] [PATH...]\n\n"
    "Runs every *.clnrm.toml under the PATHs (default: the current\n"
    "directory; .git, node_modules, target and build* are skipped), each\n"
    "test in fresh containers on its own network.\n\n"
    "  -j, --jobs N            tests in parallel, 1 to 256 (default: cores)\n"
    "      --shard I/N         run only the I-th of N deterministic shares\n"
    "  -k, --filter REGEX      only tests whose name matches REGEX\n"
    "  -x, --fail-fast         start no more tests after one fails\n"
    "  -f, --format FMT        report on stdout: human (default), json,\n"
    "                          junit or tap\n"
    "      --report-junit FILE also write a JUnit XML report to FILE\n"
    "      --strict            unknown keys in test files are errors\n\n"
    "Ctrl-C (or SIGTERM, SIGHUP) stops the work within about 0.1 s,\n"
    "force-removes this run's containers and networks and exits 130. A\n"
    "third interrupt quits at once; the next run sweeps what is left.\n";

static const char validate_usage[] =
    "usage: clnrm validate [options] [PATH...]\n\n"
    "Checks test files without running anything; unknown keys are\n"
    "warnings with their position and a did-you-mean.\n\n"
    "      --strict            unknown keys are errors\n"
    "      --explain           print each test's effective settings\n"
    "                          (security, limits, network, readiness)\n"
    "  -k, --filter REGEX      only tests whose name matches REGEX\n"
    "      --shard I/N         only the I-th of N shares\n";

static const char list_usage[] =
    "usage: clnrm list [options] [PATH...]\n\n"
    "Prints name, file and step count of each test a run would take.\n\n"
    "      --strict            unknown keys are errors\n"
    "  -k, --filter REGEX      only tests whose name matches REGEX\n"
    "      --shard I/N         only the I-th of N shares\n";

static const char init_usage[] =
    "usage: clnrm init [DIR]\n\n"
    "Writes DIR/basic.clnrm.toml (default DIR: tests), a runnable example;\n"
    "never overwrites an existing file.\n";

static const char health_usage[] =
    "usage: clnrm health\n\n"
    "Checks that the engine ($DOCKER_HOST) answers, shows its version and\n"
    "the API version in use, and whether the base image clnrm-base:latest\n"
    "exists. Exit status 0 when all is well, 3 otherwise.\n";

static const char selftest_usage[] =
    "usage: clnrm self-test [--suite NAME] [--format human|json]\n\n"
    "Checks this installation end to end.\n"
    "suites: parsing engine lifecycle exec isolation timeouts cleanup "
    "reports\n";

/* Sorted by name for bsearch. `image` is routed by main.c. */
static const struct command commands[] = {
    { "health", clnrm_cmd_health,
      "check the engine, its API version and the base image", health_usage },
    { "init", clnrm_cmd_init,
      "write a runnable example test (never overwrites)", init_usage },
    { "list", clnrm_cmd_list, "list the tests a run would take", list_usage },
    { "run", clnrm_cmd_run, "run tests in fresh containers", run_usage },
    { "self-test", clnrm_cmd_selftest, "check this installation end to end",
      selftest_usage },
    { "validate", clnrm_cmd_validate,
      "check test files without running anything", validate_usage },
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
    fputs("  image      build the base image (bootstrap) or pull one\n\n"
          "`clnrm COMMAND --help` lists a command's options. Most used:\n"
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

void clnrm_cli_command_usage(FILE *f, const char *name)
{
    const struct command *cmd = find_command(name);

    if (cmd != NULL)
        fputs(cmd->usage, f);
    else
        clnrm_cli_usage(f);
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
    ctx_init(&ctx);
    return cmd->fn(&ctx, argc - 1, argv + 1);
}
