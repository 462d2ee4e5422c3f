/*
 * cr_stats: descriptive statistics for timing samples.
 *
 * All functions take a caller-owned array and never keep it. Functions that
 * need order statistics sort a private copy, so the caller's order (the run
 * order, which matters for spotting warm-up effects) is preserved.
 */
#ifndef CR_STATS_H
#define CR_STATS_H

#include <stddef.h>

struct cr_stats_summary {
    size_t n;
    double min, max;
    double mean, stddev; /* stddev is 0 when n < 2 */
    double median;
    double p95; /* linear interpolation between order statistics */
    double mad; /* median absolute deviation (unscaled) */
    /*
     * Distribution-free 95% confidence interval of the median from order
     * statistics (binomial). With fewer than 6 samples no such interval
     * exists at 95%: then ci_lo = min, ci_hi = max and ci_exact is 0.
     */
    double ci_lo, ci_hi;
    int ci_exact;
    size_t
        outliers; /* samples with modified z-score |0.6745(x-med)/MAD| > 3.5 */
};

/*
 * Summarises n samples (n >= 1). Returns 0, or -EINVAL when n is 0 or -ENOMEM
 * when memory runs out (then *out is zeroed).
 */
int cr_stats_summarize(const double *x, size_t n, struct cr_stats_summary *out);

/* The q-quantile (0 <= q <= 1) of a SORTED array, interpolating linearly. */
double cr_stats_quantile_sorted(const double *sorted, size_t n, double q);

/*
 * Indices (0-based, into the sorted samples) of the order statistics that
 * bound a confidence interval of the median at the given level (e.g. 0.95).
 * Returns 0 when such an interval exists for n, else -EINVAL.
 */
int cr_stats_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi);

/*
 * The two-sided Mann-Whitney U test (Wilcoxon rank-sum) of x (nx samples)
 * against y (ny): is one distribution shifted from the other? Stores the
 * p-value in *p. Ties share their mid-rank. Exact (the permutation
 * distribution of the rank sum, ties included) when nx + ny <= 60, else
 * the normal approximation with tie and continuity corrections. The
 * smallest p possible is 2 / C(nx + ny, nx): 0.1 for 3 + 3 samples, 0.029
 * for 4 + 4. Returns 0, -EINVAL when a side is empty, or -ENOMEM.
 * Implemented in cr_stats_utest.c.
 */
int cr_stats_mann_whitney(const double *x, size_t nx, const double *y,
                          size_t ny, double *p);

#endif
