/* clnrm_run_step: each step exec'ed in its service. See
 * clnrm_test_run.h. */
#include "clnrm_test_run.h"

#include "clnrm_run_judge.h"

#include "cr_clock.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>

/* How long clnrm__kill_exec waits for an exec whose start was dropped in
 * flight to show up as running: at most 50 x 10 ms. */
#define KILL_POLL_TRIES 50
#define KILL_POLL_MS    10

static struct clnrm_svc_state *svc_for_step(struct clnrm_test_run *tr,
                                            const struct clnrm_step *s)
{
    const struct clnrm_service *svc = clnrm_step_service(tr->t, s);

    for (size_t i = 0; i < tr->t->n_services; i++)
        if (tr->svcs[i].svc == svc)
            return &tr->svcs[i];
    return &tr->svcs[0];
}

/*
 * The Engine API cannot kill one exec. On a local engine, exec inspect
 * reports the process's host PID; runc starts an exec'ed process as the
 * leader of a new session, so its process group holds everything the step
 * started, and one kill(2) ends them all.
 */
bool clnrm__kill_exec(struct clnrm_test_run *tr, const char *exec_id)
{
    const struct timespec pause = { 0, KILL_POLL_MS * 1000000L };
    struct cr_error e = { 0 };
    bool ended = false;
    int pid = 0;

    if (exec_id[0] == '\0')
        return true; /* never created: nothing runs */
    /* A start request dropped in flight may still start the process: wait
     * a bounded while for it to run (then kill it) or to have ended. */
    for (int i = 0; i < KILL_POLL_TRIES; i++) {
        if (engine_exec_pid(tr->cleanup, exec_id, &pid, &ended, &e) !=
                ENGINE_OK ||
            pid == 1)
            return false;
        if (pid > 0 || ended)
            break;
        nanosleep(&pause, NULL);
    }
    if (pid == 0)
        return true; /* ended, or never started */
    if (kill(-pid, SIGKILL) == 0 || kill(pid, SIGKILL) == 0)
        return true;
    return errno == ESRCH; /* it ended by itself meanwhile */
}

/* Kills the container a timed-out exec ran in: the engine has no way to
 * kill one exec'ed process, and leaving it would let it run on. Warm
 * services (clnrm dev) keep their container when the process can be
 * killed alone. */
static void kill_service(struct clnrm_test_run *tr, struct clnrm_svc_state *ss,
                         const char *exec_id)
{
    struct cr_error e;

    if (tr->warm && clnrm__kill_exec(tr, exec_id))
        return;
    if (ss->dead == NULL)
        (void)engine_container_kill(tr->eng, ss->id, NULL, &e);
    ss->dead = "was killed after a timeout";
}

/* The exec was refused because the service's PID 1 ended: say so with
 * its exit code, and show its log as the step's output. */
static void service_gone(struct clnrm_test_run *tr, struct clnrm_svc_state *ss,
                         struct clnrm_step_result *sr, const char *why)
{
    struct engine_container_state st = { 0 };
    struct cr_error e = { 0 };

    sr->status = CLNRM_STATUS_ERROR;
    ss->dead = "has exited";
    if (engine_container_inspect(tr->eng, ss->id, &st, &e) != ENGINE_OK ||
        st.running) {
        snprintf(sr->message, sizeof(sr->message), "%s", why);
        return;
    }
    snprintf(sr->message, sizeof(sr->message),
             "service \"%s\" is not running: its command exited with code "
             "%d%s (its log is shown as this step's output)",
             ss->svc->name, st.exit_code, st.oom_killed ? " (OOM-killed)" : "");
    cr_buf_reset(&sr->out);
    cr_buf_reset(&sr->err);
    (void)engine_container_logs(tr->eng, ss->id, &sr->out, &sr->err, &e);
}

/* The container's OOM kills so far, read through an exec of `cat` on its
 * memory cgroup (v2 memory.events, v1 memory.oom_control). The engine's
 * State.OOMKilled comes from the same cgroup's OOM event but is reported
 * only once the container's main process exits, so an exec the kernel
 * killed while the keep-alive runs on is not visible there. The count is
 * the container's, not the step's: one grown by a child an earlier step
 * left running is attributed to the next step that exits 137. -1 when it
 * cannot be read (no cat in the image, the test's deadline reached). */
static long oom_kills(struct clnrm_test_run *tr, struct clnrm_svc_state *ss)
{
    static const char *const argv[] = {
        "cat", "/sys/fs/cgroup/memory.events",
        "/sys/fs/cgroup/memory/memory.oom_control", NULL
    };
    struct engine_exec_spec xs = { .argv = argv, .output_cap = 4096 };
    struct engine_exec_result xr = { 0 };
    struct cr_error e = { 0 };
    uint64_t deadline = cr_clock_ms() + 5000;
    long n = -1;

    if (deadline > tr->deadline_ms) /* never past the test's own */
        deadline = tr->deadline_ms;
    if (engine_exec(tr->eng, ss->id, &xs, deadline, &xr, &e) == ENGINE_OK)
        n = clnrm_oom_kill_count(cr_buf_str(&xr.out));
    engine_exec_result_release(&xr);
    return n;
}

/* A step killed by SIGKILL that did not pass: out of memory when the
 * container's OOM kill count grew since it was last read. */
static void judge_oom(struct clnrm_test_run *tr, struct clnrm_svc_state *ss,
                      struct clnrm_step_result *sr)
{
    long n;

    if (sr->exit_code != CLNRM_KILLED_EXIT || sr->status == CLNRM_STATUS_PASS)
        return;
    n = oom_kills(tr, ss);
    if (n > ss->oom_kills)
        clnrm_step_mark_oom(sr, tr->t->security.memory_mb);
    if (n >= 0)
        ss->oom_kills = n;
}

/* The step's environment: port variables first, so that the step's own
 * env can override them. */
static int step_env(const struct clnrm_test_run *tr, const struct clnrm_step *s,
                    struct cr_strv *env)
{
    for (size_t i = 0; i < tr->port_env.n; i++)
        if (cr_strv_push(env, tr->port_env.v[i]) != 0)
            return -1;
    return clnrm__env_strings(&s->env, env);
}

static void run_step(struct clnrm_test_run *tr, const struct clnrm_step *s,
                     struct clnrm_step_result *sr)
{
    struct clnrm_svc_state *ss = svc_for_step(tr, s);
    struct engine_exec_spec xs = { .output_cap = CLNRM_STEP_OUTPUT_CAP };
    struct engine_exec_result xr = { 0 };
    struct cr_strv env = { 0 };
    struct cr_error e = { 0 };
    uint64_t start = cr_clock_ms(), deadline = start + (uint64_t)s->timeout_ms;
    bool test_deadline = deadline >= tr->deadline_ms;
    enum clnrm_code rc;

    if (test_deadline)
        deadline = tr->deadline_ms;
    sr->exit_code = -1;
    if (ss->dead != NULL) {
        sr->status = CLNRM_STATUS_SKIP;
        snprintf(sr->message, sizeof(sr->message), "not run: service \"%s\" %s",
                 ss->svc->name, ss->dead);
        return;
    }
    if (s == tr->main_step) {
        clnrm__run_main_step(tr, ss, sr);
        return;
    }
    if (step_env(tr, s, &env) != 0) {
        cr_strv_release(&env);
        sr->status = CLNRM_STATUS_ERROR;
        snprintf(sr->message, sizeof(sr->message), "out of memory");
        return;
    }
    xs.argv = (const char *const *)s->argv.v;
    xs.env = (const char *const *)env.v;
    xs.workdir = s->workdir;
    rc = clnrm_from_engine(engine_exec(tr->eng, ss->id, &xs, deadline, &xr, &e),
                           &e);
    cr_strv_release(&env);
    sr->duration_ms = cr_clock_ms() - start;
    sr->out = xr.out;
    sr->err = xr.err;
    sr->truncated = xr.truncated;
    sr->exit_code = xr.exit_code;
    if (rc == CLNRM_OK) {
        clnrm_step_judge(s, sr);
        judge_oom(tr, ss, sr);
    } else if (rc == CLNRM_E_TIMEOUT) {
        sr->status = CLNRM_STATUS_TIMEOUT;
        snprintf(sr->message, sizeof(sr->message),
                 "timed out after %.1f s (%s timeout); %s \"%s\" killed",
                 sr->duration_ms / 1000.0, test_deadline ? "test" : "step",
                 tr->warm ? "step process in service" : "service",
                 ss->svc->name);
        kill_service(tr, ss, xr.exec_id);
    } else if (rc == CLNRM_E_CONFLICT || rc == CLNRM_E_NOTFOUND) {
        service_gone(tr, ss, sr, e.msg);
    } else {
        sr->status = CLNRM_STATUS_ERROR;
        snprintf(sr->message, sizeof(sr->message), "%s",
                 rc == CLNRM_E_CANCELLED ? "interrupted" : e.msg);
        /* A cancelled rerun in warm services must not leave its step
         * running into the next one. */
        if (rc == CLNRM_E_CANCELLED && tr->warm)
            kill_service(tr, ss, xr.exec_id);
    }
    /* The engine went away or answers nonsense: the test could not run,
     * which is the environment's error (exit 3), not the test's failure. */
    if (rc == CLNRM_E_ENGINE) {
        char msg[600];
        snprintf(msg, sizeof(msg), "step \"%.100s\": %.400s", s->name, e.msg);
        clnrm__test_fail(tr, CLNRM_STATUS_ERROR, rc, msg);
    }
}

void clnrm__run_steps(struct clnrm_test_run *tr)
{
    struct clnrm_test_result *res = tr->res;
    bool stop = false;

    for (size_t i = 0; i < tr->t->n_steps; i++) {
        const struct clnrm_step *s = &tr->t->steps[i];
        struct clnrm_step_result *sr = &res->steps[i];

        if (stop || clnrm__cancelled(tr) || cr_clock_ms() >= tr->deadline_ms) {
            bool timed_out = !stop && !clnrm__cancelled(tr);
            sr->status = CLNRM_STATUS_SKIP;
            snprintf(sr->message, sizeof(sr->message), "not run: %.400s",
                     clnrm__cancelled(tr) ? "interrupted"
                     : stop               ? "an earlier step failed"
                                          : "the test timed out");
            /* The deadline can pass between two steps: that is still the
             * test's timeout, never a pass with skipped steps. */
            if (timed_out && res->status == CLNRM_STATUS_PASS) {
                res->status = CLNRM_STATUS_TIMEOUT;
                snprintf(res->message, sizeof(res->message),
                         "test timeout (%.1f s) reached before step "
                         "\"%.100s\"",
                         tr->t->timeout_ms / 1000.0, s->name);
            }
            continue;
        }
        run_step(tr, s, sr);
        if (sr->status == CLNRM_STATUS_PASS || sr->status == CLNRM_STATUS_SKIP)
            continue;
        if (res->status == CLNRM_STATUS_PASS) {
            res->status = sr->status == CLNRM_STATUS_ERROR ? CLNRM_STATUS_FAIL
                                                           : sr->status;
            snprintf(res->message, sizeof(res->message),
                     "step \"%.100s\": %.380s", s->name, sr->message);
        }
        if (!s->continue_on_failure || sr->status == CLNRM_STATUS_ERROR)
            stop = true;
    }
}
