/* taskrun_load: makefiles, extend and merging (see taskrun_load.h). */
#include "taskrun_load_priv.h"

#include "cr_buf.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const task_keys[] = {
#define TASKRUN_X(id, name) name,
    TASKRUN_TASK_KEYS(TASKRUN_X)
#undef TASKRUN_X
};

static const char *const top_keys[] = { "config",      "env",   "env_files",
                                        "env_scripts", "tasks", "plugins",
                                        "extend" };

static const char *const config_keys[] = {
    "default_to_workspace",
    "skip_core_tasks",
    "init_task",
    "end_task",
    "on_error_task",
    "time_summary",
    "min_version",
    "reduce_output",
    "load_script",
    "linux_load_script",
    "windows_load_script",
    "mac_load_script",
    "unstable_features",
    "skip_git_env_info",
    "skip_rust_env_info",
    "skip_crate_env_info",
    "modify_core_tasks",
    "additional_profiles",
    "main_project_member",
    "load_cargo_aliases",
    "legacy_migration_task",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

enum taskrun_code taskrun__lerr(struct taskrun_loader *l,
                                const struct cr_toml_doc *doc,
                                struct cr_toml_pos pos, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct cr_toml_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, pos, "%s", msg);
    return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
}

enum taskrun_code taskrun__unknown_key(struct taskrun_loader *l,
                                       const struct cr_toml_doc *doc,
                                       struct cr_toml_pos pos, const char *key,
                                       const char *where,
                                       const char *const *known, size_t n)
{
    const char *s = cr_toml_suggest(key, known, n);
    char hint[300] = "";
    if (s)
        snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", s);
    struct cr_toml_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, pos, "unknown key \"%s\" in %s%s",
                   key, where, hint);
    if (l->o->strict)
        return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    if (taskrun_strv_push(l->warnings, te.msg) != 0)
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    return TASKRUN_OK;
}

static enum taskrun_code check_keys(struct taskrun_loader *l,
                                    const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *t,
                                    const char *where, const char *const *known,
                                    size_t n)
{
    for (size_t i = 0; i < cr_toml_len(t); i++) {
        struct cr_toml_pos pos;
        const char *k = cr_toml_key_at(t, i, &pos);
        bool ok = false;
        for (size_t j = 0; j < n && !ok; j++)
            ok = strcmp(k, known[j]) == 0;
        if (!ok && taskrun__unknown_key(l, doc, pos, k, where, known, n))
            return l->err->code;
    }
    return TASKRUN_OK;
}

static int key_index(const char *k)
{
    for (size_t j = 0; j < TK_COUNT; j++)
        if (strcmp(k, task_keys[j]) == 0)
            return (int)j;
    return -1;
}

static bool raw_clear(const struct taskrun_raw *r)
{
    const struct cr_toml_value *v = r->k[TK_CLEAR].v;
    return v && cr_toml_type(v) == CR_TOML_BOOL && cr_toml_bool(v);
}

/* Merges src's keys over dst (clear = true: src replaces dst). */
static int raw_merge(struct taskrun_raw *dst, const struct taskrun_raw *src)
{
    if (raw_clear(src)) {
        memset(dst->k, 0, sizeof(dst->k));
        dst->n_envs = 0;
    }
    for (size_t k = 0; k < TK_COUNT; k++)
        if (src->k[k].v && k != TK_ENV)
            dst->k[k] = src->k[k];
    for (size_t i = 0; i < src->n_envs; i++) {
        struct taskrun_slot *ne =
            realloc(dst->envs, (dst->n_envs + 1) * sizeof(*ne));
        if (!ne)
            return -1;
        dst->envs = ne;
        ne[dst->n_envs++] = src->envs[i];
    }
    return 0;
}

/* Fills r from one task table, checking its keys. */
static enum taskrun_code raw_from_table(struct taskrun_loader *l,
                                        const struct cr_toml_doc *doc,
                                        const struct cr_toml_value *t,
                                        const char *where,
                                        struct taskrun_raw *r)
{
    for (size_t i = 0; i < cr_toml_len(t); i++) {
        struct cr_toml_pos pos;
        const char *k = cr_toml_key_at(t, i, &pos);
        int ki = key_index(k);
        if (ki < 0) {
            if (taskrun__unknown_key(l, doc, pos, k, where, task_keys,
                                     TK_COUNT))
                return l->err->code;
            continue;
        }
        r->k[ki] = (struct taskrun_slot){ cr_toml_value_at(t, i), doc };
    }
    if (r->k[TK_ENV].v) {
        r->envs = malloc(sizeof(*r->envs));
        if (!r->envs)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        r->envs[0] = r->k[TK_ENV];
        r->n_envs = 1;
    }
    return TASKRUN_OK;
}

static struct taskrun_raw *raw_find(struct taskrun_loader *l, const char *n)
{
    for (size_t i = 0; i < l->n_raws; i++)
        if (strcmp(l->raws[i].name, n) == 0)
            return &l->raws[i];
    return NULL;
}

static enum taskrun_code add_task_table(struct taskrun_loader *l,
                                        const struct cr_toml_doc *doc,
                                        const char *name,
                                        struct cr_toml_pos pos,
                                        const struct cr_toml_value *t)
{
    char where[300];
    snprintf(where, sizeof(where), "[tasks.%s]", name);
    if (cr_toml_type(t) != CR_TOML_TABLE)
        return taskrun__lerr(l, doc, pos, "%s must be a table", where);
    struct taskrun_raw r = { .doc = doc, .pos = pos };
    enum taskrun_code rc = raw_from_table(l, doc, t, where, &r);
    struct taskrun_raw *old = rc ? NULL : raw_find(l, name);
    if (old) {
        if (raw_merge(old, &r) != 0)
            rc = taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        free(r.envs);
        return rc;
    }
    struct taskrun_raw *nr =
        rc ? NULL : realloc(l->raws, (l->n_raws + 1) * sizeof(*nr));
    if (!nr) {
        free(r.envs);
        return rc ? rc : taskrun_errorf(l->err, TASKRUN_E_NOMEM, "no memory");
    }
    l->raws = nr;
    r.name = strdup(name);
    nr[l->n_raws++] = r;
    return TASKRUN_OK;
}

static enum taskrun_code load_tasks(struct taskrun_loader *l,
                                    const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *tasks)
{
    if (!tasks)
        return TASKRUN_OK;
    if (cr_toml_type(tasks) != CR_TOML_TABLE)
        return taskrun__lerr(l, doc, cr_toml_pos(tasks),
                             "\"tasks\" must be a table");
    for (size_t i = 0; i < cr_toml_len(tasks); i++) {
        struct cr_toml_pos pos;
        const char *name = cr_toml_key_at(tasks, i, &pos);
        enum taskrun_code rc =
            add_task_table(l, doc, name, pos, cr_toml_value_at(tasks, i));
        if (rc)
            return rc;
    }
    return TASKRUN_OK;
}

static enum taskrun_code cfg_str(struct taskrun_loader *l,
                                 const struct cr_toml_doc *doc,
                                 const struct cr_toml_value *c, const char *k,
                                 char **out)
{
    const char *s = NULL;
    struct cr_toml_error te;
    enum cr_toml_code r = cr_toml_get_string(doc, c, k, &s, &te);
    if (r == CR_TOML_E_TYPE)
        return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    if (s) {
        free(*out);
        *out = strdup(s);
    }
    return TASKRUN_OK;
}

static enum taskrun_code cfg_bool(struct taskrun_loader *l,
                                  const struct cr_toml_doc *doc,
                                  const struct cr_toml_value *c, const char *k,
                                  bool *out)
{
    struct cr_toml_error te;
    if (cr_toml_get_bool(doc, c, k, out, &te) == CR_TOML_E_TYPE)
        return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    return TASKRUN_OK;
}

static enum taskrun_code load_config(struct taskrun_loader *l,
                                     const struct cr_toml_doc *doc,
                                     const struct cr_toml_value *c)
{
    if (!c)
        return TASKRUN_OK;
    struct taskrun_config *cf = &l->f->config;
    enum taskrun_code rc =
        check_keys(l, doc, c, "[config]", config_keys, COUNT(config_keys));
    if (!rc)
        rc = cfg_bool(l, doc, c, "skip_core_tasks", &cf->skip_core_tasks);
    if (!rc)
        rc = cfg_bool(l, doc, c, "default_to_workspace",
                      &cf->default_to_workspace);
    if (!rc)
        rc = cfg_bool(l, doc, c, "time_summary", &cf->time_summary);
    if (!rc)
        rc = cfg_str(l, doc, c, "init_task", &cf->init_task);
    if (!rc)
        rc = cfg_str(l, doc, c, "end_task", &cf->end_task);
    if (!rc)
        rc = cfg_str(l, doc, c, "on_error_task", &cf->on_error_task);
    if (!rc)
        rc = cfg_str(l, doc, c, "min_version", &cf->min_version);
    return rc;
}

/* env_files = ["a.env", { path = "b.env" }] relative to the makefile. */
static enum taskrun_code load_env_files(struct taskrun_loader *l,
                                        const struct cr_toml_doc *doc,
                                        const struct cr_toml_value *v,
                                        const char *dir)
{
    for (size_t i = 0; v && i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        if (cr_toml_type(e) == CR_TOML_TABLE)
            e = cr_toml_get(e, "path");
        if (!e || cr_toml_type(e) != CR_TOML_STRING)
            return taskrun__lerr(l, doc, cr_toml_pos(cr_toml_at(v, i)),
                                 "env_files entries must be paths");
        const char *p = cr_toml_string(e, NULL);
        struct cr_buf b = { 0 };
        if (cr_buf_printf(&b, "%s%s%s", p[0] == '/' ? "" : dir,
                          p[0] == '/' ? "" : "/", p) != 0 ||
            taskrun_strv_push_take(&l->f->env_files, cr_buf_detach(&b)) != 0)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    }
    return TASKRUN_OK;
}

static enum taskrun_code load_doc(struct taskrun_loader *l,
                                  struct cr_toml_doc *doc, const char *dir,
                                  int depth);

static char *dir_of(const char *path)
{
    char *abs = realpath(path, NULL);
    if (!abs)
        return NULL;
    char *slash = strrchr(abs, '/');
    if (slash == abs)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    return abs;
}

static enum taskrun_code load_path(struct taskrun_loader *l, const char *path,
                                   bool optional, int depth,
                                   const struct cr_toml_doc *from,
                                   struct cr_toml_pos pos)
{
    char *real = realpath(path, NULL);
    if (!real) {
        /* A missing extended file: its tasks become placeholders. */
        l->f->extend_missing = true;
        char msg[PATH_MAX + 64];
        snprintf(msg, sizeof(msg), "extended file %s not found%s", path,
                 optional ? "" : "; tasks it defines are treated as empty");
        if (!optional && taskrun_strv_push(l->warnings, msg) != 0)
            return TASKRUN_E_NOMEM;
        return TASKRUN_OK;
    }
    if (taskrun_strv_find(&l->seen_files, real) >= 0) {
        free(real);
        return taskrun__lerr(l, from, pos, "extend cycle through %s", path);
    }
    taskrun_strv_push_take(&l->seen_files, real);
    struct cr_toml_doc *doc;
    struct cr_toml_error te;
    if (cr_toml_parse_file(path, &doc, &te) != CR_TOML_OK)
        return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    char *dir = dir_of(path);
    enum taskrun_code rc = load_doc(l, doc, dir ? dir : ".", depth + 1);
    free(dir);
    return rc;
}

/* File-level extend: a path, { path, optional }, or a list of those. */
static enum taskrun_code load_extends(struct taskrun_loader *l,
                                      const struct cr_toml_doc *doc,
                                      const struct cr_toml_value *v,
                                      const char *dir, int depth)
{
    if (!v)
        return TASKRUN_OK;
    bool list = cr_toml_type(v) == CR_TOML_ARRAY;
    for (size_t i = 0; i < (list ? cr_toml_len(v) : 1); i++) {
        const struct cr_toml_value *e = list ? cr_toml_at(v, i) : v;
        bool optional = false;
        if (cr_toml_type(e) == CR_TOML_TABLE) {
            const struct cr_toml_value *o = cr_toml_get(e, "optional");
            optional = o && cr_toml_type(o) == CR_TOML_BOOL && cr_toml_bool(o);
            e = cr_toml_get(e, "path");
        }
        if (!e || cr_toml_type(e) != CR_TOML_STRING)
            return taskrun__lerr(l, doc, cr_toml_pos(v),
                                 "\"extend\" must be a path or { path }");
        const char *p = cr_toml_string(e, NULL);
        char full[PATH_MAX];
        snprintf(full, sizeof(full), "%s/%s", p[0] == '/' ? "" : dir, p);
        if (depth > 32)
            return taskrun__lerr(l, doc, cr_toml_pos(e), "extend too deep");
        enum taskrun_code rc = load_path(l, p[0] == '/' ? p : full, optional,
                                         depth, doc, cr_toml_pos(e));
        if (rc)
            return rc;
    }
    return TASKRUN_OK;
}

static enum taskrun_code load_doc(struct taskrun_loader *l,
                                  struct cr_toml_doc *doc, const char *dir,
                                  int depth)
{
    struct cr_toml_doc **nd = realloc(l->docs, (l->n_docs + 1) * sizeof(*nd));
    if (!nd) {
        cr_toml_free(doc);
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    }
    l->docs = nd;
    nd[l->n_docs++] = doc;
    const struct cr_toml_value *root = cr_toml_root(doc);
    enum taskrun_code rc =
        check_keys(l, doc, root, "the makefile", top_keys, COUNT(top_keys));
    if (!rc)
        rc = load_extends(l, doc, cr_toml_get(root, "extend"), dir, depth);
    if (!rc)
        rc = load_config(l, doc, cr_toml_get(root, "config"));
    if (!rc)
        rc = load_env_files(l, doc, cr_toml_get(root, "env_files"), dir);
    const struct cr_toml_value *env = cr_toml_get(root, "env");
    if (!rc && env) {
        struct taskrun_slot *ne =
            realloc(l->file_envs, (l->n_file_envs + 1) * sizeof(*ne));
        if (!ne)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        l->file_envs = ne;
        ne[l->n_file_envs++] = (struct taskrun_slot){ env, doc };
    }
    if (!rc)
        rc = load_tasks(l, doc, cr_toml_get(root, "tasks"));
    return rc;
}

/* Task-level extend: inherit the base's keys, then apply our own. */
static enum taskrun_code resolve_extend(struct taskrun_loader *l,
                                        struct taskrun_raw *r,
                                        struct cr_buf *path)
{
    if (r->state == 2)
        return TASKRUN_OK;
    size_t mark = path->len;
    if (cr_buf_printf(path, "%s%s", mark ? " -> " : "", r->name) != 0)
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    if (r->state == 1)
        return taskrun_errorf(l->err, TASKRUN_E_PLAN, "extend cycle: %s",
                              cr_buf_str(path));
    struct taskrun_slot e = r->k[TK_EXTEND];
    enum taskrun_code rc = TASKRUN_OK;
    if (e.v && cr_toml_type(e.v) == CR_TOML_STRING) {
        const char *bn = cr_toml_string(e.v, NULL);
        struct taskrun_raw *base = raw_find(l, bn);
        if (!base)
            return taskrun__lerr(l, e.doc, cr_toml_pos(e.v),
                                 "task \"%s\" extends unknown task \"%s\"",
                                 r->name, bn);
        r->state = 1;
        rc = resolve_extend(l, raw_find(l, bn), path);
        base = raw_find(l, bn);
        r->state = 0;
        if (!rc && !raw_clear(r)) {
            struct taskrun_raw merged = *base;
            merged.envs = NULL;
            merged.n_envs = 0;
            merged.k[TK_EXTEND] = (struct taskrun_slot){ 0 };
            if (raw_merge(&merged, base) || raw_merge(&merged, r))
                rc = taskrun_errorf(l->err, TASKRUN_E_NOMEM, "no memory");
            free(r->envs);
            memcpy(r->k, merged.k, sizeof(r->k));
            r->envs = merged.envs;
            r->n_envs = merged.n_envs;
        }
    } else if (e.v) {
        return taskrun__lerr(l, e.doc, cr_toml_pos(e.v),
                             "\"extend\" must be a task name");
    }
    r->state = 2;
    path->len = mark;
    if (path->data)
        path->data[mark] = '\0';
    return rc;
}

/* [tasks.x.linux] overrides the task's keys on Linux. */
static enum taskrun_code apply_platform(struct taskrun_loader *l,
                                        struct taskrun_raw *r)
{
    const char *p = l->o->platform ? l->o->platform : "linux";
    enum taskrun_task_key k = strcmp(p, "windows") == 0 ? TK_WINDOWS
                              : strcmp(p, "mac") == 0   ? TK_MAC
                                                        : TK_LINUX;
    struct taskrun_slot s = r->k[k];
    if (!s.v)
        return TASKRUN_OK;
    char where[300];
    snprintf(where, sizeof(where), "[tasks.%s.%s]", r->name, p);
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return taskrun__lerr(l, s.doc, cr_toml_pos(s.v), "%s must be a table",
                             where);
    struct taskrun_raw o = { 0 };
    enum taskrun_code rc = raw_from_table(l, s.doc, s.v, where, &o);
    if (!rc && raw_merge(r, &o) != 0)
        rc = taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    free(o.envs);
    return rc;
}

static enum taskrun_code add_profile(struct taskrun_loader *l, const char *name,
                                     struct taskrun_slot v)
{
    struct taskrun_file *f = l->f;
    long pi = taskrun_strv_find(&f->profile_names, name);
    if (pi < 0) {
        size_t np = f->profile_names.n + 1;
        struct taskrun_envvar **pp = realloc(f->profiles, np * sizeof(*pp));
        if (pp)
            f->profiles = pp;
        size_t *pn = pp ? realloc(f->n_profile_env, np * sizeof(*pn)) : NULL;
        if (pn)
            f->n_profile_env = pn;
        if (!pp || !pn || taskrun_strv_push(&f->profile_names, name))
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        pi = (long)np - 1;
        f->profiles[pi] = NULL;
        f->n_profile_env[pi] = 0;
    }
    const struct taskrun_load_opts *saved = l->o;
    struct taskrun_load_opts o = *saved;
    o.profile = NULL;
    l->o = &o;
    enum taskrun_code rc = taskrun__decode_env(l, v, &f->profiles[pi],
                                               &f->n_profile_env[pi], false);
    l->o = saved;
    return rc;
}

/* [env] tables of every file, and their [env.PROFILE] sub-tables. */
static enum taskrun_code load_profiles(struct taskrun_loader *l)
{
    struct taskrun_file *f = l->f;
    for (size_t e = 0; e < l->n_file_envs; e++) {
        struct taskrun_slot s = l->file_envs[e];
        enum taskrun_code rc =
            taskrun__decode_env(l, s, &f->env, &f->n_env, true);
        for (size_t i = 0; !rc && i < cr_toml_len(s.v); i++) {
            struct taskrun_slot v = { cr_toml_value_at(s.v, i), s.doc };
            if (taskrun__env_is_profile(v.v))
                rc = add_profile(l, cr_toml_key_at(s.v, i, NULL), v);
        }
        if (rc)
            return rc == TASKRUN_E_NOMEM
                       ? taskrun_errorf(l->err, rc, "out of memory")
                       : rc;
    }
    return TASKRUN_OK;
}

/*
 * cargo-make's built-in tasks that makefiles commonly reference without
 * defining. Here they are empty placeholders: taskrun does not ship the
 * Rust toolchain flows.
 */
bool taskrun_is_core_task(const char *name)
{
    static const char *const names[] = {
        "empty",
        "init",
        "end",
        "default",
        "build",
        "build-release",
        "test",
        "clean",
        "format",
        "check-format",
        "clippy",
        "check",
        "docs",
        "doc",
        "bench",
        "audit",
        "outdated",
        "publish",
        "package",
        "coverage",
        "ci-flow",
        "dev-test-flow",
        "build-flow",
        "test-flow",
        "format-flow",
        "check-flow",
        "publish-flow",
        "clippy-flow",
        "dev-watch-flow",
        "watch-flow",
        "unit-tests",
        "install",
        "legacy-migration",
        "copy-apidocs",
        "codecov",
        "codecov-flow",
        "workspace-members-ci",
        "test-verbose",
        "test-with-args",
        "clean-apidocs",
        "print-env-flow",
    };
    static const char *const prefixes[] = { "pre-",       "post-", "install-",
                                            "workspace-", "ci-",   "do-",
                                            "wasm-",      "zip-",  "git-" };
    for (size_t i = 0; i < COUNT(names); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    for (size_t i = 0; i < COUNT(prefixes); i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    return false;
}

static enum taskrun_code add_placeholder(struct taskrun_loader *l,
                                         const char *name)
{
    if (taskrun_file_find(l->f, name))
        return TASKRUN_OK;
    bool core = taskrun_is_core_task(name);
    if (!core && !l->f->extend_missing)
        return TASKRUN_OK; /* the planner reports it with a did-you-mean */
    struct taskrun_task *t = taskrun_file_add_task(l->f, name);
    if (!t)
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    t->placeholder = true;
    t->category = strdup("Placeholders");
    t->description = strdup(core ? "cargo-make built-in task: an empty "
                                   "placeholder in taskrun"
                                 : "defined in an extended file that was not "
                                   "found: an empty placeholder");
    return TASKRUN_OK;
}

static enum taskrun_code add_placeholders(struct taskrun_loader *l)
{
    struct taskrun_file *f = l->f;
    enum taskrun_code rc = TASKRUN_OK;
    size_t n = f->n_tasks; /* placeholders themselves reference nothing */
    for (size_t i = 0; i < n && !rc; i++) {
        /* f->tasks may move while adding; index each time. */
        for (size_t d = 0; d < f->tasks[i].deps.n && !rc; d++)
            rc = add_placeholder(l, f->tasks[i].deps.v[d]);
        for (size_t r = 0; r < f->tasks[i].n_routes && !rc; r++)
            for (size_t k = 0; k < f->tasks[i].routes[r].names.n && !rc; k++)
                rc = add_placeholder(l, f->tasks[i].routes[r].names.v[k]);
        if (!rc && f->tasks[i].alias)
            rc = add_placeholder(l, f->tasks[i].alias);
    }
    /* cargo-make always has a "default" task; so does a loaded file. */
    const char *cfg[] = { f->config.init_task, f->config.end_task,
                          f->config.on_error_task, "default" };
    for (size_t i = 0; i < 4 && !rc; i++)
        if (cfg[i])
            rc = add_placeholder(l, cfg[i]);
    return rc;
}

static enum taskrun_code decode_all(struct taskrun_loader *l)
{
    struct cr_buf path = { 0 };
    enum taskrun_code rc = TASKRUN_OK;
    for (size_t i = 0; i < l->n_raws && !rc; i++)
        rc = resolve_extend(l, &l->raws[i], &path);
    cr_buf_release(&path);
    for (size_t i = 0; i < l->n_raws && !rc; i++)
        rc = apply_platform(l, &l->raws[i]);
    if (!rc)
        rc = load_profiles(l);
    for (size_t i = 0; i < l->n_raws && !rc; i++) {
        struct taskrun_task *t = taskrun_file_add_task(l->f, l->raws[i].name);
        if (!t)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        rc = taskrun__decode_task(l, &l->raws[i], t);
    }
    if (!rc)
        rc = add_placeholders(l);
    return rc;
}

static void loader_free(struct taskrun_loader *l)
{
    for (size_t i = 0; i < l->n_docs; i++)
        cr_toml_free(l->docs[i]);
    free(l->docs);
    for (size_t i = 0; i < l->n_raws; i++) {
        free(l->raws[i].name);
        free(l->raws[i].envs);
    }
    free(l->raws);
    free(l->file_envs);
    taskrun_strv_release(&l->seen_files);
}

static enum taskrun_code load_common(struct taskrun_file *f,
                                     struct cr_toml_doc *doc, const char *dir,
                                     const struct taskrun_load_opts *o,
                                     struct taskrun_strv *warnings,
                                     struct taskrun_error *err)
{
    static const struct taskrun_load_opts defaults = { 0 };
    struct taskrun_loader l = {
        .o = o ? o : &defaults, .f = f, .warnings = warnings, .err = err
    };
    f->dir = strdup(dir);
    enum taskrun_code rc = load_doc(&l, doc, dir, 0);
    if (!rc)
        rc = decode_all(&l);
    loader_free(&l);
    return rc;
}

enum taskrun_code taskrun_load(struct taskrun_file *f, const char *path,
                               const struct taskrun_load_opts *o,
                               struct taskrun_strv *warnings,
                               struct taskrun_error *err)
{
    memset(f, 0, sizeof(*f));
    f->path = strdup(path);
    struct cr_toml_doc *doc;
    struct cr_toml_error te;
    enum cr_toml_code tc = cr_toml_parse_file(path, &doc, &te);
    if (tc == CR_TOML_E_IO)
        return taskrun_errorf(err, TASKRUN_E_LOAD, "%s: cannot read: %s", path,
                              strerror(errno));
    if (tc != CR_TOML_OK)
        return taskrun_errorf(err, TASKRUN_E_LOAD, "%s", te.msg);
    char *dir = dir_of(path);
    char *real = realpath(path, NULL);
    enum taskrun_code rc = TASKRUN_OK;
    if (!dir || !real) {
        free(dir);
        free(real);
        cr_toml_free(doc);
        return taskrun_errorf(err, TASKRUN_E_LOAD, "%s: %s", path,
                              strerror(errno));
    }
    struct taskrun_loader seen = { 0 };
    (void)seen;
    rc = load_common(f, doc, dir, o, warnings, err);
    free(real);
    free(dir);
    return rc;
}

enum taskrun_code taskrun_load_string(struct taskrun_file *f, const char *text,
                                      const char *name,
                                      const struct taskrun_load_opts *o,
                                      struct taskrun_strv *warnings,
                                      struct taskrun_error *err)
{
    memset(f, 0, sizeof(*f));
    f->path = strdup(name);
    struct cr_toml_doc *doc;
    struct cr_toml_error te;
    if (cr_toml_parse(text, strlen(text), name, &doc, &te) != CR_TOML_OK)
        return taskrun_errorf(err, TASKRUN_E_LOAD, "%s", te.msg);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        strcpy(cwd, ".");
    return load_common(f, doc, cwd, o, warnings, err);
}
