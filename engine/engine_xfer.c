/* engine transfers: every request goes through here. See
 * engine_int.h. */
#include "engine_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cr_clock.h"

/* Longest body kept in memory for a call without a sink: JSON replies are
 * small, so anything bigger is a misbehaving peer. */
#define BODY_CAP (64u * 1024u * 1024u)

/* Poll interval of the transfer loop: the cancellation latency. */
#define POLL_MS 50

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct engine__xfer *x = ud;
    size_t len = size * n;
    long status = 0;

    /* Error replies are JSON even on streaming endpoints: keep them whole
     * for the message rather than feeding them to the sink. */
    engine__curl.easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &status);
    if (x->sink && status < 300) {
        if (x->sink(x->sink_ctx, p, len) != 0) {
            x->sink_failed = true;
            return 0;
        }
        return len;
    }
    if (x->body.len + len > BODY_CAP || cr_buf_append(&x->body, p, len) < 0)
        return 0;
    return len;
}

static void header_value(const char *line, size_t len, char *out, size_t size)
{
    const char *colon = memchr(line, ':', len);
    const char *end = line + len;
    size_t n;

    if (!colon)
        return;
    colon++;
    while (colon < end && (*colon == ' ' || *colon == '\t'))
        colon++;
    while (end > colon &&
           (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    n = (size_t)(end - colon);
    if (n >= size)
        n = size - 1;
    memcpy(out, colon, n);
    out[n] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct engine__xfer *x = ud;
    size_t len = size * n;

    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
        const char *sp = memchr(p, ' ', len);
        x->informational = sp && sp + 1 < p + len && sp[1] == '1';
        x->headers_done = false;
    } else if (len <= 2 && (p[0] == '\r' || p[0] == '\n')) {
        if (!x->informational)
            x->headers_done = true;
    } else if (len > 12 && strncasecmp(p, "API-Version:", 12) == 0) {
        header_value(p, len, x->api_version, sizeof(x->api_version));
    }
    return len;
}

static size_t on_read_fd(char *p, size_t size, size_t n, void *ud)
{
    struct engine__xfer *x = ud;
    ssize_t got;

    do
        got = read(x->fd, p, size * n);
    while (got < 0 && errno == EINTR);
    return got < 0 ? CURL_READFUNC_ABORT : (size_t)got;
}

/* Appends one header line. libcurl returns NULL on failure and leaves the
 * list as it was, so x->headers is only replaced on success: assigning the
 * NULL would drop (and leak) the lines added before. */
static int add_header(struct engine__xfer *x, const char *line)
{
    struct curl_slist *l = engine__curl.slist_append(x->headers, line);

    if (!l)
        return -1;
    x->headers = l;
    return 0;
}

/* Sets the request body and its headers. A body never goes out without its
 * Content-Type: failing to add it fails the call (x->headers, possibly
 * partial, is freed by engine__xfer_cleanup). */
static enum engine_code set_body(struct engine__xfer *x,
                                 const struct engine__req *r)
{
    CURL *h = x->h;
    const char *type = r->content_type ? r->content_type : "application/x-tar";
    char line[128];

    if (r->json) {
        engine__curl.easy_setopt(h, CURLOPT_POSTFIELDS, r->json);
        engine__curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                                 (curl_off_t)strlen(r->json));
        type = "application/json";
    } else if (r->use_fd) {
        x->fd = r->fd;
        engine__curl.easy_setopt(h, CURLOPT_POST, 1L);
        engine__curl.easy_setopt(h, CURLOPT_READFUNCTION, on_read_fd);
        engine__curl.easy_setopt(h, CURLOPT_READDATA, x);
        engine__curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                                 (curl_off_t)-1);
    } else if (r->data) {
        engine__curl.easy_setopt(h, CURLOPT_POSTFIELDS, r->data);
        engine__curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE,
                                 (curl_off_t)r->len);
    } else if (strcmp(r->method, "GET") != 0) {
        /* An explicit empty body: without it libcurl would send a form
         * content type, and some endpoints insist on JSON or nothing. */
        engine__curl.easy_setopt(h, CURLOPT_POSTFIELDS, "");
        engine__curl.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
        type = "application/json";
    } else {
        return ENGINE_OK;
    }
    if ((size_t)snprintf(line, sizeof(line), "Content-Type: %s", type) >=
        sizeof(line))
        return ENGINE_E_INVALID;
    if (add_header(x, line) < 0)
        return ENGINE_E_NOMEM;
    /* Engines answer at once; "Expect: 100-continue" only adds a wait. */
    if (add_header(x, "Expect:") < 0)
        return ENGINE_E_NOMEM;
    return ENGINE_OK;
}

static void set_transport(struct engine *eng, CURL *h)
{
    if (eng->addr.transport == ENGINE_UNIX)
        engine__curl.easy_setopt(h, CURLOPT_UNIX_SOCKET_PATH,
                                 eng->addr.socket_path);
    if (eng->addr.tls) {
        engine__curl.easy_setopt(h, CURLOPT_CAINFO, eng->ca_file);
        engine__curl.easy_setopt(h, CURLOPT_SSLCERT, eng->cert_file);
        engine__curl.easy_setopt(h, CURLOPT_SSLKEY, eng->key_file);
        engine__curl.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        engine__curl.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        /* No session resumption: TLS terminators such as socat in fork
         * mode reject it, and connections are reused anyway. */
        engine__curl.easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    }
    engine__curl.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    engine__curl.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                             (long)ENGINE_CONNECT_TIMEOUT_MS);
#if LIBCURL_VERSION_NUM >= 0x075500
    engine__curl.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
}

static enum engine_code set_url(struct engine__xfer *x,
                                const struct engine__req *r,
                                struct cr_error *err)
{
    struct engine *eng = x->eng;
    struct cr_buf url = { 0 };
    int rc = cr_buf_puts(&url, eng->base_url);

    if (rc == 0 && !r->unversioned)
        rc = cr_buf_printf(&url, "/v%s", eng->api);
    if (rc == 0)
        rc = cr_buf_puts(&url, r->path);
    if (rc < 0) {
        cr_buf_release(&url);
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    }
    /* libcurl copies the URL string. */
    engine__curl.easy_setopt(x->h, CURLOPT_URL, url.data);
    cr_buf_release(&url);
    return ENGINE_OK;
}

static CURL *take_handle(struct engine *eng, bool *own)
{
    CURL *h;

    if (!*own && eng->easy) {
        h = eng->easy;
        eng->easy = NULL;
        /* Keeps the connection cache and session; forgets the options. */
        engine__curl.easy_reset(h);
        return h;
    }
    *own = true;
    return engine__curl.easy_init();
}

/* Remembers "METHOD /path" (no query) and arms the user's per-call
 * timeout; blocking calls (wait, logs, events) wait for the container, not
 * the engine, so they keep their own deadlines. */
static void name_call(struct engine__xfer *x, const struct engine__req *r)
{
    snprintf(x->call, sizeof(x->call), "%s %.*s", r->method,
             (int)strcspn(r->path, "?"), r->path);
    if (!r->blocking && x->eng->call_timeout_ms > 0)
        x->call_deadline_ms = cr_clock_ms() + x->eng->call_timeout_ms;
}

enum engine_code engine__xfer_start(struct engine *eng, struct engine__xfer *x,
                                    const struct engine__req *r, bool own,
                                    struct cr_error *err)
{
    enum engine_code rc;

    memset(x, 0, sizeof(*x));
    x->eng = eng;
    x->fd = -1;
    rc = engine__curl_check(err);
    if (rc != ENGINE_OK)
        return rc;
    x->h = take_handle(eng, &own);
    x->own_handle = own;
    if (!x->h)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    set_transport(eng, x->h);
    rc = set_url(x, r, err);
    if (rc != ENGINE_OK)
        return rc;
    rc = set_body(x, r);
    if (rc == ENGINE_E_INVALID)
        return engine_error_set(err, rc, "content type too long: %.100s",
                                r->content_type);
    if (rc != ENGINE_OK)
        return engine_error_set(err, rc, "out of memory");
    if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "POST") != 0)
        engine__curl.easy_setopt(x->h, CURLOPT_CUSTOMREQUEST, r->method);
    engine__curl.easy_setopt(x->h, CURLOPT_HTTPHEADER, x->headers);
    engine__curl.easy_setopt(x->h, CURLOPT_WRITEFUNCTION, on_body);
    engine__curl.easy_setopt(x->h, CURLOPT_WRITEDATA, x);
    engine__curl.easy_setopt(x->h, CURLOPT_HEADERFUNCTION, on_header);
    engine__curl.easy_setopt(x->h, CURLOPT_HEADERDATA, x);
    engine__curl.easy_setopt(x->h, CURLOPT_PRIVATE, x);
    engine__curl.easy_setopt(x->h, CURLOPT_ERRORBUFFER, x->errbuf);
    if (!r->blocking)
        engine__curl.easy_setopt(x->h, CURLOPT_TIMEOUT_MS,
                                 (long)ENGINE_SHORT_TIMEOUT_MS);
    name_call(x, r);
    x->sink = r->sink;
    x->sink_ctx = r->sink_ctx;
    engine__calls_count(eng, r->method, r->path);
    if (engine__curl.multi_add_handle(eng->multi, x->h) != CURLM_OK)
        return engine_error_set(err, ENGINE_E_NOMEM, "cannot add transfer");
    x->in_multi = true;
    return ENGINE_OK;
}

static void stop(struct engine__xfer *x)
{
    if (x->in_multi) {
        engine__curl.multi_remove_handle(x->eng->multi, x->h);
        x->in_multi = false;
    }
}

/* Marks every finished transfer done, whichever call it belongs to. */
static void collect(CURLM *multi)
{
    CURLMsg *msg;
    int left;

    while ((msg = engine__curl.multi_info_read(multi, &left))) {
        struct engine__xfer *done = NULL;

        if (msg->msg != CURLMSG_DONE)
            continue;
        engine__curl.easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE,
                                  (char **)&done);
        if (!done)
            continue;
        done->done = true;
        done->result = msg->data.result;
        engine__curl.easy_getinfo(done->h, CURLINFO_RESPONSE_CODE,
                                  &done->status);
        engine__curl.multi_remove_handle(multi, done->h);
        done->in_multi = false;
    }
}

/* The TLS handshake or a certificate failed: ours (unreadable, rejected by
 * the daemon) or the daemon's (untrusted, wrong host, revoked). */
static bool is_tls_failure(CURLcode code)
{
    switch (code) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
#if LIBCURL_VERSION_NUM >= 0x074d00
    case CURLE_SSL_CLIENTCERT:
#endif
        return true;
    default:
        return false;
    }
}

static enum engine_code transport_error(struct engine__xfer *x,
                                        struct cr_error *err)
{
    const char *host = x->eng->addr.display;
    long oserr = 0;

    engine__curl.easy_getinfo(x->h, CURLINFO_OS_ERRNO, &oserr);
    if (x->result == CURLE_COULDNT_CONNECT ||
        x->result == CURLE_COULDNT_RESOLVE_HOST ||
        (x->result == CURLE_OPERATION_TIMEDOUT && x->status == 0)) {
        if (oserr == EACCES)
            return engine_error_set(
                err, ENGINE_E_PERMISSION,
                "permission denied while trying to connect to the Docker "
                "daemon socket at %s",
                host);
        return engine_error_set(err, ENGINE_E_UNREACHABLE,
                                "Cannot connect to the Docker daemon at %s. "
                                "Is the docker daemon running?",
                                host);
    }
    if (x->result == CURLE_OPERATION_TIMEDOUT)
        return engine_error_set(err, ENGINE_E_TIMEOUT,
                                "the Docker daemon at %s did not answer "
                                "within %d s",
                                host, ENGINE_SHORT_TIMEOUT_MS / 1000);
    if (is_tls_failure(x->result))
        return engine_error_set(
            err, ENGINE_E_TLS,
            "TLS connection to the Docker daemon at %s "
            "failed: %s",
            host,
            x->errbuf[0] ? x->errbuf : engine__curl.easy_strerror(x->result));
    return engine_error_set(
        err, ENGINE_E_UNREACHABLE,
        "lost connection to the Docker daemon at %s: %s", host,
        x->errbuf[0] ? x->errbuf : engine__curl.easy_strerror(x->result));
}

static enum engine_code check_stop(struct engine__xfer *x, uint64_t deadline_ms,
                                   struct cr_error *err)
{
    const atomic_int *cancel = x->eng->cancel;

    if (cancel && *cancel) {
        stop(x);
        return engine_error_set(err, ENGINE_E_CANCELLED, "interrupted");
    }
    if (x->call_deadline_ms && cr_clock_ms() >= x->call_deadline_ms) {
        engine_error_set(err, ENGINE_E_TIMEOUT,
                         "engine: %s timed out after %.1f s (the Docker "
                         "daemon at %s)",
                         x->call, (double)x->eng->call_timeout_ms / 1000.0,
                         x->eng->addr.display);
        stop(x);
        return ENGINE_E_TIMEOUT;
    }
    if (deadline_ms && cr_clock_ms() >= deadline_ms) {
        char *url = NULL;
        const char *what;

        /* Name the call, so a timeout says which resource was slow. */
        engine__curl.easy_getinfo(x->h, CURLINFO_EFFECTIVE_URL, &url);
        what = url ? url + strlen(x->eng->base_url) : "";
        if (url && strncmp(url, x->eng->base_url, strlen(x->eng->base_url)))
            what = url;
        engine_error_set(err, ENGINE_E_TIMEOUT,
                         "deadline exceeded waiting for the Docker daemon at "
                         "%s (%.200s)",
                         x->eng->addr.display, what);
        stop(x);
        return ENGINE_E_TIMEOUT;
    }
    return ENGINE_OK;
}

enum engine_code engine__xfer_pump(struct engine__xfer *x, bool until_headers,
                                   uint64_t deadline_ms, struct cr_error *err)
{
    CURLM *multi = x->eng->multi;
    int running;
    enum engine_code rc = check_stop(x, deadline_ms, err);

    /* A call made after the flag was set fails before touching the wire. */
    if (rc != ENGINE_OK)
        return rc;
    if (!x->in_multi && !x->done)
        return engine_error_set(err, ENGINE_E_UNREACHABLE,
                                "transfer to %s was already abandoned",
                                x->eng->addr.display);
    for (;;) {
        if (engine__curl.multi_perform(multi, &running) != CURLM_OK)
            return engine_error_set(err, ENGINE_E_UNREACHABLE,
                                    "transfer failed");
        collect(multi);
        if (x->done || (until_headers && x->headers_done))
            break;
        rc = check_stop(x, deadline_ms, err);
        if (rc != ENGINE_OK)
            return rc;
        engine__curl.multi_poll(multi, NULL, 0, POLL_MS, NULL);
    }
    if (!x->done || x->result == CURLE_OK)
        return ENGINE_OK;
    if (x->sink_failed)
        return ENGINE_OK; /* the sink's owner knows why */
    if (x->result == CURLE_WRITE_ERROR)
        return engine_error_set(err, ENGINE_E_NOMEM,
                                "response from %s too large",
                                x->eng->addr.display);
    return transport_error(x, err);
}

void engine__xfer_cleanup(struct engine__xfer *x)
{
    struct engine *eng = x->eng;

    if (!eng)
        return;
    stop(x);
    if (x->h) {
        /* Detach our pointers before the handle outlives this xfer. */
        engine__curl.easy_setopt(x->h, CURLOPT_PRIVATE, NULL);
        engine__curl.easy_setopt(x->h, CURLOPT_HTTPHEADER, NULL);
        engine__curl.easy_setopt(x->h, CURLOPT_ERRORBUFFER, NULL);
        if (x->own_handle || eng->easy)
            engine__curl.easy_cleanup(x->h);
        else
            eng->easy = x->h;
    }
    engine__curl.slist_free_all(x->headers);
    cr_buf_release(&x->body);
    memset(x, 0, sizeof(*x));
}

enum engine_code engine__call(struct engine *eng, struct engine__xfer *x,
                              const struct engine__req *r, uint64_t deadline_ms,
                              struct cr_error *err)
{
    enum engine_code rc = engine__xfer_start(eng, x, r, false, err);

    if (rc != ENGINE_OK)
        return rc;
    return engine__xfer_pump(x, false, deadline_ms, err);
}
