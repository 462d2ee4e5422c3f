/*
 * fg_collapse_stack: samples as arrays of interned ids, and the cache of
 * frame lines (see fg_collapse_int.h). A perf script input repeats a few
 * thousand distinct frame lines hundreds of thousands of times, and a few
 * thousand distinct stacks tens of thousands of times: naming a frame and
 * joining a stack's text once each is what makes collapsing fast.
 */
#include "fg_collapse_int.h"

#include "fg_mem.h"

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
    fg_map_release(&in->names);
    fg_map_release(&in->stacks);
    cr_free(in->slots);
    cr_free(in->arena);
    cr_free(in->ids);
    cr_free(in);
    c->in = NULL;
}

int fg__name_id(struct fg_collapse *c, const char *p, size_t n, uint32_t *id)
{
    size_t i;
    if (fg_map_index(&c->in->names, p, n, &i) != 0)
        return -ENOMEM;
    *id = (uint32_t)i; /* fg_map holds fewer than UINT32_MAX entries */
    return 0;
}

/* Doubles the line cache's slots (load under one half). */
static int grow_slots(struct fg__intern *in)
{
    size_t ns = in->nslots ? in->nslots * 2 : 4096;
    if (ns > UINT32_MAX)
        return -ENOMEM;
    struct fg__slot *v = cr_malloc(ns * sizeof(*v));
    if (!v)
        return -ENOMEM;
    memset(v, 0xff, ns * sizeof(*v));
    for (size_t i = 0; i < in->nslots; i++) {
        const struct fg__slot *o = &in->slots[i];
        if (o->off == UINT32_MAX)
            continue;
        /* The slot's place comes from the hash's low half, not kept:
         * hash the text again (only when the cache grows). */
        uint64_t h = fg__line_hash(in->arena + o->off, o->len);
        size_t j = h & (ns - 1);
        while (v[j].off != UINT32_MAX)
            j = (j + 1) & (ns - 1);
        v[j] = *o;
        v[j].next = UINT32_MAX; /* slots moved: the guesses are void */
    }
    cr_free(in->slots);
    in->slots = v;
    in->nslots = ns;
    return 0;
}

static int arena_put(struct fg__intern *in, const char *k, size_t n,
                     uint32_t *off)
{
    if (in->alen + n >= UINT32_MAX)
        return -ENOMEM; /* 4 GiB of distinct frame lines */
    if (in->acap - in->alen < n) {
        size_t cap = in->acap ? in->acap * 2 : 65536;
        while (cap - in->alen < n)
            cap *= 2;
        char *a = cr_realloc(in->arena, cap);
        if (!a)
            return -ENOMEM;
        in->arena = a;
        in->acap = cap;
        fg_mem_huge(a + in->alen, cap - in->alen);
    }
    memcpy(in->arena + in->alen, k, n);
    *off = (uint32_t)in->alen;
    in->alen += n;
    return 0;
}

int fg__line_add(struct fg_collapse *c, const char *k, size_t n, uint64_t h,
                 int frame, uint32_t *id)
{
    struct fg__intern *in = c->in;
    uint32_t off;
    *id = FG__NOFRAME;
    if (frame == 2 && fg__name_id(c, c->scratch.data ? c->scratch.data : "",
                                  c->scratch.len, id) != 0)
        return -ENOMEM;
    if ((in->nlines + 1) * 2 > in->nslots && grow_slots(in) != 0)
        return -ENOMEM;
    if (arena_put(in, k, n, &off) != 0)
        return -ENOMEM;
    size_t mask = in->nslots - 1, j = h & mask;
    while (in->slots[j].off != UINT32_MAX)
        j = (j + 1) & mask;
    in->slots[j] = (struct fg__slot){ (uint32_t)(h >> 32), *id, off,
                                      (uint32_t)n, UINT32_MAX };
    in->nlines++;
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

/* Copies the name of id to w; returns the end. */
static char *put_name(const struct fg_map *names, uint32_t id, char *w)
{
    const struct fg_entry *e = &names->v[id];
    memcpy(w, fg_map_key(names, e), e->len);
    return w + e->len;
}

/* The length of a stack's folded text. */
static size_t text_len(const struct fg__intern *in, const struct fg_entry *e)
{
    const char *key = fg_map_key(&in->stacks, e);
    size_t n = e->len / sizeof(uint32_t), len = n - 1;
    for (size_t k = 0; k < n; k++) {
        uint32_t id;
        memcpy(&id, key + k * sizeof(id), sizeof(id));
        len += in->names.v[id].len;
    }
    return len;
}

/* The folded text of a stack, root then the frames outermost first, into
 * b (len bytes, from text_len). */
static int stack_text(const struct fg__intern *in, const struct fg_entry *e,
                      size_t len, struct cr_buf *b)
{
    const char *key = fg_map_key(&in->stacks, e);
    size_t n = e->len / sizeof(uint32_t);
    uint32_t id;
    cr_buf_reset(b);
    if (cr_buf_reserve(b, len) != 0)
        return -ENOMEM;
    memcpy(&id, key, sizeof(id));
    char *w = put_name(&in->names, id, b->data);
    for (size_t k = n; k-- > 1;) {
        memcpy(&id, key + k * sizeof(id), sizeof(id));
        *w++ = ';';
        w = put_name(&in->names, id, w);
    }
    b->len = (size_t)(w - b->data);
    b->data[b->len] = '\0';
    return 0;
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
    /* Room for every stack's text at once: no arena copied as it grows. */
    size_t bytes = 0;
    for (size_t i = 0; i < in->stacks.n; i++)
        bytes += text_len(in, &in->stacks.v[i]);
    rc = fg_map_reserve(c->out, in->stacks.n, bytes);
    for (size_t i = 0; rc == 0 && i < in->stacks.n; i++) {
        const struct fg_entry *e = &in->stacks.v[i];
        rc = stack_text(in, e, text_len(in, e), &b) != 0
                 ? -ENOMEM
                 : fg_map_add(c->out, b.data, b.len, e->count[0], 0);
    }
    if (c->out_lock)
        pthread_mutex_unlock(c->out_lock);
    cr_buf_release(&b);
    fg_map_release(&in->stacks);
    return rc;
}
