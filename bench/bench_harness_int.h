/*
 * bench_harness_int: what the harness's files share (bench_harness.c runs
 * and reports benchmarks, bench_cli.c parses arguments and drives suites).
 * The context is owned by bench_main for the whole run; the counter is
 * installed as the cr_alloc hook before any suite starts.
 */
#ifndef BENCH_HARNESS_INT_H
#define BENCH_HARNESS_INT_H

#include "bench.h"
#include "cr_buf.h"

#include <regex.h>
#include <stdatomic.h>
#include <stdbool.h>

/* Allocations through cr_alloc, from every thread (relaxed atomics: one
 * uncontended add each, a few nanoseconds). */
struct bench_alloc_counter {
    atomic_uint_least64_t allocs;
    atomic_uint_least64_t bytes;
};

struct bench_ctx {
    /* POSIX extended syntax (libc), close to the RE2 that go test -bench
     * takes; the harness links nothing but common. */
    regex_t filter;
    bool has_filter;       /* false runs everything */
    unsigned count;        /* -count */
    uint64_t benchtime_ns; /* -benchtime as a duration */
    uint64_t fixed_n;      /* -benchtime Nx; 0 when a duration */
    long cpus;
    struct bench_alloc_counter counter;
    struct cr_buf *save; /* non-NULL: a copy of stdout for -save */
    bool save_failed;    /* the copy ran out of memory */
};

/* Installs the counting cr_alloc hook on ctx->counter. */
void bench__count_allocs(struct bench_ctx *ctx);

/*
 * Parses a -benchtime value: Go's durations ("1s", "500ms", "1.5s",
 * "100us", "2m"), "Nx" for a fixed iteration count, or a bare number of
 * milliseconds (this tool's older spelling). Returns 0 or -1.
 */
int bench__parse_benchtime(const char *s, uint64_t *ns, uint64_t *fixed_n);

/* `bench compare ...` (argv[0] is "compare"): prints, returns the status. */
int bench__cmd_compare(int argc, char **argv);

/* `bench check FILE...` (argv[0] is "check"): prints, returns 0 when every
 * line is in the format, 3 when one is not. */
int bench__cmd_check(int argc, char **argv);

#endif
