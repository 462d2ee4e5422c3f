/*
 * clnrm_cli: the clnrm command line (everything main() does besides the
 * `image` subcommand, which lives in cmd_image.c).
 *
 * Exit statuses (documented in --help): 0 all tests passed, 1 a test
 * failed, 2 bad input or usage, 3 the environment (engine unreachable,
 * image missing), 130 interrupted.
 */
#ifndef CLNRM_CLI_H
#define CLNRM_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define CLNRM_EXIT_OK          0
#define CLNRM_EXIT_FAILED      1
#define CLNRM_EXIT_USAGE       2
#define CLNRM_EXIT_ENV         3
#define CLNRM_EXIT_INTERRUPTED 130

/* What every command gets; filled once by clnrm_cli_main. */
struct clnrm_ctx {
    bool color; /* ANSI colours on stdout (a tty, no NO_COLOR/CI) */
    bool live;  /* rewrite a live progress line on stderr */
    FILE *out;  /* stdout */
    FILE *err;  /* stderr */
};

/* Runs the command line; returns the exit status. */
int clnrm_cli_main(int argc, char **argv);

/* The subcommands: argv[0] is the command name. Each returns an exit
 * status. */
int clnrm_cmd_run(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_validate(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_list(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_init(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_health(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_selftest(struct clnrm_ctx *ctx, int argc, char **argv);

/* Prints loader diagnostics to ctx->err, notes only when asked. */
struct clnrm_diags;
void clnrm__print_diags(struct clnrm_ctx *ctx, const struct clnrm_diags *d,
                        bool notes);

/* Prints the top-level usage to f. */
void clnrm_cli_usage(FILE *f);

/* Prints the usage of command name (the top-level one if unknown). */
void clnrm_cli_command_usage(FILE *f, const char *name);

#endif
