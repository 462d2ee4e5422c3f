/* engine shared helpers: errors, JSON, query strings. See
 * engine_int.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "cr_alloc.h"

void engine_strv_free(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        cr_free(*p);
    cr_free(v);
}

enum engine_code engine__json_parse(const char *s, size_t len, cJSON **doc,
                                    struct cr_error *err)
{
    unsigned long failed = cr_alloc_failures();

    if ((*doc = cJSON_ParseWithLength(s, len)))
        return ENGINE_OK;
    if (cr_alloc_failures() != failed)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    return ENGINE_E_PROTOCOL;
}

int engine__error_message(const struct cr_buf *body, char *buf, size_t size)
{
    cJSON *doc = NULL;
    const char *text = cr_buf_str(body);
    size_t n;

    if (engine__json_parse(text, body->len, &doc, NULL) == ENGINE_E_NOMEM)
        return -ENOMEM;
    if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "message")))
        text = cJSON_GetObjectItemCaseSensitive(doc, "message")->valuestring;
    snprintf(buf, size, "%s", text);
    /* One line: plain-text bodies end with a newline. */
    n = strcspn(buf, "\r\n");
    buf[n] = '\0';
    cJSON_Delete(doc);
    return 0;
}

enum engine_code engine__http_error(const struct engine__xfer *x,
                                    struct cr_error *err)
{
    enum engine_code code = ENGINE_E_API;
    char msg[400];

    if (engine__error_message(&x->body, msg, sizeof(msg)) != 0)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    if (x->status == 404)
        code = ENGINE_E_NOTFOUND;
    else if (x->status == 409)
        code = ENGINE_E_CONFLICT;
    if (msg[0] == '\0')
        snprintf(msg, sizeof(msg), "HTTP %ld", x->status);
    engine_error_set(err, code, "Error response from daemon: %s", msg);
    if (err)
        err->http_status = (int)x->status;
    return code;
}

enum engine_code engine__request(struct engine *eng, struct engine__xfer *x,
                                 const struct engine__req *r, const long *ok,
                                 uint64_t deadline_ms, struct cr_error *err)
{
    enum engine_code rc = engine__call(eng, x, r, deadline_ms, err);

    if (rc != ENGINE_OK)
        return rc;
    for (; *ok; ok++)
        if (x->status == *ok)
            return ENGINE_OK;
    return engine__http_error(x, err);
}

enum engine_code engine__nomem(struct cr_buf *path, struct cr_error *err)
{
    cr_buf_release(path);
    return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
}

char *engine__escape(const char *s)
{
    /* curl_easy_escape needs no handle since 7.82. */
    return engine__curl.easy_escape(NULL, s, 0);
}

const char *engine__json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

    return cJSON_IsString(v) ? v->valuestring : "";
}

int engine__json_strv(cJSON *obj, const char *key, const char *const *v)
{
    cJSON *arr;

    if (!v)
        return 0;
    arr = cJSON_AddArrayToObject(obj, key);
    if (!arr)
        return -1;
    for (; *v; v++) {
        cJSON *s = cJSON_CreateString(*v);
        if (!s || !cJSON_AddItemToArray(arr, s)) {
            cJSON_Delete(s);
            return -1;
        }
    }
    return 0;
}

int engine__filters_query(struct cr_buf *out, const char *const *labels,
                          const char *const *types, const char *const *actions,
                          const char *container)
{
    cJSON *f = cJSON_CreateObject();
    const char *const one[] = { container, NULL };
    char *text = NULL, *esc = NULL;
    int rc = -1;

    if (!f)
        return -1;
    if (engine__json_strv(f, "label", labels) < 0 ||
        engine__json_strv(f, "type", types) < 0 ||
        engine__json_strv(f, "event", actions) < 0 ||
        engine__json_strv(f, "container", container ? one : NULL) < 0)
        goto out;
    text = cJSON_PrintUnformatted(f);
    esc = text ? engine__escape(text) : NULL;
    if (esc)
        rc = cr_buf_printf(out, "filters=%s", esc);
out:
    engine__curl.free(esc);
    cr_free(text);
    cJSON_Delete(f);
    return rc;
}

/* Checks that doc (a parsed list reply) is an array and allocates one zeroed
 * slot of size bytes per element plus a terminating one. On failure doc is
 * deleted and err set. */
static enum engine_code list_slots(const struct cr_buf *body, cJSON **doc,
                                   size_t size, void **slots,
                                   struct cr_error *err)
{
    *slots = NULL;
    if (engine__json_parse(cr_buf_str(body), body->len, doc, err) ==
        ENGINE_E_NOMEM)
        return ENGINE_E_NOMEM;
    if (!cJSON_IsArray(*doc)) {
        cJSON_Delete(*doc);
        return engine_error_set(err, ENGINE_E_PROTOCOL,
                                "unreadable list from the Docker daemon");
    }
    *slots = cr_calloc((size_t)cJSON_GetArraySize(*doc) + 1, size);
    if (!*slots) {
        cJSON_Delete(*doc);
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    }
    return ENGINE_OK;
}

enum engine_code engine__ids_from_list(const struct cr_buf *body,
                                       const char *idkey, char ***ids_out,
                                       size_t *n_out, struct cr_error *err)
{
    cJSON *doc;
    const cJSON *item;
    size_t n = 0;
    char **ids;
    void *slots;
    enum engine_code rc = list_slots(body, &doc, sizeof(*ids), &slots, err);

    *ids_out = NULL;
    if (rc != ENGINE_OK)
        return rc;
    ids = slots;
    cJSON_ArrayForEach(item, doc)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, idkey);
        if (!cJSON_IsString(id))
            continue;
        if (!(ids[n] = cr_strdup(id->valuestring))) {
            engine_strv_free(ids);
            cJSON_Delete(doc);
            return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
        }
        n++;
    }
    cJSON_Delete(doc);
    *ids_out = ids;
    if (n_out)
        *n_out = n;
    return ENGINE_OK;
}

const char *engine__noimage_hint(const char *image)
{
    if (strncmp(image, "clnrm-base", 10) == 0 &&
        (image[10] == '\0' || image[10] == ':'))
        return "; build the base image with: clnrm image bootstrap";
    return "";
}

int engine__lines_sink(void *ctx, const char *data, size_t len)
{
    struct engine__lines *l = ctx;

    for (size_t i = 0; i < len; i++) {
        if (data[i] != '\n') {
            if (cr_buf_putc(&l->pending, data[i]) < 0)
                return -1;
            continue;
        }
        if (l->pending.len > 0 &&
            l->fn(l->ctx, l->pending.data, l->pending.len) != 0)
            return -1;
        cr_buf_reset(&l->pending);
    }
    return 0;
}

int engine__lines_finish(struct engine__lines *l)
{
    int rc = 0;

    if (l->pending.len > 0)
        rc = l->fn(l->ctx, l->pending.data, l->pending.len);
    cr_buf_release(&l->pending);
    return rc;
}

void engine_objects_free(struct engine_object *v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < v[i].nlabels; k++) {
            /* The array owns these; engine_kv is const for borrowed uses. */
            cr_free((char *)v[i].labels[k].key);
            cr_free((char *)v[i].labels[k].value);
        }
        cr_free(v[i].labels);
        cr_free(v[i].id);
    }
    cr_free(v);
}

const char *engine_object_label(const struct engine_object *o, const char *key)
{
    for (size_t k = 0; k < o->nlabels; k++)
        if (strcmp(o->labels[k].key, key) == 0)
            return o->labels[k].value;
    return NULL;
}

/* Copies the string members of a "Labels" object into o. */
static int read_labels(const cJSON *labels, struct engine_object *o)
{
    const cJSON *l;
    size_t n = (size_t)cJSON_GetArraySize(labels);

    if (!cJSON_IsObject(labels) || n == 0)
        return 0;
    if (!(o->labels = cr_calloc(n, sizeof(*o->labels))))
        return -1;
    cJSON_ArrayForEach(l, labels)
    {
        struct engine_kv *kv = &o->labels[o->nlabels];
        if (!cJSON_IsString(l) || !l->string)
            continue;
        kv->key = cr_strdup(l->string);
        kv->value = cr_strdup(l->valuestring);
        o->nlabels++;
        if (!kv->key || !kv->value)
            return -1;
    }
    return 0;
}

enum engine_code engine__objects_from_list(const struct cr_buf *body,
                                           const char *idkey,
                                           struct engine_object **out,
                                           size_t *n_out, struct cr_error *err)
{
    cJSON *doc;
    const cJSON *item;
    struct engine_object *v;
    size_t n = 0;
    void *slots;
    enum engine_code rc = list_slots(body, &doc, sizeof(*v), &slots, err);

    *out = NULL;
    *n_out = 0;
    if (rc != ENGINE_OK)
        return rc;
    v = slots;
    cJSON_ArrayForEach(item, doc)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, idkey);
        if (!cJSON_IsString(id))
            continue;
        v[n].id = cr_strdup(id->valuestring);
        n++; /* counted before checking, so a partial entry is freed */
        if (!v[n - 1].id ||
            read_labels(cJSON_GetObjectItemCaseSensitive(item, "Labels"),
                        &v[n - 1]) != 0) {
            engine_objects_free(v, n);
            cJSON_Delete(doc);
            return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
        }
    }
    cJSON_Delete(doc);
    if (n == 0) {
        cr_free(v);
        v = NULL;
    }
    *out = v;
    *n_out = n;
    return ENGINE_OK;
}

enum engine_code engine__list_by_label(struct engine *eng, const char *base,
                                       const char *const *labels,
                                       char ***ids_out,
                                       struct engine_object **objs_out,
                                       size_t *n_out, struct cr_error *err)
{
    struct engine__req r = { .method = "GET" };
    struct engine__xfer x = { 0 };
    struct cr_buf path = { 0 };
    enum engine_code rc;

    if (ids_out)
        *ids_out = NULL;
    else {
        *objs_out = NULL;
        *n_out = 0;
    }
    if (cr_buf_puts(&path, base) < 0 ||
        engine__filters_query(&path, labels, NULL, NULL, NULL) < 0)
        return engine__nomem(&path, err);
    r.path = path.data;
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    if (rc == ENGINE_OK)
        rc = ids_out ? engine__ids_from_list(&x.body, "Id", ids_out, n_out, err)
                     : engine__objects_from_list(&x.body, "Id", objs_out, n_out,
                                                 err);
    engine__xfer_cleanup(&x);
    cr_buf_release(&path);
    return rc;
}
