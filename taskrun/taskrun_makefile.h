/*
 * taskrun_makefile: reads one makefile document and, first, the files it
 * extends (file-level extend: a path, { path, optional } or a list), into
 * the loader: its top-level keys are checked, [config] and env_files read
 * (taskrun_config), [env] kept for later, [tasks] added as raw tasks
 * (taskrun_raw). Documents are kept by the loader until it is released.
 */
#ifndef TASKRUN_MAKEFILE_H
#define TASKRUN_MAKEFILE_H

#include "taskrun_loader.h"

/*
 * Loads doc (taken over: kept in l->docs, or freed on failure), whose
 * directory is dir; depth counts the extend files above it.
 */
enum taskrun_code taskrun__makefile_load(struct taskrun_loader *l,
                                         struct cr_toml_doc *doc,
                                         const char *dir, int depth);

/* The absolute directory of path (from cr_malloc, caller frees), or NULL
 * with errno. */
char *taskrun__dir_of(const char *path);

/*
 * Reads cargo-make's core tasks (taskrun_core_tasks.h) beneath what was
 * loaded: their [env] comes before every file's, their tasks beneath the
 * files' tasks of the same name. The caller skips it for [config]
 * skip_core_tasks = true.
 */
enum taskrun_code taskrun__makefile_add_core(struct taskrun_loader *l);

#endif
