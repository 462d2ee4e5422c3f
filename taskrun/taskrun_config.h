/*
 * taskrun_config: the file-level [config] table and env_files list of one
 * makefile, read into the loader's struct taskrun_file (l->f owns what is
 * copied: config strings, env file paths).
 */
#ifndef TASKRUN_CONFIG_H
#define TASKRUN_CONFIG_H

#include "taskrun_loader.h"

/* Reads [config] (c may be NULL); later files override earlier ones. */
enum taskrun_code taskrun__config_load(struct taskrun_loader *l,
                                       const struct cr_toml_doc *doc,
                                       const struct cr_toml_value *c);

/*
 * Reads env_files (v may be NULL) into l->f->env_files or, for
 * defaults_only entries, l->f->env_files_defaults; relative paths are made
 * relative to dir, entries of another profile are dropped.
 */
enum taskrun_code taskrun__env_files_load(struct taskrun_loader *l,
                                          const struct cr_toml_doc *doc,
                                          const struct cr_toml_value *v,
                                          const char *dir);

#endif
