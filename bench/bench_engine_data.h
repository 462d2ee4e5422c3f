/* bench engine-data: decoding what the engine sends, no engine needed. See
 * bench_engine_data.c. */
#ifndef BENCH_ENGINE_DATA_H
#define BENCH_ENGINE_DATA_H

#include "bench.h"

int bench_suite_engine_data(struct bench_ctx *ctx);

#endif
