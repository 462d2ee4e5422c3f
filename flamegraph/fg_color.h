/*
 * fg_color: frame colours. A frame's colour is a pure function of its name
 * (a hash, never a random draw), so the same function has the same colour
 * in every graph; its hue family says what kind of code it is (see
 * flamegraph/README.md, "Colours"). Nothing here allocates.
 */
#ifndef FG_COLOR_H
#define FG_COLOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fg_palette {
    FG_PAL_HOT, /* hued by kind: user, library, kernel, inlined */
    FG_PAL_MEM, /* greens, for allocation profiles */
    FG_PAL_IO,  /* blues */
    FG_PAL_RED,
    FG_PAL_GREEN,
    FG_PAL_BLUE,
    FG_PAL_AQUA,
    FG_PAL_YELLOW,
    FG_PAL_ORANGE,
    FG_PAL_PURPLE,
};

enum fg_kind { FG_KIND_USER, FG_KIND_LIB, FG_KIND_KERNEL, FG_KIND_INLINE };

/* The palette called name ("hot", "mem", ...); false when unknown. */
bool fg_palette_parse(const char *name, enum fg_palette *out);

/* The comma-separated list of palette names, for usage messages. */
const char *fg_palette_names(void);

/* What kind of code the frame name is (see the README for the rules). */
enum fg_kind fg_frame_kind(const char *name, size_t len);

/* The frame's colour in palette p. */
void fg_color(enum fg_palette p, const char *name, size_t len,
              unsigned char rgb[3]);

/* A differential frame's colour: red for growth, blue for shrinkage
 * (swapped by negate), white for none, saturated at |delta| == maxabs. */
void fg_color_diff(int64_t delta, uint64_t maxabs, bool negate,
                   unsigned char rgb[3]);

#endif
