/*
 * cr_alloc: the one allocation hook through which every library allocates.
 *
 * Besides the signal flags of cr_signal.h, the hook is the only global
 * state in the project (STYLE.md): tests set it to make the Nth allocation
 * fail (allocation-failure injection), benchmarks to count allocations and
 * bytes. cJSON allocates through it too (cJSON_InitHooks, set by
 * cr_alloc_set), and PCRE2 through a general context built on
 * cr_malloc/cr_free.
 *
 * Set the hook before any thread starts and do not change it while another
 * thread allocates. Hooks must wrap the C library's allocator (fail or
 * count, then call malloc/realloc/free), so memory from libc (getline,
 * realpath) may be released with cr_free and memory from cr_malloc with
 * free(3).
 */
#ifndef CR_ALLOC_H
#define CR_ALLOC_H

#include <stddef.h>

struct cr_alloc_hooks {
    void *(*malloc_fn)(void *ctx, size_t size);
    void *(*realloc_fn)(void *ctx, void *p, size_t size);
    void (*free_fn)(void *ctx, void *p);
    void *ctx; /* passed to every call */
};

/*
 * How many allocations through this module have failed in the calling
 * thread since it started. Callers of libraries that return NULL both for
 * bad input and for no memory (cJSON_Parse) compare it before and after
 * the call to tell the two apart. Thread-local, so it needs no lock.
 */
unsigned long cr_alloc_failures(void);

/*
 * Installs hooks (copied); NULL restores the C library's allocator. Either
 * way cJSON is pointed at cr_malloc/cr_free, so every tool's main calls
 * cr_alloc_set(NULL) once before anything else (cJSON's allocations are
 * then counted by cr_alloc_failures too).
 */
void cr_alloc_set(const struct cr_alloc_hooks *hooks);

/* malloc(3) and friends through the hook. cr_calloc checks n * size for
 * overflow; cr_free accepts NULL. */
void *cr_malloc(size_t size);
void *cr_calloc(size_t n, size_t size);
void *cr_realloc(void *p, size_t size);
void cr_free(void *p);

/* Copies s (at most n bytes for cr_strndup) into memory from cr_malloc;
 * NULL when out of memory. The caller frees with cr_free. */
char *cr_strdup(const char *s);
char *cr_strndup(const char *s, size_t n);

/* A new string formatted as by printf, in memory from cr_malloc (asprintf
 * through the hook). NULL when out of memory; the caller frees with
 * cr_free. */
char *cr_strprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
