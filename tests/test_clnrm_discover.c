/* Unit tests: discovery (what is found, skipped, and the order) and
 * sharding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "clnrm_discover.h"
#include "clnrm_suite.h"
#include "cr_fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char root[64];

static void touch(const char *rel, const char *text)
{
    char path[256], dir[256];

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    snprintf(dir, sizeof(dir), "%s", path);
    *strrchr(dir, '/') = '\0';
    assert_int_equal(cr_fs_mkdirs(dir), 0);
    assert_int_equal(cr_fs_write_atomic(path, text, strlen(text), 0644), 0);
}

static const char step[] = "[[steps]]\ncommand = [\"true\"]\n";

static int setup(void **state)
{
    snprintf(root, sizeof(root), "/tmp/clnrm-discover-XXXXXX");
    if (mkdtemp(root) == NULL)
        return -1;
    touch("b.clnrm.toml", step);
    touch("a.clnrm.toml", step);
    touch("sub/deeper/c.clnrm.toml", step);
    touch("sub/notes.toml", step);
    touch("sub/x.clnrm.toml.bak", step);
    touch(".git/g.clnrm.toml", step);
    touch("build/b.clnrm.toml", step);
    touch("build-asan/b.clnrm.toml", step);
    touch("target/t.clnrm.toml", step);
    touch("node_modules/n.clnrm.toml", step);
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_discovery(void **state)
{
    const char *paths[2] = { root, NULL };
    struct cr_strv out = { 0 };
    char want[256];

    assert_int_equal(clnrm_discover(paths, 1, &out, NULL), CLNRM_OK);
    assert_int_equal(out.n, 3);
    snprintf(want, sizeof(want), "%s/a.clnrm.toml", root);
    assert_string_equal(out.v[0], want);
    snprintf(want, sizeof(want), "%s/b.clnrm.toml", root);
    assert_string_equal(out.v[1], want);
    snprintf(want, sizeof(want), "%s/sub/deeper/c.clnrm.toml", root);
    assert_string_equal(out.v[2], want);
    cr_strv_release(&out);
}

static void test_explicit_and_duplicates(void **state)
{
    char a[256], notes[256], dir[256];
    const char *paths[3] = { a, notes, dir };
    struct cr_strv out = { 0 };

    snprintf(a, sizeof(a), "%s/a.clnrm.toml", root);
    snprintf(notes, sizeof(notes), "%s/sub/notes.toml", root);
    snprintf(dir, sizeof(dir), "%s/", root);
    assert_int_equal(clnrm_discover(paths, 3, &out, NULL), CLNRM_OK);
    /* a is found twice but listed once; a file named explicitly counts. */
    assert_int_equal(out.n, 4);
    cr_strv_release(&out);
}

static void test_missing_path(void **state)
{
    const char *paths[1] = { "/nonexistent/clnrm" };
    struct cr_strv out = { 0 };
    struct cr_error e = { 0 };

    assert_int_equal(clnrm_discover(paths, 1, &out, &e), CLNRM_E_INPUT);
    assert_non_null(strstr(e.msg, "/nonexistent/clnrm"));
    cr_strv_release(&out);
}

static void test_names(void **state)
{
    assert_true(clnrm_discover_is_test("x.clnrm.toml"));
    assert_false(clnrm_discover_is_test(".clnrm.toml"));
    assert_false(clnrm_discover_is_test("x.toml"));
    assert_true(clnrm_discover_skip_dir(".git"));
    assert_true(clnrm_discover_skip_dir("build-clnrm"));
    assert_true(clnrm_discover_skip_dir("target"));
    assert_false(clnrm_discover_skip_dir("tests"));
}

static void test_shard(void **state)
{
    unsigned i = 0, n = 0, seen[10] = { 0 };

    assert_int_equal(clnrm_shard_parse("2/3", &i, &n), 0);
    assert_int_equal(i, 2);
    assert_int_equal(n, 3);
    assert_int_equal(clnrm_shard_parse("0/3", &i, &n), -1);
    assert_int_equal(clnrm_shard_parse("4/3", &i, &n), -1);
    assert_int_equal(clnrm_shard_parse("1/3x", &i, &n), -1);
    assert_int_equal(clnrm_shard_parse("x", &i, &n), -1);
    /* Every item lands in exactly one shard, and shards differ by <= 1. */
    for (size_t pos = 0; pos < 10; pos++) {
        int owners = 0;
        for (unsigned s = 1; s <= 3; s++)
            if (clnrm_shard_take(pos, s, 3)) {
                owners++;
                seen[s]++;
            }
        assert_int_equal(owners, 1);
    }
    assert_int_equal(seen[1], 4);
    assert_int_equal(seen[2], 3);
    assert_int_equal(seen[3], 3);
    assert_true(clnrm_shard_take(5, 0, 0));
}

static void test_suite_filter_and_shard(void **state)
{
    const char *paths[1] = { root };
    struct clnrm_suite_opts o = { .paths = paths, .npaths = 1 };
    struct clnrm_suite s = { 0 };

    o.filter = "^[ab]$";
    assert_int_equal(clnrm_suite_load(&o, &s, NULL, NULL), CLNRM_OK);
    assert_int_equal(s.discovered, 3);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.tests[0]->name, "a");
    clnrm_suite_release(&s);
    o.filter = NULL;
    o.shard_index = 2;
    o.shard_count = 2;
    assert_int_equal(clnrm_suite_load(&o, &s, NULL, NULL), CLNRM_OK);
    assert_int_equal(s.n, 1);
    assert_string_equal(s.tests[0]->name, "b");
    clnrm_suite_release(&s);
    o.filter = "(";
    assert_int_equal(clnrm_suite_load(&o, &s, NULL, NULL), CLNRM_E_INPUT);
    clnrm_suite_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discovery),
        cmocka_unit_test(test_explicit_and_duplicates),
        cmocka_unit_test(test_missing_path),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_shard),
        cmocka_unit_test(test_suite_filter_and_shard),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
