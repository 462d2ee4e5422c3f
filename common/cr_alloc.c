/* cr_alloc: the allocation hook. See cr_alloc.h. */
#include "cr_alloc.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one global besides signal flags; NULL members mean the C library. */
static struct cr_alloc_hooks hooks;

/* Part of the hook's state: this thread's failed allocations. */
static _Thread_local unsigned long failures;

unsigned long cr_alloc_failures(void)
{
    return failures;
}

void cr_alloc_set(const struct cr_alloc_hooks *h)
{
    cJSON_Hooks cj = { cr_malloc, cr_free };

    if (h)
        hooks = *h;
    else
        memset(&hooks, 0, sizeof(hooks));
    /* cJSON keeps its own copy of the functions: point it at ours, hook
     * or not, so that its failures are counted too. */
    cJSON_InitHooks(&cj);
}
/* A NULL p for a non-empty request is a failure: counted, and errno set
 * to ENOMEM as malloc(3) does (a hook may not). */
static void *result(void *p, size_t size)
{
    if (!p && size) {
        failures++;
        errno = ENOMEM;
    }
    return p;
}

void *cr_malloc(size_t size)
{
    if (hooks.malloc_fn)
        return result(hooks.malloc_fn(hooks.ctx, size), size);
    return result(malloc(size), size);
}

void *cr_calloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        return result(NULL, 1);
    if (!hooks.malloc_fn)
        return result(calloc(n, size), n * size);
    if ((p = result(hooks.malloc_fn(hooks.ctx, n * size), n * size)))
        memset(p, 0, n * size);
    return p;
}

void *cr_realloc(void *p, size_t size)
{
    if (hooks.realloc_fn)
        return result(hooks.realloc_fn(hooks.ctx, p, size), size);
    return result(realloc(p, size), size);
}

void cr_free(void *p)
{
    if (hooks.free_fn)
        hooks.free_fn(hooks.ctx, p);
    else
        free(p);
}

char *cr_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = cr_malloc(len + 1);

    if (d) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

char *cr_strdup(const char *s)
{
    return cr_strndup(s, SIZE_MAX);
}

char *cr_strprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(s = cr_malloc((size_t)n + 1)))
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
