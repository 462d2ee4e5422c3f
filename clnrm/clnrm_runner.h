/*
 * clnrm_runner: runs tests in containers through the engine client.
 *
 * Per test: a private network when services need one (an internal bridge,
 * each service reachable by its name), else network mode "none"; one
 * container per service, each started once the services it depends_on are
 * started (and ready, when they declare readiness), the others all at
 * once, with least-privilege settings (clnrm_security); readiness polled
 * round-robin (health_check command, log line, or TCP listener seen in
 * /proc/net/tcp); then each step exec'ed with its exact argv in its
 * service. A step past its timeout, or the test past its own, has its
 * container killed and is reported as a timeout. Containers and the
 * network are removed when the test ends, whatever happened.
 *
 * The phases live in clnrm_run_*.c (see clnrm_test_run.h); readiness and
 * judging have public parts of their own, clnrm_run_ready.h and
 * clnrm_run_judge.h. Tests run on up to `jobs` worker threads, each with its
 * own two engine connections: one for work, cancelled by the run's flag, and
 * one for cleanup, which a first Ctrl-C does not interrupt.
 */
#ifndef CLNRM_RUNNER_H
#define CLNRM_RUNNER_H

#include "clnrm_reap.h"
#include "clnrm_result.h"
#include "clnrm_run_judge.h"
#include "clnrm_run_ready.h"
#include "clnrm_spec.h"
#include "engine.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct clnrm_run_hooks {
    /* Both optional; called from worker threads, one call at a time. */
    void (*on_start)(void *ctx, size_t index, const struct clnrm_test *t);
    void (*on_done)(void *ctx, size_t index, const struct clnrm_test_result *r);
    void *ctx;
};

/* Starts a thread running fn(arg) as pthread_create(thread, NULL, fn, arg)
 * does: returns 0, or an error number. */
typedef int (*clnrm_spawn_fn)(pthread_t *thread, void *(*fn)(void *),
                              void *arg);

struct clnrm_run_opts {
    unsigned jobs;  /* 0: one */
    bool fail_fast; /* skip tests not yet started after a failure */
    struct clnrm_run_hooks hooks;
    clnrm_spawn_fn spawn; /* NULL: pthread_create; tests inject failures */
};

/*
 * Runs one test on the open engines (work and cleanup may be the same)
 * and fills res (zero-initialised by the caller; release it with
 * clnrm_test_result_release). index makes container names unique within
 * the run. Returns the test's code: CLNRM_OK when it ran (passed or not),
 * CLNRM_E_CANCELLED when interrupted, or why it could not run.
 */
enum clnrm_code clnrm_run_test(struct engine *eng, struct engine *cleanup,
                               const struct clnrm_runctx *rc, size_t index,
                               const struct clnrm_test *t,
                               struct clnrm_test_result *res);

/*
 * Runs the n tests with opts->jobs workers, filling results[0..n) (caller
 * allocated and zeroed). Tests not run (fail-fast, interrupted) are
 * CLNRM_STATUS_SKIP. Returns CLNRM_OK when every test was attempted, or
 * the engine error that stopped a worker from connecting.
 */
enum clnrm_code clnrm_run_all(const struct clnrm_runctx *rc,
                              struct clnrm_test *const *tests, size_t n,
                              const struct clnrm_run_opts *opts,
                              struct clnrm_test_result *results,
                              struct cr_error *err);

#endif
