/*
 * taskrun_resolve: the loader's second half: task-level extend, platform
 * override tables, [env.PROFILE] tables, core-task placeholders, then
 * decoding every merged task (see taskrun_load_priv.h).
 */
#include "taskrun_load_priv.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* "FILE:L:C: extend cycle: a -> b -> a", at the extend that closes it. */
static enum taskrun_code extend_cycle(struct taskrun_loader *l,
                                      struct taskrun_slot e,
                                      const struct cr_buf *path,
                                      const char *base)
{
    struct cr_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, e.doc, cr_toml_pos(e.v),
                   "extend cycle: %s -> %s", cr_buf_str(path), base);
    return taskrun_errorf(l->err, TASKRUN_E_PLAN, "%s", te.msg);
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
        struct taskrun_raw *base = taskrun__raw_find(l, bn);
        if (!base)
            return taskrun__lerr(l, e.doc, cr_toml_pos(e.v),
                                 "task \"%s\" extends unknown task \"%s\"",
                                 r->name, bn);
        r->state = 1;
        if (base->state == 1)
            rc = extend_cycle(l, e, path, bn);
        else
            rc = resolve_extend(l, base, path);
        base = taskrun__raw_find(l, bn);
        r->state = 0;
        if (!rc && !taskrun__raw_clear(r)) {
            struct taskrun_raw merged = *base;
            merged.envs = NULL;
            merged.n_envs = 0;
            merged.k[TK_EXTEND] = (struct taskrun_slot){ 0 };
            if (taskrun__raw_merge(&merged, base) ||
                taskrun__raw_merge(&merged, r))
                rc = taskrun_errorf(l->err, TASKRUN_E_NOMEM, "no memory");
            cr_free(r->envs);
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
    enum taskrun_code rc = taskrun__raw_from_table(l, s.doc, s.v, where, &o);
    if (!rc && taskrun__raw_merge(r, &o) != 0)
        rc = taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    cr_free(o.envs);
    return rc;
}

static enum taskrun_code add_profile(struct taskrun_loader *l, const char *name,
                                     struct taskrun_slot v)
{
    struct taskrun_file *f = l->f;
    long pi = cr_strv_find(&f->profile_names, name);
    if (pi < 0) {
        size_t np = f->profile_names.n + 1;
        struct taskrun_envvar **pp = cr_realloc(f->profiles, np * sizeof(*pp));
        if (pp)
            f->profiles = pp;
        size_t *pn = pp ? cr_realloc(f->n_profile_env, np * sizeof(*pn)) : NULL;
        if (pn)
            f->n_profile_env = pn;
        if (!pp || !pn || cr_strv_push(&f->profile_names, name))
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
    /* Names and name families of cargo-make's descriptor makefiles. */
    static const char *const names[] = {
        "empty",
        "init",
        "end",
        "default",
        "build",
        "test",
        "clean",
        "format",
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
        "install",
        "codecov",
        "wait",
        "delete-lock",
        "bintray-upload",
        "verify-project",
        "upgrade-dependencies",
        "unused-dependencies",
        "legacy-migration",
    };
    static const char *const prefixes[] = {
        "pre-",         "post-",     "install-",  "workspace-", "ci-",
        "do-",          "wasm-",     "zip-",      "git-",       "crate-",
        "conditioned-", "examples-", "bench-",    "test-",      "check-",
        "build-",       "docs-",     "coverage-", "codecov-",   "print-",
        "publish-",     "github-",   "upload-",   "setup-",     "outdated-",
        "unused-",      "audit-",    "format-",   "clippy-",    "clean-",
        "copy-",        "delete-",   "verify-",   "end-",       "init-",
        "dev-",
    };
    for (size_t i = 0; i < COUNT(names); i++)
        if (strcmp(name, names[i]) == 0)
            return true;
    for (size_t i = 0; i < COUNT(prefixes); i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return true;
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, "-flow") == 0;
}

static enum taskrun_code add_placeholder(struct taskrun_loader *l,
                                         const char *name)
{
    if (taskrun_file_find(l->f, name))
        return TASKRUN_OK;
    bool core = taskrun_is_core_task(name);
    bool other = strchr(name, ':') != NULL;
    if (!core && !other && !l->f->extend_missing)
        return TASKRUN_OK; /* the planner reports it with a did-you-mean */
    struct taskrun_task *t = taskrun_file_add_task(l->f, name);
    if (!t)
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    t->placeholder = true;
    t->category = cr_strdup("Placeholders");
    if (!t->category)
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    t->description = cr_strdup(
        other  ? "a task of another makefile ({ name, path } dependency): "
                 "not supported, an empty placeholder"
        : core ? "cargo-make built-in task: an empty placeholder in taskrun"
               : "defined in an extended file that was not found: an empty "
                 "placeholder");
    if (!t->description)
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
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

enum taskrun_code taskrun__decode_all(struct taskrun_loader *l)
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
