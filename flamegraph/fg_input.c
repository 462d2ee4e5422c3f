/* fg_input: chunked line reading (see fg_input.h). */
#include "fg_input.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1u << 20)

static int emit(fg_line_fn fn, void *ctx, const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '\r')
        n--;
    return fn(ctx, s, n);
}

/* Calls fn for every complete line of [p, p+n); returns the number of bytes
 * consumed (up to and including the last newline), or -errno. */
static long split(fg_line_fn fn, void *ctx, const char *p, size_t n)
{
    const char *s = p, *end = p + n;
    for (;;) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl)
            break;
        int rc = emit(fn, ctx, s, (size_t)(nl - s));
        if (rc)
            return rc;
        s = nl + 1;
    }
    return (long)(s - p);
}

static enum fg_code nomem(struct cr_error *err)
{
    return fg_error_set(err, FG_E_NOMEM, "out of memory");
}

enum fg_code fg_input_mem(const char *data, size_t len, fg_line_fn fn,
                          void *ctx, struct cr_error *err)
{
    long used = split(fn, ctx, data, len);
    if (used < 0)
        return nomem(err);
    if ((size_t)used < len && emit(fn, ctx, data + used, len - (size_t)used))
        return nomem(err);
    return FG_OK;
}

/* Appends the chunk to the carried partial line until it holds a whole
 * line, then hands that line over. Returns bytes of chunk used, or -errno. */
static long finish_carry(struct cr_buf *carry, fg_line_fn fn, void *ctx,
                         const char *p, size_t n)
{
    const char *nl = memchr(p, '\n', n);
    size_t take = nl ? (size_t)(nl - p) : n;
    if (cr_buf_append(carry, p, take) != 0)
        return -ENOMEM;
    if (!nl)
        return (long)n;
    int rc = emit(fn, ctx, carry->data, carry->len);
    cr_buf_reset(carry);
    return rc ? rc : (long)(take + 1);
}

enum fg_code fg_input_fd(int fd, const char *name, fg_line_fn fn, void *ctx,
                         struct cr_error *err)
{
    char *chunk = cr_malloc(CHUNK);
    struct cr_buf carry = { 0 };
    enum fg_code rc = FG_OK;
    if (!chunk)
        return nomem(err);
    for (;;) {
        ssize_t got = read(fd, chunk, CHUNK);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            rc = fg_error_set(err, FG_E_IO, "%s: %s", name, strerror(errno));
            break;
        }
        if (got == 0)
            break;
        size_t n = (size_t)got, off = 0;
        if (carry.len > 0) {
            long used = finish_carry(&carry, fn, ctx, chunk, n);
            if (used < 0) {
                rc = nomem(err);
                break;
            }
            off = (size_t)used;
            if (carry.len > 0 || off == n)
                continue;
        }
        long used = split(fn, ctx, chunk + off, n - off);
        if (used < 0 || cr_buf_append(&carry, chunk + off + used,
                                      n - off - (size_t)used) != 0) {
            rc = nomem(err);
            break;
        }
    }
    if (rc == FG_OK && carry.len > 0 &&
        emit(fn, ctx, carry.data, carry.len) != 0)
        rc = nomem(err);
    cr_buf_release(&carry);
    cr_free(chunk);
    return rc;
}

enum fg_code fg_input_path(const char *path, fg_line_fn fn, void *ctx,
                           struct cr_error *err)
{
    if (strcmp(path, "-") == 0)
        return fg_input_fd(0, "<stdin>", fn, ctx, err);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fg_error_set(err, FG_E_IO, "%s: %s", path, strerror(errno));
    enum fg_code rc = fg_input_fd(fd, path, fn, ctx, err);
    close(fd);
    return rc;
}
