/* clnrm_load_service: [services.NAME] and v1 [service.NAME]. See
 * clnrm_load_section.h. */
#include "clnrm_load_section.h"

#include "cr_alloc.h"

#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const service_keys[] = {
    "image",         "plugin",        "type",
    "env",           "ports",         "volumes",
    "health_check",  "command",       "wait_for_log",
    "wait_for_port", "username",      "password",
    "strict",        "wait_for_span", "wait_for_span_timeout_secs",
};

static int valid_name(const char *s)
{
    if (*s == '\0' || strlen(s) > 63)
        return 0;
    for (; *s != '\0'; s++)
        if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
            !(*s >= '0' && *s <= '9') && *s != '_' && *s != '-' && *s != '.')
            return 0;
    return 1;
}

/* The characters of a Docker image reference. The name ends up in URL
 * paths of the engine API, so anything else (blanks, '?', '#', '%') is
 * refused here with its position rather than garbling a request. */
static int valid_image(const char *s)
{
    if (*s == '\0' || strlen(s) > 255)
        return 0;
    for (; *s != '\0'; s++)
        if (!isalnum((unsigned char)*s) && strchr("._-/:@", *s) == NULL)
            return 0;
    return 1;
}

static int load_ports(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                      struct clnrm_service *s)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, "ports");

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"ports\" must be an array of "
                              "port numbers");
    s->ports = cr_calloc(cr_toml_len(v) + 1, sizeof(int));
    if (s->ports == NULL)
        return clnrm__fail_nomem(ld);
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        if (cr_toml_type(e) != CR_TOML_INTEGER || cr_toml_int(e) < 1 ||
            cr_toml_int(e) > 65535)
            return clnrm__fail_at(ld, cr_toml_pos(e),
                                  "ports must be integers from 1 to 65535");
        s->ports[s->n_ports++] = (int)cr_toml_int(e);
    }
    return 0;
}

/* Resolves a relative host path against the test file's directory. */
static char *resolve_host_path(const char *file, const char *p)
{
    char dir[PATH_MAX], real[PATH_MAX];
    char *copy;

    if (p[0] == '/')
        return cr_strdup(p);
    copy = cr_strdup(file);
    if (copy == NULL)
        return NULL;
    snprintf(dir, sizeof(dir), "%s", dirname(copy));
    cr_free(copy);
    if (realpath(dir, real) == NULL)
        snprintf(real, sizeof(real), "%s", dir);
    return cr_strprintf("%s/%s", real, p);
}

static int load_volume(struct clnrm_loader *ld, const struct cr_toml_value *e,
                       struct clnrm_volume *vol)
{
    static const char *const keys[] = { "host_path", "container_path",
                                        "read_only" };
    char *host = NULL;

    if (cr_toml_type(e) != CR_TOML_TABLE)
        return clnrm__fail_at(ld, cr_toml_pos(e),
                              "a volume must be a table with host_path and "
                              "container_path");
    clnrm__check_keys(ld, e, "volume", keys, CLNRM_N_OF(keys));
    if (clnrm__opt_string(ld, e, "host_path", &host) ||
        clnrm__opt_string(ld, e, "container_path", &vol->container_path) ||
        clnrm__opt_bool(ld, e, "read_only", &vol->read_only)) {
        cr_free(host);
        return -1;
    }
    if (host == NULL || vol->container_path == NULL ||
        vol->container_path[0] != '/') {
        cr_free(host);
        return clnrm__fail_at(ld, cr_toml_pos(e),
                              "a volume needs host_path and an absolute "
                              "container_path");
    }
    vol->host_path = resolve_host_path(ld->path, host);
    cr_free(host);
    return vol->host_path == NULL ? clnrm__fail_nomem(ld) : 0;
}

static int load_volumes(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl,
                        struct clnrm_service *s)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, "volumes");

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"volumes\" must be an array");
    s->volumes = cr_calloc(cr_toml_len(v) + 1, sizeof(*s->volumes));
    if (s->volumes == NULL)
        return clnrm__fail_nomem(ld);
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        s->n_volumes = i + 1;
        if (load_volume(ld, cr_toml_at(v, i), &s->volumes[i]) != 0)
            return -1;
    }
    return 0;
}

static int load_health(struct clnrm_loader *ld, const struct cr_toml_value *v,
                       struct clnrm_ready *r)
{
    static const char *const keys[] = { "cmd", "command", "interval", "timeout",
                                        "retries" };
    const struct cr_toml_value *cmd;

    r->kind = CLNRM_READY_CMD;
    if (cr_toml_type(v) != CR_TOML_TABLE)
        return clnrm__value_argv(ld, v, "health_check", &r->cmd);
    clnrm__check_keys(ld, v, "health_check", keys, CLNRM_N_OF(keys));
    cmd = cr_toml_get(v, "cmd") ? cr_toml_get(v, "cmd")
                                : cr_toml_get(v, "command");
    if (cmd == NULL)
        return clnrm__fail_at(ld, cr_toml_pos(v), "health_check needs \"cmd\"");
    if (clnrm__value_argv(ld, cmd, "cmd", &r->cmd) ||
        clnrm__opt_duration(ld, v, "interval", 1000, &r->interval_ms) ||
        clnrm__opt_duration(ld, v, "timeout", 1000, &r->try_timeout_ms) ||
        clnrm__opt_int(ld, v, "retries", 0, 100000, &r->retries))
        return -1;
    if (r->cmd.n == 0)
        return clnrm__fail_at(ld, cr_toml_pos(cmd),
                              "health_check cmd is empty");
    return 0;
}

static int load_readiness(struct clnrm_loader *ld,
                          const struct cr_toml_value *tbl,
                          struct clnrm_service *s)
{
    const struct cr_toml_value *hc = cr_toml_get(tbl, "health_check");
    int64_t port = 0;

    s->ready.interval_ms = 100;
    s->ready.timeout_ms = CLNRM_DEFAULT_READY_TIMEOUT_MS;
    if (hc != NULL && load_health(ld, hc, &s->ready) != 0)
        return -1;
    if (clnrm__opt_string(ld, tbl, "wait_for_log", &s->ready.log_line) ||
        clnrm__opt_int(ld, tbl, "wait_for_port", 1, 65535, &port))
        return -1;
    if ((hc != NULL) + (s->ready.log_line != NULL) + (port != 0) > 1)
        return clnrm__fail_at(ld, cr_toml_pos(tbl),
                              "service \"%s\": use only one of health_check, "
                              "wait_for_log and wait_for_port",
                              s->name);
    if (s->ready.log_line != NULL)
        s->ready.kind = CLNRM_READY_LOG;
    if (port != 0) {
        s->ready.kind = CLNRM_READY_PORT;
        s->ready.port = (int)port;
    }
    return 0;
}

static int load_service(struct clnrm_loader *ld, const char *name,
                        struct cr_pos name_pos, const struct cr_toml_value *tbl,
                        const char *where)
{
    struct clnrm_test *t = ld->t;
    struct clnrm_service *s = &t->services[t->n_services++];

    s->name = cr_strdup(name);
    if (s->name == NULL)
        return clnrm__fail_nomem(ld);
    s->line = name_pos.line;
    if (!valid_name(name))
        return clnrm__fail_at(
            ld, name_pos,
            "service name \"%s\" may only use letters, digits, "
            "'.', '_' and '-'",
            name);
    if (cr_toml_type(tbl) != CR_TOML_TABLE)
        return clnrm__fail_at(ld, name_pos, "service \"%s\" must be a table",
                              name);
    clnrm__check_keys(ld, tbl, where, service_keys, CLNRM_N_OF(service_keys));
    if (clnrm__opt_string(ld, tbl, "image", &s->image) ||
        clnrm__opt_string(ld, tbl, "plugin", &s->plugin) ||
        clnrm__opt_string(ld, tbl, "type", &s->plugin) ||
        clnrm__opt_argv(ld, tbl, "command", &s->command) ||
        clnrm__opt_env(ld, tbl, "env", &s->env) || load_ports(ld, tbl, s) ||
        load_volumes(ld, tbl, s) || load_readiness(ld, tbl, s))
        return -1;
    if (s->image != NULL && !valid_image(s->image))
        return clnrm__fail_at(ld, cr_toml_pos(cr_toml_get(tbl, "image")),
                              "image \"%s\" is not an image reference "
                              "(name[:tag][@digest])",
                              s->image);
    if (cr_toml_get(tbl, "wait_for_span") != NULL)
        clnrm__diag_at(
            ld, CLNRM_DIAG_NOTE, name_pos,
            "service \"%s\": wait_for_span is accepted but not evaluated",
            name);
    if (s->image == NULL && (s->image = cr_strdup(CLNRM_DEFAULT_IMAGE)) == NULL)
        return clnrm__fail_nomem(ld);
    return 0;
}

int clnrm__load_services(struct clnrm_loader *ld,
                         const struct cr_toml_value *tbl, const char *section)
{
    char where[80];
    size_t n = cr_toml_len(tbl);
    struct clnrm_service *grown;

    if (ld->t->n_services + n > CLNRM_MAX_SERVICES) {
        struct cr_pos pos;
        (void)cr_toml_key_at(tbl, CLNRM_MAX_SERVICES - ld->t->n_services, &pos);
        return clnrm__fail_at(ld, pos, "a test has at most %d services",
                              CLNRM_MAX_SERVICES);
    }
    grown = cr_realloc(ld->t->services,
                       (ld->t->n_services + n + 1) * sizeof(*grown));
    if (grown == NULL)
        return clnrm__fail_nomem(ld);
    ld->t->services = grown;
    memset(grown + ld->t->n_services, 0, (n + 1) * sizeof(*grown));
    for (size_t i = 0; i < n; i++) {
        struct cr_pos pos;
        const char *name = cr_toml_key_at(tbl, i, &pos);
        for (size_t k = 0; k < ld->t->n_services; k++)
            if (strcmp(ld->t->services[k].name, name) == 0)
                return clnrm__fail_at(ld, pos,
                                      "service \"%s\" is defined twice", name);
        snprintf(where, sizeof(where), "[%s.%s]", section, name);
        if (load_service(ld, name, pos, cr_toml_value_at(tbl, i), where))
            return -1;
    }
    return 0;
}
