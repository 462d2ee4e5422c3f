/* engine_calls: counting calls by kind. See engine_calls.h. */
#include "engine_int.h"

#include <string.h>

static const char *const names[] = {
#define ENGINE_CALL_NAME(k, name) name,
    ENGINE_CALLS(ENGINE_CALL_NAME)
#undef ENGINE_CALL_NAME
};

const char *engine_call_name(enum engine_call kind)
{
    if ((unsigned)kind >= ENGINE_CALL__COUNT)
        return "other";
    return names[kind];
}

/* True when the first len bytes of path are s. */
static bool is(const char *path, size_t len, const char *s)
{
    return strlen(s) == len && memcmp(path, s, len) == 0;
}

/* The verb after /containers/{id}/, "" for /containers/{id} itself. */
static enum engine_call container_call(const char *method, const char *rest,
                                       size_t len)
{
    static const struct {
        const char *verb;
        enum engine_call kind;
    } verbs[] = {
        { "start", ENGINE_CALL_CONTAINER_START },
        { "wait", ENGINE_CALL_CONTAINER_WAIT },
        { "logs", ENGINE_CALL_CONTAINER_LOGS },
        { "json", ENGINE_CALL_CONTAINER_INSPECT },
        { "kill", ENGINE_CALL_CONTAINER_KILL },
        { "stop", ENGINE_CALL_CONTAINER_STOP },
        { "archive", ENGINE_CALL_CONTAINER_ARCHIVE },
        { "exec", ENGINE_CALL_EXEC_CREATE },
    };
    const char *slash = memchr(rest, '/', len);

    if (slash == NULL)
        return strcmp(method, "DELETE") == 0 ? ENGINE_CALL_CONTAINER_REMOVE
                                             : ENGINE_CALL_OTHER;
    len -= (size_t)(slash + 1 - rest);
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
        if (is(slash + 1, len, verbs[i].verb))
            return verbs[i].kind;
    return ENGINE_CALL_OTHER;
}

/* Image names hold slashes ("library/busybox"), so only the ends tell. */
static enum engine_call image_call(const char *method, const char *rest,
                                   size_t len)
{
    if (is(rest, len, "create"))
        return ENGINE_CALL_IMAGE_CREATE;
    if (strcmp(method, "DELETE") == 0)
        return ENGINE_CALL_IMAGE_REMOVE;
    if (len > 5 && memcmp(rest + len - 5, "/json", 5) == 0)
        return ENGINE_CALL_IMAGE_INSPECT;
    return ENGINE_CALL_OTHER;
}

static enum engine_call network_call(const char *method, const char *rest,
                                     size_t len)
{
    if (is(rest, len, "create"))
        return ENGINE_CALL_NETWORK_CREATE;
    if (strcmp(method, "DELETE") == 0)
        return ENGINE_CALL_NETWORK_REMOVE;
    if (len > 8 && memcmp(rest + len - 8, "/connect", 8) == 0)
        return ENGINE_CALL_NETWORK_CONNECT;
    return ENGINE_CALL_OTHER;
}

enum engine_call engine_call_classify(const char *method, const char *path)
{
    size_t len = strcspn(path, "?");

    if (is(path, len, "/_ping"))
        return ENGINE_CALL_PING;
    if (is(path, len, "/version"))
        return ENGINE_CALL_VERSION;
    if (is(path, len, "/events"))
        return ENGINE_CALL_EVENTS;
    if (is(path, len, "/containers/json"))
        return ENGINE_CALL_CONTAINER_LIST;
    if (is(path, len, "/containers/create"))
        return ENGINE_CALL_CONTAINER_CREATE;
    if (is(path, len, "/networks"))
        return ENGINE_CALL_NETWORK_LIST;
    if (len > 12 && memcmp(path, "/containers/", 12) == 0)
        return container_call(method, path + 12, len - 12);
    if (len > 8 && memcmp(path, "/images/", 8) == 0)
        return image_call(method, path + 8, len - 8);
    if (len > 10 && memcmp(path, "/networks/", 10) == 0)
        return network_call(method, path + 10, len - 10);
    if (len > 6 && memcmp(path, "/exec/", 6) == 0) {
        if (len > 6 && memcmp(path + len - 6, "/start", 6) == 0)
            return ENGINE_CALL_EXEC_START;
        if (len > 5 && memcmp(path + len - 5, "/json", 5) == 0)
            return ENGINE_CALL_EXEC_INSPECT;
    }
    return ENGINE_CALL_OTHER;
}

void engine__calls_count(struct engine *eng, const char *method,
                         const char *path)
{
    eng->calls.n[engine_call_classify(method, path)]++;
}

void engine_calls_get(const struct engine *eng, struct engine_calls *out)
{
    *out = eng->calls;
}

void engine_calls_add_diff(struct engine_calls *acc,
                           const struct engine_calls *after,
                           const struct engine_calls *before)
{
    for (size_t i = 0; i < ENGINE_CALL__COUNT; i++)
        acc->n[i] += after->n[i] - before->n[i];
}

void engine_calls_add(struct engine_calls *acc, const struct engine_calls *c)
{
    for (size_t i = 0; i < ENGINE_CALL__COUNT; i++)
        acc->n[i] += c->n[i];
}

uint32_t engine_calls_total(const struct engine_calls *c)
{
    uint32_t sum = 0;

    for (size_t i = 0; i < ENGINE_CALL__COUNT; i++)
        sum += c->n[i];
    return sum;
}
