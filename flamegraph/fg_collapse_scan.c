/*
 * fg_collapse_scan: the collapser's inner loop over a buffer of lines
 * (see fg_collapse_int.h). Most lines of perf script output are frame
 * lines seen before; for those, the cached answer is taken right after
 * the line's end is found, without the per-line calls of fg_input_mem and
 * fg_collapse_line. Everything else
 * goes through fg_collapse_line, so the results are the same.
 */
#include "fg_collapse_int.h"

#include <stdbool.h>
#include <string.h>

/* One line the general way, without its '\n' and one trailing '\r'. */
static int general(struct fg_collapse *c, const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '\r')
        n--;
    return fg_collapse_line(c, s, n);
}

/* Whether the line at p is the text of slot j: its bytes, then '\n'. */
static bool is_line(const struct fg__intern *in, uint32_t j, const char *p,
                    const char *end)
{
    const struct fg__slot *s = &in->slots[j];
    return s->len < (size_t)(end - p) && p[s->len] == '\n' &&
           memcmp(in->arena + s->off, p, s->len) == 0;
}

/* The cached slot of the frame line at p, or UINT32_MAX; *nl gets its
 * '\n' (NULL when the search did not get that far). prev is the slot of
 * the line before in this sample: its successor last time is tried first,
 * which spares the search for the end and the hash. */
static uint32_t find(const struct fg__intern *in, uint32_t prev, const char *p,
                     const char *end, const char **nl)
{
    uint32_t j = prev != UINT32_MAX ? in->slots[prev].next : UINT32_MAX;
    if (j != UINT32_MAX && is_line(in, j, p, end)) {
        *nl = p + in->slots[j].len;
        return j;
    }
    *nl = memchr(p, '\n', (size_t)(end - p));
    if (!*nl || (*nl)[-1] == '\r')
        return UINT32_MAX;
    size_t n = (size_t)(*nl - p);
    j = fg__line_slot(in, p, n, fg__line_hash(p, n));
    if (j != UINT32_MAX && prev != UINT32_MAX)
        in->slots[prev].next = j;
    return j;
}

int fg__collapse_scan(struct fg_collapse *c, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    uint32_t prev = UINT32_MAX;
    while (p < end) {
        const char *nl = NULL;
        if (*p == '\t' && c->mode == 1 && c->have_pname && !c->java &&
            fg__caching(c->in)) {
            uint32_t j = find(c->in, prev, p, end, &nl);
            if (j != UINT32_MAX) {
                fg__count(c->in, true);
                uint32_t id = c->in->slots[j].id;
                c->st.lines++;
                if (id != FG__NOFRAME && fg__sample_push(c->in, id) != 0)
                    return -ENOMEM;
                prev = j;
                p = nl + 1;
                continue;
            }
        }
        prev = UINT32_MAX;
        if (!nl)
            nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (general(c, p, n) != 0)
            return -ENOMEM;
        p = nl ? nl + 1 : end;
    }
    return 0;
}
