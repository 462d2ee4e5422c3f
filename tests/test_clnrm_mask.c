/* Unit tests: which names are secret, and masking rendered text
 * (clnrm_mask.h), including escaped spellings and failed allocations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_mask.h"
#include "cr_alloc.h"

#include <stdlib.h>
#include <string.h>

static void test_secret_names(void **state)
{
    static const char *const extra[] = { "*CRED*" };

    assert_true(clnrm_mask_is_secret("GITHUB_TOKEN", NULL, 0));
    assert_true(clnrm_mask_is_secret("client_secret", NULL, 0));
    assert_true(clnrm_mask_is_secret("DB_PASSWORD", NULL, 0));
    assert_true(clnrm_mask_is_secret("ssh_key_file", NULL, 0));
    assert_false(clnrm_mask_is_secret("PATH", NULL, 0));
    assert_false(clnrm_mask_is_secret("MY_CRED", NULL, 0));
    assert_true(clnrm_mask_is_secret("my_cred", extra, 1));
}

static char *masked(const struct clnrm_mask *m, const char *text)
{
    struct cr_buf b = { 0 };

    assert_int_equal(cr_buf_puts(&b, text), 0);
    assert_true(clnrm_mask_apply(m, &b) >= 0);
    return b.data;
}

static void test_apply(void **state)
{
    struct clnrm_mask m = { 0 };
    char *out;

    assert_int_equal(clnrm_mask_add_value(&m, "hunter22"), 0);
    assert_int_equal(clnrm_mask_add_value(&m, "hunter22-long"), 0);
    assert_int_equal(clnrm_mask_add_value(&m, "abc"), 0); /* too short */
    out = masked(&m, "a hunter22 b hunter22-long c abc hunter22");
    /* The longer secret is hidden whole, not as "****-long". */
    assert_string_equal(out, "a **** b **** c abc ****");
    cr_free(out);
    clnrm_mask_release(&m);
}

static void test_escaped_spellings(void **state)
{
    struct clnrm_mask m = { 0 };
    char *out;

    assert_int_equal(clnrm_mask_add_value(&m, "p\"a<s&s"), 0);
    out = masked(&m, "raw p\"a<s&s json p\\\"a<s&s xml p&quot;a&lt;s&amp;s");
    assert_string_equal(out, "raw **** json **** xml ****");
    cr_free(out);
    clnrm_mask_release(&m);

    /* The spellings the renderers really write: cr_xml_escape's &apos;
     * and &#9;, cJSON's \n and \t. */
    struct clnrm_mask m2 = { 0 };
    assert_int_equal(clnrm_mask_add_value(&m2, "it's\tx\ny"), 0);
    out = masked(&m2, "xml it&apos;s&#9;x\ny json it's\\tx\\ny");
    assert_string_equal(out, "xml **** json ****");
    cr_free(out);
    clnrm_mask_release(&m2);
}

static void test_environ(void **state)
{
    static const char *const extra[] = { "CLNRM_UT_*" };
    struct clnrm_mask m = { .globs = extra, .n_globs = 1 };
    char *out;

    setenv("CLNRM_UT_THING", "from-the-host", 1);
    setenv("CLNRM_UT2_API_KEY", "key-from-host", 1);
    setenv("CLNRM_UT2_OTHER", "not-secret-at-all", 1);
    assert_int_equal(clnrm_mask_add_environ(&m), 0);
    out = masked(&m, "from-the-host key-from-host not-secret-at-all");
    assert_string_equal(out, "**** **** not-secret-at-all");
    cr_free(out);
    clnrm_mask_release(&m);
}

/* Fails the n-th allocation from now. */
static int fail_at;
static void *failing_malloc(void *ctx, size_t size)
{
    return --fail_at == 0 ? NULL : malloc(size);
}
static void *failing_realloc(void *ctx, void *p, size_t size)
{
    return --fail_at == 0 ? NULL : realloc(p, size);
}
static void plain_free(void *ctx, void *p)
{
    free(p);
}

static void test_out_of_memory(void **state)
{
    const struct cr_alloc_hooks hooks = { failing_malloc, failing_realloc,
                                          plain_free, NULL };
    bool failed = false;

    /* Every allocation of add and apply fails in turn: each reports -1,
     * nothing leaks (ASan), nothing crashes. */
    for (int n = 1; n < 40; n++) {
        struct clnrm_mask m = { 0 };
        struct cr_buf b = { 0 };
        int rc;

        assert_int_equal(cr_buf_puts(&b, "x secret-1 y"), 0);
        fail_at = n;
        cr_alloc_set(&hooks);
        rc = clnrm_mask_add_value(&m, "secret-1");
        if (rc == 0)
            rc = clnrm_mask_apply(&m, &b);
        cr_alloc_set(NULL);
        failed |= rc < 0;
        if (rc >= 0)
            assert_string_equal(cr_buf_str(&b), "x **** y");
        cr_buf_release(&b);
        clnrm_mask_release(&m);
    }
    assert_true(failed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secret_names),
        cmocka_unit_test(test_apply),
        cmocka_unit_test(test_escaped_spellings),
        cmocka_unit_test(test_environ),
        cmocka_unit_test(test_out_of_memory),
    };
    cr_alloc_set(NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
