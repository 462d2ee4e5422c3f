/*
 * clnrm_report: renders run results as a human summary, JSON, JUnit XML or
 * TAP 13 into a caller-owned struct cr_buf.
 *
 * JUnit: one <testsuite> per test file, one <testcase> per step (a test that
 * could not start gets one "setup" testcase with an <error>), durations in
 * seconds with millisecond precision, captured stdout/stderr in
 * <system-out>/<system-err>, and <failure> bodies giving expected and
 * actual values. Text is escaped and invalid UTF-8 or characters XML 1.0
 * forbids become U+FFFD, so the document is always well-formed.
 */
#ifndef CLNRM_REPORT_H
#define CLNRM_REPORT_H

#include "clnrm_error.h"
#include "clnrm_result.h"
#include "cr_buf.h"

#include <stdbool.h>
#include <stddef.h>

enum clnrm_report_format {
    CLNRM_REPORT_HUMAN = 0,
    CLNRM_REPORT_JSON,
    CLNRM_REPORT_JUNIT,
    CLNRM_REPORT_TAP,
};

/* Parses "human", "json", "junit" or "tap". Returns 0, or -1. */
int clnrm_report_parse_format(const char *s, enum clnrm_report_format *out);

/* Renders the n results in format fmt (color applies to human only). */
enum clnrm_code clnrm_report_render(enum clnrm_report_format fmt,
                                    const struct clnrm_test_result *r, size_t n,
                                    const struct clnrm_totals *tot, bool color,
                                    struct cr_buf *out, struct cr_error *err);

/* Writes the JUnit report of the results to path, atomically. */
enum clnrm_code clnrm_report_write_junit(const char *path,
                                         const struct clnrm_test_result *r,
                                         size_t n,
                                         const struct clnrm_totals *tot,
                                         struct cr_error *err);

#endif
