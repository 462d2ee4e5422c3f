/*
 * fake_engine_int: what fake_engine.c (server, connections, scripting) and
 * fake_engine_routes.c (the route table, its handlers and the engine's
 * state) share. Not for tests; they use fake_engine.h.
 *
 * Every field of struct fake_engine below `mu` is guarded by it; handlers
 * run with it held, and may wait on cv (which is broadcast on every change
 * of state) to block a request, as a pending wait does.
 */
#ifndef FAKE_ENGINE_INT_H
#define FAKE_ENGINE_INT_H

#include "fake_engine.h"

#include <pthread.h>
#include <stdatomic.h>

#define FAKE_API        "1.41"
#define FAKE_MAX_OBJS   128
#define FAKE_MAX_LABELS 12
#define FAKE_MAX_PORTS  4
#define FAKE_MAX_EXECS  512
#define FAKE_MAX_RULES  16

/* A growable string on libc's malloc. */
struct fake_sb {
    char *p;
    size_t len, cap;
};

struct fake_req {
    char method[8];
    char path[1024];  /* without the /v1.41 prefix and the query */
    char query[4096]; /* still URL-encoded */
    char *body;       /* NUL-terminated */
    int fd;           /* the connection, for replies sent in two parts */
};

struct fake_reply {
    int status; /* 0: close without answering */
    const char *ctype;
    struct fake_sb body;
    bool raw;   /* body is the whole reply, not only its body */
    bool close; /* close the connection after it */
};

struct fake_kv {
    char key[96];
    char value[200];
};

struct fake_obj {
    bool used, network, running;
    char id[65];
    char name[200];
    char image[200];
    char netmode[200];
    struct fake_kv labels[FAKE_MAX_LABELS];
    size_t nlabels;
    char ports[FAKE_MAX_PORTS][24]; /* "80/tcp" */
    unsigned host_ports[FAKE_MAX_PORTS];
    size_t nports;
    int exit_code;
    char *log;       /* stdout, owned */
    char *err_log;   /* stderr, owned */
    int main_rule;   /* exec rule its Cmd matches + 1, 0: none */
    unsigned starts; /* times started, for waits on the next exit */
};

struct fake_exec {
    char id[65];
    char container[65];
    int code;
    char *out, *err; /* owned */
};

struct fake_exec_rule {
    char *cmd, *out, *err; /* owned */
    int code;
};

struct fake_exit_rule {
    char *suffix, *log; /* owned */
    int code;
};

struct fake_override {
    int status;    /* 0: none */
    char *message; /* owned */
    enum fake_garbage garbage;
};

struct fake_engine;

typedef void (*fake_handler_fn)(struct fake_engine *f,
                                const struct fake_req *rq, const char *arg,
                                struct fake_reply *rp);

struct fake_route_def {
    enum fake_route id;
    const char *method;
    const char *pattern; /* '*': one path segment, '+': anything */
    fake_handler_fn fn;
    int ok_status; /* what success looks like, for garbage */
};

struct conn;

struct fake_engine {
    char path[108];
    char host[120];
    int lfd;
    int wake[2]; /* tells the acceptor to end */
    pthread_t acceptor;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct conn *conns; /* every connection accepted, joined at stop */
    bool stopping;
    bool dead;
    long requests;
    long die_after; /* -1: never */
    bool released;
    bool block[FAKE_ROUTE_COUNT];
    int block_skip[FAKE_ROUTE_COUNT]; /* requests let through first */
    fake_hook_fn hook[FAKE_ROUTE_COUNT];
    void *hook_ctx[FAKE_ROUTE_COUNT];
    struct fake_override ov[FAKE_ROUTE_COUNT];
    int served[FAKE_ROUTE_COUNT];
    struct fake_obj objs[FAKE_MAX_OBJS];
    struct fake_exec execs[FAKE_MAX_EXECS];
    size_t nexecs;
    struct fake_exec_rule exec_rules[FAKE_MAX_RULES];
    size_t nexec_rules;
    struct fake_exit_rule exit_rules[FAKE_MAX_RULES];
    size_t nexit_rules;
    char *missing[FAKE_MAX_RULES];
    size_t nmissing;
    unsigned long next_id;
    unsigned next_port;
    struct fake_sb log; /* fake_engine_log's lines */
};

/* fake_engine.c */
void *fake__xmalloc(size_t n);
char *fake__xstrdup(const char *s);
void fake__sb_put(struct fake_sb *b, const void *p, size_t n);
void fake__sb_printf(struct fake_sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string, quotes included. */
void fake__sb_json_str(struct fake_sb *b, const char *s);
/* rp becomes status with {"message": <fmt...>}. */
void fake__reply_error(struct fake_reply *rp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* fake_engine_routes.c */
/* The route rq asks for, its '*' or '+' part copied to arg; NULL if none. */
const struct fake_route_def *fake__route_find(const struct fake_req *rq,
                                              char *arg, size_t size);
/* Appends rq's line to f->log when it is a create, start or exec that
 * succeeded (see fake_engine_log). */
void fake__log_request(struct fake_engine *f, enum fake_route id,
                       const struct fake_req *rq, const char *arg, int status);
/* Frees what the state owns (objects' logs, execs, rules). */
void fake__state_free(struct fake_engine *f);

#endif
