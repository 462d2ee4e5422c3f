/* clnrm_report_human: the human summary. See clnrm_report_render.h. */
#include "clnrm_report_render.h"

#include "clnrm_report_excerpt.h"

#include <string.h>

#define RED(c)    ((c) ? "\033[31m" : "")
#define GREEN(c)  ((c) ? "\033[32m" : "")
#define YELLOW(c) ((c) ? "\033[33m" : "")
#define BOLD(c)   ((c) ? "\033[1m" : "")
#define RESET(c)  ((c) ? "\033[0m" : "")

static int human_argv(struct cr_buf *out, const struct cr_strv *argv)
{
    int rc = cr_buf_puts(out, "      command:");

    for (size_t i = 0; rc == 0 && i < argv->n; i++)
        rc = strpbrk(argv->v[i], " \t\"'") != NULL || argv->v[i][0] == '\0'
                 ? cr_buf_printf(out, " '%s'", argv->v[i])
                 : cr_buf_printf(out, " %s", argv->v[i]);
    return rc == 0 ? cr_buf_putc(out, '\n') : -1;
}

static int human_step(struct cr_buf *out, const struct clnrm_step_result *sr,
                      bool color)
{
    const struct clnrm_step *s = sr->step;
    int rc;

    rc = cr_buf_printf(out, "    %sstep \"%s\" %s%s (%.3f s): %s\n", RED(color),
                       s->name, clnrm_status_name(sr->status), RESET(color),
                       sr->duration_ms / 1000.0, sr->message);
    if (rc == 0 && s->description != NULL)
        rc = cr_buf_printf(out, "      about:    %s\n", s->description);
    if (rc == 0)
        rc = human_argv(out, &s->argv);
    if (rc == 0)
        rc = cr_buf_printf(
            out, "      expected: exit code %d%s%s%s%s%s\n",
            s->expected_exit_code, s->expected_output_regex ? ", output /" : "",
            s->expected_output_regex ? s->expected_output_regex : "",
            s->expected_output_regex ? "/" : "",
            s->expected_output_regex_not ? ", not /" : "",
            s->expected_output_regex_not ? s->expected_output_regex_not : "");
    if (rc == 0 && sr->exit_code >= 0)
        rc =
            cr_buf_printf(out, "      actual:   exit code %d\n", sr->exit_code);
    if (rc == 0 && sr->out.len > 0)
        rc = cr_buf_puts(out, "      stdout:\n") ||
             clnrm_report_excerpt(out, sr->out.data, sr->out.len, "        | ",
                                  20, 2000);
    if (rc == 0 && sr->err.len > 0)
        rc = cr_buf_puts(out, "      stderr:\n") ||
             clnrm_report_excerpt(out, sr->err.data, sr->err.len, "        | ",
                                  20, 2000);
    return rc;
}

static int human_failure(struct cr_buf *out, const struct clnrm_test_result *r,
                         bool color)
{
    int rc = cr_buf_printf(out, "%s%s%s %s (%s) %.3f s\n", RED(color),
                           r->status == CLNRM_STATUS_TIMEOUT ? "TIMEOUT"
                           : r->status == CLNRM_STATUS_ERROR ? "ERROR"
                                                             : "FAILED",
                           RESET(color), r->test->name, r->test->path,
                           r->duration_ms / 1000.0);
    bool any_step = false;

    for (size_t i = 0; rc == 0 && i < r->n_steps; i++) {
        const struct clnrm_step_result *sr = &r->steps[i];
        if (sr->status == CLNRM_STATUS_PASS || sr->status == CLNRM_STATUS_SKIP)
            continue;
        any_step = true;
        rc = human_step(out, sr, color);
    }
    if (rc == 0 && !any_step)
        rc = cr_buf_printf(out, "    %s\n", r->message);
    return rc;
}

int clnrm__render_human(const struct clnrm_test_result *r, size_t n,
                        const struct clnrm_totals *tot, bool color,
                        struct cr_buf *out)
{
    int rc = 0;
    bool any = false;

    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (r[i].status == CLNRM_STATUS_PASS ||
            r[i].status == CLNRM_STATUS_SKIP)
            continue;
        if (!any)
            rc = cr_buf_printf(out, "\n%sFailures:%s\n", BOLD(color),
                               RESET(color));
        any = true;
        if (rc == 0)
            rc = human_failure(out, &r[i], color);
    }
    if (rc == 0)
        rc = cr_buf_printf(
            out,
            "\n%s%zu tests: %s%zu passed%s, %s%zu failed%s, %zu timed out, "
            "%zu errors, %zu skipped%s in %.2f s\n",
            BOLD(color), tot->tests, GREEN(color), tot->passed, RESET(color),
            tot->failed ? RED(color) : "", tot->failed, RESET(color),
            tot->timeouts, tot->errors, tot->skipped, RESET(color),
            tot->duration_ms / 1000.0);
    return rc;
}
