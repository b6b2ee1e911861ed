/* Writer pool: identical files whatever the thread count, atomic writes that
 * name the failing path and leave no temporaries, a queue bound that keeps
 * memory flat, ordered sinks, reused image copies, stats. */
#include "io_test.h"

#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "misi/fs.h"
#include "misi/png.h"
#include "misi/writer_pool.h"
#include "synth_image.h"

#define NIMG 48
#define SIDE 96

static char *make_dir(void)
{
    static char buf[8][64];
    static int k;
    char *d = buf[k++ % 8];
    snprintf(d, 64, "/tmp/misi_pool_XXXXXX");
    assert_non_null(mkdtemp(d));
    return d;
}

static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[512];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_dir(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Names in dir containing ".tmp." (leftover temporaries). */
static int count_temps(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static uint8_t *images[NIMG];

static int setup_images(void **state)
{
    (void)state;
    for (int i = 0; i < NIMG; i++) {
        images[i] = malloc(SIDE * SIDE * 3);
        synth_image(images[i], SIDE, SIDE, (uint32_t)i + 100, NULL);
    }
    return 0;
}

static int teardown_images(void **state)
{
    (void)state;
    for (int i = 0; i < NIMG; i++)
        free(images[i]);
    return 0;
}

static void write_all(int threads, const char *dir)
{
    misi_writer_pool *pool = NULL;
    misi_error err = {0};
    misi_writer_pool_config cfg = {.threads = threads};
    assert_int_equal(misi_writer_pool_create(&cfg, &pool, &err), MISI_OK);
    char path[256];
    for (int i = 0; i < NIMG; i++) {
        snprintf(path, sizeof path, "%s/img_%03d.png", dir, i);
        if (i % 2) {
            assert_int_equal(misi_writer_pool_submit_rgb(pool, path, images[i], SIDE, SIDE, SIDE * 3, &err),
                             MISI_OK);
        } else {
            uint8_t *copy = malloc(SIDE * SIDE * 3);
            memcpy(copy, images[i], SIDE * SIDE * 3);
            assert_int_equal(
                misi_writer_pool_submit_rgb_owned(pool, path, copy, SIDE, SIDE, SIDE * 3, NULL, NULL, &err),
                MISI_OK);
        }
    }
    if (misi_writer_pool_finish(pool, &err) != MISI_OK)
        fail_msg("%s", err.msg);
    misi_writer_stats st;
    misi_writer_thread_stats per[8];
    misi_writer_pool_stats(pool, &st, per, 8);
    assert_int_equal(st.threads, threads);
    assert_int_equal(st.total.jobs, NIMG);
    assert_int_equal(st.total.failed, 0);
    assert_int_equal(st.total.bytes_in, (uint64_t)NIMG * SIDE * SIDE * 3);
    uint64_t out = 0, jobs = 0;
    for (int t = 0; t < threads; t++)
        out += per[t].bytes_out, jobs += per[t].jobs;
    assert_int_equal(out, st.total.bytes_out);
    assert_int_equal(jobs, NIMG);
    misi_writer_pool_destroy(pool);
}

static void writer_pool_output_identical_across_1_2_4_threads(void **state)
{
    (void)state;
    const int counts[3] = {1, 2, 4};
    char *dirs[3];
    for (int k = 0; k < 3; k++) {
        dirs[k] = make_dir();
        write_all(counts[k], dirs[k]);
        assert_int_equal(count_temps(dirs[k]), 0);
    }
    char p[3][256];
    for (int i = 0; i < NIMG; i++) {
        char *data[3];
        size_t len[3];
        for (int k = 0; k < 3; k++) {
            snprintf(p[k], sizeof p[k], "%s/img_%03d.png", dirs[k], i);
            misi_error err = {0};
            if (misi_read_file(p[k], 0, &data[k], &len[k], &err) != MISI_OK)
                fail_msg("%s", err.msg);
        }
        assert_int_equal(len[0], len[1]);
        assert_int_equal(len[0], len[2]);
        assert_memory_equal(data[0], data[1], len[0]);
        assert_memory_equal(data[0], data[2], len[0]);
        /* And the file is the image. */
        uint8_t *rgb;
        int w, h;
        assert_int_equal(misi_png_decode(data[0], len[0], &rgb, &w, &h, NULL), MISI_OK);
        assert_memory_equal(rgb, images[i], SIDE * SIDE * 3);
        free(rgb);
        for (int k = 0; k < 3; k++)
            free(data[k]);
    }
    for (int k = 0; k < 3; k++)
        remove_dir(dirs[k]);
}

/* Submit one image to path with a fresh pool; return finish's code. */
static int write_one(const char *path, misi_error *err)
{
    misi_writer_pool *pool = NULL;
    assert_int_equal(misi_writer_pool_create(&(misi_writer_pool_config){.threads = 2}, &pool, err), MISI_OK);
    int rc = misi_writer_pool_submit_rgb(pool, path, images[0], SIDE, SIDE, SIDE * 3, err);
    if (rc == MISI_OK)
        rc = misi_writer_pool_finish(pool, err);
    misi_writer_pool_destroy(pool);
    return rc;
}

static void writer_pool_write_failures_name_path_and_leave_no_temps(void **state)
{
    (void)state;
    char *dir = make_dir();
    char path[256];
    misi_error err = {0};

    /* A folder that does not exist. */
    snprintf(path, sizeof path, "%s/missing/x.png", dir);
    assert_int_equal(write_one(path, &err), MISI_E_IO);
    assert_contains(err.msg, path);
    assert_contains(err.msg, "No such file or directory");

    /* A "folder" that is a file. */
    char file[128];
    snprintf(file, sizeof file, "%s/plain", dir);
    assert_int_equal(misi_write_file_atomic(file, "x", 1, NULL), MISI_OK);
    snprintf(path, sizeof path, "%s/plain/x.png", dir);
    assert_int_equal(write_one(path, &err), MISI_E_IO);
    assert_contains(err.msg, path);

    /* The final name is a folder: the temporary is written, the rename
     * fails, and the temporary must be gone. */
    snprintf(path, sizeof path, "%s/taken.png", dir);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_int_equal(write_one(path, &err), MISI_E_IO);
    assert_contains(err.msg, path);
    assert_contains(err.msg, "rename");
    assert_int_equal(count_temps(dir), 0);

    /* A read-only folder (root ignores permissions, so only as a user). */
    char ro[128];
    snprintf(ro, sizeof ro, "%s/ro", dir);
    assert_int_equal(mkdir(ro, 0555), 0);
    if (geteuid() != 0) {
        snprintf(path, sizeof path, "%s/x.png", ro);
        assert_int_equal(write_one(path, &err), MISI_E_IO);
        assert_contains(err.msg, path);
        assert_contains(err.msg, "Permission denied");
        assert_false(misi_is_file(path));
    } else {
        print_message("read-only folder case skipped: running as root\n");
    }
    assert_int_equal(count_temps(ro), 0);
    chmod(ro, 0755);
    remove_dir(dir);
}

static void writer_pool_returns_first_error_and_stops_taking_work(void **state)
{
    (void)state;
    char *dir = make_dir();
    misi_writer_pool *pool = NULL;
    misi_error err = {0};
    assert_int_equal(
        misi_writer_pool_create(&(misi_writer_pool_config){.threads = 1, .max_pending = 1}, &pool, &err),
        MISI_OK);
    char bad[256], good[256];
    snprintf(bad, sizeof bad, "%s/nope/a.png", dir);
    assert_int_equal(misi_writer_pool_submit_rgb(pool, bad, images[0], SIDE, SIDE, SIDE * 3, &err), MISI_OK);
    assert_int_equal(misi_writer_pool_finish(pool, &err), MISI_E_IO);
    assert_contains(err.msg, bad);
    /* Later submits report that first error and queue nothing; owned
     * memory is still released (ASan checks the free). */
    snprintf(good, sizeof good, "%s/b.png", dir);
    misi_error err2 = {0};
    assert_int_equal(misi_writer_pool_submit_rgb(pool, good, images[1], SIDE, SIDE, SIDE * 3, &err2),
                     MISI_E_IO);
    assert_contains(err2.msg, bad);
    uint8_t *owned = malloc(16);
    assert_int_equal(misi_writer_pool_submit_bytes_owned(pool, good, owned, 16, NULL, NULL, &err2),
                     MISI_E_IO);
    assert_int_equal(misi_writer_pool_finish(pool, &err2), MISI_E_IO);
    assert_false(misi_is_file(good));
    misi_writer_pool_destroy(pool);
    misi_writer_pool_destroy(NULL); /* no-op */
    remove_dir(dir);
}

/* Memory held by the pool: buffers handed over and not yet freed. */
static struct {
    pthread_mutex_t mu;
    int live, peak;
} held = {PTHREAD_MUTEX_INITIALIZER, 0, 0};

static void count_free(void *user, void *ptr)
{
    (void)user;
    pthread_mutex_lock(&held.mu);
    held.live--;
    pthread_mutex_unlock(&held.mu);
    free(ptr);
}

static int slow_sink(void *user, const char *path, const uint8_t *data, size_t len, misi_error *err)
{
    (void)user, (void)path, (void)data, (void)len, (void)err;
    usleep(2000); /* a slow disk: the producer must wait, not pile up */
    return MISI_OK;
}

static void writer_pool_queue_bound_keeps_memory_flat(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 4; threads *= 2) {
        const size_t bound = 3;
        misi_writer_pool *pool = NULL;
        misi_error err = {0};
        misi_writer_pool_config cfg = {
            .threads = threads, .max_pending = bound, .sink = {.write = slow_sink}};
        assert_int_equal(misi_writer_pool_create(&cfg, &pool, &err), MISI_OK);
        held.live = held.peak = 0;
        for (int i = 0; i < 200; i++) {
            uint8_t *px = malloc(SIDE * SIDE * 3);
            memcpy(px, images[i % NIMG], SIDE * SIDE * 3);
            pthread_mutex_lock(&held.mu);
            held.live++;
            if (held.live > held.peak)
                held.peak = held.live;
            pthread_mutex_unlock(&held.mu);
            assert_int_equal(misi_writer_pool_submit_rgb_owned(pool, "unused", px, SIDE, SIDE, SIDE * 3,
                                                               count_free, NULL, &err),
                             MISI_OK);
        }
        assert_int_equal(misi_writer_pool_finish(pool, &err), MISI_OK);
        misi_writer_stats st;
        misi_writer_pool_stats(pool, &st, NULL, 0);
        misi_writer_pool_destroy(pool);
        assert_int_equal(held.live, 0);
        /* At most `bound` in the pool plus the one being handed over. */
        assert_true(held.peak <= (int)bound + 1);
        assert_true(st.peak_pending <= bound);
        assert_int_equal(st.peak_pending, bound); /* the slow sink did fill it */
        assert_int_equal(st.total.jobs, 200);
    }
}

typedef struct order_log {
    pthread_mutex_t mu;
    int next, bad, concurrent, max_concurrent;
} order_log;

static int ordered_sink(void *user, const char *path, const uint8_t *data, size_t len, misi_error *err)
{
    (void)data, (void)len, (void)err;
    order_log *log = user;
    pthread_mutex_lock(&log->mu);
    log->concurrent++;
    if (log->concurrent > log->max_concurrent)
        log->max_concurrent = log->concurrent;
    if (atoi(path) != log->next)
        log->bad++;
    log->next++;
    pthread_mutex_unlock(&log->mu);
    usleep((unsigned)(atoi(path) % 3) * 300);
    pthread_mutex_lock(&log->mu);
    log->concurrent--;
    pthread_mutex_unlock(&log->mu);
    return MISI_OK;
}

/* An encoder whose time varies per image, so jobs finish out of order. */
static int jitter_encode(void *user, const uint8_t *rgb, int width, int height, size_t stride,
                         misi_png_buf *out, misi_error *err)
{
    (void)user;
    usleep((unsigned)(rgb[0] % 4) * 500);
    return misi_png_encode(rgb, width, height, stride, NULL, out, err);
}

static void writer_pool_ordered_sink_sees_submission_order(void **state)
{
    (void)state;
    order_log log = {PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0};
    misi_writer_pool *pool = NULL;
    misi_error err = {0};
    misi_writer_pool_config cfg = {.threads = 4,
                                   .encode = jitter_encode,
                                   .sink = {.write = ordered_sink, .user = &log, .ordered = true}};
    assert_int_equal(misi_writer_pool_create(&cfg, &pool, &err), MISI_OK);
    char name[32];
    for (int i = 0; i < 120; i++) {
        snprintf(name, sizeof name, "%d", i);
        uint8_t *px = malloc(SIDE * SIDE * 3);
        memcpy(px, images[i % NIMG], SIDE * SIDE * 3);
        px[0] = (uint8_t)(i * 7);
        if (i % 5 == 0) {
            char *bytes = malloc(4);
            memcpy(bytes, "data", 4);
            free(px);
            assert_int_equal(misi_writer_pool_submit_bytes_owned(pool, name, bytes, 4, NULL, NULL, &err),
                             MISI_OK);
        } else {
            assert_int_equal(
                misi_writer_pool_submit_rgb_owned(pool, name, px, SIDE, SIDE, SIDE * 3, NULL, NULL, &err),
                MISI_OK);
        }
    }
    assert_int_equal(misi_writer_pool_finish(pool, &err), MISI_OK);
    misi_writer_pool_destroy(pool);
    assert_int_equal(log.next, 120);
    assert_int_equal(log.bad, 0);
    assert_int_equal(log.max_concurrent, 1);
}

/* The pool's copies of submitted images are reused by later submissions
 * (writer_pool.c "spare"): every job must still see exactly the pixels it
 * was given, when the image size changes mid-run and when the caller's rows
 * are wider than the image. The encoder hashes what it receives; the sink
 * compares that with the hash of the source rectangle. */
static uint64_t fnv_rect(const uint8_t *rgb, int w, int h, size_t stride)
{
    uint64_t x = 1469598103934665603ull;
    for (int y = 0; y < h; y++)
        for (size_t i = 0; i < (size_t)w * 3; i++)
            x = (x ^ rgb[(size_t)y * stride + i]) * 1099511628211ull;
    return x;
}

static int hash_encode(void *user, const uint8_t *rgb, int width, int height, size_t stride,
                       misi_png_buf *out, misi_error *err)
{
    (void)user, (void)err;
    if (out->cap < 8) {
        uint8_t *d = realloc(out->data, 8);
        if (!d)
            return MISI_E_NOMEM;
        out->data = d;
        out->cap = 8;
    }
    uint64_t x = fnv_rect(rgb, width, height, stride);
    memcpy(out->data, &x, 8);
    out->len = 8;
    return MISI_OK;
}

typedef struct hash_check {
    pthread_mutex_t mu;
    int seen, bad;
} hash_check;

static void job_rect(int i, int *w, int *h)
{
    static const int sides[][2] = {{SIDE, SIDE}, {SIDE / 2, SIDE / 3}, {SIDE, SIDE / 2}, {17, 5}};
    int k = (i / 7) % 4; /* a run of 7 images of each size, then the next */
    *w = sides[k][0];
    *h = sides[k][1];
}

static int hash_sink(void *user, const char *path, const uint8_t *data, size_t len, misi_error *err)
{
    (void)err;
    hash_check *c = user;
    int i = atoi(path), w, h;
    job_rect(i, &w, &h);
    uint64_t want = fnv_rect(images[i % NIMG], w, h, SIDE * 3), got = 0;
    if (len == 8)
        memcpy(&got, data, 8);
    pthread_mutex_lock(&c->mu);
    c->seen++;
    c->bad += len != 8 || got != want;
    pthread_mutex_unlock(&c->mu);
    return MISI_OK;
}

static void writer_pool_reused_copies_keep_every_image_intact(void **state)
{
    (void)state;
    for (int threads = 1; threads <= 3; threads++) {
        hash_check c = {PTHREAD_MUTEX_INITIALIZER, 0, 0};
        misi_writer_pool *pool = NULL;
        misi_error err = {0};
        misi_writer_pool_config cfg = {
            .threads = threads, .encode = hash_encode, .sink = {.write = hash_sink, .user = &c}};
        assert_int_equal(misi_writer_pool_create(&cfg, &pool, &err), MISI_OK);
        char name[32];
        for (int i = 0; i < 300; i++) {
            int w, h;
            job_rect(i, &w, &h);
            snprintf(name, sizeof name, "%d", i);
            /* the source rows are SIDE pixels wide whatever the image's width */
            assert_int_equal(misi_writer_pool_submit_rgb(pool, name, images[i % NIMG], w, h, SIDE * 3, &err),
                             MISI_OK);
            if (i == 150)
                assert_int_equal(misi_writer_pool_finish(pool, &err), MISI_OK); /* spares outlive a drain */
        }
        assert_int_equal(misi_writer_pool_finish(pool, &err), MISI_OK);
        misi_writer_pool_destroy(pool);
        assert_int_equal(c.seen, 300);
        assert_int_equal(c.bad, 0);
    }
}

static void writer_pool_rejects_bad_submissions(void **state)
{
    (void)state;
    misi_writer_pool *pool = NULL;
    misi_error err = {0};
    assert_int_equal(misi_writer_pool_create(&(misi_writer_pool_config){.threads = -1}, &pool, &err),
                     MISI_E_USAGE);
    assert_null(pool);
    assert_int_equal(misi_writer_pool_create(NULL, &pool, &err), MISI_OK); /* all CPUs */
    misi_writer_stats st;
    misi_writer_pool_stats(pool, &st, NULL, 0);
    assert_true(st.threads >= 1);
    assert_int_equal(st.max_pending, 2 * (size_t)st.threads);
    assert_int_equal(misi_writer_pool_submit_rgb(pool, "/tmp/x.png", images[0], 0, SIDE, SIDE * 3, &err),
                     MISI_E_USAGE);
    assert_int_equal(misi_writer_pool_submit_rgb(pool, "/tmp/x.png", images[0], SIDE, SIDE, 5, &err),
                     MISI_E_USAGE);
    assert_contains(err.msg, "/tmp/x.png");
    uint8_t *owned = malloc(10);
    assert_int_equal(
        misi_writer_pool_submit_rgb_owned(pool, "", owned, SIDE, SIDE, SIDE * 3, NULL, NULL, &err),
        MISI_E_USAGE); /* owned memory freed even so */
    assert_int_equal(misi_writer_pool_finish(pool, &err), MISI_OK);
    misi_writer_pool_destroy(pool);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(writer_pool_output_identical_across_1_2_4_threads),
        cmocka_unit_test(writer_pool_write_failures_name_path_and_leave_no_temps),
        cmocka_unit_test(writer_pool_returns_first_error_and_stops_taking_work),
        cmocka_unit_test(writer_pool_queue_bound_keeps_memory_flat),
        cmocka_unit_test(writer_pool_ordered_sink_sees_submission_order),
        cmocka_unit_test(writer_pool_rejects_bad_submissions),
        cmocka_unit_test(writer_pool_reused_copies_keep_every_image_intact),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, setup_images, teardown_images);
}
