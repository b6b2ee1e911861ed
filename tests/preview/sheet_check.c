/* Checks of a misi preview sheet, read back with misi's PNG decoder.
 *
 *   sheet_check tiles SHEET TILE IMAGE...
 *     Every image appears whole in the sheet, pixel for pixel (TILE 0) or
 *     area-averaged to half its size (TILE 2: each sheet pixel the rounded
 *     mean of a 2x2 block), in grid order (left to right, then down; one
 *     row shares its top); under each a caption (ink in the band below the
 *     tile); above the grid a title and below it text: at least MIN_LINES
 *     separate lines of ink.
 *   sheet_check answer SHOWN HIDDEN
 *     HIDDEN is SHOWN without its last text: HIDDEN is shorter, its rows but
 *     the bottom margin equal SHOWN's, SHOWN's rows below them hold
 *     answer-coloured ink (green over red and blue), HIDDEN's are white.
 *
 * Exit 0 when it holds, 1 with the reason otherwise. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misi/png.h"

#define MARGIN 20   /* src/pipeline/preview.c's sheet margin */
#define MIN_LINES 4 /* question text lines under the grid, at least */

typedef struct img {
    uint8_t *p;
    int w, h;
} img;

__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    return 1;
}

static bool load(const char *path, img *im)
{
    misi_error err = {0};
    if (misi_png_read_file(path, &im->p, &im->w, &im->h, &err)) {
        fprintf(stderr, "FAIL: %s\n", err.msg);
        return false;
    }
    return true;
}

/* The rounded 2x2 means of im (what preview's area averaging gives at half size). */
static img halve(const img *im)
{
    img o = {.w = im->w / 2, .h = im->h / 2};
    o.p = malloc((size_t)o.w * (size_t)o.h * 3);
    for (int y = 0; o.p && y < o.h; y++)
        for (int x = 0; x < o.w; x++)
            for (int k = 0; k < 3; k++) {
                const uint8_t *s = im->p + ((size_t)(2 * y) * (size_t)im->w + (size_t)(2 * x)) * 3 + k;
                size_t row = (size_t)im->w * 3;
                unsigned sum = s[0] + s[3] + s[row] + s[row + 3];
                o.p[((size_t)y * (size_t)o.w + (size_t)x) * 3 + k] = (uint8_t)((sum + 2) / 4);
            }
    return o;
}

static bool at(const img *sheet, const img *t, int x, int y)
{
    if (x + t->w > sheet->w || y + t->h > sheet->h)
        return false;
    for (int r = 0; r < t->h; r++)
        if (memcmp(sheet->p + ((size_t)(y + r) * (size_t)sheet->w + (size_t)x) * 3,
                   t->p + (size_t)r * (size_t)t->w * 3, (size_t)t->w * 3))
            return false;
    return true;
}

/* Where t appears in the sheet at or after row y0 (row-major), or false. */
static bool find(const img *sheet, const img *t, int y0, int *fx, int *fy)
{
    for (int y = y0; y + t->h <= sheet->h; y++)
        for (int x = 0; x + t->w <= sheet->w; x++)
            if (at(sheet, t, x, y)) {
                *fx = x, *fy = y;
                return true;
            }
    return false;
}

/* A pixel of text: darker than the white page (tiles are excluded by the caller). */
static bool ink(const img *s, int x, int y)
{
    const uint8_t *p = s->p + ((size_t)y * (size_t)s->w + (size_t)x) * 3;
    return p[0] < 200 || p[1] < 200 || p[2] < 200;
}

static bool answer_ink(const img *s, int x, int y)
{
    const uint8_t *p = s->p + ((size_t)y * (size_t)s->w + (size_t)x) * 3;
    return p[1] > p[0] + 40 && p[1] > p[2] + 30;
}

static bool band_has_ink(const img *s, int x0, int y0, int x1, int y1)
{
    for (int y = y0; y < y1 && y < s->h; y++)
        for (int x = x0; x < x1 && x < s->w; x++)
            if (ink(s, x, y))
                return true;
    return false;
}

static int check_tiles(const char *path, int factor, char **images, int n)
{
    img sheet;
    if (!load(path, &sheet))
        return 1;
    int grid_top = -1, bottom = 0, prev_x = -1, prev_y = -1;
    for (int k = 0; k < n; k++) {
        img src, t;
        if (!load(images[k], &src))
            return 1;
        t = factor == 2 ? halve(&src) : src;
        int x, y;
        if (!find(&sheet, &t, prev_y < 0 ? 0 : prev_y, &x, &y))
            return fail("image %s is not in the sheet pixel for pixel (factor %d)", images[k], factor);
        /* grid order: the same row further right, or a lower row */
        if (prev_y >= 0 && !((y == prev_y && x > prev_x) || y > prev_y))
            return fail("image %d (%s) is out of grid order", k + 1, images[k]);
        printf("image %d at %d,%d (%dx%d)\n", k + 1, x, y, t.w, t.h);
        if (!band_has_ink(&sheet, x, y + t.h + 1, x + t.w, y + t.h + 22))
            return fail("no caption under image %d (%s)", k + 1, images[k]);
        if (grid_top < 0)
            grid_top = y;
        if (y + t.h + 24 > bottom)
            bottom = y + t.h + 24;
        prev_x = x, prev_y = y;
        if (t.p != src.p)
            free(t.p);
        free(src.p);
    }
    if (!band_has_ink(&sheet, 0, 0, sheet.w, grid_top))
        return fail("no title above the grid in %s", path);
    /* separate lines of ink under the grid: runs of rows with ink */
    int lines = 0;
    bool in_line = false;
    for (int y = bottom; y < sheet.h; y++) {
        bool any = band_has_ink(&sheet, 0, y, sheet.w, y + 1);
        lines += any && !in_line;
        in_line = any;
    }
    if (lines < MIN_LINES)
        return fail("%s: only %d lines of text under the grid", path, lines);
    printf("%d lines of text under the grid\n", lines);
    free(sheet.p);
    return 0;
}

static int check_answer(const char *shown_path, const char *hidden_path)
{
    img shown, hidden;
    if (!load(shown_path, &shown) || !load(hidden_path, &hidden))
        return 1;
    if (shown.w != hidden.w || hidden.h >= shown.h)
        return fail("the sheet without answers (%s, %dx%d) is not a shorter one of the width of %s (%dx%d)",
                    hidden_path, hidden.w, hidden.h, shown_path, shown.w, shown.h);
    int keep = hidden.h - MARGIN;
    if (memcmp(shown.p, hidden.p, (size_t)keep * (size_t)shown.w * 3))
        return fail("%s differs from the answered sheet above its last %d rows", hidden_path, MARGIN);
    bool shown_answer = false;
    for (int y = keep; y < shown.h && !shown_answer; y++)
        for (int x = 0; x < shown.w && !shown_answer; x++)
            shown_answer = answer_ink(&shown, x, y);
    if (!shown_answer)
        return fail("no answer-coloured text at the bottom of %s", shown_path);
    if (band_has_ink(&hidden, 0, keep, hidden.w, hidden.h))
        return fail("%s has ink in its bottom margin (%d rows)", hidden_path, MARGIN);
    printf("answer: %d rows in %s, none in %s\n", shown.h - keep, shown_path, hidden_path);
    free(shown.p);
    free(hidden.p);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && !strcmp(argv[1], "tiles"))
        return check_tiles(argv[2], atoi(argv[3]), argv + 4, argc - 4);
    if (argc == 4 && !strcmp(argv[1], "answer"))
        return check_answer(argv[2], argv[3]);
    fprintf(stderr, "usage: sheet_check tiles SHEET 0|2 IMAGE... | answer SHOWN HIDDEN\n");
    return 2;
}
