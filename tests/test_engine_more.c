/* Integration tests of the engine client: a TCP engine, networks, events,
 * images, archives. Needs the Docker engine on its default unix socket. */
#include "test_engine_fixture.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "engine_tar.h"

/* ---- A TCP-to-unix-socket forwarder, so a tcp:// engine exists. ---- */

static int unix_connect(const char *path)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Copies one chunk from -> to; on EOF half-closes to. Returns bytes, 0 on
 * EOF, -1 on error. */
static ssize_t shuttle(int from, int to)
{
    char buf[16384];
    ssize_t n = read(from, buf, sizeof(buf));

    if (n == 0)
        shutdown(to, SHUT_WR);
    for (ssize_t off = 0; n > 0 && off < n;) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w <= 0)
            return -1;
        off += w;
    }
    return n;
}

static void *forward_conn(void *arg)
{
    int c = (int)(intptr_t)arg;
    int u = unix_connect("/var/run/docker.sock");
    struct pollfd p[2] = { { c, POLLIN, 0 }, { u, POLLIN, 0 } };
    bool open_c = true, open_u = true;

    while (u >= 0 && (open_c || open_u)) {
        p[0].fd = open_c ? c : -1;
        p[1].fd = open_u ? u : -1;
        if (poll(p, 2, 1000) < 0)
            break;
        if (p[0].revents && (open_c = shuttle(c, u) > 0) == false && !open_u)
            break;
        if (p[1].revents && (open_u = shuttle(u, c) > 0) == false && !open_c)
            break;
    }
    if (u >= 0)
        close(u);
    close(c);
    return NULL;
}

struct forwarder {
    int listen_fd;
    int port;
    pthread_t thread;
    atomic_int stop; /* read by the fake's thread */
};

static void *forward_accept(void *arg)
{
    struct forwarder *f = arg;

    while (!f->stop) {
        struct pollfd p = { f->listen_fd, POLLIN, 0 };
        pthread_t t;
        int c;

        if (poll(&p, 1, 50) <= 0)
            continue;
        c = accept(f->listen_fd, NULL, NULL);
        if (c < 0)
            continue;
        if (pthread_create(&t, NULL, forward_conn, (void *)(intptr_t)c) != 0)
            close(c);
        else
            pthread_detach(t);
    }
    return NULL;
}

static void forwarder_start(struct forwarder *f)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    f->stop = 0;
    f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(f->listen_fd >= 0);
    assert_int_equal(bind(f->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(f->listen_fd, 16), 0);
    assert_int_equal(getsockname(f->listen_fd, (struct sockaddr *)&a, &len), 0);
    f->port = ntohs(a.sin_port);
    assert_int_equal(pthread_create(&f->thread, NULL, forward_accept, f), 0);
}

static void forwarder_stop(struct forwarder *f)
{
    f->stop = 1;
    pthread_join(f->thread, NULL);
    close(f->listen_fd);
}

static void test_tcp_engine(void **state)
{
    static const char *const echo[] = { "sh", "-c", "echo over-tcp; exit 4",
                                        NULL };
    struct engine_exec_spec es = { .argv = echo };
    struct engine_exec_result r = { 0 };
    struct engine_container_spec s = sleeper_spec();
    struct engine *tcp = NULL;
    struct forwarder f;
    char host[64], *id = NULL;

    (void)state;
    forwarder_start(&f);
    snprintf(host, sizeof(host), "tcp://127.0.0.1:%d", f.port);
    CHECK(engine_open(&tcp, host, NULL, err));
    assert_string_equal(engine_host(tcp), host);
    CHECK(engine_ping(tcp, err));
    CHECK(engine_container_create(tcp, &s, &id, err));
    CHECK(engine_container_start(tcp, id, err));
    CHECK(engine_exec(tcp, id, &es, 0, &r, err));
    assert_int_equal(r.exit_code, 4);
    assert_string_equal(cr_buf_str(&r.out), "over-tcp\n");
    engine_exec_result_release(&r);
    CHECK(engine_container_remove(tcp, id, true, err));
    free(id);
    engine_close(tcp);
    forwarder_stop(&f);
}

/* ---- Networks ---------------------------------------------------------- */

static void test_networks(void **state)
{
    static const char *const aliases[] = { "svc", NULL };
    static const char *const lookup[] = { "sh", "-c",
                                          "hostname -i; "
                                          "nslookup svc 127.0.0.11 >/dev/null"
                                          " && echo resolved",
                                          NULL };
    const char *const labels[] = { pid_label, NULL };
    struct engine_container_spec s = sleeper_spec();
    struct engine_exec_spec es = { .argv = lookup };
    struct engine_exec_result r = { 0 };
    struct engine_container_state st;
    struct cr_error e = { 0 };
    char name[64], *net = NULL, *net2 = NULL, *id = NULL, **ids = NULL;
    struct engine_object *objs = NULL;
    size_t n = 0;

    (void)state;
    snprintf(name, sizeof(name), "clnrm-engine-net-%s", pid_value);
    CHECK(engine_network_create(eng, name, test_labels, 2, true, &net, err));
    assert_int_equal(
        engine_network_create(eng, name, test_labels, 2, true, &net2, &e),
        ENGINE_E_CONFLICT);
    CHECK(engine_network_list_by_label(eng, labels, &ids, &n, err));
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], net);
    engine_strv_free(ids);
    /* The labelled lists carry each object's labels (what the sweep uses). */
    CHECK(engine_network_list_labelled(eng, labels, &objs, &n, err));
    assert_int_equal(n, 1);
    assert_string_equal(objs[0].id, net);
    assert_string_equal(engine_object_label(&objs[0], "cleanroom.test"),
                        "engine");
    engine_objects_free(objs, n);
    s.network = name;
    s.network_aliases = aliases;
    CHECK(engine_container_create(eng, &s, &id, err));
    CHECK(engine_container_list_labelled(eng, labels, &objs, &n, err));
    assert_int_equal(n, 1);
    assert_string_equal(objs[0].id, id);
    assert_string_equal(engine_object_label(&objs[0], "cleanroom.test.pid"),
                        pid_value);
    engine_objects_free(objs, n);
    CHECK(engine_container_start(eng, id, err));
    CHECK(engine_container_inspect(eng, id, &st, err));
    assert_true(st.ip_address[0] != '\0');
    CHECK(engine_exec(eng, id, &es, 0, &r, err));
    assert_non_null(strstr(cr_buf_str(&r.out), st.ip_address));
    assert_non_null(strstr(cr_buf_str(&r.out), "resolved"));
    engine_exec_result_release(&r);
    remove_quietly(id);
    id = NULL;
    /* connect: a container on "none" cannot join; one on bridge can. */
    s = sleeper_spec();
    s.network = "bridge";
    CHECK(engine_container_create(eng, &s, &id, err));
    CHECK(engine_network_connect(eng, net, id, aliases, err));
    remove_quietly(id);
    CHECK(engine_network_remove(eng, net, err));
    CHECK(engine_network_remove(eng, net, err)); /* gone: fine */
    free(net);
}

/* ---- Events ------------------------------------------------------------ */

struct die_seen {
    const char *id;
    int exit_code;
    int events;
};

static int on_event(void *ctx, const struct engine_event *ev)
{
    struct die_seen *d = ctx;

    d->events++;
    if (strcmp(ev->type, "container") != 0 || strcmp(ev->id, d->id) != 0)
        return 0;
    if (strcmp(ev->action, "die") != 0)
        return 0;
    d->exit_code = ev->exit_code;
    return 1;
}

static void test_events(void **state)
{
    static const char *const argv[] = { "sh", "-c", "exit 5", NULL };
    static const char *const types[] = { "container", NULL };
    const char *const labels[] = { pid_label, NULL };
    struct engine_container_spec s = sleeper_spec();
    struct engine_wait *w;
    struct engine_events_filter f = { .labels = labels, .types = types };
    struct cr_error e = { 0 };
    struct die_seen d = { 0 };
    char *id = NULL;
    int code;

    (void)state;
    f.since = (int64_t)time(NULL) - 1;
    s.argv = argv;
    s.init = false;
    CHECK(engine_container_run(eng, &s, &id, &w, err));
    CHECK(engine_wait_end(eng, w, 0, &code, err));
    d.id = id;
    d.exit_code = -1;
    CHECK(engine_events(eng, &f, cr_clock_ms() + 20000, on_event, &d, err));
    assert_int_equal(d.exit_code, 5);
    assert_true(d.events >= 3); /* create, start, die at least */
    /* Nothing more will come for this filter: the deadline ends it. */
    f.since = 0;
    f.container = id;
    assert_int_equal(
        engine_events(eng, &f, cr_clock_ms() + 300, on_event, &d, &e),
        ENGINE_E_TIMEOUT);
    remove_quietly(id);
}

/* ---- Images and archives ----------------------------------------------- */

static void test_image_import_remove(void **state)
{
    static const char *const changes[] = { "CMD [\"/bin/sh\"]", NULL };
    static const char *const cat[] = { "/bin/cat", "/etc/passwd", NULL };
    struct engine_image_import im = { .tag = "t", .changes = changes };
    struct engine_container_spec s = sleeper_spec();
    struct engine_exec_spec es = { .argv = cat };
    struct engine_exec_result r = { 0 };
    struct engine_tar tar = { 0 };
    struct cr_error e = { 0 };
    char repo[64], name[80], *id = NULL;
    bool exists = true;
    int napplets = 0;

    (void)state;
    snprintf(repo, sizeof(repo), "clnrm-engine-test-%s", pid_value);
    snprintf(name, sizeof(name), "%s:t", repo);
    im.repo = repo;
    CHECK(engine_baseimage_rootfs(ENGINE_BASEIMAGE_BUSYBOX, &tar, &napplets,
                                  err));
    assert_true(napplets > 100);
    CHECK(engine_image_exists(eng, name, &exists, err));
    assert_false(exists);
    CHECK(engine_image_import(eng, &im, tar.buf.data, tar.buf.len, err));
    cr_buf_release(&tar.buf);
    CHECK(engine_image_exists(eng, name, &exists, err));
    assert_true(exists);
    s.image = name;
    CHECK(engine_container_create(eng, &s, &id, err));
    CHECK(engine_container_start(eng, id, err));
    CHECK(engine_exec(eng, id, &es, 0, &r, err));
    assert_non_null(strstr(cr_buf_str(&r.out), "nobody:x:65534"));
    engine_exec_result_release(&r);
    remove_quietly(id);
    CHECK(engine_image_remove(eng, name, true, err));
    CHECK(engine_image_exists(eng, name, &exists, err));
    assert_false(exists);
    /* The same root streamed from a file descriptor (chunked upload). */
    {
        char path[] = "/tmp/clnrm-root-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        CHECK(engine_baseimage_rootfs(ENGINE_BASEIMAGE_BUSYBOX, &tar, &napplets,
                                      err));
        assert_int_equal(write(fd, tar.buf.data, tar.buf.len),
                         (ssize_t)tar.buf.len);
        cr_buf_release(&tar.buf);
        assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
        CHECK(engine_image_import_fd(eng, &im, fd, err));
        close(fd);
        unlink(path);
        CHECK(engine_image_exists(eng, name, &exists, err));
        assert_true(exists);
        CHECK(engine_image_remove(eng, name, true, err));
    }
    assert_int_equal(engine_image_remove(eng, name, false, &e),
                     ENGINE_E_NOIMAGE);
    /* Not a tar: the engine refuses, in the status or in the stream. */
    assert_int_not_equal(engine_image_import(eng, &im, "garbage", 7, &e),
                         ENGINE_OK);
    engine_image_remove(eng, name, true, NULL);
}

static void test_pull_without_registry(void **state)
{
    struct cr_error e = { 0 };

    (void)state;
    /* No registry is reachable here: both must fail as a missing image. */
    assert_int_equal(
        engine_image_pull(eng, "clnrm-engine-no-such/image:1", NULL, NULL, &e),
        ENGINE_E_NOIMAGE);
    assert_non_null(strstr(e.msg, "could not be pulled"));
    assert_int_equal(
        engine_image_ensure(eng, "clnrm-base:no-such-tag", NULL, NULL, &e),
        ENGINE_E_NOIMAGE);
    assert_non_null(strstr(e.msg, "image \"clnrm-base:no-such-tag\" not "
                                  "found locally"));
    assert_non_null(strstr(e.msg, "clnrm image bootstrap"));
    CHECK(engine_image_ensure(eng, IMAGE, NULL, NULL, err));
}

static void test_put_archive(void **state)
{
    static const char *const cat[] = { "cat", "/tmp/in/hello.txt", NULL };
    struct engine_exec_spec es = { .argv = cat };
    struct engine_exec_result r = { 0 };
    struct engine_tar tar = { 0 };
    struct cr_error e = { 0 };
    char *id = start_sleeper();

    (void)state;
    CHECK(engine_tar_add_dir(&tar, "in", 0755, err));
    CHECK(
        engine_tar_add_file(&tar, "in/hello.txt", 0644, "hi there\n", 9, err));
    CHECK(engine_tar_finish(&tar, err));
    CHECK(engine_container_put_archive(eng, id, "/tmp", tar.buf.data,
                                       tar.buf.len, err));
    CHECK(engine_exec(eng, id, &es, 0, &r, err));
    assert_string_equal(cr_buf_str(&r.out), "hi there\n");
    engine_exec_result_release(&r);
    assert_int_not_equal(engine_container_put_archive(eng, id, "/no/such/dir",
                                                      tar.buf.data, tar.buf.len,
                                                      &e),
                         ENGINE_OK);
    assert_true(e.http_status == 404 || e.http_status == 400);
    cr_buf_release(&tar.buf);
    remove_quietly(id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_engine),
        cmocka_unit_test(test_networks),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_image_import_remove),
        cmocka_unit_test(test_pull_without_registry),
        cmocka_unit_test(test_put_archive),
    };
    return cmocka_run_group_tests(tests, fixture_setup, fixture_teardown);
}
