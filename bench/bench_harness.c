/* bench: the harness (timing loop, filter, Go-format output). See bench.h. */
#include "bench.h"
#include "cr_clock.h"

#include <regex.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct bench_ctx {
    /* POSIX extended syntax (libc), close to the RE2 that go test -bench
     * takes; the harness links nothing but common. */
    regex_t filter;
    bool has_filter; /* false runs everything */
    unsigned count;
    uint64_t benchtime_ns;
    long cpus;
};

void bench_start_timer(struct bench_b *b)
{
    if (b->started_ns == 0) {
        b->started_ns = cr_clock_ns();
    }
}

void bench_stop_timer(struct bench_b *b)
{
    if (b->started_ns != 0) {
        b->elapsed_ns += cr_clock_ns() - b->started_ns;
        b->started_ns = 0;
    }
}

void bench_reset_timer(struct bench_b *b)
{
    b->elapsed_ns = 0;
    if (b->started_ns != 0) {
        b->started_ns = cr_clock_ns();
    }
}

void bench_set_bytes(struct bench_b *b, int64_t n)
{
    b->bytes = n;
}

static void run_n(struct bench_b *b, uint64_t n, bench_fn *fn, void *arg)
{
    b->n = n;
    b->elapsed_ns = 0;
    b->started_ns = 0;
    bench_start_timer(b);
    fn(b, arg);
    bench_stop_timer(b);
}

/* Go's rule: aim 20% past the target, grow at most 100x, at least +1. */
static uint64_t next_n(uint64_t n, uint64_t elapsed, uint64_t target)
{
    uint64_t per = elapsed / n ? elapsed / n : 1;
    uint64_t want = target / per;
    want += want / 5;
    if (want > n * 100) {
        want = n * 100;
    }
    if (want <= n) {
        want = n + 1;
    }
    return want > 1000000000 ? 1000000000 : want;
}

static bool selected(const struct bench_ctx *ctx, const char *name)
{
    if (!ctx->has_filter) {
        return true;
    }
    return regexec(&ctx->filter, name, 0, NULL, 0) == 0;
}

static void report(const struct bench_ctx *ctx, const char *name,
                   const struct bench_b *b)
{
    char full[256];
    snprintf(full, sizeof(full), "Benchmark%s-%ld", name, ctx->cpus);
    double ns_op = (double)b->elapsed_ns / (double)b->n;
    printf("%-40s\t%10llu\t", full, (unsigned long long)b->n);
    printf(ns_op >= 100 ? "%10.0f ns/op" : "%10.2f ns/op", ns_op);
    if (b->bytes > 0 && b->elapsed_ns > 0) {
        double mbs = (double)b->bytes * (double)b->n / 1e6 /
                     ((double)b->elapsed_ns / 1e9);
        printf("\t%8.2f MB/s", mbs);
    }
    printf("\n");
    fflush(stdout);
}

int bench_run(struct bench_ctx *ctx, const char *name, bench_fn *fn, void *arg)
{
    if (!selected(ctx, name)) {
        return 0;
    }
    for (unsigned c = 0; c < ctx->count; c++) {
        struct bench_b b;
        memset(&b, 0, sizeof(b));
        uint64_t n = 1;
        run_n(&b, n, fn, arg);
        while (b.elapsed_ns < ctx->benchtime_ns && n < 1000000000) {
            n = next_n(n, b.elapsed_ns, ctx->benchtime_ns);
            run_n(&b, n, fn, arg);
        }
        report(ctx, name, &b);
    }
    return 0;
}

static void cpu_name(char *buf, size_t cap)
{
    snprintf(buf, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL) {
        return;
    }
    char line[512];
    while (fgets(line, sizeof(line), f) != NULL) {
        char *colon = strchr(line, ':');
        if (strncmp(line, "model name", 10) == 0 && colon != NULL) {
            colon += 1 + (colon[1] == ' ');
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(buf, cap, "%s", colon);
            break;
        }
    }
    fclose(f);
}

static void usage(FILE *f, const struct bench_suite *suites, size_t n)
{
    fprintf(f, "usage: bench [SUITE] [-filter REGEX] [-count N] "
               "[-benchtime MS]\n       bench --version | --help\n"
               "suites:\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "  %-10s %s\n", suites[i].name, suites[i].summary);
    }
}

static int set_filter(struct bench_ctx *ctx, const char *re)
{
    int code = regcomp(&ctx->filter, re, REG_EXTENDED | REG_NOSUB);

    if (code != 0) {
        char msg[128];
        regerror(code, &ctx->filter, msg, sizeof(msg));
        fprintf(stderr, "bench: bad -filter '%s': %s\n", re, msg);
        return -1;
    }
    ctx->has_filter = true;
    return 0;
}

/* Parses flags into ctx; *suite gets the SUITE argument or NULL. */
static int parse_args(struct bench_ctx *ctx, int argc, char **argv,
                      const char **suite)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (a[0] != '-') {
            if (*suite != NULL) {
                fprintf(stderr, "bench: only one SUITE may be given\n");
                return -1;
            }
            *suite = a;
            continue;
        }
        if (v == NULL) {
            fprintf(stderr, "bench: %s needs a value\n", a);
            return -1;
        }
        i++;
        if (strcmp(a, "-filter") == 0 || strcmp(a, "-bench") == 0) {
            if (set_filter(ctx, v) != 0) {
                return -1;
            }
            continue;
        }
        long x = strtol(v, &end, 10);
        if (*v == '\0' || *end != '\0' || x <= 0) {
            fprintf(stderr, "bench: %s wants a positive number, not %s\n", a,
                    v);
            return -1;
        }
        if (strcmp(a, "-count") == 0) {
            ctx->count = (unsigned)x;
        } else if (strcmp(a, "-benchtime") == 0) {
            ctx->benchtime_ns = (uint64_t)x * 1000000;
        } else {
            fprintf(stderr, "bench: unknown option %s\n", a);
            return -1;
        }
    }
    return 0;
}

static int run_suites(struct bench_ctx *ctx, const struct bench_suite *suites,
                      size_t n, const char *suite)
{
    char cpu[256];
    int failed = 0;
    bool found = false;
    cpu_name(cpu, sizeof(cpu));
    for (size_t i = 0; i < n; i++) {
        if (suite != NULL && strcmp(suite, suites[i].name) != 0) {
            continue;
        }
        found = true;
        printf("goos: linux\ngoarch: amd64\npkg: cleanroom/%s\ncpu: %s\n",
               suites[i].name, cpu);
        if (suites[i].run(ctx) != 0) {
            fprintf(stderr, "bench: suite %s failed\n", suites[i].name);
            failed = 1;
        }
    }
    if (!found) {
        fprintf(stderr, "bench: unknown suite \"%s\"\n", suite);
        return 2;
    }
    return failed;
}

int bench_main(const struct bench_suite *suites, size_t n, int argc,
               char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("bench (%s)\n", bench_version());
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        usage(stdout, suites, n);
        return 0;
    }
    struct bench_ctx ctx = { .count = 1,
                             .benchtime_ns = 1000000000ull,
                             .cpus = sysconf(_SC_NPROCESSORS_ONLN) };
    const char *suite = NULL;
    int rc = 2;
    if (parse_args(&ctx, argc, argv, &suite) == 0) {
        rc = run_suites(&ctx, suites, n, suite);
    } else {
        usage(stderr, suites, n);
    }
    if (ctx.has_filter)
        regfree(&ctx.filter);
    return rc;
}
