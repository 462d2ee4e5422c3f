/* tmpl_parse_expr: the expression parser, by precedence from `or`
 * (lowest) to filters and attribute access (highest), as Tera's grammar
 * orders them. See tmpl_parse.h. */
#include "tmpl_parse.h"

#include "cr_alloc.h"

#include <string.h>

/* ---------------------------------------------------------------------- */

static struct tmpl_expr *new_expr(struct tmpl_parser *p,
                                  enum tmpl_expr_kind kind, size_t off)
{
    struct tmpl_expr *e = cr_calloc(1, sizeof(*e));

    if (e == NULL) {
        tmpl_error_set(p->err, TMPL_E_NOMEM, "out of memory");
        return NULL;
    }
    e->kind = kind;
    e->pos = tmpl__pos(p->f, off);
    return e;
}

static struct tmpl_expr *binary(struct tmpl_parser *p, int op,
                                struct tmpl_expr *a, struct tmpl_expr *b)
{
    struct tmpl_expr *e;

    if (a == NULL || b == NULL ||
        (e = new_expr(p, TMPL_EX_BINARY, 0)) == NULL) {
        tmpl__expr_free(a);
        tmpl__expr_free(b);
        return NULL;
    }
    e->op = op, e->a = a, e->b = b, e->pos = a->pos;
    return e;
}

static int push_arg(struct tmpl_parser *p, struct tmpl_expr *e,
                    struct tmpl_expr *arg, char *name)
{
    struct tmpl_expr **args;
    char **names;

    args = cr_realloc(e->args, (e->n_args + 1) * sizeof(*args));
    if (args != NULL)
        e->args = args;
    names =
        args ? cr_realloc(e->argnames, (e->n_args + 1) * sizeof(*names)) : NULL;
    if (names != NULL)
        e->argnames = names;
    if (args == NULL || names == NULL) {
        tmpl__expr_free(arg);
        cr_free(name);
        tmpl_error_set(p->err, TMPL_E_NOMEM, "out of memory");
        return -1;
    }
    e->args[e->n_args] = arg;
    e->argnames[e->n_args++] = name;
    return 0;
}

/* `(` [name=]expr, ... `)` with the current token on `(`; closing is `)`
 * or, for array literals, `]`. */
static int parse_args(struct tmpl_parser *p, struct tmpl_expr *e, int close)
{
    if (tmpl__next(p) != 0)
        return -1;
    while (!tmpl__is_op(p, close)) {
        char *name = NULL;
        struct tmpl_expr *arg;
        if (p->tok.kind == TMPL_T_IDENT && close == ')') {
            struct tmpl_parser save = *p;
            if (tmpl__next(p) != 0)
                return -1;
            if (tmpl__is_op(p, '=')) {
                *p = save;
                if ((name = tmpl__tok_text(p)) == NULL)
                    return -1;
                if (tmpl__next(p) != 0 || tmpl__next(p) != 0) {
                    cr_free(name);
                    return -1;
                }
            } else {
                *p = save;
            }
        }
        if ((arg = tmpl__parse_expr(p)) == NULL) {
            cr_free(name);
            return -1;
        }
        if (push_arg(p, e, arg, name) != 0)
            return -1;
        if (tmpl__is_op(p, ',')) {
            if (tmpl__next(p) != 0)
                return -1;
        } else if (!tmpl__is_op(p, close)) {
            return tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                              "expected ',' or '%c'", close);
        }
    }
    return tmpl__next(p);
}

static struct tmpl_expr *parse_literal(struct tmpl_parser *p)
{
    struct tmpl_expr *e = new_expr(p, TMPL_EX_LIT, p->tok.off);
    int rc = 0;

    if (e == NULL)
        return NULL;
    if (p->tok.kind == TMPL_T_INT)
        e->lit = tmpl_int(p->tok.i);
    else if (p->tok.kind == TMPL_T_FLOAT)
        e->lit = tmpl_float(p->tok.f);
    else if (p->tok.kind == TMPL_T_STR)
        rc = tmpl_str(&e->lit, p->f->src + p->tok.off, p->tok.len);
    else
        e->lit =
            tmpl_bool(tmpl__is_word(p, "true") || tmpl__is_word(p, "True"));
    if (rc != 0 || tmpl__next(p) != 0) {
        if (rc != 0)
            tmpl_error_set(p->err, TMPL_E_NOMEM, "out of memory");
        tmpl__expr_free(e);
        return NULL;
    }
    return e;
}

/* A name, a function call, or ns::macro(...). */
static struct tmpl_expr *parse_name(struct tmpl_parser *p)
{
    struct tmpl_expr *e = new_expr(p, TMPL_EX_VAR, p->tok.off);

    if (e == NULL || (e->name = tmpl__tok_text(p)) == NULL ||
        tmpl__next(p) != 0)
        goto fail;
    if (tmpl__is_op(p, 'C')) {
        e->ns = e->name, e->name = NULL;
        if (tmpl__next(p) != 0)
            goto fail;
        if (p->tok.kind != TMPL_T_IDENT) {
            tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected a macro name");
            goto fail;
        }
        if ((e->name = tmpl__tok_text(p)) == NULL || tmpl__next(p) != 0)
            goto fail;
        if (!tmpl__is_op(p, '(')) {
            tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
                       "expected '(' after %s::%s", e->ns, e->name);
            goto fail;
        }
    }
    if (tmpl__is_op(p, '(')) {
        e->kind = TMPL_EX_CALL;
        if (parse_args(p, e, ')') != 0)
            goto fail;
    }
    return e;
fail:
    tmpl__expr_free(e);
    return NULL;
}

static struct tmpl_expr *parse_primary(struct tmpl_parser *p)
{
    struct tmpl_expr *e;

    if (p->tok.kind == TMPL_T_INT || p->tok.kind == TMPL_T_FLOAT ||
        p->tok.kind == TMPL_T_STR || tmpl__is_word(p, "true") ||
        tmpl__is_word(p, "false") || tmpl__is_word(p, "True") ||
        tmpl__is_word(p, "False"))
        return parse_literal(p);
    if (p->tok.kind == TMPL_T_IDENT)
        return parse_name(p);
    if (tmpl__is_op(p, '(')) {
        if (tmpl__next(p) != 0 || (e = tmpl__parse_expr(p)) == NULL)
            return NULL;
        if (!tmpl__is_op(p, ')')) {
            tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected ')'");
            tmpl__expr_free(e);
            return NULL;
        }
        if (tmpl__next(p) != 0) {
            tmpl__expr_free(e);
            return NULL;
        }
        return e;
    }
    if (tmpl__is_op(p, '[')) {
        if ((e = new_expr(p, TMPL_EX_ARRAY, p->tok.off)) == NULL)
            return NULL;
        if (parse_args(p, e, ']') != 0) {
            tmpl__expr_free(e);
            return NULL;
        }
        return e;
    }
    tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off,
               p->tok.kind == TMPL_T_END || p->tok.kind == TMPL_T_EOF
                   ? "expected an expression"
                   : "unexpected \"%.*s\" in an expression",
               (int)(p->tok.len < 40 ? p->tok.len : 40),
               p->f->src + p->tok.off);
    return NULL;
}

/* What follows a primary: .name, .0, [expr], | filter(args). */
static struct tmpl_expr *parse_postfix(struct tmpl_parser *p)
{
    struct tmpl_expr *e = parse_primary(p), *n;

    while (e != NULL && (tmpl__is_op(p, '.') || tmpl__is_op(p, '[') ||
                         tmpl__is_op(p, '|'))) {
        int op = p->tok.op;
        if (tmpl__next(p) != 0)
            goto fail;
        n = new_expr(p,
                     op == '.'   ? TMPL_EX_ATTR
                     : op == '[' ? TMPL_EX_INDEX
                                 : TMPL_EX_FILTER,
                     p->tok.off);
        if (n == NULL)
            goto fail;
        n->pos = e->pos; /* errors point at the whole path */
        n->a = e, e = n;
        if (op == '[') {
            if ((n->b = tmpl__parse_expr(p)) == NULL)
                goto fail;
            if (!tmpl__is_op(p, ']')) {
                tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected ']'");
                goto fail;
            }
        } else if (p->tok.kind != TMPL_T_IDENT && p->tok.kind != TMPL_T_INT) {
            tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected a %s name",
                       op == '.' ? "attribute" : "filter");
            goto fail;
        } else if ((n->name = tmpl__tok_text(p)) == NULL) {
            goto fail;
        }
        if (tmpl__next(p) != 0)
            goto fail;
        if (op == '|' && tmpl__is_op(p, '(') && parse_args(p, n, ')') != 0)
            goto fail;
    }
    return e;
fail:
    tmpl__expr_free(e);
    return NULL;
}

static struct tmpl_expr *parse_unary(struct tmpl_parser *p)
{
    struct tmpl_expr *e;
    size_t off = p->tok.off;

    if (!tmpl__is_op(p, '-'))
        return parse_postfix(p);
    if (++p->depth > TMPL_MAX_DEPTH) {
        tmpl__fail(p, TMPL_E_LIMIT, off, "expression nested too deeply");
        return NULL;
    }
    if (tmpl__next(p) != 0 || (e = new_expr(p, TMPL_EX_UNARY, off)) == NULL)
        return NULL;
    e->op = '-';
    if ((e->a = parse_unary(p)) == NULL) {
        tmpl__expr_free(e);
        return NULL;
    }
    p->depth--;
    return e;
}

/* One precedence level of left-associative single-character operators. */
static struct tmpl_expr *
parse_level(struct tmpl_parser *p, const char *ops,
            struct tmpl_expr *(*next)(struct tmpl_parser *))
{
    struct tmpl_expr *e = next(p);

    while (e != NULL && p->tok.kind == TMPL_T_OP && p->tok.op < 128 &&
           strchr(ops, p->tok.op) != NULL) {
        int op = p->tok.op;
        if (tmpl__next(p) != 0) {
            tmpl__expr_free(e);
            return NULL;
        }
        e = binary(p, op, e, next(p));
    }
    return e;
}

static struct tmpl_expr *parse_mul(struct tmpl_parser *p)
{
    return parse_level(p, "*/%", parse_unary);
}

static struct tmpl_expr *parse_add(struct tmpl_parser *p)
{
    return parse_level(p, "+-", parse_mul);
}

static struct tmpl_expr *parse_concat(struct tmpl_parser *p)
{
    return parse_level(p, "~", parse_add);
}

/* `is [not] name[(args)]`, the current token after `is`. */
static struct tmpl_expr *parse_test(struct tmpl_parser *p, struct tmpl_expr *a)
{
    struct tmpl_expr *e = new_expr(p, TMPL_EX_TEST, p->tok.off);

    if (e == NULL) {
        tmpl__expr_free(a);
        return NULL;
    }
    e->a = a, e->pos = a->pos;
    if (tmpl__is_word(p, "not")) {
        e->negated = true;
        if (tmpl__next(p) != 0)
            goto fail;
    }
    if (p->tok.kind != TMPL_T_IDENT) {
        tmpl__fail(p, TMPL_E_SYNTAX, p->tok.off, "expected a test name");
        goto fail;
    }
    if ((e->name = tmpl__tok_text(p)) == NULL || tmpl__next(p) != 0)
        goto fail;
    if (tmpl__is_op(p, '(') && parse_args(p, e, ')') != 0)
        goto fail;
    return e;
fail:
    tmpl__expr_free(e);
    return NULL;
}

static struct tmpl_expr *parse_cmp(struct tmpl_parser *p)
{
    struct tmpl_expr *e = parse_concat(p);
    int op = 0;

    if (e == NULL)
        return NULL;
    if (tmpl__is_word(p, "is"))
        return tmpl__next(p) != 0 ? (tmpl__expr_free(e), NULL)
                                  : parse_test(p, e);
    if (p->tok.kind == TMPL_T_OP && strchr("<>", p->tok.op) != NULL)
        op = p->tok.op;
    else if (p->tok.kind == TMPL_T_OP &&
             (p->tok.op == TMPL_OP_EQ || p->tok.op == TMPL_OP_NE ||
              p->tok.op == TMPL_OP_LE || p->tok.op == TMPL_OP_GE))
        op = p->tok.op;
    else if (tmpl__is_word(p, "in"))
        op = TMPL_OP_IN;
    else if (tmpl__is_word(p, "not")) {
        struct tmpl_parser save = *p;
        if (tmpl__next(p) != 0) {
            tmpl__expr_free(e);
            return NULL;
        }
        if (tmpl__is_word(p, "in"))
            op = TMPL_OP_NIN;
        else
            *p = save;
    }
    if (op == 0)
        return e;
    if (tmpl__next(p) != 0) {
        tmpl__expr_free(e);
        return NULL;
    }
    return binary(p, op, e, parse_concat(p));
}

static struct tmpl_expr *parse_not(struct tmpl_parser *p)
{
    struct tmpl_expr *e;
    size_t off = p->tok.off;

    if (!tmpl__is_word(p, "not"))
        return parse_cmp(p);
    if (++p->depth > TMPL_MAX_DEPTH) {
        tmpl__fail(p, TMPL_E_LIMIT, off, "expression nested too deeply");
        return NULL;
    }
    if (tmpl__next(p) != 0 || (e = new_expr(p, TMPL_EX_UNARY, off)) == NULL)
        return NULL;
    e->op = 'n';
    if ((e->a = parse_not(p)) == NULL) {
        tmpl__expr_free(e);
        return NULL;
    }
    p->depth--;
    return e;
}

static struct tmpl_expr *
parse_words(struct tmpl_parser *p, const char *word, int op,
            struct tmpl_expr *(*next)(struct tmpl_parser *))
{
    struct tmpl_expr *e = next(p);

    while (e != NULL && tmpl__is_word(p, word)) {
        if (tmpl__next(p) != 0) {
            tmpl__expr_free(e);
            return NULL;
        }
        e = binary(p, op, e, next(p));
    }
    return e;
}

static struct tmpl_expr *parse_and(struct tmpl_parser *p)
{
    return parse_words(p, "and", TMPL_OP_AND, parse_not);
}

struct tmpl_expr *tmpl__parse_expr(struct tmpl_parser *p)
{
    struct tmpl_expr *e;

    if (++p->depth > TMPL_MAX_DEPTH) {
        tmpl__fail(p, TMPL_E_LIMIT, p->tok.off, "expression nested too deeply");
        return NULL;
    }
    e = parse_words(p, "or", TMPL_OP_OR, parse_and);
    p->depth--;
    return e;
}
