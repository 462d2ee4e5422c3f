/* bench: the command line (flags, suite selection, -save, compare). See
 * bench.h; options and exit statuses are documented in bench/README.md. */
#include "bench_harness_int.h"
#include "bench_store.h"
#include "cr_alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SUITES 16

struct args {
    const char *suites[MAX_SUITES];
    size_t n_suites;
    const char *save; /* -save NAME, or NULL */
};

static void usage(FILE *f, const struct bench_suite *suites, size_t n)
{
    fprintf(f, "usage: bench [SUITE...] [-bench REGEX] [-count N] "
               "[-benchtime 1s|500ms|100x] [-save NAME]\n"
               "       bench compare OLD NEW [--format text|csv|json] "
               "[--alpha A] [--time cpu|wall] [--threshold NAME=PCT]...\n"
               "       bench check FILE...\n"
               "       bench --version | --help\n"
               "suites (all but those marked [engine] when none is named):\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "  %-12s %s%s\n", suites[i].name, suites[i].summary,
                suites[i].nogate ? " [engine]" : "");
    }
}

static int set_filter(struct bench_ctx *ctx, const char *re)
{
    if (ctx->has_filter)
        regfree(&ctx->filter);
    ctx->has_filter = false;
    int code = regcomp(&ctx->filter, re, REG_EXTENDED | REG_NOSUB);
    if (code != 0) {
        char msg[128];
        regerror(code, &ctx->filter, msg, sizeof(msg));
        fprintf(stderr, "bench: bad -bench '%s': %s\n", re, msg);
        return -1;
    }
    ctx->has_filter = true;
    return 0;
}

static int set_count(struct bench_ctx *ctx, const char *v)
{
    char *end = NULL;
    long x = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || x <= 0 || x > 100000) {
        fprintf(stderr, "bench: -count wants a positive number, not %s\n", v);
        return -1;
    }
    ctx->count = (unsigned)x;
    return 0;
}

/* One flag with its value v; -1 on a bad one (already reported). */
static int parse_flag(struct bench_ctx *ctx, struct args *a, const char *f,
                      const char *v)
{
    if (f[1] == '-') /* --count as well as -count, as Go's flag package */
        f++;
    if (strcmp(f, "-bench") == 0 || strcmp(f, "-filter") == 0)
        return set_filter(ctx, v);
    if (strcmp(f, "-count") == 0)
        return set_count(ctx, v);
    if (strcmp(f, "-save") == 0) {
        a->save = v;
        return 0;
    }
    if (strcmp(f, "-benchtime") == 0) {
        if (bench__parse_benchtime(v, &ctx->benchtime_ns, &ctx->fixed_n) == 0)
            return 0;
        fprintf(stderr,
                "bench: -benchtime wants a duration (1s, 500ms) or a "
                "count (100x), not %s\n",
                v);
        return -1;
    }
    fprintf(stderr, "bench: unknown option %s\n", f);
    return -1;
}

static int parse_args(struct bench_ctx *ctx, int argc, char **argv,
                      struct args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        if (f[0] != '-') {
            if (a->n_suites == MAX_SUITES) {
                fprintf(stderr, "bench: too many suites\n");
                return -1;
            }
            a->suites[a->n_suites++] = f;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "bench: %s needs a value\n", f);
            return -1;
        }
        if (parse_flag(ctx, a, f, argv[++i]) != 0)
            return -1;
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

/* "# load ..." before each suite: a busy machine explains noisy numbers. */
static void print_load(struct bench_ctx *ctx)
{
    double l1 = 0;
    FILE *f = fopen("/proc/loadavg", "r");
    if (f && fscanf(f, "%lf", &l1) == 1)
        bench_printf(ctx, "# load average %.2f on %ld CPUs\n", l1, ctx->cpus);
    if (f)
        fclose(f);
}

static bool wanted(const struct args *a, const struct bench_suite *s)
{
    if (a->n_suites == 0)
        return !s->nogate;
    for (size_t i = 0; i < a->n_suites; i++)
        if (strcmp(a->suites[i], s->name) == 0)
            return true;
    return false;
}

static int check_names(const struct args *a, const struct bench_suite *suites,
                       size_t n)
{
    for (size_t i = 0; i < a->n_suites; i++) {
        size_t j = 0;
        while (j < n && strcmp(a->suites[i], suites[j].name) != 0)
            j++;
        if (j == n) {
            fprintf(stderr, "bench: unknown suite \"%s\"\n", a->suites[i]);
            return -1;
        }
    }
    return 0;
}

static int run_suites(struct bench_ctx *ctx, const struct bench_suite *suites,
                      size_t n, const struct args *a)
{
    char cpu[256];
    int failed = 0;
    cpu_name(cpu, sizeof(cpu));
    for (size_t i = 0; i < n; i++) {
        if (!wanted(a, &suites[i]))
            continue;
        /* gate: and the load first, so Go's four header lines stay
         * together and right above the results. */
        print_load(ctx);
        bench_printf(ctx,
                     "gate: %s\ngoos: linux\ngoarch: amd64\n"
                     "pkg: cleanroom/%s\ncpu: %s\n",
                     suites[i].nogate ? "off" : "on", suites[i].name, cpu);
        if (suites[i].run(ctx) != 0) {
            fprintf(stderr, "bench: suite %s failed\n", suites[i].name);
            failed = 1;
        }
    }
    return failed;
}

static int save(struct bench_ctx *ctx, const char *name)
{
    char *path = bench_store_path(name);
    int rc = path ? 0 : -ENOMEM;
    if (rc == 0 && !ctx->save_failed)
        rc = bench_store_write(path, ctx->save->data ? ctx->save->data : "",
                               ctx->save->len);
    if (rc != 0 || ctx->save_failed) {
        fprintf(stderr, "bench: cannot save %s: %s\n", path ? path : name,
                strerror(rc ? -rc : ENOMEM));
        cr_free(path);
        return 1;
    }
    fprintf(stderr, "bench: saved %s\n", path);
    cr_free(path);
    return 0;
}

static int run(const struct bench_suite *suites, size_t n, int argc,
               char **argv)
{
    struct bench_ctx ctx = { .count = 1,
                             .benchtime_ns = 1000000000ull,
                             .cpus = sysconf(_SC_NPROCESSORS_ONLN) };
    struct args a = { 0 };
    struct cr_buf saved;
    int rc = 2;
    cr_buf_init(&saved);
    if (parse_args(&ctx, argc, argv, &a) != 0 ||
        check_names(&a, suites, n) != 0) {
        usage(stderr, suites, n);
    } else {
        ctx.save = a.save ? &saved : NULL;
        bench__count_allocs(&ctx);
        rc = run_suites(&ctx, suites, n, &a);
        cr_alloc_set(NULL);
        if (rc == 0 && a.save)
            rc = save(&ctx, a.save);
    }
    if (ctx.has_filter)
        regfree(&ctx.filter);
    cr_buf_release(&saved);
    return rc;
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
    if (argc > 1 && strcmp(argv[1], "compare") == 0)
        return bench__cmd_compare(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "check") == 0)
        return bench__cmd_check(argc - 1, argv + 1);
    return run(suites, n, argc, argv);
}
