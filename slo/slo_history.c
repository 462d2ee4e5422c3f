/* slo: earlier checks from the history or a saved report. See
 * slo_history.h. */
#include "slo_history.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cr_alloc.h"
#include "cr_fs.h"

/* A number member, or fallback when it is absent. */
static double num(const cJSON *o, const char *key, double fallback)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsNumber(v) ? v->valuedouble : fallback;
}

/*
 * One objective of a report: the judged value and the interval it was
 * judged with. Reports before the metric_ keys carried them as "value" and
 * ci_low/ci_high, in the metric's unit too.
 */
static bool past_from(const cJSON *r, struct slo_past *p)
{
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(r, "name");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "verdict");
    const cJSON *u = cJSON_GetObjectItemCaseSensitive(r, "unit");

    if (!cJSON_IsString(name))
        return false;
    p->name = cr_strdup(name->valuestring);
    p->value = num(r, "metric_value", num(r, "value", 0));
    p->lo = num(r, "metric_interval_low", num(r, "ci_low", p->value));
    p->hi = num(r, "metric_interval_high", num(r, "ci_high", p->value));
    snprintf(p->verdict, sizeof(p->verdict), "%s",
             cJSON_IsString(v) ? v->valuestring : "");
    snprintf(p->unit, sizeof(p->unit), "%s",
             cJSON_IsString(u) ? u->valuestring : "");
    return p->name != NULL;
}

static void check_release(struct slo_check *c)
{
    for (size_t i = 0; i < c->n; i++)
        cr_free(c->obj[i].name);
    cr_free(c->obj);
    memset(c, 0, sizeof(*c));
}

/* Parses one report; -EINVAL when it is not one, -ENOMEM. */
static int check_from(const char *text, size_t len, struct slo_check *c)
{
    /* cJSON returns NULL both for bad syntax and for a failed allocation;
     * one more try tells a passing shortage from a line that is not JSON
     * (under a lasting shortage the line is reported as malformed). */
    cJSON *root = cJSON_ParseWithLength(text, len);
    const cJSON *res, *r;
    int rc = 0;

    if (!root)
        root = cJSON_ParseWithLength(text, len);
    res = cJSON_GetObjectItemCaseSensitive(root, "results");

    memset(c, 0, sizeof(*c));
    if (!cJSON_IsArray(res)) {
        cJSON_Delete(root);
        return -EINVAL;
    }
    c->timestamp_ms = (uint64_t)num(root, "timestamp_ms", 0);
    c->obj = cr_calloc((size_t)cJSON_GetArraySize(res) + 1, sizeof(*c->obj));
    if (!c->obj)
        rc = -ENOMEM;
    cJSON_ArrayForEach(r, res)
    {
        if (rc)
            break;
        if (past_from(r, &c->obj[c->n]))
            c->n++;
        else if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(r, "name")))
            rc = -ENOMEM;
    }
    cJSON_Delete(root);
    if (rc)
        check_release(c);
    return rc;
}

static int push(struct slo_history *h, const struct slo_check *c)
{
    struct slo_check *v =
        cr_realloc(h->checks, (h->n + 1) * sizeof(*h->checks));

    if (!v)
        return -ENOMEM;
    h->checks = v;
    h->checks[h->n++] = *c;
    return 0;
}

/* Adds the check in text[0..len) to h; SLO_OK or an error naming where. */
static enum slo_code add_check(struct slo_history *h, const char *text,
                               size_t len, const char *where,
                               struct cr_error *err)
{
    struct slo_check c;
    int rc = check_from(text, len, &c);

    if (rc == 0 && (rc = push(h, &c)) != 0)
        check_release(&c);
    if (rc == -ENOMEM)
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    if (rc)
        return slo_error_set(err, SLO_E_CONFIG, "%s: not an slo report", where);
    return SLO_OK;
}

static enum slo_code read_all(const char *path, char **text, size_t *len,
                              bool missing_ok, struct cr_error *err)
{
    int rc = cr_fs_read(path, text, len);

    if (rc == -ENOENT && missing_ok)
        return SLO_OK;
    if (rc)
        return slo_error_set(err, rc == -ENOMEM ? SLO_E_NOMEM : SLO_E_IO,
                             "cannot read %s: %s", path, strerror(-rc));
    return SLO_OK;
}

enum slo_code slo_history_load(const char *path, struct slo_history *h,
                               struct cr_error *err)
{
    char *text = NULL, where[4200];
    size_t len = 0, line = 0;
    enum slo_code rc;

    memset(h, 0, sizeof(*h));
    if ((rc = read_all(path, &text, &len, true, err)) || !text)
        return rc;
    for (char *p = text, *end = text + len; p < end && rc == SLO_OK;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);

        line++;
        snprintf(where, sizeof(where), "%s:%zu", path, line);
        if (n > 0)
            rc = add_check(h, p, n, where, err);
        p = nl ? nl + 1 : end;
    }
    cr_free(text);
    if (rc)
        slo_history_release(h);
    return rc;
}

enum slo_code slo_history_load_report(const char *path, struct slo_history *h,
                                      struct cr_error *err)
{
    char *text = NULL;
    size_t len = 0;
    enum slo_code rc;

    memset(h, 0, sizeof(*h));
    if ((rc = read_all(path, &text, &len, false, err)))
        return rc;
    rc = add_check(h, text, len, path, err);
    cr_free(text);
    return rc;
}

const struct slo_check *slo_history_last(const struct slo_history *h)
{
    return h->n ? &h->checks[h->n - 1] : NULL;
}

const struct slo_past *slo_check_find(const struct slo_check *c,
                                      const char *name)
{
    for (size_t i = 0; c && i < c->n; i++)
        if (strcmp(c->obj[i].name, name) == 0)
            return &c->obj[i];
    return NULL;
}

void slo_history_release(struct slo_history *h)
{
    for (size_t i = 0; i < h->n; i++)
        check_release(&h->checks[i]);
    cr_free(h->checks);
    memset(h, 0, sizeof(*h));
}
