/*
 * taskrun_core_tasks: the names of cargo-make's built-in ("core") tasks.
 * taskrun ships none of them, so a reference to one that the makefile does
 * not define is a "not found" error like any other; the planner names it
 * as a core task so the message says why.
 */
#ifndef TASKRUN_CORE_TASKS_H
#define TASKRUN_CORE_TASKS_H

#include <stdbool.h>

/* Whether name is (or belongs to a family of) cargo-make's core tasks. */
bool taskrun_is_core_task(const char *name);

#endif
