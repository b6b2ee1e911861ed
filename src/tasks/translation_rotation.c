/* T5, translation + rotation (MC): a reference complex before and after
 * f2(f1(.)) — f1 a move along x or y, f2 a roll about x, y or z — and a
 * second complex (the run's partner) before; which of four front views of the
 * second complex shows it after the same two operations?
 *
 * The options are a 2x2 factorial design (docs/tasks/design.md): two moves
 * {t, t'} times two rolls {r, r'}, where t is the truth's move and t' one of
 * the paper's perturbations of it, drawn uniformly — another magnitude with
 * the same sign, the sign flipped, or the other axis with the same value —
 * and r' is the truth's roll with another magnitude, same sign. The decoys
 * are then "move changed", "roll magnitude changed" and "both changed", the
 * paper's kinds (a)-(c), but every option stands in the same relation to the
 * other three: each shares its move with one, its roll with another and
 * nothing with the third. Each perturbation is symmetric (t' given t is
 * distributed as t given t'), so neither the option texts nor the option
 * images say which of the four is the truth; the four are shuffled over
 * A-D. The reference's image 4 must fit the frame under all four pairs, not
 * only the truth, so that the frame test says nothing either.
 *
 * The two complexes have different scales, so every image of the question is
 * drawn at the smaller of the two px_per_A: one Å is the same number of pixels
 * in all eleven images. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tasks/task_util.h"

#define MOVE_RANGE 4  /* Å, [-4, 4] in 1 Å bins, never 0 */
#define ROLL_RANGE 90 /* degrees, [-90, 90] in 15° bins, never 0 */
#define ROLL_STEP 15
#define NREF 4  /* reference complex: front, left, top, after */
#define NPART 3 /* second complex: front, left, top */

static int count(const misi_task_env *env, misi_split split)
{
    if (env && !env->partner)
        return 0; /* the task needs a second complex (env NULL: the preset's count) */
    return split == MISI_SPLIT_TRAIN ? 6 : 3;
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    if (!env->partner)
        return misi_error_set(err, MISI_E_INVALID, "translation_rotation needs a second complex");
    /* The six (move axis, roll axis) pairs, balanced per six indices. */
    int pair = task_variant(env, "translation_rotation", split, index, 6);
    int t_axis = pair % 2, r_axis = pair / 2;
    float scale = env->own->px_per_A < env->partner->px_per_A ? env->own->px_per_A : env->partner->px_per_A;
    const char *why = "no try was made";
    static const char *const views[3] = {"front", "left", "top"};
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        int d = task_draw_bins(rng, 1, MOVE_RANGE);
        int a = task_draw_bins(rng, ROLL_STEP, ROLL_RANGE / ROLL_STEP);
        misi_op t = {MISI_OP_MOVE, (uint8_t)t_axis, (float)d}, t2 = t;
        switch (misi_rng_below(rng, 3)) {
        case 0: /* another magnitude, same sign */
            t2.value = (float)task_other_magnitude(rng, d, 1, MOVE_RANGE);
            break;
        case 1: /* sign flipped */
            t2.value = (float)-d;
            break;
        default: /* the other axis, same value */
            t2.axis = (uint8_t)(1 - t_axis);
            break;
        }
        misi_op r = {MISI_OP_ROLL, (uint8_t)r_axis, (float)a}, r2 = r;
        r2.value = (float)task_other_magnitude(rng, a, ROLL_STEP, ROLL_RANGE / ROLL_STEP);
        /* combo[k]: the factorial's cells; [0] is the truth. */
        misi_op combo[4][2] = {{t, r}, {t, r2}, {t2, r}, {t2, r2}};
        int of_letter[4] = {0, 1, 2, 3};
        misi_rng_shuffle(rng, of_letter, 4);
        int correct = 0;
        for (int k = 0; k < 4; k++)
            if (of_letter[k] == 0)
                correct = k;

        for (int k = 0; k < 3; k++) {
            q->images[k] = misi_task_canonical(0, MISI_SHOW_COMPLEX, views[k]);
            q->images[NREF + k] = misi_task_canonical(1, MISI_SHOW_COMPLEX, views[k]);
        }
        q->images[3] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
        q->images[3].view = task_pose("front", combo[0], 2);
        for (int k = 0; k < 4; k++) {
            misi_image_req *o = &q->images[NREF + NPART + k];
            *o = misi_task_canonical(1, MISI_SHOW_COMPLEX, "front");
            o->view = task_pose("front", combo[of_letter[k]], 2);
        }
        q->nimages = NREF + NPART + 4;
        for (int k = 0; k < q->nimages; k++)
            q->images[k].px_per_A = scale;

        bool ok = true;
        for (int k = 1; k < 4 && ok; k++) { /* the reference under every cell */
            misi_image_req alt = q->images[3];
            alt.view = task_pose("front", combo[k], 2);
            ok = misi_task_in_frame(env, &alt);
        }
        if (!ok) {
            why = "the reference leaves the frame under one of the option pairs";
            continue;
        }
        int rc = task_check_mc_images(env, q, NREF + NPART, &ok, &why, err);
        if (rc != MISI_OK)
            return rc;
        if (!ok)
            continue;
        if (task_target_is_given(q, NREF + NPART, 4, NREF + NPART)) {
            why = "an option is one of the given views";
            continue;
        }

        static const char letters[] = "ABCD";
        q->noptions = 4;
        for (int k = 0; k < 4; k++) {
            q->option_image[k] = NREF + NPART + k;
            q->options[k][0] = '\0';
        }
        snprintf(q->answer, sizeof q->answer, "%c", letters[correct]);
        char text[256];
        task_format_ops(combo[0], 2, text, sizeof text);
        q->truth = cJSON_CreateObject();
        cJSON_AddStringToObject(q->truth, "correct", q->answer);
        cJSON_AddStringToObject(q->truth, "operations", text);
        cJSON *opts = cJSON_AddObjectToObject(q->truth, "options");
        for (int k = 0; k < 4; k++) {
            char name[2] = {letters[k], '\0'};
            task_format_ops(combo[of_letter[k]], 2, text, sizeof text);
            cJSON_AddStringToObject(opts, name, text);
        }

        misi_question_printf(q, "%s", TASK_PREAMBLE);
        misi_question_printf(
            q,
            "Images 1, 2 and 3 show a first complex from the front, from the left (rolled +90 degrees about "
            "y) and from the top (rolled +90 degrees about x). Image 4 shows its front view after two "
            "operations: first a move along the x or the y axis by a whole number of angstrom between -%d "
            "and %d, then a roll about the x, y or z axis by a multiple of %d degrees between -%d and %d. "
            "Images 5, 6 and 7 show a second complex from the front, the left and the top. Images 8, 9, 10 "
            "and 11 are the options A, B, C and D: front views of the second complex after two operations. "
            "All eleven images share one scale. Which option shows the second complex after the same two "
            "operations that turned image 1 into image 4? Answer with the letter of the option.",
            MOVE_RANGE, MOVE_RANGE, ROLL_STEP, ROLL_RANGE, ROLL_RANGE);
        return MISI_OK;
    }
    return misi_error_set(err, MISI_E_INVALID,
                          "no translation along %s and roll about %s gives an answerable "
                          "question after %d tries: %s",
                          axis_name(t_axis), axis_name(r_axis), TASK_MAX_TRIES, why);
}

const misi_task misi_task_translation_rotation = {
    .name = "translation_rotation",
    .number = 5,
    .mc = true,
    .paper_count = count,
    .make = make,
    .asks = "which option shows a second complex after the move and roll that changed the first",
    .answer_form = "<letter A-D>",
    .images = 11,
    .needs = "another complex in its split: each complex is paired with the next of its split, so a split of "
             "one complex gives no question",
};
