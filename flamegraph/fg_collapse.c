/*
 * fg_collapse: sample headers, blank lines and the folding of a finished
 * sample (see fg_collapse.h); frame lines are in fg_collapse_frame.c.
 */
#include "fg_collapse_int.h"

#include "fg_folded.h"
#include "fg_input.h"

#include "cr_alloc.h"

#include <errno.h>
#include <string.h>

void fg_collapse_init(struct fg_collapse *c, const struct fg_collapse_opts *o,
                      struct fg_map *out)
{
    memset(c, 0, sizeof(*c));
    if (o)
        c->opt = *o;
    c->out = out;
}

void fg_collapse_release(struct fg_collapse *c)
{
    cr_buf_release(&c->event);
    cr_buf_release(&c->pname);
    cr_buf_release(&c->root_src);
    cr_buf_release(&c->scratch);
    fg__intern_free(c);
    memset(c, 0, sizeof(*c));
}

struct header {
    struct {
        const char *p;
        size_t n;
    } comm, pid, tid, period, event;
    bool has_event;
};

/*
 * Matches the header regex of the reference, "(comm) PID[/TID] ...": the
 * command name is the shortest prefix (two bytes at least) followed by blanks,
 * a number, optionally slashes and a second number, and a blank. Names with
 * blanks and digits ("V8 WorkerThread 1/2") come out as perf printed them.
 */
static bool match_header(const char *s, size_t n, struct header *h)
{
    if (n < 2 || fg__ws((unsigned char)s[0]))
        return false;
    for (size_t e = 2; e < n; e++) {
        if (!fg__ws((unsigned char)s[e]))
            continue;
        size_t w = e, d, t, u;
        while (w < n && fg__ws((unsigned char)s[w]))
            w++;
        for (d = w; d < n && fg__digit((unsigned char)s[d]); d++)
            ;
        if (d == w || d >= n)
            continue;
        u = t = d;
        if (s[d] == '/') {
            while (t < n && s[t] == '/')
                t++;
            for (u = t; u < n && fg__digit((unsigned char)s[u]); u++)
                ;
        }
        if (u >= n || !fg__ws((unsigned char)s[u]))
            continue;
        h->comm.p = s;
        h->comm.n = e;
        h->pid.p = s + w;
        h->pid.n = d - w;
        h->tid.p = s + t;
        h->tid.n = u - t;
        return true;
    }
    return false;
}

/* Matches /:\s*(\d+)*\s+(\S+):\s*$/, the "PERIOD event:" at the end of a
 * header, from the right: the event is the last word and ends in ':'. */
static void match_event(const char *s, size_t n, struct header *h)
{
    size_t end = n, b, r1, r2, c;
    h->has_event = false;
    while (end > 0 && fg__ws((unsigned char)s[end - 1]))
        end--;
    if (end == 0 || s[end - 1] != ':')
        return;
    for (b = end - 1; b > 0 && !fg__ws((unsigned char)s[b - 1]); b--)
        ;
    if (b == end - 1)
        return;
    for (r1 = b; r1 > 0 && fg__ws((unsigned char)s[r1 - 1]); r1--)
        ;
    if (r1 == b)
        return;
    for (r2 = r1; r2 > 0 && fg__digit((unsigned char)s[r2 - 1]); r2--)
        ;
    for (c = r2; r2 < r1 && c > 0 && fg__ws((unsigned char)s[c - 1]); c--)
        ;
    if (c == 0 || s[c - 1] != ':')
        return;
    h->has_event = true;
    h->period.p = s + r2;
    h->period.n = r1 - r2;
    h->event.p = s + b;
    h->event.n = end - 1 - b;
}

/* Perl's truth of a string: "" and "0" are false. */
static bool perl_true(const char *p, size_t n)
{
    return !(n == 0 || (n == 1 && p[0] == '0'));
}

static uint64_t parse_period(const char *p, size_t n)
{
    uint64_t v = 0;
    if (!perl_true(p, n))
        return 1;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(p[i] - '0');
        /* v * 10 + d > UINT64_MAX, with constants only (no division
         * per digit) */
        bool over = v > UINT64_MAX / 10 ||
                    (v == UINT64_MAX / 10 && d > UINT64_MAX % 10);
        v = over ? UINT64_MAX : v * 10 + d;
    }
    return v;
}

/* Whether the sample of this header is dropped for its event type; the
 * first event type seen becomes the filter unless told otherwise. */
static int filtered(struct fg_collapse *c, const struct header *h, bool *drop)
{
    *drop = false;
    if (!h->has_event || c->opt.all_events)
        return 0;
    if (!c->have_event) {
        const char *ev = c->opt.event ? c->opt.event : h->event.p;
        size_t n = c->opt.event ? strlen(c->opt.event) : h->event.n;
        if (cr_buf_append(&c->event, ev, n) != 0)
            return -ENOMEM;
        c->have_event = true;
    }
    *drop = h->event.n != c->event.len ||
            memcmp(h->event.p, c->event.data, c->event.len) != 0;
    return 0;
}

/* The root frame: "comm", "comm-PID" or "comm-PID/TID", blanks to '_'.
 * perf prints only the thread id unless asked for both, and the
 * reference then shows the process id as "?". */
static int set_pname(struct fg_collapse *c, const struct header *h)
{
    struct cr_buf *b = &c->pname;
    const char *pid = h->pid.p, *tid = h->tid.p;
    size_t pidn = h->pid.n, tidn = h->tid.n;
    int rc = 0;
    if (!perl_true(tid, tidn)) {
        tid = pid;
        tidn = pidn;
        pid = "?";
        pidn = 1;
    }
    cr_buf_reset(b);
    rc |= cr_buf_append(b, h->comm.p, h->comm.n);
    if (c->opt.tid || c->opt.pid)
        rc |= cr_buf_putc(b, '-') | cr_buf_append(b, pid, pidn);
    if (c->opt.tid)
        rc |= cr_buf_putc(b, '/') | cr_buf_append(b, tid, tidn);
    if (rc)
        return -ENOMEM;
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] == ' ')
            b->data[i] = '_';
    return 0;
}

static int on_header(struct fg_collapse *c, const char *s, size_t n,
                     struct header *h)
{
    bool drop;
    match_event(s, n, h);
    if (filtered(c, h, &drop) != 0)
        return -ENOMEM;
    if (drop) {
        /* As the reference: the sample's frames are then ignored because
         * the previous blank line cleared the root frame. */
        c->st.filtered++;
        return 0;
    }
    c->period = h->has_event ? parse_period(h->period.p, h->period.n) : 1;
    /* Samples of one thread come in runs: the same "comm PID/TID" gives
     * the same root frame. */
    size_t rn = (size_t)(h->tid.p + h->tid.n - s);
    if (c->have_root && rn == c->root_src.len &&
        memcmp(s, c->root_src.data, rn) == 0) {
        c->have_pname = true;
        return 0;
    }
    c->have_root = false;
    cr_buf_reset(&c->root_src);
    if (cr_buf_append(&c->root_src, s, rn) != 0)
        return -ENOMEM;
    if (set_pname(c, h) != 0 || fg__intern_init(c) != 0 ||
        fg__name_id(c, c->pname.data, c->pname.len, &c->in->root) != 0)
        return -ENOMEM;
    c->have_pname = c->have_root = true;
    c->java = c->pname.len == 4 && memcmp(c->pname.data, "java", 4) == 0;
    return 0;
}

/* Adds a stack to the output table, under its lock when it is shared
 * between threads; the hash is computed before taking the lock. */
static int out_add(struct fg_collapse *c, const char *key, size_t len,
                   uint64_t count)
{
    uint64_t h = fg_hash(key, len);
    if (c->out_lock)
        pthread_mutex_lock(c->out_lock);
    int rc = fg_map_add_hashed(c->out, key, len, h, count, 0);
    if (c->out_lock)
        pthread_mutex_unlock(c->out_lock);
    return rc;
}

/* Counts the sample (root frame, then its frames outermost first, as
 * perf prints the innermost first) and starts the next. */
static int flush(struct fg_collapse *c)
{
    int rc = 0;
    if (c->have_pname)
        c->st.samples++;
    if (c->in)
        rc = fg__sample_flush(c, c->period);
    c->have_pname = false;
    return rc;
}

int fg__collapse_flush(struct fg_collapse *c)
{
    return flush(c);
}

static void skip(struct fg_collapse *c)
{
    if (c->st.skipped++ == 0)
        c->st.first_skipped = c->st.lines;
}

static int folded_line(struct fg_collapse *c, const char *s, size_t n)
{
    size_t sl;
    uint64_t cnt[2];
    int ncols;
    if (n == 0 || s[0] == '#')
        return 0;
    if (memchr(s, '\0', n) || !fg_folded_parse(s, n, &sl, cnt, &ncols)) {
        skip(c);
        return 0;
    }
    c->st.samples++;
    return out_add(c, s, sl, ncols == 2 ? cnt[1] : cnt[0]);
}

/* The first meaningful line decides: a line that is neither a sample
 * header nor a frame but reads as "stack COUNT" means folded input. */
static void decide_mode(struct fg_collapse *c, const char *s, size_t n)
{
    struct header h;
    size_t sl;
    uint64_t cnt[2];
    int ncols;
    c->mode = 1;
    if (fg__ws((unsigned char)s[0]) || match_header(s, n, &h))
        return;
    if (fg_folded_parse(s, n, &sl, cnt, &ncols)) {
        c->mode = 2;
        c->st.folded = true;
    }
}

int fg_collapse_line(struct fg_collapse *c, const char *s, size_t n)
{
    c->st.lines++;
    if (c->mode == 2)
        return folded_line(c, s, n);
    /* The common line: a frame seen before (frames are indented). */
    if (c->mode == 1 && n > 0 && fg__ws((unsigned char)s[0])) {
        int r = fg__frame_cached(c, s, n);
        if (r != 0)
            return r < 0 ? r : 0;
    }
    if (n == 0)
        return flush(c);
    if (s[0] == '#')
        return 0;
    if (memchr(s, '\0', n)) {
        skip(c);
        return 0;
    }
    if (c->mode == 0) {
        decide_mode(c, s, n);
        if (c->mode == 2)
            return folded_line(c, s, n);
    }
    struct header h;
    if (match_header(s, n, &h))
        return on_header(c, s, n, &h);
    int r = fg__frame_line(c, s, n);
    if (r == 0)
        skip(c);
    return r < 0 ? r : 0;
}

int fg_collapse_finish(struct fg_collapse *c)
{
    /* The reference drops a last sample with no blank line after it; a
     * truncated file keeps it here. */
    if (flush(c) != 0)
        return -ENOMEM;
    return fg__intern_drain(c);
}

static int line_cb(void *ctx, const char *s, size_t n)
{
    return fg_collapse_line(ctx, s, n);
}

enum fg_code fg_collapse_path(struct fg_collapse *c, const char *path,
                              struct cr_error *err)
{
    enum fg_code rc = fg_input_path(path, line_cb, c, err);
    if (rc == FG_OK && fg_collapse_finish(c) != 0)
        rc = fg_error_set(err, FG_E_NOMEM, "out of memory");
    return rc;
}

enum fg_code fg_collapse_mem(struct fg_collapse *c, const char *data,
                             size_t len, struct cr_error *err)
{
    enum fg_code rc = fg_input_mem(data, len, line_cb, c, err);
    if (rc == FG_OK && fg_collapse_finish(c) != 0)
        rc = fg_error_set(err, FG_E_NOMEM, "out of memory");
    return rc;
}
