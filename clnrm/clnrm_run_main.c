/* clnrm_run_main: clnrm run's one-step case, the step as the container's
 * main process. See clnrm_test_run.h.
 *
 * A keep-alive container plus an exec asks the engine for a runc exec and,
 * at the end, the forced removal of a still-running container (a kill
 * first). When the test's only service has no command of its own, no
 * readiness probe and no published port, and the test has one step, the
 * step itself is the container's command (under the same init, limits and
 * network): create, register the wait, start, wait, read the log. The
 * exit code comes from the wait, the output from the log (both captured
 * before teardown removes the container, which has then already exited),
 * and the OOM state from an inspect when the exit code (137, SIGKILL) says
 * the kernel may have killed it. `clnrm dev` never comes here: its warm
 * services need the keep-alive to take the next rerun's steps; nor does
 * run --keep-on-failure, whose kept containers must still be running.
 */
#include "clnrm_test_run.h"

#include "clnrm_run_judge.h"
#include "cr_clock.h"

#include <stdio.h>

const struct clnrm_step *clnrm__main_step(const struct clnrm_test_run *tr)
{
    /* A kept container must still be running for `docker exec -it`. */
    if (tr->warm || tr->rc->keep_on_failure)
        return NULL;
    return clnrm_test_main_step(tr->t);
}

/* Keeps the first CLNRM_STEP_OUTPUT_CAP bytes, as an exec's capture. */
static void cap_output(struct cr_buf *b, bool *truncated)
{
    if (b->len <= CLNRM_STEP_OUTPUT_CAP)
        return;
    b->len = CLNRM_STEP_OUTPUT_CAP;
    b->data[b->len] = '\0';
    *truncated = true;
}

/* Starts ss's container with its wait registered first, so its exit
 * cannot go unseen; *w is then pending. A failure here is the service's
 * (it did not start), reported as a setup error like any service's. */
static enum clnrm_code start_main(struct clnrm_test_run *tr,
                                  struct clnrm_svc_state *ss,
                                  struct engine_wait **w)
{
    struct cr_error e = { 0 };
    enum engine_code ec;
    char msg[600];

    ec = engine_wait_begin(tr->eng, ss->id, ENGINE_WAIT_NEXT_EXIT, w, &e);
    if (ec == ENGINE_OK &&
        (ec = engine_container_start(tr->eng, ss->id, &e)) != ENGINE_OK) {
        engine_wait_abandon(tr->eng, *w);
        *w = NULL;
    }
    if (ec == ENGINE_OK)
        return CLNRM_OK;
    snprintf(msg, sizeof(msg), "service \"%s\" (image %s) did not start: %s",
             ss->svc->name, ss->svc->image, e.msg);
    return clnrm__test_fail(tr, CLNRM_STATUS_ERROR, clnrm_from_engine(ec, &e),
                            msg);
}

/* The output so far, for a step that ended or timed out. */
static enum clnrm_code read_output(struct clnrm_test_run *tr,
                                   struct clnrm_svc_state *ss,
                                   struct clnrm_step_result *sr,
                                   struct cr_error *e)
{
    enum clnrm_code rc = clnrm_from_engine(
        engine_container_logs(tr->eng, ss->id, &sr->out, &sr->err, e), e);

    cap_output(&sr->out, &sr->truncated);
    cap_output(&sr->err, &sr->truncated);
    return rc;
}

/* Judges an exited step; the OOM state is asked for only when the exit
 * status is the one an OOM kill gives and the step did not pass. */
static void judge_exit(struct clnrm_test_run *tr, struct clnrm_svc_state *ss,
                       const struct clnrm_step *s, struct clnrm_step_result *sr)
{
    struct engine_container_state st = { 0 };
    struct cr_error e = { 0 };

    clnrm_step_judge(s, sr);
    if (sr->exit_code != CLNRM_KILLED_EXIT || sr->status == CLNRM_STATUS_PASS ||
        engine_container_inspect(tr->eng, ss->id, &st, &e) != ENGINE_OK ||
        !st.oom_killed)
        return;
    clnrm_step_mark_oom(sr, tr->t->security.memory_mb);
}

/* A step that could not finish: timed out (its container killed),
 * interrupted, or the engine failed. */
static void step_failed(struct clnrm_test_run *tr, struct clnrm_svc_state *ss,
                        struct clnrm_step_result *sr, enum clnrm_code rc,
                        bool test_deadline, const struct cr_error *e)
{
    struct cr_error ke = { 0 };

    if (rc == CLNRM_E_TIMEOUT) {
        /* The step is the container's process: killing the container is
         * killing the step, and its output so far is in the log. */
        (void)engine_container_kill(tr->eng, ss->id, NULL, &ke);
        ss->dead = "was killed after a timeout";
        (void)read_output(tr, ss, sr, &ke);
        sr->status = CLNRM_STATUS_TIMEOUT;
        snprintf(sr->message, sizeof(sr->message),
                 "timed out after %.1f s (%s timeout); service \"%s\" killed",
                 sr->duration_ms / 1000.0, test_deadline ? "test" : "step",
                 ss->svc->name);
        return;
    }
    sr->status = CLNRM_STATUS_ERROR;
    snprintf(sr->message, sizeof(sr->message), "%s",
             rc == CLNRM_E_CANCELLED ? "interrupted" : e->msg);
    if (rc == CLNRM_E_ENGINE) {
        char msg[600];
        snprintf(msg, sizeof(msg), "step \"%.100s\": %.400s",
                 tr->main_step->name, e->msg);
        clnrm__test_fail(tr, CLNRM_STATUS_ERROR, rc, msg);
    }
}

void clnrm__run_main_step(struct clnrm_test_run *tr, struct clnrm_svc_state *ss,
                          struct clnrm_step_result *sr)
{
    const struct clnrm_step *s = tr->main_step;
    uint64_t start = cr_clock_ms(), deadline = start + (uint64_t)s->timeout_ms;
    bool test_deadline = deadline >= tr->deadline_ms;
    struct engine_wait *w = NULL;
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    int code = -1;

    if (test_deadline)
        deadline = tr->deadline_ms;
    if (start_main(tr, ss, &w) != CLNRM_OK)
        return; /* the step stays "not run: the test could not start" */
    rc =
        clnrm_from_engine(engine_wait_end(tr->eng, w, deadline, &code, &e), &e);
    sr->duration_ms = cr_clock_ms() - start;
    sr->exit_code = rc == CLNRM_OK ? code : -1;
    if (rc == CLNRM_OK && (rc = read_output(tr, ss, sr, &e)) == CLNRM_OK)
        judge_exit(tr, ss, s, sr);
    else
        step_failed(tr, ss, sr, rc, test_deadline, &e);
}
