/*
 * slo: service-level objectives measured honestly.
 *
 * An objective names a command, what to measure of it (wall time, CPU time
 * or peak memory), a statistic over repeated runs (median, p95, mean, max),
 * and two limits: a target, which a healthy build meets, and a critical
 * limit, past which the check fails. Each run is measured with wait4(2), so
 * user/sys time and peak RSS belong to that run alone.
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
 * Ownership: slo_config_load allocates a struct slo_config that the caller
 * frees with slo_config_free; results from slo_run belong to the caller and
 * are freed with slo_result_release.
 */
#ifndef SLO_H
#define SLO_H

#include <stdatomic.h>
#include <stddef.h>

#include "cr_error.h"
#include "cr_stats.h"

#define SLO_CODES(X)                                                           \
    X(OK, 0, "success")                                                        \
    X(E_FAILED, 1, "an objective failed")                                      \
    X(E_USAGE, 2, "bad usage")                                                 \
    X(E_CONFIG, 2, "bad objectives file")                                      \
    X(E_RUN, 1, "a measured command failed")                                   \
    X(E_IO, 1, "input/output error")                                           \
    X(E_NOMEM, 1, "out of memory")

enum slo_code {
#define SLO_X_ENUM(name, status, text) SLO_##name,
    SLO_CODES(SLO_X_ENUM)
#undef SLO_X_ENUM
};

enum slo_metric {
    SLO_WALL_MS,
    SLO_USER_MS,
    SLO_SYS_MS,
    SLO_CPU_MS,
    SLO_RSS_MB
};
enum slo_stat { SLO_MEDIAN, SLO_P95, SLO_MEAN, SLO_MAX };
enum slo_verdict { SLO_PASS, SLO_INCONCLUSIVE, SLO_WARN, SLO_FAIL, SLO_ERROR };

struct slo_objective {
    char *name;
    char *description;
    char **argv;  /* NULL-terminated; argv[0] is looked up in PATH */
    char **setup; /* run once before the warm-up, or NULL */
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
    int exit_code; /* 128+N when killed by signal N */
};

struct slo_result {
    const struct slo_objective *obj; /* borrowed from the config */
    struct slo_sample *samples;      /* runs entries, owned */
    size_t n;
    struct cr_stats_summary sum; /* of the objective's metric */
    double value;                /* the chosen statistic */
    enum slo_verdict verdict;
    char note[256]; /* why, for ERROR and INCONCLUSIVE */
};

/* A static description of code and its process exit status. */
const char *slo_strerror(enum slo_code code);
int slo_exit_status(enum slo_code code);
CR_DECLARE_ERROR_SET(slo_error_set, enum slo_code);

/* The version string, "cleanroom X.Y.Z". Static storage. */
const char *slo_version(void);

/* Names used in files and reports: "wall_ms", "median", "PASS", ... */
const char *slo_metric_name(enum slo_metric m);
const char *slo_stat_name(enum slo_stat s);
const char *slo_verdict_name(enum slo_verdict v);

/*
 * Reads objectives from a TOML file (format in slo/README.md). Unknown keys
 * are errors with their position. On success *out is the caller's (free
 * with slo_config_free).
 */
enum slo_code slo_config_load(const char *path, struct slo_config **out,
                              struct cr_error *err);
void slo_config_free(struct slo_config *cfg);

/*
 * Called before each run with the objective, run index (negative during
 * warm-up) and the total, so a tool can show progress. May be NULL.
 */
typedef void (*slo_progress_fn)(void *arg, const struct slo_objective *o,
                                int run, int runs);

/*
 * Measures one objective: setup, warm-up, then the timed runs, stopping
 * early when *stop becomes non-zero. Fills *res (release with
 * slo_result_release) and judges it. Returns SLO_OK even when the verdict is
 * FAIL; an unrunnable command gives verdict ERROR, not an error code.
 */
enum slo_code slo_measure(const struct slo_config *cfg,
                          const struct slo_objective *o, slo_progress_fn fn,
                          void *arg, const atomic_int *stop,
                          struct slo_result *res, struct cr_error *err);
void slo_result_release(struct slo_result *res);

/* The metric's value of one sample. */
double slo_sample_metric(const struct slo_sample *s, enum slo_metric m);

/* Applies the verdict rules above to res->samples (sets sum/value/verdict). */
void slo_judge(struct slo_result *res);

#endif
