/*
 * watch: tells which files were saved, with inotify.
 *
 * A struct watch is caller memory filled by watch_init and emptied by
 * watch_release; it owns an inotify descriptor and the table of watched
 * directories. Directories are watched recursively, including the ones
 * created (or moved in) after watch_add: their files are reported as
 * changed, since they may have been written before their watch existed.
 * A single file is watched through its parent directory, so an editor
 * that saves by writing a temporary file and renaming it over the old one
 * (a new inode) is still seen.
 *
 * Only the events that mean "saved" count: IN_CLOSE_WRITE and IN_MOVED_TO
 * for a change, IN_DELETE and IN_MOVED_FROM for a removal; plain writes
 * are ignored. watch_poll waits for the first such event, then keeps
 * collecting for the debounce window (a fixed window from the first event,
 * so the added latency is bounded by it) and returns one batch with each
 * path once. Nothing is global; one thread uses a watch at a time.
 */
#ifndef WATCH_H
#define WATCH_H

#include "cr_error.h"
#include "cr_strv.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WATCH_CODES(X)                                                         \
    X(WATCH_OK, 0, "success")                                                  \
    X(WATCH_E_TIMEOUT, 1, "no change before the timeout")                      \
    X(WATCH_E_CANCELLED, 130, "cancelled")                                     \
    X(WATCH_E_SYS, 1, "system error")                                          \
    X(WATCH_E_NOMEM, 1, "out of memory")

enum watch_code { WATCH_CODES(CR_CODE_ENUM) };

/* watch_strerror, watch_exit_status and watch_error_set (see cr_error.h). */
CR_DECLARE_CODES(watch, enum watch_code);

/* Default debounce window: an editor's burst of events folds into one. */
#define WATCH_DEBOUNCE_MS 20

/* Called for every path before it is reported or (for a directory) watched;
 * return false to ignore it. Called on the polling thread. */
typedef bool (*watch_filter_fn)(void *ctx, const char *path, bool is_dir);

struct watch_dir;

struct watch {
    int fd;                 /* the inotify descriptor, -1 when released */
    struct watch_dir *dirs; /* by watch descriptor, owned */
    size_t ndirs, cap;      /* entries in dirs */
    struct cr_strv files;   /* single files watched through their dir */
    unsigned debounce_ms;   /* 0: report each event at once */
    watch_filter_fn filter; /* optional */
    void *filter_ctx;
};

/* One batch of saves, filled by watch_poll: each path (absolute when the
 * watched path was) once, in order of first event. Zero-initialise; free
 * with watch_batch_release. */
struct watch_batch {
    struct cr_strv changed;  /* written, created or moved in */
    struct cr_strv removed;  /* deleted or moved away (and not back) */
    uint64_t first_event_ns; /* cr_clock_ns() when the first event was read */
};

/* Opens the inotify descriptor. debounce_ms is the window described above;
 * filter may be NULL. */
enum watch_code watch_init(struct watch *w, unsigned debounce_ms,
                           watch_filter_fn filter, void *filter_ctx,
                           struct cr_error *err);

/* Closes the descriptor and frees the tables. Accepts a released watch. */
void watch_release(struct watch *w);

/* Watches path: a directory recursively, a file through its parent. A path
 * added twice is watched once. */
enum watch_code watch_add(struct watch *w, const char *path,
                          struct cr_error *err);

/* The inotify descriptor, readable when an event waits (for poll(2)). */
int watch_fd(const struct watch *w);

/* How many directories are watched (for tests and diagnostics). */
size_t watch_count(const struct watch *w);

/*
 * Waits up to timeout_ms (< 0: for ever) for a save, then for the debounce
 * window, and fills batch (released and refilled). Returns WATCH_OK,
 * WATCH_E_TIMEOUT when nothing came, WATCH_E_CANCELLED when *cancel became
 * non-zero (checked at least every 50 ms; cancel may be NULL).
 */
enum watch_code watch_poll(struct watch *w, int timeout_ms,
                           const atomic_int *cancel, struct watch_batch *batch,
                           struct cr_error *err);

/* Frees the lists of b and leaves it empty. */
void watch_batch_release(struct watch_batch *b);

#endif
