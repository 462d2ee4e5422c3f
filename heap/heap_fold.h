/*
 * heap_fold: heaptrack_print's flame-graph stacks (-F FILE) turned into the
 * folded format other tools read: one "outer;...;leaf COUNT" line per
 * stack. heaptrack writes "outer;...;leaf; COUNT" (a separator after the
 * leaf) and lists stacks whose cost is 0; both are cleaned up here. Pure:
 * bytes in, bytes out.
 */
#ifndef HEAP_FOLD_H
#define HEAP_FOLD_H

#include <stddef.h>

#include "cr_buf.h"
#include "cr_error.h"
#include "heap_error.h"

/* The cost a flame graph counts (heaptrack's --flamegraph-cost-type). */
enum heap_cost {
    HEAP_COST_ALLOCATIONS,
    HEAP_COST_PEAK,
    HEAP_COST_LEAKED,
    HEAP_COST_TEMPORARY
};

/* "allocations", "peak", "leaked", "temporary". Static storage. */
const char *heap_cost_name(enum heap_cost c);

/*
 * Appends the folded lines of len bytes of heaptrack's stacks to out (a
 * caller-owned buffer) and sets *stacks (may be NULL) to how many it
 * wrote. Lines without a final count, and stacks of cost 0, are dropped.
 * Returns HEAP_OK or HEAP_E_NOMEM.
 */
enum heap_code heap_fold_normalize(const char *text, size_t len,
                                   struct cr_buf *out, size_t *stacks,
                                   struct cr_error *err);

#endif
