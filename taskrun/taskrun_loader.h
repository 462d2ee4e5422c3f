/*
 * taskrun_loader: the state of one load and how its modules report
 * problems, shared by every loader module (taskrun_makefile, taskrun_config,
 * taskrun_raw, taskrun_slot, taskrun_decode, taskrun_decode_env,
 * taskrun_resolve, the job decoder in
 * taskrun_jobkinds). Internal: not part of the public API (taskrun_load.h).
 *
 * The modules call downwards only: taskrun_load -> taskrun_makefile
 * (-> taskrun_config, taskrun_raw) and taskrun_resolve (-> taskrun_decode
 * -> taskrun_decode_env, taskrun_jobkinds -> taskrun_slot), all of them ->
 * taskrun_loader.
 */
#ifndef TASKRUN_LOADER_H
#define TASKRUN_LOADER_H

#include "cr_strmap.h"
#include "cr_strv.h"
#include "cr_toml.h"
#include "taskrun.h"
#include "taskrun_load_opts.h"
#include "taskrun_model.h"

#include <stdbool.h>
#include <stddef.h>

/* Every task key taskrun knows, cargo-make's plus `job`. */
#define TASKRUN_TASK_KEYS(X)                                                   \
    X(TK_COMMAND, "command")                                                   \
    X(TK_ARGS, "args")                                                         \
    X(TK_SCRIPT, "script")                                                     \
    X(TK_SCRIPT_RUNNER, "script_runner")                                       \
    X(TK_SCRIPT_RUNNER_ARGS, "script_runner_args")                             \
    X(TK_SCRIPT_EXTENSION, "script_extension")                                 \
    X(TK_RUN_TASK, "run_task")                                                 \
    X(TK_DEPENDENCIES, "dependencies")                                         \
    X(TK_ENV, "env")                                                           \
    X(TK_ENV_FILES, "env_files")                                               \
    X(TK_CWD, "cwd")                                                           \
    X(TK_CONDITION, "condition")                                               \
    X(TK_CONDITION_SCRIPT, "condition_script")                                 \
    X(TK_CONDITION_SCRIPT_RUNNER_ARGS, "condition_script_runner_args")         \
    X(TK_IGNORE_ERRORS, "ignore_errors")                                       \
    X(TK_FORCE, "force")                                                       \
    X(TK_DESCRIPTION, "description")                                           \
    X(TK_CATEGORY, "category")                                                 \
    X(TK_ALIAS, "alias")                                                       \
    X(TK_LINUX_ALIAS, "linux_alias")                                           \
    X(TK_WINDOWS_ALIAS, "windows_alias")                                       \
    X(TK_MAC_ALIAS, "mac_alias")                                               \
    X(TK_EXTEND, "extend")                                                     \
    X(TK_CLEAR, "clear")                                                       \
    X(TK_PRIVATE, "private")                                                   \
    X(TK_DISABLED, "disabled")                                                 \
    X(TK_DEPRECATED, "deprecated")                                             \
    X(TK_WATCH, "watch")                                                       \
    X(TK_WORKSPACE, "workspace")                                               \
    X(TK_INSTALL_CRATE, "install_crate")                                       \
    X(TK_INSTALL_CRATE_ARGS, "install_crate_args")                             \
    X(TK_INSTALL_SCRIPT, "install_script")                                     \
    X(TK_TOOLCHAIN, "toolchain")                                               \
    X(TK_PLUGIN, "plugin")                                                     \
    X(TK_JOB, "job")                                                           \
    X(TK_LINUX, "linux")                                                       \
    X(TK_WINDOWS, "windows")                                                   \
    X(TK_MAC, "mac")

enum taskrun_task_key {
#define TASKRUN_X(id, name) id,
    TASKRUN_TASK_KEYS(TASKRUN_X)
#undef TASKRUN_X
        TK_COUNT
};

/* Where one key's value came from (several files can contribute). */
struct taskrun_slot {
    const struct cr_toml_value *v;
    const struct cr_toml_doc *doc;
};

/* A task before decoding: the winning value of every key. */
/* script sections, in the order they run: pre, main, post. */
#define TASKRUN_SCRIPT_PARTS 3

struct taskrun_raw {
    char *name;
    const struct cr_toml_doc *doc;
    struct cr_pos pos;
    struct taskrun_slot k[TK_COUNT];
    struct taskrun_slot *envs; /* every env table merged in, in order */
    size_t n_envs;
    /* script = { pre, main, post }: each part's winning value, merged part
     * by part (an extending task may replace main alone). */
    struct taskrun_slot sect[TASKRUN_SCRIPT_PARTS];
    int state; /* extend resolution: 0 new, 1 active, 2 done */
    bool core; /* a core task the makefile does not define */
};

/*
 * One load in progress. The loader owns docs, raws (names and envs),
 * file_envs and seen_files until taskrun__loader_release; f, warnings and
 * err are the caller's; slots point into docs, so nothing decoded may keep
 * a slot past the release.
 */
struct taskrun_loader {
    const struct taskrun_load_opts *o;
    struct taskrun_file *f;
    struct cr_strv *warnings;
    struct cr_error *err;
    struct cr_toml_doc **docs; /* kept until decoding ends */
    size_t n_docs;
    struct taskrun_raw *raws;
    size_t n_raws, cap_raws;
    struct cr_strmap raw_index;     /* raw name -> index into raws */
    struct taskrun_slot *file_envs; /* [env] tables in load order */
    size_t n_file_envs;
    struct cr_strv seen_files; /* realpaths, against extend loops */
    /* { name, path } dependencies: the task key ("PATH:NAME"), the
     * makefile's absolute path and the task name, one triple each. */
    struct cr_strv ext;
};

/* Reports a problem at pos of doc: err (returns TASKRUN_E_LOAD). */
enum taskrun_code taskrun__lerr(struct taskrun_loader *l,
                                const struct cr_toml_doc *doc,
                                struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Sets err to "out of memory" and returns TASKRUN_E_NOMEM. */
enum taskrun_code taskrun__nomem(struct taskrun_loader *l);

/* Warns about an unknown key (an error with --strict). */
enum taskrun_code taskrun__unknown_key(struct taskrun_loader *l,
                                       const struct cr_toml_doc *doc,
                                       struct cr_pos pos, const char *key,
                                       const char *where,
                                       const char *const *known, size_t n);

/* Checks every key of table t against known[0..n) (where names t). */
enum taskrun_code taskrun__check_keys(struct taskrun_loader *l,
                                      const struct cr_toml_doc *doc,
                                      const struct cr_toml_value *t,
                                      const char *where,
                                      const char *const *known, size_t n);

/* A TOML parse failure tc (detail in te) as a taskrun error in err: out of
 * memory is TASKRUN_E_NOMEM, anything else TASKRUN_E_LOAD. */
enum taskrun_code taskrun__parse_error(struct cr_error *err,
                                       enum cr_toml_code tc,
                                       const struct cr_error *te);

/* Frees what the loader owns (docs, raws, file_envs, seen_files). */
void taskrun__loader_release(struct taskrun_loader *l);

#endif
