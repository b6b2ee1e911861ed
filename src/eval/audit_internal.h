/* The dataset as misi audit reads it (private to src/eval): the QA records
 * (through the score module's gold reader), metadata.jsonl reduced to
 * per-image column hashes and poses, an index of the tar shards, and
 * statistics of the images, decoded lazily. audit_data.c reads it;
 * audit.c runs the baselines on it. */
#ifndef MISI_EVAL_AUDIT_INTERNAL_H
#define MISI_EVAL_AUDIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "misi/error.h"
#include "misi/score.h"

/* metadata.jsonl columns tracked (besides file_name and complex) */
#define AUDIT_MAX_COLUMNS 16
/* side of the grey thumbnail of an image */
#define AUDIT_THUMB 32

/* string -> index, open addressing; keys are borrowed */
typedef struct strmap {
    char **keys; /* borrowed */
    size_t *val;
    size_t nslots, count;
} strmap;

typedef struct img_stats {
    double frac;   /* non-black share of pixels */
    double extent; /* larger side of the non-black bounding box / larger image side */
    double cx, cy; /* non-black centroid, screen convention (x right, y up), in [0, 1] */
    float thumb[AUDIT_THUMB * AUDIT_THUMB]; /* mean grey per cell, [0, 1] */
} img_stats;

typedef struct image {
    char *path;
    /* metadata.jsonl */
    bool has_meta, has_pose, has_scale;
    uint64_t col[AUDIT_MAX_COLUMNS]; /* hash of each column's value, 0 = absent */
    double rot[9], trans[3], px_per_a;
    /* tar member, when read from shards */
    int shard;
    unsigned long long off, len;
    img_stats *st; /* decoded lazily; NULL until then */
} image;

typedef struct question {
    const misi_gold_item *g;
    int task;
    int split; /* 0 train, 1 test */
    char *complex;
    const char *group; /* the fold key: the complex, or its group (--groups); not owned */
    long index; /* the id's trailing number, -1 when it has none */
    size_t *img; /* indices into the image table, in record order */
    size_t nimg;
    char *opt[4];   /* option text (T8) or image path (T5, T6); NULL when absent */
    long optimg[4]; /* T5, T6: image index of each option, -1 when absent */
    char *answer;
    /* the question text, hashed with every run of digits blanked (what the
     * text says besides numbers), and for T4 the residue's name alone
     * ("SER" of "one pocket residue, SER 508 of chain A"); 0 when absent */
    uint64_t text_key, residue_key;
    const char *origin; /* the QA file, for messages (owned by the dataset) */
    long line;
    int fold;
} question;

typedef struct dataset {
    const char *dir;
    char *qa_path[2]; /* train.jsonl, test.jsonl paths (owned): questions point at them */
    misi_gold gold[2];
    question *q;
    size_t nq, capq;
    image *img;
    size_t nimg, capimg;
    strmap imgmap;
    char *colnames[AUDIT_MAX_COLUMNS];
    size_t ncol;
    bool any_pose, any_scale;
    char **shard_path;
    FILE **shard_file;
    size_t nshards;
} dataset;

/* Read the dataset in folder dir (d zeroed): train.jsonl when want[0],
 * test.jsonl when want[1] (either may be absent, not both), metadata.jsonl
 * if present, shards/images-NNNNNN.tar if present. Errors name the file and
 * line. Release with audit_dataset_finish, also after an error. */
int audit_dataset_load(dataset *d, const char *dir, const bool want[2], misi_error *err);
void audit_dataset_finish(dataset *d);

/* Statistics of image ix, decoding it the first time (from the folder or
 * its shard). The error names the image and the record q that asked. The
 * result stays owned by d. */
int audit_image_stats(dataset *d, size_t ix, const question *q, const img_stats **out, misi_error *err);

#endif
