/*
 * Allocation-failure injection over clnrm: both test-file loaders (the clnrm
 * format and the Rust clnrm's legacy and v1 formats) on every sample file,
 * the four report renderers and the JUnit file writer. Every failure must
 * be CLNRM_E_NOMEM with nothing leaked and no half-written file; a failure
 * may only be absorbed (PCRE2's JIT falls back to the interpreter) when the
 * result is the same as without it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_fmt.h"
#include "clnrm_lint.h"
#include "clnrm_load.h"
#include "clnrm_saved.h"
#include "clnrm_report.h"
#include "cr_fs.h"
#include "test_alloc_fail.h"

#include <glob.h>
#include <stdio.h>
#include <unistd.h>

/* Dumping runs without the hook, so it cannot fail. */
#define OK(call) assert_int_equal((call), 0)

static void dump_strv(struct cr_buf *b, const struct cr_strv *v)
{
    for (size_t i = 0; i < v->n; i++)
        OK(cr_buf_printf(b, " <%s>", v->v[i]));
    OK(cr_buf_puts(b, "\n"));
}

static void dump_env(struct cr_buf *b, const struct clnrm_env *env)
{
    for (size_t i = 0; i < env->n; i++)
        OK(cr_buf_printf(b, " %s=%s", env->items[i].key, env->items[i].value));
    OK(cr_buf_puts(b, "\n"));
}

#define S(s) ((s) ? (s) : "(null)")

/* What a loaded test says, so an absorbed failure that lost a part of it
 * shows as a difference from the unhindered load. */
static void dump_test(struct cr_buf *b, const struct clnrm_test *t,
                      const struct clnrm_diags *d)
{
    OK(cr_buf_printf(b, "%s|%s|%s|%d|%lld|%d\n", t->path, t->name,
                     S(t->description), (int)t->format,
                     (long long)t->timeout_ms, t->implicit_service));
    dump_strv(b, &t->security.cap_add);
    for (size_t i = 0; i < t->n_services; i++) {
        const struct clnrm_service *s = &t->services[i];
        OK(cr_buf_printf(b, "service %s %s %s %zu %zu ready %d %s %d\n",
                         s->name, S(s->image), S(s->plugin), s->n_ports,
                         s->n_volumes, (int)s->ready.kind, S(s->ready.log_line),
                         s->ready.port));
        dump_strv(b, &s->command);
        dump_strv(b, &s->ready.cmd);
        dump_env(b, &s->env);
        for (size_t j = 0; j < s->n_volumes; j++)
            OK(cr_buf_printf(b, " %s:%s\n", s->volumes[j].host_path,
                             s->volumes[j].container_path));
    }
    for (size_t i = 0; i < t->n_steps; i++) {
        const struct clnrm_step *s = &t->steps[i];
        OK(cr_buf_printf(b, "step %s /%s/ !/%s/ %d %s %s %lld\n", s->name,
                         S(s->expected_output_regex),
                         S(s->expected_output_regex_not), s->expected_exit_code,
                         S(s->workdir), S(s->service),
                         (long long)s->timeout_ms));
        dump_strv(b, &s->argv);
        dump_env(b, &s->env);
    }
    for (size_t i = 0; d && i < d->n; i++)
        OK(cr_buf_printf(b, "diag %d %s\n", (int)d->items[i].level,
                         d->items[i].msg));
}

/* Fails with where got first differs from want, for long reports. */
static void same_text(const char *got, const char *want, const char *what,
                      long n)
{
    size_t i = 0;

    while (got[i] && got[i] == want[i])
        i++;
    if (got[i] != want[i])
        fail_msg("%s: allocation %ld failed and was absorbed, losing data: "
                 "at byte %zu \"%.60s\" instead of \"%.60s\"",
                 what, n, i, got + i, want + i);
}

/* Sweeps N over clnrm_test_load(path); returns how many N it took. */
static long sweep_load(const char *path)
{
    struct cr_buf want = { 0 };
    struct clnrm_diags d = { 0 };
    struct clnrm_test *t = NULL;
    struct cr_error err = { 0 };
    bool done = false;
    long n;

    if (clnrm_test_load(path, NULL, &t, &d, &err) != CLNRM_OK)
        fail_msg("%s does not load: %s", path, err.msg);
    dump_test(&want, t, &d);
    clnrm_test_free(t);
    clnrm_diags_release(&d);
    for (n = 0; !done; n++) {
        struct fail_nth f;
        enum clnrm_code rc;

        t = NULL;
        err = (struct cr_error){ 0 };
        fail_nth_set(&f, n, false);
        rc = clnrm_test_load(path, NULL, &t, &d, &err);
        fail_nth_clear();
        done = !f.failed;
        if (rc == CLNRM_OK) {
            struct cr_buf got = { 0 };
            dump_test(&got, t, &d);
            same_text(cr_buf_str(&got), cr_buf_str(&want), path, n);
            cr_buf_release(&got);
        } else if (rc != CLNRM_E_NOMEM || err.code != CLNRM_E_NOMEM) {
            fail_msg("%s: allocation %ld failed: code %d, \"%s\"", path, n, rc,
                     err.msg);
        } else {
            assert_null(t);
        }
        assert_true(rc == CLNRM_OK || !done);
        clnrm_test_free(t);
        clnrm_diags_release(&d);
    }
    cr_buf_release(&want);
    return n;
}

/* Every sample of both formats loads, and every allocation may fail. */
static void test_loaders(void **state)
{
    static const char *const patterns[] = {
        CR_SOURCE_DIR "/examples/*.clnrm.toml",
        CR_SOURCE_DIR "/tests/clnrm/rust/*.clnrm.toml",
    };
    size_t files = 0;

    (void)state;
    for (size_t p = 0; p < 2; p++) {
        glob_t g;
        assert_int_equal(glob(patterns[p], 0, NULL, &g), 0);
        for (size_t i = 0; i < g.gl_pathc; i++, files++)
            print_message("%s: %ld allocations swept\n",
                          strrchr(g.gl_pathv[i], '/') + 1,
                          sweep_load(g.gl_pathv[i]));
        globfree(&g);
    }
    assert_true(files >= 7);
}

/* A test file of every section, loaded from a buffer; the code is the
 * same whether the caller asks for the detail (err) or not. */
static void sweep_parse(bool want_detail)
{
    static const char text[] =
        "[test.metadata]\nname = \"all\"\ndescription = \"d\"\n"
        "timeout = \"30s\"\n"
        "[security]\ncap_add = [\"NET_ADMIN\"]\nmemory_mb = 64\n"
        "[services.db]\nimage = \"img\"\nenv = { A = \"1\", B = 2 }\n"
        "wait_for_log = \"ready\"\nports = [5432]\n"
        "volumes = [{ host_path = \"data\", container_path = \"/d\" }]\n"
        "[[steps]]\nname = \"s\"\ncommand = [\"echo\", \"x\"]\n"
        "expected_output_regex = \"^x$\"\nexpected_output_regex_not = \"y\"\n"
        "env = { C = \"3\" }\nworkdir = \"/tmp\"\nservice = \"db\"\n"
        "comand = 1\n";
    bool done = false;
    long n;

    for (n = 0; !done; n++) {
        struct clnrm_diags d = { 0 };
        struct clnrm_test *t = NULL;
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum clnrm_code rc;

        fail_nth_set(&f, n, false);
        rc = clnrm_test_parse(text, sizeof(text) - 1, "/tmp/all.clnrm.toml",
                              NULL, &t, &d, want_detail ? &err : NULL);
        fail_nth_clear();
        done = !f.failed;
        if (rc == CLNRM_OK) {
            if (clnrm_diags_count(&d, CLNRM_DIAG_WARN) != 1)
                fail_msg("allocation %ld: %zu diags, first \"%s\"", n, d.n,
                         d.n ? d.items[0].msg : "");
            assert_int_equal(t->n_steps, 1);
            assert_string_equal(t->services[0].volumes[0].host_path,
                                "/tmp/data");
            assert_int_equal(clnrm_diags_count(&d, CLNRM_DIAG_WARN), 1);
        } else if (rc != CLNRM_E_NOMEM) {
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        }
        clnrm_test_free(t);
        clnrm_diags_release(&d);
    }
    print_message("buffer (%s): %ld allocations swept\n",
                  want_detail ? "with detail" : "code only", n);
}

/* Issue 19: the Rust clnrm's extra keys and compose's short forms, every
 * allocation failing in turn: out of memory or the whole model, never a
 * leak or a half-filled field. */
static void test_compose_forms(void **state)
{
    static const char text[] =
        "[test.metadata]\nname = \"c\"\nhermetic = true\n"
        "[services.db]\nimage = \"img:1\"\nports = [\"9000:80\", 81]\n"
        "volumes = [\"./d:/d:ro\", { source = \"/s\", target = \"/t\" }]\n"
        "environment = [\"A=1\", \"B\"]\nworking_dir = \"/w\"\n"
        "healthcheck = { test = [\"CMD-SHELL\", \"true\"] }\n"
        "network = \"x\"\n"
        "[services.app]\nargs = [\"sleep\", \"1\"]\ndepends_on = [\"db\"]\n"
        "build = { context = \".\", args = { V = \"1\" }, target = \"t\" }\n"
        "[[steps]]\nname = \"s\"\ndescription = \"d\"\n"
        "command = [\"true\"]\nexpected_output_contains = \"x\"\n";
    bool done = false;
    long n;

    (void)state;
    for (n = 0; !done; n++) {
        struct clnrm_diags d = { 0 };
        struct clnrm_test *t = NULL;
        struct fail_nth f;
        enum clnrm_code rc;

        fail_nth_set(&f, n, false);
        rc = clnrm_test_parse(text, sizeof(text) - 1, "/tmp/c.clnrm.toml", NULL,
                              &t, &d, NULL);
        fail_nth_clear();
        done = !f.failed;
        if (rc == CLNRM_OK) {
            assert_int_equal(clnrm_diags_count(&d, CLNRM_DIAG_WARN), 0);
            assert_int_equal(t->unused_keys.n, 2);
            assert_int_equal(t->services[0].n_volumes, 2);
            assert_int_equal(t->services[0].env.n, 2);
            assert_string_equal(t->services[1].build->args.items[0].value, "1");
            assert_string_equal(t->steps[0].expected_output_regex, "\\Qx\\E");
        } else if (rc != CLNRM_E_NOMEM) {
            fail_msg("allocation %ld failed: code %d", n, rc);
        }
        clnrm_test_free(t);
        clnrm_diags_release(&d);
    }
    print_message("compose forms: %ld allocations swept\n", n);
}

/* A saved JSON result read back, rendered as Markdown, compared with
 * itself, and the lint findings of a test, every allocation failing in
 * turn. */
static void test_saved_and_lint(void **state)
{
    static const char json[] =
        "{\"version\":1,\"summary\":{\"duration_ms\":5},\"tests\":["
        "{\"name\":\"a\",\"file\":\"a.toml\",\"status\":\"failed\","
        "\"duration_ms\":1,\"message\":\"m\",\"steps\":[{\"name\":\"s\","
        "\"command\":[\"x\",\"y\"],\"status\":\"failed\",\"exit_code\":1,"
        "\"expected_exit_code\":0,\"message\":\"bad|x\",\"stdout\":\"o\","
        "\"stderr\":\"e\",\"description\":\"d\"}]}]}";
    static const char toml[] = "[test]\nname = \"l\"\n[services.w]\n"
                               "image = \"alpine\"\n[[steps]]\n"
                               "command = [\"true\"]\n";
    char path[] = "/tmp/clnrm-saved-XXXXXX";
    int fd = mkstemp(path);
    bool done = false;
    long n;

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, json, sizeof(json) - 1),
                     (ssize_t)(sizeof(json) - 1));
    close(fd);
    for (n = 0; !done; n++) {
        struct clnrm_saved sv;
        struct clnrm_findings fs = { 0 };
        struct clnrm_test *t = NULL;
        struct cr_buf out = { 0 };
        struct fail_nth f;
        enum clnrm_code rc;

        fail_nth_set(&f, n, false);
        rc = clnrm_saved_load(path, &sv, NULL);
        if (rc == CLNRM_OK) {
            (void)clnrm_saved_markdown(sv.results, sv.n, &sv.totals, &out);
            assert_int_equal(clnrm_saved_diff(&out, &sv, &sv), 0);
        }
        if (clnrm_test_parse(toml, sizeof(toml) - 1, "l.clnrm.toml", NULL, &t,
                             NULL, NULL) == CLNRM_OK &&
            clnrm_lint_test(t, &fs) == CLNRM_OK)
            (void)clnrm_lint_render(&out, CLNRM_LINT_GITHUB, &fs);
        fail_nth_clear();
        done = !f.failed;
        if (rc != CLNRM_OK && rc != CLNRM_E_NOMEM)
            fail_msg("allocation %ld: code %d", n, rc);
        if (rc == CLNRM_OK)
            clnrm_saved_release(&sv);
        clnrm_findings_release(&fs);
        clnrm_test_free(t);
        cr_buf_release(&out);
    }
    unlink(path);
    print_message("saved result and lint: %ld allocations swept\n", n);
}

/* fmt, every allocation failing in turn: out of memory, or the same
 * formatted text each time. */
static void test_fmt(void **state)
{
    static const char text[] = "# c\n[ a ]\nx=1\ny = [\n1,\n 2\n]\n\n\nz='''\n"
                               " s \n'''\n";
    static const char want[] = "# c\n[a]\nx = 1\ny = [\n    1,\n    2\n]\n\n"
                               "z = '''\n s \n'''\n";
    bool done = false;
    long n;

    (void)state;
    for (n = 0; !done; n++) {
        struct cr_buf out = { 0 };
        struct fail_nth f;
        enum clnrm_code rc;

        fail_nth_set(&f, n, false);
        rc = clnrm_fmt(text, sizeof(text) - 1, "f.toml", &out, NULL);
        fail_nth_clear();
        done = !f.failed;
        if (rc == CLNRM_OK)
            assert_string_equal(cr_buf_str(&out), want);
        else if (rc != CLNRM_E_NOMEM)
            fail_msg("allocation %ld: code %d", n, rc);
        cr_buf_release(&out);
    }
    print_message("fmt: %ld allocations swept\n", n);
}

static void test_parse_buffer(void **state)
{
    (void)state;
    sweep_parse(true);
    sweep_parse(false);
}

/* Results of every kind: a failing test with hostile output, a test that
 * could not start. */
struct fixture {
    struct clnrm_test *t;
    struct clnrm_test_result r[2];
    struct clnrm_totals tot;
};

static int setup(void **state)
{
    static const char text[] =
        "[test.metadata]\nname = \"r <&> \\\"q\\\"\"\n"
        "[[steps]]\nname = \"ok\"\ncommand = [\"true\"]\n"
        "[[steps]]\nname = \"bad\"\ncommand = [\"echo\", \"x\"]\n"
        "expected_output_regex = \"^y$\"\n"
        "[[steps]]\nname = \"skipped\"\ncommand = [\"true\"]\n"
        "[[steps]]\nname = \"slow\"\ncommand = [\"sleep\", \"9\"]\n";
    static const enum clnrm_status st[] = { CLNRM_STATUS_PASS,
                                            CLNRM_STATUS_FAIL,
                                            CLNRM_STATUS_SKIP,
                                            CLNRM_STATUS_TIMEOUT };
    struct fixture *f = calloc(1, sizeof(*f));

    if (!f || clnrm_test_parse(text, sizeof(text) - 1, "dir/r.clnrm.toml", NULL,
                               &f->t, NULL, NULL) != CLNRM_OK)
        return -1;
    for (size_t k = 0; k < 2; k++) {
        struct clnrm_test_result *r = &f->r[k];
        r->test = f->t;
        r->status = k ? CLNRM_STATUS_ERROR : CLNRM_STATUS_FAIL;
        r->code = k ? CLNRM_E_NOIMAGE : CLNRM_OK;
        r->duration_ms = 1234;
        r->started_wall_ms = 1700000000000ULL;
        r->n_steps = f->t->n_steps;
        r->steps = calloc(r->n_steps, sizeof(*r->steps));
        if (!r->steps)
            return -1;
        snprintf(r->message, sizeof(r->message), "%s",
                 k ? "image <missing>" : "step \"bad\" failed");
        for (size_t i = 0; i < r->n_steps; i++) {
            struct clnrm_step_result *s = &r->steps[i];
            s->step = &f->t->steps[i];
            s->status = k ? CLNRM_STATUS_SKIP : st[i];
            s->exit_code = s->status == CLNRM_STATUS_TIMEOUT ? -1 : 0;
            s->duration_ms = 10 * i;
            if (s->status != CLNRM_STATUS_PASS)
                snprintf(s->message, sizeof(s->message), "expected /^y$/");
            if (cr_buf_puts(&s->out, "a<b>&\"c\" \x01 \xff ]]> end\n") ||
                cr_buf_puts(&s->err, "warn\n"))
                return -1;
        }
    }
    f->tot.duration_ms = 2000;
    clnrm_totals_count(f->r, 2, &f->tot);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    for (size_t k = 0; k < 2; k++)
        clnrm_test_result_release(&f->r[k]);
    clnrm_test_free(f->t);
    free(f);
    return 0;
}

/* Each renderer either gives the whole report or CLNRM_E_NOMEM. */
static void test_renderers(void **state)
{
    static const char *const names[] = { "human", "json", "junit", "tap" };
    struct fixture *fx = *state;

    for (int fmt = 0; fmt < 4; fmt++) {
        struct cr_buf want = { 0 };
        bool done = false;
        long n;

        assert_int_equal(
            clnrm_report_render(fmt, fx->r, 2, &fx->tot, true, &want, NULL),
            CLNRM_OK);
        for (n = 0; !done; n++) {
            struct cr_buf out = { 0 };
            struct cr_error err = { 0 };
            struct fail_nth f;
            enum clnrm_code rc;

            fail_nth_set(&f, n, false);
            rc = clnrm_report_render(fmt, fx->r, 2, &fx->tot, true, &out, &err);
            fail_nth_clear();
            done = !f.failed;
            if (rc == CLNRM_OK)
                same_text(cr_buf_str(&out), cr_buf_str(&want), names[fmt], n);
            else if (rc != CLNRM_E_NOMEM || err.code != CLNRM_E_NOMEM)
                fail_msg("%s: allocation %ld failed: code %d, \"%s\"",
                         names[fmt], n, rc, err.msg);
            assert_true(rc == CLNRM_OK || !done);
            cr_buf_release(&out);
        }
        print_message("%s: %ld allocations swept\n", names[fmt], n);
        cr_buf_release(&want);
    }
}

/* The JUnit file is the whole new report, or the previous file (absent or
 * complete) with no temporary file left beside it. */
static void sweep_junit(const struct fixture *fx, const char *old)
{
    char dir[] = "/tmp/cr-alloc-junit-XXXXXX", path[64];
    struct cr_buf want = { 0 };
    bool done = false;
    long n;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/junit.xml", dir);
    assert_int_equal(clnrm_report_render(CLNRM_REPORT_JUNIT, fx->r, 2, &fx->tot,
                                         false, &want, NULL),
                     CLNRM_OK);
    for (n = 0; !done; n++) {
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum clnrm_code rc;

        if (old)
            OK(cr_fs_write_atomic(path, old, strlen(old), 0644));
        else
            unlink(path);
        fail_nth_set(&f, n, false);
        rc = clnrm_report_write_junit(path, fx->r, 2, &fx->tot, &err);
        fail_nth_clear();
        done = !f.failed;
        if (rc != CLNRM_OK &&
            (rc != CLNRM_E_NOMEM || err.code != CLNRM_E_NOMEM))
            fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc, err.msg);
        /* The new content, or the old one (or none) after a failure. */
        assert_true(
            fail_nth_file_is(path, rc == CLNRM_OK ? cr_buf_str(&want) : old));
        assert_true(rc == CLNRM_OK || !done);
        assert_int_equal(fail_nth_strays(dir, "junit.xml"), 0);
    }
    print_message("junit file (%s): %ld allocations swept\n",
                  old ? "replacing one" : "new", n);
    unlink(path);
    rmdir(dir);
    cr_buf_release(&want);
}

static void test_junit_file(void **state)
{
    sweep_junit(*state, NULL);
    sweep_junit(*state, "<testsuites>previous, complete</testsuites>\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loaders),
        cmocka_unit_test(test_parse_buffer),
        cmocka_unit_test(test_compose_forms),
        cmocka_unit_test(test_saved_and_lint),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test_setup_teardown(test_renderers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_junit_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
