/* Tests of the engine client against a scripted fake engine on a unix
 * socket: version negotiation, error bodies, in-band stream errors. No
 * Docker engine needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "engine.h"
#include "fake_http.h"
#include "engine_curl.h"

static struct engine *open_fake(struct fake *f, enum engine_code want,
                                struct cr_error *e)
{
    struct engine *eng = NULL;
    char host[128];

    snprintf(host, sizeof(host), "unix://%s", f->path);
    assert_int_equal(engine_open(&eng, host, NULL, e), want);
    return eng;
}

#define PING(ver)                                                              \
    "HTTP/1.1 200 OK\r\nApi-Version: " ver "\r\nContent-Length: 2\r\n"         \
    "Connection: close\r\n\r\nOK"

static void test_negotiation(void **state)
{
    const struct route older[] = { { "GET /_ping", PING("1.38"), 0 },
                                   { NULL, NULL, 0 } };
    const struct route newer[] = { { "GET /_ping", PING("1.43"), 0 },
                                   { NULL, NULL, 0 } };
    const struct route ancient[] = { { "GET /_ping", PING("1.29"), 0 },
                                     { NULL, NULL, 0 } };
    const struct route none[] = {
        { "GET /_ping",
          "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK",
          0 },
        { NULL, NULL, 0 }
    };
    struct cr_error e = { 0 };
    struct engine *eng;
    struct fake f = { 0 };

    (void)state;
    fake_start(&f, older);
    eng = open_fake(&f, ENGINE_OK, &e);
    assert_string_equal(engine_api_version(eng), "1.38");
    engine_close(eng);
    fake_stop(&f);
    fake_start(&f, newer);
    eng = open_fake(&f, ENGINE_OK, &e);
    assert_string_equal(engine_api_version(eng), "1.41");
    engine_close(eng);
    fake_stop(&f);
    fake_start(&f, ancient);
    assert_null(open_fake(&f, ENGINE_E_VERSION, &e));
    assert_non_null(strstr(e.msg, "speaks API 1.29, too old"));
    fake_stop(&f);
    /* No header means an engine older than API 1.25. */
    fake_start(&f, none);
    assert_null(open_fake(&f, ENGINE_E_VERSION, &e));
    assert_non_null(strstr(e.msg, "1.24"));
    fake_stop(&f);
}

static void test_error_body_and_stream_errors(void **state)
{
    static const char syserr[] =
        "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream"
        "\r\nConnection: close\r\n\r\n"
        "\1\0\0\0\0\0\0\3hi\n"
        "\3\0\0\0\0\0\0\x0boci failure";
    static const char trunc[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
                                "\2\0\0\0\0\0\0\x10short";
    const struct route routes[] = {
        { "GET /_ping", PING("1.41"), 0 },
        { "POST /v1.41/containers/c1/exec",
          "HTTP/1.1 201 Created\r\nContent-Length: 11\r\n"
          "Connection: close\r\n\r\n{\"Id\":\"e1\"}",
          0 },
        { "POST /v1.41/containers/c2/exec",
          "HTTP/1.1 201 Created\r\nContent-Length: 11\r\n"
          "Connection: close\r\n\r\n{\"Id\":\"e2\"}",
          0 },
        { "POST /v1.41/exec/e1/start", syserr, sizeof(syserr) - 1 },
        { "POST /v1.41/exec/e2/start", trunc, sizeof(trunc) - 1 },
        { "POST /v1.41/containers/c3/start",
          "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 27\r\n"
          "Connection: close\r\n\r\n{\"message\":\"disk on fire\"}\n",
          0 },
        { NULL, NULL, 0 }
    };
    static const char *const argv[] = { "true", NULL };
    struct engine_exec_spec es = { .argv = argv };
    struct engine_exec_result r = { 0 };
    struct cr_error e = { 0 };
    struct engine *eng;
    struct fake f = { 0 };

    (void)state;
    fake_start(&f, routes);
    eng = open_fake(&f, ENGINE_OK, &e);
    assert_int_equal(engine_exec(eng, "c1", &es, 0, &r, &e), ENGINE_E_API);
    assert_string_equal(e.msg, "Error response from daemon: oci failure");
    assert_string_equal(cr_buf_str(&r.out), "hi\n");
    engine_exec_result_release(&r);
    assert_int_equal(engine_exec(eng, "c2", &es, 0, &r, &e), ENGINE_E_PROTOCOL);
    assert_string_equal(cr_buf_str(&r.err), "short");
    engine_exec_result_release(&r);
    e.http_status = 0;
    assert_int_equal(engine_container_start(eng, "c3", &e), ENGINE_E_API);
    assert_string_equal(e.msg, "Error response from daemon: disk on fire");
    assert_int_equal(e.http_status, 500);
    assert_int_equal(engine_container_start(eng, "c4", &e), ENGINE_E_NOTFOUND);
    assert_string_equal(e.msg, "Error response from daemon: fake: no route");
    engine_close(eng);
    fake_stop(&f);
}

#define JSON_REPLY(body)                                                       \
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: "        \
    "close\r\n\r\n" body

/* Labelled lists keep every entry's labels and tolerate null Labels. */
static void test_list_labelled(void **state)
{
    const struct route routes[] = {
        { "GET /_ping", PING("1.41"), 0 },
        { "GET /v1.41/containers/json?all=1&filters=",
          JSON_REPLY("[{\"Id\":\"c1\",\"Labels\":{\"a\":\"1\",\"b\":\"\"}},"
                     "{\"Id\":\"c2\",\"Labels\":null},{\"Names\":[]}]"),
          0 },
        { "GET /v1.41/networks?filters=", JSON_REPLY("[]"), 0 },
        { NULL, NULL, 0 }
    };
    const char *const labels[] = { "a", NULL };
    struct engine_object *v = NULL;
    struct cr_error e = { 0 };
    struct engine *eng;
    struct fake f = { 0 };
    size_t n = 99;

    (void)state;
    fake_start(&f, routes);
    eng = open_fake(&f, ENGINE_OK, &e);
    assert_int_equal(engine_container_list_labelled(eng, labels, &v, &n, &e),
                     ENGINE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].id, "c1");
    assert_int_equal(v[0].nlabels, 2);
    assert_string_equal(engine_object_label(&v[0], "a"), "1");
    assert_string_equal(engine_object_label(&v[0], "b"), "");
    assert_null(engine_object_label(&v[0], "c"));
    assert_string_equal(v[1].id, "c2");
    assert_int_equal(v[1].nlabels, 0);
    engine_objects_free(v, n);
    assert_int_equal(engine_network_list_labelled(eng, labels, &v, &n, &e),
                     ENGINE_OK);
    assert_int_equal(n, 0);
    assert_null(v);
    engine_close(eng);
    fake_stop(&f);
}

/* Header lists go through these stand-ins for curl_slist_append and
 * curl_slist_free_all: a line starting with fail_prefix cannot be added (as
 * when libcurl is out of memory), and live counts the nodes not freed. */
static const char *fail_prefix;
static int live;
static struct engine__curl_api real; /* as loaded, kept by global_setup */

static struct curl_slist *append_or_fail(struct curl_slist *l, const char *s)
{
    struct curl_slist *r;

    if (fail_prefix && strncmp(s, fail_prefix, strlen(fail_prefix)) == 0)
        return NULL;
    r = real.slist_append(l, s);
    if (r)
        live++;
    return r;
}

static void count_free_all(struct curl_slist *l)
{
    for (const struct curl_slist *p = l; p; p = p->next)
        live--;
    real.slist_free_all(l);
}

static void lists_watch(const char *prefix)
{
    engine__curl.slist_append = append_or_fail;
    engine__curl.slist_free_all = count_free_all;
    fail_prefix = prefix;
    live = 0;
}

static void lists_restore(void)
{
    engine__curl = real;
    fail_prefix = NULL;
}

static const struct route archive_routes[] = {
    { "GET /_ping", PING("1.41"), 0 },
    { "PUT /v1.41/containers/c1/archive",
      "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0 },
    { NULL, NULL, 0 }
};

/* A body goes out with its Content-Type, or not at all: when the header
 * cannot be added the call fails instead of sending the tar as a form. */
static void test_content_type_kept(void **state)
{
    struct cr_error e = { 0 };
    struct engine *eng;
    struct fake f = { 0 };
    char head[8192];
    int before;

    (void)state;
    fake_start(&f, archive_routes);
    eng = open_fake(&f, ENGINE_OK, &e);
    lists_watch(NULL);
    assert_int_equal(
        engine_container_put_archive(eng, "c1", "/tmp", "x", 1, &e), ENGINE_OK);
    before = fake_last(&f, head, sizeof(head));
    assert_non_null(strstr(head, "\r\nContent-Type: application/x-tar\r\n"));
    fail_prefix = "Content-Type:";
    assert_int_equal(
        engine_container_put_archive(eng, "c1", "/tmp", "x", 1, &e),
        ENGINE_E_NOMEM);
    assert_int_equal(fake_last(&f, head, sizeof(head)), before);
    assert_int_equal(live, 0);
    lists_restore();
    engine_close(eng);
    fake_stop(&f);
}

/* A header that cannot be added does not lose the list built so far. */
static void test_header_list_freed(void **state)
{
    struct cr_error e = { 0 };
    struct engine *eng;
    struct fake f = { 0 };

    (void)state;
    fake_start(&f, archive_routes);
    eng = open_fake(&f, ENGINE_OK, &e);
    lists_watch("Expect:");
    assert_int_equal(
        engine_container_put_archive(eng, "c1", "/tmp", "x", 1, &e),
        ENGINE_E_NOMEM);
    assert_int_equal(live, 0);
    lists_restore();
    engine_close(eng);
    fake_stop(&f);
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[128];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* TLS trouble is ENGINE_E_TLS, not "unreachable": missing certificate
 * files (said before connecting) and files libcurl cannot use. The peer
 * is a listening socket that never answers: the handshake fails on our
 * side before it would matter. */
static void test_tls_failures(void **state)
{
    static const char *const names[] = { "ca.pem", "cert.pem", "key.pem" };
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t alen = sizeof(a);
    char dir[] = "/tmp/clnrm-fake-tls-XXXXXX", host[64], path[128];
    struct cr_error e = { 0 };
    struct engine *eng = NULL;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    (void)state;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 8), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
    snprintf(host, sizeof(host), "tcp://127.0.0.1:%d", ntohs(a.sin_port));
    assert_non_null(mkdtemp(dir));
    setenv("DOCKER_TLS_VERIFY", "1", 1);
    setenv("DOCKER_CERT_PATH", dir, 1);
    assert_int_equal(engine_open(&eng, host, NULL, &e), ENGINE_E_TLS);
    assert_non_null(strstr(e.msg, "/ca.pem (DOCKER_TLS_VERIFY is set"));
    for (int i = 0; i < 3; i++)
        write_file(dir, names[i], "not a certificate\n");
    assert_int_equal(engine_open(&eng, host, NULL, &e), ENGINE_E_TLS);
    assert_non_null(
        strstr(e.msg, "TLS connection to the Docker daemon at tcp://"));
    assert_null(eng);
    unsetenv("DOCKER_TLS_VERIFY");
    unsetenv("DOCKER_CERT_PATH");
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
    close(fd);
}

/* libcurl is loaded at run time, as clnrm's main() does it. */
static int global_setup(void **state)
{
    (void)state;
    if (engine_global_init(NULL) != ENGINE_OK)
        return -1;
    real = engine__curl;
    return 0;
}

static int global_teardown(void **state)
{
    (void)state;
    engine_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negotiation),
        cmocka_unit_test(test_error_body_and_stream_errors),
        cmocka_unit_test(test_list_labelled),
        cmocka_unit_test(test_content_type_kept),
        cmocka_unit_test(test_header_list_freed),
        cmocka_unit_test(test_tls_failures),
    };
    return cmocka_run_group_tests(tests, global_setup, global_teardown);
}
