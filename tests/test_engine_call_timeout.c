/* The engine's per-call timeout (engine_set_call_timeout and
 * $ENGINE_CALL_TIMEOUT_MS) against the scripted fake engine: a call that
 * hangs fails with a message naming it, and calls that answer in time,
 * and blocking waits, are not affected. No Docker needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_clock.h"
#include "engine.h"
#include "fake_engine.h"

static struct engine *open_on(struct fake_engine *f)
{
    struct engine *eng = NULL;
    struct cr_error e = { 0 };

    assert_int_equal(engine_open(&eng, fake_engine_host(f), NULL, &e),
                     ENGINE_OK);
    return eng;
}

static void test_hung_call_named(void **state)
{
    struct fake_engine *f = fake_engine_start();
    struct engine_container_spec spec = { .image = "img:1" };
    struct engine *eng;
    struct cr_error e = { 0 };
    char *id = NULL;
    uint64_t start;

    assert_non_null(f);
    eng = open_on(f);
    engine_set_call_timeout(eng, 200);
    fake_engine_block(f, FAKE_CONTAINER_CREATE, NULL, NULL);
    start = cr_clock_ms();
    assert_int_equal(engine_container_create(eng, &spec, &id, &e),
                     ENGINE_E_TIMEOUT);
    assert_true(cr_clock_ms() - start < 5000);
    assert_non_null(strstr(e.msg, "engine: POST /containers/create timed "
                                  "out after 0.2 s"));
    assert_null(id);
    fake_engine_release(f);
    /* The engine is usable again once the engine answers. */
    assert_int_equal(engine_ping(eng, &e), ENGINE_OK);
    engine_close(eng);
    fake_engine_stop(f);
}

static void test_from_environment(void **state)
{
    struct fake_engine *f = fake_engine_start();
    struct engine *eng;
    struct cr_error e = { 0 };
    bool exists = true;

    assert_non_null(f);
    setenv(ENGINE_CALL_TIMEOUT_ENV, "150", 1);
    eng = open_on(f);
    unsetenv(ENGINE_CALL_TIMEOUT_ENV);
    fake_engine_block(f, FAKE_IMAGE_INSPECT, NULL, NULL);
    assert_int_equal(engine_image_exists(eng, "img:1", &exists, &e),
                     ENGINE_E_TIMEOUT);
    assert_non_null(strstr(e.msg, "engine: GET /images/img:1/json timed out "
                                  "after 0.1 s"));
    fake_engine_release(f);
    engine_close(eng);
    fake_engine_stop(f);
}

static int global_setup(void **state)
{
    cr_alloc_set(NULL);
    return engine_global_init(NULL) == ENGINE_OK ? 0 : -1;
}

static int global_teardown(void **state)
{
    engine_global_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hung_call_named),
        cmocka_unit_test(test_from_environment),
    };
    return cmocka_run_group_tests(tests, global_setup, global_teardown);
}
