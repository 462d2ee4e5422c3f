/*
 * Allocation-failure injection over the engine client's JSON handling,
 * against the canned-reply fake engine (fake_http.h): container inspect,
 * labelled lists, version, events, exec with its inspect, and error bodies.
 * Each call is swept over N with the engine already open (and opening is
 * swept too); every failure must be ENGINE_E_NOMEM with nothing leaked,
 * and the first call that needs no failing allocation gives the same
 * answer as an unhindered one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cr_buf.h"
#include "engine.h"
#include "fake_http.h"
#include "test_alloc_fail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY(status, body)                                                    \
    "HTTP/1.1 " status "\r\nContent-Type: application/json\r\n"                \
    "Connection: close\r\n\r\n" body

static const char exec_stream[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
    "Connection: close\r\n\r\n"
    "\1\0\0\0\0\0\0\3hi\n"
    "\2\0\0\0\0\0\0\4err\n";

static const struct route routes[] = {
    { "GET /_ping",
      "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n"
      "Connection: close\r\n\r\nOK",
      0 },
    { "GET /v1.41/version",
      REPLY("200 OK", "{\"Version\":\"20.10.24\",\"ApiVersion\":\"1.41\","
                      "\"MinAPIVersion\":\"1.12\",\"Os\":\"linux\","
                      "\"Arch\":\"amd64\"}"),
      0 },
    { "GET /v1.41/containers/c1/json",
      REPLY("200 OK",
            "{\"Id\":\"c1\",\"State\":{\"Status\":\"exited\",\"Running\":false,"
            "\"OOMKilled\":true,\"ExitCode\":137,\"Pid\":0},"
            "\"NetworkSettings\":{\"Networks\":{\"n1\":{\"IPAddress\":"
            "\"10.0.0.2\"}}}}"),
      0 },
    { "GET /v1.41/containers/json?all=1&filters=",
      REPLY("200 OK", "[{\"Id\":\"c1\",\"Labels\":{\"a\":\"1\",\"b\":\"\"}},"
                      "{\"Id\":\"c2\",\"Labels\":null},"
                      "{\"Id\":\"c3\",\"Labels\":{\"a\":\"2\"}}]"),
      0 },
    { "GET /v1.41/events",
      REPLY("200 OK",
            "{\"Type\":\"container\",\"Action\":\"die\",\"Actor\":{\"ID\":"
            "\"c1\",\"Attributes\":{\"name\":\"web\",\"exitCode\":\"3\"}},"
            "\"timeNano\":1700000000000000000}\n"
            "{\"Type\":\"container\",\"Action\":\"destroy\",\"Actor\":{\"ID\":"
            "\"c1\",\"Attributes\":{\"name\":\"web\"}},"
            "\"timeNano\":1700000000000000001}\n"),
      0 },
    { "POST /v1.41/containers/c1/exec", REPLY("201 Created", "{\"Id\":\"e1\"}"),
      0 },
    { "POST /v1.41/exec/e1/start", exec_stream, sizeof(exec_stream) - 1 },
    { "GET /v1.41/exec/e1/json",
      REPLY("200 OK", "{\"ExitCode\":3,\"Running\":false}"), 0 },
    { "POST /v1.41/containers/c9/start",
      REPLY("500 Internal Server Error", "{\"message\":\"disk on fire\"}\n"),
      0 },
    { NULL, NULL, 0 }
};

#define OK(call) assert_int_equal((call), 0)

/* One engine call; it writes what it got into b (without the hook). */
typedef enum engine_code (*op_fn)(struct engine *eng, struct cr_buf *b,
                                  struct cr_error *e);

static enum engine_code op_version(struct engine *eng, struct cr_buf *b,
                                   struct cr_error *e)
{
    struct engine_version v = { 0 };
    enum engine_code rc = engine_version(eng, &v, e);

    fail_nth_clear();
    OK(cr_buf_printf(b, "%s %s %s %s %s", v.version, v.api_version,
                     v.min_api_version, v.os, v.arch));
    return rc;
}

static enum engine_code op_inspect(struct engine *eng, struct cr_buf *b,
                                   struct cr_error *e)
{
    struct engine_container_state s = { 0 };
    enum engine_code rc = engine_container_inspect(eng, "c1", &s, e);

    fail_nth_clear();
    OK(cr_buf_printf(b, "%s %d %d %d %d %s", s.status, s.running, s.oom_killed,
                     s.exit_code, s.pid, s.ip_address));
    return rc;
}

static enum engine_code op_list(struct engine *eng, struct cr_buf *b,
                                struct cr_error *e)
{
    static const char *const labels[] = { "a", NULL };
    struct engine_object *v = NULL;
    size_t n = 0;
    enum engine_code rc =
        engine_container_list_labelled(eng, labels, &v, &n, e);

    fail_nth_clear();
    for (size_t i = 0; i < n; i++) {
        OK(cr_buf_printf(b, "%s:", v[i].id));
        for (size_t k = 0; k < v[i].nlabels; k++)
            OK(cr_buf_printf(b, " %s=%s", v[i].labels[k].key,
                             v[i].labels[k].value));
        OK(cr_buf_puts(b, ";"));
    }
    engine_objects_free(v, n);
    return rc;
}

static enum engine_code op_list_ids(struct engine *eng, struct cr_buf *b,
                                    struct cr_error *e)
{
    static const char *const labels[] = { "a", NULL };
    char **ids = NULL;
    size_t n = 0;
    enum engine_code rc =
        engine_container_list_by_label(eng, labels, &ids, &n, e);

    fail_nth_clear();
    for (size_t i = 0; ids && ids[i]; i++)
        OK(cr_buf_printf(b, "%s;", ids[i]));
    engine_strv_free(ids);
    return rc;
}

/* Records each event into ctx (char[1024]) with libc only: it runs with
 * the hook on. Stops after the "destroy". */
static int on_event(void *ctx, const struct engine_event *ev)
{
    char *out = ctx;
    size_t len = strlen(out);

    snprintf(out + len, 1024 - len, "%s %s %s %s %d %lld;", ev->type,
             ev->action, ev->id, ev->name, ev->exit_code,
             (long long)ev->time_ns);
    return strcmp(ev->action, "destroy") == 0;
}

static enum engine_code op_exec(struct engine *eng, struct cr_buf *b,
                                struct cr_error *e)
{
    static const char *const argv[] = { "sh", "-c", "echo hi", NULL };
    const struct engine_exec_spec spec = { .argv = argv };
    struct engine_exec_result r = { 0 };
    enum engine_code rc = engine_exec(eng, "c1", &spec, 0, &r, e);

    fail_nth_clear();
    OK(cr_buf_printf(b, "%d [%s] [%s] %s", r.exit_code, cr_buf_str(&r.out),
                     cr_buf_str(&r.err), r.exec_id));
    engine_exec_result_release(&r);
    return rc;
}

/* An error body: ENGINE_E_API with the engine's message and status. */
static enum engine_code op_error_body(struct engine *eng, struct cr_buf *b,
                                      struct cr_error *e)
{
    struct cr_error mine = { 0 };
    enum engine_code rc = engine_container_start(eng, "c9", e ? e : &mine);

    fail_nth_clear();
    e = e ? e : &mine;
    OK(cr_buf_printf(b, "%d %s %d", rc, e->msg, e->http_status));
    return rc == ENGINE_E_API ? ENGINE_OK : rc;
}

static struct fake fake;

static struct engine *open_engine(void)
{
    struct engine *eng = NULL;
    char host[160];

    snprintf(host, sizeof(host), "unix://%s", fake.path);
    assert_int_equal(engine_open(&eng, host, NULL, NULL), ENGINE_OK);
    return eng;
}

/* Sweeps N over op; returns how many N it took. */
static long sweep(const char *name, op_fn op)
{
    struct engine *eng = open_engine();
    struct cr_buf want = { 0 };
    bool done = false;
    long n;

    assert_int_equal(op(eng, &want, NULL), ENGINE_OK);
    for (n = 0; !done; n++) {
        struct cr_buf got = { 0 };
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum engine_code rc;

        fail_nth_set(&f, n, false);
        rc = op(eng, &got, &err); /* clears the hook */
        done = !f.failed;
        if (rc == ENGINE_OK && strcmp(cr_buf_str(&got), cr_buf_str(&want)))
            fail_msg("%s: allocation %ld failed and was absorbed: \"%s\" "
                     "instead of \"%s\"",
                     name, n, cr_buf_str(&got), cr_buf_str(&want));
        if (rc != ENGINE_OK && (rc != ENGINE_E_NOMEM || done))
            fail_msg("%s: allocation %ld failed: code %d, \"%s\"", name, n, rc,
                     err.msg);
        cr_buf_release(&got);
    }
    cr_buf_release(&want);
    engine_close(eng);
    print_message("%s: %ld allocations swept\n", name, n);
    return n;
}

static void test_calls(void **state)
{
    (void)state;
    sweep("version", op_version);
    sweep("container inspect", op_inspect);
    sweep("container list (labels)", op_list);
    sweep("container list (ids)", op_list_ids);
    sweep("exec and exec inspect", op_exec);
    sweep("error body", op_error_body);
}

/* Events call back with the hook on, so they get their own sweep. */
static void test_events(void **state)
{
    static const char *const types[] = { "container", NULL };
    const struct engine_events_filter filter = { .types = types };
    struct engine *eng = open_engine();
    char want[1024] = "", got[1024];
    bool done = false;
    long n;

    (void)state;
    assert_int_equal(engine_events(eng, &filter, 0, on_event, want, NULL),
                     ENGINE_OK);
    assert_non_null(strstr(want, "container die c1 web 3 "));
    for (n = 0; !done; n++) {
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum engine_code rc;

        got[0] = '\0';
        fail_nth_set(&f, n, false);
        rc = engine_events(eng, &filter, 0, on_event, got, &err);
        fail_nth_clear();
        done = !f.failed;
        if (rc == ENGINE_OK)
            assert_string_equal(got, want);
        else if (rc != ENGINE_E_NOMEM || done)
            fail_msg("events: allocation %ld failed: code %d, \"%s\"", n, rc,
                     err.msg);
    }
    engine_close(eng);
    print_message("events: %ld allocations swept\n", n);
}

/* Opening pings and negotiates the version: ENGINE_E_NOMEM, no engine. */
static void test_open(void **state)
{
    char host[160];
    bool done = false;
    long n;

    (void)state;
    snprintf(host, sizeof(host), "unix://%s", fake.path);
    for (n = 0; !done; n++) {
        struct engine *eng = NULL;
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum engine_code rc;

        fail_nth_set(&f, n, false);
        rc = engine_open(&eng, host, NULL, &err);
        fail_nth_clear();
        done = !f.failed;
        if (rc == ENGINE_OK)
            assert_string_equal(engine_api_version(eng), "1.41");
        else if (rc != ENGINE_E_NOMEM || done)
            fail_msg("open: allocation %ld failed: code %d, \"%s\"", n, rc,
                     err.msg);
        else
            assert_null(eng);
        engine_close(eng);
    }
    print_message("open: %ld allocations swept\n", n);
}

static int global_setup(void **state)
{
    (void)state;
    if (engine_global_init(NULL) != ENGINE_OK)
        return -1;
    fake_start(&fake, routes);
    return 0;
}

static int global_teardown(void **state)
{
    (void)state;
    fake_stop(&fake);
    engine_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_events),
    };
    return cmocka_run_group_tests(tests, global_setup, global_teardown);
}
