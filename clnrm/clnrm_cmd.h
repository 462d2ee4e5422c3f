/*
 * clnrm_cmd: what every `clnrm` command gets and returns.
 *
 * Each command is `int clnrm_cmd_NAME(struct clnrm_ctx *, int argc,
 * char **argv)` with argv[0] the command's name; it prints to ctx->out and
 * ctx->err and returns the process exit status. Its usage text,
 * clnrm_cmd_NAME_usage, is what `clnrm NAME --help` prints. The dispatcher
 * (clnrm_cli.c) lists every command in one table with its setup flags.
 *
 * To add a command: write clnrm_cmd_NAME.c with the function and its usage
 * text, declare both here, and add a row to the table in clnrm_cli.c.
 */
#ifndef CLNRM_CMD_H
#define CLNRM_CMD_H

#include "clnrm_report.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses (documented in --help): 0 all tests passed, 1 a test
 * failed, 2 bad input or usage, 3 the environment (engine unreachable,
 * image missing), 130 interrupted. */
#define CLNRM_EXIT_OK          0
#define CLNRM_EXIT_FAILED      1
#define CLNRM_EXIT_USAGE       2
#define CLNRM_EXIT_ENV         3
#define CLNRM_EXIT_INTERRUPTED 130

/* What every command gets; filled once by the dispatcher, borrowed. */
struct clnrm_ctx {
    bool color; /* ANSI colours on stdout (a tty, no NO_COLOR/CI) */
    bool live;  /* rewrite a live progress line on stderr */
    FILE *out;  /* stdout */
    FILE *err;  /* stderr */
    /* Options the dispatcher takes for every command (clnrm_cli.c):
     * --allow-* (CLNRM_ALLOW_*, clnrm_load.h) and --mask GLOB. */
    unsigned allow;
    const char *const *masks; /* borrowed from argv */
    size_t n_masks;
};

/*
 * Installs the handler for SIGINT/SIGTERM/SIGHUP (cr_signal.h), ignores
 * SIGPIPE, and returns the stop flag it sets, for the runner's cancel flag.
 * A second signal says that cleanup is under way, a third quits at once
 * (the next run's sweep removes what is left). Only commands install
 * handlers; the library never does.
 */
const atomic_int *clnrm_cmd_signals_install(void);

/* `run`'s sweeps of leftovers (clnrm_cmd_sweep.c), saying on ctx->err
 * what they removed. The start sweep removes the objects of dead runs and
 * notes when it saw one; the end sweep removes this run's objects and
 * then the dead runs' again, waiting for the creations a dead run had sent
 * before it died to settle when the start sweep found one. */
struct clnrm_run_sweep {
    uint64_t orphan_seen_ms; /* cr_clock_ms of the start sweep if it
                                removed something, else 0 */
};
struct clnrm_runctx;
struct engine;
void clnrm_cmd_sweep_start(struct clnrm_ctx *ctx, struct engine *eng,
                           struct clnrm_run_sweep *sw);
void clnrm_cmd_sweep_end(struct clnrm_ctx *ctx, const struct clnrm_runctx *rc,
                         const struct clnrm_run_sweep *sw);

/* `run`'s output once the suite ran (clnrm_cmd_run_report.c): the report
 * in fmt on ctx->out and, when their paths are set, the JUnit and JSON
 * files written atomically, all masked with m; returns an exit status
 * (CLNRM_EXIT_ENV when a report could not be written, else OK). Then the
 * `docker exec` lines of kept tests and the --stats engine call counts,
 * on ctx->err. */
struct clnrm_mask;
int clnrm_cmd_run_report(struct clnrm_ctx *ctx, enum clnrm_report_format fmt,
                         const char *junit_path, const char *json_path,
                         const struct clnrm_mask *m,
                         const struct clnrm_test_result *res, size_t n,
                         const struct clnrm_totals *tot);
void clnrm_cmd_run_print_kept(struct clnrm_ctx *ctx,
                              const struct clnrm_test_result *r, size_t n);
void clnrm_cmd_run_print_stats(struct clnrm_ctx *ctx,
                               const struct clnrm_test_result *res, size_t n);

/* The commands, in the table's order. Those flagged NEEDS_ENGINE there run
 * between engine_global_init and engine_global_cleanup. */
int clnrm_cmd_dev(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_health(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_image(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_init(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_list(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_render(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_run(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_selftest(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_validate(struct clnrm_ctx *ctx, int argc, char **argv);
/* The Rust clnrm's other commands (clnrm_cmd_NAME.c each). */
int clnrm_cmd_fmt(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_lint(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_dryrun(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_plugins(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_report(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_record(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_diff(struct clnrm_ctx *ctx, int argc, char **argv);
int clnrm_cmd_clean(struct clnrm_ctx *ctx, int argc, char **argv);

/* Their usage texts (static storage). */
extern const char clnrm_cmd_dev_usage[];
extern const char clnrm_cmd_health_usage[];
extern const char clnrm_cmd_image_usage[];
extern const char clnrm_cmd_init_usage[];
extern const char clnrm_cmd_list_usage[];
extern const char clnrm_cmd_render_usage[];
extern const char clnrm_cmd_run_usage[];
extern const char clnrm_cmd_selftest_usage[];
extern const char clnrm_cmd_validate_usage[];
extern const char clnrm_cmd_fmt_usage[];
extern const char clnrm_cmd_lint_usage[];
extern const char clnrm_cmd_dryrun_usage[];
extern const char clnrm_cmd_plugins_usage[];
extern const char clnrm_cmd_report_usage[];
extern const char clnrm_cmd_record_usage[];
extern const char clnrm_cmd_diff_usage[];
extern const char clnrm_cmd_clean_usage[];

/* Adds one `--var KEY=VALUE` (arg, borrowed) to vars (n of at most
 * CLNRM_MAX_VARS, clnrm_load.h). Returns -1 when added, else prints why
 * not and returns the exit status. */
int clnrm_cmd_var(struct clnrm_ctx *ctx, const char *cmd, const char **vars,
                  size_t *n, const char *arg);

/* clnrm_cmd_explain.c: prints a loaded test's effective settings (format,
 * timeout, network, security, each service and step, the keys accepted
 * but not used) for validate --explain and dry-run; and an argv as
 * ["a", "b"]. Both borrow their arguments. Secret values are masked
 * (clnrm_mask.h; masks are the user's extra --mask globs). */
struct clnrm_test;
struct cr_strv;
void clnrm_cmd_explain(FILE *f, const struct clnrm_test *t,
                       const char *const *masks, size_t n_masks);
void clnrm_cmd_explain_argv(FILE *f, const struct cr_strv *v);
/* Prints len bytes of text about t to f with t's secrets (and those of
 * clnrm's environment) masked; t may be NULL. */
void clnrm_cmd_print_masked(FILE *f, const struct clnrm_test *t,
                            const char *const *masks, size_t n_masks,
                            const char *text, size_t len);

/* Prints the loader's diagnostics to ctx->err: errors and warnings always,
 * notes only when asked. */
struct clnrm_diags;
void clnrm_cmd_print_diags(const struct clnrm_ctx *ctx,
                           const struct clnrm_diags *d, bool notes);

#endif
