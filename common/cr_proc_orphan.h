/*
 * cr_proc_orphan: making sure no descendant outlives the caller, even one
 * that left its process group. Part of the cr_proc API: include cr_proc.h.
 * Nothing here allocates.
 */
#ifndef CR_PROC_ORPHAN_H
#define CR_PROC_ORPHAN_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Makes the caller a child subreaper (Linux): descendants orphaned by their
 * parent, including ones that escaped their process group with setsid(),
 * are reparented to the caller instead of init, so cr_proc_kill_orphans
 * can find them. Returns 0 or -errno.
 */
int cr_proc_become_subreaper(void);

/*
 * SIGKILLs every child of the caller that no struct cr_proc tracks
 * (skip[] lists the tracked pids, n of them), then reaps all of them.
 * With cr_proc_become_subreaper this guarantees that no descendant
 * outlives the caller. Returns how many were killed.
 */
int cr_proc_kill_orphans(const pid_t *skip, size_t n);

#endif
