/* Batched framebuffers: every tile of a batch is byte-identical to
 * rendering its view alone, for batch sizes 1, 2, 3, 4 and 7 (odd tile
 * grids, a last partial batch, double-buffered readback across several
 * batches), with supersampling 1, 2 (the default) and 3,
 * with 4x MSAA, and with labels on; the default batch budget follows the
 * device.
 * Images arrive in view order. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

#define W 96
#define H 80
#define NV 7

typedef struct collect {
    uint8_t *imgs;
    int next;
    int out_of_order;
} collect;

static int take(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    collect *c = user;
    if ((int)view != c->next)
        c->out_of_order++;
    c->next = (int)view + 1;
    memcpy(c->imgs + view * (size_t)w * h * 3, rgb, (size_t)w * h * 3);
    return 0;
}

static int stop_at_3(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    (void)user, (void)rgb, (void)w, (void)h;
    return view == 3 ? MISI_E_IO : 0;
}

int main(void)
{
    misi_renderer *r = gt_renderer();
    misi_complex cx;
    char id[64] = "built";
    misi_scene *s = gt_asset_scene(&cx, id, sizeof id);
    misi_error err = {0};
    misi_view views[NV];
    static const char *names[] = {"front", "back", "left", "right", "top", "bottom"};
    for (int i = 0; i < 6; i++)
        misi_view_canonical(names[i], &views[i]);
    views[6] = misi_view_identity();
    misi_view_roll(&views[6], 2, 33);
    misi_view_move(&views[6], 0, 2.5f);
    misi_view_move(&views[6], 2, 45);

    /* The default memory budget depends on the device: 48 MiB on a software
     * one (small batches are faster on llvmpipe), 256 MiB on a GPU. */
    {
        bool software = misi_gfx_software(misi_renderer_info(r));
        misi_render_params d = {.width = 512, .height = 512, .aa = 2};
        misi_render_params m48 = d, m256 = d;
        m48.memory_budget = (size_t)48 << 20;
        m256.memory_budget = (size_t)256 << 20;
        int b0 = misi_render_batch_size(r, &d), b48 = misi_render_batch_size(r, &m48),
            b256 = misi_render_batch_size(r, &m256);
        fprintf(stderr, "default batch at 512x512 aa 2: %d (48 MiB: %d, 256 MiB: %d)%s\n", b0, b48, b256,
                software ? ", software device" : "");
        CHECK(b0 >= 1 && b48 >= 1 && b48 <= b256, "batch sizes %d %d %d", b0, b48, b256);
        CHECK(b0 == (software ? b48 : b256), "default batch %d is not the %s budget's", b0,
              software ? "48 MiB" : "256 MiB");
    }

    /* aa 1, aa 3, aa 1 with 4x MSAA (sample shading), aa 2 */
    for (int mode = 0; mode < 4; mode++) {
        int aa = mode == 1 ? 3 : mode == 3 ? 2 : 1, msaa = mode == 2 ? 4 : 1;
        for (int labels = 0; labels < 2; labels++) {
            misi_render_params p = {.width = W,
                                    .height = H,
                                    .aa = aa,
                                    .msaa = msaa,
                                    .labels = labels ? MISI_LABELS_ON : MISI_LABELS_OFF};
            uint8_t *alone = malloc((size_t)NV * W * H * 3);
            for (int v = 0; v < NV; v++)
                CHECK(misi_render_view(r, s, &p, &views[v], alone + (size_t)v * W * H * 3, &err) == 0, "%s",
                      err.msg);
            static const int sizes[] = {1, 2, 3, 4, 7};
            for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
                p.batch_max = sizes[k];
                CHECK(misi_render_batch_size(r, &p) == sizes[k], "batch size %d not honoured", sizes[k]);
                collect c = {calloc((size_t)NV * W * H * 3, 1), 0, 0};
                CHECK(misi_render_views(r, s, &p, views, NV, take, &c, &err) == 0, "%s", err.msg);
                CHECK(c.out_of_order == 0 && c.next == NV, "batch %d: images out of order", sizes[k]);
                for (int v = 0; v < NV; v++) {
                    const uint8_t *t = c.imgs + (size_t)v * W * H * 3, *a = alone + (size_t)v * W * H * 3;
                    CHECK(memcmp(t, a, (size_t)W * H * 3) == 0,
                          "aa %d msaa %d labels %d batch %d view %d: tile differs", aa, msaa, labels,
                          sizes[k], v);
                }
                free(c.imgs);
            }
            /* Lone renders again, now inside the larger framebuffers the
             * batches left behind: still the same bytes. */
            uint8_t *again = malloc((size_t)W * H * 3);
            for (int v = 0; v < NV; v++) {
                CHECK(misi_render_view(r, s, &p, &views[v], again, &err) == 0, "%s", err.msg);
                CHECK(memcmp(again, alone + (size_t)v * W * H * 3, (size_t)W * H * 3) == 0,
                      "aa %d msaa %d labels %d view %d: lone render in a reused framebuffer differs", aa,
                      msaa, labels, v);
            }
            free(again);
            free(alone);
        }
    }
    /* A callback error stops the render with its code. */
    misi_render_params p = {.width = W, .height = H, .aa = 1, .batch_max = 2};
    CHECK(misi_render_views(r, s, &p, views, NV, stop_at_3, NULL, &err) == MISI_E_IO,
          "callback error not propagated");
    /* And the renderer still works afterwards. */
    uint8_t *img = malloc((size_t)W * H * 3);
    CHECK(misi_render_view(r, s, &p, &views[0], img, &err) == 0, "render after a stop: %s", err.msg);
    free(img);
    misi_scene_destroy(s);
    misi_complex_finish(&cx);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
