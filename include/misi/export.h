/* misi export: a generated dataset (loose images or --format tar) in the
 * forms other tools read: VLMEvalKit TSV, an lmms-eval task folder, LLaVA
 * JSON and question-level WebDataset shards (docs/export.md).
 *
 * An export reads the split's records and images, checks each file it reads
 * against the SHA-256 the dataset's manifest records, and writes a folder
 * made in a temporary beside the output and renamed into place, so no half
 * export is ever presented as whole. Exports carry each question's answer
 * and never the records' truth or truth.jsonl. The same dataset and options
 * give byte-identical exports, loose or tar. */
#ifndef MISI_EXPORT_H
#define MISI_EXPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "misi/error.h"

typedef enum misi_export_format {
    MISI_EXPORT_UNSET = 0, /* no default: the caller names one */
    MISI_EXPORT_VLMEVALKIT,
    MISI_EXPORT_LMMS_EVAL,
    MISI_EXPORT_LLAVA,
    MISI_EXPORT_WDS,
} misi_export_format;

typedef enum misi_export_split {
    MISI_EXPORT_SPLIT_DEFAULT = 0, /* test for vlmevalkit and lmms-eval, train for llava and wds */
    MISI_EXPORT_SPLIT_TRAIN,
    MISI_EXPORT_SPLIT_TEST,
    MISI_EXPORT_SPLIT_ALL, /* train, then test */
} misi_export_split;

/* Questions per WebDataset shard when shard_samples is 0. */
#define MISI_EXPORT_SHARD_SAMPLES 1000

typedef struct misi_export_config {
    const char *dataset; /* a folder made by misi generate or misi merge */
    const char *out;     /* NULL: "<dataset>-<format>-<split>" beside the dataset */
    misi_export_format format;
    misi_export_split split;
    unsigned tasks;    /* bit 1 << n for task n (1-9); 0: every task */
    bool force;        /* replace an earlier export at out (only a folder misi export made) */
    int shard_samples; /* wds: questions per shard; 0: MISI_EXPORT_SHARD_SAMPLES */
} misi_export_config;

typedef struct misi_export_report {
    char *out;          /* the folder written (malloc'd; misi_export_report_finish frees) */
    size_t questions[2]; /* exported questions of train and test */
    size_t images;      /* image reads checked against the manifest */
    bool replaced;      /* an earlier export at out was replaced (--force) */
} misi_export_report;

/* The format's name ("vlmevalkit", "lmms-eval", "llava", "wds"), or NULL. */
const char *misi_export_format_name(misi_export_format f);
/* The format named s, or MISI_EXPORT_UNSET. */
misi_export_format misi_export_format_parse(const char *s);
/* "vlmevalkit, lmms-eval, llava, wds": for usage messages. */
#define MISI_EXPORT_FORMATS "vlmevalkit, lmms-eval, llava, wds"

/* Export as c says. 0, or a negative misi_status with err naming the file
 * (and line) that stopped it; on failure nothing is left at out (an earlier
 * export there is untouched) and no temporary remains. */
int misi_export(const misi_export_config *c, misi_export_report *r, misi_error *err);
void misi_export_report_finish(misi_export_report *r);

#endif
