/* misi preview (misi/preview.h): a question's sheet composed on the CPU from
 * the dataset's records and images (loose files, or tar shard members read
 * through verify.h's index) and text drawn with the label font's atlas. */
#include "misi/preview.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "misi/answer.h"
#include "misi/font.h"
#include "misi/fs.h"
#include "pipeline/verify.h"

#define DEFAULT_COUNT 3
#define MIN_TILE 8
#define MAX_TILE 4096
#define MAX_IMAGES 64 /* a question has at most 11 */
#define MAX_IMAGE_BYTES ((size_t)256 << 20)
#define MAX_SHEET_PIXELS ((size_t)1 << 26) /* 192 MiB of RGB */

/* Layout, in pixels. The text column is at least MIN_TEXT_W wide (a
 * one-image question still reads as prose) and at most MAX_TEXT_W (long
 * lines under a wide grid are hard to follow). */
#define MARGIN 20
#define GAP 12
#define CAPTION_GAP 4
#define PARA_GAP 10
#define TITLE_PX 20.0f
#define BODY_PX 15.0f
#define MIN_TEXT_W 640
#define MAX_TEXT_W 1000

static const uint8_t WHITE = 255;
static const uint8_t INK[3] = {20, 20, 20};
static const uint8_t GREY[3] = {100, 100, 100};
static const uint8_t ANSWER_INK[3] = {0, 110, 40};
static const uint8_t RULE[3] = {190, 190, 190};

typedef struct image {
    uint8_t *rgb; /* w * h * 3, scaled to the tile */
    int w, h;
} image;

typedef struct question {
    char *id, *task, *split, *complex, *text, *answer;
    int task_number;
    size_t nimages;
    char *images[MAX_IMAGES];
    char *options[4];           /* "A: ..." lines as shown; NULL when absent */
    char option_of[MAX_IMAGES]; /* 'A'-'D' when image k is that option, else 0 */
    image img[MAX_IMAGES];
} question;

typedef struct sheet {
    misi_font_atlas *title, *body;
    uint8_t *rgb; /* NULL while measuring */
    int w, h;
    size_t stride;
    int rc; /* MISI_E_NOMEM from drawing text */
} sheet;

static void question_free(question *q)
{
    free(q->id), free(q->task), free(q->split), free(q->complex), free(q->text), free(q->answer);
    for (size_t i = 0; i < q->nimages; i++)
        free(q->images[i]), free(q->img[i].rgb);
    for (int k = 0; k < 4; k++)
        free(q->options[k]);
    memset(q, 0, sizeof *q);
}

/* ---- records ---- */

/* The string member key of o, copied into *out; an error naming the line
 * when it is missing or not a string. */
static int take_string(const cJSON *o, const char *key, const char *path, long line, char **out,
                       misi_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsString(v))
        return misi_error_at(err, MISI_E_PARSE, path, line, "expected a string \"%s\" in the question record",
                             key);
    if (!(*out = strdup(v->valuestring)))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    return MISI_OK;
}

/* The fields a sheet shows, from one record. */
static int read_question(const cJSON *o, const char *path, long line, question *q, misi_error *err)
{
    int rc;
    if ((rc = take_string(o, "id", path, line, &q->id, err)) ||
        (rc = take_string(o, "task", path, line, &q->task, err)) ||
        (rc = take_string(o, "split", path, line, &q->split, err)) ||
        (rc = take_string(o, "complex", path, line, &q->complex, err)) ||
        (rc = take_string(o, "question", path, line, &q->text, err)) ||
        (rc = take_string(o, "answer", path, line, &q->answer, err)))
        return rc;
    const cJSON *num = cJSON_GetObjectItemCaseSensitive(o, "task_number");
    q->task_number = cJSON_IsNumber(num) ? num->valueint : misi_answer_task_number(q->task);
    const cJSON *imgs = cJSON_GetObjectItemCaseSensitive(o, "images");
    int n = cJSON_IsArray(imgs) ? cJSON_GetArraySize(imgs) : -1;
    if (n < 1 || n > MAX_IMAGES)
        return misi_error_at(err, MISI_E_PARSE, path, line,
                             "question %s: expected \"images\", an array of 1 to %d image paths", q->id,
                             MAX_IMAGES);
    const cJSON *it;
    cJSON_ArrayForEach(it, imgs)
    {
        if (!cJSON_IsString(it))
            return misi_error_at(err, MISI_E_PARSE, path, line, "question %s: an image path is not a string",
                                 q->id);
        if (!(q->images[q->nimages] = strdup(it->valuestring)))
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        q->nimages++;
    }
    /* Cloze tasks' records hold "options": null (one type per field). */
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(o, "options");
    if (cJSON_IsNull(opts))
        opts = NULL;
    if (opts && !cJSON_IsObject(opts))
        return misi_error_at(err, MISI_E_PARSE, path, line, "question %s: \"options\" is not an object or null",
                             q->id);
    for (int k = 0; opts && k < 4; k++) {
        char letter[2] = {(char)('A' + k), 0};
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(opts, letter);
        if (!v)
            continue;
        if (!cJSON_IsString(v))
            return misi_error_at(err, MISI_E_PARSE, path, line, "question %s: option %s is not a string",
                                 q->id, letter);
        /* T5/T6 options are images of the question: name them as it does */
        char buf[64];
        const char *shown = v->valuestring;
        for (size_t i = 0; i < q->nimages; i++) {
            if (!strcmp(q->images[i], v->valuestring)) {
                snprintf(buf, sizeof buf, "Image %zu", i + 1);
                q->option_of[i] = letter[0];
                shown = buf;
                break;
            }
        }
        size_t len = strlen(shown) + 4;
        if (!(q->options[k] = malloc(len)))
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        snprintf(q->options[k], len, "%s: %s", letter, shown);
    }
    return MISI_OK;
}

/* The files a search reads, for messages. */
static const char *searched(const misi_preview_config *cfg)
{
    return !cfg->split                  ? "train.jsonl or test.jsonl"
           : strcmp(cfg->split, "test") ? "train.jsonl"
                                        : "test.jsonl";
}

static bool has_file(const char *dir, const char *name)
{
    char *path = misi_path_join(dir, name);
    bool yes = path && misi_is_file(path);
    free(path);
    return yes;
}

/* Find the questions cfg asks for in dataset/<split>.jsonl, in file order
 * (train before test). *nq counts them. */
static int find_questions(const char *dataset, const misi_preview_config *cfg, const char *task, int count,
                          question *qs, size_t *nq, misi_error *err)
{
    static const char *const splits[] = {"train", "test"};
    const char *want = cfg->id ? cfg->id : task;
    size_t files = 0;
    int rc = MISI_OK;
    char *buf = NULL;
    size_t cap = 0;
    *nq = 0;
    for (int s = 0; s < 2 && !rc && *nq < (size_t)count; s++) {
        if (cfg->split && strcmp(cfg->split, splits[s]))
            continue;
        char name[16];
        snprintf(name, sizeof name, "%s.jsonl", splits[s]);
        char *path = misi_path_join(dataset, name);
        if (!path)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        FILE *f = fopen(path, "rb");
        if (!f) {
            if (errno != ENOENT)
                rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot open: %s", strerror(errno));
            free(path);
            continue;
        }
        files++;
        ssize_t n;
        long line = 0;
        /* Streamed: a paper-scale split is hundreds of MB. Only lines that
         * hold the id or task name are parsed. */
        while (!rc && *nq < (size_t)count && (n = getline(&buf, &cap, f)) >= 0) {
            line++;
            if (!strstr(buf, want))
                continue;
            cJSON *o = cJSON_ParseWithLength(buf, (size_t)n);
            if (!cJSON_IsObject(o)) {
                cJSON_Delete(o);
                rc = misi_error_at(err, MISI_E_PARSE, path, line,
                                   "expected one JSON object (a question record)");
                break;
            }
            const cJSON *key = cJSON_GetObjectItemCaseSensitive(o, cfg->id ? "id" : "task");
            if (cJSON_IsString(key) && !strcmp(key->valuestring, want))
                rc = read_question(o, path, line, &qs[(*nq)++], err);
            cJSON_Delete(o);
        }
        if (!rc && ferror(f))
            rc = misi_error_at(err, MISI_E_IO, path, 0, "read error: %s", strerror(errno));
        fclose(f);
        free(path);
    }
    free(buf);
    if (rc)
        return rc;
    if (files == 0 && cfg->split &&
        has_file(dataset, strcmp(cfg->split, "test") ? "test.jsonl" : "train.jsonl"))
        return misi_error_at(err, MISI_E_USAGE, dataset, 0, "the dataset has no %s split (no %s.jsonl)",
                             cfg->split, cfg->split);
    if (files == 0)
        return misi_error_at(err, MISI_E_IO, dataset, 0, "not a misi dataset: no %s", searched(cfg));
    if (*nq == 0 && cfg->id)
        return misi_error_at(err, MISI_E_USAGE, dataset, 0,
                             "no question with id '%s' in %s (ids look like 1cs4-translation-train-0; "
                             "--task TASK shows a task's first questions)",
                             cfg->id, searched(cfg));
    if (*nq == 0)
        return misi_error_at(err, MISI_E_USAGE, dataset, 0, "no question of task %s in %s", task,
                             searched(cfg));
    return MISI_OK;
}

/* ---- images ---- */

/* Area-average resampling of RGB8 sw x sh to dw x dh in integers (exact and
 * the same on every machine): output pixel x covers source [x*sw/dw,
 * (x+1)*sw/dw), each source pixel weighted by how much of it it covers. */
static uint8_t *resample(const uint8_t *src, int sw, int sh, int dw, int dh)
{
    uint32_t *rows = malloc((size_t)dw * (size_t)sh * 3 * sizeof *rows);
    uint8_t *dst = malloc((size_t)dw * (size_t)dh * 3);
    if (!rows || !dst) {
        free(rows);
        free(dst);
        return NULL;
    }
    /* horizontally: sums of weight sw per output pixel */
    for (int y = 0; y < sh; y++) {
        const uint8_t *s = src + (size_t)y * (size_t)sw * 3;
        uint32_t *r = rows + (size_t)y * (size_t)dw * 3;
        for (int x = 0; x < dw; x++) {
            uint64_t a = (uint64_t)x * (uint64_t)sw, b = a + (uint64_t)sw; /* in units of 1/dw source pixel */
            uint32_t acc[3] = {0, 0, 0};
            for (uint64_t j = a / (uint64_t)dw; j * (uint64_t)dw < b; j++) {
                uint64_t lo = j * (uint64_t)dw > a ? j * (uint64_t)dw : a;
                uint64_t hi = (j + 1) * (uint64_t)dw < b ? (j + 1) * (uint64_t)dw : b;
                for (int k = 0; k < 3; k++)
                    acc[k] += (uint32_t)(hi - lo) * s[j * 3 + (uint64_t)k];
            }
            memcpy(r + (size_t)x * 3, acc, sizeof acc);
        }
    }
    /* vertically: weights sum to sh, so each sum is over sw * sh */
    uint64_t total = (uint64_t)sw * (uint64_t)sh;
    for (int y = 0; y < dh; y++) {
        uint64_t a = (uint64_t)y * (uint64_t)sh, b = a + (uint64_t)sh;
        for (int x = 0; x < dw * 3; x++) {
            uint64_t acc = 0;
            for (uint64_t j = a / (uint64_t)dh; j * (uint64_t)dh < b; j++) {
                uint64_t lo = j * (uint64_t)dh > a ? j * (uint64_t)dh : a;
                uint64_t hi = (j + 1) * (uint64_t)dh < b ? (j + 1) * (uint64_t)dh : b;
                acc += (hi - lo) * rows[j * (uint64_t)dw * 3 + (uint64_t)x];
            }
            dst[(size_t)y * (size_t)dw * 3 + (size_t)x] = (uint8_t)((acc + total / 2) / total);
        }
    }
    free(rows);
    return dst;
}

/* The bytes of the image rel: a file below the dataset (never through a
 * link), else a member of its tar shards. */
static int image_bytes(const char *dataset, misi_shard_index **ix, const char *rel, const char *qid,
                       char **data, size_t *len, misi_error *err)
{
    *data = NULL;
    *len = 0;
    int fd = misi_open_beneath(dataset, rel, 0);
    if (fd < 0 && errno == EINVAL)
        return misi_error_at(err, MISI_E_PARSE, dataset, 0,
                             "question %s: image path '%s' is not a relative path inside the dataset", qid,
                             rel);
    if (fd < 0 && errno != ENOENT && errno != ENOTDIR)
        return misi_error_at(err, MISI_E_IO, dataset, 0, "question %s: cannot open image %s: %s", qid, rel,
                             strerror(errno));
    if (fd < 0) {
        misi_error inner = {0};
        int rc = misi_shard_member_read(dataset, ix, rel, MAX_IMAGE_BYTES, data, len, &inner);
        if (rc == MISI_E_IO)
            return misi_error_at(err, rc, dataset, 0,
                                 "question %s: image %s is neither a file of the dataset nor a member of its "
                                 "shards/images-*.tar",
                                 qid, rel);
        if (rc)
            return misi_error_set(err, rc, "%s", inner.msg);
        return MISI_OK;
    }
    struct stat st;
    int rc = MISI_OK;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = misi_error_at(err, MISI_E_IO, dataset, 0, "question %s: image %s is not a regular file", qid,
                           rel);
    else if ((size_t)st.st_size > MAX_IMAGE_BYTES)
        rc = misi_error_at(err, MISI_E_LIMIT, dataset, 0, "question %s: image %s is over %zu bytes", qid, rel,
                           MAX_IMAGE_BYTES);
    else if (!(*data = malloc(st.st_size ? (size_t)st.st_size : 1)))
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory for image %s", rel);
    size_t got = 0;
    while (!rc && got < (size_t)st.st_size) {
        ssize_t n = read(fd, *data + got, (size_t)st.st_size - got);
        if (n <= 0) {
            rc = misi_error_at(err, MISI_E_IO, dataset, 0, "question %s: cannot read image %s", qid, rel);
            break;
        }
        got += (size_t)n;
    }
    close(fd);
    if (rc) {
        free(*data);
        *data = NULL;
        return rc;
    }
    *len = got;
    return MISI_OK;
}

/* Decode question image k and scale it so its longer side is tile (0: as
 * it is). */
static int load_image(const char *dataset, misi_shard_index **ix, question *q, size_t k, int tile,
                      misi_error *err)
{
    char *data;
    size_t len;
    int rc = image_bytes(dataset, ix, q->images[k], q->id, &data, &len, err);
    if (rc)
        return rc;
    misi_error inner = {0};
    image *im = &q->img[k];
    rc = misi_png_decode(data, len, &im->rgb, &im->w, &im->h, &inner);
    free(data);
    if (rc)
        return misi_error_at(err, rc, dataset, 0, "question %s: image %s: %s", q->id, q->images[k],
                             inner.msg);
    if (!tile || (im->w >= im->h ? im->w : im->h) == tile)
        return MISI_OK;
    int dw = im->w >= im->h ? tile : (int)(((long long)im->w * tile + im->h / 2) / im->h);
    int dh = im->w >= im->h ? (int)(((long long)im->h * tile + im->w / 2) / im->w) : tile;
    dw = dw < 1 ? 1 : dw;
    dh = dh < 1 ? 1 : dh;
    uint8_t *scaled = resample(im->rgb, im->w, im->h, dw, dh);
    if (!scaled)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory scaling image %s", q->images[k]);
    free(im->rgb);
    im->rgb = scaled;
    im->w = dw;
    im->h = dh;
    return MISI_OK;
}

/* ---- text ---- */

/* The text as the atlas can draw it: ASCII, one '?' per other character,
 * control characters but '\n' as spaces. malloc'd. */
static char *ascii_of(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            if (*p >= 0xC0 || p == (const unsigned char *)s || p[-1] < 0x80)
                *o++ = '?'; /* a lead byte (or a stray continuation byte) */
            continue;
        }
        *o++ = (*p < 32 && *p != '\n') ? ' ' : (char)*p;
    }
    *o = '\0';
    return out;
}

static float advance_of(const misi_font_atlas *f, char *s, size_t n)
{
    char keep = s[n];
    s[n] = '\0';
    misi_text_box box;
    misi_text_layout(f, s, NULL, 0, &box);
    s[n] = keep;
    return box.advance;
}

static void draw_line(sheet *s, const misi_font_atlas *f, char *text, size_t n, int x, int baseline,
                      const uint8_t col[3])
{
    if (!s->rgb || s->rc)
        return;
    char keep = text[n];
    text[n] = '\0';
    s->rc = misi_text_draw_rgb(f, text, x, baseline, col, s->rgb, s->w, s->h, s->stride);
    text[n] = keep;
}

static int ceil_px(float v)
{
    int i = (int)v;
    return (float)i < v ? i + 1 : i;
}

/* Word-wrap text into lines of at most width pixels (lines after the first
 * indented by indent), drawn from top y when the sheet has pixels. A word
 * wider than a line is cut between characters. Returns the height. */
static int text_block(sheet *s, const misi_font_atlas *f, const char *utf8, int x, int y, int width,
                      int indent, const uint8_t col[3])
{
    char *t = ascii_of(utf8);
    if (!t) {
        s->rc = MISI_E_NOMEM;
        return 0;
    }
    int lh = ceil_px(f->line_height), asc = ceil_px(f->ascent), lines = 0;
    char *p = t;
    while (*p) {
        int avail = width - (lines ? indent : 0);
        size_t end = 0, j = 0;
        for (;;) {
            size_t k = j;
            while (p[k] == ' ')
                k++;
            if (!p[k] || p[k] == '\n')
                break;
            while (p[k] && p[k] != ' ' && p[k] != '\n')
                k++;
            if (advance_of(f, p, k) > (float)avail) {
                if (end == 0) { /* one word longer than the line */
                    end = 1;
                    while (end < k && advance_of(f, p, end + 1) <= (float)avail)
                        end++;
                }
                break;
            }
            end = j = k;
        }
        draw_line(s, f, p, end, x + (lines ? indent : 0), y + lines * lh + asc, col);
        lines++;
        p += end;
        while (*p == ' ')
            p++;
        if (*p == '\n')
            p++;
    }
    free(t);
    return lines * lh;
}

/* ---- the sheet ---- */

static int grid_cols(size_t n)
{
    return n <= 4 ? (int)n : n <= 6 ? 3 : 4;
}

typedef struct grid {
    int cols, rows, cell_w, img_h, row_h, w;
} grid;

/* The caption under image k: "Image n", and the option it is, if any. */
static void caption(const question *q, size_t k, char *buf, size_t cap)
{
    if (q->option_of[k])
        snprintf(buf, cap, "Image %zu (%c)", k + 1, q->option_of[k]);
    else
        snprintf(buf, cap, "Image %zu", k + 1);
}

static grid grid_of(const sheet *s, const question *q)
{
    grid g = {.cols = grid_cols(q->nimages)};
    g.rows = (int)((q->nimages + (size_t)g.cols - 1) / (size_t)g.cols);
    for (size_t k = 0; k < q->nimages; k++) {
        /* a caption wider than a small image widens its column */
        char cap[32];
        caption(q, k, cap, sizeof cap);
        int cw = ceil_px(advance_of(s->body, cap, strlen(cap)));
        int w = q->img[k].w > cw ? q->img[k].w : cw;
        g.cell_w = w > g.cell_w ? w : g.cell_w;
        g.img_h = q->img[k].h > g.img_h ? q->img[k].h : g.img_h;
    }
    g.row_h = g.img_h + CAPTION_GAP + ceil_px(s->body->line_height);
    g.w = g.cols * g.cell_w + (g.cols - 1) * GAP;
    return g;
}

static int text_width(int grid_w)
{
    return grid_w < MIN_TEXT_W ? MIN_TEXT_W : grid_w > MAX_TEXT_W ? MAX_TEXT_W : grid_w;
}

static int panel_width(const sheet *s, const question *q)
{
    int gw = grid_of(s, q).w, tw = text_width(gw);
    return 2 * MARGIN + (gw > tw ? gw : tw);
}

static void blit(sheet *s, const image *im, int x, int y)
{
    for (int r = 0; r < im->h; r++)
        memcpy(s->rgb + (size_t)(y + r) * s->stride + (size_t)x * 3, im->rgb + (size_t)r * (size_t)im->w * 3,
               (size_t)im->w * 3);
}

/* Lay out (and, with pixels, draw) one question's panel with its top-left
 * at (x0, y0); returns its height. */
static int panel(sheet *s, const question *q, int x0, int y0, bool answer)
{
    grid g = grid_of(s, q);
    int tw = text_width(g.w), x = x0 + MARGIN, y = y0 + MARGIN;
    y += text_block(s, s->title, q->id, x, y, tw, 0, INK);
    char line[256];
    snprintf(line, sizeof line, "T%d %s | %s split | complex %s", q->task_number, q->task, q->split,
             q->complex);
    y += text_block(s, s->body, line, x, y, tw, 0, GREY) + PARA_GAP;
    for (size_t k = 0; k < q->nimages; k++) {
        int cx = x + (int)(k % (size_t)g.cols) * (g.cell_w + GAP),
            cy = y + (int)(k / (size_t)g.cols) * (g.row_h + GAP);
        const image *im = &q->img[k];
        if (s->rgb)
            blit(s, im, cx + (g.cell_w - im->w) / 2, cy + (g.img_h - im->h) / 2);
        char cap[32];
        caption(q, k, cap, sizeof cap);
        int cw = ceil_px(advance_of(s->body, cap, strlen(cap)));
        draw_line(s, s->body, cap, strlen(cap), cx + (g.cell_w - cw) / 2,
                  cy + g.img_h + CAPTION_GAP + ceil_px(s->body->ascent), GREY);
    }
    y += g.rows * g.row_h + (g.rows - 1) * GAP + PARA_GAP;
    y += text_block(s, s->body, q->text, x, y, tw, 0, INK);
    int indent = ceil_px(advance_of(s->body, (char[]){"A: "}, 3));
    bool any = false;
    for (int k = 0; k < 4; k++) {
        if (!q->options[k])
            continue;
        if (!any)
            y += PARA_GAP;
        any = true;
        y += text_block(s, s->body, q->options[k], x, y, tw, indent, INK);
    }
    if (answer) {
        char *a = malloc(strlen(q->answer) + 9);
        if (!a) {
            s->rc = MISI_E_NOMEM;
            return 0;
        }
        sprintf(a, "Answer: %s", q->answer);
        y += PARA_GAP;
        y += text_block(s, s->body, a, x, y, tw, indent, ANSWER_INK);
        free(a);
    }
    return y + MARGIN - y0;
}

/* Measure, allocate, draw: the panels one under the other with a rule
 * between them. */
static int compose(sheet *s, const question *qs, size_t nq, bool answer, misi_error *err)
{
    int w = 0, h = 0;
    for (size_t i = 0; i < nq; i++) {
        int pw = panel_width(s, &qs[i]);
        w = pw > w ? pw : w;
        h += panel(s, &qs[i], 0, 0, answer) + (i ? 1 : 0);
        if (s->rc)
            return misi_error_set(err, s->rc, "out of memory laying out the sheet");
    }
    if (w > MISI_PNG_MAX_SIDE || h > MISI_PNG_MAX_SIDE || (size_t)w * (size_t)h > MAX_SHEET_PIXELS)
        return misi_error_set(
            err, MISI_E_LIMIT,
            "the sheet would be %dx%d pixels, more than %zu; ask for smaller images (--tile) or "
            "fewer questions (--count)",
            w, h, MAX_SHEET_PIXELS);
    s->w = w, s->h = h, s->stride = (size_t)w * 3;
    if (!(s->rgb = malloc(s->stride * (size_t)h)))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory for a %dx%d sheet", w, h);
    memset(s->rgb, WHITE, s->stride * (size_t)h);
    int y = 0;
    for (size_t i = 0; i < nq; i++) {
        if (i) {
            for (int x = 0; x < w; x++)
                memcpy(s->rgb + (size_t)y * s->stride + (size_t)x * 3, RULE, 3);
            y++;
        }
        y += panel(s, &qs[i], 0, y, answer);
    }
    if (s->rc)
        return misi_error_set(err, s->rc, "out of memory drawing the sheet");
    return MISI_OK;
}

/* The title and body sizes of the label font (or of font). */
static int load_fonts(sheet *s, const char *font, misi_error *err)
{
    int rc = misi_font_atlas_create(&(misi_font_config){.path = font, .px = TITLE_PX}, &s->title, err);
    if (!rc)
        rc = misi_font_atlas_create(&(misi_font_config){.path = font, .px = BODY_PX}, &s->body, err);
    if (rc == MISI_E_IO && !(font && *font) && !getenv("MISI_FONT") && err) {
        size_t n = strlen(err->msg);
        snprintf(
            err->msg + n, sizeof err->msg - n,
            " (misi's label font: install Debian's fonts-dejavu-core, or give a TrueType file with --font or "
            "$MISI_FONT)");
    }
    return rc;
}

/* The task's canonical name from a name or number, or NULL. */
static const char *task_name(const char *w)
{
    char *end;
    long n = strtol(w, &end, 10);
    int t = end != w && !*end ? (n >= 1 && n <= MISI_TASK_MAX ? (int)n : 0) : misi_answer_task_number(w);
    return t ? misi_answer_task_name(t) : NULL;
}

static int check_config(const misi_preview_config *c, misi_error *err)
{
    if (!!c->id == !!c->task)
        return misi_error_set(err, MISI_E_USAGE,
                              "a sheet shows one question id or the questions of one task");
    if (c->id && !*c->id)
        return misi_error_set(err, MISI_E_USAGE, "empty question id");
    if (c->count < 0 || c->count > MISI_PREVIEW_MAX_COUNT)
        return misi_error_set(err, MISI_E_USAGE, "count %d: expected 1 to %d questions", c->count,
                              MISI_PREVIEW_MAX_COUNT);
    if (c->split && strcmp(c->split, "train") && strcmp(c->split, "test"))
        return misi_error_set(err, MISI_E_USAGE, "split '%s': expected train or test", c->split);
    if (c->tile && (c->tile < MIN_TILE || c->tile > MAX_TILE))
        return misi_error_set(err, MISI_E_USAGE, "tile %d px: expected %d to %d", c->tile, MIN_TILE,
                              MAX_TILE);
    if (c->task && !task_name(c->task)) {
        char names[256] = "";
        for (int t = 1; t <= MISI_TASK_MAX; t++) {
            size_t n = strlen(names);
            snprintf(names + n, sizeof names - n, "%s%s", t > 1 ? ", " : "", misi_answer_task_name(t));
        }
        return misi_error_set(err, MISI_E_USAGE, "unknown task '%s': expected one of %s (or 1-9)", c->task,
                              names);
    }
    return MISI_OK;
}

int misi_preview_sheet(const char *dataset, const misi_preview_config *cfg, misi_png_buf *png, size_t *shown,
                       misi_error *err)
{
    misi_preview_config c = cfg ? *cfg : (misi_preview_config){0};
    if (shown)
        *shown = 0;
    if (!dataset || !png)
        return misi_error_set(err, MISI_E_USAGE, "misi_preview_sheet: NULL dataset or png");
    int rc = check_config(&c, err);
    if (rc)
        return rc;
    if (!misi_is_dir(dataset))
        return misi_error_at(err, MISI_E_IO, dataset, 0,
                             "not a folder (expected a dataset made by misi generate)");
    const char *task = c.task ? task_name(c.task) : NULL;
    int count = c.id ? 1 : c.count ? c.count : DEFAULT_COUNT;
    question *qs = calloc((size_t)count, sizeof *qs);
    size_t nq = 0;
    misi_shard_index *ix = NULL;
    sheet s = {0};
    if (!qs)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    rc = find_questions(dataset, &c, task, count, qs, &nq, err);
    for (size_t i = 0; !rc && i < nq; i++)
        for (size_t k = 0; !rc && k < qs[i].nimages; k++)
            rc = load_image(dataset, &ix, &qs[i], k, c.tile, err);
    if (!rc)
        rc = load_fonts(&s, c.font, err);
    if (!rc)
        rc = compose(&s, qs, nq, !c.hide_answer, err);
    if (!rc)
        rc = misi_png_encode(s.rgb, s.w, s.h, s.stride, NULL, png, err);
    if (!rc && shown)
        *shown = nq;
    free(s.rgb);
    misi_font_atlas_destroy(s.title);
    misi_font_atlas_destroy(s.body);
    misi_shard_index_destroy(ix);
    for (size_t i = 0; i < nq; i++)
        question_free(&qs[i]);
    free(qs);
    return rc;
}

int misi_preview_write(const char *dataset, const misi_preview_config *cfg, const char *path, size_t *shown,
                       misi_error *err)
{
    misi_png_buf png = {0};
    int rc = misi_preview_sheet(dataset, cfg, &png, shown, err);
    if (!rc)
        rc = misi_mkdir_parents(path, err);
    if (!rc)
        rc = misi_write_file_atomic(path, png.data, png.len, err);
    misi_png_buf_finish(&png);
    return rc;
}
