/* Shared bits of the io tests (command language, PNG, writer pool, font):
 * one meson test per cmocka test, selected by name, and scratch folders. */
#ifndef MISI_TEST_IO_H
#define MISI_TEST_IO_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* meson registers each test by name; the name is the test filter. */
#define RUN_TESTS(tests, argc, argv)                                                                         \
    do {                                                                                                     \
        if ((argc) > 1)                                                                                      \
            cmocka_set_test_filter((argv)[1]);                                                               \
        return cmocka_run_group_tests(tests, NULL, NULL);                                                    \
    } while (0)

/* assert that haystack contains needle, printing both when it does not. */
#define assert_contains(haystack, needle)                                                                    \
    do {                                                                                                     \
        const char *h_ = (haystack), *n_ = (needle);                                                         \
        if (!strstr(h_, n_))                                                                                 \
            fail_msg("expected \"%s\" in \"%s\"", n_, h_);                                                   \
    } while (0)

#endif
