/* The layout pool (src/pipeline/layout_pool.c) lays out exactly what
 * misi_label_layout does on the calling thread, whatever its thread count:
 * 24 views of an asset complex (three label sets), laid out on 1, 2 and 5
 * threads, waited for one by one in view order and all at once, equal the
 * layouts and statistics made in turn here, byte for byte. CPU only.
 * Argument: the assets folder. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misi/font.h"
#include "misi/mol.h"
#include "misi/render.h"
#include "pipeline/layout_pool.h"

#define NVIEWS 24
#define SIZE 320

#include "../gfx/check.h"

/* A spread of poses: rolls about x, y and z by multiples of 37, 53, 71 degrees. */
static void view_of(int i, misi_view *v)
{
    char text[96];
    snprintf(text, sizeof text, "roll x %d, roll y %d, roll z %d", (i * 37) % 360, (i * 53) % 360,
             (i * 71) % 360);
    misi_pose p;
    misi_error err = {0};
    if (misi_pose_from_text(text, &p, &err))
        CHECK(false, "'%s': %s", text, err.msg);
    memcpy(v->rot, p.rot, sizeof v->rot);
    memcpy(v->trans, p.trans, sizeof v->trans);
}

static bool same_stats(const misi_label_stats *a, const misi_label_stats *b)
{
    return a->requested == b->requested && a->placed == b->placed && a->dropped == b->dropped &&
           a->overlap_px == b->overlap_px && a->molecule_px == b->molecule_px && a->covered_px == b->covered_px;
}

int main(int argc, char **argv)
{
    const char *assets = argc > 1 ? argv[1] : "assets/complexes";
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/1hpv", assets);
    misi_complex cx;
    misi_complex_init(&cx);
    misi_error err = {0};
    if (misi_complex_load_dir(dir, NULL, &cx, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return 1;
    }
    misi_font_atlas *atlas = NULL;
    CHECK(misi_font_atlas_create(&(misi_font_config){.px = 13}, &atlas, &err) == 0, "%s", err.msg);
    static const misi_label_set sets[] = {MISI_LABEL_SET_DEFAULT, MISI_LABEL_SET_POLAR_CONTACTS,
                                          MISI_LABEL_SET_POLAR_PAIRS};
    for (size_t k = 0; atlas && k < sizeof sets / sizeof sets[0]; k++) {
        misi_scene *s = NULL;
        misi_scene_desc d = {.label_set = sets[k]};
        CHECK(misi_scene_create(&cx, &d, &s, &err) == 0, "%s", err.msg);
        if (!s)
            continue;
        misi_render_params p = {.width = SIZE, .height = SIZE};
        misi_render_params_defaults(&p);
        size_t nl = s->nlabels;
        misi_label_place *want = calloc(NVIEWS * nl, sizeof *want), *got = calloc(NVIEWS * nl, sizeof *got);
        misi_label_stats wst[NVIEWS];
        misi_layout_job jobs[NVIEWS];
        for (int i = 0; i < NVIEWS; i++) {
            misi_view v;
            view_of(i, &v);
            CHECK(misi_label_layout(s, &p, &v, atlas, want + i * nl, &wst[i], &err) == 0, "%s", err.msg);
        }
        static const int threads[] = {1, 2, 5};
        for (size_t t = 0; t < 3; t++) {
            misi_layout_pool *pool = NULL;
            CHECK(misi_layout_pool_create(threads[t], atlas, &pool, &err) == 0, "%s", err.msg);
            if (!pool)
                continue;
            CHECK(misi_layout_pool_threads(pool) == threads[t], "%d threads asked, %d run", threads[t],
                  misi_layout_pool_threads(pool));
            /* twice: waited for in view order, then all at once */
            for (int round = 0; round < 2; round++) {
                memset(got, 0xA5, NVIEWS * nl * sizeof *got);
                for (int i = 0; i < NVIEWS; i++) {
                    memset(&jobs[i], 0, sizeof jobs[i]);
                    jobs[i].scene = s;
                    jobs[i].params = p;
                    view_of(i, &jobs[i].view);
                    jobs[i].out = got + i * nl;
                }
                CHECK(misi_layout_pool_start(pool, jobs, NVIEWS, &err) == 0, "%s", err.msg);
                if (round == 0)
                    for (int i = 0; i < NVIEWS; i++)
                        misi_layout_pool_wait(pool, (size_t)i);
                else
                    misi_layout_pool_wait_all(pool);
                for (int i = 0; i < NVIEWS; i++) {
                    CHECK(jobs[i].rc == 0, "job %d: %s", i, jobs[i].err.msg);
                    CHECK(!memcmp(got + i * nl, want + i * nl, nl * sizeof *got) &&
                              same_stats(&jobs[i].stats, &wst[i]),
                          "label set %zu, view %d, %d threads: the pool's layout differs", k, i, threads[t]);
                }
            }
            misi_layout_pool_destroy(pool);
        }
        free(want);
        free(got);
        misi_scene_destroy(s);
    }
    misi_layout_pool_destroy(NULL);
    misi_font_atlas_destroy(atlas);
    misi_complex_finish(&cx);
    return CHECK_DONE();
}
