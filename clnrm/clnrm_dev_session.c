/* clnrm_dev_session: the hot-reload loop. See clnrm_dev.h. */
#include "clnrm_dev_int.h"

#include "cr_alloc.h"
#include "cr_clock.h"

#include <stdio.h>
#include <string.h>

/* How often the session thread looks at the stop flag and at a finished
 * rerun while no file event comes. */
#define TICK_MS 50

static bool cancelled(struct clnrm_dev *d)
{
    return atomic_load(&d->rerun_cancel) != 0;
}

static bool runnable(const struct clnrm_dev_test *dt)
{
    return dt->dirty && dt->selected && !dt->broken &&
           (dt->t != NULL || dt->pending != NULL);
}

static const char *name_of(const struct clnrm_dev_test *dt)
{
    return dt->pending != NULL ? dt->pending->name : dt->t->name;
}

/* The names of the tests to run, NULL-terminated (the strings borrowed),
 * or NULL when there is none or no memory. */
static const char **plan(const struct clnrm_dev *d)
{
    const char **names = cr_calloc(d->n + 1, sizeof(*names));
    size_t k = 0;

    for (size_t i = 0; names != NULL && i < d->n; i++)
        if (runnable(d->tests[i]))
            names[k++] = name_of(d->tests[i]);
    if (names != NULL && k == 0) {
        cr_free(names);
        return NULL;
    }
    return names;
}

/* The image a failed boot could not find names its service's line. */
static void report_noimage(struct clnrm_dev *d, const struct clnrm_dev_test *dt,
                           const struct clnrm_test_result *res)
{
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_ERROR, .path = dt->path };
    char msg[900];
    unsigned line = 1;

    for (size_t i = 0; i < dt->t->n_services; i++)
        if (strstr(res->message, dt->t->services[i].image) != NULL) {
            line = dt->t->services[i].line;
            break;
        }
    snprintf(msg, sizeof(msg), "%s:%u:1: %s", dt->path, line, res->message);
    ev.message = msg;
    clnrm__dev_emit(d, &ev);
}

/* One test of a rerun; false when the rerun was cancelled meanwhile. */
static bool rerun_one(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                      uint64_t start_ms, struct clnrm_dev_event *done)
{
    struct clnrm_test_result res = { 0 };
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_TEST_DONE };
    bool warm;

    clnrm__dev_run_test(d, dt, start_ms, &res, &warm);
    if (cancelled(d)) {
        clnrm_test_result_release(&res);
        return false;
    }
    dt->dirty = false;
    ev.test = dt->t->name;
    ev.result = &res;
    ev.warm = warm;
    ev.timeboxed = d->opts->timebox_ms > 0 &&
                   res.status == CLNRM_STATUS_TIMEOUT &&
                   cr_clock_ms() >= start_ms + (uint64_t)d->opts->timebox_ms;
    done->timeboxed = done->timeboxed || ev.timeboxed;
    if (res.status == CLNRM_STATUS_PASS)
        done->passed++;
    else
        done->failed++;
    clnrm__dev_emit(d, &ev);
    if (res.code == CLNRM_E_NOIMAGE)
        report_noimage(d, dt, &res);
    clnrm_test_result_release(&res);
    return true;
}

/* Runs every test marked to run, in file order; a set rerun_cancel stops
 * it, leaving the rest marked. */
static void *rerun(void *arg)
{
    struct clnrm_dev *d = arg;
    const char **names = plan(d);
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_RERUN_START,
                                  .after_change = d->event_ns != 0 };
    uint64_t start = cr_clock_ms();

    if (names == NULL)
        return NULL;
    ev.tests = names;
    clnrm__dev_emit(d, &ev);
    ev = (struct clnrm_dev_event){ .kind = CLNRM_DEV_RERUN_DONE,
                                   .after_change = d->event_ns != 0 };
    for (size_t i = 0; i < d->n && !ev.cancelled; i++)
        if (runnable(d->tests[i]))
            ev.cancelled = !rerun_one(d, d->tests[i], start, &ev);
    if (ev.after_change)
        ev.latency_ms = (double)(cr_clock_ns() - d->event_ns) / 1e6;
    clnrm__dev_emit(d, &ev);
    d->last_failed = ev.failed > 0;
    cr_free(names);
    return ev.cancelled || !ev.after_change ? NULL : arg;
}

struct worker {
    pthread_t thread;
    bool running;
    atomic_int done;
};

struct worker_arg {
    struct clnrm_dev *d;
    struct worker *w;
    void *result;
};

static void *worker_main(void *arg)
{
    struct worker_arg *a = arg;

    a->result = rerun(a->d);
    atomic_store(&a->w->done, 1);
    return NULL;
}

/* Starts a rerun on the worker thread; false when none could start. */
static bool start(struct clnrm_dev *d, struct worker *w, struct worker_arg *a)
{
    bool any = false;

    for (size_t i = 0; i < d->n; i++)
        any = any || runnable(d->tests[i]);
    if (!any)
        return false;
    atomic_store(&d->rerun_cancel, 0);
    atomic_store(&w->done, 0);
    d->rerun++;
    *a = (struct worker_arg){ d, w, NULL };
    w->running = pthread_create(&w->thread, NULL, worker_main, a) == 0;
    if (!w->running)
        a->result = rerun(d); /* no thread: run it here, uncancellable */
    return true;
}

/* Waits for the rerun (if one runs); returns true when the last rerun was
 * a complete one after a change, and forgets it. */
static bool join(struct worker *w, struct worker_arg *a)
{
    bool complete;

    /* The worker writes a->result: read it only after the join. */
    if (w->running)
        pthread_join(w->thread, NULL);
    complete = a->result != NULL;
    w->running = false;
    a->result = NULL;
    return complete;
}

static void emit_watch_error(struct clnrm_dev *d, const struct cr_error *e)
{
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_ERROR, .message = e->msg };

    clnrm__dev_emit(d, &ev);
}

/* Reads saves until stopped (false) or, with --once, until a rerun after a
 * change completed (true). */
static bool loop(struct clnrm_dev *d, struct worker *w, struct worker_arg *a)
{
    struct watch_batch b = { 0 };
    bool finished = false;

    d->rerun = (unsigned)-1; /* the first start makes it 0 */
    if (!start(d, w, a))
        d->rerun = 0;
    while (!finished && !*d->stop) {
        struct cr_error e = { 0 };
        enum watch_code wc = watch_poll(&d->w, TICK_MS, d->stop, &b, &e);

        if ((!w->running || atomic_load(&w->done)) && join(w, a) &&
            d->opts->once)
            finished = true;
        if (wc == WATCH_E_SYS || wc == WATCH_E_NOMEM)
            emit_watch_error(d, &e);
        /* An editor's backup or an unrelated file must not cut a rerun. */
        if (wc != WATCH_OK || finished || !clnrm__dev_relevant(d, &b))
            continue;
        /* A newer change wins: cut the rerun in flight, then take it. */
        atomic_store(&d->rerun_cancel, 1);
        if (join(w, a) && d->opts->once) {
            finished = true;
            continue;
        }
        atomic_store(&d->rerun_cancel, 0);
        d->event_ns = b.first_event_ns;
        if (clnrm__dev_apply(d, &b))
            start(d, w, a);
    }
    atomic_store(&d->rerun_cancel, 1);
    join(w, a);
    watch_batch_release(&b);
    return finished;
}

static enum clnrm_code open_engines(struct clnrm_dev *d, struct cr_error *err)
{
    enum clnrm_code rc;

    rc = clnrm_from_engine(
        engine_open(&d->eng, d->rc.engine_host, &d->rerun_cancel, err), err);
    if (rc == CLNRM_OK)
        rc = clnrm_from_engine(
            engine_open(&d->cleanup, d->rc.engine_host, NULL, err), err);
    return rc;
}

enum clnrm_code clnrm_dev_run(const struct clnrm_dev_opts *opts,
                              const struct clnrm_runctx *rc,
                              clnrm_dev_emit_fn emit, void *ctx, bool *failed,
                              struct cr_error *err)
{
    struct clnrm_dev d = { .opts = opts,
                           .rc = *rc,
                           .stop = rc->cancel,
                           .emit = emit,
                           .emit_ctx = ctx };
    struct worker w = { 0 };
    struct worker_arg a = { 0 };
    enum clnrm_code code = CLNRM_OK;
    bool finished = false;

    d.w.fd = -1;
    d.rc.cancel = &d.rerun_cancel;
    pthread_mutex_init(&d.emit_mu, NULL);
    if (opts->only != NULL)
        code = clnrm_regex_compile(opts->only, &d.only, err);
    if (code == CLNRM_OK)
        code = open_engines(&d, err);
    if (code == CLNRM_OK)
        code = clnrm__dev_load_all(&d, err);
    if (code == CLNRM_OK)
        finished = loop(&d, &w, &a);
    for (size_t i = 0; i < d.n; i++)
        clnrm__dev_stop(&d, d.tests[i]);
    clnrm__dev_free_tests(&d);
    watch_release(&d.w);
    cr_strv_release(&d.roots);
    engine_close(d.eng);
    engine_close(d.cleanup);
    clnrm_regex_free(d.only);
    pthread_mutex_destroy(&d.emit_mu);
    *failed = d.last_failed;
    if (code != CLNRM_OK)
        return code;
    return finished ? CLNRM_OK
                    : clnrm_error_set(err, CLNRM_E_CANCELLED, "interrupted");
}
