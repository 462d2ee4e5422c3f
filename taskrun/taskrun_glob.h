/*
 * taskrun_glob: path patterns as cargo-make's makefiles write them.
 *
 * glob(3) patterns plus the recursive component that glob(3) lacks: a
 * component of exactly two stars matches zero or more directories, so
 * "src", two stars, "x.c" joined by slashes matches src/x.c, src/a/x.c,
 * src/a/b/x.c. `{ glob }` env values and files_modified use it. Matches come
 * back sorted; the caller owns the list. No I/O beyond reading directories, no
 * output.
 */
#ifndef TASKRUN_GLOB_H
#define TASKRUN_GLOB_H

#include "taskrun_model.h"

/*
 * Appends every path matching pattern to out, sorted, with a trailing '/'
 * on directories. Hidden entries match only a pattern component that
 * starts with '.', as in the shell. Returns 0 (also when nothing matched)
 * or -1 when out of memory.
 */
int taskrun_glob(const char *pattern, struct cr_strv *out);

#endif
