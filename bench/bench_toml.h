/*
 * bench_toml: the "toml" suite: cr_toml parse throughput on a small tasks.toml
 * and a generated 4 MB document. Its library links the harness and
 * libcleanroom.
 *
 * The suite frees every document it parses; ctx is borrowed.
 */
#ifndef BENCH_TOML_H
#define BENCH_TOML_H

#include "bench.h"

/* Runs the suite's benchmarks through ctx. Returns 0, or non-zero when
 * setup failed. */
int bench_suite_toml(struct bench_ctx *ctx);

#endif
