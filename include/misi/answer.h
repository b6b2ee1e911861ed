/* The answer syntax of the nine tasks (docs/dataset.md): lenient parsers for
 * model answers (the scorer) and canonical formatters (the generator).
 *
 * Parsing rules, in short (docs/scoring.md has them in full):
 *   - commands: "move|roll|turn <axis> <number>", any case and spacing;
 *     the answer is the LAST run of commands in the text (commands joined by
 *     commas, semicolons, "and", "then" or white space), so prose around it
 *     is ignored;
 *   - letters: the whole text when it is one letter, else the last letter
 *     marked as an answer ("(B)", "B)", "Answer: B", "option b", "B is
 *     correct"), else the last stand-alone capital A-D; T8 also takes an
 *     option's command text, T5/T6 an option's image number ("Image 8"),
 *     when it comes after any letter;
 *   - bonds: "No", or bonds anchored on their comma ("VAL O, N1",
 *     "ARG 45 NH2 A, O1B") separated by anything; a duplicate counts once.
 * No GL, no chemistry: tasks (formatters) and the scorer both use it. */
#ifndef MISI_ANSWER_H
#define MISI_ANSWER_H

#include <stdbool.h>
#include <stddef.h>

#include "misi/cmdlang.h"
#include "misi/error.h"

/* Task numbers as in MISI-SPEC §4; 0 = none. */
enum {
    MISI_TASK_NONE = 0,
    MISI_TASK_TRANSLATION = 1,
    MISI_TASK_ROTATION = 2,
    MISI_TASK_ZOOMING = 3,
    MISI_TASK_RESIDUE_LIGAND = 4,
    MISI_TASK_TRANSLATION_ROTATION = 5,
    MISI_TASK_ROTATION_ROTATION = 6,
    MISI_TASK_DOCKING = 7,
    MISI_TASK_INTERACTION_LOCATION = 8,
    MISI_TASK_POCKET_LIGAND = 9,
    MISI_TASK_MAX = 9,
};

/* "translation" ... "pocket_ligand" for 1..9, NULL otherwise. */
const char *misi_answer_task_name(int task);
/* 1..9 for a task name (case-sensitive, as in the records), 0 otherwise. */
int misi_answer_task_number(const char *name);
/* T5, T6, T8. */
bool misi_answer_task_is_mc(int task);

/* ---- parsed answers ---- */

typedef enum misi_answer_kind {
    MISI_ANSWER_NONE = 0, /* nothing usable found: scores 0 */
    MISI_ANSWER_OPS,      /* T1, T2, T3, T7 */
    MISI_ANSWER_LETTER,   /* T5, T6, T8 */
    MISI_ANSWER_NO,       /* T4: "No" */
    MISI_ANSWER_BONDS,    /* T4 "Yes: ...", T9 */
} misi_answer_kind;

/* One H-bond as answers write it. T4 leaves number/icode/chain empty. Names
 * are stored upper-cased; chain "_" (no chain id) is stored as "". */
typedef struct misi_answer_bond {
    char resname[8];
    int number;
    char icode[2];
    char chain[2];
    char residue_atom[12];
    char ligand_atom[28]; /* MISI_ATOM_NAME_CAP: a long MOL2 name, or one qualified "#<n>" */
} misi_answer_bond;

/* Most commands one answer keeps (T7 needs two). */
#define MISI_ANSWER_MAX_OPS 8

typedef struct misi_answer {
    int kind;                         /* misi_answer_kind */
    misi_op ops[MISI_ANSWER_MAX_OPS]; /* MISI_ANSWER_OPS, in text order */
    size_t nops;
    char letter;             /* 'A'..'D' for MISI_ANSWER_LETTER */
    misi_answer_bond *bonds; /* MISI_ANSWER_BONDS; owned, distinct */
    size_t nbonds, capbonds;
} misi_answer;

/* Release the bond list; a becomes MISI_ANSWER_NONE. Safe on a zeroed one. */
void misi_answer_finish(misi_answer *a);

/* Parse text as an answer to `task`. options (T8 only, may be NULL) are the
 * four option texts A-D so that an answer giving an option's commands counts
 * as that letter. An answer with nothing usable leaves kind NONE and returns
 * 0: that is a wrong answer, not an error. The parsed ops are not checked
 * against the task (a "roll" answered to T1 parses and scores 0).
 * Returns 0, MISI_E_USAGE (bad task) or MISI_E_NOMEM. out is overwritten
 * (call misi_answer_finish on it afterwards). */
int misi_answer_parse(int task, const char *text, const char *const options[4], misi_answer *out);
/* The same, and for T5/T6 "image N" / "image #N" (any case) reads as the
 * letter image_letters[N - 1] ('A'..'D', or 0 for an image that is no
 * option) for 1 <= N <= nimages: the question calls images[N - 1] "Image N".
 * The last mention that names an option counts (others are ignored); with a
 * letter too, the one that ends later in the text wins, as with T8's command
 * text. image_letters NULL (nimages 0): letters only. */
int misi_answer_parse_images(int task, const char *text, const char *const options[4],
                             const char *image_letters, size_t nimages, misi_answer *out);

/* The last run of commands in text, as misi_answer_parse reads it: up to max
 * ops into ops, their number in *n. Returns false when there is none or the
 * run is longer than max. *end (may be NULL) gets the offset just past it. */
bool misi_answer_find_ops(const char *text, misi_op *ops, size_t max, size_t *n, size_t *end);

/* The answer letter in text ('A'..'D') by the letter rules above, or 0.
 * *end (may be NULL) gets the offset just past it. */
char misi_answer_find_letter(const char *text, size_t *end);

/* ---- formatters (the generator's canonical syntax) ---- */

/* All are snprintf-like: write at most cap bytes including the NUL and
 * return the length the full text needs, or a negative misi_status. */

/* "move x 3", "roll y 15", "roll x 75, move x -14" (misi_cmd_format). */
int misi_answer_format_ops(const misi_op *ops, size_t n, char *buf, size_t cap);
/* T4: "No" for n == 0, else "Yes: VAL O, N1; VAL O, N2". */
int misi_answer_format_residue_bonds(const misi_answer_bond *b, size_t n, char *buf, size_t cap);
/* T9: "ARG 45 NH2 A, O1B; VAL 22 O A, N2"; icode follows the number
 * ("45A"), an empty chain prints as "_". */
int misi_answer_format_pocket_bonds(const misi_answer_bond *b, size_t n, char *buf, size_t cap);
/* Any parsed answer back in canonical form for its task ("" for NONE). */
int misi_answer_format(int task, const misi_answer *a, char *buf, size_t cap);

/* Fill a bond from its parts (strings may be NULL = ""; chain "_" = "").
 * MISI_E_RANGE when a name is too long for the struct. */
int misi_answer_bond_set(misi_answer_bond *b, const char *resname, int number, const char *icode,
                         const char *chain, const char *residue_atom, const char *ligand_atom);
/* Same bond for the task: T4 compares resname and the two atoms, T9 also the
 * number, insertion code and chain. Case-insensitive (names are stored upper). */
bool misi_answer_bond_equal(int task, const misi_answer_bond *a, const misi_answer_bond *b);

#endif
