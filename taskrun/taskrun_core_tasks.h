/*
 * taskrun_core_tasks: cargo-make's built-in ("core") tasks, which taskrun
 * does not ship. A makefile that references one without defining it gets
 * an empty placeholder task, so real-world files still load and plan.
 */
#ifndef TASKRUN_CORE_TASKS_H
#define TASKRUN_CORE_TASKS_H

#include "taskrun.h"

#include <stdbool.h>

struct taskrun_loader;

/* Whether name is a cargo-make built-in task that may be left undefined. */
bool taskrun_is_core_task(const char *name);

/*
 * Adds a placeholder (owned by l->f like any task) for every core task,
 * task of another makefile ("PATH:NAME"), or (when an extended file was
 * missing) any task referenced but not defined; "default" always exists.
 */
enum taskrun_code taskrun__add_placeholders(struct taskrun_loader *l);

#endif
