/* fake_http: a canned-reply HTTP server for tests. See fake_http.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_http.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static size_t content_length(const char *head)
{
    const char *p = strcasestr(head, "\r\nContent-Length:");

    return p ? (size_t)strtoul(p + 17, NULL, 10) : 0;
}

/* Reads one request (head and body); returns the head or NULL. */
static char *read_request(int c, char *buf, size_t size)
{
    size_t got = 0, need;
    char *end;

    while (!(end = strstr(buf, "\r\n\r\n"))) {
        ssize_t n = read(c, buf + got, size - 1 - got);
        if (n <= 0)
            return NULL;
        got += (size_t)n;
        buf[got] = '\0';
    }
    need = (size_t)(end + 4 - buf) + content_length(buf);
    while (got < need && got < size - 1) {
        ssize_t n = read(c, buf + got, size - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return buf;
}

static void serve(struct fake *f, int c)
{
    char buf[8192] = { 0 };
    const struct route *r;

    if (!read_request(c, buf, sizeof(buf)))
        return;
    pthread_mutex_lock(&f->lock);
    snprintf(f->last, sizeof(f->last), "%.*s",
             (int)(strstr(buf, "\r\n\r\n") + 4 - buf), buf);
    f->served++;
    pthread_mutex_unlock(&f->lock);
    for (r = f->routes; r->prefix; r++)
        if (strncmp(buf, r->prefix, strlen(r->prefix)) == 0)
            break;
    if (r->prefix) {
        size_t len = r->len ? r->len : strlen(r->reply);
        if (write(c, r->reply, len) != (ssize_t)len)
            return;
    } else {
        static const char nf[] = "HTTP/1.1 404 Not Found\r\nContent-Length: "
                                 "28\r\nConnection: close\r\n\r\n"
                                 "{\"message\":\"fake: no route\"}";
        if (write(c, nf, sizeof(nf) - 1) < 0)
            return;
    }
}

static void *fake_main(void *arg)
{
    struct fake *f = arg;

    while (!f->stop) {
        struct pollfd p = { f->fd, POLLIN, 0 };
        int c;

        if (poll(&p, 1, 20) <= 0)
            continue;
        if ((c = accept(f->fd, NULL, NULL)) < 0)
            continue;
        /* One request per connection: every reply says Connection: close. */
        serve(f, c);
        close(c);
    }
    return NULL;
}

void fake_start(struct fake *f, const struct route *routes)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };

    snprintf(f->path, sizeof(f->path), "/tmp/clnrm-fake-%d.sock",
             (int)getpid());
    unlink(f->path);
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", f->path);
    f->routes = routes;
    f->stop = 0;
    f->served = 0;
    f->last[0] = '\0';
    pthread_mutex_init(&f->lock, NULL);
    f->fd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(f->fd >= 0);
    assert_int_equal(bind(f->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(f->fd, 8), 0);
    assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
}

void fake_stop(struct fake *f)
{
    f->stop = 1;
    pthread_join(f->thread, NULL);
    close(f->fd);
    unlink(f->path);
    pthread_mutex_destroy(&f->lock);
}

int fake_last(struct fake *f, char *head, size_t size)
{
    int n;

    pthread_mutex_lock(&f->lock);
    snprintf(head, size, "%s", f->last);
    n = f->served;
    pthread_mutex_unlock(&f->lock);
    return n;
}
