/* fg_layout: merging sorted stacks into frames (see fg_layout.h). */
#include "fg_layout.h"

#include "fg_mem.h"

#include "cr_alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct item {
    const unsigned char *key; /* what the sort compares */
    const char *name;         /* the stack in the map */
    size_t len;
    uint64_t width, old;
};

/* Frame by frame: at the first differing byte, the end of a frame (';')
 * sorts before any byte and the end of the stack before both, so "a"
 * precedes "a;b", which precedes "a_x". */
static int cmp_stack(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    size_t n = a->len < b->len ? a->len : b->len, i = 0;
    /* Stacks share long prefixes: skip equal words eight bytes at a time. */
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a->key + i, 8);
        memcpy(&y, b->key + i, 8);
        if (x != y)
            break;
    }
    while (i < n && a->key[i] == b->key[i])
        i++;
    int ca = i < a->len ? (a->key[i] == ';' ? -1 : a->key[i]) : -2;
    int cb = i < b->len ? (b->key[i] == ';' ? -1 : b->key[i]) : -2;
    return ca - cb;
}

/* The same order by memcmp, for keys whose ';' became 0x01 and that hold
 * no byte below 0x02: libc's memcmp skips long shared prefixes much faster
 * than the loop above. */
static int cmp_mapped(const void *pa, const void *pb)
{
    const struct item *a = pa, *b = pb;
    int c = memcmp(a->key, b->key, a->len < b->len ? a->len : b->len);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* Copies the keys with ';' turned into 0x01 into one buffer (*out, which
 * the caller frees) and points the items at it. Returns 0, 1 when a key
 * holds a byte 0x00 or 0x01 (the mapping would change the order; *out is
 * then NULL), or -ENOMEM. */
static int map_keys(struct item *it, size_t n, unsigned char **out)
{
    size_t total = 0;
    *out = NULL;
    for (size_t i = 0; i < n; i++)
        total += it[i].len;
    unsigned char *buf = cr_malloc(total ? total : 1), *w = buf;
    if (!buf)
        return -ENOMEM;
    fg_mem_huge(buf, total);
    for (size_t i = 0; i < n; i++) {
        const char *k = it[i].name;
        if (memchr(k, 0, it[i].len) || memchr(k, 1, it[i].len)) {
            cr_free(buf);
            return 1;
        }
        memcpy(w, k, it[i].len);
        for (unsigned char *q = w, *e = w + it[i].len;
             (q = memchr(q, ';', (size_t)(e - q))); q++)
            *q = 1;
        it[i].key = w;
        w += it[i].len;
    }
    *out = buf;
    return 0;
}

static int push(struct fg_layout *l, const char *name, size_t len,
                uint32_t depth, uint64_t start)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1024;
        struct fg_frame *v = cr_realloc(l->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = (struct fg_frame){
        .name = name, .len = len, .depth = depth, .start = start
    };
    if (depth > l->maxdepth)
        l->maxdepth = depth;
    return 0;
}

static uint64_t sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* The open path: v[d] is the index of the open frame at depth d, end[d]
 * where that frame ends in the stack's text (its ';', or the end). */
struct path {
    size_t *v, *end;
    size_t n, cap;
};

static int path_set(struct path *p, size_t depth, size_t idx, size_t end)
{
    if (depth >= p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        while (cap <= depth)
            cap *= 2;
        size_t *v = cr_realloc(p->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        p->v = v;
        size_t *e = cr_realloc(p->end, cap * sizeof(*e));
        if (!e)
            return -ENOMEM;
        p->end = e;
        p->cap = cap;
    }
    p->v[depth] = idx;
    p->end[depth] = end;
    p->n = depth + 1;
    return 0;
}

/* How many bytes a and b (na, nb long) share at their start. */
static size_t common_prefix(const char *a, size_t na, const char *b, size_t nb)
{
    size_t n = na < nb ? na : nb, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x, y;
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return i + (size_t)__builtin_ctzll(x ^ y) / 8;
    }
    while (i < n && a[i] == b[i])
        i++;
    return i;
}

/* Adds one stack: keeps the open frames its prefix shares with the stack
 * before (prev, sorted just before it), opens the rest at x, and adds its
 * counts to every frame on its path. */
static int add_stack(struct fg_layout *l, struct path *p, const struct item *it,
                     const struct item *prev, uint64_t x)
{
    const char *s = it->name, *end = s + it->len, *f = s;
    size_t depth = 1;
    if (prev) {
        /* An open frame is shared when its bytes are in the shared
         * prefix and this stack's frame ends where it does. */
        size_t lcp = common_prefix(prev->name, prev->len, s, it->len);
        while (depth < p->n) {
            size_t e = p->end[depth];
            if (e > lcp || (e < it->len && s[e] != ';'))
                break;
            depth++;
            f = s + e + 1;
        }
    }
    for (; f <= end; depth++) {
        const char *semi = memchr(f, ';', (size_t)(end - f));
        const char *fe = semi ? semi : end;
        if (push(l, f, (size_t)(fe - f), (uint32_t)depth, x) != 0 ||
            path_set(p, depth, l->n - 1, (size_t)(fe - s)) != 0)
            return -ENOMEM;
        f = fe + 1;
    }
    p->n = depth;
    for (size_t d = 0; d < depth; d++) {
        struct fg_frame *fr = &l->v[p->v[d]];
        fr->count = sat(fr->count, it->width);
        fr->old = sat(fr->old, it->old);
    }
    return 0;
}

enum fg_code fg_layout_build(struct fg_layout *l, const struct fg_map *m,
                             bool diff, struct cr_error *err)
{
    struct item *it = m->n ? cr_malloc(m->n * sizeof(*it)) : NULL;
    struct path p = { 0 };
    int rc = 0;
    memset(l, 0, sizeof(*l));
    if (m->n && !it)
        rc = -ENOMEM;
    for (size_t i = 0; rc == 0 && i < m->n; i++) {
        const struct fg_entry *e = &m->v[i];
        const char *k = fg_map_key(m, e);
        it[i] = (struct item){ (const unsigned char *)k, k, e->len,
                               diff ? e->count[1] : e->count[0],
                               diff ? e->count[0] : 0 };
    }
    unsigned char *mapped = NULL;
    if (rc == 0 && m->n && (rc = map_keys(it, m->n, &mapped)) >= 0) {
        if (rc == 1) /* unusual bytes: the byte loop's order */
            for (size_t i = 0; i < m->n; i++)
                it[i].key = (const unsigned char *)it[i].name;
        qsort(it, m->n, sizeof(*it), rc == 0 ? cmp_mapped : cmp_stack);
        rc = 0;
    }
    cr_free(mapped);
    if (rc == 0)
        rc = push(l, "all", 3, 0, 0) | path_set(&p, 0, 0, 0);
    uint64_t x = 0;
    for (size_t i = 0; rc == 0 && i < m->n; i++) {
        rc = add_stack(l, &p, &it[i], i ? &it[i - 1] : NULL, x);
        x = sat(x, it[i].width);
    }
    cr_free(p.v);
    cr_free(p.end);
    cr_free(it);
    if (rc != 0) {
        fg_layout_release(l);
        return fg_error_set(err, FG_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < l->n; i++)
        l->v[i].delta = (int64_t)(l->v[i].count - l->v[i].old);
    l->total = l->v[0].count;
    l->old_total = l->v[0].old;
    return FG_OK;
}

void fg_layout_release(struct fg_layout *l)
{
    cr_free(l->v);
    memset(l, 0, sizeof(*l));
}
