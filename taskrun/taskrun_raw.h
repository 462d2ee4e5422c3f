/*
 * taskrun_raw: tasks before decoding. Each [tasks.NAME] table of every
 * loaded file becomes (or merges into) one struct taskrun_raw of the
 * loader: the winning value of each key, and every env table in order.
 * Raws live in l->raws and are freed by taskrun__loader_release; their
 * slots are borrowed from the loader's documents.
 */
#ifndef TASKRUN_RAW_H
#define TASKRUN_RAW_H

#include "taskrun_loader.h"

/* "pre", "main", "post": the keys of script sections, in order. */
extern const char *const taskrun__script_parts[TASKRUN_SCRIPT_PARTS];

/* Whether r has clear = true. */
bool taskrun__raw_clear(const struct taskrun_raw *r);
/* Merges src's keys over dst (src's clear = true: src replaces dst).
 * Returns 0, or -1 when out of memory (dst keeps what was merged). */
int taskrun__raw_merge(struct taskrun_raw *dst, const struct taskrun_raw *src);
/* Fills r from one task table, checking its keys; where names it. */
enum taskrun_code taskrun__raw_from_table(struct taskrun_loader *l,
                                          const struct cr_toml_doc *doc,
                                          const struct cr_toml_value *t,
                                          const char *where,
                                          struct taskrun_raw *r);
/* The raw task called n, or NULL. Borrowed: l->raws may move when a task
 * is added. */
struct taskrun_raw *taskrun__raw_find(struct taskrun_loader *l, const char *n);

/* Adds (or merges over an earlier file's) every task of a [tasks] table. */
enum taskrun_code taskrun__raw_add_tasks(struct taskrun_loader *l,
                                         const struct cr_toml_doc *doc,
                                         const struct cr_toml_value *tasks);

/*
 * Adds the core tasks of doc's [tasks] table beneath the tasks loaded so
 * far: a task the makefiles do not define is added as it is; one they
 * define keeps its own keys over the core task's, key by key. A makefile
 * task with a script, run_task or alias drops the core command and args
 * (two actions would be an error the makefile never wrote), and any
 * makefile definition drops a core alias, so that [tasks.default]
 * dependencies = [...] means what it says.
 */
enum taskrun_code taskrun__raw_add_core(struct taskrun_loader *l,
                                        const struct cr_toml_doc *doc,
                                        const struct cr_toml_value *tasks);

#endif
