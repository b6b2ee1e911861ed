/* The GPU image agrees with the independent CPU ray-caster
 * (ref_raycast.c): at least 99.5% of all pixels, and 98% of the pixels the
 * molecule covers, within a colour distance of 8 (max over channels, of
 * 255). Both projections, several views, all three styles, on the first
 * asset complex (assets/complexes), or a built one when none loads. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"

static void compare(misi_renderer *r, const misi_scene *s, const misi_render_params *p, const misi_view *v,
                    const char *name)
{
    int w = p->width, h = p->height;
    uint8_t *gpu = malloc((size_t)w * h * 3), *cpu = malloc((size_t)w * h * 3);
    misi_error err = {0};
    CHECK(misi_render_view(r, s, p, v, gpu, &err) == 0, "%s: %s", name, err.msg);
    ref_render(s, p, v, cpu);
    size_t close = 0, lit = 0, lit_close = 0;
    int worst = 0;
    for (size_t i = 0; i < (size_t)w * h; i++) {
        int d = gt_cdist(gpu + 3 * i, cpu + 3 * i);
        close += d <= 8;
        worst = d > worst ? d : worst;
        bool on = (cpu[3 * i] | cpu[3 * i + 1] | cpu[3 * i + 2] | gpu[3 * i] | gpu[3 * i + 1] |
                   gpu[3 * i + 2]) != 0;
        lit += on;
        lit_close += on && d <= 8;
    }
    double frac = (double)close / ((double)w * h);
    fprintf(stderr, "%s: %.4f of pixels within 8, worst %d, %zu lit\n", name, frac, worst, lit);
    double lfrac = lit ? (double)lit_close / (double)lit : 0.0;
    fprintf(stderr, "%s: %.4f of covered pixels within 8\n", name, lfrac);
    CHECK(frac >= 0.995, "%s: only %.4f of pixels agree", name, frac);
    CHECK(lfrac >= 0.98, "%s: only %.4f of covered pixels agree", name, lfrac);
    CHECK(lit > (size_t)w * h / 50, "%s: reference image nearly empty", name);
    if (frac < 0.995 || lfrac < 0.98 || getenv("MISI_TEST_OUT")) {
        char n[128];
        snprintf(n, sizeof n, "%s_gpu", name);
        gt_dump(n, gpu, w, h);
        snprintf(n, sizeof n, "%s_cpu", name);
        gt_dump(n, cpu, w, h);
    }
    free(gpu);
    free(cpu);
}

int main(void)
{
    misi_renderer *r = gt_renderer();
    misi_complex cx;
    char id[64] = "built";
    if (!gt_load_asset_complex(&cx, id, sizeof id)) {
        fprintf(stderr, "note: using a built complex\n");
        gt_build_complex(&cx);
    }
    static const misi_style styles[] = {MISI_STYLE_BALL_AND_STICK, MISI_STYLE_STICK, MISI_STYLE_SPACEFILL};
    for (int si = 0; si < 3; si++) {
        misi_scene *s = NULL;
        misi_error err = {0};
        misi_scene_desc d = {.style = styles[si], .label_set = MISI_LABEL_SET_NONE};
        if (misi_scene_create(&cx, &d, &s, &err)) {
            fprintf(stderr, "scene: %s\n", err.msg);
            return 1;
        }
        misi_view views[3];
        misi_view_canonical("front", &views[0]);
        misi_view_canonical("left", &views[1]);
        views[2] = misi_view_identity();
        misi_view_roll(&views[2], 0, 75);
        misi_view_move(&views[2], 0, -3);
        misi_view_move(&views[2], 2, 30);
        for (int v = 0; v < 3; v++) {
            for (int proj = 0; proj < 2; proj++) {
                if (si > 0 && v > 0)
                    continue; /* other styles: front view only, to stay quick */
                misi_render_params p = {.width = 160,
                                        .height = 128,
                                        .aa = 2,
                                        .labels = MISI_LABELS_OFF,
                                        .projection =
                                            proj ? MISI_PROJECTION_PERSPECTIVE : MISI_PROJECTION_ORTHO};
                char name[96];
                snprintf(name, sizeof name, "ref_%s_%s_v%d_%s", id, misi_style_name(styles[si]), v,
                         proj ? "persp" : "ortho");
                compare(r, s, &p, &views[v], name);
            }
        }
        misi_scene_destroy(s);
    }
    misi_complex_finish(&cx);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
