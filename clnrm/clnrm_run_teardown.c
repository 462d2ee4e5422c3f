/* clnrm_run_teardown: removing what a test made. See clnrm_test_run.h. */
#include "clnrm_test_run.h"

#include "cr_alloc.h"

#include <stdio.h>

/* run --keep-on-failure: a test that failed (not one interrupted) keeps
 * its objects, labelled CLNRM_LABEL_KEEP, for `docker exec`; `clnrm
 * clean` removes them. */
static bool keep(struct clnrm_test_run *tr)
{
    enum clnrm_status st = tr->res->status;

    if (!tr->rc->keep_on_failure || clnrm__cancelled(tr) ||
        st == CLNRM_STATUS_PASS || st == CLNRM_STATUS_SKIP)
        return false;
    for (size_t i = 0; tr->svcs != NULL && i < tr->t->n_services; i++) {
        cr_free(tr->svcs[i].host_ports);
        cr_free(tr->svcs[i].id);
    }
    cr_free(tr->svcs);
    tr->svcs = NULL;
    cr_free(tr->net_id);
    tr->net_id = NULL;
    cr_strv_release(&tr->port_env);
    tr->res->kept = true;
    snprintf(tr->res->kept_prefix, sizeof(tr->res->kept_prefix), "clnrm-%s-%zu",
             tr->rc->run_id, tr->index);
    return true;
}

/* Hands the test's containers and network to the janitor, or removes
 * them now when there is none. */
void clnrm__teardown(struct clnrm_test_run *tr)
{
    size_t n = tr->t->n_services;
    char **ids;

    if (keep(tr))
        return;
    ids = cr_calloc(n + 1, sizeof(*ids));

    for (size_t i = 0; tr->svcs != NULL && i < n; i++) {
        cr_free(tr->svcs[i].host_ports);
        if (ids != NULL)
            ids[i] = tr->svcs[i].id;
        else
            cr_free(tr->svcs[i].id); /* the end-of-run sweep removes it */
    }
    cr_free(tr->svcs);
    tr->svcs = NULL;
    cr_strv_release(&tr->port_env);
    if (ids == NULL) {
        cr_free(tr->net_id);
        tr->res->cleanup_failed = true;
    } else if (tr->janitor != NULL) {
        clnrm_janitor_submit_counted(tr->janitor, ids, n, tr->net_id,
                                     &tr->res->cleanup_failed, &tr->res->calls);
    } else {
        struct engine_calls before, after;
        engine_calls_get(tr->cleanup, &before);
        clnrm_janitor_remove_now(tr->cleanup, ids, n, tr->net_id,
                                 &tr->res->cleanup_failed);
        engine_calls_get(tr->cleanup, &after);
        engine_calls_add_diff(&tr->res->calls, &after, &before);
    }
    tr->net_id = NULL;
}
