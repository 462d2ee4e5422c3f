/* Unit tests of slo's verdict rules and sample metrics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "slo.h"

static struct slo_objective obj(enum slo_stat st, double target,
                                double critical)
{
    static char *argv[] = { "true", NULL };
    struct slo_objective o = { .name = "t",
                               .argv = argv,
                               .stat = st,
                               .target = target,
                               .critical = critical,
                               .runs = 10 };
    return o;
}

/* Judges walls[] (ms) against o. */
static enum slo_verdict judge(const struct slo_objective *o,
                              const double *walls, size_t n)
{
    struct slo_sample s[32];
    struct slo_result r = { .obj = o, .samples = s, .n = n };

    memset(s, 0, sizeof(s));
    for (size_t i = 0; i < n; i++)
        s[i].wall_ms = walls[i];
    slo_judge(&r);
    return r.verdict;
}

static void test_verdicts(void **state)
{
    const double tight[] = { 10, 10, 11, 10, 9, 10, 10, 11, 10, 9 };
    const double noisy[] = { 5, 5, 5, 5, 5, 5, 5, 30, 30, 30 };
    struct slo_objective o = obj(SLO_MEDIAN, 20, 40);

    (void)state;
    assert_int_equal(judge(&o, tight, 10), SLO_PASS);
    /* Median 5 meets 20, but the interval's upper end (30) does not. */
    assert_int_equal(judge(&o, noisy, 10), SLO_INCONCLUSIVE);
    o.target = 5;
    o.critical = 9.5;
    assert_int_equal(judge(&o, tight, 10), SLO_FAIL);
    o.critical = 10.5;
    assert_int_equal(judge(&o, tight, 10), SLO_WARN);
    /* Fewer than 6 runs: [min, max] stands in, so 3 runs can pass only
     * when every run is under the target. */
    o = obj(SLO_MEDIAN, 12, 40);
    assert_int_equal(judge(&o, tight, 3), SLO_PASS);
    o.target = 10.5;
    assert_int_equal(judge(&o, tight, 3), SLO_INCONCLUSIVE);
}

static void test_other_statistics(void **state)
{
    const double x[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 100 };
    struct slo_objective o = obj(SLO_MAX, 50, 200);

    (void)state;
    assert_int_equal(judge(&o, x, 10), SLO_WARN);
    o.stat = SLO_P95;
    o.target = 60; /* p95 = 9 + 0.55 * 91 = 59.05 */
    assert_int_equal(judge(&o, x, 10), SLO_PASS);
    o.stat = SLO_MEAN;
    o.target = 14;
    o.critical = 14.4; /* mean 14.5 */
    assert_int_equal(judge(&o, x, 10), SLO_FAIL);
}

static void test_no_runs_is_an_error(void **state)
{
    struct slo_objective o = obj(SLO_MEDIAN, 1, 2);

    (void)state;
    assert_int_equal(judge(&o, NULL, 0), SLO_ERROR);
}

static void test_metrics(void **state)
{
    struct slo_sample s = {
        .wall_ms = 5, .user_ms = 2, .sys_ms = 1, .rss_mb = 3.5
    };

    (void)state;
    assert_true(slo_sample_metric(&s, SLO_WALL_MS) == 5);
    assert_true(slo_sample_metric(&s, SLO_CPU_MS) == 3);
    assert_true(slo_sample_metric(&s, SLO_RSS_MB) == 3.5);
    assert_string_equal(slo_verdict_name(SLO_INCONCLUSIVE), "INCONCLUSIVE");
    assert_int_equal(slo_exit_status(SLO_E_CONFIG), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verdicts),
        cmocka_unit_test(test_other_statistics),
        cmocka_unit_test(test_no_runs_is_an_error),
        cmocka_unit_test(test_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
