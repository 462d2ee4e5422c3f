/* tmpl_macro: calling a macro, `ns::name(arg=...)`: its arguments bound
 * in a scope of its own, its body rendered into a string. See
 * tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"

#include <string.h>

static const struct tmpl_node *find_macro(const struct tmpl_file *f,
                                          const char *name)
{
    for (size_t i = 0; i < f->root.n; i++)
        if (f->root.nodes[i].kind == TMPL_N_MACRO &&
            strcmp(f->root.nodes[i].name, name) == 0)
            return &f->root.nodes[i];
    return NULL;
}

/* Binds a call's named arguments (evaluated in the caller's scope) to the
 * macro's parameters in a new frame. */
static int bind_args(struct tmpl_rt *rt, const struct tmpl_expr *e,
                     const struct tmpl_node *m, struct tmpl_value *frame)
{
    for (size_t i = 0; i < e->n_args; i++) {
        bool known = false;
        if (e->argnames[i] == NULL)
            return tmpl__fail_at(rt, TMPL_E_EVAL, e->args[i]->pos,
                                 "macro arguments are named: %s(%s=...)",
                                 m->name, m->n_params ? m->params[0] : "x");
        for (size_t k = 0; k < m->n_params && !known; k++)
            known = strcmp(m->params[k], e->argnames[i]) == 0;
        if (!known)
            return tmpl__fail_at(rt, TMPL_E_EVAL, e->args[i]->pos,
                                 "macro %s has no parameter \"%s\"", m->name,
                                 e->argnames[i]);
    }
    for (size_t k = 0; k < m->n_params; k++) {
        const struct tmpl_expr *x = tmpl__arg(e, m->params[k], -1);
        struct tmpl_value v;
        if (x == NULL && (x = m->defs[k]) == NULL)
            return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                                 "macro %s needs %s=...", m->name,
                                 m->params[k]);
        if (tmpl__eval(rt, x, &v) != 0)
            return -1;
        if (v.type == TMPL_UNDEF) {
            int rc = tmpl__undefined(rt, &v, x->pos);
            tmpl_value_release(&v);
            return rc;
        }
        if (tmpl_object_set_take(frame, m->params[k], &v) != 0)
            return tmpl__nomem(rt);
    }
    return 0;
}

int tmpl__call_macro(struct tmpl_rt *rt, const struct tmpl_expr *e,
                     struct tmpl_value *out)
{
    const struct tmpl_file *f = strcmp(e->ns, "self") == 0 ? rt->cur : NULL;
    const struct tmpl_node *m;
    struct tmpl_value frame = { .type = TMPL_OBJECT };
    struct cr_buf buf, *sink = rt->sink;
    size_t base = rt->frame_base;
    int rc;

    for (size_t i = 0; f == NULL && i < rt->n_imports; i++)
        if (strcmp(rt->imports[i].alias, e->ns) == 0)
            f = rt->imports[i].file;
    if (f == NULL)
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                             "no macros imported as \"%s\" (add {%% import "
                             "\"FILE\" as %s %%})",
                             e->ns, e->ns);
    if ((m = find_macro(f, e->name)) == NULL)
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos, "%s has no macro \"%s\"",
                             f->path, e->name);
    if (bind_args(rt, e, m, &frame) != 0 || tmpl__push_frame(rt) != 0) {
        tmpl_value_release(&frame);
        return -1;
    }
    rt->frames[rt->n_frames - 1] = frame;
    /* A macro sees its arguments only, as in Tera, and renders into its own
     * buffer; its text then lands where the call is. */
    rt->frame_base = rt->n_frames - 1;
    cr_buf_init(&buf);
    rt->sink = &buf;
    rc = tmpl__in_file(rt, f, &m->body, e->pos);
    rt->sink = sink;
    rt->frame_base = base;
    tmpl__pop_frame(rt);
    rt->loop_ctl = 0;
    if (rc != 0) {
        cr_buf_release(&buf);
        return -1;
    }
    *out = tmpl_str_take(&buf);
    return out->s == NULL ? tmpl__nomem(rt) : 0;
}
