/* slo: the memory check under heaptrack. See slo_memory.h. */
#include "slo_memory.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"
#include "fg_folded.h"
#include "fg_map.h"
#include "fg_render.h"
#include "slo_config.h"
#include "slo_heap.h"
#include "slo_judge.h"

static enum slo_code nomem(struct cr_error *err)
{
    return slo_error_set(err, SLO_E_NOMEM, "out of memory");
}

static bool same_argv(char *const *a, char *const *b)
{
    size_t i = 0;

    for (; a[i] && b[i]; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return !a[i] && !b[i];
}

static bool wanted(const struct slo_objective *o,
                   const struct slo_memory_opts *opts)
{
    return opts->only ? strcmp(o->name, opts->only) == 0
                      : slo_metric_is_heap(o->metric);
}

/* The objectives to judge, into m->res; the command to run, into m->argv. */
static enum slo_code select_objectives(const struct slo_config *cfg,
                                       const struct slo_memory_opts *opts,
                                       struct slo_memory *m,
                                       struct cr_error *err)
{
    m->argv = opts->argv;
    if (!cfg)
        return SLO_OK;
    m->res = cr_calloc(cfg->n ? cfg->n : 1, sizeof(*m->res));
    if (!m->res)
        return nomem(err);
    for (size_t i = 0; i < cfg->n; i++) {
        const struct slo_objective *o = &cfg->obj[i];
        if (!wanted(o, opts))
            continue;
        if (!slo_metric_is_heap(o->metric))
            return slo_error_set(err, SLO_E_USAGE,
                                 "%s: objective \"%s\" measures %s, not "
                                 "peak_heap_mb or leaked_kb",
                                 cfg->path, o->name,
                                 slo_metric_name(o->metric));
        if (!m->argv)
            m->argv = o->argv;
        else if (!opts->argv && !same_argv(m->argv, o->argv))
            return slo_error_set(err, SLO_E_USAGE,
                                 "%s: heap objectives \"%s\" and \"%s\" run "
                                 "different commands; pick one with "
                                 "--objective",
                                 cfg->path, m->res[0].obj->name, o->name);
        m->res[m->n++].obj = o;
    }
    if (opts->only && m->n == 0)
        return slo_error_set(err, SLO_E_USAGE, "%s: no objective named \"%s\"",
                             cfg->path, opts->only);
    if (!m->argv)
        return slo_error_set(err, SLO_E_USAGE,
                             "%s: no objective with metric peak_heap_mb or "
                             "leaked_kb (or give a command after --)",
                             cfg->path);
    return SLO_OK;
}

static char *path_in(const char *dir, const char *name)
{
    struct cr_buf b = { 0 };

    if (cr_buf_printf(&b, "%s/%s", dir, name)) {
        cr_buf_release(&b);
        return NULL;
    }
    return cr_buf_detach(&b);
}

/* Creates the output directory and keeps its absolute path. */
static enum slo_code open_out_dir(const char *dir, struct slo_memory *m,
                                  struct cr_error *err)
{
    int rc = cr_fs_mkdirs(dir);

    if (rc == -ENOMEM)
        return nomem(err);
    if (rc)
        return slo_error_set(err, SLO_E_IO, "cannot create %s: %s", dir,
                             strerror(-rc));
    m->out_dir = cr_fs_realpath(dir);
    if (!m->out_dir)
        return errno == ENOMEM ? nomem(err)
                               : slo_error_set(err, SLO_E_IO, "%s: %s", dir,
                                               strerror(errno));
    return SLO_OK;
}

/* Keeps the command's output: a failing command is explained there. */
static void save_log(const struct slo_memory *m)
{
    char *path = path_in(m->out_dir, "command.log");
    const char *log = m->info.log ? m->info.log : "";

    if (path)
        cr_fs_write_atomic(path, log, strlen(log), 0644);
    cr_free(path);
}

static enum slo_code run_heaptrack(const struct slo_config *cfg,
                                   const struct slo_memory_opts *opts,
                                   struct slo_memory *m, struct cr_error *err)
{
    static const char *const folded[] = { "alloc.folded", "peak.folded",
                                          "leaked.folded" };
    char *paths[4] = { 0 };
    struct heap_run_opts ho = { .argv = (const char *const *)m->argv,
                                .cwd = cfg ? cfg->dir : NULL,
                                .timeout_ms = SLO_HEAP_TIMEOUT_MS,
                                .stop = opts->stop };
    enum heap_code hc = HEAP_E_NOMEM;
    enum slo_code rc;

    paths[3] = path_in(m->out_dir, "heaptrack");
    for (size_t i = 0; i < 3; i++)
        paths[i] = path_in(m->out_dir, folded[i]);
    if (paths[0] && paths[1] && paths[2] && paths[3]) {
        ho.data = paths[3];
        ho.folded[HEAP_COST_ALLOCATIONS] = paths[0];
        ho.folded[HEAP_COST_PEAK] = paths[1];
        ho.folded[HEAP_COST_LEAKED] = paths[2];
        hc = heap_run(&ho, &m->heap, &m->info, err);
        save_log(m);
    } else {
        heap_error_set(err, HEAP_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < 4; i++)
        cr_free(paths[i]);
    rc = slo_from_heap(hc);
    if (rc && err)
        err->code = rc;
    return rc;
}

/* heaptrack_print's text beside the data, for people to read. */
static enum slo_code save_text(const struct slo_memory *m, struct cr_error *err)
{
    char *path = path_in(m->out_dir, "heaptrack.txt");
    const char *text = m->info.text ? m->info.text : "";
    int rc;

    if (!path)
        return nomem(err);
    rc = cr_fs_write_atomic(path, text, strlen(text), 0644);
    if (rc)
        slo_error_set(err, SLO_E_IO, "cannot write %s: %s", path,
                      strerror(-rc));
    cr_free(path);
    return rc ? SLO_E_IO : SLO_OK;
}

enum slo_code slo_memory_run(const struct slo_config *cfg,
                             const struct slo_memory_opts *opts,
                             struct slo_memory *m, struct cr_error *err)
{
    struct slo_sample s;
    enum slo_code rc;

    heap_result_init(&m->heap);
    if ((rc = select_objectives(cfg, opts, m, err)) ||
        (rc = open_out_dir(opts->out_dir, m, err)))
        return rc;
    rc = run_heaptrack(cfg, opts, m, err);
    /* Kept even when it did not parse: the error names a line of it. */
    if (m->info.text && (rc == SLO_OK || err == NULL))
        rc = save_text(m, err);
    else if (m->info.text)
        save_text(m, NULL);
    if (rc)
        return rc;
    slo_heap_sample(&m->heap, &s);
    for (size_t i = 0; i < m->n; i++) {
        m->res[i].samples = cr_malloc(sizeof(s));
        if (!m->res[i].samples)
            return nomem(err);
        m->res[i].samples[0] = s;
        m->res[i].n = 1;
        slo_judge(&m->res[i]);
    }
    return SLO_OK;
}

/* Draws OUT/alloc.folded into the buffer svg with the flamegraph library. */
static enum fg_code draw_folded(const char *folded, struct cr_buf *svg,
                                struct cr_error *err)
{
    struct fg_render_opts ro;
    struct fg_render_result rr;
    struct fg_map map;
    enum fg_code rc;

    fg_map_init(&map);
    fg_render_opts_init(&ro);
    ro.title = "heaptrack: allocation calls";
    ro.countname = "calls";
    ro.palette = FG_PAL_MEM;
    rc = fg_folded_read(&map, folded, 0, NULL, err);
    if (rc == FG_OK)
        rc = fg_render(&map, &ro, svg, &rr, err);
    fg_map_release(&map);
    return rc;
}

/*
 * The one place where folded allocation stacks become an SVG, through the
 * flamegraph library's render API (no external tool to find or start).
 */
void slo_memory_draw(struct slo_memory *m)
{
    char *folded = path_in(m->out_dir, "alloc.folded");
    char *svg = path_in(m->out_dir, "alloc.svg");
    struct cr_buf out = { 0 };
    struct cr_error err = { 0 };
    int rc;

    if (!folded || !svg) {
        snprintf(m->svg_note, sizeof(m->svg_note), "out of memory");
        goto out;
    }
    unlink(svg); /* never leave a stale graph of an earlier run */
    if (draw_folded(folded, &out, &err) != FG_OK) {
        snprintf(m->svg_note, sizeof(m->svg_note), "skipped: %s", err.msg);
        goto out;
    }
    rc = cr_fs_write_atomic(svg, cr_buf_str(&out), out.len, 0644);
    if (rc == 0)
        snprintf(m->svg_note, sizeof(m->svg_note), "%s", svg);
    else
        snprintf(m->svg_note, sizeof(m->svg_note),
                 "skipped: cannot write %s: %s", svg, strerror(-rc));
out:
    cr_buf_release(&out);
    cr_free(folded);
    cr_free(svg);
}

void slo_memory_release(struct slo_memory *m)
{
    for (size_t i = 0; i < m->n; i++)
        cr_free(m->res[i].samples);
    cr_free(m->res);
    cr_free(m->out_dir);
    heap_result_release(&m->heap);
    heap_run_info_release(&m->info);
    memset(m, 0, sizeof(*m));
}
