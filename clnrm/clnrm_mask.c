/* clnrm_mask: secret values out of rendered text. See clnrm_mask.h. */
#include "clnrm_mask.h"

#include "clnrm_spec.h"
#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_text.h"

#include <cjson/cJSON.h>

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

bool clnrm_mask_is_secret(const char *name, const char *const *globs,
                          size_t n_globs)
{
    static const char *const defaults[] = { CLNRM_MASK_DEFAULTS };

    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
        if (fnmatch(defaults[i], name, FNM_CASEFOLD) == 0)
            return true;
    for (size_t i = 0; i < n_globs; i++)
        if (fnmatch(globs[i], name, FNM_CASEFOLD) == 0)
            return true;
    return false;
}

static bool known(const struct clnrm_mask *m, const char *v)
{
    for (size_t i = 0; i < m->values.n; i++)
        if (strcmp(m->values.v[i], v) == 0)
            return true;
    return false;
}

/*
 * value as the renderers write it: XML through cr_xml_escape (JUnit), JSON
 * through cJSON (the JSON report and events), without the quotes. Made by
 * the same functions, so no character the renderers escape differently
 * (an apostrophe, a tab, a newline) lets a secret through. NULL when out of
 * memory.
 */
static char *escaped(const char *value, bool xml)
{
    struct cr_buf b = { 0 };
    if (xml) {
        if (cr_xml_escape(&b, value, strlen(value)) != 0 || b.data == NULL) {
            cr_buf_release(&b);
            return NULL;
        }
        return b.data;
    }
    cJSON *j = cr_json_text(value, strlen(value));
    char *text = j ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    if (text == NULL)
        return NULL;
    /* "..." -> ...: the quotes are the renderer's, not the value's. */
    size_t n = strlen(text);
    char *inner = n >= 2 ? cr_strndup(text + 1, n - 2) : NULL;
    cJSON_free(text);
    return inner;
}

static int by_length_desc(const void *a, const void *b)
{
    size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

    return la < lb ? 1 : la > lb ? -1 : 0;
}

static int push_unique(struct clnrm_mask *m, const char *v)
{
    if (strlen(v) < CLNRM_MASK_MIN_LEN || known(m, v))
        return 0;
    if (cr_strv_push(&m->values, v) != 0)
        return -1;
    /* Longest first, so a secret that contains another is hidden whole. */
    qsort(m->values.v, m->values.n, sizeof(char *), by_length_desc);
    return 0;
}

int clnrm_mask_add_value(struct clnrm_mask *m, const char *value)
{
    char *json, *xml;
    int rc;

    if (value == NULL || push_unique(m, value) != 0)
        return value == NULL ? 0 : -1;
    json = escaped(value, false);
    xml = escaped(value, true);
    rc = json == NULL || xml == NULL || push_unique(m, json) != 0 ||
                 push_unique(m, xml) != 0
             ? -1
             : 0;
    cr_free(json);
    cr_free(xml);
    return rc;
}

static int add_env(struct clnrm_mask *m, const struct clnrm_env *env)
{
    for (size_t i = 0; i < env->n; i++)
        if (clnrm_mask_is_secret(env->items[i].key, m->globs, m->n_globs) &&
            clnrm_mask_add_value(m, env->items[i].value) != 0)
            return -1;
    return 0;
}

int clnrm_mask_add_test(struct clnrm_mask *m, const struct clnrm_test *t)
{
    for (size_t i = 0; i < t->n_services; i++)
        if (add_env(m, &t->services[i].env) != 0)
            return -1;
    for (size_t i = 0; i < t->n_steps; i++)
        if (add_env(m, &t->steps[i].env) != 0)
            return -1;
    return 0;
}

int clnrm_mask_add_tests(struct clnrm_mask *m, struct clnrm_test *const *t,
                         size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (clnrm_mask_add_test(m, t[i]) != 0)
            return -1;
    return 0;
}

int clnrm_mask_add_environ(struct clnrm_mask *m)
{
    for (char **e = environ; e != NULL && *e != NULL; e++) {
        const char *eq = strchr(*e, '=');
        char *name;
        bool secret;

        if (eq == NULL)
            continue;
        name = cr_strprintf("%.*s", (int)(eq - *e), *e);
        if (name == NULL)
            return -1;
        secret = clnrm_mask_is_secret(name, m->globs, m->n_globs);
        cr_free(name);
        if (secret && clnrm_mask_add_value(m, eq + 1) != 0)
            return -1;
    }
    return 0;
}

/* Replaces value in buf; returns the count or -1 (buf unchanged). */
static int replace_all(struct cr_buf *buf, const char *value)
{
    struct cr_buf out = { 0 };
    size_t vlen = strlen(value);
    const char *p, *hit;
    int n = 0;

    if (buf->data == NULL || strstr(buf->data, value) == NULL)
        return 0;
    for (p = buf->data; (hit = strstr(p, value)) != NULL; p = hit + vlen) {
        if (cr_buf_append(&out, p, (size_t)(hit - p)) != 0 ||
            cr_buf_puts(&out, CLNRM_MASK_TEXT) != 0) {
            cr_buf_release(&out);
            return -1;
        }
        n++;
    }
    if (cr_buf_append(&out, p, buf->len - (size_t)(p - buf->data)) != 0) {
        cr_buf_release(&out);
        return -1;
    }
    cr_buf_release(buf);
    *buf = out;
    return n;
}

int clnrm_mask_apply(const struct clnrm_mask *m, struct cr_buf *buf)
{
    int total = 0;

    for (size_t i = 0; i < m->values.n; i++) {
        int n = replace_all(buf, m->values.v[i]);

        if (n < 0)
            return -1;
        total += n;
    }
    return total;
}

void clnrm_mask_release(struct clnrm_mask *m)
{
    cr_strv_release(&m->values);
}
