/* taskrun_decode: TOML values -> model (see taskrun_load_priv.h). */
#include "taskrun_load_priv.h"

#include "cr_buf.h"
#include "taskrun_jobs.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *taskrun__scalar(const struct cr_toml_value *v)
{
    char tmp[64];
    switch (cr_toml_type(v)) {
    case CR_TOML_STRING:
        return strdup(cr_toml_string(v, NULL));
    case CR_TOML_INTEGER:
        snprintf(tmp, sizeof(tmp), "%" PRId64, cr_toml_int(v));
        return strdup(tmp);
    case CR_TOML_FLOAT:
        snprintf(tmp, sizeof(tmp), "%g", cr_toml_float(v));
        return strdup(tmp);
    case CR_TOML_BOOL:
        return strdup(cr_toml_bool(v) ? "true" : "false");
    default:
        return NULL;
    }
}

static enum taskrun_code want(struct taskrun_loader *l, struct taskrun_slot s,
                              const char *key, const char *what)
{
    const char *type = cr_toml_type_name(cr_toml_type(s.v));
    bool vowel = strchr("aeiou", type[0]) != NULL;
    return taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                         "\"%s\" must be %s, not %s %s", key, what,
                         vowel ? "an" : "a", type);
}

static enum taskrun_code get_str(struct taskrun_loader *l,
                                 struct taskrun_slot s, const char *key,
                                 char **out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_STRING)
        return want(l, s, key, "a string");
    free(*out);
    *out = strdup(cr_toml_string(s.v, NULL));
    return *out ? TASKRUN_OK : TASKRUN_E_NOMEM;
}

static enum taskrun_code get_bool(struct taskrun_loader *l,
                                  struct taskrun_slot s, const char *key,
                                  bool *out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_BOOL)
        return want(l, s, key, "a boolean");
    *out = cr_toml_bool(s.v);
    return TASKRUN_OK;
}

/* An array of scalars, or (with one_ok) a single scalar. */
static enum taskrun_code get_strv(struct taskrun_loader *l,
                                  struct taskrun_slot s, const char *key,
                                  bool one_ok, struct taskrun_strv *out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_ARRAY) {
        char *x = one_ok ? taskrun__scalar(s.v) : NULL;
        if (!x)
            return want(l, s, key, one_ok ? "a string or array" : "an array");
        return taskrun_strv_push_take(out, x) ? TASKRUN_E_NOMEM : TASKRUN_OK;
    }
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct taskrun_slot e = { cr_toml_at(s.v, i), s.doc };
        char *x = taskrun__scalar(e.v);
        if (!x)
            return want(l, e, key, "an array of strings");
        if (taskrun_strv_push_take(out, x) != 0)
            return TASKRUN_E_NOMEM;
    }
    return TASKRUN_OK;
}

static struct taskrun_slot sub(struct taskrun_slot s, const char *key)
{
    struct taskrun_slot r = { cr_toml_get(s.v, key), s.doc };
    return r;
}

static enum taskrun_code get_kv(struct taskrun_loader *l, struct taskrun_slot s,
                                const char *key, struct taskrun_kv **out,
                                size_t *n)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return want(l, s, key, "a table");
    size_t len = cr_toml_len(s.v);
    *out = calloc(len + 1, sizeof(**out));
    if (!*out)
        return TASKRUN_E_NOMEM;
    for (size_t i = 0; i < len; i++) {
        (*out)[i].key = strdup(cr_toml_key_at(s.v, i, NULL));
        (*out)[i].value = taskrun__scalar(cr_toml_value_at(s.v, i));
        if (!(*out)[i].value)
            (*out)[i].value = strdup("");
        (*n)++;
    }
    return TASKRUN_OK;
}

static const char *const cond_keys[] = {
    "profiles",       "platforms",       "os",
    "channels",       "env_set",         "env_not_set",
    "env_true",       "env_false",       "env",
    "env_not",        "env_contains",    "rust_version",
    "files_exist",    "files_not_exist", "files_modified",
    "condition_type", "fail_message",
};

static enum taskrun_code cond_lists(struct taskrun_loader *l,
                                    struct taskrun_slot s,
                                    struct taskrun_cond *c)
{
    enum taskrun_code rc =
        get_strv(l, sub(s, "profiles"), "profiles", true, &c->profiles);
    if (!rc)
        rc = get_strv(l, sub(s, "platforms"), "platforms", true, &c->platforms);
    if (!rc)
        rc = get_strv(l, sub(s, "os"), "os", true, &c->platforms);
    if (!rc)
        rc = get_strv(l, sub(s, "env_set"), "env_set", true, &c->env_set);
    if (!rc)
        rc = get_strv(l, sub(s, "env_not_set"), "env_not_set", true,
                      &c->env_not_set);
    if (!rc)
        rc = get_strv(l, sub(s, "env_true"), "env_true", true, &c->env_true);
    if (!rc)
        rc = get_strv(l, sub(s, "env_false"), "env_false", true, &c->env_false);
    if (!rc)
        rc = get_strv(l, sub(s, "files_exist"), "files_exist", true,
                      &c->files_exist);
    if (!rc)
        rc = get_strv(l, sub(s, "files_not_exist"), "files_not_exist", true,
                      &c->files_not_exist);
    return rc;
}

static enum taskrun_code cond_tables(struct taskrun_loader *l,
                                     struct taskrun_slot s,
                                     struct taskrun_cond *c)
{
    enum taskrun_code rc = get_kv(l, sub(s, "env"), "env", &c->env, &c->n_env);
    if (!rc)
        rc =
            get_kv(l, sub(s, "env_not"), "env_not", &c->env_not, &c->n_env_not);
    if (!rc)
        rc = get_kv(l, sub(s, "env_contains"), "env_contains", &c->env_contains,
                    &c->n_env_contains);
    struct taskrun_slot fm = sub(s, "files_modified");
    if (!rc && fm.v) {
        rc = get_strv(l, sub(fm, "input"), "input", true, &c->modified_input);
        if (!rc)
            rc = get_strv(l, sub(fm, "output"), "output", true,
                          &c->modified_output);
    }
    char *type = NULL;
    if (!rc)
        rc = get_str(l, sub(s, "condition_type"), "condition_type", &type);
    c->any = type && (strcmp(type, "Or") == 0 || strcmp(type, "GroupOr") == 0);
    free(type);
    if (!rc)
        rc = get_str(l, sub(s, "fail_message"), "fail_message",
                     &c->fail_message);
    return rc;
}

static enum taskrun_code decode_cond(struct taskrun_loader *l,
                                     struct taskrun_slot s, const char *where,
                                     struct taskrun_cond **out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return want(l, s, "condition", "a table");
    size_t nk = sizeof(cond_keys) / sizeof(cond_keys[0]);
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct cr_toml_pos pos;
        const char *k = cr_toml_key_at(s.v, i, &pos);
        bool known = false;
        for (size_t j = 0; j < nk && !known; j++)
            known = strcmp(k, cond_keys[j]) == 0;
        if (!known && taskrun__unknown_key(l, s.doc, pos, k, where, cond_keys,
                                           nk) != TASKRUN_OK)
            return TASKRUN_E_LOAD;
    }
    struct taskrun_cond *c = calloc(1, sizeof(*c));
    if (!c)
        return TASKRUN_E_NOMEM;
    *out = c;
    enum taskrun_code rc = cond_lists(l, s, c);
    return rc ? rc : cond_tables(l, s, c);
}

/* Keys that make an env value's table a special form, not a profile. */
static bool env_special(const struct cr_toml_value *t)
{
    if (cr_toml_type(t) != CR_TOML_TABLE)
        return false;
    static const char *const forms[] = {
        "value",         "condition",     "source",       "mapping",
        "script",        "unset",         "glob",         "path",
        "default_value", "include_files", "exclude_files"
    };
    if (cr_toml_len(t) == 0)
        return false;
    for (size_t i = 0; i < cr_toml_len(t); i++) {
        const char *k = cr_toml_key_at(t, i, NULL);
        bool f = false;
        for (size_t j = 0; j < sizeof(forms) / sizeof(forms[0]) && !f; j++)
            f = strcmp(k, forms[j]) == 0;
        if (!f)
            return false;
    }
    return true;
}

static char *join_lines(const struct taskrun_strv *sv, const char *sep)
{
    struct cr_buf b = { 0 };
    for (size_t i = 0; i < sv->n; i++)
        if (cr_buf_printf(&b, "%s%s", i ? sep : "", sv->v[i]) != 0) {
            cr_buf_release(&b);
            return NULL;
        }
    return cr_buf_detach(&b);
}

static enum taskrun_code env_table_value(struct taskrun_loader *l,
                                         struct taskrun_slot s,
                                         struct taskrun_envvar *e)
{
    enum taskrun_code rc = TASKRUN_OK;
    struct taskrun_slot x;
    if ((x = sub(s, "unset")).v) {
        e->kind = TASKRUN_ENV_UNSET;
    } else if ((x = sub(s, "script")).v) {
        struct taskrun_strv lines = { 0 };
        e->kind = TASKRUN_ENV_SCRIPT;
        rc = get_strv(l, x, "script", true, &lines);
        e->value = join_lines(&lines, "\n");
        taskrun_strv_release(&lines);
    } else if ((x = sub(s, "source")).v) {
        e->kind = TASKRUN_ENV_MAPPING;
        rc = get_str(l, x, "source", &e->value);
        if (!rc)
            rc = get_str(l, sub(s, "default_value"), "default_value", &e->dflt);
        if (!rc)
            rc = get_kv(l, sub(s, "mapping"), "mapping", &e->map, &e->n_map);
    } else if ((x = sub(s, "value")).v) {
        e->value = taskrun__scalar(x.v);
        if (!e->value)
            return want(l, x, "value", "a string");
    } else {
        /* glob/path forms: accepted, set to "" (documented gap). */
        e->value = strdup("");
    }
    if (!rc)
        rc = decode_cond(l, sub(s, "condition"), "env condition", &e->cond);
    return rc;
}

static enum taskrun_code env_entry(struct taskrun_loader *l, const char *name,
                                   struct taskrun_slot s,
                                   struct taskrun_envvar *e)
{
    e->name = strdup(name);
    if (!e->name)
        return TASKRUN_E_NOMEM;
    switch (cr_toml_type(s.v)) {
    case CR_TOML_ARRAY: {
        struct taskrun_strv sv = { 0 };
        enum taskrun_code rc = get_strv(l, s, name, false, &sv);
        e->value = rc ? NULL : join_lines(&sv, ";");
        taskrun_strv_release(&sv);
        return rc;
    }
    case CR_TOML_TABLE:
        return env_table_value(l, s, e);
    default:
        e->value = taskrun__scalar(s.v);
        return e->value ? TASKRUN_OK : want(l, s, name, "a string");
    }
}

static int env_grow(struct taskrun_envvar **out, size_t n)
{
    struct taskrun_envvar *ne = realloc(*out, (n + 1) * sizeof(*ne));
    if (!ne)
        return -1;
    memset(&ne[n], 0, sizeof(*ne));
    *out = ne;
    return 0;
}

bool taskrun__env_is_profile(const struct cr_toml_value *v)
{
    return cr_toml_type(v) == CR_TOML_TABLE && !env_special(v);
}

/*
 * A table that is not a special form is a profile: in [env] it is kept for
 * --profile to select later; in a task's env it applies now if it matches.
 */
enum taskrun_code taskrun__decode_env(struct taskrun_loader *l,
                                      struct taskrun_slot s,
                                      struct taskrun_envvar **out, size_t *n,
                                      bool file_level)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return want(l, s, "env", "a table");
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        const char *name = cr_toml_key_at(s.v, i, NULL);
        struct taskrun_slot v = { cr_toml_value_at(s.v, i), s.doc };
        bool profile = taskrun__env_is_profile(v.v);
        if (profile && file_level)
            continue;
        if (profile) {
            if (l->o->profile && strcmp(name, l->o->profile) == 0) {
                enum taskrun_code rc = taskrun__decode_env(l, v, out, n, false);
                if (rc)
                    return rc;
            }
            continue;
        }
        if (env_grow(out, *n) != 0)
            return TASKRUN_E_NOMEM;
        enum taskrun_code rc = env_entry(l, name, v, &(*out)[*n]);
        (*n)++;
        if (rc)
            return rc;
    }
    return TASKRUN_OK;
}

/* script: a string, an array of lines, { file }, or { pre, main, post }. */
static enum taskrun_code decode_script(struct taskrun_loader *l,
                                       struct taskrun_slot s,
                                       struct taskrun_task *t)
{
    if (!s.v)
        return TASKRUN_OK;
    struct taskrun_strv lines = { 0 };
    enum taskrun_code rc = TASKRUN_OK;
    if (cr_toml_type(s.v) == CR_TOML_TABLE) {
        rc = get_str(l, sub(s, "file"), "file", &t->script_file);
        const char *parts[] = { "pre", "main", "post" };
        for (size_t i = 0; i < 3 && !rc; i++)
            rc = get_strv(l, sub(s, parts[i]), parts[i], true, &lines);
        if (!t->script_file && !lines.n && !rc)
            rc = want(l, s, "script", "a string, array or { file }");
    } else {
        rc = get_strv(l, s, "script", true, &lines);
    }
    if (!rc && lines.n) {
        t->script = join_lines(&lines, "\n");
        rc = t->script ? TASKRUN_OK : TASKRUN_E_NOMEM;
    }
    taskrun_strv_release(&lines);
    return rc;
}

static enum taskrun_code route_from(struct taskrun_loader *l,
                                    struct taskrun_slot s,
                                    struct taskrun_route *r)
{
    if (cr_toml_type(s.v) == CR_TOML_STRING)
        return get_strv(l, s, "run_task", true, &r->names);
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return want(l, s, "run_task", "a string, table or array of tables");
    enum taskrun_code rc = get_strv(l, sub(s, "name"), "name", true, &r->names);
    if (!rc)
        rc = get_bool(l, sub(s, "fork"), "fork", &r->fork);
    if (!rc)
        rc = get_bool(l, sub(s, "parallel"), "parallel", &r->parallel);
    if (!rc)
        rc =
            decode_cond(l, sub(s, "condition"), "run_task condition", &r->cond);
    if (!rc)
        rc = get_strv(l, sub(s, "condition_script"), "condition_script", true,
                      &r->cond_script);
    if (!rc && r->names.n == 0)
        rc = taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                           "run_task needs a \"name\"");
    return rc;
}

static enum taskrun_code decode_run_task(struct taskrun_loader *l,
                                         struct taskrun_slot s,
                                         struct taskrun_task *t)
{
    if (!s.v)
        return TASKRUN_OK;
    bool list = cr_toml_type(s.v) == CR_TOML_ARRAY;
    size_t n = list ? cr_toml_len(s.v) : 1;
    t->routes = calloc(n + 1, sizeof(*t->routes));
    if (!t->routes)
        return TASKRUN_E_NOMEM;
    for (size_t i = 0; i < n; i++) {
        struct taskrun_slot e = { list ? cr_toml_at(s.v, i) : s.v, s.doc };
        t->n_routes++;
        enum taskrun_code rc = route_from(l, e, &t->routes[i]);
        if (rc)
            return rc;
    }
    return TASKRUN_OK;
}

static enum taskrun_code decode_deps(struct taskrun_loader *l,
                                     struct taskrun_slot s,
                                     struct taskrun_task *t)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_ARRAY)
        return want(l, s, "dependencies", "an array");
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct taskrun_slot e = { cr_toml_at(s.v, i), s.doc }, path = { 0 };
        if (cr_toml_type(e.v) == CR_TOML_TABLE) {
            path = sub(e, "path");
            e = sub(e, "name");
        }
        if (!e.v || cr_toml_type(e.v) != CR_TOML_STRING ||
            (path.v && cr_toml_type(path.v) != CR_TOML_STRING))
            return want(l, (struct taskrun_slot){ cr_toml_at(s.v, i), s.doc },
                        "dependencies", "names or { name = ... }");
        /* A task of another makefile: "PATH:NAME", a placeholder. */
        struct cr_buf b = { 0 };
        int rc = path.v
                     ? cr_buf_printf(&b, "%s:%s", cr_toml_string(path.v, NULL),
                                     cr_toml_string(e.v, NULL))
                     : cr_buf_puts(&b, cr_toml_string(e.v, NULL));
        if (rc || taskrun_strv_push_take(&t->deps, cr_buf_detach(&b)) != 0) {
            cr_buf_release(&b);
            return TASKRUN_E_NOMEM;
        }
    }
    return TASKRUN_OK;
}

/* env_files = ["a.env", { path = "b.env" }] */
static enum taskrun_code decode_env_files(struct taskrun_loader *l,
                                          struct taskrun_slot s,
                                          struct taskrun_task *t)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_ARRAY)
        return want(l, s, "env_files", "an array");
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct taskrun_slot e = { cr_toml_at(s.v, i), s.doc };
        if (cr_toml_type(e.v) == CR_TOML_TABLE)
            e = sub(e, "path");
        if (!e.v || cr_toml_type(e.v) != CR_TOML_STRING)
            return want(l, (struct taskrun_slot){ cr_toml_at(s.v, i), s.doc },
                        "env_files", "paths or { path = ... }");
        if (taskrun_strv_push(&t->env_files, cr_toml_string(e.v, NULL)) != 0)
            return TASKRUN_E_NOMEM;
    }
    return TASKRUN_OK;
}

static enum taskrun_code decode_flags(struct taskrun_loader *l,
                                      const struct taskrun_raw *r,
                                      struct taskrun_task *t)
{
    enum taskrun_code rc =
        get_bool(l, r->k[TK_IGNORE_ERRORS], "ignore_errors", &t->ignore_errors);
    if (!rc)
        rc = get_bool(l, r->k[TK_FORCE], "force", &t->ignore_errors);
    if (!rc)
        rc = get_bool(l, r->k[TK_PRIVATE], "private", &t->is_private);
    if (!rc)
        rc = get_bool(l, r->k[TK_DISABLED], "disabled", &t->disabled);
    struct taskrun_slot d = r->k[TK_DEPRECATED];
    if (!rc && d.v) {
        if (cr_toml_type(d.v) == CR_TOML_BOOL)
            t->deprecated = cr_toml_bool(d.v) ? strdup("") : NULL;
        else
            rc = get_str(l, d, "deprecated", &t->deprecated);
    }
    struct taskrun_slot w = r->k[TK_WATCH];
    if (!rc && w.v)
        t->watch = cr_toml_type(w.v) != CR_TOML_BOOL || cr_toml_bool(w.v);
    return rc;
}

static enum taskrun_code decode_strings(struct taskrun_loader *l,
                                        const struct taskrun_raw *r,
                                        struct taskrun_task *t)
{
    enum taskrun_code rc =
        get_str(l, r->k[TK_DESCRIPTION], "description", &t->description);
    if (!rc)
        rc = get_str(l, r->k[TK_CATEGORY], "category", &t->category);
    if (!rc)
        rc = get_str(l, r->k[TK_COMMAND], "command", &t->command);
    if (!rc)
        rc = get_strv(l, r->k[TK_ARGS], "args", false, &t->args);
    if (!rc)
        rc = get_str(l, r->k[TK_SCRIPT_RUNNER], "script_runner",
                     &t->script_runner);
    if (!rc)
        rc = get_strv(l, r->k[TK_SCRIPT_RUNNER_ARGS], "script_runner_args",
                      false, &t->script_runner_args);
    if (!rc)
        rc = get_str(l, r->k[TK_SCRIPT_EXTENSION], "script_extension",
                     &t->script_extension);
    if (!rc)
        rc = get_str(l, r->k[TK_CWD], "cwd", &t->cwd);
    if (!rc)
        rc = get_strv(l, r->k[TK_CONDITION_SCRIPT], "condition_script", true,
                      &t->cond_script);
    return rc;
}

/* The alias for this platform wins over the plain one. */
static enum taskrun_code decode_alias(struct taskrun_loader *l,
                                      const struct taskrun_raw *r,
                                      struct taskrun_task *t)
{
    const char *p = l->o->platform ? l->o->platform : "linux";
    enum taskrun_task_key k = strcmp(p, "windows") == 0 ? TK_WINDOWS_ALIAS
                              : strcmp(p, "mac") == 0   ? TK_MAC_ALIAS
                                                        : TK_LINUX_ALIAS;
    enum taskrun_code rc = get_str(l, r->k[TK_ALIAS], "alias", &t->alias);
    if (!rc)
        rc = get_str(l, r->k[k], "alias", &t->alias);
    return rc;
}

/* Rust-only keys that would change what runs; reported once per run. */
static void note_rust_keys(const struct taskrun_raw *r, struct taskrun_task *t)
{
    static const enum taskrun_task_key keys[] = { TK_INSTALL_CRATE,
                                                  TK_INSTALL_SCRIPT,
                                                  TK_TOOLCHAIN, TK_PLUGIN,
                                                  TK_WORKSPACE };
    static const char *const names[] = { "install_crate", "install_script",
                                         "toolchain", "plugin", "workspace" };
    for (size_t i = 0; i < 5 && !t->rust_key; i++) {
        const struct cr_toml_value *v = r->k[keys[i]].v;
        if (!v || (cr_toml_type(v) == CR_TOML_BOOL && !cr_toml_bool(v)))
            continue;
        t->rust_key = strdup(names[i]);
    }
}

enum taskrun_code taskrun__decode_task(struct taskrun_loader *l,
                                       const struct taskrun_raw *r,
                                       struct taskrun_task *t)
{
    t->line = r->pos.line;
    enum taskrun_code rc = decode_strings(l, r, t);
    if (!rc)
        rc = decode_flags(l, r, t);
    if (!rc)
        rc = decode_alias(l, r, t);
    if (!rc)
        rc = decode_script(l, r->k[TK_SCRIPT], t);
    if (!rc)
        rc = decode_run_task(l, r->k[TK_RUN_TASK], t);
    if (!rc)
        rc = decode_deps(l, r->k[TK_DEPENDENCIES], t);
    if (!rc)
        rc = decode_env_files(l, r->k[TK_ENV_FILES], t);
    if (!rc)
        rc = decode_cond(l, r->k[TK_CONDITION], "condition", &t->cond);
    for (size_t i = 0; i < r->n_envs && !rc; i++)
        rc = taskrun__decode_env(l, r->envs[i], &t->env, &t->n_env, false);
    if (!rc && r->k[TK_JOB].v)
        rc = taskrun_job_decode(l, r->k[TK_JOB], t);
    note_rust_keys(r, t);
    return rc == TASKRUN_E_NOMEM ? taskrun_errorf(l->err, rc, "out of memory")
                                 : rc;
}
