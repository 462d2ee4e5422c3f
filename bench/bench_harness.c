/* bench: the harness (timing loop, allocation counting, Go-format output).
 * See bench.h. */
#include "bench_harness_int.h"
#include "cr_alloc.h"
#include "cr_clock.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *count_malloc(void *c, size_t size)
{
    struct bench_alloc_counter *k = c;
    atomic_fetch_add_explicit(&k->allocs, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&k->bytes, size, memory_order_relaxed);
    return malloc(size);
}

/* A realloc is one allocation of the new size, as a copying grow would be
 * (Go counts a growing slice the same way); realloc(p, 0) frees. */
static void *count_realloc(void *c, void *p, size_t size)
{
    struct bench_alloc_counter *k = c;
    if (size) {
        atomic_fetch_add_explicit(&k->allocs, 1, memory_order_relaxed);
        atomic_fetch_add_explicit(&k->bytes, size, memory_order_relaxed);
    }
    return realloc(p, size);
}

static void count_free(void *c, void *p)
{
    (void)c;
    free(p);
}

void bench__count_allocs(struct bench_ctx *ctx)
{
    struct cr_alloc_hooks h = { count_malloc, count_realloc, count_free,
                                &ctx->counter };
    cr_alloc_set(&h);
}

static void read_counter(const struct bench_b *b, uint64_t *n, uint64_t *bytes)
{
    struct bench_alloc_counter *k = (struct bench_alloc_counter *)b->counter;
    *n = k ? atomic_load_explicit(&k->allocs, memory_order_relaxed) : 0;
    *bytes = k ? atomic_load_explicit(&k->bytes, memory_order_relaxed) : 0;
}

void bench_start_timer(struct bench_b *b)
{
    if (b->started_ns == 0) {
        read_counter(b, &b->start_allocs, &b->start_alloc_bytes);
        b->cpu_started_ns = cr_clock_cpu_ns();
        b->started_ns = cr_clock_ns();
    }
}

void bench_stop_timer(struct bench_b *b)
{
    if (b->started_ns != 0) {
        uint64_t n, bytes;
        b->elapsed_ns += cr_clock_ns() - b->started_ns;
        b->cpu_ns += cr_clock_cpu_ns() - b->cpu_started_ns;
        b->started_ns = 0;
        read_counter(b, &n, &bytes);
        b->allocs += n - b->start_allocs;
        b->alloc_bytes += bytes - b->start_alloc_bytes;
    }
}

void bench_reset_timer(struct bench_b *b)
{
    b->elapsed_ns = 0;
    b->cpu_ns = 0;
    b->allocs = 0;
    b->alloc_bytes = 0;
    if (b->started_ns != 0) {
        read_counter(b, &b->start_allocs, &b->start_alloc_bytes);
        b->cpu_started_ns = cr_clock_cpu_ns();
        b->started_ns = cr_clock_ns();
    }
}

void bench_set_bytes(struct bench_b *b, int64_t n)
{
    b->bytes = n;
}

void bench_printf(struct bench_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (ctx->save) {
        va_start(ap, fmt);
        /* Out of memory here loses only the saved copy; -save says so. */
        if (cr_buf_vprintf(ctx->save, fmt, ap) != 0)
            ctx->save_failed = true;
        va_end(ap);
    }
}

static void run_n(struct bench_ctx *ctx, struct bench_b *b, uint64_t n,
                  bench_fn *fn, void *arg)
{
    memset(b, 0, sizeof(*b));
    b->n = n;
    b->counter = &ctx->counter;
    bench_start_timer(b);
    fn(b, arg);
    bench_stop_timer(b);
}

/* Go's rule: aim 20% past the target, grow at most 100x, at least +1.
 * The rate is n / elapsed, not a whole number of ns per operation, which
 * would round sub-nanosecond bodies to 0 and then creep up by one. */
static uint64_t next_n(uint64_t n, uint64_t elapsed, uint64_t target)
{
    double want = elapsed ? (double)target * (double)n / (double)elapsed
                          : (double)n * 100;
    want *= 1.2;
    if (want > (double)n * 100)
        want = (double)n * 100;
    if (want > 1e9)
        want = 1e9;
    return want <= (double)n ? n + 1 : (uint64_t)want;
}

static bool selected(const struct bench_ctx *ctx, const char *name)
{
    if (!ctx->has_filter) {
        return true;
    }
    return regexec(&ctx->filter, name, 0, NULL, 0) == 0;
}

/* Fewer decimals as values grow, so every column keeps ~4 significant
 * digits (what benchstat needs) without noise digits. */
static void print_ns(struct bench_ctx *ctx, double v, const char *unit)
{
    int decimals = v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3;
    bench_printf(ctx, "%12.*f %s", decimals, v, unit);
}

static void report(struct bench_ctx *ctx, const char *name,
                   const struct bench_b *b)
{
    char full[256];
    snprintf(full, sizeof(full), "Benchmark%s-%ld", name, ctx->cpus);
    double ns_op = (double)b->elapsed_ns / (double)b->n;
    bench_printf(ctx, "%-40s\t%10llu\t", full, (unsigned long long)b->n);
    print_ns(ctx, ns_op, "ns/op");
    if (b->bytes > 0 && b->elapsed_ns > 0) {
        double mbs = (double)b->bytes * (double)b->n / 1e6 /
                     ((double)b->elapsed_ns / 1e9);
        bench_printf(ctx, "\t%10.2f MB/s", mbs);
    }
    bench_printf(ctx, "\t");
    print_ns(ctx, (double)b->cpu_ns / (double)b->n, "cpu-ns/op");
    /* Go truncates both to whole numbers per operation. */
    bench_printf(ctx, "\t%8llu B/op\t%8llu allocs/op\n",
                 (unsigned long long)(b->alloc_bytes / b->n),
                 (unsigned long long)(b->allocs / b->n));
    fflush(stdout);
}

/*
 * Grows n until the measured time reaches -benchtime, as Go does. Unlike
 * Go, a run whose wall-clock time passes 5x -benchtime ends the growth too:
 * a benchmark that keeps its timer stopped for most of each iteration
 * (per-iteration setup) would otherwise run for minutes to fill it.
 */
static void measure(struct bench_ctx *ctx, struct bench_b *b, bench_fn *fn,
                    void *arg)
{
    uint64_t n = 1, wall = cr_clock_ns();
    run_n(ctx, b, n, fn, arg); /* warms caches; sizes the next run */
    if (ctx->fixed_n) {
        if (ctx->fixed_n > 1)
            run_n(ctx, b, ctx->fixed_n, fn, arg);
        return;
    }
    wall = cr_clock_ns() - wall;
    while (b->elapsed_ns < ctx->benchtime_ns && n < 1000000000 &&
           wall < 5 * ctx->benchtime_ns) {
        n = next_n(n, b->elapsed_ns, ctx->benchtime_ns);
        wall = cr_clock_ns();
        run_n(ctx, b, n, fn, arg);
        wall = cr_clock_ns() - wall;
    }
}

int bench_run(struct bench_ctx *ctx, const char *name, bench_fn *fn, void *arg)
{
    if (!selected(ctx, name)) {
        return 0;
    }
    for (unsigned c = 0; c < ctx->count; c++) {
        struct bench_b b;
        measure(ctx, &b, fn, arg);
        report(ctx, name, &b);
    }
    return 0;
}

static int unit_ns(const char *u, double *mult)
{
    static const struct {
        const char *name;
        double ns;
    } units[] = { { "ns", 1 },    { "us", 1e3 }, { "\xc2\xb5s", 1e3 },
                  { "ms", 1e6 },  { "s", 1e9 },  { "m", 60e9 },
                  { "h", 3600e9 } };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcmp(u, units[i].name) == 0) {
            *mult = units[i].ns;
            return 0;
        }
    }
    return -1;
}

int bench__parse_benchtime(const char *s, uint64_t *ns, uint64_t *fixed_n)
{
    char *end = NULL;
    double v = strtod(s, &end);
    double mult = 1e6; /* a bare number: milliseconds */
    if (end == s || !isfinite(v) || v <= 0)
        return -1;
    if (strcmp(end, "x") == 0) {
        if (v != floor(v) || v > 1e12)
            return -1;
        *fixed_n = (uint64_t)v;
        *ns = 0;
        return 0;
    }
    if (*end != '\0' && unit_ns(end, &mult) != 0)
        return -1;
    *ns = (uint64_t)(v * mult);
    *fixed_n = 0;
    return *ns > 0 ? 0 : -1;
}
