/*
 * clnrm_fmt: the canonical layout of a test file, as `clnrm fmt` writes
 * it. Line by line, so comments and the order of keys stay where the
 * author put them:
 *  - `key=value` and `key   =  value` become `key = value`;
 *  - table headers lose inner blanks (`[ services.db ]` -> `[services.db]`);
 *  - keys, headers and comments outside arrays start at column 1; lines
 *    inside an array or inline table spread over several lines are
 *    indented by four spaces (the closing bracket by none);
 *  - trailing blanks go, runs of blank lines become one, the file starts
 *    with no blank line and ends with exactly one newline, CRLF becomes LF;
 *  - multi-line strings are copied byte for byte.
 * Formatting an already formatted text gives it back unchanged.
 */
#ifndef CLNRM_FMT_H
#define CLNRM_FMT_H

#include "clnrm_error.h"
#include "cr_buf.h"

#include <stddef.h>

/* Appends the formatted form of buf[0..len) to out (caller-owned). Returns
 * CLNRM_OK, CLNRM_E_INPUT when the result would not parse as TOML while
 * the input did (the message names path), or CLNRM_E_NOMEM. */
enum clnrm_code clnrm_fmt(const char *buf, size_t len, const char *path,
                          struct cr_buf *out, struct cr_error *err);

#endif
