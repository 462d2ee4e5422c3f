/*
 * Shared set-up for the engine integration tests: one engine per process,
 * the base image present, and every container/network these tests create
 * labelled cleanroom.test=engine plus cleanroom.test.pid=<pid>, swept in
 * teardown.
 */
#ifndef TEST_ENGINE_FIXTURE_H
#define TEST_ENGINE_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cr_clock.h"
#include "engine.h"
#include "engine_baseimage.h"

static struct engine *eng;
static atomic_int cancel_flag;
static char pid_label[64]; /* "cleanroom.test.pid=123" */
static char pid_value[32]; /* "123" */
static struct engine_kv test_labels[2];

#define IMAGE ENGINE_BASEIMAGE_BASE

static void fail_err(const char *what, const struct cr_error *e)
{
    fail_msg("%s: %s (%s)", what, e->msg, engine_strerror(e->code));
}

#define CHECK(call)                                                            \
    do {                                                                       \
        struct cr_error e_ = { 0 };                                            \
        struct cr_error *err = &e_;                                            \
        if ((call) != ENGINE_OK)                                               \
            fail_err(#call, &e_);                                              \
        (void)err;                                                             \
    } while (0)

/* A spec for a long-running container with the test labels. */
static struct engine_container_spec sleeper_spec(void)
{
    static const char *const argv[] = { "sleep", "300", NULL };
    struct engine_container_spec s = { 0 };

    s.image = IMAGE;
    s.argv = argv;
    s.labels = test_labels;
    s.nlabels = 2;
    s.network = "none";
    s.init = true; /* so SIGTERM stops sleep at once */
    return s;
}

static char *start_sleeper(void)
{
    struct engine_container_spec s = sleeper_spec();
    char *id = NULL;

    CHECK(engine_container_create(eng, &s, &id, err));
    CHECK(engine_container_start(eng, id, err));
    return id;
}

static void remove_quietly(char *id)
{
    if (id)
        engine_container_remove(eng, id, true, NULL);
    free(id);
}

/* A loopback TCP port that was free a moment ago (inline: not every test
 * file that includes this header needs it). */
static inline int free_port(void)
{
    struct sockaddr_in a = { .sin_family = AF_INET };
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

static int fixture_setup(void **state)
{
    struct cr_error e = { 0 };
    struct engine_baseimage_opts o = { 0 };
    bool built;

    (void)state;
    snprintf(pid_value, sizeof(pid_value), "%d", (int)getpid());
    snprintf(pid_label, sizeof(pid_label), "cleanroom.test.pid=%s", pid_value);
    test_labels[0] = (struct engine_kv){ "cleanroom.test", "engine" };
    test_labels[1] = (struct engine_kv){ "cleanroom.test.pid", pid_value };
    if (engine_global_init(&e) != ENGINE_OK ||
        engine_open(&eng, NULL, &cancel_flag, &e) != ENGINE_OK ||
        engine_baseimage_bootstrap(eng, &o, &built, NULL, &e) != ENGINE_OK) {
        fprintf(stderr, "engine set-up failed: %s\n", e.msg);
        return -1;
    }
    return 0;
}

/* Removes every container and network labelled with this process's id. */
static void sweep(void)
{
    const char *const labels[] = { pid_label, NULL };
    char **ids = NULL;

    cancel_flag = 0;
    if (engine_container_list_by_label(eng, labels, &ids, NULL, NULL) ==
        ENGINE_OK)
        for (char **p = ids; *p; p++)
            engine_container_remove(eng, *p, true, NULL);
    engine_strv_free(ids);
    ids = NULL;
    if (engine_network_list_by_label(eng, labels, &ids, NULL, NULL) ==
        ENGINE_OK)
        for (char **p = ids; *p; p++)
            engine_network_remove(eng, *p, NULL);
    engine_strv_free(ids);
}

static int fixture_teardown(void **state)
{
    const char *const labels[] = { pid_label, NULL };
    char **ids = NULL;
    size_t n = 99;

    (void)state;
    sweep();
    /* What the sweep could not remove is a leak: fail loudly. */
    if (engine_container_list_by_label(eng, labels, &ids, &n, NULL) !=
            ENGINE_OK ||
        n != 0)
        fprintf(stderr, "teardown: %zu containers left behind\n", n);
    engine_strv_free(ids);
    engine_close(eng);
    engine_global_cleanup();
    return n == 0 ? 0 : -1;
}

#endif
