/*
 * slo: service-level objectives measured honestly. This header holds the
 * data model every slo module shares; each module has its own header:
 *
 *   slo_error.h    result codes, messages, exit statuses, version
 *   slo_config.h   reading objectives from a TOML file
 *   slo_measure.h  running an objective's command and measuring each run
 *   slo_probe.h    the container lifecycle probe (engine library)
 *   slo_tap.h      a test suite's own TAP pass/fail count
 *   slo_heap.h     one run under heaptrack (heap metrics), as a sample
 *   slo_memory.h   `slo memory`: heap objectives, their report and stacks
 *   slo_judge.h    statistics of a result, its verdict, headroom, change
 *   slo_report.h   text, JSON and Markdown reports
 *   slo_history.h  earlier checks (history lines, a saved report)
 *   slo_chart.h    the SVG chart
 *   slo_cli_history.h  the `slo history` command
 *
 * An objective names a command, what to measure of it (wall time, CPU time,
 * peak RSS, or through heaptrack peak heap and bytes leaked), a statistic over
 * repeated runs (median, p95, mean, max), and two limits: a target, which a
 * healthy build meets, and a critical limit, past which the check fails. Each
 * run is measured with wait4(2), so user/sys time and peak RSS belong to that
 * run alone.
 *
 * Objectives carry a report group ("seed", "project"), optional per-run
 * prepare and cleanup commands and a per-run timeout; a container probe
 * objective times each lifecycle phase instead of running its command.
 *
 * Verdicts, for a statistic v with a 95% confidence interval [lo, hi] of
 * the median (see cr_stats.h):
 *   PASS          v <= target and hi <= target
 *   INCONCLUSIVE  v <= target but hi > target: too noisy or too few runs
 *                 to claim the target is met
 *   WARN          target < v <= critical
 *   FAIL          v > critical
 *   ERROR         the command could not run or exited non-zero
 * For statistics other than the median the interval is not used.
 *
 * Ownership: a struct slo_config comes from slo_config_load and is freed
 * with slo_config_free; its objectives live as long as it does. A struct
 * slo_result is caller-allocated, filled by slo_measure, borrows its
 * objective from the config and owns its samples, released with
 * slo_result_release.
 */
#ifndef SLO_H
#define SLO_H

#include <stdbool.h>
#include <stddef.h>

#include "cr_stats.h"
#include "slo_error.h"

enum slo_metric {
    SLO_WALL_MS,
    SLO_USER_MS,
    SLO_SYS_MS,
    SLO_CPU_MS,
    SLO_RSS_MB,
    SLO_PEAK_HEAP_MB, /* heaptrack's peak heap, decimal MB (slo_heap.h) */
    SLO_LEAKED_KB,    /* heaptrack's bytes leaked, decimal KB */
    SLO_START_MS,     /* container probe: create + start + ready */
    SLO_START_STOP_MS /* container probe: create + start + ready + stop */
};

/* How a run is made: the objective's command, or the container probe
 * (slo_probe.h), which times each lifecycle phase on its own. */
enum slo_probe_kind { SLO_PROBE_COMMAND, SLO_PROBE_CONTAINER };
enum slo_phase {
    SLO_PHASE_CREATE,
    SLO_PHASE_START,
    SLO_PHASE_READY, /* the first exec answers */
    SLO_PHASE_STOP,
    SLO_PHASE_REMOVE,
    SLO_NPHASES
};
enum slo_stat { SLO_MEDIAN, SLO_P95, SLO_MEAN, SLO_MAX };
enum slo_verdict { SLO_PASS, SLO_INCONCLUSIVE, SLO_WARN, SLO_FAIL, SLO_ERROR };

struct slo_objective {
    char *name;
    char *description;
    char **argv;    /* NULL-terminated; argv[0] is looked up in PATH */
    char **setup;   /* run once before the warm-up, or NULL */
    char **prepare; /* run untimed before every run, or NULL */
    char **cleanup; /* run untimed after every run, or NULL */
    char *group;    /* report group ("seed", "project"...), never NULL */
    char *image;    /* container probe: the image, never NULL there */
    enum slo_probe_kind probe;
    bool tap;         /* the command prints TAP: a failed or empty plan is
                         an ERROR even when it exits 0 */
    double timeout_s; /* a run longer than this is killed: ERROR */
    enum slo_metric metric;
    enum slo_stat stat;
    double target, critical; /* in the metric's unit */
    int runs, warmup;
};

struct slo_config {
    char *path; /* the file it was read from */
    char *dir;  /* commands run here: the file's directory */
    struct slo_objective *obj;
    size_t n;
};

struct slo_sample {
    double wall_ms, user_ms, sys_ms, rss_mb;
    double peak_heap_mb, leaked_kb; /* heaptrack runs only (slo_heap.h) */
    double phase_ms[SLO_NPHASES];   /* container probe runs only */
    int exit_code;                  /* 128+N when killed by signal N */
};

struct slo_result {
    const struct slo_objective *obj; /* borrowed from the config */
    struct slo_sample *samples;      /* runs entries, owned */
    size_t n;
    struct cr_stats_summary sum;  /* of the objective's metric */
    struct cr_stats_summary wall; /* of the wall times, for the export */
    double value;                 /* the chosen statistic */
    enum slo_verdict verdict;
    char note[256]; /* why, for ERROR and INCONCLUSIVE */
};

#endif
