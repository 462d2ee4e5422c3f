/*
 * Unit tests of the tmpl library: for each supported construct, the
 * behaviour Tera documents (https://keats.github.io/tera/docs/), for each
 * refused one a clear error, positions of errors, the source map, the
 * context's precedence, and determinism.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cr_alloc.h"
#include "cr_fs.h"
#include "test_alloc_fail.h"
#include "tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A fixed environment: only these variables exist. */
static const char *fake_env(void *ud, const char *name)
{
    (void)ud;
    if (strcmp(name, "HOME_DIR") == 0)
        return "/home/t";
    if (strcmp(name, "SERVICE_NAME") == 0)
        return "from-env";
    return NULL;
}

static const struct tmpl_opts base_opts = {
    .getenv = fake_env, .now_ms = 1760702400000, /* 2025-10-17T12:00:00Z */
};

/* Renders src; returns the text (caller frees) or NULL with err set. */
static char *render_opts(const char *src, const struct tmpl_opts *o,
                         struct cr_error *err)
{
    struct tmpl_output out;
    char *s;

    if (tmpl_render(src, strlen(src), "t.toml", o, &out, err) != TMPL_OK)
        return NULL;
    s = cr_strdup(out.text);
    tmpl_output_release(&out);
    return s;
}

static char *render(const char *src, struct cr_error *err)
{
    return render_opts(src, &base_opts, err);
}

#define assert_renders(src, want)                                              \
    do {                                                                       \
        struct cr_error e_ = { 0 };                                            \
        char *got_ = render(src, &e_);                                         \
        if (got_ == NULL)                                                      \
            fail_msg("render failed: %s", e_.msg);                             \
        assert_string_equal(got_, want);                                       \
        cr_free(got_);                                                         \
    } while (0)

/* Rendering fails with code and a message containing want. */
#define assert_fails(src, want_code, want)                                     \
    do {                                                                       \
        struct cr_error e_ = { 0 };                                            \
        char *got_ = render(src, &e_);                                         \
        if (got_ != NULL)                                                      \
            fail_msg("rendered \"%s\", expected an error", got_);              \
        assert_int_equal(e_.code, want_code);                                  \
        if (strstr(e_.msg, want) == NULL)                                      \
            fail_msg("message \"%s\" lacks \"%s\"", e_.msg, want);             \
    } while (0)

static void test_wanted(void **state)
{
    (void)state;
    assert_true(tmpl_wanted("a {{ b }}", 9));
    assert_true(tmpl_wanted("{% if %}", 8));
    assert_true(tmpl_wanted("{# c #}", 7));
    assert_false(tmpl_wanted("a = { b = 1 }", 13));
    assert_false(tmpl_wanted("x = \"{\"", 7));
}

static void test_text_and_variables(void **state)
{
    (void)state;
    assert_renders("plain\n", "plain\n");
    assert_renders("[vars]\nname = \"db\"\nx = \"{{ vars.name }}\"\n",
                   "[vars]\nname = \"db\"\nx = \"db\"\n");
    /* Each var is a top-level name too. */
    assert_renders("[vars]\nn = 3\n{{ n }}", "[vars]\nn = 3\n3");
    /* Attribute and index access. */
    assert_renders("[template.matrix]\nxs = [1, 2]\n{{ matrix.xs.1 }} "
                   "{{ matrix.xs[0] }}",
                   "[template.matrix]\nxs = [1, 2]\n2 1");
}

static void test_literals_and_math(void **state)
{
    (void)state;
    assert_renders("{{ 1 + 2 * 3 }}", "7");
    assert_renders("{{ (1 + 2) * 3 }}", "9");
    assert_renders("{{ 7 / 2 }}", "3.5"); /* Tera divides as floats */
    assert_renders("{{ 4 / 2 }}", "2.0");
    assert_renders("{{ 7 % 3 }}", "1");
    assert_renders("{{ -3 + 1 }}", "-2");
    assert_renders("{{ 'a' ~ 1 ~ \"b\" }}", "a1b");
    assert_renders("{{ `x` }}", "x");
    assert_renders("{{ true }} {{ False }}", "true false");
    assert_renders("{{ [1, 'a'] }}", "[1, a]");
    assert_renders("{{ 1 == 1.0 }} {{ 2 > 1 and not false }}", "true true");
    assert_renders("{{ 'b' in ['a', 'b'] }} {{ 'z' not in 'abc' }}",
                   "true true");
    assert_fails("{{ 'a' + 1 }}", TMPL_E_TYPE, "use ~");
    assert_fails("{{ 1 / 0 }}", TMPL_E_EVAL, "division by zero");
}

static void test_filters(void **state)
{
    (void)state;
    assert_renders("{{ 'Hi' | upper }} {{ 'Hi' | lower }}", "HI hi");
    assert_renders("{{ '  x ' | trim }}|", "x|");
    assert_renders("{{ 'a-b-c' | replace(from='-', to='+') }}", "a+b+c");
    assert_renders("{{ [1,2,3] | length }} {{ 'abcd' | length }}", "3 4");
    assert_renders("{{ ['a','b'] | join(sep=', ') }}", "a, b");
    assert_renders("{{ nope | default(value='d') }}", "d");
    /* default only replaces undefined values, not empty ones. */
    assert_renders("{% set e = '' %}[{{ e | default(value='d') }}]", "[]");
    assert_renders("{{ ['a', 1, true] | json_encode() }}", "[\"a\",1,true]");
    assert_renders("{{ 'q\"x' | json_encode }}", "\"q\\\"x\"");
    assert_renders("[vars]\nt = 'x'\n{{ [vars.t, 2] | toml_encode }}",
                   "[vars]\nt = 'x'\n[\"x\", 2]");
    assert_renders("{{ 'a,b' | split(pat=',') | last }}", "b");
    assert_renders("{{ '42' | int + 1 }}", "43");
    assert_renders("{{ 'hello world' | title }}", "Hello World");
    assert_fails("{{ 'a' | replace('a', 'b') }}", TMPL_E_EVAL,
                 "named arguments");
    assert_fails("{{ 'a' | frobnicate }}", TMPL_E_UNSUPPORTED,
                 "unknown or unsupported filter \"frobnicate\"");
}

static void test_if(void **state)
{
    (void)state;
    assert_renders("{% if 1 > 2 %}a{% elif 2 > 1 %}b{% else %}c{% endif %}",
                   "b");
    assert_renders("{% if false %}a{% else %}c{% endif %}", "c");
    /* An undefined variable is falsy in a condition. */
    assert_renders("{% if missing %}a{% else %}b{% endif %}", "b");
    assert_renders("{% if missing is defined %}a{% else %}b{% endif %}", "b");
    assert_renders("{% if 3 is odd %}odd{% endif %}", "odd");
    assert_renders("{% if 'abc' is starting_with('ab') %}y{% endif %}", "y");
    assert_fails("{% if true %}a", TMPL_E_SYNTAX, "expected {% endif %}");
    assert_fails("{% endif %}", TMPL_E_SYNTAX, "without a matching");
}

static void test_for(void **state)
{
    (void)state;
    assert_renders("{% for x in [10, 20] %}{{ loop.index }}:{{ x }} "
                   "{% endfor %}",
                   "1:10 2:20 ");
    assert_renders("{% for x in [1,2,3] %}{% if loop.first %}F{% endif %}"
                   "{{ loop.index0 }}{% if loop.last %}L{% endif %}"
                   "{% endfor %}",
                   "F012L");
    assert_renders("[vars]\n[vars.m]\na = 1\n{% for k, v in vars.m %}{{ k }}="
                   "{{ v }}{% endfor %}",
                   "[vars]\n[vars.m]\na = 1\na=1");
    assert_renders("{% for i in range(end=5) %}{% if i == 3 %}{% break %}"
                   "{% endif %}{% if i == 1 %}{% continue %}{% endif %}"
                   "{{ i }}{% endfor %}",
                   "02");
    /* set inside a loop stays in the loop. */
    assert_renders("{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}"
                   "{% endfor %}{{ x }}",
                   "1");
    assert_renders("{% for i in [1] %}{% set_global x = 2 %}{% endfor %}"
                   "{{ x }}",
                   "2");
    assert_fails("{% for x in 3 %}{% endfor %}", TMPL_E_TYPE,
                 "cannot loop over a int");
    /* {% else %} renders when there is nothing to loop over. */
    assert_renders("{% for x in [] %}a{% else %}empty{% endfor %}", "empty");
    assert_renders("{% for x in [1] %}a{% else %}empty{% endfor %}", "a");
}

static void test_whitespace_comments_raw(void **state)
{
    (void)state;
    assert_renders("a  {{- 'b' -}}  \n c", "abc");
    assert_renders("a\n{%- if true -%}\n  b\n{%- endif %}\n", "ab\n");
    assert_renders("a{# comment #}b", "ab");
    assert_renders("a {#- c -#} b", "ab");
    assert_renders("{% raw %}{{ not evaluated }}{% endraw %}",
                   "{{ not evaluated }}");
    /* Without `-`, a tag leaves its newline, as in Tera. */
    assert_renders("{% if true %}\nx\n{% endif %}\n", "\nx\n\n");
}

static void test_functions(void **state)
{
    (void)state;
    assert_renders("{{ env(name='HOME_DIR') }}", "/home/t");
    assert_renders("{{ env(name='NOPE', default='d') }}", "d");
    assert_fails("{{ env(name='NOPE') }}", TMPL_E_EVAL, "is not set");
    assert_renders("{{ now_rfc3339() }} {{ now_unix() }}",
                   "2025-10-17T12:00:00Z 1760702400");
    assert_renders("{{ now_plus(seconds=-86400) }}", "2025-10-16T12:00:00Z");
    /* FIPS 180-4 test vector "abc". */
    assert_renders("{{ sha256(s='abc') }}",
                   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f2"
                   "0015ad");
    assert_renders("{{ sha256(input='') }}",
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b78"
                   "52b855");
    assert_fails("{{ nope() }}", TMPL_E_UNSUPPORTED, "unknown function");
    assert_fails("{{ fake_unicorn() }}", TMPL_E_UNSUPPORTED,
                 "unknown fake data function");
}

static void test_determinism(void **state)
{
    const char *src = "[determinism]\nseed = 7\n"
                      "u = \"{{ uuid_v4() }}\"\n"
                      "a = \"{{ uuid_v7() }} {{ traceparent() }}\"\n"
                      "b = \"{{ fake_name() }} {{ fake_email() }} "
                      "{{ fake_int(min=1, max=6) }} {{ fake_ipv4() }} "
                      "{{ fake_words(count=2) }}\"\n";
    struct cr_error e = { 0 };
    char *a = render(src, &e), *b = render(src, &e);
    char *c;

    (void)state;
    assert_non_null(a);
    assert_non_null(b);
    assert_string_equal(a, b);
    /* Another seed, other values. */
    c = render("[determinism]\nseed = 8\nu = \"{{ uuid_v4() }}\"\n", &e);
    assert_non_null(c);
    assert_true(strncmp(a + 28, c + 28, 36) != 0);
    /* The uuid layout: version 4 and the RFC 9562 variant. */
    assert_int_equal(a[28 + 14], '4');
    assert_non_null(strchr("89ab", a[28 + 19]));
    cr_free(a);
    cr_free(b);
    cr_free(c);
}

static void test_freeze_clock(void **state)
{
    (void)state;
    assert_renders("[determinism]\nfreeze_clock = \"2025-01-01T00:00:00Z\"\n"
                   "t = \"{{ now_rfc3339() }}\"\nu = {{ now_ms() }}",
                   "[determinism]\nfreeze_clock = \"2025-01-01T00:00:00Z\"\n"
                   "t = \"2025-01-01T00:00:00Z\"\nu = 1735689600000");
    /* A [determinism] that the template leaves out does not count. */
    assert_renders("{% if false %}\n[determinism]\nfreeze_clock = "
                   "\"2000-01-01T00:00:00Z\"\n{% endif %}{{ now_unix() }}",
                   "1760702400");
    assert_fails("[determinism]\nfreeze_clock = \"{{ 'x' }}\"\n", TMPL_E_EVAL,
                 "t.toml:2:16: freeze_clock must be");
}

static void test_precedence(void **state)
{
    const char *vars[] = { "name=cli" };
    struct tmpl_opts o = base_opts;
    struct cr_error e = { 0 };
    char *s;

    (void)state;
    /* Defaults come from the environment when set, else built in. */
    assert_renders("{{ svc }} {{ vars.env }}", "from-env ci");
    /* [vars] wins over defaults; values may use env(). */
    assert_renders(
        "[vars]\nsvc = \"file\"\nh = \"{{ env(name='HOME_DIR') }}\"\n"
        "{{ svc }} {{ vars.h }}",
        "[vars]\nsvc = \"file\"\nh = \"/home/t\"\nfile /home/t");
    /* --var wins over [vars]. */
    o.vars = vars, o.n_vars = 1;
    s = render_opts("[template.vars]\nname = \"file\"\n{{ vars.name }}", &o,
                    &e);
    assert_non_null(s);
    assert_string_equal(s, "[template.vars]\nname = \"file\"\ncli");
    cr_free(s);
}

static void test_macros_and_include(void **state)
{
    char dir[] = "/tmp/tmpl_test_XXXXXX", path[256], macros[256], inc[256];
    const char *src = "{% import \"m.tera\" as m %}{{ m::step(name='a') }}"
                      "{{ m::step(name='b', n=2) }}{% include \"i.tera\" %}";
    struct tmpl_output out;
    struct cr_error e = { 0 };
    struct tmpl_opts o = base_opts;

    (void)state;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/t.toml", dir);
    snprintf(macros, sizeof(macros), "%s/m.tera", dir);
    snprintf(inc, sizeof(inc), "%s/i.tera", dir);
    const char *m = "{% macro step(name, n=1) %}[{{ name }}{{ n }}]"
                    "{{ self::tail() }}{% endmacro step %}"
                    "{% macro tail() %}.{% endmacro %}";
    assert_int_equal(cr_fs_write_atomic(macros, m, strlen(m), 0644), 0);
    assert_int_equal(cr_fs_write_atomic(inc, "inc {{ x }}\n", 12, 0644), 0);
    assert_int_equal(tmpl_render(src, strlen(src), path, &o, &out, &e),
                     TMPL_E_UNDEFINED);
    /* The error names the included file and its position. */
    assert_non_null(strstr(e.msg, "i.tera:1:8: \"x\" is not defined"));
    const char *src2 = "{% set x = 5 %}{% import \"m.tera\" as m %}"
                       "{{ m::step(name='a') }}{{ m::step(name='b', n=2) }}\n"
                       "{% include \"i.tera\" %}";
    assert_int_equal(tmpl_render(src2, strlen(src2), path, &o, &out, &e),
                     TMPL_OK);
    assert_string_equal(out.text, "[a1].[b2].\ninc 5\n");
    /* Line 2 of the output came from line 1 of i.tera. */
    const char *file;
    struct cr_pos p;
    assert_true(tmpl_output_map(&out, (struct cr_pos){ 2, 3 }, &file, &p));
    assert_non_null(strstr(file, "i.tera"));
    assert_int_equal(p.line, 1);
    assert_int_equal(p.col, 3);
    tmpl_output_release(&out);
    assert_fails("{{ m::x() }}", TMPL_E_EVAL, "no macros imported as \"m\"");
    assert_fails("{% macro f(a) %}{{ a }}{% endmacro %}{{ self::f(1) }}",
                 TMPL_E_EVAL, "macro arguments are named");
    /* Macros see their arguments only, as in Tera. */
    assert_fails("{% set y = 1 %}{% macro f() %}{{ y }}{% endmacro %}"
                 "{{ self::f() }}",
                 TMPL_E_UNDEFINED, "\"y\" is not defined");
    /* A macro file's own imports serve its macros. */
    char outer[256];
    snprintf(outer, sizeof(outer), "%s/outer.tera", dir);
    const char *om = "{% import \"m.tera\" as inner %}"
                     "{% macro g() %}({{ inner::tail() }}){% endmacro %}";
    assert_int_equal(cr_fs_write_atomic(outer, om, strlen(om), 0644), 0);
    const char *src3 = "{% import \"outer.tera\" as o %}{{ o::g() }}";
    assert_int_equal(tmpl_render(src3, strlen(src3), path, &o, &out, &e),
                     TMPL_OK);
    assert_string_equal(out.text, "(.)");
    tmpl_output_release(&out);
    unlink(outer);
    unlink(macros);
    unlink(inc);
    rmdir(dir);
}

static void test_refused(void **state)
{
    (void)state;
    assert_fails("{% extends \"base.html\" %}", TMPL_E_UNSUPPORTED,
                 "{% extends %} is not supported");
    assert_fails("{% block x %}{% endblock %}", TMPL_E_UNSUPPORTED,
                 "{% block %} is not supported");
    assert_fails("{% filter upper %}x{% endfilter %}", TMPL_E_UNSUPPORTED,
                 "{% filter %} is not supported");
    assert_fails("{% include \"nope.tera\" %}", TMPL_E_IO, "cannot read");
    assert_fails("{% frob %}", TMPL_E_SYNTAX, "unknown statement \"frob\"");
}

static void test_error_positions(void **state)
{
    (void)state;
    assert_fails("a = 1\nb = \"{{ vars.nope }}\"\n", TMPL_E_UNDEFINED,
                 "t.toml:2:9: \"vars.nope\" is not defined");
    assert_fails("line1\n  {{ 1 + }}", TMPL_E_SYNTAX,
                 "t.toml:2:10: expected an expression");
    assert_fails("x\n{% if %}", TMPL_E_SYNTAX, "t.toml:2:7:");
    assert_fails("{{ 'open", TMPL_E_SYNTAX, "t.toml:1:4: unterminated string");
    assert_fails("{# never closed", TMPL_E_SYNTAX, "t.toml:1:1: unclosed");
    assert_fails("ok\n\n   {% for x in [1] %}", TMPL_E_SYNTAX,
                 "t.toml:3:4: this block is never closed");
}

static void test_source_map(void **state)
{
    const char *src = "a = 1\n{% for i in [1, 2] %}\nk{{ i }} = {{ i }}\n"
                      "{% endfor %}\nz = 2\n";
    struct tmpl_output out;
    struct cr_error e = { 0 };
    const char *file;
    struct cr_pos p;

    (void)state;
    assert_int_equal(
        tmpl_render(src, strlen(src), "t.toml", &base_opts, &out, &e), TMPL_OK);
    assert_string_equal(out.text, "a = 1\n\nk1 = 1\n\nk2 = 2\n\nz = 2\n");
    /* Rendered line 5 ("k2 = 2") comes from template line 3. */
    assert_true(tmpl_output_map(&out, (struct cr_pos){ 5, 1 }, &file, &p));
    assert_string_equal(file, "t.toml");
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 1);
    /* Rendered line 7 ("z = 2") from line 5, columns mapped exactly. */
    assert_true(tmpl_output_map(&out, (struct cr_pos){ 7, 5 }, &file, &p));
    assert_int_equal(p.line, 5);
    assert_int_equal(p.col, 5);
    assert_false(tmpl_output_map(&out, (struct cr_pos){ 99, 1 }, &file, &p));
    tmpl_output_release(&out);
}

static void test_limits(void **state)
{
    (void)state;
    assert_fails("{% for i in range(end=1000000000) %}{% endfor %}",
                 TMPL_E_LIMIT, "range of more than");
    assert_fails("{% macro f() %}{{ self::f() }}{% endmacro %}"
                 "{{ self::f() }}",
                 TMPL_E_LIMIT, "nested more than");
    /* Loops whose product is huge end with an error, not a hang. */
    assert_fails("{% for i in range(end=100000) %}{% for j in "
                 "range(end=100000) %}{% endfor %}{% endfor %}",
                 TMPL_E_LIMIT, "more than 1000000 loop iterations");
    char deep[400];
    memcpy(deep, "{{ ", 3);
    memset(deep + 3, '(', 300);
    strcpy(deep + 303, "1");
    assert_fails(deep, TMPL_E_LIMIT, "nested too deeply");
}

/* Every allocation of a rendering that uses most constructs fails in turn:
 * each run either reports TMPL_E_NOMEM or gives the same bytes as without
 * failures (nothing is silently lost), and ASan sees no leak. */
static void test_out_of_memory(void **state)
{
    const char *src =
        "[vars]\nxs = [1, 2]\nh = \"{{ env(name='HOME_DIR') }}\"\n"
        "[template.matrix]\nm = { a = 1 }\n"
        "[determinism]\nseed = 3\nfreeze_clock = \"2025-01-01T00:00:00Z\"\n"
        "{% macro f(x, y='d') %}<{{ x ~ y | upper }}>{% endmacro %}"
        "{% for x in vars.xs %}{% set y = x * 2 %}a{{ loop.index }}={{ y }} "
        "{% endfor %}{% for k, v in matrix.m %}{{ k }}{{ v }}{% endfor %}"
        "{{ self::f(x=h) }} {{ [1, 'a'] | json_encode }} "
        "{{ 'a,b' | split(pat=',') | join(sep='+') }} {{ missing | "
        "default(value='m') }} {{ uuid_v4() }} {{ fake_name() }} "
        "{{ now_rfc3339() }} {{ sha256(s='x') | length }}\n";
    struct tmpl_output ref, out;
    struct cr_error e;
    struct fail_nth f;
    long n;

    (void)state;
    assert_int_equal(
        tmpl_render(src, strlen(src), "t.toml", &base_opts, &ref, &e), TMPL_OK);
    for (int all = 0; all < 2; all++) {
        for (n = 0;; n++) {
            enum tmpl_code rc;
            fail_nth_set(&f, n, all == 1);
            rc = tmpl_render(src, strlen(src), "t.toml", &base_opts, &out, &e);
            fail_nth_clear();
            if (!f.failed) {
                assert_int_equal(rc, TMPL_OK);
                tmpl_output_release(&out);
                break;
            }
            if (rc == TMPL_OK) {
                assert_int_equal(out.len, ref.len);
                assert_memory_equal(out.text, ref.text, ref.len);
                tmpl_output_release(&out);
            } else {
                assert_int_equal(rc, TMPL_E_NOMEM);
            }
        }
        assert_true(n > 50);
    }
    tmpl_output_release(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wanted),
        cmocka_unit_test(test_text_and_variables),
        cmocka_unit_test(test_literals_and_math),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_if),
        cmocka_unit_test(test_for),
        cmocka_unit_test(test_whitespace_comments_raw),
        cmocka_unit_test(test_functions),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_freeze_clock),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_macros_and_include),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_source_map),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_out_of_memory),
    };
    cr_alloc_set(NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
