/*
 * clnrm_load: builds a struct clnrm_test from a parsed TOML document, for
 * both the Rust clnrm format and its v1 form (see clnrm_spec.h).
 *
 * Hard errors (wrong types, bad regexes, missing commands) stop loading at
 * the first one, with its position. Unknown keys are collected as warnings
 * with a did-you-mean, and become one error at the end under strict mode.
 */
#include "clnrm_regex.h"
#include "clnrm_spec.h"

#include "cr_alloc.h"
#include "cr_fs.h"
#include "cr_toml.h"

#include <ctype.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

struct loader {
    const struct cr_toml_doc *doc;
    const char *path;
    const struct clnrm_load_opts *opts;
    struct clnrm_diags *diags;
    struct cr_error *err;
    struct clnrm_test *t;
    struct clnrm_diag first_warning;
    size_t n_warnings;
};

/* Every function below returns 0 on success and -1 after filling ld->err. */

static int fail_nomem(struct loader *ld)
{
    clnrm_error_set(ld->err, CLNRM_E_NOMEM, "out of memory");
    return -1;
}

static int fail_at(struct loader *ld, struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct loader *ld, struct cr_pos pos, const char *fmt, ...)
{
    char msg[400];
    struct cr_error te;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cr_toml_errorf(&te, CR_TOML_E_TYPE, ld->doc, pos, "%s", msg);
    clnrm_error_set(ld->err, CLNRM_E_INPUT, "%s", te.msg);
    return -1;
}

static int fail_toml(struct loader *ld, const struct cr_error *te)
{
    if (te->code == CR_TOML_E_NOMEM)
        return fail_nomem(ld);
    clnrm_error_set(ld->err, CLNRM_E_INPUT, "%s", te->msg);
    return -1;
}

static void diag_at(struct loader *ld, enum clnrm_diag_level level,
                    struct cr_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void diag_at(struct loader *ld, enum clnrm_diag_level level,
                    struct cr_pos pos, const char *fmt, ...)
{
    struct clnrm_diags *d = ld->diags;
    struct cr_error te;
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    cr_toml_errorf(&te, CR_TOML_E_TYPE, ld->doc, pos, "%s", msg);
    if (level == CLNRM_DIAG_WARN && ld->n_warnings++ == 0) {
        ld->first_warning.level = level;
        snprintf(ld->first_warning.msg, sizeof(ld->first_warning.msg), "%s",
                 te.msg);
    }
    if (d == NULL)
        return;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        struct clnrm_diag *grown = cr_realloc(d->items, cap * sizeof(*grown));
        if (grown == NULL)
            return; /* diagnostics are best effort */
        d->items = grown;
        d->cap = cap;
    }
    d->items[d->n].level = level;
    snprintf(d->items[d->n].msg, sizeof(d->items[d->n].msg), "%s", te.msg);
    d->n++;
}

/* Warns about every key of tbl not in known[], suggesting the closest. */
static void check_keys(struct loader *ld, const struct cr_toml_value *tbl,
                       const char *where, const char *const *known, size_t n)
{
    for (size_t i = 0; i < cr_toml_len(tbl); i++) {
        struct cr_pos pos;
        const char *key = cr_toml_key_at(tbl, i, &pos);
        const char *hint;
        bool found = false;

        for (size_t k = 0; k < n && !found; k++)
            found = strcmp(key, known[k]) == 0;
        if (found)
            continue;
        hint = cr_toml_suggest(key, known, n);
        if (hint != NULL)
            diag_at(ld, CLNRM_DIAG_WARN, pos,
                    "unknown key \"%s\" in %s (did you mean \"%s\"?)", key,
                    where, hint);
        else
            diag_at(ld, CLNRM_DIAG_WARN, pos, "unknown key \"%s\" in %s", key,
                    where);
    }
}

/* ---------------------------------------------------------------------- */
/* Typed optional fields                                                   */

static int opt_string(struct loader *ld, const struct cr_toml_value *tbl,
                      const char *key, char **out)
{
    struct cr_error te;
    const char *s;
    enum cr_toml_code rc = cr_toml_get_string(ld->doc, tbl, key, &s, &te);

    if (rc == CR_TOML_E_MISSING)
        return 0;
    if (rc != CR_TOML_OK)
        return fail_toml(ld, &te);
    cr_free(*out);
    *out = cr_strdup(s);
    return *out == NULL ? fail_nomem(ld) : 0;
}

static int opt_bool(struct loader *ld, const struct cr_toml_value *tbl,
                    const char *key, bool *out)
{
    struct cr_error te;
    enum cr_toml_code rc = cr_toml_get_bool(ld->doc, tbl, key, out, &te);

    return rc == CR_TOML_OK || rc == CR_TOML_E_MISSING ? 0 : fail_toml(ld, &te);
}

static int opt_int(struct loader *ld, const struct cr_toml_value *tbl,
                   const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    struct cr_error te;
    int64_t val = 0;
    enum cr_toml_code rc = cr_toml_get_int(ld->doc, tbl, key, &val, &te);

    if (rc == CR_TOML_E_MISSING)
        return 0;
    if (rc != CR_TOML_OK)
        return fail_toml(ld, &te);
    if (val < lo || val > hi)
        return fail_at(ld, cr_toml_pos(v),
                       "\"%s\" must be between %" PRId64 " and %" PRId64
                       ", not %" PRId64,
                       key, lo, hi, val);
    *out = val;
    return 0;
}

/* A duration: an integer in unit_ms units, or a string such as "30s". */
static int opt_duration(struct loader *ld, const struct cr_toml_value *tbl,
                        const char *key, int64_t unit_ms, int64_t *out)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) == CR_TOML_INTEGER && cr_toml_int(v) >= 0 &&
        cr_toml_int(v) < INT64_MAX / 3600000) {
        *out = cr_toml_int(v) * unit_ms;
        return 0;
    }
    if (cr_toml_type(v) == CR_TOML_STRING &&
        clnrm_parse_duration(cr_toml_string(v, NULL), out) == 0)
        return 0;
    return fail_at(ld, cr_toml_pos(v),
                   "\"%s\" must be a duration such as 30 or \"30s\" or "
                   "\"500ms\"",
                   key);
}

/* An argv: an array of strings, or one string split like a shell would. */
static int value_argv(struct loader *ld, const struct cr_toml_value *v,
                      const char *key, struct cr_strv *out)
{
    cr_strv_release(out);
    if (cr_toml_type(v) == CR_TOML_STRING) {
        struct cr_error e;
        if (clnrm_split_command(cr_toml_string(v, NULL), out, &e) != CLNRM_OK)
            return fail_at(ld, cr_toml_pos(v), "%s", e.msg);
        return 0;
    }
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return fail_at(ld, cr_toml_pos(v),
                       "\"%s\" must be an array of strings, not %s", key,
                       cr_toml_type_name(cr_toml_type(v)));
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        if (cr_toml_type(e) != CR_TOML_STRING)
            return fail_at(ld, cr_toml_pos(e),
                           "\"%s\" must be an array of strings, not %s "
                           "elements",
                           key, cr_toml_type_name(cr_toml_type(e)));
        if (cr_strv_push(out, cr_toml_string(e, NULL)) != 0)
            return fail_nomem(ld);
    }
    return 0;
}

static int opt_argv(struct loader *ld, const struct cr_toml_value *tbl,
                    const char *key, struct cr_strv *out)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);

    return v == NULL ? 0 : value_argv(ld, v, key, out);
}

/* A table of NAME = value; numbers and booleans are written out. */
static int opt_env(struct loader *ld, const struct cr_toml_value *tbl,
                   const char *key, struct clnrm_env *env)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    size_t n;

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_TABLE)
        return fail_at(ld, cr_toml_pos(v), "\"%s\" must be a table, not %s",
                       key, cr_toml_type_name(cr_toml_type(v)));
    n = cr_toml_len(v);
    env->items = cr_calloc(n ? n : 1, sizeof(*env->items));
    if (env->items == NULL)
        return fail_nomem(ld);
    for (size_t i = 0; i < n; i++) {
        const struct cr_toml_value *e = cr_toml_value_at(v, i);
        char num[64];
        const char *s = num;

        if (cr_toml_type(e) == CR_TOML_STRING)
            s = cr_toml_string(e, NULL);
        else if (cr_toml_type(e) == CR_TOML_INTEGER)
            snprintf(num, sizeof(num), "%" PRId64, cr_toml_int(e));
        else if (cr_toml_type(e) == CR_TOML_BOOL)
            snprintf(num, sizeof(num), "%s",
                     cr_toml_bool(e) ? "true" : "false");
        else
            return fail_at(ld, cr_toml_pos(e),
                           "environment value \"%s\" must be a string, not %s",
                           cr_toml_key_at(v, i, NULL),
                           cr_toml_type_name(cr_toml_type(e)));
        env->items[i].key = cr_strdup(cr_toml_key_at(v, i, NULL));
        env->items[i].value = cr_strdup(s);
        env->n = i + 1;
        if (env->items[i].key == NULL || env->items[i].value == NULL)
            return fail_nomem(ld);
    }
    return 0;
}

static int opt_table(struct loader *ld, const struct cr_toml_value *tbl,
                     const char *key, const struct cr_toml_value **out)
{
    struct cr_error te;
    enum cr_toml_code rc;

    *out = NULL;
    rc = cr_toml_get_table(ld->doc, tbl, key, out, &te);
    return rc == CR_TOML_OK || rc == CR_TOML_E_MISSING ? 0 : fail_toml(ld, &te);
}

/* A CPU count: a finite number from 0 (unlimited) to CLNRM_MAX_CPUS, so
 * that it always makes a valid NanoCpus. */
static int opt_cpus(struct loader *ld, const struct cr_toml_value *tbl,
                    const char *key, double *out)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    struct cr_error te;
    double cpus;

    if (v == NULL)
        return 0;
    if (cr_toml_get_float(ld->doc, tbl, key, &cpus, &te) != CR_TOML_OK)
        return fail_toml(ld, &te);
    if (!isfinite(cpus) || cpus < 0 || cpus > CLNRM_MAX_CPUS)
        return fail_at(ld, cr_toml_pos(v),
                       "\"%s\" must be a number of CPUs from 0 to %d", key,
                       CLNRM_MAX_CPUS);
    *out = cpus;
    return 0;
}

static int check_regex(struct loader *ld, const struct cr_toml_value *tbl,
                       const char *key)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    struct clnrm_regex *re;
    struct cr_error e;

    if (v == NULL || cr_toml_type(v) != CR_TOML_STRING)
        return 0;
    if (clnrm_regex_compile(cr_toml_string(v, NULL), &re, &e) != CLNRM_OK)
        return fail_at(ld, cr_toml_pos(v), "%s", e.msg);
    clnrm_regex_free(re);
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Security: [test.security] / [security], [limits], v1 `policy`          */

static const char *const security_keys[] = {
    "privileged", "no_new_privileges", "read_only_rootfs", "cap_add",
    "cap_drop",   "pids_limit",        "memory_mb",        "cpus",
};

static int load_security(struct loader *ld, const struct cr_toml_value *tbl,
                         const char *where)
{
    struct clnrm_security *sec = &ld->t->security;
    const struct cr_toml_value *drop = cr_toml_get(tbl, "cap_drop");

    check_keys(ld, tbl, where, security_keys, N_OF(security_keys));
    if (opt_bool(ld, tbl, "privileged", &sec->privileged) ||
        opt_bool(ld, tbl, "no_new_privileges", &sec->no_new_privileges) ||
        opt_bool(ld, tbl, "read_only_rootfs", &sec->read_only_rootfs) ||
        opt_argv(ld, tbl, "cap_add", &sec->cap_add) ||
        opt_int(ld, tbl, "pids_limit", 0, 1 << 22, &sec->pids_limit) ||
        opt_int(ld, tbl, "memory_mb", 0, 1 << 22, &sec->memory_mb))
        return -1;
    if (sec->privileged)
        return fail_at(ld, cr_toml_pos(cr_toml_get(tbl, "privileged")),
                       "privileged containers are not supported; add the "
                       "capabilities a test needs with \"cap_add\"");
    if (opt_cpus(ld, tbl, "cpus", &sec->cpus) != 0)
        return -1;
    if (drop != NULL) {
        struct cr_strv dv = { 0 };
        if (value_argv(ld, drop, "cap_drop", &dv) != 0)
            return -1;
        sec->drop_all_caps = dv.n > 0;
        if (dv.n > 1 || (dv.n == 1 && strcmp(dv.v[0], "ALL") != 0)) {
            cr_strv_release(&dv);
            return fail_at(ld, cr_toml_pos(drop),
                           "\"cap_drop\" must be [\"ALL\"] or []; list the "
                           "capabilities to keep in \"cap_add\"");
        }
        cr_strv_release(&dv);
    }
    return 0;
}

static int load_limits(struct loader *ld, const struct cr_toml_value *tbl)
{
    static const char *const keys[] = { "cpu_millicores", "memory_mb",
                                        "pids_limit" };
    struct clnrm_security *sec = &ld->t->security;
    int64_t milli = -1;

    check_keys(ld, tbl, "[limits]", keys, N_OF(keys));
    if (opt_int(ld, tbl, "cpu_millicores", 0, 1 << 20, &milli) ||
        opt_int(ld, tbl, "memory_mb", 0, 1 << 22, &sec->memory_mb) ||
        opt_int(ld, tbl, "pids_limit", 0, 1 << 22, &sec->pids_limit))
        return -1;
    if (milli >= 0)
        sec->cpus = (double)milli / 1000.0;
    return 0;
}

/* The v1 scenario `policy`: memory and CPU map onto the container limits;
 * security_level "low" keeps Docker's default capabilities. */
static int load_policy(struct loader *ld, const struct cr_toml_value *tbl)
{
    static const char *const keys[] = { "security_level", "max_memory_mb",
                                        "max_cpu_usage",
                                        "allowed_network_hosts",
                                        "max_execution_time" };
    struct clnrm_security *sec = &ld->t->security;
    char *level = NULL;
    double cpu = -1;

    check_keys(ld, tbl, "scenario policy", keys, N_OF(keys));
    if (opt_string(ld, tbl, "security_level", &level) ||
        opt_int(ld, tbl, "max_memory_mb", 0, 1 << 22, &sec->memory_mb)) {
        cr_free(level);
        return -1;
    }
    if (level != NULL && strcmp(level, "low") == 0)
        sec->drop_all_caps = false;
    cr_free(level);
    if (opt_cpus(ld, tbl, "max_cpu_usage", &cpu) != 0)
        return -1;
    /* Written as a percentage of one CPU (80.0) or a fraction (0.8). */
    if (cpu >= 0)
        sec->cpus = cpu > 1.0 ? cpu / 100.0 : cpu;
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Services                                                                */

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

static int load_ports(struct loader *ld, const struct cr_toml_value *tbl,
                      struct clnrm_service *s)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, "ports");

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return fail_at(ld, cr_toml_pos(v),
                       "\"ports\" must be an array of "
                       "port numbers");
    s->ports = cr_calloc(cr_toml_len(v) + 1, sizeof(int));
    if (s->ports == NULL)
        return fail_nomem(ld);
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        if (cr_toml_type(e) != CR_TOML_INTEGER || cr_toml_int(e) < 1 ||
            cr_toml_int(e) > 65535)
            return fail_at(ld, cr_toml_pos(e),
                           "ports must be integers from 1 to 65535");
        s->ports[s->n_ports++] = (int)cr_toml_int(e);
    }
    return 0;
}

/* Resolves a relative host path against the test file's directory. */
static char *resolve_host_path(const char *file, const char *p)
{
    char dir[PATH_MAX], real[PATH_MAX];
    char *copy, *out = NULL;

    if (p[0] == '/')
        return cr_strdup(p);
    copy = cr_strdup(file);
    if (copy == NULL)
        return NULL;
    snprintf(dir, sizeof(dir), "%s", dirname(copy));
    cr_free(copy);
    if (realpath(dir, real) == NULL)
        snprintf(real, sizeof(real), "%s", dir);
    if (asprintf(&out, "%s/%s", real, p) < 0)
        return NULL;
    return out;
}

static int load_volume(struct loader *ld, const struct cr_toml_value *e,
                       struct clnrm_volume *vol)
{
    static const char *const keys[] = { "host_path", "container_path",
                                        "read_only" };
    char *host = NULL;

    if (cr_toml_type(e) != CR_TOML_TABLE)
        return fail_at(ld, cr_toml_pos(e),
                       "a volume must be a table with host_path and "
                       "container_path");
    check_keys(ld, e, "volume", keys, N_OF(keys));
    if (opt_string(ld, e, "host_path", &host) ||
        opt_string(ld, e, "container_path", &vol->container_path) ||
        opt_bool(ld, e, "read_only", &vol->read_only)) {
        cr_free(host);
        return -1;
    }
    if (host == NULL || vol->container_path == NULL ||
        vol->container_path[0] != '/') {
        cr_free(host);
        return fail_at(ld, cr_toml_pos(e),
                       "a volume needs host_path and an absolute "
                       "container_path");
    }
    vol->host_path = resolve_host_path(ld->path, host);
    cr_free(host);
    return vol->host_path == NULL ? fail_nomem(ld) : 0;
}

static int load_volumes(struct loader *ld, const struct cr_toml_value *tbl,
                        struct clnrm_service *s)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, "volumes");

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return fail_at(ld, cr_toml_pos(v), "\"volumes\" must be an array");
    s->volumes = cr_calloc(cr_toml_len(v) + 1, sizeof(*s->volumes));
    if (s->volumes == NULL)
        return fail_nomem(ld);
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        s->n_volumes = i + 1;
        if (load_volume(ld, cr_toml_at(v, i), &s->volumes[i]) != 0)
            return -1;
    }
    return 0;
}

static int load_health(struct loader *ld, const struct cr_toml_value *v,
                       struct clnrm_ready *r)
{
    static const char *const keys[] = { "cmd", "command", "interval", "timeout",
                                        "retries" };
    const struct cr_toml_value *cmd;

    r->kind = CLNRM_READY_CMD;
    if (cr_toml_type(v) != CR_TOML_TABLE)
        return value_argv(ld, v, "health_check", &r->cmd);
    check_keys(ld, v, "health_check", keys, N_OF(keys));
    cmd = cr_toml_get(v, "cmd") ? cr_toml_get(v, "cmd")
                                : cr_toml_get(v, "command");
    if (cmd == NULL)
        return fail_at(ld, cr_toml_pos(v), "health_check needs \"cmd\"");
    if (value_argv(ld, cmd, "cmd", &r->cmd) ||
        opt_duration(ld, v, "interval", 1000, &r->interval_ms) ||
        opt_duration(ld, v, "timeout", 1000, &r->try_timeout_ms) ||
        opt_int(ld, v, "retries", 0, 100000, &r->retries))
        return -1;
    if (r->cmd.n == 0)
        return fail_at(ld, cr_toml_pos(cmd), "health_check cmd is empty");
    return 0;
}

static int load_readiness(struct loader *ld, const struct cr_toml_value *tbl,
                          struct clnrm_service *s)
{
    const struct cr_toml_value *hc = cr_toml_get(tbl, "health_check");
    int64_t port = 0;

    s->ready.interval_ms = 100;
    s->ready.timeout_ms = CLNRM_DEFAULT_READY_TIMEOUT_MS;
    if (hc != NULL && load_health(ld, hc, &s->ready) != 0)
        return -1;
    if (opt_string(ld, tbl, "wait_for_log", &s->ready.log_line) ||
        opt_int(ld, tbl, "wait_for_port", 1, 65535, &port))
        return -1;
    if ((hc != NULL) + (s->ready.log_line != NULL) + (port != 0) > 1)
        return fail_at(ld, cr_toml_pos(tbl),
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

static int load_service(struct loader *ld, const char *name,
                        struct cr_pos name_pos, const struct cr_toml_value *tbl,
                        const char *where)
{
    struct clnrm_test *t = ld->t;
    struct clnrm_service *s = &t->services[t->n_services++];

    s->name = cr_strdup(name);
    if (s->name == NULL)
        return fail_nomem(ld);
    s->line = name_pos.line;
    if (!valid_name(name))
        return fail_at(ld, name_pos,
                       "service name \"%s\" may only use letters, digits, "
                       "'.', '_' and '-'",
                       name);
    if (cr_toml_type(tbl) != CR_TOML_TABLE)
        return fail_at(ld, name_pos, "service \"%s\" must be a table", name);
    check_keys(ld, tbl, where, service_keys, N_OF(service_keys));
    if (opt_string(ld, tbl, "image", &s->image) ||
        opt_string(ld, tbl, "plugin", &s->plugin) ||
        opt_string(ld, tbl, "type", &s->plugin) ||
        opt_argv(ld, tbl, "command", &s->command) ||
        opt_env(ld, tbl, "env", &s->env) || load_ports(ld, tbl, s) ||
        load_volumes(ld, tbl, s) || load_readiness(ld, tbl, s))
        return -1;
    if (s->image != NULL && !valid_image(s->image))
        return fail_at(ld, cr_toml_pos(cr_toml_get(tbl, "image")),
                       "image \"%s\" is not an image reference "
                       "(name[:tag][@digest])",
                       s->image);
    if (cr_toml_get(tbl, "wait_for_span") != NULL)
        diag_at(ld, CLNRM_DIAG_NOTE, name_pos,
                "service \"%s\": wait_for_span is accepted but not evaluated",
                name);
    if (s->image == NULL && (s->image = cr_strdup(CLNRM_DEFAULT_IMAGE)) == NULL)
        return fail_nomem(ld);
    return 0;
}

static int load_services(struct loader *ld, const struct cr_toml_value *tbl,
                         const char *section)
{
    char where[80];
    size_t n = cr_toml_len(tbl);
    struct clnrm_service *grown;

    if (ld->t->n_services + n > CLNRM_MAX_SERVICES) {
        struct cr_pos pos;
        (void)cr_toml_key_at(tbl, CLNRM_MAX_SERVICES - ld->t->n_services, &pos);
        return fail_at(ld, pos, "a test has at most %d services",
                       CLNRM_MAX_SERVICES);
    }
    grown = cr_realloc(ld->t->services,
                       (ld->t->n_services + n + 1) * sizeof(*grown));
    if (grown == NULL)
        return fail_nomem(ld);
    ld->t->services = grown;
    memset(grown + ld->t->n_services, 0, (n + 1) * sizeof(*grown));
    for (size_t i = 0; i < n; i++) {
        struct cr_pos pos;
        const char *name = cr_toml_key_at(tbl, i, &pos);
        for (size_t k = 0; k < ld->t->n_services; k++)
            if (strcmp(ld->t->services[k].name, name) == 0)
                return fail_at(ld, pos, "service \"%s\" is defined twice",
                               name);
        snprintf(where, sizeof(where), "[%s.%s]", section, name);
        if (load_service(ld, name, pos, cr_toml_value_at(tbl, i), where))
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Steps and scenarios                                                     */

static const char *const step_keys[] = {
    "name",
    "command",
    "run",
    "expected_output_regex",
    "expected_output_regex_not",
    "expected_exit_code",
    "workdir",
    "env",
    "service",
    "timeout",
    "timeout_ms",
    "continue_on_failure",
};

static struct clnrm_step *new_step(struct loader *ld)
{
    struct clnrm_test *t = ld->t;
    struct clnrm_step *grown;

    grown = cr_realloc(t->steps, (t->n_steps + 1) * sizeof(*grown));
    if (grown == NULL)
        return NULL;
    t->steps = grown;
    memset(&grown[t->n_steps], 0, sizeof(*grown));
    grown[t->n_steps].timeout_ms = CLNRM_DEFAULT_STEP_TIMEOUT_MS;
    return &grown[t->n_steps++];
}

/* Fills s from tbl; default_service (may be NULL) comes from a scenario. */
static int load_step_fields(struct loader *ld, const struct cr_toml_value *tbl,
                            struct clnrm_step *s, const char *default_service)
{
    const struct cr_toml_value *cmd = cr_toml_get(tbl, "command");
    int64_t code = 0;

    if (cmd == NULL)
        cmd = cr_toml_get(tbl, "run");
    if (cmd == NULL)
        return fail_at(ld, cr_toml_pos(tbl), "step needs \"command\"%s",
                       ld->t->format == CLNRM_FORMAT_V1 ? " or \"run\"" : "");
    if (value_argv(ld, cmd, "command", &s->argv) != 0)
        return -1;
    if (s->argv.n == 0)
        return fail_at(ld, cr_toml_pos(cmd), "step command is empty");
    if (opt_string(ld, tbl, "name", &s->name) ||
        opt_string(ld, tbl, "expected_output_regex",
                   &s->expected_output_regex) ||
        opt_string(ld, tbl, "expected_output_regex_not",
                   &s->expected_output_regex_not) ||
        check_regex(ld, tbl, "expected_output_regex") ||
        check_regex(ld, tbl, "expected_output_regex_not") ||
        opt_int(ld, tbl, "expected_exit_code", 0, 255, &code) ||
        opt_string(ld, tbl, "workdir", &s->workdir) ||
        opt_env(ld, tbl, "env", &s->env) ||
        opt_string(ld, tbl, "service", &s->service) ||
        opt_duration(ld, tbl, "timeout", 1000, &s->timeout_ms) ||
        opt_duration(ld, tbl, "timeout_ms", 1, &s->timeout_ms) ||
        opt_bool(ld, tbl, "continue_on_failure", &s->continue_on_failure))
        return -1;
    s->expected_exit_code = (int)code;
    s->line = cr_toml_pos(tbl).line;
    if (s->service == NULL && default_service != NULL &&
        (s->service = cr_strdup(default_service)) == NULL)
        return fail_nomem(ld);
    if (s->name == NULL) {
        char buf[32];
        snprintf(buf, sizeof(buf), "step %zu", ld->t->n_steps);
        if ((s->name = cr_strdup(buf)) == NULL)
            return fail_nomem(ld);
    }
    return 0;
}

static int load_steps(struct loader *ld, const struct cr_toml_value *arr)
{
    if (cr_toml_type(arr) != CR_TOML_ARRAY)
        return fail_at(ld, cr_toml_pos(arr),
                       "\"steps\" must be an array of tables ([[steps]])");
    for (size_t i = 0; i < cr_toml_len(arr); i++) {
        const struct cr_toml_value *tbl = cr_toml_at(arr, i);
        struct clnrm_step *s;

        if (cr_toml_type(tbl) != CR_TOML_TABLE)
            return fail_at(ld, cr_toml_pos(tbl), "each step must be a table");
        check_keys(ld, tbl, "[[steps]]", step_keys, N_OF(step_keys));
        if ((s = new_step(ld)) == NULL)
            return fail_nomem(ld);
        if (load_step_fields(ld, tbl, s, NULL) != 0)
            return -1;
    }
    return 0;
}

static const char *const scenario_keys[] = {
    "name",
    "service",
    "run",
    "command",
    "steps",
    "concurrent",
    "timeout_ms",
    "timeout",
    "policy",
    "artifacts",
    "expected_output_regex",
    "expected_output_regex_not",
    "expected_exit_code",
    "workdir",
    "env",
    "continue_on_failure",
};

/* A scenario with `run` is one step; with `steps` it is several, each
 * inheriting the scenario's service. */
static int load_scenario(struct loader *ld, const struct cr_toml_value *tbl)
{
    const struct cr_toml_value *steps = cr_toml_get(tbl, "steps");
    const struct cr_toml_value *policy = NULL;
    char *service = NULL;
    int rc = -1;

    check_keys(ld, tbl, "[[scenario]]", scenario_keys, N_OF(scenario_keys));
    if (opt_string(ld, tbl, "service", &service) ||
        opt_table(ld, tbl, "policy", &policy) ||
        (policy != NULL && load_policy(ld, policy)))
        goto out;
    if (cr_toml_get(tbl, "concurrent") != NULL)
        diag_at(ld, CLNRM_DIAG_NOTE,
                cr_toml_pos(cr_toml_get(tbl, "concurrent")),
                "\"concurrent\" is accepted; steps run in order");
    if (steps == NULL) {
        struct clnrm_step *s = new_step(ld);
        if (s == NULL) {
            fail_nomem(ld);
            goto out;
        }
        rc = load_step_fields(ld, tbl, s, service);
        goto out;
    }
    if (cr_toml_type(steps) != CR_TOML_ARRAY) {
        fail_at(ld, cr_toml_pos(steps), "scenario \"steps\" must be an array");
        goto out;
    }
    for (size_t i = 0; i < cr_toml_len(steps); i++) {
        const struct cr_toml_value *st = cr_toml_at(steps, i);
        struct clnrm_step *s;
        if (cr_toml_type(st) != CR_TOML_TABLE) {
            fail_at(ld, cr_toml_pos(st), "each scenario step must be a table");
            goto out;
        }
        check_keys(ld, st, "scenario step", step_keys, N_OF(step_keys));
        if ((s = new_step(ld)) == NULL) {
            fail_nomem(ld);
            goto out;
        }
        if (load_step_fields(ld, st, s, service) != 0)
            goto out;
    }
    rc = 0;
out:
    cr_free(service);
    return rc;
}

static int load_scenarios(struct loader *ld, const struct cr_toml_value *arr)
{
    if (cr_toml_type(arr) != CR_TOML_ARRAY)
        return fail_at(ld, cr_toml_pos(arr),
                       "\"scenario\" must be an array of tables "
                       "([[scenario]])");
    for (size_t i = 0; i < cr_toml_len(arr); i++) {
        const struct cr_toml_value *tbl = cr_toml_at(arr, i);
        if (cr_toml_type(tbl) != CR_TOML_TABLE)
            return fail_at(ld, cr_toml_pos(tbl),
                           "each scenario must be a table");
        if (load_scenario(ld, tbl) != 0)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------- */
/* Metadata: [test.metadata], [test], [meta]                               */

static int load_meta_fields(struct loader *ld, const struct cr_toml_value *tbl)
{
    return opt_string(ld, tbl, "name", &ld->t->name) ||
                   opt_string(ld, tbl, "description", &ld->t->description) ||
                   opt_duration(ld, tbl, "timeout", 1000, &ld->t->timeout_ms) ||
                   opt_duration(ld, tbl, "timeout_ms", 1, &ld->t->timeout_ms)
               ? -1
               : 0;
}

static int load_test_table(struct loader *ld, const struct cr_toml_value *tbl)
{
    static const char *const keys[] = { "metadata", "name",       "description",
                                        "timeout",  "timeout_ms", "security",
                                        "version",  "tags" };
    static const char *const meta_keys[] = { "name",    "description",
                                             "timeout", "timeout_ms",
                                             "version", "tags",
                                             "author" };
    const struct cr_toml_value *meta = NULL, *sec = NULL;

    check_keys(ld, tbl, "[test]", keys, N_OF(keys));
    if (opt_table(ld, tbl, "metadata", &meta) ||
        opt_table(ld, tbl, "security", &sec) || load_meta_fields(ld, tbl))
        return -1;
    if (meta != NULL) {
        check_keys(ld, meta, "[test.metadata]", meta_keys, N_OF(meta_keys));
        if (load_meta_fields(ld, meta) != 0)
            return -1;
    }
    return sec != NULL ? load_security(ld, sec, "[test.security]") : 0;
}

static int load_meta_table(struct loader *ld, const struct cr_toml_value *tbl)
{
    static const char *const keys[] = { "name",    "version",    "description",
                                        "timeout", "timeout_ms", "tags",
                                        "author" };

    check_keys(ld, tbl, "[meta]", keys, N_OF(keys));
    return load_meta_fields(ld, tbl);
}

/* ---------------------------------------------------------------------- */
/* The document                                                            */

static const char *const root_keys[] = {
    "test",   "services", "steps",       "assertions", "security",
    "limits", "meta",     "service",     "scenario",   "vars",
    "otel",   "expect",   "determinism", "report",     "matrix",
};

/* Tables of the v1 format we accept but do not evaluate. */
static const char *const noted_keys[] = { "otel",   "expect", "determinism",
                                          "report", "matrix", "assertions" };

static int load_services_at(struct loader *ld, const struct cr_toml_value *root,
                            const char *key)
{
    const struct cr_toml_value *tbl = NULL;

    if (opt_table(ld, root, key, &tbl) != 0)
        return -1;
    return tbl != NULL ? load_services(ld, tbl, key) : 0;
}

static int load_sections(struct loader *ld, const struct cr_toml_value *root)
{
    const struct cr_toml_value *tbl = NULL, *v;

    check_keys(ld, root, "the top level", root_keys, N_OF(root_keys));
    for (size_t i = 0; i < N_OF(noted_keys); i++)
        if ((v = cr_toml_get(root, noted_keys[i])) != NULL && cr_toml_len(v))
            diag_at(ld, CLNRM_DIAG_NOTE, cr_toml_pos(v),
                    "[%s] is accepted but not evaluated", noted_keys[i]);
    if (opt_table(ld, root, "test", &tbl) ||
        (tbl != NULL && load_test_table(ld, tbl)))
        return -1;
    if (opt_table(ld, root, "meta", &tbl) ||
        (tbl != NULL && load_meta_table(ld, tbl)))
        return -1;
    if (opt_table(ld, root, "security", &tbl) ||
        (tbl != NULL && load_security(ld, tbl, "[security]")))
        return -1;
    if (opt_table(ld, root, "limits", &tbl) ||
        (tbl != NULL && load_limits(ld, tbl)))
        return -1;
    if (load_services_at(ld, root, "services") ||
        load_services_at(ld, root, "service"))
        return -1;
    if ((v = cr_toml_get(root, "steps")) != NULL && load_steps(ld, v) != 0)
        return -1;
    if ((v = cr_toml_get(root, "scenario")) != NULL &&
        load_scenarios(ld, v) != 0)
        return -1;
    return 0;
}

static int default_name(struct loader *ld)
{
    const char *base = strrchr(ld->path, '/');
    char *name, *dot;

    name = cr_strdup(base != NULL ? base + 1 : ld->path);
    if (name == NULL)
        return fail_nomem(ld);
    if ((dot = strstr(name, ".clnrm.toml")) != NULL ||
        (dot = strstr(name, ".toml")) != NULL)
        *dot = '\0';
    ld->t->name = name;
    return 0;
}

static int add_implicit_service(struct loader *ld)
{
    struct clnrm_test *t = ld->t;

    t->services = cr_calloc(1, sizeof(*t->services));
    if (t->services == NULL)
        return fail_nomem(ld);
    t->n_services = 1;
    t->implicit_service = true;
    t->services[0].name = cr_strdup(CLNRM_DEFAULT_SERVICE);
    t->services[0].image = cr_strdup(CLNRM_DEFAULT_IMAGE);
    if (t->services[0].name == NULL || t->services[0].image == NULL)
        return fail_nomem(ld);
    return 0;
}

/* Checks what only the whole file can tell: steps exist, services named by
 * steps exist. */
static int finish(struct loader *ld)
{
    struct clnrm_test *t = ld->t;
    const char *names[64];
    size_t n_names = 0;

    if (t->name == NULL && default_name(ld) != 0)
        return -1;
    if (t->n_steps == 0)
        return fail_at(ld, (struct cr_pos){ 1, 1 },
                       "no steps: add a [[steps]] table with a command");
    if (t->n_services == 0 && add_implicit_service(ld) != 0)
        return -1;
    for (size_t i = 0; i < t->n_services && n_names < N_OF(names); i++)
        names[n_names++] = t->services[i].name;
    for (size_t i = 0; i < t->n_steps; i++) {
        const struct clnrm_step *s = &t->steps[i];
        const char *hint;
        bool found = s->service == NULL;
        for (size_t k = 0; k < t->n_services && !found; k++)
            found = strcmp(t->services[k].name, s->service) == 0;
        if (found)
            continue;
        hint = cr_toml_suggest(s->service, names, n_names);
        return fail_at(ld, (struct cr_pos){ s->line, 1 },
                       "step \"%s\" names unknown service \"%s\"%s%s%s",
                       s->name, s->service, hint ? " (did you mean \"" : "",
                       hint ? hint : "", hint ? "\"?)" : "");
    }
    return 0;
}

enum clnrm_code clnrm_test_parse(const char *buf, size_t len, const char *path,
                                 const struct clnrm_load_opts *opts,
                                 struct clnrm_test **out,
                                 struct clnrm_diags *diags,
                                 struct cr_error *err)
{
    static const struct clnrm_load_opts defaults = { 0 };
    struct loader ld = { 0 };
    struct cr_toml_doc *doc = NULL;
    struct cr_error te;
    const struct cr_toml_value *root;
    int rc;

    *out = NULL;
    if (cr_toml_parse(buf, len, path, &doc, &te) != CR_TOML_OK)
        return clnrm_error_set(
            err, te.code == CR_TOML_E_NOMEM ? CLNRM_E_NOMEM : CLNRM_E_INPUT,
            "%s", te.msg);
    ld.doc = doc;
    ld.path = path;
    ld.opts = opts != NULL ? opts : &defaults;
    ld.diags = diags;
    ld.err = err;
    ld.t = cr_calloc(1, sizeof(*ld.t));
    if (ld.t == NULL || (ld.t->path = cr_strdup(path)) == NULL) {
        cr_free(ld.t);
        cr_toml_free(doc);
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    }
    root = cr_toml_root(doc);
    ld.t->format = (cr_toml_get(root, "meta") || cr_toml_get(root, "service") ||
                    cr_toml_get(root, "scenario"))
                       ? CLNRM_FORMAT_V1
                       : CLNRM_FORMAT_LEGACY;
    ld.t->timeout_ms = CLNRM_DEFAULT_TEST_TIMEOUT_MS;
    clnrm_security_defaults(&ld.t->security);
    rc = load_sections(&ld, root);
    if (rc == 0)
        rc = finish(&ld);
    if (rc == 0 && ld.opts->strict && ld.n_warnings > 0)
        rc = -1, clnrm_error_set(err, CLNRM_E_INPUT, "%s (strict mode)",
                                 ld.first_warning.msg);
    cr_toml_free(doc);
    if (rc != 0) {
        clnrm_test_free(ld.t);
        return err != NULL && err->code != CLNRM_OK ? err->code : CLNRM_E_INPUT;
    }
    *out = ld.t;
    return CLNRM_OK;
}

enum clnrm_code clnrm_test_load(const char *path,
                                const struct clnrm_load_opts *opts,
                                struct clnrm_test **out,
                                struct clnrm_diags *diags, struct cr_error *err)
{
    char *buf;
    size_t len;
    enum clnrm_code rc;

    *out = NULL;
    if (cr_fs_read(path, &buf, &len) != 0)
        return clnrm_error_set(err, CLNRM_E_IO, "cannot read %s: %m", path);
    rc = clnrm_test_parse(buf, len, path, opts, out, diags, err);
    cr_free(buf);
    return rc;
}
