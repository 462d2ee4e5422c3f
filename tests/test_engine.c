/* Integration tests of the engine client: containers, exec, waits, errors,
 * cancellation. Needs the Docker engine ($DOCKER_HOST or the default). */
#include "test_engine_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/wait.h>

static void test_ping_version(void **state)
{
    struct engine_version v;

    (void)state;
    CHECK(engine_ping(eng, err));
    CHECK(engine_version(eng, &v, err));
    assert_true(v.version[0] != '\0');
    assert_true(v.api_version[0] != '\0');
    assert_string_equal(v.os, "linux");
    /* Negotiated: never above what the engine or the client speaks. */
    assert_true(
        engine_api_version_cmp(engine_api_version(eng), v.api_version) <= 0);
    assert_true(engine_api_version_cmp(engine_api_version(eng),
                                       ENGINE_API_VERSION) <= 0);
}

static void test_lifecycle_and_exec(void **state)
{
    static const char *const sh[] = {
        "sh", "-c", "echo out; echo err >&2; printf \"$FOO\"; exit 3", NULL
    };
    static const char *const env[] = { "FOO=bar", NULL };
    static const char *const pwd[] = { "sh", "-c", "pwd; id -u", NULL };
    struct engine_exec_spec es = { .argv = sh, .env = env };
    struct engine_exec_result r = { 0 };
    struct engine_container_state st;
    char *id = start_sleeper();

    (void)state;
    CHECK(engine_container_inspect(eng, id, &st, err));
    assert_true(st.running);
    assert_string_equal(st.status, "running");
    assert_true(st.pid > 0);
    CHECK(engine_exec(eng, id, &es, 0, &r, err));
    assert_int_equal(r.exit_code, 3);
    assert_string_equal(cr_buf_str(&r.out), "out\nbar");
    assert_string_equal(cr_buf_str(&r.err), "err\n");
    assert_false(r.timed_out);
    assert_true(r.exec_id[0] != '\0');
    engine_exec_result_release(&r);
    es = (struct engine_exec_spec){ .argv = pwd,
                                    .workdir = "/tmp",
                                    .user = "65534" };
    CHECK(engine_exec(eng, id, &es, 0, &r, err));
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(cr_buf_str(&r.out), "/tmp\n65534\n");
    engine_exec_result_release(&r);
    CHECK(engine_container_stop(eng, id, 5, err));
    CHECK(engine_container_stop(eng, id, 5, err)); /* 304: fine */
    CHECK(engine_container_inspect(eng, id, &st, err));
    assert_false(st.running);
    assert_string_equal(st.status, "exited");
    CHECK(engine_container_remove(eng, id, false, err));
    /* Gone already: still success. */
    CHECK(engine_container_remove(eng, id, false, err));
    free(id);
}

static void test_exec_missing_command_and_cap(void **state)
{
    static const char *const nope[] = { "/no/such/binary", NULL };
    static const char *const noisy[] = { "sh", "-c",
                                         "seq 1 20000; seq 1 10 >&2", NULL };
    struct engine_exec_spec es = { .argv = nope };
    struct engine_exec_result r = { 0 };
    char *id = start_sleeper();

    (void)state;
    CHECK(engine_exec(eng, id, &es, 0, &r, err));
    assert_true(r.exit_code == 126 || r.exit_code == 127);
    engine_exec_result_release(&r);
    es = (struct engine_exec_spec){ .argv = noisy, .output_cap = 1000 };
    CHECK(engine_exec(eng, id, &es, 0, &r, err));
    assert_int_equal(r.exit_code, 0);
    assert_true(r.truncated);
    assert_int_equal(r.out.len, 1000);
    assert_string_equal(cr_buf_str(&r.err), "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
    engine_exec_result_release(&r);
    remove_quietly(id);
}

static void test_wait_before_start_fast_exit(void **state)
{
    static const char *const argv[] = { "sh", "-c",
                                        "echo a; echo b >&2; "
                                        "exit 7",
                                        NULL };
    struct engine_container_spec s = sleeper_spec();
    struct engine_wait *w = NULL;
    struct cr_buf out = { 0 }, errb = { 0 };
    char *id = NULL;
    int code = -1;

    (void)state;
    s.argv = argv;
    s.init = false;
    CHECK(engine_container_run(eng, &s, &id, &w, err));
    CHECK(engine_wait_end(eng, w, cr_clock_ms() + 60000, &code, err));
    assert_int_equal(code, 7);
    CHECK(engine_container_logs(eng, id, &out, &errb, err));
    assert_string_equal(cr_buf_str(&out), "a\n");
    assert_string_equal(cr_buf_str(&errb), "b\n");
    /* Waiting on an exited container returns at once. */
    CHECK(engine_container_wait(eng, id, 0, &code, err));
    assert_int_equal(code, 7);
    cr_buf_release(&out);
    cr_buf_release(&errb);
    remove_quietly(id);
    /* With auto_remove the wait is for removal: no 404 race. */
    s.auto_remove = true;
    CHECK(engine_container_run(eng, &s, &id, &w, err));
    CHECK(engine_wait_end(eng, w, cr_clock_ms() + 60000, &code, err));
    assert_int_equal(code, 7);
    {
        struct engine_container_state st;
        struct cr_error e = { 0 };
        assert_int_equal(engine_container_inspect(eng, id, &st, &e),
                         ENGINE_E_NOTFOUND);
    }
    free(id);
}

static void test_kill_and_list(void **state)
{
    const char *const labels[] = { "cleanroom.test=engine", pid_label, NULL };
    struct cr_error e = { 0 };
    struct engine_wait *w;
    char *id = start_sleeper(), **ids = NULL;
    size_t n = 0;
    int code;
    bool found = false;

    (void)state;
    CHECK(engine_container_list_by_label(eng, labels, &ids, &n, err));
    for (size_t i = 0; i < n; i++)
        found |= strcmp(ids[i], id) == 0;
    assert_true(found);
    engine_strv_free(ids);
    CHECK(engine_wait_begin(eng, id, ENGINE_WAIT_NOT_RUNNING, &w, err));
    CHECK(engine_container_kill(eng, id, "SIGKILL", err));
    CHECK(engine_wait_end(eng, w, 0, &code, err));
    assert_int_equal(code, 137);
    assert_int_equal(engine_container_kill(eng, id, NULL, &e),
                     ENGINE_E_CONFLICT);
    assert_int_equal(e.http_status, 409);
    remove_quietly(id);
}

static void test_error_paths(void **state)
{
    struct engine_container_spec s = sleeper_spec();
    struct cr_error e = { 0 };
    char name[64], *id = NULL, *id2 = NULL;

    (void)state;
    s.image = "clnrm-engine-no-such-image:1";
    assert_int_equal(engine_container_create(eng, &s, &id, &e),
                     ENGINE_E_NOIMAGE);
    assert_null(id);
    assert_non_null(strstr(e.msg, "image \"clnrm-engine-no-such-image:1\" "
                                  "not found locally"));
    assert_null(strstr(e.msg, "bootstrap"));
    s.image = "clnrm-base:no-such-tag";
    assert_int_equal(engine_container_create(eng, &s, &id, &e),
                     ENGINE_E_NOIMAGE);
    assert_non_null(strstr(e.msg, "clnrm image bootstrap"));
    assert_int_equal(engine_container_start(eng, "clnrm-no-such-ctr", &e),
                     ENGINE_E_NOTFOUND);
    assert_int_equal(e.http_status, 404);
    assert_non_null(strstr(e.msg, "Error response from daemon: No such "
                                  "container: clnrm-no-such-ctr"));
    /* Streaming endpoints report errors as JSON too, not as frames. */
    {
        struct engine_wait *w = NULL;
        struct cr_buf out = { 0 };
        assert_int_equal(engine_wait_begin(eng, "clnrm-no-such-ctr",
                                           ENGINE_WAIT_NEXT_EXIT, &w, &e),
                         ENGINE_E_NOTFOUND);
        assert_null(w);
        assert_int_equal(
            engine_container_logs(eng, "clnrm-no-such-ctr", &out, NULL, &e),
            ENGINE_E_NOTFOUND);
        assert_non_null(strstr(e.msg, "No such container"));
        assert_int_equal(out.len, 0);
    }
    s = sleeper_spec();
    snprintf(name, sizeof(name), "clnrm-engine-test-%s", pid_value);
    s.name = name;
    CHECK(engine_container_create(eng, &s, &id, err));
    assert_int_equal(engine_container_create(eng, &s, &id2, &e),
                     ENGINE_E_CONFLICT);
    assert_int_equal(e.http_status, 409);
    assert_non_null(strstr(e.msg, "is already in use"));
    assert_null(id2);
    /* exec into a container that is not running */
    {
        static const char *const t[] = { "true", NULL };
        struct engine_exec_spec es = { .argv = t };
        struct engine_exec_result r = { 0 };
        assert_int_equal(engine_exec(eng, id, &es, 0, &r, &e),
                         ENGINE_E_CONFLICT);
        assert_int_equal(e.http_status, 409);
        engine_exec_result_release(&r);
    }
    remove_quietly(id);
}

static void test_dead_daemon(void **state)
{
    struct engine *dead = NULL;
    struct cr_error e = { 0 };
    char host[64];
    int port;

    (void)state;
    assert_int_equal(
        engine_open(&dead, "unix:///tmp/clnrm-no-such.sock", NULL, &e),
        ENGINE_E_UNREACHABLE);
    assert_null(dead);
    assert_string_equal(e.msg, "Cannot connect to the Docker daemon at "
                               "unix:///tmp/clnrm-no-such.sock. Is the "
                               "docker daemon running?");
    /* A port nobody listens on: bind one, then let it go. */
    port = free_port();
    snprintf(host, sizeof(host), "tcp://127.0.0.1:%d", port);
    assert_int_equal(engine_open(&dead, host, NULL, &e), ENGINE_E_UNREACHABLE);
    assert_non_null(strstr(e.msg, "Cannot connect to the Docker daemon at "
                                  "tcp://127.0.0.1:"));
    assert_int_equal(engine_open(&dead, "ssh://x@y", NULL, &e),
                     ENGINE_E_INVALID);
}

/* As an unprivileged user the socket refuses us: a permission error, not
 * "is the daemon running?". Needs root to switch users; skipped otherwise. */
static void test_permission_denied(void **state)
{
    int status = 0;
    pid_t pid;

    (void)state;
    if (geteuid() != 0)
        skip();
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        struct engine *other = NULL;
        struct cr_error e = { 0 };
        enum engine_code rc;

        if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
            _exit(100);
        rc = engine_open(&other, "unix:///var/run/docker.sock", NULL, &e);
        if (rc == ENGINE_E_PERMISSION &&
            strstr(e.msg, "permission denied while trying to connect to the "
                          "Docker daemon socket at "
                          "unix:///var/run/docker.sock"))
            _exit(0);
        _exit(rc == ENGINE_OK ? 101 : 102);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    if (WEXITSTATUS(status) == 101)
        skip(); /* the socket is open to everyone here */
    assert_int_equal(WEXITSTATUS(status), 0);
}

struct canceller {
    unsigned delay_ms;
};

static void *cancel_later(void *arg)
{
    const struct canceller *c = arg;
    struct timespec ts = { c->delay_ms / 1000,
                           (long)(c->delay_ms % 1000) * 1000000L };

    nanosleep(&ts, NULL);
    cancel_flag = 1;
    return NULL;
}

static int never_stop(void *ctx, const struct engine_event *ev)
{
    (void)ctx;
    (void)ev;
    return 0;
}

static void test_cancel_blocking_calls(void **state)
{
    static const char *const sleep30[] = { "sleep", "30", NULL };
    struct engine_exec_spec es = { .argv = sleep30 };
    struct engine_exec_result r = { 0 };
    struct canceller c = { 300 };
    struct cr_error e = { 0 };
    pthread_t t;
    uint64_t t0;
    int code;
    char *id = start_sleeper();

    (void)state;
    /* The wait on a sleeping container. */
    t0 = cr_clock_ms();
    assert_int_equal(pthread_create(&t, NULL, cancel_later, &c), 0);
    assert_int_equal(engine_container_wait(eng, id, 0, &code, &e),
                     ENGINE_E_CANCELLED);
    pthread_join(t, NULL);
    assert_true(cr_clock_ms() - t0 < 2000);
    cancel_flag = 0;
    /* An exec whose output never ends. */
    t0 = cr_clock_ms();
    assert_int_equal(pthread_create(&t, NULL, cancel_later, &c), 0);
    assert_int_equal(engine_exec(eng, id, &es, 0, &r, &e), ENGINE_E_CANCELLED);
    pthread_join(t, NULL);
    assert_true(cr_clock_ms() - t0 < 2000);
    engine_exec_result_release(&r);
    /* The event stream, which has no end of its own. */
    cancel_flag = 0;
    t0 = cr_clock_ms();
    assert_int_equal(pthread_create(&t, NULL, cancel_later, &c), 0);
    assert_int_equal(engine_events(eng, NULL, 0, never_stop, NULL, &e),
                     ENGINE_E_CANCELLED);
    pthread_join(t, NULL);
    /* Not before the flag was set: the stream really was blocking. */
    assert_true(cr_clock_ms() - t0 >= 250);
    assert_true(cr_clock_ms() - t0 < 2000);
    /* A set flag stops short calls too; clearing it makes the engine
     * usable again. */
    assert_int_equal(engine_ping(eng, &e), ENGINE_E_CANCELLED);
    cancel_flag = 0;
    CHECK(engine_ping(eng, err));
    remove_quietly(id);
}

static void test_exec_deadline(void **state)
{
    static const char *const slow[] = { "sh", "-c", "echo started; sleep 30",
                                        NULL };
    struct engine_exec_spec es = { .argv = slow };
    struct engine_exec_result r = { 0 };
    struct cr_error e = { 0 };
    char *id = start_sleeper();

    (void)state;
    assert_int_equal(engine_exec(eng, id, &es, cr_clock_ms() + 1500, &r, &e),
                     ENGINE_E_TIMEOUT);
    assert_true(r.timed_out);
    assert_int_equal(r.exit_code, -1);
    assert_string_equal(cr_buf_str(&r.out), "started\n");
    engine_exec_result_release(&r);
    remove_quietly(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ping_version),
        cmocka_unit_test(test_lifecycle_and_exec),
        cmocka_unit_test(test_exec_missing_command_and_cap),
        cmocka_unit_test(test_wait_before_start_fast_exit),
        cmocka_unit_test(test_kill_and_list),
        cmocka_unit_test(test_error_paths),
        cmocka_unit_test(test_dead_daemon),
        cmocka_unit_test(test_permission_denied),
        cmocka_unit_test(test_cancel_blocking_calls),
        cmocka_unit_test(test_exec_deadline),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
