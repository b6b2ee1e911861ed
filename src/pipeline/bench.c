/* misi bench: the pipeline of misi generate, stage by stage, on one complex.
 * Each stage is timed on its own (load, scene, upload, render + readback,
 * encode, write, QA); the render loop and the writer pool run together as in
 * misi generate, so the end-to-end rate shows how much of them overlaps. */
#include "misi/bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "misi/hbond.h"
#include "misi/mol.h"
#include "misi/tasks.h"
#include "misi/writer_pool.h"

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

    misi_writer_pool_config wc = {.threads = cfg->threads};
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

    bench_sink sink = {.pool = pool, .dir = cfg->out_dir, .err = err};
    misi_render_stats rs0, rs1;
    misi_renderer_stats(r, &rs0);
    double c0 = cpu_now_s();
    t0 = now_s();
    rc = misi_render_views(r, scene, &p, views, n, on_image, &sink, err);
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
