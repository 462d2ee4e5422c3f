/* taskrun_env: environment sets and ${VAR} expansion (see taskrun_env.h). */
#include "taskrun_env.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

int taskrun_env_init(struct taskrun_env *e, char *const *from)
{
    memset(e, 0, sizeof(*e));
    size_t n = 0;
    while (from && from[n])
        n++;
    e->cap = n + 16;
    e->vars = cr_calloc(e->cap + 1, sizeof(char *));
    if (!e->vars)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(from[i], '=');
        if (!eq)
            continue;
        e->vars[e->n] = cr_strdup(from[i]);
        if (!e->vars[e->n])
            return -1;
        /* A name given twice: the first one is found, as getenv does. */
        if (cr_strmap_add(&e->index, e->vars[e->n], (size_t)(eq - from[i]),
                          e->n) != 0) {
            cr_free(e->vars[e->n]);
            e->vars[e->n] = NULL;
            return -1;
        }
        e->n++;
    }
    return 0;
}

int taskrun_env_copy(struct taskrun_env *dst, const struct taskrun_env *src)
{
    return taskrun_env_init(dst, src->vars);
}

void taskrun_env_release(struct taskrun_env *e)
{
    for (size_t i = 0; i < e->n; i++)
        cr_free(e->vars[i]);
    cr_free(e->vars);
    cr_strmap_release(&e->index);
    memset(e, 0, sizeof(*e));
}

static long env_find(const struct taskrun_env *e, const char *name, size_t nl)
{
    size_t i;
    return cr_strmap_get(&e->index, name, nl, &i) ? (long)i : -1;
}

const char *taskrun_env_get(const struct taskrun_env *e, const char *name)
{
    size_t nl = strlen(name);
    long i = env_find(e, name, nl);
    return i < 0 ? NULL : e->vars[i] + nl + 1;
}

int taskrun_env_set(struct taskrun_env *e, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value ? value : "");
    char *kv = cr_malloc(nl + vl + 2);
    if (!kv)
        return -1;
    memcpy(kv, name, nl);
    kv[nl] = '=';
    memcpy(kv + nl + 1, value ? value : "", vl + 1);
    long i = env_find(e, name, nl);
    if (i >= 0) {
        /* Same index, new key bytes: cannot fail (no new slot). */
        cr_strmap_put(&e->index, kv, nl, (size_t)i);
        cr_free(e->vars[i]);
        e->vars[i] = kv;
        return 0;
    }
    if (e->n + 1 >= e->cap) {
        size_t cap = e->cap * 2 + 16;
        char **nv = cr_realloc(e->vars, (cap + 1) * sizeof(char *));
        if (!nv) {
            cr_free(kv);
            return -1;
        }
        e->vars = nv;
        e->cap = cap;
    }
    if (cr_strmap_put(&e->index, kv, nl, e->n) != 0) {
        cr_free(kv);
        return -1;
    }
    e->vars[e->n++] = kv;
    e->vars[e->n] = NULL;
    return 0;
}

void taskrun_env_unset(struct taskrun_env *e, const char *name)
{
    size_t nl = strlen(name);
    long i = env_find(e, name, nl);
    if (i < 0)
        return;
    cr_strmap_del(&e->index, name, nl);
    cr_free(e->vars[i]);
    memmove(&e->vars[i], &e->vars[i + 1], (e->n - (size_t)i) * sizeof(char *));
    e->n--;
    /* The entries after i moved down one: their indices follow. This keeps
     * the order of vars (what a child sees) at O(n) per unset; the slots
     * are updated in place, so nothing is allocated. */
    for (size_t k = 0; k < e->index.cap; k++)
        if (e->index.slots[k].key && e->index.slots[k].value > (size_t)i)
            e->index.slots[k].value--;
}

char *taskrun_env_expand(const struct taskrun_env *e, const char *s)
{
    struct cr_buf b = { 0 };
    int rc = 0;
    if (!s)
        s = "";
    while (*s && rc == 0) {
        const char *end;
        if (s[0] == '$' && s[1] == '{' && (end = strchr(s + 2, '}'))) {
            char name[256];
            size_t nl = (size_t)(end - s - 2);
            if (nl < sizeof(name)) {
                memcpy(name, s + 2, nl);
                name[nl] = '\0';
                const char *v = taskrun_env_get(e, name);
                rc = cr_buf_puts(&b, v ? v : "");
                s = end + 1;
                continue;
            }
        }
        rc = cr_buf_putc(&b, *s++);
    }
    if (rc != 0) {
        cr_buf_release(&b);
        return NULL;
    }
    return cr_buf_detach(&b);
}

/*
 * cargo-make's argument functions: "@@name(ARG, ...)" as a whole argument
 * becomes zero or more arguments. Arguments are split at ',' and trimmed,
 * except one-character ones (so "@@split(VAR, )" splits at spaces).
 */
static int fn_args(const char *s, struct cr_strv *out)
{
    const char *p = s;
    for (;;) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        const char *a = p, *z = p + n;
        if (n > 1) {
            while (a < z && isspace((unsigned char)*a))
                a++;
            while (z > a && isspace((unsigned char)z[-1]))
                z--;
        }
        if (cr_strv_push_take(out, cr_strndup(a, (size_t)(z - a))) != 0)
            return -1;
        if (!c)
            return 0;
        p = c + 1;
    }
}

static int push_split(struct cr_strv *out, const char *v, char sep,
                      bool drop_empty, long only)
{
    long idx = 0;
    for (const char *p = v;; idx++) {
        /* strchr finds the terminator for sep '\0' ("@@split(V,)"): no
         * separator then, the whole value is one piece. */
        const char *c = sep ? strchr(p, sep) : NULL;
        size_t n = c ? (size_t)(c - p) : strlen(p);
        bool keep = (only < 0 || idx == only) && !(drop_empty && n == 0);
        if (keep && cr_strv_push_take(out, cr_strndup(p, n)) != 0)
            return -1;
        if (!c)
            return 0;
        p = c + 1;
    }
}

static int push_trimmed(struct cr_strv *out, const char *v, const char *how)
{
    const char *a = v, *z = v + strlen(v);
    bool start = !how || strcmp(how, "start") == 0;
    bool end = !how || strcmp(how, "end") == 0;
    while (start && a < z && isspace((unsigned char)*a))
        a++;
    while (end && z > a && isspace((unsigned char)z[-1]))
        z--;
    if (z == a)
        return 0;
    return cr_strv_push_take(out, cr_strndup(a, (size_t)(z - a)));
}

/* decode(VAR, from1, to1, ..., [default]): the value mapped. */
static int push_decoded(const struct taskrun_env *e, struct cr_strv *out,
                        const struct cr_strv *a, const char *v)
{
    const char *r = NULL;
    size_t i = 1;
    for (; i + 1 < a->n && !r; i += 2)
        if (strcmp(a->v[i], v) == 0)
            r = a->v[i + 1];
    if (!r)
        r = a->n % 2 == 0 ? a->v[a->n - 1] : v;
    return cr_strv_push_take(out, taskrun_env_expand(e, r));
}

/* 1 when s was a function (its results appended), 0 when not, -1 error. */
static int apply_function(const struct taskrun_env *e, const char *s,
                          struct cr_strv *out)
{
    size_t len = strlen(s);
    const char *open = strchr(s, '(');
    if (strncmp(s, "@@", 2) != 0 || !open || s[len - 1] != ')')
        return 0;
    char *inner = cr_strndup(open + 1, len - (size_t)(open - s) - 2);
    struct cr_strv a = { 0 };
    if (!inner || fn_args(inner, &a) != 0 || a.n == 0) {
        cr_free(inner);
        cr_strv_release(&a);
        return -1;
    }
    cr_free(inner);
    const char *v = taskrun_env_get(e, a.v[0]);
    v = v ? v : "";
    size_t nl = (size_t)(open - s) - 2;
    const char *name = s + 2;
    int rc = 0;
    bool known = true;
    if (nl == 5 && strncmp(name, "split", 5) == 0 && a.n >= 2)
        rc = *v ? push_split(out, v, a.v[1][0],
                             a.n > 2 && strcmp(a.v[2], "remove-empty") == 0, -1)
                : 0;
    else if (nl == 5 && strncmp(name, "getat", 5) == 0 && a.n >= 3)
        rc = *v ? push_split(out, v, a.v[1][0], false, atol(a.v[2])) : 0;
    else if (nl == 12 && strncmp(name, "remove-empty", 12) == 0)
        rc = *v ? cr_strv_push(out, v) : 0;
    else if (nl == 4 && strncmp(name, "trim", 4) == 0)
        rc = push_trimmed(out, v, a.n > 1 ? a.v[1] : NULL);
    else if (nl == 6 && strncmp(name, "decode", 6) == 0)
        rc = push_decoded(e, out, &a, v);
    else
        known = false; /* kept as literal text, like any argument */
    cr_strv_release(&a);
    if (!known)
        return 0;
    return rc < 0 ? -1 : 1;
}

int taskrun_env_expand_argv(const struct taskrun_env *e,
                            const struct cr_strv *in, const struct cr_strv *cli,
                            struct cr_strv *out)
{
    for (size_t i = 0; i < in->n; i++) {
        if (strcmp(in->v[i], "${@}") == 0) {
            if (cli && cr_strv_copy(out, cli) != 0)
                return -1;
            continue;
        }
        int f = apply_function(e, in->v[i], out);
        if (f < 0)
            return -1;
        if (f > 0)
            continue;
        if (cr_strv_push_take(out, taskrun_env_expand(e, in->v[i])) != 0)
            return -1;
    }
    return 0;
}

/* Strips matching quotes and an "export " prefix from one dotenv line. */
static int parse_dotenv_line(char *line, char **name, char **value)
{
    while (isspace((unsigned char)*line))
        line++;
    if (*line == '#' || *line == '\0')
        return 0;
    if (strncmp(line, "export ", 7) == 0)
        line += 7;
    char *eq = strchr(line, '=');
    if (!eq)
        return -1;
    *eq = '\0';
    char *v = eq + 1, *k_end = eq;
    while (isspace((unsigned char)*v))
        v++;
    while (k_end > line && isspace((unsigned char)k_end[-1]))
        *--k_end = '\0';
    size_t vl = strlen(v);
    while (vl > 0 && isspace((unsigned char)v[vl - 1]))
        v[--vl] = '\0';
    if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
        v[vl - 1] = '\0';
        v++;
    }
    *name = line;
    *value = v;
    return 1;
}

enum taskrun_code taskrun_env_load_file(struct taskrun_env *e, const char *path,
                                        bool defaults_only,
                                        struct cr_error *err)
{
    char *text;
    int rd = cr_fs_read(path, &text, NULL);
    if (rd != 0)
        return taskrun_error_set(
            err, rd == -ENOMEM ? TASKRUN_E_NOMEM : TASKRUN_E_LOAD,
            "%s: cannot read env file: %s", path, strerror(-rd));
    unsigned lineno = 0;
    enum taskrun_code rc = TASKRUN_OK;
    for (char *save, *line = strtok_r(text, "\n", &save); line && !rc;
         line = strtok_r(NULL, "\n", &save)) {
        char *name, *value;
        lineno++;
        int r = parse_dotenv_line(line, &name, &value);
        if (r < 0) {
            rc = taskrun_error_set(err, TASKRUN_E_LOAD,
                                   "%s:%u: expected NAME=VALUE", path, lineno);
        } else if (r > 0 && !(defaults_only && taskrun_env_get(e, name))) {
            char *x = taskrun_env_expand(e, value);
            if (!x || taskrun_env_set(e, name, x) != 0)
                rc = taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
            cr_free(x);
        }
    }
    cr_free(text);
    return rc;
}
