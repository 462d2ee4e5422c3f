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
    "args",          "description",   "environment",
    "healthcheck",   "working_dir",   "workdir",
    "depends_on",    "build",
};
/* Keys of the Rust clnrm's own files that mean nothing here: resources
 * (its limits are per test here), network (every test gets its own),
 * endpoint and default_model (its AI plugins), wait_for_ready. */
static const char *const service_unused[] = {
    "network", "resources", "endpoint", "default_model", "wait_for_ready",
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

/* Compose's healthcheck test: ["CMD", argv...], ["CMD-SHELL", "line"] or
 * a string (run by sh -c, as compose does). */
static int compose_test(struct clnrm_loader *ld, const struct cr_toml_value *t,
                        struct cr_strv *out)
{
    const char *first = cr_toml_type(t) == CR_TOML_ARRAY && cr_toml_len(t) > 0
                            ? cr_toml_string(cr_toml_at(t, 0), NULL)
                            : NULL;

    if (cr_toml_type(t) == CR_TOML_STRING)
        return cr_strv_push(out, "sh") || cr_strv_push(out, "-c") ||
                       cr_strv_push(out, cr_toml_string(t, NULL))
                   ? clnrm__fail_nomem(ld)
                   : 0;
    if (clnrm__value_argv(ld, t, "test", out) != 0)
        return -1;
    if (first != NULL && strcmp(first, "CMD-SHELL") == 0 && out->n == 2) {
        struct cr_strv sh = { 0 };
        if (cr_strv_push(&sh, "sh") || cr_strv_push(&sh, "-c") ||
            cr_strv_push(&sh, out->v[1])) {
            cr_strv_release(&sh);
            return clnrm__fail_nomem(ld);
        }
        cr_strv_release(out);
        *out = sh;
    } else if (first != NULL && strcmp(first, "CMD") == 0) {
        struct cr_strv rest = { 0 };
        for (size_t i = 1; i < out->n; i++)
            if (cr_strv_push(&rest, out->v[i]) != 0) {
                cr_strv_release(&rest);
                return clnrm__fail_nomem(ld);
            }
        cr_strv_release(out);
        *out = rest;
    }
    return 0;
}

static int load_health(struct clnrm_loader *ld, const struct cr_toml_value *v,
                       struct clnrm_ready *r)
{
    static const char *const keys[] = { "cmd",          "command",
                                        "interval",     "timeout",
                                        "retries",      "test",
                                        "start_period", "start_interval" };
    const struct cr_toml_value *cmd;
    int64_t ignored = 0;

    r->kind = CLNRM_READY_CMD;
    if (cr_toml_type(v) != CR_TOML_TABLE)
        return clnrm__value_argv(ld, v, "health_check", &r->cmd);
    clnrm__check_keys(ld, v, "health_check", keys, CLNRM_N_OF(keys));
    cmd = cr_toml_get(v, "cmd") ? cr_toml_get(v, "cmd")
                                : cr_toml_get(v, "command");
    if (cmd == NULL && cr_toml_get(v, "test") == NULL)
        return clnrm__fail_at(ld, cr_toml_pos(v), "health_check needs \"cmd\"");
    if ((cmd != NULL ? clnrm__value_argv(ld, cmd, "cmd", &r->cmd)
                     : compose_test(ld, cr_toml_get(v, "test"), &r->cmd)) ||
        clnrm__opt_duration(ld, v, "interval", 1000, &r->interval_ms) ||
        clnrm__opt_duration(ld, v, "timeout", 1000, &r->try_timeout_ms) ||
        clnrm__opt_duration(ld, v, "start_period", 1000, &ignored) ||
        clnrm__opt_duration(ld, v, "start_interval", 1000, &ignored) ||
        clnrm__opt_int(ld, v, "retries", 0, 100000, &r->retries))
        return -1;
    if (r->cmd.n == 0)
        return clnrm__fail_at(ld, cr_toml_pos(v), "health_check cmd is empty");
    return 0;
}

static int load_readiness(struct clnrm_loader *ld,
                          const struct cr_toml_value *tbl,
                          struct clnrm_service *s)
{
    const struct cr_toml_value *hc = cr_toml_get(tbl, "health_check");
    int64_t port = 0;

    if (hc != NULL && cr_toml_get(tbl, "healthcheck") != NULL)
        return clnrm__fail_at(ld, cr_toml_pos(cr_toml_get(tbl, "healthcheck")),
                              "service \"%s\": use one of health_check and "
                              "healthcheck",
                              s->name);
    if (hc == NULL)
        hc = cr_toml_get(tbl, "healthcheck");

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

/* PID 1: `command`, else the Rust clnrm's `args` (its container's default
 * arguments), in either case an argv array or a shell-like string. */
static int load_command(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl,
                        struct clnrm_service *s)
{
    if (cr_toml_get(tbl, "command") != NULL && cr_toml_get(tbl, "args") != NULL)
        return clnrm__fail_at(ld, cr_toml_pos(cr_toml_get(tbl, "args")),
                              "service \"%s\": use one of command and args",
                              s->name);
    return clnrm__opt_argv(ld, tbl, "command", &s->command) ||
                   clnrm__opt_argv(ld, tbl, "args", &s->command)
               ? -1
               : 0;
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
    clnrm__check_keys_compat(ld, tbl, where, service_keys,
                             CLNRM_N_OF(service_keys), service_unused,
                             CLNRM_N_OF(service_unused));
    if (clnrm__opt_string(ld, tbl, "image", &s->image) ||
        clnrm__opt_string(ld, tbl, "plugin", &s->plugin) ||
        clnrm__opt_string(ld, tbl, "type", &s->plugin) ||
        clnrm__opt_string(ld, tbl, "description", &s->description) ||
        clnrm__opt_string(ld, tbl, "workdir", &s->workdir) ||
        clnrm__opt_string(ld, tbl, "working_dir", &s->workdir) ||
        load_command(ld, tbl, s) || clnrm__opt_env(ld, tbl, "env", &s->env) ||
        clnrm__opt_env(ld, tbl, "environment", &s->env) ||
        clnrm__load_ports(ld, tbl, s) || clnrm__load_volumes(ld, tbl, s) ||
        load_readiness(ld, tbl, s) || clnrm__load_depends(ld, tbl, s) ||
        clnrm__load_build(ld, tbl, s))
        return -1;
    for (size_t i = 0; i < s->n_volumes; i++) {
        /* Where each volume is written, for a run that finds its source
         * missing (clnrm_suite_check_volumes). */
        struct cr_pos vp =
            cr_toml_pos(cr_toml_at(cr_toml_get(tbl, "volumes"), i));
        s->volumes[i].line = vp.line;
        s->volumes[i].col = vp.col;
    }
    if (s->build != NULL && s->image != NULL)
        return clnrm__fail_at(ld, cr_toml_pos(cr_toml_get(tbl, "build")),
                              "service \"%s\": use one of image and build",
                              name);
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
    if (s->image == NULL && s->build == NULL &&
        (s->image = cr_strdup(CLNRM_DEFAULT_IMAGE)) == NULL)
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
