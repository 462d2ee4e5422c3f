/* clnrm_discover: test file discovery and sharding. */
#include "clnrm_discover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cr_alloc.h"

bool clnrm_discover_skip_dir(const char *name)
{
    return strcmp(name, ".git") == 0 || strcmp(name, "node_modules") == 0 ||
           strcmp(name, "target") == 0 || strncmp(name, "build", 5) == 0 ||
           strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

bool clnrm_discover_is_test(const char *name)
{
    static const char suffix[] = ".clnrm.toml";
    size_t n = strlen(name), s = sizeof(suffix) - 1;

    return n > s && strcmp(name + n - s, suffix) == 0;
}

/* Depth is bounded so a symlink loop cannot recurse forever. */
static int walk(const char *dir, int depth, struct cr_strv *out)
{
    DIR *d;
    struct dirent *e;
    int rc = 0;

    if (depth > 32 || (d = opendir(dir)) == NULL)
        return 0;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        char path[PATH_MAX];
        struct stat st;

        if (clnrm_discover_skip_dir(e->d_name))
            continue;
        if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >=
                (int)sizeof(path) ||
            stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode))
            rc = walk(path, depth + 1, out);
        else if (S_ISREG(st.st_mode) && clnrm_discover_is_test(e->d_name))
            rc = cr_strv_push(out, path);
    }
    closedir(d);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_unique(struct cr_strv *sv)
{
    size_t w = 0;

    if (sv->n == 0)
        return;
    qsort(sv->v, sv->n, sizeof(char *), cmp_str);
    for (size_t r = 0; r < sv->n; r++) {
        if (w > 0 && strcmp(sv->v[w - 1], sv->v[r]) == 0) {
            cr_free(sv->v[r]);
            continue;
        }
        sv->v[w++] = sv->v[r];
    }
    sv->n = w;
    sv->v[w] = NULL;
}

/* Strips trailing slashes so "examples/" and "examples" give equal paths. */
static void trim_slashes(char *p)
{
    size_t n = strlen(p);

    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
}

enum clnrm_code clnrm_discover(const char *const *paths, size_t n,
                               struct cr_strv *out, struct cr_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char path[PATH_MAX];
        struct stat st;
        int rc;

        snprintf(path, sizeof(path), "%s", paths[i]);
        trim_slashes(path);
        if (stat(path, &st) != 0)
            return clnrm_error_set(err, CLNRM_E_INPUT, "cannot read %s: %s",
                                   paths[i], strerror(errno));
        rc = S_ISDIR(st.st_mode) ? walk(path, 0, out) : cr_strv_push(out, path);
        if (rc != 0)
            return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    sort_unique(out);
    return CLNRM_OK;
}

int clnrm_shard_parse(const char *s, unsigned *index, unsigned *count)
{
    unsigned i, n;
    char tail;

    if (sscanf(s, "%u/%u%c", &i, &n, &tail) != 2)
        return -1;
    if (n < 1 || n > 10000 || i < 1 || i > n)
        return -1;
    *index = i;
    *count = n;
    return 0;
}

bool clnrm_shard_take(size_t pos, unsigned index, unsigned count)
{
    return count <= 1 || pos % count + 1 == index;
}
