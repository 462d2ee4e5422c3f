/*
 * libFuzzer target for the flamegraph collapser and renderer: any bytes as
 * perf script (or folded) input must collapse without crashing, and the
 * result must render or report "no valid input". Built with CLEANROOM_FUZZ;
 * with CR_FUZZ_REPLAY it is a plain program that runs the same checks over
 * the files in the directories given on the command line.
 */
#include "fg_collapse.h"
#include "fg_folded.h"
#include "fg_map.h"
#include "fg_render.h"
#include "fg_top.h"

#include "cr_alloc.h"
#include "cr_buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *text, size_t len,
                  const struct fg_collapse_opts *o)
{
    struct fg_map m;
    struct fg_collapse c;
    struct cr_buf out = { 0 };
    struct fg_render_opts ro;
    struct fg_top t;
    fg_map_init(&m);
    fg_collapse_init(&c, o, &m);
    if (fg_collapse_mem(&c, text, len, NULL) != FG_OK)
        abort();
    if (c.st.skipped > c.st.lines)
        abort();
    if (fg_folded_write(&m, 1, &out) != 0)
        abort();
    cr_buf_reset(&out);
    fg_render_opts_init(&ro);
    enum fg_code rc = fg_render(&m, &ro, &out, NULL, NULL);
    if (rc != FG_OK && rc != FG_E_EMPTY)
        abort();
    rc = fg_top_compute(&t, &m, NULL);
    if (rc != FG_OK && rc != FG_E_EMPTY)
        abort();
    fg_top_release(&t);
    cr_buf_release(&out);
    fg_collapse_release(&c);
    fg_map_release(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fg_collapse_opts o = { 0 };
    check((const char *)data, size, &o);
    o.tid = o.kernel = o.addrs = true;
    check((const char *)data, size, &o);
    return 0;
}

#ifdef CR_FUZZ_REPLAY
#include <dirent.h>
#include <stdio.h>

#include "cr_fs.h"

int main(int argc, char **argv)
{
    size_t files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        struct dirent *e;
        if (!d) {
            perror(argv[i]);
            return 1;
        }
        while ((e = readdir(d))) {
            char path[4096];
            char *text;
            size_t len;
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
            if (cr_fs_read(path, &text, &len) != 0)
                continue;
            LLVMFuzzerTestOneInput((const uint8_t *)text, len);
            /* Every prefix too: inputs cut anywhere. */
            for (size_t k = 0; k < len; k += 7)
                LLVMFuzzerTestOneInput((const uint8_t *)text, k);
            cr_free(text);
            files++;
        }
        closedir(d);
    }
    printf("replayed %zu files\n", files);
    return files ? 0 : 1;
}
#endif
