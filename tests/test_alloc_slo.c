/*
 * Allocation-failure injection over slo: the slo.toml loader, the text,
 * JSON and Markdown renderers (and those of slo memory), and the report
 * and history file writers.
 * Every failure must be SLO_E_NOMEM (or -1 from a renderer) with nothing
 * leaked; a file written after a failure is absent or its previous whole
 * content, with no temporary file left beside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cr_fs.h"
#include "slo_config.h"
#include "heap_parse.h"
#include "slo_memory.h"
#include "slo_memory_report.h"
#include "slo_chart.h"
#include "slo_history.h"
#include "slo_report.h"
#include "test_alloc_fail.h"

#include <stdio.h>
#include <unistd.h>

#define OK(call) assert_int_equal((call), 0)

static const char config_text[] =
    "[defaults]\nruns = 3\nwarmup = 1\n"
    "[objectives.startup]\ndescription = \"starts\"\n"
    "command = [\"true\", \"--flag\"]\nsetup = \"echo setup\"\n"
    "metric = \"wall_ms\"\nstatistic = \"median\"\ntarget = 5\n"
    "critical = 50\n"
    "[objectives.memory]\ncommand = \"true\"\nmetric = \"max_rss_mb\"\n"
    "statistic = \"p95\"\ntarget = 10\ncritical = 20\nruns = 6\n"
    "group = \"seed\"\nprepare = [\"touch\", \"x\"]\ncleanup = \"rm x\"\n"
    "timeout = 2.5\ntap = true\n"
    "[objectives.start]\nprobe = \"container\"\nimage = \"img:1\"\n"
    "command = [\"true\"]\nmetric = \"start_ms\"\ntarget = 1\n"
    "critical = 2\n";

/* Everything a loaded config says, for comparing loads. */
static void dump_config(struct cr_buf *b, const struct slo_config *c)
{
    OK(cr_buf_printf(b, "%s %zu\n", c->dir, c->n));
    for (size_t i = 0; i < c->n; i++) {
        const struct slo_objective *o = &c->obj[i];
        OK(cr_buf_printf(b, "%s|%s|%s|%s|%g|%g|%d|%d|", o->name,
                         o->description ? o->description : "-",
                         slo_metric_name(o->metric), slo_stat_name(o->stat),
                         o->target, o->critical, o->runs, o->warmup));
        for (char **a = o->argv; a && *a; a++)
            OK(cr_buf_printf(b, "<%s>", *a));
        for (char **a = o->setup; a && *a; a++)
            OK(cr_buf_printf(b, "[%s]", *a));
        for (char **a = o->prepare; a && *a; a++)
            OK(cr_buf_printf(b, "p%s", *a));
        for (char **a = o->cleanup; a && *a; a++)
            OK(cr_buf_printf(b, "c%s", *a));
        OK(cr_buf_printf(b, "|%s|%s|%d|%d|%g", o->group, o->image, o->probe,
                         o->tap, o->timeout_s));
        OK(cr_buf_puts(b, "\n"));
    }
}

static void test_config(void **state)
{
    char dir[] = "/tmp/cr-alloc-slo-XXXXXX", path[64];
    struct slo_config *cfg = NULL;
    struct cr_buf want = { 0 };
    bool done = false;
    long n;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/slo.toml", dir);
    OK(cr_fs_write_atomic(path, config_text, sizeof(config_text) - 1, 0600));
    assert_int_equal(slo_config_load(path, &cfg, NULL), SLO_OK);
    dump_config(&want, cfg);
    slo_config_free(cfg);
    for (n = 0; !done; n++) {
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum slo_code rc;

        cfg = NULL;
        fail_nth_set(&f, n, false);
        rc = slo_config_load(path, &cfg, &err);
        fail_nth_clear();
        done = !f.failed;
        if (done) {
            struct cr_buf got = { 0 };
            assert_int_equal(rc, SLO_OK);
            dump_config(&got, cfg);
            assert_string_equal(cr_buf_str(&got), cr_buf_str(&want));
            cr_buf_release(&got);
        } else if (rc != SLO_E_NOMEM || err.code != SLO_E_NOMEM) {
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        } else {
            assert_null(cfg);
        }
        slo_config_free(cfg);
    }
    print_message("slo.toml: %ld allocations swept\n", n);
    cr_buf_release(&want);
    unlink(path);
    rmdir(dir);
}

/* Two judged results: one passing, one that could not run. */
struct fixture {
    struct slo_config *cfg;
    struct slo_result r[2];
    char dir[32];
};

static int setup(void **state)
{
    static const double wall[] = { 3.0, 4.5, 4.0, 3.5, 5.0, 4.2 };
    struct fixture *fx = calloc(1, sizeof(*fx));
    char path[64];

    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/cr-alloc-slo-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    snprintf(path, sizeof(path), "%s/slo.toml", fx->dir);
    if (cr_fs_write_atomic(path, config_text, sizeof(config_text) - 1, 0600) ||
        slo_config_load(path, &fx->cfg, NULL) != SLO_OK)
        return -1;
    unlink(path);
    for (size_t k = 0; k < 2; k++) {
        struct slo_result *r = &fx->r[k];
        r->obj = &fx->cfg->obj[k];
        r->n = 6;
        r->samples = calloc(r->n, sizeof(*r->samples));
        if (!r->samples)
            return -1;
        for (size_t i = 0; i < r->n; i++) {
            r->samples[i].wall_ms = wall[i];
            r->samples[i].user_ms = wall[i] / 2;
            r->samples[i].rss_mb = 4 + (double)i;
            r->samples[i].exit_code = k ? 1 : 0;
        }
        r->value = 4.1;
        r->verdict = k ? SLO_ERROR : SLO_PASS;
        snprintf(r->note, sizeof(r->note), "%s",
                 k ? "exited with status 1" : "");
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *fx = *state;

    for (size_t k = 0; k < 2; k++)
        free(fx->r[k].samples);
    slo_config_free(fx->cfg);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

enum which { TEXT, JSON, MARKDOWN, CHART };

static int render(enum which w, struct cr_buf *b, const struct fixture *fx)
{
    /* An earlier check of the first objective, for the change columns and
     * the trend line. */
    static struct slo_past past = { .value = 3.9, .lo = 3.5, .hi = 4.2 };
    struct slo_check prev = { .timestamp_ms = 1, .obj = &past, .n = 1 };
    struct slo_history h = { .checks = &prev, .n = 1 };

    past.name = fx->r[0].obj->name;
    switch (w) {
    case TEXT:
        return slo_report_text(b, fx->r, 2, &prev, 1);
    case JSON:
        return slo_report_json(b, fx->r, 2, &prev, 1700000000000ULL);
    case CHART:
        return slo_chart_svg(b, fx->r, 2, &h, 10);
    default:
        return slo_report_markdown(b, fx->r, 2, &prev);
    }
}

/* Each renderer gives the whole report or -1, never a shorter one. */
static void test_renderers(void **state)
{
    static const char *const names[] = { "text", "json", "markdown", "chart" };
    struct fixture *fx = *state;

    for (int w = TEXT; w <= CHART; w++) {
        struct cr_buf want = { 0 };
        bool done = false;
        long n;

        OK(render(w, &want, fx));
        for (n = 0; !done; n++) {
            struct cr_buf out = { 0 };
            struct fail_nth f;
            int rc;

            fail_nth_set(&f, n, false);
            rc = render(w, &out, fx);
            fail_nth_clear();
            done = !f.failed;
            if (rc == 0 && strcmp(cr_buf_str(&out), cr_buf_str(&want)) != 0)
                fail_msg("%s: allocation %ld failed and was absorbed:\n%s",
                         names[w], n, cr_buf_str(&out));
            assert_true(rc == 0 || rc == -1);
            assert_true(rc == 0 || !done);
            cr_buf_release(&out);
        }
        print_message("%s: %ld allocations swept\n", names[w], n);
        cr_buf_release(&want);
    }
}

/* Sweeps one file writer; old is the file's content before each call
 * (NULL: absent), want its content after a successful one. */
static void sweep_file(const struct fixture *fx, bool history, const char *old,
                       const char *want)
{
    struct cr_buf line = { 0 };
    char path[64];
    bool done = false;
    long n;

    snprintf(path, sizeof(path), "%s/report", fx->dir);
    OK(cr_buf_puts(&line, "{\"new\":1}\n"));
    for (n = 0; !done; n++) {
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum slo_code rc;

        if (old)
            OK(cr_fs_write_atomic(path, old, strlen(old), 0644));
        else
            unlink(path);
        fail_nth_set(&f, n, false);
        rc = history ? slo_report_append_history(path, &line, &err)
                     : slo_report_write(path, &line, &err);
        fail_nth_clear();
        done = !f.failed;
        if (rc != SLO_OK && (rc != SLO_E_NOMEM || err.code != SLO_E_NOMEM))
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        /* The new content, or the old one (or none) after a failure. */
        assert_true(fail_nth_file_is(path, rc == SLO_OK ? want : old));
        assert_true(rc == SLO_OK || !done);
        assert_int_equal(fail_nth_strays(fx->dir, "report"), 0);
    }
    print_message("%s (%s): %ld allocations swept\n",
                  history ? "history" : "report", old ? "existing" : "new", n);
    unlink(path);
    cr_buf_release(&line);
}

/* A heaptrack reading with one site per ranking, as heap_parse gives it. */
static const char heap_text[] =
    "MOST CALLS TO ALLOCATION FUNCTIONS\n"
    "5 calls to allocation functions with 5.00K peak consumption from\n"
    "main\n  at leak.c:3\n  in /tmp/leak\n\n"
    "PEAK MEMORY CONSUMERS\n"
    "72.70K peak memory consumed over 1 calls from\n"
    "0x7f00\n  in /lib/libstdc++.so.6\n\n"
    "MEMORY LEAKS\n5.00K leaked over 5 calls from\nmain\n  at leak.c:3\n\n"
    "total runtime: 0.01s.\ncalls to allocation functions: 6 (600/s)\n"
    "temporary memory allocations: 0 (0/s)\n"
    "peak heap memory consumption: 77.70K\n"
    "peak RSS (including heaptrack overhead): 3.88M\n"
    "total memory leaked: 5.00K\nsuppressed leaks: 1.00K\n";

/* slo memory's text and JSON reports: the whole report or -1. */
static void test_memory_renderers(void **state)
{
    struct fixture *fx = *state;
    static char *const argv[] = { "leak", "--flag", NULL };
    static char out_dir[] = "/tmp/out";
    struct slo_memory m = {
        .res = fx->r, .n = 2, .argv = argv, .out_dir = out_dir
    };

    heap_result_init(&m.heap);
    assert_int_equal(
        heap_parse(heap_text, sizeof(heap_text) - 1, &m.heap, NULL), HEAP_OK);
    snprintf(m.svg_note, sizeof(m.svg_note), "skipped: none");
    for (int json = 0; json <= 1; json++) {
        struct cr_buf want = { 0 };
        bool done = false;
        long n;

        OK(json ? slo_memory_report_json(&want, &m, 1700000000000ULL)
                : slo_memory_report_text(&want, &m));
        for (n = 0; !done; n++) {
            struct cr_buf out = { 0 };
            struct fail_nth f;
            int rc;

            fail_nth_set(&f, n, false);
            rc = json ? slo_memory_report_json(&out, &m, 1700000000000ULL)
                      : slo_memory_report_text(&out, &m);
            fail_nth_clear();
            done = !f.failed;
            if (rc == 0 && strcmp(cr_buf_str(&out), cr_buf_str(&want)) != 0)
                fail_msg("memory %s: allocation %ld failed and was "
                         "absorbed:\n%s",
                         json ? "json" : "text", n, cr_buf_str(&out));
            assert_true(rc == 0 || rc == -1);
            assert_true(rc == 0 || !done);
            cr_buf_release(&out);
        }
        print_message("memory %s: %ld allocations swept\n",
                      json ? "json" : "text", n);
        cr_buf_release(&want);
    }
    heap_result_release(&m.heap);
}

static void test_files(void **state)
{
    struct fixture *fx = *state;
    /* Longer than cr_fs_read's first buffer, so reading it reallocates. */
    char old[6000];

    memset(old, 'x', sizeof(old) - 2);
    old[sizeof(old) - 2] = '\n';
    old[sizeof(old) - 1] = '\0';
    sweep_file(fx, false, NULL, "{\"new\":1}\n");
    sweep_file(fx, false, "old\n", "{\"new\":1}\n");
    sweep_file(fx, true, NULL, "{\"new\":1}\n");
    {
        char want[sizeof(old) + 16];
        snprintf(want, sizeof(want), "%s{\"new\":1}\n", old);
        sweep_file(fx, true, old, want);
    }
}

/* Reading the history back: SLO_E_NOMEM with nothing kept, or the whole
 * history. */
static void test_history(void **state)
{
    static const char text[] =
        "{\"timestamp_ms\":1,\"results\":[{\"name\":\"a\",\"value\":2,"
        "\"verdict\":\"PASS\"},{\"name\":\"b\",\"metric_value\":3}]}\n"
        "{\"timestamp_ms\":2,\"results\":[{\"name\":\"a\",\"metric_value\":"
        "5,\"unit\":\"ms\",\"metric_interval_low\":4}]}\n";
    char dir[] = "/tmp/cr-alloc-hist-XXXXXX", path[64];
    bool done = false;
    long n;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/h.jsonl", dir);
    OK(cr_fs_write_atomic(path, text, sizeof(text) - 1, 0600));
    for (n = 0; !done; n++) {
        struct slo_history h;
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum slo_code rc;

        fail_nth_set(&f, n, false);
        rc = slo_history_load(path, &h, &err);
        fail_nth_clear();
        done = !f.failed;
        if (rc == SLO_OK) {
            assert_int_equal(h.n, 2);
            assert_int_equal(h.checks[0].n, 2);
            assert_string_equal(h.checks[1].obj[0].unit, "ms");
            assert_float_equal(h.checks[1].obj[0].lo, 4, 0);
        } else if (rc != SLO_E_NOMEM) {
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        } else {
            assert_int_equal(h.n, 0);
        }
        slo_history_release(&h);
    }
    print_message("history: %ld allocations swept\n", n);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_history),
        cmocka_unit_test_setup_teardown(test_renderers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory_renderers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
