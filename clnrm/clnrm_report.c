/* clnrm_report: text helpers, the human summary and TAP. */
#include "clnrm_report.h"
#include "clnrm_report_int.h"

#include "cr_fs.h"
#include "cr_text.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>

int clnrm_report_excerpt(struct cr_buf *out, const char *s, size_t len,
                         const char *indent, size_t max_lines, size_t max_bytes)
{
    size_t used = 0, lines = 0;

    while (used < len && lines < max_lines && used < max_bytes) {
        const char *nl = memchr(s + used, '\n', len - used);
        size_t n = nl != NULL ? (size_t)(nl - (s + used)) : len - used;
        if (n > max_bytes - used)
            n = max_bytes - used;
        if (cr_buf_puts(out, indent) != 0 ||
            cr_utf8_sanitize(out, s + used, n) != 0 ||
            cr_buf_putc(out, '\n') != 0)
            return -1;
        used += n + (nl != NULL && s + used + n == nl ? 1 : 0);
        lines++;
    }
    if (used < len &&
        cr_buf_printf(out, "%s... (%zu more bytes)\n", indent, len - used))
        return -1;
    return 0;
}

int clnrm_report_parse_format(const char *s, enum clnrm_report_format *out)
{
    static const char *const names[] = { "human", "json", "junit", "tap" };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (enum clnrm_report_format)i;
            return 0;
        }
    }
    return -1;
}

/* ---------------------------------------------------------------------- */
/* Human summary                                                           */

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

static int render_human(const struct clnrm_test_result *r, size_t n,
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

/* ---------------------------------------------------------------------- */
/* TAP 13                                                                  */

/* A YAML double-quoted scalar (JSON escaping is valid YAML). */
static int yaml_quote(struct cr_buf *out, const char *s)
{
    struct cr_buf clean = { 0 };
    int rc = cr_utf8_sanitize(&clean, s, strlen(s)) || cr_buf_putc(out, '"');

    for (const char *p = cr_buf_str(&clean); rc == 0 && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            rc = cr_buf_printf(out, "\\%c", c);
        else if (c == '\n')
            rc = cr_buf_puts(out, "\\n");
        else if (c < 0x20 || c == 0x7F)
            rc = cr_buf_printf(out, "\\x%02x", c);
        else
            rc = cr_buf_putc(out, (char)c);
    }
    cr_buf_release(&clean);
    return rc == 0 ? cr_buf_putc(out, '"') : -1;
}

static int tap_test(struct cr_buf *out, size_t num,
                    const struct clnrm_test_result *r)
{
    bool ok = r->status == CLNRM_STATUS_PASS || r->status == CLNRM_STATUS_SKIP;
    int rc = cr_buf_printf(out, "%sok %zu - ", ok ? "" : "not ", num);

    /* '#' would start a TAP directive inside the description. */
    for (const char *p = r->test->name; rc == 0 && *p; p++)
        rc = cr_buf_putc(out, *p == '#' || *p == '\n' ? '_' : *p);
    if (rc == 0 && r->status == CLNRM_STATUS_SKIP)
        rc = cr_buf_printf(out, " # SKIP %s", r->message);
    if (rc == 0)
        rc = cr_buf_putc(out, '\n');
    if (rc != 0 || ok)
        return rc;
    rc = cr_buf_printf(out, "  ---\n  status: %s\n  file: ",
                       clnrm_status_name(r->status)) ||
         yaml_quote(out, r->test->path) || cr_buf_puts(out, "\n  message: ") ||
         yaml_quote(out, r->message) ||
         cr_buf_printf(out, "\n  duration_ms: %llu\n  steps:\n",
                       (unsigned long long)r->duration_ms);
    for (size_t i = 0; rc == 0 && i < r->n_steps; i++) {
        const struct clnrm_step_result *sr = &r->steps[i];
        rc = cr_buf_puts(out, "    - name: ") ||
             yaml_quote(out, sr->step->name) ||
             cr_buf_printf(out, "\n      status: %s\n      exit_code: %d\n",
                           clnrm_status_name(sr->status), sr->exit_code) ||
             (sr->message[0] != '\0' &&
              (cr_buf_puts(out, "      message: ") ||
               yaml_quote(out, sr->message) || cr_buf_putc(out, '\n')));
    }
    return rc == 0 ? cr_buf_puts(out, "  ...\n") : -1;
}

static int render_tap(const struct clnrm_test_result *r, size_t n,
                      struct cr_buf *out)
{
    int rc = cr_buf_printf(out, "TAP version 13\n1..%zu\n", n);

    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = tap_test(out, i + 1, &r[i]);
    return rc;
}

/* ---------------------------------------------------------------------- */

enum clnrm_code clnrm_report_render(enum clnrm_report_format fmt,
                                    const struct clnrm_test_result *r, size_t n,
                                    const struct clnrm_totals *tot, bool color,
                                    struct cr_buf *out, struct cr_error *err)
{
    int rc;

    switch (fmt) {
    case CLNRM_REPORT_JSON:
        rc = clnrm__render_json(r, n, tot, out);
        break;
    case CLNRM_REPORT_JUNIT:
        rc = clnrm__render_junit(r, n, tot, out);
        break;
    case CLNRM_REPORT_TAP:
        rc = render_tap(r, n, out);
        break;
    default:
        rc = render_human(r, n, tot, color, out);
        break;
    }
    return rc == 0 ? CLNRM_OK
                   : clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
}

enum clnrm_code clnrm_report_write_junit(const char *path,
                                         const struct clnrm_test_result *r,
                                         size_t n,
                                         const struct clnrm_totals *tot,
                                         struct cr_error *err)
{
    struct cr_buf xml = { 0 };
    enum clnrm_code rc;

    rc = clnrm_report_render(CLNRM_REPORT_JUNIT, r, n, tot, false, &xml, err);
    if (rc == CLNRM_OK &&
        cr_fs_write_atomic(path, xml.data, xml.len, 0644) != 0)
        rc = clnrm_error_set(err, CLNRM_E_IO, "cannot write %s: %s", path,
                             strerror(errno));
    cr_buf_release(&xml);
    return rc;
}
