/* fg_render: SVG output of a flame graph layout (see fg_render.h). */
#include "fg_render.h"

#include "fg_layout.h"
#include "fg_mem.h"
#include "fg_svg_script.h"

#include "cr_text.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define FRAME_H 16
#define FONT    12
#define XPAD    10
/* The average glyph width of the font, as a share of its size. */
#define CHARW (FONT * 0.59)

void fg_render_opts_init(struct fg_render_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->countname = "samples";
    o->width = 1200;
    o->minwidth = 0.1;
    o->palette = FG_PAL_HOT;
    o->threads = 1;
}

struct svg {
    struct cr_buf *out;
    const struct fg_render_opts *o;
    const struct fg_layout *l;
    bool diff;
    uint64_t maxabs; /* differential: the largest |delta| */
    double scale;    /* pixels per count */
    int height, top; /* image height, y of the first frame row */
    int rc;
};

static void put(struct svg *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put(struct svg *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (s->rc == 0)
        s->rc = cr_buf_vprintf(s->out, fmt, ap);
    va_end(ap);
}

/* Appends n bytes: in place while the reserved room lasts (the frames are
 * many, a call per piece adds up), else through cr_buf_append. */
static inline void lit_n(struct svg *s, const char *text, size_t n)
{
    struct cr_buf *b = s->out;
    if (s->rc != 0)
        return;
    if (b->data && b->cap - b->len > n) {
        memcpy(b->data + b->len, text, n);
        b->len += n;
        b->data[b->len] = '\0';
    } else {
        s->rc = cr_buf_append(b, text, n);
    }
}

/* Appends v in decimal, two digits a step; the frames are many and
 * printf is slow. */
static void put_u64(struct svg *s, uint64_t v)
{
    static const char pairs[] = "00010203040506070809"
                                "10111213141516171819"
                                "20212223242526272829"
                                "30313233343536373839"
                                "40414243444546474849"
                                "50515253545556575859"
                                "60616263646566676869"
                                "70717273747576777879"
                                "80818283848586878889"
                                "90919293949596979899";
    char tmp[24];
    size_t i = sizeof(tmp);
    uint32_t small;
    while (v >= 100) {
        uint64_t q = v / 100;
        i -= 2;
        memcpy(tmp + i, pairs + 2 * (v - q * 100), 2);
        v = q;
    }
    small = (uint32_t)v;
    if (small >= 10) {
        i -= 2;
        memcpy(tmp + i, pairs + 2 * small, 2);
    } else {
        tmp[--i] = (char)('0' + small);
    }
    lit_n(s, tmp + i, sizeof(tmp) - i);
}

/* Appends v >= 0 with `digits` decimals (1 or 2). */
static void put_fix(struct svg *s, double v, int digits)
{
    uint64_t scale = digits == 1 ? 10 : 100;
    uint64_t t = (uint64_t)(v * (double)scale + 0.5);
    char d[3] = { '.', (char)('0' + (t / (scale / 10)) % 10),
                  (char)('0' + t % 10) };
    put_u64(s, t / scale);
    lit_n(s, d, (size_t)digits + 1);
}

/* A string literal, its length known at compile time. */
#define lit(s, text) lit_n(s, text, sizeof(text) - 1)

/* Printable ASCII that XML takes as it is. */
static bool plain(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x20 || c > 0x7e || c == '&' || c == '<' || c == '>' ||
            c == '"' || c == '\'')
            return false;
    }
    return true;
}

static void esc(struct svg *s, const char *p, size_t n)
{
    if (plain(p, n))
        lit_n(s, p, n); /* what cr_xml_escape would write, faster */
    else if (s->rc == 0)
        s->rc = cr_xml_escape(s->out, p, n);
}

static bool kept(const struct svg *s, const struct fg_frame *f)
{
    if (f->count == 0)
        return false;
    if (s->o->minwidth_pct)
        return (double)f->count * 100.0 / (double)s->l->total >= s->o->minwidth;
    return (double)f->count * s->scale >= s->o->minwidth;
}

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The tooltip: "fn (N samples, P%)", and for a differential graph the
 * change in samples and in percentage points of the total. */
static void title(struct svg *s, const struct fg_frame *f)
{
    const struct fg_layout *l = s->l;
    lit(s, "<title>");
    esc(s, f->name, f->len);
    lit(s, " (");
    put_u64(s, f->count);
    lit(s, " ");
    esc(s, s->o->countname, strlen(s->o->countname));
    lit(s, ", ");
    put_fix(s, pct(f->count, l->total), 2);
    lit(s, "%");
    if (s->diff)
        put(s, "; %+" PRId64 " %s, %+.2f pp", f->delta, s->o->countname,
            pct(f->count, l->total) - pct(f->old, l->old_total));
    lit(s, ")</title>");
}

/* The label: as much of the name as fits, ".." marking a cut. */
static void label(struct svg *s, const struct fg_frame *f, double w)
{
    double fit = (w - 6) / CHARW;
    if (fit < 3)
        return;
    size_t n = (size_t)fit;
    if (f->len <= n) {
        esc(s, f->name, f->len);
        return;
    }
    esc(s, f->name, n - 2);
    put(s, "..");
}

static void frame(struct svg *s, const struct fg_frame *f)
{
    unsigned char rgb[3];
    double x = XPAD + (double)f->start * s->scale;
    double w = (double)f->count * s->scale;
    int y = s->o->inverted
                ? s->top + (int)f->depth * FRAME_H
                : s->top + (int)(s->l->maxdepth - f->depth) * FRAME_H;
    if (s->diff)
        fg_color_diff(f->delta, s->maxabs, s->o->negate, rgb);
    else if (f->depth == 0)
        rgb[0] = rgb[1] = rgb[2] = 200;
    else
        fg_color(s->o->palette, f->name, f->len, rgb);
    lit(s, "<g class=\"f\" data-s=\"");
    put_u64(s, f->start);
    lit(s, "\" data-n=\"");
    put_u64(s, f->count);
    lit(s, "\" data-d=\"");
    put_u64(s, f->depth);
    lit(s, "\">");
    title(s, f);
    lit(s, "<rect x=\"");
    put_fix(s, x, 1);
    lit(s, "\" y=\"");
    put_u64(s, (uint64_t)y);
    lit(s, "\" width=\"");
    put_fix(s, w, 1);
    lit(s, "\" height=\"15\" fill=\"rgb(");
    for (int i = 0; i < 3; i++) {
        put_u64(s, rgb[i]);
        if (i < 2)
            lit(s, ",");
        else
            lit(s, ")\" rx=\"2\" ry=\"2\"/><text x=\"");
    }
    put_fix(s, x + 3, 1);
    lit(s, "\" y=\"");
    put_u64(s, (uint64_t)(y + FRAME_H - 5));
    lit(s, "\">");
    label(s, f, w);
    lit(s, "</text></g>\n");
}

static const char *default_title(const struct svg *s)
{
    if (s->o->title)
        return s->o->title;
    if (s->diff)
        return "Differential Flame Graph";
    return s->o->inverted ? "Icicle Graph" : "Flame Graph";
}

static void header(struct svg *s)
{
    unsigned w = s->o->width;
    const char *t = default_title(s);
    put(s,
        "<?xml version=\"1.0\" standalone=\"no\"?>\n"
        "<svg version=\"1.1\" width=\"%u\" height=\"%d\" "
        "viewBox=\"0 0 %u %d\" onload=\"init(evt)\" "
        "xmlns=\"http://www.w3.org/2000/svg\" data-total=\"%" PRIu64
        "\" data-xpad=\"%d\" data-charw=\"%.2f\" data-diff=\"%d\">\n"
        "<style type=\"text/css\">\n%s</style>\n"
        "<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n"
        "<rect x=\"0\" y=\"0\" width=\"100%%\" height=\"100%%\" "
        "fill=\"#f6f6ee\"/>\n<text id=\"title\" x=\"%u\" y=\"24\">",
        w, s->height, w, s->height, s->l->total, XPAD, CHARW, s->diff,
        fg__svg_style, fg__svg_script, w / 2);
    esc(s, t, strlen(t));
    put(s, "</text>\n<text id=\"subtitle\" x=\"%u\" y=\"44\">", w / 2);
    if (s->o->subtitle) {
        esc(s, s->o->subtitle, strlen(s->o->subtitle));
        put(s, " \xc2\xb7 ");
    }
    put(s, "total %" PRIu64 " ", s->l->total);
    esc(s, s->o->countname, strlen(s->o->countname));
    put(s,
        "</text>\n"
        "<text id=\"unzoom\" class=\"button hide\" x=\"%d\" y=\"24\">"
        "Reset Zoom</text>\n"
        "<text id=\"search\" class=\"button\" x=\"%u\" y=\"24\">Search"
        "</text>\n"
        "<text id=\"details\" x=\"%d\" y=\"%d\"> </text>\n"
        "<text id=\"matched\" class=\"hide\" x=\"%u\" y=\"%d\"> </text>\n"
        "<g id=\"frames\">\n",
        XPAD, w - 110, XPAD, s->height - 12, w - 160, s->height - 12);
}

/* The frames [from, to) of s->l, counted in *drawn and *pruned. */
static void frames(struct svg *s, size_t from, size_t to, size_t *drawn,
                   size_t *pruned)
{
    for (size_t i = from; i < to; i++) {
        if (kept(s, &s->l->v[i])) {
            frame(s, &s->l->v[i]);
            (*drawn)++;
        } else {
            (*pruned)++;
        }
    }
}

/* The second half of the frames, written by a thread of its own into a
 * buffer of its own, appended after the first half. */
struct half {
    struct svg s;
    struct cr_buf out;
    size_t from, to, drawn, pruned;
};

static void *half_main(void *arg)
{
    struct half *h = arg;
    h->s.out = &h->out;
    if (cr_buf_reserve(&h->out, (h->to - h->from) * 300) != 0)
        h->s.rc = -ENOMEM;
    frames(&h->s, h->from, h->to, &h->drawn, &h->pruned);
    return NULL;
}

/* Writing a frame's SVG is independent of the others: with two threads
 * (and enough frames) each writes half, in order. */
static void draw_frames(struct svg *s, int threads, struct fg_render_result *r)
{
    size_t n = s->l->n, mid = n / 2;
    struct half h = { .s = *s, .from = mid, .to = n };
    pthread_t tid;
    if (threads < 2 || n < 4096 || s->rc != 0 ||
        pthread_create(&tid, NULL, half_main, &h) != 0) {
        frames(s, 0, n, &r->frames, &r->pruned);
        return;
    }
    frames(s, 0, mid, &r->frames, &r->pruned);
    pthread_join(tid, NULL);
    r->frames += h.drawn;
    r->pruned += h.pruned;
    if (s->rc == 0)
        s->rc = h.s.rc;
    lit_n(s, h.out.data ? h.out.data : "", h.out.len);
    cr_buf_release(&h.out);
}

static enum fg_code draw(const struct fg_map *m, bool diff,
                         const struct fg_render_opts *o, struct cr_buf *out,
                         struct fg_render_result *res, struct cr_error *err)
{
    struct fg_layout l;
    struct fg_render_result r = { 0 };
    enum fg_code rc = fg_layout_build(&l, m, diff, err);
    if (rc != FG_OK)
        return rc;
    if (l.total == 0) {
        fg_layout_release(&l);
        return fg_error_set(err, FG_E_EMPTY,
                            "no valid input: no stacks "
                            "with a count");
    }
    struct svg s = { .out = out, .o = o, .l = &l, .diff = diff };
    s.scale = (double)(o->width - 2 * XPAD) / (double)l.total;
    uint32_t maxdepth = 0;
    for (size_t i = 0; i < l.n; i++) {
        if (!kept(&s, &l.v[i]))
            continue;
        if (l.v[i].depth > maxdepth)
            maxdepth = l.v[i].depth;
        uint64_t a =
            l.v[i].delta < 0 ? -(uint64_t)l.v[i].delta : (uint64_t)l.v[i].delta;
        if (l.v[i].depth > 0 && a > s.maxabs)
            s.maxabs = a;
    }
    l.maxdepth = maxdepth;
    s.top = 3 * FONT + 24;
    s.height = s.top + ((int)maxdepth + 1) * FRAME_H + 2 * FONT + 10;
    /* About 300 bytes a frame: reserve once rather than grow by copies. */
    if (cr_buf_reserve(out, l.n * 300 + 16384) != 0)
        s.rc = -ENOMEM;
    else
        fg_mem_huge(out->data + out->len, out->cap - out->len);
    header(&s);
    draw_frames(&s, o->threads, &r);
    put(&s, "</g>\n</svg>\n");
    r.total = l.total;
    r.few_samples = l.total < 100;
    fg_layout_release(&l);
    if (res)
        *res = r;
    if (s.rc != 0)
        return fg_error_set(err, FG_E_NOMEM, "out of memory");
    return FG_OK;
}

enum fg_code fg_render(const struct fg_map *m, const struct fg_render_opts *o,
                       struct cr_buf *out, struct fg_render_result *res,
                       struct cr_error *err)
{
    return draw(m, false, o, out, res, err);
}

enum fg_code fg_render_diff(const struct fg_map *m,
                            const struct fg_render_opts *o, struct cr_buf *out,
                            struct fg_render_result *res, struct cr_error *err)
{
    return draw(m, true, o, out, res, err);
}

int fg_render_error_svg(struct cr_buf *out, const char *msg)
{
    int rc = cr_buf_puts(out, "<?xml version=\"1.0\" standalone=\"no\"?>\n"
                              "<svg version=\"1.1\" width=\"1200\" "
                              "height=\"60\" xmlns=\"http://www.w3.org/2000/"
                              "svg\">\n<text x=\"600\" y=\"30\" "
                              "text-anchor=\"middle\" font-family=\"Verdana\" "
                              "font-size=\"17\">ERROR: ");
    rc |= cr_xml_escape(out, msg, strlen(msg));
    rc |= cr_buf_puts(out, "</text>\n</svg>\n");
    return rc ? -ENOMEM : 0;
}
