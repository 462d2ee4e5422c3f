/*
 * taskrun_cli: the command line, and the tool that runs it.
 *
 * taskrun_cli_parse turns argv into a struct taskrun_cli (no I/O);
 * taskrun_cli_run is the tool: it finds and loads the makefile, prints
 * listings, plans and summaries to the descriptors it is given, installs
 * signal handlers and returns the process exit status.
 */
#ifndef TASKRUN_CLI_H
#define TASKRUN_CLI_H

#include "taskrun.h"
#include "taskrun_model.h"

#include <stdbool.h>

struct taskrun_cli {
    const char *makefile;     /* -f; NULL: search */
    const char *profile;      /* -p; default "development" */
    struct cr_strv env_kv;    /* -e K=V, in order */
    struct cr_strv env_files; /* --env-file */
    const char *skip_tasks;   /* --skip-tasks REGEX */
    const char *cwd;          /* --cwd DIR: chdir before anything */
    const char *category;     /* --list-category-steps CATEGORY */
    const char *task;         /* NULL: "default" */
    struct cr_strv args;      /* after `--` (or after the task) */
    /* How many of args came before `--`: when every one of them names a
     * task, they are more tasks to run, not arguments (see README). */
    size_t n_loose_args;
    unsigned jobs; /* -j; 0: 1 */
    int output;    /* enum taskrun_output_mode */
    bool time_summary, allow_private, list_all, print_steps, json, strict;
    bool keep_going, help, version, no_on_error;
    bool skip_init_end;      /* --skip-init-end-tasks */
    int loglevel;            /* enum taskrun_log_level: -l, -v, --quiet */
    bool no_color;           /* --no-color: NO_COLOR=1 for the tasks */
    bool hide_uninteresting; /* --hide-uninteresting */
    bool diff_steps;         /* --diff-steps: built-in flow vs the file's */
    int list_format;         /* enum taskrun_list_format: --output-format */
    /* internal: --ext-depth N, how deep in cross-file dependencies this
     * taskrun runs (set by the taskrun that runs a task of another
     * makefile; 0 for a taskrun started any other way) */
    int ext_depth;
};

/* Parses argv. Returns TASKRUN_OK or TASKRUN_E_USAGE with err set.
 * Release with taskrun_cli_release. */
enum taskrun_code taskrun_cli_parse(struct taskrun_cli *c, int argc,
                                    char **argv, struct cr_error *err);
void taskrun_cli_release(struct taskrun_cli *c);

/* The --help text. Static storage. */
const char *taskrun_cli_usage(void);

/* Runs the parsed command line; returns the exit status. */
int taskrun_cli_run(const struct taskrun_cli *c, int fd_out, int fd_err);

#endif
