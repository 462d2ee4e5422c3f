/*
 * fake_engine: a stateful, scripted stand-in for the Docker engine, for
 * tests that drive the runner, the reaper or the engine client through the
 * paths a real engine rarely takes. No Docker needed.
 *
 * It listens on a unix socket under /tmp and serves every connection on a
 * thread of its own (HTTP/1.1 keep-alive), so a pending wait, several
 * worker connections and a janitor's connection are all answered at once.
 * It answers the Engine API calls of the engine/ client from a table of routes
 * (fake_engine_routes.c) and keeps state: containers and networks with their
 * labels, exec instances, images known to be missing. Containers "run"
 * nothing: a started container is running until killed, stopped or removed,
 * or until a script says it exits.
 *
 * Scripting is per scenario: make a route fail with a status, answer
 * garbage, block until released (calling a hook when the request arrives),
 * die after a number of requests, give an exec command its exit code and
 * output, make a container exit at start with a code and a log, declare an
 * image missing, or plant objects (orphans of a dead run).
 *
 * Ownership and lifetime: fake_engine_start returns a heap object owned by
 * the caller until fake_engine_stop, which ends every connection and frees
 * it; its serving threads point into it, which is why it is not a
 * caller-allocated struct. Strings passed in are copied. Every function is
 * safe to call from any thread, including from a block hook (which runs on
 * the serving thread without the fake's lock held). The fake allocates with
 * libc's malloc, never through cr_alloc, and parses bodies without cJSON,
 * so a test that makes the code under test fail its Nth allocation never
 * makes the fake fail.
 */
#ifndef FAKE_ENGINE_H
#define FAKE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

/* The calls the fake answers, one per row of its route table. */
enum fake_route {
    FAKE_PING,
    FAKE_VERSION,
    FAKE_IMAGE_INSPECT,
    FAKE_NETWORK_CREATE,
    FAKE_NETWORK_REMOVE,
    FAKE_NETWORK_LIST,
    FAKE_CONTAINER_CREATE,
    FAKE_CONTAINER_START,
    FAKE_CONTAINER_WAIT,
    FAKE_CONTAINER_INSPECT,
    FAKE_CONTAINER_LOGS,
    FAKE_CONTAINER_KILL,
    FAKE_CONTAINER_STOP,
    FAKE_CONTAINER_REMOVE,
    FAKE_CONTAINER_LIST,
    FAKE_EXEC_CREATE,
    FAKE_EXEC_START,
    FAKE_EXEC_INSPECT,
    FAKE_BUILD, /* POST /build: streams its query back as output; a tag
                   holding "fail" fails inside the stream */
    FAKE_ROUTE_COUNT
};

/* What a garbage reply looks like. */
enum fake_garbage {
    FAKE_GARBAGE_JSON = 1, /* 200/201 with a body that is not JSON */
    FAKE_GARBAGE_HTTP,     /* bytes that are not an HTTP response */
};

struct fake_engine;

/* Called on the serving thread when a blocked request arrives (before it
 * waits), without the fake's lock; it may call fake_engine_release. */
typedef void (*fake_hook_fn)(void *ctx);

/* Starts a fake engine on a fresh socket. Returns NULL (errno set) when
 * the socket or the thread cannot be made. */
struct fake_engine *fake_engine_start(void);

/* Ends every connection, joins the threads and frees f. Accepts NULL. */
void fake_engine_stop(struct fake_engine *f);

/* "unix:///tmp/clnrm-fake-<pid>-<n>.sock": borrowed, valid until stop. */
const char *fake_engine_host(const struct fake_engine *f);

/* Every request on route answers status with {"message": message}. */
void fake_engine_fail(struct fake_engine *f, enum fake_route route, int status,
                      const char *message);

/* Every request on route answers garbage of the given kind. */
void fake_engine_garbage(struct fake_engine *f, enum fake_route route,
                         enum fake_garbage kind);

/* The next request on route calls hook(ctx) (may be NULL) and waits until
 * fake_engine_release, then is answered as usual. */
void fake_engine_block(struct fake_engine *f, enum fake_route route,
                       fake_hook_fn hook, void *ctx);

/* As fake_engine_block without a hook, for the n-th next request on route
 * (n >= 1); the ones before it are answered at once. */
void fake_engine_block_nth(struct fake_engine *f, enum fake_route route, int n);

/* Lets a blocked request (and any later one) go on. */
void fake_engine_release(struct fake_engine *f);

/* After n more requests (0: now) the engine dies: every later request, and
 * every pending one (a wait), has its connection closed without an answer, and
 * new connections are closed at once. */
void fake_engine_die_after(struct fake_engine *f, int n);

/* Brings a dead engine back, its state as it was. */
void fake_engine_revive(struct fake_engine *f);

/* An exec whose argv, joined by spaces, equals cmd exits with code after
 * writing out and err (either may be NULL). Unscripted execs exit 0
 * silently. A later rule for the same cmd replaces the earlier one. */
void fake_engine_exec(struct fake_engine *f, const char *cmd, int code,
                      const char *out, const char *err);

/* A container whose name ends with suffix exits with code as soon as it
 * starts, having logged log (stdout). */
void fake_engine_exit_on_start(struct fake_engine *f, const char *suffix,
                               int code, const char *log);

/* Image name is missing: 404 on inspect and on create. A name ending with
 * ':' stands for every tag of it, until a successful POST /build. */
void fake_engine_missing_image(struct fake_engine *f, const char *image);

/* Plants an object (a network when network, else a running container)
 * named name with the n labels keys[i]=values[i]; its id goes to id (at
 * least 65 bytes). */
void fake_engine_add_object(struct fake_engine *f, bool network,
                            const char *name, const char *const *keys,
                            const char *const *values, size_t n, char *id);

/* Counts the containers and networks (either pointer may be NULL) that
 * carry label ("key" or "key=value"; NULL: every object). */
void fake_engine_count(struct fake_engine *f, const char *label,
                       size_t *containers, size_t *networks);

/* Requests answered on route so far (blocked ones count once answered). */
int fake_engine_served(struct fake_engine *f, enum fake_route route);

/* The successful creates, starts and exec creates so far, one line each
 * in the order answered: "create NAME[ Entrypoint=[]][ LogType=json-file]
 * [ HostIp=IP...][ HostPort=P...]" (Entrypoint and LogType when the body
 * sets an empty entrypoint or LogConfig {"Type":"json-file"}),
 * "start NAME", "exec NAME" (NAME the container's). A new string; free
 * it with free(). */
char *fake_engine_log(struct fake_engine *f);

/* Waits until at least n requests on route were answered. */
void fake_engine_wait_served(struct fake_engine *f, enum fake_route route,
                             int n);

#endif
