/* watch_table: the table of watched directories and adding to it. See
 * watch.h; reading events is in watch_poll.c. */
#include "watch.h"
#include "watch_int.h"

#include "cr_alloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

CR_DEFINE_CODES(watch, enum watch_code, WATCH_CODES)

/* What a directory watch listens to: saves, removals, new directories,
 * and its own end. IN_MODIFY (every write) is left out on purpose. */
#define DIR_MASK                                                               \
    (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE |    \
     IN_DELETE_SELF | IN_ONLYDIR)

enum watch_code watch_init(struct watch *w, unsigned debounce_ms,
                           watch_filter_fn filter, void *filter_ctx,
                           struct cr_error *err)
{
    memset(w, 0, sizeof(*w));
    w->debounce_ms = debounce_ms;
    w->filter = filter;
    w->filter_ctx = filter_ctx;
    w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (w->fd < 0)
        return watch_error_set(err, WATCH_E_SYS, "inotify_init1: %s",
                               strerror(errno));
    return WATCH_OK;
}

void watch_release(struct watch *w)
{
    if (w->fd >= 0)
        close(w->fd);
    w->fd = -1;
    for (size_t i = 0; i < w->ndirs; i++)
        cr_free(w->dirs[i].path);
    cr_free(w->dirs);
    w->dirs = NULL;
    w->ndirs = w->cap = 0;
    cr_strv_release(&w->files);
}

int watch_fd(const struct watch *w)
{
    return w->fd;
}

size_t watch_count(const struct watch *w)
{
    return w->ndirs;
}

struct watch_dir *watch__find(struct watch *w, int wd)
{
    for (size_t i = 0; i < w->ndirs; i++)
        if (w->dirs[i].wd == wd)
            return &w->dirs[i];
    return NULL;
}

void watch__forget(struct watch *w, int wd)
{
    struct watch_dir *d = watch__find(w, wd);

    if (d == NULL)
        return;
    cr_free(d->path);
    *d = w->dirs[--w->ndirs];
}

bool watch__wanted(const struct watch *w, const char *path, bool is_dir)
{
    return w->filter == NULL || w->filter(w->filter_ctx, path, is_dir);
}

/* Records wd for path; the same directory added again keeps one entry,
 * recursive if either wanted it. */
static enum watch_code remember(struct watch *w, int wd, const char *path,
                                bool recursive, struct cr_error *err)
{
    struct watch_dir *d = watch__find(w, wd);

    if (d != NULL) {
        d->recursive = d->recursive || recursive;
        return WATCH_OK;
    }
    if (w->ndirs == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        struct watch_dir *nd = cr_realloc(w->dirs, cap * sizeof(*nd));
        if (nd == NULL)
            return watch_error_set(err, WATCH_E_NOMEM, "out of memory");
        w->dirs = nd;
        w->cap = cap;
    }
    d = &w->dirs[w->ndirs];
    if ((d->path = cr_strdup(path)) == NULL)
        return watch_error_set(err, WATCH_E_NOMEM, "out of memory");
    d->wd = wd;
    d->recursive = recursive;
    w->ndirs++;
    return WATCH_OK;
}

/* Calls fn for each entry of dir but . and ..; stops at the first error. */
static enum watch_code
each_entry(struct watch *w, const char *dir,
           enum watch_code (*fn)(struct watch *, const char *, bool, void *),
           void *ctx, struct cr_error *err)
{
    DIR *dp = opendir(dir);
    struct dirent *de;
    enum watch_code rc = WATCH_OK;

    if (dp == NULL) /* gone again already: nothing to watch */
        return WATCH_OK;
    while (rc == WATCH_OK && (de = readdir(dp)) != NULL) {
        struct stat st;
        char *p;

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if ((p = cr_strprintf("%s/%s", dir, de->d_name)) == NULL) {
            rc = watch_error_set(err, WATCH_E_NOMEM, "out of memory");
            break;
        }
        if (stat(p, &st) == 0)
            rc = fn(w, p, S_ISDIR(st.st_mode), ctx);
        cr_free(p);
    }
    closedir(dp);
    return rc;
}

struct scan {
    struct cr_strv *found; /* files found, or NULL */
    struct cr_error *err;
};

static enum watch_code scan_entry(struct watch *w, const char *path,
                                  bool is_dir, void *ctx);

enum watch_code watch__add_tree(struct watch *w, const char *dir,
                                struct cr_strv *found, struct cr_error *err)
{
    struct scan sc = { found, err };
    int wd = inotify_add_watch(w->fd, dir, DIR_MASK);
    enum watch_code rc;

    if (wd < 0) {
        /* A directory that vanished between its event and now is fine. */
        if (errno == ENOENT || errno == ENOTDIR)
            return WATCH_OK;
        return watch_error_set(err, WATCH_E_SYS, "inotify_add_watch %s: %s",
                               dir, strerror(errno));
    }
    if ((rc = remember(w, wd, dir, true, err)) != WATCH_OK)
        return rc;
    return each_entry(w, dir, scan_entry, &sc, err);
}

static enum watch_code scan_entry(struct watch *w, const char *path,
                                  bool is_dir, void *ctx)
{
    struct scan *sc = ctx;

    if (!watch__wanted(w, path, is_dir))
        return WATCH_OK;
    if (is_dir)
        return watch__add_tree(w, path, sc->found, sc->err);
    if (sc->found != NULL && cr_strv_find(sc->found, path) < 0 &&
        cr_strv_push(sc->found, path) != 0)
        return watch_error_set(sc->err, WATCH_E_NOMEM, "out of memory");
    return WATCH_OK;
}

/* The directory part of path ("." for a bare name); caller frees. */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        return cr_strdup(".");
    if (slash == path)
        return cr_strdup("/");
    return cr_strndup(path, (size_t)(slash - path));
}

static enum watch_code add_file(struct watch *w, const char *path,
                                struct cr_error *err)
{
    char *dir = parent_of(path);
    int wd;
    enum watch_code rc;

    if (dir == NULL)
        return watch_error_set(err, WATCH_E_NOMEM, "out of memory");
    wd = inotify_add_watch(w->fd, dir, DIR_MASK);
    if (wd < 0) {
        rc = watch_error_set(err, WATCH_E_SYS, "inotify_add_watch %s: %s", dir,
                             strerror(errno));
    } else {
        rc = remember(w, wd, dir, false, err);
    }
    cr_free(dir);
    if (rc == WATCH_OK && cr_strv_find(&w->files, path) < 0 &&
        cr_strv_push(&w->files, path) != 0)
        rc = watch_error_set(err, WATCH_E_NOMEM, "out of memory");
    return rc;
}

enum watch_code watch_add(struct watch *w, const char *path,
                          struct cr_error *err)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return watch_error_set(err, WATCH_E_SYS, "%s: %s", path,
                               strerror(errno));
    if (S_ISDIR(st.st_mode))
        return watch__add_tree(w, path, NULL, err);
    return add_file(w, path, err);
}
