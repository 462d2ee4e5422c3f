/* slo: starting a measured command with posix_spawn. See slo_spawn.h. */
#include "slo_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <unistd.h>

#include "cr_clock.h"

extern char **environ;

/* Every catchable signal back to its default, none blocked: whatever slo
 * installed (its SIGINT handler) must not leak into the command. */
static int set_attrs(posix_spawnattr_t *a)
{
    sigset_t all, none;

    sigfillset(&all);
    sigdelset(&all, SIGKILL);
    sigdelset(&all, SIGSTOP);
    sigemptyset(&none);
    return posix_spawnattr_setflags(a, POSIX_SPAWN_SETPGROUP |
                                           POSIX_SPAWN_SETSIGDEF |
                                           POSIX_SPAWN_SETSIGMASK) ||
           posix_spawnattr_setpgroup(a, 0) ||
           posix_spawnattr_setsigdefault(a, &all) ||
           posix_spawnattr_setsigmask(a, &none);
}

static int set_files(posix_spawn_file_actions_t *f, const char *cwd,
                     const int out[2])
{
    int rc = posix_spawn_file_actions_addopen(f, 0, "/dev/null", O_RDONLY, 0);

    if (!rc && out[1] >= 0)
        rc = posix_spawn_file_actions_adddup2(f, out[1], 1);
    else if (!rc)
        rc = posix_spawn_file_actions_addopen(f, 1, "/dev/null", O_WRONLY, 0);
    if (!rc)
        rc = posix_spawn_file_actions_addopen(f, 2, "/dev/null", O_WRONLY, 0);
    if (!rc && cwd)
        rc = posix_spawn_file_actions_addchdir_np(f, cwd);
    return rc;
}

int slo_spawn(struct cr_proc *p, const char *cwd, char *const *argv,
              bool pipe_out)
{
    int out[2] = { -1, -1 }, rc;
    posix_spawnattr_t a;
    posix_spawn_file_actions_t f;

    memset(p, 0, sizeof(*p));
    p->in_fd = p->out_fd = p->err_fd = -1;
    if (pipe_out && pipe2(out, O_CLOEXEC) != 0)
        return -errno;
    if ((rc = posix_spawnattr_init(&a)) != 0)
        goto out;
    if ((rc = posix_spawn_file_actions_init(&f)) != 0) {
        posix_spawnattr_destroy(&a);
        goto out;
    }
    rc = set_attrs(&a);
    if (!rc)
        rc = set_files(&f, cwd, out);
    if (!rc) {
        p->start_ns = cr_clock_ns();
        rc = posix_spawnp(&p->pid, argv[0], &f, &a, argv, environ);
    }
    posix_spawn_file_actions_destroy(&f);
    posix_spawnattr_destroy(&a);
out:
    if (out[1] >= 0)
        close(out[1]);
    if (rc) {
        if (out[0] >= 0)
            close(out[0]);
        p->pid = 0;
        return -rc;
    }
    p->out_fd = out[0];
    if (p->out_fd >= 0)
        fcntl(p->out_fd, F_SETFL, fcntl(p->out_fd, F_GETFL) | O_NONBLOCK);
    return 0;
}
