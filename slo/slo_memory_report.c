/* slo: the memory report. See slo_memory_report.h. */
#include "slo_memory_report.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cr_alloc.h"
#include "slo_config.h"
#include "slo_judge.h"
#include "slo_report.h"

/* Decimal units, as heaptrack prints them: 72.70 KB is 72700 bytes. */
static void human(uint64_t bytes, char *out, size_t size)
{
    static const char *const units[] = { "B", "KB", "MB", "GB", "TB" };
    double v = (double)bytes;
    size_t u = 0;

    while (v >= 1000 && u < 4) {
        v /= 1000;
        u++;
    }
    if (u == 0)
        snprintf(out, size, "%llu B", (unsigned long long)bytes);
    else
        snprintf(out, size, "%.2f %s", v, units[u]);
}

static int summary_text(struct cr_buf *b, const struct heap_result *h)
{
    char heap[32], rss[32], leak[32], supp[32];
    int rc = 0;

    human(h->peak_heap, heap, sizeof(heap));
    human(h->peak_rss, rss, sizeof(rss));
    human(h->leaked, leak, sizeof(leak));
    human(h->suppressed, supp, sizeof(supp));
    rc |= cr_buf_printf(b, "  total runtime          %.2f s\n", h->runtime_s);
    rc |= cr_buf_printf(b, "  allocation calls       %llu\n",
                        (unsigned long long)h->calls);
    rc |= cr_buf_printf(b, "  temporary allocations  %llu\n",
                        (unsigned long long)h->temporary);
    rc |= cr_buf_printf(b, "  peak heap              %s (%llu bytes)\n", heap,
                        (unsigned long long)h->peak_heap);
    rc |= cr_buf_printf(b,
                        "  peak RSS               %s (heaptrack's "
                        "overhead included)\n",
                        rss);
    rc |= cr_buf_printf(b, "  leaked                 %s (%llu bytes)\n", leak,
                        (unsigned long long)h->leaked);
    rc |= cr_buf_printf(b, "  suppressed leaks       %s\n", supp);
    return rc;
}

static int sites_text(struct cr_buf *b, const char *title,
                      const struct heap_sites *s)
{
    int rc = cr_buf_printf(b, "\n%s\n", title);

    if (s->n == 0)
        rc |= cr_buf_puts(b, "  (none)\n");
    for (size_t i = 0; i < s->n; i++) {
        const struct heap_site *e = &s->v[i];
        char bytes[32];

        human(e->bytes, bytes, sizeof(bytes));
        rc |= cr_buf_printf(b, "  %2zu. %10llu calls %12s  %s", i + 1,
                            (unsigned long long)e->calls, bytes,
                            e->function ? e->function : "?");
        if (e->location || e->module)
            rc |= cr_buf_printf(b, "  (%s)",
                                e->location ? e->location : e->module);
        rc |= cr_buf_putc(b, '\n');
    }
    return rc;
}

static int command_text(struct cr_buf *b, char *const *argv)
{
    int rc = cr_buf_puts(b, "slo memory:");

    for (size_t i = 0; argv && argv[i]; i++)
        rc |= cr_buf_printf(b, " %s", argv[i]);
    return rc | cr_buf_puts(b, " (one run under heaptrack)\n");
}

int slo_memory_report_text(struct cr_buf *b, const struct slo_memory *m)
{
    int rc = command_text(b, m->argv);

    rc |= summary_text(b, &m->heap);
    if (m->n) {
        rc |= cr_buf_putc(b, '\n');
        rc |= slo_report_text(b, m->res, m->n, NULL, 0);
    }
    rc |= sites_text(b, "top allocators by calls:", &m->heap.by_calls);
    rc |= sites_text(b, "top allocators by peak bytes:", &m->heap.by_peak);
    rc |= sites_text(b, "top leaks (bytes never freed):", &m->heap.by_leaked);
    rc |= cr_buf_printf(b,
                        "\nfiles in %s: heaptrack.zst heaptrack.txt "
                        "command.log alloc.folded peak.folded leaked.folded\n"
                        "flame graph: %s\n",
                        m->out_dir ? m->out_dir : "?",
                        m->svg_note[0] ? m->svg_note : "not drawn");
    return rc ? -1 : 0;
}

/* Adds item (NULL when its creation failed) to an object or array; on
 * failure frees it and clears *ok, so a partial report is never taken for
 * a whole one. */
static void add(cJSON *to, const char *key, cJSON *item, bool *ok)
{
    bool added = item != NULL && (key ? cJSON_AddItemToObject(to, key, item)
                                      : cJSON_AddItemToArray(to, item));

    if (!added) {
        cJSON_Delete(item);
        *ok = false;
    }
}

static void add_num(cJSON *to, const char *key, double v, bool *ok)
{
    add(to, key, cJSON_CreateNumber(v), ok);
}

static void add_str(cJSON *to, const char *key, const char *s, bool *ok)
{
    add(to, key, s ? cJSON_CreateString(s) : cJSON_CreateNull(), ok);
}

static cJSON *summary_json(const struct heap_result *h, bool *ok)
{
    cJSON *j = cJSON_CreateObject();

    if (!j)
        return NULL;
    add_num(j, "runtime_s", h->runtime_s, ok);
    add_num(j, "allocation_calls", (double)h->calls, ok);
    add_num(j, "temporary_allocations", (double)h->temporary, ok);
    add_num(j, "peak_heap_bytes", (double)h->peak_heap, ok);
    add_num(j, "peak_rss_bytes", (double)h->peak_rss, ok);
    add_num(j, "leaked_bytes", (double)h->leaked, ok);
    add_num(j, "suppressed_leak_bytes", (double)h->suppressed, ok);
    return j;
}

static cJSON *sites_json(const struct heap_sites *s, bool *ok)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; a && i < s->n; i++) {
        cJSON *e = cJSON_CreateObject();
        if (e) {
            add_str(e, "function", s->v[i].function, ok);
            add_str(e, "location", s->v[i].location, ok);
            add_str(e, "module", s->v[i].module, ok);
            add_num(e, "calls", (double)s->v[i].calls, ok);
            add_num(e, "bytes", (double)s->v[i].bytes, ok);
        }
        add(a, NULL, e, ok);
    }
    return a;
}

static cJSON *objectives_json(const struct slo_memory *m, bool *ok)
{
    cJSON *a = cJSON_CreateArray();

    for (size_t i = 0; a && i < m->n; i++) {
        const struct slo_result *r = &m->res[i];
        cJSON *e = cJSON_CreateObject();
        if (e) {
            add_str(e, "name", r->obj->name, ok);
            add_str(e, "metric", slo_metric_name(r->obj->metric), ok);
            add_num(e, "value", r->value, ok);
            add_num(e, "target", r->obj->target, ok);
            add_num(e, "critical", r->obj->critical, ok);
            add_str(e, "verdict", slo_verdict_name(r->verdict), ok);
            add_str(e, "note", r->note, ok);
        }
        add(a, NULL, e, ok);
    }
    return a;
}

int slo_memory_report_json(struct cr_buf *b, const struct slo_memory *m,
                           uint64_t timestamp_ms)
{
    cJSON *j = cJSON_CreateObject(), *cmd = cJSON_CreateArray();
    bool ok = j && cmd;
    char *text;
    int rc;

    for (size_t i = 0; cmd && m->argv && m->argv[i]; i++)
        add(cmd, NULL, cJSON_CreateString(m->argv[i]), &ok);
    if (j) {
        add(j, "command", cmd, &ok);
        cmd = NULL;
        add_num(j, "timestamp_ms", (double)timestamp_ms, &ok);
        add(j, "summary", summary_json(&m->heap, &ok), &ok);
        add(j, "objectives", objectives_json(m, &ok), &ok);
        add(j, "top_by_calls", sites_json(&m->heap.by_calls, &ok), &ok);
        add(j, "top_by_peak", sites_json(&m->heap.by_peak, &ok), &ok);
        add(j, "top_leaks", sites_json(&m->heap.by_leaked, &ok), &ok);
        add_str(j, "out_dir", m->out_dir, &ok);
        add_str(j, "flamegraph", m->svg_note, &ok);
    }
    cJSON_Delete(cmd);
    text = ok ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (!text)
        return -1;
    rc = cr_buf_puts(b, text) || cr_buf_putc(b, '\n');
    cJSON_free(text);
    return rc ? -1 : 0;
}
