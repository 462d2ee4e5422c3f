/*
 * taskrun: a cargo-make compatible task runner (public API).
 *
 * The library loads a makefile (taskrun_load.h), plans a task graph
 * (taskrun_graph.h) and runs it (taskrun_sched.h); main.c only parses argv
 * (taskrun_cli.h) and maps the result to an exit status. Library functions
 * never print or exit: they return a taskrun_code with detail in a
 * caller-owned struct cr_error.
 */
#ifndef TASKRUN_H
#define TASKRUN_H

#include <stdarg.h>

#include "cr_error.h"

/*
 * Result codes, their exit status and a message. The exit statuses are
 * documented in --help and taskrun/README.md; a failing task's own exit
 * code is passed through instead of TASKRUN_E_TASK's.
 */
#define TASKRUN_CODES(X)                                                       \
    X(TASKRUN_OK, 0, "success")                                                \
    X(TASKRUN_E_TASK, 1, "a task failed")                                      \
    X(TASKRUN_E_USAGE, 2, "usage error")                                       \
    X(TASKRUN_E_LOAD, 2, "invalid makefile")                                   \
    X(TASKRUN_E_PLAN, 3, "invalid task graph")                                 \
    X(TASKRUN_E_RUN, 4, "a task could not be started")                         \
    X(TASKRUN_E_NOMEM, 5, "out of memory")                                     \
    X(TASKRUN_E_INTERRUPTED, 130, "interrupted")

enum taskrun_code { TASKRUN_CODES(CR_CODE_ENUM) };

/* taskrun_strerror (a fixed message per code), taskrun_exit_status (the
 * status main uses for code) and taskrun_error_set (see cr_error.h). */
CR_DECLARE_CODES(taskrun, enum taskrun_code);

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *taskrun_version(void);

#endif
