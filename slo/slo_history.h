/*
 * slo_history: earlier checks, read back from the JSON-lines history that
 * `slo check --history` appends to, or from one saved report (--baseline).
 * Only what comparisons and trends need is kept: each objective's value,
 * the interval of its median and its verdict, in the metric's unit.
 *
 * Ownership: a struct slo_history is caller-allocated, filled by the
 * loaders and released with slo_history_release; everything inside belongs
 * to it.
 */
#ifndef SLO_HISTORY_H
#define SLO_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "cr_error.h"
#include "slo.h"

struct slo_past {
    char *name;
    double value, lo, hi; /* the statistic and the median's interval */
    char verdict[16];
    char unit[8]; /* "ms", "MB", "KB"; "" in reports before the key */
};

struct slo_check {
    uint64_t timestamp_ms;
    struct slo_past *obj;
    size_t n;
};

struct slo_history {
    struct slo_check *checks; /* oldest first */
    size_t n;
};

/*
 * Reads every line of the history at path. A history that does not exist
 * is empty, not an error; a line that is not a report is SLO_E_CONFIG
 * naming the file and the line.
 */
enum slo_code slo_history_load(const char *path, struct slo_history *h,
                               struct cr_error *err);

/* Reads one saved report (the JSON of `slo check --json`) as a one-check
 * history. A missing or malformed file is an error. */
enum slo_code slo_history_load_report(const char *path, struct slo_history *h,
                                      struct cr_error *err);

/* The latest check, or NULL when there is none. */
const struct slo_check *slo_history_last(const struct slo_history *h);

/* The objective called name in c, or NULL (c may be NULL). */
const struct slo_past *slo_check_find(const struct slo_check *c,
                                      const char *name);

void slo_history_release(struct slo_history *h);

#endif
