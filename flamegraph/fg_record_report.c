/* fg_record_report: samples per process and unnamed frames (see
 * fg_record_report.h). */
#include "fg_record_report.h"

#include "cr_alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many roots the report lists. */
#define TOP_ROOTS 12

void fg_record_comm(const char *argv0, char out[16])
{
    const char *base = strrchr(argv0, '/');
    base = base ? base + 1 : argv0;
    /* The kernel keeps 15 bytes of a name (TASK_COMM_LEN); the collapser
     * turns spaces into '_'. */
    size_t n = strlen(base) < 15 ? strlen(base) : 15;
    for (size_t i = 0; i < n; i++)
        out[i] = base[i] == ' ' ? '_' : base[i];
    out[n] = '\0';
}

/* Stand-ins for addresses in no file: perf found no code there, so the
 * unwinder followed a wrong return address (a C program has no JIT code
 * in anonymous memory), or perf's own "[unknown]" DSO. */
static const char *const nowhere[] = { "[unknown]", "[[heap]]", "[[stack]]",
                                       "[anon]",    "[[anon]]", "[]" };

/* Whether frame (len bytes) is a stand-in perf printed for a missing
 * symbol: "[dso]", or "[dso]_[k]" for the kernel's; *unknown tells
 * whether it is one where unwinding failed rather than a file without
 * symbols. */
static bool unnamed(const char *f, size_t len, bool *unknown)
{
    if (len > 4 && memcmp(f + len - 4, "_[k]", 4) == 0)
        len -= 4;
    bool un = len >= 2 && f[0] == '[' && f[len - 1] == ']';
    *unknown = un && len > 10 && memcmp(f, "[perf-", 6) == 0 &&
               memcmp(f + len - 5, ".map]", 5) == 0;
    for (size_t i = 0; un && i < sizeof(nowhere) / sizeof(nowhere[0]); i++)
        *unknown = *unknown || (strlen(nowhere[i]) == len &&
                                memcmp(f, nowhere[i], len) == 0);
    return un;
}

/* Adds a stack's count to p, by what its frames (after the root) hold. */
static void tally(struct fg_record_proc *p, const char *frames, uint64_t n,
                  bool *any_unnamed)
{
    bool un = false, unk = false;
    for (const char *f = frames; *f;) {
        size_t len = strcspn(f, ";");
        bool k;
        if (unnamed(f, len, &k)) {
            un = true;
            unk = unk || k;
        }
        f += len + (f[len] == ';');
    }
    p->samples += n;
    p->unnamed += un ? n : 0;
    p->unknown += unk ? n : 0;
    *any_unnamed = un;
}

int fg_record_count(const struct fg_map *m, struct fg_record_stats *st)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct fg_entry *e = &m->v[i];
        const char *key = fg_map_key(m, e);
        size_t rlen = strcspn(key, ";");
        const char *frames = key + rlen + (key[rlen] == ';');
        uint64_t n = e->count[0];
        bool un;
        tally(&st->all, frames, n, &un);
        if (strlen(st->target) == rlen && memcmp(key, st->target, rlen) == 0)
            tally(&st->mine, frames, n, &un);
        if (fg_map_add(&st->roots, key, rlen, n, un ? n : 0) != 0)
            return -ENOMEM;
        st->samples += n;
    }
    return 0;
}

void fg_record_count_own(const struct fg_map *own, struct fg_record_proc *p)
{
    for (size_t i = 0; i < own->n; i++) {
        const char *key = fg_map_key(own, &own->v[i]);
        size_t rlen = strcspn(key, ";");
        bool un;
        tally(p, key + rlen + (key[rlen] == ';'), own->v[i].count[0], &un);
    }
}

/* Whether the root's len bytes start with one of only's prefixes. */
static bool wanted(const char *root, size_t len, const char *only)
{
    for (const char *p = only; *p;) {
        size_t n = strcspn(p, ",");
        if (n > 0 && n <= len && memcmp(root, p, n) == 0)
            return true;
        p += n + (p[n] == ',');
    }
    return false;
}

int fg_record_filter(const struct fg_map *m, const char *only,
                     struct fg_map *out)
{
    for (size_t i = 0; i < m->n; i++) {
        const struct fg_entry *e = &m->v[i];
        const char *key = fg_map_key(m, e);
        if (wanted(key, strcspn(key, ";"), only) &&
            fg_map_add(out, key, e->len, e->count[0], 0) != 0)
            return -ENOMEM;
    }
    return 0;
}

void fg_record_stats_release(struct fg_record_stats *st)
{
    fg_map_release(&st->roots);
}

static double pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The roots' indexes by samples, most first (then by name). */
static int by_samples(const void *a, const void *b, void *ctx)
{
    const struct fg_map *m = ctx;
    const struct fg_entry *x = &m->v[*(const size_t *)a];
    const struct fg_entry *y = &m->v[*(const size_t *)b];
    if (x->count[0] != y->count[0])
        return x->count[0] < y->count[0] ? 1 : -1;
    return strcmp(fg_map_key(m, x), fg_map_key(m, y));
}

static int put_roots(const struct fg_record_stats *st, struct cr_buf *out)
{
    const struct fg_map *r = &st->roots;
    size_t *idx = r->n ? cr_malloc(r->n * sizeof(*idx)) : NULL;
    if (r->n && !idx)
        return -ENOMEM;
    for (size_t i = 0; i < r->n; i++)
        idx[i] = i;
    qsort_r(idx, r->n, sizeof(*idx), by_samples, (void *)r);
    int rc = cr_buf_puts(out, "\nbusiest processes (samples, share, with "
                              "unnamed frames):\n");
    for (size_t i = 0; rc == 0 && i < r->n && i < TOP_ROOTS; i++) {
        const struct fg_entry *e = &r->v[idx[i]];
        rc = cr_buf_printf(out, "  %-20s %8llu  %5.1f%%  %5.1f%%\n",
                           fg_map_key(r, e), (unsigned long long)e->count[0],
                           pct(e->count[0], st->samples),
                           pct(e->count[1], e->count[0]));
    }
    if (rc == 0 && r->n > TOP_ROOTS)
        rc = cr_buf_printf(out, "  ... and %zu more\n", r->n - TOP_ROOTS);
    cr_free(idx);
    return rc;
}

/* One line: a set of samples and its shares of unknown and unnamed. */
static int put_share(struct cr_buf *out, const char *who,
                     const struct fg_record_proc *p)
{
    return cr_buf_printf(
        out,
        "%s: %llu samples; %llu (%.1f%%) with [unknown] frames "
        "(unwinding failed: [unknown], [[heap]], [[stack]], [anon], "
        "[perf-PID.map]), %llu (%.1f%%) with any unnamed frame (also "
        "[library] without symbols)\n",
        who, (unsigned long long)p->samples, (unsigned long long)p->unknown,
        pct(p->unknown, p->samples), (unsigned long long)p->unnamed,
        pct(p->unnamed, p->samples));
}

int fg_record_report(const struct fg_record_stats *st,
                     const struct fg_record_opts *o, struct cr_buf *out)
{
    bool own = st->own_pids > 0;
    int rc = cr_buf_printf(
        out,
        "profile: %s, perf cpu-clock at %u Hz, call graphs %s\n"
        "samples: %llu in %zu process%s\n",
        o->system_wide ? "system-wide (every process)"
                       : "the command's processes alone",
        o->frequency, o->call_graph, (unsigned long long)st->samples,
        st->roots.n, st->roots.n == 1 ? "" : "es");
    /* The first line is the command's own processes (the one perf started
     * and its descendants) when perf's task events showed them. */
    rc |= put_share(out, st->target, own ? &st->own : &st->mine);
    if (own && st->own_hz)
        rc |= cr_buf_printf(out,
                            "  (the command's own %zu process%s: the one "
                            "perf started and its descendants, recorded "
                            "on their own at %u Hz, next to the "
                            "system-wide profile)\n",
                            st->own_pids, st->own_pids == 1 ? "" : "es",
                            st->own_hz);
    else if (own)
        rc |= cr_buf_printf(out,
                            "  (the command's own %zu process%s: the one "
                            "perf started and its descendants)\n",
                            st->own_pids, st->own_pids == 1 ? "" : "es");
    if (own && st->own_hz) {
        char who[64];
        snprintf(who, sizeof(who), "  in the system-wide profile at %u Hz",
                 o->frequency);
        rc |= put_share(out, who, &st->sw_own);
    }
    if (own && o->system_wide) {
        char who[64];
        snprintf(who, sizeof(who), "  every process named %s", st->target);
        rc |= put_share(out, who, &st->mine);
        rc |= cr_buf_printf(out,
                            "  (also other runs of %s on this machine "
                            "while perf recorded)\n",
                            st->target);
    }
    if (!o->system_wide)
        rc |= cr_buf_printf(out,
                            "note: only %s and its child processes "
                            "were recorded; work it asks of other "
                            "processes (the container engine, "
                            "containers) is not in this profile "
                            "(--system-wide records it)\n",
                            st->target);
    return rc ? -ENOMEM : put_roots(st, out);
}
