/*
 * taskrun_load_priv: the loader's internals, shared by taskrun_load.c (files,
 * extend, merging) and taskrun_decode.c (TOML values -> model). Not part
 * of the public API.
 */
#ifndef TASKRUN_LOAD_PRIV_H
#define TASKRUN_LOAD_PRIV_H

#include "cr_toml.h"
#include "taskrun_load.h"

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
struct taskrun_raw {
    char *name;
    const struct cr_toml_doc *doc;
    struct cr_pos pos;
    struct taskrun_slot k[TK_COUNT];
    struct taskrun_slot *envs; /* every env table merged in, in order */
    size_t n_envs;
    int state; /* extend resolution: 0 new, 1 active, 2 done */
};

struct taskrun_loader {
    const struct taskrun_load_opts *o;
    struct taskrun_file *f;
    struct cr_strv *warnings;
    struct cr_error *err;
    struct cr_toml_doc **docs; /* kept until decoding ends */
    size_t n_docs;
    struct taskrun_raw *raws;
    size_t n_raws;
    struct taskrun_slot *file_envs; /* [env] tables in load order */
    size_t n_file_envs;
    struct cr_strv seen_files; /* realpaths, against extend loops */
};

/* Reports a problem at pos of doc: err (returns TASKRUN_E_LOAD). */
enum taskrun_code taskrun__lerr(struct taskrun_loader *l,
                                const struct cr_toml_doc *doc,
                                struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Warns about an unknown key (an error with --strict). */
enum taskrun_code taskrun__unknown_key(struct taskrun_loader *l,
                                       const struct cr_toml_doc *doc,
                                       struct cr_pos pos, const char *key,
                                       const char *where,
                                       const char *const *known, size_t n);

/* Raw tasks (taskrun_load.c). */
bool taskrun__raw_clear(const struct taskrun_raw *r);
/* Merges src's keys over dst (src's clear = true: src replaces dst). */
int taskrun__raw_merge(struct taskrun_raw *dst, const struct taskrun_raw *src);
/* Fills r from one task table, checking its keys; where names it. */
enum taskrun_code taskrun__raw_from_table(struct taskrun_loader *l,
                                          const struct cr_toml_doc *doc,
                                          const struct cr_toml_value *t,
                                          const char *where,
                                          struct taskrun_raw *r);
struct taskrun_raw *taskrun__raw_find(struct taskrun_loader *l, const char *n);

/* Resolves extend/platform/profiles, decodes every task, adds
 * placeholders (taskrun_resolve.c). */
enum taskrun_code taskrun__decode_all(struct taskrun_loader *l);

/* Decodes a merged raw task into t. */
enum taskrun_code taskrun__decode_task(struct taskrun_loader *l,
                                       const struct taskrun_raw *r,
                                       struct taskrun_task *t);

/* Decodes an env table (file [env] or a task's env) appending to *out. */
enum taskrun_code taskrun__decode_env(struct taskrun_loader *l,
                                      struct taskrun_slot s,
                                      struct taskrun_envvar **out, size_t *n,
                                      bool file_level);

/* Whether an [env] entry's value is an [env.PROFILE] table. */
bool taskrun__env_is_profile(const struct cr_toml_value *v);

/* Typed getters for decoding (taskrun_decode.c): a missing value (s.v
 * NULL) leaves *out alone; a wrong type is a positioned error. */
enum taskrun_code taskrun__want(struct taskrun_loader *l, struct taskrun_slot s,
                                const char *key, const char *what);
enum taskrun_code taskrun__get_str(struct taskrun_loader *l,
                                   struct taskrun_slot s, const char *key,
                                   char **out);
enum taskrun_code taskrun__get_bool(struct taskrun_loader *l,
                                    struct taskrun_slot s, const char *key,
                                    bool *out);
/* An array of scalars, or (with one_ok) one scalar, appended to out. */
enum taskrun_code taskrun__get_strv(struct taskrun_loader *l,
                                    struct taskrun_slot s, const char *key,
                                    bool one_ok, struct cr_strv *out);
enum taskrun_code taskrun__get_kv(struct taskrun_loader *l,
                                  struct taskrun_slot s, const char *key,
                                  struct taskrun_kv **out, size_t *n);
/* The value under key in s's table (v NULL when absent). */
struct taskrun_slot taskrun__sub(struct taskrun_slot s, const char *key);
/* sv's strings joined with sep; caller frees; NULL when out of memory. */
char *taskrun__join_lines(const struct cr_strv *sv, const char *sep);
/* A condition table (taskrun_decode_env.c); where names it in warnings. */
enum taskrun_code taskrun__decode_cond(struct taskrun_loader *l,
                                       struct taskrun_slot s, const char *where,
                                       struct taskrun_cond **out);

/* A scalar as text ("true", "3"); NULL for other types (tables, arrays,
 * dates) and when out of memory: taskrun__has_text tells which. */
char *taskrun__scalar(const struct cr_toml_value *v);
/* Whether taskrun__scalar turns v into text (string, number, boolean). */
bool taskrun__has_text(const struct cr_toml_value *v);

#endif
