/* cr_toml: the document arena, tables with a hash index, arrays. */
#include "cr_toml_tree.h"

#include "cr_alloc.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BLOCK_MIN ((size_t)64 * 1024)
/* crt_alloc in the header puts data right after the block header. */
#define HDR_SIZE sizeof(struct crt_block)

/* Blocks at least this big are mapped and pre-faulted (see block_new). */
#define MAP_MIN ((size_t)256 * 1024)

/*
 * Big documents fill their blocks completely, so a big block is mapped with
 * MAP_POPULATE: one system call pre-faults it, instead of one page fault per
 * 4 KiB page, which measured as a third of the parse time of a 4 MiB file.
 */
#define HUGE_SIZE ((size_t)2 << 20)

/*
 * Maps size bytes (a multiple of 2 MiB) at a 2 MiB boundary and asks for
 * transparent huge pages: a 4 MiB block then costs two page faults.
 */
static void *map_huge(size_t size)
{
    char *p = mmap(NULL, size + HUGE_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    size_t head = (HUGE_SIZE - (uintptr_t)p % HUGE_SIZE) % HUGE_SIZE;
    if (head > 0) {
        munmap(p, head);
    }
    if (HUGE_SIZE - head > 0) {
        munmap(p + head + size, HUGE_SIZE - head);
    }
    madvise(p + head, size, MADV_HUGEPAGE);
    return p + head;
}

static struct crt_block *block_new(size_t cap)
{
    struct crt_block *b;
    if (HDR_SIZE + cap >= HUGE_SIZE) {
        cap =
            (HDR_SIZE + cap + HUGE_SIZE - 1) / HUGE_SIZE * HUGE_SIZE - HDR_SIZE;
        b = map_huge(HDR_SIZE + cap);
        if (b == NULL) {
            return NULL;
        }
        b->mapped = true;
    } else if (HDR_SIZE + cap < MAP_MIN) {
        b = cr_malloc(HDR_SIZE + cap);
        if (b == NULL) {
            return NULL;
        }
        b->mapped = false;
    } else {
        b = mmap(NULL, HDR_SIZE + cap, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
        if (b == MAP_FAILED) {
            return NULL;
        }
        b->mapped = true;
    }
    b->used = 0;
    b->cap = cap;
    return b;
}

void crt_arena_free(struct cr_toml_doc *doc)
{
    struct crt_block *b = doc->blocks;
    while (b != NULL) {
        struct crt_block *next = b->next;
        if (b->mapped) {
            munmap(b, HDR_SIZE + b->cap);
        } else {
            cr_free(b);
        }
        b = next;
    }
    doc->blocks = NULL;
}

void *crt_alloc_exact(struct cr_toml_doc *doc, size_t n)
{
    struct crt_block *b = cr_malloc(HDR_SIZE + n);
    if (b == NULL) {
        return NULL;
    }
    b->mapped = false;
    b->cap = b->used = n;
    b->next = doc->blocks;
    doc->blocks = b;
    return (char *)b + HDR_SIZE;
}

void *crt_alloc_block(struct cr_toml_doc *doc, size_t n)
{
    struct crt_block *b = doc->blocks;
    /* Blocks double up to 4 MiB so big documents need few of them. */
    size_t cap = b ? b->cap * 2 : BLOCK_MIN;
    if (cap > (size_t)4 << 20) {
        cap = ((size_t)4 << 20) - HDR_SIZE;
    }
    if (cap < n) {
        cap = n;
    }
    struct crt_block *nb = block_new(cap);
    if (nb == NULL) {
        return NULL;
    }
    nb->used = n;
    if (b != NULL && cap == n) {
        /* A big one-off allocation must not strand the current block. */
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = b;
        doc->blocks = nb;
    }
    return (char *)nb + HDR_SIZE;
}

char *crt_strdup(struct cr_toml_doc *doc, const char *s, size_t n)
{
    char *d = crt_alloc(doc, n + 1);
    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

struct cr_toml_value *crt_value_new(struct cr_toml_doc *doc,
                                    enum cr_toml_type t, struct cr_pos pos)
{
    struct cr_toml_value *v = crt_alloc(doc, sizeof(*v));
    if (v == NULL) {
        return NULL;
    }
    v->flags = 0;
    v->depth = 0;
    memset(&v->u, 0, sizeof(v->u));
    v->type = (uint8_t)t;
    v->pos = pos;
    return v;
}

/* FNV-1a: keys are short, so a simple byte loop is fast enough. */
uint32_t crt_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static bool key_eq(const struct crt_entry *e, const char *key, size_t n,
                   uint32_t h)
{
    return e->hash == h && e->klen == n && memcmp(e->key, key, n) == 0;
}

long crt_find(const struct crt_table *tab, const char *key, size_t n,
              uint32_t h)
{
    if (tab->index == NULL) {
        for (uint32_t i = 0; i < tab->n; i++) {
            if (key_eq(&tab->ents[i], key, n, h)) {
                return (long)i;
            }
        }
        return -1;
    }
    uint32_t mask = tab->index[0] - 1;
    const uint32_t *slots = tab->index + 1;
    for (uint32_t s = h & mask;; s = (s + 1) & mask) {
        uint32_t slot = slots[s];
        if (slot == 0) {
            return -1;
        }
        if (key_eq(&tab->ents[slot - 1], key, n, h)) {
            return (long)(slot - 1);
        }
    }
}

static void index_put(struct crt_table *tab, uint32_t i)
{
    uint32_t mask = tab->index[0] - 1;
    uint32_t *slots = tab->index + 1;
    uint32_t s = tab->ents[i].hash & mask;
    while (slots[s] != 0) {
        s = (s + 1) & mask;
    }
    slots[s] = i + 1;
}

/* Rebuilds the index at a load factor of at most one half. */
static int index_rebuild(struct cr_toml_doc *doc, struct crt_table *tab)
{
    uint32_t icap = 16;
    while (icap < tab->cap * 2) {
        icap *= 2;
    }
    uint32_t *idx = crt_alloc(doc, (icap + 1) * sizeof(*idx));
    if (idx == NULL) {
        return -1;
    }
    idx[0] = icap;
    memset(idx + 1, 0, icap * sizeof(*idx));
    tab->index = idx;
    for (uint32_t i = 0; i < tab->n; i++) {
        index_put(tab, i);
    }
    return 0;
}

int crt_table_add(struct cr_toml_doc *doc, struct crt_table *tab,
                  const char *key, size_t n, uint32_t h, struct cr_pos pos,
                  struct cr_toml_value *val)
{
    if (n > UINT32_MAX) {
        return -1;
    }
    if (tab->n == tab->cap) {
        uint32_t cap = tab->cap ? tab->cap * 2 : 4;
        struct crt_entry *e = crt_alloc(doc, cap * sizeof(*e));
        if (e == NULL) {
            return -1;
        }
        if (tab->n) {
            memcpy(e, tab->ents, tab->n * sizeof(*e));
        }
        tab->ents = e;
        tab->cap = cap;
        if (tab->n >= CRT_HASH_MIN && index_rebuild(doc, tab) != 0) {
            return -1;
        }
    }
    char *k = crt_strdup(doc, key, n);
    if (k == NULL) {
        return -1;
    }
    struct crt_entry *e = &tab->ents[tab->n];
    e->key = k;
    e->klen = (uint32_t)n;
    e->hash = h;
    e->pos = pos;
    e->val = val;
    tab->n++;
    if (tab->index != NULL) {
        index_put(tab, tab->n - 1);
    } else if (tab->n > CRT_HASH_MIN) {
        return index_rebuild(doc, tab);
    }
    return 0;
}

int crt_array_push(struct cr_toml_doc *doc, struct crt_array *arr,
                   struct cr_toml_value *v)
{
    if (arr->n == arr->cap) {
        if (arr->cap >= UINT32_MAX / 2) {
            return -1;
        }
        uint32_t cap = arr->cap ? arr->cap * 2 : 4;
        struct cr_toml_value **items = crt_alloc(doc, cap * sizeof(*items));
        if (items == NULL) {
            return -1;
        }
        if (arr->n) {
            memcpy(items, arr->items, arr->n * sizeof(*items));
        }
        arr->items = items;
        arr->cap = cap;
    }
    arr->items[arr->n++] = v;
    return 0;
}
