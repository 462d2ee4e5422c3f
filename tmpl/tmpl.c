/* tmpl: the entry points: render a file, map rendered positions back to
 * the template. See tmpl.h. */
#include "tmpl.h"

#include "cr_alloc.h"
#include "tmpl_int.h"

#include <stdio.h>
#include <string.h>

bool tmpl_wanted(const char *buf, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (buf[i] == '{' &&
            (buf[i + 1] == '{' || buf[i + 1] == '%' || buf[i + 1] == '#'))
            return true;
    return false;
}

static void rt_release(struct tmpl_rt *rt)
{
    tmpl_value_release(&rt->globals);
    while (rt->n_frames > 0)
        tmpl_value_release(&rt->frames[--rt->n_frames]);
    cr_free(rt->frames);
    for (size_t i = 0; i < rt->n_files; i++)
        tmpl__file_free(rt->files[i]);
    cr_free(rt->files);
    for (size_t i = 0; i < rt->n_imports; i++)
        cr_free(rt->imports[i].alias);
    cr_free(rt->imports);
    cr_buf_release(&rt->out);
    cr_free(rt->lines);
}

static int rt_start(struct tmpl_rt *rt, const char *src, size_t len,
                    const char *path)
{
    struct tmpl_file *f;

    rt->files = cr_calloc(1, sizeof(*rt->files));
    if (rt->files == NULL)
        return tmpl__nomem(rt);
    if (tmpl__parse(src, len, path, &f, rt->err) != TMPL_OK)
        return -1;
    rt->files[0] = f, rt->n_files = 1;
    rt->cur = f;
    rt->globals.type = TMPL_OBJECT;
    rt->frames = cr_calloc(8, sizeof(*rt->frames));
    if (rt->frames == NULL)
        return tmpl__nomem(rt);
    rt->cap_frames = 8, rt->n_frames = 1;
    rt->frames[0].type = TMPL_OBJECT;
    cr_buf_init(&rt->out);
    rt->sink = &rt->out;
    return tmpl__context(rt, f);
}

static int take_output(struct tmpl_rt *rt, struct tmpl_output *out)
{
    for (size_t i = 0; i < rt->n_files; i++)
        if (cr_strv_push(&out->files, rt->files[i]->path) != 0)
            return tmpl__nomem(rt);
    if (rt->out.data == NULL && cr_buf_putc(&rt->out, '\0') == 0)
        rt->out.len = 0; /* an empty result still owns a NUL */
    out->len = rt->out.len;
    out->text = cr_buf_detach(&rt->out);
    if (out->text == NULL)
        return tmpl__nomem(rt);
    out->lines = rt->lines, out->n_lines = rt->n_lines;
    rt->lines = NULL, rt->n_lines = 0;
    return 0;
}

/* Like the Rust clnrm, a file whose rendering has a [determinism] table
 * renders again with its seed and frozen clock, so a conditional
 * [determinism] counts only where it is rendered. */
static int second_pass(struct tmpl_rt *rt)
{
    struct cr_pos at = { 0 };
    int rc = tmpl__determinism(rt, rt->out.data ? rt->out.data : "",
                               rt->out.len, &at);

    if (rc <= 0) {
        if (rc == -1)
            return tmpl__nomem(rt);
        if (rc == -2 && rt->n_lines >= at.line && at.line > 0) {
            const struct tmpl_line *l = &rt->lines[at.line - 1];
            struct cr_pos pos = l->pos;
            if (at.col >= 1 && at.col - 1 < l->verbatim)
                pos.col += at.col - 1;
            rt->cur = rt->files[l->file];
            return tmpl__fail_at(rt, TMPL_E_EVAL, pos,
                                 "freeze_clock must be an RFC 3339 time such "
                                 "as \"2025-01-01T00:00:00Z\"");
        }
        return 0;
    }
    cr_buf_reset(&rt->out);
    rt->n_lines = 0;
    rt->steps = 0;
    for (size_t i = 0; i < rt->n_imports; i++)
        cr_free(rt->imports[i].alias);
    rt->n_imports = 0;
    while (rt->n_frames > 1)
        tmpl_value_release(&rt->frames[--rt->n_frames]);
    rt->cur = rt->files[0], rt->cur_index = 0;
    return tmpl__render_block(rt, &rt->files[0]->root);
}

enum tmpl_code tmpl_render(const char *src, size_t len, const char *path,
                           const struct tmpl_opts *opts,
                           struct tmpl_output *out, struct cr_error *err)
{
    static const struct tmpl_opts none = { 0 };
    struct cr_error local = { 0 };
    struct tmpl_rt rt = { 0 };
    int rc;

    memset(out, 0, sizeof(*out));
    rt.opts = opts != NULL ? opts : &none;
    rt.call_macro = tmpl__call_macro;
    rt.err = err != NULL ? err : &local;
    rt.err->code = 0;
    rc = rt_start(&rt, src, len, path);
    if (rc == 0)
        rc = tmpl__render_block(&rt, &rt.files[0]->root);
    if (rc == 0)
        rc = second_pass(&rt);
    if (rc == 0)
        rc = take_output(&rt, out);
    rt_release(&rt);
    if (rc != 0) {
        tmpl_output_release(out);
        return rt.err->code != 0 ? (enum tmpl_code)rt.err->code : TMPL_E_EVAL;
    }
    return TMPL_OK;
}

bool tmpl_output_map(const struct tmpl_output *out, struct cr_pos rendered,
                     const char **file, struct cr_pos *tpos)
{
    const struct tmpl_line *l;

    if (rendered.line == 0 || rendered.line > out->n_lines)
        return false;
    l = &out->lines[rendered.line - 1];
    *file = l->file < out->files.n ? out->files.v[l->file] : "?";
    *tpos = l->pos;
    if (rendered.col >= 1 && rendered.col - 1 < l->verbatim)
        tpos->col = l->pos.col + rendered.col - 1;
    return true;
}

void tmpl_output_release(struct tmpl_output *out)
{
    cr_free(out->text);
    cr_free(out->lines);
    cr_strv_release(&out->files);
    memset(out, 0, sizeof(*out));
}
