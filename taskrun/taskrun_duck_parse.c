/*
 * taskrun_duck_parse: duckscript text -> the interpreter's lines (words,
 * quoting, escapes, assignments, labels) with every block keyword linked to
 * its partners (if/elseif/else/end, for/end, while/end, fn/end).
 */
#include "cr_alloc.h"
#include "taskrun_duck_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void taskrun_duck__lines_release(struct taskrun_duck *d)
{
    for (size_t i = 0; i < d->nlines; i++) {
        cr_free(d->lines[i].label);
        cr_free(d->lines[i].out);
        cr_strv_release(&d->lines[i].argv);
    }
    cr_free(d->lines);
    d->lines = NULL;
    d->nlines = 0;
}

struct parser {
    struct taskrun_duck *d;
    struct cr_error *err;
    unsigned no;
};

static enum taskrun_code perr(struct parser *p, const char *fmt, const char *a)
{
    char m[300];
    snprintf(m, sizeof(m), fmt, a);
    return taskrun_error_set(p->err, TASKRUN_E_LOAD, "%s:%u: %s", p->d->name,
                             p->no, m);
}

static char unescape(char c)
{
    switch (c) {
    case 'n':
        return '\n';
    case 't':
        return '\t';
    case 'r':
        return '\r';
    case '$':
        return DUCK_ESC_DOLLAR;
    case '%':
        return DUCK_ESC_PERCENT;
    default:
        return c;
    }
}

/* Splits s (one line, no newline) into words: whitespace separates,
 * "..." quotes, backslash escapes, a word starting with # ends the line. */
static enum taskrun_code split_words(struct parser *p, const char *s,
                                     struct cr_strv *words)
{
    struct cr_buf w = { 0 };
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (!*s || *s == '#')
            break;
        cr_buf_reset(&w);
        bool any = false;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r') {
            int rc = 0;
            if (*s == '"') {
                any = true;
                for (s++; *s && *s != '"'; s++) {
                    if (*s == '\\' && s[1])
                        s++, rc |= cr_buf_putc(&w, unescape(*s));
                    else
                        rc |= cr_buf_putc(&w, *s);
                }
                if (!*s) {
                    cr_buf_release(&w);
                    return perr(p, "unterminated string%s", "");
                }
                s++;
            } else if (*s == '\\' && s[1]) {
                rc = cr_buf_putc(&w, unescape(s[1]));
                s += 2;
            } else {
                rc = cr_buf_putc(&w, *s++);
            }
            if (rc) {
                cr_buf_release(&w);
                return TASKRUN_E_NOMEM;
            }
        }
        (void)any;
        if (cr_strv_push(words, cr_buf_str(&w)) != 0) {
            cr_buf_release(&w);
            return TASKRUN_E_NOMEM;
        }
    }
    cr_buf_release(&w);
    return TASKRUN_OK;
}

static enum duck_kind kind_of(const char *cmd)
{
    static const struct {
        const char *name;
        enum duck_kind k;
    } kw[] = { { "if", K_IF },       { "elseif", K_ELSEIF },
               { "elif", K_ELSEIF }, { "else", K_ELSE },
               { "end", K_END },     { "for", K_FOR },
               { "while", K_WHILE }, { "fn", K_FN },
               { "function", K_FN } };
    for (size_t i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
        if (strcmp(kw[i].name, cmd) == 0)
            return kw[i].k;
    return K_CMD;
}

static enum taskrun_code parse_line(struct parser *p, const char *s,
                                    struct duck_line *l)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    if (*s == '!') {
        size_t n = strcspn(s, " \t\r");
        char word[64];
        snprintf(word, sizeof(word), "%.*s", (int)(n < 60 ? n : 60), s);
        return perr(p, "preprocessor line \"%s\" is not supported", word);
    }
    if (*s == ':') {
        size_t n = strcspn(s, " \t\r");
        l->label = cr_malloc(n + 1);
        if (!l->label)
            return TASKRUN_E_NOMEM;
        memcpy(l->label, s, n);
        l->label[n] = '\0';
        s += n;
    }
    struct cr_strv w = { 0 };
    enum taskrun_code rc = split_words(p, s, &w);
    if (rc) {
        cr_strv_release(&w);
        return rc;
    }
    size_t skip = 0;
    if (w.n >= 2 && strcmp(w.v[1], "=") == 0) {
        if (w.n < 3) {
            cr_strv_release(&w);
            return perr(p, "assignment to \"%s\" names no command", w.v[0]);
        }
        l->out = w.v[0];
        w.v[0] = NULL;
        cr_free(w.v[1]);
        skip = 2;
    }
    for (size_t i = skip; i < w.n && !rc; i++) {
        if (cr_strv_push_take(&l->argv, w.v[i]) != 0)
            rc = TASKRUN_E_NOMEM;
        w.v[i] = NULL;
    }
    for (size_t i = 0; i < w.n; i++)
        if (i >= skip)
            cr_free(w.v[i]);
    cr_free(w.v);
    if (rc)
        return rc;
    l->kind = l->argv.n ? kind_of(l->argv.v[0]) : K_NOP;
    if (l->out && l->kind != K_CMD)
        return perr(p, "\"%s\" cannot be assigned", l->argv.v[0]);
    return TASKRUN_OK;
}

/* Links every block keyword to its partners; stack holds opener lines. */
static enum taskrun_code link_blocks(struct parser *p)
{
    struct taskrun_duck *d = p->d;
    size_t *stack = cr_malloc((d->nlines + 1) * sizeof(*stack));
    size_t *last = cr_malloc((d->nlines + 1) * sizeof(*last));
    size_t top = 0;
    enum taskrun_code rc = TASKRUN_OK;
    if (!stack || !last)
        rc = TASKRUN_E_NOMEM;
    for (size_t i = 0; i < d->nlines && !rc; i++) {
        struct duck_line *l = &d->lines[i];
        p->no = l->no;
        switch (l->kind) {
        case K_IF:
        case K_FOR:
        case K_WHILE:
        case K_FN:
            if (l->kind == K_FN &&
                (l->argv.n < 2 ||
                 (strcmp(l->argv.v[1], "<scope>") == 0 && l->argv.n < 3))) {
                rc = perr(p, "fn needs a name%s", "");
                break;
            }
            if (l->kind == K_FOR &&
                (l->argv.n < 3 || strcmp(l->argv.v[2], "in") != 0)) {
                rc = perr(p, "expected \"for NAME in VALUES\"%s", "");
                break;
            }
            l->scoped = l->kind == K_FN && strcmp(l->argv.v[1], "<scope>") == 0;
            last[top] = i;
            stack[top++] = i;
            break;
        case K_ELSEIF:
        case K_ELSE:
            if (!top || d->lines[stack[top - 1]].kind != K_IF ||
                d->lines[last[top - 1]].kind == K_ELSE) {
                rc = perr(p, "\"%s\" without \"if\"", l->argv.v[0]);
                break;
            }
            d->lines[last[top - 1]].next = i;
            last[top - 1] = i;
            break;
        case K_END: {
            if (!top) {
                rc = perr(p, "\"end\" without a block to close%s", "");
                break;
            }
            size_t o = stack[--top];
            l->opener = o;
            d->lines[o].end = i;
            if (d->lines[o].kind == K_IF) {
                d->lines[last[top]].next = i;
                for (size_t b = o; b != i; b = d->lines[b].next)
                    d->lines[b].end = i;
            }
            break;
        }
        default:
            break;
        }
    }
    if (!rc && top) {
        p->no = d->lines[stack[top - 1]].no;
        rc = perr(p, "\"%s\" without \"end\"",
                  d->lines[stack[top - 1]].argv.v[0]);
    }
    cr_free(stack);
    cr_free(last);
    return rc;
}

enum taskrun_code taskrun_duck_load(struct taskrun_duck *d, const char *name,
                                    const char *text, struct cr_error *err)
{
    taskrun_duck__lines_release(d);
    char *n = cr_strdup(name ? name : "script");
    if (!n)
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    cr_free(d->name);
    d->name = n;
    size_t count = 1;
    for (const char *s = text; *s; s++)
        count += *s == '\n';
    d->lines = cr_calloc(count, sizeof(*d->lines));
    if (!d->lines)
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    struct parser p = { d, err, 0 };
    enum taskrun_code rc = TASKRUN_OK;
    const char *s = text;
    char *buf = NULL;
    /* A leading "#!@duckscript" is a comment like any "#" line. */
    while (!rc && *s) {
        size_t len = strcspn(s, "\n");
        char *nb = cr_realloc(buf, len + 1);
        if (!nb) {
            rc = TASKRUN_E_NOMEM;
            break;
        }
        buf = nb;
        memcpy(buf, s, len);
        buf[len] = '\0';
        p.no++;
        struct duck_line *l = &d->lines[d->nlines++];
        l->no = p.no;
        rc = parse_line(&p, buf, l);
        s += len + (s[len] == '\n');
    }
    cr_free(buf);
    if (!rc)
        rc = link_blocks(&p);
    if (rc == TASKRUN_E_NOMEM)
        taskrun_error_set(err, rc, "out of memory");
    if (rc)
        taskrun_duck__lines_release(d);
    return rc;
}

int taskrun_duck_functions(const struct taskrun_duck *d, struct cr_strv *names)
{
    for (size_t i = 0; i < d->nlines; i++) {
        const struct duck_line *l = &d->lines[i];
        if (l->kind == K_FN &&
            cr_strv_push(names, l->argv.v[l->scoped ? 2 : 1]) != 0)
            return -ENOMEM;
    }
    return 0;
}
