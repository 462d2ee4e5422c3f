/* Unit tests: services started in depends_on order and ports published
 * on the host port a file asks for, against the scripted fake engine
 * (tests/fake_engine.h), whose request log gives the order of creates,
 * starts and readiness execs. No Docker needed; no sleeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_load.h"
#include "clnrm_runner.h"
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
    struct clnrm_test *t;
    struct clnrm_test_result res;
    char *log;
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

    engine_close(x->eng);
    engine_close(x->cleanup);
    fake_engine_stop(x->fake);
    clnrm_test_result_release(&x->res);
    clnrm_test_free(x->t);
    free(x->log);
    free(x);
    return 0;
}

/* Runs toml as test 0 and keeps the fake's request log in x->log. */
static enum clnrm_code run(struct fx *x, const char *toml)
{
    struct cr_error e = { 0 };
    enum clnrm_code rc;

    if (clnrm_test_parse(toml, strlen(toml), "order.clnrm.toml", NULL, &x->t,
                         NULL, &e) != CLNRM_OK)
        fail_msg("test file does not load: %s", e.msg);
    rc = clnrm_run_test(x->eng, x->cleanup, &x->rc, 0, x->t, &x->res);
    x->log = fake_engine_log(x->fake);
    return rc;
}

static void assert_has(const char *text, const char *part)
{
    if (strstr(text, part) == NULL)
        fail_msg("\"%s\" lacks \"%s\"", text, part);
}

/* Where "WHAT clnrm-<run>-0-SVC" is in the log, or -1 when it is not. */
static long at(const struct fx *x, const char *what, const char *svc)
{
    char line[256];
    const char *p;

    snprintf(line, sizeof(line), "%s clnrm-%s-0-%s", what, x->rc.run_id, svc);
    for (p = x->log; (p = strstr(p, line)) != NULL; p++) {
        char end = p[strlen(line)];
        if ((p == x->log || p[-1] == '\n') && (end == '\n' || end == ' '))
            return p - x->log;
    }
    return -1;
}

/* Asserts that the first of these log lines comes before the second. */
static void assert_before(const struct fx *x, const char *w1, const char *s1,
                          const char *w2, const char *s2)
{
    long a = at(x, w1, s1), b = at(x, w2, s2);

    if (a < 0 || b < 0 || a > b)
        fail_msg("want \"%s %s\" before \"%s %s\" in:\n%s", w1, s1, w2, s2,
                 x->log);
}

#define STEPS                                                                  \
    "[[steps]]\nname = \"s1\"\nservice = \"b\"\ncommand = [\"true\"]\n"        \
    "[[steps]]\nname = \"s2\"\nservice = \"b\"\ncommand = [\"true\"]\n"

/* b waits for a, which has a health check; c depends on nothing. */
static const char chain[] =
    "[test.metadata]\nname = \"t\"\n"
    "[services.b]\nimage = \"img:1\"\ndepends_on = [\"a\"]\n"
    "[services.c]\nimage = \"img:1\"\n"
    "[services.a]\nimage = \"img:1\"\n"
    "healthcheck = { test = [\"CMD\", \"probe-a\"], interval = \"1ms\", "
    "retries = 3 }\n" STEPS;

/* b is created only after a was started and its check passed. */
static void test_waits_for_ready(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "probe-a", 0, NULL, NULL);
    assert_int_equal(run(x, chain), CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    assert_before(x, "start", "a", "exec", "a");
    assert_before(x, "exec", "a", "create", "b");
    assert_before(x, "create", "b", "start", "b");
    assert_true(at(x, "start", "c") >= 0);
}

/* a never becomes ready: the test fails naming both, b is never made,
 * and the service that depends on nothing was started all the same. */
static void test_dependency_not_ready(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "probe-a", 1, NULL, "no\n");
    assert_int_equal(run(x, chain), CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_TIMEOUT);
    assert_has(x->res.message, "service \"a\" not ready after ");
    assert_has(x->res.message,
               "service \"b\" depends on \"a\" and was not started");
    assert_int_equal(at(x, "create", "b"), -1);
    assert_true(at(x, "start", "c") >= 0);
    assert_int_equal(x->res.steps[0].status, CLNRM_STATUS_SKIP);
}

/* a cannot start: the message names both services; b is never made. */
static void test_dependency_fails_to_start(void **state)
{
    struct fx *x = *state;

    fake_engine_fail(x->fake, FAKE_CONTAINER_START, 500, "disk on fire");
    assert_int_equal(run(x, "[test.metadata]\nname = \"t\"\n"
                            "[services.b]\nimage = \"img:1\"\n"
                            "depends_on = [\"a\"]\n"
                            "[services.a]\nimage = \"img:1\"\n" STEPS),
                     CLNRM_E_API);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_has(x->res.message, "service \"a\" (image img:1) did not start");
    assert_has(x->res.message,
               "service \"b\" depends on \"a\" and was not started");
    assert_int_equal(at(x, "create", "b"), -1);
}

/* a and b both fail to start: the message is the first failure's and
 * names only that service's dependents, never the other's. */
static void test_two_failures_note_first(void **state)
{
    struct fx *x = *state;
    const char *first, *other;

    fake_engine_fail(x->fake, FAKE_CONTAINER_START, 500, "disk on fire");
    assert_int_equal(
        run(x, "[test.metadata]\nname = \"t\"\n"
               "[services.a]\nimage = \"img:1\"\n"
               "[services.b]\nimage = \"img:1\"\n"
               "[services.c]\nimage = \"img:1\"\ndepends_on = [\"a\"]\n"
               "[services.d]\nimage = \"img:1\"\ndepends_on = [\"b\"]\n"
               "[[steps]]\nname = \"s\"\nservice = \"c\"\n"
               "command = [\"true\"]\n"),
        CLNRM_E_API);
    if (strncmp(x->res.message, "service \"a\"", 11) == 0) {
        first = "service \"c\" depends on \"a\" and was not started";
        other = "depends on \"b\"";
    } else {
        assert_has(x->res.message, "service \"b\" (image img:1) did not");
        first = "service \"d\" depends on \"b\" and was not started";
        other = "depends on \"a\"";
    }
    assert_has(x->res.message, first);
    if (strstr(x->res.message, other) != NULL)
        fail_msg("\"%s\" names the other failure's dependents", x->res.message);
}

/* condition = "service_started": b does not wait for a's check. */
static void test_condition_started(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "probe-a", 1, NULL, "no\n");
    assert_int_equal(
        run(x, "[test.metadata]\nname = \"t\"\n"
               "[services.b]\nimage = \"img:1\"\n"
               "depends_on = { a = { condition = \"service_started\" } }\n"
               "[services.a]\nimage = \"img:1\"\n"
               "healthcheck = { test = [\"CMD\", \"probe-a\"], "
               "interval = \"1ms\", retries = 3 }\n" STEPS),
        CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_TIMEOUT);
    assert_before(x, "start", "a", "create", "b");
}

/* A three-level chain without checks: each starts after the one before. */
static void test_chain_started(void **state)
{
    struct fx *x = *state;

    assert_int_equal(run(x, "[test.metadata]\nname = \"t\"\n"
                            "[services.b]\nimage = \"img:1\"\n"
                            "depends_on = [\"c\"]\n"
                            "[services.a]\nimage = \"img:1\"\n"
                            "[services.c]\nimage = \"img:1\"\n"
                            "depends_on = [\"a\"]\n" STEPS),
                     CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    assert_before(x, "start", "a", "create", "c");
    assert_before(x, "start", "c", "create", "b");
}

/* "IP:H:C" and "H:C" ask the engine for host port H on that address (the
 * loopback by default); a bare port leaves the choice to the engine. */
static void test_host_port_requested(void **state)
{
    struct fx *x = *state;

    assert_int_equal(run(x, "[test.metadata]\nname = \"t\"\n"
                            "[services.b]\nimage = \"img:1\"\n"
                            "ports = [\"18080:80\", \"0.0.0.0:18081:81\", "
                            "82]\n" STEPS),
                     CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    assert_has(x->log, " HostIp=127.0.0.1 HostIp=0.0.0.0 HostIp=127.0.0.1 "
                       "HostPort=18080 HostPort=18081 HostPort=\n");
}

/* The engine cannot bind the host port: the message names the service
 * and the port. */
static void test_port_in_use(void **state)
{
    struct fx *x = *state;

    fake_engine_fail(x->fake, FAKE_CONTAINER_START, 500,
                     "driver failed programming external connectivity on "
                     "endpoint x: Bind for 127.0.0.1:18081 failed: port is "
                     "already allocated");
    assert_int_equal(run(x, "[test.metadata]\nname = \"t\"\n"
                            "[services.b]\nimage = \"img:1\"\n"
                            "ports = [\"18080:80\", \"18081:81\"]\n" STEPS),
                     CLNRM_E_API);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_has(x->res.message, "service \"b\": host port 127.0.0.1:18081 "
                               "(for container port 81) is already in use");
}

/* Only engine-chosen host ports: nothing for the user to free or choose,
 * so the engine's message is kept as it is. */
static void test_port_taken_no_fixed_port(void **state)
{
    struct fx *x = *state;

    fake_engine_fail(x->fake, FAKE_CONTAINER_START, 500,
                     "Bind for 127.0.0.1:32768 failed: port is already "
                     "allocated");
    assert_int_equal(run(x, "[test.metadata]\nname = \"t\"\n"
                            "[services.b]\nimage = \"img:1\"\n"
                            "ports = [80, 81]\n" STEPS),
                     CLNRM_E_API);
    assert_has(x->res.message, "service \"b\" (image img:1) did not start: ");
    assert_has(x->res.message, "127.0.0.1:32768 failed: port is already");
    assert_null(strstr(x->res.message, "host port 127.0.0.1:0"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_waits_for_ready, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_dependency_not_ready, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_two_failures_note_first, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_dependency_fails_to_start,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_condition_started, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_chain_started, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_host_port_requested, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_port_in_use, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_port_taken_no_fixed_port, fx_setup,
                                        fx_teardown),
    };

    int failed;

    if (engine_global_init(NULL) != ENGINE_OK)
        return 1;
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    engine_global_cleanup();
    return failed;
}
