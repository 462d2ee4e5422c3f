/* clnrm_load_field: loader failures, diagnostics and typed fields. See
 * clnrm_load_field.h. */
#include "clnrm_load_field.h"

#include "clnrm_regex.h"
#include "cr_alloc.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int clnrm__fail_nomem(struct clnrm_loader *ld)
{
    clnrm_error_set(ld->err, CLNRM_E_NOMEM, "out of memory");
    return -1;
}

int clnrm__fail_at(struct clnrm_loader *ld, struct cr_pos pos, const char *fmt,
                   ...)
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

int clnrm__fail_toml(struct clnrm_loader *ld, const struct cr_error *te)
{
    if (te->code == CR_TOML_E_NOMEM)
        return clnrm__fail_nomem(ld);
    clnrm_error_set(ld->err, CLNRM_E_INPUT, "%s", te->msg);
    return -1;
}

void clnrm__diag_at(struct clnrm_loader *ld, enum clnrm_diag_level level,
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
        if (grown == NULL) {
            ld->diag_lost = true;
            return;
        }
        d->items = grown;
        d->cap = cap;
    }
    d->items[d->n].level = level;
    snprintf(d->items[d->n].msg, sizeof(d->items[d->n].msg), "%s", te.msg);
    d->n++;
}

static bool among(const char *key, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(key, list[k]) == 0)
            return true;
    return false;
}

/* Records an accepted-but-unused key; out of memory fails the load later,
 * as a lost diagnostic does. */
static void note_unused(struct clnrm_loader *ld, struct cr_pos pos,
                        const char *key, const char *where)
{
    if (cr_strv_push_take(
            &ld->t->unused_keys,
            cr_strprintf("%u:%u %s in %s", pos.line, pos.col, key, where)) != 0)
        ld->diag_lost = true;
}

void clnrm__check_keys_compat(struct clnrm_loader *ld,
                              const struct cr_toml_value *tbl,
                              const char *where, const char *const *known,
                              size_t n, const char *const *accepted, size_t na)
{
    for (size_t i = 0; i < cr_toml_len(tbl); i++) {
        struct cr_pos pos;
        const char *key = cr_toml_key_at(tbl, i, &pos);
        const char *hint;

        if (among(key, known, n))
            continue;
        if (among(key, accepted, na)) {
            note_unused(ld, pos, key, where);
            continue;
        }
        hint = cr_toml_suggest(key, known, n);
        if (hint != NULL)
            clnrm__diag_at(ld, CLNRM_DIAG_WARN, pos,
                           "unknown key \"%s\" in %s (did you mean \"%s\"?)",
                           key, where, hint);
        else
            clnrm__diag_at(ld, CLNRM_DIAG_WARN, pos, "unknown key \"%s\" in %s",
                           key, where);
    }
}

/* Warns about every key of tbl not in known[], suggesting the closest. */
void clnrm__check_keys(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                       const char *where, const char *const *known, size_t n)
{
    clnrm__check_keys_compat(ld, tbl, where, known, n, NULL, 0);
}

int clnrm__opt_string(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                      const char *key, char **out)
{
    struct cr_error te;
    const char *s;
    enum cr_toml_code rc = cr_toml_get_string(ld->doc, tbl, key, &s, &te);

    if (rc == CR_TOML_E_MISSING)
        return 0;
    if (rc != CR_TOML_OK)
        return clnrm__fail_toml(ld, &te);
    cr_free(*out);
    *out = cr_strdup(s);
    return *out == NULL ? clnrm__fail_nomem(ld) : 0;
}

int clnrm__opt_bool(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                    const char *key, bool *out)
{
    struct cr_error te;
    enum cr_toml_code rc = cr_toml_get_bool(ld->doc, tbl, key, out, &te);

    return rc == CR_TOML_OK || rc == CR_TOML_E_MISSING
               ? 0
               : clnrm__fail_toml(ld, &te);
}

int clnrm__opt_int(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                   const char *key, int64_t lo, int64_t hi, int64_t *out)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    struct cr_error te;
    int64_t val = 0;
    enum cr_toml_code rc = cr_toml_get_int(ld->doc, tbl, key, &val, &te);

    if (rc == CR_TOML_E_MISSING)
        return 0;
    if (rc != CR_TOML_OK)
        return clnrm__fail_toml(ld, &te);
    if (val < lo || val > hi)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"%s\" must be between %" PRId64 " and %" PRId64
                              ", not %" PRId64,
                              key, lo, hi, val);
    *out = val;
    return 0;
}

/* A duration: an integer in unit_ms units, or a string such as "30s". */
int clnrm__opt_duration(struct clnrm_loader *ld,
                        const struct cr_toml_value *tbl, const char *key,
                        int64_t unit_ms, int64_t *out)
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
    return clnrm__fail_at(ld, cr_toml_pos(v),
                          "\"%s\" must be a duration such as 30 or \"30s\" or "
                          "\"500ms\"",
                          key);
}

/* An argv: an array of strings, or one string split like a shell would. */
int clnrm__value_argv(struct clnrm_loader *ld, const struct cr_toml_value *v,
                      const char *key, struct cr_strv *out)
{
    cr_strv_release(out);
    if (cr_toml_type(v) == CR_TOML_STRING) {
        struct cr_error e;
        switch (clnrm_split_command(cr_toml_string(v, NULL), out, &e)) {
        case CLNRM_OK:
            return 0;
        case CLNRM_E_NOMEM:
            return clnrm__fail_nomem(ld);
        default:
            return clnrm__fail_at(ld, cr_toml_pos(v), "%s", e.msg);
        }
    }
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"%s\" must be an array of strings, not %s", key,
                              cr_toml_type_name(cr_toml_type(v)));
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        if (cr_toml_type(e) != CR_TOML_STRING)
            return clnrm__fail_at(ld, cr_toml_pos(e),
                                  "\"%s\" must be an array of strings, not %s "
                                  "elements",
                                  key, cr_toml_type_name(cr_toml_type(e)));
        if (cr_strv_push(out, cr_toml_string(e, NULL)) != 0)
            return clnrm__fail_nomem(ld);
    }
    return 0;
}

int clnrm__opt_argv(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                    const char *key, struct cr_strv *out)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);

    return v == NULL ? 0 : clnrm__value_argv(ld, v, key, out);
}

/* The compose list form: ["K=V", ...]; "K" alone means an empty value. */
static int env_from_list(struct clnrm_loader *ld, const struct cr_toml_value *v,
                         struct clnrm_env *env)
{
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        const char *s, *eq;

        if (cr_toml_type(e) != CR_TOML_STRING ||
            *(s = cr_toml_string(e, NULL)) == '\0' || *s == '=')
            return clnrm__fail_at(ld, cr_toml_pos(e),
                                  "environment entries must be \"NAME=value\" "
                                  "strings");
        eq = strchr(s, '=');
        env->items[i].key =
            eq != NULL ? cr_strndup(s, (size_t)(eq - s)) : cr_strdup(s);
        env->items[i].value = cr_strdup(eq != NULL ? eq + 1 : "");
        env->n = i + 1;
        if (env->items[i].key == NULL || env->items[i].value == NULL)
            return clnrm__fail_nomem(ld);
    }
    return 0;
}

/* A table of NAME = value (numbers and booleans are written out), or the
 * compose list ["NAME=value", ...]. */
int clnrm__opt_env(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                   const char *key, struct clnrm_env *env)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    size_t n;

    if (v == NULL)
        return 0;
    if (env->n > 0)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"%s\": the environment is already set (use "
                              "one of env and environment)",
                              key);
    if (cr_toml_type(v) != CR_TOML_TABLE && cr_toml_type(v) != CR_TOML_ARRAY)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"%s\" must be a table or a list of "
                              "\"NAME=value\", not %s",
                              key, cr_toml_type_name(cr_toml_type(v)));
    n = cr_toml_len(v);
    cr_free(env->items);
    env->items = cr_calloc(n ? n : 1, sizeof(*env->items));
    if (env->items == NULL)
        return clnrm__fail_nomem(ld);
    if (cr_toml_type(v) == CR_TOML_ARRAY)
        return env_from_list(ld, v, env);
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
            return clnrm__fail_at(
                ld, cr_toml_pos(e),
                "environment value \"%s\" must be a string, not %s",
                cr_toml_key_at(v, i, NULL), cr_toml_type_name(cr_toml_type(e)));
        env->items[i].key = cr_strdup(cr_toml_key_at(v, i, NULL));
        env->items[i].value = cr_strdup(s);
        env->n = i + 1;
        if (env->items[i].key == NULL || env->items[i].value == NULL)
            return clnrm__fail_nomem(ld);
    }
    return 0;
}

int clnrm__opt_table(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                     const char *key, const struct cr_toml_value **out)
{
    struct cr_error te;
    enum cr_toml_code rc;

    *out = NULL;
    rc = cr_toml_get_table(ld->doc, tbl, key, out, &te);
    return rc == CR_TOML_OK || rc == CR_TOML_E_MISSING
               ? 0
               : clnrm__fail_toml(ld, &te);
}

/* A CPU count: a finite number from 0 (unlimited) to CLNRM_MAX_CPUS, so
 * that it always makes a valid NanoCpus. */
int clnrm__opt_cpus(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                    const char *key, double *out)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    struct cr_error te;
    double cpus;

    if (v == NULL)
        return 0;
    if (cr_toml_get_float(ld->doc, tbl, key, &cpus, &te) != CR_TOML_OK)
        return clnrm__fail_toml(ld, &te);
    if (!isfinite(cpus) || cpus < 0 || cpus > CLNRM_MAX_CPUS)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"%s\" must be a number of CPUs from 0 to %d",
                              key, CLNRM_MAX_CPUS);
    *out = cpus;
    return 0;
}

int clnrm__check_regex(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                       const char *key)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, key);
    struct clnrm_regex *re;
    struct cr_error e;

    if (v == NULL || cr_toml_type(v) != CR_TOML_STRING)
        return 0;
    switch (clnrm_regex_compile(cr_toml_string(v, NULL), &re, &e)) {
    case CLNRM_OK:
        break;
    case CLNRM_E_NOMEM:
        return clnrm__fail_nomem(ld);
    default:
        return clnrm__fail_at(ld, cr_toml_pos(v), "%s", e.msg);
    }
    clnrm_regex_free(re);
    return 0;
}
