/* clnrm_runner: one test, phase after phase. See clnrm_runner.h and
 * clnrm_test_run.h. */
#include "clnrm_runner.h"
#include "clnrm_test_run.h"

#include "cr_alloc.h"
#include "cr_clock.h"

#include <stdio.h>

enum clnrm_code clnrm__result_begin(struct clnrm_test_run *tr)
{
    struct clnrm_test_result *res = tr->res;
    const struct clnrm_test *t = tr->t;

    res->test = t;
    res->started_wall_ms = cr_clock_wall_ms();
    res->steps = cr_calloc(t->n_steps, sizeof(*res->steps));
    if (res->steps == NULL)
        return clnrm__test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                                "out of memory");
    res->n_steps = t->n_steps;
    for (size_t i = 0; i < t->n_steps; i++) {
        res->steps[i].step = &t->steps[i];
        res->steps[i].status = CLNRM_STATUS_SKIP;
        res->steps[i].exit_code = -1;
        snprintf(res->steps[i].message, sizeof(res->steps[i].message),
                 "not run: the test could not start");
    }
    return CLNRM_OK;
}

enum clnrm_code clnrm__test_run_begin(struct clnrm_test_run *tr)
{
    const struct clnrm_test *t = tr->t;

    tr->svcs = cr_calloc(t->n_services, sizeof(*tr->svcs));
    if (tr->svcs == NULL)
        return clnrm__test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                                "out of memory");
    for (size_t i = 0; i < t->n_services; i++)
        tr->svcs[i].svc = &t->services[i];
    tr->n_labels = clnrm_runctx_labels(tr->rc, t->name, tr->labels);
    return CLNRM_OK;
}

enum clnrm_code clnrm__boot(struct clnrm_test_run *tr)
{
    enum clnrm_code code;

    code =
        clnrm_test_needs_network(tr->t) ? clnrm__create_network(tr) : CLNRM_OK;
    if (code == CLNRM_OK)
        code = clnrm__start_services(tr); /* readiness included */
    return code;
}

enum clnrm_code clnrm__run_test(struct engine *eng, struct engine *cleanup,
                                struct clnrm_janitor *janitor,
                                const struct clnrm_runctx *rc, size_t index,
                                const struct clnrm_test *t,
                                struct clnrm_test_result *res)
{
    struct clnrm_test_run tr = { .eng = eng,
                                 .cleanup = cleanup,
                                 .janitor = janitor,
                                 .rc = rc,
                                 .t = t,
                                 .res = res,
                                 .index = index };
    uint64_t start = cr_clock_ms();
    struct engine_calls before, after;
    enum clnrm_code code;

    code = clnrm__result_begin(&tr);
    if (code != CLNRM_OK)
        return code;
    if ((code = clnrm__test_run_begin(&tr)) != CLNRM_OK)
        return code;
    tr.deadline_ms = start + (uint64_t)t->timeout_ms;
    tr.main_step = clnrm__main_step(&tr);
    engine_calls_get(eng, &before);
    if (clnrm__boot(&tr) == CLNRM_OK)
        clnrm__run_steps(&tr);
    if (clnrm__cancelled(&tr)) {
        /* An interruption is not the test's fault: say so, whatever the
         * aborted step looked like. */
        res->status = CLNRM_STATUS_ERROR;
        res->code = CLNRM_E_CANCELLED;
        snprintf(res->message, sizeof(res->message), "interrupted");
    }
    /* The work engine's calls now; teardown's are counted where they are
     * made (clnrm_run_teardown.c, the janitor). eng may be cleanup too. */
    engine_calls_get(eng, &after);
    engine_calls_add_diff(&res->calls, &after, &before);
    clnrm__teardown(&tr);
    res->duration_ms = cr_clock_ms() - start;
    return clnrm__cancelled(&tr) ? CLNRM_E_CANCELLED : res->code;
}

enum clnrm_code clnrm_run_test(struct engine *eng, struct engine *cleanup,
                               const struct clnrm_runctx *rc, size_t index,
                               const struct clnrm_test *t,
                               struct clnrm_test_result *res)
{
    return clnrm__run_test(eng, cleanup, NULL, rc, index, t, res);
}
