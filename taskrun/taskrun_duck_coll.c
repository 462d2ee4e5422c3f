/*
 * taskrun_duck_coll: duckscript's arrays, sets and maps (see
 * taskrun_duck_coll.h). Handles live in the interpreter's table
 * (taskrun_duck_state.c); a map keeps key, value, key, value... as items.
 */
#include "taskrun_duck_coll.h"

#include "cr_alloc.h"

#include <stdio.h>
#include <string.h>

#define CMD(name)                                                              \
    enum duck_rc taskrun_duck__cmd_##name(struct taskrun_duck *d, int argc,    \
                                          char **argv, struct cr_buf *out,     \
                                          bool *has_out)

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
    if (argc < 3 || !taskrun_duck__to_num(argv[1], &a) ||
        !taskrun_duck__to_num(argv[2], &b) || b < a || b - a > 10000000)
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
    return h ? taskrun_duck__put_num(out, has_out, (long long)h->items.n) : rc;
}

CMD(array_is_empty)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    return h ? taskrun_duck__put_bool(out, has_out, h->items.n == 0) : rc;
}

static bool arg_index(const struct duck_handle *h, const char *s, size_t *i)
{
    long long v;
    if (!taskrun_duck__to_num(s, &v) || v < 0 || (size_t)v >= h->items.n)
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
    return taskrun_duck__put(out, has_out, h->items.v[i]);
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
    return taskrun_duck__put_bool(out, has_out, true);
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
    return taskrun_duck__put_bool(out, has_out, true);
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
    rc = taskrun_duck__put(out, has_out, v);
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
    return taskrun_duck__put_bool(out, has_out, true);
}

CMD(array_clear)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    cr_strv_release(&h->items);
    return taskrun_duck__put_bool(out, has_out, true);
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
    return i < 0 ? taskrun_duck__put_bool(out, has_out, false)
                 : taskrun_duck__put_num(out, has_out, i);
}

CMD(set_contains)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_handle(d, argc, argv, &rc);
    if (!h)
        return rc;
    return taskrun_duck__put_bool(
        out, has_out, cr_strv_find(&h->items, argc > 2 ? argv[2] : "") >= 0);
}

CMD(split)
{
    enum duck_rc rc = taskrun_duck__need(d, argc, 2, "split TEXT SEPARATOR");
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
    return taskrun_duck__put_bool(
        out, has_out, i < argc && release_handle(d, argv[i], rec, 0));
}

static enum duck_rc is_kind(struct taskrun_duck *d, int argc, char **argv,
                            struct cr_buf *out, bool *has_out,
                            enum duck_handle_kind kind)
{
    struct duck_handle *h = argc > 1 ? taskrun_duck__handle(d, argv[1]) : NULL;
    return taskrun_duck__put_bool(out, has_out, h && h->kind == kind);
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
    return taskrun_duck__put_bool(out, has_out, true);
}

CMD(map_get)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    if (!h)
        return rc;
    long i = argc > 2 ? map_find(h, argv[2]) : -1;
    return i >= 0 ? taskrun_duck__put(out, has_out, h->items.v[i + 1])
                  : DUCK_OK;
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
    rc = taskrun_duck__put(out, has_out, h->items.v[i + 1]);
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
    return h ? taskrun_duck__put_num(out, has_out, (long long)h->items.n / 2)
             : rc;
}

CMD(map_is_empty)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    return h ? taskrun_duck__put_bool(out, has_out, h->items.n == 0) : rc;
}

CMD(map_contains_key)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    return h ? taskrun_duck__put_bool(out, has_out,
                                      argc > 2 && map_find(h, argv[2]) >= 0)
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
    return taskrun_duck__put_bool(out, has_out, found);
}

/*
 * A new handle of kind (its name in out) holding every step-th item of h
 * (2 over a map: its keys), each once when kind is a set. Shared by
 * map_keys, set_to_array and set_from_array.
 */
static enum duck_rc derive(struct taskrun_duck *d, struct duck_handle *h,
                           enum duck_handle_kind kind, size_t step,
                           struct cr_buf *out, bool *has_out)
{
    size_t at = (size_t)(h - d->handles);
    struct duck_handle *n = taskrun_duck__handle_new(d, kind, out);
    *has_out = true;
    if (!n)
        return DUCK_NOMEM;
    h = &d->handles[at]; /* the table may have moved */
    for (size_t i = 0; i < h->items.n; i += step)
        if ((kind != DUCK_SET || cr_strv_find(&n->items, h->items.v[i]) < 0) &&
            cr_strv_push(&n->items, h->items.v[i]) != 0)
            return DUCK_NOMEM;
    return DUCK_OK;
}

CMD(map_keys)
{
    enum duck_rc rc;
    struct duck_handle *h = arg_map(d, argc, argv, &rc);
    if (!h)
        return rc;
    return derive(d, h, DUCK_ARRAY, 2, out, has_out);
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
    return taskrun_duck__put_bool(out, has_out, i >= 0);
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
    return derive(d, h, kind, 1, out, has_out);
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
