/*
 * fg_render: folded stacks -> an interactive SVG flame graph (or icicle
 * graph, or differential graph), self-contained: inline CSS and script, no
 * network. Layout, colours and interaction are described in
 * flamegraph/README.md.
 *
 * The SVG is appended to a caller-owned cr_buf. The map is only read.
 */
#ifndef FG_RENDER_H
#define FG_RENDER_H

#include "fg_color.h"
#include "fg_error.h"
#include "fg_map.h"

#include "cr_buf.h"

#include <stdbool.h>
#include <stdint.h>

struct fg_render_opts {
    const char *title;     /* NULL: "Flame Graph" (or Icicle/Differential) */
    const char *subtitle;  /* NULL: none; the total is always shown */
    const char *countname; /* "samples", "bytes", "calls"... */
    unsigned width;        /* pixels, 1200 by default */
    double minwidth;       /* frames narrower than this are left out */
    bool minwidth_pct;     /* minwidth is a percentage of the total */
    bool inverted;         /* icicle: the root at the top */
    bool negate;           /* differential: blue for growth */
    enum fg_palette palette;
    int threads; /* threads writing the frames' SVG; 1 (the default) */
};

struct fg_render_result {
    uint64_t total;   /* samples (the new ones for a differential) */
    size_t frames;    /* frames drawn */
    size_t pruned;    /* frames left out for being narrow */
    bool few_samples; /* fewer than 100: the graph may mislead */
};

/* Fills o with the defaults: 1200 px, minwidth 0.1 px, hot, samples, one
 * thread. */
void fg_render_opts_init(struct fg_render_opts *o);

/*
 * Renders m (count[0]) as a flame graph into out. FG_E_EMPTY when there is
 * nothing to draw (no stacks or a zero total), FG_E_NOMEM.
 */
enum fg_code fg_render(const struct fg_map *m, const struct fg_render_opts *o,
                       struct cr_buf *out, struct fg_render_result *res,
                       struct cr_error *err);

/*
 * Renders a differential flame graph of m, whose count[0] is the old and
 * count[1] the new profile: widths from the new one, red where a frame
 * grew, blue where it shrank, stronger with |delta| / max |delta|.
 */
enum fg_code fg_render_diff(const struct fg_map *m,
                            const struct fg_render_opts *o, struct cr_buf *out,
                            struct fg_render_result *res, struct cr_error *err);

/* Appends a small SVG that shows msg, for when there is no valid input.
 * Returns 0 or -ENOMEM. */
int fg_render_error_svg(struct cr_buf *out, const char *msg);

#endif
