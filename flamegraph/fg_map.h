/*
 * fg_map: the folded-stack table, "frame;frame;...;leaf" -> counts.
 *
 * Each distinct stack is stored once, in an arena the map owns, with two
 * counts: count[0] for plain folded data, count[0]/count[1] for the old and
 * new columns of a differential input. Memory grows with the number of
 * distinct stacks, never with the size of the input that fed them.
 *
 * cr_strmap (common/) borrows its keys and hashes a byte at a time; here the
 * keys must be copied anyway and stacks are a few hundred bytes long, so the
 * map hashes eight bytes per step and keeps the keys itself.
 *
 * A struct fg_map is caller-allocated: zero it or call fg_map_init;
 * fg_map_release frees everything. Key pointers from fg_map_key stay valid
 * until the next fg_map_add or fg_map_release (the arena may move).
 */
#ifndef FG_MAP_H
#define FG_MAP_H

#include <stddef.h>
#include <stdint.h>

struct fg_entry {
    uint64_t hash;
    size_t off; /* the key's offset in the arena */
    size_t len;
    uint64_t count[2];
};

struct fg_map {
    struct fg_entry *v; /* owned; entries in insertion order */
    size_t n, cap;
    uint32_t *slots; /* owned; entry index + 1, 0 when empty */
    size_t nslots;   /* a power of two, or 0 */
    char *arena;     /* owned; NUL-terminated keys back to back */
    size_t alen, acap;
};

/* Fills m with an empty map; allocates nothing. */
void fg_map_init(struct fg_map *m);

/* Frees everything m owns and leaves it empty. */
void fg_map_release(struct fg_map *m);

/* Makes room for `entries` more keys of `bytes` in all, so that adding
 * them moves nothing. Returns 0 or -ENOMEM. */
int fg_map_reserve(struct fg_map *m, size_t entries, size_t bytes);

/* Adds c0 and c1 to the counts of the len bytes at key, inserting the key
 * when new. Counts saturate at UINT64_MAX. Returns 0 or -ENOMEM. */
int fg_map_add(struct fg_map *m, const char *key, size_t len, uint64_t c0,
               uint64_t c1);

/* fg_map_add for a key whose fg_hash is already known (computed outside a
 * lock, for example). */
int fg_map_add_hashed(struct fg_map *m, const char *key, size_t len,
                      uint64_t hash, uint64_t c0, uint64_t c1);

/* The index of the entry of the len bytes at key, whose fg_hash is hash,
 * or SIZE_MAX when there is none. */
size_t fg_map_find_hashed(const struct fg_map *m, const char *key, size_t len,
                          uint64_t hash);

/* Finds the len bytes at key, inserting them with zero counts when new;
 * stores the entry's index in *idx. Returns 0 or -ENOMEM. */
int fg_map_index(struct fg_map *m, const char *key, size_t len, size_t *idx);

/* The NUL-terminated key of entry e (borrowed, see above). */
const char *fg_map_key(const struct fg_map *m, const struct fg_entry *e);

/* The sum of count[i] over all entries (saturating). */
uint64_t fg_map_total(const struct fg_map *m, int i);

/*
 * An array of the m->n entry indexes sorted by key, bytewise (the order of
 * `sort` in the C locale), in memory the caller frees with cr_free. NULL
 * when out of memory (or when the map is empty).
 */
size_t *fg_map_sorted(const struct fg_map *m);

/* The 64-bit hash of len bytes at p, as the map uses it. */
uint64_t fg_hash(const char *p, size_t len);

#endif
