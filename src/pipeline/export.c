/* misi export (misi/export.h): reading a finished dataset, checking what is
 * read against its manifest, and the output folder's life (a temporary
 * beside it, renamed into place). The formats are export_<format>.c. */
#define _GNU_SOURCE
#include "misi/export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dirent.h>
#include <signal.h>

#include <cjson/cJSON.h>

#include "misi/answer.h"
#include "misi/fs.h"
#include "misi/sha256.h"
#include "pipeline/export_internal.h"
#include "pipeline/verify.h"

/* A dataset's JSON files can be large (the paper's training split with its
 * truth is hundreds of megabytes; the manifest lists 600,000 images). */
#define EXPORT_MAX_FILE_BYTES ((size_t)4 << 30)
/* Names export writes beside out: "<out>.export-tmp.<pid>", "<out>.export-old.<pid>". */
#define EXPORT_MARKER "misi-export.json"

static const char *const FORMAT_NAMES[] = {NULL, "vlmevalkit", "lmms-eval", "llava", "wds"};

const char *misi_export_format_name(misi_export_format f)
{
    return f > MISI_EXPORT_UNSET && f <= MISI_EXPORT_WDS ? FORMAT_NAMES[f] : NULL;
}

misi_export_format misi_export_format_parse(const char *s)
{
    for (int f = MISI_EXPORT_VLMEVALKIT; s && f <= MISI_EXPORT_WDS; f++)
        if (!strcmp(s, FORMAT_NAMES[f]))
            return (misi_export_format)f;
    return MISI_EXPORT_UNSET;
}

void misi_export_report_finish(misi_export_report *r)
{
    if (r) {
        free(r->out);
        r->out = NULL;
    }
}

/* ---- the shared writing helpers (export_internal.h) ---- */

int export_file_open(const export_ctx *x, export_file *o, const char *rel, misi_error *err)
{
    o->f = NULL;
    o->path = misi_path_join(x->tmp, rel);
    if (!o->path)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    int rc = misi_mkdir_parents(o->path, err);
    if (rc)
        return rc;
    o->f = fopen(o->path, "wbx");
    if (!o->f)
        return misi_error_at(err, MISI_E_IO, o->path, 0, "cannot create: %s", strerror(errno));
    return MISI_OK;
}

int export_file_write(export_file *o, const void *data, size_t n, misi_error *err)
{
    if (n && fwrite(data, 1, n, o->f) != n)
        return misi_error_at(err, MISI_E_IO, o->path, 0, "write failed: %s", strerror(errno));
    return MISI_OK;
}

int export_file_puts(export_file *o, const char *s, misi_error *err)
{
    return export_file_write(o, s, strlen(s), err);
}

int export_file_close(export_file *o, misi_error *err)
{
    int rc = MISI_OK;
    if (o->f) {
        bool bad = fflush(o->f) != 0 || ferror(o->f);
        int e = errno;
        if (fclose(o->f) != 0 && !bad) {
            bad = true;
            e = errno;
        }
        if (bad)
            rc = misi_error_at(err, MISI_E_IO, o->path, 0, "write failed: %s", strerror(e));
    }
    o->f = NULL;
    free(o->path);
    o->path = NULL;
    return rc;
}

void export_file_drop(export_file *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    free(o->path);
    o->path = NULL;
}

int export_write_whole(const export_ctx *x, const char *rel, const void *data, size_t n, misi_error *err)
{
    export_file o;
    int rc = export_file_open(x, &o, rel, err);
    if (!rc)
        rc = export_file_write(&o, data, n, err);
    if (rc) {
        export_file_drop(&o);
        return rc;
    }
    return export_file_close(&o, err);
}

int export_copy_image(const export_ctx *x, const export_image *im, misi_error *err)
{
    char *path = misi_path_join(x->tmp, im->path);
    if (!path)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    bool have = access(path, F_OK) == 0; /* an image shared by questions is written once */
    free(path);
    return have ? MISI_OK : export_write_whole(x, im->path, im->data, im->len, err);
}

char *export_base64(const unsigned char *d, size_t n)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n > (SIZE_MAX - 1) / 4 * 3 - 3)
        return NULL;
    char *s = malloc((n + 2) / 3 * 4 + 1), *p = s;
    if (!s)
        return NULL;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
        *p++ = A[v >> 18];
        *p++ = A[(v >> 12) & 63];
        *p++ = A[(v >> 6) & 63];
        *p++ = A[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0);
        *p++ = A[v >> 18];
        *p++ = A[(v >> 12) & 63];
        *p++ = i + 1 < n ? A[(v >> 6) & 63] : '=';
        *p++ = '=';
    }
    *p = '\0';
    return s;
}

/* ---- the dataset: manifest, files checked against it ---- */

typedef struct listed {
    const char *path, *sha;
    double bytes;
} listed;

typedef struct dataset {
    const char *dir;
    cJSON *manifest;
    listed *files; /* the manifest's "files", sorted by path */
    size_t nfiles;
    bool tar;
    misi_shard_index *shards;
    char **checked_shards; /* shards whose SHA-256 matched */
    size_t nchecked;
    size_t images_read;
} dataset;

static int listed_cmp(const void *a, const void *b)
{
    return strcmp(((const listed *)a)->path, ((const listed *)b)->path);
}

static const listed *find_listed(const dataset *d, const char *path)
{
    listed key = {.path = path};
    return d->nfiles ? bsearch(&key, d->files, d->nfiles, sizeof key, listed_cmp) : NULL;
}

static void dataset_finish(dataset *d)
{
    cJSON_Delete(d->manifest);
    free(d->files);
    misi_shard_index_destroy(d->shards);
    for (size_t i = 0; i < d->nchecked; i++)
        free(d->checked_shards[i]);
    free(d->checked_shards);
    memset(d, 0, sizeof *d);
}

static int dataset_open(dataset *d, const char *dir, misi_error *err)
{
    memset(d, 0, sizeof *d);
    d->dir = dir;
    if (!misi_is_dir(dir))
        return misi_error_at(err, MISI_E_IO, dir, 0, "no such folder (expected a dataset made by misi generate)");
    char *path = misi_path_join(dir, "manifest.json"), *text = NULL;
    size_t len = 0;
    if (!path)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    int rc = misi_is_file(path) ? misi_read_file(path, EXPORT_MAX_FILE_BYTES, &text, &len, err)
                                : misi_error_at(err, MISI_E_IO, path, 0,
                                                "missing: %s is not a dataset made by misi generate", dir);
    if (!rc && !(d->manifest = cJSON_ParseWithLength(text, len)))
        rc = misi_error_at(err, MISI_E_PARSE, path, 0, "not JSON (a damaged manifest)");
    free(text);
    const cJSON *m = d->manifest;
    const cJSON *tool = cJSON_GetObjectItemCaseSensitive(m, "tool");
    const cJSON *files = cJSON_GetObjectItemCaseSensitive(m, "files");
    if (!rc && (!cJSON_IsString(tool) || strcmp(tool->valuestring, "misi") || !cJSON_IsArray(files)))
        rc = misi_error_at(err, MISI_E_PARSE, path, 0,
                           "expected misi's manifest (\"tool\": \"misi\" and a \"files\" list)");
    if (!rc && !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(m, "complete")))
        rc = misi_error_at(err, MISI_E_INVALID, path, 0,
                           "the run is unfinished (\"complete\": false): finish it with misi generate --resume "
                           "--out %s first",
                           dir);
    const cJSON *config = cJSON_GetObjectItemCaseSensitive(m, "config");
    const cJSON *format = cJSON_GetObjectItemCaseSensitive(config, "format");
    d->tar = cJSON_IsString(format) && !strcmp(format->valuestring, "tar");
    size_t n = rc ? 0 : (size_t)cJSON_GetArraySize(files);
    if (n && !(d->files = calloc(n, sizeof *d->files)))
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", path);
    size_t k = 0;
    const cJSON *f = rc ? NULL : files->child;
    for (; f; f = f->next) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(f, "path");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(f, "sha256");
        const cJSON *b = cJSON_GetObjectItemCaseSensitive(f, "bytes");
        if (!cJSON_IsString(p) || !cJSON_IsString(s) || strlen(s->valuestring) != 64 || !cJSON_IsNumber(b) ||
            b->valuedouble < 0) {
            rc = misi_error_at(err, MISI_E_PARSE, path, 0,
                               "files[%zu]: expected {\"path\", \"sha256\" (64 hex digits), \"bytes\"}", k);
            break;
        }
        d->files[k++] = (listed){p->valuestring, s->valuestring, b->valuedouble};
    }
    d->nfiles = k;
    if (!rc && k)
        qsort(d->files, k, sizeof *d->files, listed_cmp);
    free(path);
    return rc;
}

/* The error for a file that does not match the manifest. */
static int damaged(misi_error *err, const dataset *d, const char *rel, bool missing)
{
    return misi_error_at(err, MISI_E_INVALID, d->dir, 0,
                         "%s %s: %s; the dataset was changed after misi wrote it (misi generate --resume "
                         "--out %s checks it and makes the damaged part again)",
                         rel, missing ? "is missing" : "is damaged",
                         missing ? "manifest.json lists it" : "its SHA-256 or size differs from manifest.json",
                         d->dir);
}

/* Read rel whole and check it against the manifest (one pass: the hash of
 * the bytes that are then used). */
static int read_checked(dataset *d, const char *rel, char **data, size_t *len, misi_error *err)
{
    *data = NULL;
    *len = 0;
    const listed *l = find_listed(d, rel);
    if (!l)
        return misi_error_at(err, MISI_E_INVALID, d->dir, 0,
                             "manifest.json does not list %s: misi export reads only what the manifest vouches for",
                             rel);
    int fd = misi_open_beneath(d->dir, rel, 0);
    if (fd < 0)
        return damaged(err, d, rel, errno == ENOENT);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (double)st.st_size != l->bytes ||
        (size_t)st.st_size > EXPORT_MAX_FILE_BYTES) {
        close(fd);
        return damaged(err, d, rel, false);
    }
    size_t n = (size_t)st.st_size, got = 0;
    char *buf = malloc(n + 1);
    if (!buf) {
        close(fd);
        return misi_error_at(err, MISI_E_NOMEM, d->dir, 0, "%s: out of memory for %zu bytes", rel, n);
    }
    while (got < n) {
        ssize_t k = read(fd, buf + got, n - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    char hex[65];
    misi_sha256_hex(buf, got, hex);
    if (got != n || strcmp(hex, l->sha)) {
        free(buf);
        return damaged(err, d, rel, false);
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return MISI_OK;
}

static bool shard_checked(const dataset *d, const char *shard)
{
    for (size_t i = 0; i < d->nchecked; i++)
        if (!strcmp(d->checked_shards[i], shard))
            return true;
    return false;
}

/* Check a shard against the manifest (the whole file, once). */
static int check_shard(dataset *d, const char *shard, misi_error *err)
{
    if (shard_checked(d, shard))
        return MISI_OK;
    const listed *l = find_listed(d, shard);
    if (!l)
        return misi_error_at(err, MISI_E_INVALID, d->dir, 0, "manifest.json does not list %s", shard);
    bool missing = false;
    if (!misi_file_matches(d->dir, shard, l->sha, l->bytes, &missing))
        return damaged(err, d, shard, missing);
    char **t = realloc(d->checked_shards, (d->nchecked + 1) * sizeof *t);
    if (t)
        d->checked_shards = t;
    if (!t || !(d->checked_shards[d->nchecked] = strdup(shard)))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    d->nchecked++;
    return MISI_OK;
}

/* images/<complex>/<name>: two safe components, nothing that leaves the
 * dataset or the export. */
static bool image_path_ok(const char *p)
{
    if (strncmp(p, "images/", 7))
        return false;
    const char *a = p + 7, *slash = strchr(a, '/');
    if (!slash || slash == a || (size_t)(slash - a) > 60 || strchr(slash + 1, '/'))
        return false;
    char comp[61];
    memcpy(comp, a, (size_t)(slash - a));
    comp[slash - a] = '\0';
    return misi_name_is_safe(comp) && misi_name_is_safe(slash + 1);
}

/* An image's bytes, checked: a loose file against its own SHA-256, a shard
 * member by its whole shard's. */
static int read_image(dataset *d, const char *rel, export_image *im, misi_error *err)
{
    im->path = rel;
    im->data = NULL;
    im->len = 0;
    d->images_read++;
    if (!d->tar)
        return read_checked(d, rel, (char **)&im->data, &im->len, err);
    const char *shard = NULL;
    unsigned long long off = 0, len = 0;
    if (!misi_shard_member_find(d->dir, &d->shards, rel, &shard, &off, &len)) {
        /* a member behind a damaged header is found in no shard: name the shard */
        for (size_t i = 0; i < d->nfiles; i++) {
            if (!strncmp(d->files[i].path, "shards/", 7)) {
                int rc = check_shard(d, d->files[i].path, err);
                if (rc)
                    return rc;
            }
        }
        return misi_error_at(err, MISI_E_INVALID, d->dir, 0, "no shard under shards/ holds %s", rel);
    }
    int rc = check_shard(d, shard, err);
    if (rc)
        return rc;
    if (len > EXPORT_MAX_FILE_BYTES)
        return damaged(err, d, shard, false);
    int fd = misi_open_beneath(d->dir, shard, 0);
    if (fd < 0)
        return damaged(err, d, shard, errno == ENOENT);
    unsigned char *buf = malloc(len ? len : 1);
    size_t got = 0;
    while (buf && got < len) {
        ssize_t k = pread(fd, buf + got, len - got, (off_t)(off + got));
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(fd);
    if (!buf)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", rel);
    if (got != len) {
        free(buf);
        return damaged(err, d, shard, false);
    }
    im->data = buf;
    im->len = len;
    return MISI_OK;
}

/* ---- one split ---- */

static bool mc_task(int t)
{
    return t == MISI_TASK_TRANSLATION_ROTATION || t == MISI_TASK_ROTATION_ROTATION ||
           t == MISI_TASK_INTERACTION_LOCATION;
}

/* The fields a record is exported with, in this order; "truth" never. */
static const char *const EXPORTED[] = {"id", "task", "task_number", "split", "complex",
                                       "images", "question", "answer", "options"};

/* Check one record and fill r (its exported copy goes to *out). */
static int take_record(const cJSON *o, const char *file, long line, const char *split, export_record *r,
                       cJSON **out, misi_error *err)
{
    *out = NULL;
    if (!cJSON_IsObject(o))
        return misi_error_at(err, MISI_E_PARSE, file, line, "expected a JSON object (one QA record)");
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *task = cJSON_GetObjectItemCaseSensitive(o, "task");
    const cJSON *sp = cJSON_GetObjectItemCaseSensitive(o, "split");
    const cJSON *images = cJSON_GetObjectItemCaseSensitive(o, "images");
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(o, "question");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "answer");
    const cJSON *opts = cJSON_GetObjectItemCaseSensitive(o, "options");
    if (!cJSON_IsString(id) || !id->valuestring[0])
        return misi_error_at(err, MISI_E_PARSE, file, line, "expected an \"id\" string");
    const char *what = NULL;
    int t = cJSON_IsString(task) ? misi_answer_task_number(task->valuestring) : 0;
    if (!t)
        what = "\"task\": one of the nine task names";
    else if (!cJSON_IsString(sp) || strcmp(sp->valuestring, split))
        what = split[1] == 'r' ? "\"split\": \"train\"" : "\"split\": \"test\"";
    else if (!cJSON_IsArray(images) || !cJSON_GetArraySize(images))
        what = "\"images\": a list of image paths";
    else if (!cJSON_IsString(q) || !cJSON_IsString(a))
        what = "\"question\" and \"answer\" strings";
    else if (mc_task(t) ? !cJSON_IsObject(opts) : !(opts == NULL || cJSON_IsNull(opts)))
        what = mc_task(t) ? "\"options\": {\"A\": ..., \"D\": ...} (a multiple-choice task)"
                          : "\"options\": null or absent (a cloze task)";
    for (const cJSON *im = what ? NULL : images->child; im; im = im->next) {
        if (!cJSON_IsString(im) || !image_path_ok(im->valuestring)) {
            what = "\"images\": paths images/<complex>/<file> inside the dataset";
            break;
        }
    }
    memset(r, 0, sizeof *r);
    for (int k = 0; !what && mc_task(t) && k < 4; k++) {
        const char key[2] = {(char)('A' + k), 0};
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(opts, key);
        if (!cJSON_IsString(v))
            what = "\"options\" with A, B, C and D strings";
        else
            r->options[k] = v->valuestring;
    }
    if (what)
        return misi_error_at(err, MISI_E_PARSE, file, line, "record '%s': expected %s", id->valuestring, what);
    cJSON *copy = cJSON_CreateObject();
    for (size_t k = 0; copy && k < sizeof EXPORTED / sizeof *EXPORTED; k++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, EXPORTED[k]);
        /* options: null for a cloze task, as in the records that always carry it */
        cJSON *c = v ? cJSON_Duplicate(v, true) : cJSON_CreateNull();
        if (!c || !cJSON_AddItemToObject(copy, EXPORTED[k], c)) {
            cJSON_Delete(c);
            cJSON_Delete(copy);
            copy = NULL;
        }
    }
    if (!copy)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory reading %s", file);
    r->rec = copy;
    r->split = split;
    r->id = id->valuestring;
    r->task = task->valuestring;
    r->question = q->valuestring;
    r->answer = a->valuestring;
    r->task_number = t;
    r->mc = mc_task(t);
    *out = copy;
    return MISI_OK;
}

/* Next non-blank line of [*pos, len) into a parsed object (NULL when not
 * JSON); false at the end. *line counts lines. */
static bool next_json(const char *text, size_t len, size_t *pos, long *line, cJSON **o)
{
    while (*pos < len) {
        const char *s = text + *pos, *nl = memchr(s, '\n', len - *pos);
        size_t n = nl ? (size_t)(nl - s) : len - *pos;
        *pos += n + (nl ? 1 : 0);
        (*line)++;
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k == n)
            continue;
        *o = cJSON_ParseWithLength(s, n);
        return true;
    }
    return false;
}

static int export_split(dataset *d, export_ctx *x, const export_writer *w, const char *split, size_t *count,
                        misi_error *err)
{
    char rel[64], crel[64];
    snprintf(rel, sizeof rel, "%s.jsonl", split);
    snprintf(crel, sizeof crel, "%s.conversations.jsonl", split);
    char *text = NULL, *ctext = NULL;
    size_t len = 0, clen = 0;
    int rc = read_checked(d, rel, &text, &len, err);
    if (!rc && w->conversations)
        rc = read_checked(d, crel, &ctext, &clen, err);
    char *file = misi_path_join(d->dir, rel), *cfile = misi_path_join(d->dir, crel);
    if (!rc && (!file || !cfile))
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
    if (!rc)
        rc = w->split_begin(x, split, err);
    size_t pos = 0, cpos = 0;
    long line = 0, cline = 0;
    cJSON *o = NULL;
    while (!rc && next_json(text, len, &pos, &line, &o)) {
        cJSON *conv = NULL, *copy = NULL;
        export_record r;
        rc = o ? take_record(o, file, line, split, &r, &copy, err)
               : misi_error_at(err, MISI_E_PARSE, file, line, "not JSON (expected one QA record a line)");
        unsigned want = x->cfg->tasks;
        bool skip = !rc && want && !(want & (1u << r.task_number));
        if (!rc && w->conversations) {
            /* the conversation file holds the same questions in the same order */
            if (!next_json(ctext, clen, &cpos, &cline, &conv) || !conv)
                rc = misi_error_at(err, MISI_E_PARSE, cfile, cline, "expected the conversation record of '%s'",
                                   r.id);
            const cJSON *cid = cJSON_GetObjectItemCaseSensitive(conv, "id");
            const cJSON *turns = cJSON_GetObjectItemCaseSensitive(conv, "conversations");
            if (!rc && (!cJSON_IsString(cid) || strcmp(cid->valuestring, r.id) || !cJSON_IsArray(turns)))
                rc = misi_error_at(err, MISI_E_PARSE, cfile, cline,
                                   "expected the conversation record of '%s' (\"id\" and \"conversations\")", r.id);
            r.conv = conv;
        }
        size_t n = 0;
        export_image *img = NULL;
        if (!rc && !skip) {
            const cJSON *images = cJSON_GetObjectItemCaseSensitive(r.rec, "images");
            n = (size_t)cJSON_GetArraySize(images);
            if (!(img = calloc(n, sizeof *img)))
                rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
            size_t k = 0;
            for (const cJSON *im = rc ? NULL : images->child; im && !rc; im = im->next)
                rc = read_image(d, im->valuestring, &img[k++], err);
            r.img = img;
            r.nimg = n;
        }
        if (!rc && !skip) {
            rc = w->record(x, &r, err);
            (*count)++;
        }
        for (size_t k = 0; img && k < n; k++)
            free(img[k].data);
        free(img);
        cJSON_Delete(copy);
        cJSON_Delete(conv);
        cJSON_Delete(o);
        o = NULL;
    }
    if (!rc)
        rc = w->split_end(x, split, err);
    free(text);
    free(ctext);
    free(file);
    free(cfile);
    return rc;
}

/* ---- the output folder ---- */

/* "<dataset>-<format>-<split>" beside the dataset; the dataset's real path
 * when it is "." or ends in "..", so the export is never inside it. */
static char *default_out(const misi_export_config *c, const char *split)
{
    const char *base = misi_basename(c->dataset);
    size_t bn = strcspn(base, "/");
    bool dots = (bn == 1 && base[0] == '.') || (bn == 2 && !strncmp(base, "..", 2)) || bn == 0;
    char *real = dots ? realpath(c->dataset, NULL) : NULL;
    const char *d = real ? real : c->dataset;
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        n--;
    size_t sz = n + 64;
    char *s = malloc(sz);
    if (s)
        snprintf(s, sz, "%.*s-%s-%s", (int)n, d, misi_export_format_name(c->format), split);
    free(real);
    return s;
}

/* Is out the dataset or inside it? (An export there would be a file the
 * dataset's manifest does not list, which misi generate --force refuses
 * to touch.) */
static bool inside(const char *dataset, const char *out)
{
    char *dreal = realpath(dataset, NULL);
    char *copy = strdup(out);
    bool in = false;
    if (dreal && copy) {
        /* out need not exist: resolve its folder */
        char *slash = strrchr(copy, '/');
        const char *parent = slash ? (slash == copy ? "/" : (*slash = '\0', copy)) : ".";
        char *preal = realpath(parent, NULL);
        char *oreal = realpath(out, NULL);
        size_t n = strlen(dreal);
        in = (oreal && !strcmp(oreal, dreal)) ||
             (preal && !strncmp(preal, dreal, n) && (preal[n] == '/' || preal[n] == '\0'));
        free(preal);
        free(oreal);
    }
    free(dreal);
    free(copy);
    return in;
}

/* What export writes beside the data: enough to say what the folder is and
 * where it came from, nothing that differs between two runs. */
static int write_marker(export_ctx *x, const dataset *d, const char *split, const size_t counts[2],
                        size_t images, misi_error *err)
{
    cJSON *m = cJSON_CreateObject();
    cJSON *tasks = cJSON_CreateArray();
    cJSON *q = cJSON_CreateObject();
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(d->manifest, "version");
    const cJSON *seed = cJSON_GetObjectItemCaseSensitive(d->manifest, "seed");
    bool ok = m && tasks && q;
    for (int t = 1; ok && t <= MISI_TASK_MAX; t++)
        if (!x->cfg->tasks || (x->cfg->tasks & (1u << t)))
            ok = cJSON_AddItemToArray(tasks, cJSON_CreateString(misi_answer_task_name(t)));
    ok = ok && cJSON_AddStringToObject(m, "tool", "misi export") &&
         cJSON_AddStringToObject(m, "format", misi_export_format_name(x->cfg->format)) &&
         cJSON_AddStringToObject(m, "split", split) && cJSON_AddItemToObject(m, "tasks", tasks);
    if (!ok)
        cJSON_Delete(tasks);
    ok = ok && cJSON_AddNumberToObject(q, "train", (double)counts[0]) &&
         cJSON_AddNumberToObject(q, "test", (double)counts[1]) && cJSON_AddItemToObject(m, "questions", q);
    if (!ok)
        cJSON_Delete(q);
    ok = ok && cJSON_AddNumberToObject(m, "image_reads", (double)images) &&
         cJSON_AddStringToObject(m, "dataset_version", cJSON_IsString(version) ? version->valuestring : "") &&
         cJSON_AddStringToObject(m, "dataset_seed", cJSON_IsString(seed) ? seed->valuestring : "") &&
         cJSON_AddStringToObject(m, "carries", "each question and its answer; never truth.jsonl or the records' truth");
    char *text = ok ? cJSON_Print(m) : NULL;
    cJSON_Delete(m);
    if (!text)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    size_t n = strlen(text);
    text[n] = '\n'; /* cJSON_Print ends without one; the NUL is not written */
    int rc = export_write_whole(x, EXPORT_MARKER, text, n + 1, err);
    free(text);
    return rc;
}

/* Move tmp to out; an earlier export at out (checked by the caller) goes
 * aside first and is removed only once the new one is in place. */
static int publish(const char *tmp, const char *out, bool replace, misi_error *err)
{
    int rc = misi_sync_fs(tmp, err);
    if (rc)
        return rc;
    char old[PATH_MAX];
    snprintf(old, sizeof old, "%s.export-old.%ld", out, (long)getpid());
    if (replace && rename(out, old) != 0)
        return misi_error_at(err, MISI_E_IO, out, 0, "cannot move the earlier export aside: %s", strerror(errno));
    if (rename(tmp, out) != 0) {
        rc = misi_error_at(err, MISI_E_IO, out, 0, "cannot rename %s into place: %s", tmp, strerror(errno));
        if (replace && rename(old, out) != 0)
            fprintf(stderr, "misi export: the earlier export is at %s\n", old);
        return rc;
    }
    if (replace)
        misi_remove_tree(old);
    char *copy = strdup(out);
    if (copy) {
        char *slash = strrchr(copy, '/');
        const char *parent = slash ? (slash == copy ? "/" : (*slash = '\0', copy)) : ".";
        rc = misi_fsync_dir(parent, err);
    }
    free(copy);
    return rc;
}

/* Is the process pid gone? (EPERM: it exists under another user.) */
static bool pid_gone(long pid)
{
    return pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* An export killed (kill -9, power loss) leaves "<out>.export-tmp.<pid>",
 * or, cut between its two renames under --force, the earlier export at
 * "<out>.export-old.<pid>" and no out. Each is handled once its process is
 * gone: a temporary is removed, an earlier export is put back at out (or
 * removed when a newer export is in place). Only folders (never links) at
 * exactly those names are touched. */
static void recover_leftovers(const char *out)
{
    char *copy = strdup(out);
    if (!copy)
        return;
    char *slash = strrchr(copy, '/');
    const char *parent = slash ? (slash == copy ? "/" : copy) : ".";
    const char *base = slash ? slash + 1 : copy;
    if (slash)
        *slash = '\0';
    size_t blen = strlen(base);
    DIR *d = opendir(parent);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        const char *n = e->d_name;
        if (strncmp(n, base, blen) || n[blen] != '.')
            continue;
        const char *kind = n + blen + 1;
        bool tmp = !strncmp(kind, "export-tmp.", 11), old = !strncmp(kind, "export-old.", 11);
        if (!tmp && !old)
            continue;
        char *end;
        long pid = strtol(kind + 11, &end, 10);
        if (end == kind + 11 || *end || !pid_gone(pid))
            continue;
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", parent, n) >= sizeof path)
            continue;
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        struct stat ost;
        if (old && lstat(out, &ost) != 0 && errno == ENOENT) {
            if (rename(path, out) == 0)
                fprintf(stderr, "misi export: put back the earlier export an interrupted --force had moved to %s\n",
                        path);
            continue;
        }
        misi_remove_tree(path);
    }
    if (d)
        closedir(d);
    free(copy);
}

int misi_export(const misi_export_config *c, misi_export_report *r, misi_error *err)
{
    memset(r, 0, sizeof *r);
    const export_writer *w = c->format == MISI_EXPORT_VLMEVALKIT  ? &export_vlmevalkit_writer
                             : c->format == MISI_EXPORT_LMMS_EVAL ? &export_lmms_eval_writer
                             : c->format == MISI_EXPORT_LLAVA     ? &export_llava_writer
                             : c->format == MISI_EXPORT_WDS       ? &export_wds_writer
                                                                  : NULL;
    if (!w)
        return misi_error_set(err, MISI_E_USAGE, "unknown export format (expected one of %s)", MISI_EXPORT_FORMATS);
    if (!c->dataset)
        return misi_error_set(err, MISI_E_USAGE, "no dataset folder given");
    if (c->tasks & ~(((1u << (MISI_TASK_MAX + 1)) - 1) & ~1u))
        return misi_error_set(err, MISI_E_USAGE, "tasks are numbered 1 to %d", MISI_TASK_MAX);
    misi_export_split sp = c->split;
    if (sp == MISI_EXPORT_SPLIT_DEFAULT)
        sp = c->format == MISI_EXPORT_VLMEVALKIT || c->format == MISI_EXPORT_LMMS_EVAL ? MISI_EXPORT_SPLIT_TEST
                                                                                       : MISI_EXPORT_SPLIT_TRAIN;
    const char *split = sp == MISI_EXPORT_SPLIT_TRAIN ? "train" : sp == MISI_EXPORT_SPLIT_TEST ? "test" : "all";
    dataset d;
    int rc = dataset_open(&d, c->dataset, err);
    bool has[2] = {find_listed(&d, "train.jsonl") != NULL, find_listed(&d, "test.jsonl") != NULL};
    bool want[2] = {sp != MISI_EXPORT_SPLIT_TEST && has[0], sp != MISI_EXPORT_SPLIT_TRAIN && has[1]};
    if (!rc && sp != MISI_EXPORT_SPLIT_ALL && !want[sp == MISI_EXPORT_SPLIT_TEST])
        rc = misi_error_at(err, MISI_E_INVALID, c->dataset, 0, "the dataset has no %s split (manifest.json lists no %s.jsonl)",
                           split, split);
    if (!rc && !want[0] && !want[1])
        rc = misi_error_at(err, MISI_E_INVALID, c->dataset, 0, "the dataset has no questions (no train.jsonl or test.jsonl)");
    char *out = NULL;
    if (!rc && !(out = c->out ? strdup(c->out) : default_out(c, split)))
        rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
    /* "x/" is x: the temporary goes beside it, not inside */
    for (size_t n = out ? strlen(out) : 0; n > 1 && out[n - 1] == '/'; n--)
        out[n - 1] = '\0';
    if (!rc && !inside(c->dataset, out))
        recover_leftovers(out);
    /* out: new, or an earlier export (its marker) replaced with --force */
    struct stat st;
    bool exists = !rc && lstat(out, &st) == 0, replace = false;
    if (!rc && inside(c->dataset, out))
        rc = misi_error_at(err, MISI_E_USAGE, out, 0, "the export cannot go inside the dataset %s (choose --out beside it)",
                           c->dataset);
    if (!rc && exists) {
        char *marker = misi_path_join(out, EXPORT_MARKER);
        bool ours = S_ISDIR(st.st_mode) && marker && misi_is_file(marker);
        free(marker);
        if (!ours)
            rc = misi_error_at(err, MISI_E_USAGE, out, 0,
                               "exists and is not an export of misi's (no %s): misi export replaces only its own "
                               "exports; choose another --out",
                               EXPORT_MARKER);
        else if (!c->force)
            rc = misi_error_at(err, MISI_E_USAGE, out, 0, "exists (an earlier export); --force replaces it");
        replace = true;
    }
    char tmp[PATH_MAX] = "";
    if (!rc && (size_t)snprintf(tmp, sizeof tmp, "%s.export-tmp.%ld", out, (long)getpid()) >= sizeof tmp)
        rc = misi_error_at(err, MISI_E_LIMIT, out, 0, "path too long");
    if (!rc && mkdir(tmp, 0755) != 0)
        rc = misi_error_at(err, MISI_E_IO, tmp, 0, "cannot create the temporary folder: %s", strerror(errno));
    bool made = !rc;
    export_ctx x = {.tmp = tmp, .cfg = c};
    static const char *const SPLITS[2] = {"train", "test"};
    for (int s = 0; !rc && s < 2; s++)
        if (want[s])
            rc = export_split(&d, &x, w, SPLITS[s], &r->questions[s], err);
    if (!rc && w->end)
        rc = w->end(&x, err);
    if (!rc && !r->questions[0] && !r->questions[1])
        rc = misi_error_at(err, MISI_E_INVALID, c->dataset, 0, "no question of the %s split%s is of the tasks asked for",
                           split, sp == MISI_EXPORT_SPLIT_ALL ? "s" : "");
    if (!rc)
        rc = write_marker(&x, &d, split, r->questions, d.images_read, err);
    if (w->destroy)
        w->destroy(&x);
    if (!rc)
        rc = publish(tmp, out, replace, err);
    if (rc && made)
        misi_remove_tree(tmp);
    r->images = d.images_read;
    r->replaced = !rc && replace;
    if (!rc)
        r->out = out;
    else
        free(out);
    dataset_finish(&d);
    return rc;
}
