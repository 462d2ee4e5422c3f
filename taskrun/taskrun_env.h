/*
 * taskrun_env: environment sets, ${VAR} expansion and env files. The
 * evaluation of [env] entries is taskrun_env_eval.h.
 *
 * A struct taskrun_env is an owned list of "K=V" strings, usable directly
 * as a child's envp. The parent's own environment is never modified: each
 * task gets its copy (so parallel tasks cannot see each other's changes).
 */
#ifndef TASKRUN_ENV_H
#define TASKRUN_ENV_H

#include "taskrun.h"
#include "taskrun_model.h"

#include "cr_strmap.h"

#include <stdbool.h>
#include <stddef.h>

struct taskrun_env {
    char **vars; /* "K=V", NULL-terminated, owned */
    size_t n, cap;
    /* "K" -> index into vars, so lookups do not scan; the keys point into
     * vars. Owned. */
    struct cr_strmap index;
};

/* Copies a NULL-terminated environ-style array (may be NULL). */
int taskrun_env_init(struct taskrun_env *e, char *const *from);
int taskrun_env_copy(struct taskrun_env *dst, const struct taskrun_env *src);
void taskrun_env_release(struct taskrun_env *e);

/* The value of name, or NULL. Borrowed until the entry changes. */
const char *taskrun_env_get(const struct taskrun_env *e, const char *name);
/* Sets or replaces name. Returns 0 or -1 when out of memory. */
int taskrun_env_set(struct taskrun_env *e, const char *name, const char *value);
void taskrun_env_unset(struct taskrun_env *e, const char *name);

/*
 * Expands ${NAME} in s (unset names expand to ""); "$$" is kept as is and a
 * "$" not followed by "{" stays literal. Returns a new string (caller
 * frees) or NULL when out of memory.
 */
char *taskrun_env_expand(const struct taskrun_env *e, const char *s);

/*
 * Expands every element of in into out. An element that is exactly "${@}"
 * is replaced by the cli arguments (zero or more elements).
 */
int taskrun_env_expand_argv(const struct taskrun_env *e,
                            const struct cr_strv *in, const struct cr_strv *cli,
                            struct cr_strv *out);

/*
 * Reads a dotenv file (KEY=VALUE lines, '#' comments, optional quotes and
 * "export "). With defaults_only, names already set are kept. Values are
 * ${} expanded. Errors name the file.
 */
enum taskrun_code taskrun_env_load_file(struct taskrun_env *e, const char *path,
                                        bool defaults_only,
                                        struct cr_error *err);

#endif
