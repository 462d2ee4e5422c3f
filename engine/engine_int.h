/*
 * engine_int: internals shared by the engine*.c files (not a public API).
 *
 * Every HTTP call is a struct engine__xfer driven through the engine's one
 * curl multi handle with a 50 ms poll, so cancellation and deadlines are
 * checked between polls whatever the transfer is doing. Short calls borrow
 * the engine's reusable easy handle (keeping its connection alive); a
 * pending wait gets its own easy handle and stays in the multi handle while
 * other calls run. libcurl itself is reached through engine__curl (see
 * engine_curl.h).
 *
 * Ownership: a struct engine__xfer is caller-allocated (on the stack, or
 * inside a struct engine_wait) and owns its easy handle (or holds the
 * engine's shared one), its header list and its body buffer until
 * engine__xfer_cleanup, which the caller runs on every path once
 * engine__xfer_start was called. A struct engine__req and the strings it
 * points to are borrowed until the transfer is cleaned up.
 */
#ifndef ENGINE_INT_H
#define ENGINE_INT_H

#include <cjson/cJSON.h>

#include "engine.h"
#include "engine_calls.h"
#include "engine_curl.h"

struct engine {
    struct engine_addr addr;
    char base_url[320]; /* "http://localhost", "https://h:2376" */
    char api[16];       /* negotiated, "1.41" */
    const atomic_int *cancel;
    CURLM *multi;
    CURL *easy; /* reused by short calls; NULL while borrowed */
    char *ca_file, *cert_file, *key_file; /* TLS only */
    uint64_t call_timeout_ms;  /* per short call; 0: ENGINE_SHORT_TIMEOUT_MS */
    struct engine_calls calls; /* requests sent, by kind */
};

/* Counts one request `method path` in eng->calls (engine_calls.c). */
void engine__calls_count(struct engine *eng, const char *method,
                         const char *path);

/* Receives body bytes instead of the default in-memory buffer. Return 0 to
 * go on, non-zero to abort the transfer. */
typedef int (*engine__sink_fn)(void *ctx, const char *data, size_t len);

struct engine__req {
    const char *method; /* "GET", "POST", "PUT", "DELETE" */
    const char *path;   /* "/containers/json?all=1", API prefix is added */
    bool unversioned;   /* no "/v1.41" prefix (for /_ping) */
    bool blocking;      /* no ENGINE_SHORT_TIMEOUT_MS limit */
    const char *json;   /* body sent as application/json, or NULL */
    const void *data;   /* raw body (data, len), or NULL */
    size_t len;
    bool use_fd; /* stream the raw body from fd */
    int fd;
    const char *content_type; /* for data/fd, default application/x-tar */
    engine__sink_fn sink;     /* NULL: collect the body in xfer.body */
    void *sink_ctx;
};

struct engine__xfer {
    struct engine *eng;
    CURL *h;
    bool own_handle; /* h is not eng->easy */
    bool in_multi;
    bool done;
    bool headers_done;
    bool informational; /* current header block is a 1xx */
    bool sink_failed;   /* the sink asked to abort */
    CURLcode result;
    long status;
    struct cr_buf body;
    struct curl_slist *headers;
    char api_version[16]; /* API-Version response header */
    engine__sink_fn sink;
    void *sink_ctx;
    int fd;
    uint64_t call_deadline_ms; /* engine's per-call timeout; 0: none */
    char call[96];             /* "POST /containers/create", for errors */
    char errbuf[CURL_ERROR_SIZE];
};

/* Sets up x for r and adds it to the multi handle. own: use a new easy
 * handle rather than the engine's shared one. */
enum engine_code engine__xfer_start(struct engine *eng, struct engine__xfer *x,
                                    const struct engine__req *r, bool own,
                                    struct cr_error *err);

/* Drives the transfers until x completes (or, with until_headers, until
 * its response headers are in). Returns ENGINE_E_CANCELLED/TIMEOUT (x is
 * then stopped) or the transport error; HTTP statuses are left to the
 * caller in x->status. */
enum engine_code engine__xfer_pump(struct engine__xfer *x, bool until_headers,
                                   uint64_t deadline_ms, struct cr_error *err);

/* Releases x (stopping it if still running). Safe on a zeroed xfer. */
void engine__xfer_cleanup(struct engine__xfer *x);

/* start + pump + (on transport errors) cleanup: the whole call. On
 * ENGINE_OK, x->status and x->body hold the response; the caller must
 * engine__xfer_cleanup(x) in every case. */
enum engine_code engine__call(struct engine *eng, struct engine__xfer *x,
                              const struct engine__req *r, uint64_t deadline_ms,
                              struct cr_error *err);

/* engine__call plus the status check that nearly every call repeated, so
 * each call only names the statuses it accepts: any HTTP status not in ok
 * (0-terminated, see ENGINE__OK) becomes engine__http_error's code and
 * message. As with engine__call, x holds the response and the caller must
 * engine__xfer_cleanup(x) in every case. */
enum engine_code engine__request(struct engine *eng, struct engine__xfer *x,
                                 const struct engine__req *r, const long *ok,
                                 uint64_t deadline_ms, struct cr_error *err);

/* The statuses a call accepts, for engine__request: ENGINE__OK(204, 304). */
#define ENGINE__OK(...) ((const long[]){ __VA_ARGS__, 0 })

/* Frees a request path that could not be built and reports out of memory.
 * Returns ENGINE_E_NOMEM. */
enum engine_code engine__nomem(struct cr_buf *path, struct cr_error *err);

/* Fills err from a non-2xx response: "Error response from daemon: <msg>",
 * http_status, and 404 -> ENGINE_E_NOTFOUND, 409 -> ENGINE_E_CONFLICT, else
 * ENGINE_E_API. Returns the code. */
enum engine_code engine__http_error(const struct engine__xfer *x,
                                    struct cr_error *err);

/* The engine's message from an error body ("message" of its JSON, else the
 * body's first line), copied into buf. Returns 0, or -ENOMEM when the JSON
 * could not be read for lack of memory. */
int engine__error_message(const struct cr_buf *body, char *buf, size_t size);

/* URL-escapes s for a query value; caller frees with curl_free. */
char *engine__escape(const char *s);

/*
 * Parses len bytes of s as JSON into *doc (the caller deletes it).
 * cJSON_Parse gives NULL alike for text that is not JSON and for an
 * allocation that failed; the allocation hook's failure count tells which:
 * ENGINE_E_NOMEM with "out of memory" in err, or ENGINE_E_PROTOCOL with err
 * untouched, for the caller to say what was unreadable.
 */
enum engine_code engine__json_parse(const char *s, size_t len, cJSON **doc,
                                    struct cr_error *err);

/* The string member key of obj, or "" when obj is NULL or the member is
 * missing or not a string. Borrowed from obj. */
const char *engine__json_str(const cJSON *obj, const char *key);

/* Appends a JSON array of the NULL-terminated v to obj under key (nothing
 * when v is NULL). Returns 0 or -1 when out of memory. */
int engine__json_strv(cJSON *obj, const char *key, const char *const *v);

/* `filters={"label":[...],...}` URL-escaped into out. */
int engine__filters_query(struct cr_buf *out, const char *const *labels,
                          const char *const *types, const char *const *actions,
                          const char *container);

/* Collects the "Id" (or idkey) of every element in a JSON array body. */
enum engine_code engine__ids_from_list(const struct cr_buf *body,
                                       const char *idkey, char ***ids_out,
                                       size_t *n_out, struct cr_error *err);

/* Reads every element of a JSON array body into objects: its idkey and its
 * "Labels" object (null or missing: no labels). */
enum engine_code engine__objects_from_list(const struct cr_buf *body,
                                           const char *idkey,
                                           struct engine_object **out,
                                           size_t *n_out, struct cr_error *err);

/* GET <base>filters={"label":[...]} (base ends in '?' or '&') and reads the
 * array reply: its "Id"s into ids_out, or, when ids_out is NULL, its
 * objects into objs_out. n_out may be NULL only for ids. */
enum engine_code engine__list_by_label(struct engine *eng, const char *base,
                                       const char *const *labels,
                                       char ***ids_out,
                                       struct engine_object **objs_out,
                                       size_t *n_out, struct cr_error *err);

/* Splits a byte stream into lines (NDJSON) for fn, which gets each line
 * NUL-terminated without its newline and returns 0 to go on. */
struct engine__lines {
    struct cr_buf pending;
    int (*fn)(void *ctx, char *line, size_t len);
    void *ctx;
};

/* A engine__sink_fn: ctx is a struct engine__lines. */
int engine__lines_sink(void *ctx, const char *data, size_t len);

/* Delivers a last unterminated line and frees the buffer. Returns fn's
 * verdict for it (0 when nothing was left). */
int engine__lines_finish(struct engine__lines *l);

/*
 * The readers of the engine's JSON replies, apart from their requests so
 * that tests and fuzz targets reach them with any text. Each borrows doc
 * (or body) and never fails on unexpected shapes: missing or mistyped
 * members read as "", 0 or -1.
 */

/* State.{Status,Running,OOMKilled,ExitCode,Pid} and the first non-empty
 * NetworkSettings.Networks.*.IPAddress of a container inspect reply. */
void engine__read_state(const cJSON *doc, struct engine_container_state *out);

/* NetworkSettings.Ports["80/tcp"][0].HostPort, or 0 when absent. */
unsigned engine__read_host_port(const cJSON *doc, const char *key);

/* An exec inspect reply: *done once ExitCode is a number and Running is
 * not true, with *exit_code set then. */
void engine__read_exec_exit(const cJSON *doc, int *exit_code, bool *done);

/* A wait reply body: StatusCode into *exit_code, or ENGINE_E_API with
 * Error.Message, ENGINE_E_PROTOCOL when unreadable, ENGINE_E_NOMEM. */
enum engine_code engine__read_wait_reply(const struct cr_buf *body,
                                         int *exit_code, struct cr_error *err);

/* One line of the /events stream, for engine__lines (ctx is the struct
 * below): a JSON event goes to fn, any other line is skipped. */
struct engine__events_ctx {
    engine_event_fn fn;
    void *ctx;
    bool stopped; /* fn asked to stop */
    bool nomem;   /* a line could not be parsed for lack of memory */
};
int engine__event_line(void *ctx, char *line, size_t len);

/* The bootstrap hint for a missing image name, "" if not ours. */
const char *engine__noimage_hint(const char *image);

#endif
