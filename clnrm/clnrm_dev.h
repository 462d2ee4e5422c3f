/*
 * clnrm_dev: the hot-reload session behind `clnrm dev` and `clnrm run
 * --watch`.
 *
 * The session runs the selected tests once, then watches their files and
 * the files they reference (volume sources) with the watch library and
 * reruns only the tests whose files changed. Each test's services stay up
 * ("warm") between reruns: a change to steps alone runs the steps again in
 * the running containers; a change to a service's definition (or to a file
 * it mounts) recreates that service only; a change of the set of services,
 * their network or the test's security settings recreates them all; a
 * removed file stops its services. A change that arrives while a rerun is
 * in flight cancels it (the step's process is killed, see
 * clnrm__kill_exec; the warm container stays) and a new rerun starts with
 * everything changed so far.
 *
 * Threads: clnrm_dev_run runs on the caller's thread, which reads the
 * watcher and decides; each rerun runs on one worker thread. Events are
 * delivered to the caller's emit function, one call at a time (from
 * either thread), with every pointer borrowed for the call only. The
 * library never prints.
 */
#ifndef CLNRM_DEV_H
#define CLNRM_DEV_H

#include "clnrm_reap.h"
#include "clnrm_result.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct clnrm_dev_opts {
    const char *const *paths; /* files or directories; empty: "." */
    size_t npaths;
    bool strict;        /* unknown keys are errors */
    unsigned allow;     /* CLNRM_ALLOW_* (clnrm_load.h): the --allow-* flags */
    const char *only;   /* regex on test names, or NULL */
    int64_t timebox_ms; /* a rerun longer than this is cut; 0: none */
    bool fresh;         /* recreate every container on every rerun */
    unsigned debounce_ms;
    bool once; /* return after the first rerun that follows a change */
};

enum clnrm_dev_kind {
    CLNRM_DEV_WATCHING,    /* started: n files, n_dirs directories */
    CLNRM_DEV_CHANGED,     /* path was saved (or added) */
    CLNRM_DEV_REMOVED,     /* path was removed; its services stopped */
    CLNRM_DEV_ERROR,       /* message "FILE:LINE:COL: ..."; still watching */
    CLNRM_DEV_RERUN_START, /* rerun; tests (names) */
    CLNRM_DEV_SERVICE,     /* test's service was created or recreated */
    CLNRM_DEV_TEST_DONE,   /* result of one test in the rerun */
    CLNRM_DEV_RERUN_DONE,  /* rerun ended: counts, latency, cancelled */
};

struct clnrm_dev_event {
    enum clnrm_dev_kind kind;
    unsigned rerun;           /* 0 is the first run */
    const char *path;         /* CHANGED, REMOVED, ERROR (may be NULL) */
    const char *message;      /* ERROR; SERVICE: "created", "recreated" */
    const char *test;         /* SERVICE, TEST_DONE */
    const char *service;      /* SERVICE */
    const char *const *tests; /* RERUN_START: the names, NULL-terminated */
    const struct clnrm_test_result *result; /* TEST_DONE */
    bool warm;             /* TEST_DONE: steps ran in services already up */
    bool cancelled;        /* RERUN_DONE: a newer change or Ctrl-C cut it */
    bool timeboxed;        /* TEST_DONE, RERUN_DONE: --timebox cut it */
    bool after_change;     /* RERUN_*: caused by a file event (not the first) */
    size_t n, n_dirs;      /* WATCHING: files and directories watched */
    size_t passed, failed; /* RERUN_DONE */
    /* RERUN_DONE after a change: from reading the file event to now. */
    double latency_ms;
};

typedef void (*clnrm_dev_emit_fn)(void *ctx, const struct clnrm_dev_event *ev);

/*
 * Runs the session until rc->cancel is set (returns CLNRM_E_CANCELLED,
 * after stopping and removing every container and network of the session)
 * or, with opts->once, until the first rerun after a change is done
 * (returns CLNRM_OK; *failed says whether a test in it did not pass).
 * Returns another code when the engine or the watcher cannot be used at
 * the start, with err filled. Invalid test files are reported through
 * CLNRM_DEV_ERROR events and never end the session.
 */
enum clnrm_code clnrm_dev_run(const struct clnrm_dev_opts *opts,
                              const struct clnrm_runctx *rc,
                              clnrm_dev_emit_fn emit, void *ctx, bool *failed,
                              struct cr_error *err);

#endif
