/*
 * slo_config: reads objectives from a TOML file (format in slo/README.md)
 * and names the metrics and statistics that file uses.
 */
#ifndef SLO_CONFIG_H
#define SLO_CONFIG_H

#include "cr_error.h"
#include "slo.h"

/* A run is killed after this long unless the objective sets "timeout". */
#define SLO_DEFAULT_TIMEOUT_S (15.0 * 60.0)
/* The container probe's image unless the objective sets "image". */
#define SLO_DEFAULT_IMAGE "clnrm-base:latest"

/*
 * Reads objectives from path. Unknown keys are errors with their position.
 * On success *out is the caller's, freed with slo_config_free; strings and
 * argv arrays inside it live until then.
 */
enum slo_code slo_config_load(const char *path, struct slo_config **out,
                              struct cr_error *err);
/* Frees cfg and everything in it. NULL allowed. */
void slo_config_free(struct slo_config *cfg);

/* Names used in files and reports: "wall_ms", "median". Static storage. */
const char *slo_metric_name(enum slo_metric m);
const char *slo_stat_name(enum slo_stat s);

#endif
