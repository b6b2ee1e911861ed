/* Whole-file reads and atomic writes. */
#ifndef MISI_FS_H
#define MISI_FS_H

#include <dirent.h>
#include <stdbool.h>
#include <stddef.h>

#include "misi/error.h"

/* Largest input structure file we read (bigger ones get MISI_E_LIMIT). */
#define MISI_MAX_INPUT_BYTES ((size_t)512 << 20)

/* Read a whole file into a NUL-terminated buffer the caller frees. Files over
 * max_bytes (0 = MISI_MAX_INPUT_BYTES) are refused with MISI_E_LIMIT. */
int misi_read_file(const char *path, size_t max_bytes, char **out, size_t *len, misi_error *err);

/* Write len bytes to path atomically and durably: a temporary file beside
 * it ("<path>.tmp.<pid>.<n>", unique per process and call, so threads never
 * share one), fsync'd, renamed over the target, and the folder fsync'd: after
 * a crash at any point the target is the old file or the whole new one. On
 * any failure the temporary is removed and the target is untouched.
 * Thread-safe. */
int misi_write_file_atomic(const char *path, const void *data, size_t len, misi_error *err);
/* The same without the two fsyncs: the rename still never exposes a partial
 * file to a running reader, but after a power cut the file may be empty. For
 * many small files made durable together by one misi_sync_fs() before
 * anything that vouches for them is written (misi generate's images, synced
 * once per part: docs/reliability.md "Durability"). */
int misi_write_file_atomic_nosync(const char *path, const void *data, size_t len, misi_error *err);
/* fsync a folder, so that renames and creations in it are durable. */
int misi_fsync_dir(const char *dir, misi_error *err);
/* Flush the whole file system that holds path (syncfs(2); sync(2) elsewhere). */
int misi_sync_fs(const char *path, misi_error *err);
/* Open root/rel read-only without following a symbolic link anywhere below
 * root (each folder opened with O_NOFOLLOW); flags adds e.g. O_DIRECTORY for
 * the last component. rel: relative, no "." or ".." components. A file
 * descriptor, or -1 with errno set. */
int misi_open_beneath(const char *root, const char *rel, int flags);
/* The folder root/rel (root itself when rel is NULL) as a directory stream,
 * opened as misi_open_beneath does; NULL with errno set. closedir() it. */
DIR *misi_opendir_beneath(const char *root, const char *rel);
/* Unlink root/rel without following any symbolic link on the way: each
 * folder of rel is opened with O_NOFOLLOW below root, so a folder replaced
 * by a link that leaves root is never entered. rel must be relative, without
 * "." or ".." components. 0 or -errno. */
int misi_unlink_beneath(const char *root, const char *rel);
/* rmdir root/rel when it is a real (not linked), empty folder. 0 or -errno. */
int misi_rmdir_beneath(const char *root, const char *rel);

bool misi_is_dir(const char *path);
bool misi_is_file(const char *path);

/* "a" + "b" -> "a/b", malloc'd (caller frees); NULL when out of memory. */
char *misi_path_join(const char *a, const char *b);
/* Create a folder and its missing parents (like mkdir -p). */
int misi_mkdir_p(const char *path, misi_error *err);
/* Create the missing folders above a file path. */
int misi_mkdir_parents(const char *file, misi_error *err);
/* How many folders of path (itself, then its parents) do not exist yet:
 * what misi_mkdir_p would create. Call before it, to undo it with
 * misi_rmdir_made. */
int misi_missing_dirs(const char *path);
/* Undo misi_mkdir_p: rmdir path and then its parents, n folders in all,
 * stopping at the first that is not empty. True when path itself went. */
bool misi_rmdir_made(const char *path, int n);
/* Remove a file or a folder with everything in it (no symlinks followed);
 * errors are ignored: it is for temporaries we made. */
void misi_remove_tree(const char *path);

/* Usable as one path component of our output (a complex id becomes a
 * folder name): 1-60 characters of [A-Za-z0-9._-], not starting with '.',
 * so no "..", no "/", no control characters, nothing absolute. */
bool misi_name_is_safe(const char *name);

/* Base name without folders ("a/b/1abc" -> "1abc"); points into path. */
const char *misi_basename(const char *path);

#endif
