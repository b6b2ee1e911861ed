/* Labels: in the paper's placement (--labels paper) drawn centred on their
 * anchor's projection, legible (text at least 9 px tall at the default
 * size), and entirely inside the image: an anchor far outside the frame
 * gets its label clamped to the border whole, with the same pixels as when
 * centred (aa = 1); on a real complex the outermost pixel ring is never
 * touched by a label, in either placement. (The layout's own properties:
 * test_label_layout.c.) */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

typedef struct bbox {
    int x0, y0, x1, y1, n;
} bbox;

/* Pixels where two images differ: the labels' footprint. */
static bbox diff_box(const uint8_t *a, const uint8_t *b, int w, int h)
{
    bbox r = {w, h, -1, -1, 0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (memcmp(gt_px(a, w, x, y), gt_px(b, w, x, y), 3)) {
                r.x0 = x < r.x0 ? x : r.x0;
                r.y0 = y < r.y0 ? y : r.y0;
                r.x1 = x > r.x1 ? x : r.x1;
                r.y1 = y > r.y1 ? y : r.y1;
                r.n++;
            }
    return r;
}

/* Text (bright) pixels' box. */
static bbox text_box(const uint8_t *a, int w, int h)
{
    bbox r = {w, h, -1, -1, 0};
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (gt_px(a, w, x, y)[0] > 128 && gt_px(a, w, x, y)[1] > 128 && gt_px(a, w, x, y)[2] > 128) {
                r.x0 = x < r.x0 ? x : r.x0;
                r.y0 = y < r.y0 ? y : r.y0;
                r.x1 = x > r.x1 ? x : r.x1;
                r.y1 = y > r.y1 ? y : r.y1;
                r.n++;
            }
    return r;
}

static bool same_pattern(const uint8_t *a, bbox ba, const uint8_t *b, bbox bb, int w)
{
    if (ba.x1 - ba.x0 != bb.x1 - bb.x0 || ba.y1 - ba.y0 != bb.y1 - bb.y0)
        return false;
    for (int y = 0; y <= ba.y1 - ba.y0; y++)
        if (memcmp(gt_px(a, w, ba.x0, ba.y0 + y), gt_px(b, w, bb.x0, bb.y0 + y),
                   3 * (size_t)(ba.x1 - ba.x0 + 1)))
            return false;
    return true;
}

static void single_label(misi_renderer *r)
{
    enum { W = 256, H = 256 };
    misi_scene *s = NULL;
    misi_error err = {0};
    CHECK(misi_scene_alloc(0, 0, 1, &s, &err) == 0, "%s", err.msg);
    strcpy(s->labels[0].text, "ARG 45");
    s->frame.radius = 10;
    static uint8_t off[W * H * 3], on[W * H * 3], moved[W * H * 3];
    for (int aa = 1; aa <= 2; aa++) {
        misi_render_params p = {.width = W, .height = H, .aa = aa, .labels = MISI_LABELS_OFF};
        misi_view v = misi_view_identity();
        CHECK(misi_render_view(r, s, &p, &v, off, &err) == 0, "%s", err.msg);
        p.labels = MISI_LABELS_PAPER;
        CHECK(misi_render_view(r, s, &p, &v, on, &err) == 0, "%s", err.msg);
        gt_dump(aa == 1 ? "label_centre_aa1" : "label_centre_aa2", on, W, H);
        bbox b = diff_box(on, off, W, H), t = text_box(on, W, H);
        CHECK(b.n > 0, "aa %d: no label drawn", aa);
        /* centred on the anchor (the image centre, 128, 128) within 1.5 px */
        double cx = (b.x0 + b.x1 + 1) / 2.0, cy = (b.y0 + b.y1 + 1) / 2.0;
        CHECK(cx > 126.5 && cx < 129.5 && cy > 126.5 && cy < 129.5, "aa %d: label centred at %.1f,%.1f", aa,
              cx, cy);
        CHECK(t.y1 - t.y0 + 1 >= 9, "aa %d: text only %d px tall", aa, t.y1 - t.y0 + 1);
        CHECK(t.x1 - t.x0 + 1 >= 30, "aa %d: text only %d px wide", aa, t.x1 - t.x0 + 1);
        /* anchors far outside each side and corner: the label stays whole */
        static const float moves[][2] = {{100, 0}, {-100, 0}, {0, 100}, {0, -100}, {80, 80}, {-80, -80}};
        for (size_t m = 0; m < sizeof moves / sizeof moves[0]; m++) {
            misi_view mv = misi_view_identity();
            misi_view_move(&mv, 0, moves[m][0]);
            misi_view_move(&mv, 1, moves[m][1]);
            CHECK(misi_render_view(r, s, &p, &mv, moved, &err) == 0, "%s", err.msg);
            bbox bm = diff_box(moved, off, W, H);
            CHECK(bm.n > 0, "move %zu: label vanished", m);
            CHECK(bm.x0 >= 1 && bm.y0 >= 1 && bm.x1 <= W - 2 && bm.y1 <= H - 2,
                  "aa %d move %zu: label box %d,%d-%d,%d touches the border", aa, m, bm.x0, bm.y0, bm.x1,
                  bm.y1);
            /* pushed against the side it went out of (text sits inside the
             * label's padding, 1 px from the edge) */
            if (moves[m][0] > 0)
                CHECK(bm.x1 >= W - 7, "move %zu: not at the right border (%d)", m, bm.x1);
            if (moves[m][0] < 0)
                CHECK(bm.x0 <= 6, "move %zu: not at the left border (%d)", m, bm.x0);
            if (moves[m][1] > 0)
                CHECK(bm.y0 <= 6, "move %zu: not at the top border (%d)", m, bm.y0);
            if (moves[m][1] < 0)
                CHECK(bm.y1 >= H - 7, "move %zu: not at the bottom border (%d)", m, bm.y1);
            if (aa == 1)
                CHECK(bm.n == b.n && same_pattern(moved, bm, on, b, W),
                      "move %zu: clamped label differs from the centred one", m);
            if (m == 4)
                gt_dump(aa == 1 ? "label_corner_aa1" : "label_corner_aa2", moved, W, H);
        }
    }
    misi_scene_destroy(s);
}

static void complex_labels(misi_renderer *r)
{
    enum { W = 256, H = 256 };
    misi_complex cx;
    char id[64] = "built";
    misi_scene *s = gt_asset_scene(&cx, id, sizeof id);
    misi_error err = {0};
    /* one label per residue and per heavy ligand atom */
    uint32_t want = cx.pocket.top.nresidues + misi_mol_heavy_count(&cx.ligand);
    CHECK(s->nlabels == want, "%u labels, want %u", s->nlabels, want);
    static uint8_t off[W * H * 3], on[W * H * 3];
    static const char *names[] = {"front", "left", "top"};
    for (int i = 0; i < 6; i++) {
        misi_view v;
        misi_view_canonical(names[i % 3], &v);
        misi_view_move(&v, 0, 6); /* push part of the complex toward the edge */
        misi_render_params p = {.width = W, .height = H, .labels = MISI_LABELS_OFF};
        CHECK(misi_render_view(r, s, &p, &v, off, &err) == 0, "%s", err.msg);
        p.labels = i < 3 ? MISI_LABELS_PAPER : MISI_LABELS_ON;
        CHECK(misi_render_view(r, s, &p, &v, on, &err) == 0, "%s", err.msg);
        char n[64];
        snprintf(n, sizeof n, "labels_%s_%s_%s", id, names[i % 3], misi_labels_name(p.labels));
        gt_dump(n, on, W, H);
        bbox b = diff_box(on, off, W, H);
        CHECK(b.n > 500, "%s: labels barely visible (%d px)", names[i % 3], b.n);
        int ring = 0;
        for (int k = 0; k < W; k++) {
            ring += memcmp(gt_px(on, W, k, 0), gt_px(off, W, k, 0), 3) != 0;
            ring += memcmp(gt_px(on, W, k, H - 1), gt_px(off, W, k, H - 1), 3) != 0;
            ring += memcmp(gt_px(on, W, 0, k), gt_px(off, W, 0, k), 3) != 0;
            ring += memcmp(gt_px(on, W, W - 1, k), gt_px(off, W, W - 1, k), 3) != 0;
        }
        CHECK(ring == 0, "%s: %d border pixels touched by labels", names[i % 3], ring);
    }
    misi_scene_destroy(s);
    misi_complex_finish(&cx);
}

/* Past MISI_MAX_LABELS a render is a clear MISI_E_LIMIT, not an allocation
 * failure; with labels off the same scene renders. */
static void too_many_labels(misi_renderer *r)
{
    misi_scene *s = NULL;
    misi_error err = {0};
    CHECK(misi_scene_alloc(1, 0, MISI_MAX_LABELS + 1, &s, &err) == 0, "%s", err.msg);
    if (!s)
        return;
    s->atoms[0].radius = 1.0f;
    s->atoms[0].rgb[0] = 200;
    for (uint32_t i = 0; i < s->nlabels; i++)
        snprintf(s->labels[i].text, sizeof s->labels[i].text, "L%u", i);
    misi_scene_update_frame(s, 2.0f);
    misi_render_params p = {.width = 32, .height = 32, .aa = 1};
    misi_view v = misi_view_identity();
    uint8_t img[32 * 32 * 3];
    int rc = misi_render_view(r, s, &p, &v, img, &err);
    CHECK(rc == MISI_E_LIMIT && strstr(err.msg, "labels"), "too many labels: rc %d, %s", rc, err.msg);
    p.labels = MISI_LABELS_OFF;
    CHECK(misi_render_view(r, s, &p, &v, img, &err) == 0, "labels off: %s", err.msg);
    misi_scene_destroy(s);
}

int main(void)
{
    misi_renderer *r = gt_renderer();
    single_label(r);
    complex_labels(r);
    too_many_labels(r);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
