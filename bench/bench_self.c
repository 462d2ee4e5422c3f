/* bench: the harness's own cost (suite "harness"). See bench.h.
 *
 * Empty is a loop that does nothing measurable but keep its counter: what
 * every other result includes as overhead per iteration. TimerPair adds a
 * bench_stop_timer/bench_start_timer pair per iteration (two clock reads
 * and two counter reads), the price of per-iteration setup. Alloc is one
 * cr_malloc/cr_free pair through the counting hook: 1 allocs/op, 64 B/op,
 * which also proves the counter sees allocations. */
#include "bench.h"
#include "cr_alloc.h"

static void empty(struct bench_b *b, void *arg)
{
    (void)arg;
    for (uint64_t i = 0; i < b->n; i++)
        bench_keep_u64(i);
}

static void timer_pair(struct bench_b *b, void *arg)
{
    (void)arg;
    for (uint64_t i = 0; i < b->n; i++) {
        bench_stop_timer(b);
        bench_start_timer(b);
    }
}

static void alloc(struct bench_b *b, void *arg)
{
    (void)arg;
    for (uint64_t i = 0; i < b->n; i++) {
        void *p = cr_malloc(64);
        bench_keep(p);
        cr_free(p);
    }
}

int bench_suite_harness(struct bench_ctx *ctx)
{
    bench_run(ctx, "Empty", empty, NULL);
    bench_run(ctx, "TimerPair", timer_pair, NULL);
    bench_run(ctx, "Alloc/64B", alloc, NULL);
    return 0;
}
