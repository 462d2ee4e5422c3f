/*
 * bench engine: one container's lifecycle through the clnrm engine client,
 * split into phases, side by side with the docker CLI doing the same work.
 *
 *   EngineLifecycle/net=X   create, start, exec `true`, remove (forced, as
 *                           the runner tears a test down: one call that
 *                           kills and removes)
 *   CLIRunRm[/net=none]     docker run --rm [--network none] IMAGE true
 *   PairedLifecycleAndRunRm the two above alternately (net=none client)
 *   EngineExec, CLIExec     `true` in an already running container
 *
 * After each lifecycle benchmark the phases of its last run are printed as
 * "# phase EngineLifecycle/net=X/P" comments, and "# ratio" comments compare
 * the client with the CLI (below 1 means the client is faster). Needs the
 * Docker engine, the base image (built when missing) and /usr/bin/docker.
 */
#include "bench_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_clock.h"
#include "cr_proc.h"
#include "engine.h"
#include "engine_baseimage.h"

#define DOCKER_CLI "/usr/bin/docker"

enum phase { CREATE, START, EXEC, REMOVE, NPHASES };

static const char *const phase_names[NPHASES] = { "create", "start", "exec",
                                                  "remove" };

struct engine_bench {
    struct engine *eng;
    const char *network;
    uint64_t phase_ns[NPHASES]; /* sums over the last call */
    uint64_t total_ns;          /* likewise, whole lifecycles */
    uint64_t n;
    bool failed;
    char error[512];
};

struct cli_bench {
    const char *const *argv;
    uint64_t total_ns;
    uint64_t n;
    bool failed;
};

static const char *const sleep_argv[] = { "sleep", "300", NULL };
static const char *const true_argv[] = { "true", NULL };
static const struct engine_kv bench_labels[] = { { "cleanroom.bench",
                                                   "engine" } };

static struct engine_container_spec spec_for(const char *network)
{
    struct engine_container_spec s = { 0 };

    s.image = ENGINE_BASEIMAGE_BASE;
    s.argv = sleep_argv;
    s.labels = bench_labels;
    s.nlabels = 1;
    s.network = network;
    return s;
}

static void note_error(struct engine_bench *eb, const struct cr_error *e)
{
    if (!eb->failed)
        snprintf(eb->error, sizeof(eb->error), "%s", e->msg);
    eb->failed = true;
}

/* One lifecycle; adds each phase's time to eb. */
static void lifecycle(struct engine_bench *eb)
{
    struct engine_container_spec s = spec_for(eb->network);
    struct engine_exec_spec es = { .argv = true_argv };
    struct engine_exec_result r = { 0 };
    struct cr_error e = { 0 };
    uint64_t t[NPHASES + 1];
    char *id = NULL;

    t[0] = cr_clock_ns();
    if (engine_container_create(eb->eng, &s, &id, &e) != ENGINE_OK)
        goto fail;
    t[1] = cr_clock_ns();
    if (engine_container_start(eb->eng, id, &e) != ENGINE_OK)
        goto fail;
    t[2] = cr_clock_ns();
    if (engine_exec(eb->eng, id, &es, 0, &r, &e) != ENGINE_OK ||
        r.exit_code != 0)
        goto fail;
    t[3] = cr_clock_ns();
    if (engine_container_remove(eb->eng, id, true, &e) != ENGINE_OK)
        goto fail;
    t[4] = cr_clock_ns();
    for (int p = 0; p < NPHASES; p++)
        eb->phase_ns[p] += t[p + 1] - t[p];
    eb->total_ns += t[NPHASES] - t[0];
    engine_exec_result_release(&r);
    cr_free(id);
    return;
fail:
    note_error(eb, &e);
    engine_exec_result_release(&r);
    if (id)
        engine_container_remove(eb->eng, id, true, NULL);
    cr_free(id);
}

static void bench_lifecycle(struct bench_b *b, void *arg)
{
    struct engine_bench *eb = arg;

    memset(eb->phase_ns, 0, sizeof(eb->phase_ns));
    eb->total_ns = 0;
    eb->n = b->n;
    for (uint64_t i = 0; i < b->n && !eb->failed; i++)
        lifecycle(eb);
}

/* Runs argv with output discarded; returns its exit status or -1. */
static int run_cli(const char *const *argv)
{
    struct cr_proc_opts o = { .argv = argv,
                              .in = CR_PROC_NULL,
                              .out = CR_PROC_NULL,
                              .err = CR_PROC_NULL };
    struct cr_proc p;

    if (cr_proc_spawn(&p, &o) != 0)
        return -1;
    if (cr_proc_wait(&p, true) != 1)
        return -1;
    return WIFEXITED(p.status) ? WEXITSTATUS(p.status) : -1;
}

static void bench_cli(struct bench_b *b, void *arg)
{
    struct cli_bench *cb = arg;
    uint64_t t0 = cr_clock_ns();

    cb->n = b->n;
    for (uint64_t i = 0; i < b->n && !cb->failed; i++)
        if (run_cli(cb->argv) != 0)
            cb->failed = true;
    cb->total_ns = cr_clock_ns() - t0;
}

struct exec_bench {
    struct engine *eng;
    const char *id;
    uint64_t total_ns; /* the last call's */
    uint64_t n;
    bool failed;
};

static void bench_exec(struct bench_b *b, void *arg)
{
    struct exec_bench *xb = arg;
    struct engine_exec_spec es = { .argv = true_argv };
    struct cr_error e = { 0 };
    uint64_t t0 = cr_clock_ns();

    xb->n = b->n;
    for (uint64_t i = 0; i < b->n && !xb->failed; i++) {
        struct engine_exec_result r = { 0 };
        if (engine_exec(xb->eng, xb->id, &es, 0, &r, &e) != ENGINE_OK ||
            r.exit_code != 0)
            xb->failed = true;
        engine_exec_result_release(&r);
    }
    xb->total_ns = cr_clock_ns() - t0;
}

/* The phases of the last measurement, as "# phase" comments: one sample
 * per benchmark, not per -count, so they are context for the reader rather
 * than results for bench compare or benchstat. */
static void print_phases(struct bench_ctx *ctx, const char *name,
                         const struct engine_bench *eb)
{
    for (int p = 0; p < NPHASES && eb->n; p++)
        bench_printf(ctx, "# phase %s/%s: %.2f ms/op over %llu ops\n", name,
                     phase_names[p],
                     (double)eb->phase_ns[p] / (double)eb->n / 1e6,
                     (unsigned long long)eb->n);
}

static void print_ratio(struct bench_ctx *ctx, const char *what, uint64_t a_ns,
                        uint64_t a_n, uint64_t b_ns, uint64_t b_n)
{
    double a, b;

    if (!a_n || !b_n || !b_ns)
        return;
    a = (double)a_ns / (double)a_n / 1e6;
    b = (double)b_ns / (double)b_n / 1e6;
    bench_printf(ctx, "# ratio %s: %.1f ms / %.1f ms = %.2f (%s)\n", what, a, b,
                 a / b, a < b ? "client faster" : "client NOT faster");
}

static int run_lifecycle(struct bench_ctx *ctx, struct engine_bench *eb)
{
    char name[64];

    snprintf(name, sizeof(name), "EngineLifecycle/net=%s", eb->network);
    bench_run(ctx, name, bench_lifecycle, eb);
    if (eb->failed) {
        fprintf(stderr, "bench engine: %s: %s\n", name, eb->error);
        return 1;
    }
    print_phases(ctx, name, eb);
    return 0;
}

static int run_cli_bench(struct bench_ctx *ctx, const char *name,
                         struct cli_bench *cb)
{
    bench_run(ctx, name, bench_cli, cb);
    if (cb->failed) {
        fprintf(stderr, "bench engine: %s failed\n", name);
        return 1;
    }
    return 0;
}

/*
 * The client's lifecycle on network "none" (what the clnrm runner uses for
 * a one-container test) and on "bridge", against `docker run --rm IMAGE
 * true` as typed (default bridge network) and with --network none.
 */
static int compare_lifecycles(struct bench_ctx *ctx, struct engine *eng)
{
    const char *const run_default[] = { DOCKER_CLI, "run",
                                        "--rm",     ENGINE_BASEIMAGE_BASE,
                                        "true",     NULL };
    const char *const run_none[] = { DOCKER_CLI,  "run",  "--rm",
                                     "--network", "none", ENGINE_BASEIMAGE_BASE,
                                     "true",      NULL };
    struct engine_bench none = { .eng = eng, .network = "none" };
    struct engine_bench bridge = { .eng = eng, .network = "bridge" };
    struct cli_bench cli = { .argv = run_default };
    struct cli_bench cli_none = { .argv = run_none };

    if (run_lifecycle(ctx, &none) || run_lifecycle(ctx, &bridge) ||
        run_cli_bench(ctx, "CLIRunRm", &cli) ||
        run_cli_bench(ctx, "CLIRunRm/net=none", &cli_none))
        return 1;
    print_ratio(ctx, "lifecycle(net=none)/docker-run-rm", none.total_ns, none.n,
                cli.total_ns, cli.n);
    print_ratio(ctx, "lifecycle(net=bridge)/docker-run-rm", bridge.total_ns,
                bridge.n, cli.total_ns, cli.n);
    print_ratio(ctx, "lifecycle(net=none)/docker-run-rm(net=none)",
                none.total_ns, none.n, cli_none.total_ns, cli_none.n);
    return 0;
}

/* One client lifecycle and one CLI run alternately, so load drift on a
 * shared machine hits both sides alike. */
struct paired_bench {
    struct engine_bench *eb;
    struct cli_bench *cb;
    uint64_t client_ns, cli_ns, n;
};

static void bench_paired(struct bench_b *b, void *arg)
{
    struct paired_bench *pb = arg;
    uint64_t t0;

    pb->client_ns = pb->cli_ns = 0;
    pb->n = b->n;
    for (uint64_t i = 0; i < b->n && !pb->eb->failed && !pb->cb->failed; i++) {
        t0 = cr_clock_ns();
        lifecycle(pb->eb);
        pb->client_ns += cr_clock_ns() - t0;
        t0 = cr_clock_ns();
        if (run_cli(pb->cb->argv) != 0)
            pb->cb->failed = true;
        pb->cli_ns += cr_clock_ns() - t0;
    }
}

static int compare_paired(struct bench_ctx *ctx, struct engine *eng)
{
    const char *const run_default[] = { DOCKER_CLI, "run",
                                        "--rm",     ENGINE_BASEIMAGE_BASE,
                                        "true",     NULL };
    struct engine_bench eb = { .eng = eng, .network = "none" };
    struct cli_bench cb = { .argv = run_default };
    struct paired_bench pb = { &eb, &cb, 0, 0, 0 };

    bench_run(ctx, "PairedLifecycleAndRunRm", bench_paired, &pb);
    if (eb.failed || cb.failed) {
        fprintf(stderr, "bench engine: paired benchmark failed: %s\n",
                eb.error);
        return 1;
    }
    print_ratio(ctx, "paired lifecycle(net=none)/docker-run-rm", pb.client_ns,
                pb.n, pb.cli_ns, pb.n);
    return 0;
}

/* exec `true` into one running container, client against docker exec. */
static int compare_exec(struct bench_ctx *ctx, struct engine *eng)
{
    struct engine_container_spec s = spec_for("none");
    struct cr_error e = { 0 };
    struct exec_bench xb = { .eng = eng };
    struct cli_bench cb = { 0 };
    char *id = NULL;
    int rc = 1;

    if (engine_container_create(eng, &s, &id, &e) != ENGINE_OK ||
        engine_container_start(eng, id, &e) != ENGINE_OK) {
        fprintf(stderr, "bench engine: %s\n", e.msg);
        goto out;
    }
    const char *const argv[] = { DOCKER_CLI, "exec", id, "true", NULL };
    xb.id = id;
    cb.argv = argv;
    bench_run(ctx, "EngineExec", bench_exec, &xb);
    bench_run(ctx, "CLIExec", bench_cli, &cb);
    if (xb.failed || cb.failed) {
        fprintf(stderr, "bench engine: exec benchmark failed\n");
        goto out;
    }
    print_ratio(ctx, "exec/docker-exec", xb.total_ns, xb.n, cb.total_ns, cb.n);
    rc = 0;
out:
    if (id)
        engine_container_remove(eng, id, true, NULL);
    cr_free(id);
    return rc;
}

int bench_suite_engine(struct bench_ctx *ctx)
{
    struct engine_baseimage_opts io = { 0 };
    struct engine *eng = NULL;
    struct cr_error e = { 0 };
    bool built;
    int rc = 1;

    if (access(DOCKER_CLI, X_OK) != 0) {
        fprintf(stderr,
                "bench engine: %s missing (apt-get install docker.io)\n",
                DOCKER_CLI);
        return 1;
    }
    if (engine_global_init(&e) != ENGINE_OK ||
        engine_open(&eng, NULL, NULL, &e) != ENGINE_OK ||
        engine_baseimage_bootstrap(eng, &io, &built, NULL, &e) != ENGINE_OK) {
        fprintf(stderr, "bench engine: %s\n", e.msg);
        goto out;
    }
    bench_printf(ctx, "# engine %s, API %s\n", engine_host(eng),
                 engine_api_version(eng));
    if (compare_lifecycles(ctx, eng) == 0 && compare_paired(ctx, eng) == 0 &&
        compare_exec(ctx, eng) == 0)
        rc = 0;
out:
    engine_close(eng);
    engine_global_cleanup();
    return rc;
}
