/* Unit tests of flamegraph record's counting and report (fg_record_report):
 * process names, the two kinds of unnamed frames, --only, the report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "cr_buf.h"
#include "fg_collapse.h"
#include "fg_folded.h"
#include "fg_map.h"
#include "fg_record.h"
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

/* perf script --show-task-events: the process perf (pid 99) started
 * (perf-exec, pid 100) forks 101, which forks 102; pid 200 is another
 * clnrm on the machine, started by another perf (98); 300 forks outside
 * the tree; 99:97 is a thread of perf. Only 100-102 are the command's; a
 * frame line that mentions a task event is still a frame. */
static const char events[] =
    "            perf     0/0     PERF_RECORD_FORK(99:97):(99:99)\n"
    "            perf     0/0     PERF_RECORD_FORK(100:100):(99:99)\n"
    "            perf     0/0     PERF_RECORD_FORK(200:200):(98:98)\n"
    "       perf-exec     0/0     PERF_RECORD_COMM: perf-exec:100/100\n"
    "           clnrm 100/100 PERF_RECORD_COMM exec: clnrm:100/100\n"
    "           clnrm 100/100 PERF_RECORD_FORK(101:101):(100:100)\n"
    "clnrm 100/100 \n\t1 main (/a)\n\n"
    "clnrm 200/200 \n\t1 [unknown] ([unknown])\n\n"
    "           clnrm 101/101 PERF_RECORD_FORK(102:102):(101:101)\n"
    "             sh 300/300 PERF_RECORD_FORK(301:301):(300:300)\n"
    "sh 102/102 \n\t1 PERF_RECORD_x (/bin/sh)\n\n"
    "clnrm 101/105 \n\t1 [unknown] ([unknown])\n\n"
    "sh 301/301 \n\t1 main (/bin/sh)\n\n";

static void test_tree(void **state)
{
    struct fg_map all, own;
    struct fg_collapse a, o;
    struct fg_record_tree t;
    struct fg_collapse_opts co = { .kernel = true };
    struct cr_buf out = { 0 };
    fg_map_init(&all);
    fg_map_init(&own);
    fg_collapse_init(&a, &co, &all);
    fg_collapse_init(&o, &co, &own);
    fg_record_tree_init(&t, 99, false, &a, &o);
    for (const char *s = events; *s;) {
        const char *nl = strchr(s, '\n');
        assert_int_equal(fg_record_tree_line(&t, s, (size_t)(nl - s)), 0);
        s = nl + 1;
    }
    assert_int_equal(fg_collapse_finish(&a), 0);
    assert_int_equal(fg_collapse_finish(&o), 0);
    assert_true(t.rooted);
    assert_int_equal(t.pids.n, 3);
    assert_int_equal(a.st.samples, 5);
    assert_int_equal(a.st.skipped, 0);
    assert_int_equal(fg_folded_write(&own, 1, &out), 0);
    assert_string_equal(out.data, "clnrm;[unknown] 1\nclnrm;main 1\n"
                                  "sh;PERF_RECORD_x 1\n");

    struct fg_record_stats st = { 0 };
    memcpy(st.target, "clnrm", 6);
    st.own_pids = t.pids.n;
    fg_record_count_own(&own, &st.own);
    assert_int_equal(fg_record_count(&all, &st), 0);
    assert_int_equal(st.own.samples, 3);
    assert_int_equal(st.own.unknown, 1);
    assert_int_equal(st.mine.samples, 3);
    assert_int_equal(st.mine.unknown, 2);
    struct fg_record_opts ro = { .system_wide = true,
                                 .frequency = 499,
                                 .call_graph = "dwarf" };
    cr_buf_reset(&out);
    assert_int_equal(fg_record_report(&st, &ro, &out), 0);
    assert_non_null(strstr(out.data, "\nclnrm: 3 samples; 1 (33.3%) with "
                                     "[unknown] frames"));
    assert_non_null(strstr(out.data, "the command's own 3 processes"));
    assert_non_null(strstr(out.data, "  every process named clnrm: 3 "
                                     "samples; 2 (66.7%) with [unknown]"));
    fg_record_stats_release(&st);
    cr_buf_release(&out);
    fg_record_tree_release(&t);
    fg_collapse_release(&a);
    fg_collapse_release(&o);
    fg_map_release(&all);
    fg_map_release(&own);
}

/* With a second perf as the process perf started (pid 100), its own
 * samples are not the command's: the tree's are 101 and 102. */
static void test_tree_skip_root(void **state)
{
    struct fg_map all, own;
    struct fg_collapse a, o;
    struct fg_record_tree t;
    struct cr_buf out = { 0 };
    (void)state;
    fg_map_init(&all);
    fg_map_init(&own);
    fg_collapse_init(&a, NULL, &all);
    fg_collapse_init(&o, NULL, &own);
    fg_record_tree_init(&t, 99, true, &a, &o);
    for (const char *s = events; *s;) {
        const char *nl = strchr(s, '\n');
        assert_int_equal(fg_record_tree_line(&t, s, (size_t)(nl - s)), 0);
        s = nl + 1;
    }
    assert_int_equal(fg_collapse_finish(&a), 0);
    assert_int_equal(fg_collapse_finish(&o), 0);
    assert_string_equal(t.root, "100");
    assert_int_equal(fg_folded_write(&own, 1, &out), 0);
    assert_string_equal(out.data, "clnrm;[unknown] 1\nsh;PERF_RECORD_x 1\n");
    cr_buf_release(&out);
    fg_record_tree_release(&t);
    fg_collapse_release(&a);
    fg_collapse_release(&o);
    fg_map_release(&all);
    fg_map_release(&own);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comm),   cmocka_unit_test(test_count),
        cmocka_unit_test(test_filter), cmocka_unit_test(test_report),
        cmocka_unit_test(test_tree),   cmocka_unit_test(test_tree_skip_root),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
