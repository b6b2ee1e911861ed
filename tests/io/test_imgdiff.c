/* Pixel differences (misi compare, the GPU run kit): the figures follow
 * their definitions on hand-made images. */
#include "io_test.h"

#include <math.h>

#include "misi/imgdiff.h"

static void image_diff_counts_max_mean_and_fractions(void **state)
{
    (void)state;
    uint8_t a[4 * 3] = {0}, b[4 * 3] = {0};
    misi_image_diff d = {0};
    misi_image_diff_add(&d, a, b, 2, 2);
    assert_int_equal(d.pixels, 4);
    assert_int_equal(d.differing, 0);
    assert_int_equal(d.max_abs, 0);
    /* pixel 1: one channel off by 2 (differs, not visibly); pixel 3: 200
     * and 10 (visibly). */
    b[3 + 1] = 2;
    a[9 + 0] = 200;
    b[9 + 2] = 10;
    misi_image_diff e = {0};
    misi_image_diff_add(&e, a, b, 2, 2);
    assert_int_equal(e.differing, 2);
    assert_int_equal(e.visible, 1);
    assert_int_equal(e.max_abs, 200);
    assert_int_equal(e.sum_abs, 212);
    assert_true(fabs((misi_image_diff_mean(&e)) - (212.0 / 12.0)) <= 1e-12);
    assert_true(fabs((misi_image_diff_fraction(&e)) - (0.5)) <= 1e-12);
    assert_true(fabs((misi_image_diff_visible_fraction(&e)) - (0.25)) <= 1e-12);
    /* Merging sums the counts and keeps the largest difference. */
    misi_image_diff_merge(&d, &e);
    assert_int_equal(d.pixels, 8);
    assert_int_equal(d.differing, 2);
    assert_int_equal(d.max_abs, 200);
    assert_true(fabs((misi_image_diff_fraction(&d)) - (0.25)) <= 1e-12);
    misi_image_diff z = {0};
    assert_true(fabs((misi_image_diff_mean(&z)) - (0.0)) <= 0.0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(image_diff_counts_max_mean_and_fractions),
    };
    RUN_TESTS(tests, argc, argv);
}
