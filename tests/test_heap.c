/*
 * Unit tests of the heap library: the parser of heaptrack_print's output
 * on outputs recorded with heaptrack 1.4 (tests/heap/), on truncated and
 * garbage input and on unit edge cases; folded stacks; out-of-memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"
#include "heap.h"
#include "heap_fold.h"
#include "heap_parse.h"
#include "heap_run.h"
#include "test_alloc_fail.h"

/* Not inlined: GCC 12 then mistakes the file for a dangling local. */
__attribute__((noinline)) static char *read_data(const char *name, size_t *len)
{
    char path[1024], *text = NULL;

    snprintf(path, sizeof(path), "%s/%s", HEAP_DATA_DIR, name);
    assert_int_equal(cr_fs_read(path, &text, len), 0);
    return text;
}

/* Where needle starts in hay (which must contain it). */
static size_t offset_of(const char *hay, const char *needle)
{
    const char *at = strstr(hay, needle);

    assert_non_null(at);
    return (size_t)(at - hay);
}

static enum heap_code parse_str(const char *s, struct heap_result *r,
                                struct cr_error *err)
{
    heap_result_init(r);
    return heap_parse(s, strlen(s), r, err);
}

static uint64_t bytes(const char *s)
{
    uint64_t v = 12345;

    assert_int_equal(heap_parse_bytes(s, strlen(s), &v), 0);
    return v;
}

static void test_bytes_exact(void **state)
{
    uint64_t v;

    (void)state;
    assert_int_equal(bytes("0B"), 0);
    assert_int_equal(bytes("64B"), 64);
    assert_int_equal(bytes("72.70K"), 72700);
    assert_int_equal(bytes("72.77K"), 72770);
    assert_int_equal(bytes("4.24M"), 4240000);
    assert_int_equal(bytes("1.5G"), 1500000000ULL);
    assert_int_equal(bytes("1.23KB"), 1230);
    assert_int_equal(bytes("2.000001T"), 2000001000000ULL);
    assert_int_equal(bytes("999.99K"), 999990);
    /* Decimal units, not binary: 1K is 1000 bytes. */
    assert_int_equal(bytes("1K"), 1000);
    /* More decimals than the unit has bytes, no unit, junk: refused. */
    assert_int_equal(heap_parse_bytes("1.5B", 4, &v), -1);
    assert_int_equal(heap_parse_bytes("1.2345K", 7, &v), -1);
    assert_int_equal(heap_parse_bytes("12", 2, &v), -1);
    assert_int_equal(heap_parse_bytes("K", 1, &v), -1);
    assert_int_equal(heap_parse_bytes("1.K", 3, &v), -1);
    assert_int_equal(heap_parse_bytes("-1K", 3, &v), -1);
    assert_int_equal(heap_parse_bytes("1KiB", 4, &v), -1);
    assert_int_equal(heap_parse_bytes("1BB", 3, &v), -1);
    assert_int_equal(heap_parse_bytes("", 0, &v), -1);
    /* Overflow of uint64 is refused, not wrapped. */
    assert_int_equal(heap_parse_bytes("18446744073709551615B", 21, &v), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(heap_parse_bytes("18446744073709551616B", 21, &v), -1);
    assert_int_equal(heap_parse_bytes("18446744073709552K", 18, &v), -1);
    assert_int_equal(heap_parse_bytes("20000000P", 9, &v), -1);
}

static void test_taskrun_version(void **state)
{
    struct heap_result r;
    struct cr_error err = { 0 };
    size_t len;
    char *text = read_data("taskrun-version.txt", &len);

    (void)state;
    heap_result_init(&r);
    assert_int_equal(heap_parse(text, len, &r, &err), HEAP_OK);
    assert_int_equal(r.calls, 2);
    assert_int_equal(r.temporary, 2);
    assert_int_equal(r.peak_heap, 72770);
    assert_int_equal(r.peak_rss, 4240000);
    assert_int_equal(r.leaked, 0);
    assert_true(r.runtime_s == 0.0);
    assert_string_equal(r.command, "/work/wt-heap/build/bin/taskrun --version");
    assert_int_equal(r.by_calls.n, 2);
    assert_string_equal(r.by_calls.v[0].function, "cr_realloc");
    assert_null(r.by_calls.v[0].location);
    assert_string_equal(r.by_calls.v[0].module,
                        "/work/wt-heap/build/bin/taskrun");
    assert_int_equal(r.by_calls.v[0].calls, 1);
    assert_int_equal(r.by_calls.v[0].bytes, 64);
    assert_int_equal(r.by_peak.n, 2);
    assert_int_equal(r.by_peak.v[0].bytes, 72700);
    assert_string_equal(r.by_peak.v[0].module,
                        "/lib/x86_64-linux-gnu/libstdc++.so.6");
    assert_int_equal(r.by_leaked.n, 0);
    assert_int_equal(r.by_temporary.n, 2);
    assert_int_equal(r.by_temporary.v[1].temporary, 1);
    assert_int_equal(r.by_temporary.v[1].calls, 1);
    heap_result_release(&r);
    cr_free(text);
}

static void test_clnrm_validate(void **state)
{
    struct heap_result r;
    struct cr_error err = { 0 };
    size_t len;
    char *text = read_data("clnrm-validate.txt", &len);

    (void)state;
    heap_result_init(&r);
    assert_int_equal(heap_parse(text, len, &r, &err), HEAP_OK);
    assert_int_equal(r.calls, 439);
    assert_int_equal(r.temporary, 18);
    assert_int_equal(r.peak_heap, 157570);
    assert_int_equal(r.peak_rss, 4960000);
    assert_int_equal(r.leaked, 4100);
    /* Rankings keep heaptrack's order and stop at HEAP_TOP. */
    assert_true(r.by_calls.n >= 4 && r.by_calls.n <= HEAP_TOP);
    for (size_t i = 1; i < r.by_calls.n; i++)
        assert_true(r.by_calls.v[i - 1].calls >= r.by_calls.v[i].calls);
    for (size_t i = 1; i < r.by_peak.n; i++)
        assert_true(r.by_peak.v[i - 1].bytes >= r.by_peak.v[i].bytes);
    assert_int_equal(r.by_leaked.n, 1);
    assert_int_equal(r.by_leaked.v[0].bytes, 4100);
    assert_string_equal(r.by_leaked.v[0].location, "./libio/filedoalloc.c:101");
    heap_result_release(&r);
    cr_free(text);
}

static void test_leaky(void **state)
{
    struct heap_result r;
    struct cr_error err = { 0 };
    size_t len;
    char *text = read_data("leaky.txt", &len);

    (void)state;
    heap_result_init(&r);
    assert_int_equal(heap_parse(text, len, &r, &err), HEAP_OK);
    assert_int_equal(r.leaked, 5000);
    assert_int_equal(r.by_leaked.n, 1);
    assert_string_equal(r.by_leaked.v[0].function, "main");
    assert_int_equal(r.by_leaked.v[0].calls, 5);
    assert_int_equal(r.by_leaked.v[0].bytes, 5000);
    assert_string_equal(r.by_leaked.v[0].location, "/tmp/hp/leak.c:3");
    heap_result_release(&r);
    cr_free(text);
}

/* A real run with inlined frames: after an entry's function come the
 * callers it was inlined into, at column 0 too. */
static void test_clnrm_self_test(void **state)
{
    struct heap_result r;
    struct cr_error err = { 0 };
    size_t len;
    char *text = read_data("clnrm-self-test.txt", &len);
    const struct heap_site *calloc_site = NULL;

    (void)state;
    heap_result_init(&r);
    assert_int_equal(heap_parse(text, len, &r, &err), HEAP_OK);
    assert_true(r.runtime_s > 12.78 && r.runtime_s < 12.80);
    assert_int_equal(r.calls, 14727);
    assert_int_equal(r.temporary, 1089);
    assert_int_equal(r.peak_heap, 411140);
    assert_int_equal(r.peak_rss, 15470000);
    assert_int_equal(r.leaked, 4860);
    assert_int_equal(r.suppressed, 160680);
    assert_int_equal(r.by_calls.n, HEAP_TOP);
    assert_int_equal(r.by_peak.n, HEAP_TOP);
    for (size_t i = 0; i < r.by_peak.n; i++)
        if (strcmp(r.by_peak.v[i].function, "calloc") == 0)
            calloc_site = &r.by_peak.v[i];
    assert_non_null(calloc_site);
    assert_int_equal(calloc_site->bytes, 46920);
    assert_int_equal(calloc_site->calls, 62);
    /* The innermost location, not the inlined caller's. */
    assert_string_equal(calloc_site->location, "../include/rtld-malloc.h:44");
    assert_int_equal(r.by_leaked.v[0].bytes, 4100);
    assert_int_equal(r.by_leaked.v[0].calls, 3);
    heap_result_release(&r);
    cr_free(text);
}

/* Every prefix of a recorded output either parses or is a positioned
 * HEAP_E_PARSE: a truncated file is never taken for a whole one unless
 * the summary is complete. */
static void test_truncated(void **state)
{
    size_t len, ok = 0;
    char *text = read_data("taskrun-version.txt", &len);
    /* Shorter than this, the last summary line has no value yet. */
    size_t need = offset_of(text, "total memory leaked") +
                  strlen("total memory leaked: ");

    (void)state;
    for (size_t n = 0; n < len; n++) {
        struct heap_result r;
        struct cr_error err = { 0 };
        enum heap_code rc;

        heap_result_init(&r);
        rc = heap_parse(text, n, &r, &err);
        if (rc == HEAP_OK) {
            ok++;
            assert_true(n > need);
        } else {
            assert_int_equal(rc, HEAP_E_PARSE);
            assert_true(err.pos.line >= 1);
            assert_non_null(strstr(err.msg, "line "));
        }
        heap_result_release(&r);
    }
    assert_true(ok >= 1);
    cr_free(text);
}

static void test_errors_positioned(void **state)
{
    struct heap_result r;
    struct cr_error err = { 0 };

    (void)state;
    assert_int_equal(parse_str("", &r, &err), HEAP_E_PARSE);
    assert_int_equal(err.pos.line, 1);
    heap_result_release(&r);
    assert_int_equal(parse_str("total runtime: 0.10s.\n"
                               "calls to allocation functions: x (1/s)\n",
                               &r, &err),
                     HEAP_E_PARSE);
    assert_string_equal(err.msg, "line 2: malformed summary value");
    heap_result_release(&r);
    assert_int_equal(parse_str("PEAK MEMORY CONSUMERS\n"
                               "lots of memory consumed from\n",
                               &r, &err),
                     HEAP_E_PARSE);
    assert_string_equal(err.msg, "line 2: malformed entry header");
    heap_result_release(&r);
    assert_int_equal(parse_str("MEMORY LEAKS\n5.00K leaked over 5 calls from\n"
                               "\n",
                               &r, &err),
                     HEAP_E_PARSE);
    assert_int_equal(err.pos.line, 3);
    heap_result_release(&r);
    assert_int_equal(parse_str("MEMORY LEAKS\ngarbage\n", &r, &err),
                     HEAP_E_PARSE);
    assert_string_equal(err.msg, "line 2: unexpected line in a section");
    heap_result_release(&r);
    assert_int_equal(
        parse_str("total runtime: 0.10s.\npeak heap memory consumption: 1.5B\n",
                  &r, &err),
        HEAP_E_PARSE);
    assert_int_equal(err.pos.line, 2);
    heap_result_release(&r);
}

static void test_summary_only(void **state)
{
    struct heap_result r;
    struct cr_error err = { 0 };
    const char *s = "total runtime: 1.234000s.\r\n"
                    "calls to allocation functions: 1000000 (810372/s)\n"
                    "temporary memory allocations: 7\n"
                    "peak heap memory consumption: 12.34MB\n"
                    "peak RSS (including heaptrack overhead): 56.78MB\n"
                    "total memory leaked: 1.23KB\n"
                    "suppressed leaks: 2.00K";

    (void)state;
    assert_int_equal(parse_str(s, &r, &err), HEAP_OK);
    assert_true(r.runtime_s > 1.2339 && r.runtime_s < 1.2341);
    assert_int_equal(r.calls, 1000000);
    assert_int_equal(r.temporary, 7);
    assert_int_equal(r.peak_heap, 12340000);
    assert_int_equal(r.peak_rss, 56780000);
    assert_int_equal(r.leaked, 1230);
    assert_int_equal(r.suppressed, 2000);
    assert_true(r.have & HEAP_HAVE_SUPPRESSED);
    heap_result_release(&r);
}

/* Garbage, NUL bytes and binary noise are errors or ignored, never a crash
 * (ASan would catch a read past the end). */
static void test_garbage(void **state)
{
    static const char junk[] = "MOST CALLS TO ALLOCATION FUNCTIONS\n"
                               "1 calls to allocation functions with\0"
                               "64B peak consumption from\n\xff\xfe\n";
    struct heap_result r;
    struct cr_error err = { 0 };

    (void)state;
    heap_result_init(&r);
    assert_int_equal(heap_parse(junk, sizeof(junk) - 1, &r, &err),
                     HEAP_E_PARSE);
    heap_result_release(&r);
    heap_result_init(&r);
    assert_int_equal(heap_parse("\n\n\n   \n", 7, &r, &err), HEAP_E_PARSE);
    heap_result_release(&r);
}

static void test_fold(void **state)
{
    struct cr_buf out = { 0 };
    size_t len, n = 99;
    char *text = read_data("clnrm-validate.folded", &len);
    const char *s = "a;b;c; 5\nzero;cost; 0\nno count here\r\n"
                    "x;y; 12\r\n; 3\nlast; 7";

    (void)state;
    assert_int_equal(heap_fold_normalize(s, strlen(s), &out, &n, NULL),
                     HEAP_OK);
    assert_int_equal(n, 3);
    assert_string_equal(cr_buf_str(&out), "a;b;c 5\nx;y 12\nlast 7\n");
    cr_buf_reset(&out);
    assert_int_equal(heap_fold_normalize(text, len, &out, &n, NULL), HEAP_OK);
    assert_true(n > 10);
    /* No separator before the count, no zero-cost stack. */
    assert_null(strstr(cr_buf_str(&out), "; "));
    assert_null(strstr(cr_buf_str(&out), " 0\n"));
    assert_string_equal(heap_cost_name(HEAP_COST_LEAKED), "leaked");
    cr_buf_release(&out);
    cr_free(text);
}

/* Every allocation of a parse may fail: HEAP_E_NOMEM, nothing leaked. */
static void test_parse_nomem(void **state)
{
    struct fail_nth f;
    size_t len;
    char *text = read_data("clnrm-validate.txt", &len);
    enum heap_code rc = HEAP_E_NOMEM;

    (void)state;
    for (long n = 0; rc == HEAP_E_NOMEM && n < 10000; n++) {
        struct heap_result r;
        struct cr_error err = { 0 };

        heap_result_init(&r);
        fail_nth_set(&f, n, false);
        rc = heap_parse(text, len, &r, &err);
        fail_nth_clear();
        if (rc != HEAP_OK)
            assert_int_equal(rc, HEAP_E_NOMEM);
        heap_result_release(&r);
    }
    assert_int_equal(rc, HEAP_OK);
    cr_free(text);
}

/*
 * The runner with stand-ins for heaptrack and heaptrack_print (scripts in
 * a temporary directory), so its plumbing is tested without heaptrack.
 */
struct fake {
    char dir[64], heaptrack[128], print[128], data[128], folded[128];
};

static void write_script(const char *path, const char *body)
{
    assert_int_equal(cr_fs_write_atomic(path, body, strlen(body), 0755), 0);
}

static void fake_init(struct fake *f, const char *heaptrack_body)
{
    char print[512];

    snprintf(f->dir, sizeof(f->dir), "/tmp/test-heap-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->heaptrack, sizeof(f->heaptrack), "%s/heaptrack", f->dir);
    snprintf(f->print, sizeof(f->print), "%s/heaptrack_print", f->dir);
    snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
    snprintf(f->folded, sizeof(f->folded), "%s/alloc.folded", f->dir);
    write_script(f->heaptrack, heaptrack_body);
    snprintf(print, sizeof(print),
             "#!/bin/sh\n"
             "while [ $# -gt 0 ]; do\n"
             "  [ \"$1\" = -F ] && printf 'main;f; 3\\nmain;g; 0\\n' > \"$2\"\n"
             "  shift\n"
             "done\n"
             "cat %s/taskrun-version.txt\n",
             HEAP_DATA_DIR);
    write_script(f->print, print);
}

static void fake_release(struct fake *f)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
    assert_int_equal(system(cmd), 0);
}

static enum heap_code fake_run(struct fake *f, const char *const *argv,
                               unsigned timeout_ms, struct heap_result *r,
                               struct heap_run_info *info, struct cr_error *err)
{
    struct heap_run_opts o = { .argv = argv,
                               .data = f->data,
                               .timeout_ms = timeout_ms,
                               .heaptrack = f->heaptrack,
                               .heaptrack_print = f->print };

    o.folded[HEAP_COST_ALLOCATIONS] = f->folded;
    heap_result_init(r);
    memset(info, 0, sizeof(*info));
    return heap_run(&o, r, info, err);
}

static void test_run_fake_ok(void **state)
{
    static const char *const argv[] = { "true", NULL };
    struct fake f;
    struct heap_result r;
    struct heap_run_info info;
    struct cr_error err = { 0 };
    char *folded = NULL;

    (void)state;
    /* -o DATA -- PROGRAM: the program comes resolved in PATH. */
    fake_init(&f, "#!/bin/sh\ncase \"$4\" in /*) : > \"$2.zst\";; esac\n"
                  "echo \"ran $4\"\n");
    assert_int_equal(fake_run(&f, argv, 0, &r, &info, &err), HEAP_OK);
    assert_int_equal(r.peak_heap, 72770);
    assert_non_null(strstr(info.log, "ran /"));
    assert_non_null(strstr(info.data_file, "/data.zst"));
    assert_int_equal(cr_fs_read(f.folded, &folded, NULL), 0);
    assert_string_equal(folded, "main;f 3\n");
    cr_free(folded);
    heap_result_release(&r);
    heap_run_info_release(&info);
    fake_release(&f);
}

static void test_run_fake_errors(void **state)
{
    static const char *const argv[] = { "true", NULL };
    static const char *const nowhere[] = { "no-such-program-here", NULL };
    struct fake f;
    struct heap_result r;
    struct heap_run_info info;
    struct cr_error err = { 0 };

    (void)state;
    /* The command fails: its status and its last line, not heaptrack's. */
    fake_init(&f, "#!/bin/sh\necho 'boom: bad input'\n"
                  "echo 'Heaptrack finished! Now run the following'\n"
                  "exit 4\n");
    assert_int_equal(fake_run(&f, argv, 0, &r, &info, &err), HEAP_E_COMMAND);
    assert_string_equal(err.msg, "true exited with status 4 under heaptrack: "
                                 "boom: bad input");
    assert_int_equal(info.exit_code, 4);
    heap_result_release(&r);
    heap_run_info_release(&info);
    fake_release(&f);

    /* Success but no data file. */
    fake_init(&f, "#!/bin/sh\nexit 0\n");
    assert_int_equal(fake_run(&f, argv, 0, &r, &info, &err), HEAP_E_NODATA);
    assert_non_null(strstr(err.msg, "no data file"));
    heap_result_release(&r);
    heap_run_info_release(&info);

    /* A command that is nowhere in PATH. */
    assert_int_equal(fake_run(&f, nowhere, 0, &r, &info, &err), HEAP_E_COMMAND);
    assert_string_equal(err.msg,
                        "no-such-program-here: command not found in PATH");
    heap_result_release(&r);
    heap_run_info_release(&info);

    /* heaptrack itself missing: the Debian package is named. */
    strcat(f.heaptrack, "-missing");
    assert_int_equal(fake_run(&f, argv, 0, &r, &info, &err), HEAP_E_MISSING);
    assert_non_null(strstr(err.msg, "apt-get install heaptrack"));
    heap_result_release(&r);
    heap_run_info_release(&info);
    fake_release(&f);
}

/* A heaptrack that never ends (it waits on a FIFO nobody opens, as the
 * real one does when the program dies early) is stopped at the timeout. */
static void test_run_fake_hangs(void **state)
{
    static const char *const argv[] = { "true", NULL };
    struct fake f;
    struct heap_result r;
    struct heap_run_info info;
    struct cr_error err = { 0 };

    (void)state;
    fake_init(&f, "#!/bin/sh\nmkfifo \"$2.fifo\" && read x < \"$2.fifo\"\n");
    assert_int_equal(fake_run(&f, argv, 200, &r, &info, &err), HEAP_E_COMMAND);
    assert_non_null(strstr(err.msg, "did not finish"));
    heap_result_release(&r);
    heap_run_info_release(&info);
    fake_release(&f);
}

/* The stop flag (Ctrl-C in slo) ends a hanging run the same way. */
static void test_run_fake_stopped(void **state)
{
    static const char *const argv[] = { "true", NULL };
    atomic_int stop = 2;
    struct fake f;
    struct heap_result r;
    struct heap_run_info info = { 0 };
    struct cr_error err = { 0 };
    struct heap_run_opts o = { .argv = argv, .stop = &stop };

    (void)state;
    fake_init(&f, "#!/bin/sh\nmkfifo \"$2.fifo\" && read x < \"$2.fifo\"\n");
    o.data = f.data;
    o.heaptrack = f.heaptrack;
    o.heaptrack_print = f.print;
    heap_result_init(&r);
    assert_int_equal(heap_run(&o, &r, &info, &err), HEAP_E_COMMAND);
    assert_string_equal(err.msg, "true under heaptrack: interrupted (stopped)");
    heap_result_release(&r);
    heap_run_info_release(&info);
    fake_release(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_exact),
        cmocka_unit_test(test_taskrun_version),
        cmocka_unit_test(test_clnrm_validate),
        cmocka_unit_test(test_leaky),
        cmocka_unit_test(test_clnrm_self_test),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_errors_positioned),
        cmocka_unit_test(test_summary_only),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_parse_nomem),
        cmocka_unit_test(test_run_fake_ok),
        cmocka_unit_test(test_run_fake_errors),
        cmocka_unit_test(test_run_fake_hangs),
        cmocka_unit_test(test_run_fake_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
