/* File helpers: bounded whole-file reads, atomic writes. */
#define _GNU_SOURCE /* syncfs */
#include "misi/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int misi_read_file(const char *path, size_t max_bytes, char **out, size_t *len, misi_error *err)
{
    *out = NULL;
    *len = 0;
    if (max_bytes == 0)
        max_bytes = MISI_MAX_INPUT_BYTES;
    FILE *f = fopen(path, "rb");
    if (!f)
        return misi_error_at(err, MISI_E_IO, path, 0, "cannot open: %s", strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return misi_error_at(err, MISI_E_IO, path, 0, "not a regular file");
    }
    if ((unsigned long long)st.st_size > max_bytes) {
        fclose(f);
        return misi_error_at(err, MISI_E_LIMIT, path, 0, "file is %lld bytes, more than the limit of %zu",
                             (long long)st.st_size, max_bytes);
    }
    size_t n = (size_t)st.st_size;
    char *buf = malloc(n + 1);
    if (!buf) {
        fclose(f);
        return misi_error_at(err, MISI_E_NOMEM, path, 0, "out of memory for %zu bytes", n);
    }
    size_t got = fread(buf, 1, n, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || got != n) {
        free(buf);
        return misi_error_at(err, MISI_E_IO, path, 0, "read error (got %zu of %zu bytes)", got, n);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return MISI_OK;
}

/* pid + a process-wide counter: unique across threads and across processes
 * writing into one folder, so two writers never share a temporary. */
static atomic_ulong tmp_counter;

/* The folder part of path ("." when there is none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *b = misi_basename(path);
    size_t n = (size_t)(b - path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    char *d = malloc(n ? n + 1 : 2);
    if (!d)
        return NULL;
    if (n)
        memcpy(d, path, n);
    else
        d[0] = '.', n = 1;
    d[n] = '\0';
    return d;
}

int misi_fsync_dir(const char *dir, misi_error *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return misi_error_at(err, MISI_E_IO, dir, 0, "cannot open the folder to sync it: %s",
                             strerror(errno));
    int rc = MISI_OK;
    /* EINVAL: a file system without fsync on folders (some FUSE, tmpfs
     * before 5.x) has nothing to make durable */
    if (fsync(fd) != 0 && errno != EINVAL)
        rc = misi_error_at(err, MISI_E_IO, dir, 0, "cannot sync the folder: %s", strerror(errno));
    close(fd);
    return rc;
}

int misi_sync_fs(const char *path, misi_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return misi_error_at(err, MISI_E_IO, path, 0, "cannot open to sync: %s", strerror(errno));
#ifdef __linux__
    int bad = syncfs(fd) != 0;
#else
    sync();
    int bad = 0;
#endif
    int e = errno;
    close(fd);
    if (bad)
        return misi_error_at(err, MISI_E_IO, path, 0, "cannot sync the file system: %s", strerror(e));
    return MISI_OK;
}

static int write_atomic(const char *path, const void *data, size_t len, bool durable, misi_error *err)
{
    size_t plen = strlen(path);
    if (plen > SIZE_MAX - 64)
        return misi_error_at(err, MISI_E_USAGE, path, 0, "path too long");
    char *tmp = malloc(plen + 64);
    if (!tmp)
        return misi_error_at(err, MISI_E_NOMEM, path, 0, "out of memory");
    snprintf(tmp, plen + 64, "%s.tmp.%ld.%lu", path, (long)getpid(),
             (unsigned long)atomic_fetch_add(&tmp_counter, 1));
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) {
        int rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot create a temporary file beside it: %s",
                               strerror(errno));
        free(tmp);
        return rc;
    }
    const uint8_t *p = data;
    size_t done = 0;
    int saved = 0;
    while (done < len) {
        ssize_t n = write(fd, p + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            saved = n < 0 ? errno : EIO;
            break;
        }
        done += (size_t)n;
    }
    /* The data must be on disk before the name is: otherwise a power cut
     * after the rename can leave the final name on an empty file. */
    if (!saved && durable && fsync(fd) != 0)
        saved = errno;
    if (close(fd) != 0 && !saved)
        saved = errno;
    if (saved) {
        unlink(tmp);
        free(tmp);
        return misi_error_at(err, MISI_E_IO, path, 0, "write failed: %s", strerror(saved));
    }
    if (rename(tmp, path) != 0) {
        int rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot rename the temporary file into place: %s",
                               strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    int rc = MISI_OK;
    if (durable) {
        char *dir = dir_of(path);
        rc = dir ? misi_fsync_dir(dir, err) : misi_error_set(err, MISI_E_NOMEM, "out of memory");
        free(dir);
    }
    return rc;
}

int misi_write_file_atomic(const char *path, const void *data, size_t len, misi_error *err)
{
    return write_atomic(path, data, len, true, err);
}

int misi_write_file_atomic_nosync(const char *path, const void *data, size_t len, misi_error *err)
{
    return write_atomic(path, data, len, false, err);
}

int misi_open_beneath(const char *out, const char *rel, int flags)
{
    int fd = open(out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char part[256];
    const char *p = rel;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n >= sizeof part || !strncmp(p, "..", n) || !strncmp(p, ".", n)) {
            close(fd);
            errno = EINVAL;
            return -1;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        int next = openat(fd, part, (slash ? O_DIRECTORY : flags) | O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        close(fd);
        if (next < 0) {
            errno = e;
            return -1;
        }
        if (!slash)
            return next;
        fd = next;
        p = slash + 1;
    }
}

DIR *misi_opendir_beneath(const char *root, const char *rel)
{
    int fd = rel ? misi_open_beneath(root, rel, O_DIRECTORY) : open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (fd >= 0 && !d) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return d;
}

int misi_unlink_beneath(const char *root, const char *rel)
{
    if (!rel[0] || rel[0] == '/')
        return -EINVAL;
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    char part[256];
    const char *p = rel;
    int rc = 0;
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t n = slash ? (size_t)(slash - p) : strlen(p);
        if (n == 0 || n >= sizeof part || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
            rc = -EINVAL;
            break;
        }
        memcpy(part, p, n);
        part[n] = '\0';
        if (!slash) {
            /* unlinkat never follows a link: a link is removed, not its target */
            if (unlinkat(fd, part, 0) != 0)
                rc = -errno;
            break;
        }
        /* O_NOFOLLOW: a folder replaced by a link to elsewhere is not entered */
        int next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            rc = -errno;
            break;
        }
        close(fd);
        fd = next;
        p = slash + 1;
    }
    close(fd);
    return rc;
}

int misi_rmdir_beneath(const char *root, const char *rel)
{
    char *p = misi_path_join(root, rel);
    if (!p)
        return -ENOMEM;
    struct stat st;
    int rc = 0;
    /* only a real folder, and only when empty (rmdir refuses otherwise) */
    if (lstat(p, &st) != 0)
        rc = -errno;
    else if (!S_ISDIR(st.st_mode))
        rc = -ENOTDIR;
    else if (rmdir(p) != 0)
        rc = -errno;
    free(p);
    return rc;
}

bool misi_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

bool misi_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *misi_basename(const char *path)
{
    const char *end = path + strlen(path);
    while (end > path && end[-1] == '/')
        end--;
    const char *b = end;
    while (b > path && b[-1] != '/')
        b--;
    return b;
}

char *misi_path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", a, b);
    return p;
}

int misi_mkdir_parents(const char *file, misi_error *err)
{
    char *p = strdup(file);
    if (!p)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            int rc = misi_error_at(err, MISI_E_IO, p, 0, "cannot create folder: %s", strerror(errno));
            free(p);
            return rc;
        }
        *s = '/';
    }
    free(p);
    return MISI_OK;
}

int misi_mkdir_p(const char *path, misi_error *err)
{
    int rc = misi_mkdir_parents(path, err);
    if (!rc && mkdir(path, 0777) != 0 && errno != EEXIST)
        rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot create folder: %s", strerror(errno));
    if (!rc && !misi_is_dir(path))
        rc = misi_error_at(err, MISI_E_IO, path, 0, "exists and is not a folder");
    return rc;
}

/* Cut path's last component off in place (trailing slashes first); false
 * when nothing is left above it that a relative or absolute path names. */
static bool cut_last(char *p)
{
    char *slash = strrchr(p, '/');
    while (slash && slash > p && slash[1] == '\0') {
        *slash = '\0';
        slash = strrchr(p, '/');
    }
    if (!slash || slash == p)
        return false; /* a relative first component, or "/x": its parent is there */
    *slash = '\0';
    return true;
}

int misi_missing_dirs(const char *path)
{
    char *p = strdup(path);
    int n = 0;
    struct stat st;
    while (p && *p && lstat(p, &st) != 0 && errno == ENOENT) {
        n++;
        if (!cut_last(p))
            break;
    }
    free(p);
    return n;
}

bool misi_rmdir_made(const char *path, int n)
{
    char *p = strdup(path);
    bool gone = false;
    for (int i = 0; p && i < n; i++) {
        if (rmdir(p) != 0)
            break;
        gone = gone || i == 0;
        if (!cut_last(p))
            break;
    }
    free(p);
    return gone;
}

void misi_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *p = misi_path_join(path, e->d_name);
            if (p)
                misi_remove_tree(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(path);
}

bool misi_name_is_safe(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 60 || name[0] == '.')
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.'))
            return false;
    }
    return true;
}
