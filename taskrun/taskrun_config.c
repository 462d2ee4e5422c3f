/* taskrun_config: [config] and env_files (see taskrun_config.h). */
#include "taskrun_config.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <string.h>

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

static enum taskrun_code cfg_str(struct taskrun_loader *l,
                                 const struct cr_toml_doc *doc,
                                 const struct cr_toml_value *c, const char *k,
                                 char **out)
{
    const char *s = NULL;
    struct cr_error te;
    enum cr_toml_code r = cr_toml_get_string(doc, c, k, &s, &te);
    if (r == CR_TOML_E_TYPE)
        return taskrun_error_set(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    if (s) {
        cr_free(*out);
        *out = cr_strdup(s);
        if (!*out)
            return taskrun__nomem(l);
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
        return taskrun_error_set(l->err, TASKRUN_E_LOAD, "%s", te.msg);
    return TASKRUN_OK;
}

/* modify_core_tasks = { private = true, namespace = "core" }: every core
 * task private, and renamed "core::NAME" with its references, so that the
 * makefile's tasks of the same names stand apart from them. */
static enum taskrun_code modify_core(struct taskrun_loader *l,
                                     const struct cr_toml_doc *doc,
                                     const struct cr_toml_value *m)
{
    static const char *const keys[] = { "private", "namespace" };
    if (!m)
        return TASKRUN_OK;
    if (cr_toml_type(m) != CR_TOML_TABLE) {
        struct cr_pos p = cr_toml_pos(m);
        return taskrun_error_set(l->err, TASKRUN_E_LOAD,
                                 "%s:%u:%u: modify_core_tasks must be a table "
                                 "{ private = BOOL, namespace = \"NAME\" }",
                                 cr_toml_filename(doc), p.line, p.col);
    }
    struct taskrun_config *cf = &l->f->config;
    enum taskrun_code rc = taskrun__check_keys(
        l, doc, m, "[config] modify_core_tasks", keys, COUNT(keys));
    if (!rc)
        rc = cfg_bool(l, doc, m, "private", &cf->core_private);
    if (!rc)
        rc = cfg_str(l, doc, m, "namespace", &cf->core_namespace);
    /* An empty namespace is no namespace, as in cargo-make. */
    if (!rc && cf->core_namespace && !cf->core_namespace[0]) {
        cr_free(cf->core_namespace);
        cf->core_namespace = NULL;
    }
    return rc;
}

enum taskrun_code taskrun__config_load(struct taskrun_loader *l,
                                       const struct cr_toml_doc *doc,
                                       const struct cr_toml_value *c)
{
    if (!c)
        return TASKRUN_OK;
    struct taskrun_config *cf = &l->f->config;
    enum taskrun_code rc = taskrun__check_keys(l, doc, c, "[config]",
                                               config_keys, COUNT(config_keys));
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
    if (!rc)
        rc = modify_core(l, doc, cr_toml_get(c, "modify_core_tasks"));
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
enum taskrun_code taskrun__env_files_load(struct taskrun_loader *l,
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
            return taskrun__nomem(l);
    }
    return TASKRUN_OK;
}
