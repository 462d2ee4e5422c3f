/* cr_stats: descriptive statistics. See cr_stats.h. */
#include "cr_alloc.h"
#include "cr_stats.h"

#include <errno.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

double cr_stats_quantile_sorted(const double *s, size_t n, double q)
{
    double pos, frac;
    size_t i;

    if (n == 0)
        return NAN;
    if (q <= 0)
        return s[0];
    if (q >= 1)
        return s[n - 1];
    pos = q * (double)(n - 1);
    i = (size_t)pos;
    frac = pos - (double)i;
    if (i + 1 >= n)
        return s[n - 1];
    return s[i] + (s[i + 1] - s[i]) * frac;
}

/* log of the binomial coefficient C(n, k), via lgamma to avoid overflow. */
static double log_choose(size_t n, size_t k)
{
    return lgamma((double)n + 1) - lgamma((double)k + 1) -
           lgamma((double)(n - k) + 1);
}

int cr_stats_median_ci_ranks(size_t n, double level, size_t *lo, size_t *hi)
{
    /*
     * The number of samples below the true median is Binomial(n, 1/2). Pick
     * the largest k with P(k <= B < n-k) >= level: then the k-th and the
     * (n-k+1)-th order statistics bound the median with that confidence.
     */
    double tail = 0, alpha = 1 - level;
    size_t k = 0;

    if (n == 0)
        return -EINVAL;
    for (size_t j = 0; j < n / 2; j++) {
        /* P(B <= j) accumulated; both tails are equal by symmetry. */
        tail += exp(log_choose(n, j) - (double)n * log(2.0));
        if (2 * tail > alpha)
            break;
        k = j + 1;
    }
    if (k == 0)
        return -EINVAL;
    *lo = k - 1;
    *hi = n - k;
    return 0;
}

int cr_stats_summarize(const double *x, size_t n, struct cr_stats_summary *out)
{
    double *s, *dev, sum = 0, sq = 0;
    size_t lo, hi;

    memset(out, 0, sizeof(*out));
    if (n == 0)
        return -EINVAL;
    s = cr_malloc(2 * n * sizeof(*s));
    if (!s)
        return -ENOMEM;
    dev = s + n;
    memcpy(s, x, n * sizeof(*s));
    qsort(s, n, sizeof(*s), cmp_double);

    out->n = n;
    out->min = s[0];
    out->max = s[n - 1];
    for (size_t i = 0; i < n; i++)
        sum += s[i];
    out->mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (s[i] - out->mean) * (s[i] - out->mean);
    out->stddev = n > 1 ? sqrt(sq / (double)(n - 1)) : 0;
    out->median = cr_stats_quantile_sorted(s, n, 0.5);
    out->p95 = cr_stats_quantile_sorted(s, n, 0.95);

    for (size_t i = 0; i < n; i++)
        dev[i] = fabs(s[i] - out->median);
    qsort(dev, n, sizeof(*dev), cmp_double);
    out->mad = cr_stats_quantile_sorted(dev, n, 0.5);
    /* Iglewicz-Hoaglin modified z-score; reported, never removed. */
    for (size_t i = 0; i < n && out->mad > 0; i++) {
        if (fabs(0.6745 * (s[i] - out->median) / out->mad) > 3.5)
            out->outliers++;
    }

    if (cr_stats_median_ci_ranks(n, 0.95, &lo, &hi) == 0) {
        out->ci_lo = s[lo];
        out->ci_hi = s[hi];
        out->ci_exact = 1;
    } else {
        out->ci_lo = out->min;
        out->ci_hi = out->max;
    }
    cr_free(s);
    return 0;
}
