/* T5, translation + rotation (MC): a reference complex before and after
 * f2(f1(.)) — f1 a move along x or y, f2 a roll about x, y or z — and a
 * second complex (the run's partner) before; which of four front views of the
 * second complex shows it after the same two operations?
 *
 * The decoys perturb the truth `move t d, roll r a` the way MISI-SPEC §4
 * lists: (a) `move t d', roll r a'` (both magnitudes changed), (b)
 * `move t -d, roll r a'` (sign flipped, rotation magnitude changed), (c)
 * `move t' d, roll r a'` (the other translation axis, rotation magnitude
 * changed). A changed magnitude keeps its sign and takes another bin, each
 * decoy drawing its own. The four translations are then pairwise different,
 * so the four option poses are too; identical renderings (a symmetric
 * molecule) are still caught by env->images_equal and resampled.
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
    if (!env->partner)
        return 0; /* the task needs a second complex */
    return split == MISI_SPLIT_TRAIN ? 6 : 3;
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    (void)split;
    if (!env->partner)
        return misi_error_set(err, MISI_E_INVALID, "translation_rotation needs a second complex");
    int t_axis = index % 2; /* (index % 2, index % 3) runs through all six axis pairs */
    int r_axis = index % 3;
    float scale = env->own->px_per_A < env->partner->px_per_A ? env->own->px_per_A : env->partner->px_per_A;
    const char *why = "no try was made";
    static const char *const views[3] = {"front", "left", "top"};
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        int d = task_draw_bins(rng, 1, MOVE_RANGE);
        int a = task_draw_bins(rng, ROLL_STEP, ROLL_RANGE / ROLL_STEP);
        /* Option ops: [0] the truth, [1..3] decoys (a), (b), (c). */
        misi_op ops[4][2];
        ops[0][0] = (misi_op){MISI_OP_MOVE, (uint8_t)t_axis, (float)d};
        ops[1][0] = (misi_op){MISI_OP_MOVE, (uint8_t)t_axis, (float)task_other_magnitude(rng, d, 1, MOVE_RANGE)};
        ops[2][0] = (misi_op){MISI_OP_MOVE, (uint8_t)t_axis, (float)-d};
        ops[3][0] = (misi_op){MISI_OP_MOVE, (uint8_t)(1 - t_axis), (float)d};
        ops[0][1] = (misi_op){MISI_OP_ROLL, (uint8_t)r_axis, (float)a};
        for (int k = 1; k < 4; k++)
            ops[k][1] = (misi_op){MISI_OP_ROLL, (uint8_t)r_axis,
                                  (float)task_other_magnitude(rng, a, ROLL_STEP, ROLL_RANGE / ROLL_STEP)};
        /* Which option letter each of ops[] goes to. */
        int correct = (int)misi_rng_below(rng, 4);
        int decoys[3] = {1, 2, 3};
        misi_rng_shuffle(rng, decoys, 3);
        int of_letter[4];
        for (int k = 0, n = 0; k < 4; k++)
            of_letter[k] = k == correct ? 0 : decoys[n++];

        for (int k = 0; k < 3; k++) {
            q->images[k] = misi_task_canonical(0, MISI_SHOW_COMPLEX, views[k]);
            q->images[NREF + k] = misi_task_canonical(1, MISI_SHOW_COMPLEX, views[k]);
        }
        q->images[3] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
        q->images[3].view = task_pose("front", ops[0], 2);
        for (int k = 0; k < 4; k++) {
            misi_image_req *r = &q->images[NREF + NPART + k];
            *r = misi_task_canonical(1, MISI_SHOW_COMPLEX, "front");
            r->view = task_pose("front", ops[of_letter[k]], 2);
        }
        q->nimages = NREF + NPART + 4;
        for (int k = 0; k < q->nimages; k++)
            q->images[k].px_per_A = scale;

        bool ok;
        int rc = task_check_mc_images(env, q, NREF + NPART, &ok, &why, err);
        if (rc != MISI_OK)
            return rc;
        if (!ok)
            continue;

        static const char letters[] = "ABCD";
        q->noptions = 4;
        for (int k = 0; k < 4; k++) {
            q->option_image[k] = NREF + NPART + k;
            q->options[k][0] = '\0';
        }
        snprintf(q->answer, sizeof q->answer, "%c", letters[correct]);
        char text[256];
        task_format_ops(ops[0], 2, text, sizeof text);
        q->truth = cJSON_CreateObject();
        cJSON_AddStringToObject(q->truth, "correct", q->answer);
        cJSON_AddStringToObject(q->truth, "operations", text);
        cJSON *opts = cJSON_AddObjectToObject(q->truth, "options");
        for (int k = 0; k < 4; k++) {
            char name[2] = {letters[k], '\0'};
            task_format_ops(ops[of_letter[k]], 2, text, sizeof text);
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

const misi_task misi_task_translation_rotation = {"translation_rotation", 5, true, count, make};
