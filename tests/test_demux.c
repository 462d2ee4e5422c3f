/* Unit tests of the stdout/stderr frame demultiplexer (engine_demux). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "engine_stream.h"

struct seen {
    struct cr_buf out, err;
    int calls;
    int abort_after; /* abort on this call number; 0: never */
};

static int collect(void *ctx, enum engine_stream s, const char *p, size_t n)
{
    struct seen *k = ctx;

    k->calls++;
    assert_true(n > 0); /* zero-length frames are never delivered */
    assert_true(s == ENGINE_STREAM_STDOUT || s == ENGINE_STREAM_STDERR);
    if (k->abort_after && k->calls >= k->abort_after)
        return 1;
    assert_int_equal(
        cr_buf_append(s == ENGINE_STREAM_STDERR ? &k->err : &k->out, p, n), 0);
    return 0;
}

static void frame(struct cr_buf *b, int type, const char *p, size_t n)
{
    unsigned char h[8] = { (unsigned char)type,
                           0,
                           0,
                           0,
                           (unsigned char)(n >> 24),
                           (unsigned char)(n >> 16),
                           (unsigned char)(n >> 8),
                           (unsigned char)n };

    assert_int_equal(cr_buf_append(b, h, 8), 0);
    assert_int_equal(cr_buf_append(b, p, n), 0);
}

/* A stream with every kind of frame the engine sends without a TTY. */
static void sample(struct cr_buf *b, struct cr_buf *want_out,
                   struct cr_buf *want_err)
{
    char big[700];

    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    frame(b, 1, "hello\n", 6);
    frame(b, 2, "", 0);
    frame(b, 2, "oops\n", 5);
    frame(b, 0, "in", 2); /* stdin echo counts as stdout */
    frame(b, 1, "", 0);
    frame(b, 1, big, sizeof(big));
    frame(b, 2, "\0bin\0", 5);
    assert_int_equal(cr_buf_puts(want_out, "hello\nin"), 0);
    assert_int_equal(cr_buf_append(want_out, big, sizeof(big)), 0);
    assert_int_equal(cr_buf_puts(want_err, "oops\n"), 0);
    assert_int_equal(cr_buf_append(want_err, "\0bin\0", 5), 0);
}

static void check(struct seen *k, const struct cr_buf *wo,
                  const struct cr_buf *we)
{
    assert_int_equal(k->out.len, wo->len);
    assert_memory_equal(k->out.data, wo->data, wo->len);
    assert_int_equal(k->err.len, we->len);
    assert_memory_equal(k->err.data, we->data, we->len);
    cr_buf_release(&k->out);
    cr_buf_release(&k->err);
}

static void test_split_at_every_boundary(void **state)
{
    struct cr_buf in = { 0 }, wo = { 0 }, we = { 0 };

    (void)state;
    sample(&in, &wo, &we);
    for (size_t cut = 0; cut <= in.len; cut++) {
        struct seen k = { 0 };
        struct engine_demux d;

        engine_demux_init(&d, collect, &k);
        assert_int_equal(engine_demux_feed(&d, in.data, cut), ENGINE_DEMUX_OK);
        assert_int_equal(engine_demux_feed(&d, in.data + cut, in.len - cut),
                         ENGINE_DEMUX_OK);
        assert_int_equal(engine_demux_finish(&d), ENGINE_DEMUX_OK);
        check(&k, &wo, &we);
    }
    cr_buf_release(&in);
    cr_buf_release(&wo);
    cr_buf_release(&we);
}

static void test_byte_by_byte_and_three_way(void **state)
{
    struct cr_buf in = { 0 }, wo = { 0 }, we = { 0 };
    struct seen k = { 0 };
    struct engine_demux d;

    (void)state;
    sample(&in, &wo, &we);
    engine_demux_init(&d, collect, &k);
    for (size_t i = 0; i < in.len; i++)
        assert_int_equal(engine_demux_feed(&d, in.data + i, 1),
                         ENGINE_DEMUX_OK);
    assert_int_equal(engine_demux_finish(&d), ENGINE_DEMUX_OK);
    check(&k, &wo, &we);
    /* Two cuts, stepping through the first 40 bytes (headers, payloads). */
    for (size_t a = 0; a < 40; a++) {
        for (size_t b = a; b < 60; b++) {
            engine_demux_init(&d, collect, &k);
            engine_demux_feed(&d, in.data, a);
            engine_demux_feed(&d, in.data + a, b - a);
            engine_demux_feed(&d, in.data + b, in.len - b);
            assert_int_equal(engine_demux_finish(&d), ENGINE_DEMUX_OK);
            check(&k, &wo, &we);
        }
    }
    cr_buf_release(&in);
    cr_buf_release(&wo);
    cr_buf_release(&we);
}

static void test_systemerr_frame(void **state)
{
    struct cr_buf in = { 0 };
    struct seen k = { 0 };
    struct engine_demux d;

    (void)state;
    frame(&in, 1, "partial", 7);
    frame(&in, 3, "exec failed: no such file", 25);
    frame(&in, 1, "ignored", 7);
    for (size_t cut = 0; cut <= in.len; cut++) {
        engine_demux_init(&d, collect, &k);
        engine_demux_feed(&d, in.data, cut);
        assert_int_equal(engine_demux_feed(&d, in.data + cut, in.len - cut),
                         ENGINE_DEMUX_SYSTEMERR);
        assert_string_equal(d.syserr, "exec failed: no such file");
        assert_int_equal(engine_demux_finish(&d), ENGINE_DEMUX_SYSTEMERR);
        assert_string_equal(cr_buf_str(&k.out), "partial");
        cr_buf_release(&k.out);
    }
    cr_buf_release(&in);
}

static void test_truncated_and_bad(void **state)
{
    struct cr_buf in = { 0 };
    struct seen k = { 0 };
    struct engine_demux d;

    (void)state;
    frame(&in, 2, "abcdef", 6);
    /* Every proper prefix that ends inside a frame is truncated. */
    for (size_t cut = 1; cut < in.len; cut++) {
        engine_demux_init(&d, collect, &k);
        assert_int_equal(engine_demux_feed(&d, in.data, cut), ENGINE_DEMUX_OK);
        assert_int_equal(engine_demux_finish(&d), ENGINE_DEMUX_TRUNCATED);
        cr_buf_release(&k.err);
    }
    engine_demux_init(&d, collect, &k);
    assert_int_equal(engine_demux_finish(&d), ENGINE_DEMUX_OK); /* empty */
    /* A JSON error body is not a frame stream. */
    k.calls = 0;
    engine_demux_init(&d, collect, &k);
    assert_int_equal(engine_demux_feed(&d, "{\"message\":\"x\"}", 15),
                     ENGINE_DEMUX_BAD_TYPE);
    assert_int_equal(k.calls, 0);
    cr_buf_release(&in);
}

static void test_callback_abort(void **state)
{
    struct cr_buf in = { 0 };
    struct seen k = { .abort_after = 2 };
    struct engine_demux d;

    (void)state;
    frame(&in, 1, "one", 3);
    frame(&in, 1, "two", 3);
    frame(&in, 1, "three", 5);
    engine_demux_init(&d, collect, &k);
    assert_int_equal(engine_demux_feed(&d, in.data, in.len),
                     ENGINE_DEMUX_ABORTED);
    assert_int_equal(k.calls, 2);
    /* Sticky: later input is ignored. */
    assert_int_equal(engine_demux_feed(&d, in.data, in.len),
                     ENGINE_DEMUX_ABORTED);
    assert_int_equal(k.calls, 2);
    cr_buf_release(&k.out);
    cr_buf_release(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_at_every_boundary),
        cmocka_unit_test(test_byte_by_byte_and_three_way),
        cmocka_unit_test(test_systemerr_frame),
        cmocka_unit_test(test_truncated_and_bad),
        cmocka_unit_test(test_callback_abort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
