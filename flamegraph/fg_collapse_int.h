/*
 * fg_collapse_int: the frame-line half of fg_collapse, shared between
 * fg_collapse.c (sample headers, blank lines) and fg_collapse_frame.c
 * (frame lines and the sample's stack buffer), which fg_collapse.c calls
 * and which calls nothing back. Internal to the flamegraph library.
 */
#ifndef FG_COLLAPSE_INT_H
#define FG_COLLAPSE_INT_H

#include "fg_collapse.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Perl's \s, \d and \w on bytes, as the reference script sees them. */
static inline bool fg__ws(unsigned char ch)
{
    return ch == ' ' || (ch >= '\t' && ch <= '\r');
}
static inline bool fg__digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

/*
 * Handles a line that is not a sample header: a frame "ADDR SYM+OFF (DSO)".
 * Returns 2 when the line is a frame whose name is now in c->scratch, 1
 * when it is a frame that adds nothing (ignored, as the reference does), 0
 * when it is not a frame (the caller counts it as skipped), -ENOMEM when
 * out of memory. *key is the offset in s from which the bytes alone decide
 * the answer (so it may be cached under them), or SIZE_MAX.
 */
int fg__collapse_frame(struct fg_collapse *c, const char *s, size_t n,
                       size_t *key);

/*
 * The interned form of samples (fg_collapse_stack.c): frame names and
 * root names get small ids, a sample is the array of its ids, and equal
 * arrays are counted once; the folded strings are built only when the
 * table is drained, once per distinct stack. Frame lines are cached by
 * their text (from the key offset above), so a line seen before costs one
 * hash and one comparison.
 */
#define FG__NOFRAME UINT32_MAX /* a cached line that adds no frame */

struct fg__intern {
    struct fg_map lines; /* frame line text -> index into line_id */
    uint32_t *line_id;   /* owned: per cached line, a name id or NOFRAME */
    size_t line_cap;
    struct fg_map names;  /* frame and root names -> name id */
    struct fg_map stacks; /* uint32 arrays [root, innermost..outermost] */
    uint32_t *ids;        /* owned: the current sample's frames from ids[1],
                           * innermost first; ids[0] takes the root at flush */
    size_t nids, ids_cap;
    uint32_t root; /* the current sample's root name id */
};

/* A frame line answered from the cache: 1 when it was (its frame is in
 * the sample), 0 when not, -ENOMEM. */
int fg__frame_cached(struct fg_collapse *c, const char *s, size_t n);

/* A frame line the long way, cached when its text alone decides: 1 when
 * it is a frame line, 0 when not, -ENOMEM. */
int fg__frame_line(struct fg_collapse *c, const char *s, size_t n);

/* Counts the current sample, if any, and starts the next (what a blank
 * line does). Returns 0 or -ENOMEM. */
int fg__collapse_flush(struct fg_collapse *c);

/* Collapses the size bytes of the regular file fd through memory maps on
 * up to `threads` threads and finishes (fg_collapse_file.c). */
enum fg_code fg__collapse_file(struct fg_collapse *c, int fd, size_t size,
                               const char *name, int threads,
                               struct cr_error *err);

/* Allocates c->in when it is missing. Returns 0 or -ENOMEM. */
int fg__intern_init(struct fg_collapse *c);

/* Frees c->in. */
void fg__intern_free(struct fg_collapse *c);

/* The cached answer for a frame line's key bytes: 1 with *id set (a name
 * id or FG__NOFRAME), 0 when not cached. */
static inline int fg__line_lookup(const struct fg__intern *in, const char *k,
                                  size_t n, uint64_t h, uint32_t *id)
{
    size_t i = fg_map_find_hashed(&in->lines, k, n, h);
    if (i == SIZE_MAX)
        return 0;
    *id = in->line_id[i];
    return 1;
}

/* Caches a frame line's answer: the name in c->scratch when frame is 2,
 * no frame when 1; stores the id in *id. Returns 0 or -ENOMEM. */
int fg__line_add(struct fg_collapse *c, const char *k, size_t n, uint64_t h,
                 int frame, uint32_t *id);

/* Interns the name in c->scratch (a frame computed but not cacheable). */
int fg__name_id(struct fg_collapse *c, const char *p, size_t n, uint32_t *id);

/* Doubles in->ids. Returns 0 or -ENOMEM. */
int fg__ids_grow(struct fg__intern *in);

/* Appends a frame id to the current sample. Returns 0 or -ENOMEM. */
static inline int fg__sample_push(struct fg__intern *in, uint32_t id)
{
    if (in->nids == in->ids_cap) {
        if (fg__ids_grow(in) != 0)
            return -ENOMEM;
    }
    in->ids[in->nids++] = id;
    return 0;
}

/* Counts the current sample (count added) and empties it. */
int fg__sample_flush(struct fg_collapse *c, uint64_t count);

/* Adds every counted stack, as folded text, to c->out (under c->out_lock
 * when set) and empties the table. Returns 0 or -ENOMEM. */
int fg__intern_drain(struct fg_collapse *c);

#endif
