/*
 * fg_top: the functions of a folded profile by self ("flat") and total
 * ("cum") count, as `pprof -top` lists them. A function that appears
 * several times in one stack (recursion) counts once in that stack's cum.
 *
 * struct fg_top is caller-allocated; zero it; fg_top_release frees what it
 * owns. Row names point into the fg_top's own name table.
 */
#ifndef FG_TOP_H
#define FG_TOP_H

#include "fg_error.h"
#include "fg_map.h"

#include "cr_buf.h"

#include <stdint.h>

struct fg_top_row {
    const char *name; /* borrowed from the fg_top; NUL-terminated */
    size_t len;
    uint64_t flat, cum;
};

struct fg_top {
    struct fg_map names;     /* owned: name -> flat (count[0]), cum ([1]) */
    struct fg_top_row *rows; /* owned; by flat, then cum, then name */
    size_t n;
    uint64_t total;
};

/* Counts m's stacks (count[0]). FG_E_EMPTY when the total is zero. */
enum fg_code fg_top_compute(struct fg_top *t, const struct fg_map *m,
                            struct cr_error *err);

/* Frees what t owns and leaves it empty. */
void fg_top_release(struct fg_top *t);

/* Appends the first limit rows (0: all) as a text table. 0 or -ENOMEM. */
int fg_top_text(const struct fg_top *t, size_t limit, const char *countname,
                struct cr_buf *out);

/* Appends the first limit rows (0: all) as one JSON object. */
int fg_top_json(const struct fg_top *t, size_t limit, const char *countname,
                struct cr_buf *out);

#endif
