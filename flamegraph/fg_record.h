/*
 * fg_record: profiling a command with perf. Runs `perf record` on the
 * command (alone, or the whole system while it runs), then `perf script`,
 * whose output is streamed through a pipe into an fg_collapse (no text
 * file). fg_record_report counts and describes the result. Turns perf's
 * failures into fg codes: perf missing (FG_E_NOPERF),
 * kernel.perf_event_paranoid (FG_E_PERM), perf itself failing (FG_E_PERF), the
 * command failing (FG_E_COMMAND).
 *
 * Children are started through cr_proc (no shell). Nothing here prints:
 * what perf and the command write to stderr is handed to the caller's
 * on_output callback as it arrives. Options are borrowed for the call;
 * the map filled belongs to the caller.
 */
#ifndef FG_RECORD_H
#define FG_RECORD_H

#include "fg_error.h"
#include "fg_map.h"

#include "cr_buf.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct fg_record_opts {
    const char *const *argv; /* the command, NULL-terminated (borrowed) */
    const char *perf;        /* the perf program; NULL: "perf" from PATH */
    const char *data_path;   /* where perf writes its data */
    bool system_wide;        /* perf record -a: every process, every CPU */
    const char *call_graph;  /* "fp", "dwarf" or "dwarf,BYTES" */
    unsigned frequency;      /* samples per second per CPU */
    /* System-wide only: the command also runs under a second perf record
     * of its own processes (per process: the DWARF unwinding that fails
     * in system-wide data for calls through libc's __poll and the
     * loader's dlopen works there), at own_frequency Hz into
     * own_data_path; 0 or NULL: not. */
    unsigned own_frequency;
    const char *own_data_path;
    /* Called with each chunk perf and the command write to stderr (the
     * command's stdout is inherited); NULL to drop it. */
    void (*on_output)(void *ctx, const char *s, size_t n);
    void *ctx;
    /* A stop flag (cr_signal_flag), or NULL: once set, perf and the command
     * get SIGINT, perf writes what it has and fg_record_perf returns
     * FG_E_INTERRUPTED. */
    const atomic_int *stop;
};

/*
 * perf record: runs opts->argv under perf, writing opts->data_path. On a
 * command that exits non-zero returns FG_E_COMMAND (the data is written);
 * stopped through opts->stop, FG_E_INTERRUPTED (the data is written too);
 * *exit_code (may be NULL) gets the command's exit code, *perf_pid (may
 * be NULL) perf's process id, which tells the command's processes apart
 * in perf's data (fg_record_script).
 */
enum fg_code fg_record_perf(const struct fg_record_opts *o, int *exit_code,
                            long *perf_pid, struct cr_error *err);

/*
 * perf script on data_path, collapsed into m (caller-owned, one count per
 * sample; kernel frames marked "_[k]"). *samples gets the number folded.
 * own (may be NULL) gets the stacks of the command's own processes alone:
 * the one perf_pid (the recording perf) started and its descendants, found
 * from perf's task events, without that first process when skip_root (it
 * is the second perf of own_frequency); perf_pid 0: perf recorded the
 * command's processes alone, all are its; *own_pids (may be NULL) gets how
 * many processes that tree had, 0 when perf's data did not show the
 * command's process; *root_pid (may be NULL) the first one's pid, or 0.
 */
enum fg_code fg_record_script(const char *perf, const char *data_path,
                              long perf_pid, bool skip_root, struct fg_map *m,
                              struct fg_map *own, uint64_t *samples,
                              size_t *own_pids, long *root_pid,
                              struct cr_error *err);

/* The command's process tree while perf script's output streams by
 * (fg_record_tree.c): lines go to the collapser of every sample, and
 * those of the tree's samples to a second one. Both collapsers are
 * borrowed; the pid set is owned. */
struct fg_collapse;
struct fg_record_tree {
    char perf[24];      /* the recording perf's pid, in decimal */
    char root[24];      /* the first process of the tree, or "" */
    bool skip_root;     /* its samples are not the command's */
    bool all_mine;      /* no perf pid: perf recorded the command alone */
    struct fg_map pids; /* decimal pids of the command's processes */
    bool rooted;        /* the command's first process was seen */
    bool mine;          /* the current sample is the tree's */
    struct fg_collapse *all, *own;
};

void fg_record_tree_init(struct fg_record_tree *t, long perf_pid,
                         bool skip_root, struct fg_collapse *all,
                         struct fg_collapse *own);
void fg_record_tree_release(struct fg_record_tree *t);

/* Handles one line of perf script: task events update the tree, other
 * lines are collapsed. Returns 0 or -1 when out of memory. */
int fg_record_tree_line(struct fg_record_tree *t, const char *s, size_t n);

#endif
