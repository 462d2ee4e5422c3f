/* clnrm_cmd_sweep: `run`'s sweeps of leftovers, at its start and its end.
 * See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_reap.h"
#include "cr_clock.h"
#include "engine.h"

/* A dead run's creations that the engine had received before the run
 * died keep landing after the start sweep (seen: two objects a second
 * later, after SIGKILL of `run -j 8` under load). The end sweep keeps
 * looking until the dead runs have been quiet this long... */
#define SETTLE_QUIET_MS 1000
/* ...but never longer than this after the start sweep: a later one is
 * left to the next run's sweep. */
#define SETTLE_MAX_MS 5000

static void say(struct clnrm_ctx *ctx, const char *what,
                const struct clnrm_sweep_stats *st)
{
    if (st->failed > 0)
        fprintf(ctx->err,
                "warning: %zu leftover object(s) could not be removed; "
                "first: %s\n",
                st->failed, st->first_failure);
    else if (st->containers + st->networks > 0)
        fprintf(ctx->err,
                "note: removed %zu container(s) and %zu network(s) "
                "left by runs that are gone%s\n",
                st->containers, st->networks, what);
}

void clnrm_cmd_sweep_start(struct clnrm_ctx *ctx, struct engine *eng,
                           struct clnrm_run_sweep *sw)
{
    struct clnrm_sweep_stats st;
    struct cr_error e = { 0 };

    if (clnrm_reap_sweep(eng, NULL, &st, &e) != CLNRM_OK) {
        fprintf(ctx->err, "warning: sweeping leftovers failed: %s\n", e.msg);
        return;
    }
    say(ctx, "", &st);
    if (st.containers + st.networks > 0)
        sw->orphan_seen_ms = cr_clock_ms();
}

/* Dead runs again: once, or until their late creations settle. */
static void sweep_dead(struct clnrm_ctx *ctx, struct engine *eng,
                       const struct clnrm_runctx *rc,
                       const struct clnrm_run_sweep *sw)
{
    struct clnrm_sweep_stats st = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code code;

    if (sw->orphan_seen_ms != 0 && !*rc->cancel)
        code = clnrm_reap_settle(eng, sw->orphan_seen_ms, SETTLE_QUIET_MS,
                                 sw->orphan_seen_ms + SETTLE_MAX_MS, rc->cancel,
                                 &st, &e);
    else
        code = clnrm_reap_sweep(eng, NULL, &st, &e);
    if (code != CLNRM_OK)
        fprintf(ctx->err, "warning: sweeping leftovers failed: %s\n", e.msg);
    else
        say(ctx, " (created after the first sweep)", &st);
}

void clnrm_cmd_sweep_end(struct clnrm_ctx *ctx, const struct clnrm_runctx *rc,
                         const struct clnrm_run_sweep *sw)
{
    struct engine *eng = NULL;
    struct clnrm_sweep_stats st = { 0 };
    struct cr_error e = { 0 };

    if (engine_open(&eng, rc->engine_host, NULL, &e) != ENGINE_OK ||
        clnrm_reap_sweep(eng, rc->run_id, &st, &e) != CLNRM_OK)
        fprintf(ctx->err,
                "warning: final cleanup failed: %s (the next run "
                "sweeps it)\n",
                e.msg);
    else if (st.failed > 0)
        fprintf(ctx->err,
                "warning: %zu object(s) of run %s could not be "
                "removed (the next run sweeps them); first: %s\n",
                st.failed, rc->run_id, st.first_failure);
    if (eng != NULL)
        sweep_dead(ctx, eng, rc, sw);
    engine_close(eng);
}
