/*
 * heap_error: the heap library's result codes. They say what went wrong
 * with heaptrack or its output, not what a tool should do about it: slo
 * maps them to its own codes in one place (slo_from_heap, slo_error.c).
 *
 * Functions return enum heap_code (HEAP_OK is 0) and fill a caller-owned
 * struct cr_error (common/cr_error.h), which may be NULL, with one line;
 * for HEAP_E_PARSE its pos.line is the line of heaptrack_print's output.
 * Strings returned here are static.
 */
#ifndef HEAP_ERROR_H
#define HEAP_ERROR_H

#include "cr_error.h"

/* X(name, text) */
#define HEAP_CODES(X)                                                          \
    X(HEAP_OK, "success")                                                      \
    X(HEAP_E_MISSING, "heaptrack is not installed")                            \
    X(HEAP_E_COMMAND, "the profiled command failed")                           \
    X(HEAP_E_NODATA, "heaptrack wrote no readable data file")                  \
    X(HEAP_E_PARSE, "unparsable heaptrack_print output")                       \
    X(HEAP_E_IO, "input/output error")                                         \
    X(HEAP_E_NOMEM, "out of memory")

enum heap_code { HEAP_CODES(CR_CODE_TEXT_ENUM) };

/* A static description of code ("the profiled command failed"). */
const char *heap_strerror(enum heap_code code);

/* Sets err (may be NULL) to code and a formatted message; returns code. */
CR_DECLARE_ERROR_SET(heap_error_set, enum heap_code);

#endif
