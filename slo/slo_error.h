/*
 * slo_error: the slo library's result codes, their messages and the exit
 * status each maps to. Every fallible slo function returns an enum slo_code
 * and fills a caller-owned struct cr_error (cr_error.h) through
 * slo_error_set. All strings returned here are static.
 */
#ifndef SLO_ERROR_H
#define SLO_ERROR_H

#include "cr_error.h"
#include "heap_error.h"

#define SLO_CODES(X)                                                           \
    X(SLO_OK, 0, "success")                                                    \
    X(SLO_E_FAILED, 1, "an objective failed")                                  \
    X(SLO_E_USAGE, 2, "bad usage")                                             \
    X(SLO_E_CONFIG, 2, "bad objectives file")                                  \
    X(SLO_E_RUN, 1, "a measured command failed")                               \
    X(SLO_E_IO, 1, "input/output error")                                       \
    X(SLO_E_NOMEM, 1, "out of memory")                                         \
    X(SLO_E_MISSING, 3, "a required tool is not installed")

enum slo_code { SLO_CODES(CR_CODE_ENUM) };

/* slo_strerror, slo_exit_status and slo_error_set (see cr_error.h). */
CR_DECLARE_CODES(slo, enum slo_code);

/*
 * The slo code for a heap library code: the one place where heap codes
 * cross into slo (heaptrack missing is SLO_E_MISSING, exit 3).
 */
enum slo_code slo_from_heap(enum heap_code code);

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *slo_version(void);

#endif
