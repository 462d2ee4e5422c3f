/* fake_engine: the server, its connections and the scripting calls. The
 * routes and their handlers are in fake_engine_routes.c. See
 * fake_engine.h. */
#include "fake_engine_int.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* ---- Small helpers ------------------------------------------------------ */

void *fake__xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    /* Test code: running out of memory here is the machine's problem. */
    if (p == NULL)
        abort();
    return p;
}

char *fake__xstrdup(const char *s)
{
    size_t n = s ? strlen(s) + 1 : 1;
    char *p = fake__xmalloc(n);

    memcpy(p, s ? s : "", n);
    return p;
}

void fake__sb_put(struct fake_sb *b, const void *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        if (b->p == NULL)
            abort();
        b->cap = cap;
    }
    memcpy(b->p + b->len, p, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void fake__sb_printf(struct fake_sb *b, const char *fmt, ...)
{
    va_list ap;
    char small[512];
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof(small)) {
        fake__sb_put(b, small, (size_t)n);
        return;
    }
    char *big = fake__xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    fake__sb_put(b, big, (size_t)n);
    free(big);
}

void fake__sb_json_str(struct fake_sb *b, const char *s)
{
    fake__sb_put(b, "\"", 1);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fake__sb_printf(b, "\\%c", c);
        else if (c < 0x20)
            fake__sb_printf(b, "\\u%04x", c);
        else
            fake__sb_put(b, s, 1);
    }
    fake__sb_put(b, "\"", 1);
}

/* ---- Requests ----------------------------------------------------------- */

struct conn {
    struct fake_engine *f;
    int fd;
    pthread_t thread;
    char *buf;
    size_t len, cap;
    struct conn *next;
};

/* Reads more bytes into c->buf; false at EOF or on error. */
static bool fill(struct conn *c)
{
    ssize_t n;

    if (c->cap - c->len < 4096) {
        c->cap = c->cap ? c->cap * 2 : 16384;
        c->buf = realloc(c->buf, c->cap);
        if (c->buf == NULL)
            abort();
    }
    do
        n = read(c->fd, c->buf + c->len, c->cap - c->len - 1);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
        return false;
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    return true;
}

/* "/v1.41/containers/json" -> "/containers/json". */
static const char *unversioned(const char *path)
{
    if (path[0] == '/' && path[1] == 'v' && path[2] >= '0' && path[2] <= '9') {
        const char *slash = strchr(path + 1, '/');
        return slash ? slash : path;
    }
    return path;
}

/* Reads one request (keep-alive: bytes after it stay in c->buf). */
static bool read_request(struct conn *c, struct fake_req *rq)
{
    char *end, *cl, target[4096], *q;
    size_t head, body = 0;

    memset(rq, 0, sizeof(*rq));
    while (c->buf == NULL || (end = strstr(c->buf, "\r\n\r\n")) == NULL)
        if (!fill(c))
            return false;
    head = (size_t)(end + 4 - c->buf);
    *end = '\0';
    cl = strcasestr(c->buf, "\r\nContent-Length:");
    if (cl)
        body = strtoul(cl + 17, NULL, 10);
    if (sscanf(c->buf, "%7s %4095s", rq->method, target) != 2)
        return false;
    while (c->len < head + body)
        if (!fill(c))
            return false;
    rq->body = fake__xmalloc(body + 1);
    memcpy(rq->body, c->buf + head, body);
    rq->body[body] = '\0';
    q = strchr(target, '?');
    snprintf(rq->query, sizeof(rq->query), "%s", q ? q + 1 : "");
    if (q)
        *q = '\0';
    snprintf(rq->path, sizeof(rq->path), "%s", unversioned(target));
    memmove(c->buf, c->buf + head + body, c->len - head - body);
    c->len -= head + body;
    c->buf[c->len] = '\0';
    return true;
}

/* ---- Replies ------------------------------------------------------------ */

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 304:
        return "Not Modified";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 409:
        return "Conflict";
    default:
        return "Internal Server Error";
    }
}

void fake__reply_error(struct fake_reply *rp, int status, const char *fmt, ...)
{
    char msg[600];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    rp->status = status;
    rp->body.len = 0;
    fake__sb_put(&rp->body, "{\"message\":", 11);
    fake__sb_json_str(&rp->body, msg);
    fake__sb_put(&rp->body, "}\n", 2);
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

static bool send_reply(int fd, const struct fake_reply *rp)
{
    struct fake_sb out = { 0 };
    bool ok;

    if (rp->raw) {
        ok = send_all(fd, rp->body.p ? rp->body.p : "", rp->body.len);
        return ok;
    }
    fake__sb_printf(&out,
                    "HTTP/1.1 %d %s\r\nApi-Version: " FAKE_API
                    "\r\nServer: fake-engine\r\nContent-Type: %s\r\n"
                    "Content-Length: %zu\r\n\r\n",
                    rp->status, reason(rp->status),
                    rp->ctype ? rp->ctype : "application/json", rp->body.len);
    if (rp->body.len)
        fake__sb_put(&out, rp->body.p, rp->body.len);
    ok = send_all(fd, out.p, out.len);
    free(out.p);
    return ok;
}

/* ---- Serving ------------------------------------------------------------ */

/* Ends every connection's reads (they close themselves). Locked. */
static void shutdown_conns(struct fake_engine *f)
{
    for (struct conn *c = f->conns; c; c = c->next)
        if (c->fd >= 0)
            shutdown(c->fd, SHUT_RDWR);
}

/* The scripted part of answering: death, blocks, failures, garbage; else
 * the route's handler. Locked. Returns false to close without answering. */
static bool answer(struct fake_engine *f, const struct fake_req *rq,
                   struct fake_reply *rp)
{
    char arg[1024];
    const struct fake_route_def *r = fake__route_find(rq, arg, sizeof(arg));
    const struct fake_override *ov;

    f->requests++;
    if (f->dead || (f->die_after >= 0 && f->requests > f->die_after)) {
        f->dead = true;
        shutdown_conns(f);
        pthread_cond_broadcast(&f->cv);
        return false;
    }
    if (r == NULL) {
        fake__reply_error(rp, 404, "page not found");
        return true;
    }
    if (f->block[r->id] && f->block_skip[r->id] > 0) {
        f->block_skip[r->id]--;
    } else if (f->block[r->id]) {
        fake_hook_fn hook = f->hook[r->id];
        void *ctx = f->hook_ctx[r->id];
        f->block[r->id] = false;
        pthread_mutex_unlock(&f->mu);
        if (hook)
            hook(ctx);
        pthread_mutex_lock(&f->mu);
        while (!f->released && !f->stopping && !f->dead)
            pthread_cond_wait(&f->cv, &f->mu);
    }
    if (f->dead || f->stopping)
        return false;
    ov = &f->ov[r->id];
    if (ov->garbage == FAKE_GARBAGE_HTTP) {
        rp->raw = true;
        fake__sb_printf(&rp->body, "SPDY/9 banana\r\n\r\n{{{");
        rp->close = true;
    } else if (ov->garbage == FAKE_GARBAGE_JSON) {
        rp->status = r->ok_status;
        fake__sb_printf(&rp->body, "{\"Id\": [this is not json");
    } else if (ov->status) {
        fake__reply_error(rp, ov->status, "%s", ov->message);
    } else {
        r->fn(f, rq, arg, rp);
        fake__log_request(f, r->id, rq, arg, rp->status);
    }
    f->served[r->id]++;
    pthread_cond_broadcast(&f->cv);
    return rp->status != 0 || rp->raw;
}

static void *conn_main(void *arg)
{
    struct conn *c = arg;
    struct fake_engine *f = c->f;
    struct fake_req rq;

    while (read_request(c, &rq)) {
        struct fake_reply rp = { 0 };
        bool ok;

        rq.fd = c->fd;
        pthread_mutex_lock(&f->mu);
        ok = answer(f, &rq, &rp);
        pthread_mutex_unlock(&f->mu);
        free(rq.body);
        ok = ok && send_reply(c->fd, &rp);
        free(rp.body.p);
        if (!ok || rp.close)
            break;
    }
    pthread_mutex_lock(&f->mu);
    close(c->fd);
    c->fd = -1;
    pthread_mutex_unlock(&f->mu);
    free(c->buf);
    c->buf = NULL;
    return NULL;
}

static void *accept_main(void *arg)
{
    struct fake_engine *f = arg;

    for (;;) {
        struct pollfd p[2] = { { f->lfd, POLLIN, 0 },
                               { f->wake[0], POLLIN, 0 } };
        struct conn *c;
        int fd;

        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        if (!(p[0].revents & POLLIN) || (fd = accept(f->lfd, NULL, NULL)) < 0)
            continue;
        pthread_mutex_lock(&f->mu);
        if (f->dead) {
            pthread_mutex_unlock(&f->mu);
            close(fd);
            continue;
        }
        c = calloc(1, sizeof(*c));
        if (c == NULL)
            abort();
        c->f = f;
        c->fd = fd;
        if (pthread_create(&c->thread, NULL, conn_main, c) != 0) {
            close(fd);
            free(c);
        } else {
            c->next = f->conns;
            f->conns = c;
        }
        pthread_mutex_unlock(&f->mu);
    }
    return NULL;
}

struct fake_engine *fake_engine_start(void)
{
    static atomic_int seq;
    struct fake_engine *f = calloc(1, sizeof(*f));
    struct sockaddr_un a = { .sun_family = AF_UNIX };

    if (f == NULL)
        return NULL;
    snprintf(f->path, sizeof(f->path), "/tmp/clnrm-fake-%d-%d.sock",
             (int)getpid(), atomic_fetch_add(&seq, 1));
    snprintf(f->host, sizeof(f->host), "unix://%s", f->path);
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", f->path);
    unlink(f->path);
    f->die_after = -1;
    f->released = true;
    f->next_port = 32768;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    f->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (f->lfd < 0 || bind(f->lfd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(f->lfd, 64) != 0 || pipe(f->wake) != 0 ||
        pthread_create(&f->acceptor, NULL, accept_main, f) != 0) {
        int saved = errno;
        if (f->lfd >= 0)
            close(f->lfd);
        unlink(f->path);
        pthread_cond_destroy(&f->cv);
        pthread_mutex_destroy(&f->mu);
        free(f);
        errno = saved;
        return NULL;
    }
    return f;
}

void fake_engine_stop(struct fake_engine *f)
{
    struct conn *c;

    if (f == NULL)
        return;
    if (write(f->wake[1], "x", 1) != 1)
        abort();
    pthread_join(f->acceptor, NULL);
    pthread_mutex_lock(&f->mu);
    f->stopping = true;
    shutdown_conns(f);
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    /* The acceptor is gone, so the list no longer changes. */
    while ((c = f->conns) != NULL) {
        pthread_join(c->thread, NULL);
        f->conns = c->next;
        free(c);
    }
    close(f->lfd);
    close(f->wake[0]);
    close(f->wake[1]);
    unlink(f->path);
    fake__state_free(f);
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

const char *fake_engine_host(const struct fake_engine *f)
{
    return f->host;
}

/* ---- Scripting ---------------------------------------------------------- */

void fake_engine_fail(struct fake_engine *f, enum fake_route route, int status,
                      const char *message)
{
    pthread_mutex_lock(&f->mu);
    free(f->ov[route].message);
    f->ov[route].message = fake__xstrdup(message);
    f->ov[route].status = status;
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_garbage(struct fake_engine *f, enum fake_route route,
                         enum fake_garbage kind)
{
    pthread_mutex_lock(&f->mu);
    f->ov[route].garbage = kind;
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_block(struct fake_engine *f, enum fake_route route,
                       fake_hook_fn hook, void *ctx)
{
    pthread_mutex_lock(&f->mu);
    f->block[route] = true;
    f->hook[route] = hook;
    f->hook_ctx[route] = ctx;
    f->released = false;
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_block_nth(struct fake_engine *f, enum fake_route route, int n)
{
    fake_engine_block(f, route, NULL, NULL);
    pthread_mutex_lock(&f->mu);
    f->block_skip[route] = n > 1 ? n - 1 : 0;
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_release(struct fake_engine *f)
{
    pthread_mutex_lock(&f->mu);
    f->released = true;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_die_after(struct fake_engine *f, int n)
{
    pthread_mutex_lock(&f->mu);
    f->die_after = f->requests + n;
    if (n <= 0) {
        f->dead = true;
        shutdown_conns(f);
        pthread_cond_broadcast(&f->cv);
    }
    pthread_mutex_unlock(&f->mu);
}

void fake_engine_revive(struct fake_engine *f)
{
    pthread_mutex_lock(&f->mu);
    f->dead = false;
    f->die_after = -1;
    pthread_mutex_unlock(&f->mu);
}

int fake_engine_served(struct fake_engine *f, enum fake_route route)
{
    int n;

    pthread_mutex_lock(&f->mu);
    n = f->served[route];
    pthread_mutex_unlock(&f->mu);
    return n;
}

void fake_engine_wait_served(struct fake_engine *f, enum fake_route route,
                             int n)
{
    pthread_mutex_lock(&f->mu);
    while (f->served[route] < n && !f->stopping)
        pthread_cond_wait(&f->cv, &f->mu);
    pthread_mutex_unlock(&f->mu);
}

char *fake_engine_log(struct fake_engine *f)
{
    char *copy;

    pthread_mutex_lock(&f->mu);
    copy = fake__xstrdup(f->log.p != NULL ? f->log.p : "");
    pthread_mutex_unlock(&f->mu);
    return copy;
}
