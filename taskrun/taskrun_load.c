/* taskrun_load: makefiles, extend and merging (see taskrun_load.h). */
#include "taskrun_load_priv.h"

#include "cr_alloc.h"
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

/* A TOML parse failure: out of memory is no fault of the makefile. */
static enum taskrun_code parse_error(struct cr_error *err, enum cr_toml_code tc,
                                     const struct cr_error *te)
{
    if (tc == CR_TOML_E_NOMEM)
        return taskrun_errorf(err, TASKRUN_E_NOMEM, "out of memory");
    return taskrun_errorf(err, TASKRUN_E_LOAD, "%s", te->msg);
}

enum taskrun_code taskrun__lerr(struct taskrun_loader *l,
                                const struct cr_toml_doc *doc,
                                struct cr_pos pos, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    struct cr_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, pos, "%s", msg);
    return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
}

enum taskrun_code taskrun__unknown_key(struct taskrun_loader *l,
                                       const struct cr_toml_doc *doc,
                                       struct cr_pos pos, const char *key,
                                       const char *where,
                                       const char *const *known, size_t n)
{
    const char *s = cr_toml_suggest(key, known, n);
    char hint[300] = "";
    if (s)
        snprintf(hint, sizeof(hint), " (did you mean \"%s\"?)", s);
    struct cr_error te;
    cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, pos, "unknown key \"%s\" in %s%s",
                   key, where, hint);
    if (l->o->strict)
        return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    if (cr_strv_push(l->warnings, te.msg) != 0)
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
        struct cr_pos pos;
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
        dst->n_envs = 0;
    }
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
    if (r->k[TK_ENV].v) {
        r->envs = cr_malloc(sizeof(*r->envs));
        if (!r->envs)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        r->envs[0] = r->k[TK_ENV];
        r->n_envs = 1;
    }
    return TASKRUN_OK;
}

struct taskrun_raw *taskrun__raw_find(struct taskrun_loader *l, const char *n)
{
    for (size_t i = 0; i < l->n_raws; i++)
        if (strcmp(l->raws[i].name, n) == 0)
            return &l->raws[i];
    return NULL;
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
            rc = taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        cr_free(r.envs);
        return rc;
    }
    r.name = rc ? NULL : cr_strdup(name);
    struct taskrun_raw *nr =
        r.name ? cr_realloc(l->raws, (l->n_raws + 1) * sizeof(*nr)) : NULL;
    if (!nr) {
        cr_free(r.name);
        cr_free(r.envs);
        return rc ? rc
                  : taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    }
    l->raws = nr;
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
        struct cr_pos pos;
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
    struct cr_error te;
    enum cr_toml_code r = cr_toml_get_string(doc, c, k, &s, &te);
    if (r == CR_TOML_E_TYPE)
        return taskrun_errorf(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    if (s) {
        cr_free(*out);
        *out = cr_strdup(s);
        if (!*out)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    }
    return TASKRUN_OK;
}

static enum taskrun_code cfg_bool(struct taskrun_loader *l,
                                  const struct cr_toml_doc *doc,
                                  const struct cr_toml_value *c, const char *k,
                                  bool *out)
{
    struct cr_error te;
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

static bool table_bool(const struct cr_toml_value *t, const char *key)
{
    const struct cr_toml_value *v = cr_toml_get(t, key);
    return v && cr_toml_type(v) == CR_TOML_BOOL && cr_toml_bool(v);
}

/*
 * env_files = ["a.env", { path = "b.env", profile = "ci", defaults_only =
 * true }], relative to the makefile. Entries for another profile are
 * dropped here.
 */
static enum taskrun_code load_env_files(struct taskrun_loader *l,
                                        const struct cr_toml_doc *doc,
                                        const struct cr_toml_value *v,
                                        const char *dir)
{
    if (v && cr_toml_type(v) != CR_TOML_ARRAY)
        return taskrun__lerr(l, doc, cr_toml_pos(v),
                             "\"env_files\" must be an array of paths or "
                             "{ path } tables");
    for (size_t i = 0; v && i < cr_toml_len(v); i++) {
        const struct cr_toml_value *t = cr_toml_at(v, i), *e = t;
        const struct cr_toml_value *prof = NULL;
        bool table = cr_toml_type(t) == CR_TOML_TABLE;
        if (table) {
            e = cr_toml_get(t, "path");
            prof = cr_toml_get(t, "profile");
        }
        if (!e || cr_toml_type(e) != CR_TOML_STRING)
            return taskrun__lerr(l, doc, cr_toml_pos(t),
                                 "env_files entries must be paths");
        if (prof && cr_toml_type(prof) == CR_TOML_STRING &&
            (!l->o->profile ||
             strcmp(cr_toml_string(prof, NULL), l->o->profile) != 0))
            continue;
        const char *p = cr_toml_string(e, NULL);
        struct cr_strv *dst = table && table_bool(t, "defaults_only")
                                  ? &l->f->env_files_defaults
                                  : &l->f->env_files;
        struct cr_buf b = { 0 };
        if (cr_buf_printf(&b, "%s%s%s", p[0] == '/' ? "" : dir,
                          p[0] == '/' ? "" : "/", p) != 0 ||
            cr_strv_push_take(dst, cr_buf_detach(&b)) != 0)
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
                                   struct cr_pos pos)
{
    char *real = realpath(path, NULL);
    if (!real) {
        /* A missing extended file: its tasks become placeholders. */
        l->f->extend_missing = true;
        char msg[PATH_MAX + 64];
        snprintf(msg, sizeof(msg), "extended file %s not found%s", path,
                 optional ? "" : "; tasks it defines are treated as empty");
        if (!optional && cr_strv_push(l->warnings, msg) != 0)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        return TASKRUN_OK;
    }
    /* seen_files is the chain of files being loaded, not every file
     * loaded: two files may both extend a third (a diamond, no cycle). */
    long at = cr_strv_find(&l->seen_files, real);
    if (at >= 0) {
        struct cr_buf chain = { 0 };
        int brc = 0;
        for (size_t i = (size_t)at; i < l->seen_files.n; i++)
            brc |= cr_buf_printf(&chain, "%s -> ", l->seen_files.v[i]);
        brc |= cr_buf_puts(&chain, real);
        cr_free(real);
        if (brc) {
            cr_buf_release(&chain);
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        }
        enum taskrun_code rc =
            taskrun__lerr(l, from, pos, "extend cycle: %s", cr_buf_str(&chain));
        cr_buf_release(&chain);
        return rc;
    }
    if (cr_strv_push_take(&l->seen_files, real) != 0)
        return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
    struct cr_toml_doc *doc;
    struct cr_error te;
    enum cr_toml_code tc = cr_toml_parse_file(path, &doc, &te);
    if (tc != CR_TOML_OK)
        return parse_error(l->err, tc, &te);
    char *dir = dir_of(path);
    enum taskrun_code rc = load_doc(l, doc, dir ? dir : ".", depth + 1);
    cr_free(dir);
    if (rc == TASKRUN_OK) {
        cr_free(l->seen_files.v[--l->seen_files.n]);
        l->seen_files.v[l->seen_files.n] = NULL;
    }
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
        struct cr_pos at = cr_toml_pos(e);
        bool optional = false;
        if (cr_toml_type(e) == CR_TOML_TABLE) {
            const struct cr_toml_value *o = cr_toml_get(e, "optional");
            optional = o && cr_toml_type(o) == CR_TOML_BOOL && cr_toml_bool(o);
            e = cr_toml_get(e, "path");
        }
        if (!e || cr_toml_type(e) != CR_TOML_STRING)
            return taskrun__lerr(l, doc, at,
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
    struct cr_toml_doc **nd =
        cr_realloc(l->docs, (l->n_docs + 1) * sizeof(*nd));
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
            cr_realloc(l->file_envs, (l->n_file_envs + 1) * sizeof(*ne));
        if (!ne)
            return taskrun_errorf(l->err, TASKRUN_E_NOMEM, "out of memory");
        l->file_envs = ne;
        ne[l->n_file_envs++] = (struct taskrun_slot){ env, doc };
    }
    if (!rc)
        rc = load_tasks(l, doc, cr_toml_get(root, "tasks"));
    return rc;
}

static void loader_free(struct taskrun_loader *l)
{
    for (size_t i = 0; i < l->n_docs; i++)
        cr_toml_free(l->docs[i]);
    cr_free(l->docs);
    for (size_t i = 0; i < l->n_raws; i++) {
        cr_free(l->raws[i].name);
        cr_free(l->raws[i].envs);
    }
    cr_free(l->raws);
    cr_free(l->file_envs);
    cr_strv_release(&l->seen_files);
}

/* real (may be NULL) is the makefile's resolved path, against a file
 * extending itself; it is taken over. */
static enum taskrun_code
load_common(struct taskrun_file *f, struct cr_toml_doc *doc, const char *dir,
            char *real, const struct taskrun_load_opts *o,
            struct cr_strv *warnings, struct cr_error *err)
{
    static const struct taskrun_load_opts defaults = { 0 };
    struct taskrun_loader l = {
        .o = o ? o : &defaults, .f = f, .warnings = warnings, .err = err
    };
    f->dir = cr_strdup(dir);
    enum taskrun_code rc = TASKRUN_OK;
    if (!f->dir)
        cr_free(real);
    if (!f->dir || (real && cr_strv_push_take(&l.seen_files, real)))
        rc = taskrun_errorf(err, TASKRUN_E_NOMEM, "out of memory");
    if (!rc)
        rc = load_doc(&l, doc, dir, 0);
    else
        cr_toml_free(doc);
    if (!rc)
        rc = taskrun__decode_all(&l);
    loader_free(&l);
    return rc;
}

enum taskrun_code taskrun_load(struct taskrun_file *f, const char *path,
                               const struct taskrun_load_opts *o,
                               struct cr_strv *warnings, struct cr_error *err)
{
    memset(f, 0, sizeof(*f));
    f->path = cr_strdup(path);
    if (!f->path)
        return taskrun_errorf(err, TASKRUN_E_NOMEM, "out of memory");
    struct cr_toml_doc *doc;
    struct cr_error te;
    enum cr_toml_code tc = cr_toml_parse_file(path, &doc, &te);
    if (tc == CR_TOML_E_IO)
        return taskrun_errorf(err, TASKRUN_E_LOAD, "%s: cannot read: %s", path,
                              strerror(errno));
    if (tc != CR_TOML_OK)
        return parse_error(err, tc, &te);
    char *dir = dir_of(path);
    if (!dir) {
        cr_toml_free(doc);
        return taskrun_errorf(err, TASKRUN_E_LOAD, "%s: %s", path,
                              strerror(errno));
    }
    enum taskrun_code rc =
        load_common(f, doc, dir, realpath(path, NULL), o, warnings, err);
    cr_free(dir);
    return rc;
}

enum taskrun_code taskrun_load_string(struct taskrun_file *f, const char *text,
                                      const char *name,
                                      const struct taskrun_load_opts *o,
                                      struct cr_strv *warnings,
                                      struct cr_error *err)
{
    memset(f, 0, sizeof(*f));
    f->path = cr_strdup(name);
    struct cr_toml_doc *doc;
    struct cr_error te;
    if (!f->path)
        return taskrun_errorf(err, TASKRUN_E_NOMEM, "out of memory");
    enum cr_toml_code tc = cr_toml_parse(text, strlen(text), name, &doc, &te);
    if (tc != CR_TOML_OK)
        return parse_error(err, tc, &te);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        strcpy(cwd, ".");
    return load_common(f, doc, cwd, NULL, o, warnings, err);
}
