/* bench: the `bench check FILE...` command: is every line of the files in
 * Go's benchmark format as `bench` writes it? Stricter than readers need:
 * besides the grammar of bench_gofmt.h, a line must be blank, a config
 * line, a result line or a "#" comment (readers skip anything else, so a
 * stray line would silently vanish), and a result's units must be ones
 * bench writes. Prints FILE:LINE: reason for each bad line. */
#include "bench_gofmt.h"
#include "bench_harness_int.h"
#include "cr_alloc.h"
#include "cr_fs.h"

#include <stdio.h>
#include <string.h>

static bool known_unit(const char *u, size_t n)
{
    static const char *const units[] = { "ns/op", "MB/s", "cpu-ns/op", "B/op",
                                         "allocs/op" };
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strlen(units[i]) == n && memcmp(units[i], u, n) == 0)
            return true;
    return false;
}

/* The units of a result line already checked by the grammar. */
static int check_units(const char *line, size_t len, struct cr_error *err)
{
    size_t i = 0;
    int field = 0;
    while (i < len) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        if (i > start && field >= 3 && field % 2 == 1 &&
            !known_unit(line + start, i - start))
            return cr_error_set(err, BENCH_E_INPUT, "unknown unit \"%.*s\"",
                                (int)(i - start), line + start),
                   -1;
        field += i > start;
    }
    return 0;
}

static int check_line(const char *line, size_t len, struct cr_error *err)
{
    enum bench_line_kind kind;
    if (bench_gofmt_classify(line, len, &kind, err) != 0)
        return -1;
    if (kind == BENCH_LINE_OTHER && line[0] != '#')
        return cr_error_set(err, BENCH_E_INPUT,
                            "neither a result, a config line, a comment nor "
                            "blank"),
               -1;
    if (kind == BENCH_LINE_RESULT)
        return check_units(line, len, err);
    return 0;
}

/* Returns the number of bad lines, or -1 when the file is unreadable. */
static long check_file(const char *path, size_t *results)
{
    char *text = NULL;
    size_t len = 0;
    long bad = 0;
    unsigned lineno = 0;
    int rc = cr_fs_read(path, &text, &len);
    if (rc != 0) {
        fprintf(stderr, "bench check: cannot read %s: %s\n", path,
                strerror(-rc));
        return -1;
    }
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t ll = nl ? (size_t)(nl - (text + at)) : len - at;
        struct cr_error err = { 0 };
        enum bench_line_kind kind;
        lineno++;
        if (check_line(text + at, ll, &err) != 0) {
            printf("%s:%u: %s: %.*s\n", path, lineno, err.msg, (int)ll,
                   text + at);
            bad++;
        } else if (bench_gofmt_classify(text + at, ll, &kind, NULL) == 0 &&
                   kind == BENCH_LINE_RESULT) {
            (*results)++;
        }
        at += ll + 1;
    }
    cr_free(text);
    return bad;
}

int bench__cmd_check(int argc, char **argv)
{
    long bad = 0;
    size_t results = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: bench check FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        long b = check_file(argv[i], &results);
        if (b < 0)
            return 3;
        bad += b;
    }
    if (bad == 0 && results == 0) {
        printf("bench check: no result lines\n");
        return 3;
    }
    if (bad == 0)
        printf("bench check: %zu result lines, all in Go's format\n", results);
    return bad ? 3 : 0;
}
