/* cr_buf: growable byte buffer. See cr_buf.h. */
#include "cr_alloc.h"
#include "cr_buf.h"

#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cr_buf_init(struct cr_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void cr_buf_release(struct cr_buf *b)
{
    cr_free(b->data);
    cr_buf_init(b);
}

void cr_buf_reset(struct cr_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int cr_buf_reserve(struct cr_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > (size_t)-1 - b->len - 1)
        return -ENOMEM;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    /* Double to keep appends amortised O(1). */
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    p = cr_realloc(b->data, cap);
    if (!p)
        return -ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int cr_buf_append(struct cr_buf *b, const void *p, size_t n)
{
    if (cr_buf_reserve(b, n))
        return -ENOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int cr_buf_puts(struct cr_buf *b, const char *s)
{
    return cr_buf_append(b, s, strlen(s));
}

int cr_buf_putc(struct cr_buf *b, char c)
{
    return cr_buf_append(b, &c, 1);
}

int cr_buf_vprintf(struct cr_buf *b, const char *fmt, va_list ap)
{
    va_list cp;
    int n;

    va_copy(cp, ap);
    n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || cr_buf_reserve(b, (size_t)n))
        return -ENOMEM;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

int cr_buf_printf(struct cr_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = cr_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *cr_buf_detach(struct cr_buf *b)
{
    char *p = b->data;

    if (!p)
        p = cr_calloc(1, 1);
    cr_buf_init(b);
    return p;
}

const char *cr_buf_str(const struct cr_buf *b)
{
    return b->data ? b->data : "";
}
