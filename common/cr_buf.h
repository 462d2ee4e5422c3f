/*
 * cr_buf: a growable byte buffer, always NUL-terminated.
 *
 * A struct cr_buf is caller-allocated; zero-initialise it (or call
 * cr_buf_init) before use and release its memory with cr_buf_release. The
 * bytes belong to the buffer until cr_buf_detach hands them to the caller.
 */
#ifndef CR_BUF_H
#define CR_BUF_H

#include <stdarg.h>
#include <stddef.h>

#define CR_WARN_UNUSED  __attribute__((warn_unused_result))
#define CR_PRINTF(a, b) __attribute__((format(printf, a, b)))

struct cr_buf {
    char *data; /* NULL or len bytes plus a NUL; owned by the buffer */
    size_t len;
    size_t cap;
};

/* Sets an empty buffer. Allocates nothing. */
void cr_buf_init(struct cr_buf *b);

/* Frees the bytes and leaves an empty buffer; safe to call twice. */
void cr_buf_release(struct cr_buf *b);

/* Empties the buffer but keeps its memory for reuse. */
void cr_buf_reset(struct cr_buf *b);

/* Ensures room for extra more bytes. Returns 0, or -ENOMEM. */
int cr_buf_reserve(struct cr_buf *b, size_t extra) CR_WARN_UNUSED;

/* Appends bytes; returns 0 or -ENOMEM (buffer unchanged). */
int cr_buf_append(struct cr_buf *b, const void *p, size_t n) CR_WARN_UNUSED;
int cr_buf_puts(struct cr_buf *b, const char *s) CR_WARN_UNUSED;
int cr_buf_putc(struct cr_buf *b, char c) CR_WARN_UNUSED;
int cr_buf_printf(struct cr_buf *b, const char *fmt, ...)
    CR_PRINTF(2, 3) CR_WARN_UNUSED;
int cr_buf_vprintf(struct cr_buf *b, const char *fmt,
                   va_list ap) CR_WARN_UNUSED;

/*
 * Returns the bytes (never NULL: an empty buffer gives a fresh "") and
 * resets the buffer. The caller owns the result and frees it with cr_free.
 * Returns NULL only when out of memory.
 */
char *cr_buf_detach(struct cr_buf *b);

/* Borrowed view of the contents; "" for an empty buffer. */
const char *cr_buf_str(const struct cr_buf *b);

#endif
