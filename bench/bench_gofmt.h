/*
 * bench_gofmt: Go's benchmark data format (proposal 14313), read and
 * checked.
 *
 * A file is a sequence of lines of three kinds; anything else is ignored:
 *  - a config line "key: value": the key starts with a lowercase letter
 *    and holds no space and no uppercase letter; it applies to the result
 *    lines after it until the key is set again ("gate: off" is ours: the
 *    results after it are reported, never gated);
 *  - a result line "BenchmarkName  N  value unit  [value unit]...": the
 *    name is "Benchmark" then end of word or a character that is not a
 *    lowercase letter, N a decimal iteration count, each value a number,
 *    each unit a word (ns/op, MB/s, B/op, allocs/op...);
 *  - a blank line.
 *
 * bench_gofmt_parse gathers the samples of each (benchmark, unit) pair
 * into a struct bench_data, which owns every string and array in it: zero
 * it first, free it with bench_data_release.
 */
#ifndef BENCH_GOFMT_H
#define BENCH_GOFMT_H

#include "bench_error.h"

#include <stdbool.h>
#include <stddef.h>

enum bench_line_kind {
    BENCH_LINE_BLANK,
    BENCH_LINE_CONFIG,
    BENCH_LINE_RESULT,
    BENCH_LINE_OTHER, /* ignored by readers (comments, PASS, ok ...) */
};

/* The samples of one benchmark in one unit, in file order. */
struct bench_series {
    char *name; /* without "Benchmark", with its -procs suffix */
    char *unit;
    bool gate; /* false under "gate: off" */
    double *v;
    size_t n, cap;
};

struct bench_data {
    struct bench_series *s; /* in order of first appearance */
    size_t n, cap;
};

/*
 * Classifies the len bytes of line (no newline). A line that starts as a
 * result line ("Benchmark" + not a lowercase letter) but breaks the
 * grammar returns -1 with the reason in err (code BENCH_E_INPUT, no
 * position); everything else returns 0 with its kind in *kind.
 */
int bench_gofmt_classify(const char *line, size_t len,
                         enum bench_line_kind *kind, struct cr_error *err);

/*
 * Reads text (len bytes) named path (for messages) into out. A malformed
 * result line is an error naming path:line. Returns BENCH_OK,
 * BENCH_E_INPUT or BENCH_E_NOMEM.
 */
enum bench_code bench_gofmt_parse(const char *text, size_t len,
                                  const char *path, struct bench_data *out,
                                  struct cr_error *err);

/* The series called name in unit, or NULL. Borrowed from d. */
const struct bench_series *bench_data_find(const struct bench_data *d,
                                           const char *name, const char *unit);

/* Frees everything d owns and leaves it empty. */
void bench_data_release(struct bench_data *d);

#endif
