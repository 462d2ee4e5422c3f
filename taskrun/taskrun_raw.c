/* taskrun_raw: tasks before decoding (see taskrun_raw.h). */
#include "taskrun_raw.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "taskrun_slot.h"

#include <stdio.h>
#include <string.h>

static const char *const task_keys[] = {
#define TASKRUN_X(id, name) name,
    TASKRUN_TASK_KEYS(TASKRUN_X)
#undef TASKRUN_X
};

static int key_index(const char *k)
{
    for (size_t j = 0; j < TK_COUNT; j++)
        if (strcmp(k, task_keys[j]) == 0)
            return (int)j;
    return -1;
}

const char *const taskrun__script_parts[TASKRUN_SCRIPT_PARTS] = { "pre", "main",
                                                                  "post" };

/* script = { pre, main, post } (a table without "file"). */
static bool sections(const struct taskrun_raw *r)
{
    const struct taskrun_slot *s = &r->k[TK_SCRIPT];
    return s->v && cr_toml_type(s->v) == CR_TOML_TABLE &&
           !taskrun__sub(*s, "file").v;
}

/* As cargo-make extends script sections: src's parts over dst's when both
 * are sections, otherwise src's script replaces dst's. */
static void merge_script(struct taskrun_raw *dst, const struct taskrun_raw *src)
{
    if (!src->k[TK_SCRIPT].v)
        return;
    bool both = sections(src) && sections(dst);
    for (size_t i = 0; i < TASKRUN_SCRIPT_PARTS; i++)
        if (!both || src->sect[i].v)
            dst->sect[i] = src->sect[i];
}

bool taskrun__raw_clear(const struct taskrun_raw *r)
{
    const struct cr_toml_value *v = r->k[TK_CLEAR].v;
    return v && cr_toml_type(v) == CR_TOML_BOOL && cr_toml_bool(v);
}

/* Merges src's keys over dst (clear = true: src replaces dst). */
int taskrun__raw_merge(struct taskrun_raw *dst, const struct taskrun_raw *src)
{
    if (taskrun__raw_clear(src)) {
        memset(dst->k, 0, sizeof(dst->k));
        memset(dst->sect, 0, sizeof(dst->sect));
        dst->n_envs = 0;
    }
    merge_script(dst, src);
    for (size_t k = 0; k < TK_COUNT; k++)
        if (src->k[k].v && k != TK_ENV)
            dst->k[k] = src->k[k];
    for (size_t i = 0; i < src->n_envs; i++) {
        struct taskrun_slot *ne =
            cr_realloc(dst->envs, (dst->n_envs + 1) * sizeof(*ne));
        if (!ne)
            return -1;
        dst->envs = ne;
        ne[dst->n_envs++] = src->envs[i];
    }
    return 0;
}

/* Fills r from one task table, checking its keys. */
enum taskrun_code taskrun__raw_from_table(struct taskrun_loader *l,
                                          const struct cr_toml_doc *doc,
                                          const struct cr_toml_value *t,
                                          const char *where,
                                          struct taskrun_raw *r)
{
    for (size_t i = 0; i < cr_toml_len(t); i++) {
        struct cr_pos pos;
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
    if (sections(r))
        for (size_t i = 0; i < TASKRUN_SCRIPT_PARTS; i++)
            r->sect[i] =
                taskrun__sub(r->k[TK_SCRIPT], taskrun__script_parts[i]);
    if (r->k[TK_ENV].v) {
        r->envs = cr_malloc(sizeof(*r->envs));
        if (!r->envs)
            return taskrun__nomem(l);
        r->envs[0] = r->k[TK_ENV];
        r->n_envs = 1;
    }
    return TASKRUN_OK;
}

struct taskrun_raw *taskrun__raw_find(struct taskrun_loader *l, const char *n)
{
    size_t i;
    return cr_strmap_get(&l->raw_index, n, strlen(n), &i) ? &l->raws[i] : NULL;
}

static enum taskrun_code add_task_table(struct taskrun_loader *l,
                                        const struct cr_toml_doc *doc,
                                        const char *name, struct cr_pos pos,
                                        const struct cr_toml_value *t)
{
    char where[300];
    snprintf(where, sizeof(where), "[tasks.%s]", name);
    if (cr_toml_type(t) != CR_TOML_TABLE)
        return taskrun__lerr(l, doc, pos, "%s must be a table", where);
    struct taskrun_raw r = { .doc = doc, .pos = pos };
    enum taskrun_code rc = taskrun__raw_from_table(l, doc, t, where, &r);
    struct taskrun_raw *old = rc ? NULL : taskrun__raw_find(l, name);
    if (old) {
        if (taskrun__raw_merge(old, &r) != 0)
            rc = taskrun__nomem(l);
        cr_free(r.envs);
        return rc;
    }
    r.name = rc ? NULL : cr_strdup(name);
    bool ok = r.name != NULL;
    if (ok && l->n_raws == l->cap_raws) {
        size_t cap = l->cap_raws * 2 + 8;
        struct taskrun_raw *nr = cr_realloc(l->raws, cap * sizeof(*nr));
        ok = nr != NULL;
        if (ok) {
            l->raws = nr;
            l->cap_raws = cap;
        }
    }
    if (ok && cr_strmap_put(&l->raw_index, r.name, strlen(r.name), l->n_raws))
        ok = false;
    if (!ok) {
        cr_free(r.name);
        cr_free(r.envs);
        return rc ? rc : taskrun__nomem(l);
    }
    l->raws[l->n_raws++] = r;
    return TASKRUN_OK;
}

static const enum taskrun_task_key action_keys[] = {
    TK_COMMAND,
    TK_ARGS,
    TK_SCRIPT,
    TK_SCRIPT_RUNNER,
    TK_SCRIPT_RUNNER_ARGS,
    TK_SCRIPT_EXTENSION,
    TK_RUN_TASK,
};
static const enum taskrun_task_key alias_keys[] = { TK_ALIAS, TK_LINUX_ALIAS,
                                                    TK_WINDOWS_ALIAS,
                                                    TK_MAC_ALIAS };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Puts core task r beneath the makefile's task old (r is consumed). */
static enum taskrun_code merge_under(struct taskrun_loader *l,
                                     struct taskrun_raw *old,
                                     struct taskrun_raw *r)
{
    /* A command alone merges key by key (its args may come from the core
     * task); another kind of action replaces the core one. */
    bool own_action = old->k[TK_SCRIPT].v || old->k[TK_RUN_TASK].v;
    for (size_t i = 0; i < COUNT(alias_keys); i++) {
        own_action = own_action || old->k[alias_keys[i]].v;
        r->k[alias_keys[i]] = (struct taskrun_slot){ 0 };
    }
    for (size_t i = 0; own_action && i < COUNT(action_keys); i++)
        r->k[action_keys[i]] = (struct taskrun_slot){ 0 };
    if (taskrun__raw_merge(r, old) != 0) {
        cr_free(r->envs);
        return taskrun__nomem(l);
    }
    memcpy(old->k, r->k, sizeof(old->k));
    cr_free(old->envs);
    old->envs = r->envs;
    old->n_envs = r->n_envs;
    return TASKRUN_OK;
}

enum taskrun_code taskrun__raw_add_core(struct taskrun_loader *l,
                                        const struct cr_toml_doc *doc,
                                        const struct cr_toml_value *tasks)
{
    const char *ns = l->f->config.core_namespace;
    struct cr_buf full = { 0 };
    for (size_t i = 0; tasks && i < cr_toml_len(tasks); i++) {
        struct cr_pos pos;
        const char *name = cr_toml_key_at(tasks, i, &pos);
        /* modify_core_tasks' namespace renames before anything merges. */
        if (ns) {
            cr_buf_reset(&full);
            if (cr_buf_printf(&full, "%s::%s", ns, name)) {
                cr_buf_release(&full);
                return taskrun__nomem(l);
            }
            name = cr_buf_str(&full);
        }
        struct taskrun_raw *old = taskrun__raw_find(l, name);
        enum taskrun_code rc;
        if (!old) {
            rc = add_task_table(l, doc, name, pos, cr_toml_value_at(tasks, i));
            if (!rc)
                l->raws[l->n_raws - 1].core = true;
        } else {
            struct taskrun_raw r = { .doc = doc, .pos = pos };
            rc = taskrun__raw_from_table(l, doc, cr_toml_value_at(tasks, i),
                                         name, &r);
            rc = rc ? rc : merge_under(l, old, &r);
        }
        if (rc) {
            cr_buf_release(&full);
            return rc;
        }
    }
    cr_buf_release(&full);
    return TASKRUN_OK;
}

enum taskrun_code taskrun__raw_add_tasks(struct taskrun_loader *l,
                                         const struct cr_toml_doc *doc,
                                         const struct cr_toml_value *tasks)
{
    if (!tasks)
        return TASKRUN_OK;
    if (cr_toml_type(tasks) != CR_TOML_TABLE)
        return taskrun__lerr(l, doc, cr_toml_pos(tasks),
                             "\"tasks\" must be a table");
    for (size_t i = 0; i < cr_toml_len(tasks); i++) {
        struct cr_pos pos;
        const char *name = cr_toml_key_at(tasks, i, &pos);
        enum taskrun_code rc =
            add_task_table(l, doc, name, pos, cr_toml_value_at(tasks, i));
        if (rc)
            return rc;
    }
    return TASKRUN_OK;
}
