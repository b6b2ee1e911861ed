/* The run state of an output folder (private to src/pipeline).
 *
 * Everything about an output folder that is not the dataset's bytes lives
 * here, so that generate, --resume, --force and merge follow one set of
 * rules (docs/reliability.md "Safe outputs"):
 *  - which --out is acceptable at all (never /, a home folder, or a
 *    non-empty folder that holds no misi output, unless --force);
 *  - the lock: one writer at a time (an flock on OUT/.misi-lock, which the
 *    kernel releases when the holder dies; the empty file stays and marks
 *    the folder as misi's);
 *  - ownership: what misi may delete or replace is what its manifest or its
 *    parts record (plus its own temporary names), never through a link;
 *  - parts: which complexes an earlier run finished, written durably;
 *  - verification: a part whose images no longer match their SHA-256 is
 *    dropped on --resume so the complex is rendered again, and a complete
 *    dataset is checked file by file before --resume calls it done. */
#ifndef MISI_PIPELINE_RUNSTATE_H
#define MISI_PIPELINE_RUNSTATE_H

#include <stdbool.h>
#include <stddef.h>

#include "misi/error.h"

struct cJSON;

#define MISI_LOCK_FILE ".misi-lock"

typedef struct misi_runstate misi_runstate;

typedef struct misi_runstate_desc {
    const char *out;
    const char *who; /* "misi generate", "misi merge": starts the notes it prints */
    bool resume;     /* continue what is there */
    bool force;      /* start over: remove the previous run's files (only those) */
    /* misi merge with out among its inputs: out's parts are inputs and stay */
    bool out_is_input;
    bool merge; /* a merge */
    /* a merge's shard folders: OUT may hold them (OUT/slurm/K), and the
     * folders that do are not counted as someone else's files */
    const char *const *inputs;
    size_t ninputs;
} misi_runstate_desc;

/* What a run must share with the one it continues. */
typedef struct misi_run_identity {
    const struct cJSON *config;
    const char *seed;
    size_t total;
    const char *sources_sha;
} misi_run_identity;

/* Is out acceptable as an output folder at all? Refuses "/", $HOME, a
 * direct child of /home, and /root (also through links). Reads nothing but
 * the path's resolution; touches nothing. */
int misi_runstate_check_out_path(const char *out, misi_error *err);

/* Take out for writing: check the path, refuse a foreign non-empty folder
 * (unless force), refuse misi's folders that are links, take the lock
 * (refused at once, naming the holder's PID, when another process holds
 * it), remove misi's own temporaries, and with force remove the previous
 * run's recorded files, saying on stderr what was kept. Without resume or
 * force a folder holding a run or a dataset is refused. *out gets the state
 * (misi_runstate_close it). */
int misi_runstate_open(const misi_runstate_desc *d, misi_runstate **out, misi_error *err);

/* Release the lock (the lock file stays, empty) and free. NULL is a no-op. */
void misi_runstate_close(misi_runstate *rs);

/* A run that failed: when out held no misi run before this one and this run
 * wrote no part, take away what it made — the images it recorded, misi's
 * files and temporaries (all of misi's names only when out was new or
 * empty), the folders it created when they are empty, its lock file — and
 * free rs, saying on stderr what went. Otherwise the same as
 * misi_runstate_close: what was there, and finished work, stay for
 * --resume. Never removes a file at a name misi does not use. */
void misi_runstate_abandon(misi_runstate *rs);

/* --resume: check that the run there was made like this one, then (verify)
 * check every image its parts recorded against its SHA-256 and drop the
 * parts whose images are missing or damaged, so those complexes are made
 * again. When the folder holds a complete dataset (no parts, a manifest
 * with "complete": true) whose listed files all match, *complete is set and
 * there is nothing to do; *verified counts the files checked. */
int misi_runstate_resume(misi_runstate *rs, const misi_run_identity *id, bool verify, bool *complete,
                         size_t *verified, misi_error *err);

/* A part for source index is there (after misi_runstate_resume). */
bool misi_runstate_has_part(const misi_runstate *rs, size_t index);

/* Before a complex's images are written: record their paths (relative to
 * out) in .parts/NNNNNN-<id>.images, durably, so that images a crash leaves
 * without a part are still known to be misi's (--force removes them). The
 * part, once written, replaces the record. */
int misi_runstate_note_images(misi_runstate *rs, size_t index, const char *id, const char *const *paths,
                              size_t n, misi_error *err);

/* Write the part of source index durably: the file system is synced first
 * (the complex's images, written without fsync, are on disk before the part
 * that vouches for them), then the part is written with
 * misi_write_file_atomic. */
int misi_runstate_write_part(misi_runstate *rs, size_t index, const char *id, const char *text,
                             misi_error *err);

#endif
