/*
 * taskrun_jobs: what a task spawns, by job kind.
 *
 * Every task turns into one child process (struct taskrun_exec). The
 * default kind runs `command` + `args` or a `script`; other kinds are
 * entries of a table of struct taskrun_job_kind, selected in TOML with
 *
 *   [tasks.bench]
 *   job = { kind = "benchmark", args = ["toml"], output = "out.txt" }
 *
 * To add a kind: write its keys list, validate and build functions and add
 * one line to the table in taskrun_jobkinds.c (taskrun_jobkinds.h). Kinds:
 * benchmark, slo, profile, heaptrack (see taskrun/README.md for their keys).
 *
 * Ownership: a struct taskrun_exec owns its argv and environment and is
 * released with taskrun_exec_release; taskrun_job_describe returns a string
 * the caller frees with cr_free. Tasks are borrowed.
 */
#ifndef TASKRUN_JOBS_H
#define TASKRUN_JOBS_H

#include "taskrun.h"
#include "taskrun_env.h"
#include "taskrun_model.h"

#include <stddef.h>

/* Everything a kind may use to build its command line. */
struct taskrun_job_ctx {
    const struct taskrun_env *env; /* the task's environment */
    const struct cr_strv *cli;     /* arguments after `--` */
    const char *self_exe;          /* this taskrun, for helpers */
    int ext_depth; /* cross-file level of this run; another makefile's
                    * task runs one level deeper (--ext-depth) */
};

/* One child process to run for a task. argv empty: nothing to run. */
struct taskrun_exec {
    struct cr_strv argv;
    char *tmpfile; /* a script file to delete after the run, or NULL */
};

void taskrun_exec_release(struct taskrun_exec *x);

struct taskrun_job_kind {
    const char *name;
    const char *summary;
    const char *const *keys; /* accepted keys besides "kind", NULL-ended */
    /* Checks required keys and fills defaults; err names the task. */
    enum taskrun_code (*validate)(struct taskrun_task *t, struct cr_error *err);
    enum taskrun_code (*build)(const struct taskrun_task *t,
                               const struct taskrun_job_ctx *c,
                               struct taskrun_exec *x, struct cr_error *err);
};

/*
 * Builds what t runs. Errors (multiple actions, unsupported script runner,
 * watch) are reported only here, so listing and planning still work.
 */
enum taskrun_code taskrun_job_build(const struct taskrun_task *t,
                                    const struct taskrun_job_ctx *c,
                                    struct taskrun_exec *x,
                                    struct cr_error *err);

/* A one-line description of what t runs, for --print-steps. Caller frees. */
char *taskrun_job_describe(const struct taskrun_task *t);

#endif
