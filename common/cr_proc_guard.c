/* cr_proc: the guard process (see cr_proc_guard.h). */
#include "cr_proc_guard.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* In a forked child: every signal back to its default disposition and
 * none blocked. Async-signal-safe. */
void cr_proc__reset_signals(void)
{
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        sigaction(sig, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/*
 * The guard: a helper process that outlives a SIGKILLed parent just long
 * enough to kill the groups the parent still ran. The parent sends it each
 * group as it starts (+pgid) and once it is reaped (-pgid) over a pipe
 * only the parent holds; EOF means the parent is gone, however it died.
 * Writes of 4 bytes to a pipe are atomic, so messages never interleave.
 */
void cr_proc__guard_send(const struct cr_proc_guard *g, int32_t msg)
{
    if (g && g->fd >= 0 && write(g->fd, &msg, sizeof(msg)) < 0) {
        /* The guard is gone: the direct child's PDEATHSIG remains. */
    }
}

static void guard_main(int rfd)
{
    /* Own group: the terminal's Ctrl-C is the parent's to handle. */
    setpgid(0, 0);
    /* Hold nothing of the parent's: a pipe end kept open here would hide
     * EOF from whoever reads it until the guard exits. */
    if (rfd != 3) {
        dup2(rfd, 3);
        rfd = 3;
    }
    close_range(4, ~0U, 0);
    int null = open("/dev/null", O_RDWR);
    for (int fd = 0; null >= 0 && fd <= 2; fd++)
        dup2(null, fd);
    if (null > 3)
        close(null);
    pid_t groups[4096];
    size_t n = 0;
    int32_t msg;
    ssize_t r;
    while ((r = read(rfd, &msg, sizeof(msg))) != 0) {
        if (r < 0 && errno == EINTR)
            continue;
        if (r != (ssize_t)sizeof(msg))
            break;
        if (msg > 0 && n < sizeof(groups) / sizeof(groups[0]))
            groups[n++] = msg;
        for (size_t i = 0; msg < 0 && i < n; i++)
            if (groups[i] == -msg) {
                groups[i] = groups[--n];
                break;
            }
    }
    for (size_t i = 0; i < n; i++)
        killpg(groups[i], SIGKILL);
    _exit(0);
}

int cr_proc_guard_start(struct cr_proc_guard *g)
{
    if (g->fd >= 0)
        return 0;
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -errno;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[1]);
        /* Default dispositions, nothing blocked: a plain SIGKILL-able
         * helper that no handler of the parent runs in. */
        cr_proc__reset_signals();
        guard_main(fds[0]);
    }
    int e = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(fds[0]);
    if (pid < 0) {
        close(fds[1]);
        return -e;
    }
    g->fd = fds[1];
    g->pid = pid;
    return 0;
}

void cr_proc_guard_stop(struct cr_proc_guard *g)
{
    if (g->fd < 0)
        return;
    close(g->fd);
    g->fd = -1;
    while (waitpid(g->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    g->pid = 0;
}
