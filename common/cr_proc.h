/*
 * cr_proc: spawn child processes, each in its own process group, and reap
 * them with their resource usage.
 *
 * Every child becomes the leader of a NEW process group (pgid == pid), so
 * one signal to the group reaches the child and everything it started
 * (shell pipelines, grandchildren), and the child does not receive the
 * terminal's Ctrl-C directly: the parent decides how to stop it.
 *
 * A struct cr_proc is caller-allocated and filled by cr_proc_spawn. The
 * parent never changes its own directory or environment: cwd and env are
 * applied inside the child only, so spawning from several tasks at once is
 * safe. Pipes (when asked for) are non-blocking and close-on-exec in the
 * parent; read out_fd/err_fd and write in_fd with read(2)/write(2) and
 * poll(2), and close them with cr_proc_release (close in_fd earlier, and
 * set it to -1, to give the child end-of-file on stdin). A write to in_fd
 * after the child closed its stdin raises SIGPIPE: block or ignore it.
 * Functions return 0 or a negative errno value; they never print.
 *
 * Each child also gets PR_SET_PDEATHSIG(SIGKILL): if the parent dies
 * without a chance to clean up (SIGKILL, a crash), the kernel kills the
 * child. Limits: only the direct child is covered (a grandchild in the
 * group survives unless the child's death takes it down), and Linux fires
 * it when the THREAD that spawned exits, so spawn from a thread that lives
 * as long as the child.
 *
 * Children start with vfork+exec: no copy of the parent's page tables, so
 * the cost of a spawn does not grow with the caller's size and stays out of
 * what slo measures (cr_proc.c says why this is safe).
 *
 * Typical use: fill a struct cr_proc_opts, cr_proc_spawn, poll out_fd /
 * err_fd, cr_proc_wait(p, false) until it returns 1, read p.usage and
 * cr_proc_exit_code, cr_proc_release. cr_proc_run does all of that for a
 * short command. To stop a child and everything it started,
 * cr_proc_terminate(p, grace_ms).
 *
 * This is the one header to include: it brings in cr_proc_guard.h (the
 * guard process that kills children's groups when the caller dies) and
 * cr_proc_orphan.h (subreaping and killing untracked children).
 */
#ifndef CR_PROC_H
#define CR_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cr_proc_guard.h"
#include "cr_proc_orphan.h"

/* What a child's stdin/stdout/stderr is connected to. */
enum cr_proc_stdio {
    CR_PROC_INHERIT = 0, /* the parent's own descriptor */
    CR_PROC_PIPE,      /* a pipe; the parent's end is in in_fd/out_fd/err_fd */
    CR_PROC_NULL,      /* /dev/null */
    CR_PROC_TO_STDOUT, /* stderr only: same place as stdout */
};

struct cr_proc_opts {
    /* argv[0] is looked up in PATH when it has no '/'. NULL-terminated. */
    const char *const *argv;
    /* NULL-terminated "K=V" strings, or NULL to inherit the parent's. */
    const char *const *envp;
    const char *cwd; /* NULL: the parent's directory */
    /* in: CR_PROC_INHERIT, CR_PROC_NULL or CR_PROC_PIPE. */
    enum cr_proc_stdio in, out, err;
    /*
     * Make the child's group the foreground process group of the terminal
     * on stdin, so an interactive child can read it and gets Ctrl-C
     * itself. Only for one child at a time; call cr_proc_foreground_restore
     * once it has exited.
     */
    bool foreground;
    /* The guard to report the child to (see cr_proc_guard.h), or NULL. */
    const struct cr_proc_guard *guard;
};

/*
 * Resource usage of a reaped child (from wait4), with its wall time from
 * just before the fork to the reap. Microseconds, so that short commands
 * (CLI startup is well under a millisecond) can be measured.
 */
struct cr_proc_usage {
    uint64_t wall_us;
    uint64_t user_us;
    uint64_t sys_us;
    long max_rss_kb; /* peak resident set size of the child, in KiB */
};

struct cr_proc {
    pid_t pid;   /* also the process group id; 0 when not running */
    int in_fd;   /* parent's write end of the stdin pipe, or -1 */
    int out_fd;  /* parent's read end, or -1 */
    int err_fd;  /* parent's read end, or -1 */
    bool reaped; /* wait4 has collected the exit status */
    int status;  /* raw wait status, valid once reaped */
    uint64_t start_ns;
    struct cr_proc_usage usage;        /* valid once reaped */
    const struct cr_proc_guard *guard; /* from the spawn options */
};

/*
 * Starts a child described by o into p (a new process group). Returns 0,
 * or a negative errno: -ENOENT when the program is not found, -EACCES when
 * it cannot be executed, -ENOTDIR/-ENOENT for a bad cwd. On failure nothing
 * is left running and no descriptor is open.
 */
int cr_proc_spawn(struct cr_proc *p, const struct cr_proc_opts *o)
    __attribute__((warn_unused_result));

/*
 * Collects the child's exit without blocking (block=false) or waiting for
 * it (block=true). Returns 1 once reaped (status and usage are then set),
 * 0 while it still runs (non-blocking only), or a negative errno.
 */
int cr_proc_wait(struct cr_proc *p, bool block);

/*
 * True when the child has been stopped (Ctrl-Z, SIGTTIN...) since the last
 * call; consumes that notification. Never reaps. For job control.
 */
bool cr_proc_stopped(const struct cr_proc *p);

/* Sends sig to the child's whole process group. Returns 0 or -errno
 * (-ESRCH when the group is already empty). */
int cr_proc_signal(const struct cr_proc *p, int sig);

/* True when any process of the child's group is still alive. */
bool cr_proc_group_alive(const struct cr_proc *p);

/*
 * Stops the whole group: SIGTERM, then up to grace_ms for the leader to
 * exit and the group to empty, then SIGKILL to whatever is left. Reaps the
 * leader. Returns 0 or a negative errno. Safe when the child already exited
 * (then only leftover group members are signalled).
 */
int cr_proc_terminate(struct cr_proc *p, unsigned grace_ms);

/*
 * The exit code a shell would report: the child's exit status, or 128 plus
 * the signal number when a signal killed it. -1 when not reaped yet.
 */
int cr_proc_exit_code(const struct cr_proc *p);

/*
 * Makes the caller's own process group the terminal's foreground group
 * again after a foreground child. No-op when stdin is not a terminal.
 */
void cr_proc_foreground_restore(void);

/* Closes the parent's pipe ends (in_fd too when still open). Does not
 * signal or wait. NULL allowed. */
void cr_proc_release(struct cr_proc *p);

/*
 * Runs o to completion and returns its exit code (>= 0), capturing stdout
 * into *out (caller frees; may be NULL to discard) when o->out is
 * CR_PROC_PIPE. Returns a negative errno when it could not start, and
 * -EINVAL when o->err is CR_PROC_PIPE (only one stream is read). When o->in
 * is CR_PROC_PIPE the child's stdin is closed at once (it reads EOF).
 */
int cr_proc_run(const struct cr_proc_opts *o, char **out);

#endif
