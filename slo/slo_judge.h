/*
 * slo_judge: the statistic of a result and its verdict (rules in slo.h).
 * Nothing here allocates beyond a temporary array freed before returning.
 */
#ifndef SLO_JUDGE_H
#define SLO_JUDGE_H

#include "slo.h"

/* The metric's value of one sample. */
double slo_sample_metric(const struct slo_sample *s, enum slo_metric m);

/*
 * Applies the verdict rules to res->samples (sets sum, value, verdict and,
 * for ERROR and INCONCLUSIVE, note). A result already marked ERROR is left
 * as it is.
 */
void slo_judge(struct slo_result *res);

/* "PASS", "INCONCLUSIVE", ... Static storage. */
const char *slo_verdict_name(enum slo_verdict v);

#endif
