/* The command language of answers and view sets (MISI-SPEC §3), the pose it
 * produces, and named view sets.
 *
 *   move x|y|z <Å>         translate along a screen axis
 *   roll x|y|z <degrees>   rotate about a screen axis through the complex's
 *                          centre, right-hand rule ("turn" is a synonym)
 *   front back left right top bottom
 *                          the canonical views, usable as items
 *   items are comma-separated and applied left to right.
 *
 * Screen axes: +x right, +y up, +z toward the viewer. Input is lenient on
 * case and white space, strict on everything else. No GL, no chemistry: this
 * lives in src/util so tasks, the renderer and the CLI can all use it. */
#ifndef MISI_CMDLANG_H
#define MISI_CMDLANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "misi/error.h"

/* ---- operations ---- */

typedef enum misi_op_kind {
    MISI_OP_NONE = 0,
    MISI_OP_MOVE, /* value in Å */
    MISI_OP_ROLL, /* value in degrees */
} misi_op_kind;

enum { MISI_AXIS_X = 0, MISI_AXIS_Y = 1, MISI_AXIS_Z = 2 };

typedef struct misi_op {
    uint8_t kind; /* misi_op_kind */
    uint8_t axis; /* MISI_AXIS_* */
    float value;
} misi_op;

/* A growable list of operations. Zero-initialise it ({0}); release with
 * misi_oplist_finish. */
typedef struct misi_oplist {
    misi_op *ops;
    size_t count, cap;
} misi_oplist;

/* Append one op. MISI_E_NOMEM / MISI_E_LIMIT (count overflow); l is unchanged
 * on failure. */
int misi_oplist_push(misi_oplist *l, misi_op op);
/* Free the storage; l becomes empty and reusable. */
void misi_oplist_finish(misi_oplist *l);

/* Longest command text we parse (bytes); longer is MISI_E_LIMIT. */
#define MISI_CMD_MAX_TEXT 65536

/* Parse text and APPEND its ops to out (canonical view names expand to their
 * roll: "front" adds nothing, "left" adds roll y 90, ...). "turn" reads as
 * "roll". Numbers: optional sign, digits, optional fraction and exponent;
 * NaN, Inf, hex and values beyond float range are refused. On error out is
 * left exactly as it was and err says which item failed and what was
 * expected, e.g. "item 2 'rol y 30': expected 'move', 'roll' or a view name
 * (front back left right top bottom), found 'rol'". Empty text is an error.
 * Returns 0, MISI_E_PARSE, MISI_E_LIMIT or MISI_E_NOMEM. */
int misi_cmd_parse(const char *text, misi_oplist *out, misi_error *err);

/* Canonical text of ops: "roll x 75, move x -14". Values print as the
 * shortest fixed-point decimal that reads back to the same float (integers
 * without ".0", never an exponent, -0 as 0), so parse(format(ops)) == ops.
 * Zero ops give "". snprintf-like: writes at most cap bytes including the
 * NUL (buf may be NULL when cap is 0) and returns the length the full text
 * needs, or MISI_E_USAGE for an op with a bad kind/axis/non-finite value. */
int misi_cmd_format(const misi_op *ops, size_t n, char *buf, size_t cap);

/* ---- poses ---- */

/* A pose maps model space to screen space: s = R (p - c) + T, with c the
 * complex's centre (centroid of the shown atoms before any transformation).
 * rot is row-major. Same layout and meaning as misi_view in misi/render.h,
 * so the renderer can copy one into the other field by field. */
typedef struct misi_pose {
    float rot[9];
    float trans[3];
} misi_pose;

void misi_pose_identity(misi_pose *p);
/* Apply ops left to right. roll: R = Q R with Q the right-hand rotation about
 * the screen axis (T is untouched: the complex turns about its own centre
 * wherever it has been moved to). move: T += value along the screen axis.
 * Multiples of 90° use exact 0/±1 entries so canonical views are exact. */
void misi_pose_apply(misi_pose *p, const misi_op *ops, size_t n);
/* out = R (in - centre) + T. in and out may alias. */
void misi_pose_point(const misi_pose *p, const float centre[3], const float in[3], float out[3]);
/* Identity, then parse text and apply it. Errors as misi_cmd_parse; p is
 * untouched on error. */
int misi_pose_from_text(const char *text, misi_pose *p, misi_error *err);

/* ---- the canonical views ---- */

#define MISI_NUM_CANONICAL_VIEWS 6
/* "front", "back", "left", "right", "top", "bottom", in that order. */
extern const char *const MISI_CANONICAL_VIEW_NAMES[MISI_NUM_CANONICAL_VIEWS];
/* The op defining a canonical view (front: MISI_OP_NONE). Matches names
 * case-insensitively; MISI_E_USAGE for another name. */
int misi_canonical_view_op(const char *name, misi_op *out);

/* ---- view sets ---- */

/* Longest view name (bytes, without the NUL). Names are file-name safe:
 * [A-Za-z0-9._-], not starting with '.' or '-'. */
#define MISI_VIEW_NAME_MAX 64

typedef struct misi_viewdef {
    char *name;     /* owned by the set */
    char *commands; /* canonical text (misi_cmd_format) of ops, "front" when none; owned */
    misi_oplist ops;
    misi_pose pose; /* identity with ops applied */
} misi_viewdef;

/* Views in the order they were added. Zero-initialise; release with
 * misi_viewset_finish. Names are unique within a set. */
typedef struct misi_viewset {
    misi_viewdef *views;
    size_t count, cap;
} misi_viewset;

/* Append the views of a JSON file: {"views":[{"name":"front","commands":"front"},
 * {"name":"tilt","commands":"roll x 30, move y 2"}]} or a bare array of the
 * same objects. "name" is optional (defaults as in misi_viewset_add). Errors
 * name the file and the view index ("views.json: view 2 ('tilt'): item 1 ...").
 * On error the set is left as it was. */
int misi_viewset_load(const char *path, misi_viewset *set, misi_error *err);
/* Same from JSON text already in memory; origin names it in messages. */
int misi_viewset_load_json(const char *json, size_t len, const char *origin, misi_viewset *set,
                           misi_error *err);
/* Append one view (e.g. from the command line). name NULL or "" = the
 * sanitised commands: lower case, runs of other characters than [a-z0-9.-]
 * become one '_' ("roll x 30, move y 2" -> "roll_x_30_move_y_2"), cut to
 * MISI_VIEW_NAME_MAX. MISI_E_USAGE for a bad or duplicate name, parse errors
 * as misi_cmd_parse. Strings are copied. */
int misi_viewset_add(misi_viewset *set, const char *name, const char *commands, misi_error *err);
/* The six canonical views, named after themselves. */
int misi_viewset_add_canonical(misi_viewset *set, misi_error *err);
/* Index of the view called name, or -1. */
long misi_viewset_find(const misi_viewset *set, const char *name);
void misi_viewset_finish(misi_viewset *set);

#endif
