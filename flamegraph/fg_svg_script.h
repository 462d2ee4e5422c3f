/*
 * fg_svg_script: the CSS and JavaScript embedded in every SVG (static
 * strings, no network needed): hover details, click to zoom, Reset Zoom,
 * regex search (button or Ctrl-F) with "Matched: X%", and the zoom and
 * search kept in the URL query (x, y, s) so that a reloaded link reopens
 * the same view. Internal to the flamegraph library.
 */
#ifndef FG_SVG_SCRIPT_H
#define FG_SVG_SCRIPT_H

extern const char fg__svg_style[];
extern const char fg__svg_script[];

#endif
