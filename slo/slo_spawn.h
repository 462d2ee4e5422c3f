/*
 * slo_spawn: starts a measured command with posix_spawn(3), for the least
 * measuring overhead: glibc's posix_spawn shares the parent's memory until
 * exec (clone with CLONE_VM | CLONE_VFORK), so no page tables are copied and
 * no copy-on-write faults are taken, where fork(2) (cr_proc_spawn) does
 * both. The child gets its own process group, default signal dispositions,
 * an empty signal mask, stdin and stderr on /dev/null, stdout on /dev/null
 * or a pipe, and cwd as its directory.
 *
 * What it gives up against cr_proc_spawn: PR_SET_PDEATHSIG. If slo itself
 * is SIGKILLed a command still running is not killed by the kernel;
 * Ctrl-C, SIGTERM and the run timeout still stop its whole group.
 *
 * The struct cr_proc it fills is cr_proc.h's, so cr_proc_wait (wall time
 * from just before the spawn to the reap, user/sys time and peak RSS from
 * wait4), cr_proc_signal and cr_proc_release work on it unchanged.
 */
#ifndef SLO_SPAWN_H
#define SLO_SPAWN_H

#include <stdbool.h>

#include "cr_proc.h"

/*
 * Starts argv (argv[0] looked up in PATH when it has no '/') in cwd. With
 * pipe_out, p->out_fd is the read end of the child's stdout (non-blocking,
 * close-on-exec). Returns 0, or a negative errno (-ENOENT: not found) with
 * nothing left running or open.
 */
int slo_spawn(struct cr_proc *p, const char *cwd, char *const *argv,
              bool pipe_out);

#endif
