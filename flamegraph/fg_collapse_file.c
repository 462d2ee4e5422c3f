/*
 * fg_collapse_file: collapsing a regular file through memory maps, on one
 * or more threads (see fg_collapse_mt.h; fg_collapse_mt.c reads pipes).
 *
 * The file is cut into CHUNK-sized pieces whose ends are moved forward to
 * the next blank line, where the collapser's state is empty, so that every
 * thread can find the same cuts on its own: piece k is [cut(k*CHUNK),
 * cut((k+1)*CHUNK)). Threads take pieces in order from a shared counter;
 * each maps its piece (the page cache's pages, no copy), collapses it into
 * tables of its own and unmaps it, so memory stays bounded by the pieces
 * being worked on. No lock is taken per sample: the tables are added to
 * the caller's map once, at the end.
 */
#include "fg_collapse_int.h"

#include "cr_alloc.h"

#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define CHUNK      ((size_t)1 << 20)
#define PAGE       ((size_t)4096)
#define MAXTHREADS 8

struct shared {
    int fd;
    size_t size, pieces;
    atomic_size_t next; /* the next piece to take */
    pthread_mutex_t lock;
    /* Guarded by lock: totals, and the first piece with a skipped line. */
    uint64_t lines, skipped;
    size_t first_piece; /* SIZE_MAX when no line was skipped */
    uint64_t first_local;
    size_t first_start; /* that piece's start offset */
    int rc;             /* the first error, -errno */
};

struct worker {
    struct fg_collapse c; /* folds into own, not the caller's map */
    struct fg_map own;    /* the worker's stacks as text, for the caller */
    int rc;
    struct shared *sh;
    pthread_t tid;
    bool started;
};

/* A mapping of [off, off + len) of the file, off rounded down to a page. */
struct view {
    char *base;
    size_t off, len; /* the mapping covers [off, off + len) */
};

static int view_map(struct view *v, int fd, size_t from, size_t to)
{
    v->off = from & ~(PAGE - 1);
    v->len = to - v->off;
    v->base = mmap(NULL, v->len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
                   (off_t)v->off);
    if (v->base == MAP_FAILED) {
        v->base = NULL;
        return -errno;
    }
    return 0;
}

static void view_unmap(struct view *v)
{
    if (v->base)
        munmap(v->base, v->len);
    v->base = NULL;
}

/* The first cut at or after x that the view holds: just past a blank line
 * ("\n\n" or "\n\r\n"), or the end of the file. SIZE_MAX when the view
 * ends first. */
static size_t cut_from(const struct view *v, size_t x, size_t size)
{
    if (x == 0 || x >= size)
        return x >= size ? size : 0;
    const char *b = v->base - v->off, *end = v->base + v->len;
    const char *p = b + (x - 1 > v->off ? x - 1 : v->off);
    for (;;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return v->off + v->len >= size ? size : SIZE_MAX;
        size_t i = (size_t)(nl - b) + 1; /* just past this '\n' */
        if (i >= x && i - v->off >= 2 &&
            (nl[-1] == '\n' ||
             (nl[-1] == '\r' && i - v->off >= 3 && nl[-2] == '\n')))
            return i;
        p = nl + 1;
    }
}

/* Files a piece's line counts: totals, and where the first skip was. */
static void account(struct shared *sh, size_t k, size_t start,
                    const struct fg_collapse_stats *st, int rc)
{
    pthread_mutex_lock(&sh->lock);
    sh->lines += st->lines;
    sh->skipped += st->skipped;
    if (st->skipped && k < sh->first_piece) {
        sh->first_piece = k;
        sh->first_local = st->first_skipped;
        sh->first_start = start;
    }
    if (rc && !sh->rc)
        sh->rc = rc;
    pthread_mutex_unlock(&sh->lock);
}

/* Maps piece k, growing the view until its end cut is in it, and
 * collapses it with c. */
static int piece(struct fg_collapse *c, struct shared *sh, size_t k)
{
    size_t lo = k * CHUNK, hi = lo + CHUNK, slack = CHUNK / 8;
    size_t s = SIZE_MAX, e = SIZE_MAX;
    struct view v = { 0 };
    int rc = 0;
    while (rc == 0 && e == SIZE_MAX) {
        size_t to = hi + slack < sh->size ? hi + slack : sh->size;
        view_unmap(&v);
        if ((rc = view_map(&v, sh->fd, lo > PAGE ? lo - PAGE : 0, to)) != 0)
            break;
        if (s == SIZE_MAX)
            s = cut_from(&v, lo, sh->size);
        if (s == SIZE_MAX || s >= hi)
            e = s == SIZE_MAX ? SIZE_MAX : s; /* empty piece: cut beyond */
        else
            e = cut_from(&v, hi, sh->size);
        slack *= 2;
    }
    c->st.lines = c->st.skipped = c->st.first_skipped = 0;
    if (rc == 0 && e > s &&
        (fg__collapse_scan(c, v.base + (s - v.off), e - s) != 0 ||
         fg__collapse_flush(c) != 0))
        rc = -ENOMEM;
    view_unmap(&v);
    account(sh, k, s == SIZE_MAX ? lo : s, &c->st, rc);
    return rc;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    for (;;) {
        size_t k = atomic_fetch_add(&sh->next, 1);
        if (k >= sh->pieces)
            break;
        if (piece(&w->c, sh, k) != 0)
            return NULL;
    }
    /* The stacks' text, built here while the caller builds its own. */
    w->rc = fg__intern_drain(&w->c);
    return NULL;
}

/* Counts the lines of [0, end), for the global number of a skipped line
 * found in a later piece (only when there is one). */
static int count_lines(struct shared *sh, size_t end, uint64_t *n)
{
    *n = 0;
    for (size_t off = 0; off < end; off += CHUNK) {
        struct view v;
        size_t to = off + CHUNK < end ? off + CHUNK : end;
        int rc = view_map(&v, sh->fd, off, to);
        if (rc)
            return rc;
        for (const char *p = v.base, *q = v.base + (to - off);
             (p = memchr(p, '\n', (size_t)(q - p))) != NULL; p++)
            (*n)++;
        view_unmap(&v);
    }
    return 0;
}

/* Starts workers as copies of c's decisions (event kept, mode). */
static int start_workers(struct fg_collapse *c, struct worker *w, int nw,
                         struct shared *sh)
{
    for (int k = 0; k < nw; k++) {
        fg_map_init(&w[k].own);
        fg_collapse_init(&w[k].c, &c->opt, &w[k].own);
        w[k].c.mode = c->mode;
        w[k].sh = sh;
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

/* Adds the entries of m (hashes known) to out. */
static int merge(struct fg_map *out, const struct fg_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct fg_entry *e = &m->v[i];
        if (fg_map_add_hashed(out, fg_map_key(m, e), e->len, e->hash,
                              e->count[0], e->count[1]) != 0)
            return -ENOMEM;
    }
    return 0;
}

/* Joins the workers and adds their stacks and counts to c. */
static int join_workers(struct fg_collapse *c, struct worker *w, int nw)
{
    int rc = 0;
    for (int k = 0; k < nw; k++) {
        if (w[k].started)
            pthread_join(w[k].tid, NULL);
        if (rc == 0 && w[k].started)
            rc = w[k].rc ? w[k].rc : merge(c->out, &w[k].own);
        c->st.samples += w[k].c.st.samples;
        c->st.filtered += w[k].c.st.filtered;
        fg_collapse_release(&w[k].c);
        fg_map_release(&w[k].own);
    }
    return rc;
}

/* Piece 0 first, alone: it fixes the event type kept and the mode; then
 * the rest on `threads` threads (this one included) when that cannot
 * change which event comes first. */
static int run(struct fg_collapse *c, struct shared *sh, int threads)
{
    struct worker w[MAXTHREADS];
    int nw = 0, rc;
    memset(w, 0, sizeof(w));
    atomic_store(&sh->next, 1);
    rc = piece(c, sh, 0);
    bool parallel = c->have_event || c->opt.all_events || c->mode == 2;
    if (rc == 0 && parallel && sh->pieces > 2 && threads > 1) {
        nw = threads - 1 < MAXTHREADS ? threads - 1 : MAXTHREADS;
        rc = start_workers(c, w, nw, sh);
    }
    for (size_t k;
         rc == 0 && (k = atomic_fetch_add(&sh->next, 1)) < sh->pieces;)
        rc = piece(c, sh, k);
    if (rc != 0) /* stop the workers early */
        atomic_store(&sh->next, sh->pieces);
    /* This thread's stacks first, while the workers turn theirs to text. */
    if (rc == 0 && fg__intern_drain(c) != 0)
        rc = -ENOMEM;
    int jrc = join_workers(c, w, nw);
    return rc ? rc : sh->rc ? sh->rc : jrc;
}

enum fg_code fg__collapse_file(struct fg_collapse *c, int fd, size_t size,
                               const char *name, int threads,
                               struct cr_error *err)
{
    struct shared sh = { .fd = fd,
                         .size = size,
                         .pieces = (size + CHUNK - 1) / CHUNK,
                         .lock = PTHREAD_MUTEX_INITIALIZER,
                         .first_piece = SIZE_MAX };
    int rc = run(c, &sh, threads);
    c->st.lines = sh.lines;
    c->st.skipped = sh.skipped;
    c->st.first_skipped = 0;
    if (rc == 0 && sh.skipped) {
        uint64_t before;
        rc = count_lines(&sh, sh.first_start, &before);
        c->st.first_skipped = before + sh.first_local;
    }
    pthread_mutex_destroy(&sh.lock);
    if (rc == -ENOMEM)
        return fg_error_set(err, FG_E_NOMEM, "out of memory");
    if (rc == -EAGAIN)
        return fg_error_set(err, FG_E_IO, "cannot start a thread");
    if (rc != 0)
        return fg_error_set(err, FG_E_IO, "%s: %s", name, strerror(-rc));
    return FG_OK;
}
