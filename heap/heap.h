/*
 * heap: a reader of heaptrack's results. This header holds the data model
 * every heap module shares; each module has its own header:
 *
 *   heap_error.h  result codes and messages
 *   heap_parse.h  parser of heaptrack_print's text output (pure, fuzzed)
 *   heap_fold.h   heaptrack's folded allocation stacks, normalised
 *   heap_run.h    runs `heaptrack CMD` and `heaptrack_print` (cr_proc)
 *
 * Why the text of heaptrack_print and not the data file: the data file is
 * a trace (allocations, frees, RSS samples, interned strings) that
 * heaptrack_print replays to compute peak heap, leaks, temporary
 * allocations and merged backtraces. Reading it directly would mean
 * re-implementing that replay, symbol resolution and zstd decompression,
 * and following a format heaptrack documents nowhere. heaptrack_print's
 * summary and sections are stable across releases (1.1 to 1.4) and carry
 * every figure we judge, so the parser takes that text: it is a pure
 * function of bytes, tested on recorded outputs (tests/heap/) and fuzzed
 * (tests/fuzz_heap_print.c), and the runner is the only part that spawns
 * processes.
 *
 * Units: heaptrack_print prints sizes in decimal units (1K = 1000 bytes),
 * rounded to two decimals ("72.70K"); the parser turns them into whole
 * bytes exactly (72.70K is 72700), never through floating point.
 *
 * Ownership: a struct heap_result is caller-allocated, emptied with
 * heap_result_init, filled by heap_parse (or heap_run) and owns its
 * strings until heap_result_release.
 */
#ifndef HEAP_H
#define HEAP_H

#include <stddef.h>
#include <stdint.h>

#include "heap_error.h"

/* How many allocation sites each ranking keeps (heaptrack's default -n). */
#define HEAP_TOP 10

/* One allocation site of a ranking: the function that called malloc & co. */
struct heap_site {
    char *function; /* "cr_realloc", or an address "0x7fb9..." */
    char *location; /* "file.c:12", or NULL when unknown */
    char *module;   /* "/usr/lib/x86_64-linux-gnu/libc.so.6", or NULL */
    uint64_t calls; /* allocation calls from the site */
    uint64_t bytes; /* peak bytes (calls and peak rankings) or leaked bytes */
    uint64_t temporary; /* temporary allocations (temporary ranking) */
};

/* The first HEAP_TOP sites of one of heaptrack_print's sections. */
struct heap_sites {
    struct heap_site v[HEAP_TOP];
    size_t n;
};

/* Summary lines seen, bits of heap_result.have. */
enum {
    HEAP_HAVE_RUNTIME = 1 << 0,
    HEAP_HAVE_CALLS = 1 << 1,
    HEAP_HAVE_TEMPORARY = 1 << 2,
    HEAP_HAVE_PEAK_HEAP = 1 << 3,
    HEAP_HAVE_PEAK_RSS = 1 << 4,
    HEAP_HAVE_LEAKED = 1 << 5,
    HEAP_HAVE_SUPPRESSED = 1 << 6,
};

struct heap_result {
    double runtime_s;    /* "total runtime" (two decimals) */
    uint64_t calls;      /* calls to allocation functions */
    uint64_t temporary;  /* temporary allocations (freed right away) */
    uint64_t peak_heap;  /* bytes */
    uint64_t peak_rss;   /* bytes, heaptrack's own overhead included */
    uint64_t leaked;     /* bytes never freed, suppressions excluded */
    uint64_t suppressed; /* bytes of suppressed leaks (0 when not shown) */
    unsigned have;       /* HEAP_HAVE_* */
    char *command;       /* "Debuggee command was: ..." or NULL */
    struct heap_sites by_calls, by_peak, by_leaked, by_temporary;
};

/* Empties r; allocates nothing. */
void heap_result_init(struct heap_result *r);

/* Frees what r owns and empties it. */
void heap_result_release(struct heap_result *r);

#endif
