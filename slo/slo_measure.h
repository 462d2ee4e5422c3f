/*
 * slo_measure: runs an objective's command repeatedly, each run in its own
 * process group with output discarded, and measures every run on its own.
 */
#ifndef SLO_MEASURE_H
#define SLO_MEASURE_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "cr_error.h"
#include "cr_proc.h"
#include "slo.h"

/*
 * Called before each run with the objective, run index (negative during
 * warm-up) and the total, so a tool can show progress. May be NULL.
 */
typedef void (*slo_progress_fn)(void *arg, const struct slo_objective *o,
                                int run, int runs);

/*
 * Measures one objective: setup, warm-up, then the timed runs, stopping
 * early when *stop (may be NULL) becomes non-zero. Fills the caller's *res
 * (release with slo_result_release) and judges it. Returns SLO_OK even when
 * the verdict is FAIL; an unrunnable command gives verdict ERROR, not an
 * error code. SLO_E_NOMEM leaves nothing to release.
 */
enum slo_code slo_measure(const struct slo_config *cfg,
                          const struct slo_objective *o, slo_progress_fn fn,
                          void *arg, const atomic_int *stop,
                          struct slo_result *res, struct cr_error *err);

/* Frees res->samples and empties res. */
void slo_result_release(struct slo_result *res);

/*
 * Internal, exposed for tests. Opens a descriptor that becomes readable
 * when pid exits (pidfd_open(2)); returns it or -1 with errno set.
 */
typedef int slo__exit_fd_fn(pid_t pid);

/*
 * Internal, exposed for tests. Waits for the spawned child p and reaps it,
 * SIGKILLing its process group once *stop (may be NULL) is set or
 * timeout_ms has passed. open_exit_fd is how to get an exit descriptor
 * (NULL: pidfd_open); when it fails the wait polls instead, keeping the
 * timeout and the stop flag. Returns 1 when the child had to be killed, 0
 * when it exited by itself, or a negative errno.
 */
int slo__wait_child(struct cr_proc *p, const atomic_int *stop,
                    uint64_t timeout_ms, slo__exit_fd_fn *open_exit_fd);

#endif
