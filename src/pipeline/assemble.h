/* Assembling a dataset from per-complex parts (private to src/pipeline).
 *
 * A run writes one part per complex, <dir>/.parts/NNNNNN-<id>.json (NNNNNN =
 * the complex's index among all sources), atomically, once the complex's
 * images are on disk: its records, the images it needs (with the SHA-256 of
 * those it wrote) and its notes. The final files are made from parts in index
 * order, so an unsharded run, a merge of shards and a resumed run are the
 * same code path and give the same bytes. */
#ifndef MISI_PIPELINE_ASSEMBLE_H
#define MISI_PIPELINE_ASSEMBLE_H

#include <stdbool.h>
#include <stddef.h>

#include "misi/error.h"

#define MISI_PARTS_DIR ".parts"

/* Assemble into out from the parts under each of dirs (out itself may be one
 * of them). complete: every index 0..total-1 must have a part, and the
 * manifest says "complete": true; otherwise (an interrupted run) assemble
 * the parts there are and say false. When complete, out's own .parts folder
 * is removed afterwards. Images that live in another dir are linked or copied
 * into out (loose files) or packed (tar format). */
/* verify: hash every image that is reused (misi merge); without it, the
 * images of out itself are trusted (a run hashed them as it wrote them, and
 * --resume checked the earlier ones), and those of other dirs and of earlier
 * shards are still checked as they are read. Only out's own part files and
 * misi's empty folders are removed; nothing else in out is deleted. */
int misi_assemble(const char *out, const char *const *dirs, size_t ndirs, bool complete, bool verify,
                  misi_error *err);

/* Parse and check one part file's text (path names it in errors). Parts come
 * from other machines' shards and from interrupted runs, so nothing in them
 * is trusted: every field assembly reads must be there with its type, and
 * every image path must be a safe "images/<id>/<name>" inside the dataset.
 * Returns the parsed part (cJSON_Delete it) or NULL with err set (MISI_E_PARSE
 * naming the file and the field, e.g. "images[3].path: expected ..."). */
struct cJSON *misi_part_parse(const char *text, size_t len, const char *path, misi_error *err);

#endif
