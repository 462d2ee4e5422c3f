/*
 * taskrun_summary: what a run cost, per task and along the critical path.
 *
 * The critical path is the chain of plan dependencies whose wall times add
 * up to the most: with unlimited -j the run could not be shorter than it.
 */
#ifndef TASKRUN_SUMMARY_H
#define TASKRUN_SUMMARY_H

#include "taskrun_graph.h"
#include "taskrun_output.h"
#include "taskrun_sched.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Computes the critical path: stores its node indices, outermost
 * dependency first, in *path (caller frees) and its length in *n. Returns
 * the path's total wall time in ms.
 */
uint64_t taskrun_critical_path(const struct taskrun_plan *p,
                               const struct taskrun_run *run, size_t **path,
                               size_t *n);

/* Writes the human time summary table to fd. */
void taskrun_summary_print(const struct taskrun_plan *p,
                           const struct taskrun_run *run, int fd);

/* Writes the "summary" JSON event (always emitted with --json). */
void taskrun_summary_json(const struct taskrun_plan *p,
                          const struct taskrun_run *run,
                          const struct taskrun_out *o);

/* Writes the -k failure summary (failed and not-run tasks) to fd. */
void taskrun_failures_print(const struct taskrun_plan *p,
                            const struct taskrun_run *run, int fd);

#endif
