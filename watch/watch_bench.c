/*
 * watch_bench: the container-free part of `clnrm dev`'s latency, from a
 * save to the batch that decides a rerun, as a benchmark body the bench
 * harness can call (not built into libwatch; bench/ hooks it in later).
 *
 * One iteration: write and close a file in a watched temporary directory,
 * then watch_poll until the batch that names it (debounce 0, so the
 * figure is the watcher's own cost, not the window's). The directory is
 * made and removed by the body; nothing is printed.
 */
#include "watch.h"

#include "cr_alloc.h"
#include "cr_clock.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Declared here until the harness has a header for suites to include. */
int watch_bench_save_to_batch(size_t iterations, uint64_t *total_ns);

static int save(const char *path, size_t i)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%zu\n", i);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

    if (fd < 0)
        return -1;
    if (write(fd, text, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    return close(fd);
}

/* Runs iterations saves and adds their time to *total_ns. Returns 0, or
 * -1 when the temporary directory or the watcher cannot be used. */
int watch_bench_save_to_batch(size_t iterations, uint64_t *total_ns)
{
    char dir[] = "/tmp/watch_bench.XXXXXX";
    struct watch w = { .fd = -1 };
    struct watch_batch b = { 0 };
    char *file = NULL;
    int rc = -1;

    if (mkdtemp(dir) == NULL)
        return -1;
    if ((file = cr_strprintf("%s/t.clnrm.toml", dir)) == NULL ||
        watch_init(&w, 0, NULL, NULL, NULL) != WATCH_OK ||
        watch_add(&w, dir, NULL) != WATCH_OK)
        goto out;
    for (size_t i = 0; i < iterations; i++) {
        uint64_t t0 = cr_clock_ns();
        if (save(file, i) != 0 ||
            watch_poll(&w, 5000, NULL, &b, NULL) != WATCH_OK)
            goto out;
        *total_ns += cr_clock_ns() - t0;
    }
    rc = 0;
out:
    watch_batch_release(&b);
    watch_release(&w);
    if (file != NULL)
        unlink(file);
    cr_free(file);
    rmdir(dir);
    return rc;
}
