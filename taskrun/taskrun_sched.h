/*
 * taskrun_sched: runs a whole plan with up to `jobs` tasks at once.
 *
 * A node starts when every node it depends on has finished (succeeded,
 * been skipped, or failed with ignore_errors). Among ready nodes the
 * earliest in plan order starts first, so -j 1 reproduces cargo-make's
 * serial order exactly and every run is deterministic. Each task runs in
 * its own process group (cr_proc). When *stop becomes non-zero (Ctrl-C,
 * SIGTERM) every running group gets SIGTERM, then SIGKILL after grace_ms.
 * After a failure nothing new starts unless keep_going; running tasks
 * finish. A run_task cleanup_task (node->cleanup) is the exception: it
 * runs once what it waits for has finished, however that went.
 */
#ifndef TASKRUN_SCHED_H
#define TASKRUN_SCHED_H

#include "cr_proc.h"
#include "taskrun.h"
#include "taskrun_env.h"
#include "taskrun_graph.h"
#include "taskrun_output.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

enum taskrun_state {
    TASKRUN_PENDING = 0,
    TASKRUN_RUNNING,
    TASKRUN_DONE_OK,
    TASKRUN_DONE_FAILED,
    TASKRUN_DONE_IGNORED, /* failed, but ignore_errors */
    TASKRUN_SKIPPED,      /* condition, disabled, --skip-tasks... */
    TASKRUN_NOT_RUN,      /* a dependency failed or the run stopped */
};

struct taskrun_result {
    enum taskrun_state state;
    int exit_code;
    char reason[160]; /* why skipped / not run / could not start */
    struct cr_proc_usage usage;
    uint64_t start_ms, end_ms; /* since the run started */
};

struct taskrun_sched_opts {
    unsigned jobs;     /* >= 1 */
    bool keep_going;   /* -k */
    unsigned grace_ms; /* SIGTERM -> SIGKILL */
    const struct taskrun_out *out;
    const struct taskrun_env *env; /* base environment for every task */
    const char *profile;
    const struct cr_strv *cli; /* arguments after `--` */
    const char *self_exe;
    int ext_depth;    /* cross-file dependency level of this run */
    atomic_int *stop; /* set by signal handlers, or NULL */
    int wake_fd;      /* readable when a signal arrived, or -1 */
    /* Serial runs on a terminal: each task gets the terminal (stdin, and
     * Ctrl-C goes to it; a task killed by SIGINT stops the run). */
    bool foreground;
    /* Every task is reported to this guard (cr_proc_guard.h), or NULL. */
    const struct cr_proc_guard *guard;
};

struct taskrun_run {
    struct taskrun_result *res; /* one per plan node, owned */
    size_t n;
    int exit_code; /* 0, the first failure's code, or 130/143 */
    bool interrupted;
    unsigned failed; /* tasks that failed (not ignored) */
    uint64_t wall_ms;
};

/*
 * Runs p. Fills run (release with taskrun_run_release). Returns TASKRUN_OK
 * when the run completed (tasks may have failed: see run->exit_code),
 * TASKRUN_E_INTERRUPTED when stopped, or an error for taskrun itself.
 */
enum taskrun_code taskrun_sched_run(const struct taskrun_plan *p,
                                    const struct taskrun_sched_opts *o,
                                    struct taskrun_run *run,
                                    struct cr_error *err);

void taskrun_run_release(struct taskrun_run *run);

/* A short word for a state: "ok", "failed", "ignored", "skipped"... */
const char *taskrun_state_name(enum taskrun_state s);

#endif
