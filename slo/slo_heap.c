/* slo: one run under heaptrack as a sample. See slo_heap.h. */
#include "slo_heap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cr_alloc.h"
#include "cr_buf.h"

bool slo_metric_is_heap(enum slo_metric m)
{
    return m == SLO_PEAK_HEAP_MB || m == SLO_LEAKED_KB;
}

void slo_heap_sample(const struct heap_result *hr, struct slo_sample *s)
{
    memset(s, 0, sizeof(*s));
    s->wall_ms = hr->runtime_s * 1e3;
    s->rss_mb = (double)hr->peak_rss / 1048576.0;
    s->peak_heap_mb = (double)hr->peak_heap / 1e6;
    s->leaked_kb = (double)hr->leaked / 1e3;
}

/* Removes the files heaptrack may have left in dir, then dir. */
static void remove_dir(const char *dir)
{
    static const char *const names[] = { "heaptrack", "heaptrack.zst",
                                         "heaptrack.gz" };
    char path[4096];

    for (size_t i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

enum slo_code slo_heap_run_once(const char *cwd, char *const *argv,
                                const atomic_int *stop, struct slo_sample *s,
                                struct cr_error *err)
{
    const char *tmp = getenv("TMPDIR");
    struct cr_buf dir = { 0 }, data = { 0 };
    struct heap_run_opts o = { .argv = (const char *const *)argv,
                               .cwd = cwd,
                               .timeout_ms = SLO_HEAP_TIMEOUT_MS,
                               .stop = stop };
    struct heap_result hr;
    struct heap_run_info info = { 0 };
    enum heap_code hc;
    enum slo_code rc = SLO_OK;

    if (cr_buf_printf(&dir, "%s/slo-heap-XXXXXX", tmp && *tmp ? tmp : "/tmp")) {
        cr_buf_release(&dir);
        return slo_error_set(err, SLO_E_NOMEM, "out of memory");
    }
    if (!mkdtemp(dir.data)) {
        rc = slo_error_set(err, SLO_E_IO, "cannot create %s: %s", dir.data,
                           strerror(errno));
        cr_buf_release(&dir);
        return rc;
    }
    if (cr_buf_printf(&data, "%s/heaptrack", dir.data)) {
        rc = slo_error_set(err, SLO_E_NOMEM, "out of memory");
        goto out;
    }
    o.data = data.data;
    heap_result_init(&hr);
    hc = heap_run(&o, &hr, &info, err);
    if (hc) {
        rc = slo_from_heap(hc); /* err already says what happened */
        if (err)
            err->code = rc;
    } else
        slo_heap_sample(&hr, s);
    heap_result_release(&hr);
    heap_run_info_release(&info);
out:
    remove_dir(dir.data);
    cr_buf_release(&dir);
    cr_buf_release(&data);
    return rc;
}
