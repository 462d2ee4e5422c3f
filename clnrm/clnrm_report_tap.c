/* clnrm_report_tap: TAP version 13. See clnrm_report_render.h. */
#include "clnrm_report_render.h"

#include "cr_text.h"

#include <string.h>

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

int clnrm__render_tap(const struct clnrm_test_result *r, size_t n,
                      struct cr_buf *out)
{
    int rc = cr_buf_printf(out, "TAP version 13\n1..%zu\n", n);

    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = tap_test(out, i + 1, &r[i]);
    return rc;
}
