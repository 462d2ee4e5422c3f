/*
 * slo_memory: the library side of `slo memory`. Runs one command under
 * heaptrack (the command of the selected heap objectives, or one given on
 * the command line), keeps everything heaptrack says about it (summary,
 * top allocators, folded allocation stacks, the command's output) in an
 * output directory, and judges each selected heap objective (metric
 * peak_heap_mb or leaked_kb) with slo_judge, from that one run.
 *
 * Files in opts->out_dir: heaptrack.zst (the data), heaptrack.txt
 * (heaptrack_print's text), command.log, alloc.folded, peak.folded,
 * leaked.folded and, drawn by slo_memory_draw (the one place that renders
 * a flame graph), alloc.svg. The reports come from slo_memory_report.h.
 *
 * Ownership: struct slo_memory is caller-allocated (zero it), filled by
 * slo_memory_run, released with slo_memory_release even on error. It
 * borrows the config's objectives and opts' strings.
 */
#ifndef SLO_MEMORY_H
#define SLO_MEMORY_H

#include <stdatomic.h>

#include "heap.h"
#include "heap_run.h"
#include "slo.h"

struct slo_memory_opts {
    const char *out_dir;    /* created when missing */
    char *const *argv;      /* replaces the objectives' command, or NULL */
    const char *only;       /* judge only this objective, or NULL: every heap
                               objective of the config */
    const atomic_int *stop; /* stops heaptrack and the command; or NULL */
};

struct slo_memory {
    struct slo_result *res; /* one per judged objective, one sample each */
    size_t n;
    char *const *argv; /* the command that ran (borrowed) */
    char *out_dir;     /* absolute */
    struct heap_result heap;
    struct heap_run_info info;
    char svg_note[512]; /* where alloc.svg is, or why it was not drawn */
};

/*
 * Picks the objectives (cfg may be NULL when opts->argv is set: then
 * nothing is judged), runs the command under heaptrack and judges.
 * Returns SLO_OK (verdicts in m->res, FAIL included), SLO_E_USAGE (no heap
 * objective, an unknown or non-heap --objective, objectives with different
 * commands), SLO_E_MISSING (heaptrack not installed), SLO_E_RUN (the
 * command failed: its status and last line), SLO_E_IO or SLO_E_NOMEM.
 */
enum slo_code slo_memory_run(const struct slo_config *cfg,
                             const struct slo_memory_opts *opts,
                             struct slo_memory *m, struct cr_error *err);

/*
 * Turns OUT/alloc.folded into OUT/alloc.svg (atomically) with the
 * flamegraph library's render API; when there is nothing to draw or the
 * file cannot be written, leaves no SVG and says why in m->svg_note. Never
 * an error: the figures stand without it.
 */
void slo_memory_draw(struct slo_memory *m);

/* Frees what m owns and zeroes it. */
void slo_memory_release(struct slo_memory *m);

#endif
