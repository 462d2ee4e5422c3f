/*
 * taskrun_duck_main: the `taskrun --duckscript` entry point (command
 * layer: it prints and returns an exit status).
 *
 * The scheduler runs every task as one child process; a duckscript task's
 * child is taskrun itself, re-executed as
 *
 *   taskrun --duckscript FILE [ARGS...]
 *   taskrun --duckscript-eval NAME TEXT [ARGS...]
 *
 * which interprets the script in-process (taskrun_duck.h) with the task's
 * environment and directory. `cm_run_task NAME` runs
 * `taskrun --skip-init-end-tasks --allow-private -f
 * $CARGO_MAKE_MAKEFILE_PATH NAME` (this executable), at most 16 deep.
 */
#ifndef TASKRUN_DUCK_MAIN_H
#define TASKRUN_DUCK_MAIN_H

#include <stdbool.h>

/* True when argv asks for the duckscript interpreter. */
bool taskrun_duck_main_wanted(int argc, char **argv);

/*
 * Runs the script argv names; echo writes to fd_out, errors (one line,
 * "taskrun: NAME:LINE: message") to fd_err. Returns the script's exit
 * status: its `exit N`, 0, 1 for a failed command, 2 for a usage or
 * syntax error, 5 when out of memory.
 */
int taskrun_duck_main(int argc, char **argv, int fd_out, int fd_err);

#endif
