/* Unit tests: JUnit, JSON and TAP rendering from synthetic results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_load.h"
#include "clnrm_progress.h"
#include "clnrm_report.h"
#include "clnrm_report_excerpt.h"
#include "cr_fs.h"
#include "cr_text.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char text[] =
    "[test.metadata]\nname = \"web <&> \\\"quoted\\\"\"\n"
    "[[steps]]\nname = \"ok\"\ncommand = [\"true\"]\n"
    "[[steps]]\nname = \"bad\"\ncommand = [\"echo\", \"x\"]\n"
    "expected_output_regex = \"^y$\"\n"
    "[[steps]]\nname = \"later\"\ncommand = [\"true\"]\n"
    "[[steps]]\nname = \"slow\"\ncommand = [\"sleep\", \"9\"]\n";

struct fixture {
    struct clnrm_test *t;
    struct clnrm_test_result r[2];
    struct clnrm_totals tot;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct clnrm_test_result *r = f->r;

    if (clnrm_test_parse(text, strlen(text), "dir/web.clnrm.toml", NULL, &f->t,
                         NULL, NULL) != CLNRM_OK)
        return -1;
    /* Test 0: pass, fail (hostile output), skip, timeout. */
    r[0].test = f->t;
    r[0].status = CLNRM_STATUS_FAIL;
    r[0].duration_ms = 1234;
    r[0].steps = calloc(4, sizeof(*r[0].steps));
    r[0].n_steps = 4;
    for (size_t i = 0; i < 4; i++)
        r[0].steps[i].step = &f->t->steps[i];
    r[0].steps[0].duration_ms = 5;
    r[0].steps[1].status = CLNRM_STATUS_FAIL;
    r[0].steps[1].exit_code = 0;
    r[0].steps[1].duration_ms = 123;
    snprintf(r[0].steps[1].message, sizeof(r[0].steps[1].message),
             "expected output matching /^y$/");
    if (cr_buf_puts(&r[0].steps[1].out, "a<b>&\"c\" \x01 \xff end\n]]>") ||
        cr_buf_puts(&r[0].steps[1].err, "warn\n"))
        return -1;
    r[0].steps[2].status = CLNRM_STATUS_SKIP;
    snprintf(r[0].steps[2].message, sizeof(r[0].steps[2].message), "not run");
    r[0].steps[3].status = CLNRM_STATUS_TIMEOUT;
    r[0].steps[3].exit_code = -1;
    /* Test 1: could not start (image missing): steps all skipped. */
    r[1].test = f->t;
    r[1].status = CLNRM_STATUS_ERROR;
    r[1].code = CLNRM_E_NOIMAGE;
    snprintf(r[1].message, sizeof(r[1].message), "image <missing>");
    r[1].steps = calloc(4, sizeof(*r[1].steps));
    r[1].n_steps = 4;
    for (size_t i = 0; i < 4; i++) {
        r[1].steps[i].step = &f->t->steps[i];
        r[1].steps[i].status = CLNRM_STATUS_SKIP;
    }
    f->tot.duration_ms = 2000;
    clnrm_totals_count(f->r, 2, &f->tot);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    clnrm_test_result_release(&f->r[0]);
    clnrm_test_result_release(&f->r[1]);
    clnrm_test_free(f->t);
    free(f);
    return 0;
}

static char *render(struct fixture *f, enum clnrm_report_format fmt)
{
    struct cr_buf out = { 0 };

    assert_int_equal(
        clnrm_report_render(fmt, f->r, 2, &f->tot, false, &out, NULL),
        CLNRM_OK);
    return cr_buf_detach(&out);
}

static void test_junit(void **state)
{
    struct fixture *f = *state;
    char *xml = render(f, CLNRM_REPORT_JUNIT);
    char path[] = "/tmp/clnrm-junit-XXXXXX";
    char cmd[256];
    int fd = mkstemp(path);

    /* 4 step testcases + 1 setup testcase; 2 failures, 1 error, 1 skip. */
    assert_non_null(strstr(xml, "<testsuites name=\"clnrm\" tests=\"5\" "
                                "failures=\"2\" errors=\"1\" skipped=\"1\" "
                                "time=\"2.000\">"));
    assert_non_null(strstr(xml, "name=\"web &lt;&amp;&gt; &quot;quoted&quot;"
                                "\""));
    assert_non_null(strstr(xml, "time=\"0.123\""));
    assert_non_null(strstr(xml, "time=\"1.234\""));
    assert_non_null(strstr(xml, "<failure message=\"expected output matching "
                                "/^y$/\" type=\"failed\">"));
    assert_non_null(strstr(xml, "type=\"timeout\""));
    assert_non_null(strstr(xml, "<testcase name=\"setup\""));
    assert_non_null(strstr(xml, "<error message=\"image &lt;missing&gt;\""));
    assert_non_null(strstr(xml, "<system-out>a&lt;b&gt;&amp;&quot;c&quot; "
                                "\xEF\xBF\xBD \xEF\xBF\xBD end\n]]&gt;"
                                "</system-out>"));
    assert_non_null(strstr(xml, "<system-err>warn\n</system-err>"));
    assert_non_null(strstr(xml, "expected exit code: 0"));
    /* Well-formed according to a real XML parser. */
    assert_true(fd >= 0);
    assert_int_equal(write(fd, xml, strlen(xml)), (ssize_t)strlen(xml));
    close(fd);
    snprintf(cmd, sizeof(cmd),
             "python3 -c 'import xml.dom.minidom,sys; "
             "d=xml.dom.minidom.parse(sys.argv[1]); "
             "assert len(d.getElementsByTagName(\"testcase\"))==5' %s",
             path);
    assert_int_equal(system(cmd), 0);
    unlink(path);
    free(xml);
}

static void test_json(void **state)
{
    struct fixture *f = *state;
    char *text_out = render(f, CLNRM_REPORT_JSON);
    cJSON *root = cJSON_Parse(text_out);
    cJSON *sum = cJSON_GetObjectItem(root, "summary");
    cJSON *tests = cJSON_GetObjectItem(root, "tests");
    cJSON *step1;

    assert_non_null(root);
    assert_int_equal(cJSON_GetObjectItem(sum, "tests")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(sum, "failed")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(sum, "errors")->valueint, 1);
    assert_int_equal(cJSON_GetArraySize(tests), 2);
    step1 = cJSON_GetArrayItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(tests, 0), "steps"), 1);
    assert_string_equal(cJSON_GetObjectItem(step1, "status")->valuestring,
                        "failed");
    assert_non_null(strstr(cJSON_GetObjectItem(step1, "stdout")->valuestring,
                           "\xEF\xBF\xBD"));
    assert_string_equal(
        cJSON_GetArrayItem(cJSON_GetObjectItem(step1, "command"), 1)
            ->valuestring,
        "x");
    cJSON_Delete(root);
    free(text_out);
}

static void test_tap(void **state)
{
    struct fixture *f = *state;
    char *tap = render(f, CLNRM_REPORT_TAP);

    assert_true(strncmp(tap, "TAP version 13\n1..2\n", 20) == 0);
    assert_non_null(strstr(tap, "\nnot ok 1 - web <&> \"quoted\"\n  ---\n"));
    assert_non_null(strstr(tap, "\nnot ok 2 - "));
    assert_non_null(strstr(tap, "  status: error\n"));
    assert_non_null(strstr(tap, "  ...\n"));
    free(tap);
}

static void test_human(void **state)
{
    struct fixture *f = *state;
    char *h = render(f, CLNRM_REPORT_HUMAN);

    assert_non_null(strstr(h, "FAILED web"));
    assert_non_null(strstr(h, "step \"bad\" failed (0.123 s)"));
    assert_non_null(strstr(h, "expected: exit code 0, output /^y$/"));
    assert_non_null(strstr(h, "| warn"));
    assert_non_null(strstr(h, "ERROR web"));
    assert_non_null(strstr(h, "2 tests: 0 passed, 1 failed, 0 timed out, 1 "
                              "errors, 0 skipped"));
    assert_null(strstr(h, "\033["));
    free(h);
}

static void test_escape_and_excerpt(void **state)
{
    struct cr_buf b = { 0 };

    assert_int_equal(cr_xml_escape(&b, "\xed\xa0\x80 \xc0\xaf \t\x1b", 9), 0);
    assert_string_equal(cr_buf_str(&b), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
                                        " \xEF\xBF\xBD\xEF\xBF\xBD &#9;"
                                        "\xEF\xBF\xBD");
    cr_buf_reset(&b);
    assert_int_equal(clnrm_report_excerpt(&b, "1\n2\n3\n4\n", 8, "> ", 2, 100),
                     0);
    assert_string_equal(cr_buf_str(&b), "> 1\n> 2\n> ... (4 more bytes)\n");
    cr_buf_release(&b);
}

static void test_exit_status(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(clnrm_totals_exit_status(f->r, 1), 1);
    assert_int_equal(clnrm_totals_exit_status(f->r, 2), 3);
    f->r[0].status = CLNRM_STATUS_PASS;
    assert_int_equal(clnrm_totals_exit_status(f->r, 1), 0);
    f->r[0].status = CLNRM_STATUS_FAIL;
}

static void test_progress_plain(void **state)
{
    struct fixture *f = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    struct clnrm_progress *p = clnrm_progress_start(mem, false, false, 2);

    assert_non_null(p);
    clnrm_progress_on_start(p, 0, f->t);
    clnrm_progress_on_done(p, 0, &f->r[0]);
    clnrm_progress_on_start(p, 1, f->t);
    f->r[1].status = CLNRM_STATUS_PASS;
    clnrm_progress_on_done(p, 1, &f->r[1]);
    f->r[1].status = CLNRM_STATUS_ERROR;
    clnrm_progress_finish(p);
    fclose(mem);
    /* Plain mode: one whole line per finished test, no escapes. */
    assert_string_equal(buf, "FAIL web <&> \"quoted\" (1.23 s): \n"
                             "PASS web <&> \"quoted\" (0.00 s)\n");
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_junit),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_tap),
        cmocka_unit_test(test_human),
        cmocka_unit_test(test_escape_and_excerpt),
        cmocka_unit_test(test_exit_status),
        cmocka_unit_test(test_progress_plain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
