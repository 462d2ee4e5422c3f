/*
 * slo_heap: an objective's command run once under heaptrack (through the
 * heap library), turned into an slo sample, so heap metrics are judged by
 * slo_judge like every other metric. An objective whose metric is
 * peak_heap_mb or leaked_kb is measured this way by `slo check` and by
 * `slo memory`; the limits stay in the objectives file.
 *
 * Units: peak_heap_mb is heaptrack's peak heap in decimal MB (10^6 bytes,
 * as heaptrack prints it), leaked_kb its bytes leaked in decimal KB
 * (10^3 bytes); rss_mb stays in MiB like every other run's.
 */
#ifndef SLO_HEAP_H
#define SLO_HEAP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "heap.h"
#include "heap_run.h"
#include "slo.h"

/* A run under heaptrack is stopped after this long (as slo check's runs). */
#define SLO_HEAP_TIMEOUT_MS (15u * 60u * 1000u)

/* True for the metrics measured through heaptrack. */
bool slo_metric_is_heap(enum slo_metric m);

/* Fills *s from a parsed heaptrack run (exit code 0). */
void slo_heap_sample(const struct heap_result *hr, struct slo_sample *s);

/*
 * Runs argv once in cwd under heaptrack, its data in a temporary directory
 * removed afterwards, and fills *s; *stop (may be NULL) stops it. Returns
 * SLO_OK, or the slo code of the failure (slo_from_heap) with the message in
 * err: heaptrack missing, command failed, unreadable output.
 */
enum slo_code slo_heap_run_once(const char *cwd, char *const *argv,
                                const atomic_int *stop, struct slo_sample *s,
                                struct cr_error *err);

#endif
