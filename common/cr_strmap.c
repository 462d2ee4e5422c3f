/* cr_strmap: a hash index from strings to size_t (see cr_strmap.h). */
#include "cr_strmap.h"

#include "cr_alloc.h"

#include <errno.h>
#include <string.h>

/* FNV-1a: short keys, no adversary to defend against. */
static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

void cr_strmap_init(struct cr_strmap *m)
{
    memset(m, 0, sizeof(*m));
}

void cr_strmap_release(struct cr_strmap *m)
{
    cr_free(m->slots);
    memset(m, 0, sizeof(*m));
}

void cr_strmap_clear(struct cr_strmap *m)
{
    if (m->slots)
        memset(m->slots, 0, m->cap * sizeof(*m->slots));
    m->n = 0;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t probe(const struct cr_strmap *m, const char *key, size_t len,
                    uint32_t h)
{
    size_t mask = m->cap - 1;
    size_t i = h & mask;
    for (;;) {
        const struct cr_strmap_slot *s = &m->slots[i];
        if (!s->key ||
            (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return i;
        i = (i + 1) & mask;
    }
}

static int grow(struct cr_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 16;
    struct cr_strmap_slot *ns = cr_calloc(cap, sizeof(*ns));
    if (!ns)
        return -ENOMEM;
    struct cr_strmap old = *m;
    m->slots = ns;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key)
            m->slots[probe(m, old.slots[i].key, old.slots[i].len,
                           old.slots[i].hash)] = old.slots[i];
    cr_free(old.slots);
    return 0;
}

static int insert(struct cr_strmap *m, const char *key, size_t len,
                  size_t value, bool replace)
{
    /* Keep the load factor under 3/4 so probes stay short. */
    if ((m->n + 1) * 4 > m->cap * 3 && grow(m) != 0)
        return -ENOMEM;
    uint32_t h = hash_bytes(key, len);
    struct cr_strmap_slot *s = &m->slots[probe(m, key, len, h)];
    if (s->key && !replace)
        return 0;
    if (!s->key)
        m->n++;
    *s = (struct cr_strmap_slot){ key, len, h, value };
    return 0;
}

int cr_strmap_put(struct cr_strmap *m, const char *key, size_t len,
                  size_t value)
{
    return insert(m, key, len, value, true);
}

int cr_strmap_add(struct cr_strmap *m, const char *key, size_t len,
                  size_t value)
{
    return insert(m, key, len, value, false);
}

bool cr_strmap_get(const struct cr_strmap *m, const char *key, size_t len,
                   size_t *value)
{
    if (!m->n)
        return false;
    const struct cr_strmap_slot *s =
        &m->slots[probe(m, key, len, hash_bytes(key, len))];
    if (!s->key)
        return false;
    if (value)
        *value = s->value;
    return true;
}

void cr_strmap_del(struct cr_strmap *m, const char *key, size_t len)
{
    if (!m->n)
        return;
    size_t mask = m->cap - 1;
    size_t i = probe(m, key, len, hash_bytes(key, len));
    if (!m->slots[i].key)
        return;
    m->slots[i].key = NULL;
    m->n--;
    /* Backward-shift deletion: move up every later entry of the run that
     * could live at the hole, so no probe stops early. */
    for (size_t j = (i + 1) & mask; m->slots[j].key; j = (j + 1) & mask) {
        size_t home = m->slots[j].hash & mask;
        bool movable =
            i <= j ? (home <= i || home > j) : (home <= i && home > j);
        if (movable) {
            m->slots[i] = m->slots[j];
            m->slots[j].key = NULL;
            i = j;
        }
    }
}
