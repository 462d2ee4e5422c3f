/*
 * bench: a small micro-benchmark harness whose output benchstat reads.
 *
 *   bench [SUITE] [-filter REGEX] [-count N] [-benchtime MS]
 *
 * prints "goos:", "goarch:", "pkg: cleanroom/<suite>" and "cpu:" lines, then
 * one line per benchmark and count in Go's format:
 *
 *   BenchmarkTomlParse/tasks-2  <TAB> 12345 <TAB> 98765 ns/op <TAB> 45.67 MB/s
 *
 * A benchmark is a function that runs its operation b->n times; the harness
 * grows n until one run lasts at least -benchtime milliseconds (default
 * 1000), like Go's testing package.
 *
 * This header is the harness (bench_harness.c, bench_version.c: the CMake
 * library bench_harness, which links only libcleanroom). Suites are
 * separate libraries that link the harness and what they measure; the
 * bench binary links the suites and lists them in its table (main.c).
 *
 * Adding a suite (for example "engine"):
 *   1. write bench/bench_engine.c defining
 *        int bench_suite_engine(struct bench_ctx *ctx)
 *      which prepares its data, calls bench_run() once per benchmark and
 *      frees the data; it returns 0, or non-zero when setup failed; declare
 *      it in bench/bench_engine.h;
 *   2. add a library for it in bench/CMakeLists.txt (linking bench_harness
 *      and the code it measures) and link it into the bench binary;
 *   3. add { "engine", bench_suite_engine, "summary" } to the table in
 *      bench/main.c.
 */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* The state of one benchmark run, passed to the benchmark function. */
struct bench_b {
    uint64_t n; /* run the measured operation exactly n times */
    /* Private to the harness: use the functions below. */
    uint64_t started_ns; /* 0 while the timer is stopped */
    uint64_t elapsed_ns;
    int64_t bytes; /* bytes processed per operation, for MB/s */
};

/* Starts or resumes the timer (it is running when the function is called). */
void bench_start_timer(struct bench_b *b);
/* Pauses the timer, e.g. around per-iteration setup. */
void bench_stop_timer(struct bench_b *b);
/* Discards the time measured so far (after one-off setup). */
void bench_reset_timer(struct bench_b *b);
/* Declares how many bytes one operation processes, which adds MB/s. */
void bench_set_bytes(struct bench_b *b, int64_t n);

/* Harness state, owned by bench_main; suites only pass it to bench_run. */
struct bench_ctx;

/* A benchmark body: runs the operation b->n times. arg is bench_run's. */
typedef void bench_fn(struct bench_b *b, void *arg);

/*
 * Runs the benchmark called name (printed as "Benchmark<name>-<cpus>") if it
 * matches the -filter, -count times. Returns 0.
 */
int bench_run(struct bench_ctx *ctx, const char *name, bench_fn *fn, void *arg);

/* One entry of the suite table in main.c. */
struct bench_suite {
    const char *name; /* the SUITE argument and "pkg: cleanroom/<name>" */
    int (*run)(struct bench_ctx *ctx);
    const char *summary; /* one line for --help */
};

/*
 * Parses argv, runs the selected suites from the table and returns the exit
 * status (0 ok, 1 a suite failed, 2 usage error). Prints to stdout/stderr:
 * this is the command-line layer of the bench tool.
 */
int bench_main(const struct bench_suite *suites, size_t n, int argc,
               char **argv);

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *bench_version(void);

#endif
