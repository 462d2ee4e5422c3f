/* heap: the result struct's lifetime. See heap.h. */
#include "heap.h"

#include <string.h>

#include "cr_alloc.h"

void heap_result_init(struct heap_result *r)
{
    memset(r, 0, sizeof(*r));
}

static void release_sites(struct heap_sites *s)
{
    for (size_t i = 0; i < s->n; i++) {
        cr_free(s->v[i].function);
        cr_free(s->v[i].location);
        cr_free(s->v[i].module);
    }
    s->n = 0;
}

void heap_result_release(struct heap_result *r)
{
    release_sites(&r->by_calls);
    release_sites(&r->by_peak);
    release_sites(&r->by_leaked);
    release_sites(&r->by_temporary);
    cr_free(r->command);
    heap_result_init(r);
}
