/*
 * slo_judge: the statistic of a result and its verdict (rules in slo.h).
 * Nothing here allocates beyond a temporary array freed before returning.
 */
#ifndef SLO_JUDGE_H
#define SLO_JUDGE_H

#include <stdbool.h>

#include "slo.h"

/* The metric's value of one sample. */
double slo_sample_metric(const struct slo_sample *s, enum slo_metric m);

/*
 * Applies the verdict rules to res->samples (sets sum, value, verdict and,
 * for ERROR and INCONCLUSIVE, note). A result already marked ERROR is left
 * as it is.
 */
void slo_judge(struct slo_result *res);

/*
 * The interval the verdict was judged with, in the metric's unit: the
 * median's 95% CI for a median, the value itself for other statistics.
 */
void slo_result_interval(const struct slo_result *res, double *lo, double *hi);

/* Headroom of a limit: limit / value (how many times the measurement fits
 * under it); 0 when the value is 0 or there was no run. */
double slo_headroom(const struct slo_result *res, double limit);

/* The change since an earlier value of the same objective. */
struct slo_change {
    bool has;         /* there is an earlier value */
    double prev;      /* that value */
    double delta;     /* value - prev */
    double pct;       /* delta / prev * 100; 0 when prev is 0 */
    bool significant; /* the two intervals do not overlap (only judged
                         for a median with a real 95% CI: 6+ runs) */
};

/* Fills c from res and the earlier prev_value with its interval
 * [prev_lo, prev_hi]; has_prev false gives c->has false. */
void slo_change_of(const struct slo_result *res, bool has_prev,
                   double prev_value, double prev_lo, double prev_hi,
                   struct slo_change *c);

/* "PASS", "INCONCLUSIVE", ... Static storage. */
const char *slo_verdict_name(enum slo_verdict v);

#endif
