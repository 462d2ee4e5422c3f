/*
 * cr_strmap: a hash index from strings to size_t values (open addressing,
 * linear probing), for name lookups that must not scan a whole list.
 *
 * A struct cr_strmap is caller-allocated; zero-initialise it before use
 * (or call cr_strmap_init). The map owns only its slot array: the keys are
 * borrowed, so each key's bytes must stay valid and unchanged while it is
 * in the map (typically the key is a name owned by the element the value
 * indexes; re-put it when that element's name moves). Keys are counted
 * byte strings, so a key may be a prefix of a longer string ("K" of
 * "K=V"). cr_strmap_release frees the slots and leaves an empty map.
 */
#ifndef CR_STRMAP_H
#define CR_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cr_strmap_slot {
    const char *key; /* borrowed; NULL: an empty slot */
    size_t len;
    uint32_t hash;
    size_t value;
};

struct cr_strmap {
    struct cr_strmap_slot *slots; /* owned; NULL while the map is empty */
    size_t cap;                   /* a power of two, or 0 */
    size_t n;
};

/* Fills m with an empty map; allocates nothing. */
void cr_strmap_init(struct cr_strmap *m);

/* Frees the slot array and leaves m empty. */
void cr_strmap_release(struct cr_strmap *m);

/*
 * Maps the len bytes at key to value, replacing the key pointer and value
 * of an equal key already present. Returns 0 or -ENOMEM (m unchanged).
 */
int cr_strmap_put(struct cr_strmap *m, const char *key, size_t len,
                  size_t value);

/* Like cr_strmap_put, but keeps an equal key that is already present. */
int cr_strmap_add(struct cr_strmap *m, const char *key, size_t len,
                  size_t value);

/* Whether the len bytes at key are mapped; their value goes to *value
 * (which may be NULL). */
bool cr_strmap_get(const struct cr_strmap *m, const char *key, size_t len,
                   size_t *value);

/* Removes the key if present. Never allocates. */
void cr_strmap_del(struct cr_strmap *m, const char *key, size_t len);

/* Empties the map, keeping its slot array for reuse. */
void cr_strmap_clear(struct cr_strmap *m);

#endif
