/* clnrm_report_junit: JUnit XML. See clnrm_report_render.h. */
#include "clnrm_report_render.h"

#include "clnrm_report_excerpt.h"
#include "cr_text.h"

#include <string.h>
#include <time.h>

static int xml_attr(struct cr_buf *out, const char *name, const char *value)
{
    return cr_buf_printf(out, " %s=\"", name) ||
           cr_xml_escape(out, value, strlen(value)) || cr_buf_putc(out, '"');
}

static int xml_text(struct cr_buf *out, const char *tag, const char *s,
                    size_t len)
{
    if (len == 0)
        return 0;
    return cr_buf_printf(out, "      <%s>", tag) ||
           cr_xml_escape(out, s, len) || cr_buf_printf(out, "</%s>\n", tag);
}

static int failure_body(struct cr_buf *body, const struct clnrm_step_result *sr)
{
    const struct clnrm_step *s = sr->step;
    int rc = cr_buf_printf(body, "%s\nexpected exit code: %d\n", sr->message,
                           s->expected_exit_code);

    if (rc == 0 && sr->exit_code >= 0)
        rc = cr_buf_printf(body, "actual exit code: %d\n", sr->exit_code);
    if (rc == 0 && s->expected_output_regex != NULL)
        rc = cr_buf_printf(body, "expected output regex: %s\n",
                           s->expected_output_regex);
    if (rc == 0 && s->expected_output_regex_not != NULL)
        rc = cr_buf_printf(body, "forbidden output regex: %s\n",
                           s->expected_output_regex_not);
    if (rc == 0 && sr->out.len > 0)
        rc = cr_buf_puts(body, "actual stdout:\n") ||
             clnrm_report_excerpt(body, sr->out.data, sr->out.len, "  ", 40,
                                  4000);
    if (rc == 0 && sr->err.len > 0)
        rc = cr_buf_puts(body, "actual stderr:\n") ||
             clnrm_report_excerpt(body, sr->err.data, sr->err.len, "  ", 40,
                                  4000);
    return rc;
}

static int junit_outcome(struct cr_buf *out, const struct clnrm_step_result *sr)
{
    struct cr_buf body = { 0 };
    const char *tag;
    int rc;

    switch (sr->status) {
    case CLNRM_STATUS_PASS:
        return 0;
    case CLNRM_STATUS_SKIP:
        return cr_buf_puts(out, "      <skipped") ||
               xml_attr(out, "message", sr->message) ||
               cr_buf_puts(out, "/>\n");
    case CLNRM_STATUS_ERROR:
        tag = "error";
        break;
    default:
        tag = "failure";
        break;
    }
    rc = failure_body(&body, sr) || cr_buf_printf(out, "      <%s", tag) ||
         xml_attr(out, "message", sr->message) ||
         xml_attr(out, "type", clnrm_status_name(sr->status)) ||
         cr_buf_putc(out, '>') ||
         cr_xml_escape(out, body.data ? body.data : "", body.len) ||
         cr_buf_printf(out, "</%s>\n", tag);
    cr_buf_release(&body);
    return rc;
}

static int junit_step(struct cr_buf *out, const struct clnrm_test_result *r,
                      const struct clnrm_step_result *sr)
{
    return cr_buf_puts(out, "    <testcase") ||
           xml_attr(out, "name", sr->step->name) ||
           xml_attr(out, "classname", r->test->name) ||
           xml_attr(out, "file", r->test->path) ||
           cr_buf_printf(out, " time=\"%.3f\">\n", sr->duration_ms / 1000.0) ||
           junit_outcome(out, sr) ||
           xml_text(out, "system-out", sr->out.data, sr->out.len) ||
           xml_text(out, "system-err", sr->err.data, sr->err.len) ||
           cr_buf_puts(out, "    </testcase>\n");
}

/* A test that never reached its steps gets one "setup" testcase. */
static bool setup_failed(const struct clnrm_test_result *r)
{
    if (r->status != CLNRM_STATUS_ERROR && r->status != CLNRM_STATUS_TIMEOUT)
        return false;
    for (size_t i = 0; i < r->n_steps; i++)
        if (r->steps[i].status != CLNRM_STATUS_SKIP)
            return false;
    return true;
}

struct counts {
    size_t tests, failures, errors, skipped;
};

static struct counts count_test(const struct clnrm_test_result *r)
{
    struct counts c = { 0 };

    if (setup_failed(r) || r->n_steps == 0) {
        c.tests = 1;
        if (r->status == CLNRM_STATUS_SKIP)
            c.skipped = 1;
        else if (r->status == CLNRM_STATUS_ERROR)
            c.errors = 1;
        else if (r->status != CLNRM_STATUS_PASS)
            c.failures = 1;
        return c;
    }
    for (size_t i = 0; i < r->n_steps; i++) {
        enum clnrm_status s = r->steps[i].status;
        c.tests++;
        c.failures += s == CLNRM_STATUS_FAIL || s == CLNRM_STATUS_TIMEOUT;
        c.errors += s == CLNRM_STATUS_ERROR;
        c.skipped += s == CLNRM_STATUS_SKIP;
    }
    return c;
}

static int junit_counts(struct cr_buf *out, struct counts c, uint64_t ms)
{
    return cr_buf_printf(out,
                         " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" "
                         "skipped=\"%zu\" time=\"%.3f\"",
                         c.tests, c.failures, c.errors, c.skipped, ms / 1000.0);
}

static int junit_setup_case(struct cr_buf *out,
                            const struct clnrm_test_result *r)
{
    const char *tag = r->status == CLNRM_STATUS_SKIP    ? "skipped"
                      : r->status == CLNRM_STATUS_ERROR ? "error"
                                                        : "failure";

    return cr_buf_puts(out, "    <testcase name=\"setup\"") ||
           xml_attr(out, "classname", r->test->name) ||
           cr_buf_printf(out, " time=\"%.3f\">\n      <%s",
                         r->duration_ms / 1000.0, tag) ||
           xml_attr(out, "message", r->message) ||
           xml_attr(out, "type", clnrm_status_name(r->status)) ||
           cr_buf_puts(out, "/>\n    </testcase>\n");
}

static int junit_suite(struct cr_buf *out, const struct clnrm_test_result *r)
{
    char stamp[32] = "1970-01-01T00:00:00";
    time_t secs = (time_t)(r->started_wall_ms / 1000);
    struct tm tm;
    int rc;

    if (gmtime_r(&secs, &tm) != NULL)
        strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
    rc = cr_buf_puts(out, "  <testsuite") ||
         xml_attr(out, "name", r->test->name) ||
         xml_attr(out, "file", r->test->path) ||
         xml_attr(out, "timestamp", stamp) ||
         junit_counts(out, count_test(r), r->duration_ms) ||
         cr_buf_puts(out, ">\n");
    if (rc == 0 && (setup_failed(r) || r->n_steps == 0))
        rc = junit_setup_case(out, r);
    else
        for (size_t i = 0; rc == 0 && i < r->n_steps; i++)
            rc = junit_step(out, r, &r->steps[i]);
    return rc == 0 ? cr_buf_puts(out, "  </testsuite>\n") : -1;
}

int clnrm__render_junit(const struct clnrm_test_result *r, size_t n,
                        const struct clnrm_totals *tot, struct cr_buf *out)
{
    struct counts all = { 0 };
    int rc;

    for (size_t i = 0; i < n; i++) {
        struct counts c = count_test(&r[i]);
        all.tests += c.tests;
        all.failures += c.failures;
        all.errors += c.errors;
        all.skipped += c.skipped;
    }
    rc = cr_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<testsuites name=\"clnrm\"") ||
         junit_counts(out, all, tot->duration_ms) || cr_buf_puts(out, ">\n");
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = junit_suite(out, &r[i]);
    return rc == 0 ? cr_buf_puts(out, "</testsuites>\n") : -1;
}
