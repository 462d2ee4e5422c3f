/*
 * taskrun_collapse: folds `perf script` output into collapsed stacks, for
 * the profile job kind (run as `taskrun --collapse IN OUT` by its script).
 */
#ifndef TASKRUN_COLLAPSE_H
#define TASKRUN_COLLAPSE_H

/*
 * Reads in_path and writes out_path: one "comm;outer;...;leaf COUNT" line
 * per distinct stack, sorted, written atomically. Returns 0 or -errno
 * (-ENOMEM when out of memory). Allocates nothing that outlives the call.
 */
int taskrun_collapse(const char *in_path, const char *out_path);

#endif
