/*
 * taskrun_env_eval: [env] and task env evaluation (see taskrun_env_eval.h):
 * order by reference, conditions, mappings, { script } and { glob } values.
 */
#include "taskrun_env_eval.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_proc.h"
#include "taskrun_cond.h"
#include "taskrun_glob.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *map_lookup(const struct taskrun_envvar *v, const char *key)
{
    for (size_t i = 0; i < v->n_map; i++)
        if (strcmp(v->map[i].key, key) == 0)
            return v->map[i].value;
    return NULL;
}

/* Runs a { script = [...] } value and returns its trimmed stdout. */
static char *run_env_script(struct taskrun_env *e, const char *body,
                            const char *dir)
{
    const char *argv[] = { "sh", "-e", "-c", body, NULL };
    struct cr_proc_opts o = { .argv = argv,
                              .envp = (const char *const *)e->vars,
                              .cwd = dir,
                              .out = CR_PROC_PIPE };
    char *out = NULL;
    int code = cr_proc_run(&o, &out);
    /* A failed script has no value: partial output must not become one. */
    if (code != 0) {
        cr_free(out);
        return NULL;
    }
    size_t n = strlen(out);
    while (n > 0 && isspace((unsigned char)out[n - 1]))
        out[--n] = '\0';
    return out;
}

/*
 * The paths matching a { glob } value, joined with ';' as cargo-make does.
 * Relative patterns are relative to the makefile's directory (where tasks
 * run) and so are the results.
 */
static char *glob_value(const struct taskrun_envvar *v, const char *pattern,
                        const char *dir)
{
    struct cr_buf full = { 0 }, out = { 0 };
    struct cr_strv m = { 0 };
    bool rel = pattern[0] != '/' && dir;
    size_t skip = rel ? strlen(dir) + 1 : 0;
    int rc = rel ? cr_buf_printf(&full, "%s/%s", dir, pattern)
                 : cr_buf_puts(&full, pattern);
    if (rc == 0)
        rc = taskrun_glob(cr_buf_str(&full), &m);
    rc |= cr_buf_puts(&out, "");
    for (size_t i = 0; rc == 0 && i < m.n; i++) {
        const char *p = m.v[i] + skip;
        size_t n = strlen(p);
        bool is_dir = n > 1 && p[n - 1] == '/';
        if (is_dir ? !v->glob_dirs : !v->glob_files)
            continue;
        rc |= cr_buf_printf(&out, "%s%.*s", out.len ? ";" : "",
                            (int)(n - is_dir), p);
    }
    cr_strv_release(&m);
    cr_buf_release(&full);
    if (rc) {
        cr_buf_release(&out);
        return NULL;
    }
    return cr_buf_detach(&out);
}

/* The value one entry gives, or NULL with *skip set when it sets nothing. */
static char *entry_value(struct taskrun_env *e, const struct taskrun_envvar *v,
                         const char *profile, const char *dir, bool *skip)
{
    *skip = false;
    if (v->cond) {
        struct taskrun_cond_ctx ctx = { e, profile, taskrun_platform(), dir };
        if (!taskrun_cond_eval(v->cond, &ctx, NULL, 0)) {
            *skip = true;
            return NULL;
        }
    }
    switch (v->kind) {
    case TASKRUN_ENV_VALUE:
        return taskrun_env_expand(e, v->value);
    case TASKRUN_ENV_MAPPING: {
        char *src = taskrun_env_expand(e, v->value);
        const char *m = src ? map_lookup(v, src) : NULL;
        char *r = taskrun_env_expand(e, m ? m : v->dflt ? v->dflt : "");
        cr_free(src);
        return r;
    }
    case TASKRUN_ENV_SCRIPT:
        return run_env_script(e, v->value, dir);
    case TASKRUN_ENV_GLOB: {
        char *pat = taskrun_env_expand(e, v->value);
        char *r = pat ? glob_value(v, pat, dir) : NULL;
        cr_free(pat);
        return r;
    }
    default:
        *skip = true;
        return NULL;
    }
}

/* Whether entry v's text refers to ${name}. */
static bool refers_to(const struct taskrun_envvar *v, const char *name)
{
    if (v->kind != TASKRUN_ENV_VALUE && v->kind != TASKRUN_ENV_MAPPING &&
        v->kind != TASKRUN_ENV_GLOB)
        return false;
    size_t nl = strlen(name);
    for (const char *p = v->value; p && (p = strstr(p, "${")) != NULL; p++)
        if (strncmp(p + 2, name, nl) == 0 && p[2 + nl] == '}')
            return true;
    return false;
}

struct env_sort {
    const struct taskrun_envvar *vars;
    size_t n;
    unsigned char *state; /* 0 new, 1 active, 2 placed */
    size_t *order, placed;
    struct cr_error *err;
};

/*
 * Places i after the entries it refers to (cargo-make reorders [env] the
 * same way), keeping file order otherwise. A reference loop is an error.
 */
static enum taskrun_code env_place(struct env_sort *s, size_t i)
{
    if (s->state[i] == 2)
        return TASKRUN_OK;
    if (s->state[i] == 1)
        return taskrun_error_set(s->err, TASKRUN_E_LOAD,
                                 "%senv cycle: \"%s\" refers to itself "
                                 "through other variables",
                                 s->vars[i].where ? s->vars[i].where : "",
                                 s->vars[i].name);
    s->state[i] = 1;
    for (size_t j = 0; j < s->n; j++) {
        if (j == i || strcmp(s->vars[j].name, s->vars[i].name) == 0 ||
            !refers_to(&s->vars[i], s->vars[j].name))
            continue;
        enum taskrun_code rc = env_place(s, j);
        if (rc)
            return rc;
    }
    s->state[i] = 2;
    s->order[s->placed++] = i;
    return TASKRUN_OK;
}

static enum taskrun_code env_order(const struct taskrun_envvar *vars, size_t n,
                                   size_t **order, struct cr_error *err)
{
    struct env_sort s = {
        vars, n,  cr_calloc(n + 1, 1), cr_malloc((n + 1) * sizeof(size_t)),
        0,    err
    };
    enum taskrun_code rc = TASKRUN_OK;
    if (!s.state || !s.order)
        rc = taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        rc = env_place(&s, i);
    cr_free(s.state);
    if (rc) {
        cr_free(s.order);
        s.order = NULL;
    }
    *order = s.order;
    return rc;
}

static enum taskrun_code apply_one(struct taskrun_env *e,
                                   const struct taskrun_envvar *v,
                                   const char *profile, const char *dir,
                                   struct cr_error *err)
{
    if (v->kind == TASKRUN_ENV_UNSET) {
        taskrun_env_unset(e, v->name);
        return TASKRUN_OK;
    }
    bool skip;
    char *val = entry_value(e, v, profile, dir, &skip);
    if (skip)
        return TASKRUN_OK;
    if (!val && v->kind == TASKRUN_ENV_SCRIPT)
        return taskrun_error_set(err, TASKRUN_E_RUN,
                                 "env \"%s\": its script failed (non-zero "
                                 "exit or could not start)",
                                 v->name);
    if (!val || taskrun_env_set(e, v->name, val) != 0) {
        cr_free(val);
        return taskrun_error_set(err, TASKRUN_E_NOMEM,
                                 "out of memory setting %s", v->name);
    }
    cr_free(val);
    return TASKRUN_OK;
}

enum taskrun_code taskrun_env_apply(struct taskrun_env *e,
                                    const struct taskrun_envvar *vars, size_t n,
                                    const char *profile, const char *dir,
                                    struct cr_error *err)
{
    size_t *order;
    enum taskrun_code rc = env_order(vars, n, &order, err);
    for (size_t k = 0; k < n && !rc; k++)
        rc = apply_one(e, &vars[order[k]], profile, dir, err);
    cr_free(order);
    return rc;
}
