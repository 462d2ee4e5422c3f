/* bench: the watch suite (see bench_watch.h). */
#include "bench_watch.h"
#include "cr_alloc.h"
#include "watch.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct ctx {
    struct watch w;
    char *file;
    int failed;
};

/* What an editor's save does: write the file whole and close it. */
static int save(const char *path, uint64_t i)
{
    char text[32];
    int n = snprintf(text, sizeof(text), "%llu\n", (unsigned long long)i);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -1;
    if (write(fd, text, (size_t)n) != n) {
        close(fd);
        return -1;
    }
    return close(fd);
}

/* One save, then the poll that returns the batch naming it. The debounce
 * window is 0, so this is the watcher's own cost, not the window's. */
static void save_to_batch_loop(struct bench_b *b, void *arg)
{
    struct ctx *c = arg;
    for (uint64_t i = 0; i < b->n && !c->failed; i++) {
        struct watch_batch batch = { 0 };
        if (save(c->file, i) != 0 ||
            watch_poll(&c->w, 5000, NULL, &batch, NULL) != WATCH_OK)
            c->failed = 1;
        bench_keep(&batch);
        watch_batch_release(&batch);
    }
}

int bench_suite_watch(struct bench_ctx *ctx)
{
    char dir[] = "/tmp/bench_watch.XXXXXX";
    struct ctx c = { .w = { .fd = -1 } };
    int rc = -1;
    if (!mkdtemp(dir))
        return -1;
    if ((c.file = cr_strprintf("%s/t.clnrm.toml", dir)) != NULL &&
        watch_init(&c.w, 0, NULL, NULL, NULL) == WATCH_OK &&
        watch_add(&c.w, dir, NULL) == WATCH_OK)
        rc = bench_run(ctx, "Watch/save-to-batch", save_to_batch_loop, &c);
    rc |= c.failed;
    watch_release(&c.w);
    if (c.file)
        unlink(c.file);
    cr_free(c.file);
    rmdir(dir);
    return rc;
}
