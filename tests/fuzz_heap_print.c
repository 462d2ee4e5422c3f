/*
 * Fuzz target for the heap library's parsers: heaptrack_print's text
 * (heap_parse) and folded stacks (heap_fold_normalize). Built as a
 * libFuzzer target (fuzz_heap_print) when CLEANROOM_FUZZ=ON; built with
 * CR_FUZZ_REPLAY as heap_fuzz_replay, whose main feeds the files given on
 * its command line through the same checks, so ctest replays the recorded
 * outputs of tests/heap/ without libFuzzer.
 *
 * Beyond "no crash, no leak": an error names a line within the input, and
 * a success saw the whole summary and keeps at most HEAP_TOP sites.
 */
#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_fs.h"
#include "heap.h"
#include "heap_fold.h"
#include "heap_parse.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        __builtin_trap();
}

static size_t count_lines(const uint8_t *data, size_t size)
{
    size_t n = 1;

    for (size_t i = 0; i < size; i++)
        n += data[i] == '\n';
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct heap_result r;
    struct cr_error err = { 0 };
    struct cr_buf out = { 0 };
    enum heap_code rc;

    heap_result_init(&r);
    rc = heap_parse((const char *)data, size, &r, &err);
    if (rc == HEAP_E_PARSE)
        check(err.pos.line >= 1 && err.pos.line <= count_lines(data, size));
    else if (rc == HEAP_OK)
        check((r.have & HEAP_HAVE_PEAK_HEAP) && (r.have & HEAP_HAVE_LEAKED) &&
              r.by_calls.n <= HEAP_TOP && r.by_peak.n <= HEAP_TOP);
    heap_result_release(&r);
    if (heap_fold_normalize((const char *)data, size, &out, NULL, NULL) ==
        HEAP_OK)
        check(out.len <= size + 1 + size / 2);
    cr_buf_release(&out);
    return 0;
}

#ifdef CR_FUZZ_REPLAY
int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        char *text;
        size_t len;

        if (cr_fs_read(argv[i], &text, &len) != 0) {
            fprintf(stderr, "heap_fuzz_replay: cannot read %s\n", argv[i]);
            return 1;
        }
        LLVMFuzzerTestOneInput((const uint8_t *)text, len);
        /* Every prefix too: truncated output is the likely accident. */
        for (size_t cut = 0; cut < len; cut += 1 + len / 64)
            LLVMFuzzerTestOneInput((const uint8_t *)text, cut);
        cr_free(text);
    }
    printf("heap_fuzz_replay: %d inputs\n", argc - 1);
    return 0;
}
#endif
