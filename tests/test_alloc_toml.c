/*
 * Allocation-failure injection over the TOML parser: every allocation of
 * cr_toml_parse and cr_toml_parse_file may fail, and each failure must be
 * CR_TOML_E_NOMEM with no document and nothing leaked, until the parse needs
 * no failing allocation and gives the same tree as an unhindered parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cr_buf.h"
#include "cr_fs.h"
#include "cr_toml.h"
#include "test_alloc_fail.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

/* Every value kind, arrays of tables, inline tables, dotted keys, dates. */
static const char doc_text[] =
    "title = \"sweep \\u00e9\"\n"
    "literal = 'C:\\path'\n"
    "multi = \"\"\"\nline one\nline two\"\"\"\n"
    "raw = '''\nraw\\n'''\n"
    "int = -42\nhex = 0xff\nfloat = 6.5e-1\ninf = inf\nyes = true\n"
    "odt = 1979-05-27T07:32:00.5-07:00\n"
    "ldt = 1979-05-27T07:32:00\n"
    "ld = 1979-05-27\nlt = 07:32:00.999\n"
    "mixed = [1, \"two\", [3.0, false], { four = 4 }]\n"
    "site.owner.name = \"tom\"\n"
    "\"quoted key\".x = 1\n"
    "point = { x = 1, y = { z = [1, 2] } }\n"
    "[table.sub]\nkey = \"v\"\n"
    "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n"
    "[[fruits.varieties]]\nname = \"red delicious\"\n"
    "[[fruits]]\nname = \"banana\"\n";

/* Dumping runs without the hook, so it cannot fail. */
#define OK(call) assert_int_equal((call), 0)

/* Appends a canonical dump of v to b, so two parses can be compared. */
static void dump(struct cr_buf *b, const struct cr_toml_value *v)
{
    const struct cr_toml_datetime *dt;

    switch (cr_toml_type(v)) {
    case CR_TOML_TABLE:
        OK(cr_buf_puts(b, "{"));
        for (size_t i = 0; i < cr_toml_len(v); i++) {
            OK(cr_buf_printf(b, "%s=", cr_toml_key_at(v, i, NULL)));
            dump(b, cr_toml_value_at(v, i));
            OK(cr_buf_puts(b, ","));
        }
        OK(cr_buf_puts(b, "}"));
        break;
    case CR_TOML_ARRAY:
        OK(cr_buf_puts(b, "["));
        for (size_t i = 0; i < cr_toml_len(v); i++) {
            dump(b, cr_toml_at(v, i));
            OK(cr_buf_puts(b, ","));
        }
        OK(cr_buf_puts(b, "]"));
        break;
    case CR_TOML_STRING:
        OK(cr_buf_printf(b, "\"%s\"", cr_toml_string(v, NULL)));
        break;
    case CR_TOML_INTEGER:
        OK(cr_buf_printf(b, "%" PRId64, cr_toml_int(v)));
        break;
    case CR_TOML_FLOAT:
        OK(cr_buf_printf(b, "%g", cr_toml_float(v)));
        break;
    case CR_TOML_BOOL:
        OK(cr_buf_puts(b, cr_toml_bool(v) ? "true" : "false"));
        break;
    default:
        dt = cr_toml_datetime(v);
        OK(cr_buf_printf(b, "%s(%d-%d-%d %d:%d:%d.%d%+d)",
                         cr_toml_type_name(cr_toml_type(v)), dt->year,
                         dt->month, dt->day, dt->hour, dt->minute, dt->second,
                         dt->nanosecond, dt->offset_minutes));
        break;
    }
}

/* The dump of the document parsed without any failure. */
static void reference(struct cr_buf *b)
{
    struct cr_toml_doc *doc = NULL;

    assert_int_equal(
        cr_toml_parse(doc_text, sizeof(doc_text) - 1, "t.toml", &doc, NULL),
        CR_TOML_OK);
    dump(b, cr_toml_root(doc));
    cr_toml_free(doc);
}

/* Sweeps N over one parse, from a buffer (path NULL) or from path. */
static long sweep(const char *path)
{
    struct cr_buf want = { 0 };
    long n;
    bool done = false;

    reference(&want);
    for (n = 0; !done; n++) {
        struct cr_toml_doc *doc = (struct cr_toml_doc *)&want;
        struct cr_error err = { 0 };
        struct fail_nth f;
        enum cr_toml_code rc;

        fail_nth_set(&f, n, false);
        rc = path ? cr_toml_parse_file(path, &doc, &err)
                  : cr_toml_parse(doc_text, sizeof(doc_text) - 1, "t.toml",
                                  &doc, &err);
        fail_nth_clear();
        done = !f.failed;
        if (done) {
            struct cr_buf got = { 0 };
            assert_int_equal(rc, CR_TOML_OK);
            dump(&got, cr_toml_root(doc));
            assert_string_equal(cr_buf_str(&got), cr_buf_str(&want));
            cr_buf_release(&got);
        } else {
            if (rc != CR_TOML_E_NOMEM)
                fail_msg("allocation %ld failed: code %d, \"%s\"", n, rc,
                         err.msg);
            assert_int_equal(err.code, CR_TOML_E_NOMEM);
            assert_null(doc);
        }
        cr_toml_free(doc);
    }
    cr_buf_release(&want);
    print_message("%s: %ld allocations swept\n", path ? "file" : "buffer", n);
    return n;
}

static void test_parse_buffer(void **state)
{
    (void)state;
    assert_true(sweep(NULL) > 1);
}

/* Reading the file may run out of memory too: that is not an I/O error. */
static void test_parse_file(void **state)
{
    char path[] = "/tmp/cr-alloc-toml-XXXXXX";
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(
        cr_fs_write_atomic(path, doc_text, sizeof(doc_text) - 1, 0600), 0);
    assert_true(sweep(path) > 1);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_buffer),
        cmocka_unit_test(test_parse_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
