/* cr_strv: vectors of owned strings. See cr_strv.h. */
#include "cr_strv.h"

#include <errno.h>
#include <string.h>

#include "cr_alloc.h"

int cr_strv_push_take(struct cr_strv *sv, char *s)
{
    char **nv;

    if (!s)
        return -ENOMEM;
    /* One slot for s and one for the terminating NULL. */
    nv = cr_realloc(sv->v, (sv->n + 2) * sizeof(*nv));
    if (!nv) {
        cr_free(s);
        return -ENOMEM;
    }
    sv->v = nv;
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
    return 0;
}

int cr_strv_push(struct cr_strv *sv, const char *s)
{
    return cr_strv_push_take(sv, cr_strdup(s ? s : ""));
}

int cr_strv_copy(struct cr_strv *dst, const struct cr_strv *src)
{
    for (size_t i = 0; i < src->n; i++)
        if (cr_strv_push(dst, src->v[i]) != 0)
            return -ENOMEM;
    return 0;
}

void cr_strv_release(struct cr_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        cr_free(sv->v[i]);
    cr_free(sv->v);
    sv->v = NULL;
    sv->n = 0;
}

long cr_strv_find(const struct cr_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return (long)i;
    return -1;
}
