/*
 * taskrun_duck: an interpreter of duckscript, the script language of
 * cargo-make's `script_runner = "@duckscript"` (and `#!@duckscript`).
 *
 * A script is parsed once (taskrun_duck_load) and run from its first line
 * (taskrun_duck_run) or one of its functions called (taskrun_duck_call).
 * Values are strings; arrays and sets are handles (strings naming an entry
 * of the interpreter's handle table) until `release`.
 *
 * The interpreter keeps its own copy of the environment (get_env, set_env,
 * exec see it; the process environment is never changed) and its own
 * working directory (cd; relative paths of every command resolve against
 * it). It writes only what `echo` prints, to io->out_fd; children of
 * `exec` inherit the process's stdout/stderr unless captured.
 *
 * Ownership: taskrun_duck_new returns a heap object the caller frees with
 * taskrun_duck_free; everything it holds is its own copy, so the text and
 * io given to it may be freed once the call returns (io->ctx is borrowed
 * and must live as long as the interpreter).
 */
#ifndef TASKRUN_DUCK_H
#define TASKRUN_DUCK_H

#include "cr_strv.h"
#include "taskrun.h"

#include <stdbool.h>

struct taskrun_duck;

/* What the embedder provides. */
struct taskrun_duck_io {
    int out_fd; /* where `echo` writes */
    /* NULL-terminated "K=V" strings the environment starts from; NULL:
     * empty. Copied. */
    const char *const *envp;
    const char *cwd; /* starting directory; NULL: the process's own */
    /*
     * `cm_run_task NAME`: runs a task of the embedding task runner and
     * returns its exit code (0 is success), or -1 with err set when it
     * could not run. NULL: cm_run_task is an error.
     */
    int (*run_task)(void *ctx, const char *task, struct cr_error *err);
    void *ctx;
    /*
     * duckscript's own default: a failing command (trigger_error, a bad
     * argument, a missing file) makes its output "false", sets the last
     * error and the script goes on. false (taskrun's default, so that a
     * task never succeeds past an error nobody looked at): that holds only
     * for a command whose output is assigned; otherwise the script stops.
     * Failed assertions, unknown commands and `exec --fail-on-error` stop
     * the script either way.
     */
    bool continue_on_error;
};

/* Makes an interpreter with nothing loaded. TASKRUN_E_NOMEM on failure. */
enum taskrun_code taskrun_duck_new(struct taskrun_duck **out,
                                   const struct taskrun_duck_io *io);

/* Frees d and every handle it still holds; NULL allowed. */
void taskrun_duck_free(struct taskrun_duck *d);

/*
 * Parses text (the whole script); name is used in error messages
 * ("name:LINE: ..."). A script already loaded is replaced. Returns
 * TASKRUN_E_LOAD with err naming the line for a syntax error (an `if`
 * without `end`, an unterminated string, a `!` preprocessor line).
 */
enum taskrun_code taskrun_duck_load(struct taskrun_duck *d, const char *name,
                                    const char *text, struct cr_error *err);

/*
 * Runs the loaded script from its first line with args as ${1}, ${2}...
 * (args may be NULL). *exit_code gets the script's `exit N` (0 when it
 * ends without one). Returns TASKRUN_OK also for a non-zero `exit`;
 * TASKRUN_E_TASK (with *exit_code 1 and err "name:LINE: ...") when a
 * command failed: an unknown command, a failed assert, trigger_error,
 * `exec --fail-on-error` of a failing program; TASKRUN_E_NOMEM.
 */
enum taskrun_code taskrun_duck_run(struct taskrun_duck *d,
                                   const struct cr_strv *args, int *exit_code,
                                   struct cr_error *err);

/*
 * Calls the function fn of the loaded script (without running the top
 * level), with the same results as taskrun_duck_run. TASKRUN_E_USAGE when
 * the script defines no such function.
 */
enum taskrun_code taskrun_duck_call(struct taskrun_duck *d, const char *fn,
                                    int *exit_code, struct cr_error *err);

/*
 * The names of the functions the loaded script defines, in file order,
 * appended to names. Returns 0 or -ENOMEM.
 */
int taskrun_duck_functions(const struct taskrun_duck *d, struct cr_strv *names);

/*
 * True when name is a command this interpreter implements (builtins and
 * flow keywords), for documentation and tests.
 */
bool taskrun_duck_has_command(const char *name);

#endif
