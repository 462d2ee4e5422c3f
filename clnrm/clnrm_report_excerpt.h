/*
 * clnrm_report_excerpt: the bounded excerpt of captured output that the
 * human and JUnit reports show for a failed step.
 */
#ifndef CLNRM_REPORT_EXCERPT_H
#define CLNRM_REPORT_EXCERPT_H

#include "cr_buf.h"

#include <stddef.h>

/* Appends to out (owned by the caller) at most max_lines lines and
 * max_bytes bytes of the len bytes at s (borrowed), each line prefixed by
 * indent and made valid UTF-8, and a "... (N more bytes)" marker when cut.
 * Returns 0, or -1 when out of memory. */
int clnrm_report_excerpt(struct cr_buf *out, const char *s, size_t len,
                         const char *indent, size_t max_lines,
                         size_t max_bytes);

#endif
