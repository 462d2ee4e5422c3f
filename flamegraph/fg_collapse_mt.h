/*
 * fg_collapse_mt: fg_collapse on several threads. The input is read in
 * large chunks cut at blank lines, where the collapser's state is empty
 * (perf script ends every sample with one), so each chunk can be collapsed
 * on its own; the workers add to the caller's table under a lock. The output
 * and the statistics are those of a sequential run, line numbers included.
 *
 * The first chunk is collapsed on the calling thread, which fixes the event
 * type that is kept and whether the input is already folded; the workers
 * start from that. Memory: a few chunks of 1 MiB and a 16-entry ring of
 * line counts, whatever the input size.
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
