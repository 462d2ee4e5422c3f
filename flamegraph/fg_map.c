/* fg_map: the folded-stack table (see fg_map.h). */
#include "fg_map.h"

#include "fg_mem.h"

#include "cr_alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void fg_map_init(struct fg_map *m)
{
    memset(m, 0, sizeof(*m));
}

void fg_map_release(struct fg_map *m)
{
    cr_free(m->v);
    cr_free(m->slots);
    cr_free(m->arena);
    memset(m, 0, sizeof(*m));
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Eight bytes per multiply: stacks are long and share long prefixes, so a
 * byte-at-a-time hash would cost more than parsing them. */
uint64_t fg_hash(const char *p, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0x100000001b3ULL);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h = (h ^ w) * 0x87c37b91114253d5ULL;
        h ^= h >> 29;
    }
    uint64_t w = 0;
    memcpy(&w, p + i, len - i);
    h = (h ^ w) * 0x4cf5ad432745937fULL;
    return mix(h);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static int grow_slots_to(struct fg_map *m, size_t ns)
{
    uint32_t *s = cr_calloc(ns, sizeof(*s));
    if (!s)
        return -ENOMEM;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = m->v[i].hash & (ns - 1);
        while (s[j])
            j = (j + 1) & (ns - 1);
        s[j] = (uint32_t)(i + 1);
    }
    cr_free(m->slots);
    m->slots = s;
    m->nslots = ns;
    return 0;
}

static int grow_slots(struct fg_map *m)
{
    return grow_slots_to(m, m->nslots ? m->nslots * 2 : 1024);
}

int fg_map_reserve(struct fg_map *m, size_t entries, size_t bytes)
{
    size_t n = m->n + entries, ns = m->nslots ? m->nslots : 1024;
    while (n * 2 > ns)
        ns *= 2;
    if (ns > m->nslots && grow_slots_to(m, ns) != 0)
        return -ENOMEM;
    if (n > m->cap) {
        struct fg_entry *v = cr_realloc(m->v, n * sizeof(*v));
        if (!v)
            return -ENOMEM;
        m->v = v;
        m->cap = n;
    }
    size_t need = m->alen + bytes + entries; /* each key has a NUL */
    if (need > m->acap) {
        char *a = cr_realloc(m->arena, need);
        if (!a)
            return -ENOMEM;
        m->arena = a;
        m->acap = need;
        fg_mem_huge(a + m->alen, need - m->alen);
    }
    return 0;
}

/* Copies the key into the arena; returns its offset or SIZE_MAX. */
static size_t arena_put(struct fg_map *m, const char *key, size_t len)
{
    if (m->acap - m->alen < len + 1) {
        size_t cap = m->acap ? m->acap : 65536;
        while (cap - m->alen < len + 1)
            cap *= 2;
        char *a = cr_realloc(m->arena, cap);
        if (!a)
            return SIZE_MAX;
        m->arena = a;
        m->acap = cap;
        fg_mem_huge(a + m->alen, cap - m->alen);
    }
    size_t off = m->alen;
    memcpy(m->arena + off, key, len);
    m->arena[off + len] = '\0';
    m->alen += len + 1;
    return off;
}

static int insert(struct fg_map *m, size_t slot, uint64_t h, const char *key,
                  size_t len, uint64_t c0, uint64_t c1)
{
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        struct fg_entry *v = cr_realloc(m->v, cap * sizeof(*v));
        if (!v)
            return -ENOMEM;
        m->v = v;
        m->cap = cap;
    }
    if (m->n >= UINT32_MAX - 1)
        return -ENOMEM;
    size_t off = arena_put(m, key, len);
    if (off == SIZE_MAX)
        return -ENOMEM;
    m->v[m->n] = (struct fg_entry){
        .hash = h, .off = off, .len = len, .count = { c0, c1 }
    };
    m->slots[slot] = (uint32_t)(++m->n);
    return 0;
}

/* The entry of key (hash h), inserted with zero counts when new. */
static int find_or_insert(struct fg_map *m, const char *key, size_t len,
                          uint64_t h, size_t *idx)
{
    /* Keep the load factor under 1/2 so probes stay short. */
    if ((m->n + 1) * 2 > m->nslots && grow_slots(m) != 0)
        return -ENOMEM;
    size_t mask = m->nslots - 1;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        uint32_t s = m->slots[j];
        if (!s) {
            *idx = m->n;
            return insert(m, j, h, key, len, 0, 0);
        }
        const struct fg_entry *e = &m->v[s - 1];
        if (e->hash == h && e->len == len &&
            memcmp(m->arena + e->off, key, len) == 0) {
            *idx = s - 1;
            return 0;
        }
    }
}

size_t fg_map_find_hashed(const struct fg_map *m, const char *key, size_t len,
                          uint64_t h)
{
    if (m->nslots == 0)
        return SIZE_MAX;
    size_t mask = m->nslots - 1;
    for (size_t j = h & mask;; j = (j + 1) & mask) {
        uint32_t s = m->slots[j];
        if (!s)
            return SIZE_MAX;
        const struct fg_entry *e = &m->v[s - 1];
        if (e->hash == h && e->len == len &&
            memcmp(m->arena + e->off, key, len) == 0)
            return s - 1;
    }
}

int fg_map_index(struct fg_map *m, const char *key, size_t len, size_t *idx)
{
    return find_or_insert(m, key, len, fg_hash(key, len), idx);
}

int fg_map_add_hashed(struct fg_map *m, const char *key, size_t len,
                      uint64_t hash, uint64_t c0, uint64_t c1)
{
    size_t i;
    if (find_or_insert(m, key, len, hash, &i) != 0)
        return -ENOMEM;
    m->v[i].count[0] = sat_add(m->v[i].count[0], c0);
    m->v[i].count[1] = sat_add(m->v[i].count[1], c1);
    return 0;
}

int fg_map_add(struct fg_map *m, const char *key, size_t len, uint64_t c0,
               uint64_t c1)
{
    return fg_map_add_hashed(m, key, len, fg_hash(key, len), c0, c1);
}

const char *fg_map_key(const struct fg_map *m, const struct fg_entry *e)
{
    return m->arena + e->off;
}

uint64_t fg_map_total(const struct fg_map *m, int i)
{
    uint64_t t = 0;
    for (size_t k = 0; k < m->n; k++)
        t = sat_add(t, m->v[k].count[i]);
    return t;
}

/* qsort has no context argument; the keys are compared through a small
 * array of (pointer, length) pairs built for the sort. */
struct sort_item {
    const char *key;
    size_t len;
    size_t idx;
};

static int cmp_item(const void *a, const void *b)
{
    const struct sort_item *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    return (x->len > y->len) - (x->len < y->len);
}

size_t *fg_map_sorted(const struct fg_map *m)
{
    if (m->n == 0)
        return NULL;
    struct sort_item *it = cr_malloc(m->n * sizeof(*it));
    size_t *out = cr_malloc(m->n * sizeof(*out));
    if (!it || !out) {
        cr_free(it);
        cr_free(out);
        return NULL;
    }
    for (size_t i = 0; i < m->n; i++)
        it[i] = (struct sort_item){ m->arena + m->v[i].off, m->v[i].len, i };
    qsort(it, m->n, sizeof(*it), cmp_item);
    for (size_t i = 0; i < m->n; i++)
        out[i] = it[i].idx;
    cr_free(it);
    return out;
}
