/* Unit tests of libcleanroom's small helpers: cr_buf, cr_fs, cr_clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cr_buf.h"
#include "cr_clock.h"
#include "cr_error.h"
#include "cr_fs.h"
#include "cr_stats.h"
#include "cr_strmap.h"

static void test_buf_append_and_detach(void **state)
{
    struct cr_buf b;
    char *s;

    (void)state;
    cr_buf_init(&b);
    assert_string_equal(cr_buf_str(&b), "");
    for (int i = 0; i < 1000; i++)
        assert_int_equal(cr_buf_printf(&b, "%d,", i % 10), 0);
    assert_int_equal(b.len, 2000);
    assert_int_equal(cr_buf_putc(&b, 'x'), 0);
    assert_int_equal(b.data[b.len], '\0');
    assert_memory_equal(b.data, "0,1,2,", 6);
    s = cr_buf_detach(&b);
    assert_non_null(s);
    assert_int_equal(strlen(s), 2001);
    assert_null(b.data);
    free(s);
    /* Detaching an empty buffer still yields a string the caller frees. */
    s = cr_buf_detach(&b);
    assert_string_equal(s, "");
    free(s);
    cr_buf_release(&b);
}

static void test_buf_reset_keeps_memory(void **state)
{
    struct cr_buf b = { 0 };

    (void)state;
    assert_int_equal(cr_buf_puts(&b, "hello"), 0);
    cr_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_non_null(b.data);
    assert_string_equal(cr_buf_str(&b), "");
    cr_buf_release(&b);
    cr_buf_release(&b); /* twice is fine */
}

static void test_buf_overflow_is_refused(void **state)
{
    struct cr_buf b = { 0 };

    (void)state;
    assert_int_equal(cr_buf_reserve(&b, (size_t)-1), -ENOMEM);
    assert_null(b.data);
}

static void test_fs_atomic_roundtrip(void **state)
{
    char dir[] = "/tmp/cr-test-XXXXXX", path[256], *got = NULL;
    size_t len = 0;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/a/b/report.json", dir);
    /* Parent missing: the write fails and leaves nothing behind. */
    assert_int_equal(cr_fs_write_atomic(path, "x", 1, 0644), -ENOENT);
    snprintf(path, sizeof(path), "%s/a/b", dir);
    assert_int_equal(cr_fs_mkdirs(path), 0);
    assert_int_equal(cr_fs_mkdirs(path), 0); /* idempotent */
    snprintf(path, sizeof(path), "%s/a/b/report.json", dir);
    assert_int_equal(cr_fs_write_atomic(path, "{\"a\":1}", 7, 0644), 0);
    assert_int_equal(cr_fs_write_atomic(path, "{}", 2, 0644), 0);
    assert_int_equal(cr_fs_read(path, &got, &len), 0);
    assert_int_equal(len, 2);
    assert_string_equal(got, "{}");
    free(got);
    snprintf(path, sizeof(path), "%s/missing", dir);
    errno = 0;
    assert_int_equal(cr_fs_read(path, &got, &len), -ENOENT);
    assert_int_equal(errno, ENOENT);
    snprintf(path, sizeof(path), "rm -rf %s", dir);
    assert_int_equal(system(path), 0);
}

static void test_clock_is_monotonic(void **state)
{
    uint64_t a, b;

    (void)state;
    a = cr_clock_ns();
    cr_clock_sleep_ms(5, NULL);
    b = cr_clock_ns();
    assert_true(b - a >= 5000000u);
    assert_true(cr_clock_wall_ms() > 1600000000000u);
}

static void test_stats_summary(void **state)
{
    const double x[] = { 5, 1, 4, 2, 3, 100, 3, 2, 4, 3 };
    struct cr_stats_summary s;

    (void)state;
    assert_int_equal(cr_stats_summarize(x, 10, &s), 0);
    assert_int_equal(s.n, 10);
    assert_true(s.min == 1 && s.max == 100);
    assert_true(fabs(s.mean - 12.7) < 1e-9);
    assert_true(fabs(s.median - 3) < 1e-9);
    assert_true(fabs(s.mad - 1) < 1e-9);
    /* 100 is far outside; 5 and 1 (z = 1.35) are not outliers. */
    assert_int_equal(s.outliers, 1);
    /* n = 10: the 95% interval of the median is [x(2), x(9)] (1-based). */
    assert_true(s.ci_exact);
    assert_true(s.ci_lo == 2 && s.ci_hi == 5);
    /* The caller's order is untouched. */
    assert_true(x[0] == 5 && x[5] == 100);
    assert_int_equal(cr_stats_summarize(x, 0, &s), -EINVAL);
}

static void test_stats_median_ci_ranks(void **state)
{
    size_t lo, hi;

    (void)state;
    /* Below six samples no 95% interval exists. */
    assert_int_equal(cr_stats_median_ci_ranks(5, 0.95, &lo, &hi), -EINVAL);
    assert_int_equal(cr_stats_median_ci_ranks(6, 0.95, &lo, &hi), 0);
    assert_true(lo == 0 && hi == 5);
    /* Known table value: n = 20 gives ranks 6 and 15 (1-based). */
    assert_int_equal(cr_stats_median_ci_ranks(20, 0.95, &lo, &hi), 0);
    assert_true(lo == 5 && hi == 14);
}

static void test_stats_quantile(void **state)
{
    const double s[] = { 10, 20, 30, 40, 50 };

    (void)state;
    assert_true(cr_stats_quantile_sorted(s, 5, 0) == 10);
    assert_true(cr_stats_quantile_sorted(s, 5, 1) == 50);
    assert_true(fabs(cr_stats_quantile_sorted(s, 5, 0.95) - 48) < 1e-9);
    assert_true(cr_stats_quantile_sorted(s, 1, 0.5) == 10);
}

/* Puts, replaces, prefix keys and deletes that leave every other key
 * reachable (backward-shift deletion across wrapped probe runs). */
static void test_strmap(void **state)
{
    (void)state;
    enum { N = 2000 };
    static char keys[N][16];
    struct cr_strmap m;
    cr_strmap_init(&m);
    size_t v;
    assert_false(cr_strmap_get(&m, "x", 1, &v));
    for (size_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%zu=val", i);
        assert_int_equal(cr_strmap_put(&m, keys[i], strcspn(keys[i], "="), i),
                         0);
    }
    assert_int_equal(m.n, N);
    assert_true(cr_strmap_get(&m, "k1234", 5, &v));
    assert_int_equal(v, 1234);
    assert_false(cr_strmap_get(&m, "k1234=val", 9, NULL));
    assert_int_equal(cr_strmap_add(&m, "k7", 2, 99), 0);
    assert_true(cr_strmap_get(&m, "k7", 2, &v));
    assert_int_equal(v, 7);
    assert_int_equal(cr_strmap_put(&m, "k7", 2, 99), 0);
    assert_true(cr_strmap_get(&m, "k7", 2, &v));
    assert_int_equal(v, 99);
    for (size_t i = 0; i < N; i += 2)
        cr_strmap_del(&m, keys[i], strcspn(keys[i], "="));
    cr_strmap_del(&m, "absent", 6);
    assert_int_equal(m.n, N / 2);
    for (size_t i = 0; i < N; i++) {
        bool found = cr_strmap_get(&m, keys[i], strcspn(keys[i], "="), &v);
        assert_int_equal(found, i % 2 == 1);
        if (found && i != 7)
            assert_int_equal(v, i);
    }
    cr_strmap_clear(&m);
    assert_false(cr_strmap_get(&m, "k1", 2, NULL));
    cr_strmap_release(&m);
    assert_null(m.slots);
}

/* A message quoting input with a newline stays one line (the fuzz targets
 * found keys and commands that broke it). */
static void test_error_one_line(void **state)
{
    struct cr_error e = { 0 };
    char small[8] = "a\nbcdef";

    (void)state;
    cr_error_set(&e, 2, "f:1:1: unknown key \"%s\"", "a\nb\r\x01");
    assert_string_equal(e.msg, "f:1:1: unknown key \"a\\nb\\r\\x01\"");
    cr_error_set(&e, 2, "tab\tstays");
    assert_string_equal(e.msg, "tab\tstays");
    cr_error_one_line(small, sizeof(small));
    assert_string_equal(small, "a\\n"); /* cut to fit, still terminated */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_append_and_detach),
        cmocka_unit_test(test_buf_reset_keeps_memory),
        cmocka_unit_test(test_buf_overflow_is_refused),
        cmocka_unit_test(test_fs_atomic_roundtrip),
        cmocka_unit_test(test_clock_is_monotonic),
        cmocka_unit_test(test_stats_summary),
        cmocka_unit_test(test_stats_median_ci_ranks),
        cmocka_unit_test(test_stats_quantile),
        cmocka_unit_test(test_strmap),
        cmocka_unit_test(test_error_one_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
