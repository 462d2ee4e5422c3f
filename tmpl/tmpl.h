/*
 * tmpl: renders a test file written as a Tera template into plain text,
 * before clnrm parses that text as TOML. It follows Tera's documented
 * semantics for the constructs it supports (see "Templates" in
 * clnrm/README.md for the list, and for what it refuses with a clear
 * error instead of guessing).
 *
 * The context a template sees: `vars` (and each var at the top level too)
 * from, lowest precedence first, built-in defaults, the environment
 * variables those defaults name, the file's [vars] or [template.vars]
 * table, and opts->vars (`--var K=V`); `matrix` from [template.matrix];
 * `otel` from [template.otel]. [determinism] seed seeds the generators
 * (uuid_v4, fake_*, ...) so a file renders to the same bytes every time;
 * freeze_clock fixes now_rfc3339 and friends.
 *
 * Ownership: tmpl_render fills a caller-owned struct tmpl_output, which
 * owns the text and the source map until tmpl_output_release. Nothing
 * here prints or keeps global state; the environment is only read.
 */
#ifndef TMPL_H
#define TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cr_strv.h"
#include "tmpl_error.h"

struct tmpl_opts {
    const char *const *vars; /* n_vars "KEY=VALUE" strings, highest
                                precedence; borrowed */
    size_t n_vars;
    /* The environment; NULL means getenv. Tests pass their own. */
    const char *(*getenv)(void *ud, const char *name);
    void *getenv_ud;
    /* The clock in ms since the epoch when the file freezes none; 0 reads
     * the real clock. */
    int64_t now_ms;
};

/* Where one rendered line came from: the template file (an index into
 * files), the line:col of its first byte, and how many of its first bytes
 * were copied verbatim from there (columns within them map exactly). */
struct tmpl_line {
    unsigned file;
    struct cr_pos pos;
    size_t verbatim;
};

struct tmpl_output {
    char *text; /* NUL-terminated, len bytes */
    size_t len;
    struct tmpl_line *lines; /* one per rendered line */
    size_t n_lines;
    struct cr_strv files; /* [0] the template, then included files */
};

/* True when buf holds `{{`, `{%` or `{#`: the files the Rust clnrm
 * renders. Others are plain TOML. */
bool tmpl_wanted(const char *buf, size_t len);

/*
 * Renders len bytes of src, the template file path (included and imported
 * files are found next to it). On success fills out and returns TMPL_OK;
 * on failure returns the code and sets err to one line "PATH:LINE:COL:
 * message" pointing into the template (err->pos set too), and out is
 * empty. opts may be NULL.
 */
enum tmpl_code tmpl_render(const char *src, size_t len, const char *path,
                           const struct tmpl_opts *opts,
                           struct tmpl_output *out, struct cr_error *err);

/*
 * Maps a position in the rendered text to the template: stores the file
 * name (borrowed from out) and position there. Returns false when the
 * line is out of range.
 */
bool tmpl_output_map(const struct tmpl_output *out, struct cr_pos rendered,
                     const char **file, struct cr_pos *tpos);

/* Frees what out owns and leaves it empty. */
void tmpl_output_release(struct tmpl_output *out);

#endif
