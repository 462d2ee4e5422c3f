/*
 * fg_collapse_scan: the collapser's inner loop over a buffer of lines
 * (see fg_collapse_int.h). Most lines of perf script output are frame
 * lines seen before; for those, the cached answer is taken right after
 * the line's end is found, without the per-line calls of fg_input_mem and
 * fg_collapse_line. Everything else
 * goes through fg_collapse_line, so the results are the same.
 */
#include "fg_collapse_int.h"

#include <string.h>

/* One line the general way, without its '\n' and one trailing '\r'. */
static int general(struct fg_collapse *c, const char *s, size_t n)
{
    if (n > 0 && s[n - 1] == '\r')
        n--;
    return fg_collapse_line(c, s, n);
}

int fg__collapse_scan(struct fg_collapse *c, const char *data, size_t len)
{
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = NULL;
        uint32_t id;
        if (*p == '\t' && c->mode == 1 && c->have_pname && !c->java &&
            (nl = memchr(p, '\n', (size_t)(end - p))) != NULL &&
            nl[-1] != '\r' &&
            fg__line_lookup(c->in, p, (size_t)(nl - p),
                            fg__line_hash(p, (size_t)(nl - p)), &id)) {
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
