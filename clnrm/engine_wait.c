/* clnrm_engine waits (registered before start), run and logs. See
 * engine.h. */
#include "engine_int.h"
#include "engine_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct clnrm_engine_wait {
    struct clnrm__xfer x;
};

static const char *condition_name(enum clnrm_wait_condition c)
{
    switch (c) {
    case CLNRM_WAIT_NEXT_EXIT:
        return "next-exit";
    case CLNRM_WAIT_REMOVED:
        return "removed";
    default:
        return "not-running";
    }
}

enum clnrm_code clnrm_engine_wait_begin(struct clnrm_engine *eng,
                                        const char *id,
                                        enum clnrm_wait_condition cond,
                                        struct clnrm_engine_wait **out,
                                        struct clnrm_error *err)
{
    struct clnrm_engine_wait *w = calloc(1, sizeof(*w));
    struct clnrm__req r = { .method = "POST", .blocking = true };
    char path[512];
    long status = 0;
    enum clnrm_code rc;

    *out = NULL;
    if (!w)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    snprintf(path, sizeof(path), "/containers/%s/wait?condition=%s", id,
             condition_name(cond));
    r.path = path;
    /* Its own handle: the wait stays open while other calls run. */
    rc = clnrm__xfer_start(eng, &w->x, &r, true, err);
    if (rc == CLNRM_OK)
        rc = clnrm__xfer_pump(&w->x, true, 0, err);
    if (rc == CLNRM_OK)
        curl_easy_getinfo(w->x.h, CURLINFO_RESPONSE_CODE, &status);
    if (rc == CLNRM_OK && status != 200) {
        /* An error reply: finish reading its body for the message. */
        rc = clnrm__xfer_pump(&w->x, false, 0, err);
        if (rc == CLNRM_OK)
            rc = clnrm__http_error(&w->x, err);
    }
    if (rc != CLNRM_OK) {
        clnrm_engine_wait_abandon(eng, w);
        return rc;
    }
    *out = w;
    return CLNRM_OK;
}

void clnrm_engine_wait_abandon(struct clnrm_engine *eng,
                               struct clnrm_engine_wait *w)
{
    (void)eng;
    if (!w)
        return;
    clnrm__xfer_cleanup(&w->x);
    free(w);
}

static enum clnrm_code read_wait_reply(const struct clnrm__xfer *x,
                                       int *exit_code, struct clnrm_error *err)
{
    cJSON *doc = cJSON_Parse(cr_buf_str(&x->body));
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(doc, "StatusCode");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(doc, "Error");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "Message");
    enum clnrm_code rc = CLNRM_OK;

    if (!cJSON_IsNumber(code))
        rc = clnrm_error_set(err, CLNRM_E_STREAM,
                             "unreadable wait reply from the Docker daemon");
    else if (cJSON_IsString(msg) && msg->valuestring[0])
        rc = clnrm_error_set(err, CLNRM_E_API, "Error response from daemon: %s",
                             msg->valuestring);
    else
        *exit_code = code->valueint;
    cJSON_Delete(doc);
    return rc;
}

enum clnrm_code clnrm_engine_wait_end(struct clnrm_engine *eng,
                                      struct clnrm_engine_wait *w,
                                      uint64_t deadline_ms, int *exit_code,
                                      struct clnrm_error *err)
{
    enum clnrm_code rc = clnrm__xfer_pump(&w->x, false, deadline_ms, err);

    *exit_code = -1;
    if (rc == CLNRM_OK && w->x.status != 200)
        rc = clnrm__http_error(&w->x, err);
    if (rc == CLNRM_OK)
        rc = read_wait_reply(&w->x, exit_code, err);
    clnrm_engine_wait_abandon(eng, w);
    return rc;
}

enum clnrm_code clnrm_engine_container_wait(struct clnrm_engine *eng,
                                            const char *id,
                                            uint64_t deadline_ms,
                                            int *exit_code,
                                            struct clnrm_error *err)
{
    struct clnrm_engine_wait *w;
    enum clnrm_code rc;

    *exit_code = -1;
    rc = clnrm_engine_wait_begin(eng, id, CLNRM_WAIT_NOT_RUNNING, &w, err);
    if (rc != CLNRM_OK)
        return rc;
    return clnrm_engine_wait_end(eng, w, deadline_ms, exit_code, err);
}

enum clnrm_code clnrm_engine_container_run(
    struct clnrm_engine *eng, const struct clnrm_container_spec *spec,
    char **id_out, struct clnrm_engine_wait **wait_out, struct clnrm_error *err)
{
    enum clnrm_wait_condition cond =
        spec->auto_remove ? CLNRM_WAIT_REMOVED : CLNRM_WAIT_NEXT_EXIT;
    struct clnrm_engine_wait *w = NULL;
    char *id = NULL;
    enum clnrm_code rc;

    *id_out = NULL;
    if (wait_out)
        *wait_out = NULL;
    rc = clnrm_engine_container_create(eng, spec, &id, err);
    if (rc != CLNRM_OK)
        return rc;
    if (wait_out)
        rc = clnrm_engine_wait_begin(eng, id, cond, &w, err);
    if (rc == CLNRM_OK)
        rc = clnrm_engine_container_start(eng, id, err);
    if (rc != CLNRM_OK) {
        clnrm_engine_wait_abandon(eng, w);
        /* Best effort: the first error is the one worth reporting. */
        clnrm_engine_container_remove(eng, id, true, NULL);
        free(id);
        return rc;
    }
    *id_out = id;
    if (wait_out)
        *wait_out = w;
    return CLNRM_OK;
}

/* Output of logs: two capped buffers. */
struct capture {
    struct cr_buf *out, *err;
    size_t cap;
    bool truncated;
    bool nomem;
};

static int capture_chunk(void *ctx, enum clnrm_stream s, const char *p,
                         size_t n)
{
    struct capture *c = ctx;
    struct cr_buf *b = s == CLNRM_STREAM_STDERR ? c->err : c->out;
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

static int demux_sink(void *ctx, const char *p, size_t n)
{
    return clnrm_demux_feed(ctx, p, n) == CLNRM_DEMUX_OK ? 0 : -1;
}

enum clnrm_code clnrm_engine_container_logs(struct clnrm_engine *eng,
                                            const char *id, struct cr_buf *out,
                                            struct cr_buf *errout,
                                            struct clnrm_error *err)
{
    struct capture cap = { out, errout, CLNRM_ENGINE_OUTPUT_CAP, false, false };
    struct clnrm_demux d;
    struct clnrm__req r = { .method = "GET",
                            .sink = demux_sink,
                            .sink_ctx = &d };
    struct clnrm__xfer x;
    char path[512];
    enum clnrm_code rc;

    clnrm_demux_init(&d, capture_chunk, &cap);
    snprintf(path, sizeof(path), "/containers/%s/logs?stdout=1&stderr=1", id);
    r.path = path;
    rc = clnrm__call(eng, &x, &r, 0, err);
    if (rc == CLNRM_OK && x.status != 200) {
        rc = clnrm__http_error(&x, err);
    } else if (rc == CLNRM_OK && cap.nomem) {
        rc = clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    } else if (rc == CLNRM_OK && clnrm_demux_finish(&d) != CLNRM_DEMUX_OK) {
        rc = clnrm_error_set(err, CLNRM_E_STREAM,
                             "malformed log stream for container %s%s%s", id,
                             d.syserr[0] ? ": " : "", d.syserr);
    }
    clnrm__xfer_cleanup(&x);
    return rc;
}
