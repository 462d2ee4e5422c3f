/*
 * clnrm_image: builds the base image clnrm-base:latest without a registry,
 * from the host's statically linked busybox (Debian's busybox-static): a
 * root with bin/busybox, a symlink per applet, /tmp, /etc/passwd and
 * /etc/group, packed as a tar in memory and imported through the engine.
 */
#ifndef CLNRM_IMAGE_H
#define CLNRM_IMAGE_H

#include <stdbool.h>

#include "clnrm_error.h"
#include "engine.h"
#include "tar.h"

#define CLNRM_IMAGE_BASE    "clnrm-base:latest"
#define CLNRM_IMAGE_BUSYBOX "/bin/busybox"
/* The label on every image clnrm builds, so it can be told apart. */
#define CLNRM_IMAGE_LABEL "org.cleanroom.image"

struct clnrm_image_opts {
    const char *name;              /* "repo[:tag]"; NULL: CLNRM_IMAGE_BASE */
    const char *busybox;           /* NULL: CLNRM_IMAGE_BUSYBOX */
    bool force;                    /* rebuild even when the image exists */
    clnrm_progress_fn on_progress; /* optional */
    void *ctx;
};

/*
 * Fills the caller's zeroed tar with the image root (finished, ready to
 * import) and sets *napplets. The busybox binary must be statically
 * linked: it is run once with --list-full to learn its applets.
 */
enum clnrm_code clnrm_image_rootfs(const char *busybox, struct clnrm_tar *tar,
                                   int *napplets, struct clnrm_error *err);

/*
 * Builds and imports the base image unless it exists (and !force). *built
 * tells whether an import happened; *napplets (may be NULL) how many
 * applet links the new image has.
 */
enum clnrm_code clnrm_image_bootstrap(struct clnrm_engine *eng,
                                      const struct clnrm_image_opts *o,
                                      bool *built, int *napplets,
                                      struct clnrm_error *err);

#endif
