/* Unit tests: Rust-regex-style matching and the stdout-or-stderr rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_regex.h"
#include "cr_alloc.h"

#include <stdlib.h>
#include <string.h>

static int match(const char *pattern, const char *subject)
{
    struct clnrm_regex *re = NULL;
    struct cr_error e = { 0 };
    int rc;

    if (clnrm_regex_compile(pattern, &re, &e) != CLNRM_OK)
        fail_msg("compile %s: %s", pattern, e.msg);
    rc = clnrm_regex_search(re, subject, strlen(subject));
    clnrm_regex_free(re);
    return rc;
}

static void test_rust_classes(void **state)
{
    assert_int_equal(match("\\d+", "build 42"), 1);
    assert_int_equal(match("^\\d+$", "4x2"), 0);
    assert_int_equal(match("\\w+@\\w+", "mail: me@host"), 1);
    assert_int_equal(match("a\\sb", "a\tb"), 1);
    assert_int_equal(match("a\\sb", "a-b"), 0);
    /* Unicode-aware like Rust: \w matches letters beyond ASCII. */
    assert_int_equal(match("^\\w+$", "h\xC3\xA9llo"), 1);
    assert_int_equal(match("\\p{Greek}", "\xCE\xB1"), 1);
}

static void test_flags_and_greed(void **state)
{
    struct clnrm_regex *re;
    const char *s = "<a><b>";
    assert_int_equal(match("(?i)hello", "HeLLo"), 1);
    assert_int_equal(match("hello", "HELLO"), 0);
    assert_int_equal(match("(?m)^two$", "one\ntwo\nthree"), 1);
    assert_int_equal(match("^two$", "one\ntwo\nthree"), 0);
    assert_int_equal(match("(?s)a.b", "a\nb"), 1);
    assert_int_equal(match("a.b", "a\nb"), 0);
    /* Non-greedy quantifiers are accepted and still backtrack to match. */
    assert_int_equal(match("^<.+?><", s), 1);
    assert_int_equal(match("^<.+?>$", s), 1);
    assert_int_equal(match("^<.*?>x", s), 0);
    assert_int_equal(match("a{2,}?b", "aaab"), 1);
    assert_int_equal(match("(?P<word>\\w+) (?P=word)", "ok ok"), 1);
    assert_int_equal(clnrm_regex_compile("^x$", &re, NULL), CLNRM_OK);
    assert_string_equal(clnrm_regex_pattern(re), "^x$");
    clnrm_regex_free(re);
}

static void test_search_is_unanchored_and_dollar(void **state)
{
    assert_int_equal(match("world", "hello world!"), 1);
    /* `$` also matches before one final newline (documented). */
    assert_int_equal(match("^ok$", "ok\n"), 1);
    assert_int_equal(match("^ok$", "ok\n\n"), 0);
    assert_int_equal(match("^ok\\z", "ok\n"), 0);
}

static void test_invalid_utf8_subject(void **state)
{
    assert_int_equal(match("abc", "\xff\xfe abc"), 1);
    assert_int_equal(match("^x", "\xff"), 0);
}

static void test_bad_pattern(void **state)
{
    struct clnrm_regex *re = (struct clnrm_regex *)1;
    struct cr_error e = { 0 };

    assert_int_equal(clnrm_regex_compile("a(b", &re, &e), CLNRM_E_INPUT);
    assert_null(re);
    assert_non_null(strstr(e.msg, "bad regex \"a(b\" at offset 3"));
}

static void test_either_stream(void **state)
{
    struct clnrm_regex *re;

    assert_int_equal(clnrm_regex_compile("needle", &re, NULL), CLNRM_OK);
    assert_int_equal(clnrm_regex_search_either(re, "x", 1, "needle", 6), 1);
    assert_int_equal(clnrm_regex_search_either(re, "needle", 6, "", 0), 1);
    assert_int_equal(clnrm_regex_search_either(re, "nee", 3, "dle", 3), 0);
    clnrm_regex_free(re);
}

struct counts {
    size_t allocs, frees;
};

static void *count_malloc(void *ctx, size_t size)
{
    ((struct counts *)ctx)->allocs++;
    return malloc(size);
}

static void *count_realloc(void *ctx, void *p, size_t size)
{
    ((struct counts *)ctx)->allocs += p == NULL;
    return realloc(p, size);
}

static void count_free(void *ctx, void *p)
{
    ((struct counts *)ctx)->frees += p != NULL;
    free(p);
}

/* PCRE2 allocates through the project's hook: compiling takes more than
 * clnrm's own two blocks (the handle and the pattern copy), matching
 * allocates too, and everything comes back through the hook. */
static void test_pcre2_uses_the_hook(void **state)
{
    struct counts c = { 0 };
    const struct cr_alloc_hooks h = { count_malloc, count_realloc, count_free,
                                      &c };
    struct clnrm_regex *re = NULL;
    size_t compiled;

    cr_alloc_set(&h);
    assert_int_equal(clnrm_regex_compile("(?i)h(e)llo\\s+\\w+", &re, NULL),
                     CLNRM_OK);
    compiled = c.allocs;
    assert_int_equal(clnrm_regex_search(re, "HELLO world", 11), 1);
    clnrm_regex_free(re);
    cr_alloc_set(NULL);
    assert_true(compiled > 2);
    assert_true(c.allocs > compiled);
    assert_int_equal(c.allocs, c.frees);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rust_classes),
        cmocka_unit_test(test_flags_and_greed),
        cmocka_unit_test(test_search_is_unanchored_and_dollar),
        cmocka_unit_test(test_invalid_utf8_subject),
        cmocka_unit_test(test_bad_pattern),
        cmocka_unit_test(test_either_stream),
        cmocka_unit_test(test_pcre2_uses_the_hook),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
