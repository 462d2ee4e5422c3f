/*
 * engine_baseimage: builds the base image clnrm-base:latest without a
 * registry, from the host's statically linked busybox (Debian's
 * busybox-static): a root with bin/busybox, a symlink per applet, /tmp,
 * /etc/passwd and /etc/group, packed as a tar in memory and imported
 * through the engine.
 *
 * Ownership: the tar is the caller's (a zeroed struct engine_tar; release
 * tar.buf with cr_buf_release, also after a failure). Options and their
 * strings are borrowed for the duration of the call; on_progress is called
 * during it only.
 */
#ifndef ENGINE_BASEIMAGE_H
#define ENGINE_BASEIMAGE_H

#include <stdbool.h>

#include "engine_error.h"
#include "engine.h"
#include "engine_tar.h"

#define ENGINE_BASEIMAGE_BASE    "clnrm-base:latest"
#define ENGINE_BASEIMAGE_BUSYBOX "/bin/busybox"
/* The label on every image clnrm builds, so it can be told apart. */
#define ENGINE_BASEIMAGE_LABEL "org.cleanroom.image"

struct engine_baseimage_opts {
    const char *name;    /* "repo[:tag]"; NULL: ENGINE_BASEIMAGE_BASE */
    const char *busybox; /* NULL: ENGINE_BASEIMAGE_BUSYBOX */
    bool force;          /* rebuild even when the image exists */
    engine_progress_fn on_progress; /* optional */
    void *ctx;
};

/*
 * Fills the caller's zeroed tar with the image root (finished, ready to
 * import) and sets *napplets. The busybox binary must be statically
 * linked: it is run once with --list-full to learn its applets.
 */
enum engine_code engine_baseimage_rootfs(const char *busybox,
                                         struct engine_tar *tar, int *napplets,
                                         struct cr_error *err);

/*
 * Builds and imports the base image unless it exists (and !force). *built
 * tells whether an import happened; *napplets (may be NULL) how many
 * applet links the new image has.
 */
enum engine_code
engine_baseimage_bootstrap(struct engine *eng,
                           const struct engine_baseimage_opts *o, bool *built,
                           int *napplets, struct cr_error *err);

#endif
