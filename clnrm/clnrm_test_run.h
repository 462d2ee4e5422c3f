/*
 * clnrm_test_run: the state of one test while it runs, shared by the
 * files of its phases, in the order clnrm_runner.c calls them:
 *
 *   clnrm_run_setup.c     network, containers, published port variables
 *   clnrm_run_start.c     services started in depends_on order
 *   clnrm_run_ready.c     readiness probes
 *   clnrm_run_step.c      each step exec'ed and judged (clnrm_run_judge.c)
 *   clnrm_run_teardown.c  containers and network handed to the janitor
 *
 * and by the worker pool, clnrm_run_pool.c. Internal to the runner; see
 * clnrm_runner.h for its interface.
 *
 * A struct clnrm_test_run lives on clnrm__run_test's stack for one test.
 * It borrows the engines, janitor, run context, test and result; it owns
 * svcs (with each container id and host port array), net_id and port_env
 * until clnrm__teardown releases them or hands them to the janitor.
 */
#ifndef CLNRM_TEST_RUN_H
#define CLNRM_TEST_RUN_H

#include "clnrm_janitor.h"
#include "clnrm_reap.h"
#include "clnrm_result.h"
#include "clnrm_spec.h"
#include "engine.h"

/* Captured output kept per step and stream. */
#define CLNRM_STEP_OUTPUT_CAP (1024u * 1024u)

/* Keep-alive PID 1 for services without a command (run under init). */
#define CLNRM_KEEPALIVE_ARGV "sleep", "2147483647"

/* Room for the labels clnrm_runctx_labels fills, plus the service. */
#define CLNRM_MAX_LABELS 8

struct clnrm_svc_state {
    const struct clnrm_service *svc;
    char name[160];
    char *id;             /* container id once created */
    enum clnrm_code code; /* how booting went */
    char error[600];      /* why booting failed */
    const char *dead;     /* why it no longer runs (static), or NULL */
    bool ready;
    unsigned *host_ports;      /* per svc->ports[i], where it was published */
    struct engine_calls calls; /* made on a boot thread's own engine */
    int64_t tries;
    uint64_t next_try_ms;
    long oom_kills;          /* the cgroup's oom_kill count when last read */
    uint64_t ready_since_ms; /* when readiness polling began; 0: not yet */
};

struct clnrm_test_run {
    struct engine *eng;
    struct engine *cleanup;
    struct clnrm_janitor *janitor; /* NULL: tear down synchronously */
    const struct clnrm_runctx *rc;
    const struct clnrm_test *t;
    struct clnrm_test_result *res;
    size_t index;
    struct clnrm_svc_state *svcs;
    char net_name[96];
    char *net_id;
    struct engine_kv labels[CLNRM_MAX_LABELS];
    size_t n_labels;
    uint64_t deadline_ms;    /* the test's own timeout, absolute */
    struct cr_strv port_env; /* CLNRM_PORT_<SERVICE>_<PORT>=<host port> */
    /* Warm services (clnrm dev): a step past its deadline, or cut short by
     * the cancel flag, has its own process killed (clnrm__kill_exec), not
     * the container, which stays up for the next rerun. */
    bool warm;
    /* clnrm run's one-step case (clnrm_run_main.c): the test's only step
     * runs as its only service's main process, so that service is created
     * with the step's argv and not started until the step runs. */
    const struct clnrm_step *main_step;
};

/* True once the run's cancel flag is set. */
bool clnrm__cancelled(const struct clnrm_test_run *tr);

/* Records why the test could not go on (keeping the first message and
 * status) and returns code. */
enum clnrm_code clnrm__test_fail(struct clnrm_test_run *tr,
                                 enum clnrm_status st, enum clnrm_code code,
                                 const char *msg);

/* Runs one test, tearing it down through janitor (NULL: synchronously on
 * cleanup). See clnrm_run_test. */
enum clnrm_code clnrm__run_test(struct engine *eng, struct engine *cleanup,
                                struct clnrm_janitor *janitor,
                                const struct clnrm_runctx *rc, size_t index,
                                const struct clnrm_test *t,
                                struct clnrm_test_result *res);

/* clnrm_runner.c: fills tr->res with one "not run" entry per step. */
enum clnrm_code clnrm__result_begin(struct clnrm_test_run *tr);
/* clnrm_runner.c: allocates tr->svcs for tr->t and sets the labels. */
enum clnrm_code clnrm__test_run_begin(struct clnrm_test_run *tr);
/* clnrm_runner.c: network, services and readiness, in that order. */
enum clnrm_code clnrm__boot(struct clnrm_test_run *tr);

/* clnrm_run_setup.c. The phases return CLNRM_OK, or the code they also
 * recorded with clnrm__test_fail. */
enum clnrm_code clnrm__create_network(struct clnrm_test_run *tr);
/* clnrm_run_start.c: starts every service once those it depends on are
 * started and, when they have a readiness check, ready; independent
 * services boot at once, on threads. Returns with every service ready. */
enum clnrm_code clnrm__start_services(struct clnrm_test_run *tr);
/* Creates and starts one service (ss->id was NULL) on eng; the failure is
 * left in ss->code and ss->error. */
enum clnrm_code clnrm__boot_service(const struct clnrm_test_run *tr,
                                    struct engine *eng,
                                    struct clnrm_svc_state *ss);
/* Rebuilds tr->port_env from the services' host ports; 0 or -1. */
int clnrm__port_env(struct clnrm_test_run *tr);
/* Appends NAME=value strings of env to out; 0, or -1 when out of memory. */
int clnrm__env_strings(const struct clnrm_env *env, struct cr_strv *out);

/* clnrm_run_ready.c: probes once each service whose polling began
 * (ready_since_ms set), declares readiness, is not ready yet and is due.
 * Returns CLNRM_OK with *pending the number still waiting, or the code
 * it recorded with clnrm__test_fail, *failed then naming the service. */
enum clnrm_code clnrm__ready_poll(struct clnrm_test_run *tr, size_t *pending,
                                  size_t *failed);
/* Polls every started service that declares readiness until all are
 * ready (clnrm dev's recreated services). */
enum clnrm_code clnrm__wait_ready(struct clnrm_test_run *tr);

/* clnrm_run_step.c: runs the steps in order into tr->res. */
void clnrm__run_steps(struct clnrm_test_run *tr);
/* Kills the process of exec exec_id (its process group first) through the
 * engine's host PID, on tr->cleanup; false when that was not possible (a
 * remote engine, the exec already gone), so the caller kills the
 * container instead. */
bool clnrm__kill_exec(struct clnrm_test_run *tr, const char *exec_id);

/* clnrm_run_main.c: the step clnrm run can run as the main process of
 * tr's service, or NULL (see main_step above). */
const struct clnrm_step *clnrm__main_step(const struct clnrm_test_run *tr);
/* Runs tr->main_step in ss's created container into sr: wait registered
 * before start, exit code, output and OOM state from the engine. */
void clnrm__run_main_step(struct clnrm_test_run *tr, struct clnrm_svc_state *ss,
                          struct clnrm_step_result *sr);

/* clnrm_run_teardown.c: releases what tr owns, removing its containers
 * and network now or through the janitor. */
void clnrm__teardown(struct clnrm_test_run *tr);

#endif
