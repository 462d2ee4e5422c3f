/*
 * fg_error: the flamegraph library's result codes, their messages and the
 * exit status each maps to. Every fallible fg_ function returns an enum
 * fg_code and fills a caller-owned struct cr_error (cr_error.h) through
 * fg_error_set. All strings returned here are static.
 */
#ifndef FG_ERROR_H
#define FG_ERROR_H

#include "cr_error.h"

#define FG_CODES(X)                                                            \
    X(FG_OK, 0, "success")                                                     \
    X(FG_E_IO, 1, "input/output error")                                        \
    X(FG_E_NOMEM, 1, "out of memory")                                          \
    X(FG_E_USAGE, 2, "bad usage")                                              \
    X(FG_E_INPUT, 2, "bad input")                                              \
    X(FG_E_EMPTY, 2, "no valid input")                                         \
    X(FG_E_NOPERF, 3, "perf is not installed")                                 \
    X(FG_E_PERM, 3, "perf may not record (kernel.perf_event_paranoid)")        \
    X(FG_E_PERF, 3, "perf failed")                                             \
    X(FG_E_COMMAND, 4, "the profiled command failed")                          \
    X(FG_E_FEW, 5, "too few samples to draw")                                  \
    X(FG_E_INTERRUPTED, 130, "interrupted")

enum fg_code { FG_CODES(CR_CODE_ENUM) };

/* fg_strerror, fg_exit_status and fg_error_set (see cr_error.h). */
CR_DECLARE_CODES(fg, enum fg_code);

#endif
