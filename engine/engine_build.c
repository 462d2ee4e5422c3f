/* engine_build: POST /build with a tar of the context. See
 * engine_build.h. */
#include "engine_build.h"
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include "cr_alloc.h"

void engine_build_hash(const struct engine_bytes *parts, size_t n, char out[17])
{
    uint64_t h = 0xcbf29ce484222325ull;

    for (size_t i = 0; i < n; i++) {
        const unsigned char *p = parts[i].data;
        for (size_t k = 0; k < parts[i].len; k++)
            h = (h ^ p[k]) * 0x100000001b3ull;
        /* A separator, so ("ab","c") and ("a","bc") differ. */
        h = (h ^ 0xff) * 0x100000001b3ull;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The last lines of build output, for the message of a failed build. */
#define KEEP_LINES 4

struct build_read {
    const struct engine_build *b;
    char last[KEEP_LINES][200];
    unsigned n_last;
    char error[400];
    bool nomem;
};

static void keep_line(struct build_read *r, const char *s)
{
    size_t len = strcspn(s, "\n");

    if (len == 0)
        return;
    snprintf(r->last[r->n_last % KEEP_LINES], sizeof(r->last[0]), "%.*s",
             (int)len, s);
    r->n_last++;
    if (r->b->on_line != NULL)
        r->b->on_line(r->b->ctx, r->last[(r->n_last - 1) % KEEP_LINES]);
}

/* One NDJSON object: {"stream": "..."} output, {"error": "..."} failure,
 * anything else (aux, status) ignored. A stream chunk may hold several
 * lines. */
static int build_line(void *ctx, char *line, size_t len)
{
    struct build_read *r = ctx;
    cJSON *doc;
    const char *s, *e;

    if (engine__json_parse(line, len, &doc, NULL) == ENGINE_E_NOMEM) {
        r->nomem = true;
        return -1;
    }
    if (doc == NULL)
        return 0;
    e = engine__json_str(doc, "error");
    if (*e && !r->error[0])
        snprintf(r->error, sizeof(r->error), "%s", e);
    for (s = engine__json_str(doc, "stream"); *s; s += strcspn(s, "\n")) {
        s += *s == '\n';
        keep_line(r, s);
    }
    cJSON_Delete(doc);
    return 0;
}

/* buildargs is a JSON object in the query string. */
static int add_args(struct cr_buf *q, const struct engine_build *b)
{
    cJSON *o = cJSON_CreateObject();
    char *text = NULL, *esc = NULL;
    int rc = o == NULL;

    for (size_t i = 0; rc == 0 && i < b->nargs; i++)
        rc = cJSON_AddStringToObject(o, b->args[i].key, b->args[i].value) ==
             NULL;
    if (rc == 0 && ((text = cJSON_PrintUnformatted(o)) == NULL ||
                    (esc = engine__escape(text)) == NULL))
        rc = 1;
    if (rc == 0)
        rc = cr_buf_printf(q, "&buildargs=%s", esc) < 0;
    engine__curl.free(esc);
    cJSON_free(text);
    cJSON_Delete(o);
    return rc ? -1 : 0;
}

static int add_param(struct cr_buf *q, const char *key, const char *value)
{
    char *esc = engine__escape(value);
    int rc = esc ? cr_buf_printf(q, "&%s=%s", key, esc) : -1;

    engine__curl.free(esc);
    return rc < 0 ? -1 : 0;
}

static int build_query(struct cr_buf *q, const struct engine_build *b)
{
    return cr_buf_puts(q, "/build?rm=1&forcerm=1") < 0 ||
                   add_param(q, "t", b->tag) ||
                   add_param(q, "dockerfile",
                             b->dockerfile ? b->dockerfile : "Dockerfile") ||
                   (b->target && add_param(q, "target", b->target)) ||
                   (b->nargs > 0 && add_args(q, b))
               ? -1
               : 0;
}

static enum engine_code failed(const struct build_read *r, const char *tag,
                               struct cr_error *err)
{
    char tail[700] = "";
    size_t first = r->n_last > KEEP_LINES ? r->n_last - KEEP_LINES : 0;

    for (size_t i = first; i < r->n_last; i++) {
        size_t used = strlen(tail);
        snprintf(tail + used, sizeof(tail) - used, "%s%s",
                 i == first ? "" : " | ", r->last[i % KEEP_LINES]);
    }
    return engine_error_set(err, ENGINE_E_API, "build of %s failed: %s%s%s%s",
                            tag, r->error, tail[0] ? " (last output: " : "",
                            tail, tail[0] ? ")" : "");
}

enum engine_code engine_image_build(struct engine *eng,
                                    const struct engine_build *b,
                                    const void *tar, size_t len,
                                    struct cr_error *err)
{
    struct build_read r = { .b = b };
    struct engine__lines lines = { { 0 }, build_line, &r };
    struct engine__req req = { .method = "POST", .data = tar, .len = len };
    struct engine__xfer x;
    struct cr_buf q = { 0 };
    enum engine_code rc;

    if (b->tag == NULL)
        return engine_error_set(err, ENGINE_E_INVALID, "a build needs a tag");
    if (build_query(&q, b) != 0)
        return engine__nomem(&q, err);
    req.path = q.data;
    req.content_type = "application/x-tar";
    req.blocking = true;
    req.sink = engine__lines_sink;
    req.sink_ctx = &lines;
    rc = engine__request(eng, &x, &req, ENGINE__OK(200), 0, err);
    engine__lines_finish(&lines);
    if (rc == ENGINE_OK && (x.sink_failed || r.nomem))
        rc = engine_error_set(err, ENGINE_E_NOMEM, "out of memory");
    else if (rc == ENGINE_OK && r.error[0])
        rc = failed(&r, b->tag, err);
    engine__xfer_cleanup(&x);
    cr_buf_release(&q);
    return rc;
}
