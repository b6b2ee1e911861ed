/* The glyph atlas, CPU side: FreeType rasterises printable ASCII into one
 * coverage bitmap (shelf-packed, padded so linear filtering never picks up a
 * neighbour), and text layout into quads. No GL calls here; the label pass
 * uploads the bitmap. */
#include "misi/font.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ft2build.h>
#include FT_FREETYPE_H

#define DEFAULT_PX 14.0f
#define MAX_PX 512.0f
#define DEFAULT_PADDING 2
#define MAX_PADDING 64
#define MAX_ATLAS_SIDE 8192

/* One rasterised glyph before packing. */
typedef struct raster {
    uint8_t *bits; /* w * h, row 0 top */
    int w, h;
} raster;

static const char *ft_words(FT_Error e)
{
    const char *s = FT_Error_String(e); /* NULL unless FreeType was built with error strings */
    return s ? s : "FreeType error";
}

/* Copy FreeType's bitmap (any pitch sign) into a tight top-down buffer. */
static int copy_bitmap(const FT_Bitmap *bm, raster *r)
{
    r->w = (int)bm->width;
    r->h = (int)bm->rows;
    r->bits = NULL;
    if (r->w == 0 || r->h == 0) {
        r->w = r->h = 0;
        return MISI_OK;
    }
    if (bm->pixel_mode != FT_PIXEL_MODE_GRAY || bm->num_grays != 256)
        return MISI_E_INVALID;
    r->bits = malloc((size_t)r->w * (size_t)r->h);
    if (!r->bits)
        return MISI_E_NOMEM;
    for (int y = 0; y < r->h; y++) {
        /* A negative pitch means the rows are stored bottom-up from buffer. */
        const uint8_t *src = bm->pitch >= 0 ? bm->buffer + (size_t)y * (size_t)bm->pitch
                                            : bm->buffer + (size_t)(r->h - 1 - y) * (size_t)(-bm->pitch);
        memcpy(r->bits + (size_t)y * (size_t)r->w, src, (size_t)r->w);
    }
    return MISI_OK;
}

/* Shelf-pack the glyphs (tallest first) into a W x H atlas; false when they
 * do not fit. Each glyph sits `pad` texels from every neighbour and edge. */
static bool pack(misi_font_atlas *a, const raster *r, const int *order, int W, int H, int pad)
{
    int x = pad, y = pad, shelf = 0;
    for (int k = 0; k < MISI_FONT_NUM_GLYPHS; k++) {
        int i = order[k];
        misi_glyph *g = &a->glyphs[i];
        if (r[i].w == 0) {
            g->atlas_x = g->atlas_y = 0;
            continue;
        }
        if (x + r[i].w + pad > W) {
            x = pad;
            y += shelf + pad;
            shelf = 0;
        }
        if (x + r[i].w + pad > W || y + r[i].h + pad > H)
            return false;
        g->atlas_x = x;
        g->atlas_y = y;
        x += r[i].w + pad;
        if (r[i].h > shelf)
            shelf = r[i].h;
    }
    return true;
}

int misi_font_atlas_create(const misi_font_config *cfg, misi_font_atlas **out, misi_error *err)
{
    if (!out)
        return misi_error_set(err, MISI_E_USAGE, "misi_font_atlas_create: NULL out");
    *out = NULL;
    misi_font_config c = cfg ? *cfg : (misi_font_config){0};
    if (!c.path || !*c.path) {
        const char *env = getenv("MISI_FONT");
        c.path = env && *env ? env : MISI_FONT_DEFAULT_PATH;
    }
    if (c.px == 0)
        c.px = DEFAULT_PX;
    if (c.padding == 0)
        c.padding = DEFAULT_PADDING;
    if (!(c.px >= 1.0f && c.px <= MAX_PX))
        return misi_error_set(err, MISI_E_USAGE, "font size %g px: expected 1 to %g", (double)c.px,
                              (double)MAX_PX);
    if (c.padding < 0 || c.padding > MAX_PADDING)
        return misi_error_set(err, MISI_E_USAGE, "font atlas padding %d: expected 0 to %d", c.padding,
                              MAX_PADDING);

    /* FreeType's "cannot open resource" does not say why; errno does. */
    FILE *probe = fopen(c.path, "rb");
    if (!probe)
        return misi_error_at(err, MISI_E_IO, c.path, 0, "cannot open font: %s", strerror(errno));
    fclose(probe);

    int rc = MISI_OK;
    FT_Library lib = NULL;
    FT_Face face = NULL;
    raster r[MISI_FONT_NUM_GLYPHS] = {{0}};
    misi_font_atlas *a = calloc(1, sizeof *a);
    if (!a)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for the font atlas");

    FT_Error fe = FT_Init_FreeType(&lib);
    if (fe) {
        rc = misi_error_set(err, MISI_E_INVALID, "cannot start FreeType: %s", ft_words(fe));
        goto done;
    }
    fe = FT_New_Face(lib, c.path, 0, &face);
    if (fe) {
        rc = misi_error_at(err, MISI_E_INVALID, c.path, 0, "not a font FreeType can read: %s", ft_words(fe));
        goto done;
    }
    /* 72 dpi: one point is one pixel, so the size is the em height in pixels. */
    fe = FT_Set_Char_Size(face, 0, (FT_F26Dot6)lroundf(c.px * 64.0f), 72, 72);
    if (fe) {
        rc = misi_error_at(err, MISI_E_INVALID, c.path, 0, "cannot set size %g px: %s", (double)c.px,
                           ft_words(fe));
        goto done;
    }

    for (int i = 0; i < MISI_FONT_NUM_GLYPHS; i++) {
        unsigned long ch = (unsigned long)(MISI_FONT_FIRST_CHAR + i);
        if (FT_Get_Char_Index(face, ch) == 0) {
            rc = misi_error_at(err, MISI_E_INVALID, c.path, 0, "font has no glyph for '%c'", (int)ch);
            goto done;
        }
        /* Light hinting: crisp vertical stems at small sizes, shapes kept. */
        fe = FT_Load_Char(face, ch, FT_LOAD_RENDER | FT_LOAD_TARGET_LIGHT);
        if (fe) {
            rc = misi_error_at(err, MISI_E_INVALID, c.path, 0, "cannot render '%c': %s", (int)ch,
                               ft_words(fe));
            goto done;
        }
        FT_GlyphSlot gs = face->glyph;
        int crc = copy_bitmap(&gs->bitmap, &r[i]);
        if (crc != MISI_OK) {
            rc = misi_error_at(err, crc, c.path, 0, "cannot copy the bitmap of '%c'", (int)ch);
            goto done;
        }
        misi_glyph *g = &a->glyphs[i];
        g->x0 = gs->bitmap_left;
        g->y0 = -gs->bitmap_top;
        g->x1 = g->x0 + r[i].w;
        g->y1 = g->y0 + r[i].h;
        g->advance = (float)gs->advance.x / 64.0f;
    }
    a->px = c.px;
    a->ascent = (float)face->size->metrics.ascender / 64.0f;
    a->descent = -(float)face->size->metrics.descender / 64.0f;
    a->line_height = (float)face->size->metrics.height / 64.0f;

    /* Tallest first (ties by character code, so packing is deterministic). */
    int order[MISI_FONT_NUM_GLYPHS];
    for (int i = 0; i < MISI_FONT_NUM_GLYPHS; i++)
        order[i] = i;
    for (int i = 1; i < MISI_FONT_NUM_GLYPHS; i++) {
        int v = order[i], j = i;
        while (j > 0 && r[order[j - 1]].h < r[v].h)
            order[j] = order[j - 1], j--;
        order[j] = v;
    }
    int W = 0, H = 0;
    for (int side = 32; side <= MAX_ATLAS_SIDE && !W; side *= 2) {
        if (pack(a, r, order, side, side / 2, c.padding))
            W = side, H = side / 2;
        else if (pack(a, r, order, side, side, c.padding))
            W = H = side;
    }
    if (!W) {
        rc = misi_error_set(err, MISI_E_LIMIT, "glyphs at %g px do not fit a %dx%d atlas", (double)c.px,
                            MAX_ATLAS_SIDE, MAX_ATLAS_SIDE);
        goto done;
    }
    a->width = W;
    a->height = H;
    a->pixels = calloc((size_t)W * (size_t)H, 1);
    if (!a->pixels) {
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for a %dx%d font atlas", W, H);
        goto done;
    }
    for (int i = 0; i < MISI_FONT_NUM_GLYPHS; i++) {
        misi_glyph *g = &a->glyphs[i];
        for (int y = 0; y < r[i].h; y++)
            memcpy(a->pixels + (size_t)(g->atlas_y + y) * (size_t)W + (size_t)g->atlas_x,
                   r[i].bits + (size_t)y * (size_t)r[i].w, (size_t)r[i].w);
        g->u0 = (float)g->atlas_x / (float)W;
        g->v0 = (float)g->atlas_y / (float)H;
        g->u1 = (float)(g->atlas_x + r[i].w) / (float)W;
        g->v1 = (float)(g->atlas_y + r[i].h) / (float)H;
    }

done:
    for (int i = 0; i < MISI_FONT_NUM_GLYPHS; i++)
        free(r[i].bits);
    if (face)
        FT_Done_Face(face);
    if (lib)
        FT_Done_FreeType(lib);
    if (rc != MISI_OK) {
        misi_font_atlas_destroy(a);
        return rc;
    }
    *out = a;
    return MISI_OK;
}

void misi_font_atlas_destroy(misi_font_atlas *a)
{
    if (!a)
        return;
    free(a->pixels);
    free(a);
}

const misi_glyph *misi_font_glyph(const misi_font_atlas *a, char c)
{
    unsigned char u = (unsigned char)c;
    if (u < MISI_FONT_FIRST_CHAR || u > MISI_FONT_LAST_CHAR)
        u = '?';
    return &a->glyphs[u - MISI_FONT_FIRST_CHAR];
}

size_t misi_text_layout(const misi_font_atlas *a, const char *text, misi_glyph_quad *quads, size_t cap,
                        misi_text_box *box)
{
    size_t n = 0;
    float pen = 0.0f;
    misi_text_box b = {0};
    for (const char *s = text ? text : ""; *s; s++) {
        const misi_glyph *g = misi_font_glyph(a, *s);
        /* Whole-pixel glyph origins keep texels on pixels at scale 1. */
        float ox = roundf(pen);
        if (g->x1 > g->x0) {
            misi_glyph_quad q = {
                ox + (float)g->x0, (float)g->y0, ox + (float)g->x1, (float)g->y1, g->u0, g->v0, g->u1, g->v1};
            if (n < cap)
                quads[n] = q;
            if (n == 0) {
                b.x0 = q.x0, b.y0 = q.y0, b.x1 = q.x1, b.y1 = q.y1;
            } else {
                b.x0 = fminf(b.x0, q.x0), b.y0 = fminf(b.y0, q.y0);
                b.x1 = fmaxf(b.x1, q.x1), b.y1 = fmaxf(b.y1, q.y1);
            }
            n++;
        }
        pen += g->advance;
    }
    b.advance = pen;
    if (box)
        *box = b;
    return n;
}
