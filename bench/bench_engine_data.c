/*
 * bench engine-data: the engine client's decoding of typical engine
 * responses, from memory (no engine, no socket):
 *
 *   JSON/container-inspect  parse a GET /containers/{id}/json reply and read
 *                           what the runner reads (state, exit code, IP)
 *   JSON/exec-inspect       parse a GET /exec/{id}/json reply, read ExitCode
 *   JSON/list-500           a 500-container GET /containers/json reply into
 *                           engine objects (ids and labels), as the janitor
 *                           and `clnrm reap` read it
 *   Demux/4KiB-frames       1 MiB of exec output in 4 KiB frames of both
 *                           streams, fed in 16 KiB slices as libcurl hands
 *                           them over
 *
 * It measures the engine library's private decoders (engine_int.h), so it
 * lives beside them in spirit: it links only the engine library.
 */
#include "bench_engine_data.h"

#include "cr_alloc.h"
#include "cr_buf.h"
#include "engine_int.h"
#include "engine_stream.h"

#include <stdio.h>
#include <string.h>

static const char inspect_json[] =
    "{\"Id\":\"4fa6e0f0c6786287e131c3852c58a2e01cc697a68231826813597e4994f1d6e"
    "2\",\"Created\":\"2026-12-03T17:20:01.123456789Z\",\"Path\":\"sleep\","
    "\"Args\":[\"infinity\"],\"State\":{\"Status\":\"running\",\"Running\":"
    "true,\"Paused\":false,\"Restarting\":false,\"OOMKilled\":false,\"Dead\":"
    "false,\"Pid\":31337,\"ExitCode\":0,\"Error\":\"\",\"StartedAt\":\"2026-"
    "12-03T17:20:01.5Z\",\"FinishedAt\":\"0001-01-01T00:00:00Z\"},\"Image\":"
    "\"sha256:9c7a54a9a43cca047013b82af109fe963fde787f63f9e016fdc3384500c2823"
    "d\",\"Name\":\"/clnrm-hello-default-1\",\"RestartCount\":0,\"Driver\":"
    "\"overlay2\",\"Platform\":\"linux\",\"HostConfig\":{\"NetworkMode\":"
    "\"none\",\"Memory\":536870912,\"PidsLimit\":256,\"CapDrop\":[\"ALL\"],"
    "\"CapAdd\":[\"CHOWN\",\"DAC_OVERRIDE\",\"FOWNER\",\"SETUID\",\"SETGID\","
    "\"KILL\",\"NET_BIND_SERVICE\"],\"SecurityOpt\":[\"no-new-privileges\"],"
    "\"ReadonlyRootfs\":false,\"Tmpfs\":{\"/tmp\":\"rw,size=64m\"}},"
    "\"Config\":{\"Hostname\":\"4fa6e0f0c678\",\"User\":\"\",\"Env\":["
    "\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
    "\"MODE=test\",\"LANG=C.UTF-8\"],\"Cmd\":[\"sleep\",\"infinity\"],"
    "\"Image\":\"clnrm-base:latest\",\"WorkingDir\":\"/\",\"Labels\":{"
    "\"cleanroom.owner\":\"clnrm\",\"cleanroom.run\":\"run-2026-12-03-1\","
    "\"cleanroom.test\":\"hello\",\"cleanroom.pid\":\"4242\"}},"
    "\"NetworkSettings\":{\"SandboxID\":\"8d2b\",\"Ports\":{\"8080/tcp\":[{"
    "\"HostIp\":\"127.0.0.1\",\"HostPort\":\"49153\"}]},\"Networks\":{"
    "\"clnrm-run\":{\"IPAMConfig\":null,\"Aliases\":[\"web\"],\"NetworkID\":"
    "\"1f2e\",\"EndpointID\":\"9a8b\",\"Gateway\":\"172.18.0.1\","
    "\"IPAddress\":\"172.18.0.2\",\"IPPrefixLen\":16,\"MacAddress\":"
    "\"02:42:ac:12:00:02\"}}},\"Mounts\":[]}";

static const char exec_json[] =
    "{\"CanRemove\":false,\"ContainerID\":\"4fa6e0f0c6786287e131c3852c58a2e0"
    "1cc697a68231826813597e4994f1d6e2\",\"DetachKeys\":\"\",\"ExitCode\":0,"
    "\"ID\":\"b5f1a0d4c3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6"
    "\",\"OpenStderr\":true,\"OpenStdin\":false,\"OpenStdout\":true,"
    "\"ProcessConfig\":{\"arguments\":[\"-c\",\"echo mode=$MODE\"],"
    "\"entrypoint\":\"sh\",\"privileged\":false,\"tty\":false,\"user\":\"\"},"
    "\"Running\":false,\"Pid\":31400}";

struct data {
    struct cr_buf list;   /* 500 containers */
    struct cr_buf frames; /* multiplexed exec output */
};

/* What engine_container_inspect reads from a reply. */
static void inspect_loop(struct bench_b *b, void *arg)
{
    (void)arg;
    bench_set_bytes(b, (int64_t)sizeof(inspect_json) - 1);
    for (uint64_t i = 0; i < b->n; i++) {
        cJSON *doc = NULL;
        if (engine__json_parse(inspect_json, sizeof(inspect_json) - 1, &doc,
                               NULL) != ENGINE_OK)
            return;
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(doc, "State");
        const cJSON *nets = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(doc, "NetworkSettings"),
            "Networks");
        bench_keep(engine__json_str(st, "Status"));
        bench_keep(cJSON_GetObjectItemCaseSensitive(st, "ExitCode"));
        bench_keep(engine__json_str(nets ? nets->child : NULL, "IPAddress"));
        cJSON_Delete(doc);
    }
}

static void exec_loop(struct bench_b *b, void *arg)
{
    (void)arg;
    bench_set_bytes(b, (int64_t)sizeof(exec_json) - 1);
    for (uint64_t i = 0; i < b->n; i++) {
        cJSON *doc = NULL;
        if (engine__json_parse(exec_json, sizeof(exec_json) - 1, &doc, NULL) !=
            ENGINE_OK)
            return;
        bench_keep(cJSON_GetObjectItemCaseSensitive(doc, "ExitCode"));
        bench_keep(cJSON_GetObjectItemCaseSensitive(doc, "Running"));
        cJSON_Delete(doc);
    }
}

static void list_loop(struct bench_b *b, void *arg)
{
    struct data *d = arg;
    bench_set_bytes(b, (int64_t)d->list.len);
    for (uint64_t i = 0; i < b->n; i++) {
        struct engine_object *objs = NULL;
        size_t n = 0;
        if (engine__objects_from_list(&d->list, "Id", &objs, &n, NULL) !=
            ENGINE_OK)
            return;
        engine_objects_free(objs, n);
    }
}

static int count_bytes(void *ctx, enum engine_stream s, const char *p, size_t n)
{
    (void)s;
    (void)p;
    *(size_t *)ctx += n;
    return 0;
}

static void demux_loop(struct bench_b *b, void *arg)
{
    struct data *d = arg;
    bench_set_bytes(b, (int64_t)d->frames.len);
    for (uint64_t i = 0; i < b->n; i++) {
        struct engine_demux dm;
        size_t got = 0;
        engine_demux_init(&dm, count_bytes, &got);
        for (size_t at = 0; at < d->frames.len; at += 16384) {
            size_t len =
                d->frames.len - at < 16384 ? d->frames.len - at : 16384;
            engine_demux_feed(&dm, d->frames.data + at, len);
        }
        if (engine_demux_finish(&dm) != ENGINE_DEMUX_OK)
            return;
        bench_keep_u64(got);
    }
}

/* One element of GET /containers/json?all=1. */
static int gen_container(struct cr_buf *out, int i)
{
    return cr_buf_printf(
        out,
        "%s{\"Id\":\"%064x\",\"Names\":[\"/clnrm-t%d-default\"],\"Image\":"
        "\"clnrm-base:latest\",\"ImageID\":\"sha256:9c7a54a9\",\"Command\":"
        "\"sleep infinity\",\"Created\":%d,\"Ports\":[],\"Labels\":{"
        "\"cleanroom.owner\":\"clnrm\",\"cleanroom.run\":\"run-%d\","
        "\"cleanroom.pid\":\"%d\"},\"State\":\"%s\",\"Status\":\"Up %d "
        "seconds\",\"HostConfig\":{\"NetworkMode\":\"none\"},"
        "\"NetworkSettings\":{\"Networks\":{\"none\":{\"IPAddress\":\"\"}}},"
        "\"Mounts\":[]}",
        i ? "," : "", i, i, 1764782401 + i, i / 10, 4000 + i,
        i % 7 ? "running" : "exited", i % 60);
}

/* 1 MiB of exec output: alternating stdout/stderr frames of 4 KiB. */
static int gen_frames(struct cr_buf *out)
{
    char payload[4096];
    memset(payload, 'x', sizeof(payload));
    for (int i = 0; i < 256; i++) {
        unsigned char hdr[8] = {
            (unsigned char)(1 + i % 2), 0, 0, 0, 0, 0, 0x10, 0x00
        }; /* 4096, big-endian */
        if (cr_buf_append(out, hdr, 8) || cr_buf_append(out, payload, 4096))
            return -1;
    }
    return 0;
}

/* The measured decoders must succeed, or the numbers measure errors. */
static int decodes(struct data *d)
{
    struct engine_object *objs = NULL;
    size_t n = 0;
    cJSON *doc = NULL;
    int rc = engine__objects_from_list(&d->list, "Id", &objs, &n, NULL) !=
                 ENGINE_OK ||
             n != 500;
    engine_objects_free(objs, n);
    rc = rc || engine__json_parse(inspect_json, sizeof(inspect_json) - 1, &doc,
                                  NULL) != ENGINE_OK;
    cJSON_Delete(doc);
    return rc;
}

static int prepare(struct data *d)
{
    int rc = cr_buf_putc(&d->list, '[');
    for (int i = 0; i < 500 && !rc; i++)
        rc = gen_container(&d->list, i);
    return rc || cr_buf_putc(&d->list, ']') || gen_frames(&d->frames) ||
           decodes(d);
}

int bench_suite_engine_data(struct bench_ctx *ctx)
{
    struct data d;
    cr_buf_init(&d.list);
    cr_buf_init(&d.frames);
    int rc = prepare(&d);
    if (rc != 0)
        fprintf(stderr, "bench engine-data: setup failed\n");
    if (rc == 0) {
        bench_run(ctx, "JSON/container-inspect", inspect_loop, &d);
        bench_run(ctx, "JSON/exec-inspect", exec_loop, &d);
        bench_run(ctx, "JSON/list-500", list_loop, &d);
        bench_run(ctx, "Demux/4KiB-frames", demux_loop, &d);
    }
    cr_buf_release(&d.list);
    cr_buf_release(&d.frames);
    return rc;
}
