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

enum taskrun_code {
#define TASKRUN_X(name, status, msg) name,
    TASKRUN_CODES(TASKRUN_X)
#undef TASKRUN_X
};

/* A fixed message per code. Static storage. */
const char *taskrun_strerror(enum taskrun_code code);

/* The process exit status that main uses for code. */
int taskrun_exit_status(enum taskrun_code code);

/* Formats err->msg, sets err->code and returns code (err may be NULL). */
CR_DECLARE_ERROR_SET(taskrun_errorf, enum taskrun_code);

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *taskrun_version(void);

#endif
