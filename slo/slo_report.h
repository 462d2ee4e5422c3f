/*
 * slo_report: renders measured results and writes report files. Each
 * renderer appends to a caller-owned buffer and returns 0, or -1 when out
 * of memory. The file writers never leave a half-written file: the target
 * is either the whole new content or what it was before.
 */
#ifndef SLO_REPORT_H
#define SLO_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "cr_buf.h"
#include "cr_error.h"
#include "slo.h"
#include "slo_history.h"
#include "slo_judge.h"

/*
 * Every renderer takes the results of this check and, in prev (may be
 * NULL), the check to compare with: the last line of the history or a
 * saved report. Objectives are shown by group, in the order each group
 * first appears.
 */

/* The change of r since prev (nothing when prev lacks the objective). */
void slo_report_change(const struct slo_result *r, const struct slo_check *prev,
                       struct slo_change *c);

/*
 * A table for people: value, limits, verdict, headroom (target / value and
 * critical / value), change since prev, and the spread; ANSI colours when
 * use_colour is non-zero.
 */
int slo_report_text(struct cr_buf *b, const struct slo_result *r, size_t n,
                    const struct slo_check *prev, int use_colour);

/*
 * JSON shaped like hyperfine's export: {"results": [{command, mean,
 * stddev, median, user, system, min, max, times, memory_usage_byte,
 * exit_codes}]}, every time in SECONDS and memory in bytes, as hyperfine
 * writes them. What is in the objective's own unit has its own keys, all
 * starting with "metric_" (metric_value, metric_target...), beside unit,
 * verdict, headroom and the change since prev.
 */
int slo_report_json(struct cr_buf *b, const struct slo_result *r, size_t n,
                    const struct slo_check *prev, uint64_t timestamp_ms);

/* A Markdown table, for CI job summaries and pull requests. */
int slo_report_markdown(struct cr_buf *b, const struct slo_result *r, size_t n,
                        const struct slo_check *prev);

/* "ms", "MB" or "KB": the unit of a metric. Static storage. */
const char *slo_metric_unit(enum slo_metric m);

/* Formats v (in m's unit) for people: "0.881 ms", "92.3 s", "15.4 MB". */
void slo_format_value(char *out, size_t cap, double v, enum slo_metric m);

/*
 * Replaces path with the bytes of b, atomically, creating its directory
 * when missing. Returns SLO_OK, SLO_E_IO or SLO_E_NOMEM with the file in
 * err.
 */
enum slo_code slo_report_write(const char *path, const struct cr_buf *b,
                               struct cr_error *err);

/*
 * Appends line (one JSON line, newline included) to the JSON-lines history
 * at path by rewriting the file atomically. A history that exists but
 * cannot be read is an error, never replaced by the new line alone.
 */
enum slo_code slo_report_append_history(const char *path,
                                        const struct cr_buf *line,
                                        struct cr_error *err);

#endif
