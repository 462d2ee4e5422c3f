/*
 * taskrun_cond: cargo-make `condition` tables and `condition_script`.
 *
 * A condition holds when every listed check passes (condition_type "And",
 * the default) or when any listed check passes ("Or"/"GroupOr"). A false
 * condition skips only the task's own action; its dependencies still run.
 */
#ifndef TASKRUN_COND_H
#define TASKRUN_COND_H

#include "taskrun_env.h"
#include "taskrun_model.h"

#include <stdbool.h>
#include <stddef.h>

struct taskrun_cond_ctx {
    const struct taskrun_env *env;
    const char *profile;  /* the active profile, e.g. "development" */
    const char *platform; /* "linux", "mac" or "windows" */
    const char *dir;      /* relative file paths are resolved here */
};

/*
 * Evaluates c (NULL holds). When it does not hold and why is not NULL,
 * writes a short reason ("env FOO is not set") into why.
 */
bool taskrun_cond_eval(const struct taskrun_cond *c,
                       const struct taskrun_cond_ctx *ctx, char *why,
                       size_t whylen);

/*
 * Runs a condition_script (lines joined, run with `sh -e -c`) with envp and
 * cwd; returns true when it exits 0. An empty script holds. A script whose
 * first line is `#!@duckscript` runs as `/proc/self/exe --duckscript-eval`,
 * so only the taskrun executable can run it (see taskrun_duck_main.h).
 */
bool taskrun_cond_script(const struct cr_strv *script,
                         const struct taskrun_env *env, const char *cwd);

/* The name of the platform taskrun was built for: "linux", "mac"... */
const char *taskrun_platform(void);

#endif
