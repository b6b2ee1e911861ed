/* The writer pool: N threads that encode images and write them out while the
 * renderer goes on with the next batch.
 *
 * Work arrives through a BOUNDED queue: submit blocks while max_pending jobs
 * are held by the pool (queued or being worked on), so memory stays flat on
 * long runs whatever the disk speed. Files are written atomically (a unique
 * temporary name in the same folder, then rename); a failed write removes its
 * temporary, so no partial file ever carries a final name. The first error
 * (path + reason) is kept and returned by misi_writer_pool_finish.
 *
 * Where bytes go is a sink. The default sink writes one file per path. A
 * sink may ask to be "ordered": it is then called one job at a time in
 * submission order (encoding still runs in parallel), which is what a tar
 * shard writer needs to be byte-identical across thread counts.
 *
 * Threads: submit/finish/stats from one producer thread (the pool itself is
 * internally synchronised; several producers also work but then submission
 * order, and so an ordered sink's order, is whatever they race to). */
#ifndef MISI_WRITER_POOL_H
#define MISI_WRITER_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "misi/error.h"
#include "misi/png.h"

typedef struct misi_writer_pool misi_writer_pool;

/* Receives the encoded bytes of one job. Called from worker threads
 * (concurrently unless ordered). data is valid only during the call. Return
 * 0 or a negative misi_status with err filled (name the path). */
typedef int (*misi_writer_sink_fn)(void *user, const char *path, const uint8_t *data, size_t len,
                                   misi_error *err);

typedef struct misi_writer_sink {
    misi_writer_sink_fn write; /* NULL = the default sink: atomic file per path */
    void *user;
    bool ordered; /* call write one job at a time in submission order */
} misi_writer_sink;

/* Encodes one image into out (replacing its contents). Called from worker
 * threads concurrently; must be thread-safe. */
typedef int (*misi_writer_encode_fn)(void *user, const uint8_t *rgb, int width, int height, size_t stride,
                                     misi_png_buf *out, misi_error *err);

/* Zero means default. */
typedef struct misi_writer_pool_config {
    int threads;                  /* workers; 0 = online CPUs; capped at 256 */
    size_t max_pending;           /* jobs held at once (queued + in work); 0 = 2 * threads */
    misi_png_config png;          /* for the default encoder */
    misi_writer_encode_fn encode; /* NULL = PNG with png */
    void *encode_user;
    misi_writer_sink sink; /* write NULL = atomic files */
} misi_writer_pool_config;

/* Start the threads. cfg may be NULL. Destroy with misi_writer_pool_destroy. */
int misi_writer_pool_create(const misi_writer_pool_config *cfg, misi_writer_pool **out, misi_error *err);

/* Called exactly once when the pool is done with memory it took ownership of. */
typedef void (*misi_writer_free_fn)(void *user, void *ptr);

/* Queue RGB8 pixels (rows top first, stride >= 3 * width) for encoding to
 * path. The pixels are COPIED (tightly) before submit returns; the caller
 * keeps its buffer. Blocks while the pool is full. The pool keeps finished
 * copies (at most max_pending, all of the latest image size) for the next
 * submissions until it is destroyed. */
int misi_writer_pool_submit_rgb(misi_writer_pool *pool, const char *path, const uint8_t *rgb, int width,
                                int height, size_t stride, misi_error *err);

/* Same, but the pool TAKES OWNERSHIP of rgb (no copy): free_fn(free_user, rgb)
 * is called exactly once when the pool is done with it, also when this call
 * fails. free_fn NULL = plain free(). */
int misi_writer_pool_submit_rgb_owned(misi_writer_pool *pool, const char *path, uint8_t *rgb, int width,
                                      int height, size_t stride, misi_writer_free_fn free_fn, void *free_user,
                                      misi_error *err);

/* Queue already-encoded bytes (any file: PNG, JSON, ...) for the sink, with
 * the same ownership rule as submit_rgb_owned (free_fn NULL = free()). */
int misi_writer_pool_submit_bytes_owned(misi_writer_pool *pool, const char *path, void *data, size_t len,
                                        misi_writer_free_fn free_fn, void *free_user, misi_error *err);

/* All submits copy path. They return 0, MISI_E_USAGE (bad arguments, or the
 * pool is shutting down), MISI_E_NOMEM, or, once a job has failed, that
 * first error's code without queuing anything (so a producer stops early;
 * err then holds the first error's message). */

/* After the first failure, jobs still queued are dropped (their memory is
 * released, nothing is written): the run has failed, so finish quickly. */

/* Wait until every submitted job is done; return the first error any job hit
 * (0 if none), with its message ("out/1abc_front.png: cannot create a
 * temporary file beside it: No such file or directory"). The pool stays usable; the
 * first error stays recorded. */
int misi_writer_pool_finish(misi_writer_pool *pool, misi_error *err);

/* Wait for the submitted work, stop and join the threads, free everything.
 * NULL is a no-op. Call finish first to learn about errors. */
void misi_writer_pool_destroy(misi_writer_pool *pool);

/* Counters for `misi bench`. */
typedef struct misi_writer_thread_stats {
    uint64_t jobs; /* jobs taken off the queue: written, failed or dropped after an error */
    uint64_t failed;
    uint64_t bytes_in;  /* raw pixel bytes encoded (3 * w * h) */
    uint64_t bytes_out; /* bytes handed to the sink */
    double encode_s;    /* seconds in the encoder */
    double write_s;     /* seconds in the sink (incl. waiting for an ordered turn) */
    double encode_cpu_s; /* thread CPU seconds in the encoder (not counting time preempted) */
    double write_cpu_s;  /* thread CPU seconds in the sink (not counting waits) */
} misi_writer_thread_stats;

typedef struct misi_writer_stats {
    int threads;
    size_t max_pending;   /* the bound after defaults */
    size_t peak_pending;  /* most jobs ever held at once (<= max_pending) */
    double submit_wait_s; /* producer seconds blocked on a full pool */
    misi_writer_thread_stats total;
} misi_writer_stats;

/* Snapshot the counters; per_thread (may be NULL) receives min(cap, threads)
 * entries. Safe while work is running (values are then approximate). */
void misi_writer_pool_stats(misi_writer_pool *pool, misi_writer_stats *out,
                            misi_writer_thread_stats *per_thread, size_t cap);

#endif
