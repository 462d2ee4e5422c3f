/* slo: runs an objective's command and measures each run. See
 * slo_measure.h. */
#include "slo_measure.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_clock.h"
#include "cr_proc.h"
#include "slo_heap.h"
#include "slo_judge.h"
#include "slo_probe.h"
#include "slo_tap.h"

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

/* Appends what is ready on fd to out; closes fd (sets it -1) at EOF. */
static void drain(int *fd, struct cr_buf *out)
{
    char chunk[4096];
    ssize_t n;

    while ((n = read(*fd, chunk, sizeof(chunk))) > 0)
        if (cr_buf_append(out, chunk, (size_t)n))
            break; /* out of memory: the check then sees a short output */
    if (n == 0) {
        close(*fd);
        *fd = -1;
    }
}

/*
 * A pidfd lets poll() wake on exit without a busy loop, so the measured
 * wall time is not rounded to a polling interval. With out, the child's
 * stdout pipe is read while it runs, so a long output never blocks it.
 */
static int wait_child_out(struct cr_proc *p, const atomic_int *stop,
                          uint64_t timeout_ms, slo__exit_fd_fn *open_exit_fd,
                          struct cr_buf *out)
{
    uint64_t deadline = cr_clock_ms() + timeout_ms;
    int pfd = (open_exit_fd ? open_exit_fd : pidfd_open_sys)(p->pid);
    int killed = 0, rc;

    if (pfd < 0)
        return wait_polling(p, stop, deadline);
    for (;;) {
        struct pollfd pl[2] = { { .fd = pfd, .events = POLLIN },
                                { .fd = out ? p->out_fd : -1,
                                  .events = POLLIN } };
        int n = poll(pl, 2, 100);
        if (n > 0 && pl[1].revents)
            drain(&p->out_fd, out);
        if (n > 0 && pl[0].revents)
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
    if (out && p->out_fd >= 0) {
        /* What the child wrote last, after its exit woke the poll. */
        fcntl(p->out_fd, F_SETFL, 0);
        drain(&p->out_fd, out);
    }
    return rc < 0 ? rc : killed;
}

int slo__wait_child(struct cr_proc *p, const atomic_int *stop,
                    uint64_t timeout_ms, slo__exit_fd_fn *open_exit_fd)
{
    return wait_child_out(p, stop, timeout_ms, open_exit_fd, NULL);
}

/*
 * Runs argv once in cwd, output discarded (printing to a terminal would be
 * measured too), in its own process group. Returns 0 and fills *s, or a
 * negative errno when it could not be started.
 */
static int run_once(const char *cwd, char *const *argv, const atomic_int *stop,
                    uint64_t timeout_ms, struct cr_buf *out,
                    struct slo_sample *s)
{
    const struct cr_proc_opts o = {
        .argv = (const char *const *)argv,
        .cwd = cwd,
        .in = CR_PROC_NULL,
        .out = out ? CR_PROC_PIPE : CR_PROC_NULL,
        .err = CR_PROC_NULL,
    };
    struct cr_proc p;
    int rc = cr_proc_spawn(&p, &o), killed;

    if (rc)
        return rc;
    killed = wait_child_out(&p, stop, timeout_ms, NULL, out);
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

/* The objective's time limit for one run, in ms. */
static uint64_t timeout_ms(const struct slo_objective *o)
{
    return (uint64_t)(o->timeout_s * 1e3);
}

/*
 * Runs an untimed helper (setup, prepare, cleanup); false, with the
 * objective marked ERROR, when it cannot run or fails.
 */
static bool helper_ok(const struct slo_config *cfg,
                      const struct slo_objective *o, char *const *argv,
                      const char *what, const atomic_int *stop,
                      struct slo_result *res)
{
    struct slo_sample s = { 0 };
    int rc = run_once(cfg->dir, argv, stop, timeout_ms(o), NULL, &s);

    if (rc)
        set_error(res, what, NULL, -rc);
    else if (s.exit_code)
        set_error(res, what, &s, 0);
    return rc == 0 && s.exit_code == 0;
}

/*
 * One timed run of a command objective. A run that outlives the
 * objective's timeout is killed and recorded as failed; a TAP objective
 * whose output shows a failed or empty suite is an ERROR, never a fast
 * PASS. Returns false (res marked ERROR) when the run failed.
 */
static bool command_run(const struct slo_config *cfg,
                        const struct slo_objective *o, const atomic_int *stop,
                        struct slo_result *res, struct slo_sample *s)
{
    struct cr_buf out = { 0 };
    char why[160];
    uint64_t t0 = cr_clock_ms();
    int rc = run_once(cfg->dir, o->argv, stop, timeout_ms(o),
                      o->tap ? &out : NULL, s);
    bool ok = false;

    if (rc)
        set_error(res, o->argv[0], NULL, -rc);
    else if (s->exit_code && cr_clock_ms() - t0 >= timeout_ms(o)) {
        res->verdict = SLO_ERROR;
        snprintf(res->note, sizeof(res->note), "%s: timed out after %g s",
                 o->argv[0], o->timeout_s);
    } else if (s->exit_code)
        set_error(res, o->argv[0], s, 0);
    else if (o->tap &&
             slo_tap_check(cr_buf_str(&out), out.len, why, sizeof(why)) != 0) {
        res->verdict = SLO_ERROR;
        snprintf(res->note, sizeof(res->note), "%s: %s", o->argv[0], why);
    } else
        ok = true;
    cr_buf_release(&out);
    return ok;
}

/*
 * One timed run of a heap objective: under heaptrack. A failure of any kind
 * (heaptrack missing, the command failing) is the objective's ERROR, with
 * the heap library's one-line message as the note.
 */
static bool heaptrack_run(const struct slo_config *cfg,
                          const struct slo_objective *o, const atomic_int *stop,
                          struct slo_result *res, struct slo_sample *s)
{
    struct cr_error he = { 0 };

    if (slo_heap_run_once(cfg->dir, o->argv, stop, s, &he) == SLO_OK)
        return true;
    res->verdict = SLO_ERROR;
    snprintf(res->note, sizeof(res->note), "%s", he.msg);
    return false;
}

static bool probe_run(struct slo_probe *pr, const struct slo_objective *o,
                      struct slo_result *res, struct slo_sample *s)
{
    struct cr_error pe = { 0 };

    if (slo_probe_container(pr, o, timeout_ms(o), s, &pe) == SLO_OK)
        return true;
    res->verdict = SLO_ERROR;
    snprintf(res->note, sizeof(res->note), "%s", pe.msg);
    return false;
}

/* prepare, the timed run, cleanup (even after a failed run). */
static bool one_run(const struct slo_config *cfg, const struct slo_objective *o,
                    struct slo_probe *pr, const atomic_int *stop,
                    struct slo_result *res, struct slo_sample *s)
{
    bool ok;

    memset(s, 0, sizeof(*s));
    if (o->prepare && !helper_ok(cfg, o, o->prepare, "prepare", stop, res))
        return false;
    if (pr)
        ok = probe_run(pr, o, res, s);
    else if (slo_metric_is_heap(o->metric))
        ok = heaptrack_run(cfg, o, stop, res, s);
    else
        ok = command_run(cfg, o, stop, res, s);
    if (o->cleanup && ok)
        ok = helper_ok(cfg, o, o->cleanup, "cleanup", stop, res);
    else if (o->cleanup) {
        struct slo_result ignored = { 0 };
        helper_ok(cfg, o, o->cleanup, "cleanup", stop, &ignored);
    }
    return ok;
}

enum slo_code slo_measure(const struct slo_config *cfg,
                          const struct slo_objective *o, slo_progress_fn fn,
                          void *arg, const atomic_int *stop,
                          struct slo_result *res, struct cr_error *err)
{
    struct slo_probe *pr = NULL;
    struct cr_error pe = { 0 };
    struct slo_sample s;

    memset(res, 0, sizeof(*res));
    res->obj = o;
    res->samples = cr_calloc((size_t)o->runs, sizeof(*res->samples));
    if (!res->samples)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    if (o->setup) {
        if (fn)
            fn(arg, o, -1 - o->warmup, o->runs);
        if (!helper_ok(cfg, o, o->setup, "setup", stop, res))
            return SLO_OK;
    }
    if (o->probe == SLO_PROBE_CONTAINER &&
        slo_probe_open(&pr, stop, &pe) != SLO_OK) {
        if (pe.code == SLO_E_NOMEM)
            return slo_error_set(err, SLO_E_NOMEM, "out of memory");
        res->verdict = SLO_ERROR;
        snprintf(res->note, sizeof(res->note), "%s", pe.msg);
        return SLO_OK;
    }
    for (int i = -o->warmup; i < o->runs; i++) {
        if (stop && *stop)
            break;
        if (fn)
            fn(arg, o, i, o->runs);
        if (!one_run(cfg, o, pr, stop, res, &s))
            break;
        if (i >= 0)
            res->samples[res->n++] = s;
    }
    slo_probe_close(pr);
    slo_judge(res);
    return SLO_OK;
}

void slo_result_release(struct slo_result *res)
{
    cr_free(res->samples);
    res->samples = NULL;
    res->n = 0;
}
