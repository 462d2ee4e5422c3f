/* slo: the container lifecycle probe. See slo_probe.h. */
#include "slo_probe.h"

#include <stdio.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_clock.h"
#include "engine.h"

struct slo_probe {
    struct engine *eng;
};

static const char *const phase_names[SLO_NPHASES] = { "create", "start",
                                                      "ready", "stop",
                                                      "remove" };

const char *slo_phase_name(enum slo_phase p)
{
    return phase_names[p];
}

enum slo_code slo_probe_open(struct slo_probe **out, const atomic_int *stop,
                             struct cr_error *err)
{
    struct slo_probe *pr = cr_calloc(1, sizeof(*pr));
    struct cr_error ee = { 0 };

    *out = NULL;
    if (!pr)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    if (engine_open(&pr->eng, NULL, stop, &ee) != ENGINE_OK) {
        cr_free(pr);
        return slo_error_set(err, SLO_E_RUN, "container probe: %s", ee.msg);
    }
    *out = pr;
    return SLO_OK;
}

void slo_probe_close(struct slo_probe *pr)
{
    if (!pr)
        return;
    engine_close(pr->eng);
    cr_free(pr);
}

/* The first exec of the command answers with status 0: the container is
 * ready. */
static enum engine_code exec_ready(struct engine *eng, const char *id,
                                   const struct slo_objective *o,
                                   uint64_t deadline, struct cr_error *ee)
{
    struct engine_exec_spec xs = { .argv = (const char *const *)o->argv };
    struct engine_exec_result xr = { 0 };
    enum engine_code rc = engine_exec(eng, id, &xs, deadline, &xr, ee);

    if (rc == ENGINE_OK && xr.exit_code != 0)
        rc = engine_error_set(ee, ENGINE_E_API, "%s exited with status %d",
                              o->argv[0], xr.exit_code);
    engine_exec_result_release(&xr);
    return rc;
}

/* Runs phase p and adds its time to s; the engine call is in the switch so
 * that each phase is timed around exactly one step. */
static enum engine_code timed_phase(struct engine *eng, enum slo_phase p,
                                    const struct slo_objective *o, char **id,
                                    uint64_t deadline, struct slo_sample *s,
                                    struct cr_error *ee)
{
    static const char *const keepalive[] = { "sleep", "2147483647", NULL };
    static const struct engine_kv label = { "org.cleanroom.slo", "probe" };
    struct engine_container_spec cs = { .image = o->image,
                                        .argv = keepalive,
                                        .labels = &label,
                                        .nlabels = 1,
                                        .network = "none",
                                        .init = true };
    uint64_t t0 = cr_clock_ns();
    enum engine_code rc = ENGINE_OK;

    switch (p) {
    case SLO_PHASE_CREATE:
        rc = engine_container_create(eng, &cs, id, ee);
        break;
    case SLO_PHASE_START:
        rc = engine_container_start(eng, *id, ee);
        break;
    case SLO_PHASE_READY:
        rc = exec_ready(eng, *id, o, deadline, ee);
        break;
    case SLO_PHASE_STOP:
        rc = engine_container_stop(eng, *id, 10, ee);
        break;
    case SLO_PHASE_REMOVE:
        rc = engine_container_remove(eng, *id, false, ee);
        break;
    case SLO_NPHASES:
        break;
    }
    s->phase_ms[p] = (double)(cr_clock_ns() - t0) / 1e6;
    if (rc == ENGINE_OK && cr_clock_ms() > deadline)
        rc = engine_error_set(ee, ENGINE_E_TIMEOUT, "timed out");
    return rc;
}

enum slo_code slo_probe_container(struct slo_probe *pr,
                                  const struct slo_objective *o,
                                  uint64_t timeout_ms, struct slo_sample *s,
                                  struct cr_error *err)
{
    uint64_t deadline = cr_clock_ms() + timeout_ms;
    struct cr_error ee = { 0 };
    char *id = NULL;
    int p = 0;
    enum engine_code rc = ENGINE_OK;

    memset(s, 0, sizeof(*s));
    for (; p < SLO_NPHASES && rc == ENGINE_OK; p++)
        rc = timed_phase(pr->eng, (enum slo_phase)p, o, &id, deadline, s, &ee);
    if (rc != ENGINE_OK && id) {
        /* Never leave our container behind, whatever failed. */
        struct cr_error ignored = { 0 };
        engine_container_remove(pr->eng, id, true, &ignored);
    }
    cr_free(id);
    for (int i = 0; i < SLO_NPHASES; i++)
        s->wall_ms += s->phase_ms[i];
    if (rc != ENGINE_OK)
        return slo_error_set(
            err, rc == ENGINE_E_NOMEM ? SLO_E_NOMEM : SLO_E_RUN,
            "container probe: %s failed: %s", phase_names[p - 1], ee.msg);
    return SLO_OK;
}
