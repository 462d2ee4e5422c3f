/* Unit tests: the command table and commands that need no engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_cli.h"
#include "clnrm_error.h"
#include "cr_alloc.h"

#include <stdio.h>
#include <stdlib.h>

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_selftest_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
