/* clnrm_cmd_dryrun: `clnrm dry-run PATH...`, what `run` would do, test by
 * test, containers and all, with nothing started and no engine needed.
 * See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_discover.h"
#include "clnrm_load.h"
#include "clnrm_reap.h"
#include "clnrm_suite.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

const char clnrm_cmd_dryrun_usage[] =
    "usage: clnrm dry-run [options] [PATH...]\n\n"
    "Loads the tests a run would take and prints, for each, the network,\n"
    "the containers (name, image, labels, settings), the readiness checks,\n"
    "the steps and the teardown, in the order `run` does them. Starts\n"
    "nothing and needs no engine.\n\n"
    "  -k, --filter REGEX      only tests whose name matches REGEX\n"
    "      --shard I/N         only the I-th of N shares\n"
    "      --var KEY=VALUE     a template variable (wins over [vars])\n"
    "      --strict            unknown keys are errors\n\n"
    "exit status: 0 every file loaded, 2 a file is invalid\n";

static void plan(FILE *f, size_t index, const struct clnrm_test *t)
{
    bool net = clnrm_test_needs_network(t);
    const struct clnrm_step *main_step = clnrm_test_main_step(t);
    size_t order[CLNRM_MAX_SERVICES];

    fprintf(f, "test %zu: %s (%s)\n", index, t->name, t->path);
    fprintf(f, "  1. network: %s\n",
            net ? "create bridge clnrm-<run>-N, labelled " CLNRM_LABEL_RUN
                  "=<run>"
            : t->security.host_network
                ? "the host's (network_mode = host, --allow-host-network)"
                : "none (one service, nothing published)");
    /* In the order they start: each after those it depends on. */
    if (clnrm_service_order(t, order) != 0)
        for (size_t i = 0; i < CLNRM_MAX_SERVICES; i++)
            order[i] = i;
    for (size_t k = 0; k < t->n_services && k < CLNRM_MAX_SERVICES; k++) {
        const struct clnrm_service *s = &t->services[order[k]];
        fprintf(f,
                "  2. %s container clnrm-<run>-N-%s from %s%s, %s"
                "labels " CLNRM_LABEL_TEST "=%s " CLNRM_LABEL_SERVICE "=%s",
                main_step != NULL ? "create" : "create and start", s->name,
                s->build != NULL ? "an image built from " : "",
                s->build != NULL ? s->build->context : s->image,
                main_step != NULL ? "the step as its command (started in 4.), "
                                  : "",
                t->name, s->name);
        for (size_t d = 0; d < s->depends_on.n; d++)
            fprintf(f, "%s%s %s", d == 0 ? ", once " : " and ",
                    s->depends_on.v[d],
                    clnrm_dep_waits_ready(t, s, d) ? "is ready" : "started");
        fputc('\n', f);
    }
    for (size_t i = 0; i < t->n_services; i++)
        if (t->services[i].ready.kind != CLNRM_READY_NONE)
            fprintf(f, "  3. wait until %s is ready\n", t->services[i].name);
    for (size_t i = 0; i < t->n_steps; i++) {
        /* `run` without --keep-on-failure; dev keeps the exec. */
        fprintf(f,
                main_step != NULL ? "  4. start %s with the step as its main "
                                    "process, wait for its exit: "
                                  : "  4. exec in %s: ",
                clnrm_step_service(t, &t->steps[i])->name);
        clnrm_cmd_explain_argv(f, &t->steps[i].argv);
        fprintf(f, " (expect exit %d)\n", t->steps[i].expected_exit_code);
    }
    fprintf(f, "  5. remove the containers%s\n", net ? " and the network" : "");
    fputs("  settings:\n", f);
    clnrm_cmd_explain(f, t, NULL, 0);
}

/* The plan, with the test's secret values masked. */
static void plan_masked(const struct clnrm_ctx *ctx, size_t index,
                        const struct clnrm_test *t)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    if (mem == NULL)
        return;
    plan(mem, index, t);
    fclose(mem);
    clnrm_cmd_print_masked(ctx->out, t, ctx->masks, ctx->n_masks, text, len);
    free(text); /* open_memstream's buffer comes from malloc */
}

int clnrm_cmd_dryrun(struct clnrm_ctx *ctx, int argc, char **argv)
{
    static const struct option longopts[] = {
        { "strict", no_argument, NULL, 'S' },
        { "filter", required_argument, NULL, 'k' },
        { "shard", required_argument, NULL, 's' },
        { "var", required_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct clnrm_suite_opts so = { 0 };
    const char *vars[CLNRM_MAX_VARS];
    struct clnrm_suite s = { 0 };
    struct clnrm_diags d = { 0 };
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    int c;

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "k:h", longopts, NULL)) != -1) {
        if (c == 'V') {
            if ((c = clnrm_cmd_var(ctx, "dry-run", vars, &so.n_vars, optarg)) >=
                0)
                return c;
        } else if (c == 'S') {
            so.strict = true;
        } else if (c == 'k') {
            so.filter = optarg;
        } else if (c == 's' && clnrm_shard_parse(optarg, &so.shard_index,
                                                 &so.shard_count) == 0) {
            continue;
        } else if (c == 'h') {
            fputs(clnrm_cmd_dryrun_usage, ctx->out);
            return CLNRM_EXIT_OK;
        } else {
            fprintf(ctx->err, "clnrm dry-run: bad option \"%s\"\n",
                    argv[optind - 1]);
            return CLNRM_EXIT_USAGE;
        }
    }
    so.vars = vars;
    so.allow = ctx->allow;
    so.paths = (const char *const *)argv + optind;
    so.npaths = (size_t)(argc - optind);
    rc = clnrm_suite_load(&so, &s, &d, &e);
    clnrm_cmd_print_diags(ctx, &d, false);
    for (size_t i = 0; i < s.n; i++)
        plan_masked(ctx, i + 1, s.tests[i]);
    if (rc == CLNRM_OK && s.discovered == 0)
        rc = clnrm_error_set(&e, CLNRM_E_INPUT, "no *.clnrm.toml files found");
    if (rc != CLNRM_OK)
        fprintf(ctx->err, "clnrm dry-run: %s\n", e.msg);
    else
        fprintf(ctx->out, "dry run: %zu test%s, nothing started\n", s.n,
                s.n == 1 ? "" : "s");
    clnrm_diags_release(&d);
    clnrm_suite_release(&s);
    return rc == CLNRM_OK ? CLNRM_EXIT_OK : CLNRM_EXIT_USAGE;
}
