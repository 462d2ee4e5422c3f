/*
 * fake_http: a canned-reply HTTP server on a unix socket, standing in for
 * the Docker engine in unit tests. Each connection gets one request and
 * the reply of the first route whose prefix starts the request line (a 404
 * with an engine-style error body when none does); every reply must say
 * Connection: close. The server runs on its own thread and allocates with
 * libc only, so allocation-failure injection never reaches it.
 */
#ifndef FAKE_HTTP_H
#define FAKE_HTTP_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* A canned reply for requests whose first line starts with prefix. */
struct route {
    const char *prefix; /* "GET /_ping" */
    const char *reply;  /* the whole HTTP response */
    size_t len;         /* 0: strlen(reply) */
};

struct fake {
    char path[108];
    int fd;
    const struct route *routes; /* borrowed until fake_stop */
    atomic_int stop;            /* read by the fake's thread */
    pthread_t thread;
    pthread_mutex_t lock; /* guards last and served */
    char last[8192];      /* the head of the last request served */
    int served;           /* requests answered so far */
};

/* Listens on /tmp/clnrm-fake-PID.sock and serves routes (a table ended by
 * a NULL prefix) until fake_stop. Fails the running test on error. */
void fake_start(struct fake *f, const struct route *routes);

/* Stops the thread, closes and removes the socket. */
void fake_stop(struct fake *f);

/* The number of requests served so far and a copy of the last head. */
int fake_last(struct fake *f, char *head, size_t size);

#endif
