/*
 * fg_collapse_int: the frame-line half of fg_collapse, shared between
 * fg_collapse.c (sample headers, blank lines) and fg_collapse_frame.c
 * (frame lines and the sample's stack buffer), which fg_collapse.c calls
 * and which calls nothing back. Internal to the flamegraph library.
 */
#ifndef FG_COLLAPSE_INT_H
#define FG_COLLAPSE_INT_H

#include "fg_collapse.h"

#include <stdbool.h>
#include <stddef.h>

/* Perl's \s, \d and \w on bytes, as the reference script sees them. */
static inline bool fg__ws(unsigned char ch)
{
    return ch == ' ' || (ch >= '\t' && ch <= '\r');
}
static inline bool fg__digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Puts the n bytes at p in front of the sample's stack (no separator).
 * Returns 0 or -ENOMEM. */
int fg__stack_prepend(struct fg_collapse *c, const char *p, size_t n);

/*
 * Handles a line that is not a sample header: a frame "ADDR SYM+OFF (DSO)".
 * Returns 1 when the line is a frame (added to the sample, or ignored as
 * the reference does), 0 when it is not one (the caller counts it as
 * skipped), -ENOMEM when out of memory.
 */
int fg__collapse_frame(struct fg_collapse *c, const char *s, size_t n);

#endif
