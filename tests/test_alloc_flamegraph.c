/*
 * Allocation-failure injection over the flamegraph library: collapsing,
 * writing folded stacks, rendering (plain and differential) and the top
 * table. Allocation N fails for N = 0, 1, 2... until the whole pipeline
 * runs; every failure must come back as FG_E_NOMEM (or -ENOMEM from a
 * writer), never a crash, and ASan finds what leaks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fg_collapse.h"
#include "fg_folded.h"
#include "fg_render.h"
#include "fg_top.h"
#include "test_alloc_fail.h"

#include <errno.h>

static const char perf_text[] =
    "bench 1 1.0: 10 cpu-clock:\n"
    "\tffff81 _raw_spin_unlock+0x19 ([kernel.kallsyms])\n"
    "\t21932 memset+0x32 (/usr/lib/ld.so)\n"
    "\t80c5 a->b->c+0x1 (/bin/bench)\n"
    "\t7f3f [unknown] (/usr/lib/libfoo.so.1)\n"
    "\n"
    "bench 1 1.1: 20 cpu-clock:\n"
    "\t80c5 ns::f(int) (/bin/bench)\n"
    "\t80c6 main (/bin/bench)\n"
    "\n"
    "other 2 1.2: 5 instructions:\n"
    "\t1 g (/a)\n\n";

/* The pipeline; 0 when it all worked, -ENOMEM when an allocation failed
 * and every step said so cleanly. */
static int pipeline(struct cr_buf *result)
{
    struct fg_map m, d;
    struct fg_collapse c;
    struct fg_collapse_opts o = { .kernel = true };
    struct fg_render_opts ro;
    struct fg_top t = { 0 };
    struct cr_buf out = { 0 };
    enum fg_code rc;
    int r = 0;

    fg_map_init(&m);
    fg_map_init(&d);
    fg_render_opts_init(&ro);
    fg_collapse_init(&c, &o, &m);
    rc = fg_collapse_mem(&c, perf_text, sizeof(perf_text) - 1, NULL);
    if (rc == FG_OK)
        r = fg_folded_write(&m, 1, &out);
    else
        assert_int_equal(rc, FG_E_NOMEM);
    if (rc == FG_OK && r == 0) {
        rc = fg_render(&m, &ro, &out, NULL, NULL);
        if (rc != FG_OK)
            assert_int_equal(rc, FG_E_NOMEM);
    }
    if (rc == FG_OK && r == 0) {
        rc = fg_top_compute(&t, &m, NULL);
        if (rc == FG_OK)
            r = fg_top_json(&t, 0, "samples", &out);
        else
            assert_int_equal(rc, FG_E_NOMEM);
    }
    if (rc == FG_OK && r == 0) {
        static const char old[] = "bench;main 5\nbench;x 9\n";
        rc = fg_folded_read_mem(&d, old, sizeof(old) - 1, 0, NULL, NULL);
        for (size_t i = 0; rc == FG_OK && i < m.n; i++)
            if (fg_map_add(&d, fg_map_key(&m, &m.v[i]), m.v[i].len, 0,
                           m.v[i].count[0]) != 0)
                rc = FG_E_NOMEM;
        if (rc == FG_OK)
            rc = fg_render_diff(&d, &ro, &out, NULL, NULL);
        if (rc != FG_OK)
            assert_int_equal(rc, FG_E_NOMEM);
    }
    if (r != 0)
        assert_int_equal(r, -ENOMEM);
    if (rc == FG_OK && r == 0 && cr_buf_append(result, out.data, out.len))
        r = -ENOMEM;
    fg_top_release(&t);
    cr_buf_release(&out);
    fg_collapse_release(&c);
    fg_map_release(&d);
    fg_map_release(&m);
    return rc == FG_OK && r == 0 ? 0 : -ENOMEM;
}

static void test_sweep(void **state)
{
    struct cr_buf want = { 0 };
    bool done = false;
    long n;
    (void)state;
    assert_int_equal(pipeline(&want), 0);
    for (n = 0; !done; n++) {
        struct cr_buf got = { 0 };
        struct fail_nth f;
        fail_nth_set(&f, n, false);
        int r = pipeline(&got);
        fail_nth_clear();
        done = !f.failed;
        if (done) {
            assert_int_equal(r, 0);
            assert_int_equal(got.len, want.len);
            assert_memory_equal(got.data, want.data, want.len);
        } else {
            assert_int_equal(r, -ENOMEM);
        }
        cr_buf_release(&got);
    }
    assert_true(n > 20);
    cr_buf_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
