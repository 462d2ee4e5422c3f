/*
 * clnrm_demux: splits the engine's multiplexed stdout/stderr stream (logs,
 * attach and exec start without a TTY) into per-stream chunks.
 *
 * Each frame is an 8-byte header [type, 0, 0, 0, size as big-endian u32]
 * followed by size payload bytes. Bytes may be fed in slices of any size;
 * a frame may span many slices. The struct is caller-allocated and holds no
 * heap memory.
 */
#ifndef CLNRM_ENGINE_STREAM_H
#define CLNRM_ENGINE_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "engine.h"

enum clnrm_demux_status {
    CLNRM_DEMUX_OK = 0,
    CLNRM_DEMUX_BAD_TYPE,  /* a header with a type other than 0..3 */
    CLNRM_DEMUX_SYSTEMERR, /* the engine sent a type-3 error frame */
    CLNRM_DEMUX_ABORTED,   /* the callback returned non-zero */
    CLNRM_DEMUX_TRUNCATED, /* the stream ended inside a frame */
};

struct clnrm_demux {
    clnrm_output_fn fn; /* receives STDOUT/STDERR payload slices */
    void *ctx;
    unsigned char hdr[8];
    size_t hdr_len;     /* header bytes collected so far */
    uint32_t remaining; /* payload bytes left in the current frame */
    enum clnrm_stream stream;
    enum clnrm_demux_status status; /* sticky once not OK */
    char syserr[256]; /* the type-3 message, NUL-terminated, may be cut */
    size_t syserr_len;
};

/* Starts a demultiplexer that hands payloads to fn(ctx, ...). Stream 0
 * (stdin echo) is reported as STDOUT; zero-length frames are skipped. */
void clnrm_demux_init(struct clnrm_demux *d, clnrm_output_fn fn, void *ctx);

/*
 * Consumes len bytes. Returns CLNRM_DEMUX_OK, or the (sticky) failure;
 * after a failure further input is ignored. A type-3 frame is collected
 * whole into syserr before CLNRM_DEMUX_SYSTEMERR is returned.
 */
enum clnrm_demux_status clnrm_demux_feed(struct clnrm_demux *d,
                                         const void *data, size_t len);

/* Call at end of stream: returns CLNRM_DEMUX_TRUNCATED when the stream
 * stopped inside a header or payload, else the current status. */
enum clnrm_demux_status clnrm_demux_finish(struct clnrm_demux *d);

#endif
