/*
 * taskrun_resolve: the loader's second half (see taskrun_resolve.h).
 */
#include "taskrun_resolve.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "taskrun_decode.h"
#include "taskrun_decode_env.h"
#include "taskrun_raw.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "FILE:L:C: extend cycle: a -> b -> a", at the extend that closes it. */
static enum taskrun_code extend_cycle(struct taskrun_loader *l,
                                      struct taskrun_slot e,
                                      const struct cr_buf *path,
                                      const char *base)
{
    struct cr_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, e.doc, cr_toml_pos(e.v),
                   "extend cycle: %s -> %s", cr_buf_str(path), base);
    return taskrun_error_set(l->err, TASKRUN_E_PLAN, "%s", te.msg);
}

/* r inherits base's keys, then applies its own (unless clear = true). */
static enum taskrun_code merge_base(struct taskrun_loader *l,
                                    struct taskrun_raw *r,
                                    const struct taskrun_raw *base)
{
    if (taskrun__raw_clear(r))
        return TASKRUN_OK;
    enum taskrun_code rc = TASKRUN_OK;
    struct taskrun_raw merged = *base;
    merged.envs = NULL;
    merged.n_envs = 0;
    merged.k[TK_EXTEND] = (struct taskrun_slot){ 0 };
    if (taskrun__raw_merge(&merged, base) || taskrun__raw_merge(&merged, r))
        rc = taskrun__nomem(l);
    cr_free(r->envs);
    memcpy(r->k, merged.k, sizeof(r->k));
    memcpy(r->sect, merged.sect, sizeof(r->sect));
    r->envs = merged.envs;
    r->n_envs = merged.n_envs;
    return rc;
}

/*
 * Task-level extend: inherit the base's keys, then apply our own. The
 * chain r -> base -> base's base ... is followed with a loop and kept in
 * *chain (reused between calls), then merged from its far end, so a long
 * chain of extends costs no C stack.
 */
static enum taskrun_code
resolve_extend(struct taskrun_loader *l, struct taskrun_raw *r,
               struct cr_buf *path, struct taskrun_raw ***chain, size_t *cap)
{
    size_t n = 0;
    enum taskrun_code rc = TASKRUN_OK;
    struct taskrun_raw *base = NULL; /* the planned base of chain[n-1] */
    path->len = 0;
    while (r && r->state != 2) {
        if (cr_buf_printf(path, "%s%s", n ? " -> " : "", r->name) != 0)
            return taskrun__nomem(l);
        if (n == *cap) {
            size_t nc = *cap * 2 + 16;
            struct taskrun_raw **nv = cr_realloc(*chain, nc * sizeof(*nv));
            if (!nv)
                return taskrun__nomem(l);
            *chain = nv;
            *cap = nc;
        }
        (*chain)[n++] = r;
        r->state = 1;
        struct taskrun_slot e = r->k[TK_EXTEND];
        base = NULL;
        if (e.v && cr_toml_type(e.v) == CR_TOML_STRING) {
            const char *bn = cr_toml_string(e.v, NULL);
            base = taskrun__raw_find(l, bn);
            if (!base)
                rc = taskrun__lerr(l, e.doc, cr_toml_pos(e.v),
                                   "task \"%s\" extends unknown task \"%s\"",
                                   r->name, bn);
            else if (base->state == 1)
                rc = extend_cycle(l, e, path, bn);
        } else if (e.v) {
            rc = taskrun__lerr(l, e.doc, cr_toml_pos(e.v),
                               "\"extend\" must be a task name");
        }
        if (rc)
            break;
        r = base;
    }
    /* From the far end back: each base is complete before it is used. */
    while (n > 0) {
        struct taskrun_raw *x = (*chain)[--n];
        if (!rc && base)
            rc = merge_base(l, x, base);
        x->state = rc ? 0 : 2;
        base = x;
    }
    path->len = 0;
    if (path->data)
        path->data[0] = '\0';
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
        rc = taskrun__nomem(l);
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
            return taskrun__nomem(l);
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
                       ? taskrun_error_set(l->err, rc, "out of memory")
                       : rc;
    }
    return TASKRUN_OK;
}

/* A task "PATH:NAME" for every { name, path } dependency (see
 * taskrun_model.h): private, so it is listed only with --allow-private. */
static enum taskrun_code add_ext_tasks(struct taskrun_loader *l)
{
    for (size_t i = 0; i + 2 < l->ext.n; i += 3) {
        if (taskrun_file_find(l->f, l->ext.v[i]))
            continue;
        struct taskrun_task *t = taskrun_file_add_task(l->f, l->ext.v[i]);
        if (!t)
            return taskrun__nomem(l);
        t->is_private = true;
        /* Errors about it point at the first dependency naming it. */
        const char *at = NULL;
        for (size_t k = 0; k + 1 < l->f->n_tasks && !at; k++)
            at = taskrun_task_ref_where(&l->f->tasks[k], l->ext.v[i]);
        t = &l->f->tasks[l->f->n_tasks - 1];
        t->where = at ? cr_strdup(at) : NULL;
        if (at && !t->where)
            return taskrun__nomem(l);
        t->ext_makefile = cr_strdup(l->ext.v[i + 1]);
        t->ext_task = cr_strdup(l->ext.v[i + 2]);
        t->description = cr_strdup("a task of another makefile");
        if (!t->ext_makefile || !t->ext_task || !t->description)
            return taskrun__nomem(l);
    }
    return TASKRUN_OK;
}

/* "NS::name" in place of *name (freed), or -ENOMEM. */
static int prefix_name(const char *ns, char **name)
{
    if (!*name)
        return 0;
    char *full = cr_strprintf("%s::%s", ns, *name);
    if (!full)
        return -ENOMEM;
    cr_free(*name);
    *name = full;
    return 0;
}

/*
 * modify_core_tasks on one core task: private, and with a namespace every
 * task it names is the namespaced core task too (core tasks only name core
 * tasks). Its own name was namespaced when it was read (taskrun_raw).
 */
static enum taskrun_code modify_core(struct taskrun_loader *l,
                                     struct taskrun_task *t)
{
    const struct taskrun_config *cf = &l->f->config;
    if (cf->core_private)
        t->is_private = true;
    const char *ns = cf->core_namespace;
    if (!ns)
        return TASKRUN_OK;
    int rc = prefix_name(ns, &t->alias);
    for (size_t i = 0; i < t->deps.n; i++)
        rc |= prefix_name(ns, &t->deps.v[i]);
    for (size_t i = 0; i < t->n_refs; i++)
        rc |= prefix_name(ns, &t->refs[i].key);
    for (size_t i = 0; i < t->n_routes; i++) {
        struct taskrun_route *r = &t->routes[i];
        for (size_t j = 0; j < r->names.n; j++)
            rc |= prefix_name(ns, &r->names.v[j]);
        rc |= prefix_name(ns, &r->cleanup);
    }
    return rc ? taskrun__nomem(l) : TASKRUN_OK;
}

enum taskrun_code taskrun__resolve_all(struct taskrun_loader *l)
{
    struct cr_buf path = { 0 };
    struct taskrun_raw **chain = NULL;
    size_t cap = 0;
    enum taskrun_code rc = TASKRUN_OK;
    for (size_t i = 0; i < l->n_raws && !rc; i++)
        rc = resolve_extend(l, &l->raws[i], &path, &chain, &cap);
    cr_buf_release(&path);
    cr_free(chain);
    for (size_t i = 0; i < l->n_raws && !rc; i++)
        rc = apply_platform(l, &l->raws[i]);
    if (!rc)
        rc = load_profiles(l);
    for (size_t i = 0; i < l->n_raws && !rc; i++) {
        struct taskrun_task *t = taskrun_file_add_task(l->f, l->raws[i].name);
        if (!t)
            return taskrun__nomem(l);
        rc = taskrun__decode_task(l, &l->raws[i], t);
        t->is_core = l->raws[i].core;
        if (!rc && t->is_core)
            rc = modify_core(l, t);
    }
    if (!rc)
        rc = add_ext_tasks(l);
    return rc;
}
