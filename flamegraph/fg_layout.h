/*
 * fg_layout: the frames of a flame graph from a folded-stack table. Stacks
 * are merged by prefix and siblings sorted by name (bytewise, a shorter
 * name before its extensions), so x-order is alphabetical, not time.
 *
 * Frame 0 is the root "all" at depth 0; the others follow in depth-first
 * order, each with its start (in counts from the left) and width (count).
 * For a differential table the width is the new count (count[1]) and
 * delta the new minus the old count under the frame.
 *
 * Names are borrowed from the map, which must outlive the layout and stay
 * unchanged. struct fg_layout is caller-allocated; zero it;
 * fg_layout_release frees what it owns.
 */
#ifndef FG_LAYOUT_H
#define FG_LAYOUT_H

#include "fg_error.h"
#include "fg_map.h"

#include <stdbool.h>
#include <stdint.h>

struct fg_frame {
    const char *name; /* borrowed from the map; not NUL-terminated */
    size_t len;
    uint32_t depth;
    uint64_t start;
    uint64_t count;
    uint64_t old;  /* differential: the old count under the frame */
    int64_t delta; /* differential: count - old */
};

struct fg_layout {
    struct fg_frame *v; /* owned */
    size_t n, cap;
    uint64_t total;     /* the root's count */
    uint64_t old_total; /* differential: the old root count */
    uint32_t maxdepth;
};

/*
 * Lays out m's stacks. diff false: widths are count[0]; true: widths are
 * count[1] and the old counts come from count[0]. Returns FG_OK or
 * FG_E_NOMEM.
 */
enum fg_code fg_layout_build(struct fg_layout *l, const struct fg_map *m,
                             bool diff, struct cr_error *err);

/* Frees the frames and leaves l empty. */
void fg_layout_release(struct fg_layout *l);

#endif
