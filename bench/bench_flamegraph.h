/*
 * bench_flamegraph: the "flamegraph" suite: collapsing `perf script` text,
 * rendering the folded stacks as an SVG (flame and icicle graphs) and the
 * top table, on a generated profile of realistic shape. Its library links
 * the harness and the flamegraph library.
 *
 * The suite frees everything it makes; ctx is borrowed.
 */
#ifndef BENCH_FLAMEGRAPH_H
#define BENCH_FLAMEGRAPH_H

#include "bench.h"

/* Runs the suite's benchmarks through ctx. Returns 0, or non-zero when
 * setup failed. */
int bench_suite_flamegraph(struct bench_ctx *ctx);

#endif
