/* misi generate: complexes in, a dataset out (docs/dataset.md). Drives the
 * tasks, renders every distinct image once in batches, writes images, JSON
 * Lines, metadata and a manifest with the SHA-256 of every file. */
#ifndef MISI_GENERATE_H
#define MISI_GENERATE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "misi/error.h"
#include "misi/mol.h"
#include "misi/render.h"

/* misi_generate_config.format */
typedef enum misi_output_format {
    MISI_FORMAT_DEFAULT = 0, /* loose PNG files under images/ */
    MISI_FORMAT_FILES,
    MISI_FORMAT_TAR,         /* images in WebDataset-style shards/images-NNNNNN.tar */
} misi_output_format;

/* misi_generate_config.splits */
enum { MISI_GEN_SPLITS_BOTH = 0, MISI_GEN_SPLITS_TRAIN = 1, MISI_GEN_SPLITS_TEST = 2 };

#define MISI_GEN_MAX_TASKS 9

/* misi_generate_config.label_check */
enum {
    MISI_LABEL_CHECK_DEFAULT = 0, /* on with the legible layout (labels on), off with paper labels */
    MISI_LABEL_CHECK_ON,
    MISI_LABEL_CHECK_OFF,         /* keep questions whose answer labels are not legible (tiny test images) */
    MISI_LABEL_CHECK_NO_REFRAME,  /* on, but leave such a question out without trying the task's fallback
                                     framing first (the behaviour before it): for tests and comparisons
                                     only, not recorded in the manifest, so never resume with it */
};

/* Zero means default everywhere. */
/* The paper's test share (490 of 3993 complexes): the default test_fraction. */
#define MISI_PAPER_TEST_FRACTION (490.0 / 3993.0)

typedef struct misi_generate_config {
    const char *out_dir;     /* NULL = "misi-out" */
    uint64_t seed;           /* the run seed; 0 is a seed like any other */
    int splits;              /* MISI_GEN_SPLITS_* */
    /* With both splits, each complex goes to ONE split, so that no complex,
     * image or question of the test split is seen in training: the test
     * split when its id is in test_ids (when given), else when a hash of
     * its id falls below test_fraction (0 = the paper's 490 / 3993). */
    const char *const *test_ids;
    size_t ntest_ids;
    double test_fraction;
    /* Questions per complex, task (index = number - 1) and split; negative
     * = the paper preset's count for that complex. Zero-initialised configs
     * get the preset through misi_generate_config_defaults. */
    int counts[MISI_GEN_MAX_TASKS][2];
    bool counts_set;         /* false = paper preset for every task */
    unsigned task_mask;      /* bit k = task k+1; 0 = all */
    int width, height;       /* 0 = 512 */
    misi_style style;
    int aa;                  /* supersampling factor; 0 = renderer default */
    misi_labels labels;      /* 0 = on (the legible layout); MISI_LABELS_PAPER: the paper's placement */
    int label_check;         /* MISI_LABEL_CHECK_*: leave out a question whose answer's labels are not
                                legible in any of its images (src/pipeline/legibility.c) */
    const char *font_path;   /* label font; NULL = the renderer's default (not in the manifest: a
                                path says nothing of the font's contents) */
    int threads;             /* PNG encoder threads; 0 = online CPUs */
    int batch;               /* most views per render batch; 0 = automatic */
    int device;              /* EGL device (misi info); 0 = automatic */
    bool force;              /* overwrite an existing dataset in out_dir */
    int progress;            /* 0 = when stderr is a terminal, 1 = always, -1 = never */
    misi_output_format format;
    int shard_images;        /* images per tar shard; 0 = 10000 */
    /* --shard K/N: only sources with index % N == K; their parts stay in
     * out_dir for misi_merge. shard_count 0 = no sharding. */
    int shard_index, shard_count;
    bool resume;             /* keep the parts an earlier run of out_dir finished */
    /* Sentences for the manifest's "notes" (misi_source_list.notes: folders
     * skipped while finding the sources); kept with the first source's part. */
    const char *const *notes;
    size_t nnotes;
    bool no_verify;          /* --resume: trust the images already there (no SHA-256 check) */
    /* Checked between complexes; when it turns non-zero the run stops after
     * the complex in flight, assembles what it has (manifest "complete":
     * false) and returns MISI_E_CANCELLED. NULL = never. */
    volatile sig_atomic_t *stop;
} misi_generate_config;

typedef struct misi_generate_report {
    size_t complexes, skipped;
    size_t questions[MISI_GEN_MAX_TASKS][2];
    size_t images;
    size_t unanswerable;  /* task/complex pairs that could not make a question, and questions left out */
    size_t illegible;     /* of those, questions whose answer's labels were not legible in their images */
    size_t renders;       /* views the renderer drew, answerability checks included */
    size_t redraws;       /* of those, views of a request already drawn for the same complex */
    double seconds;
    size_t verified;       /* --resume: files found matching their SHA-256 */
    bool already_complete; /* --resume found a complete dataset: nothing was done */
} misi_generate_report;

/* Run over the sources (in order). A complex that fails to load is skipped and
 * listed in the manifest; the run goes on. Returns an error only when the run
 * itself fails (no GL, cannot write the output, output exists without force). */
int misi_generate(const misi_source_list *sources, const misi_generate_config *cfg, misi_generate_report *rep,
                  misi_error *err);

/* Combine the parts of shard folders (made with --shard K/N, same sources,
 * seed and options) into one dataset in out, byte-identical to an unsharded
 * run. Fails, naming what is missing, unless every complex has a part. */
int misi_merge(const char *out, const char *const *shard_dirs, size_t n, bool force, misi_error *err);

#endif
