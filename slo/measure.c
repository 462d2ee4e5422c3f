/* slo: runs an objective's command and measures each run. See slo.h. */
#include "slo.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cr_clock.h"

extern char **environ;

/* A run that takes longer than this is killed and the objective errors. */
#define SLO_RUN_TIMEOUT_MS (15u * 60u * 1000u)

/*
 * Waits for pid, killing its process group when *stop is set or the
 * timeout passes. A pidfd lets poll() wake on exit without a busy loop, so
 * the measured wall time is not rounded to a polling interval.
 */
static int wait_child(pid_t pid, const volatile int *stop, int *status,
                      struct rusage *ru)
{
    uint64_t deadline = cr_clock_ms() + SLO_RUN_TIMEOUT_MS;
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0), killed = 0;

    for (;;) {
        pid_t r = wait4(pid, status, pfd >= 0 ? WNOHANG : 0, ru);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            if (pfd >= 0)
                close(pfd);
            return -1;
        }
        if (!killed && ((stop && *stop) || cr_clock_ms() > deadline)) {
            kill(-pid, SIGKILL);
            killed = 1;
        }
        if (pfd >= 0) {
            struct pollfd p = { .fd = pfd, .events = POLLIN };
            poll(&p, 1, 100);
        }
    }
    if (pfd >= 0)
        close(pfd);
    return killed ? 1 : 0;
}

/*
 * Runs argv once in cwd, output discarded (printing to a terminal would be
 * measured too), in its own process group.
 * Returns 0 and fills *s, or -1 when it could not be started (errno).
 */
static int run_once(const char *cwd, char *const *argv,
                    const volatile int *stop, struct slo_sample *s)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    struct rusage ru;
    uint64_t t0, t1;
    int status = 0, rc, waited;
    pid_t pid;

    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawn_file_actions_addchdir_np(&fa, cwd);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    t0 = cr_clock_ns();
    rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc) {
        errno = rc;
        return -1;
    }
    waited = wait_child(pid, stop, &status, &ru);
    t1 = cr_clock_ns();
    if (waited < 0)
        return -1;
    s->wall_ms = (double)(t1 - t0) / 1e6;
    s->user_ms =
        (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3;
    s->sys_ms =
        (double)ru.ru_stime.tv_sec * 1e3 + (double)ru.ru_stime.tv_usec / 1e3;
    s->rss_mb = (double)ru.ru_maxrss / 1024.0; /* Linux reports KiB */
    if (WIFSIGNALED(status))
        s->exit_code = 128 + WTERMSIG(status);
    else
        s->exit_code = WEXITSTATUS(status);
    if (waited == 1 && s->exit_code == 0)
        s->exit_code = 128 + SIGKILL;
    return 0;
}

static void set_error(struct slo_result *res, const char *what,
                      const struct slo_sample *s, int err)
{
    res->verdict = SLO_ERROR;
    if (!s)
        snprintf(res->note, sizeof(res->note), "%s: cannot run: %s", what,
                 strerror(err));
    else if (s->exit_code > 128)
        snprintf(res->note, sizeof(res->note), "%s: killed by signal %d", what,
                 s->exit_code - 128);
    else
        snprintf(res->note, sizeof(res->note), "%s: exited with status %d",
                 what, s->exit_code);
}

enum slo_code slo_measure(const struct slo_config *cfg,
                          const struct slo_objective *o, slo_progress_fn fn,
                          void *arg, const volatile int *stop,
                          struct slo_result *res, struct slo_error *err)
{
    struct slo_sample s;

    memset(res, 0, sizeof(*res));
    res->obj = o;
    res->samples = calloc((size_t)o->runs, sizeof(*res->samples));
    if (!res->samples)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    if (o->setup) {
        if (fn)
            fn(arg, o, -1 - o->warmup, o->runs);
        if (run_once(cfg->dir, o->setup, stop, &s)) {
            set_error(res, "setup", NULL, errno);
            return SLO_OK;
        }
        if (s.exit_code) {
            set_error(res, "setup", &s, 0);
            return SLO_OK;
        }
    }
    for (int i = -o->warmup; i < o->runs; i++) {
        if (stop && *stop)
            break;
        if (fn)
            fn(arg, o, i, o->runs);
        if (run_once(cfg->dir, o->argv, stop, &s)) {
            set_error(res, o->argv[0], NULL, errno);
            return SLO_OK;
        }
        if (s.exit_code) {
            set_error(res, o->argv[0], &s, 0);
            return SLO_OK;
        }
        if (i >= 0)
            res->samples[res->n++] = s;
    }
    slo_judge(res);
    return SLO_OK;
}
