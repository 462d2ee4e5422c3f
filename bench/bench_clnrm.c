/*
 * bench clnrm: what the test runner does besides waiting for the engine.
 *
 *   Load/legacy, Load/v1   parse a test file of each format
 *                          ([test.metadata]/[[steps]] and
 *                          [meta]/[[scenario]]) from memory
 *   Regex/match-64KiB      expected_output_regex on 64 KiB of output whose
 *                          match is in the last line
 *   Regex/nomatch-64KiB    expected_output_regex_not that never matches:
 *                          the whole output is searched
 *   Report/junit-1000, Report/json-1000
 *                          render a run of 10 tests of 100 steps each
 */
#include "bench_clnrm.h"

#include "clnrm_load.h"
#include "clnrm_regex.h"
#include "clnrm_report.h"
#include "cr_alloc.h"
#include "cr_buf.h"

#include <stdio.h>
#include <string.h>

#define TESTS 10
#define STEPS 100

static const char legacy_doc[] =
    "[test.metadata]\nname = \"legacy\"\ndescription = \"services, health "
    "check and assertions\"\ntimeout = \"120s\"\n\n[services.web]\nplugin = "
    "\"generic_container\"\nimage = \"clnrm-base:latest\"\nenv = { MODE = "
    "\"test\" }\nports = [8080]\nhealth_check = { cmd = [\"sh\", \"-c\", "
    "\"test -d /tmp\"], interval = 1, timeout = 5, retries = 10 }\n\n"
    "[[steps]]\nname = \"check_env\"\ncommand = [\"sh\", \"-c\", \"echo "
    "mode=$MODE\"]\nexpected_output_regex = \"mode=test\"\nservice = "
    "\"web\"\n\n[[steps]]\nname = \"digits\"\ncommand = [\"echo\", \"Build "
    "42 OK\"]\nexpected_output_regex = \"(?i)build\\\\s+\\\\d+\\\\s+ok\"\n"
    "expected_output_regex_not = \"ERROR\"\n\n[[steps]]\nname = "
    "\"non_greedy\"\ncommand = [\"echo\", \"<a><b>\"]\n"
    "expected_output_regex = \"^<.+?>\"\n\n[assertions]\n"
    "container_should_have_executed_commands = 3\n";

static const char v1_doc[] =
    "[meta]\nname = \"v1\"\nversion = \"1.0.0\"\ndescription = \"scenarios "
    "with shell-like runs\"\n\n[vars]\ngreeting = \"hello\"\n\n"
    "[service.box]\nplugin = \"generic_container\"\nimage = "
    "\"clnrm-base:latest\"\n\n[[scenario]]\nname = \"quoted_run\"\nservice "
    "= \"box\"\nrun = \"sh -c 'echo \\\"one two\\\" | wc -w'\"\ntimeout_ms "
    "= 10000\npolicy = { security_level = \"medium\", max_memory_mb = 256 "
    "}\n\n[[scenario]]\nname = \"plain_run\"\nservice = \"box\"\nrun = "
    "\"echo v1-ok\"\n";

struct fixture {
    struct cr_buf output; /* 64 KiB of step output */
    struct clnrm_regex *match, *nomatch;
    struct clnrm_test *test; /* STEPS steps, shared by every result */
    struct clnrm_test_result results[TESTS];
    struct clnrm_totals totals;
    struct cr_buf report;
};

static void load_loop(struct bench_b *b, void *arg)
{
    const char *doc = arg;
    size_t len = strlen(doc);
    bench_set_bytes(b, (int64_t)len);
    for (uint64_t i = 0; i < b->n; i++) {
        struct clnrm_test *t = NULL;
        struct clnrm_diags diags = { 0 };
        enum clnrm_code rc = clnrm_test_parse(doc, len, "bench.clnrm.toml",
                                              NULL, &t, &diags, NULL);
        clnrm_diags_release(&diags);
        clnrm_test_free(t);
        if (rc != CLNRM_OK)
            return;
    }
}

static void regex_loop(struct bench_b *b, const struct fixture *f,
                       const struct clnrm_regex *re)
{
    bench_set_bytes(b, (int64_t)f->output.len);
    for (uint64_t i = 0; i < b->n; i++)
        bench_keep_u64((uint64_t)clnrm_regex_search_either(
            re, f->output.data, f->output.len, "", 0));
}

static void match_loop(struct bench_b *b, void *arg)
{
    struct fixture *f = arg;
    regex_loop(b, f, f->match);
}

static void nomatch_loop(struct bench_b *b, void *arg)
{
    struct fixture *f = arg;
    regex_loop(b, f, f->nomatch);
}

static void report_loop(struct bench_b *b, struct fixture *f,
                        enum clnrm_report_format fmt)
{
    for (uint64_t i = 0; i < b->n; i++) {
        cr_buf_reset(&f->report);
        if (clnrm_report_render(fmt, f->results, TESTS, &f->totals, false,
                                &f->report, NULL) != CLNRM_OK)
            return;
    }
    bench_set_bytes(b, (int64_t)f->report.len);
}

static void junit_loop(struct bench_b *b, void *arg)
{
    report_loop(b, arg, CLNRM_REPORT_JUNIT);
}

static void json_loop(struct bench_b *b, void *arg)
{
    report_loop(b, arg, CLNRM_REPORT_JSON);
}

/* A test file with STEPS steps, for the reports. */
static int steps_doc(struct cr_buf *out)
{
    int rc = cr_buf_puts(out, "[test.metadata]\nname = \"report\"\n");
    for (int i = 0; i < STEPS && !rc; i++)
        rc = cr_buf_printf(out,
                           "\n[[steps]]\nname = \"step %d <checks> & "
                           "more\"\ncommand = [\"sh\", \"-c\", \"echo %d\"]\n"
                           "expected_output_regex = \"^%d$\"\n",
                           i, i, i);
    return rc;
}

/* Results as the runner leaves them: mostly passing, some failures with
 * their message and captured output. */
static int fill_results(struct fixture *f)
{
    int rc = 0;
    for (int t = 0; t < TESTS && !rc; t++) {
        struct clnrm_test_result *r = &f->results[t];
        r->test = f->test;
        r->n_steps = f->test->n_steps;
        r->steps = cr_calloc(r->n_steps, sizeof(*r->steps));
        r->duration_ms = 1234;
        r->started_wall_ms = 1764782401000ull;
        rc = r->steps ? 0 : -1;
        for (size_t s = 0; s < r->n_steps && !rc; s++) {
            struct clnrm_step_result *sr = &r->steps[s];
            sr->step = &f->test->steps[s];
            sr->status = s % 25 == 7 ? CLNRM_STATUS_FAIL : CLNRM_STATUS_PASS;
            sr->duration_ms = 12 + s % 9;
            if (sr->status == CLNRM_STATUS_FAIL)
                snprintf(sr->message, sizeof(sr->message),
                         "expected_output_regex \"^%zu$\" did not match", s);
            rc = cr_buf_printf(&sr->out,
                               "line one of step %zu\nresult: %zu"
                               "\n",
                               s, s) |
                 cr_buf_puts(&sr->err, s % 10 ? "" : "warning: \x01 bad\n");
        }
        r->status = CLNRM_STATUS_FAIL;
    }
    clnrm_totals_count(f->results, TESTS, &f->totals);
    f->totals.duration_ms = 12340;
    return rc;
}

static int gen_output(struct cr_buf *out)
{
    int rc = 0;
    for (int i = 0; out->len < 65536 - 64 && !rc; i++)
        rc = cr_buf_printf(out, "[%06d] compiling unit %d of the project\n", i,
                           i);
    return rc ? rc : cr_buf_puts(out, "Build 42 OK\n");
}

static int setup(struct fixture *f)
{
    struct cr_buf doc;
    struct cr_error err;
    cr_buf_init(&doc);
    int rc = gen_output(&f->output) || steps_doc(&doc);
    rc = rc || clnrm_regex_compile("(?i)build\\s+\\d+\\s+ok", &f->match,
                                   &err) != CLNRM_OK;
    rc = rc || clnrm_regex_compile("(?i)error|panic|segfault", &f->nomatch,
                                   &err) != CLNRM_OK;
    rc = rc || clnrm_test_parse(doc.data, doc.len, "report.clnrm.toml", NULL,
                                &f->test, NULL, &err) != CLNRM_OK;
    rc = rc || fill_results(f);
    cr_buf_release(&doc);
    /* The measured paths must succeed, or the numbers measure errors. */
    rc = rc || clnrm_regex_search(f->match, f->output.data, f->output.len) != 1;
    rc = rc ||
         clnrm_regex_search(f->nomatch, f->output.data, f->output.len) != 0;
    return rc;
}

static void teardown(struct fixture *f)
{
    for (int t = 0; t < TESTS; t++)
        clnrm_test_result_release(&f->results[t]);
    clnrm_test_free(f->test);
    clnrm_regex_free(f->match);
    clnrm_regex_free(f->nomatch);
    cr_buf_release(&f->output);
    cr_buf_release(&f->report);
}

static bool loads(const char *doc)
{
    struct clnrm_test *t = NULL;
    bool ok = clnrm_test_parse(doc, strlen(doc), "bench.clnrm.toml", NULL, &t,
                               NULL, NULL) == CLNRM_OK;
    clnrm_test_free(t);
    return ok;
}

int bench_suite_clnrm(struct bench_ctx *ctx)
{
    struct fixture f;
    memset(&f, 0, sizeof(f));
    cr_buf_init(&f.output);
    cr_buf_init(&f.report);
    int rc = setup(&f) || !loads(legacy_doc) || !loads(v1_doc);
    if (rc) {
        fprintf(stderr, "bench clnrm: setup failed\n");
    } else {
        bench_run(ctx, "Load/legacy", load_loop, (void *)legacy_doc);
        bench_run(ctx, "Load/v1", load_loop, (void *)v1_doc);
        bench_run(ctx, "Regex/match-64KiB", match_loop, &f);
        bench_run(ctx, "Regex/nomatch-64KiB", nomatch_loop, &f);
        bench_run(ctx, "Report/junit-1000", junit_loop, &f);
        bench_run(ctx, "Report/json-1000", json_loop, &f);
    }
    teardown(&f);
    return rc;
}
