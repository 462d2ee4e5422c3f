/*
 * clnrm_report_render: the four renderers behind clnrm_report_render, one
 * file each (clnrm_report_human.c, _tap.c, _junit.c, _json.c). Each
 * borrows the n results and totals, appends its document to out (owned by
 * the caller) and returns 0, or -1 when out of memory.
 */
#ifndef CLNRM_REPORT_RENDER_H
#define CLNRM_REPORT_RENDER_H

#include "clnrm_report.h"

/* The human summary; color adds ANSI colours. */
int clnrm__render_human(const struct clnrm_test_result *r, size_t n,
                        const struct clnrm_totals *tot, bool color,
                        struct cr_buf *out);
/* TAP version 13, YAML diagnostics for failures. */
int clnrm__render_tap(const struct clnrm_test_result *r, size_t n,
                      struct cr_buf *out);
/* JUnit XML (see clnrm_report.h for its shape). */
int clnrm__render_junit(const struct clnrm_test_result *r, size_t n,
                        const struct clnrm_totals *tot, struct cr_buf *out);
/* The JSON document the README describes. */
int clnrm__render_json(const struct clnrm_test_result *r, size_t n,
                       const struct clnrm_totals *tot, struct cr_buf *out);

#endif
