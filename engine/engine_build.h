/*
 * engine_build: images built by the engine from a Dockerfile, as
 * `docker build` does: POST /build with a tar of the build context.
 *
 * engine_build_context packs a directory into a struct engine_tar (see
 * engine_tar.h; the caller owns and releases it), honouring the
 * context's .dockerignore; entries are sorted and carry a fixed mtime, so
 * an unchanged context gives the same bytes and the same
 * engine_build_hash. engine_image_build sends it; the build's output lines
 * go to on_line as they arrive, and a failed build is an error whose
 * message ends with the last lines of that output.
 */
#ifndef ENGINE_BUILD_H
#define ENGINE_BUILD_H

#include "engine.h"
#include "engine_tar.h"

#include <stdint.h>

/* The most bytes of a context (the tar is built in memory). */
#define ENGINE_BUILD_MAX_CONTEXT (256u * 1024u * 1024u)

/* Packs dir (files, directories, symlinks; modes kept, owners root) into
 * t, leaving out what dir/.dockerignore excludes (Dockerfile and
 * .dockerignore are always sent, as docker does). Fails with ENGINE_E_IO
 * naming the path that cannot be read, ENGINE_E_INVALID for a path too
 * long for ustar or a context over ENGINE_BUILD_MAX_CONTEXT. */
enum engine_code engine_build_context(const char *dir, struct engine_tar *t,
                                      struct cr_error *err);

/* True when the .dockerignore patterns (one per line, '#' comments, '!'
 * re-includes, '*', '?', '[...]' and '**' for any number of directories)
 * exclude the relative path; a path under an excluded directory is
 * excluded too. Exposed for the unit tests. */
bool engine_dockerignore_match(const char *patterns, const char *path);

/* FNV-1a 64 of the n byte ranges, as 16 hex digits into out[17]. */
struct engine_bytes {
    const void *data;
    size_t len;
};
void engine_build_hash(const struct engine_bytes *parts, size_t n,
                       char out[17]);

/* One line of build output (a "stream" chunk, without its newline). */
typedef void (*engine_build_line_fn)(void *ctx, const char *line);

struct engine_build {
    const char *tag;        /* required: "name:tag" */
    const char *dockerfile; /* NULL: "Dockerfile", relative to the context */
    const char *target;     /* NULL: the last stage */
    const struct engine_kv *args; /* build args */
    size_t nargs;
    engine_build_line_fn on_line; /* may be NULL */
    void *ctx;
};

/* POST /build?t=...&dockerfile=...&target=...&buildargs=... with tar
 * (len bytes, borrowed) as the body. An error in the response stream is
 * ENGINE_E_API: "build of TAG failed: ERROR" then, on following lines,
 * the last lines of output. */
enum engine_code engine_image_build(struct engine *eng,
                                    const struct engine_build *b,
                                    const void *tar, size_t len,
                                    struct cr_error *err);

#endif
