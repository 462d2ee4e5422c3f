/* Unit tests of the flamegraph layout, SVG output, differential graphs and
 * top tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cr_alloc.h"
#include "cr_buf.h"
#include "fg_color.h"
#include "fg_folded.h"
#include "fg_layout.h"
#include "fg_map.h"
#include "fg_render.h"
#include "fg_top.h"

static void load(struct fg_map *m, const char *folded)
{
    fg_map_init(m);
    assert_int_equal(
        fg_folded_read_mem(m, folded, strlen(folded), 0, NULL, NULL), FG_OK);
}

static void check_frame(const struct fg_frame *f, const char *name,
                        unsigned depth, uint64_t start, uint64_t count)
{
    assert_int_equal(f->len, strlen(name));
    assert_memory_equal(f->name, name, f->len);
    assert_int_equal(f->depth, depth);
    assert_int_equal(f->start, start);
    assert_int_equal(f->count, count);
}

static void test_merge_and_sort(void **state)
{
    struct fg_map m;
    struct fg_layout l;
    (void)state;
    load(&m, "b;x 1\na;y 2\na;x 3\na 1\na;x 4\n");
    assert_int_equal(fg_layout_build(&l, &m, false, NULL), FG_OK);
    assert_int_equal(l.n, 6);
    check_frame(&l.v[0], "all", 0, 0, 11);
    check_frame(&l.v[1], "a", 1, 0, 10);
    check_frame(&l.v[2], "x", 2, 1, 7);
    check_frame(&l.v[3], "y", 2, 8, 2);
    check_frame(&l.v[4], "b", 1, 10, 1);
    check_frame(&l.v[5], "x", 2, 10, 1);
    fg_layout_release(&l);
    fg_map_release(&m);
}

static void test_sort_is_frame_wise(void **state)
{
    /* "a" sorts before "a_x" although ';' > '_' is false bytewise. */
    struct fg_map m;
    struct fg_layout l;
    (void)state;
    load(&m, "a_x;q 1\na;b 1\n");
    assert_int_equal(fg_layout_build(&l, &m, false, NULL), FG_OK);
    check_frame(&l.v[1], "a", 1, 0, 1);
    check_frame(&l.v[2], "b", 2, 0, 1);
    check_frame(&l.v[3], "a_x", 1, 1, 1);
    fg_layout_release(&l);
    fg_map_release(&m);
    /* A name with a byte below ';' that the fast sort cannot map. */
    load(&m, "a\001;b 1\na;c 1\n");
    assert_int_equal(fg_layout_build(&l, &m, false, NULL), FG_OK);
    check_frame(&l.v[1], "a", 1, 0, 1);
    check_frame(&l.v[2], "c", 2, 0, 1);
    check_frame(&l.v[3], "a\001", 1, 1, 1);
    fg_layout_release(&l);
    fg_map_release(&m);
}

static char *render(const char *folded, const struct fg_render_opts *o,
                    struct fg_render_result *res)
{
    struct fg_map m;
    struct cr_buf out = { 0 };
    load(&m, folded);
    assert_int_equal(fg_render(&m, o, &out, res, NULL), FG_OK);
    fg_map_release(&m);
    return cr_buf_detach(&out);
}

/* The <g> element of the frame whose tooltip starts with name. */
static const char *frame_of(const char *svg, const char *name)
{
    char key[256];
    snprintf(key, sizeof(key), "<title>%s (", name);
    const char *t = strstr(svg, key);
    assert_non_null(t);
    return t;
}

static void test_prune_and_warn(void **state)
{
    struct fg_render_opts o;
    struct fg_render_result r;
    (void)state;
    fg_render_opts_init(&o);
    char *svg = render("main;big 100000\nmain;tiny 1\n", &o, &r);
    assert_int_equal(r.total, 100001);
    assert_int_equal(r.frames, 3);
    assert_int_equal(r.pruned, 1);
    assert_false(r.few_samples);
    assert_null(strstr(svg, "tiny"));
    assert_non_null(frame_of(svg, "big"));
    cr_free(svg);
    /* The same in percent: 1% keeps nothing under 1000 counts. */
    o.minwidth = 1;
    o.minwidth_pct = true;
    svg = render("main;big 100000\nmain;small 999\n", &o, &r);
    assert_int_equal(r.pruned, 1);
    cr_free(svg);
    svg = render("main;f 5\n", &o, &r);
    assert_true(r.few_samples);
    cr_free(svg);
}

static void test_inverted(void **state)
{
    struct fg_render_opts o;
    (void)state;
    fg_render_opts_init(&o);
    char *svg = render("a;b;c 500\n", &o, NULL);
    /* Flame: the root at the bottom (row 3 of 4, y = 60 + 3 * 16). */
    assert_non_null(strstr(frame_of(svg, "all"), "y=\"108\""));
    assert_non_null(strstr(svg, ">Flame Graph<"));
    cr_free(svg);
    o.inverted = true;
    svg = render("a;b;c 500\n", &o, NULL);
    assert_non_null(strstr(frame_of(svg, "all"), "y=\"60\""));
    assert_non_null(strstr(frame_of(svg, "c"), "y=\"108\""));
    assert_non_null(strstr(svg, ">Icicle Graph<"));
    cr_free(svg);
}

static void test_colours_stable(void **state)
{
    unsigned char a[3], b[3];
    struct fg_render_opts o;
    (void)state;
    fg_color(FG_PAL_HOT, "parse_key", 9, a);
    fg_color(FG_PAL_HOT, "parse_key", 9, b);
    assert_memory_equal(a, b, 3);
    assert_int_equal(fg_frame_kind("do_sys_open_[k]", 15), FG_KIND_KERNEL);
    assert_int_equal(fg_frame_kind("entry_SYSCALL_64", 16), FG_KIND_KERNEL);
    assert_int_equal(fg_frame_kind("[libc.so.6]", 11), FG_KIND_LIB);
    assert_int_equal(fg_frame_kind("malloc", 6), FG_KIND_LIB);
    assert_int_equal(fg_frame_kind("f_[i]", 5), FG_KIND_INLINE);
    assert_int_equal(fg_frame_kind("parse_key", 9), FG_KIND_USER);
    fg_color(FG_PAL_HOT, "x_[k]", 5, a); /* kernel: blue family */
    assert_true(a[2] >= 220);
    fg_color(FG_PAL_HOT, "parse_key", 9, a); /* user: hot, red first */
    assert_true(a[0] >= 205);
    /* Two renders of the same input are the same bytes. */
    fg_render_opts_init(&o);
    char *s1 = render("a;b 10\na;c 20\n", &o, NULL);
    char *s2 = render("a;c 20\na;b 10\n", &o, NULL);
    assert_string_equal(s1, s2);
    cr_free(s1);
    cr_free(s2);
}

static void test_xml_escaping(void **state)
{
    struct fg_render_opts o;
    (void)state;
    fg_render_opts_init(&o);
    o.title = "<T&>";
    char *svg = render("a<b>;c&d\";e'f 300\n", &o, NULL);
    assert_non_null(strstr(svg, "<title>a&lt;b&gt; ("));
    assert_non_null(strstr(svg, "<title>c&amp;d&quot; ("));
    assert_non_null(strstr(svg, "&lt;T&amp;&gt;"));
    assert_null(strstr(svg, "a<b>"));
    cr_free(svg);
}

static void test_empty_input(void **state)
{
    struct fg_map m;
    struct fg_render_opts o;
    struct cr_buf out = { 0 };
    struct cr_error err = { 0 };
    (void)state;
    fg_map_init(&m);
    fg_render_opts_init(&o);
    assert_int_equal(fg_render(&m, &o, &out, NULL, &err), FG_E_EMPTY);
    assert_non_null(strstr(err.msg, "no valid input"));
    assert_int_equal(fg_render_error_svg(&out, err.msg), 0);
    assert_non_null(strstr(out.data, "ERROR: no valid input"));
    cr_buf_release(&out);
    fg_map_release(&m);
}

static void test_diff(void **state)
{
    struct fg_map m;
    struct fg_render_opts o;
    struct cr_buf out = { 0 };
    struct fg_render_result r;
    const char *old = "a;grew 100\na;shrank 300\na;gone 50\n";
    const char *nw = "a;grew 300\na;shrank 100\na;new 10\n";
    (void)state;
    fg_map_init(&m);
    fg_render_opts_init(&o);
    assert_int_equal(fg_folded_read_mem(&m, old, strlen(old), 0, NULL, NULL),
                     FG_OK);
    assert_int_equal(fg_folded_read_mem(&m, nw, strlen(nw), 1, NULL, NULL),
                     FG_OK);
    assert_int_equal(fg_render_diff(&m, &o, &out, &r, NULL), FG_OK);
    assert_int_equal(r.total, 410);
    const char *svg = out.data;
    /* grew: +200, the largest change, full red; shrank: full blue. */
    assert_non_null(strstr(frame_of(svg, "grew"), "+200 samples"));
    assert_non_null(strstr(frame_of(svg, "grew"), "fill=\"rgb(255,40,40)\""));
    assert_non_null(strstr(frame_of(svg, "shrank"), "fill=\"rgb(40,40,255)\""));
    assert_non_null(strstr(frame_of(svg, "shrank"), "-200 samples"));
    /* Widths come from the new profile: "gone" is not drawn. */
    assert_null(strstr(svg, "<title>gone"));
    cr_buf_reset(&out);
    o.negate = true;
    assert_int_equal(fg_render_diff(&m, &o, &out, &r, NULL), FG_OK);
    assert_non_null(
        strstr(frame_of(out.data, "grew"), "fill=\"rgb(40,40,255)\""));
    cr_buf_reset(&out);
    assert_int_equal(fg_folded_write(&m, 2, &out), 0);
    assert_string_equal(out.data, "a;gone 50 0\na;grew 100 300\na;new 0 10\n"
                                  "a;shrank 300 100\n");
    cr_buf_release(&out);
    fg_map_release(&m);
}

static void test_top(void **state)
{
    struct fg_map m;
    struct fg_top t;
    struct cr_buf out = { 0 };
    (void)state;
    load(&m, "main;f;f;g 10\nmain;h 5\nmain;f 5\n");
    assert_int_equal(fg_top_compute(&t, &m, NULL), FG_OK);
    assert_int_equal(t.total, 20);
    /* By flat: g 10, f 5, h 5 (cum breaks the tie), then main. */
    assert_string_equal(t.rows[0].name, "g");
    assert_string_equal(t.rows[1].name, "f");
    assert_int_equal(t.rows[1].flat, 5);
    assert_int_equal(t.rows[1].cum, 15); /* once per stack */
    assert_string_equal(t.rows[2].name, "h");
    assert_string_equal(t.rows[3].name, "main");
    assert_int_equal(t.rows[3].cum, 20);
    assert_int_equal(fg_top_text(&t, 2, "samples", &out), 0);
    assert_non_null(strstr(out.data, "flat%"));
    assert_non_null(strstr(out.data, "        10  50.00%  50.00%         10 "
                                     " 50.00%  g\n"));
    assert_null(strstr(out.data, "  h\n"));
    cr_buf_reset(&out);
    assert_int_equal(fg_top_json(&t, 0, "samples", &out), 0);
    assert_non_null(strstr(out.data, "{\"name\":\"f\",\"flat\":5,"
                                     "\"flat_pct\":25,\"sum_pct\":75,"
                                     "\"cum\":15,\"cum_pct\":75}"));
    cr_buf_release(&out);
    fg_top_release(&t);
    fg_map_release(&m);
}

/* Two threads write the frames' SVG in halves: the same bytes as one. */
static void test_threads_same_svg(void **state)
{
    struct fg_map m;
    struct fg_render_opts o;
    struct cr_buf one = { 0 }, two = { 0 };
    (void)state;
    fg_map_init(&m);
    for (int i = 0; i < 6000; i++) {
        char key[64];
        int n = snprintf(key, sizeof(key), "main;f%d;g%d&<x>", i % 97, i);
        assert_int_equal(fg_map_add(&m, key, (size_t)n, 1 + i % 5, 0), 0);
    }
    fg_render_opts_init(&o);
    o.minwidth = 0;
    assert_int_equal(fg_render(&m, &o, &one, NULL, NULL), FG_OK);
    o.threads = 2;
    assert_int_equal(fg_render(&m, &o, &two, NULL, NULL), FG_OK);
    assert_int_equal(one.len, two.len);
    assert_memory_equal(one.data, two.data, one.len);
    cr_buf_release(&one);
    cr_buf_release(&two);
    fg_map_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_and_sort),
        cmocka_unit_test(test_sort_is_frame_wise),
        cmocka_unit_test(test_prune_and_warn),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_colours_stable),
        cmocka_unit_test(test_xml_escaping),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_top),
        cmocka_unit_test(test_threads_same_svg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
