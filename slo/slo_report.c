/* slo: reports of results (terminal, JSON, Markdown). See slo_report.h. */
#include "slo_report.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cr_alloc.h"
#include "cr_fs.h"
#include "slo_config.h"
#include "slo_judge.h"

static const char *unit_of(enum slo_metric m)
{
    if (m == SLO_RSS_MB || m == SLO_PEAK_HEAP_MB)
        return "MB";
    return m == SLO_LEAKED_KB ? "KB" : "ms";
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

/*
 * One entry in hyperfine's export shape (times in seconds), plus the
 * objective's own fields.
 */
static cJSON *result_json(const struct slo_result *r, bool *ok)
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
        if (times)
            add(times, NULL, cJSON_CreateNumber(s->wall_ms / 1e3), ok);
        if (mem)
            add(mem, NULL, cJSON_CreateNumber(floor(s->rss_mb * 1048576)), ok);
        if (codes)
            add(codes, NULL, cJSON_CreateNumber(s->exit_code), ok);
        mean += s->wall_ms;
        user += s->user_ms;
        sys += s->sys_ms;
    }
    if (r->n) {
        mean /= (double)r->n;
        user /= (double)r->n;
        sys /= (double)r->n;
    }
    add(j, "name", cJSON_CreateString(o->name), ok);
    add(j, "command", cJSON_CreateString(cmd), ok);
    add(j, "argv", argv_json(o->argv, ok), ok);
    add(j, "mean", cJSON_CreateNumber(mean / 1e3), ok);
    add(j, "user", cJSON_CreateNumber(user / 1e3), ok);
    add(j, "system", cJSON_CreateNumber(sys / 1e3), ok);
    add(j, "times", times, ok);
    add(j, "memory_usage_byte", mem, ok);
    add(j, "exit_codes", codes, ok);
    add(j, "metric", cJSON_CreateString(slo_metric_name(o->metric)), ok);
    add(j, "statistic", cJSON_CreateString(slo_stat_name(o->stat)), ok);
    add(j, "value", cJSON_CreateNumber(r->value), ok);
    add(j, "median", cJSON_CreateNumber(r->sum.median), ok);
    add(j, "p95", cJSON_CreateNumber(r->sum.p95), ok);
    add(j, "min", cJSON_CreateNumber(r->sum.min), ok);
    add(j, "max", cJSON_CreateNumber(r->sum.max), ok);
    add(j, "stddev", cJSON_CreateNumber(r->sum.stddev), ok);
    add(j, "ci_low", cJSON_CreateNumber(r->sum.ci_lo), ok);
    add(j, "ci_high", cJSON_CreateNumber(r->sum.ci_hi), ok);
    add(j, "ci_exact", cJSON_CreateBool(r->sum.ci_exact), ok);
    add(j, "outliers", cJSON_CreateNumber((double)r->sum.outliers), ok);
    add(j, "target", cJSON_CreateNumber(o->target), ok);
    add(j, "critical", cJSON_CreateNumber(o->critical), ok);
    add(j, "verdict", cJSON_CreateString(slo_verdict_name(r->verdict)), ok);
    add(j, "note", cJSON_CreateString(r->note), ok);
    return j;
}

int slo_report_json(struct cr_buf *b, const struct slo_result *r, size_t n,
                    uint64_t timestamp_ms)
{
    cJSON *root = cJSON_CreateObject(), *arr;
    char *s = NULL;
    bool ok = true;
    int rc;

    if (!root)
        return -1;
    add(root, "version", cJSON_CreateNumber(1), &ok);
    add(root, "timestamp_ms", cJSON_CreateNumber((double)timestamp_ms), &ok);
    arr = cJSON_AddArrayToObject(root, "results");
    ok = ok && arr;
    for (size_t i = 0; ok && i < n; i++)
        add(arr, NULL, result_json(&r[i], &ok), &ok);
    if (ok)
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

/* The code for a failed file operation that returned -errno. */
static enum slo_code io_code(int rc)
{
    return rc == -ENOMEM ? SLO_E_NOMEM : SLO_E_IO;
}

enum slo_code slo_report_write(const char *path, const struct cr_buf *b,
                               struct cr_error *err)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    int rc;

    if (slash && slash != path && (size_t)(slash - path) < sizeof(dir)) {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
        if ((rc = cr_fs_mkdirs(dir)) != 0)
            return slo_error_set(err, io_code(rc), "cannot create %s: %s", dir,
                                 strerror(-rc));
    }
    if ((rc = cr_fs_write_atomic(path, cr_buf_str(b), b->len, 0644)) != 0)
        return slo_error_set(err, io_code(rc), "cannot write %s: %s", path,
                             strerror(-rc));
    return SLO_OK;
}

enum slo_code slo_report_append_history(const char *path,
                                        const struct cr_buf *line,
                                        struct cr_error *err)
{
    struct cr_buf all = { 0 };
    char *old = NULL;
    size_t len = 0;
    enum slo_code code;
    int rc = cr_fs_read(path, &old, &len);

    /* Only a history that does not exist yet starts empty: rewriting one
     * that could not be read would lose every earlier line. */
    if (rc != 0 && rc != -ENOENT)
        return slo_error_set(err, io_code(rc), "cannot read %s: %s", path,
                             strerror(-rc));
    if ((rc == 0 && cr_buf_append(&all, old, len)) ||
        cr_buf_append(&all, cr_buf_str(line), line->len)) {
        cr_free(old);
        cr_buf_release(&all);
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    }
    cr_free(old);
    code = slo_report_write(path, &all, err);
    cr_buf_release(&all);
    return code;
}
