/*
 * taskrun_core_tasks: the names of cargo-make's built-in ("core") tasks.
 * taskrun provides the ones real makefiles use (taskrun_core_tasks_toml):
 * the loader reads them beneath every makefile unless [config]
 * skip_core_tasks = true, so the makefile's own tasks of the same name
 * extend or replace them. A reference to a core task taskrun does not
 * provide is a "not found" error; the planner names it as a core task so
 * the message says why.
 */
#ifndef TASKRUN_CORE_TASKS_H
#define TASKRUN_CORE_TASKS_H

#include <stdbool.h>

/* Whether name is (or belongs to a family of) cargo-make's core tasks. */
bool taskrun_is_core_task(const char *name);

/* The name the core tasks' TOML is parsed under: it prefixes their
 * positions in messages and tells core tasks from the makefile's. */
#define TASKRUN_CORE_TASKS_NAME "<cargo-make core tasks>"

/* The core tasks taskrun provides and the [env] entries they use, as
 * TOML text (static, never freed). */
const char *taskrun_core_tasks_toml(void);

#endif
