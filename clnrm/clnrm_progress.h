/*
 * clnrm_progress: what a run shows while it runs.
 *
 * Live mode (a terminal without CI/NO_COLOR) keeps one status line at the
 * bottom, redrawn four times a second: tests running, done, passed,
 * failed, elapsed time and the names in flight; each finished test prints
 * a line above it. Plain mode prints one whole line per finished test, so
 * parallel workers never interleave mid-line.
 */
#ifndef CLNRM_PROGRESS_H
#define CLNRM_PROGRESS_H

#include "clnrm_result.h"

#include <stdbool.h>
#include <stdio.h>

struct clnrm_progress;

/* Starts showing progress for total tests on f. NULL when out of memory
 * (callers then run without progress). Free with clnrm_progress_finish. */
struct clnrm_progress *clnrm_progress_start(FILE *f, bool live, bool color,
                                            size_t total);

/* Masks secret values in the failure messages it prints (m borrowed until
 * finish; p may be NULL). */
struct clnrm_mask;
void clnrm_progress_set_mask(struct clnrm_progress *p,
                             const struct clnrm_mask *m);

/* Thread-safe event sinks, matching struct clnrm_run_hooks. */
void clnrm_progress_on_start(void *p, size_t index, const struct clnrm_test *t);
void clnrm_progress_on_done(void *p, size_t index,
                            const struct clnrm_test_result *r);

/* Clears the live line, stops the ticker and frees p. Accepts NULL. */
void clnrm_progress_finish(struct clnrm_progress *p);

#endif
