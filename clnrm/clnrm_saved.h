/*
 * clnrm_saved: a run's results read back from the JSON report
 * (`run --format json`, `record`), for `report` and `diff`.
 *
 * Reading rebuilds, for each test, a minimal struct clnrm_test (name,
 * file, steps with name, argv and expected exit code) and its struct
 * clnrm_test_result, so every renderer of clnrm_report.h works on them
 * unchanged. struct clnrm_saved owns both; free it with
 * clnrm_saved_release.
 */
#ifndef CLNRM_SAVED_H
#define CLNRM_SAVED_H

#include "clnrm_error.h"
#include "clnrm_result.h"
#include "cr_buf.h"

struct clnrm_saved {
    struct clnrm_test **tests;         /* n, owned */
    struct clnrm_test_result *results; /* n, owned; borrow tests */
    size_t n;
    struct clnrm_totals totals; /* recounted; duration as saved */
};

/* Reads path. CLNRM_E_IO when it cannot be read, CLNRM_E_INPUT when it is
 * not such a report (the message names path and what is wrong),
 * CLNRM_E_NOMEM. On failure out is left empty. */
enum clnrm_code clnrm_saved_load(const char *path, struct clnrm_saved *out,
                                 struct cr_error *err);

void clnrm_saved_release(struct clnrm_saved *s);

/* Markdown: a summary table, then one table of steps per test that did
 * not pass. Returns 0, or -1 when out of memory. */
int clnrm_saved_markdown(const struct clnrm_test_result *r, size_t n,
                         const struct clnrm_totals *tot, struct cr_buf *out);

/* Appends to out one line per difference between baseline a and b
 * (tests matched by file and name; status, exit code and step list
 * compared, durations and output not). Returns the number of differences;
 * out of memory shortens the text, never the count. */
size_t clnrm_saved_diff(struct cr_buf *out, const struct clnrm_saved *a,
                        const struct clnrm_saved *b);

#endif
