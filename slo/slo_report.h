/*
 * slo_report: renders measured results. Each function appends to a
 * caller-owned buffer and returns 0, or -1 when out of memory.
 */
#ifndef SLO_REPORT_H
#define SLO_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cr_buf.h"
#include "slo.h"

/* A table for people; ANSI colours when use_colour is non-zero. */
int slo_report_text(struct cr_buf *b, const struct slo_result *r, size_t n,
                    int use_colour);

/*
 * JSON shaped like hyperfine's export ({"results": [{command, mean, user,
 * system, times, memory_usage_byte, exit_codes, ...}]}, seconds and bytes),
 * with each objective's metric, statistic, limits and verdict added.
 */
int slo_report_json(struct cr_buf *b, const struct slo_result *r, size_t n,
                    uint64_t timestamp_ms);

/* A Markdown table, for CI job summaries and pull requests. */
int slo_report_markdown(struct cr_buf *b, const struct slo_result *r, size_t n);

#endif
