/*
 * Fuzz target for the exec/logs stream demultiplexer (engine_stream.h).
 * The first byte picks the slice size the rest is fed in (1..256 bytes),
 * as the network may cut the stream anywhere. Checks: the payload bytes
 * handed out never exceed the input, a failure is sticky, and the type-3
 * message stays NUL-terminated inside its buffer.
 */
#include "engine_stream.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

struct seen {
    size_t bytes;
    size_t calls;
};

static int on_chunk(void *ctx, enum engine_stream s, const char *p, size_t n)
{
    struct seen *v = ctx;

    check(s == ENGINE_STREAM_STDOUT || s == ENGINE_STREAM_STDERR);
    check(n > 0 && p != NULL);
    v->bytes += n;
    v->calls++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct engine_demux d;
    struct seen v = { 0, 0 };
    enum engine_demux_status st = ENGINE_DEMUX_OK, end;
    size_t step;

    if (size == 0)
        return 0;
    step = (size_t)data[0] + 1;
    data++;
    size--;
    engine_demux_init(&d, on_chunk, &v);
    for (size_t off = 0; off < size; off += step) {
        size_t n = size - off < step ? size - off : step;
        enum engine_demux_status now = engine_demux_feed(&d, data + off, n);
        if (st != ENGINE_DEMUX_OK)
            check(now == st);
        st = now;
    }
    end = engine_demux_finish(&d);
    check(st == ENGINE_DEMUX_OK
              ? (end == ENGINE_DEMUX_OK || end == ENGINE_DEMUX_TRUNCATED)
              : end == st);
    check(v.bytes <= size);
    check(d.syserr_len < sizeof(d.syserr));
    check(memchr(d.syserr, '\0', sizeof(d.syserr)) != NULL);
    return 0;
}
