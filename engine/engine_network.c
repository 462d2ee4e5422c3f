/* engine networks and events. See engine.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

static char *network_body(const char *name, const struct engine_kv *labels,
                          size_t nlabels, bool internal)
{
    cJSON *b = cJSON_CreateObject();
    cJSON *l = b ? cJSON_AddObjectToObject(b, "Labels") : NULL;
    char *text = NULL;

    if (!l || !cJSON_AddStringToObject(b, "Name", name) ||
        !cJSON_AddStringToObject(b, "Driver", "bridge") ||
        !cJSON_AddTrueToObject(b, "CheckDuplicate") ||
        (internal && !cJSON_AddTrueToObject(b, "Internal")))
        goto out;
    for (size_t i = 0; i < nlabels; i++)
        if (!cJSON_AddStringToObject(l, labels[i].key,
                                     labels[i].value ? labels[i].value : ""))
            goto out;
    text = cJSON_PrintUnformatted(b);
out:
    cJSON_Delete(b);
    return text;
}

enum engine_code engine_network_create(struct engine *eng, const char *name,
                                       const struct engine_kv *labels,
                                       size_t nlabels, bool internal,
                                       char **id_out, struct cr_error *err)
{
    struct engine__req r = { .method = "POST", .path = "/networks/create" };
    struct engine__xfer x;
    char *body = network_body(name, labels, nlabels, internal);
    cJSON *doc = NULL;
    const cJSON *id;
    enum engine_code rc;

    *id_out = NULL;
    if (!body)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    r.json = body;
    rc = engine__request(eng, &x, &r, ENGINE__OK(201), 0, err);
    if (rc == ENGINE_OK && engine__json_parse(cr_buf_str(&x.body), x.body.len,
                                              &doc, err) == ENGINE_E_NOMEM)
        rc = ENGINE_E_NOMEM;
    if (rc == ENGINE_OK) {
        id = cJSON_GetObjectItemCaseSensitive(doc, "Id");
        if (cJSON_IsString(id) && !(*id_out = cr_strdup(id->valuestring)))
            rc = engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
        else if (!*id_out)
            rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                                  "no network Id in the Docker daemon's reply");
    }
    cJSON_Delete(doc);
    engine__xfer_cleanup(&x);
    cr_free(body);
    return rc;
}

enum engine_code engine_network_remove(struct engine *eng, const char *id,
                                       struct cr_error *err)
{
    struct engine__xfer x;
    char path[512];
    struct engine__req r = { .method = "DELETE", .path = path };
    enum engine_code rc;

    snprintf(path, sizeof(path), "/networks/%s", id);
    rc = engine__request(eng, &x, &r, ENGINE__OK(204, 200, 404), 0, err);
    engine__xfer_cleanup(&x);
    return rc;
}

enum engine_code engine_network_list_by_label(struct engine *eng,
                                              const char *const *labels,
                                              char ***ids_out, size_t *n_out,
                                              struct cr_error *err)
{
    return engine__list_by_label(eng, "/networks?", labels, ids_out, NULL,
                                 n_out, err);
}

enum engine_code engine_network_connect(struct engine *eng, const char *net,
                                        const char *container_id,
                                        const char *const *aliases,
                                        struct cr_error *err)
{
    struct engine__req r = { .method = "POST" };
    struct engine__xfer x = { 0 };
    cJSON *b = cJSON_CreateObject();
    cJSON *ep = b ? cJSON_AddObjectToObject(b, "EndpointConfig") : NULL;
    char path[512], *body = NULL;
    enum engine_code rc = ENGINE_E_NOMEM;

    if (ep && cJSON_AddStringToObject(b, "Container", container_id) &&
        engine__json_strv(ep, "Aliases", aliases) == 0)
        body = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    if (!body)
        return engine_error_set(err, rc, "out of memory");
    snprintf(path, sizeof(path), "/networks/%s/connect", net);
    r.path = path;
    r.json = body;
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    engine__xfer_cleanup(&x);
    cr_free(body);
    return rc;
}

enum engine_code engine_network_list_labelled(struct engine *eng,
                                              const char *const *labels,
                                              struct engine_object **out,
                                              size_t *n_out,
                                              struct cr_error *err)
{
    return engine__list_by_label(eng, "/networks?", labels, NULL, out, n_out,
                                 err);
}
