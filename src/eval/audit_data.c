/* misi audit's reading of a dataset (audit_internal.h): the QA records,
 * metadata.jsonl, the tar shards' index, and image statistics. Nothing here
 * reads a record's "truth". */
#include "eval/audit_internal.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "misi/answer.h"
#include "misi/fs.h"
#include "misi/png.h"
#include "misi/rng.h"
#include "misi/tar.h"

#include "eval/lines.h"

/* Datasets' JSON Lines files can be large (163k questions with prose). */
#define AUDIT_MAX_FILE_BYTES ((size_t)2 << 30)
/* A pixel is "non-black" above this channel value: antialiased edges fade
 * into the black background, so a small threshold keeps the shape. */
#define AUDIT_DARK 24

/* ---- string -> index map ---- */

static void strmap_finish(strmap *m)
{
    free(m->keys);
    free(m->val);
    memset(m, 0, sizeof *m);
}

static int strmap_grow(strmap *m)
{
    size_t ns = m->nslots ? 2 * m->nslots : 1024;
    char **k = calloc(ns, sizeof *k);
    size_t *v = calloc(ns, sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return MISI_E_NOMEM;
    }
    for (size_t i = 0; i < m->nslots; i++) {
        if (!m->keys[i])
            continue;
        size_t s = (size_t)misi_hash64(m->keys[i]) & (ns - 1);
        while (k[s])
            s = (s + 1) & (ns - 1);
        k[s] = m->keys[i];
        v[s] = m->val[i];
    }
    free(m->keys);
    free(m->val);
    m->keys = k;
    m->val = v;
    m->nslots = ns;
    return MISI_OK;
}

/* Slot of key, or the empty slot where it would go. */
static size_t strmap_slot(const strmap *m, const char *key)
{
    size_t mask = m->nslots - 1;
    size_t s = (size_t)misi_hash64(key) & mask;
    while (m->keys[s] && strcmp(m->keys[s], key))
        s = (s + 1) & mask;
    return s;
}

static bool strmap_get(const strmap *m, const char *key, size_t *val)
{
    if (!m->nslots)
        return false;
    size_t s = strmap_slot(m, key);
    if (!m->keys[s])
        return false;
    *val = m->val[s];
    return true;
}

/* Insert key (borrowed; must outlive the map) unless present. */
static int strmap_put(strmap *m, char *key, size_t val)
{
    if (2 * (m->count + 1) > m->nslots && strmap_grow(m))
        return MISI_E_NOMEM;
    size_t s = strmap_slot(m, key);
    if (!m->keys[s]) {
        m->keys[s] = key;
        m->val[s] = val;
        m->count++;
    }
    return MISI_OK;
}

void audit_dataset_finish(dataset *d)
{
    for (size_t i = 0; i < d->nq; i++) {
        question *q = &d->q[i];
        free(q->complex);
        free(q->img);
        free(q->answer);
        for (int k = 0; k < 4; k++)
            free(q->opt[k]);
    }
    free(d->q);
    for (size_t i = 0; i < d->nimg; i++) {
        free(d->img[i].path);
        free(d->img[i].st);
    }
    free(d->img);
    strmap_finish(&d->imgmap);
    for (size_t i = 0; i < d->ncol; i++)
        free(d->colnames[i]);
    for (size_t i = 0; i < d->nshards; i++) {
        free(d->shard_path[i]);
        if (d->shard_file[i])
            fclose(d->shard_file[i]);
    }
    free(d->shard_path);
    free(d->shard_file);
    misi_gold_finish(&d->gold[0]);
    misi_gold_finish(&d->gold[1]);
    free(d->qa_path[0]);
    free(d->qa_path[1]);
    memset(d, 0, sizeof *d);
}

/* Index of the image with this path, added when new. */
static int image_ref(dataset *d, const char *path, size_t *out)
{
    if (strmap_get(&d->imgmap, path, out))
        return MISI_OK;
    if (d->nimg == d->capimg) {
        size_t cap = d->capimg ? 2 * d->capimg : 256;
        image *v = realloc(d->img, cap * sizeof *v);
        if (!v)
            return MISI_E_NOMEM;
        d->img = v;
        d->capimg = cap;
    }
    image *im = &d->img[d->nimg];
    memset(im, 0, sizeof *im);
    im->shard = -1;
    if (!(im->path = strdup(path)))
        return MISI_E_NOMEM;
    /* the map borrows the key; growing d->img moves the entries but not the strings */
    if (strmap_put(&d->imgmap, im->path, d->nimg)) {
        free(im->path);
        return MISI_E_NOMEM;
    }
    *out = d->nimg++;
    return MISI_OK;
}

static long trailing_index(const char *id)
{
    const char *dash = strrchr(id, '-');
    const char *s = dash ? dash + 1 : id;
    if (!*s)
        return -1;
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < 0 ? -1 : v;
}

/* The question text with each run of digits as one '#', hashed: questions
 * whose texts differ only in numbers share a key. */
static uint64_t text_key(const char *text)
{
    size_t n = strlen(text);
    char *t = malloc(n + 1);
    if (!t)
        return 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool digit = text[i] >= '0' && text[i] <= '9';
        if (!digit)
            t[k++] = text[i];
        else if (!i || text[i - 1] < '0' || text[i - 1] > '9')
            t[k++] = '#';
    }
    t[k] = '\0';
    uint64_t h = misi_hash64(t);
    free(t);
    return h ? h : 1;
}

/* T4 names its residue in the text ("one pocket residue, SER 508 of chain
 * A"): the name's hash, 0 when the text has no such phrase. */
static uint64_t residue_key(const char *text)
{
    static const char PHRASE[] = "pocket residue, ";
    const char *p = strstr(text, PHRASE);
    if (!p)
        return 0;
    p += sizeof PHRASE - 1;
    char name[16];
    size_t k = 0;
    while (p[k] && p[k] != ' ' && k < sizeof name - 1) {
        name[k] = p[k];
        k++;
    }
    name[k] = '\0';
    uint64_t h = k ? misi_hash64(name) : 0;
    return h;
}

/* The fields the audit reads besides what the gold reader keeps: complex,
 * images, options, the question text (never truth). */
static int read_record(dataset *d, const misi_gold_item *g, const cJSON *o, int split, const char *origin,
                       misi_error *err)
{
    if (d->nq == d->capq) {
        size_t cap = d->capq ? 2 * d->capq : 256;
        question *v = realloc(d->q, cap * sizeof *v);
        if (!v)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        d->q = v;
        d->capq = cap;
    }
    question *q = &d->q[d->nq++];
    memset(q, 0, sizeof *q);
    for (int k = 0; k < 4; k++)
        q->optimg[k] = -1;
    q->g = g;
    q->task = g->task;
    q->split = split;
    q->origin = origin;
    q->line = g->line;
    q->index = trailing_index(g->id);
    const cJSON *cx = cJSON_GetObjectItemCaseSensitive(o, "complex");
    const cJSON *images = cJSON_GetObjectItemCaseSensitive(o, "images");
    const cJSON *answer = cJSON_GetObjectItemCaseSensitive(o, "answer");
    if (!cJSON_IsString(cx) || !cx->valuestring[0])
        return misi_error_at(err, MISI_E_PARSE, origin, g->line, "record '%s' has no \"complex\" string",
                             g->id);
    if (!cJSON_IsArray(images) || cJSON_GetArraySize(images) < 1)
        return misi_error_at(err, MISI_E_PARSE, origin, g->line,
                             "record '%s' has no \"images\" (a non-empty array of paths)", g->id);
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(o, "question");
    if (cJSON_IsString(text)) {
        q->text_key = text_key(text->valuestring);
        if (q->task == MISI_TASK_RESIDUE_LIGAND)
            q->residue_key = residue_key(text->valuestring);
    }
    q->complex = strdup(cx->valuestring);
    q->answer = strdup(answer->valuestring); /* the gold reader checked it is a string */
    q->nimg = (size_t)cJSON_GetArraySize(images);
    q->img = calloc(q->nimg, sizeof *q->img);
    if (!q->complex || !q->answer || !q->img)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    size_t k = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, images)
    {
        if (!cJSON_IsString(p) || !p->valuestring[0])
            return misi_error_at(err, MISI_E_PARSE, origin, g->line, "record '%s': images[%zu] is not a path",
                                 g->id, k);
        if (image_ref(d, p->valuestring, &q->img[k]))
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        k++;
    }
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(o, "options");
    if (misi_answer_task_is_mc(q->task)) {
        for (int j = 0; j < 4; j++) {
            const char key[2] = {(char)('A' + j), 0};
            const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(opts, key));
            if (!v)
                continue;
            if (!(q->opt[j] = strdup(v)))
                return misi_error_set(err, MISI_E_NOMEM, "out of memory");
            if (q->task != MISI_TASK_INTERACTION_LOCATION) {
                size_t ix;
                if (image_ref(d, v, &ix))
                    return misi_error_set(err, MISI_E_NOMEM, "out of memory");
                q->optimg[j] = (long)ix;
            }
        }
    }
    return MISI_OK;
}

/* One split's QA file; absent is not an error (a --split test run has no
 * train.jsonl), *found says whether it was there. */
static int load_split(dataset *d, int split, const char *path, bool *found, misi_error *err)
{
    *found = false;
    if (!misi_is_file(path))
        return MISI_OK;
    *found = true;
    char *text;
    size_t len;
    int rc = misi_read_file(path, AUDIT_MAX_FILE_BYTES, &text, &len, err);
    if (rc)
        return rc;
    size_t pos = 0, n;
    const char *s;
    bool any = false;
    while (eval_next_line(text, len, &pos, &s, &n))
        any |= !eval_blank(s, n);
    if (!any) {
        free(text);
        return MISI_OK;
    }
    misi_gold *g = &d->gold[split];
    rc = misi_gold_load_text(text, len, path, g, err);
    /* The gold reader kept its items in line order; walk the lines again for
     * the fields it does not keep. */
    size_t item = 0;
    long line = 0;
    pos = 0;
    while (!rc && eval_next_line(text, len, &pos, &s, &n)) {
        line++;
        if (eval_blank(s, n))
            continue;
        if (item >= g->count || g->items[item].line != line) {
            rc = misi_error_at(err, MISI_E_PARSE, path, line, "record out of step with the QA reader");
            break;
        }
        cJSON *o = cJSON_ParseWithLength(s, n);
        if (!o) {
            rc = misi_error_at(err, MISI_E_PARSE, path, line, "not a JSON object");
            break;
        }
        rc = read_record(d, &g->items[item], o, split, path, err);
        cJSON_Delete(o);
        item++;
    }
    free(text);
    return rc;
}

static int column_index(dataset *d, const char *name, size_t *out)
{
    for (size_t i = 0; i < d->ncol; i++)
        if (!strcmp(d->colnames[i], name)) {
            *out = i;
            return MISI_OK;
        }
    if (d->ncol == AUDIT_MAX_COLUMNS)
        return MISI_E_LIMIT;
    if (!(d->colnames[d->ncol] = strdup(name)))
        return MISI_E_NOMEM;
    *out = d->ncol++;
    return MISI_OK;
}

static bool numbers(const cJSON *a, double *v, int n)
{
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return false;
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, a)
    {
        if (!cJSON_IsNumber(x))
            return false;
        v[i++] = x->valuedouble;
    }
    return true;
}

/* metadata.jsonl as shipped: every column but file_name and complex, for
 * the images the questions use; a tar dataset's shards.jsonl in its place
 * (its shard column says where an image is, in the images' order, and is
 * left out like file_name). Absent file: no columns. */
static int load_metadata(dataset *d, misi_error *err)
{
    char *path = misi_path_join(d->dir, "metadata.jsonl");
    if (path && !misi_is_file(path)) {
        free(path);
        path = misi_path_join(d->dir, "shards.jsonl");
    }
    if (!path)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    if (!misi_is_file(path)) {
        free(path);
        return MISI_OK;
    }
    char *text;
    size_t len;
    int rc = misi_read_file(path, AUDIT_MAX_FILE_BYTES, &text, &len, err);
    size_t pos = 0, n;
    const char *s;
    long line = 0;
    while (!rc && eval_next_line(text, len, &pos, &s, &n)) {
        line++;
        if (eval_blank(s, n))
            continue;
        cJSON *o = cJSON_ParseWithLength(s, n);
        const char *fn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "file_name"));
        if (!cJSON_IsObject(o) || !fn) {
            rc = misi_error_at(err, MISI_E_PARSE, path, line,
                               "expected a JSON object with a \"file_name\" string");
            cJSON_Delete(o);
            break;
        }
        size_t ix;
        if (strmap_get(&d->imgmap, fn, &ix)) {
            image *im = &d->img[ix];
            im->has_meta = true;
            const cJSON *c;
            cJSON_ArrayForEach(c, o)
            {
                if (!c->string || !strcmp(c->string, "file_name") || !strcmp(c->string, "complex") ||
                    !strcmp(c->string, "shard"))
                    continue;
                size_t col;
                int crc = column_index(d, c->string, &col);
                if (crc == MISI_E_LIMIT)
                    continue; /* more columns than we track: the first ones are audited */
                char *v = crc ? NULL : cJSON_PrintUnformatted(c);
                if (!v) {
                    rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                    break;
                }
                im->col[col] = misi_hash64(v) | 1; /* never 0: 0 is "absent" */
                free(v);
            }
            im->has_pose = numbers(cJSON_GetObjectItemCaseSensitive(o, "rotation"), im->rot, 9) &&
                           numbers(cJSON_GetObjectItemCaseSensitive(o, "translation"), im->trans, 3);
            const cJSON *ppa = cJSON_GetObjectItemCaseSensitive(o, "px_per_angstrom");
            im->has_scale = cJSON_IsNumber(ppa);
            if (im->has_scale)
                im->px_per_a = ppa->valuedouble;
            d->any_pose |= im->has_pose;
            d->any_scale |= im->has_scale;
        }
        cJSON_Delete(o);
    }
    free(text);
    free(path);
    return rc;
}

/* ---- tar shards ---- */

/* Index the members of shards/images-*.tar that the questions use. A shard
 * is a ustar stream (src/pipeline/assemble.c writes it): member names are
 * the images' paths. */
static int index_shards(dataset *d, misi_error *err)
{
    char *dir = misi_path_join(d->dir, "shards");
    if (!dir)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    if (!misi_is_dir(dir)) {
        free(dir);
        return MISI_OK;
    }
    int rc = MISI_OK;
    /* shards/images-000000.tar ... in order; scanning stops at the first gap */
    for (int k = 0; !rc; k++) {
        char name[64];
        snprintf(name, sizeof name, "images-%06d.tar", k);
        char *path = misi_path_join(dir, name);
        if (!path) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
            break;
        }
        if (!misi_is_file(path)) {
            free(path);
            break;
        }
        char **pv = realloc(d->shard_path, (d->nshards + 1) * sizeof *pv);
        if (pv)
            d->shard_path = pv;
        FILE **fv = pv ? realloc(d->shard_file, (d->nshards + 1) * sizeof *fv) : NULL;
        if (fv)
            d->shard_file = fv;
        if (!pv || !fv) {
            free(path);
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
            break;
        }
        size_t si = d->nshards++;
        d->shard_path[si] = path;
        d->shard_file[si] = fopen(path, "rb");
        FILE *f = d->shard_file[si];
        if (!f) {
            rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot open this shard");
            break;
        }
        unsigned long long off = 0;
        for (;;) {
            char h[512];
            if (fread(h, 1, sizeof h, f) != sizeof h) {
                rc = misi_error_at(err, MISI_E_PARSE, path, 0, "truncated tar header at byte %llu", off);
                break;
            }
            if (h[0] == '\0')
                break; /* end-of-archive blocks */
            bool ok;
            unsigned long long size = misi_tar_octal((const unsigned char *)h + 124, 12, &ok);
            if (!ok) {
                rc = misi_error_at(err, MISI_E_PARSE, path, 0, "bad tar member size at byte %llu", off);
                break;
            }
            char member[256];
            size_t nl = strnlen(h, 100);
            if (!memcmp(h + 257, "ustar", 5) && h[345]) {
                size_t pl = strnlen(h + 345, 155);
                snprintf(member, sizeof member, "%.*s/%.*s", (int)pl, h + 345, (int)nl, h);
            } else {
                snprintf(member, sizeof member, "%.*s", (int)nl, h);
            }
            size_t ix;
            if ((h[156] == '0' || h[156] == '\0') && strmap_get(&d->imgmap, member, &ix)) {
                d->img[ix].shard = (int)si;
                d->img[ix].off = off + 512;
                d->img[ix].len = size;
            }
            unsigned long long skip = (size + 511) / 512 * 512;
            off += 512 + skip;
            if (fseeko(f, (off_t)off, SEEK_SET)) {
                rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot seek to byte %llu", off);
                break;
            }
        }
    }
    free(dir);
    return rc;
}

/* ---- image statistics ---- */

static void stats_of(const uint8_t *rgb, int w, int h, img_stats *st)
{
    memset(st, 0, sizeof *st);
    double sx = 0, sy = 0, cnt = 0;
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    double *cell = calloc(AUDIT_THUMB * AUDIT_THUMB, sizeof *cell);
    double *cellw = calloc(AUDIT_THUMB * AUDIT_THUMB, sizeof *cellw);
    for (int y = 0; y < h; y++) {
        const uint8_t *row = rgb + (size_t)y * 3 * (size_t)w;
        int ty = (int)((long long)y * AUDIT_THUMB / h);
        for (int x = 0; x < w; x++) {
            const uint8_t *p = row + 3 * x;
            int mx = p[0] > p[1] ? p[0] : p[1];
            mx = mx > p[2] ? mx : p[2];
            if (cell) {
                int tx = (int)((long long)x * AUDIT_THUMB / w);
                cell[ty * AUDIT_THUMB + tx] += (p[0] + p[1] + p[2]) / (3.0 * 255.0);
                cellw[ty * AUDIT_THUMB + tx] += 1;
            }
            if (mx <= AUDIT_DARK)
                continue;
            cnt++;
            sx += x;
            sy += y;
            if (x < x0)
                x0 = x;
            if (x > x1)
                x1 = x;
            if (y < y0)
                y0 = y;
            if (y > y1)
                y1 = y;
        }
    }
    st->frac = cnt / ((double)w * (double)h);
    if (cnt > 0) {
        int side = w > h ? w : h;
        int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
        st->extent = (double)(bw > bh ? bw : bh) / side;
        st->cx = (sx / cnt + 0.5) / w;
        st->cy = 1.0 - (sy / cnt + 0.5) / h;
    } else {
        st->cx = st->cy = 0.5;
    }
    if (cell)
        for (int i = 0; i < AUDIT_THUMB * AUDIT_THUMB; i++)
            st->thumb[i] = cellw[i] > 0 ? (float)(cell[i] / cellw[i]) : 0.0f;
    free(cell);
    free(cellw);
}

/* Statistics of image ix, decoding it the first time. The error names the
 * image and the record that asked for it. */
int audit_image_stats(dataset *d, size_t ix, const question *q, const img_stats **out, misi_error *err)
{
    image *im = &d->img[ix];
    if (im->st) {
        *out = im->st;
        return MISI_OK;
    }
    void *data = NULL;
    size_t len = 0;
    int rc = MISI_OK;
    if (im->shard >= 0) {
        FILE *f = d->shard_file[im->shard];
        if (im->len > ((size_t)1 << 30))
            return misi_error_at(err, MISI_E_LIMIT, d->shard_path[im->shard], 0, "member %s is too large",
                                 im->path);
        len = (size_t)im->len;
        data = malloc(len ? len : 1);
        if (!data)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        if (fseeko(f, (off_t)im->off, SEEK_SET) || fread(data, 1, len, f) != len)
            rc =
                misi_error_at(err, MISI_E_IO, d->shard_path[im->shard], 0, "cannot read member %s", im->path);
    } else {
        char *path = misi_path_join(d->dir, im->path);
        if (!path)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        if (!misi_is_file(path))
            rc = misi_error_at(err, MISI_E_IO, q->origin, q->line,
                               "image %s is neither in the folder nor in a shards/images-*.tar", im->path);
        else
            rc = misi_read_file(path, (size_t)1 << 30, (char **)&data, &len, err);
        free(path);
    }
    uint8_t *rgb = NULL;
    int w = 0, h = 0;
    if (!rc) {
        misi_error e2;
        misi_error_clear(&e2);
        rc = misi_png_decode(data, len, &rgb, &w, &h, &e2);
        if (rc)
            rc = misi_error_at(err, rc, q->origin, q->line, "image %s: %s", im->path, e2.msg);
    }
    free(data);
    if (rc)
        return rc;
    im->st = malloc(sizeof *im->st);
    if (!im->st) {
        free(rgb);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    stats_of(rgb, w, h, im->st);
    free(rgb);
    *out = im->st;
    return MISI_OK;
}

int audit_dataset_load(dataset *d, const char *dir, const bool want[2], misi_error *err)
{
    memset(d, 0, sizeof *d);
    d->dir = dir;
    int rc = MISI_OK;
    bool found[2] = {false, false};
    static const char *const FILES[2] = {"train.jsonl", "test.jsonl"};
    for (int sp = 0; !rc && sp < 2; sp++) {
        if (!want[sp])
            continue;
        d->qa_path[sp] = misi_path_join(dir, FILES[sp]);
        if (!d->qa_path[sp])
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        rc = load_split(d, sp, d->qa_path[sp], &found[sp], err);
    }
    if (!rc && !found[0] && !found[1])
        rc = misi_error_set(err, MISI_E_IO, "%s: no %s (is it a dataset made by misi generate?)", dir,
                            want[0] && want[1] ? "train.jsonl or test.jsonl"
                            : want[0]          ? "train.jsonl"
                                               : "test.jsonl");
    if (!rc)
        rc = load_metadata(d, err);
    if (!rc)
        rc = index_shards(d, err);
    return rc;
}
