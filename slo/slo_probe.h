/*
 * slo_probe: the container lifecycle probe. Each run creates a container
 * from the objective's image, starts it, execs the objective's command
 * until it answers (ready), stops and removes it, timing every phase on its
 * own through the engine library (no docker CLI, no clnrm).
 *
 * Ownership: slo_probe_open gives a handle owned by the caller (one engine
 * connection), released with slo_probe_close. main() must have called
 * engine_global_init first.
 */
#ifndef SLO_PROBE_H
#define SLO_PROBE_H

#include <stdatomic.h>
#include <stdint.h>

#include "cr_error.h"
#include "slo.h"

struct slo_probe;

/* Connects to the engine ($DOCKER_HOST or the default socket). SLO_E_RUN
 * with the engine's one-line reason when it is unreachable. */
enum slo_code slo_probe_open(struct slo_probe **out, const atomic_int *stop,
                             struct cr_error *err);

/* Accepts NULL. */
void slo_probe_close(struct slo_probe *pr);

/*
 * One lifecycle run of o: fills s->phase_ms and s->wall_ms (their sum).
 * The container is labelled org.cleanroom.slo=probe and is removed (forced)
 * whatever fails. SLO_E_RUN with the phase and the reason on failure, also
 * when the whole run exceeds timeout_ms.
 */
enum slo_code slo_probe_container(struct slo_probe *pr,
                                  const struct slo_objective *o,
                                  uint64_t timeout_ms, struct slo_sample *s,
                                  struct cr_error *err);

/* "create", "start", "ready", "stop", "remove". Static storage. */
const char *slo_phase_name(enum slo_phase p);

#endif
