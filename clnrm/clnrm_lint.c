/* clnrm_lint: the loader's findings and style rules. See clnrm_lint.h. */
#include "clnrm_lint.h"

#include "cr_alloc.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void clnrm_findings_release(struct clnrm_findings *f)
{
    if (f == NULL)
        return;
    cr_free(f->items);
    f->items = NULL;
    f->n = f->cap = 0;
}

static struct clnrm_finding *grow(struct clnrm_findings *fs)
{
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 16;
        struct clnrm_finding *g = cr_realloc(fs->items, cap * sizeof(*g));
        if (g == NULL)
            return NULL;
        fs->items = g;
        fs->cap = cap;
    }
    memset(&fs->items[fs->n], 0, sizeof(fs->items[0]));
    return &fs->items[fs->n++];
}

static enum clnrm_code add(struct clnrm_findings *fs, bool error,
                           const char *file, unsigned line, const char *rule,
                           const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static enum clnrm_code add(struct clnrm_findings *fs, bool error,
                           const char *file, unsigned line, const char *rule,
                           const char *fmt, ...)
{
    struct clnrm_finding *f = grow(fs);
    va_list ap;

    if (f == NULL)
        return CLNRM_E_NOMEM;
    f->error = error;
    snprintf(f->file, sizeof(f->file), "%s", file);
    f->line = line;
    f->col = 1;
    f->rule = rule;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
    va_end(ap);
    return CLNRM_OK;
}

/* Splits "FILE:LINE:COL: message" (FILE may hold ':'); false when the
 * text has no position. */
static bool split_diag(const char *msg, struct clnrm_finding *f)
{
    for (const char *p = strchr(msg, ':'); p != NULL; p = strchr(p + 1, ':')) {
        char *end;
        unsigned long line = strtoul(p + 1, &end, 10), col;
        if (end == p + 1 || *end != ':')
            continue;
        col = strtoul(end + 1, &end, 10);
        if (*end != ':' || end[1] != ' ')
            continue;
        snprintf(f->file, sizeof(f->file), "%.*s", (int)(p - msg), msg);
        f->line = (unsigned)line;
        f->col = (unsigned)col;
        snprintf(f->msg, sizeof(f->msg), "%s", end + 2);
        return true;
    }
    return false;
}

enum clnrm_code clnrm_lint_diags(const struct clnrm_diags *d,
                                 struct clnrm_findings *out)
{
    for (size_t i = 0; d != NULL && i < d->n; i++) {
        const struct clnrm_diag *dg = &d->items[i];
        struct clnrm_finding *f;

        if (dg->level == CLNRM_DIAG_NOTE)
            continue;
        if ((f = grow(out)) == NULL)
            return CLNRM_E_NOMEM;
        f->error = dg->level == CLNRM_DIAG_ERROR;
        f->rule = f->error ? "invalid" : "unknown-key";
        if (!split_diag(dg->msg, f))
            snprintf(f->msg, sizeof(f->msg), "%s", dg->msg);
    }
    return CLNRM_OK;
}

/* An image reference names a tag or a digest after its last '/'. */
static bool image_tagged(const char *image)
{
    const char *slash = strrchr(image, '/');

    return strchr(slash != NULL ? slash : image, ':') != NULL ||
           strchr(image, '@') != NULL;
}

enum clnrm_code clnrm_lint_test(const struct clnrm_test *t,
                                struct clnrm_findings *out)
{
    enum clnrm_code rc = CLNRM_OK;

    if (t->description == NULL || t->description[0] == '\0')
        rc = add(out, false, t->path, 1, "missing-description",
                 "test \"%s\" has no description", t->name);
    for (size_t i = 0; rc == CLNRM_OK && i < t->n_services; i++) {
        const struct clnrm_service *s = &t->services[i];
        if (s->image != NULL && !t->implicit_service && !image_tagged(s->image))
            rc = add(out, false, t->path, s->line, "image-untagged",
                     "service \"%s\": image \"%s\" has no tag; pin one "
                     "(\"%s:1.2\") so runs stay reproducible",
                     s->name, s->image, s->image);
    }
    for (size_t i = 0; rc == CLNRM_OK && i < t->n_steps; i++) {
        const struct clnrm_step *s = &t->steps[i];
        if (s->description == NULL)
            rc = add(out, false, t->path, s->line, "missing-description",
                     "step \"%s\" has no description", s->name);
        if (rc == CLNRM_OK && s->expected_output_regex == NULL &&
            s->expected_output_regex_not == NULL)
            rc = add(out, false, t->path, s->line, "step-no-expectation",
                     "step \"%s\" checks only its exit code; add "
                     "expected_output_regex",
                     s->name);
    }
    return rc;
}

int clnrm_lint_format_parse(const char *s, enum clnrm_lint_format *out)
{
    static const char *const names[] = { "human", "json", "github" };

    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum clnrm_lint_format)i;
            return 0;
        }
    return -1;
}

/* GitHub workflow commands need %, CR and LF escaped in the message, and
 * also ',' and ':' in properties. */
static int gh_escape(struct cr_buf *b, const char *s, bool property)
{
    int rc = 0;

    for (; *s != '\0' && rc == 0; s++) {
        if (*s == '%')
            rc = cr_buf_puts(b, "%25");
        else if (*s == '\r')
            rc = cr_buf_puts(b, "%0D");
        else if (*s == '\n')
            rc = cr_buf_puts(b, "%0A");
        else if (property && *s == ':')
            rc = cr_buf_puts(b, "%3A");
        else if (property && *s == ',')
            rc = cr_buf_puts(b, "%2C");
        else
            rc = cr_buf_putc(b, *s);
    }
    return rc;
}

static int render_json(struct cr_buf *out, const struct clnrm_findings *fs)
{
    cJSON *arr = cJSON_CreateArray();
    char *text;
    int rc = -1;

    for (size_t i = 0; arr != NULL && i < fs->n; i++) {
        const struct clnrm_finding *x = &fs->items[i];
        cJSON *o = cJSON_CreateObject();
        /* Once in the array, o is freed with it. */
        if (o == NULL || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            cJSON_Delete(arr);
            return -1;
        }
        if (!cJSON_AddStringToObject(o, "file", x->file) ||
            !cJSON_AddNumberToObject(o, "line", x->line) ||
            !cJSON_AddNumberToObject(o, "col", x->col) ||
            !cJSON_AddStringToObject(o, "level",
                                     x->error ? "error" : "warning") ||
            !cJSON_AddStringToObject(o, "rule", x->rule) ||
            !cJSON_AddStringToObject(o, "message", x->msg)) {
            cJSON_Delete(arr);
            return -1;
        }
    }
    if (arr != NULL && (text = cJSON_Print(arr)) != NULL) {
        rc = cr_buf_puts(out, text) || cr_buf_putc(out, '\n') ? -1 : 0;
        cJSON_free(text);
    }
    cJSON_Delete(arr);
    return rc;
}

int clnrm_lint_render(struct cr_buf *out, enum clnrm_lint_format fmt,
                      const struct clnrm_findings *fs)
{
    int rc = 0;

    if (fmt == CLNRM_LINT_JSON)
        return render_json(out, fs);
    for (size_t i = 0; rc == 0 && i < fs->n; i++) {
        const struct clnrm_finding *x = &fs->items[i];
        const char *level = x->error ? "error" : "warning";
        if (fmt == CLNRM_LINT_HUMAN) {
            rc = cr_buf_printf(out, "%s:%u:%u: %s: %s [%s]\n", x->file, x->line,
                               x->col, level, x->msg, x->rule) < 0;
            continue;
        }
        rc = cr_buf_printf(out, "::%s file=", level) < 0 ||
             gh_escape(out, x->file, true) ||
             cr_buf_printf(out, ",line=%u,col=%u,title=%s::", x->line, x->col,
                           x->rule) < 0 ||
             gh_escape(out, x->msg, false) || cr_buf_putc(out, '\n');
    }
    return rc ? -1 : 0;
}
