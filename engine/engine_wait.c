/* engine waits (registered before start), run and logs. See
 * engine.h. */
#include "engine_int.h"
#include "engine_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"

struct engine_wait {
    struct engine__xfer x;
};

static const char *condition_name(enum engine_wait_condition c)
{
    switch (c) {
    case ENGINE_WAIT_NEXT_EXIT:
        return "next-exit";
    case ENGINE_WAIT_REMOVED:
        return "removed";
    default:
        return "not-running";
    }
}

enum engine_code engine_wait_begin(struct engine *eng, const char *id,
                                   enum engine_wait_condition cond,
                                   struct engine_wait **out,
                                   struct cr_error *err)
{
    struct engine_wait *w = cr_calloc(1, sizeof(*w));
    struct engine__req r = { .method = "POST", .blocking = true };
    char path[512];
    long status = 0;
    enum engine_code rc;

    *out = NULL;
    if (!w)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    snprintf(path, sizeof(path), "/containers/%s/wait?condition=%s", id,
             condition_name(cond));
    r.path = path;
    /* Its own handle: the wait stays open while other calls run. */
    rc = engine__xfer_start(eng, &w->x, &r, true, err);
    if (rc == ENGINE_OK)
        rc = engine__xfer_pump(&w->x, true, 0, err);
    if (rc == ENGINE_OK)
        engine__curl.easy_getinfo(w->x.h, CURLINFO_RESPONSE_CODE, &status);
    if (rc == ENGINE_OK && status != 200) {
        /* An error reply: finish reading its body for the message. */
        rc = engine__xfer_pump(&w->x, false, 0, err);
        if (rc == ENGINE_OK)
            rc = engine__http_error(&w->x, err);
    }
    if (rc != ENGINE_OK) {
        engine_wait_abandon(eng, w);
        return rc;
    }
    *out = w;
    return ENGINE_OK;
}

void engine_wait_abandon(struct engine *eng, struct engine_wait *w)
{
    (void)eng;
    if (!w)
        return;
    engine__xfer_cleanup(&w->x);
    cr_free(w);
}

enum engine_code engine__read_wait_reply(const struct cr_buf *body,
                                         int *exit_code, struct cr_error *err)
{
    cJSON *doc;
    const cJSON *code, *e, *msg;
    enum engine_code rc = ENGINE_OK;

    if (engine__json_parse(cr_buf_str(body), body->len, &doc, err) ==
        ENGINE_E_NOMEM)
        return ENGINE_E_NOMEM;
    code = cJSON_GetObjectItemCaseSensitive(doc, "StatusCode");
    e = cJSON_GetObjectItemCaseSensitive(doc, "Error");
    msg = cJSON_GetObjectItemCaseSensitive(e, "Message");
    if (!cJSON_IsNumber(code))
        rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                              "unreadable wait reply from the Docker daemon");
    else if (cJSON_IsString(msg) && msg->valuestring[0])
        rc = engine_error_set(
            err, ENGINE_E_API, "Error response from daemon: %.*s",
            /* one line, as every message */
            (int)strcspn(msg->valuestring, "\r\n"), msg->valuestring);
    else
        *exit_code = code->valueint;
    cJSON_Delete(doc);
    return rc;
}

enum engine_code engine_wait_end(struct engine *eng, struct engine_wait *w,
                                 uint64_t deadline_ms, int *exit_code,
                                 struct cr_error *err)
{
    enum engine_code rc = engine__xfer_pump(&w->x, false, deadline_ms, err);

    *exit_code = -1;
    if (rc == ENGINE_OK && w->x.status != 200)
        rc = engine__http_error(&w->x, err);
    if (rc == ENGINE_OK)
        rc = engine__read_wait_reply(&w->x.body, exit_code, err);
    engine_wait_abandon(eng, w);
    return rc;
}

enum engine_code engine_container_wait(struct engine *eng, const char *id,
                                       uint64_t deadline_ms, int *exit_code,
                                       struct cr_error *err)
{
    struct engine_wait *w;
    enum engine_code rc;

    *exit_code = -1;
    rc = engine_wait_begin(eng, id, ENGINE_WAIT_NOT_RUNNING, &w, err);
    if (rc != ENGINE_OK)
        return rc;
    return engine_wait_end(eng, w, deadline_ms, exit_code, err);
}

enum engine_code engine_container_run(struct engine *eng,
                                      const struct engine_container_spec *spec,
                                      char **id_out,
                                      struct engine_wait **wait_out,
                                      struct cr_error *err)
{
    enum engine_wait_condition cond =
        spec->auto_remove ? ENGINE_WAIT_REMOVED : ENGINE_WAIT_NEXT_EXIT;
    struct engine_wait *w = NULL;
    char *id = NULL;
    enum engine_code rc;

    *id_out = NULL;
    if (wait_out)
        *wait_out = NULL;
    rc = engine_container_create(eng, spec, &id, err);
    if (rc != ENGINE_OK)
        return rc;
    if (wait_out)
        rc = engine_wait_begin(eng, id, cond, &w, err);
    if (rc == ENGINE_OK)
        rc = engine_container_start(eng, id, err);
    if (rc != ENGINE_OK) {
        engine_wait_abandon(eng, w);
        /* Best effort: the first error is the one worth reporting. */
        engine_container_remove(eng, id, true, NULL);
        cr_free(id);
        return rc;
    }
    *id_out = id;
    if (wait_out)
        *wait_out = w;
    return ENGINE_OK;
}

/* Output of logs: two capped buffers. */
struct capture {
    struct cr_buf *out, *err;
    size_t cap;
    bool truncated;
    bool nomem;
};

static int capture_chunk(void *ctx, enum engine_stream s, const char *p,
                         size_t n)
{
    struct capture *c = ctx;
    struct cr_buf *b = s == ENGINE_STREAM_STDERR ? c->err : c->out;
    size_t room;

    if (!b)
        return 0;
    room = b->len < c->cap ? c->cap - b->len : 0;
    if (n > room) {
        c->truncated = true;
        n = room;
    }
    if (n && cr_buf_append(b, p, n) < 0) {
        c->nomem = true;
        return -1;
    }
    return 0;
}

enum engine_code engine_container_logs(struct engine *eng, const char *id,
                                       struct cr_buf *out,
                                       struct cr_buf *errout,
                                       struct cr_error *err)
{
    struct capture cap = { out, errout, ENGINE_OUTPUT_CAP, false, false };
    struct engine_demux d;
    struct engine__req r = { .method = "GET",
                             .sink = engine_demux_sink,
                             .sink_ctx = &d };
    struct engine__xfer x;
    char path[512];
    enum engine_code rc;

    engine_demux_init(&d, capture_chunk, &cap);
    snprintf(path, sizeof(path), "/containers/%s/logs?stdout=1&stderr=1", id);
    r.path = path;
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    if (rc == ENGINE_OK && cap.nomem) {
        rc = engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    } else if (rc == ENGINE_OK && engine_demux_finish(&d) != ENGINE_DEMUX_OK) {
        rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                              "malformed log stream for container %s%s%s", id,
                              d.syserr[0] ? ": " : "", d.syserr);
    }
    engine__xfer_cleanup(&x);
    return rc;
}
