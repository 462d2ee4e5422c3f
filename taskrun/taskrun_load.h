/*
 * taskrun_load: reads a tasks.toml / cargo-make Makefile.toml into the
 * model (taskrun_model.h).
 *
 * File-level `extend` files are loaded first and the makefile's own tasks
 * merge over theirs key by key, as in cargo-make. Task-level `extend`,
 * `clear` and platform override tables ([tasks.x.linux]) are merged before
 * decoding. Unknown keys are warnings "FILE:LINE:COL: unknown key ..." with
 * a did-you-mean (errors with strict). A missing extended file is an
 * error unless it is { path, optional = true }; tasks referenced but not
 * defined are left to the planner, which refuses them.
 */
#ifndef TASKRUN_LOAD_H
#define TASKRUN_LOAD_H

#include "taskrun.h"
#include "taskrun_load_opts.h"
#include "taskrun_model.h"

#include <stdbool.h>

/*
 * Loads path into f (zeroed first). Warnings are appended to *warnings, one
 * line each. Returns TASKRUN_OK, or TASKRUN_E_LOAD with a positioned
 * message in err. f must be released with taskrun_file_release either way.
 */
enum taskrun_code taskrun_load(struct taskrun_file *f, const char *path,
                               const struct taskrun_load_opts *o,
                               struct cr_strv *warnings, struct cr_error *err);

/*
 * Loads TOML text (for tests); name is used in messages and the directory
 * of the file is the current directory.
 */
enum taskrun_code taskrun_load_string(struct taskrun_file *f, const char *text,
                                      const char *name,
                                      const struct taskrun_load_opts *o,
                                      struct cr_strv *warnings,
                                      struct cr_error *err);

#endif
