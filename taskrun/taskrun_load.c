/*
 * taskrun_load: the loading API (see taskrun_load.h): reads the makefile
 * and what it extends (taskrun_makefile), then resolves and decodes the
 * tasks (taskrun_resolve).
 */
#include "taskrun_load.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "taskrun_loader.h"
#include "taskrun_makefile.h"
#include "taskrun_resolve.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        rc = taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    if (!rc)
        rc = taskrun__makefile_load(&l, doc, dir, 0);
    else
        cr_toml_free(doc);
    if (!rc && !f->config.skip_core_tasks)
        rc = taskrun__makefile_add_core(&l);
    if (!rc)
        rc = taskrun__resolve_all(&l);
    taskrun__loader_release(&l);
    return rc;
}

enum taskrun_code taskrun_load(struct taskrun_file *f, const char *path,
                               const struct taskrun_load_opts *o,
                               struct cr_strv *warnings, struct cr_error *err)
{
    memset(f, 0, sizeof(*f));
    f->path = cr_strdup(path);
    if (!f->path)
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    struct cr_toml_doc *doc;
    struct cr_error te;
    enum cr_toml_code tc = cr_toml_parse_file(path, &doc, &te);
    if (tc == CR_TOML_E_IO)
        return taskrun_error_set(err, TASKRUN_E_LOAD, "%s: cannot read: %s",
                                 path, strerror(errno));
    if (tc != CR_TOML_OK)
        return taskrun__parse_error(err, tc, &te);
    char *dir = taskrun__dir_of(path);
    if (!dir) {
        int e = errno;
        cr_toml_free(doc);
        return taskrun_error_set(err,
                                 e == ENOMEM ? TASKRUN_E_NOMEM : TASKRUN_E_LOAD,
                                 "%s: %s", path, strerror(e));
    }
    /* Without its real path a file extending itself would go unnoticed. */
    char *real = cr_fs_realpath(path);
    if (!real && errno == ENOMEM) {
        cr_toml_free(doc);
        cr_free(dir);
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    }
    enum taskrun_code rc = load_common(f, doc, dir, real, o, warnings, err);
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
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    enum cr_toml_code tc = cr_toml_parse(text, strlen(text), name, &doc, &te);
    if (tc != CR_TOML_OK)
        return taskrun__parse_error(err, tc, &te);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd)))
        strcpy(cwd, ".");
    return load_common(f, doc, cwd, NULL, o, warnings, err);
}
