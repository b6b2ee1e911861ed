/* Renderer timings (a benchmark program, not a test): ms per 512x512 image
 * of the first asset complex for the six canonical views, per supersampling
 * factor, style and batch size. Prints a table; asserts nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "gfx_test.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* CPU seconds of the whole process, llvmpipe's threads included: less
 * sensitive than wall time to other work on a shared machine. */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int sink(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    (void)view, (void)w, (void)h;
    *(unsigned *)user += rgb[0];
    return 0;
}

int main(int argc, char **argv)
{
    int size = argc > 1 ? atoi(argv[1]) : 512;
    misi_renderer *r = gt_renderer();
    misi_complex cx;
    char id[64] = "built";
    if (!gt_load_asset_complex(&cx, id, sizeof id))
        gt_build_complex(&cx);
    misi_view views[24];
    static const char *names[] = {"front", "back", "left", "right", "top", "bottom"};
    for (int i = 0; i < 24; i++)
        misi_view_canonical(names[i % 6], &views[i]);
    printf("complex %s, %dx%d, %s\n", id, size, size, misi_renderer_info(r)->gl_renderer);
    printf("%-15s %-7s %3s %5s %6s %10s %10s\n", "style", "labels", "aa", "batch", "views", "ms/image",
           "cpu-ms/img");
    static const misi_style styles[] = {MISI_STYLE_BALL_AND_STICK, MISI_STYLE_SPACEFILL};
    for (int si = 0; si < 2; si++) {
        misi_scene *s = NULL;
        misi_error err = {0};
        misi_scene_desc d = {.style = styles[si]};
        if (misi_scene_create(&cx, &d, &s, &err))
            return 1;
        for (int labels = 0; labels < 2; labels++) {
            for (int aa = 1; aa <= 3; aa++) {
                for (int batch = 1; batch <= 8; batch *= 8) {
                    misi_render_params p = {.width = size,
                                            .height = size,
                                            .aa = aa,
                                            .batch_max = batch,
                                            .labels = labels ? MISI_LABELS_ON : MISI_LABELS_OFF};
                    unsigned acc = 0;
                    misi_render_views(r, s, &p, views, 2, sink, &acc, &err); /* warm up */
                    double t0 = now_s(), c0 = cpu_s();
                    if (misi_render_views(r, s, &p, views, 24, sink, &acc, &err)) {
                        fprintf(stderr, "%s\n", err.msg);
                        return 1;
                    }
                    double dt = now_s() - t0, dc = cpu_s() - c0;
                    printf("%-15s %-7s %3d %5d %6d %10.1f %10.1f\n", misi_style_name(styles[si]),
                           labels ? "on" : "off", aa, batch, 24, 1e3 * dt / 24, 1e3 * dc / 24);
                }
            }
        }
        misi_scene_destroy(s);
    }
    misi_complex_finish(&cx);
    misi_renderer_destroy(r);
    return 0;
}
