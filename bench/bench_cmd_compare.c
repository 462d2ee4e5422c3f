/* bench: the `bench compare` command (argument parsing, printing, exit
 * status). The statistics are in bench_compare.c. */
#include "bench_compare.h"
#include "bench_harness_int.h"
#include "bench_store.h"
#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_THRESHOLDS 32

struct compare_args {
    const char *files[2];
    int n_files;
    enum bench_format fmt;
    struct bench_compare_opts o;
    struct bench_threshold th[MAX_THRESHOLDS];
};

/* "A" or "A,B,C" (minor, moderate, major) in percent. */
static int parse_bounds(const char *s, double b[3])
{
    char *end = NULL;
    double v[3];
    int n = 0;
    while (n < 3) {
        v[n] = strtod(s, &end);
        if (end == s || v[n] < 0)
            return -1;
        n++;
        if (*end != ',')
            break;
        s = end + 1;
    }
    if (*end != '\0' || n == 2)
        return -1;
    if (n == 1) { /* only where the gate starts */
        b[1] = v[0];
        b[0] = b[0] < v[0] ? b[0] : v[0];
        b[2] = b[2] > v[0] ? b[2] : v[0];
    } else {
        memcpy(b, v, sizeof(v));
    }
    return b[0] <= b[1] && b[1] <= b[2] ? 0 : -1;
}

/* --threshold [REGEX=]PCT[,PCT,PCT] */
static int add_threshold(struct compare_args *a, const char *v)
{
    const char *eq = strrchr(v, '=');
    double b[3] = { a->o.minor, a->o.moderate, a->o.major };
    if (parse_bounds(eq ? eq + 1 : v, b) != 0) {
        fprintf(stderr,
                "bench compare: bad --threshold %s (want "
                "[NAME-REGEX=]PCT or MINOR,MODERATE,MAJOR)\n",
                v);
        return -1;
    }
    if (!eq) {
        a->o.minor = b[0], a->o.moderate = b[1], a->o.major = b[2];
        return 0;
    }
    if (a->o.n_th == MAX_THRESHOLDS) {
        fprintf(stderr, "bench compare: too many --threshold\n");
        return -1;
    }
    struct bench_threshold *t = &a->th[a->o.n_th];
    char *re = cr_strndup(v, (size_t)(eq - v));
    int bad = !re || regcomp(&t->re, re, REG_EXTENDED | REG_NOSUB) != 0;
    cr_free(re);
    if (bad) {
        fprintf(stderr, "bench compare: bad name regex in --threshold %s\n", v);
        return -1;
    }
    t->minor = b[0], t->moderate = b[1], t->major = b[2];
    a->o.n_th++;
    return 0;
}

static int parse_format(struct compare_args *a, const char *v)
{
    if (strcmp(v, "text") == 0)
        a->fmt = BENCH_FORMAT_TEXT;
    else if (strcmp(v, "csv") == 0)
        a->fmt = BENCH_FORMAT_CSV;
    else if (strcmp(v, "json") == 0)
        a->fmt = BENCH_FORMAT_JSON;
    else {
        fprintf(stderr, "bench compare: --format is text, csv or json\n");
        return -1;
    }
    return 0;
}

static int parse_alpha(struct compare_args *a, const char *v)
{
    char *end = NULL;
    a->o.alpha = strtod(v, &end);
    if (end == v || *end || !(a->o.alpha > 0 && a->o.alpha < 1)) {
        fprintf(stderr, "bench compare: --alpha is between 0 and 1\n");
        return -1;
    }
    return 0;
}

static int parse_time(struct compare_args *a, const char *v)
{
    if (strcmp(v, "cpu") != 0 && strcmp(v, "wall") != 0) {
        fprintf(stderr, "bench compare: --time is cpu or wall\n");
        return -1;
    }
    a->o.wall_time = strcmp(v, "wall") == 0;
    return 0;
}

static int parse(struct compare_args *a, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *f = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        int rc;
        if (f[0] != '-' || f[1] == '\0') {
            if (a->n_files == 2) {
                fprintf(stderr, "bench compare: give two files\n");
                return -1;
            }
            a->files[a->n_files++] = f;
            continue;
        }
        if (!v) {
            fprintf(stderr, "bench compare: %s needs a value\n", f);
            return -1;
        }
        i++;
        f += f[1] == '-';
        if (strcmp(f, "-format") == 0)
            rc = parse_format(a, v);
        else if (strcmp(f, "-alpha") == 0)
            rc = parse_alpha(a, v);
        else if (strcmp(f, "-time") == 0)
            rc = parse_time(a, v);
        else if (strcmp(f, "-threshold") == 0)
            rc = add_threshold(a, v);
        else {
            fprintf(stderr, "bench compare: unknown option %s\n", f);
            rc = -1;
        }
        if (rc)
            return -1;
    }
    if (a->n_files != 2) {
        fprintf(stderr, "usage: bench compare OLD NEW [--format "
                        "text|csv|json] [--alpha A] [--time cpu|wall] "
                        "[--threshold [NAME-REGEX=]PCT]...\n");
        return -1;
    }
    return 0;
}

static enum bench_code load(const char *arg, struct bench_data *d, char **path,
                            struct cr_error *err)
{
    char *text = NULL;
    size_t len = 0;
    *path = bench_store_resolve(arg);
    if (!*path)
        return bench_error_set(err, BENCH_E_NOMEM, "out of memory");
    int rc = cr_fs_read(*path, &text, &len);
    if (rc != 0)
        return bench_error_set(err, BENCH_E_IO, "cannot read %s: %s", *path,
                               strerror(-rc));
    enum bench_code c = bench_gofmt_parse(text, len, *path, d, err);
    cr_free(text);
    if (c == BENCH_OK && d->n == 0)
        c = bench_error_set(err, BENCH_E_INPUT, "%s: no benchmark results",
                            *path);
    return c;
}

static enum bench_code compare_files(struct compare_args *a, struct cr_buf *out,
                                     struct cr_error *err)
{
    struct bench_data d[2] = { { 0 }, { 0 } };
    char *path[2] = { NULL, NULL };
    struct bench_comparison c = { 0 };
    enum bench_code rc = load(a->files[0], &d[0], &path[0], err);
    if (rc == BENCH_OK)
        rc = load(a->files[1], &d[1], &path[1], err);
    if (rc == BENCH_OK)
        rc = bench_compare(&d[0], &d[1], &a->o, &c, err);
    if (rc == BENCH_OK)
        rc = bench_compare_render(&c, a->fmt, path[0], path[1], out, err);
    if (rc == BENCH_OK && c.failed)
        rc = BENCH_E_REGRESSION;
    bench_comparison_release(&c);
    for (int i = 0; i < 2; i++) {
        bench_data_release(&d[i]);
        cr_free(path[i]);
    }
    return rc;
}

int bench__cmd_compare(int argc, char **argv)
{
    struct compare_args a = {
        .o = { .alpha = 0.05, .minor = 5, .moderate = 20, .major = 50 }
    };
    struct cr_buf out;
    struct cr_error err = { 0 };
    enum bench_code rc = BENCH_E_USAGE;
    a.o.th = a.th;
    cr_buf_init(&out);
    if (parse(&a, argc, argv) == 0)
        rc = compare_files(&a, &out, &err);
    if (out.len)
        fwrite(out.data, 1, out.len, stdout);
    if (rc != BENCH_OK && rc != BENCH_E_USAGE && rc != BENCH_E_REGRESSION)
        fprintf(stderr, "bench compare: %s\n", err.msg);
    for (size_t i = 0; i < a.o.n_th; i++)
        regfree(&a.th[i].re);
    cr_buf_release(&out);
    return bench_exit_status(rc);
}
