/* cr_stats: the Mann-Whitney U test. See cr_stats.h. */
#include "cr_alloc.h"
#include "cr_stats.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Up to this many samples in all, the p-value is exact. */
#define EXACT_MAX 60

struct tagged {
    double v;
    int from_x;
};

static int cmp_tagged(const void *a, const void *b)
{
    double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;
    return (x > y) - (x < y);
}

/*
 * Ranks the pooled samples, ties sharing their mid-rank. Ranks are kept
 * doubled so that mid-ranks stay integers. Stores the doubled ranks of x
 * in xr (nx of them), all doubled ranks in r, and the tie correction
 * sum(t^3 - t) over tie groups in *ties.
 */
static void rank(struct tagged *t, size_t n, long *r, long *xr, double *ties)
{
    size_t nx = 0;
    *ties = 0;
    qsort(t, n, sizeof(*t), cmp_tagged);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && t[j + 1].v == t[i].v)
            j++;
        double g = (double)(j - i + 1);
        *ties += g * g * g - g;
        for (size_t k = i; k <= j; k++) {
            r[k] = (long)(i + 1 + j + 1); /* twice the mid-rank */
            if (t[k].from_x)
                xr[nx++] = r[k];
        }
        i = j + 1;
    }
}

/*
 * The exact two-sided p-value: the permutation distribution of the (doubled)
 * rank sum of nx samples drawn from the n pooled ranks, counted by dynamic
 * programming over (how many taken, their sum). Ties are handled because
 * the actual mid-ranks are summed.
 */
static int exact_p(const long *r, size_t n, size_t nx, long w, double *p)
{
    long smax = 0;
    for (size_t i = 0; i < n; i++)
        smax += r[i];
    size_t width = (size_t)smax + 1;
    double *ways = cr_calloc((nx + 1) * width, sizeof(*ways));
    if (!ways)
        return -ENOMEM;
    ways[0] = 1;
    for (size_t i = 0; i < n; i++) {
        /* Downwards in k so that each rank is taken at most once. */
        for (size_t k = (i + 1 < nx ? i + 1 : nx); k >= 1; k--) {
            double *to = ways + k * width, *from = ways + (k - 1) * width;
            for (long s = smax; s >= r[i]; s--)
                to[s] += from[s - r[i]];
        }
    }
    double total = 0, le = 0, ge = 0;
    const double *last = ways + nx * width;
    for (long s = 0; s <= smax; s++) {
        total += last[s];
        le += s <= w ? last[s] : 0;
        ge += s >= w ? last[s] : 0;
    }
    cr_free(ways);
    *p = fmin(1.0, 2 * fmin(le, ge) / total);
    return 0;
}

/* Normal approximation with tie and continuity corrections. */
static double normal_p(double w2, size_t nx, size_t ny, double ties)
{
    double n = (double)(nx + ny);
    double u = w2 / 2 - (double)nx * ((double)nx + 1) / 2;
    double mean = (double)nx * (double)ny / 2;
    double var =
        (double)nx * (double)ny / 12 * ((n + 1) - ties / (n * (n - 1)));
    if (var <= 0)
        return 1;
    double z = (fabs(u - mean) - 0.5) / sqrt(var);
    return z <= 0 ? 1 : fmin(1.0, erfc(z / sqrt(2.0)));
}

int cr_stats_mann_whitney(const double *x, size_t nx, const double *y,
                          size_t ny, double *p)
{
    size_t n = nx + ny;
    if (nx == 0 || ny == 0)
        return -EINVAL;
    struct tagged *t = cr_malloc(n * sizeof(*t));
    long *r = cr_malloc(2 * n * sizeof(*r));
    int rc = t && r ? 0 : -ENOMEM;
    if (rc == 0) {
        double ties;
        long w = 0;
        for (size_t i = 0; i < n; i++)
            t[i] = (struct tagged){ i < nx ? x[i] : y[i - nx], i < nx };
        rank(t, n, r, r + n, &ties);
        for (size_t i = 0; i < nx; i++)
            w += r[n + i];
        if (n <= EXACT_MAX)
            rc = exact_p(r, n, nx, w, p);
        else
            *p = normal_p((double)w, nx, ny, ties);
    }
    cr_free(t);
    cr_free(r);
    return rc;
}
