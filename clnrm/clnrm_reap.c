/* clnrm_reap: labels, orphan sweep, signals. See clnrm_reap.h. */
#include "clnrm_reap.h"

#include "cr_clock.h"
#include "cr_procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

int clnrm_proc_start_time(pid_t pid, char *buf, size_t size)
{
    struct cr_procfs_stat st;
    int n;

    if (cr_procfs_stat(pid, &st) != 0)
        return -1;
    n = snprintf(buf, size, "%llu", st.starttime);
    return n > 0 && (size_t)n < size ? 0 : -1;
}

bool clnrm_owner_alive(const char *pid, const char *pid_start)
{
    char now[32], *end;
    long v;

    if (pid == NULL || pid_start == NULL)
        return true;
    errno = 0;
    v = strtol(pid, &end, 10);
    if (errno != 0 || *end != '\0' || v <= 0 || v > 1 << 30)
        return true;
    if (clnrm_proc_start_time((pid_t)v, now, sizeof(now)) != 0)
        return false;
    return strcmp(now, pid_start) == 0;
}

enum clnrm_code clnrm_runctx_init(struct clnrm_runctx *rc, struct cr_error *err)
{
    unsigned char rnd[6];

    memset(rc, 0, sizeof(*rc));
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
        uint64_t t = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
        memcpy(rnd, &t, sizeof(rnd));
    }
    snprintf(rc->run_id, sizeof(rc->run_id), "%02x%02x%02x%02x%02x%02x", rnd[0],
             rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
    snprintf(rc->pid, sizeof(rc->pid), "%d", (int)getpid());
    if (clnrm_proc_start_time(getpid(), rc->pid_start, sizeof(rc->pid_start)) !=
        0)
        return clnrm_error_set(err, CLNRM_E_IO,
                               "cannot read /proc/self/stat: %s",
                               strerror(errno));
    if (gethostname(rc->host, sizeof(rc->host) - 1) != 0)
        snprintf(rc->host, sizeof(rc->host), "localhost");
    return CLNRM_OK;
}

size_t clnrm_runctx_labels(const struct clnrm_runctx *rc, const char *test,
                           struct engine_kv *kv)
{
    size_t n = 0;

    kv[n++] = (struct engine_kv){ CLNRM_LABEL_RUN, rc->run_id };
    kv[n++] = (struct engine_kv){ rc->keep_on_failure ? CLNRM_LABEL_KEEP_PID
                                                      : CLNRM_LABEL_PID,
                                  rc->pid };
    kv[n++] =
        (struct engine_kv){ rc->keep_on_failure ? CLNRM_LABEL_KEEP_PID_START
                                                : CLNRM_LABEL_PID_START,
                            rc->pid_start };
    kv[n++] = (struct engine_kv){ CLNRM_LABEL_HOST, rc->host };
    if (test != NULL)
        kv[n++] = (struct engine_kv){ CLNRM_LABEL_TEST, test };
    if (rc->keep_on_failure)
        kv[n++] = (struct engine_kv){ CLNRM_LABEL_KEEP, "on-failure" };
    return n;
}

/* ---------------------------------------------------------------------- */
/* Sweep                                                                   */

static bool is_orphan(const struct engine_object *o, const char *host)
{
    const char *h = engine_object_label(o, CLNRM_LABEL_HOST);
    bool kept = engine_object_label(o, CLNRM_LABEL_KEEP) != NULL;

    if (h == NULL || strcmp(h, host) != 0)
        return false;
    return !clnrm_owner_alive(
        engine_object_label(o, kept ? CLNRM_LABEL_KEEP_PID : CLNRM_LABEL_PID),
        engine_object_label(o, kept ? CLNRM_LABEL_KEEP_PID_START
                                    : CLNRM_LABEL_PID_START));
}

/* Lists one kind of object (containers or networks) carrying filter and
 * removes those that are ours to remove. Removal failures are counted,
 * not returned: one stuck object must not keep the others alive. */
/* What a sweep takes: the orphans of dead runs, one run's objects, or
 * the kept objects of finished runs. Kept objects are taken only by the
 * last. */
enum sweep_mode { SWEEP_ORPHANS, SWEEP_RUN, SWEEP_KEPT };

static bool takes(enum sweep_mode mode, const struct engine_object *o,
                  const char *host)
{
    bool kept = engine_object_label(o, CLNRM_LABEL_KEEP) != NULL;

    switch (mode) {
    case SWEEP_RUN:
        return !kept;
    case SWEEP_KEPT:
        return kept && is_orphan(o, host);
    default:
        return !kept && is_orphan(o, host);
    }
}

static enum clnrm_code sweep_kind(struct engine *eng, bool containers,
                                  enum sweep_mode mode, const char *run_id,
                                  const char *host,
                                  struct clnrm_sweep_stats *st,
                                  struct cr_error *err)
{
    char filter[96];
    const char *labels[] = { filter, NULL };
    struct engine_object *list;
    size_t n;
    enum clnrm_code rc;

    if (mode == SWEEP_RUN)
        snprintf(filter, sizeof(filter), "%s=%s", CLNRM_LABEL_RUN, run_id);
    else
        snprintf(filter, sizeof(filter), "%s",
                 mode == SWEEP_KEPT ? CLNRM_LABEL_KEEP : CLNRM_LABEL_PID);
    rc = clnrm_from_engine(
        containers ? engine_container_list_labelled(eng, labels, &list, &n, err)
                   : engine_network_list_labelled(eng, labels, &list, &n, err),
        err);
    if (rc != CLNRM_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        struct cr_error e = { 0 };
        enum clnrm_code r;

        if (!takes(mode, &list[i], host))
            continue;
        if (containers)
            r = clnrm_from_engine(
                engine_container_remove(eng, list[i].id, true, &e), &e);
        else
            r = clnrm_from_engine(engine_network_remove(eng, list[i].id, &e),
                                  &e);
        if (r == CLNRM_OK && containers)
            st->containers++;
        else if (r == CLNRM_OK)
            st->networks++;
        else if (st->failed++ == 0)
            snprintf(st->first_failure, sizeof(st->first_failure),
                     "%s %.12s: %.250s", containers ? "container" : "network",
                     list[i].id, e.msg);
    }
    engine_objects_free(list, n);
    return CLNRM_OK;
}

static enum clnrm_code sweep(struct engine *eng, enum sweep_mode mode,
                             const char *run_id, struct clnrm_sweep_stats *st,
                             struct cr_error *err)
{
    struct clnrm_sweep_stats local = { 0 };
    char host[72] = "localhost";
    enum clnrm_code rc;

    if (st == NULL)
        st = &local;
    memset(st, 0, sizeof(*st));
    if (gethostname(host, sizeof(host) - 1) != 0)
        snprintf(host, sizeof(host), "localhost");
    /* Containers first: a network with attached containers cannot go. */
    rc = sweep_kind(eng, true, mode, run_id, host, st, err);
    if (rc == CLNRM_OK)
        rc = sweep_kind(eng, false, mode, run_id, host, st, err);
    return rc;
}

enum clnrm_code clnrm_reap_sweep(struct engine *eng, const char *run_id,
                                 struct clnrm_sweep_stats *st,
                                 struct cr_error *err)
{
    return sweep(eng, run_id != NULL ? SWEEP_RUN : SWEEP_ORPHANS, run_id, st,
                 err);
}

enum clnrm_code clnrm_reap_clean(struct engine *eng,
                                 struct clnrm_sweep_stats *st,
                                 struct cr_error *err)
{
    return sweep(eng, SWEEP_KEPT, NULL, st, err);
}

enum clnrm_code clnrm_reap_count(struct engine *eng, const char *run_id,
                                 size_t *containers, size_t *networks,
                                 struct cr_error *err)
{
    char filter[96];
    char **ids = NULL;
    const char *labels[] = { filter, NULL };
    enum clnrm_code rc;

    snprintf(filter, sizeof(filter), "%s=%s", CLNRM_LABEL_RUN, run_id);
    rc = clnrm_from_engine(
        engine_container_list_by_label(eng, labels, &ids, containers, err),
        err);
    engine_strv_free(ids);
    ids = NULL;
    if (rc == CLNRM_OK)
        rc = clnrm_from_engine(
            engine_network_list_by_label(eng, labels, &ids, networks, err),
            err);
    engine_strv_free(ids);
    return rc;
}

/* Adds b's counts to a, keeping a's first failure. */
static void stats_add(struct clnrm_sweep_stats *a,
                      const struct clnrm_sweep_stats *b)
{
    if (a->failed == 0 && b->failed > 0)
        memcpy(a->first_failure, b->first_failure, sizeof(a->first_failure));
    a->containers += b->containers;
    a->networks += b->networks;
    a->failed += b->failed;
}

enum clnrm_code clnrm_reap_settle(struct engine *eng, uint64_t last_seen_ms,
                                  uint64_t quiet_ms, uint64_t until_ms,
                                  const atomic_int *cancel,
                                  struct clnrm_sweep_stats *st,
                                  struct cr_error *err)
{
    const struct timespec poll = { 0, CLNRM_SETTLE_POLL_MS * 1000000L };
    const size_t failed_before = st->failed;

    for (;;) {
        struct clnrm_sweep_stats round = { 0 };
        enum clnrm_code rc = sweep(eng, SWEEP_ORPHANS, NULL, &round, err);
        uint64_t now = cr_clock_ms();

        if (rc != CLNRM_OK)
            return rc;
        /* An object that cannot be removed is seen again every round:
         * count the last round's failures, not their sum. */
        stats_add(st, &round);
        st->failed = failed_before + round.failed;
        if (round.containers + round.networks > 0)
            last_seen_ms = now;
        if (now - last_seen_ms >= quiet_ms || now >= until_ms ||
            (cancel != NULL && atomic_load(cancel)))
            return CLNRM_OK;
        nanosleep(&poll, NULL);
    }
}
