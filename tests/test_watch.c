/* Unit tests of the watch library on a temporary directory. Every wait is
 * on the watcher's own descriptor with a generous timeout; inotify queues
 * an event during the system call that causes it, so a poll with timeout 0
 * right after a call sees exactly what that call produced. */
#include "watch.h"

#include "test_alloc_fail.h"

#include "cr_alloc.h"
#include "cr_fs.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#define GENEROUS_MS 5000

struct fixture {
    char dir[64];
    struct watch w;
    struct watch_batch b;
};

static char *path_in(const struct fixture *f, const char *name)
{
    return cr_strprintf("%s/%s", f->dir, name);
}

static void write_file(const struct fixture *f, const char *name,
                       const char *text)
{
    char *p = path_in(f, name);
    FILE *fp = fopen(p, "w");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    cr_free(p);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    snprintf(f->dir, sizeof(f->dir), "/tmp/test_watch.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    assert_int_equal(watch_init(&f->w, 0, NULL, NULL, NULL), WATCH_OK);
    *state = f;
    return 0;
}

static void rm_tree(const char *dir)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    watch_batch_release(&f->b);
    watch_release(&f->w);
    rm_tree(f->dir);
    free(f);
    return 0;
}

static bool has(const struct cr_strv *sv, const struct fixture *f,
                const char *name)
{
    char *p = path_in(f, name);
    bool found = cr_strv_find(sv, p) >= 0;

    cr_free(p);
    return found;
}

static void saved_file_is_reported(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    write_file(f, "a.clnrm.toml", "x");
    assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                     WATCH_OK);
    assert_int_equal(f->b.changed.n, 1);
    assert_true(has(&f->b.changed, f, "a.clnrm.toml"));
    assert_int_equal(f->b.removed.n, 0);
    assert_true(f->b.first_event_ns > 0);
}

/* A write without close is not a save: nothing until the close. */
static void open_write_is_not_a_save(void **state)
{
    struct fixture *f = *state;
    char *p = path_in(f, "open.txt");
    int fd = open(p, O_WRONLY | O_CREAT, 0644);

    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "abc", 3), 3);
    assert_int_equal(watch_poll(&f->w, 0, NULL, &f->b, NULL), WATCH_E_TIMEOUT);
    assert_int_equal(f->b.changed.n, 0);
    close(fd);
    assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                     WATCH_OK);
    assert_true(has(&f->b.changed, f, "open.txt"));
    cr_free(p);
}

/* An editor's burst (two files, several writes) within the window is one
 * batch with each path once. */
static void burst_folds_into_one_batch(void **state)
{
    struct fixture *f = *state;

    f->w.debounce_ms = 200;
    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    write_file(f, "one", "1");
    write_file(f, "two", "2");
    write_file(f, "one", "3");
    assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                     WATCH_OK);
    assert_int_equal(f->b.changed.n, 2);
    assert_true(has(&f->b.changed, f, "one"));
    assert_true(has(&f->b.changed, f, "two"));
    assert_int_equal(watch_poll(&f->w, 0, NULL, &f->b, NULL), WATCH_E_TIMEOUT);
}

/* A single file saved by write-rename (a new inode) stays watched; a
 * neighbour that was not asked for is not reported. */
static void write_rename_save_of_a_single_file(void **state)
{
    struct fixture *f = *state;
    char *p = path_in(f, "t.clnrm.toml"), *tmp = path_in(f, ".t.swp");

    write_file(f, "t.clnrm.toml", "old");
    assert_int_equal(watch_add(&f->w, p, NULL), WATCH_OK);
    for (int round = 0; round < 2; round++) {
        write_file(f, ".t.swp", "new");
        assert_int_equal(rename(tmp, p), 0);
        assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                         WATCH_OK);
        assert_int_equal(f->b.changed.n, 1);
        assert_true(has(&f->b.changed, f, "t.clnrm.toml"));
        assert_int_equal(f->b.removed.n, 0);
    }
    write_file(f, "other", "x");
    assert_int_equal(watch_poll(&f->w, 0, NULL, &f->b, NULL), WATCH_E_TIMEOUT);
    cr_free(p);
    cr_free(tmp);
}

/* Directories created after the start are watched, and what was written
 * in them before their watch existed is reported too. */
static void new_directories_are_watched(void **state)
{
    struct fixture *f = *state;
    char *sub = path_in(f, "sub"), *deep = path_in(f, "sub/deep");

    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    assert_int_equal(watch_count(&f->w), 1);
    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(mkdir(deep, 0755), 0);
    write_file(f, "sub/deep/early", "x");
    assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                     WATCH_OK);
    assert_true(has(&f->b.changed, f, "sub/deep/early"));
    assert_int_equal(watch_count(&f->w), 3);
    write_file(f, "sub/deep/late", "y");
    assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                     WATCH_OK);
    assert_true(has(&f->b.changed, f, "sub/deep/late"));
    cr_free(sub);
    cr_free(deep);
}

static void removal_is_reported(void **state)
{
    struct fixture *f = *state;
    char *p = path_in(f, "gone");

    write_file(f, "gone", "x");
    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                     WATCH_OK);
    assert_int_equal(f->b.changed.n, 0);
    assert_true(has(&f->b.removed, f, "gone"));
    cr_free(p);
}

static bool skip_hidden(void *ctx, const char *path, bool is_dir)
{
    const char *base = strrchr(path, '/');

    (void)ctx;
    (void)is_dir;
    return base == NULL || base[1] != '.';
}

static void filter_drops_paths(void **state)
{
    struct fixture *f = *state;

    f->w.filter = skip_hidden;
    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    write_file(f, ".hidden", "x");
    assert_int_equal(watch_poll(&f->w, 0, NULL, &f->b, NULL), WATCH_E_TIMEOUT);
    write_file(f, "shown", "x");
    assert_int_equal(watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL),
                     WATCH_OK);
    assert_int_equal(f->b.changed.n, 1);
    assert_true(has(&f->b.changed, f, "shown"));
}

static void cancel_flag_stops_the_wait(void **state)
{
    struct fixture *f = *state;
    atomic_int cancel = 1;
    struct cr_error e = { 0 };

    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    assert_int_equal(watch_poll(&f->w, -1, &cancel, &f->b, &e),
                     WATCH_E_CANCELLED);
    assert_int_equal(e.code, WATCH_E_CANCELLED);
}

static void missing_path_is_an_error(void **state)
{
    struct fixture *f = *state;
    struct cr_error e = { 0 };
    char *p = path_in(f, "nope");

    assert_int_equal(watch_add(&f->w, p, &e), WATCH_E_SYS);
    assert_non_null(strstr(e.msg, "nope"));
    assert_string_equal(watch_strerror(WATCH_E_SYS), "system error");
    cr_free(p);
}

/* Every allocation of watching a tree fails in turn: each failure is a
 * clean WATCH_E_NOMEM (leaks are ASan's to find), and the sweep ends with
 * a success. */
static void alloc_failures_in_add(void **state)
{
    struct fixture *f = *state;
    char *sub = path_in(f, "a"), *deep = path_in(f, "a/b");
    struct fail_nth fn;
    enum watch_code rc;
    long n = 0;

    assert_int_equal(mkdir(sub, 0755), 0);
    assert_int_equal(mkdir(deep, 0755), 0);
    do {
        struct watch w;
        assert_int_equal(watch_init(&w, 0, NULL, NULL, NULL), WATCH_OK);
        fail_nth_set(&fn, n++, true);
        rc = watch_add(&w, f->dir, NULL);
        fail_nth_clear();
        if (fn.failed)
            assert_int_equal(rc, WATCH_E_NOMEM);
        else
            assert_int_equal(rc, WATCH_OK);
        watch_release(&w);
    } while (fn.failed);
    cr_free(sub);
    cr_free(deep);
}

/* The same for reading a batch that holds a new directory. */
static void alloc_failures_in_poll(void **state)
{
    struct fixture *f = *state;
    struct fail_nth fn;
    enum watch_code rc;
    long n = 0;

    assert_int_equal(watch_add(&f->w, f->dir, NULL), WATCH_OK);
    do {
        char name[32], *p;
        snprintf(name, sizeof(name), "d%ld", n);
        p = path_in(f, name);
        assert_int_equal(mkdir(p, 0755), 0);
        cr_free(p);
        snprintf(name, sizeof(name), "d%ld/file", n);
        write_file(f, name, "x");
        fail_nth_set(&fn, n++, true);
        rc = watch_poll(&f->w, GENEROUS_MS, NULL, &f->b, NULL);
        fail_nth_clear();
        if (fn.failed)
            assert_int_equal(rc, WATCH_E_NOMEM);
        else
            assert_int_equal(rc, WATCH_OK);
        watch_batch_release(&f->b);
    } while (fn.failed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(saved_file_is_reported, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(open_write_is_not_a_save, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(burst_folds_into_one_batch, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(write_rename_save_of_a_single_file,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(new_directories_are_watched, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(removal_is_reported, setup, teardown),
        cmocka_unit_test_setup_teardown(filter_drops_paths, setup, teardown),
        cmocka_unit_test_setup_teardown(cancel_flag_stops_the_wait, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(missing_path_is_an_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(alloc_failures_in_add, setup, teardown),
        cmocka_unit_test_setup_teardown(alloc_failures_in_poll, setup,
                                        teardown),
    };

    cr_alloc_set(NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
