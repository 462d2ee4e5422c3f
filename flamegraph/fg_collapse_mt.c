/* fg_collapse_mt: chunked, multi-threaded collapsing (see
 * fg_collapse_mt.h). */
#include "fg_collapse_mt.h"

#include "fg_collapse_int.h"

#include "fg_input.h"

#include "cr_alloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK      (1u << 20)
#define MAXTHREADS 8
#define RING       16
#define QUEUE      2

struct chunk {
    char *data;
    size_t len, cap;
    size_t seq;
};

/* What one chunk found, kept so line numbers can be made global. */
struct chunk_stats {
    uint64_t lines, skipped, first_skipped;
};

struct worker {
    struct fg_collapse c; /* its tables go to the caller's map at the end,
                           * under maplock */
    pthread_t tid;
    bool started;
    struct mt *mt;
};

struct mt {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_mutex_t maplock; /* guards the caller's table */
    struct chunk *queue[QUEUE];
    size_t head, n;
    bool done; /* no more chunks will come */
    bool nomem;
    struct chunk *free[QUEUE + MAXTHREADS + 1]; /* buffers to reuse */
    size_t nfree;
    /* Line statistics of finished chunks, folded in input order into tot
     * (so that line numbers are global) through a small ring: the reader
     * waits rather than run more than RING chunks ahead of the fold. */
    struct chunk_stats ring[RING];
    bool finished[RING];
    size_t folded; /* chunks folded into tot */
    struct chunk_stats tot;
};

static int line_cb(void *ctx, const char *s, size_t n)
{
    return fg_collapse_line(ctx, s, n);
}

/* Collapses one chunk with c and records its line statistics. */
static int run_chunk(struct fg_collapse *c, const struct chunk *ch,
                     struct chunk_stats *out)
{
    c->st.lines = c->st.skipped = c->st.first_skipped = 0;
    int rc = fg_input_mem(ch->data, ch->len, line_cb, c, NULL) != FG_OK ||
                     fg__collapse_flush(c) != 0
                 ? -ENOMEM
                 : 0;
    *out =
        (struct chunk_stats){ c->st.lines, c->st.skipped, c->st.first_skipped };
    return rc;
}

/* Files one chunk's statistics and folds what is now in order. Called
 * with mt->lock held (or before any worker runs). */
static void record(struct mt *mt, size_t seq, const struct chunk_stats *s)
{
    mt->ring[seq % RING] = *s;
    mt->finished[seq % RING] = true;
    while (mt->finished[mt->folded % RING]) {
        const struct chunk_stats *f = &mt->ring[mt->folded % RING];
        if (f->skipped && !mt->tot.skipped)
            mt->tot.first_skipped = mt->tot.lines + f->first_skipped;
        mt->tot.skipped += f->skipped;
        mt->tot.lines += f->lines;
        mt->finished[mt->folded % RING] = false;
        mt->folded++;
    }
}

static void chunk_free(struct chunk *ch)
{
    if (ch) {
        cr_free(ch->data);
        cr_free(ch);
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct mt *mt = w->mt;
    for (;;) {
        pthread_mutex_lock(&mt->lock);
        while (mt->n == 0 && !mt->done)
            pthread_cond_wait(&mt->changed, &mt->lock);
        if (mt->n == 0) {
            pthread_mutex_unlock(&mt->lock);
            return NULL;
        }
        struct chunk *ch = mt->queue[mt->head];
        mt->head = (mt->head + 1) % QUEUE;
        mt->n--;
        pthread_cond_broadcast(&mt->changed);
        pthread_mutex_unlock(&mt->lock);

        struct chunk_stats s;
        int rc = run_chunk(&w->c, ch, &s);
        pthread_mutex_lock(&mt->lock);
        if (rc != 0)
            mt->nomem = true;
        record(mt, ch->seq, &s);
        /* Back to the reader: fresh buffers would cost page faults. */
        if (mt->nfree < sizeof(mt->free) / sizeof(mt->free[0]))
            mt->free[mt->nfree++] = ch;
        else
            chunk_free(ch);
        pthread_cond_broadcast(&mt->changed);
        pthread_mutex_unlock(&mt->lock);
    }
}

/* The end of the last blank line in [0, n), or 0 when there is none. */
static size_t cut_point(const char *p, size_t n)
{
    for (size_t i = n; i > 1; i--) {
        if (p[i - 1] != '\n')
            continue;
        if (p[i - 2] == '\n' || (i > 2 && p[i - 2] == '\r' && p[i - 3] == '\n'))
            return i;
    }
    return 0;
}

/* Fills ch from fd, starting with the carried bytes, up to a blank line
 * (or the end of the input). *eof is set at the end of the input. Returns
 * 0, -errno, and keeps what follows the cut in carry. */
static int fill(int fd, struct chunk *ch, struct chunk *carry, bool *eof)
{
    ch->len = 0;
    if (carry->len > ch->cap) {
        char *d = cr_realloc(ch->data, carry->len);
        if (!d)
            return -ENOMEM;
        ch->data = d;
        ch->cap = carry->len;
    }
    if (carry->len) {
        memcpy(ch->data, carry->data, carry->len);
        ch->len = carry->len;
        carry->len = 0;
    }
    for (;;) {
        while (!*eof && ch->len < ch->cap) {
            ssize_t got = read(fd, ch->data + ch->len, ch->cap - ch->len);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0)
                return -errno;
            if (got == 0)
                *eof = true;
            ch->len += (size_t)got;
        }
        if (*eof)
            return 0;
        size_t cut = cut_point(ch->data, ch->len);
        if (cut > 0) {
            carry->len = ch->len - cut;
            if (carry->len > carry->cap) {
                char *d = cr_realloc(carry->data, carry->len);
                if (!d)
                    return -ENOMEM;
                carry->data = d;
                carry->cap = carry->len;
            }
            memcpy(carry->data, ch->data + cut, carry->len);
            ch->len = cut;
            return 0;
        }
        /* One sample larger than the chunk: grow it. */
        char *d = cr_realloc(ch->data, ch->cap * 2);
        if (!d)
            return -ENOMEM;
        ch->data = d;
        ch->cap *= 2;
    }
}

static struct chunk *chunk_new(size_t cap)
{
    struct chunk *ch = cr_calloc(1, sizeof(*ch));
    if (ch && !(ch->data = cr_malloc(cap))) {
        cr_free(ch);
        return NULL;
    }
    if (ch)
        ch->cap = cap;
    return ch;
}

static bool push(struct mt *mt, struct chunk *ch)
{
    pthread_mutex_lock(&mt->lock);
    while ((mt->n == QUEUE || ch->seq >= mt->folded + RING) && !mt->nomem)
        pthread_cond_wait(&mt->changed, &mt->lock);
    bool ok = !mt->nomem;
    if (ok) {
        mt->queue[(mt->head + mt->n) % QUEUE] = ch;
        mt->n++;
        pthread_cond_broadcast(&mt->changed);
    }
    pthread_mutex_unlock(&mt->lock);
    return ok;
}

/* Adds the workers' results to c: stacks, counts and line numbers. */
static int merge(struct fg_collapse *c, struct worker *w, int nw,
                 const struct mt *mt)
{
    c->st.lines = mt->tot.lines;
    c->st.skipped = mt->tot.skipped;
    c->st.first_skipped = mt->tot.first_skipped;
    for (int k = 0; k < nw; k++) {
        if (!c->have_event && w[k].c.have_event) {
            if (cr_buf_append(&c->event, w[k].c.event.data, w[k].c.event.len) !=
                0)
                return -ENOMEM;
            c->have_event = true;
        }
        c->st.samples += w[k].c.st.samples;
        c->st.filtered += w[k].c.st.filtered;
    }
    return 0;
}

/* Starts the workers as copies of c's decisions (event kept, mode). */
static int start_workers(struct fg_collapse *c, struct worker *w, int nw,
                         struct mt *mt)
{
    for (int k = 0; k < nw; k++) {
        fg_collapse_init(&w[k].c, &c->opt, c->out);
        w[k].c.out_lock = &mt->maplock;
        w[k].mt = mt;
        w[k].c.mode = c->mode;
        if (c->have_event) {
            if (cr_buf_append(&w[k].c.event, c->event.data, c->event.len))
                return -ENOMEM;
            w[k].c.have_event = true;
        }
        if (pthread_create(&w[k].tid, NULL, worker_main, &w[k]) != 0)
            return -EAGAIN;
        w[k].started = true;
    }
    return 0;
}

static enum fg_code run(struct fg_collapse *c, int fd, const char *name,
                        int threads, struct cr_error *err)
{
    struct mt mt = { .lock = PTHREAD_MUTEX_INITIALIZER,
                     .changed = PTHREAD_COND_INITIALIZER,
                     .maplock = PTHREAD_MUTEX_INITIALIZER };
    struct worker w[MAXTHREADS];
    struct chunk carry = { 0 };
    struct chunk_stats s0;
    bool eof = false;
    int nw = 0, rc = 0;
    size_t seq = 0;
    memset(w, 0, sizeof(w));
    struct chunk *ch = chunk_new(CHUNK);
    if (!ch)
        return fg_error_set(err, FG_E_NOMEM, "out of memory");
    rc = fill(fd, ch, &carry, &eof);
    /* The first chunk here: it decides the event type and the mode. */
    if (rc == 0)
        rc = run_chunk(c, ch, &s0);
    record(&mt, seq++, &s0);
    mt.free[mt.nfree++] = ch; /* no thread runs yet */
    ch = NULL;
    bool parallel = !eof && threads > 1 &&
                    (c->have_event || c->opt.all_events || c->mode == 2);
    if (rc == 0 && !eof) {
        nw = parallel ? (threads < MAXTHREADS ? threads : MAXTHREADS) : 1;
        /* No event type seen yet: one worker keeps the order, so the
         * first event type is still the first in the input. */
        rc = start_workers(c, w, nw, &mt);
    }
    while (rc == 0 && !eof) {
        pthread_mutex_lock(&mt.lock);
        ch = mt.nfree ? mt.free[--mt.nfree] : NULL;
        pthread_mutex_unlock(&mt.lock);
        if (!ch && !(ch = chunk_new(CHUNK)))
            rc = -ENOMEM;
        else if ((rc = fill(fd, ch, &carry, &eof)) == 0) {
            ch->seq = seq++;
            if (!push(&mt, ch))
                rc = -ENOMEM;
            else
                ch = NULL;
        }
        chunk_free(ch);
        ch = NULL;
    }
    pthread_mutex_lock(&mt.lock);
    mt.done = true;
    pthread_cond_broadcast(&mt.changed);
    pthread_mutex_unlock(&mt.lock);
    for (int k = 0; k < nw; k++)
        if (w[k].started)
            pthread_join(w[k].tid, NULL);
    if (rc == 0 && mt.nomem)
        rc = -ENOMEM;
    if (rc == 0)
        rc = merge(c, w, nw, &mt);
    for (int k = 0; k < nw; k++) {
        if (rc == 0 && fg__intern_drain(&w[k].c) != 0)
            rc = -ENOMEM;
        fg_collapse_release(&w[k].c);
    }
    if (rc == 0 && fg__intern_drain(c) != 0)
        rc = -ENOMEM;
    while (mt.nfree)
        chunk_free(mt.free[--mt.nfree]);
    cr_free(carry.data);
    pthread_mutex_destroy(&mt.lock);
    pthread_mutex_destroy(&mt.maplock);
    pthread_cond_destroy(&mt.changed);
    if (rc == -ENOMEM)
        return fg_error_set(err, FG_E_NOMEM, "out of memory");
    if (rc == -EAGAIN)
        return fg_error_set(err, FG_E_IO, "cannot start a thread");
    if (rc != 0)
        return fg_error_set(err, FG_E_IO, "%s: %s", name, strerror(-rc));
    return FG_OK;
}

enum fg_code fg_collapse_path_mt(struct fg_collapse *c, const char *path,
                                 int threads, struct cr_error *err)
{
    bool in = strcmp(path, "-") == 0;
    int fd = in ? 0 : open(path, O_RDONLY | O_CLOEXEC);
    struct stat sb;
    enum fg_code rc;
    if (fd < 0)
        return fg_error_set(err, FG_E_IO, "%s: %s", path, strerror(errno));
    /* A regular file is mapped (no copy); pipes and the like are read. */
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uintmax_t)sb.st_size <= SIZE_MAX)
        rc = fg__collapse_file(c, fd, (size_t)sb.st_size, in ? "<stdin>" : path,
                               threads, err);
    else if (threads <= 1) {
        rc = fg_input_fd(fd, in ? "<stdin>" : path, line_cb, c, err);
        if (rc == FG_OK && fg_collapse_finish(c) != 0)
            rc = fg_error_set(err, FG_E_NOMEM, "out of memory");
    } else
        rc = run(c, fd, in ? "<stdin>" : path, threads, err);
    if (!in)
        close(fd);
    return rc;
}
