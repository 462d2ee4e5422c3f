/* taskrun_sched: the parallel scheduler (see taskrun_sched.h). */
#include "taskrun_sched.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_clock.h"
#include "taskrun_cond.h"
#include "taskrun_env_eval.h"
#include "taskrun_jobs.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One running task. */
struct slot {
    long node; /* -1 when free */
    struct cr_proc proc;
    struct taskrun_exec exec;
    struct taskrun_linebuf lb[2];
    struct cr_buf group;
    bool lost; /* some of the task's output could not be shown (said) */
};

struct sched {
    const struct taskrun_plan *p;
    const struct taskrun_sched_opts *o;
    struct taskrun_run *run;
    struct slot *slots;
    unsigned running;
    bool halted; /* a failure without -k: start nothing new */
    uint64_t t0_ns;
    struct cr_error *err;
};

const char *taskrun_state_name(enum taskrun_state s)
{
    static const char *const names[] = { "pending", "running", "ok",
                                         "failed",  "ignored", "skipped",
                                         "not-run" };
    return names[s];
}

/* The signal that asked the run to stop (cr_signal's flag), or 0. */
static int stop_flag(const struct sched *s)
{
    return s->o->stop ? atomic_load(s->o->stop) : 0;
}

static uint64_t since_ms(const struct sched *s)
{
    return (cr_clock_ns() - s->t0_ns) / 1000000u;
}

/* A one-line message on stderr (none in JSON mode: events say it), when
 * the log level lets messages of level lv through. */
static void say(const struct sched *s, enum taskrun_log_level lv,
                const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(const struct sched *s, enum taskrun_log_level lv,
                const char *fmt, ...)
{
    if (s->o->out->json || lv > s->o->out->log)
        return;
    char line[1200];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n > 0)
        taskrun_out_write(s->o->out->fd_err, line,
                          (size_t)n < sizeof(line) ? (size_t)n
                                                   : sizeof(line) - 1);
}

static bool finished_ok(enum taskrun_state st)
{
    return st == TASKRUN_DONE_OK || st == TASKRUN_DONE_IGNORED ||
           st == TASKRUN_SKIPPED;
}

/* 1 ready, 0 waiting, -1 blocked because a dependency failed. A
 * cleanup_task is never blocked: it waits until the rest has finished. */
static int readiness(const struct sched *s, size_t i)
{
    const struct taskrun_node *n = &s->p->nodes[i];
    int r = 1;
    for (size_t d = 0; d < n->n_deps; d++) {
        enum taskrun_state st = s->run->res[n->deps[d]].state;
        if (st == TASKRUN_DONE_FAILED || st == TASKRUN_NOT_RUN) {
            if (n->cleanup)
                continue;
            return -1;
        }
        if (!finished_ok(st))
            r = 0;
    }
    return r;
}

static void finish(struct sched *s, size_t i, enum taskrun_state st, int code,
                   const char *reason)
{
    struct taskrun_result *r = &s->run->res[i];
    const struct taskrun_task *t = taskrun_plan_task(s->p, i);
    r->state = st;
    r->exit_code = code;
    r->end_ms = since_ms(s);
    if (reason)
        snprintf(r->reason, sizeof(r->reason), "%.*s",
                 (int)sizeof(r->reason) - 1, reason);
    if (st == TASKRUN_SKIPPED || st == TASKRUN_NOT_RUN) {
        if (s->o->out->json)
            taskrun_json_skip(s->o->out, t->name, r->reason);
        else if (st == TASKRUN_SKIPPED)
            say(s, TASKRUN_LOG_INFO, "taskrun: skipped \"%s\": %s\n", t->name,
                r->reason);
        return;
    }
    if (s->o->out->json)
        taskrun_json_end(s->o->out, t->name, taskrun_state_name(st), code,
                         &r->usage);
    if (st == TASKRUN_DONE_FAILED) {
        s->run->failed++;
        if (s->run->exit_code == 0)
            s->run->exit_code = code > 0 ? code : 1;
        if (!s->o->keep_going)
            s->halted = true;
        say(s, TASKRUN_LOG_ERROR,
            "taskrun: task \"%s\" failed with exit code %d\n", t->name, code);
    } else if (st == TASKRUN_DONE_IGNORED) {
        say(s, TASKRUN_LOG_INFO,
            "taskrun: task \"%s\" failed (%s); ignore_errors is set\n", t->name,
            reason ? reason : "");
    }
}

/* Why node i must not run its action, or NULL. */
static const char *skip_reason(const struct sched *s, size_t i,
                               const struct taskrun_env *env, const char *cwd,
                               char *why, size_t n)
{
    const struct taskrun_node *node = &s->p->nodes[i];
    const struct taskrun_task *t = taskrun_plan_task(s->p, i);
    if (node->skip_regex)
        return "matches --skip-tasks";
    if (t->disabled)
        return "disabled";
    if (node->gate >= 0 && s->run->res[node->gate].state == TASKRUN_SKIPPED)
        return "the task whose run_task leads here was skipped";
    struct taskrun_cond_ctx ctx = { env, s->o->profile, taskrun_platform(),
                                    s->p->file->dir };
    char tmp[128];
    if (!taskrun_cond_eval(t->cond, &ctx, tmp, sizeof(tmp))) {
        snprintf(why, n, "condition not met (%s)",
                 t->cond->fail_message ? t->cond->fail_message : tmp);
        return why;
    }
    if (!taskrun_cond_script(&t->cond_script, env, cwd))
        return "condition_script exited non-zero";
    return NULL;
}

static char *task_cwd(const struct sched *s, const struct taskrun_task *t,
                      const struct taskrun_env *env)
{
    const char *dir = s->p->file->dir;
    if (!t->cwd)
        return cr_strdup(dir ? dir : ".");
    char *c = taskrun_env_expand(env, t->cwd);
    if (!c || c[0] == '/' || !dir)
        return c;
    struct cr_buf b = { 0 };
    char *r = NULL;
    if (cr_buf_printf(&b, "%s/%s", dir, c) == 0)
        r = cr_buf_detach(&b);
    cr_buf_release(&b);
    cr_free(c);
    return r;
}

static enum taskrun_code task_env(const struct sched *s,
                                  const struct taskrun_task *t,
                                  struct taskrun_env *env)
{
    if (taskrun_env_copy(env, s->o->env) != 0 ||
        taskrun_env_set(env, "CARGO_MAKE_CURRENT_TASK_NAME", t->name) != 0)
        return taskrun_error_set(s->err, TASKRUN_E_NOMEM, "out of memory");
    for (size_t i = 0; i < t->env_files.n; i++) {
        const char *f = t->env_files.v[i], *dir = s->p->file->dir;
        char path[4096];
        snprintf(path, sizeof(path), "%s%s%s", f[0] == '/' || !dir ? "" : dir,
                 f[0] == '/' || !dir ? "" : "/", f);
        /* A task's env file may be absent, like a dotenv file. */
        if (access(path, F_OK) != 0)
            continue;
        enum taskrun_code rc = taskrun_env_load_file(env, path, false, s->err);
        if (rc)
            return rc;
    }
    return taskrun_env_apply(env, t->env, t->n_env, s->o->profile,
                             s->p->file->dir, s->err);
}

static int spawn(struct sched *s, struct slot *sl, const char *cwd,
                 const struct taskrun_env *env)
{
    bool pipes = s->o->out->json || s->o->out->mode != TASKRUN_OUT_RAW;
    bool serial = s->o->jobs <= 1;
    struct cr_proc_opts po = {
        .argv = (const char *const *)sl->exec.argv.v,
        .envp = (const char *const *)env->vars,
        .cwd = cwd,
        /* Parallel tasks cannot share the terminal's input. */
        .in = serial ? CR_PROC_INHERIT : CR_PROC_NULL,
        .out = pipes ? CR_PROC_PIPE : CR_PROC_INHERIT,
        .err = pipes ? CR_PROC_PIPE : CR_PROC_INHERIT,
        .foreground = s->o->foreground && serial && !pipes,
        .guard = s->o->guard,
    };
    return cr_proc_spawn(&sl->proc, &po);
}

/* -v: the command a task runs, as one line (cut at the line's size). */
static void say_argv(const struct sched *s, const char *name,
                     const struct cr_strv *argv)
{
    struct cr_buf b = { 0 };
    int rc = 0;
    for (size_t k = 0; k < argv->n; k++)
        rc |= cr_buf_printf(&b, "%s%s", k ? " " : "", argv->v[k]);
    if (rc == 0)
        say(s, TASKRUN_LOG_VERBOSE, "taskrun: \"%s\" runs: %s\n", name,
            cr_buf_str(&b));
    cr_buf_release(&b);
}

static enum taskrun_state failed_state(const struct taskrun_task *t)
{
    return t->ignore_errors ? TASKRUN_DONE_IGNORED : TASKRUN_DONE_FAILED;
}

/* Spawns what sl->exec holds for node i; a failure finishes i. */
static void launch(struct sched *s, size_t i, struct slot *sl, const char *cwd,
                   const struct taskrun_env *env)
{
    const struct taskrun_task *t = taskrun_plan_task(s->p, i);
    struct taskrun_result *r = &s->run->res[i];
    if (t->deprecated)
        say(s, TASKRUN_LOG_INFO, "taskrun: task \"%s\" is deprecated%s%s\n",
            t->name, t->deprecated[0] ? ": " : "", t->deprecated);
    if (s->o->out->json)
        taskrun_json_start(s->o->out, t->name, r->start_ms);
    else if (s->o->out->mode != TASKRUN_OUT_GROUP)
        say(s, TASKRUN_LOG_INFO, "taskrun: running \"%s\"\n", t->name);
    if (s->o->out->log >= TASKRUN_LOG_VERBOSE)
        say_argv(s, t->name, &sl->exec.argv);
    int e = spawn(s, sl, cwd, env);
    if (e == 0) {
        sl->node = (long)i;
        sl->lost = false;
        r->state = TASKRUN_RUNNING;
        s->running++;
        return;
    }
    char why[PATH_MAX + 100];
    /* The child's chdir and exec fail alike (ENOENT): name the cwd when
     * it is the cwd that is missing, not the program. */
    struct stat st;
    int ce = !cwd                  ? 0
             : stat(cwd, &st) != 0 ? errno
             : S_ISDIR(st.st_mode) ? 0
                                   : ENOTDIR;
    if (ce) {
        snprintf(why, sizeof(why), "cannot change to its cwd \"%s\": %s", cwd,
                 strerror(ce));
        say(s, TASKRUN_LOG_ERROR, "taskrun: %stask \"%s\": %s\n",
            t->where ? t->where : "", t->name, why);
        finish(s, i, failed_state(t), taskrun_exit_status(TASKRUN_E_RUN), why);
        return;
    }
    snprintf(why, sizeof(why), "cannot run \"%s\": %s", sl->exec.argv.v[0],
             strerror(-e));
    say(s, TASKRUN_LOG_ERROR, "taskrun: task \"%s\": %s\n", t->name, why);
    finish(s, i, failed_state(t), e == -ENOENT ? 127 : 126, why);
}

/* Decides what node i does: skip, nothing, fail to build, or launch. */
static void dispatch(struct sched *s, size_t i, struct slot *sl,
                     const struct taskrun_env *env, const char *cwd)
{
    const struct taskrun_task *t = taskrun_plan_task(s->p, i);
    char why[200];
    const char *skip = skip_reason(s, i, env, cwd, why, sizeof(why));
    struct taskrun_job_ctx jc = { env, s->o->cli, s->o->self_exe,
                                  s->o->ext_depth };
    struct cr_error jerr = { 0 };
    if (skip) {
        finish(s, i, TASKRUN_SKIPPED, 0, skip);
    } else if (taskrun_job_build(t, &jc, &sl->exec, &jerr) != TASKRUN_OK) {
        say(s, TASKRUN_LOG_ERROR, "taskrun: %s%s\n", t->where ? t->where : "",
            jerr.msg);
        finish(s, i, failed_state(t), taskrun_exit_status(jerr.code), jerr.msg);
    } else if (sl->exec.argv.n == 0) {
        if (s->o->out->json)
            taskrun_json_start(s->o->out, t->name, s->run->res[i].start_ms);
        finish(s, i, TASKRUN_DONE_OK, 0, NULL);
    } else {
        launch(s, i, sl, cwd, env);
    }
}

/* Starts the action of node i in sl, or finishes i at once. */
static enum taskrun_code start(struct sched *s, size_t i, struct slot *sl)
{
    const struct taskrun_task *t = taskrun_plan_task(s->p, i);
    struct taskrun_env env;
    s->run->res[i].start_ms = since_ms(s);
    enum taskrun_code rc = task_env(s, t, &env);
    char *cwd = rc ? NULL : task_cwd(s, t, &env);
    if (!rc && !cwd)
        rc = taskrun_error_set(s->err, TASKRUN_E_NOMEM, "out of memory");
    if (!rc)
        dispatch(s, i, sl, &env, cwd);
    if (sl->node < 0)
        taskrun_exec_release(&sl->exec);
    cr_free(cwd);
    taskrun_env_release(&env);
    return rc;
}

static struct slot *free_slot(struct sched *s)
{
    for (unsigned k = 0; k < s->o->jobs; k++)
        if (s->slots[k].node < 0)
            return &s->slots[k];
    return NULL;
}

/* Starts everything startable; returns whether anything changed. */
static enum taskrun_code start_ready(struct sched *s, bool *changed)
{
    *changed = false;
    for (size_t i = 0; i < s->p->n; i++) {
        if (s->run->res[i].state != TASKRUN_PENDING)
            continue;
        int r = readiness(s, i);
        if (r < 0) {
            finish(s, i, TASKRUN_NOT_RUN, 0, "a dependency failed");
            *changed = true;
            continue;
        }
        bool halted = s->halted && !s->p->nodes[i].cleanup;
        struct slot *sl = r > 0 && !halted ? free_slot(s) : NULL;
        if (!sl)
            continue;
        enum taskrun_code rc = start(s, i, sl);
        if (rc)
            return rc;
        *changed = true;
    }
    return TASKRUN_OK;
}

/*
 * Output of a task that could not be shown (rc from taskrun_out_feed): said
 * once per task on stderr, also in JSON mode, where the event stream is
 * what failed. A closed stdout (EPIPE) is not said: SIGPIPE stops the run.
 */
static void feed(struct sched *s, struct slot *sl, const char *task, int stream,
                 const char *data, size_t n, bool eof)
{
    int rc = taskrun_out_feed(s->o->out, task, stream, &sl->lb[stream - 1],
                              &sl->group, data, n, eof);
    if (rc == 0 || rc == -EPIPE || sl->lost)
        return;
    sl->lost = true;
    char line[600];
    int len = snprintf(line, sizeof(line),
                       "taskrun: output of task \"%.400s\" is incomplete: %s\n",
                       task, strerror(-rc));
    if (len > 0)
        (void)taskrun_out_write(s->o->out->fd_err, line,
                                (size_t)len < sizeof(line) ? (size_t)len
                                                           : sizeof(line) - 1);
}

/* Reads what a stream has; returns false at EOF or error. */
static bool read_stream(struct sched *s, struct slot *sl, int stream,
                        bool drain)
{
    int *fd = stream == 2 ? &sl->proc.err_fd : &sl->proc.out_fd;
    const char *name = taskrun_plan_task(s->p, (size_t)sl->node)->name;
    char buf[8192];
    /* A chatty task must not starve the others: at most 16 reads a turn;
     * once it has exited, what is buffered (bounded: an escaped process
     * may keep writing). */
    for (int turn = 0; turn < (drain ? 1024 : 16); turn++) {
        ssize_t n = read(*fd, buf, sizeof(buf));
        if (n > 0) {
            feed(s, sl, name, stream, buf, (size_t)n, false);
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return true;
        feed(s, sl, name, stream, NULL, 0, true);
        close(*fd);
        *fd = -1;
        return false;
    }
    return true;
}

static void reap(struct sched *s, struct slot *sl)
{
    size_t i = (size_t)sl->node;
    const struct taskrun_task *t = taskrun_plan_task(s->p, i);
    /* Leftovers of the group first (so nothing keeps writing), then
     * whatever is still in the pipes. */
    cr_proc_signal(&sl->proc, SIGKILL);
    for (int st = 1; st <= 2; st++)
        if ((st == 1 ? sl->proc.out_fd : sl->proc.err_fd) >= 0)
            read_stream(s, sl, st, true);
    for (int st = 1; st <= 2; st++)
        feed(s, sl, t->name, st, NULL, 0, true);
    cr_proc_release(&sl->proc);
    int code = cr_proc_exit_code(&sl->proc);
    if (s->o->foreground) {
        cr_proc_foreground_restore();
        /* Ctrl-C reached the task, not us: stop the run as if it had. */
        if (code == 128 + SIGINT && s->o->stop)
            atomic_store(s->o->stop, SIGINT);
    }
    s->run->res[i].usage = sl->proc.usage;
    if (!s->o->out->json && s->o->out->mode == TASKRUN_OUT_GROUP)
        taskrun_out_group(s->o->out, t->name, &sl->group, code);
    cr_buf_release(&sl->group);
    taskrun_exec_release(&sl->exec);
    sl->node = -1;
    s->running--;
    char why[64];
    snprintf(why, sizeof(why), "exit code %d", code);
    if (code == 0)
        finish(s, i, TASKRUN_DONE_OK, 0, NULL);
    else
        finish(s, i, failed_state(t), code, why);
}

/*
 * Ctrl-Z stopped a foreground task: give the terminal back, stop ourselves
 * so the shell sees the job stopped, and on `fg` hand the terminal back to
 * the task and continue it.
 */
static void forward_stop(struct slot *sl)
{
    cr_proc_foreground_restore();
    raise(SIGTSTP);
    if (isatty(0))
        tcsetpgrp(0, sl->proc.pid);
    cr_proc_signal(&sl->proc, SIGCONT);
}

/* Waits for output, a child's exit or a signal, then handles them. */
static void pump(struct sched *s)
{
    /* The wake-up pipe, then two streams per slot (at most 64 slots). */
    struct pollfd pf[1 + 2 * 64];
    const size_t cap = sizeof(pf) / sizeof(pf[0]);
    size_t n = 0;
    if (s->o->wake_fd >= 0)
        pf[n++] = (struct pollfd){ .fd = s->o->wake_fd, .events = POLLIN };
    for (unsigned k = 0; k < s->o->jobs && n + 2 <= cap; k++) {
        struct slot *sl = &s->slots[k];
        if (sl->node < 0)
            continue;
        if (sl->proc.out_fd >= 0)
            pf[n++] =
                (struct pollfd){ .fd = sl->proc.out_fd, .events = POLLIN };
        if (sl->proc.err_fd >= 0)
            pf[n++] =
                (struct pollfd){ .fd = sl->proc.err_fd, .events = POLLIN };
    }
    /* Without a SIGCHLD wake-up pipe, poll in short steps. */
    int timeout = s->o->wake_fd >= 0 ? 1000 : 20;
    if (poll(pf, n, timeout) > 0 && s->o->wake_fd >= 0 &&
        (pf[0].revents & POLLIN)) {
        char drain[64];
        while (read(s->o->wake_fd, drain, sizeof(drain)) > 0)
            ;
    }
    for (unsigned k = 0; k < s->o->jobs; k++) {
        struct slot *sl = &s->slots[k];
        if (sl->node < 0)
            continue;
        if (sl->proc.out_fd >= 0)
            read_stream(s, sl, 1, false);
        if (sl->proc.err_fd >= 0)
            read_stream(s, sl, 2, false);
        if (cr_proc_wait(&sl->proc, false) != 0)
            reap(s, sl);
        else if (s->o->foreground && cr_proc_stopped(&sl->proc))
            forward_stop(sl);
    }
}

/*
 * SIGTERM to every running group, grace, then SIGKILL. A second signal
 * during the grace period (the impatient second Ctrl-C) cuts it short.
 */
static void stop_all(struct sched *s)
{
    for (unsigned k = 0; k < s->o->jobs; k++)
        if (s->slots[k].node >= 0) {
            cr_proc_signal(&s->slots[k].proc, SIGTERM);
            cr_proc_signal(&s->slots[k].proc, SIGCONT);
        }
    /* Taken and cleared at once, so a second signal is seen as such. */
    int first = s->o->stop ? atomic_exchange(s->o->stop, 0) : 0;
    uint64_t deadline = cr_clock_ms() + s->o->grace_ms;
    while (s->running > 0 && cr_clock_ms() < deadline && !stop_flag(s))
        pump(s);
    /* The caller reports the first signal, not the impatient one. */
    if (s->o->stop && first)
        atomic_store(s->o->stop, first);
    for (unsigned k = 0; k < s->o->jobs; k++)
        if (s->slots[k].node >= 0)
            cr_proc_terminate(&s->slots[k].proc, 0);
    while (s->running > 0)
        pump(s);
}

/*
 * After a failure, with nothing running: what has not started never will,
 * except cleanup tasks, which become ready once that is said. Returns
 * whether a cleanup task is still pending.
 */
static bool drop_pending(struct sched *s)
{
    bool cleanup = false;
    for (size_t i = 0; i < s->p->n; i++) {
        if (s->run->res[i].state != TASKRUN_PENDING)
            continue;
        if (s->p->nodes[i].cleanup)
            cleanup = true;
        else
            finish(s, i, TASKRUN_NOT_RUN, 0, "an earlier task failed");
    }
    return cleanup;
}

static enum taskrun_code loop(struct sched *s)
{
    for (;;) {
        if (stop_flag(s)) {
            s->run->interrupted = true;
            stop_all(s);
            return TASKRUN_E_INTERRUPTED;
        }
        bool changed;
        enum taskrun_code rc = start_ready(s, &changed);
        if (rc)
            return rc;
        if (changed)
            continue;
        if (s->running == 0 && !(s->halted && drop_pending(s)))
            return TASKRUN_OK;
        if (s->running == 0)
            continue;
        pump(s);
    }
}

enum taskrun_code taskrun_sched_run(const struct taskrun_plan *p,
                                    const struct taskrun_sched_opts *o,
                                    struct taskrun_run *run,
                                    struct cr_error *err)
{
    memset(run, 0, sizeof(*run));
    struct taskrun_sched_opts oo = *o;
    if (oo.jobs < 1)
        oo.jobs = 1;
    if (oo.jobs > 64)
        oo.jobs = 64;
    struct sched s = { p, &oo, run, NULL, 0, false, cr_clock_ns(), err };
    run->res = cr_calloc(p->n + 1, sizeof(*run->res));
    run->n = p->n;
    s.slots = cr_calloc(oo.jobs, sizeof(*s.slots));
    if (!run->res || !s.slots) {
        cr_free(s.slots);
        return taskrun_error_set(err, TASKRUN_E_NOMEM, "out of memory");
    }
    for (unsigned k = 0; k < oo.jobs; k++)
        s.slots[k].node = -1;
    enum taskrun_code rc = loop(&s);
    if (rc && rc != TASKRUN_E_INTERRUPTED)
        stop_all(&s);
    for (size_t i = 0; i < p->n; i++)
        if (run->res[i].state == TASKRUN_PENDING)
            finish(&s, i, TASKRUN_NOT_RUN, 0,
                   run->interrupted ? "interrupted" : "an earlier task failed");
    run->wall_ms = since_ms(&s);
    if (run->interrupted)
        run->exit_code = 130;
    cr_free(s.slots);
    if (rc == TASKRUN_E_INTERRUPTED)
        taskrun_error_set(err, rc, "interrupted");
    return rc;
}

void taskrun_run_release(struct taskrun_run *run)
{
    cr_free(run->res);
    memset(run, 0, sizeof(*run));
}
