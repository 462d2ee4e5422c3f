/*
 * clnrm_load: reads a *.clnrm.toml file, in either format (see
 * clnrm_spec.h), into a new struct clnrm_test.
 *
 * Hard errors (wrong types, bad regexes, missing commands, too many
 * services, impossible limits) stop loading at the first one, with its
 * file:line:col. Unknown keys are warnings with a did-you-mean, appended
 * to a caller-owned struct clnrm_diags; strict mode makes the first one an
 * error. Loading never prints.
 *
 * The loader is split by section: clnrm_load.c reads the document and its
 * metadata, clnrm_load_security.c, clnrm_load_service.c and
 * clnrm_load_step.c the other sections (clnrm_load_section.h), all on the
 * typed field decoders of clnrm_load_field.c.
 */
#ifndef CLNRM_LOAD_H
#define CLNRM_LOAD_H

#include "clnrm_spec.h"

/* The most `--var K=V` a command takes. */
#define CLNRM_MAX_VARS 64

/* What a test file may ask for only when the user also passes the flag
 * on the command line (--allow-privileged, --allow-host-network,
 * --allow-host-pid, --allow-host-ipc, --allow-docker-socket); without it
 * such a file is refused at the key. Each host namespace has its own
 * flag: allowing the host's network does not let a test see or signal
 * the host's processes. */
#define CLNRM_ALLOW_PRIVILEGED   (1u << 0)
#define CLNRM_ALLOW_HOST_NETWORK (1u << 1)
#define CLNRM_ALLOW_DOCKER_SOCK  (1u << 2)
#define CLNRM_ALLOW_HOST_PID     (1u << 3)
#define CLNRM_ALLOW_HOST_IPC     (1u << 4)

struct clnrm_load_opts {
    bool strict;    /* unknown keys are errors */
    unsigned allow; /* CLNRM_ALLOW_* */
    /* Template variables ("KEY=VALUE", borrowed) for files that are Tera
     * templates (clnrm_load_tmpl.h); they win over the file's [vars]. */
    const char *const *vars;
    size_t n_vars;
    /* Set by the loader for the text it rendered: [determinism] was used
     * by the renderer (seed, freeze_clock), so it earns no note. */
    bool rendered;
};

/*
 * Parses len bytes of buf as a test file named path (used in messages and
 * to resolve relative volume paths). A file holding `{{`, `{%` or `{#` is a
 * Tera template: it is rendered first (clnrm_load_tmpl.h) and positions in
 * errors and warnings point into the template. On success stores a new test in
 * *out (free with clnrm_test_free) and returns CLNRM_OK; warnings and notes are
 * appended to diags (may be NULL). On failure returns CLNRM_E_INPUT (or
 * CLNRM_E_NOMEM), fills err with the first error, and stores NULL.
 */
enum clnrm_code clnrm_test_parse(const char *buf, size_t len, const char *path,
                                 const struct clnrm_load_opts *opts,
                                 struct clnrm_test **out,
                                 struct clnrm_diags *diags,
                                 struct cr_error *err);

/* clnrm_test_parse on the contents of path (CLNRM_E_IO if unreadable). */
enum clnrm_code clnrm_test_load(const char *path,
                                const struct clnrm_load_opts *opts,
                                struct clnrm_test **out,
                                struct clnrm_diags *diags,
                                struct cr_error *err);

#endif
