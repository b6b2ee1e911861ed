/* Question sheets: one PNG that shows a generated dataset's question as a
 * person sees it — its id and task, its images in a grid each captioned
 * "Image n", the question word-wrapped, the options A-D and the answer —
 * for reading a dataset, for docs, or (answer hidden) as a quiz. Reads loose
 * images or the members of --format tar shards; draws with misi's label
 * font on the CPU (no GL). */
#ifndef MISI_PREVIEW_H
#define MISI_PREVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "misi/error.h"
#include "misi/png.h"

/* Most questions one --task sheet shows. */
#define MISI_PREVIEW_MAX_COUNT 20

/* Zero means default. Set id, or task. */
typedef struct misi_preview_config {
    const char *id;    /* one question, by its id */
    const char *task;  /* or the first `count` questions of a task (name or number 1-9) */
    int count;         /* with task: 1 to MISI_PREVIEW_MAX_COUNT; 0 = 3 */
    const char *split; /* "train" or "test"; NULL = both (train.jsonl first) */
    bool hide_answer;  /* leave the answer out (a sheet to show a person as a quiz) */
    int tile;          /* longer side of each image in the sheet, px (8-4096); 0 = the image's own size */
    const char *font;  /* TrueType file; NULL = the label font ($MISI_FONT, else DejaVu Sans) */
} misi_preview_config;

/* Make the sheet of the dataset folder made by misi generate (or merge) into
 * png (its previous contents replaced). *shown (may be NULL) receives how
 * many questions it shows. Errors name the file and what was expected: an
 * unknown id or task is MISI_E_USAGE; a missing or undecodable image
 * MISI_E_IO / MISI_E_PARSE. Same dataset and config: same bytes. */
int misi_preview_sheet(const char *dataset, const misi_preview_config *cfg, misi_png_buf *png, size_t *shown,
                       misi_error *err);

/* misi_preview_sheet written to path atomically (the missing folders above it
 * made): on any error nothing is written and a file already at path stays
 * as it was. */
int misi_preview_write(const char *dataset, const misi_preview_config *cfg, const char *path, size_t *shown,
                       misi_error *err);

#endif
