/* Unit tests for taskrun_sched: order, dedupe, parallelism, exit codes,
 * keep-going, conditions, JSON events. Models are built directly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cr_fs.h"
#include "taskrun_sched.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

struct fx {
    char dir[64];
    char log[96];
    struct taskrun_file f;
    struct taskrun_env env;
    struct taskrun_out out;
};

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));
    strcpy(x->dir, "/tmp/taskrun-sched-XXXXXX");
    assert_non_null(mkdtemp(x->dir));
    snprintf(x->log, sizeof(x->log), "%s/log", x->dir);
    x->f.dir = strdup(x->dir);
    taskrun_env_init(&x->env, environ);
    taskrun_env_set(&x->env, "LOG", x->log);
    x->out = (struct taskrun_out){ TASKRUN_OUT_PREFIXED,
                                   false,
                                   false,
                                   open("/dev/null", O_WRONLY),
                                   open("/dev/null", O_WRONLY),
                                   8,
                                   TASKRUN_LOG_INFO };
    *state = x;
    return 0;
}

static int teardown(void **state)
{
    struct fx *x = *state;
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", x->dir);
    assert_int_equal(system(cmd), 0);
    close(x->out.fd_out);
    close(x->out.fd_err);
    taskrun_file_release(&x->f);
    taskrun_env_release(&x->env);
    free(x);
    return 0;
}

/* A task whose script is body; deps as a NULL-terminated list. */
static struct taskrun_task *task(struct fx *x, const char *name,
                                 const char *body, ...)
{
    struct taskrun_task *t = taskrun_file_add_task(&x->f, name);
    if (body)
        t->script = strdup(body);
    va_list ap;
    va_start(ap, body);
    for (const char *d; (d = va_arg(ap, const char *)) != NULL;)
        cr_strv_push(&t->deps, d);
    va_end(ap);
    return t;
}

#define LOG_ME "echo $CARGO_MAKE_CURRENT_TASK_NAME >> \"$LOG\""

static enum taskrun_code run(struct fx *x, const char *root, unsigned jobs,
                             bool keep_going, struct taskrun_run *r)
{
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    struct taskrun_plan_opts po = { .task = root };
    assert_int_equal(taskrun_plan_build(&p, &x->f, &po, &err), TASKRUN_OK);
    struct taskrun_sched_opts so = { .jobs = jobs,
                                     .keep_going = keep_going,
                                     .grace_ms = 1000,
                                     .out = &x->out,
                                     .env = &x->env,
                                     .profile = "development",
                                     .wake_fd = -1 };
    enum taskrun_code rc = taskrun_sched_run(&p, &so, r, &err);
    taskrun_plan_release(&p);
    return rc;
}

static char *read_log(struct fx *x)
{
    char *s = NULL;
    if (cr_fs_read(x->log, &s, NULL) != 0)
        s = strdup("");
    return s;
}

static void test_serial_order_and_dedupe(void **state)
{
    struct fx *x = *state;
    task(x, "top", LOG_ME, "b", "c", NULL);
    task(x, "b", LOG_ME, "a", NULL);
    task(x, "c", LOG_ME, "a", NULL);
    task(x, "a", LOG_ME, NULL);
    struct taskrun_run r;
    for (int round = 0; round < 3; round++) {
        unlink(x->log);
        assert_int_equal(run(x, "top", 1, false, &r), TASKRUN_OK);
        assert_int_equal(r.exit_code, 0);
        char *log = read_log(x);
        /* Same order every time, a exactly once. */
        assert_string_equal(log, "a\nb\nc\ntop\n");
        free(log);
        taskrun_run_release(&r);
    }
}

/*
 * waiter only succeeds if maker runs while it waits: with -j 2 both run at
 * once. Deterministic: no timing is measured, waiter gives up after ~10 s.
 */
static void test_parallel_runs_independent_tasks_together(void **state)
{
    struct fx *x = *state;
    task(x, "top", NULL, "waiter", "maker", NULL);
    task(x, "waiter",
         "i=0; while [ ! -f \"$LOG.flag\" ]; do i=$((i+1)); "
         "[ $i -gt 1000 ] && exit 9; sleep 0.01; done",
         NULL);
    task(x, "maker", "touch \"$LOG.flag\"", NULL);
    struct taskrun_run r;
    assert_int_equal(run(x, "top", 2, false, &r), TASKRUN_OK);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.res[2].state, TASKRUN_DONE_OK);
    taskrun_run_release(&r);
}

static void test_exit_code_passes_through(void **state)
{
    struct fx *x = *state;
    task(x, "bad", "exit 42", NULL);
    task(x, "never", LOG_ME, "bad", NULL);
    struct taskrun_run r;
    assert_int_equal(run(x, "never", 1, false, &r), TASKRUN_OK);
    assert_int_equal(r.exit_code, 42);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.res[0].state, TASKRUN_DONE_FAILED);
    assert_int_equal(r.res[1].state, TASKRUN_NOT_RUN);
    char *log = read_log(x);
    assert_string_equal(log, "");
    free(log);
    taskrun_run_release(&r);
}

static void test_keep_going_runs_the_rest(void **state)
{
    struct fx *x = *state;
    task(x, "top", NULL, "bad", "good", "after-bad", NULL);
    task(x, "bad", "exit 3", NULL);
    task(x, "good", LOG_ME, NULL);
    task(x, "after-bad", LOG_ME, "bad", NULL);
    struct taskrun_run r;
    assert_int_equal(run(x, "top", 1, false, &r), TASKRUN_OK);
    char *log = read_log(x);
    assert_string_equal(log, ""); /* stopped after the failure */
    free(log);
    taskrun_run_release(&r);
    assert_int_equal(run(x, "top", 1, true, &r), TASKRUN_OK);
    assert_int_equal(r.exit_code, 3);
    log = read_log(x);
    assert_string_equal(log, "good\n");
    free(log);
    taskrun_run_release(&r);
}

static void test_ignore_errors_and_skips(void **state)
{
    struct fx *x = *state;
    task(x, "top", LOG_ME, "flaky", "off", "cond", NULL);
    task(x, "flaky", "exit 5", NULL)->ignore_errors = true;
    task(x, "off", LOG_ME, NULL)->disabled = true;
    struct taskrun_task *c = task(x, "cond", LOG_ME, NULL);
    c->cond = calloc(1, sizeof(*c->cond));
    cr_strv_push(&c->cond->env_set, "TASKRUN_TEST_UNSET_VAR");
    struct taskrun_run r;
    assert_int_equal(run(x, "top", 1, false, &r), TASKRUN_OK);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.res[0].state, TASKRUN_DONE_IGNORED);
    assert_int_equal(r.res[1].state, TASKRUN_SKIPPED);
    assert_int_equal(r.res[2].state, TASKRUN_SKIPPED);
    assert_non_null(strstr(r.res[2].reason, "TASKRUN_TEST_UNSET_VAR"));
    char *log = read_log(x);
    assert_string_equal(log, "top\n");
    free(log);
    taskrun_run_release(&r);
}

static void test_missing_program_is_127(void **state)
{
    struct fx *x = *state;
    struct taskrun_task *t = task(x, "nope", NULL, NULL);
    t->command = strdup("taskrun-no-such-program-xyz");
    struct taskrun_run r;
    assert_int_equal(run(x, "nope", 1, false, &r), TASKRUN_OK);
    assert_int_equal(r.exit_code, 127);
    taskrun_run_release(&r);
    /* ignore_errors covers a task that cannot even start. */
    t = taskrun_file_find(&x->f, "nope");
    t->ignore_errors = true;
    task(x, "after", LOG_ME, "nope", NULL);
    assert_int_equal(run(x, "after", 1, false, &r), TASKRUN_OK);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.res[0].state, TASKRUN_DONE_IGNORED);
    char *log = read_log(x);
    assert_string_equal(log, "after\n");
    free(log);
    taskrun_run_release(&r);
}

static void test_unsupported_runner_fails_only_when_run(void **state)
{
    struct fx *x = *state;
    task(x, "duck", "#!@duckscript\necho hi", NULL);
    struct taskrun_run r;
    assert_int_equal(run(x, "duck", 1, false, &r), TASKRUN_OK);
    assert_int_equal(r.res[0].state, TASKRUN_DONE_FAILED);
    assert_non_null(strstr(r.res[0].reason, "unsupported script runner"));
    taskrun_run_release(&r);
}

/* A stop request (Ctrl-C) before anything starts: nothing runs, 130. */
static void test_stop_request(void **state)
{
    struct fx *x = *state;
    task(x, "top", LOG_ME, "dep", NULL);
    task(x, "dep", LOG_ME, NULL);
    struct taskrun_plan p;
    struct cr_error err = { 0 };
    struct taskrun_plan_opts po = { .task = "top" };
    assert_int_equal(taskrun_plan_build(&p, &x->f, &po, &err), TASKRUN_OK);
    atomic_int stop = SIGINT;
    struct taskrun_sched_opts so = { .jobs = 2,
                                     .grace_ms = 100,
                                     .out = &x->out,
                                     .env = &x->env,
                                     .profile = "development",
                                     .stop = &stop,
                                     .wake_fd = -1 };
    struct taskrun_run r;
    assert_int_equal(taskrun_sched_run(&p, &so, &r, &err),
                     TASKRUN_E_INTERRUPTED);
    assert_int_equal(r.exit_code, 130);
    assert_true(r.interrupted);
    assert_int_equal(r.res[0].state, TASKRUN_NOT_RUN);
    assert_string_equal(r.res[1].reason, "interrupted");
    char *log = read_log(x);
    assert_string_equal(log, "");
    free(log);
    taskrun_run_release(&r);
    taskrun_plan_release(&p);
}

static void test_json_events(void **state)
{
    struct fx *x = *state;
    char path[128];
    snprintf(path, sizeof(path), "%s/events", x->dir);
    close(x->out.fd_out);
    x->out.fd_out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    x->out.json = true;
    task(x, "top", "echo \"out \\\"quoted\\\"\"; echo err >&2", "skipme", NULL);
    task(x, "skipme", "true", NULL)->disabled = true;
    struct taskrun_run r;
    assert_int_equal(run(x, "top", 1, false, &r), TASKRUN_OK);
    taskrun_run_release(&r);
    char *ev;
    assert_int_equal(cr_fs_read(path, &ev, NULL), 0);
    const char *skip = strstr(ev, "{\"v\":1,\"event\":\"skip\",\"task\":"
                                  "\"skipme\",\"reason\":\"disabled\"}");
    const char *start = strstr(ev, "{\"v\":1,\"event\":\"start\",\"task\":"
                                   "\"top\"");
    const char *out = strstr(ev, "\"event\":\"output\",\"task\":\"top\","
                                 "\"stream\":\"stdout\",\"line\":"
                                 "\"out \\\"quoted\\\"\"}");
    const char *err = strstr(ev, "\"stream\":\"stderr\",\"line\":\"err\"");
    const char *end = strstr(ev, "{\"v\":1,\"event\":\"end\",\"task\":\"top\","
                                 "\"status\":\"ok\",\"exit\":0,\"wall_ms\":");
    assert_non_null(skip);
    assert_non_null(start);
    assert_non_null(out);
    assert_non_null(err);
    assert_non_null(end);
    assert_true(skip < start && start < out && out < end);
    assert_non_null(strstr(end, "\"max_rss_kb\":"));
    free(ev);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_serial_order_and_dedupe),
        T(test_parallel_runs_independent_tasks_together),
        T(test_exit_code_passes_through),
        T(test_keep_going_runs_the_rest),
        T(test_ignore_errors_and_skips),
        T(test_missing_program_is_127),
        T(test_unsupported_runner_fails_only_when_run),
        T(test_stop_request),
        T(test_json_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
