/* The writer pool: a bounded job queue, N encode/write threads, atomic file
 * writes, the first error, and per-thread counters.
 *
 * One mutex guards everything shared; workers hold it only to take a job and
 * to hand one back, never while encoding or writing. "pending" counts jobs
 * from the moment submit reserves a slot until a worker has released the
 * job's memory, so it bounds the pixel buffers the pool holds. */
#include "misi/writer_pool.h"

#include "misi/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 256

typedef enum job_kind { JOB_RGB = 1, JOB_BYTES } job_kind;

typedef struct job {
    char *path;
    job_kind kind;
    uint8_t *data;
    size_t len; /* JOB_BYTES */
    int width, height;
    size_t stride;
    misi_writer_free_fn free_fn; /* NULL: data was malloc'd (by us or the caller) */
    bool copy;                   /* data is the pool's own copy (submit_rgb), kept for reuse */
    void *free_user;
    uint64_t seq;
} job;

typedef struct worker {
    misi_writer_pool *pool;
    pthread_t thread;
    int index;
    misi_writer_thread_stats stats; /* under pool->mu */
} worker;

struct misi_writer_pool {
    misi_writer_pool_config cfg; /* after defaults */
    pthread_mutex_t mu;
    pthread_cond_t work;  /* a job was queued, or stop */
    pthread_cond_t space; /* pending dropped below max_pending */
    pthread_cond_t idle;  /* pending reached 0 */
    pthread_cond_t turn;  /* next_write advanced (ordered sinks) */

    job **ring; /* max_pending slots: queued <= pending <= max_pending */
    size_t head, queued;
    size_t pending, peak_pending;
    uint64_t next_seq, next_write;
    bool stop;

    int first_code;
    char first_msg[MISI_ERROR_MSG_MAX];

    /* Image copies of finished submit_rgb jobs, all spare_size bytes, reused
     * by the next copies: a fresh 786 KB malloc per 512^2 image is a fresh
     * mmap, and first-touch page faults cost as much as the copy itself.
     * A copy is only made with a slot reserved, so copies in use plus spares
     * never exceed max_pending. */
    uint8_t **spare;
    size_t nspare, spare_size;

    double submit_wait_s;
    worker *workers;
    int nthreads;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* This thread's CPU time: what a stage costs, whatever else the machine
 * runs (wall time in a stage also counts being preempted and waiting). */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void job_free(job *j)
{
    if (!j)
        return;
    if (j->free_fn)
        j->free_fn(j->free_user, j->data);
    else
        free(j->data);
    free(j->path);
    free(j);
}

/* ---- atomic files ---- */

/* Whole or absent (renamed into place), but not fsynced one by one: an fsync
 * per image costs ~3 ms, more than encoding it. misi render's views need no
 * more; misi generate syncs a complex's images at once before its part
 * (docs/reliability.md "Durability"). */
static int default_sink(void *user, const char *path, const uint8_t *data, size_t len, misi_error *err)
{
    (void)user;
    return misi_write_file_atomic_nosync(path, data, len, err);
}

static int default_encode(void *user, const uint8_t *rgb, int width, int height, size_t stride,
                          misi_png_buf *out, misi_error *err)
{
    const misi_png_config *png = user;
    return misi_png_encode(rgb, width, height, stride, png, out, err);
}

/* ---- workers ---- */

/* Record err as the pool's error if it is the first. Caller holds mu. */
static void record_error(misi_writer_pool *p, int code, const misi_error *err)
{
    if (p->first_code != MISI_OK)
        return;
    p->first_code = code;
    snprintf(p->first_msg, sizeof p->first_msg, "%s", err->msg[0] ? err->msg : misi_strerror(code));
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    misi_writer_pool *p = w->pool;
    misi_png_buf buf = {0};
    misi_error err;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->queued == 0 && !p->stop)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->queued == 0)
            break;
        job *j = p->ring[p->head];
        p->head = (p->head + 1) % p->cfg.max_pending;
        p->queued--;
        /* After the first error the run is lost anyway: drop work quickly. */
        bool skip = p->first_code != MISI_OK;
        pthread_mutex_unlock(&p->mu);

        int rc = MISI_OK;
        misi_error_clear(&err);
        double t0 = now_s(), t1 = t0, t2 = t0;
        double c0 = cpu_s(), c1, c2;
        const uint8_t *bytes = NULL;
        size_t nbytes = 0;
        uint64_t in = 0;
        if (!skip && j->kind == JOB_RGB) {
            in = (uint64_t)j->width * (uint64_t)j->height * 3u;
            rc = p->cfg.encode(p->cfg.encode_user, j->data, j->width, j->height, j->stride, &buf, &err);
            if (rc != MISI_OK && !err.msg[0])
                misi_error_set(&err, rc, "encoder failed");
            if (rc != MISI_OK) {
                /* Name the file the encoder failed on. */
                misi_error inner = err;
                misi_error_at(&err, rc, j->path, 0, "%s", inner.msg);
            }
            bytes = buf.data;
            nbytes = buf.len;
        } else if (!skip) {
            bytes = j->data;
            nbytes = j->len;
        }
        t1 = now_s();
        c1 = cpu_s();

        if (p->cfg.sink.ordered) {
            pthread_mutex_lock(&p->mu);
            while (p->next_write != j->seq)
                pthread_cond_wait(&p->turn, &p->mu);
            skip = skip || p->first_code != MISI_OK;
            pthread_mutex_unlock(&p->mu);
        }
        if (!skip && rc == MISI_OK) {
            rc = p->cfg.sink.write(p->cfg.sink.user, j->path, bytes, nbytes, &err);
            if (rc != MISI_OK && !err.msg[0])
                misi_error_at(&err, rc, j->path, 0, "%s", misi_strerror(rc));
        }
        t2 = now_s();
        c2 = cpu_s();
        uint8_t *copy = NULL;
        size_t copy_size = 0;
        if (j->copy) {
            copy = j->data;
            copy_size = j->stride * (size_t)j->height;
            j->data = NULL;
        }
        job_free(j);

        pthread_mutex_lock(&p->mu);
        /* Kept or freed before pending drops, so pending still bounds the
         * copies. A copy of another size comes only after a size change. */
        if (copy && copy_size == p->spare_size && p->nspare < p->cfg.max_pending)
            p->spare[p->nspare++] = copy;
        else
            free(copy);
        if (p->cfg.sink.ordered) {
            p->next_write++;
            pthread_cond_broadcast(&p->turn);
        }
        if (rc != MISI_OK)
            record_error(p, rc, &err);
        w->stats.jobs++;
        w->stats.failed += rc != MISI_OK;
        if (!skip && rc == MISI_OK) {
            w->stats.bytes_in += in;
            w->stats.bytes_out += nbytes;
        }
        w->stats.encode_s += t1 - t0;
        w->stats.write_s += t2 - t1;
        w->stats.encode_cpu_s += c1 - c0;
        w->stats.write_cpu_s += c2 - c1;
        p->pending--;
        pthread_cond_signal(&p->space);
        if (p->pending == 0)
            pthread_cond_broadcast(&p->idle);
    }
    pthread_mutex_unlock(&p->mu);
    misi_png_buf_finish(&buf);
    return NULL;
}

/* ---- life cycle ---- */

static int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void stop_and_join(misi_writer_pool *p, int started)
{
    pthread_mutex_lock(&p->mu);
    while (p->pending > 0)
        pthread_cond_wait(&p->idle, &p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < started; i++)
        pthread_join(p->workers[i].thread, NULL);
}

static void pool_free(misi_writer_pool *p)
{
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->space);
    pthread_cond_destroy(&p->idle);
    pthread_cond_destroy(&p->turn);
    for (size_t i = 0; i < p->nspare; i++)
        free(p->spare[i]);
    free(p->spare);
    free(p->ring);
    free(p->workers);
    free(p);
}

int misi_writer_pool_create(const misi_writer_pool_config *cfg, misi_writer_pool **out, misi_error *err)
{
    if (!out)
        return misi_error_set(err, MISI_E_USAGE, "misi_writer_pool_create: NULL out");
    *out = NULL;
    misi_writer_pool_config c = cfg ? *cfg : (misi_writer_pool_config){0};
    if (c.threads < 0 || c.threads > MAX_THREADS)
        return misi_error_set(err, MISI_E_USAGE, "writer threads %d: expected 0 (all CPUs) to %d", c.threads,
                              MAX_THREADS);
    if (c.threads == 0)
        c.threads = online_cpus();
    if (c.max_pending == 0)
        c.max_pending = 2 * (size_t)c.threads;
    if (c.max_pending > ((size_t)1 << 24))
        return misi_error_set(err, MISI_E_USAGE, "writer queue bound %zu is too large", c.max_pending);

    misi_writer_pool *p = calloc(1, sizeof *p);
    if (!p)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for the writer pool");
    misi_png_config_defaults(&c.png);
    if (!c.encode)
        c.encode = default_encode;
    if (!c.sink.write)
        c.sink.write = default_sink;
    p->cfg = c;
    if (p->cfg.encode == default_encode)
        p->cfg.encode_user = &p->cfg.png;
    p->ring = calloc(c.max_pending, sizeof *p->ring);
    p->spare = calloc(c.max_pending, sizeof *p->spare);
    p->workers = calloc((size_t)c.threads, sizeof *p->workers);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->space, NULL);
    pthread_cond_init(&p->idle, NULL);
    pthread_cond_init(&p->turn, NULL);
    if (!p->ring || !p->spare || !p->workers) {
        pool_free(p);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for the writer pool");
    }
    for (int i = 0; i < c.threads; i++) {
        p->workers[i].pool = p;
        p->workers[i].index = i;
        int e = pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]);
        if (e != 0) {
            stop_and_join(p, i);
            pool_free(p);
            return misi_error_set(err, MISI_E_NOMEM, "cannot start writer thread %d: %s", i, strerror(e));
        }
    }
    p->nthreads = c.threads;
    *out = p;
    return MISI_OK;
}

void misi_writer_pool_destroy(misi_writer_pool *p)
{
    if (!p)
        return;
    stop_and_join(p, p->nthreads);
    pool_free(p);
}

int misi_writer_pool_finish(misi_writer_pool *p, misi_error *err)
{
    if (!p)
        return misi_error_set(err, MISI_E_USAGE, "misi_writer_pool_finish: NULL pool");
    pthread_mutex_lock(&p->mu);
    while (p->pending > 0)
        pthread_cond_wait(&p->idle, &p->mu);
    int rc = p->first_code;
    if (rc != MISI_OK)
        misi_error_set(err, rc, "%s", p->first_msg);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

/* ---- submission ---- */

/* Wait for room and reserve one slot; returns the pool's first error instead
 * when there is one. Caller holds mu. */
static int reserve(misi_writer_pool *p, misi_error *err)
{
    if (p->stop)
        return misi_error_set(err, MISI_E_USAGE, "writer pool is shutting down");
    if (p->pending >= p->cfg.max_pending) {
        double t0 = now_s();
        while (p->pending >= p->cfg.max_pending && p->first_code == MISI_OK)
            pthread_cond_wait(&p->space, &p->mu);
        p->submit_wait_s += now_s() - t0;
    }
    if (p->first_code != MISI_OK)
        return misi_error_set(err, p->first_code, "%s", p->first_msg);
    p->pending++;
    if (p->pending > p->peak_pending)
        p->peak_pending = p->pending;
    return MISI_OK;
}

/* Queue j (the slot is already reserved). Caller holds mu. */
static void enqueue(misi_writer_pool *p, job *j)
{
    j->seq = p->next_seq++;
    p->ring[(p->head + p->queued) % p->cfg.max_pending] = j;
    p->queued++;
    pthread_cond_signal(&p->work);
}

static void unreserve(misi_writer_pool *p)
{
    p->pending--;
    pthread_cond_signal(&p->space);
    if (p->pending == 0)
        pthread_cond_broadcast(&p->idle);
}

/* The common path: j owns its data already; on failure j is freed. */
static int submit_job(misi_writer_pool *p, job *j, misi_error *err)
{
    pthread_mutex_lock(&p->mu);
    int rc = reserve(p, err);
    if (rc == MISI_OK)
        enqueue(p, j);
    pthread_mutex_unlock(&p->mu);
    if (rc != MISI_OK)
        job_free(j);
    return rc;
}

static int check_image(const char *path, int width, int height, size_t stride, misi_error *err)
{
    if (width <= 0 || height <= 0 || width > MISI_PNG_MAX_SIDE || height > MISI_PNG_MAX_SIDE)
        return misi_error_at(err, MISI_E_USAGE, path, 0, "image size %dx%d: expected sides 1-%d", width,
                             height, MISI_PNG_MAX_SIDE);
    if (stride < (size_t)width * 3)
        return misi_error_at(err, MISI_E_USAGE, path, 0, "stride %zu is less than 3 * width", stride);
    if (stride > SIZE_MAX / (size_t)height)
        return misi_error_at(err, MISI_E_LIMIT, path, 0, "image too large for memory");
    return MISI_OK;
}

static job *job_new(const char *path, misi_writer_free_fn free_fn, void *free_user, void *data)
{
    job *j = calloc(1, sizeof *j);
    size_t n = strlen(path) + 1;
    char *pc = malloc(n);
    if (!j || !pc) {
        free(j);
        free(pc);
        return NULL;
    }
    memcpy(pc, path, n);
    j->path = pc;
    j->free_fn = free_fn;
    j->free_user = free_user;
    j->data = data;
    return j;
}

static void release(misi_writer_free_fn free_fn, void *free_user, void *data)
{
    if (free_fn)
        free_fn(free_user, data);
    else
        free(data);
}

int misi_writer_pool_submit_rgb_owned(misi_writer_pool *p, const char *path, uint8_t *rgb, int width,
                                      int height, size_t stride, misi_writer_free_fn free_fn, void *free_user,
                                      misi_error *err)
{
    if (!p || !path || !*path || !rgb) {
        release(free_fn, free_user, rgb);
        return misi_error_set(err, MISI_E_USAGE, "writer pool submit: NULL argument");
    }
    int rc = check_image(path, width, height, stride, err);
    if (rc != MISI_OK) {
        release(free_fn, free_user, rgb);
        return rc;
    }
    job *j = job_new(path, free_fn, free_user, rgb);
    if (!j) {
        release(free_fn, free_user, rgb);
        return misi_error_at(err, MISI_E_NOMEM, path, 0, "out of memory");
    }
    j->kind = JOB_RGB;
    j->width = width;
    j->height = height;
    j->stride = stride;
    return submit_job(p, j, err);
}

int misi_writer_pool_submit_rgb(misi_writer_pool *p, const char *path, const uint8_t *rgb, int width,
                                int height, size_t stride, misi_error *err)
{
    if (!p || !path || !*path || !rgb)
        return misi_error_set(err, MISI_E_USAGE, "writer pool submit: NULL argument");
    int rc = check_image(path, width, height, stride, err);
    if (rc != MISI_OK)
        return rc;
    size_t row = (size_t)width * 3;
    job *j = job_new(path, NULL, NULL, NULL);
    if (!j)
        return misi_error_at(err, MISI_E_NOMEM, path, 0, "out of memory");
    j->kind = JOB_RGB;
    j->width = width;
    j->height = height;
    j->stride = row;

    /* Reserve before copying, so the copies the pool holds stay bounded;
     * take a spare buffer of this size when one is free. */
    size_t size = row * (size_t)height; /* check_image bounded row * height */
    pthread_mutex_lock(&p->mu);
    rc = reserve(p, err);
    if (rc == MISI_OK && p->spare_size != size) {
        /* Another image size (rare: a run keeps one): the spares no longer fit. */
        while (p->nspare > 0)
            free(p->spare[--p->nspare]);
        p->spare_size = size;
    }
    if (rc == MISI_OK && p->nspare > 0)
        j->data = p->spare[--p->nspare];
    pthread_mutex_unlock(&p->mu);
    if (rc != MISI_OK) {
        job_free(j);
        return rc;
    }
    j->copy = true;
    if (!j->data)
        j->data = malloc(size);
    if (!j->data) {
        job_free(j);
        pthread_mutex_lock(&p->mu);
        unreserve(p);
        pthread_mutex_unlock(&p->mu);
        return misi_error_at(err, MISI_E_NOMEM, path, 0, "out of memory for a %dx%d image", width, height);
    }
    for (int y = 0; y < height; y++)
        memcpy(j->data + (size_t)y * row, rgb + (size_t)y * stride, row);
    pthread_mutex_lock(&p->mu);
    enqueue(p, j);
    pthread_mutex_unlock(&p->mu);
    return MISI_OK;
}

int misi_writer_pool_submit_bytes_owned(misi_writer_pool *p, const char *path, void *data, size_t len,
                                        misi_writer_free_fn free_fn, void *free_user, misi_error *err)
{
    if (!p || !path || !*path || (!data && len)) {
        release(free_fn, free_user, data);
        return misi_error_set(err, MISI_E_USAGE, "writer pool submit: NULL argument");
    }
    job *j = job_new(path, free_fn, free_user, data);
    if (!j) {
        release(free_fn, free_user, data);
        return misi_error_at(err, MISI_E_NOMEM, path, 0, "out of memory");
    }
    j->kind = JOB_BYTES;
    j->len = len;
    return submit_job(p, j, err);
}

/* ---- stats ---- */

void misi_writer_pool_stats(misi_writer_pool *p, misi_writer_stats *out, misi_writer_thread_stats *per_thread,
                            size_t cap)
{
    memset(out, 0, sizeof *out);
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    out->threads = p->nthreads;
    out->max_pending = p->cfg.max_pending;
    out->peak_pending = p->peak_pending;
    out->submit_wait_s = p->submit_wait_s;
    for (int i = 0; i < p->nthreads; i++) {
        const misi_writer_thread_stats *s = &p->workers[i].stats;
        out->total.jobs += s->jobs;
        out->total.failed += s->failed;
        out->total.bytes_in += s->bytes_in;
        out->total.bytes_out += s->bytes_out;
        out->total.encode_s += s->encode_s;
        out->total.write_s += s->write_s;
        out->total.encode_cpu_s += s->encode_cpu_s;
        out->total.write_cpu_s += s->write_cpu_s;
        if (per_thread && (size_t)i < cap)
            per_thread[i] = *s;
    }
    pthread_mutex_unlock(&p->mu);
}
