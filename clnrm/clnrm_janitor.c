/* clnrm_janitor: background teardown. See clnrm_janitor.h. */
#include "clnrm_janitor.h"

#include <pthread.h>
#include <stdlib.h>

#include "cr_alloc.h"

struct job {
    char **ids;
    size_t n;
    char *net_id;
    bool *failed;
    struct engine_calls *calls;
    struct job *next;
};

struct clnrm_janitor {
    struct engine *eng;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *head, *tail;
    bool closing;
    pthread_t thread;
};

void clnrm_janitor_remove_now(struct engine *eng, char **ids, size_t n,
                              char *net_id, bool *failed)
{
    struct cr_error e = { 0 };
    bool bad = false;

    for (size_t i = 0; i < n; i++) {
        if (ids[i] != NULL &&
            engine_container_remove(eng, ids[i], true, &e) != ENGINE_OK)
            bad = true;
        cr_free(ids[i]);
    }
    cr_free(ids);
    if (net_id != NULL && engine_network_remove(eng, net_id, &e) != ENGINE_OK)
        bad = true;
    cr_free(net_id);
    if (bad && failed != NULL)
        *failed = true;
}

static void *janitor_main(void *arg)
{
    struct clnrm_janitor *j = arg;
    struct engine_calls before, after;
    struct job *job;

    pthread_mutex_lock(&j->mu);
    for (;;) {
        while (j->head == NULL && !j->closing)
            pthread_cond_wait(&j->cv, &j->mu);
        if ((job = j->head) == NULL)
            break; /* closing and drained */
        j->head = job->next;
        if (j->head == NULL)
            j->tail = NULL;
        pthread_mutex_unlock(&j->mu);
        engine_calls_get(j->eng, &before);
        clnrm_janitor_remove_now(j->eng, job->ids, job->n, job->net_id,
                                 job->failed);
        engine_calls_get(j->eng, &after);
        if (job->calls != NULL)
            engine_calls_add_diff(job->calls, &after, &before);
        cr_free(job);
        pthread_mutex_lock(&j->mu);
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

struct clnrm_janitor *clnrm_janitor_start(struct engine *eng)
{
    struct clnrm_janitor *j = cr_calloc(1, sizeof(*j));

    if (j == NULL)
        return NULL;
    j->eng = eng;
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, NULL);
    if (pthread_create(&j->thread, NULL, janitor_main, j) != 0) {
        pthread_cond_destroy(&j->cv);
        pthread_mutex_destroy(&j->mu);
        cr_free(j);
        return NULL;
    }
    return j;
}

void clnrm_janitor_submit(struct clnrm_janitor *j, char **ids, size_t n,
                          char *net_id, bool *failed)
{
    clnrm_janitor_submit_counted(j, ids, n, net_id, failed, NULL);
}

void clnrm_janitor_submit_counted(struct clnrm_janitor *j, char **ids, size_t n,
                                  char *net_id, bool *failed,
                                  struct engine_calls *calls)
{
    struct job *job = cr_calloc(1, sizeof(*job));

    if (job == NULL) {
        /* No memory for a job (and the engine belongs to the janitor's
         * thread): leave the objects to the end-of-run sweep by label. */
        for (size_t i = 0; i < n; i++)
            cr_free(ids[i]);
        cr_free(ids);
        cr_free(net_id);
        if (failed != NULL)
            *failed = true;
        return;
    }
    *job = (struct job){ ids, n, net_id, failed, calls, NULL };
    pthread_mutex_lock(&j->mu);
    if (j->tail != NULL)
        j->tail->next = job;
    else
        j->head = job;
    j->tail = job;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

void clnrm_janitor_finish(struct clnrm_janitor *j)
{
    if (j == NULL)
        return;
    pthread_mutex_lock(&j->mu);
    j->closing = true;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->thread, NULL);
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    cr_free(j);
}
