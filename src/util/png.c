/* PNG encode (RGB8 into memory) with libdeflate or libpng, and decode (any
 * PNG to RGB8) with libpng.
 *
 * The libdeflate path writes the container itself: the signature, IHDR, the
 * zlib stream of the filtered rows in IDAT chunks, IEND, each chunk with its
 * CRC-32. libdeflate compresses a whole buffer in one call, which is what
 * makes it fast, so the rows (each behind its filter byte) are first copied
 * into one buffer kept in misi_png_buf's state.
 *
 * libpng reports errors by longjmp. Each entry point keeps everything the
 * error path needs in a context struct in memory (never in locals changed
 * after setjmp), and the setjmp frame is the only one libpng jumps to, so no
 * frame of ours is skipped with live resources. */
#include "misi/png.h"

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <libdeflate.h>
#include <png.h>

#include "misi/fs.h"

void misi_png_config_defaults(misi_png_config *c)
{
    if (c->encoder == MISI_PNG_ENCODER_DEFAULT) {
        bool plain = (c->filter == MISI_PNG_FILTER_DEFAULT || c->filter == MISI_PNG_FILTER_NONE) &&
                     (c->strategy == MISI_PNG_STRATEGY_DEFAULT || c->strategy == MISI_PNG_STRATEGY_ZLIB);
        c->encoder = plain ? MISI_PNG_ENCODER_LIBDEFLATE : MISI_PNG_ENCODER_LIBPNG;
    }
    if (c->level == 0)
        c->level =
            c->encoder == MISI_PNG_ENCODER_LIBPNG ? MISI_PNG_DEFAULT_ZLIB_LEVEL : MISI_PNG_DEFAULT_LEVEL;
    if (c->filter == MISI_PNG_FILTER_DEFAULT)
        c->filter = MISI_PNG_DEFAULT_FILTER;
    if (c->strategy == MISI_PNG_STRATEGY_DEFAULT)
        c->strategy = MISI_PNG_DEFAULT_STRATEGY;
    if (c->idat_max == 0)
        c->idat_max = MISI_PNG_DEFAULT_IDAT_MAX;
}

/* What the libdeflate encoder keeps between images of one buffer: a
 * compressor allocates and clears hash tables of a few hundred KiB, more
 * than compressing a small image costs, and the filtered rows are an
 * image-sized buffer whose pages would be faulted in again each time. */
struct misi_png_state {
    struct libdeflate_compressor *comp;
    int comp_level;
    uint8_t *rows;
    size_t rows_cap;
};

void misi_png_buf_finish(misi_png_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    if (b->state) {
        libdeflate_free_compressor(b->state->comp);
        free(b->state->rows);
        free(b->state);
        b->state = NULL;
    }
}

/* Shared by encoder and decoder: where libpng's words go before the jump. */
typedef struct png_ctx {
    char msg[256];
    int code; /* misi_status for the failure */
    /* encode */
    misi_png_buf *out;
    /* decode */
    const uint8_t *src;
    size_t src_len, src_pos;
    uint8_t *pixels;
    png_bytep *rows;
} png_ctx;

static void on_error(png_structp png, png_const_charp msg)
{
    png_ctx *ctx = png_get_error_ptr(png);
    if (ctx->code == MISI_OK)
        ctx->code = MISI_E_IO;
    snprintf(ctx->msg, sizeof ctx->msg, "%s", msg ? msg : "libpng error");
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
    (void)png, (void)msg; /* warnings (e.g. unknown chunks) do not change the result */
}

static void write_fn(png_structp png, png_bytep data, size_t len)
{
    png_ctx *ctx = png_get_io_ptr(png);
    misi_png_buf *b = ctx->out;
    if (len > SIZE_MAX - b->len) {
        ctx->code = MISI_E_LIMIT;
        png_error(png, "encoded image larger than the address space");
    }
    if (b->len + len > b->cap) {
        size_t cap = b->cap ? b->cap : 65536;
        while (cap < b->len + len)
            cap = cap > SIZE_MAX / 2 ? b->len + len : cap * 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d) {
            ctx->code = MISI_E_NOMEM;
            png_error(png, "out of memory for the encoded image");
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

static void flush_fn(png_structp png)
{
    (void)png;
}

static int filter_flags(misi_png_filter f)
{
    switch (f) {
    case MISI_PNG_FILTER_NONE:
        return PNG_FILTER_NONE;
    case MISI_PNG_FILTER_SUB:
        return PNG_FILTER_SUB;
    case MISI_PNG_FILTER_UP:
        return PNG_FILTER_UP;
    case MISI_PNG_FILTER_AVG:
        return PNG_FILTER_AVG;
    case MISI_PNG_FILTER_PAETH:
        return PNG_FILTER_PAETH;
    case MISI_PNG_FILTER_ADAPTIVE:
        return PNG_ALL_FILTERS;
    default:
        return -1;
    }
}

static int zlib_strategy(misi_png_strategy s)
{
    switch (s) {
    case MISI_PNG_STRATEGY_ZLIB:
        return Z_DEFAULT_STRATEGY;
    case MISI_PNG_STRATEGY_FILTERED:
        return Z_FILTERED;
    case MISI_PNG_STRATEGY_RLE:
        return Z_RLE;
    case MISI_PNG_STRATEGY_HUFFMAN_ONLY:
        return Z_HUFFMAN_ONLY;
    default:
        return -1;
    }
}

/* The libpng calls; returns 0 or 1 after a longjmp (ctx says why). Nothing
 * here lives across the jump except png/info, which the caller frees. */
static int encode_rows(png_structp png, png_infop info, png_ctx *ctx, const uint8_t *rgb, int width,
                       int height, size_t stride, const misi_png_config *c)
{
    if (setjmp(png_jmpbuf(png)))
        return 1;
    png_set_write_fn(png, ctx, write_fn, flush_fn);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, filter_flags(c->filter));
    png_set_compression_level(png, c->level == MISI_PNG_LEVEL_STORE ? 0 : c->level);
    png_set_compression_strategy(png, zlib_strategy(c->strategy));
    /* Bigger IDAT chunks: fewer zlib flushes and chunk CRCs per image. */
    png_set_compression_buffer_size(png, 1u << 16);
    png_write_info(png, info);
    for (int y = 0; y < height; y++)
        png_write_row(png, rgb + (size_t)y * stride);
    png_write_end(png, info);
    return 0;
}

/* ---- libdeflate: the container written here ---- */

static uint8_t *put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

/* Complete the chunk whose 4-byte length starts at p (its type and len data
 * bytes are in place): length before, CRC-32 of type and data after. Returns
 * the end of the chunk. */
static uint8_t *close_chunk(uint8_t *p, size_t len)
{
    put_be32(p, (uint32_t)len);
    uint32_t crc = libdeflate_crc32(0, p + 4, len + 4);
    return put_be32(p + 8 + len, crc);
}

static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* Room for n bytes in b (contents not kept). */
static int reserve_buf(uint8_t **data, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    uint8_t *d = realloc(*data, n);
    if (!d)
        return -1;
    *data = d;
    *cap = n;
    return 0;
}

static int encode_libdeflate(const uint8_t *rgb, int width, int height, size_t stride,
                             const misi_png_config *c, misi_png_buf *out, misi_error *err)
{
    if (!out->state && !(out->state = calloc(1, sizeof *out->state)))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for the PNG encoder");
    struct misi_png_state *st = out->state;
    int level = c->level == MISI_PNG_LEVEL_STORE ? 0 : c->level;
    if (!st->comp || st->comp_level != level) {
        libdeflate_free_compressor(st->comp);
        st->comp = libdeflate_alloc_compressor(level);
        st->comp_level = level;
        if (!st->comp)
            return misi_error_set(err, MISI_E_NOMEM, "cannot create a libdeflate compressor (level %d)",
                                  level);
    }

    /* Filter NONE: each row behind a 0 byte. Sides <= 65536, so the raw
     * size (< 2^35) fits a 64-bit size_t; a 32-bit one is checked. */
    size_t row = (size_t)width * 3;
    if ((size_t)height > (SIZE_MAX / 2) / (row + 1))
        return misi_error_set(err, MISI_E_LIMIT, "PNG %dx%d is too large for memory", width, height);
    size_t raw = (row + 1) * (size_t)height;
    if (reserve_buf(&st->rows, &st->rows_cap, raw))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a %dx%d PNG", width, height);
    for (int y = 0; y < height; y++) {
        uint8_t *d = st->rows + (size_t)y * (row + 1);
        d[0] = 0;
        memcpy(d + 1, rgb + (size_t)y * stride, row);
    }

    /* Layout: signature, IHDR (13 bytes of data), then the zlib stream
     * compressed straight into the first IDAT's data, later spread over as
     * many IDAT chunks as idat_max asks, then IEND. */
    size_t bound = libdeflate_zlib_compress_bound(st->comp, raw);
    size_t chunk = c->idat_max;
    size_t nchunks_max = bound / chunk + 1;
    size_t head = 8 + 25, total_max;
    if (nchunks_max > (SIZE_MAX - bound - head - 12) / 12)
        return misi_error_set(err, MISI_E_LIMIT, "PNG %dx%d is too large for memory", width, height);
    total_max = head + bound + 12 * nchunks_max + 12;
    if (reserve_buf(&out->data, &out->cap, total_max))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a %dx%d PNG", width, height);

    uint8_t *p = out->data;
    memcpy(p, png_signature, 8);
    uint8_t *ihdr = p + 8;
    memcpy(ihdr + 4, "IHDR", 4);
    uint8_t *q = put_be32(ihdr + 8, (uint32_t)width);
    q = put_be32(q, (uint32_t)height);
    q[0] = 8; /* bit depth */
    q[1] = 2; /* colour type: RGB */
    q[2] = 0; /* compression: deflate */
    q[3] = 0; /* filter method 0 */
    q[4] = 0; /* no interlace */
    close_chunk(ihdr, 13);

    uint8_t *z = out->data + head + 8;
    size_t zlen = libdeflate_zlib_compress(st->comp, st->rows, raw, z, bound);
    if (zlen == 0)
        return misi_error_set(err, MISI_E_IO, "libdeflate: compressed image larger than its bound");

    /* Spread the stream over chunks of at most `chunk` bytes, last chunk
     * first: chunk i's data moves from z + i * chunk to 12 * i bytes
     * further, never over data not yet moved. */
    size_t n = zlen / chunk + (zlen % chunk != 0);
    for (size_t i = n; i-- > 0;) {
        size_t off = i * chunk, len = zlen - off < chunk ? zlen - off : chunk;
        uint8_t *c0 = out->data + head + i * (chunk + 12);
        memmove(c0 + 8, z + off, len);
        memcpy(c0 + 4, "IDAT", 4);
        close_chunk(c0, len);
    }
    uint8_t *iend = out->data + head + zlen + 12 * n;
    memcpy(iend + 4, "IEND", 4);
    close_chunk(iend, 0);
    out->len = (size_t)(iend + 12 - out->data);
    return MISI_OK;
}

int misi_png_encode(const uint8_t *rgb, int width, int height, size_t stride, const misi_png_config *cfg,
                    misi_png_buf *out, misi_error *err)
{
    if (!rgb || !out)
        return misi_error_set(err, MISI_E_USAGE, "misi_png_encode: NULL argument");
    if (width <= 0 || height <= 0 || width > MISI_PNG_MAX_SIDE || height > MISI_PNG_MAX_SIDE)
        return misi_error_set(err, MISI_E_USAGE, "PNG size %dx%d: expected sides 1-%d", width, height,
                              MISI_PNG_MAX_SIDE);
    if (stride < (size_t)width * 3)
        return misi_error_set(err, MISI_E_USAGE, "PNG stride %zu is less than 3 * width (%zu)", stride,
                              (size_t)width * 3);
    misi_png_config c = cfg ? *cfg : (misi_png_config){0};
    misi_png_config_defaults(&c);
    if (c.encoder == MISI_PNG_ENCODER_LIBDEFLATE) {
        if (c.level < MISI_PNG_LEVEL_STORE || c.level > 12 || c.filter != MISI_PNG_FILTER_NONE ||
            c.strategy != MISI_PNG_STRATEGY_ZLIB || c.idat_max > 0x7fffffffu)
            return misi_error_set(err, MISI_E_USAGE,
                                  "PNG config: libdeflate takes levels 1-12, filter NONE and the normal "
                                  "strategy, IDAT chunks up to 2^31-1 bytes (got level %d, filter %d, "
                                  "strategy %d, IDAT %zu)",
                                  c.level, (int)c.filter, (int)c.strategy, c.idat_max);
        out->len = 0;
        int rc = encode_libdeflate(rgb, width, height, stride, &c, out, err);
        if (rc != MISI_OK)
            out->len = 0;
        return rc;
    }
    if (c.encoder != MISI_PNG_ENCODER_LIBPNG || c.level < MISI_PNG_LEVEL_STORE || c.level > 9 ||
        filter_flags(c.filter) < 0 || zlib_strategy(c.strategy) < 0)
        return misi_error_set(err, MISI_E_USAGE,
                              "PNG config: encoder %d, level %d, filter %d, strategy %d not supported",
                              (int)c.encoder, c.level, (int)c.filter, (int)c.strategy);

    png_ctx ctx = {.out = out};
    out->len = 0;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!png)
        return misi_error_set(err, MISI_E_NOMEM, "cannot create a PNG writer");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return misi_error_set(err, MISI_E_NOMEM, "cannot create a PNG writer");
    }
    int failed = encode_rows(png, info, &ctx, rgb, width, height, stride, &c);
    png_destroy_write_struct(&png, &info);
    if (failed) {
        out->len = 0;
        return misi_error_set(err, ctx.code, "PNG encoding failed: %s", ctx.msg);
    }
    return MISI_OK;
}

static void read_fn(png_structp png, png_bytep data, size_t len)
{
    png_ctx *ctx = png_get_io_ptr(png);
    if (len > ctx->src_len - ctx->src_pos) {
        ctx->code = MISI_E_PARSE;
        png_error(png, "file ends early (truncated PNG)");
    }
    memcpy(data, ctx->src + ctx->src_pos, len);
    ctx->src_pos += len;
}

/* The libpng read calls; results go to ctx (pixels) and w/h. */
static int decode_rows(png_structp png, png_infop info, png_ctx *ctx, int *width, int *height)
{
    if (setjmp(png_jmpbuf(png)))
        return 1;
    ctx->code = MISI_E_PARSE; /* libpng errors while reading mean a bad file */
    png_set_read_fn(png, ctx, read_fn);
    png_set_user_limits(png, MISI_PNG_MAX_SIDE, MISI_PNG_MAX_SIDE);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int type = png_get_color_type(png, info);
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_strip_alpha(png);
    if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
        png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * 3) {
        ctx->code = MISI_E_INVALID;
        png_error(png, "unexpected row size after conversion to RGB");
    }
    size_t bytes = (size_t)w * 3 * h; /* w, h <= 65536: no overflow on 64-bit size_t */
    ctx->pixels = malloc(bytes ? bytes : 1);
    ctx->rows = malloc(sizeof *ctx->rows * (h ? h : 1));
    if (!ctx->pixels || !ctx->rows) {
        ctx->code = MISI_E_NOMEM;
        png_error(png, "out of memory for the decoded image");
    }
    for (png_uint_32 y = 0; y < h; y++)
        ctx->rows[y] = ctx->pixels + (size_t)y * w * 3;
    png_read_image(png, ctx->rows);
    png_read_end(png, NULL);
    *width = (int)w;
    *height = (int)h;
    return 0;
}

int misi_png_decode(const void *data, size_t len, uint8_t **rgb, int *width, int *height, misi_error *err)
{
    if (!data || !rgb || !width || !height)
        return misi_error_set(err, MISI_E_USAGE, "misi_png_decode: NULL argument");
    *rgb = NULL;
    *width = *height = 0;
    if (len < 8 || png_sig_cmp(data, 0, 8) != 0)
        return misi_error_set(err, MISI_E_PARSE, "not a PNG file (bad signature)");
    png_ctx ctx = {.src = data, .src_len = len};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &ctx, on_error, on_warning);
    if (!png)
        return misi_error_set(err, MISI_E_NOMEM, "cannot create a PNG reader");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return misi_error_set(err, MISI_E_NOMEM, "cannot create a PNG reader");
    }
    int w = 0, h = 0;
    int failed = decode_rows(png, info, &ctx, &w, &h);
    png_destroy_read_struct(&png, &info, NULL);
    free(ctx.rows);
    if (failed) {
        free(ctx.pixels);
        int code = ctx.code;
        if (strstr(ctx.msg, "user limit") || strstr(ctx.msg, "too large"))
            code = MISI_E_LIMIT;
        return misi_error_set(err, code, "bad PNG: %s", ctx.msg);
    }
    *rgb = ctx.pixels;
    *width = w;
    *height = h;
    return MISI_OK;
}

int misi_png_read_file(const char *path, uint8_t **rgb, int *width, int *height, misi_error *err)
{
    char *data = NULL;
    size_t len = 0;
    int rc = misi_read_file(path, (size_t)1 << 30, &data, &len, err);
    if (rc != MISI_OK)
        return rc;
    misi_error inner = {0};
    rc = misi_png_decode(data, len, rgb, width, height, &inner);
    free(data);
    if (rc != MISI_OK)
        return misi_error_at(err, rc, path, 0, "%s", inner.msg);
    return MISI_OK;
}
