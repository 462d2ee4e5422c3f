/* engine containers: create, start, kill, stop, remove, inspect,
 * list, archive. See engine.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

static cJSON *kv_object(cJSON *parent, const char *key,
                        const struct engine_kv *kv, size_t n)
{
    cJSON *obj = cJSON_AddObjectToObject(parent, key);

    for (size_t i = 0; obj && i < n; i++) {
        const char *v = kv[i].value ? kv[i].value : "";
        if (!cJSON_AddStringToObject(obj, kv[i].key, v))
            return NULL;
    }
    return obj;
}

static int add_ports(cJSON *cfg, cJSON *host,
                     const struct engine_container_spec *s)
{
    cJSON *exposed, *bindings;

    if (s->nports == 0)
        return 0;
    exposed = cJSON_AddObjectToObject(cfg, "ExposedPorts");
    bindings = cJSON_AddObjectToObject(host, "PortBindings");
    if (!exposed || !bindings)
        return -1;
    for (size_t i = 0; i < s->nports; i++) {
        const struct engine_port_binding *p = &s->ports[i];
        char key[32], hport[16];
        cJSON *list, *b;

        snprintf(key, sizeof(key), "%u/%s", p->container_port,
                 p->proto ? p->proto : "tcp");
        snprintf(hport, sizeof(hport), "%u", p->host_port);
        list = cJSON_GetObjectItemCaseSensitive(bindings, key);
        if (!list && !cJSON_AddObjectToObject(exposed, key))
            return -1;
        if (!list && !(list = cJSON_AddArrayToObject(bindings, key)))
            return -1;
        b = cJSON_CreateObject();
        if (!b || !cJSON_AddItemToArray(list, b) ||
            !cJSON_AddStringToObject(b, "HostIp",
                                     p->host_ip ? p->host_ip : "") ||
            !cJSON_AddStringToObject(b, "HostPort", p->host_port ? hport : ""))
            return -1;
    }
    return 0;
}

/* HostConfig.LogConfig: {"Type": driver}. */
static bool add_log_config(cJSON *host, const char *driver)
{
    cJSON *lc = cJSON_AddObjectToObject(host, "LogConfig");

    return lc != NULL && cJSON_AddStringToObject(lc, "Type", driver) != NULL;
}

static int add_host_config(cJSON *cfg, const struct engine_container_spec *s)
{
    cJSON *h = cJSON_AddObjectToObject(cfg, "HostConfig");

    if (!h)
        return -1;
    if ((s->network &&
         !cJSON_AddStringToObject(h, "NetworkMode", s->network)) ||
        (s->pid_mode && !cJSON_AddStringToObject(h, "PidMode", s->pid_mode)) ||
        (s->ipc_mode && !cJSON_AddStringToObject(h, "IpcMode", s->ipc_mode)))
        return -1;
    if ((s->memory_bytes &&
         !cJSON_AddNumberToObject(h, "Memory", (double)s->memory_bytes)) ||
        (s->nano_cpus &&
         !cJSON_AddNumberToObject(h, "NanoCpus", (double)s->nano_cpus)) ||
        (s->pids_limit &&
         !cJSON_AddNumberToObject(h, "PidsLimit", (double)s->pids_limit)))
        return -1;
    if (engine__json_strv(h, "Binds", s->binds) < 0 ||
        engine__json_strv(h, "CapDrop", s->cap_drop) < 0 ||
        engine__json_strv(h, "CapAdd", s->cap_add) < 0 ||
        engine__json_strv(h, "SecurityOpt", s->security_opt) < 0 ||
        engine__json_strv(h, "ExtraHosts", s->extra_hosts) < 0)
        return -1;
    if (s->ntmpfs && !kv_object(h, "Tmpfs", s->tmpfs, s->ntmpfs))
        return -1;
    if (s->log_driver && !add_log_config(h, s->log_driver))
        return -1;
    if ((s->readonly_rootfs && !cJSON_AddTrueToObject(h, "ReadonlyRootfs")) ||
        (s->privileged && !cJSON_AddTrueToObject(h, "Privileged")) ||
        (s->init && !cJSON_AddTrueToObject(h, "Init")) ||
        (s->auto_remove && !cJSON_AddTrueToObject(h, "AutoRemove")))
        return -1;
    return add_ports(cfg, h, s);
}

/* NetworkingConfig.EndpointsConfig.<network>.Aliases, only when asked. */
static int add_aliases(cJSON *cfg, const struct engine_container_spec *s)
{
    cJSON *nc, *eps, *ep;

    if (!s->network_aliases || !s->network)
        return 0;
    nc = cJSON_AddObjectToObject(cfg, "NetworkingConfig");
    eps = nc ? cJSON_AddObjectToObject(nc, "EndpointsConfig") : NULL;
    ep = eps ? cJSON_AddObjectToObject(eps, s->network) : NULL;
    if (!ep)
        return -1;
    return engine__json_strv(ep, "Aliases", s->network_aliases);
}

static int add_strings(cJSON *cfg, const struct engine_container_spec *s)
{
    const struct {
        const char *key, *value;
    } fields[] = {
        { "Image", s->image },
        { "WorkingDir", s->workdir },
        { "User", s->user },
        { "Hostname", s->hostname },
    };

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (fields[i].value &&
            !cJSON_AddStringToObject(cfg, fields[i].key, fields[i].value))
            return -1;
    return 0;
}

/* The JSON body of POST /containers/create; caller frees. */
static char *create_body(const struct engine_container_spec *s)
{
    cJSON *cfg = cJSON_CreateObject();
    char *text = NULL;

    if (!cfg || add_strings(cfg, s) < 0 ||
        engine__json_strv(cfg, "Cmd", s->argv) < 0 ||
        engine__json_strv(cfg, "Entrypoint", s->entrypoint) < 0 ||
        engine__json_strv(cfg, "Env", s->env) < 0)
        goto out;
    if (s->nlabels && !kv_object(cfg, "Labels", s->labels, s->nlabels))
        goto out;
    if (s->has_stop_timeout &&
        !cJSON_AddNumberToObject(cfg, "StopTimeout", s->stop_timeout))
        goto out;
    if (s->network_disabled && !cJSON_AddTrueToObject(cfg, "NetworkDisabled"))
        goto out;
    if (add_host_config(cfg, s) < 0 || add_aliases(cfg, s) < 0)
        goto out;
    text = cJSON_PrintUnformatted(cfg);
out:
    cJSON_Delete(cfg);
    return text;
}

/* A 404 about the image (not the container) becomes ENGINE_E_NOIMAGE. */
static enum engine_code create_error(enum engine_code rc,
                                     const struct engine__xfer *x,
                                     const struct engine_container_spec *s,
                                     struct cr_error *err)
{
    char msg[400];

    if (rc != ENGINE_E_NOTFOUND)
        return rc;
    if (engine__error_message(&x->body, msg, sizeof(msg)) != 0)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    if (strncmp(msg, "No such image", 13) == 0) {
        rc = engine_error_set(err, ENGINE_E_NOIMAGE,
                              "image \"%s\" not found locally%s", s->image,
                              engine__noimage_hint(s->image));
    }
    return rc;
}

static enum engine_code read_id(const struct engine__xfer *x, char **id_out,
                                struct cr_error *err)
{
    cJSON *doc;
    const cJSON *id;

    *id_out = NULL;
    if (engine__json_parse(cr_buf_str(&x->body), x->body.len, &doc, err) ==
        ENGINE_E_NOMEM)
        return ENGINE_E_NOMEM;
    id = cJSON_GetObjectItemCaseSensitive(doc, "Id");
    if (cJSON_IsString(id) && !(*id_out = cr_strdup(id->valuestring))) {
        cJSON_Delete(doc);
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    }
    cJSON_Delete(doc);
    if (!*id_out)
        return engine_error_set(err, ENGINE_E_PROTOCOL,
                                "no Id in the Docker daemon's reply");
    return ENGINE_OK;
}

enum engine_code
engine_container_create(struct engine *eng,
                        const struct engine_container_spec *spec, char **id_out,
                        struct cr_error *err)
{
    struct engine__req r = { .method = "POST" };
    struct engine__xfer x = { 0 };
    struct cr_buf path = { 0 };
    char *body = create_body(spec), *name = NULL;
    enum engine_code rc = ENGINE_OK;

    *id_out = NULL;
    if (spec->name && !(name = engine__escape(spec->name)))
        rc = ENGINE_E_NOMEM;
    if (!body || cr_buf_printf(&path, "/containers/create%s%s",
                               name ? "?name=" : "", name ? name : "") < 0)
        rc = ENGINE_E_NOMEM;
    if (rc != ENGINE_OK) {
        rc = engine_error_set(err, rc, "out of memory");
        goto out;
    }
    r.path = path.data;
    r.json = body;
    rc = engine__request(eng, &x, &r, ENGINE__OK(201), 0, err);
    rc = create_error(rc, &x, spec, err);
    if (rc == ENGINE_OK)
        rc = read_id(&x, id_out, err);
out:
    engine__xfer_cleanup(&x);
    engine__curl.free(name);
    cr_buf_release(&path);
    cr_free(body);
    return rc;
}

enum engine_code engine_container_start(struct engine *eng, const char *id,
                                        struct cr_error *err)
{
    struct engine__xfer x = { 0 };
    char path[512];
    struct engine__req r = { .method = "POST", .path = path };
    enum engine_code rc;

    snprintf(path, sizeof(path), "/containers/%s/start", id);
    rc = engine__request(eng, &x, &r, ENGINE__OK(204, 304), 0, err);
    engine__xfer_cleanup(&x);
    return rc;
}

enum engine_code engine_container_kill(struct engine *eng, const char *id,
                                       const char *signal, struct cr_error *err)
{
    struct engine__xfer x = { 0 };
    char path[512];
    struct engine__req r = { .method = "POST", .path = path };
    char *sig = engine__escape(signal ? signal : "SIGKILL");
    enum engine_code rc;

    if (!sig)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    snprintf(path, sizeof(path), "/containers/%s/kill?signal=%s", id, sig);
    engine__curl.free(sig);
    rc = engine__request(eng, &x, &r, ENGINE__OK(204), 0, err);
    engine__xfer_cleanup(&x);
    return rc;
}

enum engine_code engine_container_stop(struct engine *eng, const char *id,
                                       int timeout_s, struct cr_error *err)
{
    struct engine__xfer x = { 0 };
    char path[512];
    /* The engine may legitimately take the whole stop timeout. */
    struct engine__req r = { .method = "POST", .path = path, .blocking = true };
    enum engine_code rc;

    if (timeout_s >= 0)
        snprintf(path, sizeof(path), "/containers/%s/stop?t=%d", id, timeout_s);
    else
        snprintf(path, sizeof(path), "/containers/%s/stop", id);
    rc = engine__request(eng, &x, &r, ENGINE__OK(204, 304), 0, err);
    engine__xfer_cleanup(&x);
    return rc;
}

enum engine_code engine_container_remove(struct engine *eng, const char *id,
                                         bool force, struct cr_error *err)
{
    struct engine__xfer x = { 0 };
    char path[512], msg[400];
    struct engine__req r = { .method = "DELETE", .path = path };
    enum engine_code rc;

    snprintf(path, sizeof(path), "/containers/%s?v=1%s", id,
             force ? "&force=1" : "");
    rc = engine__request(eng, &x, &r, ENGINE__OK(204, 404), 0, err);
    if (rc == ENGINE_E_CONFLICT) {
        /* Someone (AutoRemove, another sweep) is already removing it. */
        if (engine__error_message(&x.body, msg, sizeof(msg)) != 0)
            rc = engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
        else if (strstr(msg, "already in progress"))
            rc = ENGINE_OK;
    }
    engine__xfer_cleanup(&x);
    return rc;
}

static void first_ip(const cJSON *doc, char *out, size_t size)
{
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(doc, "NetworkSettings");
    const cJSON *nets = cJSON_GetObjectItemCaseSensitive(ns, "Networks");
    const cJSON *net, *ip = NULL;

    cJSON_ArrayForEach(net, nets)
    {
        ip = cJSON_GetObjectItemCaseSensitive(net, "IPAddress");
        if (cJSON_IsString(ip) && ip->valuestring[0])
            break;
        ip = NULL;
    }
    snprintf(out, size, "%s", ip ? ip->valuestring : "");
}

void engine__read_state(const cJSON *doc, struct engine_container_state *out)
{
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "State");
    const cJSON *v;

    snprintf(out->status, sizeof(out->status), "%s",
             engine__json_str(st, "Status"));
    out->running =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "Running"));
    out->oom_killed =
        cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(st, "OOMKilled"));
    v = cJSON_GetObjectItemCaseSensitive(st, "ExitCode");
    out->exit_code = cJSON_IsNumber(v) ? v->valueint : -1;
    v = cJSON_GetObjectItemCaseSensitive(st, "Pid");
    out->pid = cJSON_IsNumber(v) ? v->valueint : 0;
    first_ip(doc, out->ip_address, sizeof(out->ip_address));
}

/* GET /containers/{id}/json into *doc (the caller deletes it). */
static enum engine_code inspect_doc(struct engine *eng, const char *id,
                                    cJSON **doc, struct cr_error *err)
{
    struct engine__xfer x = { 0 };
    char path[512];
    struct engine__req r = { .method = "GET", .path = path };
    enum engine_code rc;

    *doc = NULL;
    snprintf(path, sizeof(path), "/containers/%s/json", id);
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    if (rc == ENGINE_OK &&
        (rc = engine__json_parse(cr_buf_str(&x.body), x.body.len, doc, err)) ==
            ENGINE_E_PROTOCOL)
        rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                              "unreadable inspect reply for container %s", id);
    engine__xfer_cleanup(&x);
    return rc;
}

enum engine_code engine_container_inspect(struct engine *eng, const char *id,
                                          struct engine_container_state *out,
                                          struct cr_error *err)
{
    cJSON *doc;
    enum engine_code rc;

    memset(out, 0, sizeof(*out));
    rc = inspect_doc(eng, id, &doc, err);
    if (rc == ENGINE_OK)
        engine__read_state(doc, out);
    cJSON_Delete(doc);
    return rc;
}

unsigned engine__read_host_port(const cJSON *doc, const char *key)
{
    const cJSON *ns = cJSON_GetObjectItemCaseSensitive(doc, "NetworkSettings");
    const cJSON *ports = cJSON_GetObjectItemCaseSensitive(ns, "Ports");
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(ports, key);
    const cJSON *b, *hp;

    cJSON_ArrayForEach(b, list)
    {
        hp = cJSON_GetObjectItemCaseSensitive(b, "HostPort");
        if (cJSON_IsString(hp) && atoi(hp->valuestring) > 0)
            return (unsigned)atoi(hp->valuestring);
    }
    return 0;
}

enum engine_code engine_container_host_port(struct engine *eng, const char *id,
                                            unsigned container_port,
                                            const char *proto,
                                            unsigned *host_port,
                                            struct cr_error *err)
{
    char key[32];
    cJSON *doc;
    enum engine_code rc;

    *host_port = 0;
    snprintf(key, sizeof(key), "%u/%s", container_port, proto ? proto : "tcp");
    rc = inspect_doc(eng, id, &doc, err);
    if (rc == ENGINE_OK && (*host_port = engine__read_host_port(doc, key)) == 0)
        rc = engine_error_set(err, ENGINE_E_NOTFOUND,
                              "port %s of container %.64s is not published",
                              key, id);
    cJSON_Delete(doc);
    return rc;
}

enum engine_code engine_container_list_by_label(struct engine *eng,
                                                const char *const *labels,
                                                char ***ids_out, size_t *n_out,
                                                struct cr_error *err)
{
    return engine__list_by_label(eng, "/containers/json?all=1&", labels,
                                 ids_out, NULL, n_out, err);
}

enum engine_code engine_container_put_archive(struct engine *eng,
                                              const char *id, const char *dir,
                                              const void *tar, size_t len,
                                              struct cr_error *err)
{
    struct engine__req r = { .method = "PUT", .data = tar, .len = len };
    struct engine__xfer x = { 0 };
    struct cr_buf path = { 0 };
    char *esc = engine__escape(dir);
    enum engine_code rc;

    if (!esc ||
        cr_buf_printf(&path, "/containers/%s/archive?path=%s", id, esc) < 0) {
        engine__curl.free(esc);
        return engine__nomem(&path, err);
    }
    r.path = path.data;
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    engine__xfer_cleanup(&x);
    engine__curl.free(esc);
    cr_buf_release(&path);
    return rc;
}

enum engine_code engine_container_list_labelled(struct engine *eng,
                                                const char *const *labels,
                                                struct engine_object **out,
                                                size_t *n_out,
                                                struct cr_error *err)
{
    return engine__list_by_label(eng, "/containers/json?all=1&", labels, NULL,
                                 out, n_out, err);
}
