/* engine exec: create, start with demultiplexed output, inspect. See
 * engine.h. */
#include "engine_int.h"
#include "engine_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cr_alloc.h"
#include "cr_clock.h"

/* After the output ends the exit code is normally recorded already; these
 * bound a re-check should the engine lag behind its own stream. */
#define EXIT_POLL_TRIES 100
#define EXIT_POLL_MS    10

struct exec_sink {
    struct engine_exec_result *res;
    const struct engine_exec_spec *spec;
    size_t cap;
    bool nomem;
    bool aborted; /* on_output asked to stop */
};

void engine_exec_result_release(struct engine_exec_result *r)
{
    cr_buf_release(&r->out);
    cr_buf_release(&r->err);
}

static int exec_chunk(void *ctx, enum engine_stream s, const char *p, size_t n)
{
    struct exec_sink *k = ctx;
    struct cr_buf *b = s == ENGINE_STREAM_STDERR ? &k->res->err : &k->res->out;
    size_t room = b->len < k->cap ? k->cap - b->len : 0;
    size_t keep = n < room ? n : room;

    if (k->spec->on_output && k->spec->on_output(k->spec->ctx, s, p, n)) {
        k->aborted = true;
        return -1;
    }
    if (keep < n)
        k->res->truncated = true;
    if (keep && cr_buf_append(b, p, keep) < 0) {
        k->nomem = true;
        return -1;
    }
    return 0;
}

static char *exec_body(const struct engine_exec_spec *s)
{
    cJSON *b = cJSON_CreateObject();
    char *text = NULL;

    if (!b || !cJSON_AddTrueToObject(b, "AttachStdout") ||
        !cJSON_AddTrueToObject(b, "AttachStderr") ||
        !cJSON_AddFalseToObject(b, "Tty") ||
        engine__json_strv(b, "Cmd", s->argv) < 0 ||
        engine__json_strv(b, "Env", s->env) < 0 ||
        (s->workdir && !cJSON_AddStringToObject(b, "WorkingDir", s->workdir)) ||
        (s->user && !cJSON_AddStringToObject(b, "User", s->user)))
        goto out;
    text = cJSON_PrintUnformatted(b);
out:
    cJSON_Delete(b);
    return text;
}

static enum engine_code exec_create(struct engine *eng, const char *cid,
                                    const struct engine_exec_spec *spec,
                                    uint64_t deadline_ms,
                                    struct engine_exec_result *out,
                                    struct cr_error *err)
{
    struct engine__xfer x;
    char path[512];
    char *body = exec_body(spec);
    struct engine__req r = { .method = "POST", .path = path, .json = body };
    cJSON *doc = NULL;
    const cJSON *id;
    enum engine_code rc;

    if (!body)
        return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    snprintf(path, sizeof(path), "/containers/%s/exec", cid);
    rc = engine__request(eng, &x, &r, ENGINE__OK(201), deadline_ms, err);
    if (rc == ENGINE_OK && engine__json_parse(cr_buf_str(&x.body), x.body.len,
                                              &doc, err) == ENGINE_E_NOMEM)
        rc = ENGINE_E_NOMEM;
    if (rc == ENGINE_OK) {
        id = cJSON_GetObjectItemCaseSensitive(doc, "Id");
        if (!cJSON_IsString(id) ||
            strlen(id->valuestring) >= sizeof(out->exec_id))
            rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                                  "no exec Id in the Docker daemon's reply "
                                  "for container %.64s",
                                  cid);
        else
            strcpy(out->exec_id, id->valuestring);
    }
    cJSON_Delete(doc);
    engine__xfer_cleanup(&x);
    cr_free(body);
    return rc;
}

static enum engine_code stream_error(const struct engine_demux *d,
                                     const struct exec_sink *k,
                                     struct cr_error *err)
{
    switch (d->status) {
    case ENGINE_DEMUX_OK:
        return ENGINE_OK;
    case ENGINE_DEMUX_SYSTEMERR:
        return engine_error_set(err, ENGINE_E_API,
                                "Error response from daemon: %s", d->syserr);
    case ENGINE_DEMUX_ABORTED:
        if (k->nomem)
            return engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
        return engine_error_set(err, ENGINE_E_CANCELLED,
                                "exec output consumer stopped the exec");
    default:
        return engine_error_set(err, ENGINE_E_PROTOCOL,
                                "malformed exec output stream from the "
                                "Docker daemon");
    }
}

static enum engine_code exec_start(struct engine *eng,
                                   const struct engine_exec_spec *spec,
                                   uint64_t deadline_ms,
                                   struct engine_exec_result *out,
                                   struct cr_error *err)
{
    struct exec_sink k = { out, spec, 0, false, false };
    struct engine_demux d;
    struct engine__req r = { .method = "POST",
                             .blocking = true,
                             .json = "{\"Detach\":false,\"Tty\":false}",
                             .sink = engine_demux_sink,
                             .sink_ctx = &d };
    struct engine__xfer x;
    char path[160];
    enum engine_code rc;

    k.cap = spec->output_cap ? spec->output_cap : ENGINE_OUTPUT_CAP;
    engine_demux_init(&d, exec_chunk, &k);
    snprintf(path, sizeof(path), "/exec/%s/start", out->exec_id);
    r.path = path;
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), deadline_ms, err);
    if (rc == ENGINE_E_TIMEOUT) {
        out->timed_out = true;
        engine_error_set(err, rc,
                         "exec %.64s did not finish before its "
                         "deadline",
                         out->exec_id);
    } else if (rc == ENGINE_OK) {
        engine_demux_finish(&d);
        rc = stream_error(&d, &k, err);
    }
    engine__xfer_cleanup(&x);
    return rc;
}

void engine__read_exec_exit(const cJSON *doc, int *exit_code, bool *done)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(doc, "ExitCode");

    *done = cJSON_IsNumber(code) &&
            !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "Running"));
    if (*done)
        *exit_code = code->valueint;
}

/* Reads ExitCode; *done is false while the engine still reports it
 * running. */
static enum engine_code exec_inspect(struct engine *eng, const char *exec_id,
                                     int *exit_code, bool *done,
                                     struct cr_error *err)
{
    struct engine__xfer x;
    char path[160];
    struct engine__req r = { .method = "GET", .path = path };
    cJSON *doc = NULL;
    enum engine_code rc;

    snprintf(path, sizeof(path), "/exec/%s/json", exec_id);
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    if (rc == ENGINE_OK &&
        (rc = engine__json_parse(cr_buf_str(&x.body), x.body.len, &doc, err)) ==
            ENGINE_E_PROTOCOL)
        rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                              "unreadable exec inspect reply");
    if (rc == ENGINE_OK)
        engine__read_exec_exit(doc, exit_code, done);
    cJSON_Delete(doc);
    engine__xfer_cleanup(&x);
    return rc;
}

static enum engine_code exec_exit_code(struct engine *eng,
                                       struct engine_exec_result *out,
                                       uint64_t deadline_ms,
                                       struct cr_error *err)
{
    const struct timespec pause = { 0, EXIT_POLL_MS * 1000000L };
    bool done = false;
    enum engine_code rc;

    for (int i = 0; i < EXIT_POLL_TRIES; i++) {
        rc = exec_inspect(eng, out->exec_id, &out->exit_code, &done, err);
        if (rc != ENGINE_OK || done)
            return rc;
        if (deadline_ms && cr_clock_ms() >= deadline_ms)
            break;
        nanosleep(&pause, NULL);
    }
    out->exit_code = -1;
    return engine_error_set(err, ENGINE_E_PROTOCOL,
                            "exec %s output ended but it has no exit code",
                            out->exec_id);
}

enum engine_code engine_exec(struct engine *eng, const char *container_id,
                             const struct engine_exec_spec *spec,
                             uint64_t deadline_ms,
                             struct engine_exec_result *out,
                             struct cr_error *err)
{
    enum engine_code rc;

    out->exit_code = -1;
    out->timed_out = false;
    out->truncated = false;
    out->exec_id[0] = '\0';
    if (!spec->argv || !spec->argv[0])
        return engine_error_set(err, ENGINE_E_INVALID, "exec needs a command");
    rc = exec_create(eng, container_id, spec, deadline_ms, out, err);
    if (rc == ENGINE_E_TIMEOUT)
        out->timed_out = true;
    if (rc == ENGINE_OK)
        rc = exec_start(eng, spec, deadline_ms, out, err);
    if (rc == ENGINE_OK)
        rc = exec_exit_code(eng, out, 0, err);
    return rc;
}

enum engine_code engine_exec_pid(struct engine *eng, const char *exec_id,
                                 int *pid, bool *ended, struct cr_error *err)
{
    struct engine__xfer x;
    char path[160];
    struct engine__req r = { .method = "GET", .path = path };
    cJSON *doc = NULL;
    const cJSON *v;
    enum engine_code rc;

    *pid = 0;
    *ended = false;
    snprintf(path, sizeof(path), "/exec/%s/json", exec_id);
    rc = engine__request(eng, &x, &r, ENGINE__OK(200), 0, err);
    if (rc == ENGINE_OK &&
        (rc = engine__json_parse(cr_buf_str(&x.body), x.body.len, &doc, err)) ==
            ENGINE_E_PROTOCOL)
        rc = engine_error_set(err, ENGINE_E_PROTOCOL,
                              "unreadable exec inspect reply");
    if (rc == ENGINE_OK) {
        bool running =
            cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "Running"));
        v = cJSON_GetObjectItemCaseSensitive(doc, "Pid");
        if (cJSON_IsNumber(v) && running)
            *pid = v->valueint;
        /* Not running with an exit code: it ran and ended. Not running
         * without one: it has not started (yet). */
        *ended =
            !running &&
            cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "ExitCode"));
    }
    cJSON_Delete(doc);
    engine__xfer_cleanup(&x);
    return rc;
}
