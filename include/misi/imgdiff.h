/* Pixel differences between two RGB8 images of one size: how far apart two
 * renderers' pictures of the same view are (misi compare, the GPU run kit).
 * Accumulates over any number of image pairs. */
#ifndef MISI_IMGDIFF_H
#define MISI_IMGDIFF_H

#include <stdint.h>

#include "misi/error.h"

/* Pixels differing by more than this in some channel count as "visibly"
 * different (antialiasing and rounding between renderers stay below it). */
#define MISI_IMGDIFF_VISIBLE 16

/* Zero-initialise, then add pairs. */
typedef struct misi_image_diff {
    uint64_t pixels;    /* compared */
    uint64_t differing; /* pixels with any channel different */
    uint64_t visible;   /* pixels with a channel more than MISI_IMGDIFF_VISIBLE apart */
    uint64_t sum_abs;   /* sum of |a - b| over every channel */
    int max_abs;        /* largest |a - b| of any channel */
} misi_image_diff;

/* Add the pair a, b (tight RGB8, w x h each) to d. */
void misi_image_diff_add(misi_image_diff *d, const uint8_t *a, const uint8_t *b, int w, int h);

/* Mean |a - b| per channel, and the fraction of pixels that differ at all
 * or visibly (0 when nothing was compared). */
double misi_image_diff_mean(const misi_image_diff *d);
double misi_image_diff_fraction(const misi_image_diff *d);
double misi_image_diff_visible_fraction(const misi_image_diff *d);

/* Sum b into a. */
void misi_image_diff_merge(misi_image_diff *a, const misi_image_diff *b);

#endif
