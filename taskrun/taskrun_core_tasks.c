/* taskrun_core_tasks: core tasks and placeholders (taskrun_core_tasks.h). */
#include "taskrun_core_tasks.h"

#include "cr_alloc.h"
#include "taskrun_loader.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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
    if (!core && !other)
        return TASKRUN_OK; /* the planner reports it with a did-you-mean */
    struct taskrun_task *t = taskrun_file_add_task(l->f, name);
    if (!t)
        return taskrun__nomem(l);
    t->placeholder = true;
    t->category = cr_strdup("Placeholders");
    if (!t->category)
        return taskrun__nomem(l);
    t->description = cr_strdup(
        other ? "a task of another makefile ({ name, path } dependency): "
                "not supported, an empty placeholder"
              : "cargo-make built-in task: an empty placeholder in taskrun");
    if (!t->description)
        return taskrun__nomem(l);
    return TASKRUN_OK;
}

enum taskrun_code taskrun__add_placeholders(struct taskrun_loader *l)
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
