/*
 * slo_chart: an SVG chart of a check, with no script, that any browser
 * opens. One row per objective, grouped like the table:
 *
 *   - a bar on a log scale of value / target (one axis for every row, so
 *     rows of different units compare: the bar says how much of its target
 *     an objective uses), coloured by verdict;
 *   - the target mark (at 1) and the critical mark (critical / target);
 *   - the interval of the statistic as a whisker;
 *   - on the right, a trend line of the objective's value over the last
 *     checks of the history and this one (each row on its own log scale).
 *
 * Elements carry classes (bar, mark target, mark critical, whisker, trend)
 * and <title> tooltips. The SVG is appended to a caller-owned cr_buf;
 * results and history are only read.
 */
#ifndef SLO_CHART_H
#define SLO_CHART_H

#include <stddef.h>

#include "cr_buf.h"
#include "slo.h"
#include "slo_history.h"

/*
 * Renders r[0..n) and, for the trends, the last `last` checks of h (h may
 * be NULL). Returns 0, or -1 when out of memory.
 */
int slo_chart_svg(struct cr_buf *b, const struct slo_result *r, size_t n,
                  const struct slo_history *h, size_t last);

#endif
