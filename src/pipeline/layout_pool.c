/* The layout pool: see layout_pool.h. Workers take jobs in index order from
 * one counter under one mutex; a job's done flag is set under it and
 * broadcast, which is all the waiting needs (a few hundred jobs a run). */
#include "pipeline/layout_pool.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 16

struct misi_layout_pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done_cv;
    pthread_t th[MAX_THREADS];
    int nthreads;
    const struct misi_font_atlas *atlas;
    misi_layout_job *jobs;
    bool *done;
    size_t cap, n, next, ndone;
    bool quit;
};

static void *worker(void *arg)
{
    misi_layout_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->next >= p->n)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->quit && p->next >= p->n)
            break;
        size_t i = p->next++;
        misi_layout_job *j = &p->jobs[i];
        pthread_mutex_unlock(&p->mu);
        misi_error_clear(&j->err);
        j->rc = misi_label_layout(j->scene, &j->params, &j->view, p->atlas, j->out, &j->stats, &j->err);
        pthread_mutex_lock(&p->mu);
        p->done[i] = true;
        p->ndone++;
        pthread_cond_broadcast(&p->done_cv);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

int misi_layout_pool_threads(const misi_layout_pool *p)
{
    return p ? p->nthreads : 0;
}

static void stop(misi_layout_pool *p, int started)
{
    pthread_mutex_lock(&p->mu);
    p->quit = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < started; i++)
        pthread_join(p->th[i], NULL);
}

int misi_layout_pool_create(int threads, const struct misi_font_atlas *atlas, misi_layout_pool **out,
                            misi_error *err)
{
    *out = NULL;
    if (threads <= 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (int)n : 1;
    }
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    misi_layout_pool *p = calloc(1, sizeof *p);
    if (!p)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done_cv, NULL);
    p->atlas = atlas;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&p->th[i], NULL, worker, p)) {
            stop(p, i);
            pthread_cond_destroy(&p->work);
            pthread_cond_destroy(&p->done_cv);
            pthread_mutex_destroy(&p->mu);
            free(p);
            return misi_error_set(err, MISI_E_IO, "cannot start label layout thread %d of %d", i + 1, threads);
        }
        p->nthreads++;
    }
    *out = p;
    return MISI_OK;
}

void misi_layout_pool_destroy(misi_layout_pool *p)
{
    if (!p)
        return;
    misi_layout_pool_wait_all(p);
    stop(p, p->nthreads);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done_cv);
    pthread_mutex_destroy(&p->mu);
    free(p->done);
    free(p);
}

int misi_layout_pool_start(misi_layout_pool *p, misi_layout_job *jobs, size_t n, misi_error *err)
{
    misi_layout_pool_wait_all(p);
    pthread_mutex_lock(&p->mu);
    if (n > p->cap) {
        bool *d = realloc(p->done, n * sizeof *d);
        if (!d) {
            pthread_mutex_unlock(&p->mu);
            return misi_error_set(err, MISI_E_NOMEM, "out of memory for %zu label layouts", n);
        }
        p->done = d;
        p->cap = n;
    }
    if (n)
        memset(p->done, 0, n * sizeof *p->done);
    p->jobs = jobs;
    p->n = n;
    p->next = 0;
    p->ndone = 0;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    return MISI_OK;
}

void misi_layout_pool_wait(misi_layout_pool *p, size_t i)
{
    pthread_mutex_lock(&p->mu);
    while (i < p->n && !p->done[i])
        pthread_cond_wait(&p->done_cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void misi_layout_pool_wait_all(misi_layout_pool *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->ndone < p->n)
        pthread_cond_wait(&p->done_cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
}
