/* bench: the flamegraph suite (see bench_flamegraph.h). */
#include "bench_flamegraph.h"
#include "cr_buf.h"
#include "fg_collapse.h"
#include "fg_render.h"
#include "fg_top.h"

#include <inttypes.h>
#include <stdint.h>

/* Samples in the generated profile: about 3 MB of perf script text. */
#define SAMPLES 6000

/* A deterministic generator, so that every run measures the same input. */
static uint64_t next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

/*
 * One `perf script -g` sample: a header line, frames innermost first
 * ("addr sym+0xoff (dso)"), kernel frames at the top of some stacks, an
 * unknown frame now and then, a blank line. Stacks share prefixes as real
 * ones do: the depth and the choice of each frame come from few values.
 */
static int gen_sample(struct cr_buf *out, uint64_t *seed, int i)
{
    static const char *const comm[] = { "clnrm", "dockerd", "containerd",
                                        "runc" };
    static const char *const dso[] = { "/usr/bin/clnrm",
                                       "/usr/lib/x86_64-linux-gnu/libc.so.6",
                                       "/usr/lib/libcurl.so.4" };
    int depth = 6 + (int)(next(seed) % 20);
    int rc = cr_buf_printf(
        out, "%s %d/%d [%03d] %d.%06d: 10101010 cpu-clock:pppH:\n",
        comm[next(seed) % 4], 1000 + i % 7, 1000 + i % 7, i % 2,
        1000 + i / 1000, i % 1000000);
    if (next(seed) % 3 == 0)
        rc |= cr_buf_printf(out,
                            "\tffffffff8100%04x do_syscall_64+0x%x "
                            "([kernel.kallsyms])\n",
                            (unsigned)(next(seed) % 0xffff),
                            (unsigned)(next(seed) % 0x200));
    for (int d = depth; d > 0 && !rc; d--) {
        unsigned f = (unsigned)(d * 7 + next(seed) % 3);
        if (next(seed) % 40 == 0)
            rc |= cr_buf_printf(out, "\t%12" PRIx64 " [unknown] (%s)\n",
                                next(seed), dso[f % 3]);
        else
            rc |= cr_buf_printf(out, "\t%12" PRIx64 " fn_%u_%s+0x%x (%s)\n",
                                next(seed), f, d % 2 ? "parse" : "run",
                                (unsigned)(next(seed) % 0x400), dso[f % 3]);
    }
    return rc | cr_buf_puts(out, "\n");
}

struct input {
    struct cr_buf perf; /* the perf script text */
    struct fg_map folded;
};

static int collapse_into(const struct input *in, struct fg_map *m)
{
    struct fg_collapse c;
    struct fg_collapse_opts o = { 0 };
    fg_collapse_init(&c, &o, m);
    enum fg_code rc = fg_collapse_mem(&c, in->perf.data, in->perf.len, NULL);
    fg_collapse_release(&c);
    return rc == FG_OK ? 0 : -1;
}

static void collapse_loop(struct bench_b *b, void *arg)
{
    const struct input *in = arg;
    bench_set_bytes(b, (int64_t)in->perf.len);
    for (uint64_t i = 0; i < b->n; i++) {
        struct fg_map m;
        fg_map_init(&m);
        if (collapse_into(in, &m) != 0) {
            fg_map_release(&m);
            return;
        }
        bench_keep_u64(m.n);
        fg_map_release(&m);
    }
}

static void render(struct bench_b *b, const struct input *in, bool inverted)
{
    struct fg_render_opts o;
    fg_render_opts_init(&o);
    o.inverted = inverted;
    for (uint64_t i = 0; i < b->n; i++) {
        struct cr_buf svg = { 0 };
        struct fg_render_result res;
        enum fg_code rc = fg_render(&in->folded, &o, &svg, &res, NULL);
        bench_keep_u64(svg.len);
        cr_buf_release(&svg);
        if (rc != FG_OK)
            return;
    }
}

static void flame_loop(struct bench_b *b, void *arg)
{
    render(b, arg, false);
}

static void icicle_loop(struct bench_b *b, void *arg)
{
    render(b, arg, true);
}

static void top_loop(struct bench_b *b, void *arg)
{
    const struct input *in = arg;
    for (uint64_t i = 0; i < b->n; i++) {
        struct fg_top t = { 0 };
        struct cr_buf text = { 0 };
        if (fg_top_compute(&t, &in->folded, NULL) != FG_OK ||
            fg_top_text(&t, 20, "samples", &text) != 0) {
            fg_top_release(&t);
            cr_buf_release(&text);
            return;
        }
        bench_keep_u64(text.len);
        cr_buf_release(&text);
        fg_top_release(&t);
    }
}

int bench_suite_flamegraph(struct bench_ctx *ctx)
{
    struct input in = { 0 };
    uint64_t seed = 42;
    int rc = 0;
    fg_map_init(&in.folded);
    for (int i = 0; i < SAMPLES && !rc; i++)
        rc = gen_sample(&in.perf, &seed, i);
    if (!rc)
        rc = collapse_into(&in, &in.folded);
    if (!rc) {
        rc |= bench_run(ctx, "Collapse/perf-script", collapse_loop, &in);
        rc |= bench_run(ctx, "Render/flame", flame_loop, &in);
        rc |= bench_run(ctx, "Render/icicle", icicle_loop, &in);
        rc |= bench_run(ctx, "Top", top_loop, &in);
    }
    fg_map_release(&in.folded);
    cr_buf_release(&in.perf);
    return rc;
}
