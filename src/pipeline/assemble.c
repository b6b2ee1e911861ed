/* The final files of a dataset, made from per-complex parts in source order
 * (assemble.h). Everything here is sequential and ordered by part index and
 * record order, so the bytes never depend on how the parts were made. */
#include "pipeline/assemble.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "misi/fs.h"
#include "misi/generate.h"
#include "misi/record.h"
#include "misi/sha256.h"
#include "misi/tar.h"
#include "misi/tasks.h"
#include "misi_config.h"

typedef struct part_ref {
    long index;
    size_t dir;
    char *name;
} part_ref;

typedef struct image_ent {
    char *path;
    char sha[65];
    double bytes;
    size_t dir;   /* where the file lives */
    bool known;   /* sha/bytes/dir come from a part that wrote it */
    bool emitted; /* listed in metadata.jsonl */
} image_ent;

/* Every image the parts name, once. The entries are a dense array in the
 * order first seen, found by path through an open-addressing table of
 * indices: at the paper's scale (602,870 images) that is ≈ 100 MB, where a
 * table of whole entries at half load held ≈ 250 MB at the final assembly.
 * An index into e stays valid as the map grows; a pointer does not. */
typedef struct image_map {
    image_ent *e;
    size_t n, cape;
    uint32_t *slot; /* 1 + index into e; 0 = empty */
    size_t cap;
    size_t *order; /* emitted images in first-appearance order */
    size_t norder, caporder;
} image_map;

typedef struct out_file {
    FILE *f;
    char *tmp, *final;
    const char *rel;
    misi_sha256 sha;
    unsigned long long bytes;
} out_file;

/* ---- the image map ---- */

static image_ent *img_find(image_map *m, const char *path, bool add, bool *added)
{
    if (added)
        *added = false;
    if (add && 2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 1024;
        if (cap > (size_t)UINT32_MAX)
            return NULL;
        uint32_t *t = calloc(cap, sizeof *t);
        if (!t)
            return NULL;
        for (size_t i = 0; i < m->n; i++) {
            size_t j = misi_hash64(m->e[i].path) & (cap - 1);
            while (t[j])
                j = (j + 1) & (cap - 1);
            t[j] = (uint32_t)(i + 1);
        }
        free(m->slot);
        m->slot = t;
        m->cap = cap;
    }
    if (!m->cap)
        return NULL;
    size_t j = misi_hash64(path) & (m->cap - 1);
    while (m->slot[j]) {
        image_ent *e = &m->e[m->slot[j] - 1];
        if (!strcmp(e->path, path))
            return e;
        j = (j + 1) & (m->cap - 1);
    }
    if (!add)
        return NULL;
    if (m->n == m->cape) {
        size_t cape = m->cape ? 2 * m->cape : 1024;
        image_ent *t = realloc(m->e, cape * sizeof *t);
        if (!t)
            return NULL;
        m->e = t;
        m->cape = cape;
    }
    image_ent *e = &m->e[m->n];
    *e = (image_ent){.path = strdup(path)};
    if (!e->path)
        return NULL;
    m->slot[j] = (uint32_t)(++m->n);
    if (added)
        *added = true;
    return e;
}

static void img_free(image_map *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->e[i].path);
    free(m->e);
    free(m->slot);
    free(m->order);
    memset(m, 0, sizeof *m);
}

/* ---- output files ---- */

static int out_open(const char *out, out_file *o, const char *rel, misi_error *err)
{
    memset(o, 0, sizeof *o);
    o->rel = rel;
    o->final = misi_path_join(out, rel);
    size_t n = o->final ? strlen(o->final) + 16 : 0;
    o->tmp = n ? malloc(n) : NULL;
    if (!o->tmp)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    snprintf(o->tmp, n, "%s.partial", o->final);
    int rc = misi_mkdir_parents(o->tmp, err);
    if (rc)
        return rc;
    o->f = fopen(o->tmp, "wb");
    if (!o->f)
        return misi_error_at(err, MISI_E_IO, o->tmp, 0, "cannot create: %s", strerror(errno));
    misi_sha256_init(&o->sha);
    return MISI_OK;
}

static int out_write(out_file *o, const void *data, size_t n, misi_error *err)
{
    if (fwrite(data, 1, n, o->f) != n)
        return misi_error_at(err, MISI_E_IO, o->tmp, 0, "write failed: %s", strerror(errno));
    misi_sha256_update(&o->sha, data, n);
    o->bytes += n;
    return MISI_OK;
}

static int out_json_line(out_file *o, const cJSON *obj, misi_line_kind kind, misi_error *err)
{
    char *text = misi_line_print(obj, kind);
    if (!text)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory printing a record");
    int rc = out_write(o, text, strlen(text), err);
    if (!rc)
        rc = out_write(o, "\n", 1, err);
    cJSON_free(text);
    return rc;
}

/* One image: metadata.jsonl gets only what a model may see next to it (the
 * file and its complex), truth.jsonl the whole entry. imagefolder ships
 * metadata.jsonl with the images, and an image's pose gives away the answer
 * of T1-T3, T5 and T6 (docs/dataset.md "Ground truth"). A tar run has no
 * loose image for a metadata.jsonl to name: its line goes to shards.jsonl
 * instead, with the shard that holds the image (shard = NULL: loose). */
static int write_image_lines(out_file *meta, out_file *truth, const cJSON *md, const char *shard,
                             misi_error *err)
{
    cJSON *shown = cJSON_CreateObject();
    if (!shown)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory printing a record");
    static const char *const SHOWN[] = {"file_name", "complex"};
    for (size_t k = 0; k < sizeof SHOWN / sizeof SHOWN[0]; k++) {
        const cJSON *v = cJSON_GetObjectItem(md, SHOWN[k]);
        if (v && !cJSON_AddItemToObject(shown, SHOWN[k], cJSON_Duplicate(v, 1))) {
            cJSON_Delete(shown);
            return misi_error_set(err, MISI_E_NOMEM, "out of memory printing a record");
        }
    }
    if (shard && !cJSON_AddStringToObject(shown, "shard", shard)) {
        cJSON_Delete(shown);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory printing a record");
    }
    int rc = out_json_line(meta, shown, MISI_LINE_PLAIN, err);
    cJSON_Delete(shown);
    if (!rc)
        rc = out_json_line(truth, md, MISI_LINE_IMAGE_TRUTH, err);
    return rc;
}

/* Sync, close, rename into place and sync the folder: one file of a few per
 * assembly, so the two fsyncs cost nothing next to the images, and after a
 * crash the final name holds the whole file or the previous one. */
static int out_finish(out_file *o, misi_error *err)
{
    int bad = fflush(o->f) != 0 || fsync(fileno(o->f)) != 0;
    int e = errno;
    bad |= fclose(o->f) != 0;
    if (!e)
        e = errno;
    o->f = NULL;
    if (bad)
        return misi_error_at(err, MISI_E_IO, o->tmp, 0, "write failed: %s", strerror(e));
    if (rename(o->tmp, o->final) != 0)
        return misi_error_at(err, MISI_E_IO, o->final, 0, "cannot rename into place: %s", strerror(errno));
    char *dir = strdup(o->final);
    if (!dir)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int rc = misi_fsync_dir(slash ? dir : ".", err);
    free(dir);
    return rc;
}

/* Close, rename into place, add to files. */
static int out_close(out_file *o, cJSON *files, misi_error *err)
{
    int rc = out_finish(o, err);
    if (rc)
        return rc;
    char hex[65];
    misi_sha256_final_hex(&o->sha, hex);
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "path", o->rel);
    cJSON_AddStringToObject(f, "sha256", hex);
    cJSON_AddNumberToObject(f, "bytes", (double)o->bytes);
    cJSON_AddItemToArray(files, f);
    return MISI_OK;
}

static void out_discard(out_file *o)
{
    if (o->f) {
        fclose(o->f);
        unlink(o->tmp);
    }
    free(o->tmp);
    free(o->final);
    memset(o, 0, sizeof *o);
}

/* ---- parts ---- */

static int ref_cmp(const void *a, const void *b)
{
    const part_ref *x = a, *y = b;
    if (x->index != y->index)
        return x->index < y->index ? -1 : 1;
    return x->dir < y->dir ? -1 : x->dir > y->dir;
}

static int list_parts(const char *const *dirs, size_t ndirs, part_ref **out, size_t *n, misi_error *err)
{
    part_ref *refs = NULL;
    size_t cnt = 0, cap = 0;
    for (size_t d = 0; d < ndirs; d++) {
        char *pd = misi_path_join(dirs[d], MISI_PARTS_DIR);
        DIR *dir = pd ? opendir(pd) : NULL;
        free(pd);
        if (!dir)
            continue;
        struct dirent *e;
        while ((e = readdir(dir))) {
            char *end;
            long idx = strtol(e->d_name, &end, 10);
            size_t len = strlen(e->d_name);
            if (end == e->d_name || *end != '-' || len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
                continue;
            if (cnt == cap) {
                cap = cap ? 2 * cap : 256;
                part_ref *r = realloc(refs, cap * sizeof *r);
                if (!r) {
                    closedir(dir);
                    free(refs);
                    return misi_error_set(err, MISI_E_NOMEM, "out of memory");
                }
                refs = r;
            }
            refs[cnt].index = idx;
            refs[cnt].dir = d;
            refs[cnt].name = strdup(e->d_name);
            cnt++;
        }
        closedir(dir);
    }
    if (cnt)
        qsort(refs, cnt, sizeof *refs, ref_cmp);
    *out = refs;
    *n = cnt;
    return MISI_OK;
}

/* ---- checking a part ---- */

/* "images/<id>/<file>": two safe names below images/, nothing else (no
 * "..", no absolute path, no control character), so that joining it to an
 * output folder stays inside it. */
static bool image_path_ok(const char *p)
{
    static const char PREFIX[] = "images/";
    if (!p || strncmp(p, PREFIX, sizeof PREFIX - 1) != 0)
        return false;
    const char *a = p + sizeof PREFIX - 1, *slash = strchr(a, '/');
    if (!slash || strchr(slash + 1, '/') || slash - a > 60)
        return false;
    char seg[64];
    memcpy(seg, a, (size_t)(slash - a));
    seg[slash - a] = '\0';
    return misi_name_is_safe(seg) && misi_name_is_safe(slash + 1);
}

static bool is_sha(const char *s)
{
    if (!s || strlen(s) != 64)
        return false;
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return true;
}

static bool is_count(const cJSON *j)
{
    return cJSON_IsNumber(j) && j->valuedouble >= 0 && j->valuedouble <= 9e15 &&
           j->valuedouble == (double)(long long)j->valuedouble;
}

#define PART_FAIL(...) (misi_error_at(err, MISI_E_PARSE, path, 0, __VA_ARGS__), false)

static bool check_part(const cJSON *p, const char *path, misi_error *err)
{
    if (!cJSON_IsObject(p))
        return PART_FAIL("not a part file: expected a JSON object");
    if (!is_count(cJSON_GetObjectItem(p, "index")) || !is_count(cJSON_GetObjectItem(p, "total")))
        return PART_FAIL("index, total: expected whole numbers");
    if (!cJSON_IsObject(cJSON_GetObjectItem(p, "config")))
        return PART_FAIL("config: expected an object");
    if (!cJSON_IsString(cJSON_GetObjectItem(p, "seed")) || !cJSON_IsString(cJSON_GetObjectItem(p, "id")))
        return PART_FAIL("seed, id: expected strings");
    if (!is_sha(cJSON_GetStringValue(cJSON_GetObjectItem(p, "sources_sha256"))))
        return PART_FAIL("sources_sha256: expected 64 lowercase hex digits");
    const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(p, "status"));
    if (!status || (strcmp(status, "ok") != 0 && strcmp(status, "skipped") != 0))
        return PART_FAIL("status: expected \"ok\" or \"skipped\"");
    if (!strcmp(status, "skipped"))
        return cJSON_IsString(cJSON_GetObjectItem(p, "reason")) ? true
                                                                : PART_FAIL("reason: expected a string");
    const char *arrays[] = {"images", "metadata", "unanswerable"};
    for (size_t k = 0; k < sizeof arrays / sizeof arrays[0]; k++)
        if (!cJSON_IsArray(cJSON_GetObjectItem(p, arrays[k])))
            return PART_FAIL("%s: expected an array", arrays[k]);
    int i = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(p, "images"))
    {
        if (!image_path_ok(cJSON_GetStringValue(cJSON_GetObjectItem(e, "path"))))
            return PART_FAIL("images[%d].path: expected \"images/<id>/<file>\" with safe names", i);
        if (!is_sha(cJSON_GetStringValue(cJSON_GetObjectItem(e, "sha256"))))
            return PART_FAIL("images[%d].sha256: expected 64 lowercase hex digits", i);
        if (!is_count(cJSON_GetObjectItem(e, "bytes")))
            return PART_FAIL("images[%d].bytes: expected a whole number", i);
        i++;
    }
    i = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(p, "metadata"))
    {
        if (!cJSON_IsObject(e) || !image_path_ok(cJSON_GetStringValue(cJSON_GetObjectItem(e, "file_name"))))
            return PART_FAIL("metadata[%d].file_name: expected \"images/<id>/<file>\" with safe names", i);
        i++;
    }
    const char *groups[] = {"records", "conversations"};
    for (int g = 0; g < 2; g++) {
        const cJSON *o = cJSON_GetObjectItem(p, groups[g]);
        if (!cJSON_IsObject(o))
            return PART_FAIL("%s: expected an object", groups[g]);
        for (int sp = 0; sp < 2; sp++) {
            const char *sn = sp ? "test" : "train";
            const cJSON *arr = cJSON_GetObjectItem(o, sn);
            if (!cJSON_IsArray(arr))
                return PART_FAIL("%s.%s: expected an array", groups[g], sn);
            i = 0;
            cJSON_ArrayForEach(e, arr)
            {
                if (!cJSON_IsObject(e))
                    return PART_FAIL("%s.%s[%d]: expected an object", groups[g], sn, i);
                if (g == 0 && !is_count(cJSON_GetObjectItem(e, "task_number")))
                    return PART_FAIL("records.%s[%d].task_number: expected a whole number", sn, i);
                i++;
            }
        }
    }
    return true;
}

cJSON *misi_part_parse(const char *text, size_t len, const char *path, misi_error *err)
{
    cJSON *j = cJSON_ParseWithLength(text, len);
    if (!j) {
        misi_error_at(err, MISI_E_PARSE, path, 0, "not a valid part file: expected JSON");
        return NULL;
    }
    if (!check_part(j, path, err)) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static cJSON *read_part(const char *dir, const char *name, misi_error *err)
{
    char rel[300];
    snprintf(rel, sizeof rel, "%s/%s", MISI_PARTS_DIR, name);
    char *path = misi_path_join(dir, rel);
    char *text = NULL;
    size_t len = 0;
    cJSON *j = NULL;
    if (!path)
        misi_error_set(err, MISI_E_NOMEM, "out of memory");
    else if (!misi_read_file(path, 0, &text, &len, err))
        j = misi_part_parse(text, len, path, err);
    free(text);
    free(path);
    return j;
}

static bool image_matches(const image_ent *e, const char *data, size_t len);
static int damaged(misi_error *err, const char *dir, const image_ent *e, size_t len);

/* Bring image e of another folder into out: hashed while read, then linked
 * (or, across file systems, copied). A name already in out is replaced only
 * after it too was checked: it may be a damaged copy of an earlier merge. */
static int copy_or_link(const char *out, const char *dir, const image_ent *e, misi_error *err)
{
    char *from = misi_path_join(dir, e->path), *to = misi_path_join(out, e->path);
    char *data = NULL;
    size_t len = 0;
    int rc = from && to ? misi_mkdir_parents(to, err) : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    if (!rc)
        rc = misi_read_file(from, 0, &data, &len, err);
    if (!rc && !image_matches(e, data, len))
        rc = damaged(err, dir, e, len);
    if (!rc && link(from, to) != 0) {
        char *have = NULL;
        size_t hlen = 0;
        if (errno == EEXIST && !misi_read_file(to, 0, &have, &hlen, NULL) && image_matches(e, have, hlen))
            ; /* already there with the right bytes */
        else
            rc = misi_write_file_atomic(to, data, len, err);
        free(have);
    }
    free(data);
    free(from);
    free(to);
    return rc;
}

/* An image of out itself that a merge reuses: check it. */
static int check_own(const char *out, const image_ent *e, misi_error *err)
{
    char *path = misi_path_join(out, e->path), *data = NULL;
    size_t len = 0;
    int rc = path ? misi_read_file(path, 0, &data, &len, err) : misi_error_set(err, MISI_E_NOMEM, "oom");
    if (!rc && !image_matches(e, data, len))
        rc = damaged(err, out, e, len);
    free(data);
    free(path);
    return rc;
}

/* ---- tar ---- */

static int tar_member(out_file *o, const char *name, const char *data, size_t len, misi_error *err)
{
    unsigned char h[512];
    int rc = misi_tar_header(h, name, len, err);
    static const char pad[512];
    if (!rc)
        rc = out_write(o, h, sizeof h, err);
    if (!rc)
        rc = out_write(o, data, len, err);
    if (!rc && len % 512)
        rc = out_write(o, pad, 512 - len % 512, err);
    return rc;
}

/* Images an earlier assembly of this folder packed. A tar run deletes each
 * shard's loose images once the shard is in place (so it needs about its
 * own size on disk, not twice that); a stopped run that is resumed, or an
 * assembly cut off while packing, then finds some images only in the shards
 * already under out/shards. Those shards are indexed before packing starts,
 * for the images whose loose copy is gone, and each is read back by offset
 * and must match the SHA-256 its part recorded. A shard is opened only when
 * read, or just before a new shard replaces it while it still holds images
 * packing has not reached, and closed (freeing its space once replaced) as
 * soon as packing has passed its last needed image: a resume needs no more
 * disk than the first run. */
typedef struct old_member {
    size_t entry; /* index into the image map */
    size_t file;
    unsigned long long off, len;
} old_member;

typedef struct old_file {
    char *path;
    FILE *f;
    size_t last;   /* order position of the last needed image it holds */
    bool needed;   /* holds any needed image */
    bool replaced; /* a new shard took its name: readable only through f */
} old_file;

typedef struct old_shards {
    old_file *f;
    size_t nf;
    old_member *m;
    size_t nm, cap;
} old_shards;

static int member_cmp(const void *a, const void *b)
{
    const old_member *x = a, *y = b;
    return (x->entry > y->entry) - (x->entry < y->entry);
}

/* Is name a shard, shards/images-NNNNNN.tar (or its .partial when partial
 * is allowed)? Its number goes to *idx. */
static bool shard_name(const char *name, bool partial, int *idx)
{
    int n = 0;
    if (sscanf(name, "images-%6d.tar%n", idx, &n) != 1 || n == 0)
        return false;
    return name[n] == '\0' || (partial && !strcmp(name + n, ".partial"));
}

/* Is the loose copy of e (in out) gone? */
static bool loose_missing(const char *out, const image_ent *e)
{
    char *path = misi_path_join(out, e->path);
    bool gone = path && access(path, F_OK) != 0 && errno == ENOENT;
    free(path);
    return gone;
}

/* Index the members of one shard that are needed: images of this dataset,
 * living in out, whose loose copy is gone. A header that does not parse
 * ends the index there (the shard is only a source to read back from, and
 * every member read is checked against its hash). */
static int old_index(old_shards *o, const char *out, const char *const *dirs, const image_map *m,
                     const uint32_t *pos, size_t file, misi_error *err)
{
    old_file *of = &o->f[file];
    FILE *f = fopen(of->path, "rb");
    if (!f)
        return misi_error_at(err, MISI_E_IO, of->path, 0, "cannot read back this earlier shard: %s",
                             strerror(errno));
    unsigned char h[512];
    unsigned long long off = 0;
    int rc = MISI_OK;
    while (!rc && fread(h, 1, sizeof h, f) == sizeof h) {
        off += sizeof h;
        if (!h[0])
            break;
        unsigned long long len;
        if (!misi_tar_member_header(h, &len))
            break;
        image_ent *e = img_find((image_map *)m, (const char *)h, false, NULL);
        if (e && e->emitted && e->known && !strcmp(dirs[e->dir], out) && loose_missing(out, e)) {
            if (o->nm == o->cap) {
                size_t cap = o->cap ? 2 * o->cap : 4096;
                old_member *t = realloc(o->m, cap * sizeof *t);
                if (!t) {
                    rc = misi_error_set(err, MISI_E_NOMEM, "out of memory indexing %s", of->path);
                    break;
                }
                o->m = t;
                o->cap = cap;
            }
            size_t entry = (size_t)(e - m->e);
            o->m[o->nm++] = (old_member){entry, file, off, len};
            if (!of->needed || pos[entry] > of->last)
                of->last = pos[entry];
            of->needed = true;
        }
        unsigned long long skip = (len + 511) / 512 * 512;
        if (fseeko(f, (off_t)skip, SEEK_CUR) != 0)
            break;
        off += skip;
    }
    if (!rc && ferror(f))
        rc = misi_error_at(err, MISI_E_IO, of->path, 0, "cannot read back this earlier shard: %s",
                           strerror(errno));
    fclose(f);
    return rc;
}

/* Index out/shards/images-NNNNNN.tar, if there are any. */
static int old_scan(old_shards *o, const char *out, const char *const *dirs, const image_map *m,
                    misi_error *err)
{
    char *dir = misi_path_join(out, "shards");
    if (!dir)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    DIR *d = opendir(dir);
    if (!d) {
        free(dir);
        return MISI_OK; /* no earlier shards: nothing to read back */
    }
    int rc = MISI_OK;
    uint32_t *pos = calloc(m->n ? m->n : 1, sizeof *pos);
    if (!pos)
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (size_t k = 0; pos && k < m->norder; k++)
        pos[m->order[k]] = (uint32_t)k;
    struct dirent *de;
    while (!rc && (de = readdir(d))) {
        int idx;
        if (!shard_name(de->d_name, false, &idx))
            continue;
        old_file *t = realloc(o->f, (o->nf + 1) * sizeof *t);
        if (t)
            o->f = t;
        char *path = t ? misi_path_join(dir, de->d_name) : NULL;
        if (!path) {
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
            break;
        }
        o->f[o->nf] = (old_file){.path = path};
        rc = old_index(o, out, dirs, m, pos, o->nf, err);
        o->nf++;
    }
    closedir(d);
    free(dir);
    free(pos);
    if (!rc && o->nm)
        qsort(o->m, o->nm, sizeof *o->m, member_cmp);
    return rc;
}

/* The bytes of e from an earlier shard, or NULL when no shard holds them
 * with the recorded hash. */
static char *old_read(old_shards *o, const image_map *m, const image_ent *e, size_t *len)
{
    old_member key = {.entry = (size_t)(e - m->e)};
    const old_member *p = o->nm ? bsearch(&key, o->m, o->nm, sizeof *o->m, member_cmp) : NULL;
    /* equal entries sort together; any copy whose hash matches will do */
    while (p && p > o->m && p[-1].entry == key.entry)
        p--;
    for (; p && p < o->m + o->nm && p->entry == key.entry; p++) {
        old_file *of = &o->f[p->file];
        if (!of->f && !of->replaced)
            of->f = fopen(of->path, "rb");
        if (!of->f)
            continue;
        char *data = p->len < ((unsigned long long)1 << 31) ? malloc(p->len ? p->len : 1) : NULL;
        if (data && fseeko(of->f, (off_t)p->off, SEEK_SET) == 0 && fread(data, 1, p->len, of->f) == p->len) {
            char hex[65];
            misi_sha256_hex(data, p->len, hex);
            if (!strcmp(hex, e->sha)) {
                *len = p->len;
                return data;
            }
        }
        free(data);
    }
    return NULL;
}

/* A new shard is about to take path's name; packing has reached next: keep
 * the old file readable if it still holds images needed from there on. */
static void old_before_replace(old_shards *o, const char *path, size_t next)
{
    for (size_t i = 0; i < o->nf; i++) {
        old_file *of = &o->f[i];
        if (of->replaced || strcmp(of->path, path) != 0)
            continue;
        if (!of->f && of->needed && of->last >= next)
            of->f = fopen(of->path, "rb");
        of->replaced = true;
    }
}

/* Packing has reached next: close the files it no longer needs. */
static void old_release(old_shards *o, size_t next)
{
    for (size_t i = 0; i < o->nf; i++) {
        old_file *of = &o->f[i];
        if (of->f && (!of->needed || of->last < next)) {
            fclose(of->f);
            of->f = NULL;
        }
    }
}

static void old_free(old_shards *o)
{
    for (size_t i = 0; i < o->nf; i++) {
        if (o->f[i].f)
            fclose(o->f[i].f);
        free(o->f[i].path);
    }
    free(o->f);
    free(o->m);
    memset(o, 0, sizeof *o);
}

/* Does data have e's recorded SHA-256 and size? */
static bool image_matches(const image_ent *e, const char *data, size_t len)
{
    char hex[65];
    misi_sha256_hex(data, len, hex);
    return (double)len == e->bytes && !strcmp(hex, e->sha);
}

/* The error for an image of another folder (a shard of misi merge) that
 * does not match what its part records. */
static int damaged(misi_error *err, const char *dir, const image_ent *e, size_t len)
{
    return misi_error_at(err, MISI_E_INVALID, dir, 0,
                         "%s does not match the SHA-256 its part records (%zu bytes, %.0f recorded): the "
                         "shard's copy is damaged; make that shard again (--resume renders it anew once "
                         "its part is gone) or copy it again",
                         e->path, len, e->bytes);
}

/* The bytes of image e: its loose file, or else a copy packed earlier; each
 * hashed as it is read, so nothing damaged is packed. */
static int image_bytes(const char *out, const char *const *dirs, const image_map *m, const image_ent *e,
                       old_shards *old, char **data, size_t *len, misi_error *err)
{
    char *path = misi_path_join(dirs[e->dir], e->path);
    if (!path)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    bool own = !strcmp(dirs[e->dir], out);
    int rc = MISI_E_IO;
    *data = NULL;
    if (access(path, F_OK) == 0 || errno != ENOENT) {
        rc = misi_read_file(path, 0, data, len, err);
        if (!rc && !image_matches(e, *data, *len)) {
            if (!own)
                rc = damaged(err, dirs[e->dir], e, *len);
            free(*data);
            *data = NULL;
            if (own)
                rc = MISI_E_IO; /* an earlier shard may still hold a good copy */
        }
    }
    if (rc == MISI_E_IO && own) {
        *data = old_read(old, m, e, len);
        /* the id is the folder under images/ */
        const char *id = e->path + strlen("images/");
        int idlen = (int)(strchr(id, '/') ? strchr(id, '/') - id : (ptrdiff_t)strlen(id));
        rc = *data ? MISI_OK
                   : misi_error_at(
                         err, MISI_E_IO, path, 0,
                         "missing: neither the loose image nor a shard under %s/shards holds it with the "
                         "SHA-256 its part records; delete complex %.*s's part under %s/%s and run "
                         "--resume to render it again",
                         out, idlen, id, out, MISI_PARTS_DIR);
    }
    free(path);
    return rc;
}

/* A shard is synced, renamed into place and its folder synced before the
 * loose images it holds may be deleted: then it is their only copy, also
 * after a power cut. */
static int close_shard(out_file *o, const char *out, old_shards *old, size_t next, cJSON *files,
                       misi_error *err)
{
    static const char zero[1024];
    (void)out;
    int rc = out_write(o, zero, sizeof zero, err);
    if (!rc)
        old_before_replace(old, o->final, next);
    if (!rc)
        rc = out_close(o, files, err); /* synced, renamed, folder synced */
    out_discard(o);
    old_release(old, next);
    return rc;
}

/* The loose images of order[from..to) that live in out: packed now. */
static void drop_packed(const char *out, const char *const *dirs, const image_map *m, size_t from, size_t to)
{
    for (size_t k = from; k < to; k++) {
        const image_ent *e = &m->e[m->order[k]];
        if (strcmp(dirs[e->dir], out) != 0)
            continue;
        char *path = misi_path_join(out, e->path);
        if (path)
            unlink(path);
        free(path);
    }
}

/* Pack the images in order into shards of per members; the number of shards
 * written goes to *nshards. drop: delete each shard's loose images from out
 * once it is in place (a run; a merge into one of its own inputs keeps them
 * until the dataset is whole). */
static int pack_tar(const char *out, const char *const *dirs, image_map *m, int per, bool drop, cJSON *files,
                    int *nshards, misi_error *err)
{
    out_file o = {0};
    old_shards old = {0};
    char rel[64];
    int shard = 0;
    size_t first = 0; /* order index of the open shard's first member */
    int rc = old_scan(&old, out, dirs, m, err);
    for (size_t k = 0; !rc && k < m->norder; k++) {
        image_ent *e = &m->e[m->order[k]];
        if (!o.f) {
            snprintf(rel, sizeof rel, "shards/images-%06d.tar", shard);
            rc = out_open(out, &o, rel, err);
            if (rc)
                break;
            first = k;
        }
        char *data = NULL;
        size_t len = 0;
        rc = image_bytes(out, dirs, m, e, &old, &data, &len, err);
        if (!rc)
            rc = tar_member(&o, e->path, data, len, err);
        free(data);
        if (!rc && k + 1 - first == (size_t)per) {
            rc = close_shard(&o, out, &old, k + 1, files, err);
            if (!rc && drop)
                drop_packed(out, dirs, m, first, k + 1);
            shard++;
        }
    }
    if (!rc && o.f) {
        rc = close_shard(&o, out, &old, m->norder, files, err);
        if (!rc && drop)
            drop_packed(out, dirs, m, first, m->norder);
        shard++;
    }
    out_discard(&o);
    old_free(&old);
    *nshards = shard;
    return rc;
}

/* ---- the manifest ---- */

static int file_cmp(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(cJSON_GetObjectItem(x, "path")->valuestring, cJSON_GetObjectItem(y, "path")->valuestring);
}

static const image_map *sort_map; /* for image_cmp: qsort has no user pointer */
static int image_cmp(const void *a, const void *b)
{
    return strcmp(sort_map->e[*(const size_t *)a].path, sort_map->e[*(const size_t *)b].path);
}

/* One entry of the manifest's files list, on its own line. */
static int write_file_entry(out_file *o, const char *path, const char *sha, double bytes, bool first,
                            misi_error *err)
{
    cJSON *f = cJSON_CreateObject();
    if (f) {
        cJSON_AddStringToObject(f, "path", path);
        cJSON_AddStringToObject(f, "sha256", sha);
        cJSON_AddNumberToObject(f, "bytes", bytes);
    }
    char *text = f ? cJSON_PrintUnformatted(f) : NULL;
    cJSON_Delete(f);
    if (!text)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory writing the manifest");
    const char *sep = first ? "\n\t\t" : ",\n\t\t";
    int rc = out_write(o, sep, strlen(sep), err);
    if (!rc)
        rc = out_write(o, text, strlen(text), err);
    cJSON_free(text);
    return rc;
}

/* Write manifest.json: m (without its files list) and then "files", every
 * file of the dataset sorted by path: the few in `files` (JSON Lines, tar
 * shards) and, for loose files, every image of the map. The list is written
 * as it goes, one line per file: held as a cJSON tree and then as text it
 * was ≈ 1 KB per image, 747 MiB at the paper's 602,870 images. */
static int write_manifest(const char *out, cJSON *m, cJSON *files, const image_map *map, bool images,
                          misi_error *err)
{
    int nf = cJSON_GetArraySize(files);
    size_t ni = images ? map->norder : 0;
    cJSON **v = malloc(((size_t)nf + 1) * sizeof *v);
    size_t *idx = malloc((ni + 1) * sizeof *idx);
    char *head = cJSON_Print(m);
    out_file o = {0};
    int rc =
        v && idx && head ? MISI_OK : misi_error_set(err, MISI_E_NOMEM, "out of memory writing the manifest");
    if (!rc) {
        int k = 0;
        const cJSON *f;
        cJSON_ArrayForEach(f, files) v[k++] = (cJSON *)f;
        qsort(v, (size_t)nf, sizeof *v, file_cmp);
        if (ni)
            memcpy(idx, map->order, ni * sizeof *idx);
        sort_map = map;
        qsort(idx, ni, sizeof *idx, image_cmp);
        sort_map = NULL;
        rc = out_open(out, &o, "manifest.json", err);
    }
    /* head is "{\n\t...\n}" (m is never empty): the list goes in as its
     * last member, before the closing "\n}" */
    size_t hl = head ? strlen(head) : 0;
    if (!rc && (hl < 4 || strcmp(head + hl - 2, "\n}") != 0))
        rc = misi_error_set(err, MISI_E_INVALID, "unexpected manifest text from cJSON");
    if (!rc)
        rc = out_write(&o, head, hl - 2, err);
    const char *open_list = ",\n\t\"files\":\t[";
    if (!rc)
        rc = out_write(&o, open_list, strlen(open_list), err);
    size_t a = 0, b = 0;
    while (!rc && (a < (size_t)nf || b < ni)) {
        const char *pa = a < (size_t)nf ? cJSON_GetObjectItem(v[a], "path")->valuestring : NULL;
        const image_ent *e = b < ni ? &map->e[idx[b]] : NULL;
        bool first = a + b == 0;
        if (pa && (!e || strcmp(pa, e->path) < 0)) {
            rc = write_file_entry(&o, pa, cJSON_GetStringValue(cJSON_GetObjectItem(v[a], "sha256")),
                                  cJSON_GetObjectItem(v[a], "bytes")->valuedouble, first, err);
            a++;
        } else {
            rc = write_file_entry(&o, e->path, e->sha, e->bytes, first, err);
            b++;
        }
    }
    const char *close_list = a + b ? "\n\t]\n}\n" : "]\n}\n";
    if (!rc)
        rc = out_write(&o, close_list, strlen(close_list), err);
    if (!rc)
        rc = out_finish(&o, err);
    out_discard(&o);
    cJSON_free(head);
    free(v);
    free(idx);
    return rc;
}

int misi_assemble(const char *out, const char *const *dirs, size_t ndirs, bool complete, bool verify,
                  misi_error *err)
{
    part_ref *refs = NULL;
    size_t nrefs = 0;
    int rc = list_parts(dirs, ndirs, &refs, &nrefs, err);
    if (rc)
        return rc;
    if (nrefs == 0 && complete) {
        free(refs);
        return misi_error_set(err, MISI_E_INVALID, "no parts to assemble under %s%s", dirs[0],
                              ndirs > 1 ? " and the other folders" : "");
    }
    size_t ntasks;
    const misi_task *const *tasks = misi_tasks(&ntasks);
    double counts[MISI_GEN_MAX_TASKS][2] = {{0}};
    out_file plain[2] = {0}, conv[2] = {0}, meta = {0}, truth = {0};
    image_map map = {0};
    cJSON *files = cJSON_CreateArray(), *skipped = cJSON_CreateArray(), *unanswerable = cJSON_CreateArray();
    cJSON *notes = cJSON_CreateArray();
    cJSON *config = NULL, *seed = NULL;
    long total = -1, last = -1, ok = 0;
    char sources_sha[65] = "";
    bool splits[2] = {false, false};
    char *config_text = NULL;
    int nshards = 0;
    int per_shard = 0; /* images a shard holds; 0 = loose files */
    static const char *const RELS[2][2] = {{"train.jsonl", "train.conversations.jsonl"},
                                           {"test.jsonl", "test.conversations.jsonl"}};
    if (!files || !skipped || !unanswerable || !notes)
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (size_t r = 0; !rc && r < nrefs; r++) {
        if (refs[r].index == last)
            continue; /* the same complex from two folders (a resumed shard): first wins */
        cJSON *p = read_part(dirs[refs[r].dir], refs[r].name, err);
        if (!p) {
            rc = err->code ? err->code : MISI_E_PARSE;
            break;
        }
        cJSON *jt = cJSON_GetObjectItem(p, "total");
        char *ctext = cJSON_PrintUnformatted(cJSON_GetObjectItem(p, "config"));
        if (!cJSON_IsNumber(jt) || !ctext) {
            rc = misi_error_at(err, MISI_E_PARSE, refs[r].name, 0, "part without total or config");
        } else if (!config) {
            total = (long)jt->valuedouble;
            snprintf(sources_sha, sizeof sources_sha, "%s",
                     cJSON_GetStringValue(cJSON_GetObjectItem(p, "sources_sha256")));
            config = cJSON_Duplicate(cJSON_GetObjectItem(p, "config"), 1);
            seed = cJSON_Duplicate(cJSON_GetObjectItem(p, "seed"), 1);
            config_text = ctext;
            ctext = NULL;
            const char *sp = cJSON_GetStringValue(cJSON_GetObjectItem(config, "splits"));
            splits[0] = !sp || strcmp(sp, "test") != 0;
            splits[1] = !sp || strcmp(sp, "train") != 0;
            for (int s = 0; !rc && s < 2; s++) {
                if (!splits[s])
                    continue;
                rc = out_open(out, &plain[s], RELS[s][0], err);
                if (!rc)
                    rc = out_open(out, &conv[s], RELS[s][1], err);
            }
            /* tar: the loose images are gone at the end, so no metadata.jsonl
             * (imagefolder reads loose files only) but shards.jsonl, which
             * says which shard holds each image; the shards take the images
             * in this same order, per_shard a shard (pack_tar) */
            const char *fmt = cJSON_GetStringValue(cJSON_GetObjectItem(config, "format"));
            cJSON *per = cJSON_GetObjectItem(config, "shard_images");
            if (fmt && !strcmp(fmt, "tar"))
                per_shard = cJSON_IsNumber(per) && per->valueint > 0 ? per->valueint : 10000;
            if (cJSON_GetNumberValue(cJSON_GetObjectItem(config, "record_version")) != MISI_RECORD_VERSION)
                rc = misi_error_at(err, MISI_E_INVALID, refs[r].name, 0,
                                   "made by a misi with another record format (record_version %g, this one "
                                   "writes %d): records of two shapes would share one file; make the "
                                   "shards again with this misi",
                                   cJSON_GetNumberValue(cJSON_GetObjectItem(config, "record_version")),
                                   MISI_RECORD_VERSION);
            if (!rc)
                rc = out_open(out, &meta, per_shard ? "shards.jsonl" : "metadata.jsonl", err);
            if (!rc)
                rc = out_open(out, &truth, "truth.jsonl", err);
        } else if ((long)jt->valuedouble != total || strcmp(ctext, config_text) != 0 ||
                   !cJSON_Compare(seed, cJSON_GetObjectItem(p, "seed"), 1) ||
                   strcmp(sources_sha, cJSON_GetStringValue(cJSON_GetObjectItem(p, "sources_sha256"))) != 0) {
            rc = misi_error_at(err, MISI_E_INVALID, refs[r].name, 0,
                               "made with another seed, configuration or source list than %s", refs[0].name);
        }
        free(ctext);
        if (!rc && refs[r].index >= total)
            rc = misi_error_at(err, MISI_E_INVALID, refs[r].name, 0, "index %ld beyond the %ld sources",
                               refs[r].index, total);
        cJSON *run_note;
        cJSON_ArrayForEach(run_note, cJSON_GetObjectItem(p, "notes"))
            if (!rc && cJSON_IsString(run_note))
                cJSON_AddItemToArray(notes, cJSON_Duplicate(run_note, 1));
        const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(p, "id"));
        const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(p, "status"));
        if (!rc && status && !strcmp(status, "skipped")) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "complex", id ? id : "?");
            cJSON_AddStringToObject(o, "reason", cJSON_GetStringValue(cJSON_GetObjectItem(p, "reason")));
            cJSON_AddItemToArray(skipped, o);
        } else if (!rc) {
            ok++;
            /* images this part wrote: their hashes and where they are */
            cJSON *im;
            cJSON_ArrayForEach(im, cJSON_GetObjectItem(p, "images"))
            {
                bool added;
                image_ent *e =
                    img_find(&map, cJSON_GetStringValue(cJSON_GetObjectItem(im, "path")), true, &added);
                if (!e) {
                    rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                    break;
                }
                if (!e->known) {
                    snprintf(e->sha, sizeof e->sha, "%s",
                             cJSON_GetStringValue(cJSON_GetObjectItem(im, "sha256")));
                    e->bytes = cJSON_GetObjectItem(im, "bytes")->valuedouble;
                    e->dir = refs[r].dir;
                    e->known = true;
                }
            }
            cJSON *md;
            cJSON_ArrayForEach(md, cJSON_GetObjectItem(p, "metadata"))
            {
                if (rc)
                    break;
                bool added;
                image_ent *e =
                    img_find(&map, cJSON_GetStringValue(cJSON_GetObjectItem(md, "file_name")), true, &added);
                if (!e) {
                    rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                    break;
                }
                if (e->emitted)
                    continue;
                e->emitted = true;
                if (map.norder == map.caporder) {
                    size_t cap = map.caporder ? 2 * map.caporder : 1024;
                    size_t *o = realloc(map.order, cap * sizeof *o);
                    if (!o) {
                        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                        break;
                    }
                    map.order = o;
                    map.caporder = cap;
                }
                map.order[map.norder++] = (size_t)(e - map.e);
                char shard[40];
                if (per_shard)
                    snprintf(shard, sizeof shard, "shards/images-%06zu.tar",
                             (map.norder - 1) / (size_t)per_shard);
                rc = write_image_lines(&meta, &truth, md, per_shard ? shard : NULL, err);
            }
            for (int s = 0; !rc && s < 2; s++) {
                const char *sn = s ? "test" : "train";
                cJSON *rec;
                cJSON_ArrayForEach(rec, cJSON_GetObjectItem(cJSON_GetObjectItem(p, "records"), sn))
                {
                    if (rc)
                        break;
                    if (!splits[s]) {
                        rc = misi_error_at(err, MISI_E_INVALID, refs[r].name, 0, "holds %s records", sn);
                        break;
                    }
                    int num = cJSON_GetObjectItem(rec, "task_number")->valueint;
                    if (num >= 1 && num <= MISI_GEN_MAX_TASKS)
                        counts[num - 1][s]++;
                    rc = out_json_line(&plain[s], rec, MISI_LINE_RECORD, err);
                }
                cJSON_ArrayForEach(rec, cJSON_GetObjectItem(cJSON_GetObjectItem(p, "conversations"), sn))
                {
                    if (rc)
                        break;
                    rc = out_json_line(&conv[s], rec, MISI_LINE_PLAIN, err);
                }
            }
            cJSON *note;
            cJSON_ArrayForEach(note, cJSON_GetObjectItem(p, "unanswerable"))
                cJSON_AddItemToArray(unanswerable, cJSON_Duplicate(note, 1));
        }
        last = refs[r].index;
        cJSON_Delete(p);
    }
    /* Completeness: one part per source. */
    if (!rc && complete) {
        long have = 0, prev = -1;
        for (size_t r = 0; r < nrefs; r++) {
            if (refs[r].index != prev)
                have++;
            prev = refs[r].index;
        }
        if (have != total)
            rc = misi_error_set(err, MISI_E_INVALID,
                                "%ld of %ld complexes have a part: the run or the shards are "
                                "not complete (resume the missing ones with --resume)",
                                have, total);
    }
    /* Every image a record uses was written by some part. */
    for (size_t k = 0; !rc && k < map.norder; k++) {
        image_ent *e = &map.e[map.order[k]];
        if (!e->known)
            rc = misi_error_set(err, MISI_E_INVALID, "image %s is used but no part wrote it", e->path);
    }
    const char *format = config ? cJSON_GetStringValue(cJSON_GetObjectItem(config, "format")) : NULL;
    bool tar = format && !strcmp(format, "tar");
    if (!rc && tar) {
        /* per_shard, as shards.jsonl said */
        rc = pack_tar(out, dirs, &map, per_shard, ndirs == 1, files, &nshards, err);
    } else {
        for (size_t k = 0; !rc && k < map.norder; k++) {
            image_ent *e = &map.e[map.order[k]];
            if (strcmp(dirs[e->dir], out) != 0)
                rc = copy_or_link(out, dirs[e->dir], e, err);
            else if (verify)
                rc = check_own(out, e, err);
        }
    }
    for (int s = 0; !rc && s < 2; s++) {
        if (!splits[s])
            continue;
        rc = out_close(&plain[s], files, err);
        if (!rc)
            rc = out_close(&conv[s], files, err);
    }
    if (!rc && meta.f)
        rc = out_close(&meta, files, err);
    if (!rc && truth.f)
        rc = out_close(&truth, files, err);
    if (!rc) {
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "tool", "misi");
        cJSON_AddStringToObject(m, "version", MISI_VERSION);
        cJSON_AddBoolToObject(m, "complete", complete);
        cJSON_AddItemToObject(m, "seed", seed ? seed : cJSON_CreateString("0"));
        seed = NULL;
        cJSON_AddItemToObject(m, "config", config ? config : cJSON_CreateObject());
        config = NULL;
        cJSON *jc = cJSON_AddObjectToObject(m, "counts");
        double tot[2] = {0, 0};
        for (size_t i = 0; i < ntasks; i++) {
            cJSON *t = cJSON_AddObjectToObject(jc, tasks[i]->name);
            for (int s = 0; s < 2; s++) {
                cJSON_AddNumberToObject(t, s ? "test" : "train", counts[tasks[i]->number - 1][s]);
                tot[s] += counts[tasks[i]->number - 1][s];
            }
        }
        cJSON *all = cJSON_AddObjectToObject(jc, "all");
        cJSON_AddNumberToObject(all, "train", tot[0]);
        cJSON_AddNumberToObject(all, "test", tot[1]);
        cJSON_AddNumberToObject(m, "sources", (double)total);
        /* what --resume of a finished dataset checks its complexes against */
        cJSON_AddStringToObject(m, "sources_sha256", sources_sha);
        cJSON_AddNumberToObject(m, "complexes", (double)ok);
        cJSON_AddNumberToObject(m, "images", (double)map.norder);
        cJSON_AddItemToObject(m, "skipped", skipped);
        skipped = NULL;
        cJSON_AddItemToObject(m, "unanswerable", unanswerable);
        unanswerable = NULL;
        if (cJSON_GetArraySize(notes) > 0) {
            cJSON_AddItemToObject(m, "notes", notes);
            notes = NULL;
        }
        rc = write_manifest(out, m, files, &map, !tar, err);
        cJSON_Delete(m);
    }
    if (!rc && tar) {
        /* The loose images of this folder were only staging for the shards
         * (a run dropped them shard by shard; a merge into one of its inputs
         * drops them now that the dataset is whole); their folders go when
         * empty. Anything else under images/ is not misi's and stays. */
        for (size_t k = 0; k < map.norder; k++) {
            const image_ent *e = &map.e[map.order[k]];
            const char *p = e->path, *slash = strchr(p + 7, '/');
            if (ndirs > 1 && !strcmp(dirs[e->dir], out))
                misi_unlink_beneath(out, p);
            char rel[80];
            if (slash && (size_t)(slash - p) < sizeof rel) {
                memcpy(rel, p, (size_t)(slash - p));
                rel[slash - p] = '\0';
                misi_rmdir_beneath(out, rel);
            }
        }
        misi_rmdir_beneath(out, "images");
    }
    (void)nshards;
    if (!rc && complete) {
        /* out's own parts, and only those, then the folder if empty */
        for (size_t r = 0; r < nrefs; r++) {
            if (strcmp(dirs[refs[r].dir], out) != 0)
                continue;
            char rel[300];
            snprintf(rel, sizeof rel, "%s/%s", MISI_PARTS_DIR, refs[r].name);
            misi_unlink_beneath(out, rel);
        }
        misi_rmdir_beneath(out, MISI_PARTS_DIR);
    }
    for (int s = 0; s < 2; s++) {
        out_discard(&plain[s]);
        out_discard(&conv[s]);
    }
    out_discard(&meta);
    out_discard(&truth);
    img_free(&map);
    for (size_t r = 0; r < nrefs; r++)
        free(refs[r].name);
    free(refs);
    free(config_text);
    cJSON_Delete(files);
    cJSON_Delete(skipped);
    cJSON_Delete(unanswerable);
    cJSON_Delete(notes);
    cJSON_Delete(config);
    cJSON_Delete(seed);
    return rc;
}
