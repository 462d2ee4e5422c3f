/* Unit tests of cr_toml: API, positions, messages and grammar corners. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cr_toml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct cr_toml_doc *parse_ok(const char *src)
{
    struct cr_toml_doc *doc = NULL;
    struct cr_error err;
    enum cr_toml_code rc =
        cr_toml_parse(src, strlen(src), "t.toml", &doc, &err);
    if (rc != CR_TOML_OK) {
        fail_msg("unexpected error: %s", err.msg);
    }
    assert_non_null(doc);
    return doc;
}

/* Parses src, expects a syntax error and returns its message. */
static const char *parse_err(const char *src, size_t len, struct cr_error *err)
{
    struct cr_toml_doc *doc = (struct cr_toml_doc *)1;
    enum cr_toml_code rc = cr_toml_parse(src, len, "t.toml", &doc, err);
    if (rc == CR_TOML_OK) {
        cr_toml_free(doc);
        fail_msg("accepted invalid TOML: %s", src);
    }
    assert_int_equal(rc, CR_TOML_E_SYNTAX);
    assert_int_equal(err->code, CR_TOML_E_SYNTAX);
    assert_null(doc);
    return err->msg;
}

static void expect_err(const char *src, const char *msg)
{
    struct cr_error err;
    assert_string_equal(parse_err(src, strlen(src), &err), msg);
}

static void test_scalars_and_positions(void **state)
{
    (void)state;
    struct cr_toml_doc *doc = parse_ok("# tasks\n"
                                       "name = \"build\"\n"
                                       "  jobs = 4\n"
                                       "ratio = 0.5\n"
                                       "on = true\n"
                                       "args = [\"-j\", 2]\n");
    const struct cr_toml_value *root = cr_toml_root(doc);
    assert_int_equal(cr_toml_type(root), CR_TOML_TABLE);
    assert_int_equal(cr_toml_len(root), 5);
    assert_string_equal(cr_toml_filename(doc), "t.toml");

    const struct cr_toml_value *v = cr_toml_get(root, "name");
    assert_int_equal(cr_toml_type(v), CR_TOML_STRING);
    assert_string_equal(cr_toml_string(v, NULL), "build");
    assert_int_equal(cr_toml_pos(v).line, 2);
    assert_int_equal(cr_toml_pos(v).col, 8);

    struct cr_pos kp;
    assert_string_equal(cr_toml_key_at(root, 1, &kp), "jobs");
    assert_int_equal(kp.line, 3);
    assert_int_equal(kp.col, 3);
    assert_int_equal(cr_toml_int(cr_toml_value_at(root, 1)), 4);
    assert_true(cr_toml_float(cr_toml_get(root, "ratio")) == 0.5);
    assert_true(cr_toml_bool(cr_toml_get(root, "on")));

    const struct cr_toml_value *args = cr_toml_get(root, "args");
    assert_int_equal(cr_toml_type(args), CR_TOML_ARRAY);
    assert_int_equal(cr_toml_len(args), 2);
    assert_string_equal(cr_toml_string(cr_toml_at(args, 0), NULL), "-j");
    assert_int_equal(cr_toml_pos(cr_toml_at(args, 1)).col, 15);
    assert_null(cr_toml_at(args, 2));
    assert_null(cr_toml_get(root, "missing"));
    assert_null(cr_toml_get(args, "x"));
    assert_null(cr_toml_key_at(root, 5, NULL));
    cr_toml_free(doc);
}

static void test_typed_getters(void **state)
{
    (void)state;
    struct cr_toml_doc *doc = parse_ok("[tasks.build]\n"
                                       "command = \"make\"\n"
                                       "args = \"-j4\"\n"
                                       "retries = 3\n"
                                       "timeout = 2\n"
                                       "quiet = false\n");
    const struct cr_toml_value *root = cr_toml_root(doc), *tasks, *build, *a;
    struct cr_error err;
    assert_int_equal(cr_toml_get_table(doc, root, "tasks", &tasks, &err),
                     CR_TOML_OK);
    assert_int_equal(cr_toml_get_table(doc, tasks, "build", &build, &err),
                     CR_TOML_OK);
    const char *s = NULL;
    assert_int_equal(cr_toml_get_string(doc, build, "command", &s, &err),
                     CR_TOML_OK);
    assert_string_equal(s, "make");
    int64_t i = 0;
    assert_int_equal(cr_toml_get_int(doc, build, "retries", &i, &err),
                     CR_TOML_OK);
    assert_int_equal(i, 3);
    double d = 0;
    assert_int_equal(cr_toml_get_float(doc, build, "timeout", &d, &err),
                     CR_TOML_OK);
    assert_true(d == 2.0);
    bool b = true;
    assert_int_equal(cr_toml_get_bool(doc, build, "quiet", &b, &err),
                     CR_TOML_OK);
    assert_false(b);

    assert_int_equal(cr_toml_get_array(doc, build, "args", &a, &err),
                     CR_TOML_E_TYPE);
    assert_string_equal(err.msg,
                        "t.toml:3:8: \"args\" must be an array, not a string");
    assert_int_equal(err.pos.line, 3);
    assert_int_equal(err.pos.col, 8);
    assert_int_equal(cr_toml_get_string(doc, build, "retries", &s, &err),
                     CR_TOML_E_TYPE);
    assert_string_equal(err.msg, "t.toml:4:11: \"retries\" must be a string, "
                                 "not an integer");

    /* Missing keys leave the default alone and do not touch err. */
    strcpy(err.msg, "untouched");
    i = 42;
    assert_int_equal(cr_toml_get_int(doc, build, "nope", &i, &err),
                     CR_TOML_E_MISSING);
    assert_int_equal(i, 42);
    assert_string_equal(err.msg, "untouched");
    cr_toml_free(doc);
}

static void test_document_order_and_many_keys(void **state)
{
    (void)state;
    /* Enough keys to need the hash index, written in non-sorted order. */
    char src[64 * 1024];
    size_t o = 0;
    for (int k = 0; k < 500; k++) {
        o += (size_t)snprintf(src + o, sizeof(src) - o, "k%d = %d\n",
                              (k * 7919) % 500, k);
    }
    struct cr_toml_doc *doc = parse_ok(src);
    const struct cr_toml_value *root = cr_toml_root(doc);
    assert_int_equal(cr_toml_len(root), 500);
    for (int k = 0; k < 500; k++) {
        char name[16];
        snprintf(name, sizeof(name), "k%d", (k * 7919) % 500);
        assert_string_equal(cr_toml_key_at(root, (size_t)k, NULL), name);
        assert_int_equal(cr_toml_int(cr_toml_get(root, name)), k);
    }
    cr_toml_free(doc);

    doc = parse_ok("z = 1\n[b]\ny = 2\n[a]\nx = 3\n[b.c]\n");
    root = cr_toml_root(doc);
    assert_string_equal(cr_toml_key_at(root, 0, NULL), "z");
    assert_string_equal(cr_toml_key_at(root, 1, NULL), "b");
    assert_string_equal(cr_toml_key_at(root, 2, NULL), "a");
    cr_toml_free(doc);
}

/* Big enough for the arena's mapped and huge-page blocks. */
static void test_large_document(void **state)
{
    (void)state;
    enum { N = 40000 };
    size_t cap = (size_t)N * 96, o = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    for (int i = 0; i < N; i++) {
        o += (size_t)snprintf(src + o, cap - o,
                              "[t.k%d]\nv = %d\ns = \"str\\t%d\"\n"
                              "a = [%d.5, 'x']\n",
                              i, i, i, i);
    }
    struct cr_toml_doc *doc;
    struct cr_error err;
    assert_int_equal(cr_toml_parse(src, o, "big.toml", &doc, &err), CR_TOML_OK);
    const struct cr_toml_value *t = cr_toml_get(cr_toml_root(doc), "t");
    assert_int_equal(cr_toml_len(t), N);
    for (int i = 0; i < N; i += 997) {
        char key[16], want[32];
        snprintf(key, sizeof(key), "k%d", i);
        snprintf(want, sizeof(want), "str\t%d", i);
        const struct cr_toml_value *k = cr_toml_get(t, key);
        assert_int_equal(cr_toml_int(cr_toml_get(k, "v")), i);
        assert_string_equal(cr_toml_string(cr_toml_get(k, "s"), NULL), want);
        assert_int_equal(cr_toml_pos(k).line, (unsigned)(4 * i + 1));
        assert_true(cr_toml_float(cr_toml_at(cr_toml_get(k, "a"), 0)) ==
                    i + 0.5);
    }
    cr_toml_free(doc);
    free(src);
}

static void test_tables_and_arrays_of_tables(void **state)
{
    (void)state;
    struct cr_toml_doc *doc =
        parse_ok("[[fruit]]\nname = \"apple\"\n"
                 "[fruit.physical]\ncolor = \"red\"\n"
                 "[[fruit.variety]]\nname = \"red\"\n"
                 "[[fruit]]\nname = \"banana\"\n"
                 "[[fruit.variety]]\nname = \"plantain\"\n"
                 "[x.y.z]\n[x]\nw = 1\n");
    const struct cr_toml_value *root = cr_toml_root(doc);
    const struct cr_toml_value *fruit = cr_toml_get(root, "fruit");
    assert_int_equal(cr_toml_type(fruit), CR_TOML_ARRAY);
    assert_int_equal(cr_toml_len(fruit), 2);
    const struct cr_toml_value *f1 = cr_toml_at(fruit, 1);
    assert_int_equal(cr_toml_pos(f1).line, 7);
    const struct cr_toml_value *var = cr_toml_get(f1, "variety");
    assert_string_equal(
        cr_toml_string(cr_toml_get(cr_toml_at(var, 0), "name"), NULL),
        "plantain");
    const struct cr_toml_value *x = cr_toml_get(root, "x");
    assert_int_equal(cr_toml_int(cr_toml_get(x, "w")), 1);
    assert_non_null(cr_toml_get(cr_toml_get(x, "y"), "z"));
    cr_toml_free(doc);
}

static void test_strings(void **state)
{
    (void)state;
    struct cr_toml_doc *doc =
        parse_ok("a = \"t\\tq\\\"\\u00e9\\U0001F600\\\\\"\n"
                 "b = 'C:\\path'\n"
                 "c = \"\"\"\nline1\r\n  \\\n   line2\"\"\"\"\n"
                 "d = '''\nraw ''x'' '''''\n"
                 "e = \"nul\\u0000byte\"\n");
    const struct cr_toml_value *root = cr_toml_root(doc);
    assert_string_equal(cr_toml_string(cr_toml_get(root, "a"), NULL),
                        "t\tq\"\xc3\xa9\xf0\x9f\x98\x80\\");
    assert_string_equal(cr_toml_string(cr_toml_get(root, "b"), NULL),
                        "C:\\path");
    assert_string_equal(cr_toml_string(cr_toml_get(root, "c"), NULL),
                        "line1\n  line2\"");
    assert_string_equal(cr_toml_string(cr_toml_get(root, "d"), NULL),
                        "raw ''x'' ''");
    size_t n = 0;
    const char *e = cr_toml_string(cr_toml_get(root, "e"), &n);
    assert_int_equal(n, 8);
    assert_memory_equal(e, "nul\0byte", 8);
    cr_toml_free(doc);
}

static void test_numbers(void **state)
{
    (void)state;
    struct cr_toml_doc *doc =
        parse_ok("a = -9223372036854775808\nb = 0x7fff_FFFF_ffff_ffff\n"
                 "c = 0o755\nd = 0b1010\ne = +1_000\nf = -0.0\ng = 6.626e-34\n"
                 "h = -inf\ni = nan\nj = 1e1_0\nk = 0\n");
    const struct cr_toml_value *r = cr_toml_root(doc);
    assert_true(cr_toml_int(cr_toml_get(r, "a")) == INT64_MIN);
    assert_true(cr_toml_int(cr_toml_get(r, "b")) == INT64_MAX);
    assert_int_equal(cr_toml_int(cr_toml_get(r, "c")), 0755);
    assert_int_equal(cr_toml_int(cr_toml_get(r, "d")), 10);
    assert_int_equal(cr_toml_int(cr_toml_get(r, "e")), 1000);
    assert_true(signbit(cr_toml_float(cr_toml_get(r, "f"))));
    assert_true(cr_toml_float(cr_toml_get(r, "g")) == 6.626e-34);
    assert_true(isinf(cr_toml_float(cr_toml_get(r, "h"))));
    assert_true(cr_toml_float(cr_toml_get(r, "h")) < 0);
    assert_true(isnan(cr_toml_float(cr_toml_get(r, "i"))));
    assert_true(cr_toml_float(cr_toml_get(r, "j")) == 1e10);
    assert_int_equal(cr_toml_type(cr_toml_get(r, "k")), CR_TOML_INTEGER);
    cr_toml_free(doc);
}

static void test_datetimes(void **state)
{
    (void)state;
    struct cr_toml_doc *doc = parse_ok(
        "a = 1979-05-27T07:32:00.999999999-07:30\nb = 1979-05-27 07:32:00z\n"
        "c = 2000-02-29\nd = 23:59:60.5\ne = 1979-05-27t00:32:00.1234567891\n");
    const struct cr_toml_value *r = cr_toml_root(doc);
    const struct cr_toml_datetime *dt = cr_toml_datetime(cr_toml_get(r, "a"));
    assert_int_equal(cr_toml_type(cr_toml_get(r, "a")), CR_TOML_DATETIME);
    assert_int_equal(dt->year, 1979);
    assert_int_equal(dt->month, 5);
    assert_int_equal(dt->day, 27);
    assert_int_equal(dt->hour, 7);
    assert_int_equal(dt->nanosecond, 999999999);
    assert_int_equal(dt->offset_minutes, -450);
    assert_false(dt->offset_z);
    dt = cr_toml_datetime(cr_toml_get(r, "b"));
    assert_true(dt->offset_z);
    assert_int_equal(cr_toml_type(cr_toml_get(r, "c")), CR_TOML_DATE_LOCAL);
    assert_int_equal(cr_toml_type(cr_toml_get(r, "d")), CR_TOML_TIME_LOCAL);
    assert_int_equal(cr_toml_datetime(cr_toml_get(r, "d"))->nanosecond,
                     500000000);
    assert_int_equal(cr_toml_type(cr_toml_get(r, "e")), CR_TOML_DATETIME_LOCAL);
    assert_int_equal(cr_toml_datetime(cr_toml_get(r, "e"))->nanosecond,
                     123456789);
    assert_null(cr_toml_datetime(cr_toml_root(doc)));
    cr_toml_free(doc);
}

static void test_error_messages(void **state)
{
    (void)state;
    expect_err("[tasks]\ncommand \"make\"\n",
               "t.toml:2:9: expected '=' after key \"command\", found '\"'");
    expect_err("name = 1\n\nname = 2\n",
               "t.toml:3:1: duplicate key \"name\" (first defined at line 1)");
    expect_err("[a]\nx = 1\n[a]\n",
               "t.toml:3:2: duplicate table [a] (first defined at line 1)");
    expect_err("a = \"abc\n",
               "t.toml:1:9: newline before the closing quote of a string");
    expect_err("x = 1\na = \"\"\"abc",
               "t.toml:2:5: unterminated string: expected closing '\"\"\"'");
    expect_err("a = \"\\q\"", "t.toml:1:6: invalid escape sequence '\\q'");
    expect_err("a = 1\r\nb = 2\r\nc = 07\r\n",
               "t.toml:3:5: invalid number \"07\": leading zeros are not "
               "allowed");
    expect_err("a = {b = 1}\n[a.c]\n",
               "t.toml:2:2: cannot add to inline table \"a\" (defined at "
               "line 1)");
    expect_err("[fruit]\napple.color = \"red\"\n[fruit.apple]\n",
               "t.toml:3:8: duplicate table [fruit.apple]: already defined "
               "by a dotted key at line 2");
    expect_err("a = [1, 2]\n[[a]]\n",
               "t.toml:2:3: cannot define array of tables [[a]]: key \"a\" "
               "was defined at line 1 as a static array");
    expect_err("a = 2023-02-29\n",
               "t.toml:1:13: invalid date: 2023-02 has no day 29");
    expect_err("a = 1 b = 2\n",
               "t.toml:1:7: expected a newline after a value, found 'b'");
    expect_err("a = 99999999999999999999\n",
               "t.toml:1:5: integer \"99999999999999999999\" is out of range");
    expect_err("a = tru\n", "t.toml:1:5: invalid value \"tru\" (expected a "
                            "string, number, boolean, date-time, array or "
                            "inline table)");
    expect_err("a = \"\xff\"\n", "t.toml:1:6: invalid UTF-8 byte 0xFF in a "
                                 "string");
}

static void test_nul_bytes(void **state)
{
    (void)state;
    struct cr_error err;
    assert_string_equal(parse_err("a = \"\0\"", 7, &err),
                        "t.toml:1:6: control character U+0000 is not allowed "
                        "in a string");
    assert_string_equal(parse_err("\0", 1, &err),
                        "t.toml:1:1: expected a key, found byte 0x00");
    assert_string_equal(parse_err("a = 1 #\0", 8, &err),
                        "t.toml:1:8: control character U+0000 is not allowed "
                        "in a comment");
}

static void test_depth_limit(void **state)
{
    (void)state;
    char src[1024];
    strcpy(src, "a = ");
    size_t o = 4;
    for (int i = 0; i < CR_TOML_MAX_DEPTH + 1; i++) {
        src[o++] = '[';
    }
    src[o] = '\0';
    struct cr_error err;
    assert_string_equal(parse_err(src, o, &err),
                        "t.toml:1:133: nesting deeper than 128 levels");
    /* Exactly the limit is fine. */
    o = 4;
    for (int i = 0; i < CR_TOML_MAX_DEPTH; i++) {
        src[o++] = '[';
    }
    for (int i = 0; i < CR_TOML_MAX_DEPTH; i++) {
        src[o++] = ']';
    }
    src[o] = '\0';
    cr_toml_free(parse_ok(src));
}

/* Grammar corners beyond the shared sample; each must be rejected. */
static const char *const invalid_docs[] = {
    "a = 1 b = 2",
    "[a]b=1",
    "\"a\"b = 1",
    "a. = 1",
    ".a = 1",
    "a..b = 1",
    "a = 1 # c\rx",
    "a = \"\"\"a\rb\"\"\"",
    "a = \"\"\"\\ x\"\"\"",
    "a b = 1",
    "\\u00c0 = 1",
    "\"abc\\\" = 1",
    "[a]\n[a.b]\n[a]",
    "[key#group]",
    "a = {a = 1,\n b = 2}",
    "a.b = 0\na = {}",
    "[product]\ntype.name = \"N\"\ntype = { edible = false }",
    "a = '''x''''''",
    "t = 13:37",
    "a = -01",
    "a = 0_1",
    "a = 1__2",
    "a = .5",
    "a = 5.",
    "a = 5.e3",
    "a = 1e",
    "a = 1e+",
    "a = +.5",
    "a = 9223372036854775808",
    "a = -9223372036854775809",
    "a = 0x8000000000000000",
    "a = 0o",
    "a = 0b102",
    "a = 0X1",
    "[[a] ]",
    "[ [a]]",
    "a = 'a\nb'",
    "a = \"a\x7f\"",
    "a = {b = 1}\na.c = 2",
    "a = 1\n[a]",
    "a = 1979-05-27 07:32",
    "a = 1979-05-27T07:32:00+24:00",
    "a = 00:00:00.",
    "a = 2100-02-29",
    "a = 2000-",
    "a = 1979-05-27x",
    "a = 1979-05-27T",
    "t = 07:32:00Z",
    "a = +0x1",
    "a = \"\\e\"",
    "a = \"\\x41\"",
    "a = \"\\uD800\"",
    "a = \"\\U00110000\"",
    "a = 1e400",
    "a = {b = 1,}",
    "a = {,}",
    "a = [,]",
    "a = [1,,]",
    "[a]\n[[a]]",
    "[[a]]\n[a]",
    "a = []\n[[a]]",
    "x = \xef\xbb\xbf"
    "1",
    "a = \"\xc0\x80\"",
    "a = \"\xed\xa0\x80\"",
    "a = \"\xf4\x90\x80\x80\"",
    "# \xff",
    "a = tru",
    "a = true1",
    "a = inf1",
    "a = -nan_",
    "= 1",
    "a =",
    "a = 1\n\r",
    "[a.b]\n[a]\nb = 1",
    "a = 2000-01-01T00:00:00.123+01",
    "a = 24:00:00",
    "a = 00:60:00",
    "a = 00:00:61",
    "a = 2000-13-01",
    "a = 2000-00-01",
    "a = 2000-01-32",
    "[a]\nb.c = 1\n[a.b]",
    "a = \"\"\"a\"\"\"\"\"\"",
    "a = \"a",
    "a = \"\"\"a",
    "a = '''a",
    "a = [1",
    "a = {b = 1",
    "[a",
    "[[a]",
    "a.\"b",
    "\"a\nb\" = 1",
    "\"\"\"a\"\"\" = 1",
    "a = 1_",
    "a = _1",
    "a = 1._5",
    "a = 1.5_",
    "a = 1e_5",
    "a = 0x_1",
    "a = 0x1_",
    "a = 0b",
    "a = +inf_",
    "a = 1.2.3",
    "a = 1-1",
    "a = 1:1",
    "a = 2000-01-01T00:00:00Zx",
    "a = 2000-01-01 00:00:00 x",
    "[a.b.c]\nz = 9\n[a]\nb.c.t = 1",
    "[[a.b]]\n[a]\nb.y = 2",
    "[[albums.songs]]\n[[albums]]",
    "a = {k1 = 1, k1.name = 2}",
    "a = 1\na.b = 2",
    "a.b.c = 1\na.b = 2",
    "[t1]\nt2.t3.v = 0\n[t1.t2]",
    "[a]\nb = { c = 2, d = {} }\n[a.b]",
    "[[]]",
    "[]",
    "[a.]",
    "[.a]",
    "a = [{b = 1}]\n[[a]]",
    "a = [{b = 1}]\n[a.c]",
    "a = { b = { c = 1 } }\n"
    "a.b.d = 2",
    "a = { b.c = 1, b = 2 }",
    "key = \"\\u00\"",
    "key = \"\\U0000\"",
    "a = 2000-01-01T",
    "a = 1979-05-27 07:32:00.",
    "a = 10000-01-01",
    "a = 999-01-01",
    "a = 1979-5-27",
    "a = 12:3:00",
    "a = 1:00:00",
    "a = 1979-05-27T07:32:00-7:00",
    "a = 0.",
    "a = -.1",
    "a = 1.e5",
    "a = nan.0",
    "a = NaN",
    "a = Inf",
    "a = -infinity",
    "a = +true",
    "a = \"\"\"\n\\\n \\e\"\"\"",
    "a = '\x01'",
    "a = '''\x1f'''",
    "\xef\xbb",
    "a\n= 1",
    "a =\n1",
    "[a]\n[a]",
    "[a]\n[a.b]\n[a.b]",
    "a = 1\n[[a]]",
    "a = [1] [2]",
    "[[a]]b = 1",
    "a = { b = 1 } c",
    "a = {b = 1\n}",
    "a = [1 2]",
    "a = 1,",
    "a = \"x\" y",
};

/* Corners that must be accepted. */
static const char *const valid_docs[] = {
    "a = \"\"\"a\"\"\"\"",
    "a = '''''a'''''",
    "a = \"\"\"\"\"\"",
    "a = \"\"\"\"\"\"\"\"",
    "inf = 1\nnan = 2\ntrue = 3\n1979-05-27 = 4",
    "1.2 = 5",
    "\"\" = 1",
    "'' = 2",
    "[\"\"]",
    "[ a . \"b c\" ]\nx=1",
    "a = 1_000.1_2e1_0",
    "a = -0e0",
    "a = 0e0",
    "a=[[1],[2]]",
    "[a.b.c]\n[a.b]",
    "[[a.b]]\n[a]",
    "\xef\xbb\xbf",
    "",
    "a = 1979-05-27 07:32:00.123456789123-07:30",
    "a = 23:59:60",
    "a = \"\"\"\\  \r\n x\"\"\"",
    "a = [ # c\n1, # d\n2, # e\n]",
    "a = { }",
    "a = {b.c = 1, b.d = 2}",
    "a.b.c = 1\na.b.d = 2\n[a.b.e]",
    "a = 1.0e-400",
    "a = 1E6",
    "a\t=\t1\t#\tc",
    "[[a]]\n[a.b]\n[[a]]\n[a.b]",
    "a = \"\\U0010FFFF\"",
    "[fruit]\napple.color = 1\n[fruit.apple.texture]\nsmooth = true",
    "a = 1 # comment with \xc3\xa9 and tab\t",
    "a = [\n]\n",
    "a = [1,]",
    "a = [1, 'x', {b = 2}, [3], 1979-05-27, 1.5]",
    "'a.b' = 1\na.b = 2",
    "a = \"\"\"\\\n\n\n\"\"\"",
    "a = '''\n'''",
    "[a]\n[b]\n[a.c]",
    "[[a]]\n[[a]]\n[[a.b]]",
    "\"\\u0041\" = 1\nB.b = 2",
    "a = 0x0",
    "a = -0",
    "a = +0.0",
    "a = 1979-05-27T07:32:00",
    "a = 07:32:00.1",
    "a = 0001-01-01",
    "a = 9999-12-31T23:59:59.999999999+23:59",
    "a = 2024-02-29T00:00:00Z",
    "\r\n\r\na = 1\r\n",
    "a = 1#c",
    "[a]#c\n",
    "[[a]] # c",
    "a = {x=1,y=2}",
    "x = 1\n\n\n# end",
};

static void test_invalid_corners(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(invalid_docs) / sizeof(invalid_docs[0]);
         i++) {
        struct cr_error err;
        const char *src = invalid_docs[i];
        const char *msg = parse_err(src, strlen(src), &err);
        /* Every message names the file, a line and a column. */
        assert_true(strncmp(msg, "t.toml:", 7) == 0);
        assert_true(err.pos.line >= 1);
        assert_true(err.pos.col >= 1);
    }
}

static void test_valid_corners(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(valid_docs) / sizeof(valid_docs[0]); i++) {
        cr_toml_free(parse_ok(valid_docs[i]));
    }
}

static void test_errorf_and_suggest(void **state)
{
    (void)state;
    struct cr_toml_doc *doc = parse_ok("[tasks.build]\ncomand = 1\n");
    const struct cr_toml_value *b =
        cr_toml_get(cr_toml_get(cr_toml_root(doc), "tasks"), "build");
    struct cr_pos pos;
    const char *key = cr_toml_key_at(b, 0, &pos);
    static const char *const known[] = { "command", "args", "deps" };
    const char *hint = cr_toml_suggest(key, known, 3);
    assert_string_equal(hint, "command");
    struct cr_error err;
    assert_int_equal(cr_toml_errorf(&err, CR_TOML_E_SYNTAX, doc, pos,
                                    "unknown key \"%s\" (did you mean "
                                    "\"%s\"?)",
                                    key, hint),
                     CR_TOML_E_SYNTAX);
    assert_string_equal(err.msg, "t.toml:2:1: unknown key \"comand\" (did "
                                 "you mean \"command\"?)");
    assert_int_equal(err.code, CR_TOML_E_SYNTAX);
    assert_null(cr_toml_suggest("zzzzzz", known, 3));
    assert_string_equal(cr_toml_suggest("dep", known, 3), "deps");
    assert_string_equal(cr_toml_type_name(CR_TOML_DATE_LOCAL), "local date");
    cr_toml_free(doc);
}

static void test_parse_file(void **state)
{
    (void)state;
    struct cr_toml_doc *doc = (struct cr_toml_doc *)1;
    struct cr_error err;
    assert_int_equal(cr_toml_parse_file("/nonexistent/x.toml", &doc, &err),
                     CR_TOML_E_IO);
    assert_null(doc);
    assert_int_equal(err.code, CR_TOML_E_IO);
    assert_non_null(strstr(err.msg, "/nonexistent/x.toml"));

    char path[] = "/tmp/cr_toml_testXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *src = "ok = 1\nbad = [1 2]\n";
    assert_int_equal(write(fd, src, strlen(src)), (ssize_t)strlen(src));
    close(fd);
    assert_int_equal(cr_toml_parse_file(path, &doc, &err), CR_TOML_E_SYNTAX);
    char want[256];
    snprintf(want, sizeof(want),
             "%s:2:10: expected ',' or ']' in array, found '2'", path);
    assert_string_equal(err.msg, want);
    unlink(path);
    cr_toml_free(NULL);
}

/* Result codes come from one list: each has its text; OK is 0. */
static void test_code_text(void **state)
{
    (void)state;
    assert_int_equal(CR_TOML_OK, 0);
    assert_string_equal(cr_toml_strerror(CR_TOML_OK), "success");
    assert_string_equal(cr_toml_strerror(CR_TOML_E_SYNTAX), "not valid TOML");
    assert_string_equal(cr_toml_strerror(CR_TOML_E_NOMEM), "out of memory");
    assert_string_equal(cr_toml_strerror(CR_TOML_E_TYPE),
                        "value of another type");
    assert_string_equal(cr_toml_strerror((enum cr_toml_code)99),
                        "unknown error");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_code_text),
        cmocka_unit_test(test_scalars_and_positions),
        cmocka_unit_test(test_typed_getters),
        cmocka_unit_test(test_document_order_and_many_keys),
        cmocka_unit_test(test_tables_and_arrays_of_tables),
        cmocka_unit_test(test_large_document),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_datetimes),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_invalid_corners),
        cmocka_unit_test(test_valid_corners),
        cmocka_unit_test(test_errorf_and_suggest),
        cmocka_unit_test(test_parse_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
