/*
 * bench_error: the bench library's result codes, their messages and the
 * exit status each maps to (bench/README.md lists them). Fallible bench_
 * functions return an enum bench_code and fill a caller-owned struct
 * cr_error through bench_error_set. All strings returned here are static.
 */
#ifndef BENCH_ERROR_H
#define BENCH_ERROR_H

#include "cr_error.h"

#define BENCH_CODES(X)                                                         \
    X(BENCH_OK, 0, "success")                                                  \
    X(BENCH_E_REGRESSION, 1, "a gated benchmark regressed")                    \
    X(BENCH_E_USAGE, 2, "bad usage")                                           \
    X(BENCH_E_INPUT, 3, "malformed benchmark results")                         \
    X(BENCH_E_IO, 3, "input/output error")                                     \
    X(BENCH_E_NOMEM, 1, "out of memory")

enum bench_code { BENCH_CODES(CR_CODE_ENUM) };

/* bench_strerror, bench_exit_status and bench_error_set (see cr_error.h). */
CR_DECLARE_CODES(bench, enum bench_code);

#endif
