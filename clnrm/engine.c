/* clnrm_engine connection, version negotiation and shared helpers. See
 * engine.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum clnrm_code clnrm_engine_global_init(struct clnrm_error *err)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "cannot initialise libcurl");
    return CLNRM_OK;
}

void clnrm_engine_global_cleanup(void)
{
    curl_global_cleanup();
}

/* "1.41" -> 141; -1 when unparsable. */
static int api_number(const char *v)
{
    int major, minor;

    if (sscanf(v, "%d.%d", &major, &minor) != 2 || major < 0 || minor < 0 ||
        minor > 99)
        return -1;
    return major * 100 + minor;
}

static char *cert_file(const char *dir, const char *name)
{
    char *path = NULL;

    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    return path;
}

static enum clnrm_code setup_tls(struct clnrm_engine *eng,
                                 struct clnrm_error *err)
{
    const char *dir = getenv("DOCKER_CERT_PATH");
    char home[4096];
    char *files[3];

    if (!dir || !*dir) {
        snprintf(home, sizeof(home), "%s/.docker",
                 getenv("HOME") ? getenv("HOME") : "");
        dir = home;
    }
    eng->ca_file = files[0] = cert_file(dir, "ca.pem");
    eng->cert_file = files[1] = cert_file(dir, "cert.pem");
    eng->key_file = files[2] = cert_file(dir, "key.pem");
    for (int i = 0; i < 3; i++) {
        if (!files[i])
            return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
        if (access(files[i], R_OK) != 0)
            return clnrm_error_set(err, CLNRM_E_ENGINE,
                                   "cannot read %s (DOCKER_TLS_VERIFY is set; "
                                   "DOCKER_CERT_PATH must hold ca.pem, "
                                   "cert.pem and key.pem)",
                                   files[i]);
    }
    return CLNRM_OK;
}

static void set_base_url(struct clnrm_engine *eng)
{
    const struct clnrm_engine_addr *a = &eng->addr;
    bool v6 = strchr(a->host, ':') != NULL;

    if (a->transport == CLNRM_ENGINE_UNIX) {
        /* The host part is never resolved for a unix socket. */
        snprintf(eng->base_url, sizeof(eng->base_url), "http://localhost");
        return;
    }
    snprintf(eng->base_url, sizeof(eng->base_url), "%s://%s%s%s:%d",
             a->tls ? "https" : "http", v6 ? "[" : "", a->host, v6 ? "]" : "",
             a->port);
}

/* Pings unversioned and settles on min(client, engine) API version. */
static enum clnrm_code negotiate(struct clnrm_engine *eng,
                                 struct clnrm_error *err)
{
    struct clnrm__req r = { .method = "GET",
                            .path = "/_ping",
                            .unversioned = true };
    struct clnrm__xfer x;
    enum clnrm_code rc = clnrm__call(eng, &x, &r, 0, err);
    const char *server;
    int have;

    if (rc == CLNRM_OK && x.status != 200)
        rc = clnrm__http_error(&x, err);
    if (rc != CLNRM_OK) {
        clnrm__xfer_cleanup(&x);
        return rc;
    }
    /* Engines older than API 1.25 did not send the header. */
    server = x.api_version[0] ? x.api_version : "1.24";
    have = api_number(server);
    if (have < 0 || have < api_number(CLNRM_ENGINE_API_MIN)) {
        rc = clnrm_error_set(err, CLNRM_E_VERSION,
                             "the Docker daemon at %s speaks API %s, too old: "
                             "clnrm needs API %s or newer",
                             eng->addr.display, server, CLNRM_ENGINE_API_MIN);
    } else if (have < api_number(CLNRM_ENGINE_API_VERSION)) {
        snprintf(eng->api, sizeof(eng->api), "%s", server);
    }
    clnrm__xfer_cleanup(&x);
    return rc;
}

static enum clnrm_code open_engine(struct clnrm_engine *eng, const char *host,
                                   struct clnrm_error *err)
{
    const char *tlsv = getenv("DOCKER_TLS_VERIFY");
    enum clnrm_code rc;

    if (!host)
        host = getenv("DOCKER_HOST");
    rc = clnrm_engine_addr_parse(host, tlsv && *tlsv, &eng->addr, err);
    if (rc != CLNRM_OK)
        return rc;
    if (eng->addr.tls && (rc = setup_tls(eng, err)) != CLNRM_OK)
        return rc;
    set_base_url(eng);
    snprintf(eng->api, sizeof(eng->api), "%s", CLNRM_ENGINE_API_VERSION);
    eng->multi = curl_multi_init();
    eng->easy = curl_easy_init();
    if (!eng->multi || !eng->easy)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    return negotiate(eng, err);
}

enum clnrm_code clnrm_engine_open(struct clnrm_engine **out, const char *host,
                                  const volatile sig_atomic_t *cancel,
                                  struct clnrm_error *err)
{
    struct clnrm_engine *eng = calloc(1, sizeof(*eng));
    enum clnrm_code rc;

    *out = NULL;
    if (!eng)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    eng->cancel = cancel;
    rc = open_engine(eng, host, err);
    if (rc != CLNRM_OK) {
        clnrm_engine_close(eng);
        return rc;
    }
    *out = eng;
    return CLNRM_OK;
}

void clnrm_engine_close(struct clnrm_engine *eng)
{
    if (!eng)
        return;
    if (eng->easy)
        curl_easy_cleanup(eng->easy);
    if (eng->multi)
        curl_multi_cleanup(eng->multi);
    free(eng->ca_file);
    free(eng->cert_file);
    free(eng->key_file);
    free(eng);
}

void clnrm_engine_set_cancel(struct clnrm_engine *eng,
                             const volatile sig_atomic_t *cancel)
{
    eng->cancel = cancel;
}

const char *clnrm_engine_host(const struct clnrm_engine *eng)
{
    return eng->addr.display;
}

const char *clnrm_engine_api_version(const struct clnrm_engine *eng)
{
    return eng->api;
}

enum clnrm_code clnrm_engine_ping(struct clnrm_engine *eng,
                                  struct clnrm_error *err)
{
    struct clnrm__req r = { .method = "GET", .path = "/_ping" };
    struct clnrm__xfer x;
    enum clnrm_code rc = clnrm__call(eng, &x, &r, 0, err);

    if (rc == CLNRM_OK && x.status != 200)
        rc = clnrm__http_error(&x, err);
    clnrm__xfer_cleanup(&x);
    return rc;
}

static void copy_field(const cJSON *obj, const char *key, char *out,
                       size_t size)
{
    snprintf(out, size, "%s", clnrm__json_str(obj, key));
}

enum clnrm_code clnrm_engine_version(struct clnrm_engine *eng,
                                     struct clnrm_engine_version *out,
                                     struct clnrm_error *err)
{
    struct clnrm__req r = { .method = "GET", .path = "/version" };
    struct clnrm__xfer x;
    enum clnrm_code rc = clnrm__call(eng, &x, &r, 0, err);
    cJSON *doc = NULL;

    memset(out, 0, sizeof(*out));
    if (rc == CLNRM_OK && x.status != 200)
        rc = clnrm__http_error(&x, err);
    if (rc == CLNRM_OK && !(doc = cJSON_Parse(cr_buf_str(&x.body))))
        rc = clnrm_error_set(err, CLNRM_E_STREAM,
                             "unreadable /version reply from %s",
                             eng->addr.display);
    if (rc == CLNRM_OK) {
        copy_field(doc, "Version", out->version, sizeof(out->version));
        copy_field(doc, "ApiVersion", out->api_version,
                   sizeof(out->api_version));
        copy_field(doc, "MinAPIVersion", out->min_api_version,
                   sizeof(out->min_api_version));
        copy_field(doc, "Os", out->os, sizeof(out->os));
        copy_field(doc, "Arch", out->arch, sizeof(out->arch));
    }
    cJSON_Delete(doc);
    clnrm__xfer_cleanup(&x);
    return rc;
}
