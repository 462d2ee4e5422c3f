/* slo: reports of results (terminal, JSON, Markdown). See slo_report.h. */
#include "slo_report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "slo_config.h"
#include "slo_judge.h"

static const char *unit_of(enum slo_metric m)
{
    return m == SLO_RSS_MB ? "MB" : "ms";
}

/* ANSI colour of a verdict, or "" when colour is off. */
static const char *colour(enum slo_verdict v, int on)
{
    static const char *const c[] = { "\033[32m", "\033[33m", "\033[33m",
                                     "\033[31m", "\033[31m" };
    return on ? c[v] : "";
}

int slo_report_text(struct cr_buf *b, const struct slo_result *r, size_t n,
                    int use_colour)
{
    const char *reset = use_colour ? "\033[0m" : "";
    int rc = 0;

    rc |= cr_buf_printf(b, "%-22s %-12s %-7s %12s %21s %9s %9s  %s\n",
                        "objective", "metric", "stat", "value",
                        "95% CI of median", "target", "critical", "verdict");
    for (size_t i = 0; i < n; i++) {
        const struct slo_objective *o = r[i].obj;
        const char *u = unit_of(o->metric);
        char ci[64] = "-", val[32] = "-";

        if (r[i].n) {
            snprintf(val, sizeof(val), "%.2f %s", r[i].value, u);
            snprintf(ci, sizeof(ci), "[%.2f, %.2f]%s", r[i].sum.ci_lo,
                     r[i].sum.ci_hi, r[i].sum.ci_exact ? "" : "*");
        }
        rc |= cr_buf_printf(
            b, "%-22s %-12s %-7s %12s %21s %9.2f %9.2f  %s%s%s\n", o->name,
            slo_metric_name(o->metric), slo_stat_name(o->stat), val, ci,
            o->target, o->critical, colour(r[i].verdict, use_colour),
            slo_verdict_name(r[i].verdict), reset);
        if (r[i].n)
            rc |= cr_buf_printf(b,
                                "%-22s n=%zu  min %.2f  p95 %.2f  max %.2f  "
                                "mean %.2f ± %.2f  outliers %zu\n",
                                "", r[i].n, r[i].sum.min, r[i].sum.p95,
                                r[i].sum.max, r[i].sum.mean, r[i].sum.stddev,
                                r[i].sum.outliers);
        if (r[i].note[0])
            rc |= cr_buf_printf(b, "%-22s note: %s\n", "", r[i].note);
    }
    for (size_t i = 0; i < n; i++) {
        if (r[i].n && !r[i].sum.ci_exact) {
            rc |= cr_buf_puts(b, "(* fewer than 6 runs: the interval is "
                                 "[min, max], not a 95% CI)\n");
            break;
        }
    }
    return rc ? -1 : 0;
}

static cJSON *argv_json(char *const *argv)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; a && argv && argv[i]; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(argv[i]));
    return a;
}

/* Joins argv with spaces, as hyperfine's "command" field shows it. */
static void join_argv(char *const *argv, char *out, size_t cap)
{
    size_t len = 0;

    out[0] = '\0';
    for (size_t i = 0; argv[i] && len < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "",
                                argv[i]);
}

/*
 * One entry in hyperfine's export shape (times in seconds), plus the
 * objective's own fields.
 */
static cJSON *result_json(const struct slo_result *r)
{
    const struct slo_objective *o = r->obj;
    cJSON *j = cJSON_CreateObject(), *times, *mem, *codes;
    double mean = 0, user = 0, sys = 0;
    char cmd[1024];

    if (!j)
        return NULL;
    join_argv(o->argv, cmd, sizeof(cmd));
    times = cJSON_CreateArray();
    mem = cJSON_CreateArray();
    codes = cJSON_CreateArray();
    for (size_t i = 0; i < r->n; i++) {
        const struct slo_sample *s = &r->samples[i];
        cJSON_AddItemToArray(times, cJSON_CreateNumber(s->wall_ms / 1e3));
        cJSON_AddItemToArray(mem,
                             cJSON_CreateNumber(floor(s->rss_mb * 1048576)));
        cJSON_AddItemToArray(codes, cJSON_CreateNumber(s->exit_code));
        mean += s->wall_ms;
        user += s->user_ms;
        sys += s->sys_ms;
    }
    if (r->n) {
        mean /= (double)r->n;
        user /= (double)r->n;
        sys /= (double)r->n;
    }
    cJSON_AddStringToObject(j, "name", o->name);
    cJSON_AddStringToObject(j, "command", cmd);
    cJSON_AddItemToObject(j, "argv", argv_json(o->argv));
    cJSON_AddNumberToObject(j, "mean", mean / 1e3);
    cJSON_AddNumberToObject(j, "user", user / 1e3);
    cJSON_AddNumberToObject(j, "system", sys / 1e3);
    cJSON_AddItemToObject(j, "times", times);
    cJSON_AddItemToObject(j, "memory_usage_byte", mem);
    cJSON_AddItemToObject(j, "exit_codes", codes);
    cJSON_AddStringToObject(j, "metric", slo_metric_name(o->metric));
    cJSON_AddStringToObject(j, "statistic", slo_stat_name(o->stat));
    cJSON_AddNumberToObject(j, "value", r->value);
    cJSON_AddNumberToObject(j, "median", r->sum.median);
    cJSON_AddNumberToObject(j, "p95", r->sum.p95);
    cJSON_AddNumberToObject(j, "min", r->sum.min);
    cJSON_AddNumberToObject(j, "max", r->sum.max);
    cJSON_AddNumberToObject(j, "stddev", r->sum.stddev);
    cJSON_AddNumberToObject(j, "ci_low", r->sum.ci_lo);
    cJSON_AddNumberToObject(j, "ci_high", r->sum.ci_hi);
    cJSON_AddBoolToObject(j, "ci_exact", r->sum.ci_exact);
    cJSON_AddNumberToObject(j, "outliers", (double)r->sum.outliers);
    cJSON_AddNumberToObject(j, "target", o->target);
    cJSON_AddNumberToObject(j, "critical", o->critical);
    cJSON_AddStringToObject(j, "verdict", slo_verdict_name(r->verdict));
    cJSON_AddStringToObject(j, "note", r->note);
    return j;
}

int slo_report_json(struct cr_buf *b, const struct slo_result *r, size_t n,
                    uint64_t timestamp_ms)
{
    cJSON *root = cJSON_CreateObject(), *arr;
    char *s;
    int rc;

    if (!root)
        return -1;
    cJSON_AddNumberToObject(root, "version", 1);
    cJSON_AddNumberToObject(root, "timestamp_ms", (double)timestamp_ms);
    arr = cJSON_AddArrayToObject(root, "results");
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(arr, result_json(&r[i]));
    s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!s)
        return -1;
    rc = cr_buf_puts(b, s) || cr_buf_putc(b, '\n');
    cJSON_free(s);
    return rc ? -1 : 0;
}

int slo_report_markdown(struct cr_buf *b, const struct slo_result *r, size_t n)
{
    int rc = 0;

    rc |= cr_buf_puts(b, "| Objective | Metric | Value | 95% CI (median) "
                         "| Target | Critical | Verdict |\n"
                         "|:---|:---|---:|---:|---:|---:|:---|\n");
    for (size_t i = 0; i < n; i++) {
        const struct slo_objective *o = r[i].obj;
        rc |= cr_buf_printf(
            b,
            "| `%s` | %s %s | %.2f | %.2f – %.2f%s | %.2f | %.2f | **%s** |\n",
            o->name, slo_stat_name(o->stat), slo_metric_name(o->metric),
            r[i].value, r[i].sum.ci_lo, r[i].sum.ci_hi,
            r[i].sum.ci_exact ? "" : "\\*", o->target, o->critical,
            slo_verdict_name(r[i].verdict));
    }
    return rc ? -1 : 0;
}
