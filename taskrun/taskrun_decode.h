/*
 * taskrun_decode: turns one merged raw task (taskrun_raw.h) into a model
 * task: strings, flags, alias, script, run_task, dependencies, env_files,
 * condition, env and job. Everything decoded is copied into t, which the
 * model owns (taskrun_file_release); t keeps no pointer into the TOML.
 */
#ifndef TASKRUN_DECODE_H
#define TASKRUN_DECODE_H

#include "taskrun_raw.h"

/* Decodes r into t (already added to l->f, named). Errors are positioned
 * in l->err; out of memory is TASKRUN_E_NOMEM with its message set. */
enum taskrun_code taskrun__decode_task(struct taskrun_loader *l,
                                       const struct taskrun_raw *r,
                                       struct taskrun_task *t);

#endif
