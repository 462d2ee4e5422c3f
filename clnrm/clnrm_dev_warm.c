/* clnrm_dev_warm: a test's services kept up between reruns. See
 * clnrm_dev_int.h. */
#include "clnrm_dev_int.h"

#include "cr_alloc.h"
#include "cr_clock.h"

#include <stdio.h>
#include <string.h>

static bool str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) ||
           (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static bool strv_eq(const struct cr_strv *a, const struct cr_strv *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]) != 0)
            return false;
    return true;
}

static bool env_eq(const struct clnrm_env *a, const struct clnrm_env *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (!str_eq(a->items[i].key, b->items[i].key) ||
            !str_eq(a->items[i].value, b->items[i].value))
            return false;
    return true;
}

static bool ready_eq(const struct clnrm_ready *a, const struct clnrm_ready *b)
{
    return a->kind == b->kind && strv_eq(&a->cmd, &b->cmd) &&
           str_eq(a->log_line, b->log_line) && a->port == b->port &&
           a->interval_ms == b->interval_ms && a->timeout_ms == b->timeout_ms &&
           a->retries == b->retries && a->try_timeout_ms == b->try_timeout_ms;
}

/* True when a container made from a would be made the same from b. */
static bool service_eq(const struct clnrm_service *a,
                       const struct clnrm_service *b)
{
    if (!str_eq(a->name, b->name) || !str_eq(a->image, b->image) ||
        !strv_eq(&a->command, &b->command) || !env_eq(&a->env, &b->env) ||
        !ready_eq(&a->ready, &b->ready) || a->n_ports != b->n_ports ||
        a->n_volumes != b->n_volumes)
        return false;
    for (size_t i = 0; i < a->n_ports; i++)
        if (a->ports[i] != b->ports[i] ||
            a->publish[i].host_port != b->publish[i].host_port ||
            strcmp(a->publish[i].host_ip, b->publish[i].host_ip) != 0)
            return false;
    for (size_t i = 0; i < a->n_volumes; i++)
        if (!str_eq(a->volumes[i].host_path, b->volumes[i].host_path) ||
            !str_eq(a->volumes[i].container_path,
                    b->volumes[i].container_path) ||
            a->volumes[i].read_only != b->volumes[i].read_only)
            return false;
    return true;
}

static bool security_eq(const struct clnrm_security *a,
                        const struct clnrm_security *b)
{
    return a->privileged == b->privileged &&
           a->no_new_privileges == b->no_new_privileges &&
           a->read_only_rootfs == b->read_only_rootfs &&
           a->drop_all_caps == b->drop_all_caps &&
           strv_eq(&a->cap_add, &b->cap_add) &&
           a->pids_limit == b->pids_limit && a->memory_mb == b->memory_mb &&
           a->cpus == b->cpus && a->host_network == b->host_network &&
           a->host_pid == b->host_pid && a->host_ipc == b->host_ipc;
}

/* True when b can run in a's containers after recreating single services:
 * the same services in the same order, network and security. */
static bool same_shape(const struct clnrm_test *a, const struct clnrm_test *b)
{
    if (a->n_services != b->n_services || !str_eq(a->name, b->name) ||
        clnrm_test_needs_network(a) != clnrm_test_needs_network(b) ||
        !security_eq(&a->security, &b->security))
        return false;
    for (size_t i = 0; i < a->n_services; i++)
        if (!str_eq(a->services[i].name, b->services[i].name))
            return false;
    return true;
}

static void emit_service(struct clnrm_dev *d, const struct clnrm_dev_test *dt,
                         const char *svc, const char *what)
{
    struct clnrm_dev_event ev = { .kind = CLNRM_DEV_SERVICE,
                                  .test = dt->t->name,
                                  .service = svc,
                                  .message = what };

    clnrm__dev_emit(d, &ev);
}

void clnrm__dev_stop(struct clnrm_dev *d, struct clnrm_dev_test *dt)
{
    struct clnrm_test_result scratch = { 0 };

    if (!dt->booted)
        return;
    dt->tr.res = &scratch;
    dt->tr.cleanup = d->cleanup;
    dt->tr.janitor = NULL;
    clnrm__teardown(&dt->tr);
    memset(&dt->tr, 0, sizeof(dt->tr));
    dt->booted = false;
}

/* Points the warm state at the newest spec: the services that changed are
 * marked in redo[]; a change of shape stops everything. */
static void take_pending(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                         bool *redo)
{
    struct clnrm_test *nt = dt->pending;

    if (nt == NULL)
        return;
    dt->pending = NULL;
    if (dt->booted && same_shape(dt->t, nt)) {
        for (size_t i = 0; i < nt->n_services; i++) {
            redo[i] = !service_eq(&dt->t->services[i], &nt->services[i]);
            dt->tr.svcs[i].svc = &nt->services[i];
        }
        dt->tr.t = nt;
        /* The labels borrow the test's name: point them at the new one. */
        dt->tr.n_labels =
            clnrm_runctx_labels(dt->tr.rc, nt->name, dt->tr.labels);
    } else {
        clnrm__dev_stop(d, dt);
    }
    clnrm_test_free(dt->t);
    dt->t = nt;
}

/* True when a file that service svc mounts was saved: a bind mount of a
 * file keeps the old inode after a write-rename save. */
static bool mount_changed(const struct clnrm_dev_test *dt,
                          const struct clnrm_service *svc)
{
    for (size_t i = 0; i < svc->n_volumes; i++)
        if (cr_strv_find(&dt->changed_refs, svc->volumes[i].host_path) >= 0)
            return true;
    return false;
}

static enum clnrm_code boot(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                            struct clnrm_test_result *res, uint64_t deadline)
{
    enum clnrm_code rc;

    memset(&dt->tr, 0, sizeof(dt->tr));
    dt->tr = (struct clnrm_test_run){ .eng = d->eng,
                                      .cleanup = d->cleanup,
                                      .rc = &d->rc,
                                      .t = dt->t,
                                      .res = res,
                                      .index = d->next_index++,
                                      .deadline_ms = deadline,
                                      .warm = true };
    if ((rc = clnrm__test_run_begin(&dt->tr)) != CLNRM_OK)
        return rc;
    dt->booted = true;
    rc = clnrm__boot(&dt->tr);
    for (size_t i = 0; i < dt->t->n_services; i++)
        if (dt->tr.svcs[i].id != NULL)
            emit_service(d, dt, dt->t->services[i].name, "created");
    return rc;
}

/* Removes service i's container and boots it again from its spec. */
static enum clnrm_code recreate(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                                size_t i)
{
    struct clnrm_svc_state *ss = &dt->tr.svcs[i];
    bool failed = false;
    char **ids = cr_calloc(2, sizeof(*ids));

    if (ids == NULL)
        return clnrm__test_fail(&dt->tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                                "out of memory");
    ids[0] = ss->id;
    clnrm_janitor_remove_now(d->cleanup, ids, ss->id != NULL ? 1 : 0, NULL,
                             &failed);
    cr_free(ss->host_ports);
    *ss = (struct clnrm_svc_state){ .svc = ss->svc };
    if (clnrm__boot_service(&dt->tr, d->eng, ss) != CLNRM_OK)
        return clnrm__test_fail(&dt->tr, CLNRM_STATUS_ERROR, ss->code,
                                ss->error);
    emit_service(d, dt, ss->svc->name, "recreated");
    return CLNRM_OK;
}

/* Brings dt's services to its newest spec. */
static enum clnrm_code update(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                              struct clnrm_test_result *res, uint64_t deadline,
                              bool *warm)
{
    bool redo[CLNRM_MAX_SERVICES] = { false }, any = false;
    size_t order[CLNRM_MAX_SERVICES];
    enum clnrm_code rc = CLNRM_OK;

    take_pending(d, dt, redo);
    if (d->opts->fresh)
        clnrm__dev_stop(d, dt);
    if (!dt->booted) {
        *warm = false;
        return boot(d, dt, res, deadline);
    }
    dt->tr.res = res;
    dt->tr.deadline_ms = deadline;
    if (clnrm_service_order(dt->t, order) != 0)
        return clnrm__test_fail(&dt->tr, CLNRM_STATUS_ERROR, CLNRM_E_INPUT,
                                "services wait on each other (a depends_on "
                                "cycle)");
    /* In depends_on order, each recreated service ready before the next
     * one is recreated, as at boot. A running dependent of a recreated
     * service is left running (see clnrm/README.md). */
    for (size_t k = 0; rc == CLNRM_OK && k < dt->t->n_services; k++) {
        size_t i = order[k];
        struct clnrm_svc_state *ss = &dt->tr.svcs[i];
        if (!redo[i] && !mount_changed(dt, ss->svc) && ss->dead == NULL)
            continue;
        any = true;
        rc = recreate(d, dt, i);
        if (rc == CLNRM_OK)
            rc = clnrm__wait_ready(&dt->tr);
    }
    if (!any)
        return CLNRM_OK;
    *warm = false;
    if (rc == CLNRM_OK && clnrm__port_env(&dt->tr) != 0)
        rc = clnrm__test_fail(&dt->tr, CLNRM_STATUS_ERROR, CLNRM_E_NOMEM,
                              "out of memory");
    return rc;
}

void clnrm__dev_run_test(struct clnrm_dev *d, struct clnrm_dev_test *dt,
                         uint64_t rerun_start_ms, struct clnrm_test_result *res,
                         bool *warm)
{
    const struct clnrm_test *t = dt->pending != NULL ? dt->pending : dt->t;
    uint64_t start = cr_clock_ms(), deadline = start + (uint64_t)t->timeout_ms;
    enum clnrm_code rc;

    *warm = true;
    if (d->opts->timebox_ms > 0 &&
        rerun_start_ms + (uint64_t)d->opts->timebox_ms < deadline)
        deadline = rerun_start_ms + (uint64_t)d->opts->timebox_ms;
    rc = update(d, dt, res, deadline, warm);
    cr_strv_release(&dt->changed_refs);
    dt->tr.t = dt->t;
    dt->tr.res = res;
    if (clnrm__result_begin(&dt->tr) == CLNRM_OK && rc == CLNRM_OK &&
        !clnrm__cancelled(&dt->tr))
        clnrm__run_steps(&dt->tr);
    if (clnrm__cancelled(&dt->tr)) {
        res->status = CLNRM_STATUS_ERROR;
        res->code = CLNRM_E_CANCELLED;
        snprintf(res->message, sizeof(res->message), "cancelled");
    }
    /* Services that did not come up are not warm: start clean next time. */
    if (rc != CLNRM_OK)
        clnrm__dev_stop(d, dt);
    res->duration_ms = cr_clock_ms() - start;
}
