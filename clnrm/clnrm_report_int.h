/* clnrm_report_int: renderers shared between the clnrm_report*.c files.
 * Each appends to out and returns 0, or -1 when out of memory. */
#ifndef CLNRM_REPORT_INT_H
#define CLNRM_REPORT_INT_H

#include "clnrm_report.h"

int clnrm__render_json(const struct clnrm_test_result *r, size_t n,
                       const struct clnrm_totals *tot, struct cr_buf *out);
int clnrm__render_junit(const struct clnrm_test_result *r, size_t n,
                        const struct clnrm_totals *tot, struct cr_buf *out);

#endif
