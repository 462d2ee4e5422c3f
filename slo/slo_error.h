/*
 * slo_error: the slo library's result codes, their messages and the exit
 * status each maps to. Every fallible slo function returns an enum slo_code
 * and fills a caller-owned struct cr_error (cr_error.h) through
 * slo_error_set. All strings returned here are static.
 */
#ifndef SLO_ERROR_H
#define SLO_ERROR_H

#include "cr_error.h"

#define SLO_CODES(X)                                                           \
    X(OK, 0, "success")                                                        \
    X(E_FAILED, 1, "an objective failed")                                      \
    X(E_USAGE, 2, "bad usage")                                                 \
    X(E_CONFIG, 2, "bad objectives file")                                      \
    X(E_RUN, 1, "a measured command failed")                                   \
    X(E_IO, 1, "input/output error")                                           \
    X(E_NOMEM, 1, "out of memory")

enum slo_code {
#define SLO_X_ENUM(name, status, text) SLO_##name,
    SLO_CODES(SLO_X_ENUM)
#undef SLO_X_ENUM
};

/* slo_strerror, slo_exit_status and slo_error_set (see cr_error.h). */
CR_DECLARE_CODES(slo, enum slo_code);

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *slo_version(void);

#endif
