/* Scoring model answers against a gold QA file (MISI-SPEC §6). The rules are
 * written out in docs/scoring.md; in short:
 *   - MC (T5, T6, T8) and zooming (T3): exact match;
 *   - translation (T1), rotation (T2): 0 on a wrong axis (or a roll for a
 *     move), else max(0, 1 - |error| / full range), the range from the
 *     record's truth.range (8 Å, 180°);
 *   - docking (T7): half for the rotation (0 on a wrong axis, else
 *     max(0, 1 - |error| / 180)), half for the translation (credited only with
 *     the right axis and sign, then max(0, 1 - |error| / |true value|));
 *   - bond lists (T4, T9): found / true; at most 0.5 with any extra bond; 0
 *     with more than twice the true count; "No" on a negative 1, anything
 *     else on a negative 0, "No" on a positive 0.
 * A question is an exact match when it scores 1. */
#ifndef MISI_SCORE_H
#define MISI_SCORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "misi/answer.h"
#include "misi/error.h"

/* One gold question. */
typedef struct misi_gold_item {
    char *id;    /* owned */
    char *split; /* owned; "" when the record has none */
    int task;    /* 1..9 */
    long line;   /* line in the gold file */
    misi_answer truth;
    double range;     /* full range for partial credit: T1, T2 value range; T7 rotation range */
    char *options[4]; /* T8 option commands (owned), NULL otherwise */
    /* T5, T6 with image options: for each entry of the record's "images", the
     * letter whose option path equals it ('A'..'D'; 0 for no option or two),
     * so that "Image N" reads as that letter. Owned; NULL when no option
     * path is in "images". */
    char *image_letters;
    size_t nimages;
} misi_gold_item;

typedef struct misi_gold {
    misi_gold_item *items;
    size_t count, cap;
    size_t *slots; /* id index: open addressing, item index + 1, 0 = empty */
    size_t nslots;
} misi_gold;

/* Read a gold QA file (docs/dataset.md plain records, one per line; blank
 * lines are skipped). Any bad record is a hard error naming path:line and the
 * problem: not JSON, no id / task / answer, an unknown task, an answer that
 * does not read as its task's syntax, a bad truth.range, a duplicate id.
 * g must be zeroed; on error it is left empty. Release with misi_gold_finish. */
int misi_gold_load(const char *path, misi_gold *g, misi_error *err);
/* Same from text in memory; origin names it in messages. */
int misi_gold_load_text(const char *text, size_t len, const char *origin, misi_gold *g, misi_error *err);
void misi_gold_finish(misi_gold *g);
/* Index of the item with this id, or -1. */
long misi_gold_find(const misi_gold *g, const char *id);

/* Score one answer (already parsed for gold->task) in [0, 1]; *exact (may be
 * NULL) says whether it is an exact match. */
double misi_score_question(const misi_gold_item *gold, const misi_answer *pred, bool *exact);
/* Parse text for the question and score it. MISI_E_NOMEM only. */
int misi_score_text(const misi_gold_item *gold, const char *text, double *score, bool *exact);

typedef struct misi_score_options {
    const char *split; /* score only gold records of this split; NULL or "" = all */
} misi_score_options;

typedef struct misi_task_score {
    size_t count;    /* gold questions of the task (in the split) */
    size_t answered; /* of which a prediction was given */
    size_t unparsed; /* answered, but nothing usable was found in the answer */
    size_t exact;    /* exact matches */
    double sum;      /* sum of scores */
} misi_task_score;

/* A list of owned strings. */
typedef struct misi_strlist {
    char **items;
    size_t count, cap;
} misi_strlist;

typedef struct misi_score_report {
    misi_task_score tasks[MISI_TASK_MAX + 1]; /* [1..9] */
    size_t questions;                         /* gold questions scored (in the split) */
    size_t predictions;                       /* well-formed prediction lines */
    size_t other_split;                       /* predictions for gold ids outside the split (ignored) */
    misi_strlist missing;                     /* gold ids without a prediction, gold order */
    misi_strlist unknown;                     /* prediction ids not in the gold file, file order */
    misi_strlist duplicates;                  /* prediction ids given more than once (the last counts) */
    misi_strlist malformed;                   /* "path:line: problem" for each skipped prediction line */
    /* answers in which nothing readable for their task was found (scored 0),
     * gold order: the question ids and, at the same index, the raw answers */
    misi_strlist unreadable, unreadable_text;
    double *scores; /* per gold item, in gold order; -1 for items outside the split */
    size_t nscores;
} misi_score_report;

/* Score a predictions file (JSON Lines {"id", "answer"}; "prediction" and
 * "response" are accepted for "answer") against g. Malformed lines are
 * skipped and listed in r->malformed; missing questions score 0. When an id
 * comes twice the last answer counts. Returns 0, MISI_E_IO (predictions
 * unreadable) or MISI_E_NOMEM. r must be zeroed; release with
 * misi_score_report_finish. */
int misi_score_file(const misi_gold *g, const char *pred_path, const misi_score_options *opt,
                    misi_score_report *r, misi_error *err);
/* Same from text in memory; origin names it in messages. */
int misi_score_text_lines(const misi_gold *g, const char *text, size_t len, const char *origin,
                          const misi_score_options *opt, misi_score_report *r, misi_error *err);
void misi_score_report_finish(misi_score_report *r);

/* Mean score and exact-match rate of task t, ×100 (0 when it has no question). */
double misi_score_task_mean(const misi_score_report *r, int task);
double misi_score_task_exact(const misi_score_report *r, int task);
/* Unweighted mean over the tasks present of their ×100 figures. headline
 * leaves T5 and T6 out (the paper's headline average); otherwise all tasks.
 * *ntasks (may be NULL) gets the number of tasks averaged. */
double misi_score_average(const misi_score_report *r, bool headline, bool exact, size_t *ntasks);

/* The human table (per task, headline, exact-match table, then the lists of
 * missing / unknown / duplicate ids, the first `list_max` of each). */
void misi_score_print(FILE *f, const misi_score_report *r, const char *gold_path, const char *pred_path,
                      const misi_score_options *opt, size_t list_max);
/* The report as JSON (every list in full). Returns a string the caller frees,
 * or NULL on allocation failure. */
char *misi_score_json(const misi_score_report *r, const char *gold_path, const char *pred_path,
                      const misi_score_options *opt);

#endif
