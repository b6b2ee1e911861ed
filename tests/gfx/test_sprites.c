/* Spheres drawn as point sprites (orthographic views, the default) give the
 * same bytes as spheres drawn as quads, which is what the point sprites
 * replace: for an asset complex in batches of tiles, at aa 1 and 2, with
 * atoms cut by the image edges and atoms whose centres lie outside the image
 * (OpenGL ES clips points only at the near and far planes, unlike desktop
 * OpenGL, which drops a point whose centre leaves the viewport), and close
 * up, where the largest sphere would pass the implementation's point size
 * limit and the renderer must fall back to quads. The renderer's count of sprite views says
 * which path each run took, so neither comparison passes by drawing quads
 * twice. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

#define W 120
#define H 100
#define NV 9

typedef struct collect {
    uint8_t *imgs;
    size_t n;
} collect;

static int take(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    collect *c = user;
    memcpy(c->imgs + view * (size_t)w * h * 3, rgb, (size_t)w * h * 3);
    c->n++;
    return 0;
}

/* Render the views; returns how many of them were drawn with point sprites. */
static size_t render(misi_renderer *r, const misi_scene *s, const misi_render_params *p, const misi_view *v,
                     uint8_t *out)
{
    misi_render_stats before, after;
    misi_error err = {0};
    collect c = {out, 0};
    misi_renderer_stats(r, &before);
    CHECK(misi_render_views(r, s, p, v, NV, take, &c, &err) == 0, "%s", err.msg);
    CHECK(c.n == NV, "%zu images for %d views", c.n, NV);
    misi_renderer_stats(r, &after);
    return after.sprite_views - before.sprite_views;
}

/* Pixels (render pixels) of the largest sphere's point: as impostor.c sizes it. */
static float largest_point(const misi_scene *s, const misi_render_params *p)
{
    float rmax = 0;
    for (uint32_t i = 0; i < s->natoms; i++)
        rmax = fmaxf(rmax, s->atoms[i].radius);
    return 2.0f * (rmax * misi_render_scale(s, p) * (float)p->aa + 0.125f);
}

int main(void)
{
    misi_renderer *r = gt_renderer();
    const misi_gfx_info *info = misi_renderer_info(r);
    misi_complex cx;
    char id[64] = "built";
    misi_scene *s = gt_asset_scene(&cx, id, sizeof id);
    fprintf(stderr, "complex %s: %u atoms; max point size %g px\n", id, s->natoms, (double)info->max_point_size);

    /* Turned and moved so that atoms are cut by every edge of the image and
     * some lie wholly outside it, their centres beyond the edge by up to a
     * sphere's radius and more. */
    misi_view views[NV];
    for (int i = 0; i < NV; i++) {
        views[i] = misi_view_identity();
        misi_view_roll(&views[i], 0, 17.0f * (float)i);
        misi_view_roll(&views[i], 1, 41.0f * (float)i + 5.0f);
        float dx = (float)(i % 3 - 1) * 0.55f * s->frame.radius;
        float dy = (float)(i / 3 - 1) * 0.45f * s->frame.radius;
        misi_view_move(&views[i], 0, dx + 0.013f * (float)i);
        misi_view_move(&views[i], 1, dy - 0.007f * (float)i);
    }

    const size_t img_bytes = (size_t)NV * W * H * 3;
    uint8_t *quads = malloc(img_bytes), *points = malloc(img_bytes);
    /* px_per_A 0 frames the scene; 60 is close up (points still fit on
     * llvmpipe, whose limit is 255 px); 400 passes every limit we know. */
    static const float zooms[] = {0, 60, 400};
    for (int aa = 1; aa <= 2; aa++) {
        for (size_t z = 0; z < sizeof zooms / sizeof zooms[0]; z++) {
            for (int batch = 1; batch <= 4; batch += 3) {
                misi_render_params p = {.width = W,
                                        .height = H,
                                        .aa = aa,
                                        .px_per_A = zooms[z],
                                        .labels = MISI_LABELS_OFF,
                                        .batch_max = batch};
                misi_render_params q = p;
                q.sphere_quads = true;
                CHECK(render(r, s, &q, views, quads) == 0, "sphere_quads still drew point sprites");
                size_t sprites = render(r, s, &p, views, points);
                float side = largest_point(s, &p);
                bool fits = side + 1.0f <= info->max_point_size;
                CHECK(sprites == (fits ? NV : 0),
                      "aa %d, %g px/A: %zu of %d views as point sprites, expected %s (largest point %.1f px, "
                      "limit %g)",
                      aa, (double)zooms[z], sprites, NV, fits ? "all" : "none", (double)side,
                      (double)info->max_point_size);
                for (int v = 0; v < NV; v++) {
                    size_t off = (size_t)v * W * H * 3;
                    if (memcmp(points + off, quads + off, (size_t)W * H * 3) != 0) {
                        int diff = 0;
                        for (size_t i = 0; i < (size_t)W * H * 3; i++)
                            diff += points[off + i] != quads[off + i];
                        gt_dump("sprites-points", points + off, W, H);
                        gt_dump("sprites-quads", quads + off, W, H);
                        CHECK(0, "aa %d, %g px/A, batch %d, view %d: %d channels differ between points and quads",
                              aa, (double)zooms[z], batch, v, diff);
                    }
                }
            }
        }
    }
    /* Perspective never uses point sprites (the bounds are not square). */
    misi_render_params pp = {.width = W, .height = H, .projection = MISI_PROJECTION_PERSPECTIVE};
    CHECK(render(r, s, &pp, views, points) == 0, "a perspective view was drawn with point sprites");

    /* The sanity of the comparison: close up, some atoms have their centres
     * outside the image and part of their sphere inside it. */
    misi_render_params close = {.width = W, .height = H, .px_per_A = 60};
    int straddle = 0;
    for (int v = 0; v < NV; v++) {
        for (uint32_t i = 0; i < s->natoms; i++) {
            float px[2], depth, rad = s->atoms[i].radius * misi_render_scale(s, &close);
            misi_project(s, &close, &views[v], s->atoms[i].pos, px, &depth);
            bool outside = px[0] < 0 || px[0] > W || px[1] < 0 || px[1] > H;
            float dx = fmaxf(fmaxf(-px[0], px[0] - W), 0), dy = fmaxf(fmaxf(-px[1], px[1] - H), 0);
            straddle += outside && dx < rad - 1 && dy < rad - 1;
        }
    }
    fprintf(stderr, "close up: %d atoms with centres outside the image reach into it\n", straddle);
    CHECK(straddle >= 5, "only %d atoms straddle an edge close up", straddle);

    free(quads);
    free(points);
    misi_scene_destroy(s);
    misi_complex_finish(&cx);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
