/*
 * bench_store: where saved results live. A NAME without a '/' is the file
 * .cleanroom/bench/NAME.txt (relative to the working directory: the
 * project's root under taskrun); anything with a '/' is a path as given.
 * Saved results are machine-specific and never committed.
 */
#ifndef BENCH_STORE_H
#define BENCH_STORE_H

#include <stddef.h>

#define BENCH_STORE_DIR ".cleanroom/bench"

/* The file for name, in memory from cr_malloc (caller frees); NULL when out
 * of memory. */
char *bench_store_path(const char *name);

/* The file compare should read for arg: arg itself when it names an
 * existing file or has a '/', else bench_store_path(arg). Caller frees. */
char *bench_store_resolve(const char *arg);

/* Writes len bytes to path atomically, creating its directory. Returns 0 or
 * -errno. */
int bench_store_write(const char *path, const char *data, size_t len);

#endif
