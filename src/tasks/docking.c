/* T7, ligand docking (cloze): the ligand is taken out of its pocket and the
 * question asks for the commands that put it back.
 *
 * The displacement is the request's ligand_pose, in model space (= screen
 * space of the front view):
 *
 *     p' = R (p - c) + c + T,    T = (dx, 0, 0)
 *
 * with c the centroid of the ligand's heavy atoms and R a roll of `a` degrees
 * about x, y or z. R turns the ligand about its own centre, so the centre of
 * the displaced ligand is c + T. dx is a whole number of Å: the smallest one
 * that puts every heavy atom of the *rotated* ligand strictly beyond the
 * pocket's heavy-atom x extent on the chosen side, plus a gap of 0, 1 or 2 Å.
 *
 * The answer is `roll <axis> <-a>, move x <-dx>`, read with the command
 * language's meaning applied to the displaced ligand: the roll turns it about
 * its own (displaced) centre c + T, p'' = R^T (p' - c - T) + c + T = p + T,
 * and the move takes T off again: p''' = p. In pose terms (misi_pose_apply on
 * ligand_pose) the roll makes rot = R^T R = I and the move makes trans = 0,
 * so the answer re-applied gives back the original ligand exactly (up to
 * float rounding of the rotation matrices). Both values are whole numbers,
 * so the answer text is exact.
 *
 * Images: the pocket alone (front, left, top), the displaced ligand alone
 * (front, left, top) and both together (front), all with the complex's frame
 * centre and one scale, so positions can be compared between images. The
 * scale (misi_task_docking_scale) is the largest at which the pocket and the
 * ligand under every displacement the task can draw fit the three views:
 * as large as the geometry allows, yet the same whatever the answer. */
#include <math.h>
#include <stdio.h>

#include "tasks/task_util.h"

#define RANGE 90 /* degrees, [-90, 90] in 15° bins, never 0 */
#define STEP 15
#define GAP_MAX 2         /* Å, whole numbers 0..GAP_MAX beyond the pocket */
#define MIN_CONTACT 3.0f  /* Å, closest allowed ligand–pocket heavy-atom pair */
#define MAX_CLEAR_STEPS 8 /* Å beyond the x extent searched for MIN_CONTACT */

static int count(const misi_task_env *env, misi_split split)
{
    (void)env;
    return split == MISI_SPLIT_TRAIN ? 6 : 3; /* 2 / 1 per rotation axis */
}

static bool heavy(const misi_atom *a)
{
    return a->element != 1;
}

/* x extent of the pocket's heavy atoms. False when the pocket has none. */
static bool pocket_x_extent(const misi_complex *cx, float *lo, float *hi)
{
    bool any = false;
    for (uint32_t i = 0; i < cx->pocket.top.natoms; i++) {
        if (!heavy(&cx->pocket.top.atoms[i]))
            continue;
        float x = cx->pocket.xyz[3 * i];
        if (!any || x < *lo)
            *lo = x;
        if (!any || x > *hi)
            *hi = x;
        any = true;
    }
    return any;
}

/* x extent of the ligand's heavy atoms under pose (no pose: as loaded). */
static bool ligand_x_extent(const misi_task_complex *tc, const misi_pose *pose, float *lo, float *hi)
{
    const misi_mol *lig = &tc->cx->ligand;
    bool any = false;
    for (uint32_t i = 0; i < lig->top.natoms; i++) {
        if (!heavy(&lig->top.atoms[i]))
            continue;
        float p[3];
        misi_task_moved_ligand_point(pose, tc, &lig->xyz[3 * i], p);
        if (!any || p[0] < *lo)
            *lo = p[0];
        if (!any || p[0] > *hi)
            *hi = p[0];
        any = true;
    }
    return any;
}

/* Closest ligand–pocket heavy-atom distance with the ligand under pose. */
static float closest_contact(const misi_task_complex *tc, const misi_pose *pose)
{
    const misi_mol *lig = &tc->cx->ligand, *poc = &tc->cx->pocket;
    float best = INFINITY;
    for (uint32_t i = 0; i < lig->top.natoms; i++) {
        if (!heavy(&lig->top.atoms[i]))
            continue;
        float p[3];
        misi_task_moved_ligand_point(pose, tc, &lig->xyz[3 * i], p);
        for (uint32_t j = 0; j < poc->top.natoms; j++) {
            if (!heavy(&poc->top.atoms[j]))
                continue;
            const float *q = &poc->xyz[3 * j];
            float dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
            float d2 = dx * dx + dy * dy + dz * dz;
            if (d2 < best)
                best = d2;
        }
    }
    return sqrtf(best);
}

/* Displace the ligand for one answer: roll `a` degrees about `axis`, then
 * the smallest whole dx that puts the rotated ligand strictly beyond the
 * pocket's x extent [pmin, pmax] on the chosen side and MIN_CONTACT from
 * it, plus `gap`. False when no dx within MAX_CLEAR_STEPS works. *moved is
 * the ligand pose, *dx its move. Used for the question and, over every
 * answer, for the frame (misi_task_docking_scale): both the same code. */
static bool displace(const misi_task_complex *tc, int axis, int a, int gap, bool right, float pmin, float pmax,
                     misi_pose *moved, int *dx_out)
{
    misi_op turn = {MISI_OP_ROLL, (uint8_t)axis, (float)a};
    misi_pose_identity(moved);
    misi_pose_apply(moved, &turn, 1);
    float lmin = 0, lmax = 0;
    ligand_x_extent(tc, moved, &lmin, &lmax);
    /* Never 0 (a move of 0 is no question). */
    int dx;
    if (right) {
        dx = (int)floorf(pmax - lmin) + 1;
        if (dx < 1)
            dx = 1;
    } else {
        dx = (int)ceilf(pmin - lmax) - 1;
        if (dx > -1)
            dx = -1;
    }
    bool clear = false;
    for (int step = 0; step <= MAX_CLEAR_STEPS && !clear; step++) {
        moved->trans[0] = (float)dx;
        float cmin = 0, cmax = 0;
        ligand_x_extent(tc, moved, &cmin, &cmax);
        clear = (right ? cmin > pmax : cmax < pmin) && closest_contact(tc, moved) >= MIN_CONTACT;
        if (!clear)
            dx += right ? 1 : -1;
    }
    if (!clear)
        return false;
    dx += right ? gap : -gap;
    moved->trans[0] = (float)dx;
    *dx_out = dx;
    return true;
}

/* Radius of the largest sphere the renderer draws (Å) and the frame's
 * margin, as misi_task_in_frame and the other scales count them. */
#define DRAWN_ATOM_RADIUS 0.5f
#define FRAME_MARGIN 1.0f

float misi_task_docking_scale(const misi_task_env *env)
{
    const misi_task_complex *tc = env->own;
    const misi_complex *cx = tc->cx;
    const float *c = tc->frame.centre;
    float pmin = 0, pmax = 0;
    if (!pocket_x_extent(cx, &pmin, &pmax))
        return tc->px_per_A;
    /* The images are the front, left and top views, which show x and y, z
     * and y, x and z: every shown atom must fit each within its largest
     * coordinate offset from the frame centre. The scale may not depend on
     * the answer (the pocket-alone images would tell it: issue 14), so it
     * is the largest at which *every* answer the task can draw fits, both
     * sides, every axis and angle, the largest gap, each displacement
     * computed by displace() as the question does. Per complex, and so the
     * same for every question of it. */
    float half = 0;
    for (uint32_t i = 0; i < cx->pocket.top.natoms; i++) {
        if (!heavy(&cx->pocket.top.atoms[i]))
            continue;
        for (int k = 0; k < 3; k++)
            half = fmaxf(half, fabsf(cx->pocket.xyz[3 * i + k] - c[k]));
    }
    const misi_mol *lig = &cx->ligand;
    for (int axis = 0; axis < 3; axis++) {
        for (int a = -RANGE; a <= RANGE; a += STEP) {
            for (int right = 0; a && right < 2; right++) {
                misi_pose moved;
                int dx = 0;
                if (!displace(tc, axis, a, GAP_MAX, right, pmin, pmax, &moved, &dx))
                    continue; /* never asked: nothing to fit */
                for (uint32_t i = 0; i < lig->top.natoms; i++) {
                    if (!heavy(&lig->top.atoms[i]))
                        continue;
                    float p[3];
                    misi_task_moved_ligand_point(&moved, tc, &lig->xyz[3 * i], p);
                    for (int k = 0; k < 3; k++)
                        half = fmaxf(half, fabsf(p[k] - c[k]));
                }
            }
        }
    }
    int side = env->geo.width < env->geo.height ? env->geo.width : env->geo.height;
    return 0.5f * (float)side / (half + DRAWN_ATOM_RADIUS + FRAME_MARGIN);
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    const misi_task_complex *tc = env->own;
    int axis = task_variant(env, "docking", split, index, 3); /* x, y, z balanced per three indices */
    float pmin = 0, pmax = 0;
    if (!pocket_x_extent(tc->cx, &pmin, &pmax))
        return misi_error_set(err, MISI_E_INVALID, "the pocket has no heavy atoms to dock against");
    /* A covalently bound ligand cannot be moved out of its pocket: skipped,
     * with the reason in the manifest's unanswerable notes. */
    if (tc->cx->ncovalent)
        return misi_error_set(err, MISI_E_INVALID, "covalently bound ligand (%u atom pair%s within covalent distance "
                              "of the pocket): docking cannot move it apart", tc->cx->ncovalent,
                              tc->cx->ncovalent == 1 ? "" : "s");
    misi_pose as_loaded;
    misi_pose_identity(&as_loaded);
    float lmin = 0, lmax = 0;
    if (!ligand_x_extent(tc, &as_loaded, &lmin, &lmax))
        return misi_error_set(err, MISI_E_INVALID, "the ligand has no heavy atoms to dock");
    /* One scale for the seven images, with room for every displacement. */
    float scale = misi_task_docking_scale(env);
    int not_clear = 0, touching = 0, unframed = 0; /* why tries were refused */
    /* The side is drawn once and kept while resampling, so a side that is
     * refused more often (a bulge of the pocket, the frame) is not asked
     * less; only when half the tries fail is the other side tried. */
    bool right = misi_rng_below(rng, 2) != 0;
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        if (tries == TASK_MAX_TRIES / 2)
            right = !right;
        int a = STEP * misi_rng_range(rng, 1, RANGE / STEP) * (misi_rng_below(rng, 2) ? 1 : -1);
        int gap = misi_rng_range(rng, 0, GAP_MAX);

        misi_pose moved;
        int dx = 0;
        if (!displace(tc, axis, a, gap, right, pmin, pmax, &moved, &dx)) {
            not_clear++;
            continue;
        }
        if (closest_contact(tc, &moved) < MIN_CONTACT) {
            touching++; /* cannot happen moving away along x; kept as a guard */
            continue;
        }

        static const char *const views[3] = {"front", "left", "top"};
        for (int k = 0; k < 3; k++) {
            q->images[k] = misi_task_canonical(0, MISI_SHOW_POCKET, views[k]);
            q->images[3 + k] = misi_task_canonical(0, MISI_SHOW_LIGAND, views[k]);
            q->images[3 + k].ligand_moved = true;
            q->images[3 + k].ligand_pose = moved;
        }
        q->images[6] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
        q->images[6].ligand_moved = true;
        q->images[6].ligand_pose = moved;
        q->nimages = 7;
        for (int k = 0; k < q->nimages; k++)
            q->images[k].px_per_A = scale;
        bool framed = true;
        for (int k = 0; k < q->nimages && framed; k++)
            framed = misi_task_in_frame(env, &q->images[k]);
        if (!framed) {
            unframed++;
            q->nimages = 0;
            continue;
        }

        misi_op answer[2] = {{MISI_OP_ROLL, (uint8_t)axis, (float)-a},
                             {MISI_OP_MOVE, MISI_AXIS_X, (float)-dx}};
        task_format_ops(answer, 2, q->answer, sizeof q->answer);
        misi_question_printf(q, "%s", TASK_PREAMBLE);
        misi_question_printf(
            q,
            "Images 1, 2 and 3 show the binding pocket alone from the front, from the left (rolled +90 "
            "degrees about y) and from the top (rolled +90 degrees about x). The ligand was taken out of "
            "the pocket: it was moved along the x axis until it sat clear of the pocket at the left or the "
            "right of the screen, and it was rolled about its own centre by a multiple of %d degrees between "
            "-%d and %d about the x, y or z axis. Images 4, 5 and 6 show the displaced ligand alone from the "
            "same three directions, and image 7 shows the pocket and the displaced ligand together from the "
            "front; all seven images share one camera and one scale. Which commands put the ligand back into "
            "the pocket? Give one roll of the ligand about its own centre, then one move along x, in the "
            "form 'roll <axis> <angle>, move x <distance>'.",
            STEP, RANGE, RANGE);

        q->truth = cJSON_CreateObject();
        cJSON *rot = cJSON_AddObjectToObject(q->truth, "rotation");
        cJSON_AddStringToObject(rot, "axis", axis_name(axis));
        cJSON_AddNumberToObject(rot, "value", -a);
        cJSON *tr = cJSON_AddObjectToObject(q->truth, "translation");
        cJSON_AddStringToObject(tr, "axis", "x");
        cJSON_AddNumberToObject(tr, "value", -dx);
        cJSON_AddStringToObject(q->truth, "side", right ? "right" : "left");
        cJSON_AddNumberToObject(q->truth, "gap", gap);
        /* the range of rotation.value, the answer's partial credit (as T1-T3's
         * range is that of value): one [low, high] type for every task */
        int rr[2] = {-RANGE, RANGE};
        cJSON_AddItemToObject(q->truth, "range", cJSON_CreateIntArray(rr, 2));
        return MISI_OK;
    }
    return misi_error_set(err, MISI_E_INVALID,
                          "no docking displacement about %s works after %d tries: %d left the ligand within "
                          "the pocket's x extent, %d closer than %.0f A to the pocket, %d out of the frame",
                          axis_name(axis), TASK_MAX_TRIES, not_clear, touching, MIN_CONTACT, unframed);
}

const misi_task misi_task_docking = {
    .name = "docking",
    .number = 7,
    .mc = false,
    .paper_count = count,
    .make = make,
    .asks = "which roll and move along x put the displaced ligand back into the pocket",
    .answer_form = "roll <axis> <angle>, move x <distance>",
    .images = 7,
    .needs = "a ligand not covalently bound to the pocket (a covalent one cannot be displaced)",
};
