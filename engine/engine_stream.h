/*
 * engine_demux: splits the engine's multiplexed stdout/stderr stream (logs,
 * attach and exec start without a TTY) into per-stream chunks.
 *
 * Each frame is an 8-byte header [type, 0, 0, 0, size as big-endian u32]
 * followed by size payload bytes. Bytes may be fed in slices of any size;
 * a frame may span many slices. The struct is caller-allocated and holds no
 * heap memory.
 */
#ifndef ENGINE_STREAM_H
#define ENGINE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

enum engine_demux_status {
    ENGINE_DEMUX_OK = 0,
    ENGINE_DEMUX_BAD_TYPE,  /* a header with a type other than 0..3 */
    ENGINE_DEMUX_SYSTEMERR, /* the engine sent a type-3 error frame */
    ENGINE_DEMUX_ABORTED,   /* the callback returned non-zero */
    ENGINE_DEMUX_TRUNCATED, /* the stream ended inside a frame */
};

struct engine_demux {
    engine_output_fn fn; /* receives STDOUT/STDERR payload slices */
    void *ctx;
    unsigned char hdr[8];
    size_t hdr_len;     /* header bytes collected so far */
    uint32_t remaining; /* payload bytes left in the current frame */
    enum engine_stream stream;
    enum engine_demux_status status; /* sticky once not OK */
    char syserr[256]; /* the type-3 message, NUL-terminated, may be cut */
    size_t syserr_len;
};

/* Starts a demultiplexer that hands payloads to fn(ctx, ...). Stream 0
 * (stdin echo) is reported as STDOUT; zero-length frames are skipped. */
void engine_demux_init(struct engine_demux *d, engine_output_fn fn, void *ctx);

/*
 * Consumes len bytes. Returns ENGINE_DEMUX_OK, or the (sticky) failure;
 * after a failure further input is ignored. A type-3 frame is collected
 * whole into syserr before ENGINE_DEMUX_SYSTEMERR is returned.
 */
enum engine_demux_status engine_demux_feed(struct engine_demux *d,
                                           const void *data, size_t len);

/* Call at end of stream: returns ENGINE_DEMUX_TRUNCATED when the stream
 * stopped inside a header or payload, else the current status. */
enum engine_demux_status engine_demux_finish(struct engine_demux *d);

/* Feeds a response body into the demultiplexer d: the engine__sink_fn of
 * every streamed logs/exec call. Returns 0 to go on, -1 once d failed. */
int engine_demux_sink(void *d, const char *data, size_t len);

#endif
