/*
 * bench_engine: the "engine" suite: one container's lifecycle through the
 * engine client, phase by phase, next to the Docker CLI doing the same. Its
 * library links the harness and the engine library.
 *
 * The suite owns the containers it creates and removes them before it
 * returns; ctx is borrowed.
 */
#ifndef BENCH_ENGINE_H
#define BENCH_ENGINE_H

#include "bench.h"

/* Runs the suite's benchmarks through ctx. Returns 0, or non-zero when
 * setup failed. */
int bench_suite_engine(struct bench_ctx *ctx);

#endif
