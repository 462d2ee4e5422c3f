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
