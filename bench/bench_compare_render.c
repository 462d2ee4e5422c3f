/* bench: text, CSV and JSON renderings of a comparison. See
 * bench_compare.h. */
#include "bench_compare.h"
#include "cr_alloc.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A value with 4 significant digits: times in ns/µs/ms/s, others with
 * k/M/G, so columns stay short and comparable by eye. */
static void human(double v, const char *unit, char *buf, size_t cap)
{
    static const char *const time_sfx[] = { "ns", "\xc2\xb5s", "ms", "s" };
    static const char *const si_sfx[] = { "", "k", "M", "G" };
    bool is_time = strcmp(unit, "ns/op") == 0;
    const char *const *sfx = is_time ? time_sfx : si_sfx;
    int i = 0;
    while (i < 3 && fabs(v) >= 1000) {
        v /= 1000;
        i++;
    }
    if (v == floor(v) && fabs(v) < 1e4)
        snprintf(buf, cap, "%.0f%s", v, sfx[i]);
    else
        snprintf(buf, cap, "%.4g%s", v, sfx[i]);
}

static const char *verdict_text(const struct bench_row *r, char *buf,
                                size_t cap)
{
    if (r->verdict == BENCH_VERDICT_FEW)
        snprintf(buf, cap, "too few samples (n=%zu+%zu, need %d+%d)", r->old_n,
                 r->new_n, BENCH_MIN_SAMPLES, BENCH_MIN_SAMPLES);
    else if (r->verdict == BENCH_VERDICT_SAME)
        snprintf(buf, cap, "~ (p=%.3f n=%zu+%zu)", r->p, r->old_n, r->new_n);
    else
        snprintf(buf, cap, "%+.2f%% (p=%.3f n=%zu+%zu)%s%s%s", r->delta, r->p,
                 r->old_n, r->new_n, r->cls >= BENCH_CLASS_NOISE ? " " : "",
                 r->cls >= BENCH_CLASS_NOISE ? bench_class_name(r->cls) : "",
                 r->cls >= BENCH_CLASS_MINOR && !r->gated ? " (not gated)"
                                                          : "");
    if (r->verdict == BENCH_VERDICT_CHANGED && r->cls >= BENCH_CLASS_NOISE) {
        size_t len = strlen(buf);
        snprintf(buf + len, cap - len, ", at least %+.1f%%", r->worse);
    }
    return buf;
}

/* Appends s right-aligned in w columns; UTF-8 continuation bytes (of "µ")
 * take no column. */
static int pad_left(struct cr_buf *out, const char *s, int w)
{
    int cols = 0, rc = 0;
    for (const char *p = s; *p; p++)
        cols += ((unsigned char)*p & 0xC0) != 0x80;
    for (; cols < w && !rc; cols++)
        rc = cr_buf_putc(out, ' ');
    return rc ? rc : cr_buf_puts(out, s);
}

static int text_row(struct cr_buf *out, int w, const char *name,
                    const char *unit, double a, double sa, double b, double sb,
                    const char *verdict)
{
    char x[32], y[32], xs[48], ys[48];
    human(a, unit, x, sizeof(x));
    human(b, unit, y, sizeof(y));
    snprintf(xs, sizeof(xs), "%s ± %.0f%%", x, sa);
    snprintf(ys, sizeof(ys), "%s ± %.0f%%", y, sb);
    if (sa < 0)
        snprintf(xs, sizeof(xs), "%s", x);
    if (sb < 0)
        snprintf(ys, sizeof(ys), "%s", y);
    return cr_buf_printf(out, "%-*s", w, name) | pad_left(out, xs, 18) |
           pad_left(out, ys, 18) | cr_buf_printf(out, "  %s\n", verdict);
}

static int text_unit(const struct bench_comparison *c, const char *unit, int w,
                     struct cr_buf *out)
{
    char v[160];
    int rc = cr_buf_printf(out, "\n%-*s  %16s  %16s  %s\n", w, unit, "old",
                           "new", "delta");
    for (size_t i = 0; i < c->n && !rc; i++) {
        const struct bench_row *r = &c->rows[i];
        if (strcmp(r->unit, unit) == 0)
            rc = text_row(out, w, r->name, unit, r->old_med, r->old_spread,
                          r->new_med, r->new_spread,
                          verdict_text(r, v, sizeof(v)));
    }
    for (size_t g = 0; g < c->n_geo && !rc; g++) {
        const struct bench_geomean *m = &c->geo[g];
        if (strcmp(m->unit, unit) != 0 || m->n < 2)
            continue;
        snprintf(v, sizeof(v), "%+.2f%%", m->delta);
        rc = text_row(out, w, "geomean", unit, m->old_g, -1, m->new_g, -1, v);
    }
    return rc;
}

static int render_text(const struct bench_comparison *c, const char *a,
                       const char *b, struct cr_buf *out)
{
    int w = 7, rc;
    for (size_t i = 0; i < c->n; i++)
        if ((int)strlen(c->rows[i].name) > w)
            w = (int)strlen(c->rows[i].name);
    rc = cr_buf_printf(out, "old: %s\nnew: %s\nalpha: %.3g\n", a, b, c->alpha);
    for (size_t g = 0; g < c->n_geo && !rc; g++)
        rc = text_unit(c, c->geo[g].unit, w, out);
    if (!rc && c->too_few)
        rc = cr_buf_printf(out,
                           "\n%zu comparisons have too few samples for a "
                           "verdict: run with -count 6 (at least %d per side)"
                           "\n",
                           c->too_few, BENCH_MIN_SAMPLES);
    if (!rc && (c->only_old || c->only_new))
        rc = cr_buf_printf(out, "\n%zu series only in old, %zu only in new\n",
                           c->only_old, c->only_new);
    if (!rc)
        rc = cr_buf_printf(
            out,
            "\nregressions (gated): %zu major, %zu moderate, %zu minor, %zu "
            "noise: %s\n",
            c->classes[BENCH_CLASS_MAJOR], c->classes[BENCH_CLASS_MODERATE],
            c->classes[BENCH_CLASS_MINOR], c->classes[BENCH_CLASS_NOISE],
            c->failed ? "FAIL (moderate or major)" : "ok");
    return rc;
}

static const char *verdict_word(enum bench_verdict v)
{
    return v == BENCH_VERDICT_FEW    ? "too-few-samples"
           : v == BENCH_VERDICT_SAME ? "same"
                                     : "changed";
}

static int render_csv(const struct bench_comparison *c, struct cr_buf *out)
{
    int rc = cr_buf_puts(out, "unit,name,old,old_spread_pct,old_n,new,"
                              "new_spread_pct,new_n,delta_pct,p,verdict,"
                              "class,gated\n");
    for (size_t i = 0; i < c->n && !rc; i++) {
        const struct bench_row *r = &c->rows[i];
        /* Names are Go identifiers plus "/", "=", "-": no CSV quoting. */
        rc = cr_buf_printf(out,
                           "%s,%s,%.6g,%.2f,%zu,%.6g,%.2f,%zu,%.2f,%.4f,"
                           "%s,%s,%s\n",
                           r->unit, r->name, r->old_med, r->old_spread,
                           r->old_n, r->new_med, r->new_spread, r->new_n,
                           r->delta, r->p, verdict_word(r->verdict),
                           bench_class_name(r->cls), r->gated ? "yes" : "no");
    }
    for (size_t g = 0; g < c->n_geo && !rc; g++)
        rc = cr_buf_printf(out, "%s,geomean,%.6g,,%zu,%.6g,,%zu,%.2f,,,,\n",
                           c->geo[g].unit, c->geo[g].old_g, c->geo[g].n,
                           c->geo[g].new_g, c->geo[g].n, c->geo[g].delta);
    return rc;
}

/* A finite number, or null (JSON has no infinity). */
static cJSON *num(double v)
{
    return isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull();
}

/* Adds item to o under key (or to the array o when key is NULL); on any
 * failure frees item and clears *ok, so a partial document is never
 * rendered as if whole. */
static void put(cJSON *o, const char *key, cJSON *item, bool *ok)
{
    bool added = o && item &&
                 (key ? cJSON_AddItemToObject(o, key, item)
                      : cJSON_AddItemToArray(o, item));
    if (!added) {
        cJSON_Delete(item);
        *ok = false;
    }
}

static cJSON *side(double med, double spread, size_t n, bool *ok)
{
    cJSON *o = cJSON_CreateObject();
    put(o, "median", num(med), ok);
    put(o, "spread_pct", num(spread), ok);
    put(o, "n", cJSON_CreateNumber((double)n), ok);
    return o;
}

static cJSON *json_row(const struct bench_row *r, bool *ok)
{
    cJSON *o = cJSON_CreateObject();
    put(o, "name", cJSON_CreateString(r->name), ok);
    put(o, "unit", cJSON_CreateString(r->unit), ok);
    put(o, "old", side(r->old_med, r->old_spread, r->old_n, ok), ok);
    put(o, "new", side(r->new_med, r->new_spread, r->new_n, ok), ok);
    put(o, "delta_pct", num(r->delta), ok);
    put(o, "p", num(r->p), ok);
    put(o, "least_worse_pct", num(r->worse), ok);
    put(o, "verdict", cJSON_CreateString(verdict_word(r->verdict)), ok);
    put(o, "class", cJSON_CreateString(bench_class_name(r->cls)), ok);
    put(o, "gated", cJSON_CreateBool(r->gated), ok);
    return o;
}

static cJSON *json_geo(const struct bench_geomean *m, bool *ok)
{
    cJSON *o = cJSON_CreateObject();
    put(o, "unit", cJSON_CreateString(m->unit), ok);
    put(o, "old", num(m->old_g), ok);
    put(o, "new", num(m->new_g), ok);
    put(o, "delta_pct", num(m->delta), ok);
    return o;
}

static cJSON *json_doc(const struct bench_comparison *c, const char *a,
                       const char *b, bool *ok)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *rows = cJSON_CreateArray(), *geo = cJSON_CreateArray();
    cJSON *cls = cJSON_CreateObject();
    put(doc, "old", cJSON_CreateString(a), ok);
    put(doc, "new", cJSON_CreateString(b), ok);
    put(doc, "alpha", cJSON_CreateNumber(c->alpha), ok);
    for (size_t i = 0; i < c->n; i++)
        put(rows, NULL, json_row(&c->rows[i], ok), ok);
    put(doc, "results", rows, ok);
    for (size_t g = 0; g < c->n_geo; g++)
        put(geo, NULL, json_geo(&c->geo[g], ok), ok);
    put(doc, "geomean", geo, ok);
    for (int k = BENCH_CLASS_NOISE; k <= BENCH_CLASS_MAJOR; k++)
        put(cls, bench_class_name((enum bench_class)k),
            cJSON_CreateNumber((double)c->classes[k]), ok);
    put(doc, "regressions", cls, ok);
    put(doc, "too_few_samples", cJSON_CreateNumber((double)c->too_few), ok);
    put(doc, "failed", cJSON_CreateBool(c->failed), ok);
    return doc;
}

static int render_json(const struct bench_comparison *c, const char *a,
                       const char *b, struct cr_buf *out)
{
    bool ok = true;
    cJSON *doc = json_doc(c, a, b, &ok);
    char *s = ok && doc ? cJSON_Print(doc) : NULL;
    int rc = s ? cr_buf_puts(out, s) | cr_buf_putc(out, '\n') : -1;
    cJSON_free(s);
    cJSON_Delete(doc);
    return rc;
}

enum bench_code bench_compare_render(const struct bench_comparison *c,
                                     enum bench_format fmt,
                                     const char *old_label,
                                     const char *new_label, struct cr_buf *out,
                                     struct cr_error *err)
{
    int rc;
    if (fmt == BENCH_FORMAT_CSV)
        rc = render_csv(c, out);
    else if (fmt == BENCH_FORMAT_JSON)
        rc = render_json(c, old_label, new_label, out);
    else
        rc = render_text(c, old_label, new_label, out);
    return rc ? bench_error_set(err, BENCH_E_NOMEM, "out of memory") : BENCH_OK;
}
