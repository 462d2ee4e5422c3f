/* clnrm_saved: results read back from a JSON report. See clnrm_saved.h. */
#include "clnrm_saved.h"

#include "cr_alloc.h"
#include "cr_fs.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsString(v) ? v->valuestring : "";
}

static double num_of(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static int status_of(const char *s, enum clnrm_status *out)
{
    for (int i = CLNRM_STATUS_PASS; i <= CLNRM_STATUS_SKIP; i++)
        if (strcmp(clnrm_status_name((enum clnrm_status)i), s) == 0) {
            *out = (enum clnrm_status)i;
            return 0;
        }
    return -1;
}

static int put_text(struct cr_buf *b, const char *s)
{
    return s[0] != '\0' ? cr_buf_puts(b, s) : 0;
}

/* One step of the report into the synthetic test and its result;
 * -1 out of memory, -2 malformed. */
static int read_step(const cJSON *js, struct clnrm_step *st,
                     struct clnrm_step_result *sr)
{
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(js, "command");
    const cJSON *a;

    if (!cJSON_IsObject(js) || status_of(str_of(js, "status"), &sr->status))
        return -2;
    st->name = cr_strdup(str_of(js, "name"));
    if (*str_of(js, "description") != '\0' &&
        (st->description = cr_strdup(str_of(js, "description"))) == NULL)
        return -1;
    st->expected_exit_code = (int)num_of(js, "expected_exit_code", 0);
    cJSON_ArrayForEach(a, cmd)
    {
        if (cJSON_IsString(a) && cr_strv_push(&st->argv, a->valuestring))
            return -1;
    }
    sr->step = st;
    sr->exit_code = (int)num_of(js, "exit_code", -1);
    sr->duration_ms = (uint64_t)num_of(js, "duration_ms", 0);
    sr->truncated = cJSON_IsTrue(cJSON_GetObjectItem(js, "truncated"));
    sr->oom_killed = cJSON_IsTrue(cJSON_GetObjectItem(js, "oom_killed"));
    snprintf(sr->message, sizeof(sr->message), "%s", str_of(js, "message"));
    return st->name == NULL || put_text(&sr->out, str_of(js, "stdout")) ||
                   put_text(&sr->err, str_of(js, "stderr"))
               ? -1
               : 0;
}

static int read_test(const cJSON *jt, struct clnrm_test **tp,
                     struct clnrm_test_result *r)
{
    const cJSON *steps = cJSON_GetObjectItemCaseSensitive(jt, "steps");
    size_t n = (size_t)cJSON_GetArraySize(steps);
    struct clnrm_test *t = cr_calloc(1, sizeof(*t));
    const cJSON *js;
    size_t i = 0;
    int rc = 0;

    if ((*tp = t) == NULL)
        return -1;
    if (!cJSON_IsObject(jt) || !cJSON_IsArray(steps) ||
        status_of(str_of(jt, "status"), &r->status))
        return -2;
    t->name = cr_strdup(str_of(jt, "name"));
    t->path = cr_strdup(str_of(jt, "file"));
    t->steps = cr_calloc(n + 1, sizeof(*t->steps));
    r->steps = cr_calloc(n + 1, sizeof(*r->steps));
    if (t->name == NULL || t->path == NULL || t->steps == NULL ||
        r->steps == NULL)
        return -1;
    t->n_steps = r->n_steps = n;
    r->test = t;
    r->code = r->status == CLNRM_STATUS_ERROR ? CLNRM_E_INPUT : CLNRM_OK;
    r->duration_ms = (uint64_t)num_of(jt, "duration_ms", 0);
    snprintf(r->message, sizeof(r->message), "%s", str_of(jt, "message"));
    cJSON_ArrayForEach(js, steps)
    {
        if (rc == 0)
            rc = read_step(js, &t->steps[i], &r->steps[i]);
        i++;
    }
    return rc;
}

static enum clnrm_code parse_doc(const char *path, const cJSON *root,
                                 struct clnrm_saved *out, struct cr_error *err)
{
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(root, "tests");
    const cJSON *summary = cJSON_GetObjectItemCaseSensitive(root, "summary");
    size_t n = (size_t)cJSON_GetArraySize(tests);
    const cJSON *jt;
    int rc = 0;

    if (!cJSON_IsObject(root) || !cJSON_IsArray(tests))
        return clnrm_error_set(err, CLNRM_E_INPUT,
                               "%s: not a clnrm JSON result (no \"tests\" "
                               "array)",
                               path);
    out->tests = cr_calloc(n + 1, sizeof(*out->tests));
    out->results = cr_calloc(n + 1, sizeof(*out->results));
    if (out->tests == NULL || out->results == NULL)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    cJSON_ArrayForEach(jt, tests)
    {
        if (rc == 0)
            rc = read_test(jt, &out->tests[out->n], &out->results[out->n]);
        out->n++;
    }
    if (rc == -1)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    if (rc != 0)
        return clnrm_error_set(err, CLNRM_E_INPUT,
                               "%s: test %zu is not a clnrm test result", path,
                               out->n);
    clnrm_totals_count(out->results, out->n, &out->totals);
    out->totals.duration_ms = (uint64_t)num_of(summary, "duration_ms", 0);
    return CLNRM_OK;
}

enum clnrm_code clnrm_saved_load(const char *path, struct clnrm_saved *out,
                                 struct cr_error *err)
{
    char *buf;
    size_t len;
    int rd = cr_fs_read(path, &buf, &len);
    unsigned long failures;
    cJSON *root;
    enum clnrm_code rc;

    memset(out, 0, sizeof(*out));
    if (rd != 0)
        return clnrm_error_set(err, rd == -ENOMEM ? CLNRM_E_NOMEM : CLNRM_E_IO,
                               "cannot read %s: %s", path, strerror(-rd));
    failures = cr_alloc_failures();
    root = cJSON_ParseWithLength(buf, len);
    cr_free(buf);
    /* cJSON allocates through cr_alloc: a failed allocation is not a
     * malformed file. */
    if (root == NULL && cr_alloc_failures() != failures)
        return clnrm_error_set(err, CLNRM_E_NOMEM, "out of memory");
    if (root == NULL)
        return clnrm_error_set(err, CLNRM_E_INPUT, "%s: not valid JSON", path);
    rc = parse_doc(path, root, out, err);
    cJSON_Delete(root);
    if (rc != CLNRM_OK)
        clnrm_saved_release(out);
    return rc;
}

void clnrm_saved_release(struct clnrm_saved *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->n; i++) {
        if (s->results != NULL)
            clnrm_test_result_release(&s->results[i]);
        if (s->tests != NULL)
            clnrm_test_free(s->tests[i]);
    }
    cr_free(s->tests);
    cr_free(s->results);
    memset(s, 0, sizeof(*s));
}
