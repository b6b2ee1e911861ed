/* Checking files against what was recorded of them (private to
 * src/pipeline): --resume checks the images of earlier parts and the files
 * of a finished dataset with these before trusting them. Every read goes
 * below the output folder without following a link, and hashes as it reads
 * (one pass, 64 KiB at a time). misi preview reads shard members through
 * the same index. */
#ifndef MISI_PIPELINE_VERIFY_H
#define MISI_PIPELINE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "misi/error.h"

/* Does out/rel have this SHA-256 (64 lowercase hex digits) and size?
 * *missing is set when it is not there at all. */
bool misi_file_matches(const char *out, const char *rel, const char *sha, double bytes, bool *missing);

/* The members of out/shards/images-NNNNNN.tar, indexed on first use. */
typedef struct misi_shard_index misi_shard_index;

/* Does a shard under out hold the member path with this SHA-256 and size?
 * *ix starts NULL and is built (headers read) on the first call; a header
 * that does not parse ends its shard's index, so the members past it are
 * not found. Free with misi_shard_index_destroy. */
bool misi_shard_member_matches(const char *out, misi_shard_index **ix, const char *path, const char *sha,
                               double bytes);
/* Where a shard under out holds the member path (the first one of that
 * name): *shard gets the shard's path relative to out (owned by the index),
 * *off and *len where its bytes lie. False when no shard holds it. The
 * bytes are not checked: check the shard's SHA-256 before trusting them. */
bool misi_shard_member_find(const char *out, misi_shard_index **ix, const char *path, const char **shard,
                            unsigned long long *off, unsigned long long *len);
void misi_shard_index_destroy(misi_shard_index *ix);

/* Read the member path of a shard under out (the first that reads whole,
 * when several hold it) into *data (malloc'd, the caller frees) and *len.
 * *ix as above. Returns 0; MISI_E_IO when no shard has it (err says so,
 * naming out); MISI_E_LIMIT for a member over max_bytes; MISI_E_NOMEM. */
int misi_shard_member_read(const char *out, misi_shard_index **ix, const char *path, size_t max_bytes,
                           char **data, size_t *len, misi_error *err);

#endif
