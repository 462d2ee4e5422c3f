/*
 * engine_calls: counting the engine API calls a client makes, by kind, so
 * a runner can say how much work it asked of the engine (clnrm run
 * --stats) and a benchmark can keep the count honest.
 *
 * Every HTTP request an engine sends is counted once, when it starts, in
 * the struct engine that sent it (no global state): a struct engine is used
 * by one thread at a time, and so are its counters. Snapshots are plain
 * caller-allocated structs; nothing here allocates.
 */
#ifndef ENGINE_CALLS_H
#define ENGINE_CALLS_H

#include <stdint.h>

struct engine;

/* X(kind, name): the kinds of call, named as in --stats output. */
#define ENGINE_CALLS(X)                                                        \
    X(ENGINE_CALL_PING, "ping")                                                \
    X(ENGINE_CALL_VERSION, "version")                                          \
    X(ENGINE_CALL_CONTAINER_CREATE, "container_create")                        \
    X(ENGINE_CALL_CONTAINER_START, "container_start")                          \
    X(ENGINE_CALL_CONTAINER_WAIT, "container_wait")                            \
    X(ENGINE_CALL_CONTAINER_LOGS, "container_logs")                            \
    X(ENGINE_CALL_CONTAINER_INSPECT, "container_inspect")                      \
    X(ENGINE_CALL_CONTAINER_KILL, "container_kill")                            \
    X(ENGINE_CALL_CONTAINER_STOP, "container_stop")                            \
    X(ENGINE_CALL_CONTAINER_REMOVE, "container_remove")                        \
    X(ENGINE_CALL_CONTAINER_LIST, "container_list")                            \
    X(ENGINE_CALL_CONTAINER_ARCHIVE, "container_archive")                      \
    X(ENGINE_CALL_EXEC_CREATE, "exec_create")                                  \
    X(ENGINE_CALL_EXEC_START, "exec_start")                                    \
    X(ENGINE_CALL_EXEC_INSPECT, "exec_inspect")                                \
    X(ENGINE_CALL_IMAGE_INSPECT, "image_inspect")                              \
    X(ENGINE_CALL_IMAGE_CREATE, "image_create")                                \
    X(ENGINE_CALL_IMAGE_REMOVE, "image_remove")                                \
    X(ENGINE_CALL_NETWORK_CREATE, "network_create")                            \
    X(ENGINE_CALL_NETWORK_REMOVE, "network_remove")                            \
    X(ENGINE_CALL_NETWORK_LIST, "network_list")                                \
    X(ENGINE_CALL_NETWORK_CONNECT, "network_connect")                          \
    X(ENGINE_CALL_EVENTS, "events")                                            \
    X(ENGINE_CALL_OTHER, "other")

enum engine_call {
#define ENGINE_CALL_ENUM(k, name) k,
    ENGINE_CALLS(ENGINE_CALL_ENUM)
#undef ENGINE_CALL_ENUM
        ENGINE_CALL__COUNT
};

/* Calls by kind: n[kind]. Zero-initialise before use. */
struct engine_calls {
    uint32_t n[ENGINE_CALL__COUNT];
};

/* "container_create", ...; "other" for a value out of range. */
const char *engine_call_name(enum engine_call kind);

/* The kind of request `method path` (path as sent, without the /v1.xx
 * prefix, query allowed): ("POST", "/containers/abc/start") is
 * ENGINE_CALL_CONTAINER_START. Exposed for tests. */
enum engine_call engine_call_classify(const char *method, const char *path);

/* Copies what eng has sent since it was opened (the opening ping
 * included) into out. */
void engine_calls_get(const struct engine *eng, struct engine_calls *out);

/* acc += after - before, kind by kind (after taken later on the same
 * engine as before). */
void engine_calls_add_diff(struct engine_calls *acc,
                           const struct engine_calls *after,
                           const struct engine_calls *before);

/* acc += c. */
void engine_calls_add(struct engine_calls *acc, const struct engine_calls *c);

/* The sum over every kind. */
uint32_t engine_calls_total(const struct engine_calls *c);

#endif
