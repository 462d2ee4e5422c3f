/*
 * tmpl_error: the template library's result codes. Every fallible tmpl_
 * function returns an enum tmpl_code and fills a caller-owned struct
 * cr_error (cr_error.h) through tmpl_error_set; the message is one line,
 * "FILE:LINE:COL: what", pointing into the template. Strings are static.
 */
#ifndef TMPL_ERROR_H
#define TMPL_ERROR_H

#include "cr_error.h"

#define TMPL_CODES(X)                                                          \
    X(TMPL_OK, "success")                                                      \
    X(TMPL_E_SYNTAX, "template syntax error")                                  \
    X(TMPL_E_UNSUPPORTED, "template construct not supported")                  \
    X(TMPL_E_UNDEFINED, "undefined variable")                                  \
    X(TMPL_E_TYPE, "value of the wrong type")                                  \
    X(TMPL_E_EVAL, "template evaluation error")                                \
    X(TMPL_E_IO, "cannot read a template file")                                \
    X(TMPL_E_LIMIT, "template too deep or too large")                          \
    X(TMPL_E_NOMEM, "out of memory")

enum tmpl_code { TMPL_CODES(CR_CODE_TEXT_ENUM) };

/* Static text for code. */
const char *tmpl_strerror(enum tmpl_code code);

/* Sets err (may be NULL) and returns code; see cr_error_set. */
CR_DECLARE_ERROR_SET(tmpl_error_set, enum tmpl_code);

#endif
