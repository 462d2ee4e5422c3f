/* slo: objectives file loader. See slo_config.h and slo/README.md. */
#include "slo_config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_toml.h"

static const char *const metric_names[] = {
    "wall_ms",      "user_ms",   "sys_ms",   "cpu_ms",       "max_rss_mb",
    "peak_heap_mb", "leaked_kb", "start_ms", "start_stop_ms"
};
#define N_METRICS (sizeof(metric_names) / sizeof(metric_names[0]))
static const char *const probe_names[] = { "command", "container" };
static const char *const stat_names[] = { "median", "p95", "mean", "max" };
static const char *const objective_keys[] = {
    "description", "command", "setup",  "metric",  "statistic", "target",
    "critical",    "runs",    "warmup", "prepare", "cleanup",   "timeout",
    "group",       "probe",   "image",  "tap",
};

const char *slo_metric_name(enum slo_metric m)
{
    return metric_names[m];
}

const char *slo_stat_name(enum slo_stat s)
{
    return stat_names[s];
}

/* Copies a TOML error into an slo error. */
static enum slo_code from_toml(struct cr_error *err, const struct cr_error *te)
{
    enum slo_code code = te->code == CR_TOML_E_IO      ? SLO_E_IO
                         : te->code == CR_TOML_E_NOMEM ? SLO_E_NOMEM
                                                       : SLO_E_CONFIG;
    return slo_error_set(err, code, "%s", te->msg);
}

static void free_argv(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        cr_free(argv[i]);
    cr_free(argv);
}

/*
 * A command is an argv array of strings, or one string that runs with
 * `sh -c`, as in cargo-make's script bodies.
 */
static enum slo_code load_argv(const struct cr_toml_doc *doc,
                               const struct cr_toml_value *v, char ***out,
                               struct cr_error *err)
{
    struct cr_error te;
    size_t n = v ? cr_toml_len(v) : 0;
    char **argv;

    if (cr_toml_type(v) == CR_TOML_STRING) {
        argv = cr_calloc(4, sizeof(*argv));
        if (!argv)
            return slo_error_set(err, SLO_E_NOMEM, "out of memory");
        argv[0] = cr_strdup("sh");
        argv[1] = cr_strdup("-c");
        argv[2] = cr_strdup(cr_toml_string(v, NULL));
        if (!argv[0] || !argv[1] || !argv[2]) {
            /* Freed here: the NULL-terminated free would stop at the
             * first hole and leak the strings after it. */
            for (size_t i = 0; i < 3; i++)
                cr_free(argv[i]);
            cr_free(argv);
            return slo_error_set(err, SLO_E_NOMEM, "out of memory");
        }
        *out = argv;
        return SLO_OK;
    }
    if (cr_toml_type(v) != CR_TOML_ARRAY || n == 0) {
        cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, cr_toml_pos(v),
                       "a command must be a string or a non-empty array of "
                       "strings");
        return from_toml(err, &te);
    }
    argv = cr_calloc(n + 1, sizeof(*argv));
    if (!argv)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    *out = argv;
    for (size_t i = 0; i < n; i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        if (cr_toml_type(e) != CR_TOML_STRING) {
            cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, cr_toml_pos(e),
                           "command arguments must be strings, not %s",
                           cr_toml_type_name(cr_toml_type(e)));
            return from_toml(err, &te);
        }
        argv[i] = cr_strdup(cr_toml_string(e, NULL));
        if (!argv[i])
            return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    }
    return SLO_OK;
}

/* Maps a string value to an index of names, or reports the choices. */
static enum slo_code load_choice(const struct cr_toml_doc *doc,
                                 const struct cr_toml_value *t, const char *key,
                                 const char *const *names, size_t n, int *out,
                                 struct cr_error *err)
{
    struct cr_error te;
    const char *s;
    enum cr_toml_code rc = cr_toml_get_string(doc, t, key, &s, &te);

    if (rc == CR_TOML_E_MISSING)
        return SLO_OK;
    if (rc)
        return from_toml(err, &te);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (int)i;
            return SLO_OK;
        }
    }
    const char *hint = cr_toml_suggest(s, names, n);
    cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, cr_toml_pos(cr_toml_get(t, key)),
                   "unknown %s \"%s\"%s%s%s", key, s,
                   hint ? " (did you mean \"" : "", hint ? hint : "",
                   hint ? "\"?)" : "");
    return from_toml(err, &te);
}

/* Reads an optional number (integer or float) into *out. */
static enum slo_code load_number(const struct cr_toml_doc *doc,
                                 const struct cr_toml_value *t, const char *key,
                                 double *out, struct cr_error *err)
{
    struct cr_error te;
    enum cr_toml_code rc = cr_toml_get_float(doc, t, key, out, &te);

    if (rc && rc != CR_TOML_E_MISSING)
        return from_toml(err, &te);
    return SLO_OK;
}

static enum slo_code load_count(const struct cr_toml_doc *doc,
                                const struct cr_toml_value *t, const char *key,
                                int min, int *out, struct cr_error *err)
{
    struct cr_error te;
    int64_t v;
    enum cr_toml_code rc = cr_toml_get_int(doc, t, key, &v, &te);

    if (rc == CR_TOML_E_MISSING)
        return SLO_OK;
    if (rc)
        return from_toml(err, &te);
    if (v < min || v > 100000) {
        cr_toml_errorf(&te, CR_TOML_E_TYPE, doc,
                       cr_toml_pos(cr_toml_get(t, key)),
                       "\"%s\" must be between %d and 100000", key, min);
        return from_toml(err, &te);
    }
    *out = (int)v;
    return SLO_OK;
}

static enum slo_code check_keys(const struct cr_toml_doc *doc,
                                const struct cr_toml_value *t,
                                const char *const *keys, size_t n,
                                const char *where, struct cr_error *err)
{
    struct cr_error te;

    for (size_t i = 0; i < cr_toml_len(t); i++) {
        struct cr_pos pos;
        const char *k = cr_toml_key_at(t, i, &pos);
        size_t j = 0;

        while (j < n && strcmp(k, keys[j]) != 0)
            j++;
        if (j < n)
            continue;
        const char *hint = cr_toml_suggest(k, keys, n);
        cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, pos,
                       "unknown key \"%s\" in %s%s%s%s", k, where,
                       hint ? " (did you mean \"" : "", hint ? hint : "",
                       hint ? "\"?)" : "");
        return from_toml(err, &te);
    }
    return SLO_OK;
}

static enum slo_code load_opt_argv(const struct cr_toml_doc *doc,
                                   const struct cr_toml_value *t,
                                   const char *key, char ***out,
                                   struct cr_error *err)
{
    const struct cr_toml_value *v = cr_toml_get(t, key);

    return v ? load_argv(doc, v, out, err) : SLO_OK;
}

/* group (default "project"), image (default the base image) and tap. */
static enum slo_code load_strings(const struct cr_toml_doc *doc,
                                  const struct cr_toml_value *t,
                                  struct slo_objective *o, struct cr_error *err)
{
    struct cr_error te;
    const char *group = "project", *image = SLO_DEFAULT_IMAGE;
    bool tap = false;

    if (cr_toml_get_string(doc, t, "group", &group, &te) == CR_TOML_E_TYPE ||
        cr_toml_get_string(doc, t, "image", &image, &te) == CR_TOML_E_TYPE ||
        cr_toml_get_bool(doc, t, "tap", &tap, &te) == CR_TOML_E_TYPE)
        return from_toml(err, &te);
    o->tap = tap;
    o->group = cr_strdup(group);
    o->image = cr_strdup(image);
    if (!o->group || !o->image)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    return SLO_OK;
}

static enum slo_code load_objective(const struct cr_toml_doc *doc,
                                    const char *name,
                                    const struct cr_toml_value *t,
                                    const struct slo_objective *defaults,
                                    struct slo_objective *o,
                                    struct cr_error *err)
{
    struct cr_error te;
    const char *desc = "";
    char where[160];
    enum slo_code rc;
    int m = SLO_WALL_MS, s = SLO_MEDIAN, p = SLO_PROBE_COMMAND;

    *o = *defaults;
    o->name = cr_strdup(name);
    if (!o->name)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    snprintf(where, sizeof(where), "[objectives.%s]", name);
    if (cr_toml_type(t) != CR_TOML_TABLE) {
        cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, cr_toml_pos(t),
                       "objective \"%s\" must be a table", name);
        return from_toml(err, &te);
    }
    rc = check_keys(doc, t, objective_keys,
                    sizeof(objective_keys) / sizeof(objective_keys[0]), where,
                    err);
    if (rc)
        return rc;
    if (cr_toml_get_string(doc, t, "description", &desc, &te) == CR_TOML_E_TYPE)
        return from_toml(err, &te);
    o->description = cr_strdup(desc);
    if (!o->description)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    if ((rc = load_choice(doc, t, "probe", probe_names, 2, &p, err)))
        return rc;
    o->probe = (enum slo_probe_kind)p;
    if (!cr_toml_get(t, "command")) {
        cr_toml_errorf(&te, CR_TOML_E_MISSING, doc, cr_toml_pos(t),
                       "%s has no \"command\"%s", where,
                       o->probe == SLO_PROBE_CONTAINER
                           ? " (the probe execs it to see the container ready)"
                           : "");
        return from_toml(err, &te);
    }
    if ((rc = load_argv(doc, cr_toml_get(t, "command"), &o->argv, err)) ||
        (rc = load_opt_argv(doc, t, "setup", &o->setup, err)) ||
        (rc = load_opt_argv(doc, t, "prepare", &o->prepare, err)) ||
        (rc = load_opt_argv(doc, t, "cleanup", &o->cleanup, err)) ||
        (rc = load_strings(doc, t, o, err)))
        return rc;
    if ((rc =
             load_choice(doc, t, "metric", metric_names, N_METRICS, &m, err)) ||
        (rc = load_choice(doc, t, "statistic", stat_names, 4, &s, err)))
        return rc;
    o->metric = (enum slo_metric)m;
    o->stat = (enum slo_stat)s;
    o->target = o->critical = -1;
    if ((rc = load_number(doc, t, "target", &o->target, err)) ||
        (rc = load_number(doc, t, "critical", &o->critical, err)) ||
        (rc = load_count(doc, t, "runs", 1, &o->runs, err)) ||
        (rc = load_count(doc, t, "warmup", 0, &o->warmup, err)) ||
        (rc = load_number(doc, t, "timeout", &o->timeout_s, err)))
        return rc;
    if (o->timeout_s <= 0) {
        cr_toml_errorf(&te, CR_TOML_E_TYPE, doc,
                       cr_toml_pos(cr_toml_get(t, "timeout")),
                       "\"timeout\" must be a positive number of seconds");
        return from_toml(err, &te);
    }
    if ((o->metric == SLO_START_MS || o->metric == SLO_START_STOP_MS) !=
        (o->probe == SLO_PROBE_CONTAINER)) {
        cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, cr_toml_pos(t),
                       "%s: probe = \"container\" goes with metric "
                       "\"start_ms\" or \"start_stop_ms\", and only with them",
                       where);
        return from_toml(err, &te);
    }
    if (o->target < 0 || o->critical < o->target) {
        cr_toml_errorf(&te, CR_TOML_E_TYPE, doc, cr_toml_pos(t),
                       "%s needs \"target\" and \"critical\" with 0 <= "
                       "target <= critical",
                       where);
        return from_toml(err, &te);
    }
    return SLO_OK;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (!slash)
        return cr_strdup(".");
    if (slash == path)
        return cr_strdup("/");
    return cr_strndup(path, (size_t)(slash - path));
}

enum slo_code slo_config_load(const char *path, struct slo_config **out,
                              struct cr_error *err)
{
    static const char *const top_keys[] = { "defaults", "objectives" };
    static const char *const default_keys[] = { "runs", "warmup" };
    struct slo_objective defaults = { .runs = 10,
                                      .warmup = 2,
                                      .timeout_s = SLO_DEFAULT_TIMEOUT_S };
    const struct cr_toml_value *root, *objs = NULL, *defs = NULL;
    struct cr_toml_doc *doc = NULL;
    struct cr_error te;
    struct slo_config *cfg;
    enum slo_code rc;

    *out = NULL;
    if (cr_toml_parse_file(path, &doc, &te))
        return from_toml(err, &te);
    cfg = cr_calloc(1, sizeof(*cfg));
    if (!cfg || !(cfg->path = cr_strdup(path)) || !(cfg->dir = dir_of(path))) {
        rc = slo_error_set(err, SLO_E_NOMEM, "out of memory");
        goto out;
    }
    root = cr_toml_root(doc);
    if ((rc = check_keys(doc, root, top_keys, 2, "the top level", err)))
        goto out;
    if (cr_toml_get_table(doc, root, "defaults", &defs, &te) ==
            CR_TOML_E_TYPE ||
        cr_toml_get_table(doc, root, "objectives", &objs, &te) ==
            CR_TOML_E_TYPE) {
        rc = from_toml(err, &te);
        goto out;
    }
    if (defs &&
        ((rc = check_keys(doc, defs, default_keys, 2, "[defaults]", err)) ||
         (rc = load_count(doc, defs, "runs", 1, &defaults.runs, err)) ||
         (rc = load_count(doc, defs, "warmup", 0, &defaults.warmup, err))))
        goto out;
    if (!objs || cr_toml_len(objs) == 0) {
        rc = slo_error_set(err, SLO_E_CONFIG,
                           "%s:1:1: no [objectives.NAME] table", path);
        goto out;
    }
    cfg->obj = cr_calloc(cr_toml_len(objs), sizeof(*cfg->obj));
    if (!cfg->obj) {
        rc = slo_error_set(err, SLO_E_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < cr_toml_len(objs); i++) {
        rc = load_objective(doc, cr_toml_key_at(objs, i, NULL),
                            cr_toml_value_at(objs, i), &defaults, &cfg->obj[i],
                            err);
        cfg->n = i + 1;
        if (rc)
            goto out;
    }
    rc = SLO_OK;
out:
    cr_toml_free(doc);
    if (rc) {
        slo_config_free(cfg);
        return rc;
    }
    *out = cfg;
    return SLO_OK;
}

void slo_config_free(struct slo_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n; i++) {
        cr_free(cfg->obj[i].name);
        cr_free(cfg->obj[i].description);
        free_argv(cfg->obj[i].argv);
        free_argv(cfg->obj[i].setup);
        free_argv(cfg->obj[i].prepare);
        free_argv(cfg->obj[i].cleanup);
        cr_free(cfg->obj[i].group);
        cr_free(cfg->obj[i].image);
    }
    cr_free(cfg->obj);
    cr_free(cfg->path);
    cr_free(cfg->dir);
    cr_free(cfg);
}
