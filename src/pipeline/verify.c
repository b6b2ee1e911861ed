/* Checking files against the SHA-256 and size a part or manifest recorded
 * (verify.h): loose files below an output folder and members of its tar
 * shards, hashed while read, never through a link. */
#define _GNU_SOURCE
#include "pipeline/verify.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "misi/fs.h"
#include "misi/sha256.h"
#include "misi/tar.h"

/* Hash out/rel while reading it (never through a link): does it have the
 * recorded SHA-256 and size? *missing when it is not there at all. */
bool misi_file_matches(const char *out, const char *rel, const char *sha, double bytes, bool *missing)
{
    *missing = false;
    int fd = misi_open_beneath(out, rel, 0);
    if (fd < 0) {
        *missing = errno == ENOENT;
        return false;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (double)st.st_size != bytes) {
        close(fd);
        return false;
    }
    misi_sha256 h;
    misi_sha256_init(&h);
    static _Thread_local unsigned char buf[1 << 16];
    ssize_t n;
    double got = 0;
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        misi_sha256_update(&h, buf, (size_t)n);
        got += (double)n;
    }
    close(fd);
    if (n < 0 || got != bytes)
        return false;
    char hex[65];
    misi_sha256_final_hex(&h, hex);
    return sha && !strcmp(hex, sha);
}

/* Where a member of OUT/shards/images-NNNNNN.tar is: a tar run that was
 * stopped or cut off while packing has deleted the loose copies of what it
 * packed, and --resume checks those images in the shards. */
typedef struct member {
    char *name;
    int shard; /* index into shard_files */
    unsigned long long off, len;
} member;

struct misi_shard_index {
    char **files;
    size_t nfiles;
    member *m;
    size_t n, cap;
};

static int member_cmp(const void *a, const void *b)
{
    return strcmp(((const member *)a)->name, ((const member *)b)->name);
}

/* Read every shard's headers; a header that does not parse (or checksum)
 * ends that shard's index: the members past it cannot be found, and their
 * complexes are rendered again. */
static void index_shards(const char *out, misi_shard_index *ix)
{
    DIR *d = misi_opendir_beneath(out, "shards");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        int num, end = 0;
        if (sscanf(e->d_name, "images-%6d.tar%n", &num, &end) != 1 || end != 17 || e->d_name[end])
            continue;
        char rel[300];
        snprintf(rel, sizeof rel, "shards/%s", e->d_name);
        int fd = misi_open_beneath(out, rel, 0);
        if (fd < 0)
            continue;
        char **t = realloc(ix->files, (ix->nfiles + 1) * sizeof *t);
        char *name = t ? strdup(rel) : NULL;
        if (t)
            ix->files = t;
        if (!name) {
            close(fd);
            break;
        }
        int shard = (int)ix->nfiles;
        ix->files[ix->nfiles++] = name;
        unsigned char h[512];
        unsigned long long off = 0;
        while (pread(fd, h, sizeof h, (off_t)off) == (ssize_t)sizeof h && h[0]) {
            unsigned long long len;
            if (!misi_tar_member_header(h, &len))
                break;
            off += sizeof h;
            if (ix->n == ix->cap) {
                size_t cap = ix->cap ? 2 * ix->cap : 1024;
                member *m = realloc(ix->m, cap * sizeof *m);
                if (!m)
                    break;
                ix->m = m;
                ix->cap = cap;
            }
            ix->m[ix->n].name = strdup((const char *)h);
            if (!ix->m[ix->n].name)
                break;
            ix->m[ix->n].shard = shard;
            ix->m[ix->n].off = off;
            ix->m[ix->n].len = len;
            ix->n++;
            off += (len + 511) / 512 * 512;
        }
        close(fd);
    }
    if (d)
        closedir(d);
    if (ix->n)
        qsort(ix->m, ix->n, sizeof *ix->m, member_cmp);
}

void misi_shard_index_destroy(misi_shard_index *ix)
{
    if (!ix)
        return;
    for (size_t i = 0; i < ix->nfiles; i++)
        free(ix->files[i]);
    for (size_t i = 0; i < ix->n; i++)
        free(ix->m[i].name);
    free(ix->files);
    free(ix->m);
    free(ix);
}

/* The index of out's shards, built on first use; NULL when out of memory. */
static misi_shard_index *shard_index(const char *out, misi_shard_index **ixp)
{
    if (!*ixp) {
        *ixp = calloc(1, sizeof **ixp);
        if (*ixp)
            index_shards(out, *ixp);
    }
    return *ixp;
}

/* The first of the members named path (equal names sort together), or NULL. */
static const member *first_member(const misi_shard_index *ix, const char *path)
{
    member key = {.name = (char *)path};
    const member *p = ix->n ? bsearch(&key, ix->m, ix->n, sizeof key, member_cmp) : NULL;
    while (p && p > ix->m && !strcmp(p[-1].name, path))
        p--;
    return p;
}

bool misi_shard_member_find(const char *out, misi_shard_index **ixp, const char *path, const char **shard,
                            unsigned long long *off, unsigned long long *len)
{
    misi_shard_index *ix = shard_index(out, ixp);
    const member *p = ix ? first_member(ix, path) : NULL;
    if (!p)
        return false;
    *shard = ix->files[p->shard];
    *off = p->off;
    *len = p->len;
    return true;
}

bool misi_shard_member_matches(const char *out, misi_shard_index **ixp, const char *path, const char *sha,
                               double bytes)
{
    misi_shard_index *ix = shard_index(out, ixp);
    if (!ix)
        return false;
    for (const member *p = first_member(ix, path); p && p < ix->m + ix->n && !strcmp(p->name, path); p++) {
        if ((double)p->len != bytes)
            continue;
        int fd = misi_open_beneath(out, ix->files[p->shard], 0);
        if (fd < 0)
            continue;
        misi_sha256 h;
        misi_sha256_init(&h);
        static _Thread_local unsigned char buf[1 << 16];
        unsigned long long done = 0;
        while (done < p->len) {
            size_t want = p->len - done < sizeof buf ? (size_t)(p->len - done) : sizeof buf;
            ssize_t n = pread(fd, buf, want, (off_t)(p->off + done));
            if (n <= 0)
                break;
            misi_sha256_update(&h, buf, (size_t)n);
            done += (unsigned long long)n;
        }
        close(fd);
        char hex[65];
        misi_sha256_final_hex(&h, hex);
        if (done == p->len && sha && !strcmp(hex, sha))
            return true;
    }
    return false;
}

int misi_shard_member_read(const char *out, misi_shard_index **ixp, const char *path, size_t max_bytes,
                           char **data, size_t *len, misi_error *err)
{
    *data = NULL;
    *len = 0;
    misi_shard_index *ix = shard_index(out, ixp);
    if (!ix)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory indexing the shards of %s", out);
    for (const member *p = first_member(ix, path); p && p < ix->m + ix->n && !strcmp(p->name, path); p++) {
        if (p->len > max_bytes)
            return misi_error_at(err, MISI_E_LIMIT, ix->files[p->shard], 0,
                                 "member %s is %llu bytes, more than the limit of %zu", path, p->len,
                                 max_bytes);
        int fd = misi_open_beneath(out, ix->files[p->shard], 0);
        if (fd < 0)
            continue;
        char *buf = malloc(p->len ? (size_t)p->len : 1);
        if (!buf) {
            close(fd);
            return misi_error_set(err, MISI_E_NOMEM, "out of memory for %llu bytes of %s", p->len, path);
        }
        unsigned long long done = 0;
        while (done < p->len) {
            ssize_t n = pread(fd, buf + done, (size_t)(p->len - done), (off_t)(p->off + done));
            if (n <= 0)
                break;
            done += (unsigned long long)n;
        }
        close(fd);
        if (done == p->len) {
            *data = buf;
            *len = (size_t)p->len;
            return MISI_OK;
        }
        free(buf); /* cut short: another shard may hold it whole */
    }
    return misi_error_at(err, MISI_E_IO, out, 0, "no shards/images-*.tar holds %s", path);
}
