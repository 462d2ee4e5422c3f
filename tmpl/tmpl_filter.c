/* tmpl_filter: Tera's filters used in test files. Arguments are named, as
 * Tera requires: replace(from="a", to="b"), join(sep=", "). See
 * tmpl_int.h. */
#include "tmpl_int.h"

#include "cr_alloc.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Evaluates the named argument of filter e; required ones missing are an
 * error. *arg is null when absent. */
/* A copy of the named argument of filter e; required ones missing are an
 * error. *out is null when absent. */
static int arg(struct tmpl_rt *rt, const struct tmpl_call *e, const char *name,
               bool required, struct tmpl_value *out)
{
    const struct tmpl_value *x = tmpl__argv(e, name, -1, NULL);

    memset(out, 0, sizeof(*out));
    if (x == NULL && tmpl__argv(e, NULL, 0, NULL) != NULL)
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                             "filter \"%s\" takes named arguments, e.g. %s=...",
                             e->name, name);
    if (x == NULL)
        return required
                   ? tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                                   "filter \"%s\" needs %s=...", e->name, name)
                   : 0;
    return tmpl_value_copy(out, x) != 0 ? tmpl__nomem(rt) : 0;
}

static int need_str(struct tmpl_rt *rt, const struct tmpl_call *e,
                    const struct tmpl_value *v)
{
    if (v->type == TMPL_STR)
        return 0;
    return tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                         "filter \"%s\" needs a string, not a %s", e->name,
                         tmpl_type_name(v->type));
}

static int set_buf(struct tmpl_rt *rt, struct tmpl_value *v, struct cr_buf *b)
{
    tmpl_value_release(v);
    *v = tmpl_str_take(b);
    return v->s == NULL ? tmpl__nomem(rt) : 0;
}

static int case_map(struct tmpl_rt *rt, struct tmpl_value *v, int which)
{
    bool start = true;

    for (size_t i = 0; i < v->len; i++) {
        unsigned char c = (unsigned char)v->s[i];
        if (which == 'u' || (which == 'c' && i == 0) || (which == 't' && start))
            v->s[i] = (char)toupper(c);
        else if (which != 't' || !start)
            v->s[i] = (char)tolower(c);
        start = isspace(c);
    }
    (void)rt;
    return 0;
}

static int trim(struct tmpl_value *v, bool left, bool right)
{
    size_t a = 0, b = v->len;

    while (left && a < b && isspace((unsigned char)v->s[a]))
        a++;
    while (right && b > a && isspace((unsigned char)v->s[b - 1]))
        b--;
    memmove(v->s, v->s + a, b - a);
    v->len = b - a;
    v->s[v->len] = '\0';
    return 0;
}

static int replace(struct tmpl_rt *rt, const struct tmpl_call *e,
                   struct tmpl_value *v)
{
    struct tmpl_value from, to;
    struct cr_buf b;
    int rc = -1;

    if (arg(rt, e, "from", true, &from) != 0)
        return -1;
    if (arg(rt, e, "to", true, &to) != 0 || need_str(rt, e, &from) ||
        need_str(rt, e, &to))
        goto out;
    cr_buf_init(&b);
    for (size_t i = 0; i < v->len;) {
        bool hit = from.len > 0 && v->len - i >= from.len &&
                   memcmp(v->s + i, from.s, from.len) == 0;
        if (hit ? cr_buf_append(&b, to.s, to.len) : cr_buf_putc(&b, v->s[i])) {
            cr_buf_release(&b);
            rc = tmpl__nomem(rt);
            goto out;
        }
        i += hit ? from.len : 1;
    }
    rc = set_buf(rt, v, &b);
out:
    tmpl_value_release(&from);
    tmpl_value_release(&to);
    return rc;
}

static int join(struct tmpl_rt *rt, const struct tmpl_call *e,
                struct tmpl_value *v)
{
    struct tmpl_value sep;
    struct cr_buf b;
    int rc = 0;

    if (v->type != TMPL_ARRAY)
        return tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                             "filter \"join\" needs an array, not a %s",
                             tmpl_type_name(v->type));
    if (arg(rt, e, "sep", false, &sep) != 0)
        return -1;
    cr_buf_init(&b);
    for (size_t i = 0; i < v->len && rc == 0; i++)
        rc = (i > 0 && sep.type != TMPL_NULL && tmpl_value_print(&b, &sep)) ||
             tmpl_value_print(&b, &v->items[i]);
    tmpl_value_release(&sep);
    if (rc != 0) {
        cr_buf_release(&b);
        return tmpl__nomem(rt);
    }
    return set_buf(rt, v, &b);
}

static int split(struct tmpl_rt *rt, const struct tmpl_call *e,
                 struct tmpl_value *v)
{
    struct tmpl_value pat, res = { .type = TMPL_ARRAY }, item;
    const char *p, *q;

    if (arg(rt, e, "pat", true, &pat) != 0)
        return -1;
    if (need_str(rt, e, &pat) != 0 || pat.len == 0) {
        tmpl_value_release(&pat);
        return pat.len == 0 ? tmpl__fail_at(rt, TMPL_E_EVAL, e->pos,
                                            "split needs a non-empty pat")
                            : -1;
    }
    for (p = v->s;; p = q + pat.len) {
        q = strstr(p, pat.s);
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (tmpl_str(&item, p, n) != 0 || tmpl_array_push_take(&res, &item))
            goto nomem;
        if (q == NULL)
            break;
    }
    tmpl_value_release(&pat);
    tmpl_value_release(v);
    *v = res;
    return 0;
nomem:
    tmpl_value_release(&pat);
    tmpl_value_release(&res);
    return tmpl__nomem(rt);
}

static int encode(struct tmpl_rt *rt, const struct tmpl_call *e,
                  struct tmpl_value *v, bool toml)
{
    struct tmpl_value pretty;
    struct cr_buf b;
    int rc;

    if (arg(rt, e, "pretty", false, &pretty) != 0)
        return -1;
    cr_buf_init(&b);
    rc = toml ? tmpl_value_toml(&b, v)
              : tmpl_value_json(&b, v, tmpl_truthy(&pretty));
    tmpl_value_release(&pretty);
    if (rc != 0) {
        cr_buf_release(&b);
        return tmpl__nomem(rt);
    }
    return set_buf(rt, v, &b);
}

static int to_number(struct tmpl_rt *rt, const struct tmpl_call *e,
                     struct tmpl_value *v, bool want_int)
{
    double d = 0;
    char *end = NULL;

    if (v->type == TMPL_INT || v->type == TMPL_FLOAT)
        d = v->type == TMPL_INT ? (double)v->i : v->f;
    else if (v->type == TMPL_STR) {
        d = strtod(v->s, &end);
        if (end == v->s || *end != '\0') {
            struct tmpl_value def;
            if (arg(rt, e, "default", false, &def) != 0)
                return -1;
            tmpl_value_release(v);
            *v = def.type == TMPL_NULL ? tmpl_int(0) : def;
            return 0;
        }
    } else
        return tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                             "filter \"%s\" needs a number or a string",
                             e->name);
    if (v->type == TMPL_INT && want_int)
        return 0;
    tmpl_value_release(v);
    if (want_int && (d >= 9.2e18 || d <= -9.2e18 || isnan(d)))
        return tmpl__fail_at(rt, TMPL_E_EVAL, e->pos, "number out of range");
    *v = want_int ? tmpl_int((int64_t)d) : tmpl_float(d);
    return 0;
}

static int first_last_reverse(struct tmpl_rt *rt, const struct tmpl_call *e,
                              struct tmpl_value *v)
{
    struct tmpl_value item;

    if (v->type != TMPL_ARRAY && !(e->name[0] == 'r' && v->type == TMPL_STR))
        return tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                             "filter \"%s\" needs an array", e->name);
    if (e->name[0] == 'r') {
        for (size_t i = 0; i < v->len / 2; i++) {
            if (v->type == TMPL_STR) {
                char c = v->s[i];
                v->s[i] = v->s[v->len - 1 - i], v->s[v->len - 1 - i] = c;
            } else {
                item = v->items[i];
                v->items[i] = v->items[v->len - 1 - i];
                v->items[v->len - 1 - i] = item;
            }
        }
        return 0;
    }
    if (v->len == 0) {
        tmpl_value_release(v);
        return tmpl_undef(v, e->name) ? tmpl__nomem(rt) : 0;
    }
    if (tmpl_value_copy(&item, &v->items[e->name[0] == 'f' ? 0 : v->len - 1]))
        return tmpl__nomem(rt);
    tmpl_value_release(v);
    *v = item;
    return 0;
}

static int string_filter(struct tmpl_rt *rt, const struct tmpl_call *e,
                         struct tmpl_value *v)
{
    const char *n = e->name;

    if (need_str(rt, e, v) != 0)
        return -1;
    if (strcmp(n, "upper") == 0 || strcmp(n, "lower") == 0 ||
        strcmp(n, "capitalize") == 0 || strcmp(n, "title") == 0)
        return case_map(rt, v, n[0] == 'l' ? 'l' : n[0]);
    if (strcmp(n, "trim") == 0)
        return trim(v, true, true);
    if (strcmp(n, "trim_start") == 0 || strcmp(n, "trim_end") == 0)
        return trim(v, n[5] == 's', n[5] == 'e');
    if (strcmp(n, "replace") == 0)
        return replace(rt, e, v);
    return split(rt, e, v);
}

int tmpl__filter(struct tmpl_rt *rt, const struct tmpl_call *e,
                 struct tmpl_value *v)
{
    static const char *const strings[] = { "upper",      "lower",    "trim",
                                           "trim_start", "trim_end", "replace",
                                           "capitalize", "title",    "split" };
    const char *n = e->name;

    if (strcmp(n, "default") == 0) {
        struct tmpl_value def;
        if (v->type != TMPL_UNDEF)
            return 0;
        if (arg(rt, e, "value", true, &def) != 0)
            return -1;
        tmpl_value_release(v);
        *v = def;
        return 0;
    }
    if (v->type == TMPL_UNDEF)
        return tmpl__undefined(rt, v, e->pos);
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
        if (strcmp(n, strings[i]) == 0)
            return string_filter(rt, e, v);
    if (strcmp(n, "length") == 0) {
        if (v->type != TMPL_STR && v->type != TMPL_ARRAY &&
            v->type != TMPL_OBJECT)
            return tmpl__fail_at(rt, TMPL_E_TYPE, e->pos,
                                 "filter \"length\" needs a string, array or "
                                 "object");
        size_t len = v->len;
        tmpl_value_release(v);
        *v = tmpl_int((int64_t)len);
        return 0;
    }
    if (strcmp(n, "join") == 0)
        return join(rt, e, v);
    if (strcmp(n, "json_encode") == 0 || strcmp(n, "toml_encode") == 0)
        return encode(rt, e, v, n[0] == 't');
    if (strcmp(n, "int") == 0 || strcmp(n, "float") == 0)
        return to_number(rt, e, v, n[0] == 'i');
    if (strcmp(n, "first") == 0 || strcmp(n, "last") == 0 ||
        strcmp(n, "reverse") == 0)
        return first_last_reverse(rt, e, v);
    if (strcmp(n, "as_str") == 0) {
        struct cr_buf b;
        cr_buf_init(&b);
        if (tmpl_value_print(&b, v) != 0)
            return cr_buf_release(&b), tmpl__nomem(rt);
        return set_buf(rt, v, &b);
    }
    if (strcmp(n, "safe") == 0) /* nothing is escaped in test files */
        return 0;
    if (strcmp(n, "abs") == 0 &&
        (v->type == TMPL_INT || v->type == TMPL_FLOAT)) {
        if (v->type == TMPL_INT && v->i < 0 && v->i != INT64_MIN)
            v->i = -v->i;
        else if (v->type == TMPL_FLOAT)
            v->f = fabs(v->f);
        return 0;
    }
    return tmpl__fail_at(rt, TMPL_E_UNSUPPORTED, e->pos,
                         "unknown or unsupported filter \"%s\"", n);
}
