/* Unit tests of issue 19 against the scripted fake engine
 * (tests/fake_engine.h): .dockerignore matching, the build context's
 * stable hash, images built from a Dockerfile (POST /build) or found
 * unchanged, a failed build's message, run --keep-on-failure and clean.
 * No Docker needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_build.h"
#include "clnrm_load.h"
#include "clnrm_reap.h"
#include "clnrm_runner.h"
#include "cr_alloc.h"
#include "cr_fs.h"
#include "engine_build.h"
#include "fake_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_dockerignore(void **state)
{
    const char *pats = "# comment\n*.log\nnotes/\n!keep.log\n"
                       "docs/**/*.md\n/build\n  tmp?  \n";

    (void)state;
    assert_true(engine_dockerignore_match(pats, "a.log"));
    assert_false(engine_dockerignore_match(pats, "keep.log"));
    assert_false(engine_dockerignore_match(pats, "sub/a.log")); /* no ** */
    assert_true(engine_dockerignore_match(pats, "notes"));
    assert_true(engine_dockerignore_match(pats, "notes/x/y.txt"));
    assert_true(engine_dockerignore_match(pats, "docs/a/b/c.md"));
    assert_false(engine_dockerignore_match(pats, "docs/a/b/c.txt"));
    assert_true(engine_dockerignore_match(pats, "build/out.o"));
    assert_true(engine_dockerignore_match(pats, "tmp1"));
    assert_false(engine_dockerignore_match(pats, "src/main.c"));
    assert_false(engine_dockerignore_match(NULL, "a.log"));
}

/* A context directory: Dockerfile, a file, an ignored one. */
struct ctx {
    char dir[64];
};

static void put(const char *dir, const char *name, const char *text)
{
    char path[256];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(cr_fs_write_atomic(path, text, strlen(text), 0644), 0);
}

static void make_ctx(struct ctx *c)
{
    snprintf(c->dir, sizeof(c->dir), "/tmp/clnrm-ctx-XXXXXX");
    assert_non_null(mkdtemp(c->dir));
    put(c->dir, "Dockerfile", "FROM clnrm-base:latest\nCOPY . /srv/\n");
    put(c->dir, "a.txt", "one\n");
    put(c->dir, "scratch.log", "ignored\n");
    put(c->dir, ".dockerignore", "*.log\n");
}

static void rm_ctx(struct ctx *c)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", c->dir);
    assert_int_equal(system(cmd), 0);
}

static void hash_of(const char *dir, char out[17])
{
    struct engine_tar t = { 0 };
    struct cr_error e = { 0 };
    struct engine_bytes b;

    assert_int_equal(engine_build_context(dir, &t, &e), ENGINE_OK);
    /* The ignored file is not in the archive. */
    assert_null(memmem(t.buf.data, t.buf.len, "scratch.log", 11));
    assert_non_null(memmem(t.buf.data, t.buf.len, "a.txt", 5));
    b = (struct engine_bytes){ t.buf.data, t.buf.len };
    engine_build_hash(&b, 1, out);
    cr_buf_release(&t.buf);
}

static void test_context_hash(void **state)
{
    struct ctx c;
    char h1[17], h2[17], h3[17], h4[17];

    (void)state;
    make_ctx(&c);
    hash_of(c.dir, h1);
    hash_of(c.dir, h2);
    assert_string_equal(h1, h2); /* same content, same bytes */
    put(c.dir, "scratch.log", "changed, but ignored\n");
    hash_of(c.dir, h3);
    assert_string_equal(h1, h3);
    put(c.dir, "a.txt", "two\n");
    hash_of(c.dir, h4);
    assert_string_not_equal(h1, h4);
    rm_ctx(&c);
}

/* ---- Against the fake engine ------------------------------------------- */

struct fx {
    struct fake_engine *fake;
    struct engine *eng;
    struct ctx c;
    struct clnrm_test *t;
    char lines[4096];
};

static int fx_setup(void **state)
{
    struct fx *x = calloc(1, sizeof(*x));

    if (x == NULL || (x->fake = fake_engine_start()) == NULL)
        return -1;
    if (engine_open(&x->eng, fake_engine_host(x->fake), NULL, NULL) !=
        ENGINE_OK)
        return -1;
    make_ctx(&x->c);
    *state = x;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *x = *state;

    engine_close(x->eng);
    fake_engine_stop(x->fake);
    clnrm_test_free(x->t);
    rm_ctx(&x->c);
    free(x);
    return 0;
}

static void on_line(void *ctx, const char *line)
{
    struct fx *x = ctx;
    size_t n = strlen(x->lines);

    snprintf(x->lines + n, sizeof(x->lines) - n, "%s\n", line);
}

static void load_build_test(struct fx *x, const char *service)
{
    char toml[1024], path[128];
    struct cr_error e = { 0 };

    snprintf(toml, sizeof(toml),
             "[test.metadata]\nname = \"b\"\n[services.%s]\n"
             "build = { context = \".\", target = \"stage\", "
             "args = { V = \"1 2\" } }\n"
             "[[steps]]\nname = \"s\"\ncommand = [\"true\"]\n",
             service);
    snprintf(path, sizeof(path), "%s/b.clnrm.toml", x->c.dir);
    if (clnrm_test_parse(toml, strlen(toml), path, NULL, &x->t, NULL, &e) !=
        CLNRM_OK)
        fail_msg("does not load: %s", e.msg);
    assert_null(x->t->services[0].image);
}

static void test_build_then_reuse(void **state)
{
    struct fx *x = *state;
    struct clnrm_build_stats st = { 0 };
    struct cr_error e = { 0 };
    char tag[64];

    load_build_test(x, "Web_1");
    /* Not there yet: built. */
    fake_engine_missing_image(x->fake, "clnrm-build-web-1:");
    assert_int_equal(clnrm_build_images(x->eng, &x->t, 1, on_line, x, &st, &e),
                     CLNRM_OK);
    snprintf(tag, sizeof(tag), "%s", x->t->services[0].image);
    assert_memory_equal(tag, "clnrm-build-web-1:", 18);
    assert_int_equal(strlen(tag), 18 + 16);
    assert_int_equal(fake_engine_served(x->fake, FAKE_BUILD), 1);
    assert_int_equal(st.built, 1);
    assert_non_null(strstr(x->lines, "Step 1/2 : FROM base"));
    assert_non_null(strstr(x->lines, "dockerfile=Dockerfile"));
    assert_non_null(strstr(x->lines, "target=stage"));
    assert_non_null(strstr(x->lines, "buildargs="));
    assert_non_null(strstr(x->lines, "Successfully built"));
    /* The same context again, image present: not rebuilt, same tag. */
    clnrm_test_free(x->t);
    x->t = NULL;
    load_build_test(x, "Web_1");
    memset(&st, 0, sizeof(st));
    assert_int_equal(clnrm_build_images(x->eng, &x->t, 1, NULL, NULL, &st, &e),
                     CLNRM_OK);
    assert_int_equal(fake_engine_served(x->fake, FAKE_BUILD), 1);
    assert_int_equal(st.reused, 1);
    assert_string_equal(x->t->services[0].image, tag);
}

static void test_build_fails(void **state)
{
    struct fx *x = *state;
    struct cr_error e = { 0 };

    load_build_test(x, "fail");
    fake_engine_missing_image(x->fake, "clnrm-build-fail:");
    assert_int_not_equal(
        clnrm_build_images(x->eng, &x->t, 1, NULL, NULL, NULL, &e), CLNRM_OK);
    assert_non_null(strstr(e.msg, "service \"fail\": build of "
                                  "clnrm-build-fail:"));
    assert_non_null(strstr(e.msg, "returned a non-zero code: 7"));
    assert_non_null(strstr(e.msg, "last output: Step 1/2"));
    assert_non_null(strstr(e.msg, "Step 2/2 : RUN exit 7"));
}

/* A failed test's containers and network stay, labelled; the sweep of
 * dead runs leaves them; clean removes them once their run is over. */
static void test_keep_and_clean(void **state)
{
    struct fx *x = *state;
    static const char toml[] =
        "[test.metadata]\nname = \"k\"\n"
        "[services.a]\nimage = \"img:1\"\n[services.b]\nimage = \"img:1\"\n"
        "[[steps]]\nname = \"s\"\nservice = \"a\"\ncommand = [\"boom\"]\n";
    struct clnrm_runctx rc;
    struct clnrm_test_result res = { 0 };
    struct clnrm_sweep_stats st;
    struct cr_error e = { 0 };
    const char *keys[] = { CLNRM_LABEL_RUN, CLNRM_LABEL_KEEP_PID,
                           CLNRM_LABEL_KEEP_PID_START, CLNRM_LABEL_HOST,
                           CLNRM_LABEL_KEEP };
    char label[64], id[65];
    size_t c = 0, n = 0;

    assert_int_equal(clnrm_runctx_init(&rc, NULL), CLNRM_OK);
    rc.engine_host = fake_engine_host(x->fake);
    rc.keep_on_failure = true;
    assert_int_equal(clnrm_test_parse(toml, strlen(toml), "k.clnrm.toml", NULL,
                                      &x->t, NULL, &e),
                     CLNRM_OK);
    fake_engine_exec(x->fake, "boom", 3, NULL, "bad");
    assert_int_equal(clnrm_run_test(x->eng, x->eng, &rc, 0, x->t, &res),
                     CLNRM_OK);
    assert_int_equal(res.status, CLNRM_STATUS_FAIL);
    assert_true(res.kept);
    snprintf(label, sizeof(label), "clnrm-%s-0", rc.run_id);
    assert_string_equal(res.kept_prefix, label);
    snprintf(label, sizeof(label), "%s=%s", CLNRM_LABEL_RUN, rc.run_id);
    fake_engine_count(x->fake, label, &c, &n);
    assert_int_equal(c, 2);
    assert_int_equal(n, 1);
    /* The run-end sweep and the sweep of dead runs leave them. */
    assert_int_equal(clnrm_reap_sweep(x->eng, rc.run_id, &st, &e), CLNRM_OK);
    assert_int_equal(clnrm_reap_sweep(x->eng, NULL, &st, &e), CLNRM_OK);
    fake_engine_count(x->fake, label, &c, &n);
    assert_int_equal(c + n, 3);
    /* Their run (this process) is alive: clean leaves them too. */
    assert_int_equal(clnrm_reap_clean(x->eng, &st, &e), CLNRM_OK);
    assert_int_equal(st.containers, 0);
    /* Kept objects of a dead run go. */
    {
        const char *dead[] = { "deadkeep", rc.pid, "1", rc.host, "on-failure" };
        fake_engine_add_object(x->fake, false, "kc", keys, dead, 5, id);
        fake_engine_add_object(x->fake, true, "kn", keys, dead, 5, id);
    }
    assert_int_equal(clnrm_reap_sweep(x->eng, NULL, &st, &e), CLNRM_OK);
    fake_engine_count(x->fake, "cleanroom.run=deadkeep", &c, &n);
    assert_int_equal(c + n, 2);
    assert_int_equal(clnrm_reap_clean(x->eng, &st, &e), CLNRM_OK);
    assert_int_equal(st.containers, 1);
    assert_int_equal(st.networks, 1);
    fake_engine_count(x->fake, "cleanroom.run=deadkeep", &c, &n);
    assert_int_equal(c + n, 0);
    clnrm_test_result_release(&res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dockerignore),
        cmocka_unit_test(test_context_hash),
        cmocka_unit_test_setup_teardown(test_build_then_reuse, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_build_fails, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_keep_and_clean, fx_setup,
                                        fx_teardown),
    };

    if (engine_global_init(NULL) != ENGINE_OK)
        return 1;
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    engine_global_cleanup();
    return rc;
}
