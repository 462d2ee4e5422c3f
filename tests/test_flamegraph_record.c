/* Unit tests of flamegraph record's counting and report (fg_record_report):
 * process names, the two kinds of unnamed frames, --only, the report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cr_buf.h"
#include "fg_folded.h"
#include "fg_map.h"
#include "fg_record_report.h"

static void load(struct fg_map *m, const char *folded)
{
    fg_map_init(m);
    assert_int_equal(
        fg_folded_read_mem(m, folded, strlen(folded), 0, NULL, NULL), FG_OK);
}

/* Three clnrm stacks: named, a library without symbols, a failed unwind
 * ([[heap]] marked as kernel by collapse --kernel); dockerd's and a
 * process whose name only starts like clnrm's. */
static const char profile[] =
    "clnrm;main;run 10\n"
    "clnrm;main;curl_multi_perform;[libcurl.so.4.8.0] 3\n"
    "clnrm;[[heap]]_[k];__poll;do_sys_poll_[k] 2\n"
    "clnrm;[unknown];[libpcre2-8.so.0] 1\n"
    "clnrmx;[unknown] 4\n"
    "dockerd;runtime.goexit;main 20\n"
    "containerd-shim;[perf-12.map] 5\n";

static void test_comm(void **state)
{
    char c[16];
    fg_record_comm("build/bin/clnrm", c);
    assert_string_equal(c, "clnrm");
    fg_record_comm("a very long program name", c);
    assert_string_equal(c, "a_very_long_pro");
    fg_record_comm("/usr/bin/", c);
    assert_string_equal(c, "");
}

static void test_count(void **state)
{
    struct fg_map m;
    struct fg_record_stats st = { 0 };
    load(&m, profile);
    memcpy(st.target, "clnrm", 6);
    assert_int_equal(fg_record_count(&m, &st), 0);
    assert_int_equal(st.samples, 45);
    assert_int_equal(st.roots.n, 4);
    assert_int_equal(st.mine.samples, 16);
    assert_int_equal(st.mine.unknown, 3); /* [[heap]] and [unknown] */
    assert_int_equal(st.mine.unnamed, 6); /* also [libcurl...] */
    assert_int_equal(st.all.unknown, 12); /* clnrmx and [perf-12.map] */
    fg_record_stats_release(&st);
    fg_map_release(&m);
}

static void test_filter(void **state)
{
    struct fg_map m, out;
    load(&m, profile);
    fg_map_init(&out);
    assert_int_equal(fg_record_filter(&m, "dockerd,clnrm,", &out), 0);
    assert_int_equal(out.n,
                     6); /* clnrm's four, clnrmx (a prefix) and dockerd */
    assert_int_equal(fg_map_total(&out, 0), 40);
    fg_map_release(&out);
    fg_map_init(&out);
    assert_int_equal(fg_record_filter(&m, "containerd", &out), 0);
    assert_int_equal(fg_map_total(&out, 0), 5);
    fg_map_release(&out);
    fg_map_release(&m);
}

static void test_report(void **state)
{
    struct fg_map m;
    struct fg_record_stats st = { 0 };
    struct fg_record_opts o = { .call_graph = "dwarf,32768", .frequency = 999 };
    struct cr_buf out = { 0 };
    load(&m, profile);
    memcpy(st.target, "clnrm", 6);
    assert_int_equal(fg_record_count(&m, &st), 0);
    assert_int_equal(fg_record_report(&st, &o, &out), 0);
    const char *r = out.data;
    assert_non_null(strstr(r, "samples: 45 in 4 processes\n"));
    assert_non_null(strstr(r, "clnrm: 16 samples; 3 (18.8%) with [unknown] "
                              "frames"));
    assert_non_null(strstr(r, "6 (37.5%) with any unnamed frame"));
    assert_non_null(strstr(r, "note: only clnrm and its child processes"));
    /* The busiest first: dockerd, then clnrm. */
    assert_true(strstr(r, "  dockerd ") < strstr(r, "  clnrm "));
    cr_buf_release(&out);
    o.system_wide = true;
    assert_int_equal(fg_record_report(&st, &o, &out), 0);
    assert_null(strstr(out.data, "note: only"));
    assert_non_null(strstr(out.data, "system-wide"));
    cr_buf_release(&out);
    fg_record_stats_release(&st);
    fg_map_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comm),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
