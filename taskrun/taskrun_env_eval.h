/*
 * taskrun_env_eval: evaluates env entries of the model (file [env],
 * [env.PROFILE], a task's env) into a struct taskrun_env. Entries may be
 * conditional (taskrun_cond.h), so this module sits above both
 * taskrun_env (sets, expansion) and taskrun_cond.
 */
#ifndef TASKRUN_ENV_EVAL_H
#define TASKRUN_ENV_EVAL_H

#include "taskrun.h"
#include "taskrun_env.h"
#include "taskrun_model.h"

/*
 * Applies env entries in file order, except that an entry referring to
 * another (${NAME}) comes after it, as in cargo-make (a loop is an error
 * naming the variable). Values are expanded against the entries set so
 * far, conditional values are set only when their condition holds,
 * mappings translate their source's value. Script values run `sh -c` with
 * the environment so far. Returns TASKRUN_OK or an error in err.
 */
enum taskrun_code taskrun_env_apply(struct taskrun_env *e,
                                    const struct taskrun_envvar *vars, size_t n,
                                    const char *profile, const char *dir,
                                    struct cr_error *err);

#endif
