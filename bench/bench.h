/*
 * bench: a micro-benchmark harness whose output follows Go's benchmark data
 * format (proposal 14313), so benchstat and `bench compare` read it.
 *
 *   bench [SUITE] [-bench REGEX] [-count N] [-benchtime 1s|500ms|100x]
 *         [-save NAME]
 *   bench compare OLD NEW [--format text|csv|json] [--alpha A]
 *         [--threshold NAME=PCT]...
 *
 * prints "goos:", "goarch:", "pkg: cleanroom/<suite>", "cpu:" and "gate:"
 * config lines, then one line per benchmark and count:
 *
 *   BenchmarkTomlParse/tasks-2 <TAB> 12345 <TAB> 98765 ns/op <TAB>
 *       45.67 MB/s <TAB> 97012 cpu-ns/op <TAB> 5120 B/op <TAB> 87 allocs/op
 *
 * ns/op is wall-clock time, as in Go; cpu-ns/op the CPU time of the whole
 * process over the same timed stretches, which other processes' load does
 * not inflate (bench compare gates on it when it is there).
 *
 * A benchmark is a function that runs its operation b->n times; the harness
 * grows n until one run lasts -benchtime (default 1 s), like Go's testing
 * package, or runs exactly N times with -benchtime Nx. B/op and allocs/op
 * count what goes through the cr_alloc hook while the timer runs (the
 * harness installs a counting hook: see bench/README.md).
 *
 * This header is the harness (bench_harness.c, bench_cli.c, bench_self.c,
 * bench_version.c: the CMake library bench_harness, which links only
 * libcleanroom). Suites are separate libraries that link the harness and
 * what they measure; the bench binary links the suites and lists them in
 * its table (main.c).
 *
 * Adding a suite (for example "flamegraph"):
 *   1. write bench/bench_flamegraph.c defining
 *        int bench_suite_flamegraph(struct bench_ctx *ctx)
 *      which prepares its data, calls bench_run() once per benchmark (a
 *      name may have sub-benchmark parts: "Collapse/perf") and frees the
 *      data; it returns 0, or non-zero when setup failed; declare it in
 *      bench/bench_flamegraph.h;
 *   2. add a library for it in bench/CMakeLists.txt (linking bench_harness
 *      and the code it measures) and link it into the bench binary;
 *   3. add { "flamegraph", bench_suite_flamegraph, "summary", 0 } to the
 *      table in bench/main.c.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

struct bench_alloc_counter;

/* The state of one benchmark run, passed to the benchmark function. */
struct bench_b {
    uint64_t n; /* run the measured operation exactly n times */
    /* Private to the harness: use the functions below. */
    uint64_t started_ns; /* 0 while the timer is stopped */
    uint64_t elapsed_ns;
    uint64_t cpu_started_ns, cpu_ns; /* process CPU time, likewise */
    int64_t bytes; /* bytes processed per operation, for MB/s */
    const struct bench_alloc_counter *counter;
    uint64_t start_allocs, start_alloc_bytes; /* at the last start */
    uint64_t allocs, alloc_bytes;             /* while the timer ran */
};

/* Starts or resumes the timer (it is running when the function is called). */
void bench_start_timer(struct bench_b *b);
/* Pauses the timer, e.g. around per-iteration setup. Allocations made while
 * it is stopped are not counted either. */
void bench_stop_timer(struct bench_b *b);
/* Discards the time and allocations measured so far (after setup). */
void bench_reset_timer(struct bench_b *b);
/* Declares how many bytes one operation processes, which adds MB/s. */
void bench_set_bytes(struct bench_b *b, int64_t n);

/*
 * Keeps the compiler from deleting work whose result is unused: the value
 * (or the memory p points to) is treated as read by an opaque instruction.
 */
static inline void bench_keep(const void *p)
{
    __asm__ __volatile__("" : : "r"(p) : "memory");
}
static inline void bench_keep_u64(uint64_t v)
{
    __asm__ __volatile__("" : : "r"(v) : "memory");
}

/* Harness state, owned by bench_main; suites only pass it to bench_run. */
struct bench_ctx;

/* A benchmark body: runs the operation b->n times. arg is bench_run's. */
typedef void bench_fn(struct bench_b *b, void *arg);

/*
 * Runs the benchmark called name (printed as "Benchmark<name>-<cpus>") if it
 * matches -bench, -count times. Returns 0.
 */
int bench_run(struct bench_ctx *ctx, const char *name, bench_fn *fn, void *arg);

/*
 * Prints a line of the suite's own (a "# comment", or a result it measured
 * itself) to stdout, and into the -save copy. Use it instead of printf.
 */
void bench_printf(struct bench_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One entry of the suite table in main.c. */
struct bench_suite {
    const char *name; /* the SUITE argument and "pkg: cleanroom/<name>" */
    int (*run)(struct bench_ctx *ctx);
    const char *summary; /* one line for --help */
    /* Non-zero for suites at the mercy of outside noise (the engine):
     * printed as "gate: off", so bench compare reports but never fails on
     * them; they also run only when named. */
    int nogate;
};

/*
 * Parses argv, runs the selected suites from the table (or `compare`) and
 * returns the exit status (see bench/README.md: 0 ok, 1 a suite failed or a
 * regression gated, 2 usage error, 3 unreadable input). Prints to
 * stdout/stderr: this is the command-line layer of the bench tool.
 */
int bench_main(const struct bench_suite *suites, size_t n, int argc,
               char **argv);

/* The harness's own suite: an empty benchmark and the timer's cost. */
int bench_suite_harness(struct bench_ctx *ctx);

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *bench_version(void);

#endif
