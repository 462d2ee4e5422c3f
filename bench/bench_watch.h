/*
 * bench_watch: the "watch" suite: the container-free part of `clnrm dev`'s
 * edit-to-result latency, from a save to the watcher's batch that decides
 * a rerun. Its library links the harness and the watch library.
 *
 * The suite makes and removes its own temporary directory; ctx is
 * borrowed.
 */
#ifndef BENCH_WATCH_H
#define BENCH_WATCH_H

#include "bench.h"

/* Runs the suite's benchmarks through ctx. Returns 0, or non-zero when
 * setup failed. */
int bench_suite_watch(struct bench_ctx *ctx);

#endif
