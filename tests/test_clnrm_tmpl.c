/*
 * The loader's side of templates: a templated buffer is rendered before
 * parsing, --var reaches it, and what the TOML parser or the loader says
 * about the rendered text names the template's line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_load.h"
#include "cr_alloc.h"

#include <string.h>

static enum clnrm_code parse(const char *src, const struct clnrm_load_opts *o,
                             struct clnrm_test **t, struct clnrm_diags *d,
                             struct cr_error *e)
{
    return clnrm_test_parse(src, strlen(src), "t.clnrm.toml", o, t, d, e);
}

static void test_rendered_steps(void **state)
{
    const char *src = "[vars]\nn = \"x\"\n"
                      "{% for i in range(end=3) %}\n[[steps]]\n"
                      "name = \"s{{ i }}\"\ncommand = [\"echo\", \"{{ n }}\"]\n"
                      "{% endfor %}\n";
    const char *vars[] = { "n=from-cli" };
    struct clnrm_load_opts o = { .vars = vars, .n_vars = 1 };
    struct clnrm_test *t;
    struct cr_error e = { 0 };

    (void)state;
    assert_int_equal(parse(src, &o, &t, NULL, &e), CLNRM_OK);
    assert_int_equal(t->n_steps, 3);
    assert_string_equal(t->steps[2].name, "s2");
    assert_string_equal(t->steps[0].argv.v[1], "from-cli");
    clnrm_test_free(t);
}

static void test_template_error(void **state)
{
    struct clnrm_test *t;
    struct cr_error e = { 0 };

    (void)state;
    assert_int_equal(
        parse("[[steps]]\ncommand = [\"{{ nope }}\"]\n", NULL, &t, NULL, &e),
        CLNRM_E_INPUT);
    assert_null(t);
    assert_non_null(strstr(e.msg, "t.clnrm.toml:2:16: \"nope\" is not "
                                  "defined"));
    assert_int_equal(e.pos.line, 2);
}

static void test_toml_error_mapped(void **state)
{
    /* The loop renders 8 lines; the bad line is template line 5. */
    const char *src = "{% for i in [1, 2] %}\n[[steps]]\ncommand = [\"a\"]\n"
                      "{% endfor %}\nbad = = 1\n";
    struct clnrm_test *t;
    struct cr_error e = { 0 };

    (void)state;
    assert_int_equal(parse(src, NULL, &t, NULL, &e), CLNRM_E_INPUT);
    assert_non_null(strstr(e.msg, "t.clnrm.toml:5:7:"));
    assert_int_equal(e.pos.line, 5);
    assert_int_equal(e.pos.col, 7);
}

static void test_loader_messages_mapped(void **state)
{
    const char *src = "{% if true %}\n{% endif %}\n[[steps]]\n"
                      "command = [\"a\"]\nexpected_exit_kode = 1\n"
                      "{% for i in [1] %}\ntimeout = \"{{ 'x' }}\"\n"
                      "{% endfor %}\n";
    struct clnrm_test *t;
    struct clnrm_diags d = { 0 };
    struct cr_error e = { 0 };

    (void)state;
    assert_int_equal(parse(src, NULL, &t, &d, &e), CLNRM_E_INPUT);
    /* A type error of the loader, at the template's line 7. */
    assert_non_null(strstr(e.msg, "t.clnrm.toml:7:"));
    clnrm_diags_release(&d);
    /* And a warning, at line 5. */
    src = "{% if true %}\n{% endif %}\n[[steps]]\n"
          "command = [\"a\"]\nexpected_exit_kode = 1\n";
    assert_int_equal(parse(src, NULL, &t, &d, &e), CLNRM_OK);
    assert_true(d.n >= 1);
    assert_non_null(strstr(d.items[0].msg, "t.clnrm.toml:5:1:"));
    clnrm_diags_release(&d);
    clnrm_test_free(t);
}

static void test_plain_files_untouched(void **state)
{
    struct clnrm_test *t;
    struct cr_error e = { 0 };

    (void)state;
    /* Braces that are not tags leave a file plain TOML. */
    assert_int_equal(parse("[[steps]]\ncommand = [\"echo\", \"{ } {x}\"]\n",
                           NULL, &t, NULL, &e),
                     CLNRM_OK);
    assert_string_equal(t->steps[0].argv.v[1], "{ } {x}");
    clnrm_test_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rendered_steps),
        cmocka_unit_test(test_template_error),
        cmocka_unit_test(test_toml_error_mapped),
        cmocka_unit_test(test_loader_messages_mapped),
        cmocka_unit_test(test_plain_files_untouched),
    };
    cr_alloc_set(NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
