/*
 * slo_memory_report: the report of `slo memory` (struct slo_memory, see
 * slo_memory.h) as text for people and as JSON: heaptrack's summary, each
 * objective's verdict (the table of slo_report_text), the top allocation
 * sites by calls, by peak bytes and by bytes leaked, and where the files
 * are. Renderers append to a caller-owned buffer and return 0, or -1 when
 * out of memory.
 */
#ifndef SLO_MEMORY_REPORT_H
#define SLO_MEMORY_REPORT_H

#include <stdint.h>

#include "cr_buf.h"
#include "slo_memory.h"

int slo_memory_report_text(struct cr_buf *b, const struct slo_memory *m);

/*
 * {"command": [...], "summary": {bytes and counts}, "objectives": [{name,
 * metric, value, target, critical, verdict, note}], "top_by_calls",
 * "top_by_peak", "top_leaks": [{function, location, module, calls,
 * bytes}], "files": {...}}.
 */
int slo_memory_report_json(struct cr_buf *b, const struct slo_memory *m,
                           uint64_t timestamp_ms);

#endif
