/* The glyph atlas, CPU side: FreeType rasterises printable ASCII (32-126) of
 * a TrueType font at one pixel size into a single-channel bitmap, and lays
 * out text as quads. No GL here; the renderer uploads `pixels` as a
 * one-channel texture (e.g. GL_R8 / GL_LUMINANCE, GL_UNPACK_ALIGNMENT 1) and
 * draws the quads.
 *
 * Coordinates: pixels, x right, y DOWN (image rows), relative to the text's
 * origin: the pen's start on the baseline. Texture coordinates: u right,
 * v down, (0,0) the top-left of the atlas' first row (pixels[0]). */
#ifndef MISI_FONT_H
#define MISI_FONT_H

#include <stddef.h>
#include <stdint.h>

#include "misi/error.h"

#define MISI_FONT_DEFAULT_PATH "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define MISI_FONT_FIRST_CHAR 32
#define MISI_FONT_LAST_CHAR 126
#define MISI_FONT_NUM_GLYPHS (MISI_FONT_LAST_CHAR - MISI_FONT_FIRST_CHAR + 1)

/* Zero means default. */
typedef struct misi_font_config {
    const char *path; /* TrueType/OpenType file; NULL or "" = $MISI_FONT, else MISI_FONT_DEFAULT_PATH */
    float px;         /* pixel size (em height); 0 = 14; at most 512 */
    int padding;      /* empty texels around each glyph; 0 = 2 */
} misi_font_config;

typedef struct misi_glyph {
    /* Bitmap box relative to the pen on the baseline (y down: y0 < 0 is
     * above the baseline). Empty glyphs (space) have x0 == x1. */
    int x0, y0, x1, y1;
    float advance;        /* pen advance in pixels */
    int atlas_x, atlas_y; /* top-left texel of the bitmap in the atlas */
    float u0, v0, u1, v1; /* the bitmap's texel edges, normalised */
} misi_glyph;

typedef struct misi_font_atlas {
    uint8_t *pixels;   /* width * height coverage bytes, row 0 first, owned */
    int width, height; /* powers of two */
    float px;
    float ascent, descent; /* pixels above (>0) / below (>0) the baseline */
    float line_height;
    misi_glyph glyphs[MISI_FONT_NUM_GLYPHS]; /* index c - MISI_FONT_FIRST_CHAR */
} misi_font_atlas;

/* Load the font and build the atlas. A missing or unreadable font is
 * MISI_E_IO naming the path; a font without the ASCII glyphs MISI_E_INVALID.
 * Destroy with misi_font_atlas_destroy (NULL is a no-op). */
int misi_font_atlas_create(const misi_font_config *cfg, misi_font_atlas **out, misi_error *err);
void misi_font_atlas_destroy(misi_font_atlas *a);

/* The glyph for c; characters outside 32-126 map to '?'. */
const misi_glyph *misi_font_glyph(const misi_font_atlas *a, char c);

typedef struct misi_glyph_quad {
    float x0, y0, x1, y1; /* pixels, relative to the text's origin, y down */
    float u0, v0, u1, v1;
} misi_glyph_quad;

typedef struct misi_text_box {
    float x0, y0, x1, y1; /* ink: union of the glyph quads (all 0 for blank text) */
    float advance;        /* pen position after the last glyph */
} misi_text_box;

/* Lay out one line of text (no kerning; '\n' and other non-printables show as
 * '?'). Writes up to cap quads (blank glyphs such as spaces produce none) and
 * returns the number the full text needs, so a NULL/0 call sizes the array.
 * box (may be NULL) receives the whole text's extent even when cap is short.
 * To centre a label on a point (px, py): draw at origin
 * (px - (box.x0 + box.x1) / 2, py - (box.y0 + box.y1) / 2), then clamp that
 * origin so [x0, x1] x [y0, y1] stays inside the image. Quads are at whole
 * pixels, so at scale 1 texels map 1:1 to pixels. */
size_t misi_text_layout(const misi_font_atlas *a, const char *text, misi_glyph_quad *quads, size_t cap,
                        misi_text_box *box);

/* Draw one line of text into width x height RGB8 pixels (rows stride bytes
 * apart) on the CPU (src/gfx/text_raster.c): the layout of misi_text_layout
 * with its pen starting at (x, y) on the baseline, each glyph's coverage
 * blending color over the pixels; what falls outside the image is clipped.
 * Deterministic (integer blending). 0, or MISI_E_NOMEM. */
int misi_text_draw_rgb(const misi_font_atlas *a, const char *text, int x, int y, const uint8_t color[3],
                       uint8_t *rgb, int width, int height, size_t stride);

#endif
