/*
 * Fuzz target for slo.toml reading (slo_config.h). slo_config_load takes
 * a path, so each input is written to a file in a private temp directory
 * first. Checks: success gives a config with its objectives, failure none
 * and a one-line message naming the file.
 */
#include "slo_config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

/* The temp file, made once per process (libFuzzer has no setup hook that
 * takes a context). */
static char dir[64];
static char path[96];

static void remove_dir(void)
{
    unlink(path);
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct slo_config *cfg = (struct slo_config *)1;
    struct cr_error err = { 0 };
    FILE *f;

    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/fuzz-slo-XXXXXX");
        check(mkdtemp(dir) != NULL);
        snprintf(path, sizeof(path), "%s/slo.toml", dir);
        atexit(remove_dir);
    }
    f = fopen(path, "wb");
    check(f != NULL);
    check(size == 0 || fwrite(data, 1, size, f) == size);
    check(fclose(f) == 0);
    if (slo_config_load(path, &cfg, &err) == SLO_OK) {
        check(cfg != NULL);
        for (size_t i = 0; i < cfg->n; i++)
            (void)slo_metric_name(cfg->obj[i].metric);
        slo_config_free(cfg);
        return 0;
    }
    check(cfg == NULL);
    check(strchr(err.msg, '\n') == NULL);
    check(strstr(err.msg, "slo.toml") != NULL);
    return 0;
}
