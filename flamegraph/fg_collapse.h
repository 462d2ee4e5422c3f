/*
 * fg_collapse: `perf script` output -> folded stacks, following the
 * conventions of FlameGraph's stackcollapse-perf.pl so that its output can
 * be compared line by line (see flamegraph/README.md, "collapse").
 *
 * Streaming: feed lines (fg_collapse_line) or whole inputs
 * (fg_collapse_path, fg_collapse_mem), then fg_collapse_finish, which
 * adds the stacks counted to the caller-owned fg_map. Memory grows with
 * the distinct stacks and frame lines (a cache of at most 1M lines), the
 * deepest stack and the longest line, not with the input's size. Input that is
 * already folded (heaptrack_print -F, a previous collapse) is recognised by
 * its first line and passed through, merged.
 *
 * A struct fg_collapse is caller-allocated; fg_collapse_init borrows opts
 * (copied) and the map (which must outlive the collapser);
 * fg_collapse_release frees what the collapser owns, never the map.
 */
#ifndef FG_COLLAPSE_H
#define FG_COLLAPSE_H

#include "fg_error.h"
#include "fg_map.h"

#include "cr_buf.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct fg_collapse_opts {
    bool pid;          /* root frame "comm-PID" */
    bool tid;          /* root frame "comm-PID/TID" (wins over pid) */
    bool kernel;       /* mark kernel frames with "_[k]" */
    bool addrs;        /* "[dso <addr>]" for unknown symbols */
    bool all_events;   /* keep every event type, not only the first */
    const char *event; /* keep only this event type (borrowed), or NULL */
};

struct fg_collapse_stats {
    uint64_t lines;         /* lines read */
    uint64_t skipped;       /* unrecognised lines (garbage, NUL bytes) */
    uint64_t first_skipped; /* line number of the first, or 0 */
    uint64_t samples;       /* samples folded */
    uint64_t filtered;      /* samples dropped for their event type */
    bool folded;            /* the input was already folded */
};

struct fg__intern;

struct fg_collapse {
    struct fg_collapse_opts opt;
    struct fg_map *out;        /* borrowed */
    pthread_mutex_t *out_lock; /* borrowed: guards out when shared, or NULL */
    struct cr_buf event;       /* the event type kept */
    bool have_event;
    struct cr_buf pname; /* the current sample's root frame */
    bool have_pname;
    bool java;              /* the root frame is "java" (names get more work) */
    struct cr_buf root_src; /* the header text pname and in->root came
                             * from: "comm PID/TID" */
    bool have_root;         /* root_src, pname and in->root are set */
    uint64_t period;        /* the current sample's count */
    struct cr_buf scratch;  /* one frame line's names */
    struct fg__intern *in;  /* owned: interned frames and stacks, counted
                             * here and added to out by finish */
    int mode;               /* 0 undecided, 1 perf script, 2 folded */
    struct fg_collapse_stats st;
};

/* Sets up c to add stacks to out. Allocates nothing. */
void fg_collapse_init(struct fg_collapse *c, const struct fg_collapse_opts *o,
                      struct fg_map *out);

/* Frees what c owns (not the map) and leaves it empty. */
void fg_collapse_release(struct fg_collapse *c);

/* Handles one line (without its newline). Returns 0 or -ENOMEM. */
int fg_collapse_line(struct fg_collapse *c, const char *s, size_t n);

/* Ends the input: folds a last sample that had no blank line after it and
 * adds the stacks counted so far to the map. Returns 0 or -ENOMEM. */
int fg_collapse_finish(struct fg_collapse *c);

/* Reads path ("-": stdin) through c and finishes. */
enum fg_code fg_collapse_path(struct fg_collapse *c, const char *path,
                              struct cr_error *err);

/* Reads the len bytes at data through c and finishes. */
enum fg_code fg_collapse_mem(struct fg_collapse *c, const char *data,
                             size_t len, struct cr_error *err);

#endif
