/* clnrm_report_json: the JSON report. See clnrm_report_render.h. */
#include "clnrm_report_render.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_text.h"

/* Adds item (which may be NULL) to o under key. Adding copies the key, so
 * it can run out of memory too: then item is freed, not leaked or lost
 * silently. Returns 0, or -1. */
static int add_item(cJSON *o, const char *key, cJSON *item)
{
    if (item != NULL && cJSON_AddItemToObject(o, key, item))
        return 0;
    cJSON_Delete(item);
    return -1;
}

static cJSON *json_step(const struct clnrm_step_result *sr)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *argv = cJSON_CreateArray();
    int rc = o == NULL;

    if (rc == 0)
        rc = add_item(o, "command", argv);
    else
        cJSON_Delete(argv);
    for (size_t i = 0; rc == 0 && i < sr->step->argv.n; i++) {
        cJSON *a = cJSON_CreateString(sr->step->argv.v[i]);
        rc = a == NULL || !cJSON_AddItemToArray(argv, a);
    }
    if (rc == 0)
        rc = cr_json_add_text(o, "name", sr->step->name) ||
             cr_json_add_text(o, "status", clnrm_status_name(sr->status)) ||
             !cJSON_AddNumberToObject(o, "exit_code", sr->exit_code) ||
             !cJSON_AddNumberToObject(o, "expected_exit_code",
                                      sr->step->expected_exit_code) ||
             !cJSON_AddNumberToObject(o, "duration_ms",
                                      (double)sr->duration_ms) ||
             cr_json_add_text(o, "message", sr->message) ||
             cr_json_add_bytes(o, "stdout", sr->out.data, sr->out.len) ||
             cr_json_add_bytes(o, "stderr", sr->err.data, sr->err.len) ||
             !cJSON_AddBoolToObject(o, "truncated", sr->truncated) ||
             (sr->oom_killed && !cJSON_AddTrueToObject(o, "oom_killed"));
    if (rc == 0 && sr->step->description != NULL)
        rc = cr_json_add_text(o, "description", sr->step->description);
    if (rc != 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* {"total": N, "<kind>": n, ...} with the kinds that were called. */
static cJSON *json_calls(const struct engine_calls *c)
{
    cJSON *o = cJSON_CreateObject();

    if (o == NULL ||
        !cJSON_AddNumberToObject(o, "total", (double)engine_calls_total(c))) {
        cJSON_Delete(o);
        return NULL;
    }
    for (int k = 0; k < ENGINE_CALL__COUNT; k++) {
        if (c->n[k] > 0 &&
            !cJSON_AddNumberToObject(o, engine_call_name((enum engine_call)k),
                                     (double)c->n[k])) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

static cJSON *json_test(const struct clnrm_test_result *r)
{
    cJSON *o = cJSON_CreateObject(), *steps = cJSON_CreateArray();
    const char *st = clnrm_status_name(r->status);
    int rc = o == NULL;

    if (rc == 0)
        rc = add_item(o, "steps", steps);
    else
        cJSON_Delete(steps);
    if (rc == 0)
        rc = cr_json_add_text(o, "name", r->test->name) ||
             cr_json_add_text(o, "file", r->test->path) ||
             cr_json_add_text(o, "status", st) ||
             !cJSON_AddNumberToObject(o, "duration_ms",
                                      (double)r->duration_ms) ||
             cr_json_add_text(o, "message", r->message) ||
             add_item(o, "engine_calls", json_calls(&r->calls));
    for (size_t i = 0; rc == 0 && i < r->n_steps; i++) {
        cJSON *s = json_step(&r->steps[i]);
        rc = s == NULL || !cJSON_AddItemToArray(steps, s);
    }
    if (rc != 0) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static cJSON *json_summary(const struct clnrm_totals *t,
                           const struct clnrm_test_result *r, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    struct engine_calls calls = { 0 };

    for (size_t i = 0; i < n; i++)
        engine_calls_add(&calls, &r[i].calls);

    if (o == NULL || !cJSON_AddNumberToObject(o, "tests", (double)t->tests) ||
        !cJSON_AddNumberToObject(o, "passed", (double)t->passed) ||
        !cJSON_AddNumberToObject(o, "failed", (double)t->failed) ||
        !cJSON_AddNumberToObject(o, "timeouts", (double)t->timeouts) ||
        !cJSON_AddNumberToObject(o, "errors", (double)t->errors) ||
        !cJSON_AddNumberToObject(o, "skipped", (double)t->skipped) ||
        !cJSON_AddNumberToObject(o, "steps", (double)t->steps) ||
        !cJSON_AddNumberToObject(o, "duration_ms", (double)t->duration_ms) ||
        add_item(o, "engine_calls", json_calls(&calls))) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int clnrm__render_json(const struct clnrm_test_result *r, size_t n,
                       const struct clnrm_totals *tot, struct cr_buf *out)
{
    cJSON *root = cJSON_CreateObject(), *tests = cJSON_CreateArray();
    cJSON *summary = json_summary(tot, r, n);
    char *text = NULL;
    int rc = root == NULL || !cJSON_AddNumberToObject(root, "version", 1);

    /* add_item owns its item whether it succeeds or not; what was not
     * handed to it yet is still ours to free. */
    if (rc != 0) {
        cJSON_Delete(summary);
        cJSON_Delete(tests);
    } else if ((rc = add_item(root, "summary", summary)) != 0) {
        cJSON_Delete(tests);
    } else {
        rc = add_item(root, "tests", tests);
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        cJSON *t = json_test(&r[i]);
        rc = t == NULL || !cJSON_AddItemToArray(tests, t);
    }
    if (rc == 0 && (text = cJSON_Print(root)) == NULL)
        rc = -1;
    if (rc == 0)
        rc = cr_buf_puts(out, text) || cr_buf_putc(out, '\n');
    cr_free(text);
    cJSON_Delete(root);
    return rc;
}
