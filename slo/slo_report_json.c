/*
 * slo: the JSON report, shaped like hyperfine's export. See slo_report.h.
 * The hyperfine keys are statistics of the wall times in seconds, whatever
 * the objective judges; the objective's own figures are the metric_ keys.
 */
#include "slo_report.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "cr_alloc.h"
#include "slo_config.h"
#include "slo_probe.h"

/* Adds item (NULL when its creation failed) to an array, or to an object
 * under key. On failure item is freed and *ok cleared: every add can run
 * out of memory (cJSON copies keys), and a report missing a member must
 * not pass for a whole one. */
static void add(cJSON *to, const char *key, cJSON *item, bool *ok)
{
    bool added = item != NULL && (key ? cJSON_AddItemToObject(to, key, item)
                                      : cJSON_AddItemToArray(to, item));

    if (!added) {
        cJSON_Delete(item);
        *ok = false;
    }
}

static void add_num(cJSON *to, const char *key, double v, bool *ok)
{
    add(to, key, cJSON_CreateNumber(v), ok);
}

static cJSON *argv_json(char *const *argv, bool *ok)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; a && argv && argv[i]; i++)
        add(a, NULL, cJSON_CreateString(argv[i]), ok);
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

/* The per-run arrays: times (s), memory (bytes), exit codes. */
static void runs_json(cJSON *j, const struct slo_result *r, bool *ok)
{
    cJSON *times = cJSON_CreateArray(), *mem = cJSON_CreateArray();
    cJSON *codes = cJSON_CreateArray(), *mv = cJSON_CreateArray();

    for (size_t i = 0; i < r->n; i++) {
        const struct slo_sample *s = &r->samples[i];
        if (times)
            add_num(times, NULL, s->wall_ms / 1e3, ok);
        if (mem)
            add_num(mem, NULL, floor(s->rss_mb * 1048576), ok);
        if (codes)
            add_num(codes, NULL, s->exit_code, ok);
        if (mv)
            add_num(mv, NULL, slo_sample_metric(s, r->obj->metric), ok);
    }
    add(j, "times", times, ok);
    add(j, "memory_usage_byte", mem, ok);
    add(j, "exit_codes", codes, ok);
    add(j, "metric_values", mv, ok);
}

/* hyperfine's keys: statistics of the wall times, in seconds. */
static void hyperfine_json(cJSON *j, const struct slo_result *r, bool *ok)
{
    double user = 0, sys = 0;

    for (size_t i = 0; i < r->n; i++) {
        user += r->samples[i].user_ms;
        sys += r->samples[i].sys_ms;
    }
    if (r->n) {
        user /= (double)r->n;
        sys /= (double)r->n;
    }
    add_num(j, "mean", r->wall.mean / 1e3, ok);
    add_num(j, "stddev", r->wall.stddev / 1e3, ok);
    add_num(j, "median", r->wall.median / 1e3, ok);
    add_num(j, "user", user / 1e3, ok);
    add_num(j, "system", sys / 1e3, ok);
    add_num(j, "min", r->wall.min / 1e3, ok);
    add_num(j, "max", r->wall.max / 1e3, ok);
    add_num(j, "p95", r->wall.p95 / 1e3, ok);
    runs_json(j, r, ok);
}

/* The objective's own figures, in its metric's unit ("unit"). */
static void metric_json(cJSON *j, const struct slo_result *r, bool *ok)
{
    const struct slo_objective *o = r->obj;
    double lo, hi;

    slo_result_interval(r, &lo, &hi);
    add(j, "metric", cJSON_CreateString(slo_metric_name(o->metric)), ok);
    add(j, "unit", cJSON_CreateString(slo_metric_unit(o->metric)), ok);
    add(j, "statistic", cJSON_CreateString(slo_stat_name(o->stat)), ok);
    add_num(j, "metric_value", r->value, ok);
    add_num(j, "metric_median", r->sum.median, ok);
    add_num(j, "metric_mean", r->sum.mean, ok);
    add_num(j, "metric_stddev", r->sum.stddev, ok);
    add_num(j, "metric_min", r->sum.min, ok);
    add_num(j, "metric_max", r->sum.max, ok);
    add_num(j, "metric_p95", r->sum.p95, ok);
    add_num(j, "metric_ci_low", r->sum.ci_lo, ok);
    add_num(j, "metric_ci_high", r->sum.ci_hi, ok);
    add(j, "ci_exact", cJSON_CreateBool(r->sum.ci_exact), ok);
    add_num(j, "metric_interval_low", lo, ok);
    add_num(j, "metric_interval_high", hi, ok);
    add_num(j, "outliers", (double)r->sum.outliers, ok);
    add_num(j, "metric_target", o->target, ok);
    add_num(j, "metric_critical", o->critical, ok);
    add_num(j, "headroom_target", slo_headroom(r, o->target), ok);
    add_num(j, "headroom_critical", slo_headroom(r, o->critical), ok);
}

/* Container probe runs: each phase's time of every run, in seconds. */
static void phases_json(cJSON *j, const struct slo_result *r, bool *ok)
{
    cJSON *ph;

    if (r->obj->probe != SLO_PROBE_CONTAINER)
        return;
    ph = cJSON_CreateObject();
    for (int p = 0; ph && p < SLO_NPHASES; p++) {
        cJSON *a = cJSON_CreateArray();
        for (size_t i = 0; a && i < r->n; i++)
            add_num(a, NULL, r->samples[i].phase_ms[p] / 1e3, ok);
        add(ph, slo_phase_name((enum slo_phase)p), a, ok);
    }
    add(j, "phase_times", ph, ok);
}

static void change_json(cJSON *j, const struct slo_result *r,
                        const struct slo_check *prev, bool *ok)
{
    struct slo_change c;
    cJSON *o;

    slo_report_change(r, prev, &c);
    if (!c.has)
        return;
    o = cJSON_CreateObject();
    if (o) {
        add_num(o, "metric_value", c.prev, ok);
        add_num(o, "metric_delta", c.delta, ok);
        add_num(o, "percent", c.pct, ok);
        add(o, "significant", cJSON_CreateBool(c.significant), ok);
    }
    add(j, "change", o, ok);
}

static cJSON *result_json(const struct slo_result *r,
                          const struct slo_check *prev, bool *ok)
{
    const struct slo_objective *o = r->obj;
    cJSON *j = cJSON_CreateObject();
    char cmd[1024];

    if (!j)
        return NULL;
    join_argv(o->argv, cmd, sizeof(cmd));
    add(j, "command", cJSON_CreateString(cmd), ok);
    add(j, "name", cJSON_CreateString(o->name), ok);
    add(j, "group", cJSON_CreateString(o->group), ok);
    add(j, "argv", argv_json(o->argv, ok), ok);
    hyperfine_json(j, r, ok);
    metric_json(j, r, ok);
    phases_json(j, r, ok);
    add(j, "verdict", cJSON_CreateString(slo_verdict_name(r->verdict)), ok);
    add(j, "note", cJSON_CreateString(r->note), ok);
    change_json(j, r, prev, ok);
    return j;
}

int slo_report_json(struct cr_buf *b, const struct slo_result *r, size_t n,
                    const struct slo_check *prev, uint64_t timestamp_ms)
{
    cJSON *root = cJSON_CreateObject(), *arr;
    char *s = NULL;
    bool ok = true;
    int rc;

    if (!root)
        return -1;
    add_num(root, "version", 2, &ok);
    add_num(root, "timestamp_ms", (double)timestamp_ms, &ok);
    arr = cJSON_AddArrayToObject(root, "results");
    ok = ok && arr;
    for (size_t i = 0; ok && i < n; i++)
        add(arr, NULL, result_json(&r[i], prev, &ok), &ok);
    if (ok)
        s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!s)
        return -1;
    rc = cr_buf_puts(b, s) || cr_buf_putc(b, '\n');
    cJSON_free(s);
    return rc ? -1 : 0;
}
