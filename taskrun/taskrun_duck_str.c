/*
 * taskrun_duck_str: duckscript commands on strings, paths as strings and
 * integers (see taskrun_duck_str.h).
 */
#include "taskrun_duck_str.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define CMD(name)                                                              \
    enum duck_rc taskrun_duck__cmd_##name(struct taskrun_duck *d, int argc,    \
                                          char **argv, struct cr_buf *out,     \
                                          bool *has_out)

/* ---- strings ---------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f';
}

static enum duck_rc trim_cmd(struct taskrun_duck *d, int argc, char **argv,
                             struct cr_buf *out, bool *has_out, bool start,
                             bool end)
{
    (void)d;
    const char *s = argc > 1 ? argv[1] : "";
    size_t len = strlen(s);
    while (start && len && is_space(*s))
        s++, len--;
    while (end && len && is_space(s[len - 1]))
        len--;
    *has_out = true;
    return cr_buf_append(out, s, len) ? DUCK_NOMEM : DUCK_OK;
}

CMD(trim)
{
    return trim_cmd(d, argc, argv, out, has_out, true, true);
}

CMD(trim_start)
{
    return trim_cmd(d, argc, argv, out, has_out, true, false);
}

CMD(trim_end)
{
    return trim_cmd(d, argc, argv, out, has_out, false, true);
}

CMD(length)
{
    (void)d;
    return taskrun_duck__put_num(out, has_out,
                                 argc > 1 ? (long long)strlen(argv[1]) : 0);
}

CMD(is_empty)
{
    (void)d;
    return taskrun_duck__put_bool(out, has_out, argc < 2 || argv[1][0] == '\0');
}

static enum duck_rc compare(struct taskrun_duck *d, int argc, char **argv,
                            struct cr_buf *out, bool *has_out, int how)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 2, "TEXT OTHER");
    if (rc)
        return rc;
    const char *a = argv[1], *b = argv[2];
    size_t la = strlen(a), lb = strlen(b);
    bool v = how == 0   ? strcmp(a, b) == 0
             : how == 1 ? strstr(a, b) != NULL
             : how == 2 ? strncmp(a, b, lb) == 0
                        : la >= lb && strcmp(a + la - lb, b) == 0;
    return taskrun_duck__put_bool(out, has_out, v);
}

CMD(eq)
{
    return compare(d, argc, argv, out, has_out, 0);
}

CMD(contains)
{
    return compare(d, argc, argv, out, has_out, 1);
}

CMD(starts_with)
{
    return compare(d, argc, argv, out, has_out, 2);
}

CMD(ends_with)
{
    return compare(d, argc, argv, out, has_out, 3);
}

static enum duck_rc index_cmd(struct taskrun_duck *d, int argc, char **argv,
                              struct cr_buf *out, bool *has_out, bool last)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 2, "indexof TEXT PART");
    if (rc)
        return rc;
    const char *found = NULL;
    for (const char *s = argv[1]; (s = strstr(s, argv[2])) != NULL; s++) {
        found = s;
        if (!last || !*s)
            break;
    }
    return found ? taskrun_duck__put_num(out, has_out, found - argv[1])
                 : DUCK_OK;
}

CMD(indexof)
{
    return index_cmd(d, argc, argv, out, has_out, false);
}

CMD(last_indexof)
{
    return index_cmd(d, argc, argv, out, has_out, true);
}

/* substring TEXT START [END]; a lone negative index counts from the end
 * and keeps the start of the text. */
CMD(substring)
{
    enum duck_rc rc =
        taskrun_duck__need(d, argc, 2, "substring TEXT START [END]");
    if (rc)
        return rc;
    long long len = (long long)strlen(argv[1]), a, b;
    if (!taskrun_duck__to_num(argv[2], &a) ||
        (argc > 3 && !taskrun_duck__to_num(argv[3], &b)))
        return taskrun_duck__fail(d, DUCK_SOFT, "substring: bad index");
    if (argc > 3) {
    } else if (a < 0) {
        b = len + a;
        a = 0;
    } else {
        b = len;
    }
    if (a < 0 || b < a || b > len || (a >= len && !(a == 0 && b == 0 && len)))
        return taskrun_duck__fail(d, DUCK_SOFT,
                                  "substring: range %lld..%lld outside the "
                                  "text (%lld bytes)",
                                  a, b, len);
    *has_out = true;
    return cr_buf_append(out, argv[1] + a, (size_t)(b - a)) ? DUCK_NOMEM
                                                            : DUCK_OK;
}

CMD(concat)
{
    (void)d;
    *has_out = true;
    for (int i = 1; i < argc; i++)
        if (cr_buf_puts(out, argv[i]) != 0)
            return DUCK_NOMEM;
    return DUCK_OK;
}

CMD(replace)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 3, "replace TEXT FROM TO");
    if (rc)
        return rc;
    const char *s = argv[1], *from = argv[2], *to = argv[3];
    size_t fl = strlen(from);
    *has_out = true;
    if (!fl)
        return cr_buf_puts(out, s) ? DUCK_NOMEM : DUCK_OK;
    for (const char *m; (m = strstr(s, from)) != NULL; s = m + fl)
        if (cr_buf_append(out, s, (size_t)(m - s)) || cr_buf_puts(out, to))
            return DUCK_NOMEM;
    return cr_buf_puts(out, s) ? DUCK_NOMEM : DUCK_OK;
}

static enum duck_rc case_cmd(struct taskrun_duck *d, int argc, char **argv,
                             struct cr_buf *out, bool *has_out, bool up)
{
    (void)d;
    *has_out = true;
    for (const char *s = argc > 1 ? argv[1] : ""; *s; s++)
        if (cr_buf_putc(out, (char)(up ? toupper((unsigned char)*s)
                                       : tolower((unsigned char)*s))))
            return DUCK_NOMEM;
    return DUCK_OK;
}

CMD(uppercase)
{
    return case_cmd(d, argc, argv, out, has_out, true);
}

CMD(lowercase)
{
    return case_cmd(d, argc, argv, out, has_out, false);
}

CMD(join_path)
{
    (void)d;
    *has_out = true;
    for (int i = 1; i < argc; i++) {
        bool slash = out->len && out->data[out->len - 1] == '/';
        if (i > 1 && !slash && cr_buf_putc(out, '/'))
            return DUCK_NOMEM;
        for (const char *s = argv[i]; *s; s++)
            if (!(*s == '/' && out->len && out->data[out->len - 1] == '/') &&
                cr_buf_putc(out, *s))
                return DUCK_NOMEM;
    }
    return DUCK_OK;
}

/* ---- calc: integers with + - * / % and parentheses --------------------- */

struct calc {
    const char *s;
    const char *err;
};

static long long calc_add(struct calc *c);

static void calc_ws(struct calc *c)
{
    while (is_space(*c->s))
        c->s++;
}

static long long calc_atom(struct calc *c)
{
    calc_ws(c);
    if (*c->s == '-') {
        c->s++;
        return -calc_atom(c);
    }
    if (*c->s == '+') {
        c->s++;
        return calc_atom(c);
    }
    if (*c->s == '(') {
        c->s++;
        long long v = calc_add(c);
        calc_ws(c);
        if (*c->s != ')')
            c->err = "missing \")\"";
        else
            c->s++;
        return v;
    }
    char *end;
    errno = 0;
    long long v = strtoll(c->s, &end, 10);
    if (end == c->s || errno)
        c->err = "expected a number";
    c->s = end;
    return v;
}

static long long calc_mul(struct calc *c)
{
    long long v = calc_atom(c);
    for (;;) {
        calc_ws(c);
        char op = *c->s;
        if (c->err || (op != '*' && op != '/' && op != '%'))
            return v;
        c->s++;
        long long r = calc_atom(c);
        if (op != '*' && r == 0) {
            c->err = "division by zero";
            return 0;
        }
        if (op == '*' && __builtin_mul_overflow(v, r, &v))
            c->err = "overflow";
        else if (op == '/')
            v = (v == LLONG_MIN && r == -1) ? (c->err = "overflow", 0) : v / r;
        else if (op == '%')
            v = (r == -1) ? 0 : v % r;
    }
}

static long long calc_add(struct calc *c)
{
    long long v = calc_mul(c);
    for (;;) {
        calc_ws(c);
        char op = *c->s;
        if (c->err || (op != '+' && op != '-'))
            return v;
        c->s++;
        long long r = calc_mul(c);
        if (op == '+' ? __builtin_add_overflow(v, r, &v)
                      : __builtin_sub_overflow(v, r, &v))
            c->err = "overflow";
    }
}

CMD(calc)
{
    struct cr_buf e = { 0 };
    for (int i = 1; i < argc; i++)
        if (cr_buf_printf(&e, "%s ", argv[i]) != 0) {
            cr_buf_release(&e);
            return DUCK_NOMEM;
        }
    struct calc c = { cr_buf_str(&e), NULL };
    long long v = calc_add(&c);
    calc_ws(&c);
    if (!c.err && *c.s)
        c.err = "unexpected text";
    if (argc < 2)
        c.err = "no expression";
    enum duck_rc rc =
        c.err ? taskrun_duck__fail(d, DUCK_SOFT, "calc: %s in \"%s\"", c.err,
                                   cr_buf_str(&e))
              : taskrun_duck__put_num(out, has_out, v);
    cr_buf_release(&e);
    return rc;
}

static bool to_double(const char *s, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return *s && !*end;
}

static enum duck_rc num_compare(struct taskrun_duck *d, int argc, char **argv,
                                struct cr_buf *out, bool *has_out, bool gt)
{
    double a, b;
    if (argc < 3 || !to_double(argv[1], &a) || !to_double(argv[2], &b))
        return taskrun_duck__fail(d, DUCK_SOFT, "%s: needs two numbers",
                                  argv[0]);
    return taskrun_duck__put_bool(out, has_out, gt ? a > b : a < b);
}

CMD(greater_than)
{
    return num_compare(d, argc, argv, out, has_out, true);
}

CMD(less_than)
{
    return num_compare(d, argc, argv, out, has_out, false);
}

CMD(basename)
{
    (void)d;
    const char *s = argc > 1 ? argv[1] : "";
    size_t len = strlen(s);
    while (len > 1 && s[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && s[start - 1] != '/')
        start--;
    if (start == len)
        return DUCK_OK;
    *has_out = true;
    return cr_buf_append(out, s + start, len - start) ? DUCK_NOMEM : DUCK_OK;
}

CMD(dirname)
{
    (void)d;
    const char *s = argc > 1 ? argv[1] : "";
    const char *slash = strrchr(s, '/');
    if (!slash)
        return DUCK_OK;
    *has_out = true;
    size_t n = slash == s ? 1 : (size_t)(slash - s);
    return cr_buf_append(out, s, n) ? DUCK_NOMEM : DUCK_OK;
}
