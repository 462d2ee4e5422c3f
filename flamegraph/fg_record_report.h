/*
 * fg_record_report: what a recorded profile holds, per root frame (the
 * process name): samples, and how many carry frames perf could not name,
 * either because unwinding failed ("[unknown]") or because the code's
 * file has no symbols ("[libfoo.so]"). The one-page report written next to
 * the flame graphs comes from here.
 *
 * struct fg_record_stats is caller-allocated and owns its roots map;
 * fg_record_stats_release frees it. The folded map is only read.
 */
#ifndef FG_RECORD_REPORT_H
#define FG_RECORD_REPORT_H

#include "fg_map.h"
#include "fg_record.h"

#include "cr_buf.h"

#include <stdbool.h>
#include <stdint.h>

/* Samples of one root frame (a process name) and how many are unnamed. */
struct fg_record_proc {
    uint64_t samples;
    uint64_t unnamed; /* with a "[dso]" frame: perf found no symbol */
    uint64_t unknown; /* with "[unknown]", "[[heap]]", "[[stack]]",
                       * "[anon]" or "[perf-PID.map]": unwinding failed */
};

/* Zero it (or fill target first); fg_record_stats_release frees roots. */
struct fg_record_stats {
    uint64_t samples;                /* all samples */
    char target[16];                 /* the command's process name */
    struct fg_record_proc all, mine; /* every sample; the target's only */
    struct fg_record_proc own;       /* the command's own processes (by pid) */
    size_t own_pids;                 /* how many; 0: not known, see mine */
    /* With a second recording of the command's processes (own_hz > 0):
     * own is that recording, sw_own the same processes in the system-wide
     * one. */
    unsigned own_hz;
    struct fg_record_proc sw_own;
    struct fg_map roots; /* owned: root -> samples (count[0]), unnamed [1] */
};

/* The process name perf shows for argv0: its basename, at most 15 bytes. */
void fg_record_comm(const char *argv0, char out[16]);

/* Counts m's samples per root frame into st (target: st->target).
 * Returns 0 or -ENOMEM. */
int fg_record_count(const struct fg_map *m, struct fg_record_stats *st);

/* Counts the stacks of own, the command's own processes (own_pids of
 * them, found by fg_record_script), into *p (st->own or st->sw_own). */
void fg_record_count_own(const struct fg_map *own, struct fg_record_proc *p);

/*
 * Adds to out the stacks of m whose root (process name) starts with one of
 * the comma-separated prefixes in only ("clnrm,dockerd,containerd"), for
 * graphs of a system-wide profile without the machine's other work.
 * Returns 0 or -ENOMEM.
 */
int fg_record_filter(const struct fg_map *m, const char *only,
                     struct fg_map *out);

/* Frees what st owns. */
void fg_record_stats_release(struct fg_record_stats *st);

/*
 * Appends the report: samples, processes, the busiest roots, the share of
 * the command's samples with unnamed and unknown frames (its own
 * processes when known, and every process of its name), and, for a
 * profile of the process alone, that work done on its behalf in other
 * processes (containers) is not in it. Returns 0 or -ENOMEM.
 */
int fg_record_report(const struct fg_record_stats *st,
                     const struct fg_record_opts *o, struct cr_buf *out);

#endif
