/*
 * cr_toml_tree: the document tree and the arena that holds it. Internal to
 * the cr_toml files; not part of the public API.
 *
 * Memory: every node, key and string of a document lives in one arena owned
 * by the document, so cr_toml_free releases a handful of blocks and never
 * walks the tree. Growing arrays copy into fresh arena space; the old space
 * is wasted until the document is freed, which costs at most twice the
 * final size. Nothing here reports errors: functions return NULL or -1
 * when out of memory and the parser words the message.
 */
#ifndef CR_TOML_TREE_H
#define CR_TOML_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cr_error.h"
#include "cr_toml_types.h"

/* Flags on tables and arrays that enforce the redefinition rules. */
enum {
    CRT_F_IMPLICIT = 1 << 0, /* table created as a parent of a [header] */
    CRT_F_HEADER = 1 << 1,   /* table defined by [header] or [[header]] */
    CRT_F_DOTTED = 1 << 2,   /* table created by a dotted key */
    CRT_F_SEALED = 1 << 3,   /* inline table or static array: immutable */
    CRT_F_AOT = 1 << 4,      /* array created by [[header]] */
};

/* Tables with more entries than this get a hash index. */
#define CRT_HASH_MIN 8

struct crt_entry {
    const char *key; /* NUL-terminated copy in the arena */
    uint32_t klen;
    uint32_t hash;
    struct cr_pos pos;
    struct cr_toml_value *val;
};

struct crt_table {
    struct crt_entry *ents;
    uint32_t n, cap;
    /* NULL, or open addressing: index[0] is the slot count (a power of
     * two), index[1 + s] is 0 or an entry index + 1. */
    uint32_t *index;
};

struct crt_array {
    struct cr_toml_value **items;
    uint32_t n, cap;
};

struct cr_toml_value {
    uint8_t type; /* enum cr_toml_type */
    uint8_t flags;
    uint16_t depth; /* tables and arrays: levels below the root */
    struct cr_pos pos;
    union {
        struct crt_table tab;
        struct crt_array arr;
        struct {
            const char *s;
            size_t len;
        } str;
        int64_t i;
        double f;
        bool b;
        struct cr_toml_datetime *dt; /* out of line: keeps values small */
    } u;
};

struct crt_block {
    struct crt_block *next;
    size_t used, cap;
    bool mapped; /* from mmap rather than malloc */
    /* Data follows, aligned to max_align_t. */
};

struct cr_toml_doc {
    struct crt_block *blocks;
    struct cr_toml_value root;
    char *filename;
};

/* --- Arena (cr_toml_tree.c) ---------------------------------------------- */
/* Slow path of crt_alloc: starts a new block. */
void *crt_alloc_block(struct cr_toml_doc *doc, size_t n);

/* Under AddressSanitizer every allocation gets its own malloc, so the
 * fuzzer sees overflows that an arena would hide. */
#if defined(__SANITIZE_ADDRESS__)
#define CRT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CRT_ASAN 1
#endif
#endif
void *crt_alloc_exact(struct cr_toml_doc *doc, size_t n);

/* n bytes, pointer-aligned, owned by the document. NULL when out of memory.
 * Inline because the parser allocates for every key and value. */
static inline void *crt_alloc(struct cr_toml_doc *doc, size_t n)
{
#ifdef CRT_ASAN
    return crt_alloc_exact(doc, n);
#endif
    struct crt_block *b = doc->blocks;
    n = (n + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    if (b == NULL || b->cap - b->used < n) {
        return crt_alloc_block(doc, n);
    }
    void *p = (char *)(b + 1) + b->used;
    b->used += n;
    return p;
}
void crt_arena_free(struct cr_toml_doc *doc);
char *crt_strdup(struct cr_toml_doc *doc, const char *s, size_t n);
/* A fresh value of type t at pos, zeroed, in the arena; NULL when out of
 * memory. */
struct cr_toml_value *crt_value_new(struct cr_toml_doc *doc,
                                    enum cr_toml_type t, struct cr_pos pos);

/* --- Tables and arrays (cr_toml_tree.c) ----------------------------------- */
uint32_t crt_hash(const char *s, size_t n);
/* Index of the key in tab, or -1. */
long crt_find(const struct crt_table *tab, const char *key, size_t n,
              uint32_t h);
/* Appends a new entry (the caller checked it is absent). -1 on NOMEM. */
int crt_table_add(struct cr_toml_doc *doc, struct crt_table *tab,
                  const char *key, size_t n, uint32_t h, struct cr_pos pos,
                  struct cr_toml_value *val);
int crt_array_push(struct cr_toml_doc *doc, struct crt_array *arr,
                   struct cr_toml_value *v);

#endif
