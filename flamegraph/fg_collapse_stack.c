/*
 * fg_collapse_stack: samples as arrays of interned ids, and the cache of
 * frame lines (see fg_collapse_int.h). A perf script input repeats a few
 * thousand distinct frame lines hundreds of thousands of times, and a few
 * thousand distinct stacks tens of thousands of times: naming a frame and
 * joining a stack's text once each is what makes collapsing fast.
 */
#include "fg_collapse_int.h"

#include "cr_alloc.h"

#include <errno.h>
#include <string.h>

int fg__intern_init(struct fg_collapse *c)
{
    if (c->in)
        return 0;
    struct fg__intern *in = cr_calloc(1, sizeof(*in));
    if (!in)
        return -ENOMEM;
    fg_map_init(&in->lines);
    fg_map_init(&in->names);
    fg_map_init(&in->stacks);
    in->nids = 1;
    c->in = in;
    if (fg__ids_grow(in) != 0) {
        fg__intern_free(c);
        return -ENOMEM;
    }
    return 0;
}

void fg__intern_free(struct fg_collapse *c)
{
    struct fg__intern *in = c->in;
    if (!in)
        return;
    fg_map_release(&in->lines);
    fg_map_release(&in->names);
    fg_map_release(&in->stacks);
    cr_free(in->line_id);
    cr_free(in->ids);
    cr_free(in);
    c->in = NULL;
}

int fg__ids_grow(struct fg__intern *in)
{
    size_t cap = in->ids_cap ? in->ids_cap * 2 : 256;
    uint32_t *v = cr_realloc(in->ids, cap * sizeof(*v));
    if (!v)
        return -ENOMEM;
    in->ids = v;
    in->ids_cap = cap;
    return 0;
}

int fg__name_id(struct fg_collapse *c, const char *p, size_t n, uint32_t *id)
{
    size_t i;
    if (fg_map_index(&c->in->names, p, n, &i) != 0)
        return -ENOMEM;
    *id = (uint32_t)i; /* fg_map holds fewer than UINT32_MAX entries */
    return 0;
}

int fg__line_add(struct fg_collapse *c, const char *k, size_t n, uint64_t h,
                 int frame, uint32_t *id)
{
    struct fg__intern *in = c->in;
    size_t i;
    *id = FG__NOFRAME;
    if (frame == 2 && fg__name_id(c, c->scratch.data ? c->scratch.data : "",
                                  c->scratch.len, id) != 0)
        return -ENOMEM;
    if (in->lines.n == in->line_cap) {
        size_t cap = in->line_cap ? in->line_cap * 2 : 1024;
        uint32_t *v = cr_realloc(in->line_id, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        in->line_id = v;
        in->line_cap = cap;
    }
    if (fg_map_add_hashed(&in->lines, k, n, h, 0, 0) != 0)
        return -ENOMEM;
    i = in->lines.n - 1;
    in->line_id[i] = *id;
    return 0;
}

int fg__sample_flush(struct fg_collapse *c, uint64_t count)
{
    struct fg__intern *in = c->in;
    int rc = 0;
    if (c->have_pname) {
        in->ids[0] = in->root;
        rc = fg_map_add(&in->stacks, (const char *)in->ids,
                        in->nids * sizeof(*in->ids), count, 0);
    }
    in->nids = 1;
    return rc;
}

/* Appends the name of id to b. */
static int put_name(const struct fg_map *names, uint32_t id, struct cr_buf *b)
{
    const struct fg_entry *e = &names->v[id];
    return cr_buf_append(b, fg_map_key(names, e), e->len);
}

/* The folded text of a stack: root, then the frames outermost first. */
static int stack_text(const struct fg__intern *in, const struct fg_entry *e,
                      struct cr_buf *b)
{
    uint32_t ids[1];
    const char *key = fg_map_key(&in->stacks, e);
    size_t n = e->len / sizeof(ids[0]);
    int rc = 0;
    cr_buf_reset(b);
    memcpy(ids, key, sizeof(ids[0]));
    rc |= put_name(&in->names, ids[0], b);
    for (size_t k = n; rc == 0 && k-- > 1;) {
        memcpy(ids, key + k * sizeof(ids[0]), sizeof(ids[0]));
        rc |= cr_buf_putc(b, ';') | put_name(&in->names, ids[0], b);
    }
    return rc;
}

int fg__intern_drain(struct fg_collapse *c)
{
    struct fg__intern *in = c->in;
    struct cr_buf b = { 0 };
    int rc = 0;
    if (!in || in->stacks.n == 0)
        return 0;
    if (c->out_lock)
        pthread_mutex_lock(c->out_lock);
    for (size_t i = 0; rc == 0 && i < in->stacks.n; i++) {
        const struct fg_entry *e = &in->stacks.v[i];
        rc = stack_text(in, e, &b) != 0
                 ? -ENOMEM
                 : fg_map_add(c->out, b.data, b.len, e->count[0], 0);
    }
    if (c->out_lock)
        pthread_mutex_unlock(c->out_lock);
    cr_buf_release(&b);
    fg_map_release(&in->stacks);
    return rc;
}
