/* Auditing a generated dataset for shortcuts (MISI-SPEC §4 "Validity: no
 * shortcuts"; docs/audit.md has every rule).
 *
 * The audit reads a dataset folder made by misi generate (loose images or
 * --format tar shards) and runs blind baselines per task and split: models
 * that never look at the question's content the way the benchmark intends,
 * only at what a cheater could see around it — the commonest answer, the
 * question id, the option texts, cheap statistics of the option images,
 * cheap statistics of the images, and the columns of metadata.jsonl. Each is
 * scored with misi's own per-question scorer (misi/score.h) against the
 * record's `answer`; the record's `truth` is never read. Every baseline that
 * fits something (a constant per group, quantile bins) is cross-fitted over
 * two folds of complexes, so it cannot memorise.
 *
 * A baseline beats the task's reference (0.25 for MC tasks; the in-sample
 * best constant for cloze tasks, the majority class for T4) by more than the
 * margin, decisively (the lower end of an interval that is 95 % family-wise
 * over every baseline run, or its own 95 % one with per_baseline, above
 * reference + margin), and the verdict is SHORTCUT. T4 is judged on its yes/no decision (the reference is
 * the majority class): no blind model can name the bonds, so under the bond
 * scorer every blind "Yes" scores 0 and a scale shortcut would never show. */
#ifndef MISI_AUDIT_H
#define MISI_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "misi/error.h"

/* Default margin over the reference, in points (x100). */
#define MISI_AUDIT_DEFAULT_MARGIN 5.0

typedef struct misi_audit_options {
    const char *split; /* "train", "test", or NULL / "both" (train, test and all) */
    unsigned tasks;    /* bit t set for task t (1..9); 0 = every task */
    double margin;     /* in points; used only when margin_set, else the default */
    bool margin_set;
    /* Judge each baseline on its own 95 % interval. By default a SHORTCUT
     * needs the lower end of an interval that is 95 % family-wise over all
     * the baselines run (Bonferroni), because an audit runs hundreds. */
    bool per_baseline;
    /* A file of "<complex> <group>" lines (# comments): complexes of one
     * group fall in one fold, so a baseline cannot score by memorising a
     * group's repeated answers (copies of one structure, one protein family).
     * NULL: each complex is its own group. */
    const char *groups;
    /* Read no image: the option-image and image-stats baselines print n/a.
     * The rest reads only the JSON files, so it is cheap at any scale. */
    bool no_images;
} misi_audit_options;

typedef enum misi_audit_verdict {
    MISI_AUDIT_OK = 0,   /* score <= reference + margin */
    MISI_AUDIT_SUSPECT,  /* above it, but the decisive interval reaches down to it */
    MISI_AUDIT_SHORTCUT, /* the decisive interval's lower end is above reference + margin */
    MISI_AUDIT_NA,       /* not run (what it needs is absent) */
} misi_audit_verdict;

typedef struct misi_audit_baseline {
    char family[16]; /* constant, id, question-text, option-text, option-image, image-stats, metadata */
    char name[48];   /* e.g. "index mod 2" */
    int verdict;     /* misi_audit_verdict */
    char why[96];    /* MISI_AUDIT_NA: why it did not run */
    double score, lo, hi; /* mean per-question score and its 95 % interval, in [0, 1] */
    double lo_decisive;   /* lower end of the decisive interval (misi_audit_report) */
    double sd;            /* sample sd of the per-question scores */
    bool binary;          /* every per-question score was 0 or 1 (Wilson's interval) */
} misi_audit_baseline;

typedef struct misi_audit_row {
    int task;          /* 1..9 */
    char split[8];     /* "train", "test" or "all" */
    size_t n;          /* questions */
    double reference;  /* "chance", in [0, 1] */
    const char *reference_kind; /* "4 options", "best constant", "majority class" (static) */
    misi_audit_baseline *b; /* owned */
    size_t nb;
} misi_audit_row;

typedef struct misi_audit_report {
    char *dataset; /* owned copy of the folder path */
    bool shards;   /* images were read from shards/images-*.tar */
    double margin; /* points */
    char *metadata_columns; /* owned: the metadata.jsonl columns besides file_name, complex ("" if none) */
    misi_audit_row *rows;   /* owned */
    size_t nrows;
    size_t counts[4]; /* baselines per verdict */
    size_t baselines_run;        /* baselines not n/a */
    double decisive_confidence;  /* of the interval a SHORTCUT is judged on: 1 - 0.05 / baselines_run, or 0.95 */
    double decisive_z;           /* its normal quantile */
} misi_audit_report;

/* Audit the dataset in folder dir. r must be zeroed; release it with
 * misi_audit_report_finish (also after an error). Errors: MISI_E_IO (a file
 * or image cannot be read), MISI_E_PARSE (a malformed record, naming file and
 * line; an image that is not a PNG), MISI_E_USAGE (bad options),
 * MISI_E_NOMEM. */
int misi_audit_run(const char *dir, const misi_audit_options *opt, misi_audit_report *r, misi_error *err);
void misi_audit_report_finish(misi_audit_report *r);

/* "ok", "suspect", "SHORTCUT", "n/a". */
const char *misi_audit_verdict_name(int verdict);

/* The human table: per task and split, one line per baseline family (the
 * member with the worst verdict, then the highest score), or every member
 * with all = true; then the totals. */
void misi_audit_print(FILE *f, const misi_audit_report *r, bool all);
/* The whole report as JSON (every member of every family); the caller frees
 * the string. NULL when out of memory. */
char *misi_audit_json(const misi_audit_report *r);

#endif
