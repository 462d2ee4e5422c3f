/* cr_fs: whole-file reads and atomic writes. See cr_fs.h. */
#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cr_fs_read(const char *path, char **out, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf, *p;
    ssize_t r;
    int fd, saved;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    buf = cr_malloc(cap);
    if (!buf)
        goto nomem;
    for (;;) {
        if (n + 1 >= cap) {
            p = cr_realloc(buf, cap * 2);
            if (!p)
                goto nomem;
            buf = p;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            goto fail;
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return 0;
nomem:
    /* errno may hold anything from before: out of memory is said here. */
    errno = ENOMEM;
fail:
    saved = errno;
    cr_free(buf);
    close(fd);
    errno = saved;
    return -saved;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int cr_fs_write_atomic(const char *path, const void *data, size_t len,
                       unsigned mode)
{
    char tmp[PATH_MAX];
    int fd, saved;

    if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
        (int)sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return -ENAMETOOLONG;
    }
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return -errno;
    if (write_all(fd, data, len) || fsync(fd))
        goto fail;
    if (close(fd)) {
        fd = -1;
        goto fail;
    }
    if (rename(tmp, path))
        goto fail_closed;
    return 0;
fail:
    saved = errno;
    close(fd);
    errno = saved;
fail_closed:
    saved = errno;
    unlink(tmp);
    errno = saved;
    return -saved;
}

char *cr_fs_realpath(const char *path)
{
    char buf[PATH_MAX], *copy;

    if (!realpath(path, buf))
        return NULL;
    if (!(copy = cr_strdup(buf)))
        errno = ENOMEM;
    return copy;
}

int cr_fs_mkdirs(const char *dir)
{
    char buf[PATH_MAX];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof(buf)) {
        errno = n ? ENAMETOOLONG : ENOENT;
        return -errno;
    }
    memcpy(buf, dir, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(buf, 0755) && errno != EEXIST)
        return -errno;
    return 0;
}
