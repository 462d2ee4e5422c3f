/* Unit tests of bench's statistics and format: the Mann-Whitney U test
 * (cr_stats), the Go benchmark format reader (bench_gofmt) and the
 * verdicts of bench_compare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench_compare.h"
#include "bench_gofmt.h"
#include "cr_stats.h"

static void test_utest_exact_smallest_p(void **state)
{
    double a[] = { 1, 2, 3, 4 }, b[] = { 5, 6, 7, 8 }, p;
    (void)state;
    /* Completely separated: 2 / C(8, 4) = 2 / 70. */
    assert_int_equal(cr_stats_mann_whitney(a, 4, b, 4, &p), 0);
    assert_true(fabs(p - 2.0 / 70) < 1e-12);
    assert_int_equal(cr_stats_mann_whitney(b, 4, a, 4, &p), 0);
    assert_true(fabs(p - 2.0 / 70) < 1e-12);
    /* 3 + 3 can never reach 0.05: 2 / C(6, 3) = 0.1. */
    assert_int_equal(cr_stats_mann_whitney(a, 3, b, 3, &p), 0);
    assert_true(fabs(p - 0.1) < 1e-12);
}

static void test_utest_identical_and_ties(void **state)
{
    double a[] = { 5, 5, 5, 5, 5, 5 }, p;
    double x[] = { 1, 2, 2, 3 }, y[] = { 2, 3, 3, 4 };
    (void)state;
    assert_int_equal(cr_stats_mann_whitney(a, 6, a, 6, &p), 0);
    assert_true(p == 1.0);
    /* Interleaved with ties: clearly not significant, and a probability. */
    assert_int_equal(cr_stats_mann_whitney(x, 4, y, 4, &p), 0);
    assert_true(p > 0.05 && p <= 1.0);
    assert_int_equal(cr_stats_mann_whitney(x, 0, y, 4, &p), -EINVAL);
}

static void test_utest_exact_known_value(void **state)
{
    /* x = {1, 3, 5}, y = {2, 4, 6, 7}: rank sum of x = 9, the minimum is 6;
     * P(W <= 9) over the 35 subsets of size 3 of 1..7 = 7/35 (sums 6, 7,
     * 8, 8, 9, 9, 9), two-sided 0.4. */
    double x[] = { 1, 3, 5 }, y[] = { 2, 4, 6, 7 }, p;
    (void)state;
    assert_int_equal(cr_stats_mann_whitney(x, 3, y, 4, &p), 0);
    assert_true(fabs(p - 0.4) < 1e-12);
}

static void test_utest_normal_approximation(void **state)
{
    double x[40], y[40], p;
    (void)state;
    for (int i = 0; i < 40; i++) {
        x[i] = i;
        y[i] = i + 20; /* half overlapping */
    }
    assert_int_equal(cr_stats_mann_whitney(x, 40, y, 40, &p), 0);
    assert_true(p < 0.001);
    for (int i = 0; i < 40; i++)
        y[i] = i + 0.5;
    assert_int_equal(cr_stats_mann_whitney(x, 40, y, 40, &p), 0);
    assert_true(p > 0.5);
}

static int kind_of(const char *line, enum bench_line_kind *k)
{
    struct cr_error err;
    return bench_gofmt_classify(line, strlen(line), k, &err);
}

static void test_gofmt_lines(void **state)
{
    enum bench_line_kind k;
    (void)state;
    assert_int_equal(kind_of("", &k), 0);
    assert_int_equal(k, BENCH_LINE_BLANK);
    assert_int_equal(kind_of("goos: linux", &k), 0);
    assert_int_equal(k, BENCH_LINE_CONFIG);
    assert_int_equal(kind_of("cpu: AMD EPYC 7B13", &k), 0);
    assert_int_equal(k, BENCH_LINE_CONFIG);
    assert_int_equal(kind_of("Goos: linux", &k), 0); /* uppercase key */
    assert_int_equal(k, BENCH_LINE_OTHER);
    assert_int_equal(kind_of("a key: value", &k), 0); /* space in key */
    assert_int_equal(k, BENCH_LINE_OTHER);
    assert_int_equal(kind_of("BenchmarkA/b=1-2\t10\t5.5 ns/op\t3 B/op", &k), 0);
    assert_int_equal(k, BENCH_LINE_RESULT);
    assert_int_equal(kind_of("Benchmarking is fun", &k), 0); /* not ours */
    assert_int_equal(k, BENCH_LINE_OTHER);
    assert_int_equal(kind_of("BenchmarkA-2\t10", &k), -1);
    assert_int_equal(kind_of("BenchmarkA-2\tten\t5 ns/op", &k), -1);
    assert_int_equal(kind_of("BenchmarkA-2\t10\t5 ns/op\t7", &k), -1);
    assert_int_equal(kind_of("BenchmarkA-2\t10\tfast ns/op", &k), -1);
}

static const char sample[] =
    "gate: on\npkg: x\nBenchmarkA-2 10 100 ns/op 8 B/op\n"
    "BenchmarkA-2 10 110 ns/op 8 B/op\n# comment\n"
    "gate: off\nBenchmarkE-2 1 5 ns/op\n";

static void test_gofmt_parse(void **state)
{
    struct bench_data d = { 0 };
    struct cr_error err;
    (void)state;
    assert_int_equal(
        bench_gofmt_parse(sample, strlen(sample), "s.txt", &d, &err), BENCH_OK);
    assert_int_equal(d.n, 3);
    const struct bench_series *a = bench_data_find(&d, "A-2", "ns/op");
    assert_non_null(a);
    assert_int_equal(a->n, 2);
    assert_true(a->gate);
    assert_true(a->v[1] == 110);
    const struct bench_series *e = bench_data_find(&d, "E-2", "ns/op");
    assert_non_null(e);
    assert_false(e->gate);
    bench_data_release(&d);
    assert_int_equal(
        bench_gofmt_parse("x\nBenchmarkA-2 1\n", 16, "bad.txt", &d, &err),
        BENCH_E_INPUT);
    assert_non_null(strstr(err.msg, "bad.txt:2:"));
    bench_data_release(&d);
}

/* Six samples of A around base (± 0.4 %), as a Go-format text. */
static void six(char *buf, size_t cap, double base)
{
    static const double wiggle[] = { -0.004, 0.001, 0.003, -0.002, 0.0, 0.004 };
    size_t at = 0;
    for (int i = 0; i < 6; i++)
        at +=
            (size_t)snprintf(buf + at, cap - at, "BenchmarkA-2 1 %.2f ns/op\n",
                             base * (1 + wiggle[i]));
}

static enum bench_class class_for(double base, double now, bool *failed)
{
    char a[512], b[512];
    struct bench_data da = { 0 }, db = { 0 };
    struct bench_comparison c;
    struct bench_compare_opts o = {
        .alpha = 0.05, .minor = 5, .moderate = 20, .major = 50
    };
    six(a, sizeof(a), base);
    six(b, sizeof(b), now);
    assert_int_equal(bench_gofmt_parse(a, strlen(a), "a", &da, NULL), 0);
    assert_int_equal(bench_gofmt_parse(b, strlen(b), "b", &db, NULL), 0);
    assert_int_equal(bench_compare(&da, &db, &o, &c, NULL), BENCH_OK);
    assert_int_equal(c.n, 1);
    enum bench_class cls = c.rows[0].cls;
    *failed = c.failed;
    bench_comparison_release(&c);
    bench_data_release(&da);
    bench_data_release(&db);
    return cls;
}

static void test_compare_classes(void **state)
{
    bool failed;
    (void)state;
    assert_int_equal(class_for(100, 100, &failed), BENCH_CLASS_NONE);
    assert_false(failed);
    assert_int_equal(class_for(100, 103, &failed), BENCH_CLASS_NOISE);
    assert_false(failed);
    assert_int_equal(class_for(100, 110, &failed), BENCH_CLASS_MINOR);
    assert_false(failed);
    assert_int_equal(class_for(100, 130, &failed), BENCH_CLASS_MODERATE);
    assert_true(failed);
    assert_int_equal(class_for(100, 200, &failed), BENCH_CLASS_MAJOR);
    assert_true(failed);
    assert_int_equal(class_for(100, 50, &failed), BENCH_CLASS_IMPROVED);
    assert_false(failed);
}

/* Six results of A with the given wall and CPU time per operation. */
static void six_cpu(char *buf, size_t cap, double wall, double cpu)
{
    static const double wiggle[] = { -0.004, 0.001, 0.003, -0.002, 0.0, 0.004 };
    size_t at = 0;
    for (int i = 0; i < 6; i++)
        at += (size_t)snprintf(buf + at, cap - at,
                               "BenchmarkA-2 1 %.2f ns/op %.2f cpu-ns/op\n",
                               wall * (1 + wiggle[i]), cpu * (1 + wiggle[i]));
}

static bool fails(double wall, double cpu, bool wall_time)
{
    char a[1024], b[1024];
    struct bench_data da = { 0 }, db = { 0 };
    struct bench_comparison c;
    struct bench_compare_opts o = { .alpha = 0.05,
                                    .minor = 5,
                                    .moderate = 20,
                                    .major = 50,
                                    .wall_time = wall_time };
    six_cpu(a, sizeof(a), 100, 100);
    six_cpu(b, sizeof(b), wall, cpu);
    assert_int_equal(bench_gofmt_parse(a, strlen(a), "a", &da, NULL), 0);
    assert_int_equal(bench_gofmt_parse(b, strlen(b), "b", &db, NULL), 0);
    assert_int_equal(bench_compare(&da, &db, &o, &c, NULL), BENCH_OK);
    bool failed = c.failed;
    bench_comparison_release(&c);
    bench_data_release(&da);
    bench_data_release(&db);
    return failed;
}

/* Where CPU time is recorded it gates, not wall time: a busy machine
 * (wall doubled, CPU the same) passes; more CPU fails; --time wall
 * restores the wall-clock gate. */
static void test_compare_cpu_time_gates(void **state)
{
    (void)state;
    assert_false(fails(200, 100, false));
    assert_true(fails(200, 200, false));
    assert_true(fails(100, 200, false));
    assert_true(fails(200, 100, true));
}

/* A shift of the medians (+36 %) inside wide noise is not a regression:
 * the class goes by the least the change can be (here below zero). */
static void test_compare_noise_is_not_regression(void **state)
{
    static const char a[] =
        "BenchmarkA-2 1 70 ns/op\nBenchmarkA-2 1 75 ns/op\n"
        "BenchmarkA-2 1 80 ns/op\nBenchmarkA-2 1 85 ns/op\n"
        "BenchmarkA-2 1 90 ns/op\nBenchmarkA-2 1 125 ns/op\n";
    static const char b[] =
        "BenchmarkA-2 1 100 ns/op\nBenchmarkA-2 1 105 ns/op\n"
        "BenchmarkA-2 1 110 ns/op\nBenchmarkA-2 1 115 ns/op\n"
        "BenchmarkA-2 1 120 ns/op\nBenchmarkA-2 1 130 ns/op\n";
    struct bench_data da = { 0 }, db = { 0 };
    struct bench_comparison c;
    struct bench_compare_opts o = {
        .alpha = 0.05, .minor = 5, .moderate = 20, .major = 50
    };
    (void)state;
    assert_int_equal(bench_gofmt_parse(a, strlen(a), "a", &da, NULL), 0);
    assert_int_equal(bench_gofmt_parse(b, strlen(b), "b", &db, NULL), 0);
    assert_int_equal(bench_compare(&da, &db, &o, &c, NULL), BENCH_OK);
    assert_true(c.rows[0].delta > 30);
    assert_true(c.rows[0].worse < 0);
    assert_true(c.rows[0].cls <= BENCH_CLASS_NOISE);
    assert_false(c.failed);
    bench_comparison_release(&c);
    bench_data_release(&da);
    bench_data_release(&db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utest_exact_smallest_p),
        cmocka_unit_test(test_utest_identical_and_ties),
        cmocka_unit_test(test_utest_exact_known_value),
        cmocka_unit_test(test_utest_normal_approximation),
        cmocka_unit_test(test_gofmt_lines),
        cmocka_unit_test(test_gofmt_parse),
        cmocka_unit_test(test_compare_classes),
        cmocka_unit_test(test_compare_cpu_time_gates),
        cmocka_unit_test(test_compare_noise_is_not_regression),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
