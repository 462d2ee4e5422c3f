/*
 * taskrun_duck_state: variables, environment, handles and paths of the
 * duckscript interpreter (a leaf: the core and the commands use it).
 */
#include "taskrun_duck_int.h"

#include "cr_alloc.h"

#include <errno.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static struct duck_var *find(struct duck_vars *vs, const char *name)
{
    for (size_t i = 0; i < vs->n; i++)
        if (strcmp(vs->v[i].name, name) == 0)
            return &vs->v[i];
    return NULL;
}

const char *taskrun_duck__get(const struct taskrun_duck *d, const char *name)
{
    struct duck_var *v = find(d->vars, name);
    return v ? v->value : NULL;
}

int taskrun_duck__set(struct taskrun_duck *d, const char *name,
                      const char *value)
{
    struct duck_vars *vs = d->vars;
    struct duck_var *v = find(vs, name);
    if (!value) {
        if (v) {
            cr_free(v->name);
            cr_free(v->value);
            *v = vs->v[--vs->n];
        }
        return 0;
    }
    char *copy = cr_strdup(value);
    if (!copy)
        return -ENOMEM;
    if (v) {
        cr_free(v->value);
        v->value = copy;
        return 0;
    }
    if (vs->n == vs->cap) {
        size_t cap = vs->cap ? vs->cap * 2 : 16;
        struct duck_var *nv = cr_realloc(vs->v, cap * sizeof(*nv));
        if (!nv) {
            cr_free(copy);
            return -ENOMEM;
        }
        vs->v = nv;
        vs->cap = cap;
    }
    char *n = cr_strdup(name);
    if (!n) {
        cr_free(copy);
        return -ENOMEM;
    }
    vs->v[vs->n++] = (struct duck_var){ n, copy };
    return 0;
}

void taskrun_duck__vars_release(struct duck_vars *vs)
{
    for (size_t i = 0; i < vs->n; i++) {
        cr_free(vs->v[i].name);
        cr_free(vs->v[i].value);
    }
    cr_free(vs->v);
    memset(vs, 0, sizeof(*vs));
}

static long env_find(const struct taskrun_duck *d, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < d->env.n; i++)
        if (strncmp(d->env.v[i], name, len) == 0 && d->env.v[i][len] == '=')
            return (long)i;
    return -1;
}

const char *taskrun_duck__getenv(const struct taskrun_duck *d, const char *name)
{
    long i = env_find(d, name);
    return i < 0 ? NULL : d->env.v[i] + strlen(name) + 1;
}

int taskrun_duck__setenv(struct taskrun_duck *d, const char *name,
                         const char *value)
{
    long i = env_find(d, name);
    if (!value) {
        if (i >= 0) {
            cr_free(d->env.v[i]);
            d->env.v[i] = d->env.v[d->env.n - 1];
            d->env.v[--d->env.n] = NULL;
        }
        return 0;
    }
    struct cr_buf b = { 0 };
    if (cr_buf_printf(&b, "%s=%s", name, value) != 0)
        return -ENOMEM;
    char *kv = cr_buf_detach(&b);
    if (!kv)
        return -ENOMEM;
    if (i >= 0) {
        cr_free(d->env.v[i]);
        d->env.v[i] = kv;
        return 0;
    }
    return cr_strv_push_take(&d->env, kv);
}

struct duck_handle *taskrun_duck__handle_new(struct taskrun_duck *d,
                                             enum duck_handle_kind kind,
                                             struct cr_buf *out)
{
    size_t slot = d->nhandles;
    for (size_t i = 0; i < d->nhandles; i++)
        if (!d->handles[i].id) {
            slot = i;
            break;
        }
    if (slot == d->nhandles) {
        struct duck_handle *nh =
            cr_realloc(d->handles, (d->nhandles + 1) * sizeof(*nh));
        if (!nh)
            return NULL;
        d->handles = nh;
        memset(&nh[slot], 0, sizeof(*nh));
        d->nhandles++;
    }
    struct cr_buf b = { 0 };
    static const char *const kinds[] = { "array", "set", "map" };
    if (cr_buf_printf(&b, "handle:%s:%lu", kinds[kind], ++d->next_handle) != 0)
        return NULL;
    char *id = cr_buf_detach(&b);
    if (!id || cr_buf_puts(out, id) != 0) {
        cr_free(id);
        return NULL;
    }
    struct duck_handle *h = &d->handles[slot];
    h->id = id;
    h->kind = kind;
    memset(&h->items, 0, sizeof(h->items));
    return h;
}

struct duck_handle *taskrun_duck__handle(struct taskrun_duck *d, const char *id)
{
    if (!id || strncmp(id, "handle:", 7) != 0)
        return NULL;
    for (size_t i = 0; i < d->nhandles; i++)
        if (d->handles[i].id && strcmp(d->handles[i].id, id) == 0)
            return &d->handles[i];
    return NULL;
}

bool taskrun_duck__handle_release(struct taskrun_duck *d, const char *id)
{
    struct duck_handle *h = taskrun_duck__handle(d, id);
    if (!h)
        return false;
    cr_free(h->id);
    h->id = NULL;
    cr_strv_release(&h->items);
    return true;
}

void taskrun_duck__handles_release(struct taskrun_duck *d)
{
    for (size_t i = 0; i < d->nhandles; i++) {
        cr_free(d->handles[i].id);
        cr_strv_release(&d->handles[i].items);
    }
    cr_free(d->handles);
    d->handles = NULL;
    d->nhandles = 0;
}

char *taskrun_duck__path(const struct taskrun_duck *d, const char *path)
{
    struct cr_buf b = { 0 };
    int rc = path[0] == '/' || !d->cwd
                 ? cr_buf_puts(&b, path)
                 : cr_buf_printf(&b, "%s/%s", d->cwd, path);
    return rc == 0 ? cr_buf_detach(&b) : NULL;
}

enum duck_rc taskrun_duck__fail(struct taskrun_duck *d, enum duck_rc rc,
                                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    return rc;
}

bool taskrun_duck__truthy(const char *s)
{
    return s && *s && strcmp(s, "0") != 0 && strcasecmp(s, "false") != 0 &&
           strcasecmp(s, "no") != 0;
}

enum duck_rc taskrun_duck__put(struct cr_buf *out, bool *has_out, const char *s)
{
    *has_out = true;
    return cr_buf_puts(out, s) ? DUCK_NOMEM : DUCK_OK;
}

enum duck_rc taskrun_duck__put_bool(struct cr_buf *out, bool *has_out, bool v)
{
    return taskrun_duck__put(out, has_out, v ? "true" : "false");
}

enum duck_rc taskrun_duck__put_num(struct cr_buf *out, bool *has_out,
                                   long long v)
{
    *has_out = true;
    return cr_buf_printf(out, "%lld", v) ? DUCK_NOMEM : DUCK_OK;
}

enum duck_rc taskrun_duck__need(struct taskrun_duck *d, int argc, int n,
                                const char *usage)
{
    if (argc - 1 < n)
        return taskrun_duck__fail(d, DUCK_SOFT, "usage: %s", usage);
    return DUCK_OK;
}

bool taskrun_duck__to_num(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return *s && !*end && errno == 0;
}
