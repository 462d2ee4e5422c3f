/*
 * engine: a Docker Engine API client (API 1.41, engine 20.10) over
 * libcurl, for unix:// and tcp:// (optionally TLS) engines.
 *
 * Threading: one struct engine is used from one thread at a time. To
 * work in parallel, open one engine per worker thread; opening is cheap (one
 * /_ping round trip). main() calls engine_global_init() once, before
 * any thread starts, and engine_global_cleanup() at exit. libcurl is loaded
 * by engine_global_init (dlopen, see engine_curl.h), so commands that never
 * call it do not pay for it; without it engine_open fails with the reason.
 *
 * Cancellation: every call honours the cancel flag given to
 * engine_open (typically set by a SIGINT handler). Transfers are
 * driven with a 50 ms poll, so a set flag aborts any call, blocking or not,
 * within about 100 ms with ENGINE_E_CANCELLED.
 *
 * Deadlines: the deadline_ms arguments are ABSOLUTE times on the
 * cr_clock_ms() monotonic clock (cr_clock_ms() + 5000 means "5 s from now");
 * 0 means no deadline. A passed deadline returns ENGINE_E_TIMEOUT. Short calls
 * (create, start, remove, inspect...) have a built-in limit of
 * ENGINE_SHORT_TIMEOUT_MS; blocking calls (wait, exec output, events)
 * have none besides their deadline.
 *
 * Errors: functions return enum engine_code and fill the caller-owned struct
 * cr_error (which may be NULL). Engine refusals read
 * "Error response from daemon: <engine message>" with err->http_status set.
 * Code mapping: HTTP 404 -> ENGINE_E_NOTFOUND (ENGINE_E_NOIMAGE for images),
 * 409 -> ENGINE_E_CONFLICT, other non-2xx -> ENGINE_E_API; unreachable engine
 * -> ENGINE_E_UNREACHABLE; EACCES on the socket -> ENGINE_E_PERMISSION; a
 * failed TLS handshake or certificate (ours or the engine's) ->
 * ENGINE_E_TLS; engine API older than ENGINE_API_MIN -> ENGINE_E_VERSION.
 *
 * Ownership: strings returned through char ** are cr_malloc'ed and the caller
 * frees them with cr_free; NULL-terminated string arrays (char ***) are
 * freed with engine_strv_free. Input pointers are borrowed for the
 * duration of the call only.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine_calls.h"
#include "engine_error.h"
#include "cr_buf.h"

/* The API version the client speaks; lower engine versions are used down to
 * ENGINE_API_MIN (wait-before-start needs 1.30). */
#define ENGINE_API_VERSION "1.41"
#define ENGINE_API_MIN     "1.30"

/* Default socket when DOCKER_HOST is unset or empty. */
#define ENGINE_DEFAULT_HOST "unix:///var/run/docker.sock"

/* Connect timeout on every transfer, and the limit on short calls. */
#define ENGINE_CONNECT_TIMEOUT_MS 5000
#define ENGINE_SHORT_TIMEOUT_MS   120000

/* Default cap on captured exec/log output per stream (stdout and stderr
 * each): bytes past it are dropped and the result is marked truncated. */
#define ENGINE_OUTPUT_CAP (16u * 1024u * 1024u)

struct engine;

/* ---- Process-wide setup ------------------------------------------------ */

/* Loads libcurl (libcurl.so.4, else libcurl.so) and initialises it. Call
 * once from main before any thread starts. A missing library gives
 * ENGINE_E_UNREACHABLE, "cannot load libcurl.so.4: <why>; apt-get install
 * libcurl4". */
enum engine_code engine_global_init(struct cr_error *err);

/* Releases libcurl's global state. Call once at exit, after every engine
 * is closed. */
void engine_global_cleanup(void);

/* ---- DOCKER_HOST parsing (exposed for tests) -------------------------- */

enum engine_transport {
    ENGINE_UNIX,
    ENGINE_TCP,
};

struct engine_addr {
    enum engine_transport transport;
    char socket_path[108]; /* unix only */
    char host[256];        /* tcp only: name or IPv4/IPv6 literal, no [] */
    int port;              /* tcp only */
    bool tls;              /* tcp only: DOCKER_TLS_VERIFY was set */
    char display[300];     /* "unix:///var/run/docker.sock", "tcp://h:p" */
};

/*
 * Parses a DOCKER_HOST value into out. value NULL or "" means the default
 * socket. "unix://" without a path is the default socket, "unix://path" and
 * "unix:///path" both name /path, "tcp://h[:p]" and a bare "h:p" are TCP
 * (default port 2375, or 2376 when tls). ssh://, npipe://, fd:// and other
 * schemes give ENGINE_E_INVALID with "unsupported DOCKER_HOST ...".
 */
enum engine_code engine_addr_parse(const char *value, bool tls,
                                   struct engine_addr *out,
                                   struct cr_error *err);

/* ---- Connection --------------------------------------------------------- */

/*
 * Connects to host (a DOCKER_HOST-style string; NULL means $DOCKER_HOST or
 * the default socket), pings it and negotiates the API version: the lower
 * of ENGINE_API_VERSION and the engine's. For tcp:// with
 * DOCKER_TLS_VERIFY set, uses $DOCKER_CERT_PATH (default ~/.docker) with
 * ca.pem, cert.pem, key.pem and verifies the server.
 *
 * cancel may be NULL; it is borrowed for the engine's lifetime. On success
 * *out owns the engine; close it with engine_close.
 */
enum engine_code engine_open(struct engine **out, const char *host,
                             const atomic_int *cancel, struct cr_error *err);

/*
 * The per-call engine timeout: a short call (everything but waits, logs,
 * exec output and events) that takes longer than ms fails with
 * ENGINE_E_TIMEOUT and "engine: POST /containers/create timed out after
 * 1.0 s". 0 keeps ENGINE_SHORT_TIMEOUT_MS. engine_open takes the initial
 * value from $ENGINE_CALL_TIMEOUT_MS (milliseconds), so a tool can set it
 * once for every connection it opens.
 */
#define ENGINE_CALL_TIMEOUT_ENV "ENGINE_CALL_TIMEOUT_MS"
void engine_set_call_timeout(struct engine *eng, uint64_t ms);

/* Closes connections and frees eng. Accepts NULL. Any wait handles must be
 * ended or abandoned first. */
void engine_close(struct engine *eng);

/* Replaces the cancel flag (NULL: none). While the flag is set every call
 * fails with ENGINE_E_CANCELLED, so to clean up after an interrupt either
 * clear the flag or switch the engine to NULL (or a second flag) first. */
void engine_set_cancel(struct engine *eng, const atomic_int *cancel);

/* The engine address as the user would write it ("unix:///var/run/docker.
 * sock"). Borrowed, valid until close. */
const char *engine_host(const struct engine *eng);

/* The negotiated API version ("1.41"). Borrowed, valid until close. */
const char *engine_api_version(const struct engine *eng);

/*
 * Compares two API versions "major.minor" as numbers, so "1.9" < "1.41"
 * (strcmp says otherwise). Returns <0, 0 or >0 like strcmp. A string that
 * is not two dot-separated decimal numbers (NULL, "", "1", "1.41.0",
 * "v1.41") sorts before every readable version; two such strings are equal.
 */
int engine_api_version_cmp(const char *a, const char *b);

/* GET /_ping. */
enum engine_code engine_ping(struct engine *eng, struct cr_error *err);

struct engine_version {
    char version[64];         /* engine version, "20.10.24" */
    char api_version[16];     /* engine's own maximum, "1.41" */
    char min_api_version[16]; /* "1.12" */
    char os[32];              /* "linux" */
    char arch[32];            /* "amd64" */
};

/* GET /version into the caller-allocated out. */
enum engine_code engine_version(struct engine *eng, struct engine_version *out,
                                struct cr_error *err);

/* Frees a NULL-terminated array of strings and the strings. Accepts NULL. */
void engine_strv_free(char **v);

/* ---- Containers --------------------------------------------------------- */

/* A key/value pair: labels, tmpfs mounts (path -> options). */
struct engine_kv {
    const char *key;
    const char *value; /* NULL is sent as "" */
};

/* A published port: container_port/proto -> host_ip:host_port. */
struct engine_port_binding {
    unsigned container_port;
    const char *proto;   /* "tcp" (NULL) or "udp" */
    const char *host_ip; /* NULL: all interfaces */
    unsigned host_port;  /* 0: the engine picks one */
};

/*
 * What to create. Zero-initialise, then set what you need: every field left
 * zero/NULL means the engine's default. String arrays are NULL-terminated.
 */
struct engine_container_spec {
    const char *image;             /* required */
    const char *name;              /* NULL: the engine names it */
    const char *const *argv;       /* Cmd; NULL: the image's CMD */
    const char *const *entrypoint; /* NULL: the image's; {NULL}: none */
    const char *const *env;        /* "K=V" */
    const struct engine_kv *labels;
    size_t nlabels;
    const char *workdir;
    const char *user; /* "uid[:gid]" or a name */
    const char *hostname;
    /* NetworkMode: "none", "bridge", "host", a network name or id. */
    const char *network;
    /* Config.NetworkDisabled, with network "none": the container still gets
     * a namespace of its own with only loopback, but the engine skips its
     * network set-up, including the prestart hook by which dockerd re-runs
     * itself once per container start (a third of the engine's CPU per
     * short container on a 2.x/20.10 engine, measured with perf). */
    bool network_disabled;
    /* PidMode, IpcMode: NULL or "host" (share the host's namespace). */
    const char *pid_mode;
    const char *ipc_mode;
    /* Extra DNS names on network (user-defined networks only). */
    const char *const *network_aliases;
    const char *const *extra_hosts; /* "name:ip" */
    int64_t memory_bytes;           /* 0: unlimited */
    int64_t nano_cpus;              /* 1e9 = one CPU; 0: unlimited */
    int64_t pids_limit;             /* 0: unlimited */
    const char *const *binds;       /* "/host:/ctr[:ro]" */
    const struct engine_kv *tmpfs;  /* "/tmp" -> "rw,size=64m" */
    size_t ntmpfs;
    const struct engine_port_binding *ports;
    size_t nports;
    const char *const *cap_drop; /* "ALL" */
    const char *const *cap_add;
    const char *const *security_opt; /* "no-new-privileges" */
    bool readonly_rootfs;
    bool privileged; /* HostConfig.Privileged; clnrm needs a user's flag */
    bool init; /* run an init as PID 1 (reaps zombies, forwards signals) */
    bool auto_remove;
    /* HostConfig.LogConfig.Type ("json-file"); NULL: the daemon's default
     * driver, which may keep nothing for GET /containers/{id}/logs. */
    const char *log_driver;
    bool has_stop_timeout; /* when set, stop_timeout is sent */
    int stop_timeout;      /* seconds between SIGTERM and SIGKILL on stop */
};

/* POST /containers/create. On success *id_out is the full container id
 * (caller frees). A missing image gives ENGINE_E_NOIMAGE with a hint to run
 * `clnrm image bootstrap` when the image is the base image; a name in use
 * gives ENGINE_E_CONFLICT. */
enum engine_code
engine_container_create(struct engine *eng,
                        const struct engine_container_spec *spec, char **id_out,
                        struct cr_error *err);

/* POST /containers/{id}/start. Already running (304) is success. */
enum engine_code engine_container_start(struct engine *eng, const char *id,
                                        struct cr_error *err);

enum engine_wait_condition {
    ENGINE_WAIT_NOT_RUNNING, /* returns at once if not running */
    ENGINE_WAIT_NEXT_EXIT,   /* use before start */
    ENGINE_WAIT_REMOVED,     /* use before start with auto_remove */
};

/* A registered wait; owned by the caller until _wait_end/_wait_abandon. */
struct engine_wait;

/*
 * Registers POST /containers/{id}/wait?condition=... and returns once the
 * engine has acknowledged it (response headers received), so a container
 * started afterwards cannot exit unseen. The wait then stays pending on eng
 * while other calls are made on the same engine.
 */
enum engine_code engine_wait_begin(struct engine *eng, const char *id,
                                   enum engine_wait_condition cond,
                                   struct engine_wait **out,
                                   struct cr_error *err);

/*
 * Blocks until the wait completes, deadline_ms passes (ENGINE_E_TIMEOUT) or
 * cancel is set (ENGINE_E_CANCELLED); frees w in every case. *exit_code
 * receives the container's exit status (StatusCode).
 */
enum engine_code engine_wait_end(struct engine *eng, struct engine_wait *w,
                                 uint64_t deadline_ms, int *exit_code,
                                 struct cr_error *err);

/* Drops a pending wait without waiting. Accepts NULL. */
void engine_wait_abandon(struct engine *eng, struct engine_wait *w);

/* wait_begin(NOT_RUNNING) + wait_end in one call. */
enum engine_code engine_container_wait(struct engine *eng, const char *id,
                                       uint64_t deadline_ms, int *exit_code,
                                       struct cr_error *err);

/*
 * Create + register a wait (NEXT_EXIT, or REMOVED with auto_remove) + start.
 * On success *id_out (caller frees) and *wait_out (end or abandon it) are
 * set. wait_out may be NULL when the caller does not need the wait. On
 * failure after create, the container is removed again.
 */
enum engine_code engine_container_run(struct engine *eng,
                                      const struct engine_container_spec *spec,
                                      char **id_out,
                                      struct engine_wait **wait_out,
                                      struct cr_error *err);

/* GET /containers/{id}/logs (not following) with stdout and stderr kept
 * apart and appended to the caller's buffers (either may be NULL to drop
 * it), each capped at ENGINE_OUTPUT_CAP. */
enum engine_code engine_container_logs(struct engine *eng, const char *id,
                                       struct cr_buf *out,
                                       struct cr_buf *errout,
                                       struct cr_error *err);

/* POST /containers/{id}/kill. signal NULL means SIGKILL ("SIGTERM",
 * "HUP", "15" also work). A container that is not running gives
 * ENGINE_E_CONFLICT. */
enum engine_code engine_container_kill(struct engine *eng, const char *id,
                                       const char *signal,
                                       struct cr_error *err);

/* POST /containers/{id}/stop?t=timeout_s. timeout_s < 0 uses the
 * container's StopTimeout (default 10 s). Already stopped is success. */
enum engine_code engine_container_stop(struct engine *eng, const char *id,
                                       int timeout_s, struct cr_error *err);

/* DELETE /containers/{id}?force=&v=1. A container that does not exist or is
 * already being removed counts as success. */
enum engine_code engine_container_remove(struct engine *eng, const char *id,
                                         bool force, struct cr_error *err);

struct engine_container_state {
    char status[16]; /* "created", "running", "exited", ... */
    bool running;
    bool oom_killed;
    int exit_code;
    int pid;             /* 0 when not running */
    char ip_address[48]; /* first network's address, "" if none */
};

/* GET /containers/{id}/json into the caller-allocated out. */
enum engine_code engine_container_inspect(struct engine *eng, const char *id,
                                          struct engine_container_state *out,
                                          struct cr_error *err);

/* The host port the engine bound for container_port/proto ("tcp" when
 * NULL) of a started container, from GET /containers/{id}/json. A port
 * that is not published gives ENGINE_E_NOTFOUND naming it. */
enum engine_code engine_container_host_port(struct engine *eng, const char *id,
                                            unsigned container_port,
                                            const char *proto,
                                            unsigned *host_port,
                                            struct cr_error *err);

/*
 * GET /containers/json?all=1 filtered by every label in labels ("key" or
 * "key=value", NULL-terminated, ANDed). *ids_out is a NULL-terminated array
 * of full ids (free with engine_strv_free); n_out may be NULL.
 */
enum engine_code engine_container_list_by_label(struct engine *eng,
                                                const char *const *labels,
                                                char ***ids_out, size_t *n_out,
                                                struct cr_error *err);

/* One listed container or network with its labels. Every string (id, label
 * keys and values) is owned by the array; free it with
 * engine_objects_free. */
struct engine_object {
    char *id;
    struct engine_kv *labels;
    size_t nlabels;
};

/*
 * Like container_list_by_label, but each entry also carries the object's
 * labels, so a caller can judge ownership without one inspect per object.
 * *out has *n_out entries (NULL when there are none).
 */
enum engine_code engine_container_list_labelled(struct engine *eng,
                                                const char *const *labels,
                                                struct engine_object **out,
                                                size_t *n_out,
                                                struct cr_error *err);

/* The value of label key on o, or NULL when o does not carry it. */
const char *engine_object_label(const struct engine_object *o, const char *key);

/* Frees n objects and the array. Accepts NULL. */
void engine_objects_free(struct engine_object *v, size_t n);

/* PUT /containers/{id}/archive?path=dir: unpacks the uncompressed or
 * compressed tar (len bytes, borrowed) into the existing directory dir. */
enum engine_code engine_container_put_archive(struct engine *eng,
                                              const char *id, const char *dir,
                                              const void *tar, size_t len,
                                              struct cr_error *err);

/* ---- Exec -------------------------------------------------------------- */

enum engine_stream {
    ENGINE_STREAM_STDIN = 0, /* never sent without stdin; shown as stdout */
    ENGINE_STREAM_STDOUT = 1,
    ENGINE_STREAM_STDERR = 2,
    ENGINE_STREAM_SYSTEMERR = 3, /* the engine reporting an error in-band */
};

/* Called with every chunk of output as it arrives (stream is STDOUT or
 * STDERR); data is borrowed. Return 0 to go on, non-zero to abort the exec
 * with ENGINE_E_CANCELLED. */
typedef int (*engine_output_fn)(void *ctx, enum engine_stream stream,
                                const char *data, size_t len);

struct engine_exec_spec {
    const char *const *argv;    /* required, NULL-terminated */
    const char *const *env;     /* "K=V", added to the container's */
    const char *workdir;        /* NULL: the container's */
    const char *user;           /* NULL: the container's */
    size_t output_cap;          /* per stream; 0: ENGINE_OUTPUT_CAP */
    engine_output_fn on_output; /* optional live copy of the output */
    void *ctx;                  /* passed to on_output */
};

/* Filled by engine_exec; zero-initialise it (or leave it released)
 * before the call, release it with engine_exec_result_release. */
struct engine_exec_result {
    int exit_code;     /* -1 when unknown (timed out, cancelled) */
    bool timed_out;    /* the deadline passed; output is partial */
    bool truncated;    /* a stream went over output_cap */
    struct cr_buf out; /* stdout, owned by the result */
    struct cr_buf err; /* stderr, owned by the result */
    char exec_id[72];  /* the engine's exec id, "" before create */
};

/* Frees the buffers of r. Accepts a zeroed result. */
void engine_exec_result_release(struct engine_exec_result *r);

/*
 * Runs spec->argv in the running container id (exec create + start with
 * stdout/stderr demultiplexed + exec inspect after EOF) and fills out.
 * A command that runs and exits non-zero is ENGINE_OK with out->exit_code
 * set. When deadline_ms passes, the transfer is dropped and
 * ENGINE_E_TIMEOUT is returned with out->timed_out set and the output so far
 * kept; the process may still run inside the container (kill or remove the
 * container to end it). A command that cannot be started (not found)
 * reports exit code 126 or 127 as the engine gives it.
 */
enum engine_code engine_exec(struct engine *eng, const char *container_id,
                             const struct engine_exec_spec *spec,
                             uint64_t deadline_ms,
                             struct engine_exec_result *out,
                             struct cr_error *err);

/*
 * GET /exec/{id}/json: the host PID of a running exec's process, or 0 when
 * it does not run; *ended tells whether it ran and exited (else it has not
 * started yet, which a start request dropped in flight can still change).
 * The PID is the engine host's: only a local engine's can be signalled by
 * the caller (the API has no call to kill an exec).
 */
enum engine_code engine_exec_pid(struct engine *eng, const char *exec_id,
                                 int *pid, bool *ended, struct cr_error *err);

/* ---- Images --------------------------------------------------------------
 */

/* GET /images/{name}/json: *exists is set; engine errors other than 404
 * are returned. */
enum engine_code engine_image_exists(struct engine *eng, const char *name,
                                     bool *exists, struct cr_error *err);

/* Progress of a pull/import: one NDJSON status line, fields borrowed and
 * possibly "" (id, progress). */
typedef void (*engine_progress_fn)(void *ctx, const char *status,
                                   const char *id, const char *progress);

struct engine_image_import {
    const char *repo;               /* required, "clnrm-base" */
    const char *tag;                /* NULL: "latest" */
    const char *const *changes;     /* Dockerfile lines: "CMD [\"/bin/sh\"]" */
    const char *message;            /* commit message, may be NULL */
    engine_progress_fn on_progress; /* optional */
    void *ctx;
};

/* POST /images/create?fromSrc=- with the tar (len bytes, borrowed; may be
 * gzip/bzip2/xz) as body. An error inside the response stream is an
 * error. */
enum engine_code engine_image_import(struct engine *eng,
                                     const struct engine_image_import *im,
                                     const void *tar, size_t len,
                                     struct cr_error *err);

/* The same reading the tar from fd until EOF (fd stays open). */
enum engine_code engine_image_import_fd(struct engine *eng,
                                        const struct engine_image_import *im,
                                        int fd, struct cr_error *err);

/* POST /images/create?fromImage=name (tag from name, default latest). An
 * error inside the stream is an error; an unreachable registry gives
 * ENGINE_E_NOIMAGE whose message says the pull failed. on_progress may be
 * NULL. */
enum engine_code engine_image_pull(struct engine *eng, const char *name,
                                   engine_progress_fn on_progress, void *ctx,
                                   struct cr_error *err);

/* Inspect, and pull when missing. Failure gives ENGINE_E_NOIMAGE with
 * `image "x" not found locally and ...` and the bootstrap hint when x is
 * the base image. */
enum engine_code engine_image_ensure(struct engine *eng, const char *name,
                                     engine_progress_fn on_progress, void *ctx,
                                     struct cr_error *err);

/* DELETE /images/{name}?force=. A missing image gives ENGINE_E_NOIMAGE. */
enum engine_code engine_image_remove(struct engine *eng, const char *name,
                                     bool force, struct cr_error *err);

/* ---- Networks ---------------------------------------------------------- */

/* POST /networks/create (bridge driver). internal: no route outside. On
 * success *id_out is the network id (caller frees). A name in use gives
 * ENGINE_E_CONFLICT. */
enum engine_code engine_network_create(struct engine *eng, const char *name,
                                       const struct engine_kv *labels,
                                       size_t nlabels, bool internal,
                                       char **id_out, struct cr_error *err);

/* DELETE /networks/{id}. A missing network counts as success. */
enum engine_code engine_network_remove(struct engine *eng, const char *id,
                                       struct cr_error *err);

/* GET /networks?filters={"label":[...]} like container_list_by_label. */
enum engine_code engine_network_list_by_label(struct engine *eng,
                                              const char *const *labels,
                                              char ***ids_out, size_t *n_out,
                                              struct cr_error *err);

/* GET /networks filtered by labels, with each network's labels (see
 * engine_container_list_labelled). */
enum engine_code engine_network_list_labelled(struct engine *eng,
                                              const char *const *labels,
                                              struct engine_object **out,
                                              size_t *n_out,
                                              struct cr_error *err);

/* POST /networks/{net}/connect with optional DNS aliases (NULL-terminated,
 * may be NULL). */
enum engine_code engine_network_connect(struct engine *eng, const char *net,
                                        const char *container_id,
                                        const char *const *aliases,
                                        struct cr_error *err);

/* ---- Events ------------------------------------------------------------ */

/* One event, every field borrowed for the duration of the callback. */
struct engine_event {
    const char *type;   /* "container", "network", "image", ... */
    const char *action; /* "create", "start", "die", "destroy", ... */
    const char *id;     /* Actor.ID */
    const char *name;   /* Actor.Attributes.name, "" if none */
    int exit_code;      /* Actor.Attributes.exitCode for "die", else -1 */
    int64_t time_ns;    /* timeNano */
    const char *json;   /* the whole event line */
};

/* Return 0 to keep streaming, non-zero to stop (events then returns
 * ENGINE_OK). */
typedef int (*engine_event_fn)(void *ctx, const struct engine_event *ev);

struct engine_events_filter {
    const char *const *labels;  /* "k" or "k=v", NULL-terminated, or NULL */
    const char *const *types;   /* "container", ... */
    const char *const *actions; /* "die", "start", ... */
    const char *container;      /* one container id or name, or NULL */
    int64_t since;              /* unix seconds; 0: from now */
};

/*
 * GET /events, calling fn per event until fn returns non-zero (ENGINE_OK),
 * deadline_ms passes (ENGINE_E_TIMEOUT) or cancel is set
 * (ENGINE_E_CANCELLED). filter may be NULL.
 */
enum engine_code engine_events(struct engine *eng,
                               const struct engine_events_filter *filter,
                               uint64_t deadline_ms, engine_event_fn fn,
                               void *ctx, struct cr_error *err);

#endif
