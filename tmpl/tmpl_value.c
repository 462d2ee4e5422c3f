/* tmpl_value: Tera's data model. See tmpl_value.h. */
#include "tmpl_value.h"

#include "cr_alloc.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tmpl_value_release(struct tmpl_value *v)
{
    if (v == NULL)
        return;
    if (v->type == TMPL_ARRAY || v->type == TMPL_OBJECT) {
        for (size_t k = 0; k < v->len; k++) {
            tmpl_value_release(&v->items[k]);
            if (v->keys != NULL)
                cr_free(v->keys[k]);
        }
        cr_free(v->items);
        cr_free(v->keys);
    }
    cr_free(v->s);
    memset(v, 0, sizeof(*v));
}

struct tmpl_value tmpl_bool(bool b)
{
    return (struct tmpl_value){ .type = TMPL_BOOL, .b = b };
}

struct tmpl_value tmpl_int(int64_t i)
{
    return (struct tmpl_value){ .type = TMPL_INT, .i = i };
}

struct tmpl_value tmpl_float(double f)
{
    return (struct tmpl_value){ .type = TMPL_FLOAT, .f = f };
}

/* n bytes and a NUL: strings may hold NUL bytes, which strndup drops. */
static char *dup_bytes(const char *s, size_t n)
{
    char *d = cr_malloc(n + 1);

    if (d != NULL) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int tmpl_str(struct tmpl_value *out, const char *s, size_t n)
{
    memset(out, 0, sizeof(*out));
    out->s = dup_bytes(s, n);
    if (out->s == NULL)
        return -ENOMEM;
    out->type = TMPL_STR;
    out->len = n;
    return 0;
}

int tmpl_undef(struct tmpl_value *out, const char *name)
{
    memset(out, 0, sizeof(*out));
    out->s = cr_strdup(name);
    if (out->s == NULL)
        return -ENOMEM;
    out->type = TMPL_UNDEF;
    return 0;
}

struct tmpl_value tmpl_str_take(struct cr_buf *b)
{
    struct tmpl_value v = { .type = TMPL_STR, .len = b->len };

    v.s = cr_buf_detach(b);
    if (v.s == NULL) /* an empty buffer owns no bytes */
        v.s = cr_strdup("");
    return v;
}

int tmpl_value_copy(struct tmpl_value *dst, const struct tmpl_value *src)
{
    *dst = *src;
    dst->s = NULL, dst->items = NULL, dst->keys = NULL;
    if (src->s != NULL &&
        (dst->s = dup_bytes(src->s, src->type == TMPL_STR ? src->len
                                                          : strlen(src->s))) ==
            NULL)
        goto nomem;
    if (src->type != TMPL_ARRAY && src->type != TMPL_OBJECT)
        return 0;
    dst->len = dst->cap = 0;
    for (size_t k = 0; k < src->len; k++) {
        struct tmpl_value item;
        int rc = tmpl_value_copy(&item, &src->items[k]);
        if (rc == 0)
            rc = src->type == TMPL_ARRAY
                     ? tmpl_array_push_take(dst, &item)
                     : tmpl_object_set_take(dst, src->keys[k], &item);
        if (rc != 0)
            goto nomem;
    }
    return 0;
nomem:
    tmpl_value_release(dst);
    return -ENOMEM;
}

static int grow(struct tmpl_value *v, bool keys)
{
    size_t cap = v->cap ? v->cap * 2 : 4;
    struct tmpl_value *items;
    char **nk;

    if (v->len < v->cap)
        return 0;
    items = cr_realloc(v->items, cap * sizeof(*items));
    if (items == NULL)
        return -ENOMEM;
    v->items = items;
    if (keys) {
        nk = cr_realloc(v->keys, cap * sizeof(*nk));
        if (nk == NULL)
            return -ENOMEM;
        v->keys = nk;
    }
    v->cap = cap;
    return 0;
}

int tmpl_array_push_take(struct tmpl_value *arr, struct tmpl_value *item)
{
    arr->type = TMPL_ARRAY;
    if (grow(arr, false) != 0) {
        tmpl_value_release(item);
        return -ENOMEM;
    }
    arr->items[arr->len++] = *item;
    memset(item, 0, sizeof(*item));
    return 0;
}

int tmpl_object_set_take(struct tmpl_value *obj, const char *key,
                         struct tmpl_value *val)
{
    char *k;

    obj->type = TMPL_OBJECT;
    for (size_t i = 0; i < obj->len; i++) {
        if (strcmp(obj->keys[i], key) == 0) {
            tmpl_value_release(&obj->items[i]);
            obj->items[i] = *val;
            memset(val, 0, sizeof(*val));
            return 0;
        }
    }
    if (grow(obj, true) != 0 || (k = cr_strdup(key)) == NULL) {
        tmpl_value_release(val);
        return -ENOMEM;
    }
    obj->keys[obj->len] = k;
    obj->items[obj->len++] = *val;
    memset(val, 0, sizeof(*val));
    return 0;
}

const struct tmpl_value *tmpl_object_get(const struct tmpl_value *obj,
                                         const char *key)
{
    if (obj == NULL || obj->type != TMPL_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->len; i++)
        if (strcmp(obj->keys[i], key) == 0)
            return &obj->items[i];
    return NULL;
}

bool tmpl_truthy(const struct tmpl_value *v)
{
    switch (v->type) {
    case TMPL_BOOL:
        return v->b;
    case TMPL_INT:
        return v->i != 0;
    case TMPL_FLOAT:
        return v->f != 0.0;
    case TMPL_STR:
    case TMPL_ARRAY:
    case TMPL_OBJECT:
        return v->len > 0;
    default:
        return false;
    }
}

static bool is_num(const struct tmpl_value *v)
{
    return v->type == TMPL_INT || v->type == TMPL_FLOAT;
}

bool tmpl_equal(const struct tmpl_value *a, const struct tmpl_value *b)
{
    if (is_num(a) && is_num(b)) {
        if (a->type == TMPL_INT && b->type == TMPL_INT)
            return a->i == b->i;
        return (a->type == TMPL_INT ? (double)a->i : a->f) ==
               (b->type == TMPL_INT ? (double)b->i : b->f);
    }
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case TMPL_BOOL:
        return a->b == b->b;
    case TMPL_STR:
        return a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
    case TMPL_ARRAY:
    case TMPL_OBJECT:
        if (a->len != b->len)
            return false;
        for (size_t i = 0; i < a->len; i++)
            if ((a->keys && strcmp(a->keys[i], b->keys[i]) != 0) ||
                !tmpl_equal(&a->items[i], &b->items[i]))
                return false;
        return true;
    default:
        return true;
    }
}

const char *tmpl_type_name(enum tmpl_type t)
{
    static const char *const names[] = {
        "null", "undefined", "bool", "int", "float", "string", "array", "object"
    };
    return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

/* The shortest %g form that reads back as f, with ".0" for whole numbers
 * the way Tera (serde_json) prints them. */
static int print_float(struct cr_buf *b, double f)
{
    char tmp[40];

    if (isnan(f) || isinf(f))
        return cr_buf_puts(b, isnan(f) ? "NaN" : f > 0 ? "inf" : "-inf");
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, f);
        if (strtod(tmp, NULL) == f)
            break;
    }
    if (strpbrk(tmp, ".e") == NULL)
        strcat(tmp, ".0");
    return cr_buf_puts(b, tmp);
}

static int print_scalar(struct cr_buf *b, const struct tmpl_value *v)
{
    switch (v->type) {
    case TMPL_BOOL:
        return cr_buf_puts(b, v->b ? "true" : "false");
    case TMPL_INT:
        return cr_buf_printf(b, "%" PRId64, v->i);
    case TMPL_FLOAT:
        return print_float(b, v->f);
    case TMPL_STR:
        return cr_buf_append(b, v->s, v->len);
    default:
        return 0;
    }
}

int tmpl_value_print(struct cr_buf *b, const struct tmpl_value *v)
{
    if (v->type == TMPL_OBJECT)
        return cr_buf_puts(b, "[object]");
    if (v->type != TMPL_ARRAY)
        return print_scalar(b, v);
    if (cr_buf_putc(b, '[') != 0)
        return -ENOMEM;
    for (size_t i = 0; i < v->len; i++)
        if ((i > 0 && cr_buf_puts(b, ", ") != 0) ||
            tmpl_value_print(b, &v->items[i]) != 0)
            return -ENOMEM;
    return cr_buf_putc(b, ']');
}

/* A double-quoted string with JSON escapes, which TOML basic strings
 * accept too (\uXXXX for other control characters). */
static int quote(struct cr_buf *b, const char *s, size_t n)
{
    int rc = cr_buf_putc(b, '"');

    for (size_t i = 0; i < n && rc == 0; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            rc = cr_buf_putc(b, '\\') || cr_buf_putc(b, (char)c);
        else if (c == '\n')
            rc = cr_buf_puts(b, "\\n");
        else if (c == '\t')
            rc = cr_buf_puts(b, "\\t");
        else if (c == '\r')
            rc = cr_buf_puts(b, "\\r");
        else if (c < 0x20 || c == 0x7f)
            rc = cr_buf_printf(b, "\\u%04x", c);
        else
            rc = cr_buf_putc(b, (char)c);
    }
    return rc != 0 ? -ENOMEM : cr_buf_putc(b, '"');
}

static int indent(struct cr_buf *b, bool pretty, int depth)
{
    if (!pretty)
        return 0;
    if (cr_buf_putc(b, '\n') != 0)
        return -ENOMEM;
    for (int i = 0; i < depth; i++)
        if (cr_buf_puts(b, "  ") != 0)
            return -ENOMEM;
    return 0;
}

static int json_at(struct cr_buf *b, const struct tmpl_value *v, bool pretty,
                   int depth)
{
    bool obj = v->type == TMPL_OBJECT;

    if (v->type == TMPL_STR)
        return quote(b, v->s, v->len);
    if (v->type == TMPL_NULL || v->type == TMPL_UNDEF)
        return cr_buf_puts(b, "null");
    if (v->type != TMPL_ARRAY && !obj)
        return print_scalar(b, v);
    if (cr_buf_putc(b, obj ? '{' : '[') != 0)
        return -ENOMEM;
    for (size_t i = 0; i < v->len; i++) {
        if ((i > 0 && cr_buf_putc(b, ',') != 0) ||
            indent(b, pretty, depth + 1) != 0)
            return -ENOMEM;
        if (obj && (quote(b, v->keys[i], strlen(v->keys[i])) != 0 ||
                    cr_buf_puts(b, pretty ? ": " : ":") != 0))
            return -ENOMEM;
        if (json_at(b, &v->items[i], pretty, depth + 1) != 0)
            return -ENOMEM;
    }
    if (v->len > 0 && indent(b, pretty, depth) != 0)
        return -ENOMEM;
    return cr_buf_putc(b, obj ? '}' : ']');
}

int tmpl_value_json(struct cr_buf *b, const struct tmpl_value *v, bool pretty)
{
    return json_at(b, v, pretty, 0);
}

static bool bare_key(const char *k)
{
    if (*k == '\0')
        return false;
    for (; *k != '\0'; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z') ||
              (*k >= '0' && *k <= '9') || *k == '_' || *k == '-'))
            return false;
    return true;
}

int tmpl_value_toml(struct cr_buf *b, const struct tmpl_value *v)
{
    bool obj = v->type == TMPL_OBJECT;

    if (v->type == TMPL_STR)
        return quote(b, v->s, v->len);
    if (v->type == TMPL_NULL || v->type == TMPL_UNDEF)
        return cr_buf_puts(b, "\"\""); /* TOML has no null */
    if (v->type == TMPL_FLOAT && (isnan(v->f) || isinf(v->f)))
        return cr_buf_puts(b, isnan(v->f) ? "nan" : v->f > 0 ? "inf" : "-inf");
    if (v->type != TMPL_ARRAY && !obj)
        return print_scalar(b, v);
    if (cr_buf_puts(b, obj ? "{ " : "[") != 0)
        return -ENOMEM;
    for (size_t i = 0; i < v->len; i++) {
        if (i > 0 && cr_buf_puts(b, ", ") != 0)
            return -ENOMEM;
        if (obj && ((bare_key(v->keys[i])
                         ? cr_buf_puts(b, v->keys[i])
                         : quote(b, v->keys[i], strlen(v->keys[i]))) != 0 ||
                    cr_buf_puts(b, " = ") != 0))
            return -ENOMEM;
        if (tmpl_value_toml(b, &v->items[i]) != 0)
            return -ENOMEM;
    }
    return cr_buf_puts(b, obj ? (v->len ? " }" : "}") : "]");
}
