/* Projected atom centres land on the pixels misi_project predicts (the
 * documented camera math), carry their element's colour, and have the
 * predicted size; orthographic with a zoom (move z) and perspective. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

/* The shaded colour of a sphere's centre as docs/rendering.md defines it
 * (normal toward the viewer). */
static void centre_colour(const uint8_t base[3], uint8_t out[3])
{
    double L[3] = {-1, 2, 3}, n = sqrt(14.0);
    double diff = L[2] / n;
    double h[3] = {L[0] / n, L[1] / n, L[2] / n + 1};
    double hn = sqrt(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
    double spec = pow(h[2] / hn, 40.0);
    for (int k = 0; k < 3; k++) {
        double v = base[k] / 255.0 * (0.35 + 0.65 * diff) + 0.25 * spec;
        out[k] = (uint8_t)lround((v > 1 ? 1 : v) * 255);
    }
}

static void run(misi_renderer *r, misi_projection proj, const char *name)
{
    static const uint8_t Z[] = {8, 7, 16, 15, 17, 6};
    misi_scene *s = gt_scene(6, 0);
    for (int i = 0; i < 6; i++) {
        s->atoms[i].pos[0] = (float)(5.0 * cos(i * 1.1));
        s->atoms[i].pos[1] = (float)(5.0 * sin(i * 1.1));
        s->atoms[i].pos[2] = (float)(i - 2.5);
        s->atoms[i].radius = 1.0f;
        s->atoms[i].element = Z[i];
        misi_element_rgb(Z[i], s->atoms[i].rgb);
    }
    misi_scene_update_frame(s, 2.0f);
    misi_render_params p = {
        .width = 200, .height = 160, .aa = 1, .projection = proj, .labels = MISI_LABELS_OFF};
    misi_view views[3];
    views[0] = misi_view_identity();
    views[1] = misi_view_identity();
    misi_view_roll(&views[1], 0, 30);
    misi_view_roll(&views[1], 1, -45);
    misi_view_move(&views[1], 0, 1.5f);
    views[2] = views[1];
    misi_view_move(&views[2], 2, 20.0f); /* zoom: 100 / 80 = 1.25x */
    uint8_t *img = malloc(200 * 160 * 3);
    misi_error err = {0};
    for (int v = 0; v < 3; v++) {
        int rc = misi_render_view(r, s, &p, &views[v], img, &err);
        CHECK(rc == 0, "render: %s", err.msg);
        char dump[64];
        snprintf(dump, sizeof dump, "projection_%s_%d", name, v);
        gt_dump(dump, img, 200, 160);
        float scale = misi_render_scale(s, &p);
        for (int i = 0; i < 6; i++) {
            float px[2], z;
            misi_project(s, &p, &views[v], s->atoms[i].pos, px, &z);
            int x = (int)floorf(px[0]), y = (int)floorf(px[1]);
            uint8_t want[3];
            centre_colour(s->atoms[i].rgb, want);
            /* Perspective shading at the centre sees the sphere slightly
             * off-axis; allow a little more there. */
            int tol = proj == MISI_PROJECTION_PERSPECTIVE ? 16 : 12;
            const uint8_t *got = gt_px(img, 200, x, y);
            CHECK(gt_cdist(got, want) <= tol, "%s view %d atom %d at (%d,%d): got %d,%d,%d want %d,%d,%d",
                  name, v, i, x, y, got[0], got[1], got[2], want[0], want[1], want[2]);
            /* Size: the silhouette radius in pixels is r * scale * magnification. */
            float mag = proj == MISI_PROJECTION_PERSPECTIVE ? 100.0f / (100.0f - z)
                                                            : 100.0f / (100.0f - views[v].trans[2]);
            float rp = s->atoms[i].radius * scale * mag;
            int in = (int)floorf(px[0] + rp - 1.5f), out = (int)floorf(px[0] + rp + 1.5f);
            CHECK(gt_px(img, 200, in, y)[0] + gt_px(img, 200, in, y)[1] + gt_px(img, 200, in, y)[2] > 0,
                  "%s view %d atom %d: pixel %d inside the silhouette is background", name, v, i, in);
            /* Just outside it: background, unless another atom is drawn there. */
            bool other = out >= 200;
            for (int j = 0; j < 6 && !other; j++) {
                float pj[2], zj;
                misi_project(s, &p, &views[v], s->atoms[j].pos, pj, &zj);
                float magj = proj == MISI_PROJECTION_PERSPECTIVE ? 100.0f / (100.0f - zj)
                                                                 : 100.0f / (100.0f - views[v].trans[2]);
                float rj = s->atoms[j].radius * scale * magj + 1.5f;
                float dx = out + 0.5f - pj[0], dy = y + 0.5f - pj[1];
                other = j != i && dx * dx + dy * dy < rj * rj;
            }
            if (!other) {
                const uint8_t *o = gt_px(img, 200, out, y);
                CHECK(o[0] == 0 && o[1] == 0 && o[2] == 0,
                      "%s view %d atom %d: pixel %d outside the silhouette is lit", name, v, i, out);
            }
        }
    }
    free(img);
    misi_scene_destroy(s);
}

int main(void)
{
    misi_renderer *r = gt_renderer();
    run(r, MISI_PROJECTION_ORTHO, "ortho");
    run(r, MISI_PROJECTION_PERSPECTIVE, "persp");
    /* A lone sphere: background right outside the predicted silhouette. */
    misi_scene *s = gt_scene(1, 0);
    s->atoms[0].radius = 2.0f;
    s->atoms[0].rgb[0] = 255;
    misi_scene_update_frame(s, 2.0f);
    misi_render_params p = {.width = 128, .height = 128, .aa = 1, .labels = MISI_LABELS_OFF};
    uint8_t img[128 * 128 * 3];
    misi_view v = misi_view_identity();
    misi_error err = {0};
    CHECK(misi_render_view(r, s, &p, &v, img, &err) == 0, "%s", err.msg);
    float scale = misi_render_scale(s, &p); /* 64 px / 4 Å = 16 px per Å */
    CHECK(fabsf(scale - 16.0f) < 1e-4f, "scale %f", scale);
    for (int x = 0; x < 128; x++) {
        double dx = x + 0.5 - 64.0;
        bool inside = fabs(dx)<2.0 * 16 - 0.01, outside = fabs(dx)> 2.0 * 16 + 0.01;
        const uint8_t *c = gt_px(img, 128, x, 64);
        if (inside)
            CHECK(c[0] > 0, "pixel %d inside the sphere is black", x);
        if (outside)
            CHECK(c[0] == 0 && c[1] == 0 && c[2] == 0, "pixel %d outside the sphere is lit", x);
    }

    /* Perspective: a view that brings the scene to the eye is refused, one
     * just in front of it renders. (Radius 2 + 2 margin: extent 2 Å here.) */
    p.projection = MISI_PROJECTION_PERSPECTIVE;
    misi_view_move(&v, 2, 98.0f);
    int rc = misi_render_view(r, s, &p, &v, img, &err);
    CHECK(rc == MISI_E_RANGE, "scene at the eye: rc %d (%s)", rc, err.msg);
    CHECK(strstr(err.msg, "eye") != NULL, "message names the eye: %s", err.msg);
    v = misi_view_identity();
    misi_view_move(&v, 2, 97.0f);
    rc = misi_render_view(r, s, &p, &v, img, &err);
    CHECK(rc == 0, "scene 1 A in front of the eye: %s", err.msg);
    misi_scene_destroy(s);
    misi_renderer_destroy(r);
    if (failures)
        fprintf(stderr, "%d failures\n", failures);
    return failures ? 1 : 0;
}
