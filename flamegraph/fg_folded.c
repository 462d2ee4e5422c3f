/* fg_folded: reading and writing folded stacks (see fg_folded.h). */
#include "fg_folded.h"

#include "fg_input.h"

#include "cr_alloc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Parses the decimal count at [s, s+n); false unless all digits. */
static bool parse_count(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
    }
    *out = v;
    return true;
}

/* The start of the last space-separated token of [0, n). */
static size_t last_token(const char *s, size_t n)
{
    size_t i = n;
    while (i > 0 && s[i - 1] != ' ')
        i--;
    return i;
}

bool fg_folded_parse(const char *line, size_t len, size_t *stack_len,
                     uint64_t counts[2], int *ncols)
{
    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
        len--;
    size_t t = last_token(line, len);
    if (t == 0 || !parse_count(line + t, len - t, &counts[0]))
        return false;
    size_t end = t - 1;
    size_t t2 = last_token(line, end);
    *ncols = 1;
    if (t2 > 0 && parse_count(line + t2, end - t2, &counts[1])) {
        /* Two columns: OLD NEW. */
        uint64_t nw = counts[0];
        counts[0] = counts[1];
        counts[1] = nw;
        *ncols = 2;
        end = t2 - 1;
    }
    /* heaptrack_print -F ends every stack with ';'; as in FlameGraph,
     * empty trailing frames are not frames. */
    while (end > 0 && line[end - 1] == ';')
        end--;
    if (end == 0)
        return false;
    *stack_len = end;
    return true;
}

struct reader {
    struct fg_map *m;
    int slot;
    struct fg_folded_stats st;
};

static int on_line(void *ctx, const char *s, size_t n)
{
    struct reader *r = ctx;
    size_t sl;
    uint64_t c[2];
    int ncols;
    r->st.lines++;
    if (n == 0)
        return 0;
    if (memchr(s, '\0', n) || !fg_folded_parse(s, n, &sl, c, &ncols)) {
        if (r->st.skipped++ == 0)
            r->st.first_skipped = r->st.lines;
        return 0;
    }
    uint64_t v = ncols == 2 ? c[1] : c[0];
    return fg_map_add(r->m, s, sl, r->slot == 0 ? v : 0, r->slot == 1 ? v : 0);
}

enum fg_code fg_folded_read(struct fg_map *m, const char *path, int slot,
                            struct fg_folded_stats *st, struct cr_error *err)
{
    struct reader r = { .m = m, .slot = slot };
    enum fg_code rc = fg_input_path(path, on_line, &r, err);
    if (st)
        *st = r.st;
    return rc;
}

enum fg_code fg_folded_read_mem(struct fg_map *m, const char *data, size_t len,
                                int slot, struct fg_folded_stats *st,
                                struct cr_error *err)
{
    struct reader r = { .m = m, .slot = slot };
    enum fg_code rc = fg_input_mem(data, len, on_line, &r, err);
    if (st)
        *st = r.st;
    return rc;
}

int fg_folded_write(const struct fg_map *m, int ncols, struct cr_buf *out)
{
    if (m->n == 0)
        return 0;
    size_t *order = fg_map_sorted(m);
    if (!order)
        return -ENOMEM;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < m->n; i++) {
        const struct fg_entry *e = &m->v[order[i]];
        char num[48];
        int k = ncols == 2 ? snprintf(num, sizeof(num), " %llu %llu\n",
                                      (unsigned long long)e->count[0],
                                      (unsigned long long)e->count[1])
                           : snprintf(num, sizeof(num), " %llu\n",
                                      (unsigned long long)e->count[0]);
        if (cr_buf_append(out, fg_map_key(m, e), e->len) != 0 ||
            cr_buf_append(out, num, (size_t)k) != 0)
            rc = -ENOMEM;
    }
    cr_free(order);
    return rc;
}
