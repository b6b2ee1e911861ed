/* PNG encoding of 8-bit RGB into memory, tuned for speed on our images:
 * mostly black background with small coloured molecules. Two encoders: by
 * default libdeflate compresses the image data in one call and we write the
 * few chunks around it (signature, IHDR, IDAT, IEND); libpng with zlib stays
 * for the PNG filters and zlib strategies. Plus a decoder (libpng) that reads
 * any PNG back as RGB, for tests and tools.
 *
 * Output is deterministic: no time or text chunks, so the same pixels and
 * config give the same bytes. docs/png.md has the measurements behind the
 * defaults. */
#ifndef MISI_PNG_H
#define MISI_PNG_H

#include <stddef.h>
#include <stdint.h>

#include "misi/error.h"

typedef enum misi_png_filter {
    MISI_PNG_FILTER_DEFAULT = 0, /* the measured default (docs/png.md) */
    MISI_PNG_FILTER_NONE,
    MISI_PNG_FILTER_SUB,
    MISI_PNG_FILTER_UP,
    MISI_PNG_FILTER_AVG,
    MISI_PNG_FILTER_PAETH,
    MISI_PNG_FILTER_ADAPTIVE, /* libpng chooses per row among all five */
} misi_png_filter;

typedef enum misi_png_strategy {
    MISI_PNG_STRATEGY_DEFAULT = 0, /* the measured default (docs/png.md) */
    MISI_PNG_STRATEGY_ZLIB,        /* Z_DEFAULT_STRATEGY */
    MISI_PNG_STRATEGY_FILTERED,
    MISI_PNG_STRATEGY_RLE,
    MISI_PNG_STRATEGY_HUFFMAN_ONLY,
} misi_png_strategy;

typedef enum misi_png_encoder {
    MISI_PNG_ENCODER_DEFAULT = 0, /* libdeflate, or libpng when filter/strategy need it */
    MISI_PNG_ENCODER_LIBDEFLATE,  /* filter NONE and the normal strategy only */
    MISI_PNG_ENCODER_LIBPNG,      /* libpng + zlib: every filter and strategy */
} misi_png_encoder;

/* Level for "no compression" (0 in the config means default). */
#define MISI_PNG_LEVEL_STORE (-1)

/* Zero means default everywhere. */
typedef struct misi_png_config {
    int level; /* libdeflate 1..12 or zlib 1..9; MISI_PNG_LEVEL_STORE = none; 0 = default */
    misi_png_filter filter;
    misi_png_strategy strategy;
    misi_png_encoder encoder;
    size_t idat_max; /* libdeflate: most data bytes in one IDAT chunk; 0 = 1 GiB (libpng: 64 KiB) */
} misi_png_config;

/* The defaults misi_png_config_defaults fills in: libdeflate at level 2, no
 * PNG filter. On our renders it takes ~2.5 ms CPU per 512x512 image for
 * ~138 KB, against zlib level 1's 3.7 ms and 134 KB (the earlier default,
 * still what {.encoder = MISI_PNG_ENCODER_LIBPNG} gives); libdeflate level 5
 * matches zlib's bytes in 2.8 ms. Filters cost time and, on flat colours
 * with hard edges and text, make the data less repetitive. Numbers and the
 * command in docs/png.md. */
#define MISI_PNG_DEFAULT_LEVEL 2
#define MISI_PNG_DEFAULT_ZLIB_LEVEL 1 /* for the libpng encoder */
#define MISI_PNG_DEFAULT_FILTER MISI_PNG_FILTER_NONE
#define MISI_PNG_DEFAULT_STRATEGY MISI_PNG_STRATEGY_ZLIB
#define MISI_PNG_DEFAULT_IDAT_MAX ((size_t)1 << 30)

/* Fill the zero fields of c with the defaults. The encoder is filled first:
 * libdeflate, unless filter or strategy asks for what only libpng does. */
void misi_png_config_defaults(misi_png_config *c);

/* A growable byte buffer. Zero-initialise; the encoder reuses its capacity,
 * so a worker that keeps one buffer allocates only while images grow. It
 * also keeps the libdeflate encoder's state (compressor tables and the
 * filtered rows) between images, so keep one per thread. Release with
 * misi_png_buf_finish. */
typedef struct misi_png_buf {
    uint8_t *data;
    size_t len, cap;
    struct misi_png_state *state; /* encoder state, owned; NULL until the first libdeflate encode */
} misi_png_buf;

void misi_png_buf_finish(misi_png_buf *b);

/* Largest side we encode or decode (pixels). */
#define MISI_PNG_MAX_SIDE 65536

/* Encode width x height RGB8 pixels (rows top first, stride bytes apart,
 * stride >= 3 * width) as a PNG into out, replacing its contents (out->len
 * is the file size). cfg may be NULL (all defaults). Returns 0,
 * MISI_E_USAGE (bad size/stride/config), MISI_E_NOMEM or MISI_E_IO (libpng
 * failure, with its message). Thread-safe: no shared state (one out per
 * thread at a time). */
int misi_png_encode(const uint8_t *rgb, int width, int height, size_t stride, const misi_png_config *cfg,
                    misi_png_buf *out, misi_error *err);

/* Decode a PNG from memory into tight RGB8 (stride 3 * width, rows top
 * first); grey, palette, 16-bit and alpha are converted (alpha dropped, not
 * composited). *rgb is malloc'd; the caller frees it. MISI_E_PARSE for a
 * bad file, MISI_E_LIMIT for sides over MISI_PNG_MAX_SIDE. */
int misi_png_decode(const void *data, size_t len, uint8_t **rgb, int *width, int *height, misi_error *err);

/* misi_png_decode of a file (errors name the path). */
int misi_png_read_file(const char *path, uint8_t **rgb, int *width, int *height, misi_error *err);

#endif
