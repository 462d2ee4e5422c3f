/* Unit tests: the `clnrm dev` session (clnrm_dev.h) against the scripted
 * fake engine (tests/fake_engine.h) on a temporary directory. The session
 * runs on a thread; the test waits for its events on a condition variable
 * with a generous deadline (never a sleep) and saves files between them.
 * Each test ends the session with its cancel flag and checks that every
 * container and network of the session is gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_dev.h"
#include "cr_alloc.h"
#include "fake_engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 256
#define DEADLINE_S 20

/* What the test keeps of an event (the session's pointers are borrowed
 * for the call only). */
struct seen {
    enum clnrm_dev_kind kind;
    bool warm, cancelled, after_change;
    enum clnrm_status status;
    char message[600];
    char out[64];
};

struct fx {
    struct fake_engine *fake;
    struct clnrm_runctx rc;
    atomic_int stop;
    char dir[64], path[96], run_label[64];
    const char *paths[1];
    struct clnrm_dev_opts opts;
    pthread_t thread;
    enum clnrm_code code;
    bool failed;
    struct cr_error err;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct seen ev[MAX_EVENTS];
    size_t n, next; /* events received; the next one to look at */
};

static void on_event(void *ctx, const struct clnrm_dev_event *ev)
{
    struct fx *x = ctx;
    struct seen *s;

    pthread_mutex_lock(&x->mu);
    if (x->n < MAX_EVENTS) {
        s = &x->ev[x->n++];
        memset(s, 0, sizeof(*s));
        s->kind = ev->kind;
        s->warm = ev->warm;
        s->cancelled = ev->cancelled;
        s->after_change = ev->after_change;
        if (ev->message != NULL)
            snprintf(s->message, sizeof(s->message), "%s", ev->message);
        if (ev->result != NULL) {
            s->status = ev->result->status;
            if (ev->result->n_steps > 0)
                snprintf(s->out, sizeof(s->out), "%s",
                         cr_buf_str(&ev->result->steps[0].out));
        }
    }
    pthread_cond_broadcast(&x->cv);
    pthread_mutex_unlock(&x->mu);
}

/* The next event of kind (skipping others), waiting for it. */
static struct seen *wait_for(struct fx *x, enum clnrm_dev_kind kind)
{
    struct timespec until;
    struct seen *found = NULL;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += DEADLINE_S;
    pthread_mutex_lock(&x->mu);
    while (found == NULL) {
        while (x->next < x->n && found == NULL)
            if (x->ev[x->next++].kind == kind)
                found = &x->ev[x->next - 1];
        if (found == NULL &&
            pthread_cond_timedwait(&x->cv, &x->mu, &until) != 0)
            break;
    }
    pthread_mutex_unlock(&x->mu);
    if (found == NULL)
        fail_msg("no event of kind %d within %d s (%zu events, the last "
                 "of kind %d: %s; session code %d: %s)",
                 (int)kind, DEADLINE_S, x->n,
                 x->n > 0 ? (int)x->ev[x->n - 1].kind : -1,
                 x->n > 0 ? x->ev[x->n - 1].message : "", (int)x->code,
                 x->err.msg);
    return found;
}

static void *session(void *arg)
{
    struct fx *x = arg;

    x->code = clnrm_dev_run(&x->opts, &x->rc, on_event, x, &x->failed, &x->err);
    return NULL;
}

static void save(struct fx *x, const char *text)
{
    char tmp[128];
    FILE *f;

    snprintf(tmp, sizeof(tmp), "%s/.t.swp", x->dir);
    f = fopen(tmp, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(rename(tmp, x->path), 0);
}

#define TEST_FILE(word, env)                                                   \
    "[test.metadata]\nname = \"t\"\n"                                          \
    "[services.svc]\nimage = \"img:1\"\n" env "[[steps]]\nname = \"s\"\n"      \
    "command = [\"echo\", \"" word "\"]\n"

static int setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    if (x == NULL || (x->fake = fake_engine_start()) == NULL)
        return -1;
    if (clnrm_runctx_init(&x->rc, NULL) != CLNRM_OK)
        return -1;
    x->rc.engine_host = fake_engine_host(x->fake);
    x->rc.cancel = &x->stop;
    snprintf(x->run_label, sizeof(x->run_label), "%s=%s", CLNRM_LABEL_RUN,
             x->rc.run_id);
    snprintf(x->dir, sizeof(x->dir), "/tmp/test_clnrm_dev.XXXXXX");
    if (mkdtemp(x->dir) == NULL)
        return -1;
    snprintf(x->path, sizeof(x->path), "%s/t.clnrm.toml", x->dir);
    x->paths[0] = x->dir;
    x->opts = (struct clnrm_dev_opts){ .paths = x->paths, .npaths = 1 };
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->cv, NULL);
    fake_engine_exec(x->fake, "echo one", 0, "one\n", NULL);
    fake_engine_exec(x->fake, "echo two", 0, "two\n", NULL);
    fake_engine_exec(x->fake, "echo three", 0, "three\n", NULL);
    *state = x;
    return 0;
}

static void start(struct fx *x)
{
    assert_int_equal(pthread_create(&x->thread, NULL, session, x), 0);
}

/* Stops the session (unless it ended by itself) and checks it left
 * nothing on the engine. */
static void finish(struct fx *x, enum clnrm_code want)
{
    size_t c = 99, n = 99;

    if (want == CLNRM_E_CANCELLED)
        atomic_store(&x->stop, 1);
    pthread_join(x->thread, NULL);
    assert_int_equal(x->code, want);
    fake_engine_count(x->fake, x->run_label, &c, &n);
    assert_int_equal(c, 0);
    assert_int_equal(n, 0);
}

static int teardown(void **state)
{
    struct fx *x = *state;
    char cmd[128];

    fake_engine_release(x->fake);
    fake_engine_stop(x->fake);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", x->dir);
    assert_int_equal(system(cmd), 0);
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->cv);
    free(x);
    return 0;
}

/* Steps edited: rerun in the warm service, no container created; a
 * service edited: that service recreated. */
static void test_hot_path_and_recreate(void **state)
{
    struct fx *x = *state;
    struct seen *s;

    save(x, TEST_FILE("one", ""));
    start(x);
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_int_equal(s->status, CLNRM_STATUS_PASS);
    assert_false(s->warm);
    wait_for(x, CLNRM_DEV_RERUN_DONE);
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_CREATE), 1);

    save(x, TEST_FILE("two", ""));
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_true(s->warm);
    assert_string_equal(s->out, "two\n");
    s = wait_for(x, CLNRM_DEV_RERUN_DONE);
    assert_true(s->after_change);
    assert_false(s->cancelled);
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_CREATE), 1);

    save(x, TEST_FILE("three", "env = { A = \"1\" }\n"));
    s = wait_for(x, CLNRM_DEV_SERVICE);
    assert_string_equal(s->message, "recreated");
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_false(s->warm);
    assert_string_equal(s->out, "three\n");
    assert_int_equal(fake_engine_served(x->fake, FAKE_CONTAINER_CREATE), 2);
    finish(x, CLNRM_E_CANCELLED);
}

/* A broken file is an error with its position; the fix reruns. */
static void test_break_and_fix(void **state)
{
    struct fx *x = *state;
    struct seen *s;

    save(x, TEST_FILE("one", ""));
    start(x);
    wait_for(x, CLNRM_DEV_RERUN_DONE);
    save(x, "[test.metadata\n");
    s = wait_for(x, CLNRM_DEV_ERROR);
    if (strstr(s->message, "t.clnrm.toml:1:") == NULL)
        fail_msg("no position in \"%s\"", s->message);
    save(x, TEST_FILE("two", ""));
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_int_equal(s->status, CLNRM_STATUS_PASS);
    assert_true(s->warm);
    finish(x, CLNRM_E_CANCELLED);
}

/* A failing step under --once: the session returns after that rerun,
 * says it failed, and removes its containers. */
static void test_once(void **state)
{
    struct fx *x = *state;

    fake_engine_exec(x->fake, "echo two", 1, NULL, "no\n");
    x->opts.once = true;
    save(x, TEST_FILE("one", ""));
    start(x);
    wait_for(x, CLNRM_DEV_RERUN_DONE);
    save(x, TEST_FILE("two", ""));
    finish(x, CLNRM_OK);
    assert_true(x->failed);
}

/* A missing image is an error at its service's line; naming an image
 * that exists brings the service up. */
static void test_missing_image(void **state)
{
    struct fx *x = *state;
    struct seen *s;

    fake_engine_missing_image(x->fake, "gone:1");
    save(x, "[test.metadata]\nname = \"t\"\n"
            "[services.svc]\nimage = \"gone:1\"\n"
            "[[steps]]\nname = \"s\"\ncommand = [\"echo\", \"one\"]\n");
    start(x);
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_int_equal(s->status, CLNRM_STATUS_ERROR);
    s = wait_for(x, CLNRM_DEV_ERROR);
    if (strstr(s->message, "t.clnrm.toml:3:1: ") == NULL ||
        strstr(s->message, "gone:1") == NULL)
        fail_msg("no position or image in \"%s\"", s->message);
    save(x, TEST_FILE("two", ""));
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_int_equal(s->status, CLNRM_STATUS_PASS);
    finish(x, CLNRM_E_CANCELLED);
}

/* A removed file stops its services. */
static void test_removed_file(void **state)
{
    struct fx *x = *state;
    size_t c = 99;

    save(x, TEST_FILE("one", ""));
    start(x);
    wait_for(x, CLNRM_DEV_RERUN_DONE);
    assert_int_equal(unlink(x->path), 0);
    wait_for(x, CLNRM_DEV_REMOVED);
    fake_engine_count(x->fake, x->run_label, &c, NULL);
    assert_int_equal(c, 0);
    finish(x, CLNRM_E_CANCELLED);
}

#define ORDER_FILE(env_b, env_a)                                               \
    "[test.metadata]\nname = \"t\"\n"                                          \
    "[services.b]\nimage = \"img:1\"\ndepends_on = [\"a\"]\n" env_b            \
    "[services.a]\nimage = \"img:1\"\n"                                        \
    "health_check = { cmd = [\"probe-a\"], interval = \"1ms\" }\n" env_a       \
    "[[steps]]\nname = \"s\"\nservice = \"b\"\ncommand = [\"echo\", "          \
    "\"one\"]\n"

/* The fake's log as one token per line: the verb's initial and the
 * service's name ("ca" create a, "sa" start a, "ea" exec in a). */
static void compact_log(struct fx *x, char *out, size_t size)
{
    char *log = fake_engine_log(x->fake), *line, *save = NULL;
    size_t n = 0;

    out[0] = '\0';
    for (line = strtok_r(log, "\n", &save); line != NULL && n + 4 < size;
         line = strtok_r(NULL, "\n", &save)) {
        char *name = strchr(line, ' '), *end, *dash;
        if (name == NULL)
            continue;
        end = strchr(name + 1, ' ');
        if (end != NULL)
            *end = '\0';
        dash = strrchr(name, '-');
        n += (size_t)snprintf(out + n, size - n, "%c%s ", line[0],
                              dash != NULL ? dash + 1 : "?");
    }
    free(log);
}

/* Where the k-th (from 1) token tok is in the compact log, or -1. */
static long nth(const char *log, const char *tok, int k)
{
    const char *p = log;

    for (; (p = strstr(p, tok)) != NULL; p++)
        if ((p == log || p[-1] == ' ') && --k == 0)
            return p - log;
    return -1;
}

/* Warm services come up in depends_on order, and a change of both
 * services recreates them in that order, a ready before b. */
static void test_depends_order(void **state)
{
    struct fx *x = *state;
    char log[2048];
    struct seen *s;

    fake_engine_exec(x->fake, "probe-a", 0, NULL, NULL);
    save(x, ORDER_FILE("", ""));
    start(x);
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_int_equal(s->status, CLNRM_STATUS_PASS);
    compact_log(x, log, sizeof(log));
    assert_true(nth(log, "ea ", 1) >= 0);
    assert_true(nth(log, "sa ", 1) < nth(log, "ea ", 1));
    assert_true(nth(log, "ea ", 1) < nth(log, "cb ", 1));

    save(x, ORDER_FILE("env = { B = \"2\" }\n", "env = { A = \"2\" }\n"));
    s = wait_for(x, CLNRM_DEV_TEST_DONE);
    assert_int_equal(s->status, CLNRM_STATUS_PASS);
    assert_false(s->warm);
    compact_log(x, log, sizeof(log));
    if (nth(log, "ca ", 2) < 0 || nth(log, "cb ", 2) < 0 ||
        nth(log, "ea ", 2) < nth(log, "ca ", 2) ||
        nth(log, "cb ", 2) < nth(log, "ea ", 2))
        fail_msg("want a recreated and ready before b: %s", log);
    finish(x, CLNRM_E_CANCELLED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_hot_path_and_recreate, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_break_and_fix, setup, teardown),
        cmocka_unit_test_setup_teardown(test_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_image, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depends_order, setup, teardown),
    };

    cr_alloc_set(NULL);
    if (engine_global_init(NULL) != ENGINE_OK)
        return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    engine_global_cleanup();
    return rc;
}
