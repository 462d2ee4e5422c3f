/* engine_build_ctx: a build context directory as a tar, honouring
 * .dockerignore. See engine_build.h. */
#include "engine_build.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_strv.h"

/* The same fixed mtime for every entry: unchanged content, same bytes. */
#define CONTEXT_MTIME 1700000000

/* One pattern against path or one of its parent directories. "**" matches
 * across '/', other wildcards do not. */
static bool pattern_matches(const char *pat, const char *path)
{
    char buf[4096];
    int flags = strstr(pat, "**") != NULL ? 0 : FNM_PATHNAME;

    snprintf(buf, sizeof(buf), "%s", path);
    for (;;) {
        if (fnmatch(pat, buf, flags) == 0)
            return true;
        char *slash = strrchr(buf, '/');
        if (slash == NULL)
            return false;
        *slash = '\0';
    }
}

bool engine_dockerignore_match(const char *patterns, const char *path)
{
    bool excluded = false;
    const char *p = patterns;

    while (p != NULL && *p != '\0') {
        size_t len = strcspn(p, "\n");
        char pat[1024];
        const char *s = pat;
        bool negate;

        snprintf(pat, sizeof(pat), "%.*s", (int)len, p);
        p += len + (p[len] == '\n');
        /* Trim blanks and a CR; skip comments and empty lines. */
        for (size_t n = strlen(pat);
             n > 0 && strchr(" \t\r/", pat[n - 1]) != NULL; n--)
            pat[n - 1] = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#')
            continue;
        negate = *s == '!';
        s += negate;
        while (*s == '/' || (s[0] == '.' && s[1] == '/'))
            s += *s == '/' ? 1 : 2;
        if (*s != '\0' && pattern_matches(s, path))
            excluded = !negate;
    }
    return excluded;
}

struct walk {
    struct engine_tar *t;
    const char *root;
    char *ignore; /* .dockerignore, or NULL */
    struct cr_error *err;
};

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool always_sent(const char *rel)
{
    return strcmp(rel, "Dockerfile") == 0 || strcmp(rel, ".dockerignore") == 0;
}

static enum engine_code walk_dir(struct walk *w, const char *rel);

static enum engine_code add_entry(struct walk *w, const char *rel)
{
    char full[4096];
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    enum engine_code rc;
    int rd;

    if (w->ignore != NULL && !always_sent(rel) &&
        engine_dockerignore_match(w->ignore, rel))
        return ENGINE_OK;
    snprintf(full, sizeof(full), "%s/%s", w->root, rel);
    if (lstat(full, &st) != 0)
        return engine_error_set(w->err, ENGINE_E_IO, "build context %s: %s",
                                full, strerror(errno));
    if (S_ISDIR(st.st_mode)) {
        rc = engine_tar_add_dir(w->t, rel, st.st_mode & 07777, w->err);
        return rc == ENGINE_OK ? walk_dir(w, rel) : rc;
    }
    if (S_ISLNK(st.st_mode)) {
        char target[1024];
        ssize_t n = readlink(full, target, sizeof(target) - 1);
        if (n < 0)
            return engine_error_set(w->err, ENGINE_E_IO, "build context %s: %s",
                                    full, strerror(errno));
        target[n] = '\0';
        return engine_tar_add_symlink(w->t, rel, target, w->err);
    }
    if (!S_ISREG(st.st_mode))
        return ENGINE_OK; /* sockets, fifos: docker skips them too */
    if (w->t->buf.len + (size_t)st.st_size > ENGINE_BUILD_MAX_CONTEXT)
        return engine_error_set(w->err, ENGINE_E_INVALID,
                                "build context %s is over %u MiB (list what "
                                "the image does not need in .dockerignore)",
                                w->root, ENGINE_BUILD_MAX_CONTEXT >> 20);
    if ((rd = cr_fs_read(full, &data, &len)) != 0)
        return engine_error_set(w->err,
                                rd == -ENOMEM ? ENGINE_E_NOMEM : ENGINE_E_IO,
                                "build context %s: %s", full, strerror(-rd));
    rc = engine_tar_add_file(w->t, rel, st.st_mode & 07777, data, len, w->err);
    cr_free(data);
    return rc;
}

/* Adds the entries of root/rel (rel "" for the root), sorted by name. */
static enum engine_code walk_dir(struct walk *w, const char *rel)
{
    char full[4096];
    struct cr_strv names = { 0 };
    struct dirent *de;
    enum engine_code rc = ENGINE_OK;
    DIR *d;

    snprintf(full, sizeof(full), "%s%s%s", w->root, *rel ? "/" : "", rel);
    if ((d = opendir(full)) == NULL)
        return engine_error_set(w->err, ENGINE_E_IO, "build context %s: %s",
                                full, strerror(errno));
    while ((de = readdir(d)) != NULL && rc == ENGINE_OK)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            cr_strv_push(&names, de->d_name) != 0)
            rc = engine_error_set(w->err, ENGINE_E_NOMEM, "out of memory");
    closedir(d);
    if (names.n > 1)
        qsort(names.v, names.n, sizeof(names.v[0]), cmp_names);
    for (size_t i = 0; rc == ENGINE_OK && i < names.n; i++) {
        char *child = cr_strprintf("%s%s%s", rel, *rel ? "/" : "", names.v[i]);
        rc = child == NULL
                 ? engine_error_set(w->err, ENGINE_E_NOMEM, "out of memory")
                 : add_entry(w, child);
        cr_free(child);
    }
    cr_strv_release(&names);
    return rc;
}

enum engine_code engine_build_context(const char *dir, struct engine_tar *t,
                                      struct cr_error *err)
{
    struct walk w = { t, dir, NULL, err };
    char *path = cr_strprintf("%s/.dockerignore", dir);
    enum engine_code rc;
    int rd;

    if (path == NULL)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    rd = cr_fs_read(path, &w.ignore, NULL);
    cr_free(path);
    if (rd == -ENOMEM)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    t->mtime = CONTEXT_MTIME;
    rc = walk_dir(&w, "");
    if (rc == ENGINE_OK)
        rc = engine_tar_finish(t, err);
    cr_free(w.ignore);
    return rc;
}
