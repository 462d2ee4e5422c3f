/*
 * clnrm_tar: a minimal in-memory ustar (POSIX.1-1988) writer, enough to
 * build an image root or a file tree for PUT /containers/{id}/archive.
 *
 * A struct clnrm_tar is caller-allocated; zero-initialise it, add entries
 * parent directories first, call clnrm_tar_finish, then use tar.buf.data /
 * tar.buf.len. The bytes belong to tar.buf (release with cr_buf_release).
 * Every entry is owned by uid/gid 0 with mtime tar.mtime (seconds).
 */
#ifndef CLNRM_TAR_H
#define CLNRM_TAR_H

#include <stddef.h>
#include <stdint.h>

#include "clnrm_error.h"
#include "cr_buf.h"

struct clnrm_tar {
    struct cr_buf buf;
    uint64_t mtime;
};

/* Paths are relative ("bin/sh"), at most 255 bytes, split ustar-style into
 * a 155-byte prefix and 100-byte name at a '/'; longer ones give
 * CLNRM_E_USAGE. Directory paths get a trailing '/' added. */
enum clnrm_code clnrm_tar_add_dir(struct clnrm_tar *t, const char *path,
                                  unsigned mode, struct clnrm_error *err);

enum clnrm_code clnrm_tar_add_file(struct clnrm_tar *t, const char *path,
                                   unsigned mode, const void *data, size_t len,
                                   struct clnrm_error *err);

/* A symbolic link path -> target (target at most 100 bytes). */
enum clnrm_code clnrm_tar_add_symlink(struct clnrm_tar *t, const char *path,
                                      const char *target,
                                      struct clnrm_error *err);

/* Appends the two zero blocks that end an archive. */
enum clnrm_code clnrm_tar_finish(struct clnrm_tar *t, struct clnrm_error *err);

#endif
