/* taskrun_slot: typed access to TOML values (see taskrun_slot.h). */
#include "taskrun_slot.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *taskrun__scalar(const struct cr_toml_value *v)
{
    char tmp[64];
    switch (cr_toml_type(v)) {
    case CR_TOML_STRING:
        return cr_strdup(cr_toml_string(v, NULL));
    case CR_TOML_INTEGER:
        snprintf(tmp, sizeof(tmp), "%" PRId64, cr_toml_int(v));
        return cr_strdup(tmp);
    case CR_TOML_FLOAT:
        /* The shortest text that reads back as the same double: "%g"
         * alone would turn 3.14159265 into 3.14159. */
        snprintf(tmp, sizeof(tmp), "%.15g", cr_toml_float(v));
        if (strtod(tmp, NULL) != cr_toml_float(v))
            snprintf(tmp, sizeof(tmp), "%.17g", cr_toml_float(v));
        return cr_strdup(tmp);
    case CR_TOML_BOOL:
        return cr_strdup(cr_toml_bool(v) ? "true" : "false");
    default:
        return NULL;
    }
}

bool taskrun__has_text(const struct cr_toml_value *v)
{
    enum cr_toml_type ty = cr_toml_type(v);
    return ty == CR_TOML_STRING || ty == CR_TOML_INTEGER ||
           ty == CR_TOML_FLOAT || ty == CR_TOML_BOOL;
}

enum taskrun_code taskrun__want(struct taskrun_loader *l, struct taskrun_slot s,
                                const char *key, const char *what)
{
    const char *type = cr_toml_type_name(cr_toml_type(s.v));
    bool vowel = strchr("aeiou", type[0]) != NULL;
    return taskrun__lerr(l, s.doc, cr_toml_pos(s.v),
                         "\"%s\" must be %s, not %s %s", key, what,
                         vowel ? "an" : "a", type);
}

/* Why taskrun__scalar gave NULL: another type, or out of memory. */
static enum taskrun_code no_scalar(struct taskrun_loader *l,
                                   struct taskrun_slot s, const char *key,
                                   const char *what)
{
    if (taskrun__has_text(s.v))
        return TASKRUN_E_NOMEM;
    return taskrun__want(l, s, key, what);
}

enum taskrun_code taskrun__get_str(struct taskrun_loader *l,
                                   struct taskrun_slot s, const char *key,
                                   char **out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_STRING)
        return taskrun__want(l, s, key, "a string");
    cr_free(*out);
    *out = cr_strdup(cr_toml_string(s.v, NULL));
    return *out ? TASKRUN_OK : TASKRUN_E_NOMEM;
}

enum taskrun_code taskrun__get_bool(struct taskrun_loader *l,
                                    struct taskrun_slot s, const char *key,
                                    bool *out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_BOOL)
        return taskrun__want(l, s, key, "a boolean");
    *out = cr_toml_bool(s.v);
    return TASKRUN_OK;
}

/* An array of scalars, or (with one_ok) a single scalar. */
enum taskrun_code taskrun__get_strv(struct taskrun_loader *l,
                                    struct taskrun_slot s, const char *key,
                                    bool one_ok, struct cr_strv *out)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_ARRAY) {
        char *x = one_ok ? taskrun__scalar(s.v) : NULL;
        if (!x && !one_ok)
            return taskrun__want(l, s, key, "an array");
        if (!x)
            return no_scalar(l, s, key, "a string or array");
        return cr_strv_push_take(out, x) ? TASKRUN_E_NOMEM : TASKRUN_OK;
    }
    for (size_t i = 0; i < cr_toml_len(s.v); i++) {
        struct taskrun_slot e = { cr_toml_at(s.v, i), s.doc };
        char *x = taskrun__scalar(e.v);
        if (!x)
            return no_scalar(l, e, key, "an array of strings");
        if (cr_strv_push_take(out, x) != 0)
            return TASKRUN_E_NOMEM;
    }
    return TASKRUN_OK;
}

struct taskrun_slot taskrun__sub(struct taskrun_slot s, const char *key)
{
    struct taskrun_slot r = { cr_toml_get(s.v, key), s.doc };
    return r;
}

enum taskrun_code taskrun__get_kv(struct taskrun_loader *l,
                                  struct taskrun_slot s, const char *key,
                                  struct taskrun_kv **out, size_t *n)
{
    if (!s.v)
        return TASKRUN_OK;
    if (cr_toml_type(s.v) != CR_TOML_TABLE)
        return taskrun__want(l, s, key, "a table");
    size_t len = cr_toml_len(s.v);
    *out = cr_calloc(len + 1, sizeof(**out));
    if (!*out)
        return TASKRUN_E_NOMEM;
    for (size_t i = 0; i < len; i++) {
        const struct cr_toml_value *v = cr_toml_value_at(s.v, i);
        (*n)++;
        (*out)[i].key = cr_strdup(cr_toml_key_at(s.v, i, NULL));
        /* Values without text (tables, dates) compare as "". */
        (*out)[i].value =
            taskrun__has_text(v) ? taskrun__scalar(v) : cr_strdup("");
        if (!(*out)[i].key || !(*out)[i].value)
            return TASKRUN_E_NOMEM;
    }
    return TASKRUN_OK;
}

char *taskrun__join_lines(const struct cr_strv *sv, const char *sep)
{
    struct cr_buf b = { 0 };
    for (size_t i = 0; i < sv->n; i++)
        if (cr_buf_printf(&b, "%s%s", i ? sep : "", sv->v[i]) != 0) {
            cr_buf_release(&b);
            return NULL;
        }
    return cr_buf_detach(&b);
}
