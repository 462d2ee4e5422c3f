/* clnrm_dev_files: a session's test files, what they reference, and what a
 * batch of saves means for them. See clnrm_dev_int.h. */
#include "clnrm_dev_int.h"

#include "clnrm_discover.h"
#include "clnrm_load.h"

#include "cr_alloc.h"
#include "cr_fs.h"

#include <string.h>

/* Directories discovery skips are not watched either. */
static bool watch_filter(void *ctx, const char *path, bool is_dir)
{
    const char *base = strrchr(path, '/');

    (void)ctx;
    return !is_dir || !clnrm_discover_skip_dir(base != NULL ? base + 1 : path);
}

static struct clnrm_dev_test *find(const struct clnrm_dev *d, const char *path)
{
    for (size_t i = 0; i < d->n; i++)
        if (strcmp(d->tests[i]->path, path) == 0)
            return d->tests[i];
    return NULL;
}

static bool matches_only(const struct clnrm_dev *d, const struct clnrm_test *t)
{
    return d->only == NULL ||
           clnrm_regex_search(d->only, t->name, strlen(t->name)) > 0;
}

/* True when path is dir or inside it. */
static bool under(const char *path, const char *dir)
{
    size_t n = strlen(dir);

    return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static void emit_error(struct clnrm_dev *d, const char *path, const char *msg)
{
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_ERROR,
                                  .path = path,
                                  .message = msg };

    clnrm__dev_emit(d, &ev);
}

/* Watches the volume sources of t: a mounted file can change under a
 * running container (and must then be mounted again), a directory is
 * seen live but its changes still call for a rerun. */
static void watch_refs(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                       const struct clnrm_test *t)
{
    cr_strv_release(&dt->refs);
    for (size_t i = 0; i < t->n_services; i++)
        for (size_t k = 0; k < t->services[i].n_volumes; k++) {
            const char *p = t->services[i].volumes[k].host_path;
            if (cr_strv_find(&dt->refs, p) >= 0 ||
                cr_strv_push(&dt->refs, p) != 0)
                continue;
            /* A missing source is reported when the service boots. */
            (void)watch_add(&d->w, p, NULL);
        }
}

/* Loads dt's file; a good spec becomes pending, a bad one is reported and
 * the running services stay as they are. */
static void load(struct clnrm_dev *d, struct clnrm_dev_test *dt)
{
    const struct clnrm_load_opts lo = { .strict = d->opts->strict,
                                        .allow = d->opts->allow };
    struct clnrm_diags diags = { 0 };
    struct clnrm_test *t = NULL;
    struct cr_error e = { 0 };

    if (clnrm_test_load(dt->path, &lo, &t, &diags, &e) != CLNRM_OK) {
        emit_error(d, dt->path, e.msg);
        clnrm_diags_release(&diags);
        dt->broken = true;
        dt->dirty = false;
        return;
    }
    clnrm_diags_release(&diags);
    dt->broken = false;
    clnrm_test_free(dt->pending);
    dt->pending = t;
    dt->selected = matches_only(d, t);
    dt->dirty = dt->selected;
    watch_refs(d, dt, t);
    /* Renamed out of --only: its services are not wanted any more. */
    if (!dt->selected && dt->booted)
        clnrm__dev_stop(d, dt);
}

static struct clnrm_dev_test *add_test(struct clnrm_dev *d, const char *path)
{
    struct clnrm_dev_test *dt;

    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        struct clnrm_dev_test **nt = cr_realloc(d->tests, cap * sizeof(*nt));
        if (nt == NULL)
            return NULL;
        d->tests = nt;
        d->cap = cap;
    }
    if ((dt = cr_calloc(1, sizeof(*dt))) == NULL)
        return NULL;
    if ((dt->path = cr_strdup(path)) == NULL) {
        cr_free(dt);
        return NULL;
    }
    d->tests[d->n++] = dt;
    return dt;
}

static void free_test(struct clnrm_dev_test *dt)
{
    clnrm_test_free(dt->t);
    clnrm_test_free(dt->pending);
    cr_strv_release(&dt->refs);
    cr_strv_release(&dt->changed_refs);
    cr_free(dt->path);
    cr_free(dt);
}

void clnrm__dev_free_tests(struct clnrm_dev *d)
{
    for (size_t i = 0; i < d->n; i++)
        free_test(d->tests[i]);
    cr_free(d->tests);
    d->tests = NULL;
    d->n = d->cap = 0;
}

static enum clnrm_code add_roots(struct clnrm_dev *d, struct cr_error *err)
{
    static const char *const dot[] = { "." };
    const char *const *paths = d->opts->npaths > 0 ? d->opts->paths : dot;
    size_t n = d->opts->npaths > 0 ? d->opts->npaths : 1;

    for (size_t i = 0; i < n; i++) {
        char *abs = cr_fs_realpath(paths[i]);
        struct cr_error we = { 0 };

        if (abs == NULL)
            return clnrm_error_set(err, CLNRM_E_INPUT,
                                   "%s: no such file or "
                                   "directory",
                                   paths[i]);
        if (cr_strv_push_take(&d->roots, abs) != 0)
            return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
        if (watch_add(&d->w, abs, &we) != WATCH_OK)
            return clnrm_error_set(err, CLNRM_E_IO, "cannot watch %s", we.msg);
    }
    return CLNRM_OK;
}

enum clnrm_code clnrm__dev_load_all(struct clnrm_dev *d, struct cr_error *err)
{
    struct cr_strv files = { 0 };
    struct cr_error we = { 0 };
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_WATCHING };
    enum clnrm_code rc;

    if (watch_init(&d->w, d->opts->debounce_ms, watch_filter, NULL, &we) !=
        WATCH_OK)
        return clnrm_error_set(err, CLNRM_E_IO, "%s", we.msg);
    if ((rc = add_roots(d, err)) != CLNRM_OK)
        return rc;
    rc = clnrm_discover((const char *const *)d->roots.v, d->roots.n, &files,
                        err);
    for (size_t i = 0; rc == CLNRM_OK && i < files.n; i++) {
        struct clnrm_dev_test *dt = add_test(d, files.v[i]);
        if (dt == NULL)
            rc = clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
        else
            load(d, dt);
    }
    cr_strv_release(&files);
    ev.n = d->n;
    ev.n_dirs = watch_count(&d->w);
    if (rc == CLNRM_OK)
        clnrm__dev_emit(d, &ev);
    return rc;
}

static void remove_test(struct clnrm_dev *d, struct clnrm_dev_test *dt)
{
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_REMOVED, .path = dt->path };

    clnrm__dev_stop(d, dt);
    clnrm__dev_emit(d, &ev);
    for (size_t i = 0; i < d->n; i++)
        if (d->tests[i] == dt) {
            memmove(&d->tests[i], &d->tests[i + 1],
                    (d->n - i - 1) * sizeof(*d->tests));
            d->n--;
            break;
        }
    free_test(dt);
}

static bool is_new_test_file(const struct clnrm_dev *d, const char *path)
{
    const char *base = strrchr(path, '/');

    if (!clnrm_discover_is_test(base != NULL ? base + 1 : path))
        return false;
    for (size_t i = 0; i < d->roots.n; i++)
        if (under(path, d->roots.v[i]))
            return true;
    return false;
}

/* Marks the tests that reference path; true when there was one. */
static bool mark_referrers(struct clnrm_dev *d, const char *path)
{
    bool any = false;

    for (size_t i = 0; i < d->n; i++) {
        struct clnrm_dev_test *dt = d->tests[i];
        for (size_t k = 0; k < dt->refs.n; k++) {
            if (!under(path, dt->refs.v[k]))
                continue;
            any = true;
            /* A mounted directory shows its changes live; a mounted file
             * saved by write-rename does not (see clnrm_dev_warm.c). */
            if (strcmp(path, dt->refs.v[k]) == 0 &&
                cr_strv_find(&dt->changed_refs, path) < 0)
                (void)cr_strv_push(&dt->changed_refs, path);
            dt->dirty = dt->selected && !dt->broken;
        }
    }
    return any;
}

static void changed(struct clnrm_dev *d, const char *path)
{
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_CHANGED, .path = path };
    struct clnrm_dev_test *dt = find(d, path);
    bool referenced = mark_referrers(d, path);

    if (dt == NULL && is_new_test_file(d, path))
        dt = add_test(d, path);
    if (dt == NULL && !referenced)
        return; /* not ours: an editor's backup, an unrelated file */
    clnrm__dev_emit(d, &ev);
    if (dt != NULL)
        load(d, dt);
}

bool clnrm__dev_apply(struct clnrm_dev *d, const struct watch_batch *b)
{
    for (size_t i = 0; i < b->removed.n; i++) {
        struct clnrm_dev_test *dt = find(d, b->removed.v[i]);
        if (dt != NULL)
            remove_test(d, dt);
        else
            (void)mark_referrers(d, b->removed.v[i]);
    }
    for (size_t i = 0; i < b->changed.n; i++)
        changed(d, b->changed.v[i]);
    for (size_t i = 0; i < d->n; i++)
        if (d->tests[i]->dirty)
            return true;
    return false;
}

bool clnrm__dev_relevant(const struct clnrm_dev *d, const struct watch_batch *b)
{
    const struct cr_strv *lists[] = { &b->changed, &b->removed };

    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < lists[l]->n; i++) {
            const char *p = lists[l]->v[i];
            if (find(d, p) != NULL || is_new_test_file(d, p))
                return true;
            for (size_t k = 0; k < d->n; k++)
                for (size_t r = 0; r < d->tests[k]->refs.n; r++)
                    if (under(p, d->tests[k]->refs.v[r]))
                        return true;
        }
    return false;
}
