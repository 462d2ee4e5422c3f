/*
 * engine_tar: a minimal in-memory ustar (POSIX.1-1988) writer, enough to
 * build an image root or a file tree for PUT /containers/{id}/archive.
 *
 * A struct engine_tar is caller-allocated; zero-initialise it, add entries
 * parent directories first, call engine_tar_finish, then use tar.buf.data /
 * tar.buf.len. The bytes belong to tar.buf (release with cr_buf_release).
 * Every entry is owned by uid/gid 0 with mtime tar.mtime (seconds).
 */
#ifndef ENGINE_TAR_H
#define ENGINE_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "engine_error.h"
#include "cr_buf.h"

struct engine_tar {
    struct cr_buf buf;
    uint64_t mtime;
};

/* Paths are relative ("bin/sh"), at most 255 bytes, split ustar-style into
 * a 155-byte prefix and 100-byte name at a '/'; longer ones give
 * ENGINE_E_INVALID. Directory paths get a trailing '/' added. */
enum engine_code engine_tar_add_dir(struct engine_tar *t, const char *path,
                                    unsigned mode, struct cr_error *err);

enum engine_code engine_tar_add_file(struct engine_tar *t, const char *path,
                                     unsigned mode, const void *data,
                                     size_t len, struct cr_error *err);

/* A symbolic link path -> target (target at most 100 bytes). */
enum engine_code engine_tar_add_symlink(struct engine_tar *t, const char *path,
                                        const char *target,
                                        struct cr_error *err);

/* Appends the two zero blocks that end an archive. */
enum engine_code engine_tar_finish(struct engine_tar *t, struct cr_error *err);

#endif
