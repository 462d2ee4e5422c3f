/* tmpl_eval: expressions, their operators and tests, as Tera defines them.
 * See tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct tmpl_expr *tmpl__arg(const struct tmpl_expr *call,
                                  const char *name, int pos)
{
    int k = 0;

    for (size_t i = 0; i < call->n_args; i++) {
        const char *n = call->argnames[i];
        if (n != NULL && name != NULL && strcmp(n, name) == 0)
            return call->args[i];
        if (n == NULL && k++ == pos)
            return call->args[i];
    }
    return NULL;
}

/* The undefined value for path prefix.name. */
static int undef_path(struct tmpl_rt *rt, const char *prefix, const char *name,
                      struct tmpl_value *out)
{
    char *s = cr_strprintf("%s.%s", prefix, name);

    memset(out, 0, sizeof(*out));
    if (s == NULL)
        return tmpl__nomem(rt);
    out->type = TMPL_UNDEF, out->s = s;
    return 0;
}

static int lookup(struct tmpl_rt *rt, const struct tmpl_expr *e,
                  struct tmpl_value *out)
{
    const struct tmpl_value *v = NULL;

    for (size_t i = rt->n_frames; i > rt->frame_base && v == NULL; i--)
        v = tmpl_object_get(&rt->frames[i - 1], e->name);
    if (v == NULL && rt->frame_base == 0)
        v = tmpl_object_get(&rt->globals, e->name);
    if (v == NULL)
        return tmpl_undef(out, e->name) != 0 ? tmpl__nomem(rt) : 0;
    return tmpl_value_copy(out, v) != 0 ? tmpl__nomem(rt) : 0;
}

/* Writes the path an expression names ("vars.name", "xs[]") to buf. */
static void expr_path(const struct tmpl_expr *e, char *buf, size_t cap)
{
    size_t n;

    buf[0] = '\0';
    if (e->kind == TMPL_EX_VAR) {
        snprintf(buf, cap, "%s", e->name);
        return;
    }
    if (e->kind != TMPL_EX_ATTR && e->kind != TMPL_EX_INDEX) {
        snprintf(buf, cap, "(value)");
        return;
    }
    expr_path(e->a, buf, cap);
    n = strlen(buf);
    if (e->kind == TMPL_EX_ATTR)
        snprintf(buf + n, cap - n, ".%s", e->name);
    else
        snprintf(buf + n, cap - n, "[]");
}

/* A sub-value of *v by key (objects) or index (arrays), replacing *v;
 * what is missing is undefined, named by the path of e. */
static int pick(struct tmpl_rt *rt, const struct tmpl_expr *e,
                struct tmpl_value *v, const char *key,
                const struct tmpl_value *index)
{
    const struct tmpl_value *sub = NULL;
    struct tmpl_value res;
    char buf[32];
    int rc;

    if (index != NULL && index->type == TMPL_STR)
        key = index->s, index = NULL;
    if (key == NULL && index != NULL && index->type == TMPL_INT) {
        snprintf(buf, sizeof(buf), "%" PRId64, index->i);
        key = buf;
    }
    if (key == NULL) {
        tmpl_value_release(v);
        return tmpl_undef(v, "?") != 0 ? tmpl__nomem(rt) : 0;
    }
    if (v->type == TMPL_OBJECT)
        sub = tmpl_object_get(v, key);
    else if (v->type == TMPL_ARRAY) {
        char *end;
        long long i = strtoll(key, &end, 10);
        if (*end == '\0' && end != key && i >= 0 && (size_t)i < v->len)
            sub = &v->items[i];
    }
    if (sub == NULL) {
        char path[256];
        expr_path(e->a, path, sizeof(path));
        rc = undef_path(rt, path, key, &res);
        tmpl_value_release(v);
        *v = res;
        return rc;
    }
    rc = tmpl_value_copy(&res, sub);
    tmpl_value_release(v);
    *v = res; /* null when the copy failed */
    return rc != 0 ? tmpl__nomem(rt) : 0;
}

/* Names the path of e in undefined values, e.g. "vars.name". */
static int eval_attr(struct tmpl_rt *rt, const struct tmpl_expr *e,
                     struct tmpl_value *out)
{
    struct tmpl_value idx = { 0 };
    int rc;

    if (tmpl__eval(rt, e->a, out) != 0)
        return -1;
    if (e->kind == TMPL_EX_INDEX && tmpl__eval(rt, e->b, &idx) != 0) {
        tmpl_value_release(out);
        return -1;
    }
    if (out->type != TMPL_UNDEF && out->type != TMPL_OBJECT &&
        out->type != TMPL_ARRAY) {
        rc =
            tmpl__fail_at(rt, TMPL_E_TYPE, e->pos, "cannot read \"%s\" of a %s",
                          e->name ? e->name : "[]", tmpl_type_name(out->type));
        tmpl_value_release(out);
        tmpl_value_release(&idx);
        return rc;
    }
    rc = pick(rt, e, out, e->name, e->kind == TMPL_EX_INDEX ? &idx : NULL);
    tmpl_value_release(&idx);
    return rc;
}

static int eval_array(struct tmpl_rt *rt, const struct tmpl_expr *e,
                      struct tmpl_value *out)
{
    memset(out, 0, sizeof(*out));
    out->type = TMPL_ARRAY;
    for (size_t i = 0; i < e->n_args; i++) {
        struct tmpl_value item;
        if (tmpl__eval(rt, e->args[i], &item) != 0)
            return tmpl_value_release(out), -1;
        if (item.type == TMPL_UNDEF) {
            int rc = tmpl__undefined(rt, &item, e->args[i]->pos);
            tmpl_value_release(&item);
            tmpl_value_release(out);
            return rc;
        }
        if (tmpl_array_push_take(out, &item) != 0)
            return tmpl_value_release(out), tmpl__nomem(rt);
    }
    return 0;
}

static double num(const struct tmpl_value *v)
{
    return v->type == TMPL_INT ? (double)v->i : v->f;
}

static bool is_num(const struct tmpl_value *v)
{
    return v->type == TMPL_INT || v->type == TMPL_FLOAT;
}

/* + - * / % on numbers: integers stay integers except for /, which Tera
 * always computes as a float. */
static int arith(struct tmpl_rt *rt, const struct tmpl_expr *e,
                 const struct tmpl_value *a, const struct tmpl_value *b,
                 struct tmpl_value *out)
{
    if (!is_num(a) || !is_num(b))
        return tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                             "'%c' needs numbers, not %s and %s (use ~ to "
                             "join strings)",
                             e->op, tmpl_type_name(a->type),
                             tmpl_type_name(b->type));
    if ((e->op == '/' || e->op == '%') && num(b) == 0)
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos, "division by zero");
    if (a->type == TMPL_INT && b->type == TMPL_INT && e->op != '/') {
        int64_t r;
        bool ovf = e->op == '+'   ? __builtin_add_overflow(a->i, b->i, &r)
                   : e->op == '-' ? __builtin_sub_overflow(a->i, b->i, &r)
                   : e->op == '*' ? __builtin_mul_overflow(a->i, b->i, &r)
                                  : (b->i == -1 ? (r = 0, false)
                                                : (r = a->i % b->i, false));
        if (ovf)
            return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos, "integer overflow");
        *out = tmpl_int(r);
        return 0;
    }
    *out = tmpl_float(e->op == '+'   ? num(a) + num(b)
                      : e->op == '-' ? num(a) - num(b)
                      : e->op == '*' ? num(a) * num(b)
                      : e->op == '/' ? num(a) / num(b)
                                     : fmod(num(a), num(b)));
    return 0;
}

static int compare(struct tmpl_rt *rt, const struct tmpl_expr *e,
                   const struct tmpl_value *a, const struct tmpl_value *b,
                   struct tmpl_value *out)
{
    double c;

    if (is_num(a) && is_num(b))
        c = num(a) < num(b) ? -1 : num(a) > num(b) ? 1 : 0;
    else if (a->type == TMPL_STR && b->type == TMPL_STR)
        c = strcmp(a->s, b->s);
    else
        return tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                             "cannot compare %s with %s",
                             tmpl_type_name(a->type), tmpl_type_name(b->type));
    *out = tmpl_bool(e->op == '<'          ? c < 0
                     : e->op == '>'        ? c > 0
                     : e->op == TMPL_OP_LE ? c <= 0
                                           : c >= 0);
    return 0;
}

static bool contains(const struct tmpl_value *hay, const struct tmpl_value *n)
{
    if (hay->type == TMPL_STR && n->type == TMPL_STR)
        return strstr(hay->s, n->s) != NULL;
    if (hay->type == TMPL_OBJECT && n->type == TMPL_STR)
        return tmpl_object_get(hay, n->s) != NULL;
    for (size_t i = 0; hay->type == TMPL_ARRAY && i < hay->len; i++)
        if (tmpl_equal(&hay->items[i], n))
            return true;
    return false;
}

static int concat(struct tmpl_rt *rt, const struct tmpl_value *a,
                  const struct tmpl_value *b, struct tmpl_value *out)
{
    struct cr_buf buf;

    cr_buf_init(&buf);
    if (tmpl_value_print(&buf, a) != 0 || tmpl_value_print(&buf, b) != 0) {
        cr_buf_release(&buf);
        return tmpl__nomem(rt);
    }
    *out = tmpl_str_take(&buf);
    return out->s == NULL ? tmpl__nomem(rt) : 0;
}

static int eval_binary(struct tmpl_rt *rt, const struct tmpl_expr *e,
                       struct tmpl_value *out)
{
    struct tmpl_value a = { 0 }, b = { 0 };
    int rc = -1;

    if (tmpl__eval(rt, e->a, &a) != 0)
        return -1;
    /* and/or short-circuit and take undefined operands as false, like
     * Tera's if. */
    if (e->op == TMPL_OP_AND || e->op == TMPL_OP_OR) {
        bool t = tmpl_truthy(&a);
        tmpl_value_release(&a);
        if ((e->op == TMPL_OP_AND && !t) || (e->op == TMPL_OP_OR && t)) {
            *out = tmpl_bool(t);
            return 0;
        }
        if (tmpl__eval(rt, e->b, &b) != 0)
            return -1;
        *out = tmpl_bool(tmpl_truthy(&b));
        tmpl_value_release(&b);
        return 0;
    }
    if (tmpl__eval(rt, e->b, &b) != 0)
        goto out;
    if (a.type == TMPL_UNDEF || b.type == TMPL_UNDEF) {
        rc = tmpl__undefined(rt, a.type == TMPL_UNDEF ? &a : &b,
                             a.type == TMPL_UNDEF ? e->a->pos : e->b->pos);
        goto out;
    }
    rc = 0;
    if (e->op == TMPL_OP_EQ || e->op == TMPL_OP_NE)
        *out = tmpl_bool(tmpl_equal(&a, &b) == (e->op == TMPL_OP_EQ));
    else if (e->op == TMPL_OP_IN || e->op == TMPL_OP_NIN)
        *out = tmpl_bool(contains(&b, &a) == (e->op == TMPL_OP_IN));
    else if (e->op == '~')
        rc = concat(rt, &a, &b, out);
    else if (strchr("<>", e->op) != NULL || e->op == TMPL_OP_LE ||
             e->op == TMPL_OP_GE)
        rc = compare(rt, e, &a, &b, out);
    else
        rc = arith(rt, e, &a, &b, out);
out:
    tmpl_value_release(&a);
    tmpl_value_release(&b);
    return rc;
}

static int eval_unary(struct tmpl_rt *rt, const struct tmpl_expr *e,
                      struct tmpl_value *out)
{
    struct tmpl_value a;

    if (tmpl__eval(rt, e->a, &a) != 0)
        return -1;
    if (e->op == 'n') {
        *out = tmpl_bool(!tmpl_truthy(&a));
        tmpl_value_release(&a);
        return 0;
    }
    if (a.type == TMPL_INT && a.i != INT64_MIN)
        *out = tmpl_int(-a.i);
    else if (a.type == TMPL_FLOAT)
        *out = tmpl_float(-a.f);
    else {
        int rc = a.type == TMPL_UNDEF
                     ? tmpl__undefined(rt, &a, e->pos)
                     : tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                                     "'-' needs a number, not a %s",
                                     tmpl_type_name(a.type));
        tmpl_value_release(&a);
        return rc;
    }
    return 0;
}

static int test_arg(struct tmpl_rt *rt, const struct tmpl_expr *e,
                    struct tmpl_value *arg)
{
    const struct tmpl_expr *x = tmpl__arg(e, NULL, 0);

    if (x == NULL)
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                             "the test \"%s\" needs an argument", e->name);
    return tmpl__eval(rt, x, arg);
}

/* Tera's tests: `x is defined`, `x is odd`, `s is starting_with("a")`... */
static int eval_test(struct tmpl_rt *rt, const struct tmpl_expr *e,
                     struct tmpl_value *out)
{
    struct tmpl_value a, arg = { 0 };
    const char *n = e->name;
    bool r;
    int rc = 0;

    if (tmpl__eval(rt, e->a, &a) != 0)
        return -1;
    if (strcmp(n, "defined") == 0 || strcmp(n, "undefined") == 0)
        r = (a.type != TMPL_UNDEF) == (n[0] == 'd');
    else if (a.type == TMPL_UNDEF)
        rc = tmpl__undefined(rt, &a, e->pos), r = false;
    else if (strcmp(n, "odd") == 0 || strcmp(n, "even") == 0)
        r = a.type == TMPL_INT && (a.i % 2 != 0) == (n[0] == 'o');
    else if (strcmp(n, "string") == 0)
        r = a.type == TMPL_STR;
    else if (strcmp(n, "number") == 0)
        r = is_num(&a);
    else if (strcmp(n, "iterable") == 0)
        r = a.type == TMPL_ARRAY || a.type == TMPL_OBJECT;
    else if (strcmp(n, "object") == 0)
        r = a.type == TMPL_OBJECT;
    else if (strcmp(n, "containing") == 0 || strcmp(n, "starting_with") == 0 ||
             strcmp(n, "ending_with") == 0 || strcmp(n, "divisibleby") == 0) {
        r = false;
        rc = test_arg(rt, e, &arg);
        if (rc == 0 && n[0] == 'c')
            r = contains(&a, &arg);
        else if (rc == 0 && n[0] == 'd')
            r = a.type == TMPL_INT && arg.type == TMPL_INT && arg.i != 0 &&
                a.i % arg.i == 0;
        else if (rc == 0 && a.type == TMPL_STR && arg.type == TMPL_STR &&
                 arg.len <= a.len)
            r = memcmp(n[0] == 's' ? a.s : a.s + a.len - arg.len, arg.s,
                       arg.len) == 0;
    } else
        rc = tmpl__fail_at(rt, TMPL_E_UNSUPPORTED, e->pos,
                           "unknown test \"%s\"", n),
        r = false;
    tmpl_value_release(&a);
    tmpl_value_release(&arg);
    if (rc != 0)
        return -1;
    *out = tmpl_bool(r != e->negated);
    return 0;
}

/* Evaluates the arguments of a filter or function call, then calls it
 * with their values; a filter works on *out in place. */
static int eval_call(struct tmpl_rt *rt, const struct tmpl_expr *e,
                     struct tmpl_value *out)
{
    struct tmpl_call c = { e->name, e->pos,
                           0,       e->argnames,
                           NULL,    (const struct tmpl_expr *const *)e->args };
    int rc = 0;

    if (e->n_args > 0 &&
        (c.vals = cr_calloc(e->n_args, sizeof(*c.vals))) == NULL)
        return tmpl__nomem(rt);
    for (; c.n_args < e->n_args && rc == 0; c.n_args++) {
        rc = tmpl__eval(rt, e->args[c.n_args], &c.vals[c.n_args]);
        if (rc == 0 && c.vals[c.n_args].type == TMPL_UNDEF)
            rc = tmpl__undefined(rt, &c.vals[c.n_args], e->args[c.n_args]->pos);
    }
    if (rc == 0)
        rc = e->kind == TMPL_EX_FILTER ? tmpl__filter(rt, &c, out)
                                       : tmpl__call(rt, &c, out);
    for (size_t i = 0; i < c.n_args; i++)
        tmpl_value_release(&c.vals[i]);
    cr_free(c.vals);
    return rc;
}

int tmpl__eval(struct tmpl_rt *rt, const struct tmpl_expr *e,
               struct tmpl_value *out)
{
    memset(out, 0, sizeof(*out));
    switch (e->kind) {
    case TMPL_EX_LIT:
        return tmpl_value_copy(out, &e->lit) != 0 ? tmpl__nomem(rt) : 0;
    case TMPL_EX_VAR:
        return lookup(rt, e, out);
    case TMPL_EX_ATTR:
    case TMPL_EX_INDEX:
        return eval_attr(rt, e, out);
    case TMPL_EX_ARRAY:
        return eval_array(rt, e, out);
    case TMPL_EX_CALL:
        return e->ns != NULL ? rt->call_macro(rt, e, out)
                             : eval_call(rt, e, out);
    case TMPL_EX_FILTER:
        if (tmpl__eval(rt, e->a, out) != 0)
            return -1;
        if (eval_call(rt, e, out) != 0) {
            tmpl_value_release(out);
            return -1;
        }
        return 0;
    case TMPL_EX_TEST:
        return eval_test(rt, e, out);
    case TMPL_EX_UNARY:
        return eval_unary(rt, e, out);
    case TMPL_EX_BINARY:
        return eval_binary(rt, e, out);
    }
    return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos, "bad expression");
}
