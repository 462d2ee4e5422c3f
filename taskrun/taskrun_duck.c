/*
 * taskrun_duck: the duckscript interpreter loop (control flow, functions,
 * expansion, conditions). The parser is in taskrun_duck_parse.c, the
 * commands in taskrun_duck_cmds.c and the files it lists, the variable and
 * handle tables in taskrun_duck_state.c.
 */
#include "taskrun_duck.h"

#include "cr_alloc.h"
#include "taskrun_duck_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper function calls are an error, not a stack overflow. */
#define MAX_DEPTH 200

enum taskrun_code taskrun_duck_new(struct taskrun_duck **out,
                                   const struct taskrun_duck_io *io)
{
    struct taskrun_duck *d = cr_calloc(1, sizeof(*d));
    *out = NULL;
    if (!d)
        return TASKRUN_E_NOMEM;
    d->io = *io;
    d->vars = &d->globals;
    int rc = 0;
    for (const char *const *e = io->envp; e && *e && !rc; e++)
        rc = cr_strv_push(&d->env, *e);
    if (!rc && io->cwd && !(d->cwd = cr_strdup(io->cwd)))
        rc = -ENOMEM;
    if (!rc && !(d->name = cr_strdup("script")))
        rc = -ENOMEM;
    if (rc) {
        taskrun_duck_free(d);
        return TASKRUN_E_NOMEM;
    }
    *out = d;
    return TASKRUN_OK;
}

void taskrun_duck_free(struct taskrun_duck *d)
{
    if (!d)
        return;
    taskrun_duck__lines_release(d);
    taskrun_duck__vars_release(&d->globals);
    taskrun_duck__handles_release(d);
    cr_strv_release(&d->env);
    cr_free(d->cwd);
    cr_free(d->name);
    cr_free(d);
}

/* ---- expansion -------------------------------------------------------- */

static int expand(const struct taskrun_duck *d, const char *s,
                  struct cr_buf *out)
{
    int rc = 0;
    while (*s && !rc) {
        if ((*s == '$' || *s == '%') && s[1] == '{') {
            const char *close = strchr(s + 2, '}');
            if (close) {
                char name[256];
                size_t n = (size_t)(close - s - 2);
                snprintf(name, sizeof(name), "%.*s", (int)(n < 255 ? n : 255),
                         s + 2);
                const char *v = NULL;
                if (*s == '$')
                    v = taskrun_duck__get(d, name);
                if (!v)
                    v = taskrun_duck__getenv(d, name);
                rc = cr_buf_puts(out, v ? v : "");
                s = close + 1;
                continue;
            }
        }
        char c = *s++;
        rc = cr_buf_putc(out, c == DUCK_ESC_DOLLAR    ? '$'
                              : c == DUCK_ESC_PERCENT ? '%'
                                                      : c);
    }
    return rc;
}

static int expand_args(const struct taskrun_duck *d, const struct cr_strv *in,
                       size_t from, struct cr_strv *out)
{
    struct cr_buf b = { 0 };
    for (size_t i = from; i < in->n; i++) {
        if (expand(d, in->v[i], &b) != 0 ||
            cr_strv_push_take(out, cr_buf_detach(&b)) != 0) {
            cr_buf_release(&b);
            cr_strv_release(out); /* so callers may just return */
            return -ENOMEM;
        }
    }
    return 0;
}

/* ---- running ---------------------------------------------------------- */

static enum duck_rc run_block(struct taskrun_duck *d, size_t pc,
                              struct cr_buf *ret, bool *has_ret);

static long find_fn(const struct taskrun_duck *d, const char *name)
{
    for (size_t i = 0; i < d->nlines; i++) {
        const struct duck_line *l = &d->lines[i];
        if (l->kind == K_FN && strcmp(l->argv.v[l->scoped ? 2 : 1], name) == 0)
            return (long)i;
    }
    return -1;
}

static bool invokable(const struct taskrun_duck *d, const char *name)
{
    return strcmp(name, "not") == 0 || taskrun_duck__command(name) ||
           find_fn(d, name) >= 0;
}

bool taskrun_duck_has_command(const char *name)
{
    static const char *const core[] = {
        "if",  "elseif", "else",   "end",   "for",      "while",   "fn",
        "not", "goto",   "return", "break", "continue", "function"
    };
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
        if (strcmp(core[i], name) == 0)
            return true;
    return taskrun_duck__command(name) != NULL;
}

static enum duck_rc call_fn(struct taskrun_duck *d, size_t fl, int argc,
                            char **argv, struct cr_buf *out, bool *has_out)
{
    const struct duck_line *f = &d->lines[fl];
    if (d->depth >= MAX_DEPTH)
        return taskrun_duck__fail(
            d, DUCK_FATAL, "function calls nested deeper than %d", MAX_DEPTH);
    struct duck_vars scope = { 0 }, *saved_vars = d->vars;
    struct cr_strv saved = { 0 }; /* old ${1}.. of an unscoped call */
    if (f->scoped)
        d->vars = &scope;
    enum duck_rc rc = DUCK_OK;
    char num[24];
    for (int i = 1; i < argc && rc == DUCK_OK; i++) {
        snprintf(num, sizeof(num), "%d", i);
        if (!f->scoped) {
            const char *old = taskrun_duck__get(d, num);
            if (cr_strv_push(&saved, old ? old : "\x03") != 0)
                rc = DUCK_NOMEM;
        }
        if (rc == DUCK_OK && taskrun_duck__set(d, num, argv[i]) != 0)
            rc = DUCK_NOMEM;
    }
    d->depth++;
    if (rc == DUCK_OK)
        rc = run_block(d, fl + 1, out, has_out);
    d->depth--;
    if (f->scoped) {
        taskrun_duck__vars_release(&scope);
        d->vars = saved_vars;
    }
    for (size_t i = 0; i < saved.n; i++) {
        snprintf(num, sizeof(num), "%zu", i + 1);
        const char *old = strcmp(saved.v[i], "\x03") == 0 ? NULL : saved.v[i];
        if (taskrun_duck__set(d, num, old) != 0)
            rc = DUCK_NOMEM;
    }
    cr_strv_release(&saved);
    return rc;
}

static enum duck_rc invoke(struct taskrun_duck *d, int argc, char **argv,
                           struct cr_buf *out, bool *has_out);

/* or := and ("or" and)*; and := prim ("and" prim)*; prim := ( or ) | v */
static bool expr_or(char **v, int n, int *i);
static bool expr_prim(char **v, int n, int *i)
{
    if (*i < n && strcmp(v[*i], "(") == 0) {
        ++*i;
        bool r = expr_or(v, n, i);
        if (*i < n && strcmp(v[*i], ")") == 0)
            ++*i;
        return r;
    }
    return *i < n ? taskrun_duck__truthy(v[(*i)++]) : false;
}
static bool expr_and(char **v, int n, int *i)
{
    bool r = expr_prim(v, n, i);
    while (*i < n && strcmp(v[*i], "and") == 0) {
        ++*i;
        bool b = expr_prim(v, n, i);
        r = r && b;
    }
    return r;
}
static bool expr_or(char **v, int n, int *i)
{
    bool r = expr_and(v, n, i);
    while (*i < n && strcmp(v[*i], "or") == 0) {
        ++*i;
        bool b = expr_and(v, n, i);
        r = r || b;
    }
    return r;
}

/* A condition: a command (its output's truth) or an and/or expression. */
static enum duck_rc condition(struct taskrun_duck *d, int argc, char **argv,
                              bool *result)
{
    if (argc > 0 && invokable(d, argv[0])) {
        struct cr_buf o = { 0 };
        bool has = false;
        const char *saved = d->outvar;
        d->outvar = NULL;
        enum duck_rc rc = invoke(d, argc, argv, &o, &has);
        d->outvar = saved;
        *result = has && taskrun_duck__truthy(cr_buf_str(&o));
        cr_buf_release(&o);
        return rc == DUCK_SOFT ? (*result = false, DUCK_OK) : rc;
    }
    int i = 0, depth = 0;
    for (int k = 0; k < argc && depth >= 0; k++)
        depth += strcmp(argv[k], "(") == 0   ? 1
                 : strcmp(argv[k], ")") == 0 ? -1
                                             : 0;
    if (depth == 0)
        *result = expr_or(argv, argc, &i);
    if (depth == 0 && i == argc)
        return DUCK_OK;
    /* Words left over: most likely a command that does not exist, which
     * must not pass as a true value. */
    if (argc > 1 && depth == 0 && i == 1 &&
        strspn(argv[0], "abcdefghijklmnopqrstuvwxyz0123456789_") ==
            strlen(argv[0]) &&
        taskrun_duck__truthy(argv[0]) && strcmp(argv[0], "true") != 0)
        return taskrun_duck__fail(d, DUCK_FATAL, "unknown command \"%s\"",
                                  argv[0]);
    return taskrun_duck__fail(d, DUCK_FATAL,
                              "bad condition: unbalanced parentheses or a "
                              "value where \"and\"/\"or\" belongs");
}

static enum duck_rc invoke(struct taskrun_duck *d, int argc, char **argv,
                           struct cr_buf *out, bool *has_out)
{
    if (strcmp(argv[0], "not") == 0) {
        bool r = false;
        enum duck_rc rc = condition(d, argc - 1, argv + 1, &r);
        *has_out = true;
        return rc                                       ? rc
               : cr_buf_puts(out, r ? "false" : "true") ? DUCK_NOMEM
                                                        : DUCK_OK;
    }
    long fl = find_fn(d, argv[0]);
    if (fl >= 0)
        return call_fn(d, (size_t)fl, argc, argv, out, has_out);
    duck_cmd_fn fn = taskrun_duck__command(argv[0]);
    if (!fn)
        return taskrun_duck__fail(d, DUCK_FATAL, "unknown command \"%s\"",
                                  argv[0]);
    return fn(d, argc, argv, out, has_out);
}

struct loop {
    size_t opener;
    size_t idx;
    struct cr_strv items;
};

struct loops {
    struct loop *v;
    size_t n, cap;
};

static void loops_pop(struct loops *ls)
{
    cr_strv_release(&ls->v[--ls->n].items);
}

static bool loops_push(struct loops *ls, size_t opener)
{
    if (ls->n == ls->cap) {
        size_t cap = ls->cap ? ls->cap * 2 : 8;
        struct loop *nv = cr_realloc(ls->v, cap * sizeof(*nv));
        if (!nv)
            return false;
        ls->v = nv;
        ls->cap = cap;
    }
    ls->v[ls->n++] = (struct loop){ opener, 0, { 0 } };
    return true;
}

static enum duck_rc set_out(struct taskrun_duck *d, const char *var,
                            const struct cr_buf *o, bool has)
{
    if (var && taskrun_duck__set(d, var, has ? cr_buf_str(o) : NULL) != 0)
        return DUCK_NOMEM;
    return DUCK_OK;
}

/* One line: sets *pc to the next line to run. Returns DUCK_EXIT also for
 * `return` (with *returned set). */
static enum duck_rc step(struct taskrun_duck *d, size_t *pc, struct loops *ls,
                         struct cr_buf *ret, bool *has_ret, bool *returned)
{
    const struct duck_line *l = &d->lines[*pc];
    struct cr_strv a = { 0 };
    enum duck_rc rc = DUCK_OK;
    size_t next = *pc + 1;
    bool r;
    switch (l->kind) {
    case K_NOP:
        break;
    case K_FN:
        next = l->end + 1;
        break;
    case K_ELSEIF:
    case K_ELSE:
        next = l->end + 1; /* the end of a branch that was taken */
        break;
    case K_IF:
        for (size_t b = *pc;; b = d->lines[b].next) {
            const struct duck_line *bl = &d->lines[b];
            if (bl->kind == K_END || bl->kind == K_ELSE) {
                next = b + 1;
                break;
            }
            cr_strv_release(&a);
            if (expand_args(d, &bl->argv, 1, &a) != 0)
                return DUCK_NOMEM;
            d->located = false;
            rc = condition(d, (int)a.n, a.v, &r);
            if (rc || r) {
                next = b + 1;
                break;
            }
        }
        break;
    case K_WHILE:
        if (expand_args(d, &l->argv, 1, &a) != 0)
            return DUCK_NOMEM;
        rc = condition(d, (int)a.n, a.v, &r);
        if (rc)
            break;
        if ((!ls->n || ls->v[ls->n - 1].opener != *pc) &&
            !loops_push(ls, *pc)) {
            rc = DUCK_NOMEM;
            break;
        }
        if (!r) {
            loops_pop(ls);
            next = l->end + 1;
        }
        break;
    case K_FOR: {
        if (expand_args(d, &l->argv, 3, &a) != 0)
            return DUCK_NOMEM;
        if (!loops_push(ls, *pc)) {
            rc = DUCK_NOMEM;
            break;
        }
        struct loop *lp = &ls->v[ls->n - 1];
        struct duck_handle *h =
            a.n == 1 ? taskrun_duck__handle(d, a.v[0]) : NULL;
        if (cr_strv_copy(&lp->items, h ? &h->items : &a) != 0)
            rc = DUCK_NOMEM;
        else if (lp->items.n == 0) {
            loops_pop(ls);
            next = l->end + 1;
        } else if (taskrun_duck__set(d, l->argv.v[1], lp->items.v[0]) != 0)
            rc = DUCK_NOMEM;
        break;
    }
    case K_END: {
        const struct duck_line *o = &d->lines[l->opener];
        if (o->kind == K_FN) {
            *returned = true;
            break;
        }
        if (o->kind == K_WHILE) {
            next = l->opener;
            break;
        }
        if (o->kind != K_FOR)
            break;
        if (!ls->n || ls->v[ls->n - 1].opener != l->opener)
            return taskrun_duck__fail(d, DUCK_FATAL,
                                      "\"end\" of a loop that is not running");
        struct loop *lp = &ls->v[ls->n - 1];
        if (++lp->idx < lp->items.n) {
            if (taskrun_duck__set(d, o->argv.v[1], lp->items.v[lp->idx]) != 0)
                return DUCK_NOMEM;
            next = l->opener + 1;
        } else {
            loops_pop(ls);
        }
        break;
    }
    case K_CMD: {
        if (expand_args(d, &l->argv, 0, &a) != 0)
            return DUCK_NOMEM;
        const char *c = a.v[0];
        if (strcmp(c, "return") == 0) {
            *returned = true;
            *has_ret = a.n > 1;
            if (a.n > 1 && cr_buf_puts(ret, a.v[1]) != 0)
                rc = DUCK_NOMEM;
            break;
        }
        if (strcmp(c, "goto") == 0) {
            size_t i = 0;
            while (
                a.n == 2 && i < d->nlines &&
                !(d->lines[i].label && strcmp(d->lines[i].label, a.v[1]) == 0))
                i++;
            if (a.n != 2 || i == d->nlines)
                rc = taskrun_duck__fail(d, DUCK_FATAL, "goto: no label \"%s\"",
                                        a.n > 1 ? a.v[1] : "");
            next = i;
            break;
        }
        if (strcmp(c, "break") == 0 || strcmp(c, "continue") == 0) {
            if (!ls->n) {
                rc = taskrun_duck__fail(d, DUCK_FATAL, "%s outside a loop", c);
                break;
            }
            size_t o = ls->v[ls->n - 1].opener;
            if (c[0] == 'b') {
                loops_pop(ls);
                next = d->lines[o].end + 1;
            } else {
                next = d->lines[o].kind == K_WHILE ? o : d->lines[o].end;
            }
            break;
        }
        struct cr_buf o = { 0 };
        bool has = false;
        d->outvar = l->out;
        rc = invoke(d, (int)a.n, a.v, &o, &has);
        d->outvar = NULL;
        if (rc == DUCK_SOFT && (l->out || d->io.continue_on_error)) {
            /* duckscript's on_error: the output is false, the script
             * goes on and can look at get_last_error. */
            snprintf(d->last_error, sizeof(d->last_error), "%s", d->msg);
            rc = l->out && taskrun_duck__set(d, l->out, "false") != 0
                     ? DUCK_NOMEM
                     : DUCK_OK;
        } else if (rc == DUCK_OK) {
            rc = set_out(d, l->out, &o, has);
        }
        cr_buf_release(&o);
        break;
    }
    }
    cr_strv_release(&a);
    if ((rc == DUCK_FATAL || rc == DUCK_SOFT) && !d->located) {
        char m[sizeof(d->msg)];
        snprintf(m, sizeof(m), "%s:%u: %s", d->name, l->no, d->msg);
        memcpy(d->msg, m, sizeof(m));
        d->located = true;
    }
    *pc = next;
    return rc;
}

/* Runs from pc until the end of the text or of the function, `return`,
 * `exit` or an error. */
static enum duck_rc run_block(struct taskrun_duck *d, size_t pc,
                              struct cr_buf *ret, bool *has_ret)
{
    struct loops ls = { 0 };
    enum duck_rc rc = DUCK_OK;
    bool returned = false;
    while (pc < d->nlines && rc == DUCK_OK && !returned) {
        d->located = false;
        rc = step(d, &pc, &ls, ret, has_ret, &returned);
    }
    if (rc == DUCK_SOFT)
        rc = DUCK_FATAL;
    while (ls.n)
        loops_pop(&ls);
    cr_free(ls.v);
    return rc;
}

static enum taskrun_code finish(struct taskrun_duck *d, enum duck_rc rc,
                                int *exit_code, struct cr_error *err)
{
    *exit_code = 0;
    switch (rc) {
    case DUCK_OK:
        return TASKRUN_OK;
    case DUCK_EXIT:
        *exit_code = d->exit_code;
        return TASKRUN_OK;
    case DUCK_NOMEM:
        *exit_code = 1;
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    default:
        *exit_code = 1;
        return taskrun_error_set(err, TASKRUN_E_TASK, "%s", d->msg);
    }
}

enum taskrun_code taskrun_duck_run(struct taskrun_duck *d,
                                   const struct cr_strv *args, int *exit_code,
                                   struct cr_error *err)
{
    char num[24];
    for (size_t i = 0; args && i < args->n; i++) {
        snprintf(num, sizeof(num), "%zu", i + 1);
        if (taskrun_duck__set(d, num, args->v[i]) != 0)
            return finish(d, DUCK_NOMEM, exit_code, err);
    }
    struct cr_buf ret = { 0 };
    bool has = false;
    enum duck_rc rc = run_block(d, 0, &ret, &has);
    cr_buf_release(&ret);
    return finish(d, rc, exit_code, err);
}

enum taskrun_code taskrun_duck_call(struct taskrun_duck *d, const char *fn,
                                    int *exit_code, struct cr_error *err)
{
    long fl = find_fn(d, fn);
    *exit_code = 0;
    if (fl < 0)
        return taskrun_error_set(err, TASKRUN_E_USAGE, "%s: no function \"%s\"",
                                 d->name, fn);
    struct cr_buf ret = { 0 };
    bool has = false;
    char *argv[] = { (char *)fn, NULL };
    enum duck_rc rc = call_fn(d, (size_t)fl, 1, argv, &ret, &has);
    cr_buf_release(&ret);
    if (rc == DUCK_SOFT)
        rc = DUCK_FATAL;
    return finish(d, rc, exit_code, err);
}
