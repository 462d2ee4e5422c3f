/* Unit tests: the command table and commands that need no engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "clnrm_cli.h"
#include "clnrm_cmd.h"
#include "clnrm_error.h"
#include "cr_alloc.h"
#include "test_alloc_fail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *no_malloc(void *ctx, size_t size)
{
    (void)ctx;
    (void)size;
    return NULL;
}

static void *no_realloc(void *ctx, void *p, size_t size)
{
    (void)ctx;
    (void)p;
    (void)size;
    return NULL;
}

static void plain_free(void *ctx, void *p)
{
    (void)ctx;
    free(p);
}

/* Out of memory is not bad usage: self-test exits with the status the
 * error table gives CLNRM_E_NOMEM. */
static void test_selftest_out_of_memory(void **state)
{
    const struct cr_alloc_hooks h = { no_malloc, no_realloc, plain_free, NULL };
    char *argv[] = { "self-test", "--suite", "parsing", NULL };
    struct clnrm_ctx ctx = { .out = tmpfile(), .err = tmpfile() };
    int status;

    assert_non_null(ctx.out);
    assert_non_null(ctx.err);
    cr_alloc_set(&h);
    status = clnrm_cmd_selftest(&ctx, 3, argv);
    cr_alloc_set(NULL);
    assert_int_not_equal(status, CLNRM_EXIT_USAGE);
    assert_int_equal(status, clnrm_exit_status(CLNRM_E_NOMEM));
    fclose(ctx.out);
    fclose(ctx.err);
}

/* Every allocation failure in `self-test --format json` prints either a
 * whole JSON document or nothing (then with the out-of-memory status):
 * a failure inside a check fails that check, or is absorbed where the code
 * has a fallback (PCRE2's JIT), but never cuts the report short. */
static void test_selftest_json_never_half_written(void **state)
{
    char *argv[] = {
        "self-test", "--suite", "parsing", "--format", "json", NULL
    };
    bool done = false;

    (void)state;
    for (long nth = 0; !done && nth < 100000; nth++) {
        struct clnrm_ctx ctx = { .out = tmpfile(), .err = tmpfile() };
        struct fail_nth f;
        char text[16384] = { 0 };
        cJSON *doc;
        int status;

        assert_non_null(ctx.out);
        assert_non_null(ctx.err);
        fail_nth_set(&f, nth, false);
        status = clnrm_cmd_selftest(&ctx, 5, argv);
        fail_nth_clear();
        rewind(ctx.out);
        assert_true(fread(text, 1, sizeof(text) - 1, ctx.out) < sizeof(text));
        done = !f.failed;
        if (text[0] == '\0') {
            assert_false(done);
            assert_int_equal(status, clnrm_exit_status(CLNRM_E_NOMEM));
        } else {
            doc = cJSON_Parse(text);
            assert_non_null(doc);
            assert_non_null(cJSON_GetObjectItem(doc, "failed"));
            /* Every check is there, not the ones before a failure. */
            assert_int_equal(
                cJSON_GetArraySize(cJSON_GetObjectItem(doc, "checks")),
                cJSON_GetObjectItem(doc, "total")->valueint);
            assert_int_equal(status,
                             cJSON_GetObjectItem(doc, "failed")->valueint == 0
                                 ? CLNRM_EXIT_OK
                                 : CLNRM_EXIT_FAILED);
            cJSON_Delete(doc);
        }
        fclose(ctx.out);
        fclose(ctx.err);
    }
    assert_true(done);
}

/* Only commands that talk to the engine set up its library (libcurl):
 * --help, --version, validate, list and init stay fast. */
static void test_table_flags(void **state)
{
    assert_true(clnrm_cli_needs_engine("run"));
    assert_true(clnrm_cli_needs_engine("health"));
    assert_true(clnrm_cli_needs_engine("image"));
    assert_true(clnrm_cli_needs_engine("self-test"));
    assert_false(clnrm_cli_needs_engine("validate"));
    assert_false(clnrm_cli_needs_engine("list"));
    assert_false(clnrm_cli_needs_engine("init"));
    assert_false(clnrm_cli_needs_engine("--help"));
    assert_false(clnrm_cli_needs_engine("--version"));
}

/* The overview lists every command of the table, image included. */
static void test_usage_from_table(void **state)
{
    static const char *const names[] = { "health",  "image", "init",
                                         "list",    "run",   "self-test",
                                         "validate" };
    char text[4096] = { 0 };
    FILE *f = tmpfile();

    assert_non_null(f);
    clnrm_cli_usage(f);
    rewind(f);
    assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
    fclose(f);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char line[32];
        snprintf(line, sizeof(line), "\n  %-10s ", names[i]);
        if (strstr(text, line) == NULL)
            fail_msg("usage lacks %s:\n%s", names[i], text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selftest_out_of_memory),
        cmocka_unit_test(test_selftest_json_never_half_written),
        cmocka_unit_test(test_table_flags),
        cmocka_unit_test(test_usage_from_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
