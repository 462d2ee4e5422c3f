/*
 * taskrun_list: --list-all-steps and --print-steps text (and the JSON plan
 * event). Everything is written to the given descriptor.
 */
#ifndef TASKRUN_LIST_H
#define TASKRUN_LIST_H

#include "taskrun_graph.h"
#include "taskrun_model.h"
#include "taskrun_output.h"

#include <stdbool.h>

/* Tasks grouped by category (sorted), with descriptions; only category
 * when not NULL. Private tasks are shown only with show_private. */
void taskrun_list_all(const struct taskrun_file *f, const char *category,
                      bool show_private, int fd);

/* {"v":1,"event":"tasks","tasks":[{name, category, description, alias,
 * private}]} in declaration order, private ones included. */
void taskrun_list_all_json(const struct taskrun_file *f,
                           const struct taskrun_out *o);

/* The plan, one numbered step per node with its action and what it waits
 * for. */
void taskrun_list_plan(const struct taskrun_plan *p, const char *profile,
                       unsigned jobs, int fd);

/* {"v":1,"event":"plan",...}: task, profile, jobs and the steps. */
void taskrun_list_plan_json(const struct taskrun_plan *p, const char *task,
                            const char *profile, unsigned jobs,
                            const struct taskrun_out *o);

#endif
