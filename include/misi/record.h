/* The shape of every JSON Lines line misi writes (docs/dataset.md "One type
 * per field"): each field has one JSON type in every line of every task, so
 * that Arrow-based loaders (Hugging Face `datasets`, pandas -> parquet),
 * which infer one type per column, read the files whole. Three rules, kept
 * here in one place:
 *
 *  - a record's `truth` has one fixed key set, the union over the nine
 *    tasks, in one order; a key a task does not fill is null;
 *  - a field that is a float is printed with a fraction or an exponent
 *    (`4.0`, never `4`), since a reader that sees only `4` in a block of
 *    lines infers an integer column and then fails on `3.5`;
 *  - everything else a line holds is built with the same keys every time
 *    (the callers: src/pipeline/generate.c, src/pipeline/assemble.c). */
#ifndef MISI_RECORD_H
#define MISI_RECORD_H

#include <cjson/cJSON.h>

#include "misi/error.h"

/* Raised whenever a record's shape changes, so that --resume and misi merge
 * never mix parts holding records of two shapes in one file (1: the records
 * before the fixed shape, which carried no version; 2: the fixed shape). */
#define MISI_RECORD_VERSION 2

/* The fixed keys of `truth`, in order (NULL-terminated). */
extern const char *const MISI_TRUTH_KEYS[];

/* Turn a task's truth object (only the keys it fills) into the fixed shape:
 * a new object with every key of MISI_TRUTH_KEYS in order, each the task's
 * value or null. Takes ownership of task_truth (NULL = nothing filled).
 * Returns NULL with err set when task_truth holds a key that is not one of
 * MISI_TRUTH_KEYS (a task grew a field without the schema) or on no memory. */
cJSON *misi_truth_fixed(cJSON *task_truth, misi_error *err);

/* Which kind of line is printed: the float fields differ. */
typedef enum misi_line_kind {
    MISI_LINE_PLAIN = 0,   /* no float field: conversations, metadata.jsonl, shards.jsonl */
    MISI_LINE_RECORD,      /* train.jsonl, test.jsonl */
    MISI_LINE_IMAGE_TRUTH, /* truth.jsonl */
} misi_line_kind;

/* Print obj as one line of JSON (no newline) with every float field of its
 * kind carrying a fraction or an exponent; the caller frees the text with
 * cJSON_free. NULL on no memory. obj is not changed. */
char *misi_line_print(const cJSON *obj, misi_line_kind kind);

/* The text of a float as misi prints it: the shortest of %.15g / %.17g that
 * reads back as v, with ".0" added when that has neither a fraction nor an
 * exponent; "null" for NaN and infinities (which JSON cannot hold). buf
 * holds at least 32 bytes. */
void misi_float_text(double v, char *buf, size_t cap);

#endif
