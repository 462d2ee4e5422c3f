/*
 * taskrun_decode_env: TOML -> model for `condition` tables and env values
 * ([env], [env.PROFILE], task env), see taskrun_decode_env.h.
 */
#include "taskrun_decode_env.h"

#include "taskrun_slot.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const cond_keys[] = {
    "profiles",       "platforms",       "os",
    "channels",       "env_set",         "env_not_set",
    "env_true",       "env_false",       "env",
    "env_not",        "env_contains",    "rust_version",
    "files_exist",    "files_not_exist", "files_modified",
    "condition_type", "fail_message",
};

/* cargo-make declares these keys as lists of strings: a lone string is a
 * type error there, and so it is here (it must not skip a task quietly). */
static enum taskrun_code cond_lists(struct taskrun_loader *l,
                                    struct taskrun_slot s,
                                    struct taskrun_cond *c)
{
    static const char *const keys[] = {
        "profiles",    "platforms",       "os",       "channels",
        "env_set",     "env_not_set",     "env_true", "env_false",
        "files_exist", "files_not_exist",
    };
    struct cr_strv *const lists[] = {
        &c->profiles,    &c->platforms,       &c->platforms, &c->channels,
        &c->env_set,     &c->env_not_set,     &c->env_true,  &c->env_false,
        &c->files_exist, &c->files_not_exist,
    };
    enum taskrun_code rc = TASKRUN_OK;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !rc; i++)
        rc = taskrun__get_strv(l, taskrun__sub(s, keys[i]), keys[i], false,
                               lists[i]);
    return rc;
}

/* rust_version = { min, max, equal }: version strings. */
static enum taskrun_code cond_rust_version(struct taskrun_loader *l,
                                           struct taskrun_slot s,
                                           struct taskrun_cond *c)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return taskrun__want(l, s, "rust_version", "a table");
    static const char *const keys[] = { "min", "max", "equal" };
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct cr_pos pos;
        const char *k = cr_toml_key_at(s.v, i, &pos);
        bool known = false;
        for (size_t j = 0; j < 3 && !known; j++)
            known = strcmp(k, keys[j]) == 0;
        if (!known && taskrun__unknown_key(l, s.doc, pos, k, "rust_version",
                                           keys, 3) != TASKRUN_OK)
            return TASKRUN_E_LOAD;
    }
    char **out[] = { &c->rust_min, &c->rust_max, &c->rust_equal };
    enum taskrun_code rc = TASKRUN_OK;
    for (size_t i = 0; i < 3 && !rc; i++) {
        struct taskrun_slot v = taskrun__sub(s, keys[i]);
        if (v.v && cr_toml_type(v.v) != CR_TOML_STRING)
            return taskrun__want(l, v, keys[i], "a version string");
        const char *vs = v.v ? cr_toml_string(v.v, NULL) : "0";
        if (!isdigit((unsigned char)vs[0]) ||
            vs[strspn(vs, "0123456789.")] != '\0')
            return taskrun__lerr(l, v.doc, cr_toml_pos(v.v),
                                 "\"%s\" must be a version such as "
                                 "\"1.70.0\", not \"%s\"",
                                 keys[i], vs);
        rc = taskrun__get_str(l, v, keys[i], out[i]);
    }
    c->has_rust_version = true;
    return rc;
}

static enum taskrun_code cond_tables(struct taskrun_loader *l,
                                     struct taskrun_slot s,
                                     struct taskrun_cond *c)
{
    enum taskrun_code rc =
        taskrun__get_kv(l, taskrun__sub(s, "env"), "env", &c->env, &c->n_env);
    if (!rc)
        rc = taskrun__get_kv(l, taskrun__sub(s, "env_not"), "env_not",
                             &c->env_not, &c->n_env_not);
    if (!rc)
        rc = taskrun__get_kv(l, taskrun__sub(s, "env_contains"), "env_contains",
                             &c->env_contains, &c->n_env_contains);
    struct taskrun_slot fm = taskrun__sub(s, "files_modified");
    if (!rc && fm.v) {
        if (cr_toml_type(fm.v) != CR_TOML_TABLE)
            return taskrun__want(l, fm, "files_modified",
                                 "a table { input, output }");
        rc = taskrun__get_strv(l, taskrun__sub(fm, "input"), "input", false,
                               &c->modified_input);
        if (!rc)
            rc = taskrun__get_strv(l, taskrun__sub(fm, "output"), "output",
                                   false, &c->modified_output);
    }
    struct taskrun_slot ct = taskrun__sub(s, "condition_type");
    if (!rc && ct.v) {
        const char *type = cr_toml_type(ct.v) == CR_TOML_STRING
                               ? cr_toml_string(ct.v, NULL)
                               : "";
        if (!*type)
            return taskrun__want(l, ct, "condition_type", "a string");
        if (strcmp(type, "And") != 0 && strcmp(type, "Or") != 0 &&
            strcmp(type, "GroupOr") != 0)
            return taskrun__lerr(l, ct.doc, cr_toml_pos(ct.v),
                                 "\"condition_type\" must be \"And\", \"Or\" "
                                 "or \"GroupOr\", not \"%s\"",
                                 type);
        c->any = strcmp(type, "And") != 0;
    }
    if (!rc)
        rc = cond_rust_version(l, taskrun__sub(s, "rust_version"), c);
    if (!rc)
        rc = taskrun__get_str(l, taskrun__sub(s, "fail_message"),
                              "fail_message", &c->fail_message);
    return rc;
}

enum taskrun_code taskrun__decode_cond(struct taskrun_loader *l,
                                       struct taskrun_slot s, const char *where,
                                       struct taskrun_cond **out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return taskrun__want(l, s, "condition", "a table");
    size_t nk = sizeof(cond_keys) / sizeof(cond_keys[0]);
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct cr_pos pos;
        const char *k = cr_toml_key_at(s.v, i, &pos);
        bool known = false;
        for (size_t j = 0; j < nk && !known; j++)
            known = strcmp(k, cond_keys[j]) == 0;
        if (!known && taskrun__unknown_key(l, s.doc, pos, k, where, cond_keys,
                                           nk) != TASKRUN_OK)
            return TASKRUN_E_LOAD;
    }
    struct taskrun_cond *c = cr_calloc(1, sizeof(*c));
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
        "value",         "condition",     "source",        "mapping",
        "script",        "unset",         "glob",          "path",
        "default_value", "include_files", "exclude_files", "include_dirs",
        "ignore_type"
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

static enum taskrun_code env_table_value(struct taskrun_loader *l,
                                         struct taskrun_slot s,
                                         struct taskrun_envvar *e)
{
    enum taskrun_code rc = TASKRUN_OK;
    struct taskrun_slot x;
    if ((x = taskrun__sub(s, "unset")).v) {
        e->kind = TASKRUN_ENV_UNSET;
    } else if ((x = taskrun__sub(s, "script")).v) {
        struct cr_strv lines = { 0 };
        e->kind = TASKRUN_ENV_SCRIPT;
        rc = taskrun__get_strv(l, x, "script", true, &lines);
        e->value = rc ? NULL : taskrun__join_lines(&lines, "\n");
        cr_strv_release(&lines);
        if (!rc && !e->value)
            rc = TASKRUN_E_NOMEM;
    } else if ((x = taskrun__sub(s, "source")).v) {
        e->kind = TASKRUN_ENV_MAPPING;
        rc = taskrun__get_str(l, x, "source", &e->value);
        if (!rc)
            rc = taskrun__get_str(l, taskrun__sub(s, "default_value"),
                                  "default_value", &e->dflt);
        if (!rc)
            rc = taskrun__get_kv(l, taskrun__sub(s, "mapping"), "mapping",
                                 &e->map, &e->n_map);
    } else if ((x = taskrun__sub(s, "value")).v) {
        e->value = taskrun__scalar(x.v);
        if (!e->value && !taskrun__has_text(x.v))
            return taskrun__want(l, x, "value", "a string");
        if (!e->value)
            return TASKRUN_E_NOMEM;
    } else if ((x = taskrun__sub(s, "glob")).v) {
        e->kind = TASKRUN_ENV_GLOB;
        e->glob_files = e->glob_dirs = true;
        rc = taskrun__get_str(l, x, "glob", &e->value);
        if (!rc)
            rc = taskrun__get_bool(l, taskrun__sub(s, "include_files"),
                                   "include_files", &e->glob_files);
        if (!rc)
            rc = taskrun__get_bool(l, taskrun__sub(s, "include_dirs"),
                                   "include_dirs", &e->glob_dirs);
    } else {
        /* { path } is no cargo-make value form: accepted, set to "". */
        e->value = cr_strdup("");
        if (!e->value)
            return TASKRUN_E_NOMEM;
    }
    if (!rc)
        rc = taskrun__decode_cond(l, taskrun__sub(s, "condition"),
                                  "env condition", &e->cond);
    return rc;
}

static enum taskrun_code env_entry(struct taskrun_loader *l, const char *name,
                                   struct taskrun_slot s,
                                   struct taskrun_envvar *e)
{
    e->name = cr_strdup(name);
    if (!e->name)
        return TASKRUN_E_NOMEM;
    switch (cr_toml_type(s.v)) {
    case CR_TOML_ARRAY: {
        struct cr_strv sv = { 0 };
        enum taskrun_code rc = taskrun__get_strv(l, s, name, false, &sv);
        e->value = rc ? NULL : taskrun__join_lines(&sv, ";");
        cr_strv_release(&sv);
        return rc || e->value ? rc : TASKRUN_E_NOMEM;
    }
    case CR_TOML_TABLE:
        return env_table_value(l, s, e);
    default:
        e->value = taskrun__scalar(s.v);
        if (!e->value && !taskrun__has_text(s.v))
            return taskrun__want(l, s, name, "a string");
        return e->value ? TASKRUN_OK : TASKRUN_E_NOMEM;
    }
}

static int env_grow(struct taskrun_envvar **out, size_t n)
{
    /* The capacity is implicit: the array grows to twice its size when n
     * is a power of two (or 0), so n entries cost O(n) copying. Only this
     * function grows these arrays. */
    if ((n & (n - 1)) == 0) {
        struct taskrun_envvar *ne =
            cr_realloc(*out, (n ? 2 * n : 1) * sizeof(*ne));
        if (!ne)
            return -1;
        *out = ne;
    }
    memset(&(*out)[n], 0, sizeof(**out));
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
        return taskrun__want(l, s, "env", "a table");
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct cr_pos pos;
        const char *name = cr_toml_key_at(s.v, i, &pos);
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
        struct cr_buf w = { 0 };
        if (!rc && cr_buf_printf(&w, "%s:%u:%u: ", cr_toml_filename(s.doc),
                                 pos.line, pos.col) != 0)
            rc = TASKRUN_E_NOMEM;
        (*out)[*n].where = cr_buf_detach(&w);
        (*n)++;
        if (rc)
            return rc;
    }
    return TASKRUN_OK;
}
