/* engine_tar: ustar writer. See tar.h. */
#include "engine_tar.h"

#include <stdio.h>
#include <string.h>

#define BLOCK 512

struct header {
    char name[100];
    char mode[8];
    char uid[8];
    char gid[8];
    char size[12];
    char mtime[12];
    char chksum[8];
    char typeflag;
    char linkname[100];
    char magic[6];
    char version[2];
    char uname[32];
    char gname[32];
    char devmajor[8];
    char devminor[8];
    char prefix[155];
    char pad[12];
};

_Static_assert(sizeof(struct header) == BLOCK, "ustar header is one block");

/* Writes v as zero-padded octal filling width-1 digits plus a NUL. */
static void octal(char *field, size_t width, uint64_t v)
{
    char tmp[24];

    snprintf(tmp, sizeof(tmp), "%0*llo", (int)(width - 1),
             (unsigned long long)v);
    memcpy(field, tmp, width - 1);
    field[width - 1] = '\0';
}

/* Splits path into prefix/name at a '/' so both fit; -1 if impossible. */
static int set_name(struct header *h, const char *path)
{
    size_t len = strlen(path);

    if (len == 0)
        return -1;
    if (len <= sizeof(h->name)) {
        memcpy(h->name, path, len);
        return 0;
    }
    for (size_t i = len - 1; i > 0; i--) {
        if (path[i] != '/')
            continue;
        if (i > sizeof(h->prefix))
            continue;
        if (len - i - 1 > sizeof(h->name) || len - i - 1 == 0)
            return -1;
        memcpy(h->prefix, path, i);
        memcpy(h->name, path + i + 1, len - i - 1);
        return 0;
    }
    return -1;
}

static void checksum(struct header *h)
{
    const unsigned char *p = (const unsigned char *)h;
    unsigned sum = 0;

    memset(h->chksum, ' ', sizeof(h->chksum));
    for (size_t i = 0; i < sizeof(*h); i++)
        sum += p[i];
    snprintf(h->chksum, sizeof(h->chksum), "%06o", sum);
    h->chksum[7] = ' ';
}

static enum engine_code add(struct engine_tar *t, const char *path, char type,
                            unsigned mode, const char *link, const void *data,
                            size_t len, struct cr_error *err)
{
    static const char zeros[BLOCK];
    struct header h;
    size_t pad = (BLOCK - len % BLOCK) % BLOCK;

    memset(&h, 0, sizeof(h));
    /* The size field holds 11 octal digits: ustar stops at 8 GiB. */
    if ((uint64_t)len >= (uint64_t)1 << 33)
        return engine_error_set(err, ENGINE_E_INVALID,
                                "file too large for a tar entry: %s", path);
    if (set_name(&h, path) < 0)
        return engine_error_set(err, ENGINE_E_INVALID,
                                "path too long for a tar entry: %s", path);
    if (link && strlen(link) > sizeof(h.linkname))
        return engine_error_set(err, ENGINE_E_INVALID,
                                "link target too long for a tar entry: %s",
                                link);
    if (link)
        memcpy(h.linkname, link, strlen(link));
    octal(h.mode, sizeof(h.mode), mode & 07777);
    octal(h.uid, sizeof(h.uid), 0);
    octal(h.gid, sizeof(h.gid), 0);
    octal(h.size, sizeof(h.size), len);
    octal(h.mtime, sizeof(h.mtime), t->mtime);
    h.typeflag = type;
    memcpy(h.magic, "ustar", 6);
    memcpy(h.version, "00", 2);
    memcpy(h.uname, "root", 4);
    memcpy(h.gname, "root", 4);
    checksum(&h);
    if (cr_buf_append(&t->buf, &h, sizeof(h)) < 0 ||
        (len && cr_buf_append(&t->buf, data, len) < 0) ||
        (pad && cr_buf_append(&t->buf, zeros, pad) < 0))
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    return ENGINE_OK;
}

enum engine_code engine_tar_add_dir(struct engine_tar *t, const char *path,
                                    unsigned mode, struct cr_error *err)
{
    char name[260];
    size_t len = strlen(path);

    if (len + 2 > sizeof(name))
        return engine_error_set(err, ENGINE_E_INVALID,
                                "path too long for a tar entry: %s", path);
    memcpy(name, path, len + 1);
    if (len && name[len - 1] != '/')
        strcpy(name + len, "/");
    return add(t, name, '5', mode, NULL, NULL, 0, err);
}

enum engine_code engine_tar_add_file(struct engine_tar *t, const char *path,
                                     unsigned mode, const void *data,
                                     size_t len, struct cr_error *err)
{
    return add(t, path, '0', mode, NULL, data, len, err);
}

enum engine_code engine_tar_add_symlink(struct engine_tar *t, const char *path,
                                        const char *target,
                                        struct cr_error *err)
{
    return add(t, path, '2', 0777, target, NULL, 0, err);
}

enum engine_code engine_tar_finish(struct engine_tar *t, struct cr_error *err)
{
    static const char zeros[2 * BLOCK];

    if (cr_buf_append(&t->buf, zeros, sizeof(zeros)) < 0)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    return ENGINE_OK;
}
