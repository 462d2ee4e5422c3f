/* tmpl_render: runs a parsed template's statements, writing the text and,
 * for each rendered line, where in which template it came from. See
 * tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <string.h>

static int new_line(struct tmpl_rt *rt, struct cr_pos pos)
{
    if (rt->n_lines == rt->cap_lines) {
        size_t cap = rt->cap_lines ? rt->cap_lines * 2 : 64;
        struct tmpl_line *l = cr_realloc(rt->lines, cap * sizeof(*l));
        if (l == NULL)
            return tmpl__nomem(rt);
        rt->lines = l, rt->cap_lines = cap;
    }
    rt->lines[rt->n_lines++] = (struct tmpl_line){ rt->cur_index, pos, 0 };
    return 0;
}

/* Writes n bytes to the sink. src_off is where they are in the current
 * file when copied verbatim, or (size_t)-1 for computed text, whose lines
 * all map to pos. */
static int emit(struct tmpl_rt *rt, const char *p, size_t n, size_t src_off,
                struct cr_pos pos)
{
    bool verbatim = src_off != (size_t)-1;

    if (rt->sink->len + n > TMPL_MAX_OUTPUT)
        return tmpl__fail_at(rt, TMPL_E_LIMIT, pos,
                             "the rendered file would exceed %u MiB",
                             TMPL_MAX_OUTPUT >> 20);
    if (cr_buf_append(rt->sink, p, n) != 0)
        return tmpl__nomem(rt);
    if (rt->sink != &rt->out)
        return 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = rt->out.len - n + i;
        bool bol = at == 0 || rt->out.data[at - 1] == '\n';
        if (bol) {
            if (new_line(rt,
                         verbatim ? tmpl__pos(rt->cur, src_off + i) : pos) != 0)
                return -1;
            rt->verbatim_run = verbatim;
        } else if (!verbatim || rt->next_src != src_off + i) {
            rt->verbatim_run = false;
        }
        if (rt->verbatim_run)
            rt->lines[rt->n_lines - 1].verbatim++;
        rt->next_src = verbatim ? src_off + i + 1 : (size_t)-1;
    }
    return 0;
}

static int print_expr(struct tmpl_rt *rt, const struct tmpl_node *n)
{
    struct tmpl_value v;
    struct cr_buf b;
    int rc;

    if (tmpl__eval(rt, n->expr, &v) != 0)
        return -1;
    if (v.type == TMPL_UNDEF) {
        rc = tmpl__undefined(rt, &v, n->expr->pos);
        tmpl_value_release(&v);
        return rc;
    }
    cr_buf_init(&b);
    rc = tmpl_value_print(&b, &v) != 0
             ? tmpl__nomem(rt)
             : emit(rt, b.data ? b.data : "", b.len, (size_t)-1, n->expr->pos);
    cr_buf_release(&b);
    tmpl_value_release(&v);
    return rc;
}

static int push_frame(struct tmpl_rt *rt)
{
    if (rt->n_frames == rt->cap_frames) {
        size_t cap = rt->cap_frames ? rt->cap_frames * 2 : 8;
        struct tmpl_value *f = cr_realloc(rt->frames, cap * sizeof(*f));
        if (f == NULL)
            return tmpl__nomem(rt);
        rt->frames = f, rt->cap_frames = cap;
    }
    memset(&rt->frames[rt->n_frames], 0, sizeof(rt->frames[0]));
    rt->frames[rt->n_frames++].type = TMPL_OBJECT;
    return 0;
}

static void pop_frame(struct tmpl_rt *rt)
{
    tmpl_value_release(&rt->frames[--rt->n_frames]);
}

static int set_var(struct tmpl_rt *rt, struct tmpl_value *frame,
                   const char *name, struct tmpl_value *v)
{
    return tmpl_object_set_take(frame, name, v) != 0 ? tmpl__nomem(rt) : 0;
}

/* The loop object Tera offers: index, index0, first, last, length. */
static int set_loop(struct tmpl_rt *rt, size_t i, size_t n)
{
    struct tmpl_value loop = { .type = TMPL_OBJECT }, x;
    struct tmpl_value *top = &rt->frames[rt->n_frames - 1];

    x = tmpl_int((int64_t)i + 1);
    if (tmpl_object_set_take(&loop, "index", &x))
        goto nomem;
    x = tmpl_int((int64_t)i);
    if (tmpl_object_set_take(&loop, "index0", &x))
        goto nomem;
    x = tmpl_bool(i == 0);
    if (tmpl_object_set_take(&loop, "first", &x))
        goto nomem;
    x = tmpl_bool(i + 1 == n);
    if (tmpl_object_set_take(&loop, "last", &x))
        goto nomem;
    x = tmpl_int((int64_t)n);
    if (tmpl_object_set_take(&loop, "length", &x))
        goto nomem;
    return set_var(rt, top, "loop", &loop);
nomem:
    tmpl_value_release(&loop);
    return tmpl__nomem(rt);
}

static int loop_body(struct tmpl_rt *rt, const struct tmpl_node *n,
                     const struct tmpl_value *seq, size_t i)
{
    struct tmpl_value *top = &rt->frames[rt->n_frames - 1], a, b;
    bool obj = seq->type == TMPL_OBJECT;

    if (obj && n->name2 == NULL)
        return tmpl__fail_at(rt, TMPL_E_TYPE, n->pos,
                             "a loop over an object needs two names: "
                             "{%% for key, value in ... %%}");
    if (!obj && n->name2 != NULL)
        return tmpl__fail_at(rt, TMPL_E_TYPE, n->pos,
                             "{%% for key, value %%} needs an object, not a "
                             "%s",
                             tmpl_type_name(seq->type));
    if (obj) {
        if (tmpl_str(&a, seq->keys[i], strlen(seq->keys[i])) != 0)
            return tmpl__nomem(rt);
        if (set_var(rt, top, n->name, &a) != 0)
            return -1;
    }
    if (tmpl_value_copy(&b, &seq->items[i]) != 0)
        return tmpl__nomem(rt);
    if (set_var(rt, top, obj ? n->name2 : n->name, &b) != 0 ||
        set_loop(rt, i, seq->len) != 0)
        return -1;
    return tmpl__render_block(rt, &n->body);
}

static int run_for(struct tmpl_rt *rt, const struct tmpl_node *n)
{
    struct tmpl_value seq;
    int rc = 0;

    if (tmpl__eval(rt, n->expr, &seq) != 0)
        return -1;
    if (seq.type == TMPL_UNDEF) {
        rc = tmpl__undefined(rt, &seq, n->expr->pos);
        tmpl_value_release(&seq);
        return rc;
    }
    if (seq.type == TMPL_STR) { /* Tera iterates over a string's chars */
        struct tmpl_value chars = { .type = TMPL_ARRAY }, c;
        for (size_t i = 0; i < seq.len && rc == 0; i++)
            rc = tmpl_str(&c, seq.s + i, 1) || tmpl_array_push_take(&chars, &c);
        tmpl_value_release(&seq);
        seq = chars;
        if (rc != 0) {
            tmpl_value_release(&seq);
            return tmpl__nomem(rt);
        }
    }
    if (seq.type != TMPL_ARRAY && seq.type != TMPL_OBJECT) {
        enum tmpl_type t = seq.type;
        tmpl_value_release(&seq);
        return tmpl__fail_at(rt, TMPL_E_TYPE, n->expr->pos,
                             "cannot loop over a %s", tmpl_type_name(t));
    }
    if (seq.len == 0) {
        tmpl_value_release(&seq);
        return tmpl__render_block(rt, &n->else_body);
    }
    if (push_frame(rt) != 0) {
        tmpl_value_release(&seq);
        return -1;
    }
    for (size_t i = 0; i < seq.len && rc == 0; i++) {
        if (++rt->steps > TMPL_MAX_STEPS) {
            rc = tmpl__fail_at(rt, TMPL_E_LIMIT, n->pos,
                               "more than %d loop iterations and macro calls",
                               TMPL_MAX_STEPS);
            break;
        }
        rc = loop_body(rt, n, &seq, i);
        if (rt->loop_ctl == 1) {
            rt->loop_ctl = 0;
            break;
        }
        rt->loop_ctl = 0;
    }
    pop_frame(rt);
    tmpl_value_release(&seq);
    return rc;
}

static int run_if(struct tmpl_rt *rt, const struct tmpl_node *n)
{
    struct tmpl_value c;
    bool t;

    if (tmpl__eval(rt, n->expr, &c) != 0)
        return -1;
    t = tmpl_truthy(&c); /* undefined is false in Tera's if */
    tmpl_value_release(&c);
    return tmpl__render_block(rt, t ? &n->body : &n->else_body);
}

static int run_set(struct tmpl_rt *rt, const struct tmpl_node *n)
{
    struct tmpl_value v, *frame;

    if (tmpl__eval(rt, n->expr, &v) != 0)
        return -1;
    if (v.type == TMPL_UNDEF) {
        int rc = tmpl__undefined(rt, &v, n->expr->pos);
        tmpl_value_release(&v);
        return rc;
    }
    /* set writes the innermost scope (a loop's own), set_global the
     * template's; in a macro both stay in the macro. */
    frame =
        n->global ? &rt->frames[rt->frame_base] : &rt->frames[rt->n_frames - 1];
    return set_var(rt, frame, n->name, &v);
}

/* Loads name, relative to the directory of the current file, once. */
static int load_file(struct tmpl_rt *rt, const struct tmpl_node *n,
                     const struct tmpl_file **out)
{
    const char *slash = strrchr(rt->cur->path, '/');
    char *path, *buf = NULL;
    size_t len;
    struct tmpl_file *f = NULL, **files;
    int rd;

    if (n->name[0] == '/')
        path = cr_strdup(n->name);
    else
        path =
            cr_strprintf("%.*s%s", slash ? (int)(slash - rt->cur->path + 1) : 0,
                         rt->cur->path, n->name);
    if (path == NULL)
        return tmpl__nomem(rt);
    for (size_t i = 0; i < rt->n_files; i++) {
        if (strcmp(rt->files[i]->path, path) == 0) {
            *out = rt->files[i];
            cr_free(path);
            return 0;
        }
    }
    rd = cr_fs_read(path, &buf, &len);
    if (rd != 0) {
        int rc = rd == -ENOMEM ? tmpl__nomem(rt)
                               : tmpl__fail_at(rt, TMPL_E_IO, n->pos,
                                               "cannot read \"%s\": %s", path,
                                               strerror(-rd));
        cr_free(path);
        return rc;
    }
    files = cr_realloc(rt->files, (rt->n_files + 1) * sizeof(*files));
    if (files == NULL) {
        cr_free(path);
        cr_free(buf);
        return tmpl__nomem(rt);
    }
    rt->files = files;
    rd = tmpl__parse(buf, len, path, &f, rt->err);
    cr_free(path);
    cr_free(buf);
    if (rd != TMPL_OK)
        return -1;
    rt->files[rt->n_files++] = f;
    *out = f;
    return 0;
}

static unsigned index_of(const struct tmpl_rt *rt, const struct tmpl_file *f)
{
    for (size_t i = 0; i < rt->n_files; i++)
        if (rt->files[i] == f)
            return (unsigned)i;
    return 0;
}

/* Runs block b of file f as the current file. */
static int in_file(struct tmpl_rt *rt, const struct tmpl_file *f,
                   const struct tmpl_block *b, struct cr_pos at)
{
    const struct tmpl_file *cur = rt->cur;
    unsigned idx = rt->cur_index;
    int rc;

    if (++rt->steps > TMPL_MAX_STEPS)
        return tmpl__fail_at(rt, TMPL_E_LIMIT, at,
                             "more than %d loop iterations and macro calls",
                             TMPL_MAX_STEPS);
    if (rt->depth >= TMPL_MAX_CALLS)
        return tmpl__fail_at(rt, TMPL_E_LIMIT, at,
                             "macros or includes nested more than %d deep",
                             TMPL_MAX_CALLS);
    rt->depth++;
    rt->cur = f, rt->cur_index = index_of(rt, f);
    rc = tmpl__render_block(rt, b);
    rt->cur = cur, rt->cur_index = idx;
    rt->depth--;
    return rc;
}

static int run_import(struct tmpl_rt *rt, const struct tmpl_node *n)
{
    const struct tmpl_file *f = NULL;
    struct tmpl_import *im;

    if (load_file(rt, n, &f) != 0)
        return -1;
    if (n->kind == TMPL_N_INCLUDE)
        return in_file(rt, f, &f->root, n->pos);
    im = cr_realloc(rt->imports, (rt->n_imports + 1) * sizeof(*im));
    if (im == NULL)
        return tmpl__nomem(rt);
    rt->imports = im;
    im[rt->n_imports].file = f;
    if ((im[rt->n_imports].alias = cr_strdup(n->name2)) == NULL)
        return tmpl__nomem(rt);
    rt->n_imports++;
    return 0;
}

int tmpl__render_block(struct tmpl_rt *rt, const struct tmpl_block *b)
{
    for (size_t i = 0; i < b->n && rt->loop_ctl == 0; i++) {
        const struct tmpl_node *n = &b->nodes[i];
        int rc = 0;
        switch (n->kind) {
        case TMPL_N_TEXT:
            rc = emit(rt, rt->cur->src + n->off, n->len, n->off, n->pos);
            break;
        case TMPL_N_PRINT:
            rc = print_expr(rt, n);
            break;
        case TMPL_N_IF:
            rc = run_if(rt, n);
            break;
        case TMPL_N_FOR:
            rc = run_for(rt, n);
            break;
        case TMPL_N_SET:
            rc = run_set(rt, n);
            break;
        case TMPL_N_INCLUDE:
        case TMPL_N_IMPORT:
            rc = run_import(rt, n);
            break;
        case TMPL_N_MACRO: /* definitions print nothing */
            break;
        case TMPL_N_BREAK:
        case TMPL_N_CONTINUE:
            rt->loop_ctl = n->kind == TMPL_N_BREAK ? 1 : 2;
            break;
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

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
        if (set_var(rt, frame, m->params[k], &v) != 0)
            return -1;
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
    if (bind_args(rt, e, m, &frame) != 0 || push_frame(rt) != 0) {
        tmpl_value_release(&frame);
        return -1;
    }
    rt->frames[rt->n_frames - 1] = frame;
    /* A macro sees its arguments only, as in Tera, and renders into its own
     * buffer; its text then lands where the call is. */
    rt->frame_base = rt->n_frames - 1;
    cr_buf_init(&buf);
    rt->sink = &buf;
    rc = in_file(rt, f, &m->body, e->pos);
    rt->sink = sink;
    rt->frame_base = base;
    pop_frame(rt);
    rt->loop_ctl = 0;
    if (rc != 0) {
        cr_buf_release(&buf);
        return -1;
    }
    *out = tmpl_str_take(&buf);
    return out->s == NULL ? tmpl__nomem(rt) : 0;
}
