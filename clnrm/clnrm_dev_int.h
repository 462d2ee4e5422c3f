/*
 * clnrm_dev_int: the state of a `clnrm dev` session, shared by its files:
 *
 *   clnrm_dev_session.c  the loop: watcher, worker thread, cancellation
 *   clnrm_dev_files.c    the test files: loading, references, changes
 *   clnrm_dev_warm.c     warm services: boot, update, steps, stop
 *
 * Internal to clnrm; see clnrm_dev.h. A struct clnrm_dev lives on
 * clnrm_dev_run's stack and owns its tests, watcher and engines. Each
 * struct clnrm_dev_test owns its specs and its warm containers (in tr).
 * Only one thread touches the tests at a time: the worker while a rerun
 * is in flight, the session thread after joining it.
 */
#ifndef CLNRM_DEV_INT_H
#define CLNRM_DEV_INT_H

#include "clnrm_dev.h"
#include "clnrm_regex.h"
#include "clnrm_test_run.h"
#include "watch.h"

#include <pthread.h>

struct clnrm_dev_test {
    char *path;                  /* absolute, owned */
    struct clnrm_test *t;        /* the spec the services run, or NULL */
    struct clnrm_test *pending;  /* a newer spec not applied yet, or NULL */
    struct cr_strv refs;         /* referenced files and directories */
    struct cr_strv changed_refs; /* of refs, changed since the last rerun */
    bool selected;               /* matches --only */
    bool dirty;                  /* to run at the next rerun */
    bool broken;                 /* the file on disk does not load */
    bool booted;                 /* tr holds running services */
    struct clnrm_test_run tr;    /* the warm state */
};

struct clnrm_dev {
    const struct clnrm_dev_opts *opts;
    struct clnrm_runctx rc; /* the caller's, with cancel = &rerun_cancel */
    const atomic_int *stop; /* the caller's cancel flag */
    clnrm_dev_emit_fn emit;
    void *emit_ctx;
    pthread_mutex_t emit_mu;
    struct clnrm_regex *only;
    struct cr_strv roots; /* the PATHs, absolute */
    struct clnrm_dev_test **tests;
    size_t n, cap;
    struct watch w;
    struct engine *eng;     /* steps and boots; cancelled by rerun_cancel */
    struct engine *cleanup; /* removals; never cancelled */
    atomic_int rerun_cancel;
    size_t next_index; /* container names stay unique in the session */
    unsigned rerun;
    uint64_t event_ns; /* when the change behind the next rerun was read */
    bool last_failed;  /* a test of the last finished rerun did not pass */
};

/* Emits ev (rerun filled in) under the session's lock. */
void clnrm__dev_emit(struct clnrm_dev *d, struct clnrm_dev_event *ev);

/* clnrm_dev_files.c. Finds and loads the test files under the roots and
 * watches them; CLNRM_OK or why the session cannot start. */
enum clnrm_code clnrm__dev_load_all(struct clnrm_dev *d, struct cr_error *err);
/* Takes one batch of saves: reloads, adds and removes test files, marks
 * the tests to rerun. Returns true when some test is to rerun. */
bool clnrm__dev_apply(struct clnrm_dev *d, const struct watch_batch *b);
/* True when a path of b is a test file, a new one or one a test
 * references. Reads only what the session thread writes (paths and
 * references), so it may run while a rerun is in flight. */
bool clnrm__dev_relevant(const struct clnrm_dev *d,
                         const struct watch_batch *b);
/* Frees every test (after clnrm__dev_stop on each). */
void clnrm__dev_free_tests(struct clnrm_dev *d);

/* clnrm_dev_warm.c. Brings dt's services to its newest spec (recreating
 * only what changed) and runs its steps into res (zeroed by the caller).
 * rerun_start_ms anchors --timebox. Sets *warm when no container had to
 * be created. */
void clnrm__dev_run_test(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                         uint64_t rerun_start_ms, struct clnrm_test_result *res,
                         bool *warm);
/* Stops and removes dt's containers and network, now. */
void clnrm__dev_stop(struct clnrm_dev *d, struct clnrm_dev_test *dt);

#endif
