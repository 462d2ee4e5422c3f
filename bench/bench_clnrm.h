/* bench clnrm: the test runner's CPU-bound paths. See bench_clnrm.c. */
#ifndef BENCH_CLNRM_H
#define BENCH_CLNRM_H

#include "bench.h"

int bench_suite_clnrm(struct bench_ctx *ctx);

#endif
