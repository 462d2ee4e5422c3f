/*
 * cr_proc_guard: a helper process that SIGKILLs the process groups of the
 * caller's still-running children when the caller dies without cleaning
 * up, even by SIGKILL, which PR_SET_PDEATHSIG alone cannot do for
 * grandchildren. Part of the cr_proc API: include cr_proc.h.
 *
 * Ownership: struct cr_proc_guard is caller-owned (one per process is
 * enough), set to CR_PROC_GUARD_INIT, started once and stopped once every
 * child is reaped. Children spawned with cr_proc_opts.guard pointing at it
 * are reported to it by cr_proc_spawn and cr_proc_wait; the guard must
 * outlive them.
 */
#ifndef CR_PROC_GUARD_H
#define CR_PROC_GUARD_H

#include <stdint.h>
#include <sys/types.h>

struct cr_proc_guard {
    int fd;    /* write end of the pipe to the guard, -1 when not running */
    pid_t pid; /* the guard process, 0 when not running */
};

#define CR_PROC_GUARD_INIT                                                     \
    {                                                                          \
        -1, 0                                                                  \
    }

/*
 * Starts the guard g (idempotent). Costs one fork. Returns 0 or -errno;
 * without it, only PDEATHSIG protects.
 */
int cr_proc_guard_start(struct cr_proc_guard *g);

/* Stops the guard and reaps it; call once every child is reaped. */
void cr_proc_guard_stop(struct cr_proc_guard *g);

/* --- Internal to the cr_proc files ---------------------------------------- */

/* Tells guard g (may be NULL) that group pgid started (msg = +pgid) or was
 * reaped (msg = -pgid). No-op without a running guard. */
void cr_proc__guard_send(const struct cr_proc_guard *g, int32_t msg);

/* In a forked child: every signal back to its default disposition and
 * none blocked. Async-signal-safe. */
void cr_proc__reset_signals(void);

#endif
