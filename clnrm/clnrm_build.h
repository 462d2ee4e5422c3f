/*
 * clnrm_build: the images of services declared with `build` (clnrm_spec.h
 * struct clnrm_build), built by the engine before a run.
 *
 * The context is packed as a tar (engine_build_context, honouring
 * .dockerignore) and hashed with the Dockerfile name, target and build
 * args; the image is tagged clnrm-build-<service>:<hash>, so an unchanged
 * context finds its image and is not built again. The service's image is
 * then set to that tag (a new string owned by the test).
 */
#ifndef CLNRM_BUILD_H
#define CLNRM_BUILD_H

#include "clnrm_error.h"
#include "clnrm_spec.h"
#include "engine_build.h"

struct clnrm_build_stats {
    size_t built, reused;
};

/* Builds or finds the image of every service of the n tests that has
 * `build`. on_line (may be NULL) receives build output. Returns CLNRM_OK,
 * or the first failure naming the test, service and build error. */
enum clnrm_code clnrm_build_images(struct engine *eng,
                                   struct clnrm_test *const *tests, size_t n,
                                   engine_build_line_fn on_line, void *ctx,
                                   struct clnrm_build_stats *st,
                                   struct cr_error *err);

#endif
