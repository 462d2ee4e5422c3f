/* engine_demux: the stdout/stderr frame state machine. See engine_stream.h. */
#include "engine_stream.h"

#include <string.h>

void engine_demux_init(struct engine_demux *d, engine_output_fn fn, void *ctx)
{
    memset(d, 0, sizeof(*d));
    d->fn = fn;
    d->ctx = ctx;
}

/* Takes header bytes; returns how many of len were used. */
static size_t take_header(struct engine_demux *d, const unsigned char *p,
                          size_t len)
{
    size_t want = sizeof(d->hdr) - d->hdr_len;
    size_t n = len < want ? len : want;

    memcpy(d->hdr + d->hdr_len, p, n);
    d->hdr_len += n;
    if (d->hdr_len < sizeof(d->hdr))
        return n;
    if (d->hdr[0] > ENGINE_STREAM_SYSTEMERR) {
        d->status = ENGINE_DEMUX_BAD_TYPE;
        return n;
    }
    /* Stream 0 only appears as an echo of stdin: show it as stdout. */
    d->stream = d->hdr[0] == ENGINE_STREAM_STDIN
                    ? ENGINE_STREAM_STDOUT
                    : (enum engine_stream)d->hdr[0];
    d->remaining = (uint32_t)d->hdr[4] << 24 | (uint32_t)d->hdr[5] << 16 |
                   (uint32_t)d->hdr[6] << 8 | (uint32_t)d->hdr[7];
    d->hdr_len = 0;
    if (d->remaining == 0 && d->stream == ENGINE_STREAM_SYSTEMERR)
        d->status = ENGINE_DEMUX_SYSTEMERR;
    return n;
}

static void take_syserr(struct engine_demux *d, const unsigned char *p,
                        size_t n)
{
    size_t room = sizeof(d->syserr) - 1 - d->syserr_len;
    size_t keep = n < room ? n : room;

    memcpy(d->syserr + d->syserr_len, p, keep);
    d->syserr_len += keep;
    d->syserr[d->syserr_len] = '\0';
}

/* Takes payload bytes of the current frame; returns how many were used. */
static size_t take_payload(struct engine_demux *d, const unsigned char *p,
                           size_t len)
{
    size_t n = len < d->remaining ? len : d->remaining;

    if (d->stream == ENGINE_STREAM_SYSTEMERR) {
        take_syserr(d, p, n);
        d->remaining -= (uint32_t)n;
        if (d->remaining == 0)
            d->status = ENGINE_DEMUX_SYSTEMERR;
        return n;
    }
    if (d->fn && d->fn(d->ctx, d->stream, (const char *)p, n) != 0)
        d->status = ENGINE_DEMUX_ABORTED;
    d->remaining -= (uint32_t)n;
    return n;
}

enum engine_demux_status engine_demux_feed(struct engine_demux *d,
                                           const void *data, size_t len)
{
    const unsigned char *p = data;

    while (len > 0 && d->status == ENGINE_DEMUX_OK) {
        size_t used =
            d->remaining > 0 ? take_payload(d, p, len) : take_header(d, p, len);
        p += used;
        len -= used;
    }
    return d->status;
}

enum engine_demux_status engine_demux_finish(struct engine_demux *d)
{
    if (d->status == ENGINE_DEMUX_OK && (d->hdr_len > 0 || d->remaining > 0))
        d->status = ENGINE_DEMUX_TRUNCATED;
    return d->status;
}

int engine_demux_sink(void *d, const char *data, size_t len)
{
    return engine_demux_feed(d, data, len) == ENGINE_DEMUX_OK ? 0 : -1;
}
