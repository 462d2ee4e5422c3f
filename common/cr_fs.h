/*
 * cr_fs: whole-file reads and atomic writes.
 *
 * Reports and history files are written with cr_fs_write_atomic so that a
 * reader, a crash or a full disk never sees half a file: the bytes go to a
 * temporary file beside the target, are fsync'ed, then renamed over it.
 */
#ifndef CR_FS_H
#define CR_FS_H

#include <stddef.h>

/*
 * Reads the whole file at path. On success returns 0 and stores a
 * NUL-terminated copy in *out (caller frees) and its length in *len (which
 * may be NULL). On failure returns -errno (errno is set too) and *out is
 * untouched.
 */
int cr_fs_read(const char *path, char **out, size_t *len);

/*
 * Replaces path with len bytes from data, atomically. mode is used for a new
 * file (for example 0644). Returns 0, or -errno (errno is set too); on failure
 * the old file, if any, is left as it was and no temporary file remains.
 */
int cr_fs_write_atomic(const char *path, const void *data, size_t len,
                       unsigned mode);

/*
 * The canonical absolute path of path, as realpath(3), in memory from
 * cr_malloc (caller frees with cr_free). NULL with errno set when path
 * cannot be resolved or memory runs out (ENOMEM).
 */
char *cr_fs_realpath(const char *path);

/* Creates dir and its missing parents (mode 0755). Returns 0 or -errno. */
int cr_fs_mkdirs(const char *dir);

#endif
