/* Unit tests: the runner's pure parts (judging a step, reading
 * /proc/net/tcp) and the reaper's process identity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_load.h"
#include "clnrm_reap.h"
#include "clnrm_runner.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char tcp[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when\n"
    "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000\n"
    "   1: 0100007F:0050 0100007F:9C40 01 00000000:00000000 00:00000000\n"
    "   0: 00000000000000000000000000000000:0016 "
    "00000000000000000000000000000000:0000 0A 00000000:00000000\n";

static void test_port_listening(void **state)
{
    assert_true(clnrm_port_listening(tcp, 8080));
    assert_true(clnrm_port_listening(tcp, 22));
    /* Port 80 only has an established connection, not a listener. */
    assert_false(clnrm_port_listening(tcp, 80));
    assert_false(clnrm_port_listening(tcp, 443));
    assert_false(clnrm_port_listening("", 8080));
}

static void judge(const char *text, int exit_code, const char *out,
                  const char *err, enum clnrm_status want, const char *msg)
{
    struct clnrm_test *t = NULL;
    struct clnrm_step_result sr = { 0 };

    assert_int_equal(clnrm_test_parse(text, strlen(text), "j.clnrm.toml", NULL,
                                      &t, NULL, NULL),
                     CLNRM_OK);
    sr.exit_code = exit_code;
    assert_int_equal(cr_buf_puts(&sr.out, out), 0);
    assert_int_equal(cr_buf_puts(&sr.err, err), 0);
    clnrm_step_judge(&t->steps[0], &sr);
    assert_int_equal(sr.status, want);
    if (strstr(sr.message, msg) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", sr.message, msg);
    cr_buf_release(&sr.out);
    cr_buf_release(&sr.err);
    clnrm_test_free(t);
}

static void test_step_judge(void **state)
{
    const char *re = "[[steps]]\ncommand = [\"x\"]\n"
                     "expected_output_regex = \"^ok \\\\d+$\"\n";
    const char *not = "[[steps]]\ncommand = [\"x\"]\n"
                      "expected_output_regex_not = \"(?i)error\"\n";
    const char *code = "[[steps]]\ncommand = [\"x\"]\n"
                       "expected_exit_code = 2\n";

    judge(re, 0, "ok 12\n", "", CLNRM_STATUS_PASS, "");
    judge(re, 0, "", "ok 7\n", CLNRM_STATUS_PASS, "");
    judge(re, 0, "ok\n", "nope", CLNRM_STATUS_FAIL, "found none");
    judge(re, 1, "ok 1\n", "", CLNRM_STATUS_FAIL,
          "expected exit code 0, got 1");
    judge(not, 0, "fine\n", "", CLNRM_STATUS_PASS, "");
    judge(not, 0, "fine\n", "ERROR: x", CLNRM_STATUS_FAIL, "in stderr");
    judge(code, 2, "", "", CLNRM_STATUS_PASS, "");
    judge(code, 0, "", "", CLNRM_STATUS_FAIL, "expected exit code 2, got 0");
}

/* A regex that cannot be compiled at judge time (the loader normally
 * rejects it first) must never let the step pass unchecked. */
static void test_step_judge_bad_regex(void **state)
{
    struct clnrm_step step = { .expected_output_regex = "(unclosed" };
    struct clnrm_step_result sr = { 0 };

    (void)state;
    sr.exit_code = 0;
    clnrm_step_judge(&step, &sr);
    assert_int_equal(sr.status, CLNRM_STATUS_ERROR);
    assert_non_null(strstr(sr.message, "cannot use regex"));
    step.expected_output_regex = NULL;
    step.expected_output_regex_not = "[z-a]";
    clnrm_step_judge(&step, &sr);
    assert_int_equal(sr.status, CLNRM_STATUS_ERROR);
}

/* The oom_kill count of cgroup v2's memory.events and v1's oom_control,
 * not confused with "oom" or "oom_group_kill". */
static void test_oom_kill_count(void **state)
{
    struct clnrm_step_result sr = { 0 };

    (void)state;
    assert_int_equal(clnrm_oom_kill_count("low 0\nhigh 0\nmax 9\noom 3\n"
                                          "oom_kill 2\noom_group_kill 7\n"),
                     2);
    assert_int_equal(clnrm_oom_kill_count("oom_kill_disable 0\nunder_oom 0\n"
                                          "oom_kill 1\n"),
                     1);
    assert_int_equal(clnrm_oom_kill_count("oom 4\n"), -1);
    assert_int_equal(clnrm_oom_kill_count(""), -1);
    snprintf(sr.message, sizeof(sr.message), "expected exit code 0, got 137");
    clnrm_step_mark_oom(&sr, 16);
    assert_true(sr.oom_killed);
    assert_string_equal(sr.message,
                        "expected exit code 0, got 137 (OOM-killed: out of "
                        "memory, over the test's memory_mb = 16)");
}

static void test_owner_alive(void **state)
{
    char pid[16], start[32];

    snprintf(pid, sizeof(pid), "%d", (int)getpid());
    assert_int_equal(clnrm_proc_start_time(getpid(), start, sizeof(start)), 0);
    assert_true(clnrm_owner_alive(pid, start));
    /* Same pid, other start time: the pid was reused, the owner is gone. */
    assert_false(clnrm_owner_alive(pid, "1"));
    assert_false(clnrm_owner_alive("999999999", "1"));
    /* What cannot be judged is never removed. */
    assert_true(clnrm_owner_alive(NULL, "1"));
    assert_true(clnrm_owner_alive("abc", "1"));
}

static void test_runctx_labels(void **state)
{
    struct clnrm_runctx a, b;
    struct engine_kv kv[8];
    size_t n;

    assert_int_equal(clnrm_runctx_init(&a, NULL), CLNRM_OK);
    assert_int_equal(clnrm_runctx_init(&b, NULL), CLNRM_OK);
    assert_string_not_equal(a.run_id, b.run_id);
    n = clnrm_runctx_labels(&a, "t1", kv);
    assert_int_equal(n, 5);
    assert_string_equal(kv[0].key, CLNRM_LABEL_RUN);
    assert_string_equal(kv[0].value, a.run_id);
    assert_string_equal(kv[4].value, "t1");
    assert_true(clnrm_owner_alive(kv[1].value, kv[2].value));
}

/* Starts threads like pthread_create, except that call number fail_at
 * (counted from 1) fails as if the system were out of threads. Each thread
 * waits a little before it works and counts itself finished afterwards, so
 * a worker the pool did not join is still running when the pool returns. */
struct spawned {
    void *(*fn)(void *);
    void *arg;
};

static struct {
    int calls, fail_at, created;
    atomic_int finished;
    struct spawned jobs[8];
} plan;

static void *slow_start(void *arg)
{
    struct spawned *j = arg;

    usleep(50 * 1000);
    j->fn(j->arg);
    atomic_fetch_add(&plan.finished, 1);
    return NULL;
}

static int failing_spawn(pthread_t *thread, void *(*fn)(void *), void *arg)
{
    struct spawned *j = &plan.jobs[plan.calls];

    if (++plan.calls == plan.fail_at)
        return EAGAIN;
    plan.created++;
    *j = (struct spawned){ fn, arg };
    return pthread_create(thread, NULL, slow_start, j);
}

/* A thread that cannot be created must not leave a started worker running
 * past the pool it uses: every started worker is joined, and every test
 * gets a result. The engine address is invalid, so each worker fails to
 * connect at once and the tests are reported as errors. */
static void test_pool_survives_failed_thread(void **state)
{
    static const char text[] = "[[steps]]\ncommand = [\"true\"]\n";
    struct clnrm_test *tests[4] = { 0 };
    struct clnrm_test_result res[4];
    struct clnrm_runctx rc;
    struct clnrm_run_opts o = { .jobs = 4, .spawn = failing_spawn };
    struct cr_error e = { 0 };

    for (int fail_at = 1; fail_at <= 4; fail_at++) {
        plan.calls = 0;
        plan.fail_at = fail_at;
        plan.created = 0;
        atomic_store(&plan.finished, 0);
        memset(res, 0, sizeof(res));
        assert_int_equal(clnrm_runctx_init(&rc, NULL), CLNRM_OK);
        rc.engine_host = "nonsense://nowhere";
        for (size_t i = 0; i < 4; i++)
            if (tests[i] == NULL)
                assert_int_equal(clnrm_test_parse(text, sizeof(text) - 1,
                                                  "t.clnrm.toml", NULL,
                                                  &tests[i], NULL, &e),
                                 CLNRM_OK);
        assert_int_not_equal(clnrm_run_all(&rc, tests, 4, &o, res, &e),
                             CLNRM_OK);
        assert_int_equal(atomic_load(&plan.finished), plan.created);
        for (size_t i = 0; i < 4; i++) {
            assert_ptr_equal(res[i].test, tests[i]);
            assert_int_equal(res[i].status, CLNRM_STATUS_ERROR);
            clnrm_test_result_release(&res[i]);
        }
    }
    for (size_t i = 0; i < 4; i++)
        clnrm_test_free(tests[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_port_listening),
        cmocka_unit_test(test_step_judge),
        cmocka_unit_test(test_step_judge_bad_regex),
        cmocka_unit_test(test_oom_kill_count),
        cmocka_unit_test(test_owner_alive),
        cmocka_unit_test(test_runctx_labels),
        cmocka_unit_test(test_pool_survives_failed_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
