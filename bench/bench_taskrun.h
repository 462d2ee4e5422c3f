/*
 * bench_taskrun: the "taskrun" suite: loading, planning and [env]
 * evaluation of generated large makefiles (a 50,000-task dependency chain,
 * a 20,000-task fan-out, 20,000 [env] entries with a long reference
 * chain), to keep their cost linear. Its library links the harness and
 * taskrun_lib.
 *
 * The suite frees every file, plan and environment it builds; ctx is
 * borrowed.
 */
#ifndef BENCH_TASKRUN_H
#define BENCH_TASKRUN_H

#include "bench.h"

/* Runs the suite's benchmarks through ctx. Returns 0, or non-zero when
 * setup failed. */
int bench_suite_taskrun(struct bench_ctx *ctx);

#endif
