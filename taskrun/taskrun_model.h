/*
 * taskrun_model: the in-memory form of a tasks.toml / Makefile.toml.
 *
 * The loader (taskrun_load.h) builds a struct taskrun_file from TOML; unit
 * tests build one directly with the helpers below. Every string and array
 * in the model is owned by the structure that holds it and freed by
 * taskrun_file_release. Tasks are kept in declaration order, which is the
 * order cargo-make uses when it walks dependencies.
 */
#ifndef TASKRUN_MODEL_H
#define TASKRUN_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "cr_strmap.h"
#include "cr_strv.h"

/* A name/value pair, value NULL meaning "absent". */
struct taskrun_kv {
    char *key;
    char *value;
};

/* A cargo-make `condition` table. Empty lists are not checked. */
struct taskrun_cond {
    bool any; /* condition_type = "Or"/"GroupOr": one group must pass */
    struct cr_strv profiles, platforms, channels;
    struct cr_strv env_set, env_not_set, env_true, env_false;
    struct taskrun_kv *env, *env_not, *env_contains;
    size_t n_env, n_env_not, n_env_contains;
    struct cr_strv files_exist, files_not_exist;
    struct cr_strv modified_input, modified_output;
    /* rust_version = { min, max, equal }: bounds of the installed rustc
     * (any may be NULL). */
    bool has_rust_version;
    char *rust_min, *rust_max, *rust_equal;
    char *fail_message; /* when set, a false condition is an error */
};

void taskrun_cond_free(struct taskrun_cond *c);

enum taskrun_env_kind {
    TASKRUN_ENV_VALUE = 0, /* value, ${} expanded */
    TASKRUN_ENV_UNSET,     /* { unset = true } */
    TASKRUN_ENV_MAPPING,   /* { source, mapping, default_value } */
    TASKRUN_ENV_SCRIPT,    /* { script = [...] }: stdout, trimmed */
    TASKRUN_ENV_GLOB,      /* { glob }: matching paths joined with ';' */
    TASKRUN_ENV_PROFILE,   /* [env.NAME]: only a marker, never set */
};

/* One entry of [env], [env.PROFILE] or a task's env. */
struct taskrun_envvar {
    char *name;
    char *where; /* "FILE:LINE:COL: " of its key, for errors; may be NULL */
    enum taskrun_env_kind kind;
    char *value; /* VALUE: the text; MAPPING: the source; SCRIPT: body */
    char *dflt;  /* MAPPING: default_value, may be NULL */
    struct taskrun_kv *map;
    size_t n_map;
    struct taskrun_cond *cond;  /* { value, condition }: set only if true */
    bool glob_files, glob_dirs; /* GLOB: include_files, include_dirs */
};

void taskrun_envvar_release(struct taskrun_envvar *e);

/* One target of run_task: names run after the task's own action. */
struct taskrun_route {
    struct cr_strv names;
    bool fork, parallel;
    struct taskrun_cond *cond;  /* routing list: first true wins */
    struct cr_strv cond_script; /* likewise, exit 0 means true */
    /* cleanup_task: runs after the targets, whether they failed or not. */
    char *cleanup;
};

/* Job kinds beyond command/script; see taskrun_jobs.h. */
struct taskrun_job {
    const struct taskrun_job_kind *kind; /* NULL: the default kind */
    char *bin;                           /* benchmark/slo: the program */
    struct cr_strv args;                 /* benchmark/slo: its arguments */
    struct cr_strv command; /* profile/heaptrack: what to measure */
    char *output;           /* where results go (a default per kind) */
    char *baseline;         /* benchmark: compare with this file */
    char *flamegraph;       /* profile: the flamegraph tool, or NULL */
    char *name;             /* profile: the files' name (default: task) */
    char *call_graph;       /* profile: "fp", "dwarf[,BYTES]" or NULL */
    char *frequency;        /* profile: Hz as text, or NULL */
    char *only;             /* profile: process names drawn, or NULL */
    bool system_wide;       /* profile: every process, not the command's */
    unsigned line;          /* for messages */
};

struct taskrun_task {
    char *name;
    unsigned line; /* where [tasks.NAME] starts; 0 when built in code */
    /* "FILE:LINE:COL: " of the task's name, to prefix plan and run
     * errors with; NULL when built in code. Owned. */
    char *where;
    char *description, *category;

    /* The action: at most one of command, script, run_task. */
    char *command;
    struct cr_strv args;
    char *script; /* the body, lines joined with '\n' */
    char *script_file;
    char *script_runner; /* NULL: sh */
    struct cr_strv script_runner_args;
    char *script_extension;
    struct taskrun_route *routes;
    size_t n_routes;
    struct taskrun_job job;

    struct cr_strv deps;
    struct cr_strv env_files; /* dotenv files, relative to the dir */
    struct taskrun_envvar *env;
    size_t n_env;
    char *cwd;
    struct taskrun_cond *cond;
    struct cr_strv cond_script;

    bool ignore_errors, is_private, disabled, watch;
    /* cargo-make's watch = { watch = [...], ignore_pattern, no_git_ignore,
     * postpone }: what to watch (empty: the task's directory), globs to
     * ignore, whether .gitignore is left alone, and whether the first run
     * waits for a change. Run by taskrun_watch_main. */
    struct cr_strv watch_paths, watch_ignore;
    bool watch_no_git_ignore, watch_postpone;
    bool is_core;     /* a cargo-make core task the makefile did not touch */
    char *deprecated; /* NULL, or a message ("" for plain true) */
    char *alias;      /* already resolved for this platform */
    char *rust_key;   /* a Rust-only key that would change what runs */
    char *extend;     /* the task this one extends (already merged) */
    /* A task of another makefile ({ name, path } dependency): this task
     * runs ext_task of ext_makefile (absolute) in a taskrun of its own,
     * with that file's environment, as cargo-make runs one. */
    char *ext_makefile, *ext_task;
    /* Every task name this one references (dependencies, run_task,
     * alias) with the "FILE:LINE:COL: " of the reference, for errors. */
    struct taskrun_kv *refs;
    size_t n_refs;
};

void taskrun_task_release(struct taskrun_task *t);

/* The "FILE:LINE:COL: " where t references the task name (a dependency,
 * run_task or alias), or NULL when unknown. Borrowed from t. */
const char *taskrun_task_ref_where(const struct taskrun_task *t,
                                   const char *name);

struct taskrun_config {
    bool skip_core_tasks, default_to_workspace, time_summary;
    char *init_task, *end_task, *on_error_task, *min_version;
    /* modify_core_tasks = { private, namespace }: applied to the core
     * tasks before the makefile's own tasks extend them. */
    bool core_private;
    char *core_namespace;
};

struct taskrun_file {
    char *path; /* the makefile as given */
    char *dir;  /* its directory, absolute: task cwd is relative to it */
    struct taskrun_config config;
    /* env_files for the active profile, absolute: the second list holds
     * { defaults_only = true } ones (they never replace a set variable). */
    struct cr_strv env_files, env_files_defaults;
    struct taskrun_envvar *env; /* [env], in file order */
    size_t n_env;
    /* [env.NAME] tables: profile_names[i] owns profiles[i]. */
    struct cr_strv profile_names;
    struct taskrun_envvar **profiles;
    size_t *n_profile_env;
    struct taskrun_task *tasks; /* declaration order */
    size_t n_tasks, cap_tasks;
    /* Task name -> index into tasks, kept by taskrun_file_add_task; the
     * keys are the tasks' own names. Owned. */
    struct cr_strmap task_index;
};

/* Adds an empty task named name; returns it, or NULL when out of memory.
 * The pointer is valid until the next add. */
struct taskrun_task *taskrun_file_add_task(struct taskrun_file *f,
                                           const char *name);

/* The task called name, or NULL. A hash lookup when every task came from
 * taskrun_file_add_task, a scan otherwise. */
struct taskrun_task *taskrun_file_find(const struct taskrun_file *f,
                                       const char *name);
long taskrun_file_index(const struct taskrun_file *f, const char *name);

/* Frees everything the file owns and zeroes it. NULL allowed. */
void taskrun_file_release(struct taskrun_file *f);

/* xstrdup-like helper: copy of s (NULL stays NULL); aborts nothing. */
char *taskrun_strdup(const char *s);

#endif
