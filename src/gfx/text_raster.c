/* Text drawn into an RGB image on the CPU from the glyph atlas (font.h), the
 * same glyphs and layout the label pass draws with GL: for pictures made
 * without a GL context, such as misi preview's question sheets. */
#include "misi/font.h"

#include <math.h>
#include <stdlib.h>

int misi_text_draw_rgb(const misi_font_atlas *a, const char *text, int x, int y, const uint8_t color[3],
                       uint8_t *rgb, int width, int height, size_t stride)
{
    size_t n = misi_text_layout(a, text, NULL, 0, NULL);
    if (n == 0)
        return MISI_OK;
    misi_glyph_quad *q = malloc(n * sizeof *q);
    if (!q)
        return MISI_E_NOMEM;
    misi_text_layout(a, text, q, n, NULL);
    for (size_t i = 0; i < n; i++) {
        /* Quads sit on whole pixels and map texels 1:1 (font.h); the atlas
         * sides are powers of two, so u * width is the texel exactly. */
        int qx = x + (int)lroundf(q[i].x0), qy = y + (int)lroundf(q[i].y0);
        int gw = (int)lroundf(q[i].x1 - q[i].x0), gh = (int)lroundf(q[i].y1 - q[i].y0);
        int ax = (int)lroundf(q[i].u0 * (float)a->width), ay = (int)lroundf(q[i].v0 * (float)a->height);
        for (int gy = 0; gy < gh; gy++) {
            int py = qy + gy;
            if (py < 0 || py >= height)
                continue;
            const uint8_t *cov = a->pixels + (size_t)(ay + gy) * (size_t)a->width + (size_t)ax;
            for (int gx = 0; gx < gw; gx++) {
                int px = qx + gx;
                unsigned c = cov[gx];
                if (px < 0 || px >= width || c == 0)
                    continue;
                uint8_t *d = rgb + (size_t)py * stride + (size_t)px * 3;
                for (int k = 0; k < 3; k++)
                    d[k] = (uint8_t)((d[k] * (255u - c) + color[k] * c + 127u) / 255u);
            }
        }
    }
    free(q);
    return MISI_OK;
}
