/* Pixel differences between RGB8 images (misi/imgdiff.h). */
#include "misi/imgdiff.h"

#include <stddef.h>

void misi_image_diff_add(misi_image_diff *d, const uint8_t *a, const uint8_t *b, int w, int h)
{
    size_t n = (size_t)w * (size_t)h;
    for (size_t i = 0; i < n; i++) {
        int worst = 0;
        for (int c = 0; c < 3; c++) {
            int v = (int)a[3 * i + c] - (int)b[3 * i + c];
            v = v < 0 ? -v : v;
            d->sum_abs += (uint64_t)v;
            worst = v > worst ? v : worst;
        }
        d->differing += worst > 0;
        d->visible += worst > MISI_IMGDIFF_VISIBLE;
        if (worst > d->max_abs)
            d->max_abs = worst;
    }
    d->pixels += n;
}

double misi_image_diff_mean(const misi_image_diff *d)
{
    return d->pixels ? (double)d->sum_abs / (3.0 * (double)d->pixels) : 0.0;
}

double misi_image_diff_fraction(const misi_image_diff *d)
{
    return d->pixels ? (double)d->differing / (double)d->pixels : 0.0;
}

double misi_image_diff_visible_fraction(const misi_image_diff *d)
{
    return d->pixels ? (double)d->visible / (double)d->pixels : 0.0;
}

void misi_image_diff_merge(misi_image_diff *a, const misi_image_diff *b)
{
    a->pixels += b->pixels;
    a->differing += b->differing;
    a->visible += b->visible;
    a->sum_abs += b->sum_abs;
    if (b->max_abs > a->max_abs)
        a->max_abs = b->max_abs;
}
