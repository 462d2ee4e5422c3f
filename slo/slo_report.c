/* slo: reports of results (terminal, JSON, Markdown). See slo_report.h. */
#include "slo_report.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_fs.h"
#include "slo_config.h"
#include "slo_judge.h"

const char *slo_metric_unit(enum slo_metric m)
{
    if (m == SLO_RSS_MB || m == SLO_PEAK_HEAP_MB)
        return "MB";
    return m == SLO_LEAKED_KB ? "KB" : "ms";
}

void slo_format_value(char *out, size_t cap, double v, enum slo_metric m)
{
    const char *u = slo_metric_unit(m);

    if (strcmp(u, "ms") == 0 && fabs(v) >= 1000)
        snprintf(out, cap, "%.2f s", v / 1e3);
    else if (fabs(v) >= 100)
        snprintf(out, cap, "%.1f %s", v, u);
    else if (fabs(v) >= 1)
        snprintf(out, cap, "%.2f %s", v, u);
    else
        snprintf(out, cap, "%.3f %s", v, u);
}

void slo_report_change(const struct slo_result *r, const struct slo_check *prev,
                       struct slo_change *c)
{
    const struct slo_past *p = slo_check_find(prev, r->obj->name);

    slo_change_of(r, p != NULL, p ? p->value : 0, p ? p->lo : 0, p ? p->hi : 0,
                  c);
}

/* ANSI colour of a verdict, or "" when colour is off. */
static const char *colour(enum slo_verdict v, int on)
{
    static const char *const c[] = { "\033[32m", "\033[33m", "\033[33m",
                                     "\033[31m", "\033[31m" };
    return on ? c[v] : "";
}

/* True when group g's first objective is r[i] (groups print in order of
 * first appearance). */
static bool first_of_group(const struct slo_result *r, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(r[j].obj->group, r[i].obj->group) == 0)
            return false;
    return true;
}

/* A ratio in at most 6 characters: "0.85x", "12.3x", "3744x". */
static void format_times(char *out, size_t cap, double x)
{
    if (x >= 100)
        snprintf(out, cap, "%.0fx", x);
    else if (x >= 10)
        snprintf(out, cap, "%.1fx", x);
    else
        snprintf(out, cap, "%.2fx", x);
}

static void format_headroom(char *out, size_t cap, const struct slo_result *r)
{
    double t = slo_headroom(r, r->obj->target);
    double c = slo_headroom(r, r->obj->critical);

    char ts[16], cs[16];

    if (t <= 0) {
        snprintf(out, cap, "-");
        return;
    }
    format_times(ts, sizeof(ts), t);
    format_times(cs, sizeof(cs), c);
    snprintf(out, cap, "%s / %s", ts, cs);
}

static void format_change(char *out, size_t cap, const struct slo_result *r,
                          const struct slo_check *prev)
{
    struct slo_change c;
    char d[32];

    slo_report_change(r, prev, &c);
    if (!c.has) {
        snprintf(out, cap, "%s", prev ? "new" : "-");
        return;
    }
    slo_format_value(d, sizeof(d), c.delta, r->obj->metric);
    snprintf(out, cap, "%s%s (%+.1f%%)%s", c.delta >= 0 ? "+" : "", d, c.pct,
             c.significant ? " !" : "");
}

static void format_spread(char *out, size_t cap, const struct slo_result *r)
{
    char lo[32], hi[32];

    if (!r->n) {
        snprintf(out, cap, "-");
        return;
    }
    slo_format_value(lo, sizeof(lo), r->sum.ci_lo, r->obj->metric);
    slo_format_value(hi, sizeof(hi), r->sum.ci_hi, r->obj->metric);
    snprintf(out, cap, "[%s, %s]%s", lo, hi, r->sum.ci_exact ? "" : "*");
}

/* Column widths: wide enough for their longest usual content, and every
 * column is followed by two spaces so neighbours can never touch. */
#define ROW_FMT "%-22s  %11s  %10s  %10s  %s%-12s%s  %-15s  %-22s  %s\n"

/* The second line of a row: the spread of the runs. */
static int detail_row(struct cr_buf *b, const struct slo_result *r)
{
    const struct slo_objective *o = r->obj;
    char mn[32], p95[32], mx[32], mean[32], sd[32];

    slo_format_value(mn, sizeof(mn), r->sum.min, o->metric);
    slo_format_value(p95, sizeof(p95), r->sum.p95, o->metric);
    slo_format_value(mx, sizeof(mx), r->sum.max, o->metric);
    slo_format_value(mean, sizeof(mean), r->sum.mean, o->metric);
    slo_format_value(sd, sizeof(sd), r->sum.stddev, o->metric);
    return cr_buf_printf(b,
                         "%-22s  %s of %s, n=%zu: min %s  p95 %s  max %s  "
                         "mean %s ± %s  outliers %zu\n",
                         "", slo_stat_name(o->stat), slo_metric_name(o->metric),
                         r->n, mn, p95, mx, mean, sd, r->sum.outliers);
}

static int text_row(struct cr_buf *b, const struct slo_result *r,
                    const struct slo_check *prev, int use_colour)
{
    const struct slo_objective *o = r->obj;
    char val[32] = "-", tgt[32], crit[32], head[48], chg[64], spread[80];
    int rc;

    if (r->n)
        slo_format_value(val, sizeof(val), r->value, o->metric);
    slo_format_value(tgt, sizeof(tgt), o->target, o->metric);
    slo_format_value(crit, sizeof(crit), o->critical, o->metric);
    format_headroom(head, sizeof(head), r);
    format_change(chg, sizeof(chg), r, prev);
    format_spread(spread, sizeof(spread), r);
    rc = cr_buf_printf(b, ROW_FMT, o->name, val, tgt, crit,
                       colour(r->verdict, use_colour),
                       slo_verdict_name(r->verdict),
                       use_colour ? "\033[0m" : "", head, chg, spread);
    if (r->n)
        rc |= detail_row(b, r);
    if (r->note[0])
        rc |= cr_buf_printf(b, "%-22s  note: %s\n", "", r->note);
    return rc;
}

int slo_report_text(struct cr_buf *b, const struct slo_result *r, size_t n,
                    const struct slo_check *prev, int use_colour)
{
    bool inexact = false, flagged = false;
    int rc = 0;

    for (size_t g = 0; g < n; g++) {
        if (!first_of_group(r, g))
            continue;
        rc |= cr_buf_printf(b, "%s%s objectives\n", g ? "\n" : "",
                            r[g].obj->group);
        rc |= cr_buf_printf(b, ROW_FMT, "objective", "value", "target",
                            "critical", "", "verdict", "", "headroom (t / c)",
                            "change", "spread (95% CI of median)");
        for (size_t i = g; i < n; i++) {
            struct slo_change c;
            if (strcmp(r[i].obj->group, r[g].obj->group) != 0)
                continue;
            rc |= text_row(b, &r[i], prev, use_colour);
            slo_report_change(&r[i], prev, &c);
            flagged |= c.significant;
            inexact |= r[i].n && !r[i].sum.ci_exact;
        }
    }
    if (inexact)
        rc |= cr_buf_puts(b, "(* fewer than 6 runs: the interval is "
                             "[min, max], not a 95% CI)\n");
    if (flagged)
        rc |= cr_buf_puts(b, "(! the intervals of this check and the "
                             "previous one do not overlap: a real change)\n");
    return rc ? -1 : 0;
}

/* A trailing "*" (no real interval) would start emphasis in Markdown. */
static void md_escape_star(char *s, size_t cap)
{
    size_t n = strlen(s);

    if (n && s[n - 1] == '*' && n + 1 < cap) {
        s[n - 1] = '\\';
        s[n] = '*';
        s[n + 1] = '\0';
    }
}

int slo_report_markdown(struct cr_buf *b, const struct slo_result *r, size_t n,
                        const struct slo_check *prev)
{
    int rc = 0;

    rc |= cr_buf_puts(b, "| Group | Objective | Metric | Value | Target "
                         "| Critical | Verdict | Headroom (t / c) | Change "
                         "| 95% CI (median) |\n"
                         "|:---|:---|:---|---:|---:|---:|:---|---:|---:|---:|"
                         "\n");
    for (size_t i = 0; i < n; i++) {
        const struct slo_objective *o = r[i].obj;
        char val[32] = "-", tgt[32], crit[32], head[48], chg[64], spread[80];

        if (r[i].n)
            slo_format_value(val, sizeof(val), r[i].value, o->metric);
        slo_format_value(tgt, sizeof(tgt), o->target, o->metric);
        slo_format_value(crit, sizeof(crit), o->critical, o->metric);
        format_headroom(head, sizeof(head), &r[i]);
        format_change(chg, sizeof(chg), &r[i], prev);
        format_spread(spread, sizeof(spread), &r[i]);
        md_escape_star(spread, sizeof(spread));
        rc |= cr_buf_printf(
            b, "| %s | `%s` | %s %s | %s | %s | %s | **%s** | %s | %s | %s |\n",
            o->group, o->name, slo_stat_name(o->stat),
            slo_metric_name(o->metric), val, tgt, crit,
            slo_verdict_name(r[i].verdict), head, chg, spread);
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
