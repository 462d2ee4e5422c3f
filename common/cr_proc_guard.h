/*
 * cr_proc_guard: one helper process per caller that SIGKILLs the process
 * groups of the caller's still-running children when the caller dies
 * without cleaning up, even by SIGKILL. Part of the cr_proc API: include
 * cr_proc.h. The guard's state (its pid and pipe) is process-wide, since
 * there is one guard per process; it is touched only by the functions
 * below and by cr_proc_spawn/cr_proc_wait through cr_proc__guard_send.
 */
#ifndef CR_PROC_GUARD_H
#define CR_PROC_GUARD_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Starts the guard (one per process; idempotent): a helper process that
 * SIGKILLs every still-running child's group if the caller dies without
 * cleaning up, even by SIGKILL, which PR_SET_PDEATHSIG alone cannot do for
 * grandchildren. cr_proc_spawn and cr_proc_wait keep it informed. Costs
 * one fork. Returns 0 or -errno; without it, only PDEATHSIG protects.
 */
int cr_proc_guard_start(void);

/* Stops the guard and reaps it; call once every child is reaped. */
void cr_proc_guard_stop(void);

/* The guard's pid (for cr_proc_kill_orphans' skip list), or 0. */
pid_t cr_proc_guard_pid(void);

/* --- Internal to the cr_proc files ---------------------------------------- */

/* Tells the guard that group pgid started (msg = +pgid) or was reaped
 * (msg = -pgid). No-op without a guard. */
void cr_proc__guard_send(int32_t msg);

/* In a forked child: every signal back to its default disposition and
 * none blocked. Async-signal-safe. */
void cr_proc__reset_signals(void);

#endif
