/* bench: saved results in .cleanroom/bench/. See bench_store.h. */
#include "bench_store.h"
#include "cr_alloc.h"
#include "cr_fs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

char *bench_store_path(const char *name)
{
    size_t len = strlen(name);
    if (strchr(name, '/'))
        return cr_strdup(name);
    if (len > 4 && strcmp(name + len - 4, ".txt") == 0)
        return cr_strprintf("%s/%s", BENCH_STORE_DIR, name);
    return cr_strprintf("%s/%s.txt", BENCH_STORE_DIR, name);
}

char *bench_store_resolve(const char *arg)
{
    if (strchr(arg, '/') || access(arg, F_OK) == 0)
        return cr_strdup(arg);
    return bench_store_path(arg);
}

int bench_store_write(const char *path, const char *data, size_t len)
{
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
        char *dir = cr_strndup(path, (size_t)(slash - path));
        int rc = dir ? cr_fs_mkdirs(dir) : -ENOMEM;
        cr_free(dir);
        if (rc != 0)
            return rc;
    }
    return cr_fs_write_atomic(path, data, len, 0644);
}
