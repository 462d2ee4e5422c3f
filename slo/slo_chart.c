/* slo: the SVG chart of a check. See slo_chart.h. */
#include "slo_chart.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_text.h"
#include "slo_config.h"
#include "slo_judge.h"
#include "slo_report.h"

#define W        980
#define ROW_H    36
#define GROUP_H  26
#define TOP      56
#define BAR_X0   320.0
#define BAR_X1   750.0
#define TREND_X0 780.0
#define TREND_X1 960.0

/* The shared axis: decades of value / target from lo to hi. */
struct axis {
    double lo, hi; /* log10 */
};

static const char *const verdict_fill[] = { "#3a9a4a", "#c9a227", "#e08a1e",
                                            "#c8372d", "#7a2a8c" };

static double ratio(const struct slo_result *r, double v)
{
    double t = r->obj->target > 0 ? r->obj->target : 1;

    return v > 0 ? v / t : 0;
}

/* Widens the axis so that every value, interval and critical mark fits. */
static void axis_fit(struct axis *a, const struct slo_result *r, size_t n)
{
    a->lo = -1;
    a->hi = 1;
    for (size_t i = 0; i < n; i++) {
        double lo, hi, x;
        if (!r[i].n)
            continue;
        slo_result_interval(&r[i], &lo, &hi);
        x = ratio(&r[i], fmin(lo, r[i].value));
        if (x > 0)
            a->lo = fmin(a->lo, floor(log10(x)));
        a->hi = fmax(a->hi, ceil(log10(fmax(ratio(&r[i], hi),
                                            ratio(&r[i], r[i].obj->critical)) *
                                       1.05)));
    }
}

static double axis_x(const struct axis *a, double ratio_v)
{
    double l = ratio_v > 0 ? log10(ratio_v) : a->lo;

    l = fmax(a->lo, fmin(a->hi, l));
    return BAR_X0 + (l - a->lo) / (a->hi - a->lo) * (BAR_X1 - BAR_X0);
}

/* Text and attribute values through common's XML escaping. */
static int put_escaped(struct cr_buf *b, const char *s)
{
    return cr_xml_escape(b, s, strlen(s));
}

static int axis_grid(struct cr_buf *b, const struct axis *a, double y1)
{
    int rc = 0;

    for (int d = (int)a->lo; d <= (int)a->hi; d++) {
        double x = axis_x(a, pow(10, d));
        rc |= cr_buf_printf(b,
                            "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" "
                            "x2=\"%.1f\" y2=\"%.1f\"/>\n"
                            "<text class=\"tick\" x=\"%.1f\" y=\"%d\">%gx"
                            "</text>\n",
                            x, TOP - 8, x, y1, x, TOP - 12, pow(10, d));
    }
    return rc;
}

/* The values of objective name over the last checks of h, then now. */
static size_t trend_values(const struct slo_history *h, size_t last,
                           const struct slo_result *r, double *v, size_t cap)
{
    size_t n = 0, from = 0;

    if (h && h->n > last)
        from = h->n - last;
    for (size_t i = from; h && i < h->n && n + 1 < cap; i++) {
        const struct slo_past *p = slo_check_find(&h->checks[i], r->obj->name);
        if (p && p->value > 0)
            v[n++] = p->value;
    }
    if (r->n && r->value > 0)
        v[n++] = r->value;
    return n;
}

static int trend_line(struct cr_buf *b, const struct slo_history *h,
                      size_t last, const struct slo_result *r, double y)
{
    double v[256], mn = INFINITY, mx = 0, lo_v, hi_v;
    size_t n = trend_values(h, last < 255 ? last : 255, r, v, 256);
    int rc = 0;

    if (n == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        mn = fmin(mn, v[i]);
        mx = fmax(mx, v[i]);
    }
    lo_v = mn;
    hi_v = mx;
    /* The row spans a factor of 2 at least, so that a change of a few
     * percent looks like one instead of filling the row. */
    if (mx < 2 * mn) {
        double mid = sqrt(mn * mx);
        mn = mid / M_SQRT2;
        mx = mid * M_SQRT2;
    }
    rc |= cr_buf_puts(b, "<polyline class=\"trend\" points=\"");
    for (size_t i = 0; i < (n == 1 ? 2 : n); i++) {
        size_t k = n == 1 ? 0 : i;
        double fx = n == 1 ? (double)i : (double)i / (double)(n - 1);
        double fy =
            mx > mn ? (log10(v[k]) - log10(mn)) / (log10(mx) - log10(mn)) : 0.5;
        rc |= cr_buf_printf(b, "%.1f,%.1f ",
                            TREND_X0 + fx * (TREND_X1 - TREND_X0),
                            y + ROW_H - 8 - fy * (ROW_H - 16));
    }
    rc |= cr_buf_printf(b,
                        "\"><title>%zu checks: %.4g to %.4g %s</title>"
                        "</polyline>\n",
                        n, lo_v, hi_v, slo_metric_unit(r->obj->metric));
    return rc;
}

static int row(struct cr_buf *b, const struct axis *a,
               const struct slo_result *r, const struct slo_history *h,
               size_t last, double y)
{
    const struct slo_objective *o = r->obj;
    double lo, hi, x0 = axis_x(a, pow(10, a->lo)), ym = y + ROW_H / 2.0;
    char val[32] = "-", tgt[32], crit[32];
    int rc = 0;

    slo_format_value(tgt, sizeof(tgt), o->target, o->metric);
    slo_format_value(crit, sizeof(crit), o->critical, o->metric);
    if (r->n)
        slo_format_value(val, sizeof(val), r->value, o->metric);
    rc |= cr_buf_printf(b, "<g class=\"objective\" data-name=\"");
    rc |= put_escaped(b, o->name);
    rc |= cr_buf_printf(b, "\">\n<text class=\"name\" x=\"10\" y=\"%.1f\">",
                        ym + 4);
    rc |= put_escaped(b, o->name);
    rc |= cr_buf_printf(b,
                        "</text>\n<text class=\"value\" x=\"%.1f\" "
                        "y=\"%.1f\">%s %s</text>\n",
                        BAR_X0 - 8, ym + 4, val, slo_verdict_name(r->verdict));
    if (r->n) {
        slo_result_interval(r, &lo, &hi);
        rc |= cr_buf_printf(
            b,
            "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
            "height=\"%d\" fill=\"%s\"><title>%s: %s (target %s, critical "
            "%s)</title></rect>\n",
            x0, y + 8, fmax(1, axis_x(a, ratio(r, r->value)) - x0), ROW_H - 16,
            verdict_fill[r->verdict], slo_stat_name(o->stat), val, tgt, crit);
        rc |= cr_buf_printf(
            b,
            "<path class=\"whisker\" d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1fM%.1f "
            "%.1fV%.1f\"/>\n",
            axis_x(a, ratio(r, lo)), ym, axis_x(a, ratio(r, hi)),
            axis_x(a, ratio(r, lo)), ym - 6, ym + 6, axis_x(a, ratio(r, hi)),
            ym - 6, ym + 6);
    }
    rc |= cr_buf_printf(
        b,
        "<line class=\"mark target\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
        "y2=\"%.1f\"><title>target %s</title></line>\n"
        "<line class=\"mark critical\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
        "y2=\"%.1f\"><title>critical %s</title></line>\n",
        axis_x(a, 1), y + 3, axis_x(a, 1), y + ROW_H - 3, tgt,
        axis_x(a, ratio(r, o->critical)), y + 3,
        axis_x(a, ratio(r, o->critical)), y + ROW_H - 3, crit);
    rc |= trend_line(b, h, last, r, y);
    rc |= cr_buf_puts(b, "</g>\n");
    return rc;
}

static bool first_of_group(const struct slo_result *r, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(r[j].obj->group, r[i].obj->group) == 0)
            return false;
    return true;
}

static int header(struct cr_buf *b, double height)
{
    return cr_buf_printf(
        b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
        "height=\"%.0f\" viewBox=\"0 0 %d %.0f\">\n"
        "<style>text{font:12px sans-serif;fill:#222}"
        ".value{text-anchor:end}.tick{font-size:10px;text-anchor:middle;"
        "fill:#666}.grid{stroke:#ddd}.whisker{stroke:#111;stroke-width:1.5;"
        "fill:none}.mark{stroke-width:2.5}.target{stroke:#2b7a3b;"
        "stroke-dasharray:4 2}.critical{stroke:#b0231a}.trend{fill:none;"
        "stroke:#3567b0;stroke-width:1.5}.group{font-weight:bold}"
        "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
        "<text x=\"10\" y=\"20\" style=\"font-size:15px\">slo check: value / "
        "target on a log scale; dashed green: target, red: critical, "
        "whisker: interval</text>\n"
        "<text x=\"%.0f\" y=\"%d\" class=\"tick\">trend over the history"
        "</text>\n",
        W, height, W, height, (TREND_X0 + TREND_X1) / 2, TOP - 12);
}

int slo_chart_svg(struct cr_buf *b, const struct slo_result *r, size_t n,
                  const struct slo_history *h, size_t last)
{
    struct axis a;
    double y = TOP, height = TOP + 16;
    int rc = 0;

    for (size_t i = 0; i < n; i++)
        height += ROW_H + (first_of_group(r, i) ? GROUP_H : 0);
    axis_fit(&a, r, n);
    rc |= header(b, height);
    rc |= axis_grid(b, &a, height - 10);
    for (size_t g = 0; g < n; g++) {
        if (!first_of_group(r, g))
            continue;
        rc |= cr_buf_printf(b, "<text class=\"group\" x=\"10\" y=\"%.1f\">",
                            y + 18);
        rc |= put_escaped(b, r[g].obj->group);
        rc |= cr_buf_puts(b, " objectives</text>\n");
        y += GROUP_H;
        for (size_t i = g; i < n; i++) {
            if (strcmp(r[i].obj->group, r[g].obj->group) != 0)
                continue;
            rc |= row(b, &a, &r[i], h, last, y);
            y += ROW_H;
        }
    }
    rc |= cr_buf_puts(b, "</svg>\n");
    return rc ? -1 : 0;
}
