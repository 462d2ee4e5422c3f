/* clnrm_load_tmpl: rendering templated test files and mapping positions
 * back into them. See clnrm_load_tmpl.h. */
#include "clnrm_load_tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum clnrm_code clnrm_render(const char *buf, size_t len, const char *path,
                             const struct clnrm_load_opts *opts,
                             struct tmpl_output *out, struct cr_error *err)
{
    struct tmpl_opts to = { 0 };
    struct cr_error te = { 0 };
    enum tmpl_code rc;

    if (opts != NULL)
        to.vars = opts->vars, to.n_vars = opts->n_vars;
    rc = tmpl_render(buf, len, path, &to, out, &te);
    if (rc == TMPL_OK)
        return CLNRM_OK;
    clnrm_error_set(err, rc == TMPL_E_NOMEM ? CLNRM_E_NOMEM : CLNRM_E_INPUT,
                    "%s", te.msg);
    if (err != NULL)
        err->pos = te.pos;
    return rc == TMPL_E_NOMEM ? CLNRM_E_NOMEM : CLNRM_E_INPUT;
}

/* Rewrites msg (capacity cap) when it starts with "path:L:C: ". */
static void remap_msg(const struct tmpl_output *r, const char *path, char *msg,
                      size_t cap, struct cr_pos *pos_out)
{
    size_t plen = strlen(path);
    struct cr_pos at, t;
    const char *file;
    char *end, rest[1024];
    unsigned long line, col;

    if (strncmp(msg, path, plen) != 0 || msg[plen] != ':')
        return;
    line = strtoul(msg + plen + 1, &end, 10);
    if (*end != ':')
        return;
    col = strtoul(end + 1, &end, 10);
    if (*end != ':')
        return;
    at = (struct cr_pos){ (unsigned)line, (unsigned)col };
    /* An error at the very end of the text names the line after the last. */
    if (at.line > r->n_lines && r->n_lines > 0)
        at = (struct cr_pos){ (unsigned)r->n_lines, 1 };
    if (!tmpl_output_map(r, at, &file, &t))
        return;
    snprintf(rest, sizeof(rest), "%s", end);
    snprintf(msg, cap, "%s:%u:%u%s", file, t.line, t.col, rest);
    if (pos_out != NULL)
        *pos_out = t;
}

void clnrm__remap(const struct tmpl_output *r, const char *path,
                  struct cr_error *err, struct clnrm_diags *diags, size_t first)
{
    if (err != NULL)
        remap_msg(r, path, err->msg, sizeof(err->msg), &err->pos);
    for (size_t i = first; diags != NULL && i < diags->n; i++)
        remap_msg(r, path, diags->items[i].msg, sizeof(diags->items[i].msg),
                  NULL);
}
