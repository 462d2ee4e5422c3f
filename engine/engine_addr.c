/* engine DOCKER_HOST parsing. See engine.h. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static enum engine_code parse_unix(const char *rest, struct engine_addr *out,
                                   struct cr_error *err)
{
    const char *dflt = &ENGINE_DEFAULT_HOST[strlen("unix://")];
    int n;

    out->transport = ENGINE_UNIX;
    if (*rest == '\0')
        rest = dflt;
    /* "unix://run/x.sock" is taken as /run/x.sock, like docker-py. */
    n = snprintf(out->socket_path, sizeof(out->socket_path), "%s%s",
                 rest[0] == '/' ? "" : "/", rest);
    if (n < 0 || (size_t)n >= sizeof(out->socket_path))
        return engine_error_set(err, ENGINE_E_INVALID,
                                "DOCKER_HOST socket path too long (at most "
                                "%zu bytes): %s",
                                sizeof(out->socket_path) - 1, rest);
    snprintf(out->display, sizeof(out->display), "unix://%s", out->socket_path);
    return ENGINE_OK;
}

static int parse_port(const char *s, int *port)
{
    char *end;
    long v;

    if (*s < '0' || *s > '9')
        return -1;
    v = strtol(s, &end, 10);
    if (*end != '\0' && strcmp(end, "/") != 0)
        return -1;
    if (v < 1 || v > 65535)
        return -1;
    *port = (int)v;
    return 0;
}

/* Splits "host", "host:port", "[v6]" or "[v6]:port" (an optional trailing
 * "/" allowed). */
static int split_host_port(const char *s, char *host, size_t hsize,
                           const char **port)
{
    const char *end;
    size_t n;

    *port = NULL;
    if (*s == '[') {
        end = strchr(s, ']');
        if (!end)
            return -1;
        n = (size_t)(end - s - 1);
        s++;
        if (end[1] == ':')
            *port = end + 2;
        else if (end[1] != '\0' && strcmp(end + 1, "/") != 0)
            return -1;
    } else {
        end = strchr(s, ':');
        if (end && strchr(end + 1, ':'))
            return -1; /* a bare IPv6 literal needs brackets */
        n = end ? (size_t)(end - s) : strcspn(s, "/");
        if (end)
            *port = end + 1;
        else if (s[n] != '\0' && strcmp(s + n, "/") != 0)
            return -1;
    }
    if (n == 0 || n >= hsize)
        return -1;
    memcpy(host, s, n);
    host[n] = '\0';
    return 0;
}

static enum engine_code parse_tcp(const char *value, const char *rest, bool tls,
                                  struct engine_addr *out, struct cr_error *err)
{
    const char *port = NULL;
    bool v6;

    out->transport = ENGINE_TCP;
    out->tls = tls;
    out->port = tls ? 2376 : 2375;
    if (split_host_port(rest, out->host, sizeof(out->host), &port) < 0 ||
        (port && parse_port(port, &out->port) < 0))
        return engine_error_set(err, ENGINE_E_INVALID,
                                "invalid DOCKER_HOST address: %s", value);
    v6 = strchr(out->host, ':') != NULL;
    snprintf(out->display, sizeof(out->display), "tcp://%s%s%s:%d",
             v6 ? "[" : "", out->host, v6 ? "]" : "", out->port);
    return ENGINE_OK;
}

enum engine_code engine_addr_parse(const char *value, bool tls,
                                   struct engine_addr *out,
                                   struct cr_error *err)
{
    const char *sep;

    memset(out, 0, sizeof(*out));
    if (!value || *value == '\0')
        value = ENGINE_DEFAULT_HOST;
    if (strncmp(value, "unix://", 7) == 0)
        return parse_unix(value + 7, out, err);
    if (strncmp(value, "tcp://", 6) == 0)
        return parse_tcp(value, value + 6, tls, out, err);
    sep = strstr(value, "://");
    if (sep)
        return engine_error_set(err, ENGINE_E_INVALID,
                                "unsupported DOCKER_HOST %s: clnrm speaks "
                                "unix:// and tcp:// only",
                                value);
    /* No scheme: host:port, as the docker CLI reads it. */
    return parse_tcp(value, value, tls, out, err);
}
