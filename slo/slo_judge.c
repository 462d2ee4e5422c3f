/* slo: statistics of a result and its verdict. See slo_judge.h. */
#include "slo_judge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

static const char *const verdict_names[] = { "PASS", "INCONCLUSIVE", "WARN",
                                             "FAIL", "ERROR" };

const char *slo_verdict_name(enum slo_verdict v)
{
    return verdict_names[v];
}

double slo_sample_metric(const struct slo_sample *s, enum slo_metric m)
{
    switch (m) {
    case SLO_WALL_MS:
        return s->wall_ms;
    case SLO_USER_MS:
        return s->user_ms;
    case SLO_SYS_MS:
        return s->sys_ms;
    case SLO_CPU_MS:
        return s->user_ms + s->sys_ms;
    case SLO_RSS_MB:
        return s->rss_mb;
    case SLO_PEAK_HEAP_MB:
        return s->peak_heap_mb;
    case SLO_LEAKED_KB:
        return s->leaked_kb;
    case SLO_START_MS:
        return s->phase_ms[SLO_PHASE_CREATE] + s->phase_ms[SLO_PHASE_START] +
               s->phase_ms[SLO_PHASE_READY];
    case SLO_START_STOP_MS:
        return s->phase_ms[SLO_PHASE_CREATE] + s->phase_ms[SLO_PHASE_START] +
               s->phase_ms[SLO_PHASE_READY] + s->phase_ms[SLO_PHASE_STOP];
    }
    return 0;
}

void slo_judge(struct slo_result *res)
{
    const struct slo_objective *o = res->obj;
    double *x, hi;

    if (res->verdict == SLO_ERROR)
        return;
    if (res->n == 0) {
        res->verdict = SLO_ERROR;
        snprintf(res->note, sizeof(res->note), "no completed runs");
        return;
    }
    x = cr_malloc(res->n * sizeof(*x));
    if (!x) {
        res->verdict = SLO_ERROR;
        snprintf(res->note, sizeof(res->note), "out of memory");
        return;
    }
    for (size_t i = 0; i < res->n; i++)
        x[i] = res->samples[i].wall_ms;
    cr_stats_summarize(x, res->n, &res->wall);
    for (size_t i = 0; i < res->n; i++)
        x[i] = slo_sample_metric(&res->samples[i], o->metric);
    cr_stats_summarize(x, res->n, &res->sum);
    cr_free(x);

    switch (o->stat) {
    case SLO_MEDIAN:
        res->value = res->sum.median;
        break;
    case SLO_P95:
        res->value = res->sum.p95;
        break;
    case SLO_MEAN:
        res->value = res->sum.mean;
        break;
    case SLO_MAX:
        res->value = res->sum.max;
        break;
    }
    /*
     * Only the median has a confidence interval; for the other statistics
     * the value itself decides.
     */
    hi = o->stat == SLO_MEDIAN ? res->sum.ci_hi : res->value;
    if (res->value > o->critical) {
        res->verdict = SLO_FAIL;
    } else if (res->value > o->target) {
        res->verdict = SLO_WARN;
    } else if (hi > o->target) {
        res->verdict = SLO_INCONCLUSIVE;
        snprintf(res->note, sizeof(res->note),
                 "median meets the target but its 95%% CI reaches %.3g%s", hi,
                 res->sum.ci_exact ? "" : " (fewer than 6 runs: no real CI)");
    } else {
        res->verdict = SLO_PASS;
    }
}

void slo_result_interval(const struct slo_result *res, double *lo, double *hi)
{
    bool ci = res->obj->stat == SLO_MEDIAN;

    *lo = ci ? res->sum.ci_lo : res->value;
    *hi = ci ? res->sum.ci_hi : res->value;
}

double slo_headroom(const struct slo_result *res, double limit)
{
    return res->n && res->value > 0 ? limit / res->value : 0;
}

void slo_change_of(const struct slo_result *res, bool has_prev,
                   double prev_value, double prev_lo, double prev_hi,
                   struct slo_change *c)
{
    double lo, hi;

    memset(c, 0, sizeof(*c));
    if (!has_prev || res->n == 0)
        return;
    slo_result_interval(res, &lo, &hi);
    c->has = true;
    c->prev = prev_value;
    c->delta = res->value - prev_value;
    c->pct = prev_value != 0 ? c->delta / prev_value * 100.0 : 0;
    /* Only a real interval can say a change is more than noise: with fewer
     * than 6 runs, or a statistic other than the median, there is none. */
    c->significant = res->obj->stat == SLO_MEDIAN && res->sum.ci_exact &&
                     (lo > prev_hi || hi < prev_lo);
}
