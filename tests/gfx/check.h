/* A tiny assertion macro for the plain-C gfx tests: count failures, go on. */
#ifndef MISI_GFX_CHECK_H
#define MISI_GFX_CHECK_H
#include <stdio.h>

static int failures;
#define CHECK(c, ...)                                                                                        \
    do {                                                                                                     \
        if (!(c)) {                                                                                          \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                             \
            fprintf(stderr, __VA_ARGS__);                                                                    \
            fputc('\n', stderr);                                                                             \
            failures++;                                                                                      \
        }                                                                                                    \
    } while (0)
#define CHECK_DONE() (failures ? (fprintf(stderr, "%d failures\n", failures), 1) : 0)
#endif
