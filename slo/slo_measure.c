/* slo: runs an objective's command and measures each run. See
 * slo_measure.h. */
#include "slo_measure.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_clock.h"
#include "cr_proc.h"
#include "slo_heap.h"
#include "slo_judge.h"

/* A run that takes longer than this is killed and the objective errors. */
#define SLO_RUN_TIMEOUT_MS (15u * 60u * 1000u)

static int pidfd_open_sys(pid_t pid)
{
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* True once the run must end: Ctrl-C (stop) or the deadline. */
static bool must_stop(const atomic_int *stop, uint64_t deadline)
{
    return (stop && atomic_load(stop)) || cr_clock_ms() > deadline;
}

/*
 * Fallback when no exit descriptor can be had (an old kernel, seccomp,
 * EMFILE): polls for the exit with a short sleep, so the timeout and the
 * stop flag keep working. The sleep starts at 50 us and doubles up to 1 ms:
 * a short command's wall time is then late by well under a millisecond, a
 * long one's by at most 1 ms. Returns what slo__wait_child returns.
 */
static int wait_polling(struct cr_proc *p, const atomic_int *stop,
                        uint64_t deadline)
{
    long nap_ns = 50000;
    int rc;

    while ((rc = cr_proc_wait(p, false)) == 0) {
        if (must_stop(stop, deadline)) {
            cr_proc_signal(p, SIGKILL);
            rc = cr_proc_wait(p, true);
            return rc < 0 ? rc : 1;
        }
        struct timespec ts = { 0, nap_ns };
        nanosleep(&ts, NULL);
        if (nap_ns < 1000000)
            nap_ns *= 2;
    }
    return rc < 0 ? rc : 0;
}

/*
 * A pidfd lets poll() wake on exit without a busy loop, so the measured
 * wall time is not rounded to a polling interval.
 */
int slo__wait_child(struct cr_proc *p, const atomic_int *stop,
                    uint64_t timeout_ms, slo__exit_fd_fn *open_exit_fd)
{
    uint64_t deadline = cr_clock_ms() + timeout_ms;
    int pfd = (open_exit_fd ? open_exit_fd : pidfd_open_sys)(p->pid);
    int killed = 0, rc;

    if (pfd < 0)
        return wait_polling(p, stop, deadline);
    for (;;) {
        struct pollfd pl = { .fd = pfd, .events = POLLIN };
        int n = poll(&pl, 1, 100);
        if (n > 0)
            break;
        if (n < 0 && errno != EINTR) {
            /* poll itself fails (ENOMEM): polling again would spin, so
             * wait the way that needs no descriptor. */
            close(pfd);
            rc = wait_polling(p, stop, deadline);
            return rc < 0 ? rc : (killed || rc);
        }
        if (!killed && must_stop(stop, deadline)) {
            cr_proc_signal(p, SIGKILL);
            killed = 1;
        }
    }
    close(pfd);
    rc = cr_proc_wait(p, true);
    return rc < 0 ? rc : killed;
}

/*
 * Runs argv once in cwd, output discarded (printing to a terminal would be
 * measured too), in its own process group. Returns 0 and fills *s, or a
 * negative errno when it could not be started.
 */
static int run_once(const char *cwd, char *const *argv, const atomic_int *stop,
                    struct slo_sample *s)
{
    struct cr_proc_opts o = { .argv = (const char *const *)argv,
                              .cwd = cwd,
                              .in = CR_PROC_NULL,
                              .out = CR_PROC_NULL,
                              .err = CR_PROC_NULL };
    struct cr_proc p;
    int rc = cr_proc_spawn(&p, &o), killed;

    if (rc)
        return rc;
    killed = slo__wait_child(&p, stop, SLO_RUN_TIMEOUT_MS, NULL);
    cr_proc_release(&p);
    if (killed < 0)
        return killed;
    s->wall_ms = (double)p.usage.wall_us / 1e3;
    s->user_ms = (double)p.usage.user_us / 1e3;
    s->sys_ms = (double)p.usage.sys_us / 1e3;
    s->rss_mb = (double)p.usage.max_rss_kb / 1024.0;
    s->exit_code = cr_proc_exit_code(&p);
    if (killed && s->exit_code == 0)
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

/*
 * One timed run of a heap objective: under heaptrack. A failure of any kind
 * (heaptrack missing, the command failing) is the objective's ERROR, with
 * the heap library's one-line message as the note.
 */
static bool heap_run_failed(const struct slo_config *cfg,
                            const struct slo_objective *o,
                            const atomic_int *stop, struct slo_result *res,
                            struct slo_sample *s)
{
    struct cr_error he = { 0 };

    if (slo_heap_run_once(cfg->dir, o->argv, stop, s, &he) == SLO_OK)
        return false;
    res->verdict = SLO_ERROR;
    snprintf(res->note, sizeof(res->note), "%s", he.msg);
    return true;
}

enum slo_code slo_measure(const struct slo_config *cfg,
                          const struct slo_objective *o, slo_progress_fn fn,
                          void *arg, const atomic_int *stop,
                          struct slo_result *res, struct cr_error *err)
{
    struct slo_sample s;
    int rc;

    memset(res, 0, sizeof(*res));
    res->obj = o;
    res->samples = cr_calloc((size_t)o->runs, sizeof(*res->samples));
    if (!res->samples)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    if (o->setup) {
        if (fn)
            fn(arg, o, -1 - o->warmup, o->runs);
        if ((rc = run_once(cfg->dir, o->setup, stop, &s))) {
            set_error(res, "setup", NULL, -rc);
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
        if (slo_metric_is_heap(o->metric)) {
            if (heap_run_failed(cfg, o, stop, res, &s))
                return SLO_OK;
            if (i >= 0)
                res->samples[res->n++] = s;
            continue;
        }
        if ((rc = run_once(cfg->dir, o->argv, stop, &s))) {
            set_error(res, o->argv[0], NULL, -rc);
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

void slo_result_release(struct slo_result *res)
{
    cr_free(res->samples);
    res->samples = NULL;
    res->n = 0;
}
