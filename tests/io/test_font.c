/* Glyph atlas: ink for letters and digits, padding between glyphs, layout
 * widths and boxes, and a clear error for a missing font. Skips (77) when the
 * default font (fonts-dejavu-core) is not installed. */
#include "io_test.h"

#include <math.h>
#include <unistd.h>

#include "misi/font.h"

static misi_font_atlas *atlas14;

static int setup(void **state)
{
    (void)state;
    misi_error err = {0};
    return misi_font_atlas_create(&(misi_font_config){.px = 14}, &atlas14, &err) == MISI_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    misi_font_atlas_destroy(atlas14);
    return 0;
}

static int ink(const misi_font_atlas *a, const misi_glyph *g)
{
    int sum = 0;
    for (int y = 0; y < g->y1 - g->y0; y++)
        for (int x = 0; x < g->x1 - g->x0; x++)
            sum += a->pixels[(size_t)(g->atlas_y + y) * (size_t)a->width + (size_t)(g->atlas_x + x)];
    return sum;
}

static bool is_pow2(int v)
{
    return v > 0 && (v & (v - 1)) == 0;
}

static void font_atlas_has_ink_for_letters_and_digits(void **state)
{
    (void)state;
    const misi_font_atlas *a = atlas14;
    assert_true(is_pow2(a->width) && is_pow2(a->height));
    assert_true(a->ascent > 8 && a->ascent < 16);
    assert_true(a->descent > 1 && a->descent < 6);
    for (int c = MISI_FONT_FIRST_CHAR; c <= MISI_FONT_LAST_CHAR; c++) {
        const misi_glyph *g = misi_font_glyph(a, (char)c);
        bool alnum = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (alnum) {
            assert_true(g->x1 > g->x0 && g->y1 > g->y0);
            assert_true(ink(a, g) > 255 * 3);
        }
        if (c == ' ')
            assert_true(g->x1 == g->x0 && g->advance > 2);
        else
            assert_true(g->advance > 0);
    }
    /* Capitals stand on the baseline and reach about the cap height. */
    const misi_glyph *H = misi_font_glyph(a, 'H');
    assert_int_equal(H->y1, 0);
    assert_true(H->y0 <= -9 && H->y0 >= -12);
    /* Outside 32-126 falls back to '?'. */
    assert_ptr_equal(misi_font_glyph(a, '\n'), misi_font_glyph(a, '?'));
    assert_ptr_equal(misi_font_glyph(a, (char)0xE9), misi_font_glyph(a, '?'));
}

static void font_atlas_keeps_padding_between_glyphs(void **state)
{
    (void)state;
    const misi_font_atlas *a = atlas14;
    const int pad = 2; /* the default */
    for (int i = 0; i < MISI_FONT_NUM_GLYPHS; i++) {
        const misi_glyph *g = &a->glyphs[i];
        int w = g->x1 - g->x0, h = g->y1 - g->y0;
        if (!w)
            continue;
        assert_true(g->atlas_x >= pad && g->atlas_y >= pad);
        assert_true(g->atlas_x + w + pad <= a->width && g->atlas_y + h + pad <= a->height);
        assert_true(fabsf(g->u0 * (float)a->width - (float)g->atlas_x) < 1e-3f);
        assert_true(fabsf(g->v1 * (float)a->height - (float)(g->atlas_y + h)) < 1e-3f);
        for (int j = 0; j < i; j++) { /* boxes grown by pad never overlap */
            const misi_glyph *o = &a->glyphs[j];
            int ow = o->x1 - o->x0, oh = o->y1 - o->y0;
            if (!ow)
                continue;
            bool apart = g->atlas_x + w + pad <= o->atlas_x || o->atlas_x + ow + pad <= g->atlas_x ||
                         g->atlas_y + h + pad <= o->atlas_y || o->atlas_y + oh + pad <= g->atlas_y;
            if (!apart)
                fail_msg("glyphs '%c' and '%c' are closer than %d texels", i + 32, j + 32, pad);
        }
    }
}

static void font_layout_width_grows_with_text(void **state)
{
    (void)state;
    const char *texts[] = {"A", "AR", "ARG", "ARG ", "ARG 4", "ARG 45", "ARG 456"};
    float prev_adv = 0, prev_x1 = -1;
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        misi_text_box b;
        size_t n = misi_text_layout(atlas14, texts[i], NULL, 0, &b);
        assert_true(b.advance > prev_adv);
        assert_true(b.x1 >= prev_x1);
        prev_adv = b.advance;
        prev_x1 = b.x1;
        size_t expect = strlen(texts[i]) - (strchr(texts[i], ' ') ? 1 : 0);
        assert_int_equal(n, expect);
    }
    misi_text_box b;
    assert_int_equal(misi_text_layout(atlas14, "", NULL, 0, &b), 0);
    assert_true(b.x0 == 0 && b.x1 == 0 && b.advance == 0);
    assert_int_equal(misi_text_layout(atlas14, "   ", NULL, 0, &b), 0);
    assert_true(b.advance > 6);
}

static void font_box_of_residue_label_is_sensible_at_14px(void **state)
{
    (void)state;
    misi_glyph_quad q[8];
    misi_text_box b;
    size_t n = misi_text_layout(atlas14, "ARG 45", q, 8, &b);
    assert_int_equal(n, 5);
    /* About 45-55 px wide at 14 px DejaVu Sans; caps ~10 px tall on the baseline. */
    float w = b.x1 - b.x0, h = b.y1 - b.y0;
    if (!(w > 38 && w < 60 && h >= 9 && h <= 13))
        fail_msg("box %g x %g (%g,%g)-(%g,%g)", w, h, b.x0, b.y0, b.x1, b.y1);
    assert_true(b.x0 >= 0 && b.x0 < 2);
    assert_true(b.y1 <= 1 && b.y0 < -8);
    assert_true(b.advance >= b.x1 - 1);
    /* Quads run left to right without overlap, at whole pixels, and their
     * union is the box. */
    float minx = 1e9f, miny = 1e9f, maxx = -1e9f, maxy = -1e9f;
    for (size_t i = 0; i < n; i++) {
        assert_true(q[i].x0 == floorf(q[i].x0) && q[i].y0 == floorf(q[i].y0));
        assert_true(q[i].u1 > q[i].u0 && q[i].v1 > q[i].v0);
        if (i)
            assert_true(q[i].x0 >= q[i - 1].x0);
        minx = fminf(minx, q[i].x0), miny = fminf(miny, q[i].y0);
        maxx = fmaxf(maxx, q[i].x1), maxy = fmaxf(maxy, q[i].y1);
    }
    assert_true(minx == b.x0 && miny == b.y0 && maxx == b.x1 && maxy == b.y1);
    /* A short array still gets the full box and the needed count. */
    misi_text_box b2;
    assert_int_equal(misi_text_layout(atlas14, "ARG 45", q, 2, &b2), 5);
    assert_memory_equal(&b, &b2, sizeof b);
    /* Twice the size, about twice the width. */
    misi_font_atlas *a28 = NULL;
    assert_int_equal(misi_font_atlas_create(&(misi_font_config){.px = 28}, &a28, NULL), MISI_OK);
    misi_text_box b28;
    misi_text_layout(a28, "ARG 45", NULL, 0, &b28);
    float ratio = (b28.x1 - b28.x0) / w;
    assert_true(ratio > 1.8f && ratio < 2.2f);
    misi_font_atlas_destroy(a28);
}

static void font_missing_file_names_path(void **state)
{
    (void)state;
    misi_font_atlas *a = NULL;
    misi_error err = {0};
    assert_int_equal(misi_font_atlas_create(&(misi_font_config){.path = "/no/such/font.ttf"}, &a, &err),
                     MISI_E_IO);
    assert_null(a);
    assert_contains(err.msg, "/no/such/font.ttf");
    assert_contains(err.msg, "No such file or directory");
    /* A file that is not a font. */
    char path[] = "/tmp/misi_font_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not a font", 10), 10);
    close(fd);
    assert_int_equal(misi_font_atlas_create(&(misi_font_config){.path = path}, &a, &err), MISI_E_INVALID);
    assert_contains(err.msg, path);
    unlink(path);
    assert_int_equal(misi_font_atlas_create(&(misi_font_config){.px = -3}, &a, &err), MISI_E_USAGE);
    misi_font_atlas_destroy(NULL);
}

/* White on black, each pixel of a drawn glyph is the atlas coverage at its
 * layout place and no other pixel changes; text past the edges is clipped
 * (under ASan: no access outside the image). */
static void font_cpu_text_puts_each_glyph_coverage_at_its_layout_place(void **state)
{
    (void)state;
    const misi_font_atlas *a = atlas14;
    enum { W = 64, H = 32 };
    uint8_t img[H][W][3];
    memset(img, 0, sizeof img);
    const uint8_t white[3] = {255, 255, 255};
    const char *text = "Ag1";
    const int ox = 5, oy = 20;
    assert_int_equal(misi_text_draw_rgb(a, text, ox, oy, white, &img[0][0][0], W, H, W * 3), MISI_OK);
    static bool covered[H][W];
    memset(covered, 0, sizeof covered);
    misi_glyph_quad q[3];
    assert_int_equal(misi_text_layout(a, text, q, 3, NULL), 3);
    for (int i = 0; i < 3; i++) {
        const misi_glyph *g = misi_font_glyph(a, text[i]);
        for (int y = 0; y < g->y1 - g->y0; y++)
            for (int x = 0; x < g->x1 - g->x0; x++) {
                int px = ox + (int)q[i].x0 + x, py = oy + (int)q[i].y0 + y;
                uint8_t c = a->pixels[(size_t)(g->atlas_y + y) * (size_t)a->width + (size_t)(g->atlas_x + x)];
                assert_true(px >= 0 && px < W && py >= 0 && py < H);
                assert_int_equal(img[py][px][0], c);
                assert_int_equal(img[py][px][2], c);
                covered[py][px] = true;
            }
    }
    int inked = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            if (!covered[y][x])
                assert_int_equal(img[y][x][1], 0);
            inked += img[y][x][1] > 128;
        }
    assert_true(inked > 20);
    /* half off every edge of a small image */
    uint8_t small[8][8][3];
    memset(small, 0, sizeof small);
    assert_int_equal(misi_text_draw_rgb(a, "WWWW", -6, 4, white, &small[0][0][0], 8, 8, 8 * 3), MISI_OK);
    int lit = 0;
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            lit += small[y][x][0] > 0;
    assert_true(lit > 0);
}

int main(int argc, char **argv)
{
    if (access(MISI_FONT_DEFAULT_PATH, R_OK) != 0 && !getenv("MISI_FONT")) {
        printf("skip: %s not installed (fonts-dejavu-core)\n", MISI_FONT_DEFAULT_PATH);
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(font_atlas_has_ink_for_letters_and_digits),
        cmocka_unit_test(font_atlas_keeps_padding_between_glyphs),
        cmocka_unit_test(font_layout_width_grows_with_text),
        cmocka_unit_test(font_box_of_residue_label_is_sensible_at_14px),
        cmocka_unit_test(font_missing_file_names_path),
        cmocka_unit_test(font_cpu_text_puts_each_glyph_coverage_at_its_layout_place),
    };
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, setup, teardown);
}
