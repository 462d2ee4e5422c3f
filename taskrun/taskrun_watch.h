/*
 * taskrun_watch: cargo-make's `watch` key.
 *
 * A task with `watch = true` (or `watch = { watch = [...], ignore_pattern,
 * no_git_ignore, postpone }`) runs its command, then runs it again after
 * each save under the watched paths, until interrupted. taskrun builds the
 * task's argv as usual and wraps it in `taskrun --watch-loop OPTIONS --
 * ARGV...` (taskrun_watch_wrap), a child that loops with the watch library
 * (taskrun_watch_main, the command layer of that mode). Files matching an
 * ignore_pattern, the task directory's .gitignore (unless no_git_ignore)
 * or under .git are ignored; saves made while the command runs fold into
 * one run after it.
 */
#ifndef TASKRUN_WATCH_H
#define TASKRUN_WATCH_H

#include "taskrun.h"
#include "taskrun_jobs.h"
#include "taskrun_model.h"

#include <stdbool.h>

/* Wraps x->argv (built for t, non-empty) in the watch loop of self_exe.
 * An empty argv is left alone: nothing to run again. */
enum taskrun_code taskrun_watch_wrap(const struct taskrun_task *t,
                                     const char *self_exe,
                                     struct taskrun_exec *x,
                                     struct cr_error *err);

/* True when argv asks for the watch loop (`taskrun --watch-loop`). */
bool taskrun_watch_main_wanted(int argc, char **argv);

/* Runs the loop until SIGINT/SIGTERM/SIGHUP (exit 130), printing one line
 * per rerun on stderr; returns the process exit status. */
int taskrun_watch_main(int argc, char **argv);

#endif
