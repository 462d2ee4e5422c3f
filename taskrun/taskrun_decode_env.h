/*
 * taskrun_decode_env: decodes `condition` tables and env tables (file
 * [env], [env.PROFILE], a task's env) into model objects. What is decoded
 * is appended to arrays the model owns (released with the task or file);
 * on error the entries appended so far stay there, counted, for release.
 */
#ifndef TASKRUN_DECODE_ENV_H
#define TASKRUN_DECODE_ENV_H

#include "taskrun_loader.h"

/* Decodes an env table (file [env] or a task's env) appending to *out. */
enum taskrun_code taskrun__decode_env(struct taskrun_loader *l,
                                      struct taskrun_slot s,
                                      struct taskrun_envvar **out, size_t *n,
                                      bool file_level);

/* Whether an [env] entry's value is an [env.PROFILE] table. */
bool taskrun__env_is_profile(const struct cr_toml_value *v);

/* A condition table into a new *out (owned by the model object it is
 * stored in); where names it in warnings. */
enum taskrun_code taskrun__decode_cond(struct taskrun_loader *l,
                                       struct taskrun_slot s, const char *where,
                                       struct taskrun_cond **out);

#endif
