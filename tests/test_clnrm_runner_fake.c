/* Unit tests: the runner against the scripted fake engine
 * (tests/fake_engine.h), one test per path a live engine rarely takes.
 * Each asserts the result, its message, and that every object the run
 * created is gone from the fake's state. No Docker needed; no sleeps:
 * blocked calls are released from the fake's hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_janitor.h"
#include "clnrm_load.h"
#include "clnrm_reap.h"
#include "clnrm_runner.h"
#include "fake_engine.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One scenario: a fake engine, a run identity pointing at it, the work
 * engine (cancelled by the flag) and the cleanup engine (never). */
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

    /* A blocked call still waiting must not hold the fake's stop. */
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

/* Runs toml as test 0 of the run with clnrm_run_test. */
static enum clnrm_code run(struct fx *x, const char *toml)
{
    x->t = parse(toml);
    return clnrm_run_test(x->eng, x->cleanup, &x->rc, 0, x->t, &x->res);
}

static void assert_has(const char *text, const char *part)
{
    if (strstr(text, part) == NULL)
        fail_msg("\"%s\" lacks \"%s\"", text, part);
}

/* Nothing labelled with this run is left on the fake engine. */
static void assert_clean(struct fx *x)
{
    size_t c = 99, n = 99;

    fake_engine_count(x->fake, x->run_label, &c, &n);
    assert_int_equal(c, 0);
    assert_int_equal(n, 0);
}

/* What the end of `clnrm run` does: sweep everything of this run. */
static void sweep_run(struct fx *x)
{
    struct clnrm_sweep_stats st;
    struct cr_error e = { 0 };

    assert_int_equal(clnrm_reap_sweep(x->cleanup, x->rc.run_id, &st, &e),
                     CLNRM_OK);
    assert_int_equal(st.failed, 0);
}

#define ONE_SERVICE                                                            \
    "[test.metadata]\nname = \"t\"\n"                                          \
    "[services.svc]\nimage = \"img:1\"\n"

#define ONE_STEP "[[steps]]\nname = \"s1\"\ncommand = [\"echo\", \"hi\"]\n"

/* ---- The happy path ---------------------------------------------------- */

static const char two_steps[] =
    "[test.metadata]\nname = \"pass\"\n"
    "[services.db]\nimage = \"img:1\"\nwait_for_port = 5432\n"
    "[services.app]\nimage = \"img:1\"\nports = [8080]\n"
    "health_check = { cmd = [\"probe\"], interval = \"10ms\" }\n"
    "[[steps]]\nname = \"greet\"\nservice = \"app\"\n"
    "command = [\"echo\", \"hi\"]\nexpected_output_regex = \"^hi$\"\n"
    "[[steps]]\nname = \"exit three\"\nservice = \"db\"\n"
    "command = [\"sh\", \"-c\", \"exit 3\"]\nexpected_exit_code = 3\n";

static void script_pass(struct fake_engine *f)
{
    fake_engine_exec(f, "cat /proc/net/tcp /proc/net/tcp6", 0,
                     "  sl  local_address rem_address   st\n"
                     "   0: 00000000:1538 00000000:0000 0A 0\n",
                     NULL);
    fake_engine_exec(f, "probe", 0, NULL, NULL);
    fake_engine_exec(f, "echo hi", 0, "hi\n", NULL);
    fake_engine_exec(f, "sh -c exit 3", 3, NULL, "bye\n");
}

/* Two services on a network, readiness by port and by command, two steps,
 * on two workers with their janitors: everything passes and goes away. */
static void test_passes(void **state)
{
    struct fx *x = *state;
    struct clnrm_test *tests[2];
    struct clnrm_test_result res[2] = { 0 };
    struct clnrm_run_opts opts = { .jobs = 2 };
    struct cr_error e = { 0 };

    script_pass(x->fake);
    tests[0] = x->t = parse(two_steps);
    tests[1] = parse(two_steps);
    assert_int_equal(clnrm_run_all(&x->rc, tests, 2, &opts, res, &e), CLNRM_OK);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(res[i].status, CLNRM_STATUS_PASS);
        assert_string_equal(res[i].message, "");
        assert_false(res[i].cleanup_failed);
        assert_int_equal(res[i].steps[0].status, CLNRM_STATUS_PASS);
        assert_string_equal(cr_buf_str(&res[i].steps[0].out), "hi\n");
        assert_int_equal(res[i].steps[1].status, CLNRM_STATUS_PASS);
        assert_int_equal(res[i].steps[1].exit_code, 3);
        assert_string_equal(cr_buf_str(&res[i].steps[1].err), "bye\n");
        clnrm_test_result_release(&res[i]);
    }
    clnrm_test_free(tests[1]);
    /* Two services and a network per test, all created, all removed. */
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_CREATE), 4);
    assert_int_equal(fake_engine_served(x->fake, FAKE_NETWORK_CREATE), 2);
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_REMOVE), 4);
    assert_int_equal(fake_engine_served(x->fake, FAKE_NETWORK_REMOVE), 2);
    assert_clean(x);
}

/* ---- Setup failures ---------------------------------------------------- */

static void test_start_fails(void **state)
{
    struct fx *x = *state;

    fake_engine_fail(x->fake, FAKE_CONTAINER_START, 500,
                     "OCI runtime create failed: disk on fire");
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_E_API);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_has(x->res.message, "service \"svc\" (image img:1) did not start: "
                               "Error response from daemon: OCI runtime "
                               "create failed: disk on fire");
    assert_int_equal(x->res.steps[0].status, CLNRM_STATUS_SKIP);
    assert_int_equal(fake_engine_served(x->fake, FAKE_EXEC_CREATE), 0);
    assert_clean(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_passes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_start_fails, fx_setup,
                                        fx_teardown),
    };

    (void)sweep_run;
    if (engine_global_init(NULL) != ENGINE_OK)
        return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    engine_global_cleanup();
    return rc;
}
