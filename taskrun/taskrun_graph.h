/*
 * taskrun_graph: the whole execution plan of one invocation.
 *
 * taskrun_plan_build walks the task graph from the requested task the way
 * cargo-make does (dependencies depth-first in declaration order, then the
 * task, then its run_task targets), following aliases, but keeps each task
 * once: a shared dependency becomes one node that everything waiting for
 * it depends on. Node order is a topological order, and running the nodes
 * one at a time in that order reproduces cargo-make's serial order.
 *
 * Cycles through dependencies, run_task and aliases are refused with the
 * whole path ("a -> b -> c -> a"); missing tasks with a did-you-mean.
 */
#ifndef TASKRUN_GRAPH_H
#define TASKRUN_GRAPH_H

#include "taskrun.h"
#include "taskrun_cond.h"
#include "taskrun_model.h"

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

struct taskrun_node {
    size_t task;  /* index into file->tasks */
    size_t *deps; /* node indices that must finish first, owned */
    size_t n_deps;
    long gate;       /* node whose run_task alone led here, or -1 */
    bool skip_regex; /* matched --skip-tasks */
    /* A run_task cleanup_task: runs once what it waits for has finished,
     * even when some of it failed or did not run. */
    bool cleanup;
};

struct taskrun_plan {
    const struct taskrun_file *file; /* borrowed */
    struct taskrun_node *nodes;      /* topological order, owned */
    size_t n;
    long root; /* node of the requested task */
};

struct taskrun_plan_opts {
    const char *task;        /* the requested task */
    const char *const *more; /* more requested tasks, after task */
    size_t n_more;
    bool allow_private;  /* may the requested task be private? */
    bool init_end;       /* add [config] init_task and end_task */
    const regex_t *skip; /* --skip-tasks, or NULL */
    const struct taskrun_cond_ctx *ctx; /* for run_task routing lists */
};

/*
 * Builds the plan for o->task in f. Returns TASKRUN_OK, TASKRUN_E_PLAN with
 * a one-line message (cycle, missing task, private task), or
 * TASKRUN_E_NOMEM. Release with taskrun_plan_release either way.
 */
enum taskrun_code taskrun_plan_build(struct taskrun_plan *p,
                                     const struct taskrun_file *f,
                                     const struct taskrun_plan_opts *o,
                                     struct cr_error *err);

void taskrun_plan_release(struct taskrun_plan *p);

/* The task of node i. Borrowed from the file. */
const struct taskrun_task *taskrun_plan_task(const struct taskrun_plan *p,
                                             size_t i);

/*
 * Follows aliases from name to the task that runs. Returns its index, or -1
 * with err set (missing task with did-you-mean, or an alias cycle).
 */
long taskrun_resolve(const struct taskrun_file *f, const char *name,
                     struct cr_error *err);

#endif
