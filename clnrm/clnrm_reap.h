/*
 * clnrm_reap: ownership labels, signal handling and the sweep of leftovers.
 *
 * Every container and network a run creates carries these labels:
 *   cleanroom.run=<run id>          unique per clnrm process
 *   cleanroom.pid=<pid>             the clnrm process
 *   cleanroom.pid_start=<ticks>     field 22 of /proc/<pid>/stat
 *   cleanroom.host=<hostname>       the machine the process runs on
 *   cleanroom.test=<test name>
 * An object is an orphan when its host is this machine and its process is
 * gone, or a different process now has that pid (the start time differs).
 * Orphans are removed at the start of every run, which covers clnrm being
 * killed with SIGKILL; a run removes its own objects after each test and,
 * by run label, once more at its end, which covers objects whose creation
 * was interrupted before their id was known.
 *
 * Signals: SIGINT, SIGTERM and SIGHUP only set a flag (and count); the
 * engine calls of the work abort within ~100 ms, and the cleanup, on
 * connections the flag does not cancel, runs in normal context. Cleanup is
 * forced removal from the start (no graceful stop to wait for), so a
 * second signal only prints what is going on; a third exits at once with
 * status 130 and the next run sweeps what was left.
 */
#ifndef CLNRM_REAP_H
#define CLNRM_REAP_H

#include "clnrm_error.h"
#include "engine.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define CLNRM_LABEL_RUN       "cleanroom.run"
#define CLNRM_LABEL_PID       "cleanroom.pid"
#define CLNRM_LABEL_PID_START "cleanroom.pid_start"
#define CLNRM_LABEL_HOST      "cleanroom.host"
#define CLNRM_LABEL_TEST      "cleanroom.test"
#define CLNRM_LABEL_SERVICE   "cleanroom.service"
/* On the objects of a `run --keep-on-failure`: those of a failed test
 * stay after the run, and no sweep but `clnrm clean` removes them. Such
 * objects carry their owner as keep_pid/keep_pid_start instead of
 * pid/pid_start, so that no sweep of dead runs, even one of an older
 * clnrm that does not know this label, takes them for orphans. */
#define CLNRM_LABEL_KEEP           "cleanroom.keep"
#define CLNRM_LABEL_KEEP_PID       "cleanroom.keep_pid"
#define CLNRM_LABEL_KEEP_PID_START "cleanroom.keep_pid_start"

/* Identity of this run; filled by clnrm_runctx_init. */
struct clnrm_runctx {
    char run_id[40];
    char pid[16];
    char pid_start[32];
    char host[72];
    const char *engine_host;  /* DOCKER_HOST-style; NULL: the default */
    const atomic_int *cancel; /* may be NULL */
    bool keep_on_failure;     /* label objects; keep a failed test's */
};

/* Fills rc for the calling process with a fresh random run id. */
enum clnrm_code clnrm_runctx_init(struct clnrm_runctx *rc,
                                  struct cr_error *err);

/* Reads the start time (clock ticks since boot) of pid into buf. Returns 0,
 * or -1 when the process does not exist or /proc cannot be read. */
int clnrm_proc_start_time(pid_t pid, char *buf, size_t size);

/* True when the process described by the label values still runs. NULL or
 * malformed values count as alive (never remove what we cannot judge). */
bool clnrm_owner_alive(const char *pid, const char *pid_start);

/* The five ownership labels plus test (may be NULL) and, with
 * keep_on_failure, CLNRM_LABEL_KEEP into kv[0..6]; returns how many were
 * written. Values are borrowed from rc and test. */
size_t clnrm_runctx_labels(const struct clnrm_runctx *rc, const char *test,
                           struct engine_kv *kv);

struct clnrm_sweep_stats {
    size_t containers, networks; /* removed */
    size_t failed;               /* could not be removed */
    char first_failure[320];     /* "container <id>: <why>" of the first */
};

/*
 * With run_id NULL: removes every container, then network, whose owner is
 * gone (see above). With run_id: removes everything labelled with that run.
 * Objects of other machines are never touched. Counts go to st (may be
 * NULL).
 */
/* Removes every container, then network, of this machine labelled
 * CLNRM_LABEL_KEEP whose run is over (kept by --keep-on-failure), for
 * `clnrm clean`. */
enum clnrm_code clnrm_reap_clean(struct engine *eng,
                                 struct clnrm_sweep_stats *st,
                                 struct cr_error *err);

enum clnrm_code clnrm_reap_sweep(struct engine *eng, const char *run_id,
                                 struct clnrm_sweep_stats *st,
                                 struct cr_error *err);

/*
 * Creations that a dead run had already sent can land after a sweep looked
 * (the engine finishes a request whose client is gone). Sweeps orphans
 * again every CLNRM_SETTLE_POLL_MS until none has appeared for quiet_ms
 * since last_seen_ms (the time an orphan was last seen, cr_clock_ms), or
 * until_ms passes, or cancel is set. Adds what it removed to st, and to
 * st->failed what its last round could not remove (an object that resists
 * every round counts once).
 */
#define CLNRM_SETTLE_POLL_MS 100
enum clnrm_code clnrm_reap_settle(struct engine *eng, uint64_t last_seen_ms,
                                  uint64_t quiet_ms, uint64_t until_ms,
                                  const atomic_int *cancel,
                                  struct clnrm_sweep_stats *st,
                                  struct cr_error *err);

/* Counts objects labelled with run_id (containers + networks), for the
 * self-test and tests of cleanup. */
enum clnrm_code clnrm_reap_count(struct engine *eng, const char *run_id,
                                 size_t *containers, size_t *networks,
                                 struct cr_error *err);

#endif
