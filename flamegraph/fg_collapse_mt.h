/*
 * fg_collapse_mt: fg_collapse on several threads. A regular file is
 * memory-mapped a piece at a time (fg_collapse_file.c); other input
 * (pipes) is read in large chunks. Either way the input is cut at blank
 * lines, where the collapser's state is empty (perf script ends every
 * sample with one), so each piece can be collapsed on its own; each
 * thread counts into tables of its own, added to the caller's map at the
 * end. The output and the statistics are those of a sequential run, line
 * numbers included.
 *
 * The first piece is collapsed on the calling thread, which fixes the
 * event type that is kept and whether the input is already folded; the
 * workers start from that. Memory: a few pieces of 1 MiB and each
 * thread's tables (distinct frame lines and stacks), whatever the input
 * size.
 */
#ifndef FG_COLLAPSE_MT_H
#define FG_COLLAPSE_MT_H

#include "fg_collapse.h"

/*
 * Reads path ("-": stdin) through c, which must be freshly initialised,
 * with up to `threads` threads (1: on the calling thread only), and
 * finishes. c->st and c's map get the same results as fg_collapse_path.
 */
enum fg_code fg_collapse_path_mt(struct fg_collapse *c, const char *path,
                                 int threads, struct cr_error *err);

#endif
