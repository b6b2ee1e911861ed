/* File helpers: bounded whole-file reads, atomic writes. */
#include "misi/fs.h"

#include <errno.h>
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

int misi_write_file_atomic(const char *path, const void *data, size_t len, misi_error *err)
{
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 32);
    if (!tmp)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        int rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot create temporary file: %s", strerror(errno));
        free(tmp);
        return rc;
    }
    size_t put = fwrite(data, 1, len, f);
    int bad = put != len || fflush(f) != 0;
    int saved = errno;
    bad |= fclose(f) != 0;
    if (bad) {
        unlink(tmp);
        free(tmp);
        return misi_error_at(err, MISI_E_IO, path, 0, "write failed: %s", strerror(saved ? saved : EIO));
    }
    if (rename(tmp, path) != 0) {
        int rc = misi_error_at(err, MISI_E_IO, path, 0, "cannot rename temporary file: %s", strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return MISI_OK;
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
