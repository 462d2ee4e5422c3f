/* engine events: the NDJSON stream of GET /events. See engine.h. */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int engine__event_line(void *ctx, char *line, size_t len)
{
    struct engine__events_ctx *c = ctx;
    cJSON *doc;
    const cJSON *actor, *attrs, *t;
    struct engine_event ev = { 0 };
    const char *code;

    /* A line that is not JSON is skipped; one that memory ran out on would
     * be an event lost, so the stream ends with ENGINE_E_NOMEM. */
    if (engine__json_parse(line, len, &doc, NULL) == ENGINE_E_NOMEM) {
        c->nomem = true;
        return -1;
    }
    if (!doc)
        return 0;
    actor = cJSON_GetObjectItemCaseSensitive(doc, "Actor");
    attrs = cJSON_GetObjectItemCaseSensitive(actor, "Attributes");
    t = cJSON_GetObjectItemCaseSensitive(doc, "timeNano");
    ev.type = engine__json_str(doc, "Type");
    ev.action = engine__json_str(doc, "Action");
    ev.id = engine__json_str(actor, "ID");
    ev.name = engine__json_str(attrs, "name");
    code = engine__json_str(attrs, "exitCode");
    ev.exit_code = *code ? atoi(code) : -1;
    /* A number outside int64_t (or NaN) cannot be converted: read it as
     * unknown, like a missing one. */
    ev.time_ns =
        cJSON_IsNumber(t) && t->valuedouble > -9.2e18 && t->valuedouble < 9.2e18
            ? (int64_t)t->valuedouble
            : 0;
    ev.json = line;
    if (c->fn(c->ctx, &ev) != 0)
        c->stopped = true;
    cJSON_Delete(doc);
    return c->stopped ? -1 : 0;
}

static int events_path(struct cr_buf *p, const struct engine_events_filter *f)
{
    if (cr_buf_puts(p, "/events?") < 0)
        return -1;
    if (f && f->since &&
        cr_buf_printf(p, "since=%lld&", (long long)f->since) < 0)
        return -1;
    if (!f)
        return engine__filters_query(p, NULL, NULL, NULL, NULL);
    return engine__filters_query(p, f->labels, f->types, f->actions,
                                 f->container);
}

enum engine_code engine_events(struct engine *eng,
                               const struct engine_events_filter *filter,
                               uint64_t deadline_ms, engine_event_fn fn,
                               void *ctx, struct cr_error *err)
{
    struct engine__events_ctx c = { fn, ctx, false, false };
    struct engine__lines lines = { { 0 }, engine__event_line, &c };
    struct engine__req r = { .method = "GET",
                             .blocking = true,
                             .sink = engine__lines_sink,
                             .sink_ctx = &lines };
    struct engine__xfer x;
    struct cr_buf path = { 0 };
    enum engine_code rc;

    if (events_path(&path, filter) < 0)
        return engine__nomem(&path, err);
    r.path = path.data;
    /* Not engine__request: the last unterminated line is delivered whenever
     * the transfer itself succeeded, before the status is judged. */
    rc = engine__call(eng, &x, &r, deadline_ms, err);
    if (rc == ENGINE_OK && !c.stopped)
        engine__lines_finish(&lines);
    cr_buf_release(&lines.pending);
    if (rc == ENGINE_OK && x.status != 200)
        rc = engine__http_error(&x, err);
    else if (rc == ENGINE_OK && (c.nomem || x.sink_failed) && !c.stopped)
        rc = engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    else if (rc == ENGINE_OK && !c.stopped)
        rc = engine_error_set(err, ENGINE_E_UNREACHABLE,
                              "the Docker daemon at %s closed the event "
                              "stream",
                              eng->addr.display);
    engine__xfer_cleanup(&x);
    cr_buf_release(&path);
    return rc;
}
