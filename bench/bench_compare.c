/* bench: statistics and verdicts of bench compare. See bench_compare.h. */
#include "bench_compare.h"
#include "cr_alloc.h"
#include "cr_stats.h"

#include <math.h>
#include <string.h>

const char *bench_class_name(enum bench_class c)
{
    static const char *const names[] = { "none",  "improved", "noise",
                                         "minor", "moderate", "major" };
    return names[c];
}

/* Rates (MB/s) grow when things get faster; every other unit shrinks. */
static bool higher_is_better(const char *unit)
{
    size_t n = strlen(unit);
    return n >= 2 && strcmp(unit + n - 2, "/s") == 0;
}

/* Median, spread and the interval bounds of one side. */
static void center(const struct bench_series *s, double *med, double *spread,
                   double ci[2])
{
    struct cr_stats_summary st;
    *med = 0;
    *spread = 0;
    ci[0] = ci[1] = 0;
    if (cr_stats_summarize(s->v, s->n, &st) != 0)
        return;
    *med = st.median;
    ci[0] = st.ci_lo;
    ci[1] = st.ci_hi;
    if (st.median != 0)
        *spread = fmax(st.median - st.ci_lo, st.ci_hi - st.median) /
                  fabs(st.median) * 100;
}

/*
 * The least the change can be, worse-wards, given both intervals: the
 * best of the new side against the worst of the old one. Large noise on
 * either side shrinks it, so a busy machine cannot pass for a regression,
 * while a real one that clears the noise still shows in full.
 */
static double least_worse(const double o[2], const double n[2], bool higher)
{
    if (higher) /* a rate: worse is lower */
        return n[1] > 0 ? (o[0] / n[1] - 1) * 100 : INFINITY;
    if (o[1] > 0)
        return (n[0] / o[1] - 1) * 100;
    return n[0] > 0 ? INFINITY : 0;
}

static void bounds(const struct bench_compare_opts *o, const char *name,
                   double b[3])
{
    b[0] = o->minor;
    b[1] = o->moderate;
    b[2] = o->major;
    for (size_t i = 0; i < o->n_th; i++) {
        if (regexec(&o->th[i].re, name, 0, NULL, 0) == 0) {
            b[0] = o->th[i].minor;
            b[1] = o->th[i].moderate;
            b[2] = o->th[i].major;
            return;
        }
    }
}

/*
 * The class of a significant change: improved when the medians say better,
 * else by how much worse it is at least (least_worse, in r->worse).
 */
static enum bench_class classify(const struct bench_row *r,
                                 const struct bench_compare_opts *o)
{
    double b[3], worse = r->worse;
    bool better = higher_is_better(r->unit) ? r->new_med > r->old_med
                                            : r->new_med < r->old_med;
    if (better)
        return BENCH_CLASS_IMPROVED;
    bounds(o, r->name, b);
    if (worse < b[0])
        return BENCH_CLASS_NOISE;
    if (worse < b[1])
        return BENCH_CLASS_MINOR;
    return worse < b[2] ? BENCH_CLASS_MODERATE : BENCH_CLASS_MAJOR;
}

/* Which time unit gates this series: see bench_compare.h. */
static bool time_gates(const struct bench_data *old,
                       const struct bench_data *new_,
                       const struct bench_series *a,
                       const struct bench_compare_opts *o)
{
    bool cpu = bench_data_find(old, a->name, "cpu-ns/op") &&
               bench_data_find(new_, a->name, "cpu-ns/op");
    if (strcmp(a->unit, "ns/op") == 0)
        return !cpu || o->wall_time;
    if (strcmp(a->unit, "cpu-ns/op") == 0)
        return !o->wall_time;
    return true;
}

static int compare_one(const struct bench_series *a,
                       const struct bench_series *b,
                       const struct bench_compare_opts *o, struct bench_row *r)
{
    memset(r, 0, sizeof(*r));
    r->name = a->name;
    r->unit = a->unit;
    r->old_n = a->n;
    r->new_n = b->n;
    r->gated = a->gate && b->gate && !higher_is_better(a->unit);
    double oci[2], nci[2];
    center(a, &r->old_med, &r->old_spread, oci);
    center(b, &r->new_med, &r->new_spread, nci);
    r->worse = least_worse(oci, nci, higher_is_better(a->unit));
    if (r->old_med != 0)
        r->delta = (r->new_med / r->old_med - 1) * 100;
    else
        r->delta = r->new_med == 0 ? 0 : INFINITY;
    r->p = 1;
    if (a->n < BENCH_MIN_SAMPLES || b->n < BENCH_MIN_SAMPLES) {
        r->verdict = BENCH_VERDICT_FEW;
        return 0;
    }
    if (cr_stats_mann_whitney(a->v, a->n, b->v, b->n, &r->p) != 0)
        return -1;
    if (r->p > o->alpha)
        return 0;
    r->verdict = BENCH_VERDICT_CHANGED;
    r->cls = classify(r, o);
    return 0;
}

/* The geometric means of each unit over benchmarks with both medians > 0. */
static int geomeans(struct bench_comparison *c)
{
    c->geo = cr_calloc(c->n ? c->n : 1, sizeof(*c->geo));
    if (!c->geo)
        return -1;
    for (size_t i = 0; i < c->n; i++) {
        const struct bench_row *r = &c->rows[i];
        size_t g = 0;
        while (g < c->n_geo && strcmp(c->geo[g].unit, r->unit) != 0)
            g++;
        if (g == c->n_geo)
            c->geo[c->n_geo++].unit = r->unit;
        if (r->old_med <= 0 || r->new_med <= 0)
            continue;
        c->geo[g].old_g += log(r->old_med);
        c->geo[g].new_g += log(r->new_med);
        c->geo[g].n++;
    }
    for (size_t g = 0; g < c->n_geo; g++) {
        struct bench_geomean *m = &c->geo[g];
        double n = (double)m->n;
        /* The geomean of the ratios is the ratio of the geomeans. */
        m->old_g = m->n ? exp(m->old_g / n) : 0;
        m->new_g = m->n ? exp(m->new_g / n) : 0;
        m->delta = m->n ? (m->new_g / m->old_g - 1) * 100 : 0;
    }
    return 0;
}

enum bench_code bench_compare(const struct bench_data *old,
                              const struct bench_data *new_,
                              const struct bench_compare_opts *o,
                              struct bench_comparison *out,
                              struct cr_error *err)
{
    memset(out, 0, sizeof(*out));
    out->alpha = o->alpha;
    out->rows = cr_calloc(old->n ? old->n : 1, sizeof(*out->rows));
    if (!out->rows)
        return bench_error_set(err, BENCH_E_NOMEM, "out of memory");
    for (size_t i = 0; i < old->n; i++) {
        const struct bench_series *a = &old->s[i];
        const struct bench_series *b = bench_data_find(new_, a->name, a->unit);
        if (!b) {
            out->only_old++;
            continue;
        }
        struct bench_row *r = &out->rows[out->n++];
        if (compare_one(a, b, o, r) != 0)
            return bench_error_set(err, BENCH_E_NOMEM, "out of memory");
        r->gated = r->gated && time_gates(old, new_, a, o);
        if (r->gated)
            out->classes[r->cls]++;
        out->too_few += r->verdict == BENCH_VERDICT_FEW;
        if (r->gated && r->cls >= BENCH_CLASS_MODERATE)
            out->failed = true;
    }
    for (size_t i = 0; i < new_->n; i++)
        if (!bench_data_find(old, new_->s[i].name, new_->s[i].unit))
            out->only_new++;
    if (geomeans(out) != 0)
        return bench_error_set(err, BENCH_E_NOMEM, "out of memory");
    return BENCH_OK;
}

void bench_comparison_release(struct bench_comparison *c)
{
    cr_free(c->rows);
    cr_free(c->geo);
    memset(c, 0, sizeof(*c));
}
