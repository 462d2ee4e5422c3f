/* Unit tests: the engine calls a test asks for (issue 15), counted exactly
 * against the scripted fake engine (tests/fake_engine.h): the one-step
 * case as the container's main process, the keep-alive + exec case, the
 * counts in each result (teardown by the janitor included), and the
 * classification of requests into kinds. No Docker needed; no sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_load.h"
#include "clnrm_reap.h"
#include "clnrm_runner.h"
#include "cr_alloc.h"
#include "cr_clock.h"
#include "fake_engine.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
    struct fake_engine *fake;
    struct clnrm_runctx rc;
    atomic_int cancel;
    struct engine *eng, *cleanup;
    char run_label[64];
    struct clnrm_test *t;
    struct clnrm_test_result res;
};

static int fx_setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    if (x == NULL || (x->fake = fake_engine_start()) == NULL)
        return -1;
    if (clnrm_runctx_init(&x->rc, NULL) != CLNRM_OK)
        return -1;
    x->rc.engine_host = fake_engine_host(x->fake);
    x->rc.cancel = &x->cancel;
    snprintf(x->run_label, sizeof(x->run_label), "%s=%s", CLNRM_LABEL_RUN,
             x->rc.run_id);
    if (engine_open(&x->eng, x->rc.engine_host, &x->cancel, NULL) !=
            ENGINE_OK ||
        engine_open(&x->cleanup, x->rc.engine_host, NULL, NULL) != ENGINE_OK)
        return -1;
    *state = x;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *x = *state;

    fake_engine_release(x->fake);
    engine_close(x->eng);
    engine_close(x->cleanup);
    fake_engine_stop(x->fake);
    clnrm_test_result_release(&x->res);
    clnrm_test_free(x->t);
    free(x);
    return 0;
}

static struct clnrm_test *parse(const char *toml)
{
    struct clnrm_test *t = NULL;
    struct cr_error e = { 0 };

    if (clnrm_test_parse(toml, strlen(toml), "fake.clnrm.toml", NULL, &t, NULL,
                         &e) != CLNRM_OK)
        fail_msg("test file does not load: %s", e.msg);
    return t;
}

static enum clnrm_code run(struct fx *x, const char *toml)
{
    x->t = parse(toml);
    return clnrm_run_test(x->eng, x->cleanup, &x->rc, 0, x->t, &x->res);
}

static void assert_clean(struct fx *x)
{
    size_t c = 99, n = 99;

    fake_engine_count(x->fake, x->run_label, &c, &n);
    assert_int_equal(c, 0);
    assert_int_equal(n, 0);
}

static unsigned calls(const struct clnrm_test_result *r, enum engine_call k)
{
    return r->calls.n[k];
}

#define ONE_SERVICE                                                            \
    "[test.metadata]\nname = \"t\"\n"                                          \
    "[services.svc]\nimage = \"img:1\"\n"

#define ONE_STEP                                                               \
    "[[steps]]\nname = \"s1\"\ncommand = [\"echo\", \"hi\"]\n"                 \
    "expected_output_regex = \"^hi$\"\n"

/* One step in a service without a command: create, wait, start, logs and
 * remove, no exec and no kill; output and exit code from the engine. */
static void test_main_step_calls(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", "note\n");
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    assert_string_equal(cr_buf_str(&x->res.steps[0].out), "hi\n");
    assert_string_equal(cr_buf_str(&x->res.steps[0].err), "note\n");
    assert_int_equal(x->res.steps[0].exit_code, 0);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_CREATE), 1);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_WAIT), 1);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_START), 1);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_LOGS), 1);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_REMOVE), 1);
    assert_int_equal(engine_calls_total(&x->res.calls), 5);
    assert_int_equal(fake_engine_served(x->fake, FAKE_EXEC_CREATE), 0);
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_KILL), 0);
    assert_int_equal(fake_engine_served(x->fake, FAKE_NETWORK_CREATE), 0);
    assert_clean(x);
}

/* Exit status 137 of a failing step: the engine is asked whether it was an
 * OOM kill (one inspect); a passing step never pays for it. */
static void test_main_step_killed_inspects(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "echo hi", 137, NULL, NULL);
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_FAIL);
    assert_int_equal(x->res.steps[0].exit_code, 137);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_INSPECT), 1);
    assert_int_equal(engine_calls_total(&x->res.calls), 6);
    assert_clean(x);
}

/* The step is the container's process: past its timeout the container is
 * killed, the step reported as a timeout, and everything removed. */
static void test_main_step_timeout(void **state)
{
    struct fx *x = *state;

    /* Unscripted, the fake's container runs until killed. */
    assert_int_equal(run(x, ONE_SERVICE "[[steps]]\nname = \"slow\"\n"
                                        "command = [\"sleep\", \"9\"]\n"
                                        "timeout_ms = 20\n"),
                     CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_TIMEOUT);
    assert_non_null(strstr(x->res.message, "(step timeout); service \"svc\" "
                                           "killed"));
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_KILL), 1);
    assert_clean(x);
}

/* Two steps keep the keep-alive container and exec each step: the calls
 * the one-step case saves. */
static void test_keepalive_calls(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", NULL);
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP ONE_STEP), CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_CREATE), 1);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_START), 1);
    assert_int_equal(calls(&x->res, ENGINE_CALL_EXEC_CREATE), 2);
    assert_int_equal(calls(&x->res, ENGINE_CALL_EXEC_START), 2);
    assert_int_equal(calls(&x->res, ENGINE_CALL_EXEC_INSPECT), 2);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_REMOVE), 1);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_WAIT), 0);
    assert_int_equal(engine_calls_total(&x->res.calls), 9);
    assert_clean(x);
}

/* Through the worker pool the janitor removes the container; its call
 * lands in the test's counts by the time clnrm_run_all returns, and no
 * test pays for another's. */
static void test_pool_counts_janitor(void **state)
{
    struct fx *x = *state;
    struct clnrm_test *tests[3];
    struct clnrm_test_result res[3] = { 0 };
    struct clnrm_run_opts opts = { .jobs = 2 };
    struct cr_error e = { 0 };

    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", NULL);
    for (size_t i = 0; i < 3; i++)
        tests[i] = parse(ONE_SERVICE ONE_STEP);
    assert_int_equal(clnrm_run_all(&x->rc, tests, 3, &opts, res, &e), CLNRM_OK);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(res[i].status, CLNRM_STATUS_PASS);
        assert_int_equal(calls(&res[i], ENGINE_CALL_CONTAINER_REMOVE), 1);
        assert_int_equal(engine_calls_total(&res[i].calls), 5);
        clnrm_test_result_release(&res[i]);
        clnrm_test_free(tests[i]);
    }
    assert_clean(x);
}

/* Readiness and ports need the service up before the step: no main step. */
static void test_ready_service_keeps_exec(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "probe", 0, NULL, NULL);
    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", NULL);
    assert_int_equal(
        run(x, ONE_SERVICE "health_check = { cmd = [\"probe\"] }\n" ONE_STEP),
        CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    assert_int_equal(calls(&x->res, ENGINE_CALL_EXEC_CREATE), 2);
    assert_int_equal(calls(&x->res, ENGINE_CALL_CONTAINER_WAIT), 0);
    assert_clean(x);
}

/* A step killed by SIGKILL in a keep-alive container: the exec that reads
 * the OOM count never outlives the test's deadline (here 300 ms; the
 * exec's own bound is 5 s), even when the engine does not answer it. */
static void test_oom_read_within_test_deadline(void **state)
{
    struct fx *x = *state;
    uint64_t start = cr_clock_ms();

    fake_engine_exec(x->fake, "sh -c kill", 137, NULL, NULL);
    /* Exec starts: the step's first, then the cat's, which hangs. */
    fake_engine_block_nth(x->fake, FAKE_EXEC_START, 2);
    assert_int_equal(run(x,
                         "[test.metadata]\nname = \"t\"\ntimeout_ms = 300\n"
                         "[services.svc]\nimage = \"img:1\"\n"
                         "[[steps]]\nname = \"k\"\ncommand = [\"sh\", \"-c\", "
                         "\"kill\"]\n" ONE_STEP),
                     CLNRM_OK);
    assert_int_equal(x->res.steps[0].exit_code, 137);
    assert_false(x->res.steps[0].oom_killed);
    assert_int_equal(fake_engine_served(x->fake, FAKE_EXEC_START), 1);
    if (cr_clock_ms() - start >= 4000)
        fail_msg("the OOM read waited %llu ms, past the test's deadline",
                 (unsigned long long)(cr_clock_ms() - start));
}

/* The create line of service svc in the fake's log (a new string). */
static char *create_line(struct fx *x)
{
    char *log = fake_engine_log(x->fake), *p = strstr(log, "create clnrm-");
    char *end;

    assert_non_null(p);
    if ((end = strchr(p, '\n')) != NULL)
        *end = '\0';
    memmove(log, p, strlen(p) + 1);
    return log;
}

/* clnrm's own argv (the main step, the keep-alive) runs without the
 * image's ENTRYPOINT ("Entrypoint":[]); a user's service command keeps
 * it. Only the main step's container asks for the json-file log driver,
 * whose output it reads through the logs endpoint. */
static void test_entrypoint_and_log_driver(void **state)
{
    struct fx *x = *state;
    char *line;

    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", NULL);
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_OK);
    line = create_line(x);
    assert_non_null(strstr(line, " Entrypoint=[]"));
    assert_non_null(strstr(line, " LogType=json-file"));
    free(line);
}

static void test_keepalive_no_entrypoint(void **state)
{
    struct fx *x = *state;
    char *line;

    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", NULL);
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP ONE_STEP), CLNRM_OK);
    line = create_line(x);
    assert_non_null(strstr(line, " Entrypoint=[]"));
    assert_null(strstr(line, "LogType"));
    free(line);
}

static void test_user_command_keeps_entrypoint(void **state)
{
    struct fx *x = *state;
    char *line;

    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", NULL);
    assert_int_equal(run(x, ONE_SERVICE "command = [\"serve\"]\n" ONE_STEP),
                     CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    line = create_line(x);
    assert_null(strstr(line, "Entrypoint"));
    assert_null(strstr(line, "LogType"));
    free(line);
}

static void test_classify(void **state)
{
    static const struct {
        const char *method, *path;
        enum engine_call kind;
    } cases[] = {
        { "GET", "/_ping", ENGINE_CALL_PING },
        { "POST", "/containers/create?name=a", ENGINE_CALL_CONTAINER_CREATE },
        { "POST", "/containers/abc/start", ENGINE_CALL_CONTAINER_START },
        { "POST", "/containers/abc/wait?condition=next-exit",
          ENGINE_CALL_CONTAINER_WAIT },
        { "GET", "/containers/abc/logs?stdout=1", ENGINE_CALL_CONTAINER_LOGS },
        { "GET", "/containers/abc/json", ENGINE_CALL_CONTAINER_INSPECT },
        { "DELETE", "/containers/abc?v=1&force=1",
          ENGINE_CALL_CONTAINER_REMOVE },
        { "GET", "/containers/json?all=1&filters=x",
          ENGINE_CALL_CONTAINER_LIST },
        { "POST", "/containers/abc/exec", ENGINE_CALL_EXEC_CREATE },
        { "POST", "/exec/e1/start", ENGINE_CALL_EXEC_START },
        { "GET", "/exec/e1/json", ENGINE_CALL_EXEC_INSPECT },
        { "GET", "/images/library/busybox:1/json", ENGINE_CALL_IMAGE_INSPECT },
        { "DELETE", "/images/x:1?force=1", ENGINE_CALL_IMAGE_REMOVE },
        { "POST", "/networks/create", ENGINE_CALL_NETWORK_CREATE },
        { "DELETE", "/networks/n1", ENGINE_CALL_NETWORK_REMOVE },
        { "GET", "/networks?filters=x", ENGINE_CALL_NETWORK_LIST },
        { "POST", "/build?t=x", ENGINE_CALL_OTHER },
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        enum engine_call k =
            engine_call_classify(cases[i].method, cases[i].path);
        if (k != cases[i].kind)
            fail_msg("%s %s: %s, not %s", cases[i].method, cases[i].path,
                     engine_call_name(k), engine_call_name(cases[i].kind));
    }
    assert_string_equal(engine_call_name(ENGINE_CALL__COUNT), "other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_main_step_calls, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_main_step_killed_inspects,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_main_step_timeout, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_calls, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_pool_counts_janitor, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_ready_service_keeps_exec, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_oom_read_within_test_deadline,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_entrypoint_and_log_driver,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_keepalive_no_entrypoint, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_user_command_keeps_entrypoint,
                                        fx_setup, fx_teardown),
        cmocka_unit_test(test_classify),
    };

    if (engine_global_init(NULL) != ENGINE_OK)
        return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    engine_global_cleanup();
    return rc;
}
