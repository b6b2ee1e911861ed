/* PNG encode/decode: lossless round trips for every setting, determinism,
 * clean failures on bad input. */
#include "io_test.h"

#include <unistd.h>

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
                misi_png_config c = {levels[li], (misi_png_filter)f, (misi_png_strategy)s};
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
    misi_png_config d = {6, MISI_PNG_FILTER_PAETH, MISI_PNG_STRATEGY_ZLIB};
    misi_png_config_defaults(&d);
    assert_int_equal(d.level, 6);
    assert_int_equal(d.filter, MISI_PNG_FILTER_PAETH);
    assert_int_equal(d.strategy, MISI_PNG_STRATEGY_ZLIB);
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
    misi_png_config c = {10, 0, 0};
    assert_int_equal(misi_png_encode(px, 2, 2, 6, &c, &b, &err), MISI_E_USAGE);
    c = (misi_png_config){1, (misi_png_filter)99, 0};
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
        cmocka_unit_test(png_rejects_bad_arguments),
        cmocka_unit_test(png_decode_fails_cleanly_on_bad_files),
    };
    RUN_TESTS(tests, argc, argv);
}
