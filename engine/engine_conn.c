/* engine_conn: libcurl set-up, connecting, version negotiation, ping and
 * /version. See engine.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cr_alloc.h"

enum engine_code engine_global_init(struct cr_error *err)
{
    /* The soname first; the development link as a fallback for systems
     * that ship libcurl under another version number. */
    static const char *const names[] = { "libcurl.so.4", "libcurl.so", NULL };

    return engine__curl_load(names, err);
}

void engine_global_cleanup(void)
{
    engine__curl_cleanup();
}

/* Reads "major.minor" (digits only, nothing after). */
static bool api_parse(const char *v, long *major, long *minor)
{
    char *end;

    if (!v || *v < '0' || *v > '9')
        return false;
    *major = strtol(v, &end, 10);
    if (*end != '.' || end[1] < '0' || end[1] > '9')
        return false;
    *minor = strtol(end + 1, &end, 10);
    return *end == '\0';
}

int engine_api_version_cmp(const char *a, const char *b)
{
    long amaj = 0, amin = 0, bmaj = 0, bmin = 0;
    bool aok = api_parse(a, &amaj, &amin);
    bool bok = api_parse(b, &bmaj, &bmin);

    if (!aok || !bok)
        return (int)aok - (int)bok;
    if (amaj != bmaj)
        return amaj < bmaj ? -1 : 1;
    if (amin != bmin)
        return amin < bmin ? -1 : 1;
    return 0;
}

static char *cert_file(const char *dir, const char *name)
{
    return cr_strprintf("%s/%s", dir, name);
}

static enum engine_code setup_tls(struct engine *eng, struct cr_error *err)
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
            return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
        if (access(files[i], R_OK) != 0)
            return engine_error_set(err, ENGINE_E_TLS,
                                    "cannot read %s (DOCKER_TLS_VERIFY is set; "
                                    "DOCKER_CERT_PATH must hold ca.pem, "
                                    "cert.pem and key.pem)",
                                    files[i]);
    }
    return ENGINE_OK;
}

static void set_base_url(struct engine *eng)
{
    const struct engine_addr *a = &eng->addr;
    bool v6 = strchr(a->host, ':') != NULL;

    if (a->transport == ENGINE_UNIX) {
        /* The host part is never resolved for a unix socket. */
        snprintf(eng->base_url, sizeof(eng->base_url), "http://localhost");
        return;
    }
    snprintf(eng->base_url, sizeof(eng->base_url), "%s://%s%s%s:%d",
             a->tls ? "https" : "http", v6 ? "[" : "", a->host, v6 ? "]" : "",
             a->port);
}

/* Pings unversioned and settles on min(client, engine) API version. */
static enum engine_code negotiate(struct engine *eng, struct cr_error *err)
{
    struct engine__req r = { .method = "GET",
                             .path = "/_ping",
                             .unversioned = true };
    struct engine__xfer x;
    enum engine_code rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    const char *server;

    if (rc != ENGINE_OK) {
        engine__xfer_cleanup(&x);
        return rc;
    }
    /* Engines older than API 1.25 did not send the header. */
    server = x.api_version[0] ? x.api_version : "1.24";
    /* An unreadable version compares below ENGINE_API_MIN. */
    if (engine_api_version_cmp(server, ENGINE_API_MIN) < 0) {
        rc = engine_error_set(err, ENGINE_E_VERSION,
                              "the Docker daemon at %s speaks API %s, too old: "
                              "clnrm needs API %s or newer",
                              eng->addr.display, server, ENGINE_API_MIN);
    } else if (engine_api_version_cmp(server, ENGINE_API_VERSION) < 0) {
        snprintf(eng->api, sizeof(eng->api), "%s", server);
    }
    engine__xfer_cleanup(&x);
    return rc;
}

static enum engine_code open_engine(struct engine *eng, const char *host,
                                    struct cr_error *err)
{
    const char *tlsv = getenv("DOCKER_TLS_VERIFY");
    enum engine_code rc;

    if (!host)
        host = getenv("DOCKER_HOST");
    rc = engine_addr_parse(host, tlsv && *tlsv, &eng->addr, err);
    if (rc != ENGINE_OK)
        return rc;
    if (eng->addr.tls && (rc = setup_tls(eng, err)) != ENGINE_OK)
        return rc;
    set_base_url(eng);
    snprintf(eng->api, sizeof(eng->api), "%s", ENGINE_API_VERSION);
    eng->multi = engine__curl.multi_init();
    eng->easy = engine__curl.easy_init();
    if (!eng->multi || !eng->easy)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    return negotiate(eng, err);
}

/* ENGINE_CALL_TIMEOUT_MS, read like DOCKER_HOST: a tool's command line
 * (clnrm --engine-timeout) sets it before any thread starts. */
static uint64_t call_timeout_from_env(void)
{
    const char *v = getenv(ENGINE_CALL_TIMEOUT_ENV);
    char *end;
    unsigned long long ms;

    if (!v || *v < '0' || *v > '9')
        return 0;
    ms = strtoull(v, &end, 10);
    return *end == '\0' ? (uint64_t)ms : 0;
}

void engine_set_call_timeout(struct engine *eng, uint64_t ms)
{
    eng->call_timeout_ms = ms;
}

enum engine_code engine_open(struct engine **out, const char *host,
                             const atomic_int *cancel, struct cr_error *err)
{
    struct engine *eng;
    enum engine_code rc = engine__curl_check(err);

    *out = NULL;
    /* Without libcurl nothing below could work: say why, do not crash. */
    if (rc != ENGINE_OK)
        return rc;
    eng = cr_calloc(1, sizeof(*eng));
    if (!eng)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    eng->cancel = cancel;
    eng->call_timeout_ms = call_timeout_from_env();
    rc = open_engine(eng, host, err);
    if (rc != ENGINE_OK) {
        engine_close(eng);
        return rc;
    }
    *out = eng;
    return ENGINE_OK;
}

void engine_close(struct engine *eng)
{
    if (!eng)
        return;
    if (eng->easy)
        engine__curl.easy_cleanup(eng->easy);
    if (eng->multi)
        engine__curl.multi_cleanup(eng->multi);
    cr_free(eng->ca_file);
    cr_free(eng->cert_file);
    cr_free(eng->key_file);
    cr_free(eng);
}

void engine_set_cancel(struct engine *eng, const atomic_int *cancel)
{
    eng->cancel = cancel;
}

const char *engine_host(const struct engine *eng)
{
    return eng->addr.display;
}

const char *engine_api_version(const struct engine *eng)
{
    return eng->api;
}

enum engine_code engine_ping(struct engine *eng, struct cr_error *err)
{
    struct engine__req r = { .method = "GET", .path = "/_ping" };
    struct engine__xfer x;
    enum engine_code rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);

    engine__xfer_cleanup(&x);
    return rc;
}

static void copy_field(const cJSON *obj, const char *key, char *out,
                       size_t size)
{
    snprintf(out, size, "%s", engine__json_str(obj, key));
}

enum engine_code engine_version(struct engine *eng, struct engine_version *out,
                                struct cr_error *err)
{
    struct engine__req r = { .method = "GET", .path = "/version" };
    struct engine__xfer x;
    enum engine_code rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    cJSON *doc = NULL;

    memset(out, 0, sizeof(*out));
    if (rc == ENGINE_OK &&
        (rc = engine__json_parse(cr_buf_str(&x.body), x.body.len, &doc, err)) ==
            ENGINE_E_PROTOCOL)
        rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                              "unreadable /version reply from %s",
                              eng->addr.display);
    if (rc == ENGINE_OK) {
        copy_field(doc, "Version", out->version, sizeof(out->version));
        copy_field(doc, "ApiVersion", out->api_version,
                   sizeof(out->api_version));
        copy_field(doc, "MinAPIVersion", out->min_api_version,
                   sizeof(out->min_api_version));
        copy_field(doc, "Os", out->os, sizeof(out->os));
        copy_field(doc, "Arch", out->arch, sizeof(out->arch));
    }
    cJSON_Delete(doc);
    engine__xfer_cleanup(&x);
    return rc;
}
