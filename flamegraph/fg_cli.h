/*
 * fg_cli: helpers of the flamegraph tool's command layer (main.c): usage
 * errors, error lines, output files, option values. Like clnrm_cli, this is
 * tool code: it prints to stderr and stdout, which the rest of the library
 * never does. Strings passed in are borrowed for the call only.
 */
#ifndef FG_CLI_H
#define FG_CLI_H

#include "fg_error.h"
#include "fg_render.h"

#include "cr_buf.h"

#include <stdbool.h>
#include <stdint.h>

/* Prints "flamegraph CMD: <message>" and a pointer to --help; returns the
 * usage exit status (2). */
int fg_cli_usage(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints err's message (or rc's text) and returns rc's exit status. */
int fg_cli_fail(struct cr_error *err, enum fg_code rc);

/* Writes out to path atomically, or to stdout when path is NULL or "-";
 * returns 0 or the exit status after printing why. */
int fg_cli_emit(const char *path, const struct cr_buf *out);

/* Threads for collapsing: the CPUs online less the 1-minute load average
 * (the idle ones), at least one, at most four. */
int fg_cli_threads(void);

/* A --threads value (1 to 64), or -1. */
int fg_cli_parse_threads(const char *s);

/* Whether a is -h or --help. */
bool fg_cli_is_help(const char *a);

/* The value of option argv[*i] (advancing *i), or NULL after printing a
 * usage error. */
const char *fg_cli_value(int argc, char **argv, int *i, const char *cmd);

/* Warns about skipped input lines: their count and the first one's line. */
void fg_cli_warn_skipped(const char *input, uint64_t skipped, uint64_t first);

/* "flamegraph ARGS...", for the default subtitle; caller frees; NULL when
 * out of memory. */
char *fg_cli_command_line(int argc, char **argv);

/* Parses --minwidth "PX" or "N%" into o; false when malformed. */
bool fg_cli_parse_minwidth(const char *s, struct fg_render_opts *o);

/* Parses --width (100 to 100000 px); false when malformed. */
bool fg_cli_parse_width(const char *s, unsigned *w);

/* Handles argv[*i] if it is an option shared by render and diff: returns
 * 1 when it was one (advancing *i past its value), 0 when not, -1 after
 * printing a usage error. *out_path gets -o's value. */
int fg_cli_render_option(int argc, char **argv, int *i, const char *cmd,
                         struct fg_render_opts *o, const char **out_path);

/* Ends render and diff: on FG_E_EMPTY writes an error SVG naming input
 * (which may be NULL) and fails; otherwise warns about few samples and
 * writes out. Returns the exit status. */
int fg_cli_finish_render(enum fg_code rc, struct cr_error *err,
                         const struct fg_render_result *res,
                         const char *out_path, struct cr_buf *out,
                         const char *countname, const char *input);

/* The record command: profiles a command with perf and writes every
 * output file (flamegraph/README.md, "record"). Returns the exit status. */
int fg_cli_record(int argc, char **argv);

#endif
