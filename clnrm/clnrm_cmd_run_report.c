/* clnrm_cmd_run_report: what `clnrm run` prints and writes once the
 * suite ran: the report (stdout and the --report-* files), how to reach
 * kept containers, --stats. See clnrm_cmd.h. */
#include "clnrm_cmd.h"

#include "clnrm_mask.h"
#include "clnrm_report.h"
#include "cr_fs.h"
#include "engine.h"

#include <errno.h>
#include <string.h>

/* --report-junit / --report-json FILE: rendered, masked, written
 * atomically, so a failed write leaves the old file whole and no
 * temporary behind; the message says why the report is missing. */
static int write_file(struct clnrm_ctx *ctx, const struct clnrm_mask *m,
                      enum clnrm_report_format fmt, const char *path,
                      const struct clnrm_test_result *res, size_t n,
                      const struct clnrm_totals *tot)
{
    struct cr_buf out = { 0 };
    struct cr_error e = { 0 };
    int rc = 0;

    if (clnrm_report_render(fmt, res, n, tot, false, &out, &e) != CLNRM_OK ||
        clnrm_mask_apply(m, &out) < 0) {
        fprintf(ctx->err, "clnrm: report %s not written: %s\n", path,
                e.msg[0] ? e.msg : "out of memory");
        rc = -1;
    } else if ((rc = cr_fs_write_atomic(path, cr_buf_str(&out), out.len,
                                        0644)) != 0) {
        fprintf(ctx->err, "clnrm: report %s not written: %s\n", path,
                strerror(-rc));
    }
    cr_buf_release(&out);
    return rc != 0;
}

int clnrm_cmd_run_report(struct clnrm_ctx *ctx, enum clnrm_report_format fmt,
                         const char *junit_path, const char *json_path,
                         const struct clnrm_mask *m,
                         const struct clnrm_test_result *res, size_t n,
                         const struct clnrm_totals *tot)
{
    struct cr_buf out = { 0 };
    struct cr_error e = { 0 };
    int status = CLNRM_EXIT_OK;

    if (clnrm_report_render(fmt, res, n, tot, ctx->color, &out, &e) !=
            CLNRM_OK ||
        clnrm_mask_apply(m, &out) < 0) {
        fprintf(ctx->err, "clnrm: cannot render the report: %s\n",
                e.msg[0] ? e.msg : "out of memory");
        status = CLNRM_EXIT_ENV;
    } else {
        fwrite(cr_buf_str(&out), 1, out.len, ctx->out);
    }
    /* A report that did not reach stdout (full disk, closed pipe) must not
     * look like success to CI. */
    if (fflush(ctx->out) != 0 || ferror(ctx->out)) {
        fprintf(ctx->err, "clnrm: cannot write the report to stdout: %s\n",
                strerror(errno));
        status = CLNRM_EXIT_ENV;
    }
    cr_buf_release(&out);
    if (junit_path != NULL &&
        write_file(ctx, m, CLNRM_REPORT_JUNIT, junit_path, res, n, tot))
        status = CLNRM_EXIT_ENV;
    if (json_path != NULL &&
        write_file(ctx, m, CLNRM_REPORT_JSON, json_path, res, n, tot))
        status = CLNRM_EXIT_ENV;
    return status;
}

/* How to reach what --keep-on-failure kept, one line per container. */
void clnrm_cmd_run_print_kept(struct clnrm_ctx *ctx,
                              const struct clnrm_test_result *r, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!r[i].kept)
            continue;
        fprintf(ctx->err, "kept test \"%s\" (network %s):\n", r[i].test->name,
                clnrm_test_needs_network(r[i].test) ? r[i].kept_prefix
                                                    : "none");
        for (size_t k = 0; k < r[i].test->n_services; k++)
            fprintf(ctx->err, "  docker exec -it %s-%s sh\n", r[i].kept_prefix,
                    r[i].test->services[k].name);
    }
    for (size_t i = 0; i < n; i++)
        if (r[i].kept) {
            fputs("remove them with: clnrm clean\n", ctx->err);
            break;
        }
}

/* --stats: the engine calls of the tests, by kind, then per test. */
void clnrm_cmd_run_print_stats(struct clnrm_ctx *ctx,
                               const struct clnrm_test_result *res, size_t n)
{
    struct engine_calls sum = { 0 };
    uint32_t total;

    for (size_t i = 0; i < n; i++)
        engine_calls_add(&sum, &res[i].calls);
    total = engine_calls_total(&sum);
    fprintf(ctx->err, "engine calls: %u for %zu test(s), %.1f per test\n",
            total, n, n > 0 ? (double)total / (double)n : 0.0);
    for (int k = 0; k < ENGINE_CALL__COUNT; k++)
        if (sum.n[k] > 0)
            fprintf(ctx->err, "  %-18s %6u  %.1f per test\n",
                    engine_call_name((enum engine_call)k), sum.n[k],
                    n > 0 ? (double)sum.n[k] / (double)n : 0.0);
}
