/* Unit tests of the flamegraph collapser on small recorded samples. */
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
#include "fg_collapse.h"
#include "fg_collapse_mt.h"
#include "fg_folded.h"
#include "fg_map.h"

/* Collapses text with opts and returns the sorted folded output (caller
 * frees); stats go to *st when not NULL. */
static char *collapse(const char *text, size_t len,
                      const struct fg_collapse_opts *o,
                      struct fg_collapse_stats *st)
{
    struct fg_map m;
    struct fg_collapse c;
    struct cr_buf out = { 0 };
    fg_map_init(&m);
    fg_collapse_init(&c, o, &m);
    assert_int_equal(fg_collapse_mem(&c, text, len, NULL), FG_OK);
    assert_int_equal(fg_folded_write(&m, 1, &out), 0);
    if (st)
        *st = c.st;
    fg_collapse_release(&c);
    fg_map_release(&m);
    return cr_buf_detach(&out);
}

static void expect(const char *text, const struct fg_collapse_opts *o,
                   const char *want)
{
    char *got = collapse(text, strlen(text), o, NULL);
    assert_string_equal(got, want);
    cr_free(got);
}

/* A user sample under a kernel page fault, with an unknown frame. */
static const char sample_kernel[] =
    "bench 17238  3028.022862:    1001001 cpu-clock: \n"
    "\tffffffff82261179 _raw_spin_unlock+0x19 ([kernel.kallsyms])\n"
    "\tffffffff81000c82 asm_exc_page_fault+0x22 ([kernel.kallsyms])\n"
    "\t           21932 memset+0x32 (/usr/lib/ld-linux-x86-64.so.2)\n"
    "\t    7f3f618a21e0 [unknown] (/usr/lib/libfoo.so.1)\n"
    "\t               0 [unknown] ([unknown])\n"
    "\n";

static void test_user_and_kernel(void **state)
{
    struct fg_collapse_opts o = { 0 };
    (void)state;
    expect(sample_kernel, &o,
           "bench;[unknown];[libfoo.so.1];memset;asm_exc_page_fault;"
           "_raw_spin_unlock 1001001\n");
    o.kernel = true;
    expect(sample_kernel, &o,
           "bench;[unknown];[libfoo.so.1];memset;asm_exc_page_fault_[k];"
           "_raw_spin_unlock_[k] 1001001\n");
    o.kernel = false;
    o.addrs = true;
    expect(sample_kernel, &o,
           "bench;[unknown <0>];[libfoo.so.1 <7f3f618a21e0>];memset;"
           "asm_exc_page_fault;_raw_spin_unlock 1001001\n");
}

static void test_pid_tid_and_spaces(void **state)
{
    const char text[] = "V8 Worker 24636/25607 [000] 94564.1: 7 cycles: \n"
                        "\t1 f+0x1 (/a)\n\n"
                        "java 12688 [002] 6544038.708352: 3 cycles:\n"
                        "\t1 Lorg/x/Y;.call(Lorg/Z;)V+0x1 (/tmp/perf-1.map)\n"
                        "\n";
    struct fg_collapse_opts o = { 0 };
    (void)state;
    expect(text, &o, "V8_Worker;f 7\njava;org/x/Y:.call 3\n");
    o.pid = true;
    expect(text, &o, "V8_Worker-24636;f 7\njava-?;Lorg/x/Y:.call 3\n");
    o.tid = true;
    expect(text, &o,
           "V8_Worker-24636/25607;f 7\njava-?/12688;Lorg/x/Y:.call 3\n");
}

static void test_inlined_and_tidy(void **state)
{
    const char text[] = "ab 1 1.0: 1 cpu-clock:\n"
                        "\t10 inner->middle->outer+0x4 (/bin/a)\n"
                        "\t20 ns::f(int, char) (/bin/a)\n"
                        "\t30 ns::(anonymous namespace)::g(int) (/bin/a)\n"
                        "\t40 main.(*T).M (/bin/a)\n"
                        "\t50 \"quoted'name\" (/bin/a)\n"
                        "\t60 (process) (/bin/a)\n"
                        "\n";
    struct fg_collapse_opts o = { 0 };
    (void)state;
    expect(text, &o,
           "ab;quotedname;main.(*T).M;ns::(anonymous namespace)::g;ns::f;"
           "inner;middle_[i];outer_[i] 1\n");
}

static void test_first_event_only(void **state)
{
    const char text[] = "pr 1 1.0: 5 cycles:\n\t1 f (/a)\n\n"
                        "pr 1 1.1: 9 instructions:\n\t1 g (/a)\n\n"
                        "pr 1 1.2: 5 cycles:\n\t1 f (/a)\n\n";
    struct fg_collapse_opts o = { 0 };
    struct fg_collapse_stats st;
    char *got;
    (void)state;
    got = collapse(text, strlen(text), &o, &st);
    assert_string_equal(got, "pr;f 10\n");
    assert_int_equal(st.filtered, 1);
    cr_free(got);
    o.all_events = true;
    expect(text, &o, "pr;f 10\npr;g 9\n");
    o.all_events = false;
    o.event = "instructions";
    expect(text, &o, "pr;g 9\n");
}

static void test_garbage_and_truncation(void **state)
{
    /* Garbage lines, CRLF line ends, a NUL byte and a sample cut short at
     * the end of the input: never fatal, the skipped lines counted. */
    const char text[] = "# comment\r\n"
                        "pr 1 1.0: 2 cpu-clock:\r\n"
                        "\t1 f+0x1 (/a)\r\n"
                        "!!! not perf\r\n"
                        "\r\n"
                        "pr 1 1.1: 3 cpu-clock:\n"
                        "\t1 g\0x (/a)\n"
                        "\t2 h+0x2 (/a";
    struct fg_collapse_opts o = { 0 };
    struct fg_collapse_stats st;
    (void)state;
    char *got = collapse(text, sizeof(text) - 1, &o, &st);
    assert_string_equal(got, "pr 3\npr;f 2\n");
    assert_int_equal(st.skipped, 3);
    assert_int_equal(st.first_skipped, 4);
    assert_int_equal(st.samples, 2);
    cr_free(got);
}

static void test_no_period_and_no_blank(void **state)
{
    /* Headers without a period count 1; a last sample with no blank line
     * after it is kept (the reference drops it). */
    const char text[] = "pr 1 1.0: cpu-clock:\n\t1 f (/a)\n\n"
                        "qq 2 1.0: cpu-clock:\n\t1 g (/a)\n";
    struct fg_collapse_opts o = { 0 };
    (void)state;
    expect(text, &o, "pr;f 1\nqq;g 1\n");
}

static void test_folded_pass_through(void **state)
{
    /* heaptrack_print -F output is already folded: merged, not parsed. */
    const char text[] = "main;operator new(unsigned long) 100\n"
                        "main;f;malloc; 20\n"
                        "main;operator new(unsigned long); 5\n"
                        "bad line\n";
    struct fg_collapse_opts o = { 0 };
    struct fg_collapse_stats st;
    (void)state;
    char *got = collapse(text, strlen(text), &o, &st);
    assert_true(st.folded);
    assert_int_equal(st.skipped, 1);
    assert_string_equal(got, "main;f;malloc 20\n"
                             "main;operator new(unsigned long) 105\n");
    cr_free(got);
}

static void test_folded_parse(void **state)
{
    size_t sl;
    uint64_t c[2];
    int n;
    (void)state;
    assert_true(fg_folded_parse("a;b 12", 6, &sl, c, &n));
    assert_int_equal(sl, 3);
    assert_int_equal(c[0], 12);
    assert_int_equal(n, 1);
    assert_true(fg_folded_parse("a;b 3 4", 7, &sl, c, &n));
    assert_int_equal(n, 2);
    assert_int_equal(c[0], 3);
    assert_int_equal(c[1], 4);
    assert_false(fg_folded_parse("a;b", 3, &sl, c, &n));
    assert_false(fg_folded_parse(" 4", 2, &sl, c, &n));
    assert_false(fg_folded_parse("a;b x4", 6, &sl, c, &n));
}

static void test_map_merges(void **state)
{
    struct fg_map m;
    (void)state;
    fg_map_init(&m);
    for (int i = 0; i < 5000; i++) {
        char key[32];
        int n = snprintf(key, sizeof(key), "s%d", i % 1000);
        assert_int_equal(fg_map_add(&m, key, (size_t)n, 1, 2), 0);
    }
    assert_int_equal(m.n, 1000);
    assert_int_equal(fg_map_total(&m, 0), 5000);
    assert_int_equal(fg_map_total(&m, 1), 10000);
    fg_map_release(&m);
}

/* Collapses path with `threads` threads; returns the folded text. */
static char *collapse_file(const char *path, int threads,
                           struct fg_collapse_stats *st)
{
    struct fg_map m;
    struct fg_collapse c;
    struct cr_buf out = { 0 };
    fg_map_init(&m);
    fg_collapse_init(&c, NULL, &m);
    assert_int_equal(fg_collapse_path_mt(&c, path, threads, NULL), FG_OK);
    assert_int_equal(fg_folded_write(&m, 1, &out), 0);
    *st = c.st;
    fg_collapse_release(&c);
    fg_map_release(&m);
    return cr_buf_detach(&out);
}

static void test_threads_match_sequential(void **state)
{
    /* About 12 MB: several 4 MiB chunks, a second event type, a garbage
     * line far into the input. Threads must not change a byte. */
    char path[] = "/tmp/fg-test-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    (void)state;
    assert_non_null(f);
    for (int i = 0; i < 160000; i++) {
        if (i == 123457)
            fputs("garbage line\n", f);
        fprintf(f, "comm %d 1.0: %d %s:\n\t1 f%d+0x1 (/a)\n\t2 main (/a)\n\n",
                i % 7, 1 + i % 3, i % 1000 == 999 ? "instructions" : "cycles",
                i % 97);
    }
    assert_int_equal(fclose(f), 0);
    struct fg_collapse_stats s1, s2;
    char *one = collapse_file(path, 1, &s1);
    char *two = collapse_file(path, 3, &s2);
    unlink(path);
    assert_string_equal(one, two);
    assert_int_equal(s1.lines, s2.lines);
    assert_int_equal(s1.skipped, 1);
    assert_int_equal(s2.skipped, 1);
    assert_int_equal(s1.first_skipped, 123457 * 4 + 1);
    assert_int_equal(s2.first_skipped, s1.first_skipped);
    assert_int_equal(s1.samples, s2.samples);
    assert_int_equal(s1.filtered, 160);
    assert_int_equal(s2.filtered, 160);
    cr_free(one);
    cr_free(two);
}

/* A file collapsed through the memory-mapped scan (cached frame lines,
 * guessed successors) against the same bytes fed line by line: same
 * stacks, same counts, CRLF lines, frames shared between samples in a
 * different order, lines cut short at the end of the file. */
static void test_scan_matches_lines(void **state)
{
    char path[] = "/tmp/fg-test-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    struct cr_buf all = { 0 };
    (void)state;
    assert_non_null(f);
    for (int i = 0; i < 3000; i++) {
        int a = i % 7, b = (i * 5) % 11;
        assert_int_equal(cr_buf_printf(&all,
                                       "p%d %d 1.0: 1 cycles:%s\n"
                                       "\t%x leaf%d+0x%x (/lib/a.so)%s\n"
                                       "\t%x mid%d+0x1 (/lib/a.so)\n"
                                       "\t%x main+0x2 (/bin/p)\n\n",
                                       i % 3, i % 3, i % 13 ? "" : "\r", a, a,
                                       b, i % 17 ? "" : "\r", b, b, a + b),
                         0);
    }
    assert_int_equal(cr_buf_puts(&all, "p1 1 1.0: 1 cycles:\n\t1 lea"), 0);
    assert_int_equal(fwrite(all.data, 1, all.len, f), all.len);
    assert_int_equal(fclose(f), 0);
    struct fg_collapse_stats s1;
    char *mapped = collapse_file(path, 1, &s1);
    unlink(path);
    struct fg_map m;
    struct fg_collapse c;
    struct cr_buf lines = { 0 };
    fg_map_init(&m);
    fg_collapse_init(&c, NULL, &m);
    for (const char *p = all.data; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        size_t k = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
        assert_int_equal(fg_collapse_line(&c, p, k), 0);
        p += n + (nl != NULL);
    }
    assert_int_equal(fg_collapse_finish(&c), 0);
    assert_int_equal(fg_folded_write(&m, 1, &lines), 0);
    assert_string_equal(mapped, lines.data);
    assert_int_equal(s1.lines, c.st.lines);
    assert_int_equal(s1.samples, c.st.samples);
    assert_int_equal(s1.skipped, c.st.skipped);
    fg_collapse_release(&c);
    fg_map_release(&m);
    cr_buf_release(&lines);
    cr_buf_release(&all);
    cr_free(mapped);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_and_kernel),
        cmocka_unit_test(test_pid_tid_and_spaces),
        cmocka_unit_test(test_inlined_and_tidy),
        cmocka_unit_test(test_first_event_only),
        cmocka_unit_test(test_garbage_and_truncation),
        cmocka_unit_test(test_no_period_and_no_blank),
        cmocka_unit_test(test_folded_pass_through),
        cmocka_unit_test(test_folded_parse),
        cmocka_unit_test(test_map_merges),
        cmocka_unit_test(test_threads_match_sequential),
        cmocka_unit_test(test_scan_matches_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
