/*
 * fg_input: reading text input line by line in large chunks, so that memory
 * stays bounded by the chunk size plus the longest line, whatever the size
 * of the input.
 *
 * Lines are handed to a callback without their "\n" and without one
 * trailing "\r" (CRLF files read like LF files). The line pointer is
 * borrowed for the duration of the call only. The last line needs no
 * newline. Nothing here allocates beyond the chunk and the carry-over of a
 * line split between two chunks; both are freed before returning.
 */
#ifndef FG_INPUT_H
#define FG_INPUT_H

#include "fg_error.h"

#include <stddef.h>

/* Called once per line; returns 0 to go on or a negative errno to stop
 * (-ENOMEM). */
typedef int (*fg_line_fn)(void *ctx, const char *line, size_t len);

/* Reads fd to its end in 1 MiB chunks and calls fn for each line. name
 * (a path, or "-" for stdin) is used in messages only. */
enum fg_code fg_input_fd(int fd, const char *name, fg_line_fn fn, void *ctx,
                         struct cr_error *err);

/* Opens path ("-": stdin) and runs fg_input_fd on it. */
enum fg_code fg_input_path(const char *path, fg_line_fn fn, void *ctx,
                           struct cr_error *err);

/* Calls fn for each line of the len bytes at data. */
enum fg_code fg_input_mem(const char *data, size_t len, fg_line_fn fn,
                          void *ctx, struct cr_error *err);

#endif
