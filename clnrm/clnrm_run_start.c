/* clnrm_run_start: a test's services started in depends_on order. See
 * clnrm_test_run.h.
 *
 * One loop on the test's thread: it boots each service whose dependencies
 * are started (and ready, when they have a readiness check: compose's
 * service_healthy) on a thread of its own, collects the boots that ended,
 * and probes the readiness of the services booted so far. A service thus
 * starts as soon as its own dependencies allow, and services that depend
 * on nothing all start at once, as before depends_on was honoured. */
#include "clnrm_test_run.h"

#include "cr_alloc.h"
#include "cr_clock.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* How long the loop waits for a boot to end before probing again. */
#define POLL_MS 50

struct start_sched;

struct boot_job {
    const struct clnrm_test_run *tr;
    struct clnrm_svc_state *ss;
    struct start_sched *sc;
    pthread_t thread;
    bool launched, threaded, collected;
    bool done; /* guarded by sc->mu */
};

struct start_sched {
    pthread_mutex_t mu;
    pthread_cond_t cv; /* a boot thread ended */
    struct boot_job jobs[CLNRM_MAX_SERVICES];
    size_t running; /* launched, not collected */
};

/* A thread booting one service on its own engine connection (an engine
 * is used by one thread at a time). */
static void *boot_thread(void *arg)
{
    struct boot_job *j = arg;
    struct engine *eng = NULL;
    struct cr_error e = { 0 };

    j->ss->code = clnrm_from_engine(
        engine_open(&eng, j->tr->rc->engine_host, j->tr->rc->cancel, &e), &e);
    if (j->ss->code == CLNRM_OK) {
        clnrm__boot_service(j->tr, eng, j->ss);
        engine_calls_get(eng, &j->ss->calls);
    } else
        snprintf(j->ss->error, sizeof(j->ss->error), "%s", e.msg);
    engine_close(eng);
    pthread_mutex_lock(&j->sc->mu);
    j->done = true;
    pthread_cond_signal(&j->sc->cv);
    pthread_mutex_unlock(&j->sc->mu);
    return NULL;
}

/* True when service i may start: every service it depends on is booted
 * and, when the entry waits for readiness, ready. */
static bool deps_met(const struct clnrm_test_run *tr,
                     const struct start_sched *sc, size_t i)
{
    const struct clnrm_service *s = tr->svcs[i].svc;

    for (size_t d = 0; d < s->depends_on.n; d++) {
        long k = clnrm_service_index(tr->t, s->depends_on.v[d]);
        if (k < 0)
            continue; /* the loader refuses it; a hand-made test may not */
        if (!sc->jobs[k].collected || tr->svcs[k].code != CLNRM_OK ||
            (clnrm_dep_waits_ready(tr->t, s, d) && !tr->svcs[k].ready))
            return false;
    }
    return true;
}

/* Boots every service not yet launched whose dependencies are met: on a
 * thread when the test has several services, else (or when no thread can
 * be made) right here on the test's engine. */
static void launch(struct clnrm_test_run *tr, struct start_sched *sc)
{
    size_t n = tr->t->n_services;

    for (size_t i = 0; i < n; i++) {
        struct boot_job *j = &sc->jobs[i];
        if (j->launched || !deps_met(tr, sc, i))
            continue;
        *j = (struct boot_job){ tr, &tr->svcs[i], sc, .launched = true };
        sc->running++;
        j->threaded =
            n > 1 && pthread_create(&j->thread, NULL, boot_thread, j) == 0;
        if (!j->threaded) {
            clnrm__boot_service(tr, tr->eng, j->ss);
            j->done = true;
        }
    }
}

/* Appends to the test's message the services that depend on service
 * `failed` and were not started because of it, so the message names
 * both. */
static void note_dependents(struct clnrm_test_run *tr,
                            const struct start_sched *sc, size_t failed)
{
    char *msg = tr->res->message;
    const char *name = tr->t->services[failed].name;

    for (size_t i = 0; i < tr->t->n_services; i++) {
        const struct clnrm_service *s = &tr->t->services[i];
        size_t len = strlen(msg);
        if (sc->jobs[i].launched || cr_strv_find(&s->depends_on, name) < 0)
            continue;
        snprintf(msg + len, sizeof(tr->res->message) - len,
                 "; service \"%s\" depends on \"%s\" and was not started",
                 s->name, name);
    }
}

/* Joins the boots that ended; a failed one fails the test. Returns
 * CLNRM_OK or the first failure's code. */
static enum clnrm_code collect(struct clnrm_test_run *tr,
                               struct start_sched *sc)
{
    enum clnrm_code rc = CLNRM_OK;

    for (size_t i = 0; i < tr->t->n_services; i++) {
        struct boot_job *j = &sc->jobs[i];
        bool done;
        if (!j->launched || j->collected)
            continue;
        pthread_mutex_lock(&sc->mu);
        done = j->done;
        pthread_mutex_unlock(&sc->mu);
        if (!done)
            continue;
        if (j->threaded) {
            pthread_join(j->thread, NULL);
            engine_calls_add(&tr->res->calls, &j->ss->calls);
        }
        j->collected = true;
        sc->running--;
        j->ss->ready_since_ms = cr_clock_ms();
        if (j->ss->code != CLNRM_OK && rc == CLNRM_OK) {
            /* The message is the first failure's (an earlier collect may
             * have set it): only its own dependents are named in it. */
            bool first = tr->res->message[0] == '\0';
            rc = clnrm__test_fail(tr, CLNRM_STATUS_ERROR, j->ss->code,
                                  j->ss->error);
            if (first)
                note_dependents(tr, sc, i);
        }
    }
    return rc;
}

/* Waits up to POLL_MS for a boot thread to end (at once when one did). */
static void wait_boot(struct start_sched *sc, size_t n)
{
    struct timespec ts;

    pthread_mutex_lock(&sc->mu);
    for (size_t i = 0; i < n; i++)
        if (sc->jobs[i].launched && !sc->jobs[i].collected &&
            sc->jobs[i].done) {
            pthread_mutex_unlock(&sc->mu);
            return;
        }
    clock_gettime(CLOCK_MONOTONIC, &ts); /* the cv's clock, see below */
    ts.tv_nsec += POLL_MS * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&sc->cv, &sc->mu, &ts);
    pthread_mutex_unlock(&sc->mu);
}

/* True when every service was booted and every check passed. */
static bool all_up(const struct clnrm_test_run *tr,
                   const struct start_sched *sc, size_t pending)
{
    for (size_t i = 0; i < tr->t->n_services; i++)
        if (!sc->jobs[i].collected)
            return false;
    return pending == 0;
}

/* The loop described at the top; returns once every service is up, or
 * once the boots still running ended after a failure. */
static enum clnrm_code run_sched(struct clnrm_test_run *tr,
                                 struct start_sched *sc)
{
    size_t n = tr->t->n_services, pending = 0, failed = 0;
    enum clnrm_code rc = CLNRM_OK, r;
    bool first;

    for (;;) {
        if ((r = collect(tr, sc)) != CLNRM_OK && rc == CLNRM_OK)
            rc = r;
        first = tr->res->message[0] == '\0';
        if (rc == CLNRM_OK &&
            (r = clnrm__ready_poll(tr, &pending, &failed)) != CLNRM_OK) {
            rc = r;
            if (first)
                note_dependents(tr, sc, failed);
        }
        if (rc == CLNRM_OK && clnrm__cancelled(tr))
            rc = CLNRM_E_CANCELLED;
        if (rc == CLNRM_OK)
            launch(tr, sc);
        /* Nothing booting or waiting, yet services left: they wait on each
         * other, which only a test not made by the loader can ask. */
        if (rc == CLNRM_OK && sc->running == 0 && pending == 0 &&
            !all_up(tr, sc, pending))
            rc = clnrm__test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_INPUT,
                                  "services wait on each other (a "
                                  "depends_on cycle)");
        if (rc != CLNRM_OK ? sc->running == 0 : all_up(tr, sc, pending))
            return rc;
        wait_boot(sc, n);
    }
}

/* A cv whose timed waits use CLOCK_MONOTONIC, so a wall-clock step (NTP,
 * a user's date) neither stretches nor skips a poll. */
static void cond_init_monotonic(pthread_cond_t *cv)
{
    pthread_condattr_t ca;

    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(cv, &ca);
    pthread_condattr_destroy(&ca);
}

enum clnrm_code clnrm__start_services(struct clnrm_test_run *tr)
{
    struct start_sched *sc;
    enum clnrm_code rc;

    /* The loader refuses more services; a test built by hand is checked. */
    if (tr->t->n_services > CLNRM_MAX_SERVICES)
        return clnrm__test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_INPUT,
                                "too many services for one test");
    if ((sc = cr_calloc(1, sizeof(*sc))) == NULL)
        return clnrm__test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                                "out of memory");
    pthread_mutex_init(&sc->mu, NULL);
    cond_init_monotonic(&sc->cv);
    rc = run_sched(tr, sc);
    pthread_cond_destroy(&sc->cv);
    pthread_mutex_destroy(&sc->mu);
    cr_free(sc);
    if (rc == CLNRM_OK && clnrm__port_env(tr) != 0)
        rc = clnrm__test_fail(tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                              "out of memory");
    return rc;
}
