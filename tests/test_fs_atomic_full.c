/* cr_fs_write_atomic on a full disk (issue 17): a write that runs out of
 * space fails with the reason, leaves the old file whole and no temporary
 * file behind. A full disk is simulated with RLIMIT_FSIZE in a child
 * process, so the limit never reaches the test runner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cr_fs.h"

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* In the child: files may not grow past 16 bytes, and exceeding it is an
 * error (EFBIG) rather than the default SIGXFSZ. Exit 0 when the write
 * failed with EFBIG. */
static int child_write(const char *path)
{
    static char big[4096];
    struct rlimit lim = { 16, 16 };

    memset(big, 'x', sizeof(big));
    signal(SIGXFSZ, SIG_IGN);
    if (setrlimit(RLIMIT_FSIZE, &lim) != 0)
        return 2;
    return cr_fs_write_atomic(path, big, sizeof(big), 0644) == -EFBIG ? 0 : 1;
}

static void test_full_disk_keeps_old_file(void **state)
{
    char dir[] = "/tmp/cr-full-XXXXXX", path[64], cmd[96];
    char *got = NULL;
    size_t len = 0;
    int status = -1;
    pid_t pid;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/report.json", dir);
    assert_int_equal(cr_fs_write_atomic(path, "OLD", 3, 0644), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(child_write(path));
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(cr_fs_read(path, &got, &len), 0);
    assert_int_equal(len, 3);
    assert_memory_equal(got, "OLD", 3);
    free(got);
    assert_int_equal(entries(dir), 1); /* no temporary left */
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_disk_keeps_old_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
