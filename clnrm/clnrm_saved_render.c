/* clnrm_saved_render: Markdown and the comparison of two saved results.
 * See clnrm_saved.h. */
#include "clnrm_saved.h"

#include <stdarg.h>
#include <string.h>

/* Table cells: '|' escaped, line breaks as blanks, at most 200 bytes. */
static int cell(struct cr_buf *b, const char *s)
{
    int rc = 0;
    size_t n = 0;

    for (; *s != '\0' && rc == 0 && n < 200; s++, n++) {
        if (*s == '|')
            rc = cr_buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r')
            rc = cr_buf_putc(b, ' ');
        else
            rc = cr_buf_putc(b, *s);
    }
    return rc || (*s != '\0' && cr_buf_puts(b, "…"));
}

static int md_test(const struct clnrm_test_result *r, struct cr_buf *out)
{
    int rc = cr_buf_printf(out,
                           "\n### %s\n\n| Step | Status | Exit | Message |\n"
                           "|---|---|---|---|\n",
                           r->test->name);

    for (size_t i = 0; rc == 0 && i < r->n_steps; i++) {
        const struct clnrm_step_result *s = &r->steps[i];
        rc = cr_buf_puts(out, "| ") || cell(out, s->step->name) ||
             cr_buf_printf(out, " | %s | %d | ", clnrm_status_name(s->status),
                           s->exit_code) ||
             cell(out, s->message) || cr_buf_puts(out, " |\n");
    }
    if (rc == 0 && r->message[0] != '\0')
        rc = cr_buf_puts(out, "\n") || cell(out, r->message) ||
             cr_buf_puts(out, "\n");
    return rc;
}

int clnrm_saved_markdown(const struct clnrm_test_result *r, size_t n,
                         const struct clnrm_totals *t, struct cr_buf *out)
{
    int rc = cr_buf_printf(
        out,
        "# clnrm results\n\n%zu tests: %zu passed, %zu failed, %zu timed "
        "out, %zu errors, %zu skipped (%.1f s)\n\n"
        "| Test | File | Status | Time |\n|---|---|---|---|\n",
        t->tests, t->passed, t->failed, t->timeouts, t->errors, t->skipped,
        (double)t->duration_ms / 1000.0);

    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = cr_buf_puts(out, "| ") || cell(out, r[i].test->name) ||
             cr_buf_puts(out, " | ") || cell(out, r[i].test->path) ||
             cr_buf_printf(out, " | %s | %.3f s |\n",
                           clnrm_status_name(r[i].status),
                           (double)r[i].duration_ms / 1000.0);
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (r[i].status != CLNRM_STATUS_PASS)
            rc = md_test(&r[i], out);
    return rc;
}

/* A line of the diff; out of memory only shortens the text, the count of
 * differences (the exit status) stays right. */
static void line(struct cr_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void line(struct cr_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)!cr_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

static const struct clnrm_test_result *find(const struct clnrm_saved *s,
                                            const struct clnrm_test *t)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->tests[i]->name, t->name) == 0 &&
            strcmp(s->tests[i]->path, t->path) == 0)
            return &s->results[i];
    return NULL;
}

static size_t diff_steps(struct cr_buf *f, const struct clnrm_test_result *x,
                         const struct clnrm_test_result *y)
{
    size_t d = 0, n = x->n_steps > y->n_steps ? x->n_steps : y->n_steps;

    for (size_t i = 0; i < n; i++) {
        const struct clnrm_step_result *a =
            i < x->n_steps ? &x->steps[i] : NULL;
        const struct clnrm_step_result *b =
            i < y->n_steps ? &y->steps[i] : NULL;
        if (a == NULL || b == NULL) {
            line(f, "~ %s: step %zu \"%s\" only in %s\n", x->test->name, i + 1,
                 a != NULL ? a->step->name : b->step->name,
                 a != NULL ? "the baseline" : "the new result");
            d++;
        } else if (strcmp(a->step->name, b->step->name) != 0 ||
                   a->status != b->status || a->exit_code != b->exit_code) {
            line(f,
                 "~ %s: step %zu \"%s\": %s, exit %d -> \"%s\": %s, "
                 "exit %d\n",
                 x->test->name, i + 1, a->step->name,
                 clnrm_status_name(a->status), a->exit_code, b->step->name,
                 clnrm_status_name(b->status), b->exit_code);
            d++;
        }
    }
    return d;
}

size_t clnrm_saved_diff(struct cr_buf *f, const struct clnrm_saved *a,
                        const struct clnrm_saved *b)
{
    size_t d = 0;

    for (size_t i = 0; i < a->n; i++) {
        const struct clnrm_test_result *x = &a->results[i];
        const struct clnrm_test_result *y = find(b, x->test);
        if (y == NULL) {
            line(f, "- %s (%s): only in the baseline\n", x->test->name,
                 x->test->path);
            d++;
            continue;
        }
        if (x->status != y->status) {
            line(f, "~ %s (%s): %s -> %s\n", x->test->name, x->test->path,
                 clnrm_status_name(x->status), clnrm_status_name(y->status));
            d++;
        }
        d += diff_steps(f, x, y);
    }
    for (size_t i = 0; i < b->n; i++)
        if (find(a, b->tests[i]) == NULL) {
            line(f, "+ %s (%s): only in the new result\n", b->tests[i]->name,
                 b->tests[i]->path);
            d++;
        }
    return d;
}
