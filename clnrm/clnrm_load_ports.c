/* clnrm_load_ports: a service's `ports` in every form users write: the
 * Rust clnrm's integers, docker compose's "HOST:PORT" strings and its
 * long-form tables. Each lands in clnrm_service.ports and .publish
 * (clnrm_spec.h). See clnrm_load_section.h. */
#include "clnrm_load_section.h"

#include "cr_alloc.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* ports = [8080, "8080", "9000:80", "127.0.0.1:9000:80/tcp"]              */

/* Parses a decimal port 1..65535 from [s, end); -1 when malformed. */
static long port_number(const char *s, const char *end)
{
    long v = 0;

    if (s == end || end - s > 5)
        return -1;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v >= 1 && v <= 65535 ? v : -1;
}

/* The loopback address published ports bind to unless the file names
 * another: a test's service is reachable from this machine only, never
 * from the network it is on. */
#define DEFAULT_HOST_IP "127.0.0.1"

/* Copies the host address of "IP:HOST:PORT" ([s, end), brackets of an
 * IPv6 address removed) into pub, checking it is an address. */
static int host_ip(struct clnrm_loader *ld, const struct cr_toml_value *e,
                   const char *s, const char *end, struct clnrm_publish *pub)
{
    unsigned char addr[sizeof(struct in6_addr)];
    size_t n;

    if (end - s >= 2 && s[0] == '[' && end[-1] == ']') {
        s++;
        end--;
    }
    n = (size_t)(end - s);
    if (n >= sizeof(pub->host_ip))
        n = sizeof(pub->host_ip) - 1;
    memcpy(pub->host_ip, s, n);
    pub->host_ip[n] = '\0';
    if (inet_pton(AF_INET, pub->host_ip, addr) != 1 &&
        inet_pton(AF_INET6, pub->host_ip, addr) != 1)
        return clnrm__fail_at(ld, cr_toml_pos(e),
                              "port \"%s\": \"%s\" is not an IP address",
                              cr_toml_string(e, NULL), pub->host_ip);
    return 0;
}

/* A compose port string: "PORT", "HOST:PORT", "IP:HOST:PORT" or
 * "IP::PORT" (any host port on IP), each with an optional "/tcp". */
static int port_string(struct clnrm_loader *ld, const struct cr_toml_value *e,
                       int *out, struct clnrm_publish *pub)
{
    const char *s = cr_toml_string(e, NULL);
    const char *end = s + strlen(s), *colon, *hcolon = NULL;
    const char *slash = strchr(s, '/');
    long port, host = 0;

    if (slash != NULL) {
        if (strcmp(slash, "/tcp") != 0)
            return clnrm__fail_at(ld, cr_toml_pos(e),
                                  "port \"%s\": only TCP ports are published",
                                  s);
        end = slash;
    }
    /* The last colon before end splits off the container port; one more
     * before it splits the address from the host port. */
    for (colon = end; colon > s && colon[-1] != ':'; colon--)
        ;
    colon = colon > s ? colon - 1 : NULL;
    for (const char *c = s; colon != NULL && c < colon; c++)
        if (*c == ':')
            hcolon = c;
    port = port_number(colon != NULL ? colon + 1 : s, end);
    if (colon != NULL && (hcolon == NULL || hcolon + 1 < colon))
        host = port_number(hcolon != NULL ? hcolon + 1 : s, colon);
    if (port < 0 || host < 0)
        return clnrm__fail_at(ld, cr_toml_pos(e),
                              "port \"%s\" is not PORT, HOST:PORT or "
                              "IP:HOST:PORT with ports from 1 to 65535",
                              s);
    if (hcolon != NULL && host_ip(ld, e, s, hcolon, pub) != 0)
        return -1;
    pub->host_port = (unsigned)host;
    *out = (int)port;
    return 0;
}

/* An integer port, or a string of digits (compose's `published`). */
static long port_value(const struct cr_toml_value *v)
{
    if (cr_toml_type(v) == CR_TOML_INTEGER)
        return cr_toml_int(v) >= 1 && cr_toml_int(v) <= 65535 ? cr_toml_int(v)
                                                              : -1;
    if (cr_toml_type(v) == CR_TOML_STRING) {
        const char *s = cr_toml_string(v, NULL);
        return port_number(s, s + strlen(s));
    }
    return -1;
}

/* Compose's long form: { target = 80, published = 8080, host_ip = "...",
 * protocol = "tcp" }. */
static int port_table(struct clnrm_loader *ld, const struct cr_toml_value *e,
                      int *out, struct clnrm_publish *pub)
{
    static const char *const keys[] = { "target", "published", "host_ip",
                                        "protocol", "mode" };
    const struct cr_toml_value *target = cr_toml_get(e, "target");
    const struct cr_toml_value *published = cr_toml_get(e, "published");
    const struct cr_toml_value *ip = cr_toml_get(e, "host_ip");
    const struct cr_toml_value *proto = cr_toml_get(e, "protocol");
    long port = target != NULL ? port_value(target) : -1;
    long host = published != NULL ? port_value(published) : 0;

    clnrm__check_keys(ld, e, "port", keys, CLNRM_N_OF(keys));
    if (port < 0 || host < 0)
        return clnrm__fail_at(ld, cr_toml_pos(e),
                              "a port table needs target (and published) "
                              "from 1 to 65535");
    if (proto != NULL && (cr_toml_type(proto) != CR_TOML_STRING ||
                          strcmp(cr_toml_string(proto, NULL), "tcp") != 0))
        return clnrm__fail_at(ld, cr_toml_pos(proto),
                              "only TCP ports are published");
    if (ip != NULL) {
        const char *s;
        if (cr_toml_type(ip) != CR_TOML_STRING)
            return clnrm__fail_at(ld, cr_toml_pos(ip),
                                  "\"host_ip\" must be a string");
        s = cr_toml_string(ip, NULL);
        if (host_ip(ld, ip, s, s + strlen(s), pub) != 0)
            return -1;
    }
    pub->host_port = (unsigned)host;
    *out = (int)port;
    return 0;
}

int clnrm__load_ports(struct clnrm_loader *ld, const struct cr_toml_value *tbl,
                      struct clnrm_service *s)
{
    const struct cr_toml_value *v = cr_toml_get(tbl, "ports");

    if (v == NULL)
        return 0;
    if (cr_toml_type(v) != CR_TOML_ARRAY)
        return clnrm__fail_at(ld, cr_toml_pos(v),
                              "\"ports\" must be an array of port numbers "
                              "or \"HOST:PORT\" strings");
    s->ports = cr_calloc(cr_toml_len(v) + 1, sizeof(int));
    s->publish = cr_calloc(cr_toml_len(v) + 1, sizeof(*s->publish));
    if (s->ports == NULL || s->publish == NULL)
        return clnrm__fail_nomem(ld);
    for (size_t i = 0; i < cr_toml_len(v); i++) {
        const struct cr_toml_value *e = cr_toml_at(v, i);
        struct clnrm_publish *pub = &s->publish[i];
        int port = 0;

        snprintf(pub->host_ip, sizeof(pub->host_ip), "%s", DEFAULT_HOST_IP);
        if (cr_toml_type(e) == CR_TOML_STRING) {
            if (port_string(ld, e, &port, pub) != 0)
                return -1;
        } else if (cr_toml_type(e) == CR_TOML_TABLE) {
            if (port_table(ld, e, &port, pub) != 0)
                return -1;
        } else if (cr_toml_type(e) != CR_TOML_INTEGER || cr_toml_int(e) < 1 ||
                   cr_toml_int(e) > 65535) {
            return clnrm__fail_at(ld, cr_toml_pos(e),
                                  "ports must be integers from 1 to 65535 "
                                  "or \"HOST:PORT\" strings");
        } else {
            port = (int)cr_toml_int(e);
        }
        s->ports[s->n_ports++] = port;
    }
    return 0;
}
