/* taskrun_decode: one merged task -> the model (see taskrun_decode.h). */
#include "taskrun_decode.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"
#include "taskrun_decode_env.h"
#include "taskrun_jobkinds.h"
#include "taskrun_makefile.h"
#include "taskrun_raw.h"
#include "taskrun_slot.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Notes where t references the task name (taken over), for the planner's
 * "not found" error. */
static enum taskrun_code add_ref(struct taskrun_task *t, char *name,
                                 struct taskrun_slot at)
{
    struct cr_pos pos = cr_toml_pos(at.v);
    struct cr_buf b = { 0 };
    struct taskrun_kv *nr =
        name ? cr_realloc(t->refs, (t->n_refs + 1) * sizeof(*nr)) : NULL;
    if (nr)
        t->refs = nr;
    if (!nr || cr_buf_printf(&b, "%s:%u:%u: ", cr_toml_filename(at.doc),
                             pos.line, pos.col) != 0) {
        cr_free(name);
        cr_buf_release(&b);
        return TASKRUN_E_NOMEM;
    }
    nr[t->n_refs++] = (struct taskrun_kv){ name, cr_buf_detach(&b) };
    return TASKRUN_OK;
}

/* The task names in a run_task or alias value (a name, a list, { name }
 * or a list of those), already checked by the decoder. */
static enum taskrun_code add_refs(struct taskrun_task *t, struct taskrun_slot s)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) == CR_TOML_TABLE)
        return add_refs(t, taskrun__sub(s, "name"));
    if (cr_toml_type(s.v) != CR_TOML_ARRAY)
        return taskrun__has_text(s.v) ? add_ref(t, taskrun__scalar(s.v), s)
                                      : TASKRUN_OK;
    enum taskrun_code rc = TASKRUN_OK;
    for (size_t i = 0; i < cr_toml_len(s.v) && !rc; i++)
        rc = add_refs(t, (struct taskrun_slot){ cr_toml_at(s.v, i), s.doc });
    return rc;
}

/* script: a string, an array of lines, { file }, or { pre, main, post }. */
static enum taskrun_code decode_script(struct taskrun_loader *l,
                                       const struct taskrun_raw *r,
                                       struct taskrun_task *t)
{
    struct taskrun_slot s = r->k[TK_SCRIPT];
    if (!s.v)
        return TASKRUN_OK;
    struct cr_strv lines = { 0 };
    enum taskrun_code rc = TASKRUN_OK;
    if (cr_toml_type(s.v) == CR_TOML_TABLE) {
        rc = taskrun__get_str(l, taskrun__sub(s, "file"), "file",
                              &t->script_file);
        /* The sections as merged through extend (taskrun_raw). */
        for (size_t i = 0; i < TASKRUN_SCRIPT_PARTS && !rc; i++)
            rc = taskrun__get_strv(l, r->sect[i], taskrun__script_parts[i],
                                   true, &lines);
        if (!t->script_file && !lines.n && !rc)
            rc = taskrun__want(l, s, "script", "a string, array or { file }");
    } else {
        rc = taskrun__get_strv(l, s, "script", true, &lines);
    }
    if (!rc && lines.n) {
        t->script = taskrun__join_lines(&lines, "\n");
        rc = t->script ? TASKRUN_OK : TASKRUN_E_NOMEM;
    }
    cr_strv_release(&lines);
    return rc;
}

static enum taskrun_code route_from(struct taskrun_loader *l,
                                    struct taskrun_slot s,
                                    struct taskrun_route *r)
{
    if (cr_toml_type(s.v) == CR_TOML_STRING)
        return taskrun__get_strv(l, s, "run_task", true, &r->names);
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return taskrun__want(l, s, "run_task",
                             "a string, table or array of tables");
    enum taskrun_code rc =
        taskrun__get_strv(l, taskrun__sub(s, "name"), "name", true, &r->names);
    if (!rc)
        rc = taskrun__get_bool(l, taskrun__sub(s, "fork"), "fork", &r->fork);
    if (!rc)
        rc = taskrun__get_bool(l, taskrun__sub(s, "parallel"), "parallel",
                               &r->parallel);
    if (!rc)
        rc = taskrun__decode_cond(l, taskrun__sub(s, "condition"),
                                  "run_task condition", &r->cond);
    if (!rc)
        rc = taskrun__get_strv(l, taskrun__sub(s, "condition_script"),
                               "condition_script", true, &r->cond_script);
    if (!rc)
        rc = taskrun__get_str(l, taskrun__sub(s, "cleanup_task"),
                              "cleanup_task", &r->cleanup);
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
    t->routes = cr_calloc(n + 1, sizeof(*t->routes));
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

/* { name, path }: path is relative to the file that names it, which must
 * exist; the task is looked up when the run is planned (taskrun_app). */
static enum taskrun_code ext_dep(struct taskrun_loader *l,
                                 struct taskrun_slot e,
                                 struct taskrun_slot path, const char *key)
{
    const char *p = cr_toml_string(path.v, NULL);
    char *dir = taskrun__dir_of(cr_toml_filename(path.doc));
    if (!dir && errno == ENOMEM)
        return TASKRUN_E_NOMEM;
    struct cr_buf b = { 0 };
    int rc = p[0] == '/' ? cr_buf_puts(&b, p)
                         : cr_buf_printf(&b, "%s/%s", dir ? dir : l->f->dir, p);
    cr_free(dir);
    char *abs = rc ? NULL : cr_fs_realpath(cr_buf_str(&b));
    int e_no = errno;
    cr_buf_release(&b);
    if (!abs && (rc || e_no == ENOMEM))
        return TASKRUN_E_NOMEM;
    if (!abs)
        return taskrun__lerr(l, path.doc, cr_toml_pos(path.v),
                             "makefile \"%s\" of dependency \"%s\": %s", p,
                             cr_toml_string(e.v, NULL), strerror(e_no));
    if (cr_strv_push(&l->ext, key) || cr_strv_push_take(&l->ext, abs) ||
        cr_strv_push(&l->ext, cr_toml_string(e.v, NULL)))
        return TASKRUN_E_NOMEM;
    return TASKRUN_OK;
}

static enum taskrun_code decode_deps(struct taskrun_loader *l,
                                     struct taskrun_slot s,
                                     struct taskrun_task *t)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_ARRAY)
        return taskrun__want(l, s, "dependencies", "an array");
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct taskrun_slot e = { cr_toml_at(s.v, i), s.doc }, path = { 0 };
        if (cr_toml_type(e.v) == CR_TOML_TABLE) {
            path = taskrun__sub(e, "path");
            e = taskrun__sub(e, "name");
        }
        if (!e.v || cr_toml_type(e.v) != CR_TOML_STRING ||
            (path.v && cr_toml_type(path.v) != CR_TOML_STRING))
            return taskrun__want(
                l, (struct taskrun_slot){ cr_toml_at(s.v, i), s.doc },
                "dependencies", "names or { name = ... }");
        /* A task of another makefile: "PATH:NAME", a task of its own. */
        struct cr_buf b = { 0 };
        int rc = path.v
                     ? cr_buf_printf(&b, "%s:%s", cr_toml_string(path.v, NULL),
                                     cr_toml_string(e.v, NULL))
                     : cr_buf_puts(&b, cr_toml_string(e.v, NULL));
        if (rc || cr_strv_push_take(&t->deps, cr_buf_detach(&b)) != 0) {
            cr_buf_release(&b);
            return TASKRUN_E_NOMEM;
        }
        enum taskrun_code erc =
            path.v ? ext_dep(l, e, path, t->deps.v[t->deps.n - 1]) : TASKRUN_OK;
        if (erc)
            return erc;
        char *ref = cr_strdup(t->deps.v[t->deps.n - 1]);
        if (add_ref(t, ref, (struct taskrun_slot){ cr_toml_at(s.v, i), s.doc }))
            return TASKRUN_E_NOMEM;
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
        return taskrun__want(l, s, "env_files", "an array");
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct taskrun_slot e = { cr_toml_at(s.v, i), s.doc };
        if (cr_toml_type(e.v) == CR_TOML_TABLE)
            e = taskrun__sub(e, "path");
        if (!e.v || cr_toml_type(e.v) != CR_TOML_STRING)
            return taskrun__want(
                l, (struct taskrun_slot){ cr_toml_at(s.v, i), s.doc },
                "env_files", "paths or { path = ... }");
        if (cr_strv_push(&t->env_files, cr_toml_string(e.v, NULL)) != 0)
            return TASKRUN_E_NOMEM;
    }
    return TASKRUN_OK;
}

/* watch = { watch = [...], ignore_pattern = "glob" or [...],
 * no_git_ignore, postpone }, as cargo-make reads it. */
static enum taskrun_code decode_watch(struct taskrun_loader *l,
                                      struct taskrun_slot w,
                                      struct taskrun_task *t)
{
    enum taskrun_code rc;

    cr_strv_release(&t->watch_paths);
    cr_strv_release(&t->watch_ignore);
    rc = taskrun__get_strv(l, taskrun__sub(w, "watch"), "watch.watch", true,
                           &t->watch_paths);
    if (!rc)
        rc = taskrun__get_strv(l, taskrun__sub(w, "ignore_pattern"),
                               "watch.ignore_pattern", true, &t->watch_ignore);
    if (!rc)
        rc = taskrun__get_bool(l, taskrun__sub(w, "no_git_ignore"),
                               "watch.no_git_ignore", &t->watch_no_git_ignore);
    if (!rc)
        rc = taskrun__get_bool(l, taskrun__sub(w, "postpone"), "watch.postpone",
                               &t->watch_postpone);
    return rc;
}

static enum taskrun_code decode_flags(struct taskrun_loader *l,
                                      const struct taskrun_raw *r,
                                      struct taskrun_task *t)
{
    enum taskrun_code rc = taskrun__get_bool(
        l, r->k[TK_IGNORE_ERRORS], "ignore_errors", &t->ignore_errors);
    if (!rc)
        rc = taskrun__get_bool(l, r->k[TK_FORCE], "force", &t->ignore_errors);
    if (!rc)
        rc = taskrun__get_bool(l, r->k[TK_PRIVATE], "private", &t->is_private);
    if (!rc)
        rc = taskrun__get_bool(l, r->k[TK_DISABLED], "disabled", &t->disabled);
    struct taskrun_slot d = r->k[TK_DEPRECATED];
    if (!rc && d.v) {
        if (cr_toml_type(d.v) == CR_TOML_BOOL) {
            cr_free(t->deprecated);
            t->deprecated = cr_toml_bool(d.v) ? cr_strdup("") : NULL;
            if (cr_toml_bool(d.v) && !t->deprecated)
                rc = TASKRUN_E_NOMEM;
        } else
            rc = taskrun__get_str(l, d, "deprecated", &t->deprecated);
    }
    struct taskrun_slot w = r->k[TK_WATCH];
    if (!rc && w.v)
        t->watch = cr_toml_type(w.v) != CR_TOML_BOOL || cr_toml_bool(w.v);
    if (!rc && w.v && cr_toml_type(w.v) == CR_TOML_TABLE)
        rc = decode_watch(l, w, t);
    return rc;
}

static enum taskrun_code decode_strings(struct taskrun_loader *l,
                                        const struct taskrun_raw *r,
                                        struct taskrun_task *t)
{
    enum taskrun_code rc = taskrun__get_str(l, r->k[TK_DESCRIPTION],
                                            "description", &t->description);
    if (!rc)
        rc = taskrun__get_str(l, r->k[TK_CATEGORY], "category", &t->category);
    if (!rc)
        rc = taskrun__get_str(l, r->k[TK_COMMAND], "command", &t->command);
    if (!rc)
        rc = taskrun__get_strv(l, r->k[TK_ARGS], "args", false, &t->args);
    if (!rc)
        rc = taskrun__get_str(l, r->k[TK_SCRIPT_RUNNER], "script_runner",
                              &t->script_runner);
    if (!rc)
        rc = taskrun__get_strv(l, r->k[TK_SCRIPT_RUNNER_ARGS],
                               "script_runner_args", false,
                               &t->script_runner_args);
    if (!rc)
        rc = taskrun__get_str(l, r->k[TK_SCRIPT_EXTENSION], "script_extension",
                              &t->script_extension);
    if (!rc)
        rc = taskrun__get_str(l, r->k[TK_CWD], "cwd", &t->cwd);
    if (!rc)
        rc = taskrun__get_strv(l, r->k[TK_CONDITION_SCRIPT], "condition_script",
                               true, &t->cond_script);
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
    enum taskrun_code rc =
        taskrun__get_str(l, r->k[TK_ALIAS], "alias", &t->alias);
    if (!rc)
        rc = taskrun__get_str(l, r->k[k], "alias", &t->alias);
    if (!rc)
        rc = add_refs(t, r->k[TK_ALIAS]);
    if (!rc)
        rc = add_refs(t, r->k[k]);
    return rc;
}

/* Rust-only keys that would change what runs; reported once per run. */
static enum taskrun_code note_rust_keys(const struct taskrun_raw *r,
                                        struct taskrun_task *t)
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
        t->rust_key = cr_strdup(names[i]);
        if (!t->rust_key)
            return TASKRUN_E_NOMEM;
    }
    return TASKRUN_OK;
}

enum taskrun_code taskrun__decode_task(struct taskrun_loader *l,
                                       const struct taskrun_raw *r,
                                       struct taskrun_task *t)
{
    t->line = r->pos.line;
    char where[512];
    snprintf(where, sizeof(where), "%s:%u:%u: ", cr_toml_filename(r->doc),
             r->pos.line, r->pos.col);
    t->where = cr_strdup(where);
    enum taskrun_code rc = t->where ? TASKRUN_OK : TASKRUN_E_NOMEM;
    if (!rc)
        rc = decode_strings(l, r, t);
    if (!rc)
        rc = decode_flags(l, r, t);
    if (!rc)
        rc = decode_alias(l, r, t);
    if (!rc)
        rc = decode_script(l, r, t);
    if (!rc)
        rc = decode_run_task(l, r->k[TK_RUN_TASK], t);
    if (!rc)
        rc = add_refs(t, r->k[TK_RUN_TASK]);
    if (!rc)
        rc = decode_deps(l, r->k[TK_DEPENDENCIES], t);
    if (!rc)
        rc = decode_env_files(l, r->k[TK_ENV_FILES], t);
    if (!rc)
        rc = taskrun__decode_cond(l, r->k[TK_CONDITION], "condition", &t->cond);
    for (size_t i = 0; i < r->n_envs && !rc; i++)
        rc = taskrun__decode_env(l, r->envs[i], &t->env, &t->n_env, false);
    if (!rc && r->k[TK_JOB].v)
        rc = taskrun_job_decode(l, r->k[TK_JOB], t);
    if (!rc)
        rc = note_rust_keys(r, t);
    return rc == TASKRUN_E_NOMEM
               ? taskrun_error_set(l->err, rc, "out of memory")
               : rc;
}
