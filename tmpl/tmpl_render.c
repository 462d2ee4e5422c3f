/* tmpl_render: runs a parsed template's statements, writing the text and,
 * for each rendered line, where in which template it came from. See
 * tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <stdio.h>
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

int tmpl__push_frame(struct tmpl_rt *rt)
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

void tmpl__pop_frame(struct tmpl_rt *rt)
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
    if (tmpl__push_frame(rt) != 0) {
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
    tmpl__pop_frame(rt);
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

int tmpl__in_file(struct tmpl_rt *rt, const struct tmpl_file *f,
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

static int import_imports(struct tmpl_rt *rt, const struct tmpl_file *f,
                          struct cr_pos at);

static int run_import(struct tmpl_rt *rt, const struct tmpl_node *n)
{
    const struct tmpl_file *f = NULL;
    struct tmpl_import *im;

    if (load_file(rt, n, &f) != 0)
        return -1;
    if (n->kind == TMPL_N_INCLUDE)
        return tmpl__in_file(rt, f, &f->root, n->pos);
    im = cr_realloc(rt->imports, (rt->n_imports + 1) * sizeof(*im));
    if (im == NULL)
        return tmpl__nomem(rt);
    rt->imports = im;
    im[rt->n_imports].file = f;
    if ((im[rt->n_imports].alias = cr_strdup(n->name2)) == NULL)
        return tmpl__nomem(rt);
    rt->n_imports++;
    return import_imports(rt, f, n->pos);
}

/* A macro file's own imports, so its macros can call theirs. */
static int import_imports(struct tmpl_rt *rt, const struct tmpl_file *f,
                          struct cr_pos at)
{
    const struct tmpl_file *cur = rt->cur;
    unsigned idx = rt->cur_index;
    int rc = 0;

    if (rt->depth >= TMPL_MAX_CALLS)
        return tmpl__fail_at(rt, TMPL_E_LIMIT, at,
                             "imports nested more than %d deep",
                             TMPL_MAX_CALLS);
    rt->depth++;
    rt->cur = f, rt->cur_index = index_of(rt, f);
    for (size_t i = 0; i < f->root.n && rc == 0; i++)
        if (f->root.nodes[i].kind == TMPL_N_IMPORT)
            rc = run_import(rt, &f->root.nodes[i]);
    rt->cur = cur, rt->cur_index = idx;
    rt->depth--;
    return rc;
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

int tmpl__render_string(struct tmpl_rt *rt, const char *path, struct cr_pos at,
                        struct tmpl_value *v)
{
    struct tmpl_file *f;
    struct cr_buf buf, *sink = rt->sink;
    const struct tmpl_file *cur = rt->cur;
    int rc;

    if (tmpl__parse(v->s, v->len, path, &f, rt->err) != TMPL_OK) {
        /* Point at the value in the file, not into the string. */
        if (rt->err != NULL) {
            rt->err->pos = at;
            tmpl_error_set(rt->err, (enum tmpl_code)rt->err->code,
                           "%s:%u:%u: in this value: %s", path, at.line, at.col,
                           strchr(rt->err->msg, ' ') + 1);
        }
        return -1;
    }
    cr_buf_init(&buf);
    rt->sink = &buf, rt->cur = f;
    rc = tmpl__render_block(rt, &f->root);
    rt->sink = sink, rt->cur = cur;
    tmpl__file_free(f);
    if (rc != 0) {
        cr_buf_release(&buf);
        if (rt->err != NULL) {
            char msg[sizeof(rt->err->msg)];
            const char *what = strchr(rt->err->msg, ' ');
            snprintf(msg, sizeof(msg), "%s", what ? what + 1 : rt->err->msg);
            rt->err->pos = at;
            tmpl_error_set(rt->err, (enum tmpl_code)rt->err->code,
                           "%s:%u:%u: %s", path, at.line, at.col, msg);
        }
        return -1;
    }
    tmpl_value_release(v);
    *v = tmpl_str_take(&buf);
    return v->s == NULL ? tmpl__nomem(rt) : 0;
}
