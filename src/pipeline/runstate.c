/* The run state of an output folder: acceptance of --out, the lock,
 * ownership, parts, verification (runstate.h). The rule everything here
 * follows: misi deletes or replaces only files it can show it made (listed
 * by its manifest or its parts, or a temporary under one of its own names
 * in one of its own folders) and never through a symbolic link. */
#define _GNU_SOURCE
#include "pipeline/runstate.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "misi/fs.h"
#include "misi/record.h" /* MISI_RECORD_VERSION */
#include "misi/render.h" /* MISI_RENDER_VERSION */
#include "misi/sha256.h"
#include "misi_config.h"
#include "pipeline/assemble.h"
#include "pipeline/verify.h"

typedef enum out_kind {
    OUT_EMPTY = 0, /* missing or empty */
    OUT_FOREIGN,   /* non-empty, and nothing in it says misi made it */
    OUT_MISI,      /* a manifest of misi's, a .parts folder or misi's lock file */
} out_kind;

struct misi_runstate {
    char *out;
    char who[32];
    int lock_fd;
    char *lock_path;
    out_kind kind;
    cJSON *manifest; /* misi's manifest.json, when there is one */
    char **parts;    /* part file names under .parts, sorted */
    size_t nparts;
    long *have; /* source indices with a part, sorted (misi_runstate_resume) */
    size_t nhave;
    bool lock_made; /* this process created the lock file */
    bool parts_dir; /* .parts made (lazily: a resume with nothing to do makes nothing) */
    /* What this run made, so that a run that fails before it finishes
     * anything can take it away again (misi_runstate_abandon). */
    int made_dirs;        /* folders of out's path created here: out and this many - 1 parents */
    bool had_images;      /* images/ was there before */
    bool had_shards;      /* shards/ was there before */
    bool had_parts_dir;   /* .parts/ was there before */
    size_t parts_written; /* parts this run wrote */
};

/* ---- misi's names ---- */

static const char *const FIXED[] = {
    "manifest.json",  "train.jsonl", "test.jsonl",  "train.conversations.jsonl", "test.conversations.jsonl",
    "metadata.jsonl", "truth.jsonl", "shards.jsonl"};

static bool is_fixed_name(const char *n)
{
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++)
        if (!strcmp(n, FIXED[i]))
            return true;
    return false;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && !memcmp(s + n - k, suffix, k);
}

/* shards/images-NNNNNN.tar */
static bool is_shard_name(const char *n, size_t len)
{
    return len == 17 && !strncmp(n, "images-", 7) && all_digits(n + 7, 6) && !strncmp(n + 13, ".tar", 4);
}

/* .parts/NNNNNN-<id>.json */
static bool is_part_name(const char *n, size_t len)
{
    return len > 12 && all_digits(n, 6) && n[6] == '-' && ends_with(n, len, ".json") &&
           misi_name_is_safe(n + 7);
}

/* images/<id>/<16 hex digits>.png: the content address generate.c gives */
static bool is_image_name(const char *n, size_t len)
{
    if (len != 20 || memcmp(n + 16, ".png", 4) != 0)
        return false;
    for (int i = 0; i < 16; i++)
        if (!((n[i] >= '0' && n[i] <= '9') || (n[i] >= 'a' && n[i] <= 'f')))
            return false;
    return true;
}

typedef bool (*name_pred)(const char *n, size_t len);

static bool fixed_pred(const char *n, size_t len)
{
    char buf[64];
    if (len >= sizeof buf)
        return false;
    memcpy(buf, n, len);
    buf[len] = '\0';
    return is_fixed_name(buf);
}

/* One of misi's temporaries of a name pred accepts: "<name>.partial"
 * (assembly) or "<name>.tmp.<pid>.<n>" (misi_write_file_atomic). */
static bool is_temp_of(const char *n, name_pred pred)
{
    size_t len = strlen(n);
    if (ends_with(n, len, ".partial"))
        return pred(n, len - 8);
    const char *t = strstr(n, ".tmp.");
    if (!t)
        return false;
    const char *a = t + 5, *dot = strchr(a, '.');
    if (!dot || !all_digits(a, (size_t)(dot - a)) || !all_digits(dot + 1, strlen(dot + 1)))
        return false;
    return pred(n, (size_t)(t - n));
}

/* A path the manifest may list: a fixed name, a shard or an image. */
static bool is_dataset_path(const char *p)
{
    if (is_fixed_name(p))
        return true;
    if (!strncmp(p, "shards/", 7))
        return is_shard_name(p + 7, strlen(p + 7));
    if (strncmp(p, "images/", 7) != 0)
        return false;
    const char *a = p + 7, *slash = strchr(a, '/');
    if (!slash || slash - a > 60 || strchr(slash + 1, '/'))
        return false;
    char seg[64];
    memcpy(seg, a, (size_t)(slash - a));
    seg[slash - a] = '\0';
    return misi_name_is_safe(seg) && misi_name_is_safe(slash + 1);
}

/* ---- the path ---- */

static bool same_path(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    return a && b && realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

int misi_runstate_check_out_path(const char *out, misi_error *err)
{
    if (!out || !*out)
        return misi_error_set(err, MISI_E_USAGE, "--out is empty");
    char real[PATH_MAX];
    if (!realpath(out, real))
        return MISI_OK; /* not there yet: it will be a new folder */
    const char *why = NULL;
    const char *home = getenv("HOME");
    if (!strcmp(real, "/"))
        why = "the root folder";
    else if (!strcmp(real, "/root") || (!strncmp(real, "/home/", 6) && !strchr(real + 6, '/')))
        why = "a home folder";
    else if (home && *home && same_path(real, home))
        why = "your home folder ($HOME)";
    if (why)
        return misi_error_at(err, MISI_E_USAGE, out, 0,
                             "is %s: misi writes only into a folder of its own; choose a new or empty "
                             "folder below it (e.g. %s/misi-out)",
                             why, strcmp(real, "/") ? real : "");
    return MISI_OK;
}

/* ---- walking below out without links ---- */

/* Is out/rel a symbolic link? */
static bool is_link(const char *out, const char *rel)
{
    char *p = misi_path_join(out, rel);
    struct stat st;
    bool link = p && lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
    free(p);
    return link;
}

/* The folders misi writes into must be real folders: a link there would
 * take images (and, on --force, deletions) outside --out. */
static int refuse_links(const char *out, misi_error *err)
{
    static const char *const DIRS[] = {"images", "shards", MISI_PARTS_DIR};
    for (size_t i = 0; i < sizeof DIRS / sizeof DIRS[0]; i++)
        if (is_link(out, DIRS[i]))
            return misi_error_at(err, MISI_E_USAGE, out, 0,
                                 "%s is a symbolic link: misi neither writes nor deletes through links "
                                 "(remove the link or choose another --out)",
                                 DIRS[i]);
    char *images = misi_path_join(out, "images");
    DIR *d = images ? opendir(images) : NULL;
    struct dirent *e;
    int rc = MISI_OK;
    while (!rc && d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char rel[300];
        snprintf(rel, sizeof rel, "images/%s", e->d_name);
        if (is_link(out, rel))
            rc = misi_error_at(err, MISI_E_USAGE, out, 0,
                               "%s is a symbolic link: misi neither writes nor deletes through links "
                               "(remove the link or choose another --out)",
                               rel);
    }
    if (d)
        closedir(d);
    free(images);
    return rc;
}

/* Remove misi's temporaries from one of its folders (out/rel). */
static void sweep_dir(const char *out, const char *rel, name_pred pred)
{
    DIR *d = misi_opendir_beneath(out, rel);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN && e->d_type != DT_LNK)
            continue;
        if (is_temp_of(e->d_name, pred))
            unlinkat(dirfd(d), e->d_name, 0); /* a folder under such a name stays: EISDIR */
    }
    closedir(d);
}

/* a part, or the record of the images a complex is writing */
static bool part_pred(const char *n, size_t len)
{
    if (is_part_name(n, len))
        return true;
    return len > 14 && all_digits(n, 6) && n[6] == '-' && ends_with(n, len, ".images");
}

/* Call fn(out, "images/<name>", ctx) for each complex's folder under
 * out/images (names misi could have made, never through a link). */
static void each_image_folder(const char *out, void (*fn)(const char *out, const char *rel, void *ctx), void *ctx)
{
    DIR *d = misi_opendir_beneath(out, "images");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' || !misi_name_is_safe(e->d_name))
            continue;
        char rel[300];
        snprintf(rel, sizeof rel, "images/%s", e->d_name);
        fn(out, rel, ctx);
    }
    if (d)
        closedir(d);
}

static void sweep_image_folder(const char *out, const char *rel, void *ctx)
{
    (void)ctx;
    sweep_dir(out, rel, is_image_name);
}

/* A killed run can leave "<file>.tmp.<pid>.<n>" (an image or a part being
 * written) and "<file>.partial" (the assembled files): only those names of
 * misi's files, only in misi's folders, never through a link. */
static void sweep_temporaries(const char *out)
{
    sweep_dir(out, NULL, fixed_pred);
    sweep_dir(out, MISI_PARTS_DIR, part_pred);
    sweep_dir(out, "shards", is_shard_name);
    each_image_folder(out, sweep_image_folder, NULL);
}

/* ---- what is there ---- */

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_parts(misi_runstate *rs, misi_error *err)
{
    DIR *d = misi_opendir_beneath(rs->out, MISI_PARTS_DIR);
    if (!d)
        return MISI_OK;
    size_t cap = 0;
    int rc = MISI_OK;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        if (!is_part_name(e->d_name, strlen(e->d_name)))
            continue;
        if (rs->nparts == cap) {
            cap = cap ? 2 * cap : 64;
            char **t = realloc(rs->parts, cap * sizeof *t);
            if (!t) {
                rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
                break;
            }
            rs->parts = t;
        }
        rs->parts[rs->nparts] = strdup(e->d_name);
        if (!rs->parts[rs->nparts])
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        else
            rs->nparts++;
    }
    closedir(d);
    if (rs->nparts)
        qsort(rs->parts, rs->nparts, sizeof *rs->parts, name_cmp);
    return rc;
}

/* misi's manifest.json, or NULL (none, a link, not JSON, not misi's). */
static cJSON *read_manifest(const char *out)
{
    if (is_link(out, "manifest.json"))
        return NULL;
    char *path = misi_path_join(out, "manifest.json");
    char *text = NULL;
    size_t len = 0;
    cJSON *m = NULL;
    if (path && misi_is_file(path) && !misi_read_file(path, 0, &text, &len, NULL))
        m = cJSON_ParseWithLength(text, len);
    free(text);
    free(path);
    const char *tool = cJSON_GetStringValue(cJSON_GetObjectItem(m, "tool"));
    if (!tool || strcmp(tool, "misi") != 0) {
        cJSON_Delete(m);
        return NULL;
    }
    return m;
}

/* Does the entry out/name hold one of the inputs (a merge's shard folders
 * may live inside OUT, as tools/slurm puts them in OUT/slurm/K)? */
static bool holds_input(const char *out, const char *name, const char *const *inputs, size_t n)
{
    if (!n)
        return false;
    char *p = misi_path_join(out, name);
    char rp[PATH_MAX], ri[PATH_MAX];
    bool yes = false;
    if (p && realpath(p, rp)) {
        size_t l = strlen(rp);
        for (size_t i = 0; i < n && !yes; i++)
            yes = realpath(inputs[i], ri) && !strncmp(ri, rp, l) && (ri[l] == '/' || ri[l] == '\0');
    }
    free(p);
    return yes;
}

/* The entries of out, but the lock file and the folders holding a merge's
 * inputs: how many, and the first few names. */
static size_t list_entries(const char *out, const char *const *inputs, size_t ninputs, char *names,
                           size_t cap)
{
    DIR *d = opendir(out);
    size_t n = 0;
    if (names && cap)
        names[0] = '\0';
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, MISI_LOCK_FILE) ||
            holds_input(out, e->d_name, inputs, ninputs))
            continue;
        if (names && n < 5) {
            size_t l = strlen(names);
            snprintf(names + l, cap - l, "%s%s", n ? ", " : "", e->d_name);
        }
        n++;
    }
    if (d)
        closedir(d);
    return n;
}

static out_kind classify(const char *out, const char *const *inputs, size_t ninputs, bool *has_manifest)
{
    *has_manifest = false;
    struct stat st;
    if (lstat(out, &st) != 0 && stat(out, &st) != 0)
        return OUT_EMPTY;
    if (!list_entries(out, inputs, ninputs, NULL, 0))
        return OUT_EMPTY; /* at most a lock file left by a killed run */
    cJSON *m = read_manifest(out);
    *has_manifest = m != NULL;
    cJSON_Delete(m);
    char *parts = misi_path_join(out, MISI_PARTS_DIR), *lock = misi_path_join(out, MISI_LOCK_FILE);
    bool mine = *has_manifest || (parts && misi_is_dir(parts)) || (lock && misi_is_file(lock));
    free(parts);
    free(lock);
    return mine ? OUT_MISI : OUT_FOREIGN;
}

/* ---- the lock ---- */

/* flock on OUT/.misi-lock, holding the holder's PID. The kernel drops the
 * lock when its holder exits or is killed, so a lock file left by kill -9
 * is taken over without ceremony. The file stays after a run, emptied: it
 * marks the folder as misi's (a merge that failed half-way leaves images
 * and nothing else that says so), and a file that is never removed cannot
 * be locked by two processes through two different inodes. */
static int take_lock(misi_runstate *rs, misi_error *err)
{
    rs->lock_path = misi_path_join(rs->out, MISI_LOCK_FILE);
    if (!rs->lock_path)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (int tries = 0; tries < 100; tries++) {
        int fd = open(rs->lock_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        rs->lock_made = fd >= 0;
        if (fd < 0 && errno == EEXIST)
            fd = open(rs->lock_path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
            return misi_error_at(err, MISI_E_IO, rs->lock_path, 0, "cannot create the lock file: %s",
                                 strerror(errno));
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            char buf[32] = "";
            ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
            close(fd);
            if (e != EWOULDBLOCK && e != EAGAIN)
                return misi_error_at(err, MISI_E_IO, rs->lock_path, 0, "cannot lock: %s", strerror(e));
            long pid = n > 0 ? strtol(buf, NULL, 10) : 0;
            if (pid > 0)
                return misi_error_at(err, MISI_E_USAGE, rs->out, 0,
                                     "another misi process (PID %ld) is writing here; wait for it to "
                                     "finish or stop it (its lock: %s)",
                                     pid, rs->lock_path);
            return misi_error_at(err, MISI_E_USAGE, rs->out, 0,
                                 "another misi process is writing here (it holds %s); wait for it to "
                                 "finish or stop it",
                                 rs->lock_path);
        }
        struct stat a, b;
        if (fstat(fd, &a) != 0 || lstat(rs->lock_path, &b) != 0 || a.st_ino != b.st_ino ||
            a.st_dev != b.st_dev) {
            close(fd); /* replaced under us (by hand): try again */
            continue;
        }
        char buf[32];
        int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
        if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
            int e = errno;
            close(fd);
            return misi_error_at(err, MISI_E_IO, rs->lock_path, 0, "cannot write the lock file: %s",
                                 strerror(e));
        }
        rs->lock_fd = fd;
        return MISI_OK;
    }
    return misi_error_at(err, MISI_E_IO, rs->lock_path, 0, "cannot take the lock: it keeps changing");
}

/* ---- --force: remove the previous run's files ---- */

typedef struct removal {
    size_t files;
    char **ids; /* image folders files were removed from */
    size_t nids, capids;
} removal;

static void remove_owned(misi_runstate *rs, removal *rm, const char *rel)
{
    if (misi_unlink_beneath(rs->out, rel) != 0)
        return;
    rm->files++;
    if (strncmp(rel, "images/", 7) != 0)
        return;
    const char *id = rel + 7, *slash = strchr(id, '/');
    if (!slash)
        return;
    size_t n = (size_t)(slash - id);
    for (size_t i = 0; i < rm->nids; i++)
        if (strlen(rm->ids[i]) == n && !strncmp(rm->ids[i], id, n))
            return;
    if (rm->nids == rm->capids) {
        size_t cap = rm->capids ? 2 * rm->capids : 64;
        char **t = realloc(rm->ids, cap * sizeof *t);
        if (!t)
            return;
        rm->ids = t;
        rm->capids = cap;
    }
    rm->ids[rm->nids] = strndup(id, n);
    if (rm->ids[rm->nids])
        rm->nids++;
}

/* .parts/NNNNNN-<id>.images: images of a complex that a crash caught
 * before its part (misi_runstate_note_images); they and the record go. */
static void remove_noted_images(misi_runstate *rs, removal *rm)
{
    DIR *d = misi_opendir_beneath(rs->out, MISI_PARTS_DIR);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 14 || !all_digits(e->d_name, 6) || e->d_name[6] != '-' ||
            !ends_with(e->d_name, len, ".images"))
            continue;
        char rel[300];
        snprintf(rel, sizeof rel, "%s/%s", MISI_PARTS_DIR, e->d_name);
        char *path = misi_path_join(rs->out, rel), *text = NULL;
        size_t tlen = 0;
        if (path && !is_link(rs->out, rel) && !misi_read_file(path, 0, &text, &tlen, NULL)) {
            for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
                nl = strchr(line, '\n');
                if (nl)
                    *nl = '\0';
                if (!strncmp(line, "images/", 7) && is_dataset_path(line))
                    remove_owned(rs, rm, line);
            }
        }
        free(text);
        free(path);
        remove_owned(rs, rm, rel);
    }
    if (d)
        closedir(d);
}

/* The files of the previous run: what its manifest lists, its parts and the
 * images they record, and, when it never finished (parts there), the
 * assembled files and shards of its cut-off assembly, which no manifest
 * lists yet. Nothing else is touched. */
static void remove_previous_run(misi_runstate *rs, bool keep_parts)
{
    removal rm = {0};
    cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItem(rs->manifest, "files"))
    {
        const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(f, "path"));
        if (p && is_dataset_path(p))
            remove_owned(rs, &rm, p);
    }
    if (!keep_parts && rs->nparts) {
        for (size_t i = 0; i < rs->nparts; i++) {
            char rel[300];
            snprintf(rel, sizeof rel, "%s/%s", MISI_PARTS_DIR, rs->parts[i]);
            char *path = misi_path_join(rs->out, rel), *text = NULL;
            size_t len = 0;
            cJSON *p = NULL;
            if (path && !is_link(rs->out, rel) && !misi_read_file(path, 0, &text, &len, NULL))
                p = misi_part_parse(text, len, path, NULL);
            cJSON_ArrayForEach(f, cJSON_GetObjectItem(p, "images"))
                remove_owned(rs, &rm, cJSON_GetStringValue(cJSON_GetObjectItem(f, "path")));
            cJSON_Delete(p);
            free(text);
            free(path);
            remove_owned(rs, &rm, rel);
        }
        for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++)
            remove_owned(rs, &rm, FIXED[i]);
        DIR *d = misi_opendir_beneath(rs->out, "shards");
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (is_shard_name(e->d_name, strlen(e->d_name)) && e->d_type != DT_DIR) {
                char rel[300];
                snprintf(rel, sizeof rel, "shards/%s", e->d_name);
                remove_owned(rs, &rm, rel);
            }
        }
        if (d)
            closedir(d);
    }
    if (!keep_parts) {
        remove_noted_images(rs, &rm);
        remove_owned(rs, &rm, "manifest.json");
    }
    /* the folders misi made, when nothing else is left in them */
    for (size_t i = 0; i < rm.nids; i++) {
        char rel[300];
        snprintf(rel, sizeof rel, "images/%s", rm.ids[i]);
        misi_rmdir_beneath(rs->out, rel);
        free(rm.ids[i]);
    }
    free(rm.ids);
    misi_rmdir_beneath(rs->out, "images");
    misi_rmdir_beneath(rs->out, "shards");
    if (!keep_parts)
        misi_rmdir_beneath(rs->out, MISI_PARTS_DIR);
    if (rm.files)
        fprintf(stderr, "%s: --force: removed %zu files of the previous run in %s\n", rs->who, rm.files,
                rs->out);
}

/* Files at misi's own names that nothing proves misi made: replacing them
 * would destroy a user's file, so the run is refused naming them. */
static int refuse_foreign_names(const misi_runstate *rs, misi_error *err)
{
    char found[512] = "";
    size_t n = 0;
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++) {
        char *p = misi_path_join(rs->out, FIXED[i]);
        struct stat st;
        if (p && lstat(p, &st) == 0) {
            size_t l = strlen(found);
            snprintf(found + l, sizeof found - l, "%s%s", n++ ? ", " : "", FIXED[i]);
        }
        free(p);
    }
    DIR *d = misi_opendir_beneath(rs->out, "shards");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (is_shard_name(e->d_name, strlen(e->d_name))) {
            size_t l = strlen(found);
            snprintf(found + l, sizeof found - l, "%sshards/%s", n++ ? ", " : "", e->d_name);
        }
    }
    if (d)
        closedir(d);
    if (!n)
        return MISI_OK;
    return misi_error_at(err, MISI_E_USAGE, rs->out, 0,
                         "holds %s, which no misi manifest or part lists: misi will not replace a file it "
                         "did not make; move %s away or choose another --out",
                         found, n == 1 ? "it" : "them");
}

/* ---- opening ---- */

static bool entry_exists(const char *out, const char *rel)
{
    char *p = misi_path_join(out, rel);
    struct stat st;
    bool there = p && lstat(p, &st) == 0;
    free(p);
    return there;
}

int misi_runstate_open(const misi_runstate_desc *d, misi_runstate **out, misi_error *err)
{
    *out = NULL;
    int rc = misi_runstate_check_out_path(d->out, err);
    if (rc)
        return rc;
    misi_runstate *rs = calloc(1, sizeof *rs);
    if (!rs)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    rs->lock_fd = -1;
    snprintf(rs->who, sizeof rs->who, "%s", d->who ? d->who : "misi");
    rs->out = strdup(d->out);
    if (!rs->out) {
        free(rs);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    bool has_manifest = false;
    if (misi_is_file(rs->out) || (is_link(rs->out, ".") && !misi_is_dir(rs->out)))
        rc = misi_error_at(err, MISI_E_USAGE, rs->out, 0, "exists and is not a folder");
    if (!rc)
        rs->kind = classify(rs->out, d->inputs, d->ninputs, &has_manifest);
    if (!rc && rs->kind == OUT_FOREIGN && !d->force) {
        char names[256];
        size_t n = list_entries(rs->out, d->inputs, d->ninputs, names, sizeof names);
        rc = misi_error_at(err, MISI_E_USAGE, rs->out, 0,
                           "is not empty (%zu entr%s: %s%s) and holds no misi output: choose a new or empty "
                           "folder, or pass --force to write beside those files (misi then deletes and "
                           "replaces none of them)",
                           n, n == 1 ? "y" : "ies", names, n > 5 ? ", ..." : "");
    }
    if (!rc)
        rc = refuse_links(rs->out, err);
    if (!rc) {
        rs->made_dirs = misi_missing_dirs(rs->out);
        rs->had_images = entry_exists(rs->out, "images");
        rs->had_shards = entry_exists(rs->out, "shards");
        rs->had_parts_dir = entry_exists(rs->out, MISI_PARTS_DIR);
        rc = misi_mkdir_p(rs->out, err);
    }
    if (!rc)
        rc = take_lock(rs, err);
    /* Under the lock, what is there cannot change any more: read it again. */
    if (!rc && rs->kind == OUT_MISI) {
        rs->manifest = read_manifest(rs->out);
        rc = list_parts(rs, err);
    }
    bool finished = rs->manifest && cJSON_IsTrue(cJSON_GetObjectItem(rs->manifest, "complete"));
    if (!rc && !d->merge && !d->force && !d->resume) {
        if (rs->nparts)
            rc = misi_error_at(
                err, MISI_E_USAGE, rs->out, 0,
                "holds an unfinished run (%s); use --resume to continue it or --force to start over",
                MISI_PARTS_DIR);
        else if (rs->manifest)
            rc = misi_error_at(err, MISI_E_USAGE, rs->out, 0,
                               "holds a %s dataset (manifest.json); use --resume to %s it or --force to "
                               "make it again",
                               finished ? "finished" : "stopped", finished ? "check" : "continue");
    }
    if (!rc && d->merge && rs->manifest && !d->force)
        rc = misi_error_at(err, MISI_E_USAGE, rs->out, 0,
                           "holds a dataset already (manifest.json); use --force");
    if (!rc && rs->kind == OUT_MISI)
        sweep_temporaries(rs->out);
    if (!rc && d->force && rs->kind == OUT_MISI) {
        remove_previous_run(rs, d->out_is_input);
        if (!d->out_is_input) {
            for (size_t i = 0; i < rs->nparts; i++)
                free(rs->parts[i]);
            rs->nparts = 0;
        }
        cJSON_Delete(rs->manifest);
        rs->manifest = NULL;
    }
    if (!rc && d->force && !d->out_is_input)
        rc = refuse_foreign_names(rs, err);
    if (!rc && d->force && !d->out_is_input) {
        char names[256];
        size_t n = list_entries(rs->out, d->inputs, d->ninputs, names, sizeof names);
        if (n)
            fprintf(stderr, "%s: --force kept %zu entr%s in %s that misi did not make: %s%s\n", rs->who, n,
                    n == 1 ? "y" : "ies", rs->out, names, n > 5 ? ", ..." : "");
    }
    if (rc) {
        /* refused: a folder that was not misi's is left without our mark */
        if (rs->lock_fd >= 0 && rs->lock_made && rs->kind != OUT_MISI)
            unlink(rs->lock_path);
        misi_runstate_close(rs);
        return rc;
    }
    *out = rs;
    return MISI_OK;
}

void misi_runstate_close(misi_runstate *rs)
{
    if (!rs)
        return;
    if (rs->lock_fd >= 0) {
        /* emptied, so that the folder's bytes do not depend on who made it */
        if (ftruncate(rs->lock_fd, 0) != 0) {
            /* harmless: the PID of a finished process */
        }
        close(rs->lock_fd);
    }
    free(rs->lock_path);
    cJSON_Delete(rs->manifest);
    for (size_t i = 0; i < rs->nparts; i++)
        free(rs->parts[i]);
    free(rs->parts);
    free(rs->have);
    free(rs->out);
    free(rs);
}

/* ---- a run that finished nothing ---- */

/* Remove the files at misi's names in dir rel (under out) that pred accepts. */
static void remove_named(misi_runstate *rs, removal *rm, const char *rel, name_pred pred)
{
    DIR *d = misi_opendir_beneath(rs->out, rel);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_type == DT_DIR || !pred(e->d_name, strlen(e->d_name)))
            continue;
        char path[600];
        snprintf(path, sizeof path, "%s/%s", rel, e->d_name);
        remove_owned(rs, rm, path);
    }
    if (d)
        closedir(d);
}

/* Every image folder under images/ that is empty, then images/ itself. */
typedef struct {
    misi_runstate *rs;
    removal *rm;
    bool files_too;
} empty_dirs;

static void remove_image_folder(const char *out, const char *rel, void *ctx)
{
    empty_dirs *e = ctx;
    if (e->files_too)
        remove_named(e->rs, e->rm, rel, is_image_name);
    misi_rmdir_beneath(out, rel);
}

static void remove_empty_image_dirs(misi_runstate *rs, removal *rm, bool files_too)
{
    empty_dirs e = {rs, rm, files_too};
    each_image_folder(rs->out, remove_image_folder, &e);
    misi_rmdir_beneath(rs->out, "images");
}

void misi_runstate_abandon(misi_runstate *rs)
{
    if (!rs)
        return;
    if (rs->kind == OUT_MISI || rs->parts_written || rs->lock_fd < 0) {
        misi_runstate_close(rs); /* an earlier run's, or finished work: kept for --resume */
        return;
    }
    removal rm = {0};
    remove_noted_images(rs, &rm);
    /* A folder that was empty holds only this run's files: the ones at
     * misi's names go (a merge's images, a half-assembled dataset). In a
     * foreign folder (--force) only what this run recorded goes. */
    bool empty_before = rs->kind == OUT_EMPTY;
    if (empty_before) {
        for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++)
            remove_owned(rs, &rm, FIXED[i]);
        remove_named(rs, &rm, "shards", is_shard_name);
        remove_named(rs, &rm, MISI_PARTS_DIR, part_pred);
    }
    sweep_temporaries(rs->out);
    if (!rs->had_images)
        remove_empty_image_dirs(rs, &rm, empty_before);
    if (!rs->had_shards)
        misi_rmdir_beneath(rs->out, "shards");
    if (!rs->had_parts_dir)
        misi_rmdir_beneath(rs->out, MISI_PARTS_DIR);
    for (size_t i = 0; i < rm.nids; i++)
        free(rm.ids[i]);
    free(rm.ids);
    char who[sizeof rs->who];
    snprintf(who, sizeof who, "%s", rs->who);
    char *out = strdup(rs->out);
    int made = rs->made_dirs;
    if (rs->lock_made)
        unlink(rs->lock_path);
    misi_runstate_close(rs);
    /* the folders of the path this run created, when nothing else is in them */
    bool gone = out && misi_rmdir_made(out, made);
    if (out && (gone || rm.files))
        fprintf(stderr, "%s: failed before it finished anything, so nothing is kept: removed %s %s\n", who,
                gone ? "the folder it made," : "what it wrote in", out);
    free(out);
}

/* ---- resuming ---- */

static const char *what_differs(const cJSON *config, const cJSON *seed, double total, const char *sources_sha,
                                const misi_run_identity *id, bool *oom)
{
    char *mine = cJSON_PrintUnformatted(id->config), *theirs = cJSON_PrintUnformatted(config);
    const char *what = NULL;
    *oom = !mine || !theirs;
    if (*oom)
        what = NULL;
    else if (!cJSON_IsString(seed) || strcmp(cJSON_GetStringValue(seed), id->seed) != 0)
        what = "another seed";
    else if (cJSON_GetNumberValue(cJSON_GetObjectItem(config, "render_version")) != MISI_RENDER_VERSION)
        what = "another version of the renderer (its images would not match this one's)";
    else if (cJSON_GetNumberValue(cJSON_GetObjectItem(config, "record_version")) != MISI_RECORD_VERSION)
        what = "another version of the record format (records of two shapes would share one file; "
               "--force starts over)";
    else if (strcmp(mine, theirs) != 0)
        what = "other options (image size, tasks, counts, split, format ...)";
    else if ((size_t)total != id->total || (sources_sha && strcmp(sources_sha, id->sources_sha) != 0))
        what = "another list of complexes";
    cJSON_free(mine);
    cJSON_free(theirs);
    return what;
}

static int long_cmp(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Check the images of every part; drop the parts with a missing or damaged
 * one, so that those complexes are rendered again. Tar runs: an image whose
 * loose copy is gone was packed, and must be in an earlier shard with its
 * recorded hash. */
static int verify_parts(misi_runstate *rs, bool tar, size_t *verified, misi_error *err)
{
    int rc = MISI_OK;
    misi_shard_index *ix = NULL;
    for (size_t i = 0; !rc && i < rs->nparts; i++) {
        char rel[300];
        snprintf(rel, sizeof rel, "%s/%s", MISI_PARTS_DIR, rs->parts[i]);
        char *path = misi_path_join(rs->out, rel), *text = NULL;
        size_t len = 0;
        if (!path)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        rc = misi_read_file(path, 0, &text, &len, err);
        cJSON *p = rc ? NULL : misi_part_parse(text, len, path, err);
        if (!rc && !p)
            rc = err->code ? err->code : MISI_E_PARSE;
        const char *bad = NULL;
        bool bad_missing = false;
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(p, "images"))
        {
            const char *ip = cJSON_GetStringValue(cJSON_GetObjectItem(f, "path"));
            bool missing;
            bool ok = misi_file_matches(rs->out, ip, cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256")),
                                        cJSON_GetNumberValue(cJSON_GetObjectItem(f, "bytes")), &missing);
            if (!ok && missing && tar)
                ok = misi_shard_member_matches(rs->out, &ix, ip,
                                               cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256")),
                                               cJSON_GetNumberValue(cJSON_GetObjectItem(f, "bytes")));
            if (ok)
                ++*verified;
            else {
                bad = ip;
                bad_missing = missing && !tar;
                break;
            }
        }
        if (bad) {
            fprintf(stderr, "%s: %s/%s %s: rendering complex %s again\n", rs->who, rs->out, bad,
                    bad_missing ? "is missing"
                    : tar       ? "does not match the SHA-256 its part records, loose or in a shard"
                                : "does not match the SHA-256 its part records",
                    cJSON_GetStringValue(cJSON_GetObjectItem(p, "id")));
            misi_unlink_beneath(rs->out, rel);
            free(rs->parts[i]);
            rs->parts[i] = NULL;
        }
        cJSON_Delete(p);
        free(text);
        free(path);
    }
    misi_shard_index_destroy(ix);
    /* keep the parts that passed */
    size_t k = 0;
    for (size_t i = 0; i < rs->nparts; i++)
        if (rs->parts[i])
            rs->parts[k++] = rs->parts[i];
    rs->nparts = k;
    return rc;
}

int misi_runstate_resume(misi_runstate *rs, const misi_run_identity *id, bool verify, bool *complete,
                         size_t *verified, misi_error *err)
{
    *complete = false;
    *verified = 0;
    int rc = MISI_OK;
    bool oom = false;
    if (rs->nparts) {
        /* one part stands for the run: every part was checked against it when written */
        char rel[300];
        snprintf(rel, sizeof rel, "%s/%s", MISI_PARTS_DIR, rs->parts[0]);
        char *path = misi_path_join(rs->out, rel), *text = NULL;
        size_t len = 0;
        rc = path ? misi_read_file(path, 0, &text, &len, err) : misi_error_set(err, MISI_E_NOMEM, "oom");
        cJSON *p = rc ? NULL : misi_part_parse(text, len, path, err);
        if (!rc && !p)
            rc = err->code ? err->code : MISI_E_PARSE;
        const char *what = NULL;
        if (!rc)
            what = what_differs(cJSON_GetObjectItem(p, "config"), cJSON_GetObjectItem(p, "seed"),
                                cJSON_GetNumberValue(cJSON_GetObjectItem(p, "total")),
                                cJSON_GetStringValue(cJSON_GetObjectItem(p, "sources_sha256")), id, &oom);
        if (!rc && oom)
            rc = misi_error_set(err, MISI_E_NOMEM, "out of memory");
        else if (!rc && what)
            rc = misi_error_at(err, MISI_E_USAGE, path, 0,
                               "the run to resume was made with %s than this one: resume with the same "
                               "options and complexes, or start over with --force",
                               what);
        bool tar = false;
        if (!rc) {
            const char *fmt =
                cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(p, "config"), "format"));
            tar = fmt && !strcmp(fmt, "tar");
        }
        cJSON_Delete(p);
        free(text);
        free(path);
        if (!rc && verify)
            rc = verify_parts(rs, tar, verified, err);
    } else if (rs->manifest && cJSON_IsTrue(cJSON_GetObjectItem(rs->manifest, "complete"))) {
        const cJSON *m = rs->manifest;
        const char *what =
            what_differs(cJSON_GetObjectItem(m, "config"), cJSON_GetObjectItem(m, "seed"),
                         cJSON_GetNumberValue(cJSON_GetObjectItem(m, "sources")),
                         cJSON_GetStringValue(cJSON_GetObjectItem(m, "sources_sha256")), id, &oom);
        if (oom)
            return misi_error_set(err, MISI_E_NOMEM, "out of memory");
        if (what)
            return misi_error_at(err, MISI_E_USAGE, rs->out, 0,
                                 "holds a finished dataset made with %s than this one: check it with the "
                                 "same options and complexes, or start over with --force",
                                 what);
        size_t nbad = 0;
        const char *first = NULL;
        bool first_missing = false;
        const cJSON *f;
        cJSON_ArrayForEach(f, cJSON_GetObjectItem(m, "files"))
        {
            const char *p = cJSON_GetStringValue(cJSON_GetObjectItem(f, "path"));
            bool missing = false;
            if (!verify ||
                (p && is_dataset_path(p) &&
                 misi_file_matches(rs->out, p, cJSON_GetStringValue(cJSON_GetObjectItem(f, "sha256")),
                                   cJSON_GetNumberValue(cJSON_GetObjectItem(f, "bytes")), &missing))) {
                *verified += verify;
                continue;
            }
            if (!nbad++) {
                first = p ? p : "?";
                first_missing = missing;
            }
        }
        if (!nbad) {
            *complete = true;
            return MISI_OK;
        }
        /* Its parts are gone (a finished run removes them): make it again,
         * into the same names, and assemble as a fresh run would. */
        fprintf(stderr,
                "%s: %zu file%s of the finished dataset in %s %s (first: %s %s): making the dataset again\n",
                rs->who, nbad, nbad == 1 ? "" : "s", rs->out, nbad == 1 ? "is damaged" : "are damaged", first,
                first_missing ? "is missing" : "does not match its SHA-256");
    }
    if (rc)
        return rc;
    rs->have = rs->nparts ? malloc(rs->nparts * sizeof *rs->have) : NULL;
    if (rs->nparts && !rs->have)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (size_t i = 0; i < rs->nparts; i++)
        rs->have[i] = strtol(rs->parts[i], NULL, 10);
    rs->nhave = rs->nparts;
    if (rs->nhave)
        qsort(rs->have, rs->nhave, sizeof *rs->have, long_cmp);
    return MISI_OK;
}

bool misi_runstate_has_part(const misi_runstate *rs, size_t index)
{
    long key = (long)index;
    return rs->nhave && bsearch(&key, rs->have, rs->nhave, sizeof key, long_cmp);
}

int misi_runstate_write_part(misi_runstate *rs, size_t index, const char *id, const char *text,
                             misi_error *err)
{
    char rel[128];
    snprintf(rel, sizeof rel, "%s/%06zu-%s.json", MISI_PARTS_DIR, index, id);
    char *path = misi_path_join(rs->out, rel);
    if (!path)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory writing a part");
    if (!rs->parts_dir) {
        int rc = misi_mkdir_parents(path, err);
        if (rc) {
            free(path);
            return rc;
        }
        rs->parts_dir = true;
    }
    /* The images were written without fsync: one sync of the file system
     * makes them all durable before the part that vouches for them is. */
    int rc = misi_sync_fs(rs->out, err);
    if (!rc)
        rc = misi_write_file_atomic(path, text, strlen(text), err);
    free(path);
    if (!rc) {
        rs->parts_written++;
        snprintf(rel, sizeof rel, "%s/%06zu-%s.images", MISI_PARTS_DIR, index, id);
        misi_unlink_beneath(rs->out, rel); /* the part lists them now */
    }
    return rc;
}

int misi_runstate_note_images(misi_runstate *rs, size_t index, const char *id, const char *const *paths,
                              size_t n, misi_error *err)
{
    char rel[128];
    snprintf(rel, sizeof rel, "%s/%06zu-%s.images", MISI_PARTS_DIR, index, id);
    char *path = misi_path_join(rs->out, rel);
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        len += strlen(paths[i]) + 1;
    char *text = malloc(len + 1);
    int rc = path && text ? MISI_OK : misi_error_set(err, MISI_E_NOMEM, "out of memory");
    size_t at = 0;
    for (size_t i = 0; !rc && i < n; i++) {
        size_t l = strlen(paths[i]);
        memcpy(text + at, paths[i], l);
        text[at + l] = '\n';
        at += l + 1;
    }
    if (!rc && !rs->parts_dir) {
        rc = misi_mkdir_parents(path, err);
        rs->parts_dir = !rc;
    }
    /* durable before the first image is: an fsync per complex, not per image */
    if (!rc)
        rc = misi_write_file_atomic(path, text ? text : "", at, err);
    free(text);
    free(path);
    return rc;
}
