/* The views: `roll y 90` of the front view equals the `left` view byte for
 * byte, and each of the six canonical views matches its definition in
 * MISI-SPEC §2 (seen from: front +z, back -z, left -x, right +x, top +y,
 * bottom -y), checked with six coloured marker atoms on the axes; the
 * command language's poses for those names are the same. */
#include <string.h>

#include "check.h"
#include "gfx_test.h"

#define W 128
#define H 128

/* Markers at +x, -x, +y, -y, +z, -z, each its own colour. */
static const uint8_t COLS[6][3] = {{255, 0, 0},   {0, 255, 0},   {0, 0, 255},
                                   {255, 255, 0}, {255, 0, 255}, {0, 255, 255}};
static const float AXES[6][3] = {{6, 0, 0}, {-6, 0, 0}, {0, 6, 0}, {0, -6, 0}, {0, 0, 6}, {0, 0, -6}};

static int marker_at(const uint8_t *img, int x, int y)
{
    const uint8_t *c = gt_px(img, W, x, y);
    int best = -1, bd = 1000;
    for (int m = 0; m < 6; m++) {
        /* shading scales the colour; compare the channel pattern */
        int d = 0;
        for (int k = 0; k < 3; k++) {
            int on = COLS[m][k] ? 1 : 0, got = c[k] > 60 ? 1 : 0;
            d += on != got;
        }
        if (d < bd) {
            bd = d;
            best = m;
        }
    }
    return bd == 0 ? best : -1;
}

int main(void)
{
    misi_renderer *r = gt_renderer();
    misi_scene *s = gt_scene(6, 0);
    for (int m = 0; m < 6; m++) {
        memcpy(s->atoms[m].pos, AXES[m], sizeof AXES[m]);
        memcpy(s->atoms[m].rgb, COLS[m], 3);
        s->atoms[m].radius = 1.5f;
    }
    misi_scene_update_frame(s, 1);
    misi_render_params p = {.width = W, .height = H, .aa = 2, .labels = MISI_LABELS_OFF};
    misi_error err = {0};
    static uint8_t a[W * H * 3], b[W * H * 3];

    /* roll y 90 == left, byte for byte */
    misi_view rolled = misi_view_identity(), left;
    misi_view_roll(&rolled, 1, 90);
    CHECK(misi_view_canonical("left", &left) == 0, "no left view");
    CHECK(misi_render_view(r, s, &p, &rolled, a, &err) == 0, "%s", err.msg);
    CHECK(misi_render_view(r, s, &p, &left, b, &err) == 0, "%s", err.msg);
    CHECK(memcmp(a, b, sizeof a) == 0, "roll y 90 differs from the left view");
    /* ... and through the command language ("roll y 90", "turn y 90"). */
    misi_pose text;
    CHECK(misi_pose_from_text("roll y 90", &text, &err) == 0, "%s", err.msg);
    CHECK(misi_render_view(r, s, &p, &text, b, &err) == 0, "%s", err.msg);
    CHECK(memcmp(a, b, sizeof a) == 0, "'roll y 90' (parsed) differs from the left view");
    /* The command language's canonical views are the renderer's. */
    for (int i = 0; i < MISI_NUM_CANONICAL_VIEWS; i++) {
        misi_view mine;
        CHECK(misi_pose_from_text(MISI_CANONICAL_VIEW_NAMES[i], &text, &err) == 0, "%s", err.msg);
        CHECK(misi_view_canonical(MISI_CANONICAL_VIEW_NAMES[i], &mine) == 0, "no view");
        CHECK(memcmp(&mine, &text, sizeof mine) == 0, "view %s: cmdlang pose differs",
              MISI_CANONICAL_VIEW_NAMES[i]);
    }

    /* For each view: the marker nearest the viewer (at the image centre) and
     * the marker at the right edge of the screen (+x, 6 Å from the centre). */
    static const struct {
        const char *name;
        int centre, right, up;
    } V[] = {
        {"front", 4, 0, 2},  /* seen from +z: +z marker in front, +x right, +y up */
        {"back", 5, 1, 2},   /* from -z: -z in front, -x right */
        {"left", 1, 4, 2},   /* from -x: -x in front, +z right */
        {"right", 0, 5, 2},  /* from +x: +x in front, -z right */
        {"top", 2, 0, 5},    /* from +y: +y in front, +x right, -z up */
        {"bottom", 3, 0, 4}, /* from -y: -y in front, +x right, +z up */
    };
    float scale = misi_render_scale(s, &p);
    int off = (int)(6 * scale);
    for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
        misi_view v;
        CHECK(misi_view_canonical(V[i].name, &v) == 0, "no view %s", V[i].name);
        CHECK(misi_render_view(r, s, &p, &v, a, &err) == 0, "%s", err.msg);
        gt_dump(V[i].name, a, W, H);
        int c = marker_at(a, W / 2, H / 2), rt = marker_at(a, W / 2 + off, H / 2),
            up = marker_at(a, W / 2, H / 2 - off);
        CHECK(c == V[i].centre, "%s: centre shows marker %d, want %d", V[i].name, c, V[i].centre);
        CHECK(rt == V[i].right, "%s: right shows marker %d, want %d", V[i].name, rt, V[i].right);
        CHECK(up == V[i].up, "%s: up shows marker %d, want %d", V[i].name, up, V[i].up);
    }
    /* An unknown name is refused. */
    misi_view v;
    CHECK(misi_view_canonical("sideways", &v) == MISI_E_USAGE, "unknown view accepted");
    misi_scene_destroy(s);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
