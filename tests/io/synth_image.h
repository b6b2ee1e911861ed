/* A synthetic stand-in for a rendered complex, for PNG measurements and pool
 * tests that should not need GL: black background, shaded antialiased
 * spheres joined by sticks in CPK-like colours, and white labels drawn with
 * the font atlas (when a font is available). Deterministic for a seed. */
#ifndef MISI_TEST_SYNTH_IMAGE_H
#define MISI_TEST_SYNTH_IMAGE_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "misi/font.h"

typedef struct synth_atom {
    float x, y, z, r;
    uint8_t rgb[3];
} synth_atom;

static uint32_t synth_rand(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static float synth_unit(uint32_t *s)
{
    return (float)(synth_rand(s) & 0xffff) / 65535.0f;
}

static int synth_cmp_z(const void *a, const void *b)
{
    float za = ((const synth_atom *)a)->z, zb = ((const synth_atom *)b)->z;
    return (za > zb) - (za < zb);
}

/* Fill rgb (w*h*3, tight) with a ball-and-stick-like picture. */
static void synth_image(uint8_t *rgb, int w, int h, uint32_t seed, const misi_font_atlas *font)
{
    static const uint8_t pal[6][3] = {{191, 153, 242}, {242, 179, 102}, {230, 20, 20},
                                      {48, 80, 248},   {255, 255, 48},  {144, 144, 144}};
    enum { NATOMS = 360, CHAIN = 8, SS = 2 };
    synth_atom atoms[NATOMS * 3];
    size_t n = 0;
    uint32_t s = seed * 2654435761u + 1;
    float cx = 0, cy = 0, cz = 0;
    float scale = (float)(w < h ? w : h) / 512.0f;
    for (int i = 0; i < NATOMS; i++) {
        bool start = i % CHAIN == 0;
        if (start) { /* chains of atoms (residues) scattered over a ball */
            do {
                cx = (synth_unit(&s) * 2 - 1) * 190 * scale;
                cy = (synth_unit(&s) * 2 - 1) * 190 * scale;
            } while (cx * cx + cy * cy > 190 * 190 * scale * scale);
            cz = (synth_unit(&s) * 2 - 1) * 150 * scale;
        } else {
            cx += (synth_unit(&s) - 0.5f) * 36 * scale;
            cy += (synth_unit(&s) - 0.5f) * 36 * scale;
            cz += (synth_unit(&s) - 0.5f) * 36 * scale;
        }
        synth_atom a = {cx, cy, cz, (6 + 3 * synth_unit(&s)) * scale, {0, 0, 0}};
        memcpy(a.rgb, pal[synth_rand(&s) % 6], 3);
        if (!start) { /* sticks: two small beads to the previous atom, half-bond colours */
            synth_atom *p = &atoms[n - 1];
            for (int k = 1; k <= 2; k++) {
                float t = (float)k / 3.0f;
                synth_atom b = {p->x + t * (a.x - p->x),
                                p->y + t * (a.y - p->y),
                                p->z + t * (a.z - p->z),
                                2.5f * scale,
                                {0, 0, 0}};
                memcpy(b.rgb, k == 1 ? p->rgb : a.rgb, 3);
                atoms[n++] = b;
            }
        }
        atoms[n++] = a;
    }
    qsort(atoms, n, sizeof *atoms, synth_cmp_z); /* painter's order: far first */

    int W = w * SS, H = h * SS;
    float *acc = calloc((size_t)W * (size_t)H * 3, sizeof *acc);
    if (!acc)
        abort();
    const float L[3] = {-0.4f, 0.5f, 0.77f};
    for (size_t i = 0; i < n; i++) {
        const synth_atom *a = &atoms[i];
        float px = (a->x + (float)w / 2) * SS, py = ((float)h / 2 - a->y) * SS, r = a->r * SS;
        int x0 = (int)fmaxf(0, px - r), x1 = (int)fminf((float)W - 1, px + r);
        int y0 = (int)fmaxf(0, py - r), y1 = (int)fminf((float)H - 1, py + r);
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++) {
                float dx = ((float)x + 0.5f - px) / r, dy = -((float)y + 0.5f - py) / r;
                float d2 = dx * dx + dy * dy;
                if (d2 > 1)
                    continue;
                float dz = sqrtf(1 - d2);
                float diff = fmaxf(0, dx * L[0] + dy * L[1] + dz * L[2]);
                float spec = powf(fmaxf(0, dz * 0.9f + diff * 0.1f), 40) * 0.5f;
                float *o = acc + ((size_t)y * (size_t)W + (size_t)x) * 3;
                for (int c = 0; c < 3; c++)
                    o[c] = fminf(255, a->rgb[c] * (0.25f + 0.75f * diff) + 255 * spec);
            }
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int c = 0; c < 3; c++) {
                float v = 0;
                for (int j = 0; j < SS; j++)
                    for (int i = 0; i < SS; i++)
                        v += acc[((size_t)(y * SS + j) * (size_t)W + (size_t)(x * SS + i)) * 3 + (size_t)c];
                rgb[((size_t)y * (size_t)w + (size_t)x) * 3 + (size_t)c] = (uint8_t)(v / (SS * SS) + 0.5f);
            }
    free(acc);

    if (!font)
        return;
    /* Labels on a few atoms, coverage blended in white. */
    static const char *names[] = {"ARG 45", "VAL 22", "LYS 47", "O1B", "N2", "ASP 189", "C12", "HIS 57"};
    misi_glyph_quad q[32];
    for (int k = 0; k < 40; k++) {
        const synth_atom *a = &atoms[(size_t)k * n / 40];
        const char *t = names[k % 8];
        misi_text_box box;
        size_t m = misi_text_layout(font, t, q, 32, &box);
        float ox = a->x + (float)w / 2 - (box.x0 + box.x1) / 2,
              oy = (float)h / 2 - a->y - (box.y0 + box.y1) / 2;
        ox = roundf(fmaxf(-box.x0, fminf((float)w - box.x1, ox)));
        oy = roundf(fmaxf(-box.y0, fminf((float)h - box.y1, oy)));
        for (size_t g = 0; g < m; g++) {
            int gx0 = (int)(q[g].x0 + ox), gy0 = (int)(q[g].y0 + oy);
            int gw = (int)(q[g].x1 - q[g].x0), gh = (int)(q[g].y1 - q[g].y0);
            int ax = (int)lroundf(q[g].u0 * (float)font->width),
                ay = (int)lroundf(q[g].v0 * (float)font->height);
            for (int y = 0; y < gh; y++)
                for (int x = 0; x < gw; x++) {
                    int X = gx0 + x, Y = gy0 + y;
                    if (X < 0 || Y < 0 || X >= w || Y >= h)
                        continue;
                    float cov =
                        font->pixels[(size_t)(ay + y) * (size_t)font->width + (size_t)(ax + x)] / 255.0f;
                    uint8_t *o = rgb + ((size_t)Y * (size_t)w + (size_t)X) * 3;
                    for (int c = 0; c < 3; c++)
                        o[c] = (uint8_t)(o[c] * (1 - cov) + 255 * cov + 0.5f);
                }
        }
    }
}

#endif
