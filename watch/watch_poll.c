/* watch_poll: reading inotify events into debounced batches. See
 * watch.h. */
#include "watch.h"
#include "watch_int.h"

#include "cr_alloc.h"
#include "cr_clock.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

/* The longest poll(2) slice, so a cancel flag is seen within it. */
#define SLICE_MS 50

void watch_batch_release(struct watch_batch *b)
{
    cr_strv_release(&b->changed);
    cr_strv_release(&b->removed);
    b->first_event_ns = 0;
}

/* Removes entry i of sv, keeping the order. */
static void strv_drop(struct cr_strv *sv, long i)
{
    cr_free(sv->v[i]);
    memmove(&sv->v[i], &sv->v[i + 1], (sv->n - (size_t)i) * sizeof(char *));
    sv->n--;
}

/* Puts path on to (once) and takes it off other: the last event about a
 * path wins, so a write-rename save (old moved away, new moved in) is a
 * change, not a removal. */
static enum watch_code note(struct cr_strv *to, struct cr_strv *other,
                            const char *path, struct cr_error *err)
{
    long i = cr_strv_find(other, path);

    if (i >= 0)
        strv_drop(other, i);
    if (cr_strv_find(to, path) < 0 && cr_strv_push(to, path) != 0)
        return watch_error_set(err, WATCH_E_NOMEM, "out of memory");
    return WATCH_OK;
}

/* A directory appeared in a watched tree: watch it and report what is
 * already in it. */
static enum watch_code new_dir(struct watch *w, const char *path,
                               struct watch_batch *b, struct cr_error *err)
{
    struct cr_strv found = { 0 };
    enum watch_code rc = watch__add_tree(w, path, &found, err);

    for (size_t i = 0; rc == WATCH_OK && i < found.n; i++)
        rc = note(&b->changed, &b->removed, found.v[i], err);
    cr_strv_release(&found);
    return rc;
}

static enum watch_code one_event(struct watch *w,
                                 const struct inotify_event *ev,
                                 struct watch_batch *b, struct cr_error *err)
{
    struct watch_dir *d = watch__find(w, ev->wd);
    bool is_dir = (ev->mask & IN_ISDIR) != 0;
    enum watch_code rc = WATCH_OK;
    char *path;

    if (ev->mask & IN_IGNORED) {
        watch__forget(w, ev->wd);
        return WATCH_OK;
    }
    if (d == NULL || ev->len == 0)
        return WATCH_OK;
    if ((path = cr_strprintf("%s/%s", d->path, ev->name)) == NULL)
        return watch_error_set(err, WATCH_E_NOMEM, "out of memory");
    /* Outside a tree only the files asked for count. */
    if ((!d->recursive && (is_dir || cr_strv_find(&w->files, path) < 0)) ||
        !watch__wanted(w, path, is_dir)) {
        cr_free(path);
        return WATCH_OK;
    }
    if (is_dir && (ev->mask & (IN_CREATE | IN_MOVED_TO)))
        rc = new_dir(w, path, b, err);
    else if (!is_dir && (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO)))
        rc = note(&b->changed, &b->removed, path, err);
    else if (!is_dir && (ev->mask & (IN_DELETE | IN_MOVED_FROM)))
        rc = note(&b->removed, &b->changed, path, err);
    cr_free(path);
    return rc;
}

/* Reads every queued event into b. */
static enum watch_code drain(struct watch *w, struct watch_batch *b,
                             struct cr_error *err)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));

    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof(buf));
        enum watch_code rc = WATCH_OK;

        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return WATCH_OK;
        if (n <= 0)
            return watch_error_set(err, WATCH_E_SYS, "reading inotify: %s",
                                   n < 0 ? strerror(errno) : "end of file");
        for (char *p = buf; rc == WATCH_OK && p < buf + n;) {
            const struct inotify_event *ev = (const void *)p;
            rc = one_event(w, ev, b, err);
            p += sizeof(*ev) + ev->len;
        }
        if (rc != WATCH_OK)
            return rc;
    }
}

static bool batch_empty(const struct watch_batch *b)
{
    return b->changed.n == 0 && b->removed.n == 0;
}

/* How long the next poll(2) may block: up to the nearest of the window's
 * end, the timeout and one slice. */
static int slice(uint64_t now, uint64_t until)
{
    if (until == 0)
        return SLICE_MS;
    if (until <= now)
        return 0;
    if (until - now > SLICE_MS)
        return SLICE_MS;
    return (int)(until - now);
}

enum watch_code watch_poll(struct watch *w, int timeout_ms,
                           const atomic_int *cancel, struct watch_batch *batch,
                           struct cr_error *err)
{
    uint64_t window_end = 0;
    uint64_t deadline =
        timeout_ms < 0 ? 0 : cr_clock_ms() + (uint64_t)timeout_ms;
    enum watch_code rc;

    watch_batch_release(batch);
    for (;;) {
        struct pollfd p = { .fd = w->fd, .events = POLLIN };
        uint64_t now = cr_clock_ms();

        if (cancel != NULL && *cancel)
            return watch_error_set(err, WATCH_E_CANCELLED, "cancelled");
        if (window_end != 0 && now >= window_end)
            return WATCH_OK;
        /* Poll at least once, so a timeout of 0 still sees what the
         * kernel queued already. */
        if (poll(&p, 1, slice(now, window_end ? window_end : deadline)) < 0 &&
            errno != EINTR)
            return watch_error_set(err, WATCH_E_SYS, "poll: %s",
                                   strerror(errno));
        if ((p.revents & POLLIN) && (rc = drain(w, batch, err)) != WATCH_OK)
            return rc;
        if (window_end == 0 && !batch_empty(batch)) {
            batch->first_event_ns = cr_clock_ns();
            if (w->debounce_ms == 0)
                return WATCH_OK;
            window_end = cr_clock_ms() + w->debounce_ms;
        }
        if (window_end == 0 && deadline != 0 && cr_clock_ms() >= deadline)
            return watch_error_set(err, WATCH_E_TIMEOUT, "no change");
    }
}
