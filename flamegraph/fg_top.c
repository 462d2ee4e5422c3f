/* fg_top: flat and cumulative counts per function (see fg_top.h). */
#include "fg_top.h"

#include "cr_alloc.h"
#include "cr_text.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static uint64_t sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* Adds one stack: cum once per distinct name (seen[] holds the last stack
 * that counted each name), flat for the leaf. */
static int count_stack(struct fg_top *t, const char *s, size_t len, uint64_t c,
                       size_t stack, size_t **seen, size_t *cap)
{
    const char *end = s + len, *f = s;
    size_t idx = 0;
    for (;;) {
        const char *semi = memchr(f, ';', (size_t)(end - f));
        const char *fe = semi ? semi : end;
        if (fg_map_index(&t->names, f, (size_t)(fe - f), &idx) != 0)
            return -ENOMEM;
        if (idx >= *cap) {
            size_t nc = *cap ? *cap * 2 : 1024;
            while (nc <= idx)
                nc *= 2;
            size_t *v = cr_realloc(*seen, nc * sizeof(*v));
            if (!v)
                return -ENOMEM;
            memset(v + *cap, 0, (nc - *cap) * sizeof(*v));
            *seen = v;
            *cap = nc;
        }
        struct fg_entry *e = &t->names.v[idx];
        if ((*seen)[idx] != stack + 1) {
            (*seen)[idx] = stack + 1;
            e->count[1] = sat(e->count[1], c);
        }
        if (!semi)
            break;
        f = semi + 1;
    }
    t->names.v[idx].count[0] = sat(t->names.v[idx].count[0], c);
    return 0;
}

static int cmp_row(const void *pa, const void *pb)
{
    const struct fg_top_row *a = pa, *b = pb;
    if (a->flat != b->flat)
        return a->flat < b->flat ? 1 : -1;
    if (a->cum != b->cum)
        return a->cum < b->cum ? 1 : -1;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->name, b->name, n);
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

enum fg_code fg_top_compute(struct fg_top *t, const struct fg_map *m,
                            struct cr_error *err)
{
    size_t *seen = NULL, cap = 0;
    int rc = 0;
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; rc == 0 && i < m->n; i++) {
        const struct fg_entry *e = &m->v[i];
        if (e->count[0] == 0)
            continue;
        t->total = sat(t->total, e->count[0]);
        rc = count_stack(t, fg_map_key(m, e), e->len, e->count[0], i, &seen,
                         &cap);
    }
    cr_free(seen);
    if (rc == 0 && t->names.n) {
        t->rows = cr_malloc(t->names.n * sizeof(*t->rows));
        if (!t->rows)
            rc = -ENOMEM;
    }
    if (rc != 0) {
        fg_top_release(t);
        return fg_error_set(err, FG_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->names.n; i++) {
        const struct fg_entry *e = &t->names.v[i];
        t->rows[i] = (struct fg_top_row){ fg_map_key(&t->names, e), e->len,
                                          e->count[0], e->count[1] };
    }
    t->n = t->names.n;
    if (t->n)
        qsort(t->rows, t->n, sizeof(*t->rows), cmp_row);
    if (t->total == 0)
        return fg_error_set(err, FG_E_EMPTY,
                            "no valid input: no stacks "
                            "with a count");
    return FG_OK;
}

void fg_top_release(struct fg_top *t)
{
    fg_map_release(&t->names);
    cr_free(t->rows);
    memset(t, 0, sizeof(*t));
}

static double pct(uint64_t a, uint64_t total)
{
    return total ? 100.0 * (double)a / (double)total : 0;
}

int fg_top_text(const struct fg_top *t, size_t limit, const char *countname,
                struct cr_buf *out)
{
    size_t n = limit && limit < t->n ? limit : t->n;
    double sum = 0;
    int rc = cr_buf_printf(out,
                           "Showing top %zu of %zu functions, total %" PRIu64
                           " %s\n%10s %7s %7s %10s %7s  %s\n",
                           n, t->n, t->total, countname, "flat", "flat%",
                           "sum%", "cum", "cum%", "name");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const struct fg_top_row *r = &t->rows[i];
        sum += pct(r->flat, t->total);
        rc = cr_buf_printf(
            out, "%10" PRIu64 " %6.2f%% %6.2f%% %10" PRIu64 " %6.2f%%  ",
            r->flat, pct(r->flat, t->total), sum, r->cum,
            pct(r->cum, t->total));
        if (rc == 0)
            rc = cr_utf8_sanitize(out, r->name, r->len);
        if (rc == 0)
            rc = cr_buf_putc(out, '\n');
    }
    return rc ? -ENOMEM : 0;
}

/* Rounds to two decimals, as the text table shows them. */
static double round2(double v)
{
    return (double)(int64_t)(v * 100 + 0.5) / 100;
}

int fg_top_json(const struct fg_top *t, size_t limit, const char *countname,
                struct cr_buf *out)
{
    size_t n = limit && limit < t->n ? limit : t->n;
    double sum = 0;
    cJSON *root = cJSON_CreateObject();
    cJSON *arr = cJSON_CreateArray();
    bool ok = root && arr && cJSON_AddItemToObject(root, "functions", arr);
    if (!ok)
        cJSON_Delete(arr);
    ok = ok && cJSON_AddNumberToObject(root, "total", (double)t->total) &&
         cJSON_AddStringToObject(root, "countname", countname) &&
         cJSON_AddNumberToObject(root, "functions_total", (double)t->n);
    for (size_t i = 0; ok && i < n; i++) {
        const struct fg_top_row *r = &t->rows[i];
        cJSON *o = cJSON_CreateObject();
        sum += pct(r->flat, t->total);
        ok = o && cJSON_AddItemToArray(arr, o);
        if (!ok) {
            cJSON_Delete(o);
            break;
        }
        ok = cr_json_add_bytes(o, "name", r->name, r->len) == 0 &&
             cJSON_AddNumberToObject(o, "flat", (double)r->flat) &&
             cJSON_AddNumberToObject(o, "flat_pct",
                                     round2(pct(r->flat, t->total))) &&
             cJSON_AddNumberToObject(o, "sum_pct", round2(sum)) &&
             cJSON_AddNumberToObject(o, "cum", (double)r->cum) &&
             cJSON_AddNumberToObject(o, "cum_pct",
                                     round2(pct(r->cum, t->total)));
    }
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    int rc = text ? cr_buf_puts(out, text) | cr_buf_putc(out, '\n') : -ENOMEM;
    cJSON_free(text);
    return rc ? -ENOMEM : 0;
}
