/* Shared bits of the score tests: one meson test per cmocka test, selected
 * by name, and the fixture folder. */
#ifndef MISI_TEST_SCORE_H
#define MISI_TEST_SCORE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define RUN_TESTS(tests, argc, argv)                                                                         \
    do {                                                                                                     \
        if ((argc) > 1)                                                                                      \
            cmocka_set_test_filter((argv)[1]);                                                               \
        return cmocka_run_group_tests(tests, NULL, NULL);                                                    \
    } while (0)

#define assert_contains(haystack, needle)                                                                    \
    do {                                                                                                     \
        const char *h_ = (haystack), *n_ = (needle);                                                         \
        if (!strstr(h_, n_))                                                                                 \
            fail_msg("expected \"%s\" in \"%s\"", n_, h_);                                                   \
    } while (0)

#define assert_near(a, b, tol)                                                                               \
    do {                                                                                                     \
        double a_ = (a), b_ = (b);                                                                           \
        if (!(a_ >= b_ - (tol) && a_ <= b_ + (tol)))                                                         \
            fail_msg("%s = %.6f, expected %.6f", #a, a_, b_);                                                \
    } while (0)

/* tests/score/fixtures/<name> under MISI_SOURCE_ROOT (set by meson). */
static inline void fixture_path(char *buf, size_t cap, const char *name)
{
    const char *root = getenv("MISI_SOURCE_ROOT");
    snprintf(buf, cap, "%s/tests/score/fixtures/%s", root ? root : ".", name);
}

#endif
