/* taskrun_core_tasks: cargo-make core task names (taskrun_core_tasks.h). */
#include "taskrun_core_tasks.h"

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
