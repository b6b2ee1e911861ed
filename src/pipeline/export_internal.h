/* What the export formats share (private to src/pipeline/export*.c).
 *
 * export.c reads the dataset, checks every file it reads against the
 * manifest, and hands each question, already stripped of its truth, with its
 * images' bytes to one writer (export_<format>.c) that writes below the
 * temporary output folder. A writer sees records in a fixed order (the
 * split's file order, train before test) and must write nothing that
 * depends on anything else, so exports are byte-identical. */
#ifndef MISI_PIPELINE_EXPORT_INTERNAL_H
#define MISI_PIPELINE_EXPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "misi/error.h"
#include "misi/export.h"

struct cJSON;

typedef struct export_image {
    const char *path; /* as the record lists it: images/<complex>/<name>.png */
    unsigned char *data;
    size_t len;
} export_image;

typedef struct export_record {
    const struct cJSON *rec;  /* id, task, task_number, split, complex, images, question, answer, options */
    const struct cJSON *conv; /* the conversation record (writers that ask for it), else NULL */
    const char *split;        /* "train" or "test" */
    const char *id, *task, *question, *answer;
    int task_number;
    bool mc;                    /* T5, T6, T8: options A-D */
    const char *options[4];     /* MC: the option values, else NULL */
    const export_image *img;
    size_t nimg;
} export_record;

typedef struct export_ctx {
    const char *tmp; /* the temporary output folder every writer writes below */
    const misi_export_config *cfg;
    void *state; /* the writer's */
} export_ctx;

typedef struct export_writer {
    bool conversations; /* wants <split>.conversations.jsonl beside the records */
    int (*split_begin)(export_ctx *x, const char *split, misi_error *err);
    int (*record)(export_ctx *x, const export_record *r, misi_error *err);
    int (*split_end)(export_ctx *x, const char *split, misi_error *err);
    int (*end)(export_ctx *x, misi_error *err); /* after the last split */
    void (*destroy)(export_ctx *x);             /* frees state, also after a failure */
} export_writer;

extern const export_writer export_vlmevalkit_writer;
extern const export_writer export_lmms_eval_writer;
extern const export_writer export_llava_writer;
extern const export_writer export_wds_writer;

/* A file written as a stream below the temporary folder (a TSV of base64
 * images can be gigabytes). Errors name the file. */
typedef struct export_file {
    FILE *f;
    char *path;
} export_file;

int export_file_open(const export_ctx *x, export_file *o, const char *rel, misi_error *err);
int export_file_write(export_file *o, const void *data, size_t n, misi_error *err);
int export_file_puts(export_file *o, const char *s, misi_error *err);
/* Flush and close; an error here (a full disk) fails the export. */
int export_file_close(export_file *o, misi_error *err);
/* Close without caring (after a failure: the temporary folder goes). */
void export_file_drop(export_file *o);

/* Write rel below the temporary folder in one go (parents made). */
int export_write_whole(const export_ctx *x, const char *rel, const void *data, size_t n, misi_error *err);
/* Copy an image to its own path below the temporary folder, once. */
int export_copy_image(const export_ctx *x, const export_image *im, misi_error *err);
/* Standard base64 (RFC 4648, padded), malloc'd and NUL-terminated. */
char *export_base64(const unsigned char *data, size_t n);

#endif
