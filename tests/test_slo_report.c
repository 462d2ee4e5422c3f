/*
 * Unit tests of slo's reports: the JSON export read with the keys
 * hyperfine's users read (every time in seconds), headroom and change, the
 * history reader, the TAP suite check and the SVG chart's elements.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cr_buf.h"
#include "slo.h"
#include "slo_chart.h"
#include "slo_history.h"
#include "slo_judge.h"
#include "slo_report.h"
#include "slo_tap.h"

static char *argv_true[] = { "true", NULL };

static struct slo_objective objective(enum slo_metric m)
{
    struct slo_objective o = { .name = "t",
                               .argv = argv_true,
                               .group = "seed",
                               .metric = m,
                               .stat = SLO_MEDIAN,
                               .target = 100,
                               .critical = 200,
                               .runs = 6 };
    return o;
}

/* Six runs of 10..60 ms wall time with 4..9 MB peak RSS, judged. */
static void six_runs(struct slo_result *r, const struct slo_objective *o,
                     struct slo_sample *s)
{
    memset(r, 0, sizeof(*r));
    for (size_t i = 0; i < 6; i++) {
        memset(&s[i], 0, sizeof(s[i]));
        s[i].wall_ms = 10.0 * (double)(i + 1);
        s[i].user_ms = 1;
        s[i].rss_mb = 4 + (double)i;
    }
    r->obj = o;
    r->samples = s;
    r->n = 6;
    slo_judge(r);
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static cJSON *first_result(const struct slo_result *r,
                           const struct slo_check *prev, cJSON **root)
{
    struct cr_buf b = { 0 };
    cJSON *res;

    assert_int_equal(slo_report_json(&b, r, 1, prev, 1), 0);
    *root = cJSON_Parse(cr_buf_str(&b));
    cr_buf_release(&b);
    assert_non_null(*root);
    res = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(*root, "results"),
                             0);
    assert_non_null(res);
    return res;
}

/*
 * hyperfine's keys are statistics of the wall times in seconds, even when
 * the objective judges memory; the metric's own figures are metric_ keys.
 */
static void test_json_times_in_seconds(void **state)
{
    struct slo_objective o = objective(SLO_RSS_MB);
    struct slo_sample s[6];
    struct slo_result r;
    cJSON *root, *j;

    (void)state;
    six_runs(&r, &o, s);
    j = first_result(&r, NULL, &root);
    assert_float_equal(num(j, "mean"), 0.035, 1e-12);
    assert_float_equal(num(j, "median"), 0.035, 1e-12);
    assert_float_equal(num(j, "min"), 0.010, 1e-12);
    assert_float_equal(num(j, "max"), 0.060, 1e-12);
    assert_float_equal(num(j, "stddev"), 0.0187082869, 1e-9);
    assert_float_equal(num(j, "user"), 0.001, 1e-12);
    assert_float_equal(num(j, "system"), 0, 1e-12);
    assert_float_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(j, "times"), 5)
            ->valuedouble,
        0.060, 1e-12);
    assert_float_equal(
        cJSON_GetArrayItem(
            cJSON_GetObjectItemCaseSensitive(j, "memory_usage_byte"), 0)
            ->valuedouble,
        4.0 * 1048576, 1e-6);
    /* The judged metric, in MB, under its own names. */
    assert_string_equal(
        cJSON_GetObjectItemCaseSensitive(j, "unit")->valuestring, "MB");
    assert_float_equal(num(j, "metric_value"), 6.5, 1e-12);
    assert_float_equal(num(j, "metric_target"), 100, 1e-12);
    assert_float_equal(num(j, "headroom_target"), 100 / 6.5, 1e-12);
    assert_null(cJSON_GetObjectItemCaseSensitive(j, "change"));
    cJSON_Delete(root);
}

/* The change since an earlier check; flagged only when the intervals do
 * not overlap. */
static void test_change(void **state)
{
    struct slo_objective o = objective(SLO_WALL_MS);
    struct slo_sample s[6];
    struct slo_result r;
    struct slo_past p = { .name = "t", .value = 25, .lo = 20, .hi = 30 };
    struct slo_check prev = { .obj = &p, .n = 1 };
    struct slo_change c;
    cJSON *root, *j, *ch;

    (void)state;
    six_runs(&r, &o, s);
    slo_report_change(&r, &prev, &c);
    assert_true(c.has);
    assert_float_equal(c.delta, 10, 1e-12);
    assert_float_equal(c.pct, 40, 1e-12);
    assert_false(c.significant); /* [10, 60] overlaps [20, 30] */
    p.lo = p.hi = p.value = 1;
    slo_report_change(&r, &prev, &c);
    assert_true(c.significant);
    j = first_result(&r, &prev, &root);
    ch = cJSON_GetObjectItemCaseSensitive(j, "change");
    assert_float_equal(num(ch, "metric_value"), 1, 1e-12);
    assert_float_equal(num(ch, "percent"), 3400, 1e-9);
    assert_true(
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(ch, "significant")));
    cJSON_Delete(root);
    p.name = "other";
    slo_report_change(&r, &prev, &c);
    assert_false(c.has);
}

static void test_headroom_in_table(void **state)
{
    struct slo_objective o = objective(SLO_WALL_MS);
    struct slo_sample s[6];
    struct slo_result r;
    struct cr_buf b = { 0 };

    (void)state;
    six_runs(&r, &o, s);
    assert_int_equal(slo_report_text(&b, &r, 1, NULL, 0), 0);
    /* 100 / 35 and 200 / 35; the group heads the table. */
    assert_non_null(strstr(cr_buf_str(&b), "seed objectives\n"));
    assert_non_null(strstr(cr_buf_str(&b), "2.86x / 5.71x"));
    assert_non_null(strstr(cr_buf_str(&b), "35.00 ms"));
    cr_buf_release(&b);
}

static char *write_tmp(const char *text)
{
    static char path[64];
    FILE *f;
    int fd;

    snprintf(path, sizeof(path), "/tmp/slo-hist-XXXXXX");
    fd = mkstemp(path);
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

/* Lines of the old format (value, ci_low, ci_high) and of the new one
 * (metric_ keys) are both read; a bad line is named. */
static void test_history(void **state)
{
    const char *text =
        "{\"timestamp_ms\":1,\"results\":[{\"name\":\"a\",\"value\":2,"
        "\"ci_low\":1,\"ci_high\":3,\"verdict\":\"PASS\"}]}\n"
        "\n"
        "{\"timestamp_ms\":2,\"results\":[{\"name\":\"a\",\"median\":0.5,"
        "\"metric_value\":5,\"metric_interval_low\":4,"
        "\"metric_interval_high\":6,\"verdict\":\"WARN\"}]}\n";
    struct slo_history h;
    struct cr_error err = { 0 };
    char *path = write_tmp(text);
    const struct slo_past *p;

    (void)state;
    assert_int_equal(slo_history_load(path, &h, &err), SLO_OK);
    assert_int_equal(h.n, 2);
    p = slo_check_find(&h.checks[0], "a");
    assert_float_equal(p->value, 2, 0);
    assert_float_equal(p->hi, 3, 0);
    p = slo_check_find(slo_history_last(&h), "a");
    assert_float_equal(p->value, 5, 0);
    assert_float_equal(p->lo, 4, 0);
    assert_string_equal(p->verdict, "WARN");
    slo_history_release(&h);
    unlink(path);

    path = write_tmp("{\"results\":[]}\nnot json\n");
    assert_int_equal(slo_history_load(path, &h, &err), SLO_E_CONFIG);
    assert_non_null(strstr(err.msg, ":2: not an slo report"));
    unlink(path);
    assert_int_equal(slo_history_load("/nonexistent/h.jsonl", &h, &err),
                     SLO_OK);
    assert_int_equal(h.n, 0);
    assert_int_equal(slo_history_load_report("/nonexistent/r.json", &h, &err),
                     SLO_E_IO);
}

static void test_tap(void **state)
{
    char why[128];
    const char ok[] = "TAP version 13\n1..2\nok 1 - a\nok 2 - b\n";
    const char bad[] = "1..3\nok 1\nnot ok 2\nok 3\n";

    (void)state;
    assert_int_equal(slo_tap_check(ok, strlen(ok), why, sizeof(why)), 0);
    assert_int_equal(slo_tap_check(bad, strlen(bad), why, sizeof(why)), -1);
    assert_string_equal(why, "1 of 3 tests failed");
    assert_int_equal(slo_tap_check("1..0\n", 5, why, sizeof(why)), -1);
    assert_string_equal(why, "the suite ran no tests (TAP plan 1..0)");
    assert_int_equal(slo_tap_check("ok 1\n", 5, why, sizeof(why)), -1);
    assert_string_equal(why, "no TAP plan (1..N) in the suite's output");
    assert_int_equal(slo_tap_check("1..2\nok 1\n", 10, why, sizeof(why)), -1);
    assert_string_equal(why, "1 of 2 planned tests reported");
}

/* The chart has each element the browser test looks for, and no script. */
static void test_chart_elements(void **state)
{
    struct slo_objective o = objective(SLO_WALL_MS);
    struct slo_sample s[6];
    struct slo_result r;
    struct slo_past p = { .name = "t", .value = 30, .lo = 20, .hi = 40 };
    struct slo_check c = { .obj = &p, .n = 1 };
    struct slo_history h = { .checks = &c, .n = 1 };
    struct cr_buf b = { 0 };
    const char *svg;

    (void)state;
    six_runs(&r, &o, s);
    assert_int_equal(slo_chart_svg(&b, &r, 1, &h, 10), 0);
    svg = cr_buf_str(&b);
    assert_non_null(strstr(svg, "<rect class=\"bar\""));
    assert_non_null(strstr(svg, "class=\"mark target\""));
    assert_non_null(strstr(svg, "class=\"mark critical\""));
    assert_non_null(strstr(svg, "class=\"whisker\""));
    assert_non_null(strstr(svg, "<polyline class=\"trend\""));
    assert_non_null(strstr(svg, "2 checks: 30 to 35 ms"));
    assert_null(strstr(svg, "<script"));
    cr_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_times_in_seconds),
        cmocka_unit_test(test_change),
        cmocka_unit_test(test_headroom_in_table),
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_tap),
        cmocka_unit_test(test_chart_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
