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
#include "cr_clock.h"
#include "clnrm_runner.h"
#include "cr_alloc.h"
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

/* A second step keeps a test on the keep-alive + exec path (one step alone
 * runs as the container's main process: test_clnrm_speed_fake.c). */
#define TWO_STEPS ONE_STEP "[[steps]]\nname = \"s2\"\ncommand = [\"true\"]\n"

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

/* The name is taken by a container that is not ours: the test cannot run,
 * and the other container is left alone. */
static void test_conflict_on_create(void **state)
{
    struct fx *x = *state;
    char name[160], id[65];
    size_t all = 0;

    snprintf(name, sizeof(name), "clnrm-%s-0-svc", x->rc.run_id);
    fake_engine_add_object(x->fake, false, name, NULL, NULL, 0, id);
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_E_CONFLICT);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_has(x->res.message, "service \"svc\" (image img:1) did not start: "
                               "Error response from daemon: Conflict. The "
                               "container name");
    assert_has(x->res.message, id);
    assert_clean(x);
    fake_engine_count(x->fake, NULL, &all, NULL);
    assert_int_equal(all, 1);
}

static void test_missing_image(void **state)
{
    struct fx *x = *state;

    fake_engine_missing_image(x->fake, "img:1");
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_E_NOIMAGE);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_has(x->res.message, "did not start: image \"img:1\" not found "
                               "locally");
    assert_int_equal(clnrm_totals_exit_status(&x->res, 1), 3);
    assert_clean(x);
}

/* ---- Readiness --------------------------------------------------------- */

static void test_never_ready(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "probe --quick", 1, NULL, "not yet\n");
    assert_int_equal(run(x, ONE_SERVICE
                         "health_check = { cmd = [\"probe\", \"--quick\"], "
                         "interval = \"1ms\", retries = 3 }\n" ONE_STEP),
                     CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_TIMEOUT);
    assert_has(x->res.message, "service \"svc\" not ready after ");
    assert_has(x->res.message, "(3 tries): waiting for health_check "
                               "\"probe\"");
    assert_int_equal(fake_engine_served(x->fake, FAKE_EXEC_CREATE), 3);
    assert_int_equal(x->res.steps[0].status, CLNRM_STATUS_SKIP);
    assert_clean(x);
}

/* The service's command ends before it is ready: the message gives its
 * exit code and the end of its log, whichever way readiness is probed. */
static void exits_during_readiness(struct fx *x, const char *ready)
{
    char toml[512];

    fake_engine_exit_on_start(x->fake, "-svc", 3,
                              "starting\nreading /etc/svc.conf\n"
                              "fatal: no such file\n");
    snprintf(toml, sizeof(toml), "%s%s%s", ONE_SERVICE, ready, ONE_STEP);
    assert_int_equal(run(x, toml), CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_FAIL);
    assert_has(x->res.message, "service \"svc\" exited before it was ready: "
                               "its command exited with code 3");
    assert_has(x->res.message, "fatal: no such file");
    assert_int_equal(x->res.steps[0].status, CLNRM_STATUS_SKIP);
    assert_clean(x);
}

static void test_exits_during_readiness_cmd(void **state)
{
    exits_during_readiness(*state, "health_check = { cmd = [\"probe\"], "
                                   "interval = \"1ms\" }\n");
}

static void test_exits_during_readiness_log(void **state)
{
    exits_during_readiness(*state, "wait_for_log = \"listening\"\n");
}

/* ---- Steps ------------------------------------------------------------- */

/* The service dies before its first step: the step reports the exit code
 * and shows the service's log as its output. */
static void test_service_gone_before_step(void **state)
{
    struct fx *x = *state;

    fake_engine_exit_on_start(x->fake, "-svc", 7, "crashed\n");
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP ONE_STEP), CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_FAIL);
    assert_has(x->res.message, "step \"s1\": service \"svc\" is not running: "
                               "its command exited with code 7");
    assert_string_equal(cr_buf_str(&x->res.steps[0].out), "crashed\n");
    assert_int_equal(x->res.steps[1].status, CLNRM_STATUS_SKIP);
    assert_clean(x);
}

/* A step past its timeout has its service killed; the next step in that
 * service is not run. The exec is held by the fake, never answered. */
static void test_step_timeout_kills(void **state)
{
    struct fx *x = *state;

    fake_engine_block(x->fake, FAKE_EXEC_START, NULL, NULL);
    assert_int_equal(
        run(x, ONE_SERVICE
            "[[steps]]\nname = \"slow\"\ncommand = [\"sleep\"]\n"
            "timeout_ms = 20\ncontinue_on_failure = true\n" ONE_STEP),
        CLNRM_OK);
    assert_int_equal(x->res.status, CLNRM_STATUS_TIMEOUT);
    assert_has(x->res.message, "step \"slow\": timed out after ");
    assert_has(x->res.message, "(step timeout); service \"svc\" killed");
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_KILL), 1);
    assert_int_equal(x->res.steps[1].status, CLNRM_STATUS_SKIP);
    assert_has(x->res.steps[1].message, "was killed after a timeout");
    assert_clean(x);
}

/* ---- A failing engine -------------------------------------------------- */

static void die_now(void *ctx)
{
    struct fake_engine *f = ctx;

    fake_engine_die_after(f, 0);
    fake_engine_release(f);
}

/* The engine goes away during the first step: the test cannot finish,
 * cleanup fails and says so, and the end-of-run sweep removes everything
 * once the engine is back. */
static void test_engine_dies(void **state)
{
    struct fx *x = *state;

    fake_engine_block(x->fake, FAKE_EXEC_CREATE, die_now, x->fake);
    assert_int_equal(run(x, ONE_SERVICE TWO_STEPS), CLNRM_E_ENGINE);
    /* The engine's failure, not the test's: exit status 3, not 1. */
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_int_equal(clnrm_totals_exit_status(&x->res, 1), 3);
    /* "lost connection", or "Cannot connect" when libcurl retried. */
    assert_has(x->res.message, "step \"s1\": ");
    assert_has(x->res.message, "the Docker daemon at unix:///tmp/clnrm-fake-");
    assert_true(x->res.cleanup_failed);
    fake_engine_revive(x->fake);
    sweep_run(x);
    assert_clean(x);
}

/* Replies that are not JSON, and bytes that are not HTTP. */
static void test_garbage_json(void **state)
{
    struct fx *x = *state;

    fake_engine_garbage(x->fake, FAKE_CONTAINER_CREATE, FAKE_GARBAGE_JSON);
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_E_STREAM);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_has(x->res.message, "did not start: no Id in the Docker daemon's "
                               "reply");
    assert_clean(x);
}

static void test_garbage_http(void **state)
{
    struct fx *x = *state;

    fake_engine_garbage(x->fake, FAKE_EXEC_START, FAKE_GARBAGE_HTTP);
    assert_int_equal(run(x, ONE_SERVICE TWO_STEPS), CLNRM_E_ENGINE);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_has(x->res.message, "step \"s1\": ");
    assert_has(x->res.message, "Docker daemon at unix:///tmp/clnrm-fake-");
    assert_false(x->res.cleanup_failed);
    assert_clean(x);
}

/* ---- Leftovers --------------------------------------------------------- */

/* Objects of a dead run of this host go; those of a live run, of another
 * host, or without labels stay. */
static void test_sweep_orphans(void **state)
{
    struct fx *x = *state;
    const char *keys[] = { CLNRM_LABEL_RUN, CLNRM_LABEL_PID,
                           CLNRM_LABEL_PID_START, CLNRM_LABEL_HOST };
    const char *dead[] = { "deadbeef", x->rc.pid, "1", x->rc.host };
    const char *alive[] = { "a11ve", x->rc.pid, x->rc.pid_start, x->rc.host };
    const char *elsewhere[] = { "e15e", x->rc.pid, "1", "another-host" };
    struct clnrm_sweep_stats st;
    struct cr_error e = { 0 };
    char id[65];
    size_t c, n;

    fake_engine_add_object(x->fake, false, "o1", keys, dead, 4, id);
    fake_engine_add_object(x->fake, true, "o2", keys, dead, 4, id);
    fake_engine_add_object(x->fake, false, "l1", keys, alive, 4, id);
    fake_engine_add_object(x->fake, true, "l2", keys, alive, 4, id);
    fake_engine_add_object(x->fake, false, "e1", keys, elsewhere, 4, id);
    fake_engine_add_object(x->fake, false, "u1", NULL, NULL, 0, id);
    assert_int_equal(clnrm_reap_sweep(x->cleanup, NULL, &st, &e), CLNRM_OK);
    assert_int_equal(st.containers, 1);
    assert_int_equal(st.networks, 1);
    assert_int_equal(st.failed, 0);
    fake_engine_count(x->fake, "cleanroom.run=deadbeef", &c, &n);
    assert_int_equal(c + n, 0);
    fake_engine_count(x->fake, NULL, &c, &n);
    assert_int_equal(c, 3);
    assert_int_equal(n, 1);
    assert_int_equal(clnrm_reap_count(x->cleanup, "a11ve", &c, &n, &e),
                     CLNRM_OK);
    assert_int_equal(c, 1);
    assert_int_equal(n, 1);
}

/* An orphan whose removal fails in every settle round is counted once. */
static void test_settle_counts_failure_once(void **state)
{
    struct fx *x = *state;
    const char *keys[] = { CLNRM_LABEL_RUN, CLNRM_LABEL_PID,
                           CLNRM_LABEL_PID_START, CLNRM_LABEL_HOST };
    const char *dead[] = { "deadbeef", x->rc.pid, "1", x->rc.host };
    struct clnrm_sweep_stats st = { 0 };
    struct cr_error e = { 0 };
    uint64_t now = cr_clock_ms();
    char id[65];

    fake_engine_add_object(x->fake, false, "o1", keys, dead, 4, id);
    fake_engine_fail(x->fake, FAKE_CONTAINER_REMOVE, 500, "device busy");
    /* Quiet for 3 poll intervals: at least 3 rounds see the orphan. */
    assert_int_equal(clnrm_reap_settle(x->cleanup, now,
                                       3 * CLNRM_SETTLE_POLL_MS, now + 60000,
                                       NULL, &st, &e),
                     CLNRM_OK);
    assert_true(fake_engine_served(x->fake, FAKE_CONTAINER_REMOVE) >= 3);
    assert_int_equal(st.failed, 1);
    assert_int_equal(st.containers, 0);
    assert_has(st.first_failure, "device busy");
}

/* The janitor removes what it is given, containers before their
 * network, and says when something could not be removed. */
static void test_janitor(void **state)
{
    struct fx *x = *state;
    const char *keys[] = { CLNRM_LABEL_RUN };
    const char *vals[] = { x->rc.run_id };
    struct clnrm_janitor *j = clnrm_janitor_start(x->cleanup);
    char c1[65], c2[65], net[65];
    char **ids = cr_calloc(3, sizeof(char *));
    bool failed = false, failed2 = false;
    size_t c;

    assert_non_null(j);
    assert_non_null(ids);
    fake_engine_add_object(x->fake, true, "n", keys, vals, 1, net);
    fake_engine_add_object(x->fake, false, "c1", keys, vals, 1, c1);
    fake_engine_add_object(x->fake, false, "c2", keys, vals, 1, c2);
    ids[0] = cr_strdup(c1);
    ids[1] = cr_strdup(c2);
    clnrm_janitor_submit(j, ids, 2, cr_strdup(net), &failed);
    clnrm_janitor_finish(j);
    assert_false(failed);
    assert_clean(x);
    /* An engine that refuses: the job says so, the object stays. */
    j = clnrm_janitor_start(x->cleanup);
    assert_non_null(j);
    fake_engine_add_object(x->fake, false, "c3", keys, vals, 1, c1);
    fake_engine_fail(x->fake, FAKE_CONTAINER_REMOVE, 500, "device busy");
    ids = cr_calloc(2, sizeof(char *));
    assert_non_null(ids);
    ids[0] = cr_strdup(c1);
    clnrm_janitor_submit(j, ids, 1, NULL, &failed2);
    clnrm_janitor_finish(j);
    assert_true(failed2);
    fake_engine_count(x->fake, x->run_label, &c, NULL);
    assert_int_equal(c, 1);
}

/* ---- Cancellation in each phase ---------------------------------------- */

/* A hook that interrupts the run when the blocked call arrives. */
static void interrupt(void *ctx)
{
    atomic_int *cancel = ctx;

    *cancel = 1;
}

/* The same, then lets the call go on at once (for calls that are not
 * cancelled: those of cleanup). */
struct interrupt_release {
    atomic_int *cancel;
    struct fake_engine *fake;
};

static void interrupt_and_release(void *ctx)
{
    struct interrupt_release *ir = ctx;

    *ir->cancel = 1;
    fake_engine_release(ir->fake);
}

static void assert_interrupted(struct fx *x, enum clnrm_code rc)
{
    assert_int_equal(rc, CLNRM_E_CANCELLED);
    assert_int_equal(x->res.status, CLNRM_STATUS_ERROR);
    assert_int_equal(x->res.code, CLNRM_E_CANCELLED);
    assert_string_equal(x->res.message, "interrupted");
}

/* Interrupted while the engine creates the container: its id never
 * reaches the runner, so the end-of-run sweep by label removes it. */
static void test_cancel_create(void **state)
{
    struct fx *x = *state;

    fake_engine_block(x->fake, FAKE_CONTAINER_CREATE, interrupt, &x->cancel);
    assert_interrupted(x, run(x, ONE_SERVICE ONE_STEP));
    fake_engine_release(x->fake);
    fake_engine_wait_served(x->fake, FAKE_CONTAINER_CREATE, 1);
    sweep_run(x);
    assert_clean(x);
}

static void cancel_in(struct fx *x, enum fake_route route, const char *toml)
{
    fake_engine_block(x->fake, route, interrupt, &x->cancel);
    assert_interrupted(x, run(x, toml));
    assert_clean(x);
    fake_engine_release(x->fake);
    fake_engine_wait_served(x->fake, route, 1);
    assert_clean(x);
}

static void test_cancel_start(void **state)
{
    cancel_in(*state, FAKE_CONTAINER_START, ONE_SERVICE ONE_STEP);
}

static void test_cancel_readiness(void **state)
{
    cancel_in(*state, FAKE_EXEC_CREATE,
              ONE_SERVICE "health_check = { cmd = [\"probe\"] }\n" ONE_STEP);
}

static void test_cancel_exec(void **state)
{
    struct fx *x = *state;

    cancel_in(x, FAKE_EXEC_START, ONE_SERVICE ONE_STEP ONE_STEP);
    assert_string_equal(x->res.steps[0].message, "interrupted");
    assert_int_equal(x->res.steps[1].status, CLNRM_STATUS_SKIP);
    assert_has(x->res.steps[1].message, "not run: interrupted");
}

/* Interrupted during teardown: cleanup goes on (its engine is not
 * cancelled) and the test keeps its result. */
static void test_cancel_teardown(void **state)
{
    struct fx *x = *state;
    struct interrupt_release ir = { &x->cancel, x->fake };

    /* The one step runs as the container's main process and exits. */
    fake_engine_exec(x->fake, "echo hi", 0, "hi\n", NULL);
    fake_engine_block(x->fake, FAKE_CONTAINER_REMOVE, interrupt_and_release,
                      &ir);
    assert_int_equal(run(x, ONE_SERVICE ONE_STEP), CLNRM_E_CANCELLED);
    assert_int_equal(x->res.status, CLNRM_STATUS_PASS);
    assert_false(x->res.cleanup_failed);
    assert_clean(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_passes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_start_fails, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_conflict_on_create, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_missing_image, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_never_ready, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_exits_during_readiness_cmd,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_exits_during_readiness_log,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_service_gone_before_step, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_step_timeout_kills, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_engine_dies, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_garbage_json, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_garbage_http, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_settle_counts_failure_once,
                                        fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sweep_orphans, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_janitor, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_cancel_create, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_cancel_start, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_cancel_readiness, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_cancel_exec, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_cancel_teardown, fx_setup,
                                        fx_teardown),
    };

    if (engine_global_init(NULL) != ENGINE_OK)
        return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    engine_global_cleanup();
    return rc;
}
