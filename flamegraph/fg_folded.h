/*
 * fg_folded: the folded-stack text format, "frame;frame;...;leaf COUNT",
 * one line per distinct stack, and its two-column differential form
 * "stack OLD NEW". heaptrack_print --print-flamegraph (-F) writes the same
 * form, so allocation profiles go through the same code.
 *
 * Reading merges equal stacks into an fg_map (caller-owned); lines that do
 * not parse are counted, never fatal. Writing sorts bytewise, as the
 * reference collapser does.
 */
#ifndef FG_FOLDED_H
#define FG_FOLDED_H

#include "fg_error.h"
#include "fg_map.h"

#include "cr_buf.h"

#include <stdbool.h>
#include <stdint.h>

struct fg_folded_stats {
    uint64_t lines;         /* lines read, blank ones included */
    uint64_t skipped;       /* lines that are not "stack COUNT" */
    uint64_t first_skipped; /* 1-based line number of the first, or 0 */
};

/*
 * Splits the len bytes of a folded line into the stack (its first
 * *stack_len bytes) and its one or two counts (*ncols). Returns false for a
 * line that has no stack or no count (blank lines included).
 */
bool fg_folded_parse(const char *line, size_t len, size_t *stack_len,
                     uint64_t counts[2], int *ncols);

/*
 * Reads the folded file at path ("-": stdin) and adds each line's last
 * count to count[slot] (0 or 1) of its stack in m. st (may be NULL) gets
 * the line counts. Fails only on I/O and memory errors.
 */
enum fg_code fg_folded_read(struct fg_map *m, const char *path, int slot,
                            struct fg_folded_stats *st, struct cr_error *err);

/* The same for the len bytes at data. */
enum fg_code fg_folded_read_mem(struct fg_map *m, const char *data, size_t len,
                                int slot, struct fg_folded_stats *st,
                                struct cr_error *err);

/* Appends m's stacks sorted bytewise, with count[0] only (ncols 1) or
 * both counts (ncols 2), one line each. Returns 0 or -ENOMEM. */
int fg_folded_write(const struct fg_map *m, int ncols, struct cr_buf *out);

#endif
