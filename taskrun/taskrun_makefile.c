/* taskrun_makefile: one makefile and its extends (see taskrun_makefile.h). */
#include "taskrun_makefile.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_buf.h"
#include "taskrun_config.h"
#include "taskrun_core_tasks.h"
#include "taskrun_raw.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const top_keys[] = { "config",      "env",   "env_files",
                                        "env_scripts", "tasks", "plugins",
                                        "extend" };

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

char *taskrun__dir_of(const char *path)
{
    char *abs = cr_fs_realpath(path);
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
    char *real = cr_fs_realpath(path);
    if (!real && errno == ENOMEM)
        return taskrun__nomem(l); /* not a missing file: its tasks count */
    if (!real) {
        /* cargo-make refuses a missing extended file unless it is
         * { path, optional = true }. */
        int e = errno;
        if (optional && e == ENOENT)
            return TASKRUN_OK;
        return taskrun__lerr(l, from, pos, "extended file %s: %s", path,
                             strerror(e));
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
            return taskrun__nomem(l);
        }
        enum taskrun_code rc =
            taskrun__lerr(l, from, pos, "extend cycle: %s", cr_buf_str(&chain));
        cr_buf_release(&chain);
        return rc;
    }
    if (cr_strv_push_take(&l->seen_files, real) != 0)
        return taskrun__nomem(l);
    struct cr_toml_doc *doc;
    struct cr_error te;
    enum cr_toml_code tc = cr_toml_parse_file(path, &doc, &te);
    if (tc != CR_TOML_OK)
        return taskrun__parse_error(l->err, tc, &te);
    /* The file was just read, so only memory can fail here; "." instead
     * would resolve its own extends and env files against the wrong
     * directory. */
    char *dir = taskrun__dir_of(path);
    if (!dir) {
        cr_toml_free(doc);
        return taskrun__nomem(l);
    }
    enum taskrun_code rc = taskrun__makefile_load(l, doc, dir, depth + 1);
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

/* Strings become C strings: one with a NUL inside (TOML allows "\u0000")
 * would be cut short without a word, so it is refused where it stands.
 * The parser bounds nesting (CR_TOML_MAX_DEPTH), and so this recursion. */
static enum taskrun_code refuse_nul(struct taskrun_loader *l,
                                    const struct cr_toml_doc *doc,
                                    const struct cr_toml_value *v)
{
    size_t len = 0;
    switch (cr_toml_type(v)) {
    case CR_TOML_STRING: {
        const char *s = cr_toml_string(v, &len);
        if (strlen(s) != len)
            return taskrun__lerr(l, doc, cr_toml_pos(v),
                                 "a string with a NUL character (\\u0000) "
                                 "inside is not supported");
        return TASKRUN_OK;
    }
    case CR_TOML_ARRAY:
        for (size_t i = 0; i < cr_toml_len(v); i++)
            if (refuse_nul(l, doc, cr_toml_at(v, i)))
                return TASKRUN_E_LOAD;
        return TASKRUN_OK;
    case CR_TOML_TABLE:
        for (size_t i = 0; i < cr_toml_len(v); i++) {
            struct cr_pos pos;
            const char *k = cr_toml_key_at(v, i, &pos);
            if (strlen(k) != cr_toml_key_len(v, i))
                return taskrun__lerr(l, doc, pos,
                                     "a key with a NUL character (\\u0000) "
                                     "inside is not supported");
            if (refuse_nul(l, doc, cr_toml_value_at(v, i)))
                return TASKRUN_E_LOAD;
        }
        return TASKRUN_OK;
    default:
        return TASKRUN_OK;
    }
}

/* The loader keeps doc (and frees it, also when this fails) for as long as
 * the slots and tasks that point into it. */
static enum taskrun_code keep_doc(struct taskrun_loader *l,
                                  struct cr_toml_doc *doc)
{
    struct cr_toml_doc **nd =
        cr_realloc(l->docs, (l->n_docs + 1) * sizeof(*nd));
    if (!nd) {
        cr_toml_free(doc);
        return taskrun__nomem(l);
    }
    l->docs = nd;
    nd[l->n_docs++] = doc;
    return TASKRUN_OK;
}

enum taskrun_code taskrun__makefile_load(struct taskrun_loader *l,
                                         struct cr_toml_doc *doc,
                                         const char *dir, int depth)
{
    if (keep_doc(l, doc) != TASKRUN_OK)
        return TASKRUN_E_NOMEM;
    const struct cr_toml_value *root = cr_toml_root(doc);
    enum taskrun_code rc = refuse_nul(l, doc, root);
    if (!rc)
        rc = taskrun__check_keys(l, doc, root, "the makefile", top_keys,
                                 COUNT(top_keys));
    if (!rc)
        rc = load_extends(l, doc, cr_toml_get(root, "extend"), dir, depth);
    if (!rc)
        rc = taskrun__config_load(l, doc, cr_toml_get(root, "config"));
    if (!rc)
        rc = taskrun__env_files_load(l, doc, cr_toml_get(root, "env_files"),
                                     dir);
    const struct cr_toml_value *env = cr_toml_get(root, "env");
    if (!rc && env) {
        struct taskrun_slot *ne =
            cr_realloc(l->file_envs, (l->n_file_envs + 1) * sizeof(*ne));
        if (!ne)
            return taskrun__nomem(l);
        l->file_envs = ne;
        ne[l->n_file_envs++] = (struct taskrun_slot){ env, doc };
    }
    if (!rc)
        rc = taskrun__raw_add_tasks(l, doc, cr_toml_get(root, "tasks"));
    return rc;
}

enum taskrun_code taskrun__makefile_add_core(struct taskrun_loader *l)
{
    const char *text = taskrun_core_tasks_toml();
    struct cr_toml_doc *doc;
    struct cr_error te;
    enum cr_toml_code tc =
        cr_toml_parse(text, strlen(text), TASKRUN_CORE_TASKS_NAME, &doc, &te);
    if (tc != CR_TOML_OK)
        return taskrun__parse_error(l->err, tc, &te);
    if (keep_doc(l, doc) != TASKRUN_OK)
        return TASKRUN_E_NOMEM;
    const struct cr_toml_value *root = cr_toml_root(doc);
    const struct cr_toml_value *env = cr_toml_get(root, "env");
    struct taskrun_slot *ne =
        cr_realloc(l->file_envs, (l->n_file_envs + 1) * sizeof(*ne));
    if (!ne)
        return taskrun__nomem(l);
    l->file_envs = ne;
    memmove(ne + 1, ne, l->n_file_envs * sizeof(*ne));
    ne[0] = (struct taskrun_slot){ env, doc };
    l->n_file_envs++;
    return taskrun__raw_add_core(l, doc, cr_toml_get(root, "tasks"));
}
