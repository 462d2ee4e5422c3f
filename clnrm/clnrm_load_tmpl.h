/*
 * clnrm_load_tmpl: test files written as Tera templates, the loader's side
 * of the tmpl library. The loader renders a file whose content holds
 * `{{`, `{%` or `{#` (as the Rust clnrm does) and parses the rendered text;
 * messages about the rendered text name the template's file:line:col.
 * Nothing here prints.
 */
#ifndef CLNRM_LOAD_TMPL_H
#define CLNRM_LOAD_TMPL_H

#include "clnrm_load.h"
#include "tmpl.h"

/*
 * Renders len bytes of buf, the template path, with the variables of opts
 * (may be NULL). Fills out (release with tmpl_output_release) and returns
 * CLNRM_OK, or CLNRM_E_INPUT (CLNRM_E_NOMEM) with err holding one line
 * "PATH:LINE:COL: message" that points into the template.
 */
enum clnrm_code clnrm_render(const char *buf, size_t len, const char *path,
                             const struct clnrm_load_opts *opts,
                             struct tmpl_output *out, struct cr_error *err);

/*
 * Rewrites "PATH:LINE:COL: ..." in err (may be NULL) and in diags entries
 * from index first on, from positions in the rendered text r to positions
 * in the template.
 */
void clnrm__remap(const struct tmpl_output *r, const char *path,
                  struct cr_error *err, struct clnrm_diags *diags,
                  size_t first);

#endif
