/*
 * Fuzz target for the engine client's readers of JSON replies: container
 * inspect (state, address, published port), exec inspect, wait, the list
 * replies (ids, ids with labels), error bodies, and the /events NDJSON
 * stream split into lines. Each reader gets the same bytes; beyond "no
 * crash, no leak, no undefined behaviour" it checks that errors are one
 * line and that list results are well formed.
 */
#include "engine_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static void check_err(const struct cr_error *e)
{
    check(strchr(e->msg, '\n') == NULL);
}

static void read_doc(const char *text, size_t len)
{
    cJSON *doc = NULL;
    struct engine_container_state st;
    int code = -7;
    bool done;

    if (engine__json_parse(text, len, &doc, NULL) != ENGINE_OK)
        return;
    memset(&st, 0, sizeof(st));
    engine__read_state(doc, &st);
    check(strlen(st.status) < sizeof(st.status));
    (void)engine__read_host_port(doc, "80/tcp");
    engine__read_exec_exit(doc, &code, &done);
    check(done || code == -7);
    cJSON_Delete(doc);
}

static void read_lists(const struct cr_buf *body)
{
    struct cr_error e = { 0 };
    char **ids = NULL;
    size_t n = 0;
    struct engine_object *objs = NULL;

    if (engine__ids_from_list(body, "Id", &ids, &n, &e) == ENGINE_OK) {
        for (size_t i = 0; i < n; i++)
            check(ids[i] != NULL);
        check(ids[n] == NULL);
        engine_strv_free(ids);
    } else {
        check(ids == NULL);
        check_err(&e);
    }
    if (engine__objects_from_list(body, "Id", &objs, &n, &e) == ENGINE_OK) {
        for (size_t i = 0; i < n; i++)
            (void)engine_object_label(&objs[i], "cleanroom.run");
        engine_objects_free(objs, n);
    } else {
        check(objs == NULL && n == 0);
        check_err(&e);
    }
}

static void read_errors(const struct cr_buf *body)
{
    struct engine__xfer x;
    struct cr_error e = { 0 };
    char msg[256];
    int code = -1;

    memset(&x, 0, sizeof(x));
    x.body = *body; /* borrowed: x is never cleaned up */
    x.status = 500;
    if (engine__error_message(body, msg, sizeof(msg)) == 0)
        check(strlen(msg) < sizeof(msg));
    check(engine__http_error(&x, &e) != ENGINE_OK);
    check_err(&e);
    if (engine__read_wait_reply(body, &code, &e) != ENGINE_OK)
        check_err(&e);
}

static int on_event(void *ctx, const struct engine_event *ev)
{
    size_t *seen = ctx;

    check(ev->type && ev->action && ev->id && ev->name && ev->json);
    (*seen)++;
    return 0;
}

static void read_events(const char *text, size_t len)
{
    size_t seen = 0;
    struct engine__events_ctx c = { on_event, &seen, false, false };
    struct engine__lines lines = { { 0 }, engine__event_line, &c };
    size_t half = len / 2;

    /* Two slices, so a line may span them as it does on the wire. */
    if (engine__lines_sink(&lines, text, half) == 0 &&
        engine__lines_sink(&lines, text + half, len - half) == 0)
        engine__lines_finish(&lines);
    cr_buf_release(&lines.pending);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cr_buf body = { 0 };

    /* Replies arrive as a NUL-terminated body buffer. */
    if (cr_buf_append(&body, data, size) < 0)
        return 0;
    read_doc(cr_buf_str(&body), body.len);
    read_lists(&body);
    read_errors(&body);
    read_events(cr_buf_str(&body), body.len);
    cr_buf_release(&body);
    return 0;
}
