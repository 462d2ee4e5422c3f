/* Unit tests for taskrun_output (line assembly, modes, JSON strings) and
 * taskrun_summary (critical path). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cr_fs.h"
#include "cr_text.h"
#include "test_alloc_fail.h"
#include "taskrun_summary.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An output sink writing both streams to one temporary file. */
static int sink(struct taskrun_out *o, enum taskrun_output_mode mode,
                char *path)
{
    strcpy(path, "/tmp/taskrun-out-XXXXXX");
    int fd = mkstemp(path);
    *o =
        (struct taskrun_out){ mode, false, false, fd, fd, 3, TASKRUN_LOG_INFO };
    return fd;
}

static char *slurp(int fd, const char *path)
{
    close(fd);
    char *s = NULL;
    assert_int_equal(cr_fs_read(path, &s, NULL), 0);
    unlink(path);
    return s;
}

static void test_prefixed_lines_across_chunks(void **state)
{
    struct taskrun_out o;
    char path[32];
    int fd = sink(&o, TASKRUN_OUT_PREFIXED, path);
    struct taskrun_linebuf lb = { 0 };
    taskrun_out_feed(&o, "ab", 1, &lb, NULL, "hel", 3, false);
    taskrun_out_feed(&o, "ab", 1, &lb, NULL, "lo\nwor", 6, false);
    taskrun_out_feed(&o, "ab", 1, &lb, NULL, "ld\n\nlast", 8, false);
    taskrun_out_feed(&o, "ab", 1, &lb, NULL, NULL, 0, true);
    char *s = slurp(fd, path);
    assert_string_equal(s, "[ab ] hello\n[ab ] world\n[ab ] \n[ab ] last\n");
    free(s);
}

/* Output that never ends a line is cut into 64 KiB lines, not buffered
 * without bound. */
static void test_endless_line_is_cut(void **state)
{
    struct taskrun_out o;
    char path[32];
    int fd = sink(&o, TASKRUN_OUT_RAW, path);
    struct taskrun_linebuf lb = { 0 };
    char chunk[4096];
    memset(chunk, 'x', sizeof(chunk));
    for (int i = 0; i < 40; i++) /* 160 KiB, no newline */
        taskrun_out_feed(&o, "t", 1, &lb, NULL, chunk, sizeof(chunk), false);
    assert_true(lb.pending.len < 64 * 1024);
    taskrun_out_feed(&o, "t", 1, &lb, NULL, NULL, 0, true);
    char *s = slurp(fd, path);
    size_t lines = 0, bytes = 0;
    for (const char *p = s; *p; p++)
        *p == '\n' ? lines++ : bytes++;
    assert_int_equal(bytes, 40 * sizeof(chunk));
    assert_int_equal(lines, 3);
    free(s);
}

static void test_group_collects_then_prints(void **state)
{
    struct taskrun_out o;
    char path[32];
    int fd = sink(&o, TASKRUN_OUT_GROUP, path);
    struct taskrun_linebuf out = { 0 }, err = { 0 };
    struct cr_buf group = { 0 };
    taskrun_out_feed(&o, "t", 1, &out, &group, "one\n", 4, false);
    taskrun_out_feed(&o, "t", 2, &err, &group, "two", 3, true);
    /* Nothing is written before the task ends. */
    assert_int_equal(lseek(fd, 0, SEEK_END), 0);
    taskrun_out_group(&o, "t", &group, 0);
    cr_buf_release(&group);
    taskrun_out_feed(&o, "t", 1, &out, NULL, NULL, 0, true);
    char *s = slurp(fd, path);
    assert_string_equal(s, "===== t =====\none\ntwo\n===== t: ok =====\n");
    free(s);
}

/*
 * Task output is arbitrary bytes; JSON strings are UTF-8: the same escapes
 * as before cJSON, invalid bytes U+FFFD (now as UTF-8 bytes, not the
 * \\ufffd escape: both are the same JSON string), and a NUL byte too
 * (a cJSON string would end there).
 */
static void test_json_strings(void **state)
{
    const char in[] = "q\"b\\n\n\t\x01 \xc3\xa9 \xff \xed\xa0\x80 \0z end";
    cJSON *j = cr_json_text(in, sizeof(in) - 1);
    assert_non_null(j);
    char *s = cJSON_PrintUnformatted(j);
    assert_string_equal(
        s, "\"q\\\"b\\\\n\\n\\t\\u0001 \xc3\xa9 \xef\xbf\xbd "
           "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbdz end\"");
    cJSON_free(s);
    cJSON_Delete(j);
}

/* Events keep their fields and order, one unformatted object per line. */
static void test_json_events(void **state)
{
    struct taskrun_out o;
    char path[32];
    int fd = sink(&o, TASKRUN_OUT_RAW, path);
    o.json = true;
    struct taskrun_linebuf lb = { 0 };
    struct cr_proc_usage u = { 0 };
    u.wall_us = 4000;
    u.user_us = 1000;
    u.max_rss_kb = 1728;
    assert_int_equal(taskrun_json_start(&o, "a", 0), 0);
    assert_int_equal(
        taskrun_out_feed(&o, "a", 1, &lb, NULL, "hello\n", 6, true), 0);
    assert_int_equal(taskrun_json_end(&o, "a", "ok", 0, &u), 0);
    assert_int_equal(taskrun_json_skip(&o, "b", "condition"), 0);
    assert_int_equal(taskrun_json_note(&o, "warning", "w \"x\""), 0);
    char *s = slurp(fd, path);
    assert_string_equal(
        s, "{\"v\":1,\"event\":\"start\",\"task\":\"a\",\"ts_ms\":0}\n"
           "{\"v\":1,\"event\":\"output\",\"task\":\"a\",\"stream\":\"stdout\","
           "\"line\":\"hello\"}\n"
           "{\"v\":1,\"event\":\"end\",\"task\":\"a\",\"status\":\"ok\","
           "\"exit\":0,\"wall_ms\":4,\"user_ms\":1,\"sys_ms\":0,"
           "\"max_rss_kb\":1728}\n"
           "{\"v\":1,\"event\":\"skip\",\"task\":\"b\",\"reason\":"
           "\"condition\"}\n"
           "{\"v\":1,\"event\":\"warning\",\"message\":\"w \\\"x\\\"\"}\n");
    free(s);
}

static void test_auto_mode(void **state)
{
    assert_int_equal(taskrun_output_auto(1, false), TASKRUN_OUT_RAW);
    assert_int_equal(taskrun_output_auto(1, true), TASKRUN_OUT_RAW);
    assert_int_equal(taskrun_output_auto(4, false), TASKRUN_OUT_PREFIXED);
    assert_int_equal(taskrun_output_auto(4, true), TASKRUN_OUT_GROUP);
    assert_int_equal(taskrun_output_parse("group"), TASKRUN_OUT_GROUP);
    assert_int_equal(taskrun_output_parse("bogus"), -1);
}

/* a -> {b (10 ms), c (30 ms)} -> d: the critical path goes through c. */
static void test_critical_path(void **state)
{
    struct taskrun_file f = { 0 };
    const char *names[] = { "a", "b", "c", "d" };
    for (int i = 0; i < 4; i++)
        taskrun_file_add_task(&f, names[i]);
    size_t deps_b[] = { 0 }, deps_c[] = { 0 }, deps_d[] = { 1, 2 };
    struct taskrun_node nodes[] = {
        { 0, NULL, 0, -1, false, false },
        { 1, deps_b, 1, -1, false, false },
        { 2, deps_c, 1, -1, false, false },
        { 3, deps_d, 2, -1, false, false },
    };
    struct taskrun_plan p = { &f, nodes, 4, 3 };
    struct taskrun_result res[4];
    memset(res, 0, sizeof(res));
    uint64_t wall[] = { 5, 10, 30, 1 };
    for (int i = 0; i < 4; i++) {
        res[i].state = TASKRUN_DONE_OK;
        res[i].usage.wall_us = wall[i] * 1000;
    }
    struct taskrun_run run = { res, 4, 0, false, 0, 40 };
    size_t *path, n;
    assert_int_equal(taskrun_critical_path(&p, &run, &path, &n), 36);
    assert_int_equal(n, 3);
    assert_int_equal(path[0], 0);
    assert_int_equal(path[1], 2);
    assert_int_equal(path[2], 3);
    free(path);
    taskrun_file_release(&f);
}

/*
 * Out of memory while buffering a task's output: the lines still reach
 * the terminal (raw and prefixed need no allocation to write a line).
 */
static void test_lines_survive_out_of_memory(void **state)
{
    struct fail_nth fn;
    for (int mode = TASKRUN_OUT_RAW; mode <= TASKRUN_OUT_PREFIXED; mode++) {
        struct taskrun_out o;
        char path[32];
        int fd = sink(&o, mode, path);
        struct taskrun_linebuf lb = { 0 };
        fail_nth_set(&fn, 0, true);
        /* Reported: the line "world" came out in two pieces. */
        assert_int_equal(
            taskrun_out_feed(&o, "ab", 1, &lb, NULL, "hello\nwor", 9, false),
            -ENOMEM);
        assert_int_equal(
            taskrun_out_feed(&o, "ab", 1, &lb, NULL, "ld\n", 3, false),
            -ENOMEM);
        assert_int_equal(
            taskrun_out_feed(&o, "ab", 1, &lb, NULL, NULL, 0, true), 0);
        fail_nth_clear();
        char *s = slurp(fd, path);
        assert_string_equal(s, mode == TASKRUN_OUT_RAW
                                   ? "hello\nwor\nld\n"
                                   : "[ab ] hello\n[ab ] wor\n[ab ] ld\n");
        free(s);
    }
}

/* A line that cannot be written is reported, in every mode. */
static void test_write_error_is_reported(void **state)
{
    for (int json = 0; json <= 1; json++) {
        int fd = open("/dev/null", O_RDONLY);
        assert_true(fd >= 0);
        struct taskrun_out o = { TASKRUN_OUT_PREFIXED, json, false, fd, fd, 2,
                                 TASKRUN_LOG_INFO };
        struct taskrun_linebuf lb = { 0 };
        assert_int_equal(
            taskrun_out_feed(&o, "t", 1, &lb, NULL, "x\n", 2, false), -EBADF);
        assert_int_equal(taskrun_out_feed(&o, "t", 1, &lb, NULL, "y", 1, true),
                         -EBADF);
        close(fd);
    }
}

/* JSON events need memory: when there is none the line is reported lost. */
static void test_json_line_lost_is_reported(void **state)
{
    struct taskrun_out o;
    char path[32];
    int fd = sink(&o, TASKRUN_OUT_RAW, path);
    o.json = true;
    struct taskrun_linebuf lb = { 0 };
    struct fail_nth fn;
    fail_nth_set(&fn, 0, true);
    int rc = taskrun_out_feed(&o, "t", 1, &lb, NULL, "x\n", 2, false);
    fail_nth_clear();
    assert_int_equal(rc, -ENOMEM);
    char *s = slurp(fd, path);
    assert_string_equal(s, "");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefixed_lines_across_chunks),
        cmocka_unit_test(test_endless_line_is_cut),
        cmocka_unit_test(test_group_collects_then_prints),
        cmocka_unit_test(test_json_strings),
        cmocka_unit_test(test_json_events),
        cmocka_unit_test(test_auto_mode),
        cmocka_unit_test(test_critical_path),
        cmocka_unit_test(test_lines_survive_out_of_memory),
        cmocka_unit_test(test_write_error_is_reported),
        cmocka_unit_test(test_json_line_lost_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
