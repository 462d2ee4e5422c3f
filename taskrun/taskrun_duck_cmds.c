/*
 * taskrun_duck_cmds: the duckscript command table, and the commands on
 * strings, numbers, variables, arrays, sets and assertions. The commands
 * that touch the system are in taskrun_duck_sys.c.
 */
#include "cr_alloc.h"
#include "taskrun_duck_int.h"
#include "taskrun_duck_sys.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD(name)                                                              \
    static enum duck_rc cmd_##name(struct taskrun_duck *d, int argc,           \
                                   char **argv, struct cr_buf *out,            \
                                   bool *has_out)
#define UNUSED (void)d, (void)argc, (void)argv, (void)out, (void)has_out

static enum duck_rc put(struct cr_buf *out, bool *has_out, const char *s)
{
    *has_out = true;
    return cr_buf_puts(out, s) ? DUCK_NOMEM : DUCK_OK;
}

static enum duck_rc put_bool(struct cr_buf *out, bool *has_out, bool v)
{
    return put(out, has_out, v ? "true" : "false");
}

static enum duck_rc put_num(struct cr_buf *out, bool *has_out, long long v)
{
    *has_out = true;
    return cr_buf_printf(out, "%lld", v) ? DUCK_NOMEM : DUCK_OK;
}

static enum duck_rc need(struct taskrun_duck *d, int argc, int n,
                         const char *usage)
{
    if (argc - 1 < n)
        return taskrun_duck__fail(d, DUCK_SOFT, "usage: %s", usage);
    return DUCK_OK;
}

static bool to_num(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return *s && !*end && errno == 0;
}

/* ---- output, variables ------------------------------------------------ */

static enum duck_rc print_args(struct taskrun_duck *d, int argc, char **argv,
                               bool newline)
{
    struct cr_buf b = { 0 };
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++)
        rc = cr_buf_printf(&b, "%s%s", i > 1 ? " " : "", argv[i]);
    if (!rc && newline)
        rc = cr_buf_putc(&b, '\n');
    if (rc) {
        cr_buf_release(&b);
        return DUCK_NOMEM;
    }
    const char *p = cr_buf_str(&b);
    size_t left = b.len;
    while (left > 0) {
        ssize_t n = write(d->io.out_fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* a closed output is not the script's failure */
        p += n;
        left -= (size_t)n;
    }
    cr_buf_release(&b);
    return DUCK_OK;
}

CMD(echo)
{
    enum duck_rc rc = print_args(d, argc, argv, true);
    return rc ? rc : put_num(out, has_out, argc - 1);
}

CMD(print)
{
    enum duck_rc rc = print_args(d, argc, argv, false);
    return rc ? rc : put_num(out, has_out, argc - 1);
}

CMD(get_last_error)
{
    (void)argc, (void)argv;
    return d->last_error[0] ? put(out, has_out, d->last_error) : DUCK_OK;
}

/* set VALUE, or set A or B or C: the first true one, else the last. */
CMD(set)
{
    if (argc < 2)
        return DUCK_OK;
    int i = 1;
    while (!taskrun_duck__truthy(argv[i]) && i + 1 < argc) {
        if (strcmp(argv[i + 1], "or") != 0 || i + 2 >= argc)
            return taskrun_duck__fail(d, DUCK_SOFT,
                                      "set: expected VALUE [or VALUE]...");
        i += 2;
    }
    return put(out, has_out, argv[i]);
}

CMD(noop)
{
    UNUSED;
    return DUCK_OK;
}

CMD(exit)
{
    UNUSED;
    long long v = 0;
    if (argc > 1 && !to_num(argv[1], &v))
        return taskrun_duck__fail(d, DUCK_FATAL, "exit: \"%s\" is not a number",
                                  argv[1]);
    d->exit_code = (int)(v & 0xff);
    return DUCK_EXIT;
}

CMD(is_defined)
{
    enum duck_rc rc = need(d, argc, 1, "is_defined NAME");
    return rc ? rc : put_bool(out, has_out, taskrun_duck__get(d, argv[1]));
}

CMD(unset)
{
    (void)out, (void)has_out;
    for (int i = 1; i < argc; i++)
        if (taskrun_duck__set(d, argv[i], NULL) != 0)
            return DUCK_NOMEM;
    return DUCK_OK;
}

CMD(get_by_name)
{
    const char *v = argc > 1 ? taskrun_duck__get(d, argv[1]) : NULL;
    return v ? put(out, has_out, v) : DUCK_OK;
}

CMD(set_by_name)
{
    enum duck_rc rc = need(d, argc, 1, "set_by_name NAME [VALUE]");
    if (rc)
        return rc;
    if (taskrun_duck__set(d, argv[1], argc > 2 ? argv[2] : NULL) != 0)
        return DUCK_NOMEM;
    return argc > 2 ? put(out, has_out, argv[2]) : DUCK_OK;
}

CMD(is_windows)
{
    UNUSED;
    return put_bool(out, has_out, false);
}

CMD(os_family)
{
    UNUSED;
    return put(out, has_out, "linux");
}

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
    return put_num(out, has_out, argc > 1 ? (long long)strlen(argv[1]) : 0);
}

CMD(is_empty)
{
    (void)d;
    return put_bool(out, has_out, argc < 2 || argv[1][0] == '\0');
}

static enum duck_rc compare(struct taskrun_duck *d, int argc, char **argv,
                            struct cr_buf *out, bool *has_out, int how)
{
    enum duck_rc rc = need(d, argc, 2, "TEXT OTHER");
    if (rc)
        return rc;
    const char *a = argv[1], *b = argv[2];
    size_t la = strlen(a), lb = strlen(b);
    bool v = how == 0   ? strcmp(a, b) == 0
             : how == 1 ? strstr(a, b) != NULL
             : how == 2 ? strncmp(a, b, lb) == 0
                        : la >= lb && strcmp(a + la - lb, b) == 0;
    return put_bool(out, has_out, v);
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
    enum duck_rc rc = need(d, argc, 2, "indexof TEXT PART");
    if (rc)
        return rc;
    const char *found = NULL;
    for (const char *s = argv[1]; (s = strstr(s, argv[2])) != NULL; s++) {
        found = s;
        if (!last || !*s)
            break;
    }
    return found ? put_num(out, has_out, found - argv[1]) : DUCK_OK;
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
    enum duck_rc rc = need(d, argc, 2, "substring TEXT START [END]");
    if (rc)
        return rc;
    long long len = (long long)strlen(argv[1]), a, b;
    if (!to_num(argv[2], &a) || (argc > 3 && !to_num(argv[3], &b)))
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
    enum duck_rc rc = need(d, argc, 3, "replace TEXT FROM TO");
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
              : put_num(out, has_out, v);
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
    return put_bool(out, has_out, gt ? a > b : a < b);
}

CMD(greater_than)
{
    return num_compare(d, argc, argv, out, has_out, true);
}

CMD(less_than)
{
    return num_compare(d, argc, argv, out, has_out, false);
}

/* ---- arrays and sets ---------------------------------------------------- */

static struct duck_handle *arg_handle(struct taskrun_duck *d, int argc,
                                      char **argv, enum duck_rc *rc)
{
    struct duck_handle *h = argc > 1 ? taskrun_duck__handle(d, argv[1]) : NULL;
    *rc = h ? DUCK_OK
            : taskrun_duck__fail(d, DUCK_SOFT, "%s: \"%s\" is not a handle",
                                 argv[0], argc > 1 ? argv[1] : "");
    return h;
}

static enum duck_rc new_collection(struct taskrun_duck *d, int argc,
                                   char **argv, struct cr_buf *out,
                                   bool *has_out, enum duck_handle_kind kind)
{
    struct duck_handle *h = taskrun_duck__handle_new(d, kind, out);
    *has_out = true;
    for (int i = 1; h && i < argc; i++)
        if ((kind == DUCK_ARRAY || cr_strv_find(&h->items, argv[i]) < 0) &&
            cr_strv_push(&h->items, argv[i]) != 0)
            return DUCK_NOMEM;
    return h ? DUCK_OK : DUCK_NOMEM;
}

CMD(array)
{
    return new_collection(d, argc, argv, out, has_out, DUCK_ARRAY);
}

CMD(set_new)
{
    return new_collection(d, argc, argv, out, has_out, DUCK_SET);
}

CMD(range)
{
    long long a, b;
    if (argc < 3 || !to_num(argv[1], &a) || !to_num(argv[2], &b) || b < a ||
        b - a > 10000000)
        return taskrun_duck__fail(d, DUCK_SOFT, "usage: range START END");
    struct duck_handle *h = taskrun_duck__handle_new(d, DUCK_ARRAY, out);
    *has_out = true;
    char num[24];
    for (long long i = a; h && i < b; i++) {
        snprintf(num, sizeof(num), "%lld", i);
        if (cr_strv_push(&h->items, num) != 0)
            return DUCK_NOMEM;
    }
    return h ? DUCK_OK : DUCK_NOMEM;
}

CMD(array_length)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    return h ? put_num(out, has_out, (long long)h->items.n) : rc;
}

CMD(array_is_empty)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    return h ? put_bool(out, has_out, h->items.n == 0) : rc;
}

static bool arg_index(const struct duck_handle *h, const char *s, size_t *i)
{
    long long v;
    if (!to_num(s, &v) || v < 0 || (size_t)v >= h->items.n)
        return false;
    *i = (size_t)v;
    return true;
}

CMD(array_get)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    size_t i;
    if (!h)
        return rc;
    if (argc < 3 || !arg_index(h, argv[2], &i))
        return DUCK_OK; /* out of range: no value, as duckscript */
    return put(out, has_out, h->items.v[i]);
}

CMD(array_set)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    size_t i;
    if (!h)
        return rc;
    if (argc < 4 || !arg_index(h, argv[2], &i))
        return taskrun_duck__fail(d, DUCK_SOFT, "array_set: bad index");
    char *v = cr_strdup(argv[3]);
    if (!v)
        return DUCK_NOMEM;
    cr_free(h->items.v[i]);
    h->items.v[i] = v;
    return put_bool(out, has_out, true);
}

CMD(array_push)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    for (int i = 2; i < argc; i++)
        if ((h->kind == DUCK_ARRAY || cr_strv_find(&h->items, argv[i]) < 0) &&
            cr_strv_push(&h->items, argv[i]) != 0)
            return DUCK_NOMEM;
    return put_bool(out, has_out, true);
}

CMD(array_pop)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    if (!h->items.n)
        return DUCK_OK;
    char *v = h->items.v[--h->items.n];
    h->items.v[h->items.n] = NULL;
    rc = put(out, has_out, v);
    cr_free(v);
    return rc;
}

CMD(array_remove)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    size_t i;
    if (!h)
        return rc;
    if (argc < 3 || !arg_index(h, argv[2], &i))
        return taskrun_duck__fail(d, DUCK_SOFT, "array_remove: bad index");
    cr_free(h->items.v[i]);
    memmove(&h->items.v[i], &h->items.v[i + 1],
            (h->items.n - i) * sizeof(char *));
    h->items.n--;
    return put_bool(out, has_out, true);
}

CMD(array_clear)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    cr_strv_release(&h->items);
    return put_bool(out, has_out, true);
}

CMD(array_join)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    if (argc < 3)
        return taskrun_duck__fail(d, DUCK_SOFT,
                                  "usage: array_join HANDLE SEPARATOR");
    *has_out = true;
    for (size_t i = 0; i < h->items.n; i++)
        if ((i && cr_buf_puts(out, argv[2])) || cr_buf_puts(out, h->items.v[i]))
            return DUCK_NOMEM;
    return DUCK_OK;
}

CMD(array_contains)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    long i = cr_strv_find(&h->items, argc > 2 ? argv[2] : "");
    return i < 0 ? put_bool(out, has_out, false) : put_num(out, has_out, i);
}

CMD(set_contains)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    return put_bool(out, has_out,
                    cr_strv_find(&h->items, argc > 2 ? argv[2] : "") >= 0);
}

CMD(split)
{
    enum duck_rc rc = need(d, argc, 2, "split TEXT SEPARATOR");
    if (rc)
        return rc;
    struct duck_handle *h = taskrun_duck__handle_new(d, DUCK_ARRAY, out);
    *has_out = true;
    if (!h)
        return DUCK_NOMEM;
    const char *s = argv[1], *sep = argv[2];
    size_t sl = strlen(sep);
    for (;;) {
        const char *m = sl ? strstr(s, sep) : NULL;
        size_t n = m ? (size_t)(m - s) : strlen(s);
        char *part = cr_malloc(n + 1);
        if (!part)
            return DUCK_NOMEM;
        memcpy(part, s, n);
        part[n] = '\0';
        if (cr_strv_push_take(&h->items, part) != 0)
            return DUCK_NOMEM;
        if (!m)
            return DUCK_OK;
        s = m + sl;
    }
}

/* release [--recursive] HANDLE: --recursive also releases the handles
 * stored in it, depth first. */
static bool release_handle(struct taskrun_duck *d, const char *id, bool rec,
                           int depth)
{
    struct duck_handle *h = taskrun_duck__handle(d, id);
    if (!h)
        return false;
    if (rec && depth < 64) {
        /* Taken out first: the items belong to no handle any more. */
        struct cr_strv items = h->items;
        memset(&h->items, 0, sizeof(h->items));
        for (size_t i = 0; i < items.n; i++)
            release_handle(d, items.v[i], true, depth + 1);
        cr_strv_release(&items);
    }
    return taskrun_duck__handle_release(d, id);
}

CMD(release)
{
    int i = 1;
    bool rec = false;
    for (; i < argc && argv[i][0] == '-'; i++)
        rec |=
            strcmp(argv[i], "--recursive") == 0 || strcmp(argv[i], "-r") == 0;
    return put_bool(out, has_out,
                    i < argc && release_handle(d, argv[i], rec, 0));
}

static enum duck_rc is_kind(struct taskrun_duck *d, int argc, char **argv,
                            struct cr_buf *out, bool *has_out,
                            enum duck_handle_kind kind)
{
    struct duck_handle *h = argc > 1 ? taskrun_duck__handle(d, argv[1]) : NULL;
    return put_bool(out, has_out, h && h->kind == kind);
}

/* ---- maps ------------------------------------------------------------ */

static struct duck_handle *arg_map(struct taskrun_duck *d, int argc,
                                   char **argv, enum duck_rc *rc)
{
    struct duck_handle *h = arg_handle(d, argc, argv, rc);
    if (h && h->kind != DUCK_MAP) {
        *rc = taskrun_duck__fail(d, DUCK_SOFT, "%s: \"%s\" is not a map",
                                 argv[0], argv[1]);
        return NULL;
    }
    return h;
}

/* The index of key's entry in the map's items, or -1. */
static long map_find(const struct duck_handle *h, const char *key)
{
    for (size_t i = 0; i + 1 < h->items.n; i += 2)
        if (strcmp(h->items.v[i], key) == 0)
            return (long)i;
    return -1;
}

CMD(map)
{
    (void)argc, (void)argv;
    *has_out = true;
    return taskrun_duck__handle_new(d, DUCK_MAP, out) ? DUCK_OK : DUCK_NOMEM;
}

CMD(is_map)
{
    return is_kind(d, argc, argv, out, has_out, DUCK_MAP);
}

CMD(map_put)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    if (!h)
        return rc;
    if (argc < 4)
        return taskrun_duck__fail(d, DUCK_SOFT, "usage: map_put MAP KEY VALUE");
    long i = map_find(h, argv[2]);
    if (i >= 0) {
        char *v = cr_strdup(argv[3]);
        if (!v)
            return DUCK_NOMEM;
        cr_free(h->items.v[i + 1]);
        h->items.v[i + 1] = v;
    } else if (cr_strv_push(&h->items, argv[2]) != 0 ||
               cr_strv_push(&h->items, argv[3]) != 0) {
        return DUCK_NOMEM;
    }
    return put_bool(out, has_out, true);
}

CMD(map_get)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    if (!h)
        return rc;
    long i = argc > 2 ? map_find(h, argv[2]) : -1;
    return i >= 0 ? put(out, has_out, h->items.v[i + 1]) : DUCK_OK;
}

CMD(map_remove)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    if (!h)
        return rc;
    long i = argc > 2 ? map_find(h, argv[2]) : -1;
    if (i < 0)
        return DUCK_OK;
    rc = put(out, has_out, h->items.v[i + 1]);
    cr_free(h->items.v[i]);
    cr_free(h->items.v[i + 1]);
    memmove(&h->items.v[i], &h->items.v[i + 2],
            (h->items.n - (size_t)i - 1) * sizeof(char *));
    h->items.n -= 2;
    return rc;
}

CMD(map_size)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    return h ? put_num(out, has_out, (long long)h->items.n / 2) : rc;
}

CMD(map_is_empty)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    return h ? put_bool(out, has_out, h->items.n == 0) : rc;
}

CMD(map_contains_key)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    return h ? put_bool(out, has_out, argc > 2 && map_find(h, argv[2]) >= 0)
             : rc;
}

CMD(map_contains_value)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    if (!h)
        return rc;
    bool found = false;
    for (size_t i = 1; argc > 2 && i < h->items.n; i += 2)
        found |= strcmp(h->items.v[i], argv[2]) == 0;
    return put_bool(out, has_out, found);
}

CMD(map_keys)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    if (!h)
        return rc;
    size_t at = (size_t)(h - d->handles);
    struct duck_handle *k = taskrun_duck__handle_new(d, DUCK_ARRAY, out);
    *has_out = true;
    if (!k)
        return DUCK_NOMEM;
    h = &d->handles[at]; /* the table may have moved */
    for (size_t i = 0; i < h->items.n; i += 2)
        if (cr_strv_push(&k->items, h->items.v[i]) != 0)
            return DUCK_NOMEM;
    return DUCK_OK;
}

/* ---- assertions and errors ------------------------------------------- */

static enum duck_rc assertion(struct taskrun_duck *d, bool ok, const char *what,
                              int argc, char **argv, int msg_at)
{
    if (ok)
        return DUCK_OK;
    if (argc > msg_at)
        return taskrun_duck__fail(d, DUCK_FATAL, "%s", argv[msg_at]);
    return taskrun_duck__fail(d, DUCK_FATAL, "assertion failed: %s", what);
}

CMD(assert)
{
    (void)out, (void)has_out;
    char what[300];
    snprintf(what, sizeof(what), "\"%s\" is not true", argc > 1 ? argv[1] : "");
    return assertion(d, argc > 1 && taskrun_duck__truthy(argv[1]), what, argc,
                     argv, 2);
}

CMD(assert_false)
{
    (void)out, (void)has_out;
    char what[300];
    snprintf(what, sizeof(what), "\"%s\" is not false",
             argc > 1 ? argv[1] : "");
    return assertion(d, argc < 2 || !taskrun_duck__truthy(argv[1]), what, argc,
                     argv, 2);
}

CMD(assert_eq)
{
    (void)out, (void)has_out;
    const char *a = argc > 1 ? argv[1] : "", *b = argc > 2 ? argv[2] : "";
    char what[400];
    snprintf(what, sizeof(what), "\"%.150s\" is not \"%.150s\"", a, b);
    return assertion(d, strcmp(a, b) == 0, what, argc, argv, 3);
}

CMD(assert_fail)
{
    (void)out, (void)has_out;
    return assertion(d, false, "assert_fail", argc, argv, 1);
}

CMD(trigger_error)
{
    (void)out, (void)has_out;
    return taskrun_duck__fail(d, DUCK_SOFT, "%s", argc > 1 ? argv[1] : "Error");
}

CMD(is_array)
{
    return is_kind(d, argc, argv, out, has_out, DUCK_ARRAY);
}

CMD(is_set)
{
    return is_kind(d, argc, argv, out, has_out, DUCK_SET);
}

CMD(set_remove)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    long i = cr_strv_find(&h->items, argc > 2 ? argv[2] : "");
    if (i >= 0) {
        cr_free(h->items.v[i]);
        memmove(&h->items.v[i], &h->items.v[i + 1],
                (h->items.n - (size_t)i) * sizeof(char *));
        h->items.n--;
    }
    return put_bool(out, has_out, i >= 0);
}

/* set_to_array and set_from_array: a new handle with the same items. */
static enum duck_rc convert(struct taskrun_duck *d, int argc, char **argv,
                            struct cr_buf *out, bool *has_out,
                            enum duck_handle_kind kind)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    size_t at = (size_t)(h - d->handles);
    struct duck_handle *n = taskrun_duck__handle_new(d, kind, out);
    *has_out = true;
    if (!n)
        return DUCK_NOMEM;
    h = &d->handles[at]; /* the table may have moved */
    for (size_t i = 0; i < h->items.n; i++)
        if ((kind == DUCK_ARRAY ||
             cr_strv_find(&n->items, h->items.v[i]) < 0) &&
            cr_strv_push(&n->items, h->items.v[i]) != 0)
            return DUCK_NOMEM;
    return DUCK_OK;
}

CMD(set_to_array)
{
    return convert(d, argc, argv, out, has_out, DUCK_ARRAY);
}

CMD(set_from_array)
{
    return convert(d, argc, argv, out, has_out, DUCK_SET);
}

/* basename and dirname of a path, as the strings they are. */
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

/* ---- the table ------------------------------------------------------- */

static const struct {
    const char *name;
    duck_cmd_fn fn;
} commands[] = {
#define SYS_ROW(name) { #name, taskrun_duck__cmd_##name },
    DUCK_SYS_COMMANDS(SYS_ROW)
#undef SYS_ROW
        { "echo", cmd_echo },
    { "println", cmd_echo },
    { "print", cmd_print },
    { "set", cmd_set },
    { "noop", cmd_noop },
    { "exit", cmd_exit },
    { "is_defined", cmd_is_defined },
    { "unset", cmd_unset },
    { "get_by_name", cmd_get_by_name },
    { "set_by_name", cmd_set_by_name },
    { "is_windows", cmd_is_windows },
    { "os_family", cmd_os_family },
    { "trim", cmd_trim },
    { "trim_start", cmd_trim_start },
    { "trim_end", cmd_trim_end },
    { "length", cmd_length },
    { "strlen", cmd_length },
    { "is_empty", cmd_is_empty },
    { "eq", cmd_eq },
    { "equals", cmd_eq },
    { "contains", cmd_contains },
    { "starts_with", cmd_starts_with },
    { "ends_with", cmd_ends_with },
    { "indexof", cmd_indexof },
    { "last_indexof", cmd_last_indexof },
    { "substring", cmd_substring },
    { "concat", cmd_concat },
    { "replace", cmd_replace },
    { "uppercase", cmd_uppercase },
    { "lowercase", cmd_lowercase },
    { "join_path", cmd_join_path },
    { "calc", cmd_calc },
    { "greater_than", cmd_greater_than },
    { "less_than", cmd_less_than },
    { "array", cmd_array },
    { "range", cmd_range },
    { "array_length", cmd_array_length },
    { "array_size", cmd_array_length },
    { "array_is_empty", cmd_array_is_empty },
    { "array_get", cmd_array_get },
    { "array_set", cmd_array_set },
    { "array_push", cmd_array_push },
    { "array_add", cmd_array_push },
    { "array_put", cmd_array_push },
    { "array_pop", cmd_array_pop },
    { "array_remove", cmd_array_remove },
    { "array_clear", cmd_array_clear },
    { "array_join", cmd_array_join },
    { "array_contains", cmd_array_contains },
    { "set_new", cmd_set_new },
    { "set_put", cmd_array_push },
    { "set_add", cmd_array_push },
    { "set_contains", cmd_set_contains },
    { "set_size", cmd_array_length },
    { "set_is_empty", cmd_array_is_empty },
    { "split", cmd_split },
    { "release", cmd_release },
    { "assert", cmd_assert },
    { "assert_false", cmd_assert_false },
    { "assert_eq", cmd_assert_eq },
    { "assert_fail", cmd_assert_fail },
    { "trigger_error", cmd_trigger_error },
    { "get_last_error", cmd_get_last_error },
    { "is_array", cmd_is_array },
    { "is_map", cmd_is_map },
    { "map", cmd_map },
    { "map_put", cmd_map_put },
    { "map_add", cmd_map_put },
    { "map_get", cmd_map_get },
    { "map_remove", cmd_map_remove },
    { "map_size", cmd_map_size },
    { "map_is_empty", cmd_map_is_empty },
    { "map_keys", cmd_map_keys },
    { "map_contains_key", cmd_map_contains_key },
    { "map_contains_value", cmd_map_contains_value },
    { "map_clear", cmd_array_clear },
    { "is_dir", taskrun_duck__cmd_is_directory },
    { "is_set", cmd_is_set },
    { "set_remove", cmd_set_remove },
    { "set_to_array", cmd_set_to_array },
    { "set_from_array", cmd_set_from_array },
    { "basename", cmd_basename },
    { "dirname", cmd_dirname },
};

duck_cmd_fn taskrun_duck__command(const char *name)
{
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].fn;
    return NULL;
}
