/*
 * Allocation-failure injection over bench's reader, comparison and
 * renderers, and the Mann-Whitney U test: every failure is BENCH_E_NOMEM
 * (-ENOMEM from cr_stats) with nothing leaked (ASan's part), and the sweep
 * ends with the same result as a run without failures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "bench_compare.h"
#include "bench_gofmt.h"
#include "cr_fs.h"
#include "cr_stats.h"
#include "test_alloc_fail.h"

#include <errno.h>

/* Reads, compares and renders base.txt against slower2x.txt in fmt. */
static enum bench_code pipeline(const char *a, const char *b,
                                enum bench_format fmt, struct cr_buf *out)
{
    struct bench_data da = { 0 }, db = { 0 };
    struct bench_comparison c = { 0 };
    struct bench_compare_opts o = {
        .alpha = 0.05, .minor = 5, .moderate = 20, .major = 50
    };
    struct cr_error err;
    enum bench_code rc = bench_gofmt_parse(a, strlen(a), "a", &da, &err);
    if (rc == BENCH_OK)
        rc = bench_gofmt_parse(b, strlen(b), "b", &db, &err);
    if (rc == BENCH_OK)
        rc = bench_compare(&da, &db, &o, &c, &err);
    if (rc == BENCH_OK)
        rc = bench_compare_render(&c, fmt, "a", "b", out, &err);
    bench_comparison_release(&c);
    bench_data_release(&da);
    bench_data_release(&db);
    return rc;
}

static void sweep(enum bench_format fmt)
{
    char *a = NULL, *b = NULL;
    struct cr_buf want, got;
    struct fail_nth f;
    bool done = false;
    assert_int_equal(
        cr_fs_read(CR_SOURCE_DIR "/tests/bench/base.txt", &a, NULL), 0);
    assert_int_equal(
        cr_fs_read(CR_SOURCE_DIR "/tests/bench/slower2x.txt", &b, NULL), 0);
    cr_buf_init(&want);
    assert_int_equal(pipeline(a, b, fmt, &want), BENCH_OK);
    for (long n = 0; !done && n < 100000; n++) {
        cr_buf_init(&got);
        fail_nth_set(&f, n, true);
        enum bench_code rc = pipeline(a, b, fmt, &got);
        fail_nth_clear();
        if (!f.failed) {
            assert_int_equal(rc, BENCH_OK);
            assert_int_equal(got.len, want.len);
            assert_memory_equal(got.data, want.data, want.len);
            done = true;
        } else {
            assert_int_equal(rc, BENCH_E_NOMEM);
        }
        cr_buf_release(&got);
    }
    assert_true(done);
    cr_buf_release(&want);
    cr_free(a);
    cr_free(b);
}

static void test_text(void **state)
{
    (void)state;
    sweep(BENCH_FORMAT_TEXT);
}

static void test_csv(void **state)
{
    (void)state;
    sweep(BENCH_FORMAT_CSV);
}

static void test_json(void **state)
{
    (void)state;
    sweep(BENCH_FORMAT_JSON);
}

static void test_utest(void **state)
{
    double x[] = { 1, 2, 3, 4, 9 }, y[] = { 5, 6, 7, 8, 9 }, p = 0, want = 0;
    struct fail_nth f;
    (void)state;
    assert_int_equal(cr_stats_mann_whitney(x, 5, y, 5, &want), 0);
    for (long n = 0; n < 10; n++) {
        fail_nth_set(&f, n, true);
        int rc = cr_stats_mann_whitney(x, 5, y, 5, &p);
        fail_nth_clear();
        if (!f.failed) {
            assert_int_equal(rc, 0);
            assert_true(p == want);
            return;
        }
        assert_int_equal(rc, -ENOMEM);
    }
    fail();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_utest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
