/*
 * bench_compare: two sets of results side by side, with a verdict per
 * benchmark and unit (the statistics and gate of `bench compare`).
 *
 * For each (benchmark, unit) in both sets: the median of each side with
 * its spread (the 95% confidence interval of the median as ± % of it;
 * below 6 samples no such interval exists and the min-max range is used),
 * the delta of the medians, and a two-sided Mann-Whitney U test
 * (cr_stats_mann_whitney). p > alpha prints as "~" (no difference shown).
 * Fewer than 4 samples on a side is "too few samples": with 3 + 3 no
 * ordering reaches p < 0.05, so no verdict is possible.
 *
 * A significant change for the worse (slower, more B/op or allocs/op,
 * lower MB/s) is classed by how much worse it is at least: the best new
 * sample bound against the worst old one (the interval bounds above, so
 * the spread of both sides is taken off the change): below `minor` %
 * noise, then minor, moderate from `moderate` %, major from `major` %
 * (5/20/50 unless a threshold says otherwise). Moderate and major fail the
 * comparison, except for series under "gate: off" and rate units ("/s": MB/s
 * only restates ns/op), which are reported and never gate. Time gates on CPU
 * time: when both sides of a benchmark have cpu-ns/op (bench writes it),
 * that unit gates and wall-clock ns/op is only reported, so that other
 * processes competing for the CPUs cannot fail the gate; wall_time (bench
 * compare --time wall) gates ns/op instead. Files without cpu-ns/op (Go's,
 * benchstat's) gate on ns/op.
 *
 * A struct bench_comparison borrows the names and units of the two
 * bench_data it was made from, which must outlive it; free it with
 * bench_comparison_release.
 */
#ifndef BENCH_COMPARE_H
#define BENCH_COMPARE_H

#include "bench_error.h"
#include "bench_gofmt.h"
#include "cr_buf.h"

#include <regex.h>

enum bench_class {
    BENCH_CLASS_NONE = 0, /* no significant change, or no verdict */
    BENCH_CLASS_IMPROVED,
    BENCH_CLASS_NOISE,
    BENCH_CLASS_MINOR,
    BENCH_CLASS_MODERATE,
    BENCH_CLASS_MAJOR,
};

enum bench_verdict {
    BENCH_VERDICT_SAME = 0, /* p > alpha: "~" */
    BENCH_VERDICT_CHANGED,
    BENCH_VERDICT_FEW, /* fewer than BENCH_MIN_SAMPLES on a side */
};

#define BENCH_MIN_SAMPLES 4

/* Class boundaries in percent of worsening, for names matching re. */
struct bench_threshold {
    regex_t re; /* POSIX extended, unanchored, on the name */
    double minor, moderate, major;
};

struct bench_compare_opts {
    double alpha;                  /* 0.05 */
    bool wall_time;                /* gate ns/op even where cpu-ns/op exists */
    double minor, moderate, major; /* defaults: 5, 20, 50 */
    const struct bench_threshold *th; /* the first match wins */
    size_t n_th;
};

struct bench_row {
    const char *name, *unit; /* borrowed */
    double old_med, new_med;
    double old_spread, new_spread; /* ± % of the median */
    size_t old_n, new_n;
    double delta; /* (new / old - 1) * 100 */
    double worse; /* at least this much worse, in % (see above) */
    double p;
    enum bench_verdict verdict;
    enum bench_class cls;
    bool gated; /* may fail the comparison */
};

struct bench_geomean {
    const char *unit;
    double old_g, new_g, delta; /* delta: geomean of ratios, in % */
    size_t n;                   /* benchmarks in it (medians > 0) */
};

struct bench_comparison {
    struct bench_row *rows;
    size_t n;
    struct bench_geomean *geo;
    size_t n_geo;
    size_t classes[BENCH_CLASS_MAJOR + 1]; /* gated rows by class */
    size_t only_old, only_new;             /* series in one set only */
    size_t too_few;                        /* rows with BENCH_VERDICT_FEW */
    double alpha;
    bool failed; /* a gated moderate or major regression */
};

/* Compares old with new. Returns BENCH_OK or BENCH_E_NOMEM. */
enum bench_code bench_compare(const struct bench_data *old,
                              const struct bench_data *new_,
                              const struct bench_compare_opts *o,
                              struct bench_comparison *out,
                              struct cr_error *err);

void bench_comparison_release(struct bench_comparison *c);

/* "none", "improved", "noise", "minor", "moderate", "major". */
const char *bench_class_name(enum bench_class c);

enum bench_format { BENCH_FORMAT_TEXT, BENCH_FORMAT_CSV, BENCH_FORMAT_JSON };

/* Renders c into out; old_label and new_label name the two sides. */
enum bench_code bench_compare_render(const struct bench_comparison *c,
                                     enum bench_format fmt,
                                     const char *old_label,
                                     const char *new_label, struct cr_buf *out,
                                     struct cr_error *err);

#endif
