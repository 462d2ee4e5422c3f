/* clnrm_run_pool: tests on worker threads. See clnrm_runner.h. */
#include "clnrm_runner.h"
#include "clnrm_test_run.h"

#include <pthread.h>

#include "cr_alloc.h"

#include <stdio.h>

struct pool {
    const struct clnrm_runctx *rc;
    struct clnrm_test *const *tests;
    size_t n;
    const struct clnrm_run_opts *opts;
    struct clnrm_test_result *results;
    bool *started;
    pthread_mutex_t mu;
    size_t next;
    bool stop;
    enum clnrm_code conn_code;
    struct cr_error conn_err;
};

/* The next test index to run, or n when there is none. */
static size_t pool_take(struct pool *p)
{
    size_t idx = p->n;

    pthread_mutex_lock(&p->mu);
    if (!p->stop && p->next < p->n &&
        !(p->rc->cancel != NULL && *p->rc->cancel)) {
        idx = p->next++;
        p->started[idx] = true;
        if (p->opts->hooks.on_start != NULL)
            p->opts->hooks.on_start(p->opts->hooks.ctx, idx, p->tests[idx]);
    }
    pthread_mutex_unlock(&p->mu);
    return idx;
}

static void pool_done(struct pool *p, size_t idx)
{
    const struct clnrm_test_result *r = &p->results[idx];

    pthread_mutex_lock(&p->mu);
    if (p->opts->fail_fast && r->status != CLNRM_STATUS_PASS)
        p->stop = true;
    if (p->opts->hooks.on_done != NULL)
        p->opts->hooks.on_done(p->opts->hooks.ctx, idx, r);
    pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
    struct pool *p = arg;
    struct engine *eng = NULL, *cleanup = NULL;
    struct clnrm_janitor *janitor;
    struct cr_error e = { 0 };
    enum clnrm_code rc;
    size_t idx;

    rc = clnrm_from_engine(
        engine_open(&eng, p->rc->engine_host, p->rc->cancel, &e), &e);
    if (rc == CLNRM_OK)
        rc = clnrm_from_engine(
            engine_open(&cleanup, p->rc->engine_host, NULL, &e), &e);
    if (rc != CLNRM_OK) {
        pthread_mutex_lock(&p->mu);
        if (p->conn_code == CLNRM_OK) {
            p->conn_code = rc;
            p->conn_err = e;
        }
        pthread_mutex_unlock(&p->mu);
        engine_close(eng);
        return NULL;
    }
    /* Teardown overlaps the next test; without a janitor it is inline. */
    janitor = clnrm_janitor_start(cleanup);
    while ((idx = pool_take(p)) < p->n) {
        clnrm__run_test(eng, cleanup, janitor, p->rc, idx, p->tests[idx],
                        &p->results[idx]);
        pool_done(p, idx);
    }
    clnrm_janitor_finish(janitor);
    engine_close(eng);
    engine_close(cleanup);
    return NULL;
}

static void mark_not_run(struct pool *p)
{
    for (size_t i = 0; i < p->n; i++) {
        if (p->started[i])
            continue;
        p->results[i].test = p->tests[i];
        p->results[i].status = CLNRM_STATUS_SKIP;
        snprintf(p->results[i].message, sizeof(p->results[i].message),
                 "not run: %.400s",
                 p->conn_code != CLNRM_OK ? p->conn_err.msg
                 : p->stop                ? "--fail-fast after a failure"
                                          : "interrupted");
        if (p->conn_code != CLNRM_OK) {
            p->results[i].status = CLNRM_STATUS_ERROR;
            p->results[i].code = p->conn_code;
        }
    }
}

static int spawn_thread(pthread_t *thread, void *(*fn)(void *), void *arg)
{
    return pthread_create(thread, NULL, fn, arg);
}

enum clnrm_code clnrm_run_all(const struct clnrm_runctx *rc,
                              struct clnrm_test *const *tests, size_t n,
                              const struct clnrm_run_opts *opts,
                              struct clnrm_test_result *results,
                              struct cr_error *err)
{
    struct pool p = {
        .rc = rc, .tests = tests, .n = n, .opts = opts, .results = results
    };
    size_t jobs = opts->jobs > 0 ? opts->jobs : 1;
    clnrm_spawn_fn spawn = opts->spawn != NULL ? opts->spawn : spawn_thread;
    pthread_t *threads;
    size_t started = 0;

    if (jobs > n)
        jobs = n > 0 ? n : 1;
    p.started = cr_calloc(n + 1, sizeof(bool));
    threads = cr_calloc(jobs, sizeof(*threads));
    if (p.started == NULL || threads == NULL) {
        cr_free(p.started);
        cr_free(threads);
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    pthread_mutex_init(&p.mu, NULL);
    /* threads[0..started) are exactly the workers running: a failed start
     * ends the spawning, and those started drain the queue. Every one is
     * joined before p goes away. */
    for (size_t i = 0; jobs > 1 && i < jobs; i++) {
        if (spawn(&threads[started], worker, &p) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(&p);
    for (size_t i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    mark_not_run(&p);
    pthread_mutex_destroy(&p.mu);
    cr_free(p.started);
    cr_free(threads);
    if (p.conn_code != CLNRM_OK) {
        if (err != NULL)
            *err = p.conn_err;
        return p.conn_code;
    }
    return CLNRM_OK;
}
