/* PNG encode/decode: lossless round trips for every setting, determinism,
 * clean failures on bad input. */
#include "io_test.h"

#include <unistd.h>
#include <zlib.h>

#include "misi/png.h"
#include "synth_image.h"

static uint8_t *make_image(int w, int h, size_t stride, uint32_t seed)
{
    uint8_t *tight = malloc((size_t)w * (size_t)h * 3);
    synth_image(tight, w, h, seed, NULL);
    uint8_t *img = malloc(stride * (size_t)h);
    memset(img, 0xAB, stride * (size_t)h); /* padding bytes must not leak into the file */
    for (int y = 0; y < h; y++)
        memcpy(img + (size_t)y * stride, tight + (size_t)y * (size_t)w * 3, (size_t)w * 3);
    free(tight);
    return img;
}

static void assert_decodes_to(const misi_png_buf *b, const uint8_t *img, int w, int h, size_t stride)
{
    uint8_t *back = NULL;
    int bw = 0, bh = 0;
    misi_error err = {0};
    if (misi_png_decode(b->data, b->len, &back, &bw, &bh, &err) != MISI_OK)
        fail_msg("%s", err.msg);
    assert_int_equal(bw, w);
    assert_int_equal(bh, h);
    for (int y = 0; y < h; y++)
        assert_memory_equal(back + (size_t)y * (size_t)w * 3, img + (size_t)y * stride, (size_t)w * 3);
    free(back);
}

static void png_round_trips_every_setting(void **state)
{
    (void)state;
    int w = 97, h = 61; /* odd sizes */
    size_t stride = (size_t)w * 3 + 5;
    uint8_t *img = make_image(w, h, stride, 7);
    misi_png_buf b = {0};
    misi_error err = {0};
    const int levels[] = {0, MISI_PNG_LEVEL_STORE, 1, 3, 9};
    for (size_t li = 0; li < sizeof levels / sizeof *levels; li++)
        for (int f = 0; f <= MISI_PNG_FILTER_ADAPTIVE; f++)
            for (int s = 0; s <= MISI_PNG_STRATEGY_HUFFMAN_ONLY; s++) {
                misi_png_config c = {.level = levels[li], .filter = (misi_png_filter)f,
                                     .strategy = (misi_png_strategy)s, .encoder = MISI_PNG_ENCODER_LIBPNG};
                if (misi_png_encode(img, w, h, stride, &c, &b, &err) != MISI_OK)
                    fail_msg("%s", err.msg);
                assert_decodes_to(&b, img, w, h, stride);
            }
    /* NULL config means the defaults. */
    assert_int_equal(misi_png_encode(img, w, h, stride, NULL, &b, &err), MISI_OK);
    assert_decodes_to(&b, img, w, h, stride);
    misi_png_buf_finish(&b);
    free(img);
}

static void png_encoding_is_deterministic(void **state)
{
    (void)state;
    uint8_t *img = make_image(128, 128, 128 * 3, 3);
    misi_png_buf a = {0}, b = {0};
    assert_int_equal(misi_png_encode(img, 128, 128, 128 * 3, NULL, &a, NULL), MISI_OK);
    /* A reused buffer that held a bigger image gives the same bytes. */
    uint8_t *big = make_image(300, 300, 900, 9);
    assert_int_equal(misi_png_encode(big, 300, 300, 900, NULL, &b, NULL), MISI_OK);
    assert_int_equal(misi_png_encode(img, 128, 128, 128 * 3, NULL, &b, NULL), MISI_OK);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    misi_png_buf_finish(&a);
    misi_png_buf_finish(&b);
    free(img);
    free(big);
}

static void png_defaults_fill_only_zero_fields(void **state)
{
    (void)state;
    misi_png_config c = {0};
    misi_png_config_defaults(&c);
    assert_int_equal(c.level, MISI_PNG_DEFAULT_LEVEL);
    assert_int_equal(c.filter, MISI_PNG_DEFAULT_FILTER);
    assert_int_equal(c.strategy, MISI_PNG_DEFAULT_STRATEGY);
    assert_int_equal(c.encoder, MISI_PNG_ENCODER_LIBDEFLATE);
    assert_int_equal(c.idat_max, MISI_PNG_DEFAULT_IDAT_MAX);
    misi_png_config d = {.level = 6, .filter = MISI_PNG_FILTER_PAETH, .strategy = MISI_PNG_STRATEGY_ZLIB};
    misi_png_config_defaults(&d);
    assert_int_equal(d.level, 6);
    assert_int_equal(d.filter, MISI_PNG_FILTER_PAETH);
    assert_int_equal(d.strategy, MISI_PNG_STRATEGY_ZLIB);
    /* A filter only libpng does picks libpng, with zlib's default level. */
    assert_int_equal(d.encoder, MISI_PNG_ENCODER_LIBPNG);
    misi_png_config e = {.strategy = MISI_PNG_STRATEGY_RLE};
    misi_png_config_defaults(&e);
    assert_int_equal(e.encoder, MISI_PNG_ENCODER_LIBPNG);
    assert_int_equal(e.level, MISI_PNG_DEFAULT_ZLIB_LEVEL);
}

/* Walk the chunks of an encoded file and check the container by hand, with
 * zlib's CRC-32 (another implementation than the encoder's): signature,
 * IHDR first with our fields, IDATs together, IEND last, nothing after. */
static void assert_container_sound(const misi_png_buf *b, int w, int h, size_t idat_max)
{
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assert_true(b->len > 8 + 25 + 12);
    assert_memory_equal(b->data, sig, 8);
    size_t pos = 8, nidat = 0;
    int seen_iend = 0;
    for (int i = 0; pos < b->len; i++) {
        assert_true(b->len - pos >= 12);
        const uint8_t *c = b->data + pos;
        size_t len = (size_t)c[0] << 24 | (size_t)c[1] << 16 | (size_t)c[2] << 8 | c[3];
        assert_true(len <= 0x7fffffffu && b->len - pos - 12 >= len);
        uint32_t crc = (uint32_t)c[8 + len] << 24 | (uint32_t)c[9 + len] << 16 | (uint32_t)c[10 + len] << 8 |
                       c[11 + len];
        assert_int_equal(crc, (uint32_t)crc32(0, c + 4, (uInt)(len + 4)));
        if (i == 0) {
            assert_memory_equal(c + 4, "IHDR", 4);
            assert_int_equal(len, 13);
            const uint8_t want[13] = {(uint8_t)(w >> 24), (uint8_t)(w >> 16), (uint8_t)(w >> 8), (uint8_t)w,
                                      (uint8_t)(h >> 24), (uint8_t)(h >> 16), (uint8_t)(h >> 8), (uint8_t)h,
                                      8, 2, 0, 0, 0};
            assert_memory_equal(c + 8, want, 13);
        } else if (!memcmp(c + 4, "IDAT", 4)) {
            assert_true(len <= idat_max);
            assert_true(len > 0);
            nidat++;
        } else {
            assert_memory_equal(c + 4, "IEND", 4);
            assert_int_equal(len, 0);
            seen_iend = 1;
        }
        pos += 12 + len;
        if (seen_iend)
            break;
    }
    assert_true(seen_iend);
    assert_int_equal(pos, b->len);
    assert_true(nidat >= 1);
}

/* The libdeflate path decodes (with libpng) to exactly the pixels given, at
 * every level, for odd and even sizes, padded strides and IDAT splits. */
static void png_libdeflate_decodes_to_identical_pixels(void **state)
{
    (void)state;
    const int sizes[][2] = {{1, 1}, {2, 3}, {3, 2}, {97, 61}, {255, 1}, {1, 257}, {511, 509}, {512, 512}};
    const int levels[] = {0, MISI_PNG_LEVEL_STORE, 1, 2, 3, 4, 6, 9, 12};
    const size_t chunks[] = {0, 1, 100, 4096};
    misi_png_buf b = {0};
    misi_error err = {0};
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
        int w = sizes[si][0], h = sizes[si][1];
        size_t stride = (size_t)w * 3 + (si % 2 ? 7 : 0);
        uint8_t *img = make_image(w, h, stride, (uint32_t)si + 11);
        for (size_t li = 0; li < sizeof levels / sizeof *levels; li++) {
            misi_png_config c = {.level = levels[li], .encoder = MISI_PNG_ENCODER_LIBDEFLATE};
            if (misi_png_encode(img, w, h, stride, &c, &b, &err) != MISI_OK)
                fail_msg("%dx%d level %d: %s", w, h, levels[li], err.msg);
            assert_container_sound(&b, w, h, MISI_PNG_DEFAULT_IDAT_MAX);
            assert_decodes_to(&b, img, w, h, stride);
        }
        for (size_t ci = 0; ci < sizeof chunks / sizeof *chunks; ci++) {
            misi_png_config c = {.idat_max = chunks[ci]};
            assert_int_equal(misi_png_encode(img, w, h, stride, &c, &b, &err), MISI_OK);
            assert_container_sound(&b, w, h, chunks[ci] ? chunks[ci] : MISI_PNG_DEFAULT_IDAT_MAX);
            assert_decodes_to(&b, img, w, h, stride);
        }
        free(img);
    }
    misi_png_buf_finish(&b);
}

/* The same on real renders (docs/views: labelled and unlabelled 512x512
 * images of 1cs4), and both encoders agree on the pixels. */
static void png_libdeflate_round_trips_rendered_images(void **state)
{
    (void)state;
    const char *root = getenv("MISI_SOURCE_ROOT");
    const char *names[] = {"docs/views/1cs4/front.png", "docs/views/1cs4/top.png",
                           "docs/views/nolabels/1cs4/left.png"};
    misi_png_buf a = {0}, z = {0};
    misi_error err = {0};
    int found = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", root ? root : ".", names[i]);
        uint8_t *img = NULL;
        int w, h;
        if (misi_png_read_file(path, &img, &w, &h, &err) != MISI_OK)
            continue;
        found++;
        assert_int_equal(misi_png_encode(img, w, h, (size_t)w * 3, NULL, &a, &err), MISI_OK);
        assert_container_sound(&a, w, h, MISI_PNG_DEFAULT_IDAT_MAX);
        assert_decodes_to(&a, img, w, h, (size_t)w * 3);
        misi_png_config zc = {.encoder = MISI_PNG_ENCODER_LIBPNG};
        assert_int_equal(misi_png_encode(img, w, h, (size_t)w * 3, &zc, &z, &err), MISI_OK);
        assert_decodes_to(&z, img, w, h, (size_t)w * 3);
        free(img);
    }
    if (!found)
        fail_msg("no rendered image found under %s/docs/views (set MISI_SOURCE_ROOT)", root ? root : ".");
    misi_png_buf_finish(&a);
    misi_png_buf_finish(&z);
}

static void png_rejects_bad_arguments(void **state)
{
    (void)state;
    uint8_t px[12] = {0};
    misi_png_buf b = {0};
    misi_error err = {0};
    assert_int_equal(misi_png_encode(px, 0, 1, 3, NULL, &b, &err), MISI_E_USAGE);
    assert_contains(err.msg, "0x1");
    assert_int_equal(misi_png_encode(px, 2, 2, 5, NULL, &b, &err), MISI_E_USAGE);
    assert_contains(err.msg, "stride 5");
    misi_png_config c = {.level = 13};
    assert_int_equal(misi_png_encode(px, 2, 2, 6, &c, &b, &err), MISI_E_USAGE);
    c = (misi_png_config){.level = 10, .encoder = MISI_PNG_ENCODER_LIBPNG};
    assert_int_equal(misi_png_encode(px, 2, 2, 6, &c, &b, &err), MISI_E_USAGE);
    c = (misi_png_config){.level = 1, .filter = (misi_png_filter)99};
    assert_int_equal(misi_png_encode(px, 2, 2, 6, &c, &b, &err), MISI_E_USAGE);
    /* libdeflate writes filter NONE only; asking it for another says so. */
    c = (misi_png_config){.filter = MISI_PNG_FILTER_UP, .encoder = MISI_PNG_ENCODER_LIBDEFLATE};
    assert_int_equal(misi_png_encode(px, 2, 2, 6, &c, &b, &err), MISI_E_USAGE);
    assert_contains(err.msg, "libdeflate");
    c = (misi_png_config){.idat_max = (size_t)1 << 31};
    assert_int_equal(misi_png_encode(px, 2, 2, 6, &c, &b, &err), MISI_E_USAGE);
    c = (misi_png_config){.encoder = (misi_png_encoder)7};
    assert_int_equal(misi_png_encode(px, 2, 2, 6, &c, &b, &err), MISI_E_USAGE);
    assert_int_equal(
        misi_png_encode(px, MISI_PNG_MAX_SIDE + 1, 1, (size_t)3 * (MISI_PNG_MAX_SIDE + 1), NULL, &b, &err),
        MISI_E_USAGE);
    misi_png_buf_finish(&b);
}

static void png_decode_fails_cleanly_on_bad_files(void **state)
{
    (void)state;
    uint8_t *img = make_image(64, 48, 64 * 3, 5);
    misi_png_buf b = {0};
    misi_error err = {0};
    assert_int_equal(misi_png_encode(img, 64, 48, 64 * 3, NULL, &b, &err), MISI_OK);
    uint8_t *out = NULL;
    int w, h;
    /* Not a PNG. */
    assert_int_equal(misi_png_decode("hello world", 11, &out, &w, &h, &err), MISI_E_PARSE);
    assert_contains(err.msg, "not a PNG");
    /* Every truncation fails with a parse error and leaks nothing. */
    for (size_t n = 0; n < b.len; n += n < 64 ? 1 : 97) {
        int rc = misi_png_decode(b.data, n, &out, &w, &h, &err);
        assert_int_equal(rc, MISI_E_PARSE);
        assert_null(out);
    }
    /* A flipped byte in the compressed data is caught by the CRC. */
    uint8_t *bad = malloc(b.len);
    memcpy(bad, b.data, b.len);
    bad[b.len / 2] ^= 0x55;
    assert_true(misi_png_decode(bad, b.len, &out, &w, &h, &err) < 0);
    assert_null(out);
    assert_contains(err.msg, "bad PNG");
    free(bad);
    /* Files: errors name the path. */
    assert_int_equal(misi_png_read_file("/nonexistent/x.png", &out, &w, &h, &err), MISI_E_IO);
    assert_contains(err.msg, "/nonexistent/x.png");
    char path[] = "/tmp/misi_png_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, b.data, 40), 40);
    close(fd);
    assert_int_equal(misi_png_read_file(path, &out, &w, &h, &err), MISI_E_PARSE);
    assert_contains(err.msg, path);
    unlink(path);
    misi_png_buf_finish(&b);
    free(img);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(png_round_trips_every_setting),
        cmocka_unit_test(png_encoding_is_deterministic),
        cmocka_unit_test(png_defaults_fill_only_zero_fields),
        cmocka_unit_test(png_libdeflate_decodes_to_identical_pixels),
        cmocka_unit_test(png_libdeflate_round_trips_rendered_images),
        cmocka_unit_test(png_rejects_bad_arguments),
        cmocka_unit_test(png_decode_fails_cleanly_on_bad_files),
    };
    RUN_TESTS(tests, argc, argv);
}
