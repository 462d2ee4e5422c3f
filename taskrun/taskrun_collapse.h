/*
 * taskrun_collapse: folds `perf script` output into collapsed stacks, for
 * the profile job kind (run as `taskrun --collapse IN OUT` by its script).
 */
#ifndef TASKRUN_COLLAPSE_H
#define TASKRUN_COLLAPSE_H

/*
 * Reads in_path and writes out_path: one "comm;outer;...;leaf COUNT" line
 * per distinct stack, sorted. Returns 0 or -1 with errno.
 */
int taskrun_collapse(const char *in_path, const char *out_path);

#endif
