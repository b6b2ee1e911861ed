/* PNG settings benchmark: encode a realistic 512x512 picture (black
 * background, shaded spheres, labels) with each libdeflate level and each
 * libpng level x filter x strategy, and print bytes and CPU time per image.
 * Not a test: prints figures only.
 *
 *   bench_png [image.png ...]   measure these images instead (e.g. real renders)
 *   env BENCH_PNG_REPS=N        encodes per setting (default 40)
 *   env BENCH_PNG_ONLY=LIST     only these, e.g. "deflate/2,zlib/1/none/rle,zlib/1/up/rle"
 *   env BENCH_PNG_DUMP=FILE     also write the first synthetic image there */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "misi/png.h"
#include "synth_image.h"

/* Thread CPU time: robust to other work on a shared machine, and what the
 * writer pool's threads pay per image. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int nimg = argc > 1 ? argc - 1 : 4;
    uint8_t **img = calloc((size_t)nimg, sizeof *img);
    int *w = calloc((size_t)nimg, sizeof *w), *h = calloc((size_t)nimg, sizeof *h);
    misi_font_atlas *font = NULL;
    misi_error err = {0};
    if (argc <= 1 && misi_font_atlas_create(&(misi_font_config){.px = 13}, &font, &err) != MISI_OK)
        fprintf(stderr, "no labels: %s\n", err.msg);
    for (int i = 0; i < nimg; i++) {
        if (argc > 1) {
            if (misi_png_read_file(argv[i + 1], &img[i], &w[i], &h[i], &err) != MISI_OK) {
                fprintf(stderr, "%s\n", err.msg);
                return 1;
            }
        } else {
            w[i] = h[i] = 512;
            img[i] = malloc(512 * 512 * 3);
            synth_image(img[i], 512, 512, (uint32_t)i + 1, font);
        }
    }
    misi_font_atlas_destroy(font);
    if (getenv("BENCH_PNG_DUMP") && argc <= 1) {
        misi_png_buf b = {0};
        misi_png_encode(img[0], 512, 512, 512 * 3, NULL, &b, NULL);
        FILE *f = fopen(getenv("BENCH_PNG_DUMP"), "wb");
        if (f) {
            fwrite(b.data, 1, b.len, f);
            fclose(f);
        }
        misi_png_buf_finish(&b);
    }

    int reps = getenv("BENCH_PNG_REPS") ? atoi(getenv("BENCH_PNG_REPS")) : 40;
    if (reps < 1)
        reps = 1;
    static const int levels[] = {MISI_PNG_LEVEL_STORE, 1, 2, 3, 6};
    static const char *fname[] = {"", "none", "sub", "up", "avg", "paeth", "adaptive"};
    static const char *sname[] = {"", "default", "filtered", "rle", "huffman"};
    size_t raw = 0;
    for (int i = 0; i < nimg; i++)
        raw += (size_t)w[i] * (size_t)h[i] * 3;
    printf("# %d image(s), %zu raw bytes each on average, %d reps, median CPU ms per image\n", nimg,
           raw / (size_t)nimg, reps);
    printf("%-8s %-6s %-9s %-9s %10s %8s %8s\n", "encoder", "level", "filter", "strategy", "bytes", "ratio", "ms");
    /* All settings interleaved within each rep, so a change in machine load
     * during the run hits every setting alike; medians over reps. */
    enum { MAXSET = 128 };
    misi_png_config set[MAXSET];
    size_t nset = 0, bytes[MAXSET] = {0};
    const char *only = getenv("BENCH_PNG_ONLY"); /* e.g. "deflate/2,zlib/1/none/rle" */
    static const int dlevels[] = {MISI_PNG_LEVEL_STORE, 1, 2, 3, 4, 5, 6, 9, 12};
    for (size_t li = 0; li < sizeof dlevels / sizeof *dlevels; li++) {
        char key[64];
        snprintf(key, sizeof key, "deflate/%d,", dlevels[li] < 0 ? 0 : dlevels[li]);
        char list[512];
        snprintf(list, sizeof list, "%s,", only ? only : "");
        if (only && !strstr(list, key))
            continue;
        set[nset++] = (misi_png_config){.level = dlevels[li], .encoder = MISI_PNG_ENCODER_LIBDEFLATE};
    }
    for (size_t li = 0; li < sizeof levels / sizeof *levels; li++)
        for (int f = MISI_PNG_FILTER_NONE; f <= MISI_PNG_FILTER_ADAPTIVE; f++)
            for (int s = MISI_PNG_STRATEGY_ZLIB; s <= MISI_PNG_STRATEGY_HUFFMAN_ONLY; s++) {
                if (levels[li] == MISI_PNG_LEVEL_STORE &&
                    (f != MISI_PNG_FILTER_NONE || s != MISI_PNG_STRATEGY_ZLIB))
                    continue;
                char key[64];
                snprintf(key, sizeof key, "zlib/%d/%s/%s", levels[li] < 0 ? 0 : levels[li], fname[f], sname[s]);
                if (only && !strstr(only, key))
                    continue;
                set[nset++] = (misi_png_config){.level = levels[li], .filter = (misi_png_filter)f,
                                                .strategy = (misi_png_strategy)s,
                                                .encoder = MISI_PNG_ENCODER_LIBPNG};
            }
    double *t = malloc(sizeof *t * (size_t)reps * nset);
    misi_png_buf buf = {0};
    for (int r = 0; r < reps; r++)
        for (size_t k = 0; k < nset; k++) {
            double t0 = now_s();
            size_t b = 0;
            for (int i = 0; i < nimg; i++) {
                if (misi_png_encode(img[i], w[i], h[i], (size_t)w[i] * 3, &set[k], &buf, &err) != MISI_OK) {
                    fprintf(stderr, "%s\n", err.msg);
                    return 1;
                }
                b += buf.len;
            }
            bytes[k] = b;
            t[k * (size_t)reps + (size_t)r] = (now_s() - t0) / nimg;
        }
    for (size_t k = 0; k < nset; k++) {
        double *tk = t + k * (size_t)reps;
        qsort(tk, (size_t)reps, sizeof *tk, cmp_d);
        bool d = set[k].encoder == MISI_PNG_ENCODER_LIBDEFLATE;
        printf("%-8s %-6d %-9s %-9s %10zu %8.1f %8.3f\n", d ? "deflate" : "zlib", set[k].level < 0 ? 0 : set[k].level,
               d ? "none" : fname[set[k].filter], d ? "-" : sname[set[k].strategy], bytes[k] / (size_t)nimg,
               (double)raw / (double)bytes[k], tk[reps / 2] * 1e3);
    }
    misi_png_buf_finish(&buf);
    free(t);
    for (int i = 0; i < nimg; i++)
        free(img[i]);
    free(img);
    free(w);
    free(h);
    return 0;
}
