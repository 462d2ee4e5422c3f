/*
 * fg_collapse_int: the frame-line half of fg_collapse, shared between
 * fg_collapse.c (sample headers, blank lines) and fg_collapse_frame.c
 * (frame lines and the sample's stack buffer), which fg_collapse.c calls
 * and which calls nothing back. Internal to the flamegraph library.
 */
#ifndef FG_COLLAPSE_INT_H
#define FG_COLLAPSE_INT_H

#include "cr_alloc.h"
#include "fg_collapse.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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
 * out of memory. The answer depends on the line, c->opt, and whether the
 * sample has a root and is Java's.
 */
int fg__collapse_frame(struct fg_collapse *c, const char *s, size_t n);

/*
 * The hash of frame lines. Lines shorter than 32 bytes are hashed whole;
 * longer ones by their length and 40 of their bytes: the first 16 (the
 * address), 8 from the middle (the symbol) and the last 16 (the offset and
 * the file's name). That is what tells frame lines apart; lines alike in
 * those bytes only share a probe sequence, as the cache compares the whole
 * text. Hashing a line costs the same whatever its length.
 */
static inline uint64_t fg__hash_step(uint64_t h, uint64_t w)
{
    h = (h ^ w) * 0x87c37b91114253d5ULL;
    return h ^ (h >> 29);
}

static inline uint64_t fg__line_hash(const char *p, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)n, w[5] = { 0 };
    if (n >= 32) {
        memcpy(&w[0], p, 16);
        memcpy(&w[2], p + n / 2, 8);
        memcpy(&w[3], p + n - 16, 16);
        for (int i = 0; i < 5; i++)
            h = fg__hash_step(h, w[i]);
    } else {
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            memcpy(&w[0], p + i, 8);
            h = fg__hash_step(h, w[0]);
        }
        w[0] = 0;
        memcpy(&w[0], p + i, n - i);
        h = fg__hash_step(h, w[0]);
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

/* Collapses the len bytes at data (whole lines; the last one needs no
 * newline) with c, as fg_input_mem and fg_collapse_line would, with
 * frame lines seen before answered while their end is searched for. No
 * finish. Returns 0 or -ENOMEM. */
int fg__collapse_scan(struct fg_collapse *c, const char *data, size_t len);

/*
 * The interned form of samples (fg_collapse_stack.c): frame names and
 * root names get small ids, a sample is the array of its ids, and equal
 * arrays are counted once; the folded strings are built only when the
 * table is drained, once per distinct stack. Frame lines are cached by
 * their text (from the key offset above), so a line seen before costs one
 * hash and one comparison.
 */
#define FG__NOFRAME UINT32_MAX /* a cached line that adds no frame */

/* One cached frame line: where its text is in the arena, its answer. */
struct fg__slot {
    uint32_t tag; /* the hash's high half */
    uint32_t id;  /* a name id or FG__NOFRAME */
    uint32_t off; /* UINT32_MAX: an empty slot */
    uint32_t len;
    uint32_t next; /* the slot of the line that came next last time (the
                    * caller's frame), or UINT32_MAX; a guess to check */
};

struct fg__intern {
    /* The frame line cache: open addressing, the key and answer in the
     * slot so a hit reads the slot and the text, nothing else. */
    struct fg__slot *slots; /* owned */
    size_t nslots, nlines;  /* a power of two (or 0); lines cached */
    char *arena;            /* owned: the lines' text */
    size_t alen, acap;
    struct fg_map names;  /* frame and root names -> name id */
    struct fg_map stacks; /* uint32 arrays [root, innermost..outermost] */
    uint32_t *ids;        /* owned: the current sample's frames from ids[1],
                           * innermost first; ids[0] takes the root at flush */
    size_t nids, ids_cap;
    uint32_t root; /* the current sample's root name id */
    /* Whether the cache pays: lines that repeat are the rule in real
     * profiles, but a generated one may have a new address on every line.
     * Over each window of FG__WINDOW frame lines, hits and misses are
     * counted; a window with under a third hits turns the cache off
     * for the next seven (no lookups, no inserts), then it is tried
     * again. The cache stops growing at FG__MAXLINES lines. */
    uint32_t hits, misses, off_windows;
};

#define FG__WINDOW   8192u
#define FG__MAXLINES (1u << 20)

/* Whether frame lines are looked up and cached now. */
static inline bool fg__caching(const struct fg__intern *in)
{
    return in->off_windows == 0;
}

/* Counts a frame line (hit or not) and judges the window at its end. */
static inline void fg__count(struct fg__intern *in, bool hit)
{
    if (hit)
        in->hits++;
    else
        in->misses++;
    if (in->hits + in->misses < FG__WINDOW)
        return;
    if (in->off_windows > 0)
        in->off_windows--;
    else if (in->misses > 2 * in->hits)
        in->off_windows = 7;
    in->hits = in->misses = 0;
}

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

/* The slot of a frame line's text (n bytes, hash h), or UINT32_MAX when
 * it is not cached. */
static inline uint32_t fg__line_slot(const struct fg__intern *in, const char *k,
                                     size_t n, uint64_t h)
{
    if (in->nslots == 0)
        return UINT32_MAX;
    size_t mask = in->nslots - 1;
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        const struct fg__slot *s = &in->slots[j];
        if (s->off == UINT32_MAX)
            return UINT32_MAX;
        if (s->tag == tag && s->len == n &&
            memcmp(in->arena + s->off, k, n) == 0)
            return (uint32_t)j;
    }
}

/* The cached answer for a frame line: 1 with *id set (a name id or
 * FG__NOFRAME), 0 when not cached. */
static inline int fg__line_lookup(const struct fg__intern *in, const char *k,
                                  size_t n, uint64_t h, uint32_t *id)
{
    uint32_t j = fg__line_slot(in, k, n, h);
    if (j == UINT32_MAX)
        return 0;
    *id = in->slots[j].id;
    return 1;
}

/* Caches a frame line's answer (k: the whole line, n bytes, hash h): the
 * name in c->scratch when frame is 2, no frame when 1; stores the id in
 * *id. Returns 0 or -ENOMEM. */
int fg__line_add(struct fg_collapse *c, const char *k, size_t n, uint64_t h,
                 int frame, uint32_t *id);

/* Interns the name in c->scratch (a frame computed but not cacheable). */
int fg__name_id(struct fg_collapse *c, const char *p, size_t n, uint32_t *id);

/* Doubles in->ids. Returns 0 or -ENOMEM. Inline, beside its one caller
 * on the hot path, so this header needs nothing of the files that use it. */
static inline int fg__ids_grow(struct fg__intern *in)
{
    size_t cap = in->ids_cap ? in->ids_cap * 2 : 256;
    uint32_t *v = cr_realloc(in->ids, cap * sizeof(*v));
    if (!v)
        return -ENOMEM;
    in->ids = v;
    in->ids_cap = cap;
    return 0;
}

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
