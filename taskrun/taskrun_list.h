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

/* --output-format of --list-all-steps (cargo-make's names). */
enum taskrun_list_format {
    TASKRUN_LIST_DEFAULT = 0,   /* "Category\n----------\nname - desc" */
    TASKRUN_LIST_SHORT,         /* likewise, descriptions to the first '.' */
    TASKRUN_LIST_MARKDOWN,      /* "## Category", "* **name** - desc" */
    TASKRUN_LIST_MARKDOWN_PAGE, /* the same under a "# Task List" title */
    TASKRUN_LIST_MARKDOWN_SUB,  /* a sub-section: "### Category" */
    TASKRUN_LIST_AUTOCOMPLETE,  /* the names on one line, for completion */
};

/* Parses a format name; -1 when unknown. */
int taskrun_list_format_parse(const char *s);

struct taskrun_list_opts {
    const char *category; /* only this category, or NULL */
    bool show_private;    /* --allow-private */
    /* --hide-uninteresting: not the tasks taskrun_list_uninteresting
     * names. */
    bool hide_uninteresting;
    enum taskrun_list_format format;
};

/* Whether name is one cargo-make's --hide-uninteresting leaves out: a
 * pre-/post- hook ("pre-build", "post-test"), init, end or empty. */
bool taskrun_list_uninteresting(const char *name);

/* Tasks grouped by category (sorted), with descriptions, in o->format.
 * Private tasks are shown only with o->show_private. */
void taskrun_list_all(const struct taskrun_file *f,
                      const struct taskrun_list_opts *o, int fd);

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
