/*
 * heap_run: runs a command under heaptrack, then heaptrack_print on the
 * data file it wrote, and parses the text (heap_parse.h); optionally also
 * writes folded allocation stacks (heap_fold.h). Processes are spawned
 * with cr_proc (no shell), so arguments are never re-parsed.
 *
 * The runner blocks until heaptrack and heaptrack_print exit, or until the
 * caller's timeout stops heaptrack and the command. It never prints: the output
 * of the command (and of heaptrack) is captured into the caller's struct
 * heap_run_info.
 */
#ifndef HEAP_RUN_H
#define HEAP_RUN_H

#include <stdatomic.h>

#include "cr_error.h"
#include "heap.h"
#include "heap_fold.h"

struct heap_run_opts {
    const char *const *argv; /* the command, NULL-terminated */
    const char *cwd;         /* where it runs; NULL: the caller's directory */
    /*
     * heaptrack's -o: the data file's name without the extension heaptrack
     * adds (.zst or .gz). Absolute when cwd is set, since heaptrack runs
     * there. Files of an earlier run under this name are removed first.
     */
    const char *data;
    /* Where to write folded stacks of each cost (enum heap_cost), or NULL. */
    const char *folded[4];
    /*
     * heaptrack and the command together are stopped (their whole process
     * group) after this long; 0 means no limit.
     */
    unsigned timeout_ms;
    /* Set (by a signal handler, say) to stop them the same way; or NULL. */
    const atomic_int *stop;
    /* Programs; NULL means "heaptrack" and "heaptrack_print" from PATH. */
    const char *heaptrack, *heaptrack_print;
};

/* What a run leaves besides the figures. Owned strings, freed by
 * heap_run_info_release. */
struct heap_run_info {
    char *data_file; /* the data file heaptrack wrote */
    char *log;       /* the command's stdout and stderr, with heaptrack's */
    char *text;      /* heaptrack_print's output, as parsed */
    int exit_code;   /* of the command (heaptrack passes it on) */
};

/*
 * Runs o->argv under heaptrack and fills *r (initialised by the caller
 * with heap_result_init, released with heap_result_release even on error)
 * and *info (zeroed by the caller; release with heap_run_info_release even
 * on error). Returns HEAP_OK, HEAP_E_MISSING (heaptrack or heaptrack_print
 * not in PATH; the message names the Debian package), HEAP_E_COMMAND (the
 * command exited non-zero: its status and last line of output; or it was
 * stopped at the timeout or by *stop),
 * HEAP_E_NODATA, HEAP_E_PARSE, HEAP_E_IO or HEAP_E_NOMEM.
 */
enum heap_code heap_run(const struct heap_run_opts *o, struct heap_result *r,
                        struct heap_run_info *info, struct cr_error *err);

/* Frees the strings of info and zeroes it. */
void heap_run_info_release(struct heap_run_info *info);

#endif
