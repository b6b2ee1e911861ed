/* misi bench: the pipeline of misi generate, stage by stage, on one complex.
 * Each stage is timed on its own (load, scene, upload, render + readback,
 * encode, write, QA); the render loop and the writer pool run together as in
 * misi generate, so the end-to-end rate shows how much of them overlaps. */
#include "misi/bench.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "misi/font.h"
#include "misi/fs.h"
#include "misi/hbond.h"
#include "misi/sha256.h"
#include "misi/tar.h"
#include "misi/mol.h"
#include "misi/tasks.h"
#include "misi/writer_pool.h"
#include "pipeline/layout_pool.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double cpu_now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static double thread_cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int misi_bench_default_complex(const char *assets_dir, char *out, size_t cap, misi_error *err)
{
    misi_source_list list = {0};
    int rc = misi_sources_add_path(&list, assets_dir, err);
    uint32_t best = 0;
    out[0] = '\0';
    for (size_t i = 0; !rc && i < list.count; i++) {
        if (!list.items[i].dir)
            continue;
        misi_complex cx;
        misi_complex_init(&cx);
        misi_error lerr = {0};
        if (!misi_source_load(&list.items[i], NULL, &cx, &lerr) && cx.pocket.top.natoms > best) {
            best = cx.pocket.top.natoms;
            snprintf(out, cap, "%s", list.items[i].dir);
        }
        misi_complex_finish(&cx);
    }
    misi_sources_finish(&list);
    if (!rc && !out[0])
        rc = misi_error_set(err, MISI_E_INVALID, "%s: no complex folder loads", assets_dir);
    return rc;
}

/* A deterministic spread of poses: golden-angle turns about y, tilts about x
 * and small moves, so no two of the first thousands of images are alike. */
static void bench_view(size_t i, misi_view *v)
{
    *v = misi_view_identity();
    misi_view_roll(v, 1, fmodf(137.50776f * (float)i, 360.0f));
    misi_view_roll(v, 0, (float)((i * 37) % 91) - 45.0f);
    misi_view_roll(v, 2, (float)((i * 53) % 360));
    misi_view_move(v, 0, 0.5f * (float)((int)(i % 5) - 2));
    misi_view_move(v, 1, 0.5f * (float)((int)(i / 5 % 5) - 2));
}

typedef struct bench_sink {
    misi_writer_pool *pool;
    const char *dir;
    misi_error *err;
    double in_cb_s;
} bench_sink;

static int on_image(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    bench_sink *s = user;
    double t0 = now_s();
    char path[4096];
    int n = snprintf(path, sizeof path, "%s/bench-%06zu.png", s->dir, view);
    int rc = (n < 0 || (size_t)n >= sizeof path)
                 ? misi_error_set(s->err, MISI_E_LIMIT, "output path too long")
                 : misi_writer_pool_submit_rgb(s->pool, path, rgb, w, h, (size_t)w * 3, s->err);
    s->in_cb_s += now_s() - t0;
    return rc;
}

/* The task generator does not render here: two requests are taken as
 * different images (the tasks then keep their first sample). */
static int no_images_equal(void *user, const misi_image_req *a, const misi_image_req *b, bool *equal,
                           misi_error *err)
{
    (void)user, (void)a, (void)b, (void)err;
    *equal = false;
    return MISI_OK;
}

/* The nine tasks' questions for the complex, as misi generate makes them
 * (paper preset, both splits), without a partner complex for T5. */
static void time_qa(const misi_complex *cx, const misi_hb_context *hb, const misi_hbond_list *hbl,
                    const misi_render_params *p, misi_bench_report *rep)
{
    misi_task_complex tc = {.cx = cx, .hb = hb, .hbonds = hbl};
    misi_task_geometry geo = {.width = p->width, .height = p->height, .eye_distance = p->eye_distance,
                              .edge_margin_px = 2.0f};
    double t0 = now_s();
    misi_task_frame(cx, &geo, &tc.frame, &tc.px_per_A);
    double c[3] = {0, 0, 0};
    uint32_t nh = 0;
    for (uint32_t i = 0; i < cx->ligand.top.natoms; i++) {
        if (cx->ligand.top.atoms[i].element == 1)
            continue;
        for (int j = 0; j < 3; j++)
            c[j] += cx->ligand.xyz[3 * i + j];
        nh++;
    }
    for (int j = 0; j < 3; j++)
        tc.ligand_centre[j] = nh ? (float)(c[j] / nh) : 0.0f;
    misi_task_env env = {.own = &tc, .geo = geo, .seed = 0, .images_equal = no_images_equal};
    size_t ntasks;
    const misi_task *const *tasks = misi_tasks(&ntasks);
    misi_question *q = malloc(sizeof *q);
    for (int s = 0; q && s < MISI_SPLIT_COUNT; s++) {
        for (size_t ti = 0; ti < ntasks; ti++) {
            int count = tasks[ti]->paper_count(&env, (misi_split)s);
            for (int i = 0; i < count; i++) {
                char key[256];
                snprintf(key, sizeof key, "%s/%s/%s/%d", cx->id, tasks[ti]->name, misi_split_name((misi_split)s), i);
                misi_rng rng;
                misi_rng_seed(&rng, 0, key);
                misi_question_init(q);
                misi_error terr = {0};
                int rc = tasks[ti]->make(&env, &rng, (misi_split)s, i, q, &terr);
                misi_question_finish(q);
                if (rc)
                    break; /* unanswerable for this complex, as misi generate stops */
                rep->qa_questions++;
            }
        }
    }
    free(q);
    rep->qa_s = now_s() - t0;
}

/* misi_label_layouts.wait over a layout pool */
static void bench_wait(void *user, size_t view)
{
    misi_layout_pool_wait(user, view);
}

int misi_bench_run(const misi_bench_config *cfg, misi_bench_report *rep, misi_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (!cfg->out_dir || !cfg->complex_dir)
        return misi_error_set(err, MISI_E_USAGE, "misi_bench_run needs complex_dir and out_dir");
    size_t n = cfg->n > 0 ? (size_t)cfg->n : 200;
    misi_render_params p = {.width = cfg->width, .height = cfg->height, .aa = cfg->aa, .batch_max = cfg->batch,
                            .labels = cfg->labels, .font_path = cfg->font_path};
    misi_render_params_defaults(&p);

    misi_complex cx;
    misi_complex_init(&cx);
    misi_hb_context *hb = NULL;
    misi_hbond_list hbl = {0};
    misi_scene *scene = NULL;
    misi_renderer *r = NULL;
    misi_writer_pool *pool = NULL;
    misi_view *views = NULL;
    uint8_t *px = NULL;
    /* the label layouts, off the render thread as misi generate lays them out */
    struct misi_font_atlas *atlas = NULL;
    misi_layout_pool *lpool = NULL;
    misi_layout_job *jobs = NULL;
    misi_label_place *places = NULL;
    const misi_label_place **place_of = NULL;

    /* load: what misi generate's load() does before the tasks run */
    double t0 = now_s();
    misi_source src = {.dir = (char *)cfg->complex_dir};
    int rc = misi_source_load(&src, NULL, &cx, err);
    if (!rc)
        rc = misi_hb_context_create(&cx, NULL, &hb, err);
    if (!rc)
        rc = misi_hbonds_find(hb, &hbl, err);
    rep->load_s = now_s() - t0;
    if (rc)
        goto out;
    snprintf(rep->complex_id, sizeof rep->complex_id, "%s", cx.id);
    rep->pocket_atoms = cx.pocket.top.natoms;
    rep->ligand_atoms = cx.ligand.top.natoms;

    if (!cfg->skip_qa)
        time_qa(&cx, hb, &hbl, &p, rep);

    t0 = now_s();
    misi_scene_desc sd = {.style = cfg->style};
    rc = misi_scene_create(&cx, &sd, &scene, err);
    rep->scene_s = now_s() - t0;
    if (rc)
        goto out;
    rep->scene_atoms = scene->natoms;
    rep->scene_bonds = scene->nbonds;
    rep->scene_labels = scene->nlabels;

    misi_renderer_desc rd = {.device = cfg->device};
    rc = misi_renderer_create(&rd, &r, err);
    if (rc)
        goto out;
    const misi_gfx_info *info = misi_renderer_info(r);
    snprintf(rep->device, sizeof rep->device, "%s", info->gl_renderer);
    rep->software = misi_gfx_software(info);

    /* upload: the first render of the scene (shaders, buffers, font atlas,
     * framebuffers) minus a warm render of the same view. */
    size_t bytes = (size_t)p.width * (size_t)p.height * 3;
    px = malloc(bytes);
    views = calloc(n, sizeof *views);
    if (!px || !views) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        bench_view(i, &views[i]);
    t0 = now_s();
    rc = misi_render_view(r, scene, &p, &views[0], px, err);
    double cold = now_s() - t0;
    t0 = now_s();
    if (!rc)
        rc = misi_render_view(r, scene, &p, &views[0], px, err);
    double warm = now_s() - t0;
    if (rc)
        goto out;
    rep->upload_s = cold > warm ? cold - warm : 0.0;

    misi_writer_pool_config wc = {.threads = cfg->threads, .png = cfg->png};
    rc = misi_writer_pool_create(&wc, &pool, err);
    if (rc)
        goto out;
    rep->batch_size = misi_render_batch_size(r, &p);
    if (rep->batch_size > (int)n)
        rep->batch_size = (int)n;
    rep->batches = rep->batch_size > 0 ? (int)((n + (size_t)rep->batch_size - 1) / (size_t)rep->batch_size) : 0;
    rep->width = p.width;
    rep->height = p.height;
    rep->aa = p.aa;

    if (!cfg->inline_layout && p.labels != MISI_LABELS_OFF && scene->nlabels) {
        misi_font_config fc = {.px = p.label_px, .path = p.font_path};
        rc = misi_font_atlas_create(&fc, &atlas, err);
        if (!rc)
            rc = misi_layout_pool_create(cfg->threads, atlas, &lpool, err);
        if (rc)
            goto out;
        jobs = calloc(n, sizeof *jobs);
        places = calloc(n * (size_t)scene->nlabels, sizeof *places);
        place_of = calloc(n, sizeof *place_of);
        if (!jobs || !places || !place_of) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for %zu label layouts", n);
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            jobs[i] = (misi_layout_job){.scene = scene, .params = p, .view = views[i],
                                        .out = places + i * scene->nlabels};
            place_of[i] = jobs[i].out;
        }
        rep->layout_threads = misi_layout_pool_threads(lpool);
    }

    bench_sink sink = {.pool = pool, .dir = cfg->out_dir, .err = err};
    misi_render_stats rs0, rs1;
    misi_renderer_stats(r, &rs0);
    double c0 = cpu_now_s();
    t0 = now_s();
    double tc0 = thread_cpu_s();
    if (lpool) {
        rc = misi_layout_pool_start(lpool, jobs, n, err);
        misi_label_layouts lay = {.places = place_of, .wait = bench_wait, .user = lpool};
        if (!rc)
            rc = misi_render_views_laid_out(r, scene, &p, views, &lay, n, on_image, &sink, err);
        misi_layout_pool_wait_all(lpool);
        for (size_t i = 0; !rc && i < n; i++)
            if (jobs[i].rc) {
                rc = jobs[i].rc;
                *err = jobs[i].err;
            }
    } else {
        rc = misi_render_views(r, scene, &p, views, n, on_image, &sink, err);
    }
    rep->render_thread_cpu_s = thread_cpu_s() - tc0;
    double t_rendered = now_s();
    misi_error perr = {0};
    int prc = misi_writer_pool_finish(pool, &perr);
    double t_end = now_s();
    if (!rc && prc) {
        rc = prc;
        *err = perr;
    }
    if (rc)
        goto out;
    rep->total_s = t_end - t0;
    rep->cpu_s = cpu_now_s() - c0;
    rep->callback_s = sink.in_cb_s;
    rep->render_s = (t_rendered - t0) - sink.in_cb_s;
    misi_renderer_stats(r, &rs1);
    rep->readback_s = rs1.readback_s - rs0.readback_s;
    rep->draw_s = rep->render_s - rep->readback_s;
    rep->drain_s = t_end - t_rendered;
    misi_writer_stats ws;
    misi_writer_pool_stats(pool, &ws, NULL, 0);
    rep->threads = ws.threads;
    rep->encode_s = ws.total.encode_s;
    rep->write_s = ws.total.write_s;
    rep->submit_wait_s = ws.submit_wait_s;
    rep->bytes_out = ws.total.bytes_out;
    rep->images = n;
    rep->images_per_s = rep->total_s > 0 ? (double)n / rep->total_s : 0.0;

out:
    misi_writer_pool_destroy(pool);
    misi_layout_pool_destroy(lpool);
    misi_font_atlas_destroy(atlas);
    free(jobs);
    free(places);
    free(place_of);
    misi_renderer_destroy(r);
    misi_scene_destroy(scene);
    misi_hbond_list_finish(&hbl);
    misi_hb_context_destroy(hb);
    misi_complex_finish(&cx);
    free(views);
    free(px);
    struct rusage ru;
    if (!getrusage(RUSAGE_SELF, &ru))
        rep->peak_rss_kb = ru.ru_maxrss;
    return rc;
}

/* ---- the CPU-side ceiling ---- */

#define CEILING_SHARD_IMAGES 10000

typedef struct ceiling_sink {
    atomic_uint_fast64_t hash_ns; /* thread CPU in SHA-256, all writers */
    /* tar (ordered: one call at a time) */
    const char *dir;
    FILE *f;
    char path[4096];
    misi_sha256 shard_sha;
    size_t members;
    int shard;
} ceiling_sink;

static void add_hash_time(ceiling_sink *s, double c0)
{
    atomic_fetch_add(&s->hash_ns, (uint_fast64_t)((thread_cpu_s() - c0) * 1e9));
}

/* As misi generate's sink: hash the file for the manifest, write it atomically. */
static int ceiling_file_sink(void *user, const char *path, const uint8_t *data, size_t len, misi_error *err)
{
    ceiling_sink *s = user;
    double c0 = thread_cpu_s();
    char sha[65];
    misi_sha256_hex(data, len, sha);
    add_hash_time(s, c0);
    return misi_write_file_atomic_nosync(path, data, len, err); /* generate syncs per complex, not per image */
}

static int tar_put(ceiling_sink *s, const void *data, size_t len, misi_error *err)
{
    double c0 = thread_cpu_s();
    misi_sha256_update(&s->shard_sha, data, len);
    add_hash_time(s, c0);
    if (len && fwrite(data, 1, len, s->f) != len)
        return misi_error_at(err, MISI_E_IO, s->path, 0, "write failed: %s", strerror(errno));
    return MISI_OK;
}

static int tar_close_shard(ceiling_sink *s, misi_error *err)
{
    static const char zero[1024];
    int rc = tar_put(s, zero, sizeof zero, err);
    char hex[65];
    misi_sha256_final_hex(&s->shard_sha, hex);
    if (fclose(s->f) != 0 && !rc)
        rc = misi_error_at(err, MISI_E_IO, s->path, 0, "write failed: %s", strerror(errno));
    s->f = NULL;
    s->members = 0;
    s->shard++;
    return rc;
}

/* Members in submission order into shards of CEILING_SHARD_IMAGES, hashed
 * as they are written (as misi generate's tar packing hashes its shards). */
static int ceiling_tar_sink(void *user, const char *path, const uint8_t *data, size_t len, misi_error *err)
{
    ceiling_sink *s = user;
    if (!s->f) {
        snprintf(s->path, sizeof s->path, "%s/images-%06d.tar", s->dir, s->shard);
        s->f = fopen(s->path, "wb");
        if (!s->f)
            return misi_error_at(err, MISI_E_IO, s->path, 0, "cannot create: %s", strerror(errno));
        misi_sha256_init(&s->shard_sha);
    }
    unsigned char h[512];
    int rc = misi_tar_header(h, misi_basename(path), len, err);
    static const char pad[512];
    if (!rc)
        rc = tar_put(s, h, sizeof h, err);
    if (!rc)
        rc = tar_put(s, data, len, err);
    if (!rc && len % 512)
        rc = tar_put(s, pad, 512 - len % 512, err);
    if (!rc && ++s->members == CEILING_SHARD_IMAGES)
        rc = tar_close_shard(s, err);
    return rc;
}

typedef struct prerender {
    uint8_t **px;
    size_t n;
    size_t bytes;
} prerender;

static int keep_image(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    prerender *pr = user;
    (void)w, (void)h;
    memcpy(pr->px[view], rgb, pr->bytes);
    return MISI_OK;
}

int misi_bench_ceiling(const misi_bench_config *cfg, misi_bench_report *rep, misi_error *err)
{
    memset(rep, 0, sizeof *rep);
    if (!cfg->out_dir || !cfg->complex_dir)
        return misi_error_set(err, MISI_E_USAGE, "misi_bench_ceiling needs complex_dir and out_dir");
    size_t n = cfg->n > 0 ? (size_t)cfg->n : 2000;
    size_t distinct = cfg->distinct > 0 ? (size_t)cfg->distinct : 32;
    if (distinct > n)
        distinct = n;
    size_t per = cfg->images_per_complex > 0 ? (size_t)cfg->images_per_complex : 151;
    misi_render_params p = {.width = cfg->width, .height = cfg->height, .aa = cfg->aa, .batch_max = cfg->batch,
                            .labels = cfg->labels, .font_path = cfg->font_path};
    misi_render_params_defaults(&p);

    misi_complex cx;
    misi_complex_init(&cx);
    misi_hb_context *hb = NULL;
    misi_hbond_list hbl = {0};
    misi_scene *scene = NULL;
    misi_renderer *r = NULL;
    misi_writer_pool *pool = NULL;
    misi_view *views = NULL;
    prerender pr = {.n = distinct};
    char *root = misi_path_join(cfg->out_dir, "ceiling");
    char *shards = root ? misi_path_join(root, "shards") : NULL;
    ceiling_sink sink = {.dir = shards};
    atomic_init(&sink.hash_ns, 0);

    double t0 = now_s();
    misi_source src = {.dir = (char *)cfg->complex_dir};
    int rc = root && shards ? MISI_OK : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    if (!rc)
        rc = misi_mkdir_p(cfg->tar ? shards : root, err);
    if (!rc)
        rc = misi_source_load(&src, NULL, &cx, err);
    if (!rc)
        rc = misi_hb_context_create(&cx, NULL, &hb, err);
    if (!rc)
        rc = misi_hbonds_find(hb, &hbl, err);
    rep->load_s = now_s() - t0;
    if (!rc) {
        snprintf(rep->complex_id, sizeof rep->complex_id, "%s", cx.id);
        rep->pocket_atoms = cx.pocket.top.natoms;
        rep->ligand_atoms = cx.ligand.top.natoms;
        misi_scene_desc sd = {.style = cfg->style};
        rc = misi_scene_create(&cx, &sd, &scene, err);
    }
    if (!rc) {
        rep->scene_atoms = scene->natoms;
        rep->scene_bonds = scene->nbonds;
        rep->scene_labels = scene->nlabels;
        misi_renderer_desc rd = {.device = cfg->device};
        rc = misi_renderer_create(&rd, &r, err);
    }
    if (rc)
        goto out;
    const misi_gfx_info *info = misi_renderer_info(r);
    snprintf(rep->device, sizeof rep->device, "%s", info->gl_renderer);
    rep->software = misi_gfx_software(info);

    /* The pixels, drawn before the clock starts; the renderer then goes, so
     * that nothing of the GL side runs in the timed part. */
    pr.bytes = (size_t)p.width * (size_t)p.height * 3;
    pr.px = calloc(distinct, sizeof *pr.px);
    views = calloc(distinct, sizeof *views);
    rc = pr.px && views ? MISI_OK : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < distinct; i++) {
        bench_view(i, &views[i]);
        if (!(pr.px[i] = malloc(pr.bytes)))
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for %zu images of %dx%d", distinct, p.width,
                                p.height);
    }
    t0 = now_s();
    if (!rc)
        rc = misi_render_views(r, scene, &p, views, distinct, keep_image, &pr, err);
    rep->prerender_s = now_s() - t0;
    misi_renderer_destroy(r);
    r = NULL;
    if (rc)
        goto out;

    misi_writer_pool_config wc = {.threads = cfg->threads,
                                  .png = cfg->png,
                                  .sink = {.write = cfg->tar ? ceiling_tar_sink : ceiling_file_sink,
                                           .user = &sink,
                                           .ordered = cfg->tar}};
    rc = misi_writer_pool_create(&wc, &pool, err);
    if (rc)
        goto out;

    double c_start = cpu_now_s();
    t0 = now_s();
    char dir[4096] = "";
    for (size_t i = 0; !rc && i < n; i++) {
        if (i % per == 0 && i > 0 && cfg->drain) {
            /* misi generate's finish_part: the part is written only once
             * the complex's images are on disk, and the producer waits. */
            double w0 = now_s();
            rc = misi_writer_pool_finish(pool, err);
            rep->drain_wait_s += now_s() - w0;
            if (rc)
                break;
        }
        if (i % per == 0) {
            double c0 = thread_cpu_s();
            misi_bench_report qa = {0};
            time_qa(&cx, hb, &hbl, &p, &qa);
            rep->qa_cpu_s += thread_cpu_s() - c0;
            rep->qa_questions += qa.qa_questions;
            rep->qa_runs++;
            if (!cfg->tar) {
                /* One folder per complex, as generate's images/<id>/. */
                snprintf(dir, sizeof dir, "%s/c%06zu", root, i / per);
                rc = misi_mkdir_p(dir, err);
            }
        }
        double c0 = thread_cpu_s();
        char path[4352];
        snprintf(path, sizeof path, "%s/bench-%06zu.png", cfg->tar ? shards : dir, i);
        if (!rc)
            rc = misi_writer_pool_submit_rgb(pool, path, pr.px[i % distinct], p.width, p.height,
                                             (size_t)p.width * 3, err);
        rep->handoff_cpu_s += thread_cpu_s() - c0;
    }
    misi_error perr = {0};
    int prc = misi_writer_pool_finish(pool, &perr);
    if (!rc && prc) {
        rc = prc;
        *err = perr;
    }
    if (!rc && cfg->tar && sink.f)
        rc = tar_close_shard(&sink, err); /* the last, partial shard: its close is part of the run */
    rep->total_s = now_s() - t0;
    rep->cpu_s = cpu_now_s() - c_start;
    if (rc)
        goto out;

    misi_writer_stats ws;
    misi_writer_pool_stats(pool, &ws, NULL, 0);
    rep->images = n;
    rep->width = p.width;
    rep->height = p.height;
    rep->aa = p.aa;
    rep->threads = ws.threads;
    rep->distinct = (int)distinct;
    rep->images_per_complex = (int)per;
    rep->tar = cfg->tar;
    rep->drain = cfg->drain;
    rep->hash_cpu_s = (double)atomic_load(&sink.hash_ns) * 1e-9;
    rep->encode_cpu_s = ws.total.encode_cpu_s;
    rep->write_cpu_s = ws.total.write_cpu_s - rep->hash_cpu_s;
    rep->encode_s = ws.total.encode_s;
    rep->write_s = ws.total.write_s;
    rep->submit_wait_s = ws.submit_wait_s;
    rep->bytes_out = ws.total.bytes_out;
    rep->images_per_s = rep->total_s > 0 ? (double)n / rep->total_s : 0.0;

out:
    if (sink.f)
        fclose(sink.f);
    misi_writer_pool_destroy(pool);
    misi_renderer_destroy(r);
    misi_scene_destroy(scene);
    misi_hbond_list_finish(&hbl);
    misi_hb_context_destroy(hb);
    misi_complex_finish(&cx);
    for (size_t i = 0; pr.px && i < distinct; i++)
        free(pr.px[i]);
    free(pr.px);
    free(views);
    free(shards);
    free(root);
    struct rusage ru;
    if (!getrusage(RUSAGE_SELF, &ru))
        rep->peak_rss_kb = ru.ru_maxrss;
    return rc;
}
