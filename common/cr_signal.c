/* cr_signal: the process's signal flags. See cr_signal.h. */
#include "cr_signal.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* Signal state: the handler may only touch these. */
static atomic_int stop_flag;
static atomic_int stop_count;
static atomic_int wake_fd = -1;
static cr_signal_fn then_fn;

static void on_signal(int signo)
{
    int saved = errno, fd = atomic_load(&wake_fd), count = 0;

    if (signo != SIGCHLD) {
        atomic_store(&stop_flag, signo);
        count = atomic_fetch_add(&stop_count, 1) + 1;
    }
    /* A full pipe means a wake-up is already pending. */
    if (fd >= 0 && write(fd, "x", 1) < 0)
        errno = saved;
    if (then_fn && count)
        then_fn(signo, count);
    errno = saved;
}

int cr_signal_install(const struct cr_signal_opts *o)
{
    struct sigaction sa;
    size_t i;

    atomic_store(&stop_flag, 0);
    atomic_store(&stop_count, 0);
    atomic_store(&wake_fd, o->wake_fd);
    then_fn = o->then;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sa.sa_flags = o->flags;
    /* One handler at a time per thread keeps the count exact. */
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < o->n; i++)
        sigaddset(&sa.sa_mask, o->signals[i]);
    for (i = 0; i < o->n; i++)
        if (sigaction(o->signals[i], &sa, NULL) != 0)
            return -errno;
    return 0;
}

atomic_int *cr_signal_flag(void)
{
    return &stop_flag;
}

int cr_signal_count(void)
{
    return atomic_load(&stop_count);
}
