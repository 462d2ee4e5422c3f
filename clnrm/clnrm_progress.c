/* clnrm_progress: live and plain progress. See clnrm_progress.h. */
#include "clnrm_progress.h"

#include "clnrm_mask.h"
#include "cr_alloc.h"
#include "cr_buf.h"
#include "cr_clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define MAX_SHOWN 3 /* names of running tests on the live line */

struct clnrm_progress {
    FILE *f;
    bool live, color;
    size_t total, done, passed, failed, running;
    const char *names[MAX_SHOWN];
    uint64_t start_ms;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t ticker;
    bool ticking, stop;
    const struct clnrm_mask *mask; /* borrowed; NULL: none */
};

void clnrm_progress_set_mask(struct clnrm_progress *p,
                             const struct clnrm_mask *m)
{
    if (p != NULL)
        p->mask = m;
}

/* The terminal's width, so the live line never wraps (a wrapped line
 * cannot be redrawn in place). */
static size_t term_width(FILE *f)
{
    struct winsize ws;

    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

/* Redraws the status line; the caller holds p->mu. */
static void draw(struct clnrm_progress *p)
{
    char line[512];
    size_t len, width = term_width(p->f) - 1;
    bool first = true;

    len = (size_t)snprintf(line, sizeof(line),
                           "%zu running, %zu/%zu done, %zu passed, %zu "
                           "failed, %.1f s",
                           p->running, p->done, p->total, p->passed, p->failed,
                           (cr_clock_ms() - p->start_ms) / 1000.0);
    for (size_t i = 0; i < MAX_SHOWN && len < sizeof(line); i++) {
        if (p->names[i] == NULL)
            continue;
        len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s",
                                first ? "  " : ", ", p->names[i]);
        first = false;
    }
    if (len >= sizeof(line))
        len = sizeof(line) - 1;
    if (len > width)
        len = width;
    fprintf(p->f, "\r\033[K%s%.*s%s", p->color ? "\033[1m" : "", (int)len, line,
            p->color ? "\033[0m" : "");
    fflush(p->f);
}

static void *tick(void *arg)
{
    struct clnrm_progress *p = arg;

    pthread_mutex_lock(&p->mu);
    while (!p->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&p->cv, &p->mu, &ts);
        if (!p->stop)
            draw(p);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

struct clnrm_progress *clnrm_progress_start(FILE *f, bool live, bool color,
                                            size_t total)
{
    struct clnrm_progress *p = cr_calloc(1, sizeof(*p));

    if (p == NULL)
        return NULL;
    p->f = f;
    p->live = live;
    p->color = color;
    p->total = total;
    p->start_ms = cr_clock_ms();
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    if (live && pthread_create(&p->ticker, NULL, tick, p) == 0)
        p->ticking = true;
    return p;
}

void clnrm_progress_on_start(void *arg, size_t index,
                             const struct clnrm_test *t)
{
    struct clnrm_progress *p = arg;

    pthread_mutex_lock(&p->mu);
    p->running++;
    for (size_t i = 0; i < MAX_SHOWN; i++)
        if (p->names[i] == NULL) {
            p->names[i] = t->name;
            break;
        }
    if (p->live)
        draw(p);
    pthread_mutex_unlock(&p->mu);
}

static const char *label(const struct clnrm_test_result *r)
{
    switch (r->status) {
    case CLNRM_STATUS_PASS:
        return "PASS";
    case CLNRM_STATUS_TIMEOUT:
        return "TIME";
    case CLNRM_STATUS_SKIP:
        return "SKIP";
    case CLNRM_STATUS_ERROR:
        return "ERR ";
    default:
        return "FAIL";
    }
}

void clnrm_progress_on_done(void *arg, size_t index,
                            const struct clnrm_test_result *r)
{
    struct clnrm_progress *p = arg;
    bool ok = r->status == CLNRM_STATUS_PASS;
    struct cr_buf msg = { 0 };

    pthread_mutex_lock(&p->mu);
    p->running--;
    p->done++;
    if (ok)
        p->passed++;
    else if (r->status != CLNRM_STATUS_SKIP)
        p->failed++;
    for (size_t i = 0; i < MAX_SHOWN; i++)
        if (p->names[i] == r->test->name)
            p->names[i] = NULL;
    /* The message can quote captured output: mask it, or drop it when
     * there is no memory to mask it with. */
    if (!ok && (cr_buf_puts(&msg, r->message) != 0 ||
                (p->mask != NULL && clnrm_mask_apply(p->mask, &msg) < 0)))
        cr_buf_release(&msg);
    fprintf(p->f, "%s%s%s%s %s (%.2f s)%s%s\n", p->live ? "\r\033[K" : "",
            p->color ? (ok ? "\033[32m" : "\033[31m") : "", label(r),
            p->color ? "\033[0m" : "", r->test->name, r->duration_ms / 1000.0,
            ok ? "" : ": ", ok ? "" : cr_buf_str(&msg));
    cr_buf_release(&msg);
    if (p->live)
        draw(p);
    fflush(p->f);
    pthread_mutex_unlock(&p->mu);
}

void clnrm_progress_finish(struct clnrm_progress *p)
{
    if (p == NULL)
        return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
    if (p->ticking)
        pthread_join(p->ticker, NULL);
    if (p->live) {
        fputs("\r\033[K", p->f);
        fflush(p->f);
    }
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    cr_free(p);
}
