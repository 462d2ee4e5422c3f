/*
 * fg_collapse_scan: the collapser's inner loop over a buffer of lines
 * (see fg_collapse_int.h). Most lines of perf script output are frame
 * lines seen before; for those, finding the line's end and hashing it are
 * one pass over eight-byte words, and the cached answer is taken without
 * the per-line calls of fg_input_mem and fg_collapse_line. Everything else
 * goes through fg_collapse_line, so the results are the same.
 */
#include "fg_collapse_int.h"

#include <string.h>

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
#define NLS   0x0a0a0a0a0a0a0a0aULL

/* One line the general way, without its '\n' and one trailing '\r'. */
static int general(struct fg_collapse *c, const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '\r')
        n--;
    return fg_collapse_line(c, s, n);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* From p (an indented line), hashes words until the one holding '\n'.
 * Returns the '\n' and the line's hash in *h, or NULL when fewer than
 * eight bytes are left before it is found. */
static const char *scan_line(const char *p, const char *end, uint64_t *h)
{
    uint64_t hh = FG__H0;
    for (const char *q = p; end - q >= 8; q += 8) {
        uint64_t w;
        memcpy(&w, q, 8);
        uint64_t x = w ^ NLS;
        uint64_t z = (x - ONES) & ~x & HIGHS; /* lowest set: first '\n' */
        if (z) {
            unsigned b = (unsigned)__builtin_ctzll(z) >> 3;
            uint64_t tail = b ? w & (~0ULL >> (64 - 8 * b)) : 0;
            *h = fg__hash_end(hh, tail, (size_t)(q - p) + b);
            return q + b;
        }
        hh = fg__hash_step(hh, w);
    }
    return NULL;
}
#else
static const char *scan_line(const char *p, const char *end, uint64_t *h)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (nl)
        *h = fg__line_hash(p, (size_t)(nl - p));
    return nl;
}
#endif

int fg__collapse_scan(struct fg_collapse *c, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = NULL;
        uint64_t h;
        uint32_t id;
        if (*p == '\t' && c->mode == 1 && c->have_pname && !c->java &&
            (nl = scan_line(p, end, &h)) != NULL && nl > p && nl[-1] != '\r' &&
            fg__line_lookup(c->in, p, (size_t)(nl - p), h, &id)) {
            c->st.lines++;
            if (id != FG__NOFRAME && fg__sample_push(c->in, id) != 0)
                return -ENOMEM;
            p = nl + 1;
            continue;
        }
        if (!nl)
            nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (general(c, p, n) != 0)
            return -ENOMEM;
        p = nl ? nl + 1 : end;
    }
    return 0;
}
