/* T6, rotation + rotation (MC): the complex before and after two rolls about
 * different axes, r1 then r2; which of four front views shows image 4 after
 * the same two rolls applied again, in the same order — the front view after
 * r1, r2, r1, r2?
 *
 * The decoys each perturb the second application of the pair:
 *   order      r1, r2, r2, r1  (the pair applied again in the other order)
 *   magnitude  r1, r2, r1', r2 or r1, r2, r1, r2'  (one roll another bin, same sign)
 *   axis       r1, r2, r1", r2 or r1, r2, r1, r2"  (one roll about the third axis)
 * Two rolls about different axes never commute in [-90, 90], so none of them
 * equals the truth; poses are still compared, and renderings through
 * env->images_equal, and equal ones resampled. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tasks/task_util.h"

#define RANGE 90 /* degrees, [-90, 90] in 15° bins, never 0 */
#define STEP 15
#define NOPS 4

static int count(const misi_task_env *env, misi_split split)
{
    (void)env;
    return split == MISI_SPLIT_TRAIN ? 6 : 3;
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    (void)split;
    /* Ordered axis pairs; the first three give each axis once as r1 (test split). */
    static const int pairs[6][2] = {{0, 1}, {1, 2}, {2, 0}, {1, 0}, {2, 1}, {0, 2}};
    int ax1 = pairs[index % 6][0], ax2 = pairs[index % 6][1], third = 3 - ax1 - ax2;
    const char *why = "no try was made";
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        misi_op r1 = {MISI_OP_ROLL, (uint8_t)ax1, (float)task_draw_bins(rng, STEP, RANGE / STEP)};
        misi_op r2 = {MISI_OP_ROLL, (uint8_t)ax2, (float)task_draw_bins(rng, STEP, RANGE / STEP)};
        /* Option ops: [0] the truth, [1] order, [2] magnitude, [3] axis. */
        misi_op ops[4][NOPS] = {{r1, r2, r1, r2}, {r1, r2, r2, r1}, {r1, r2, r1, r2}, {r1, r2, r1, r2}};
        int which = 2 + (int)misi_rng_below(rng, 2);
        ops[2][which].value = (float)task_other_magnitude(rng, (int)ops[2][which].value, STEP, RANGE / STEP);
        which = 2 + (int)misi_rng_below(rng, 2);
        ops[3][which].axis = (uint8_t)third;

        int correct = (int)misi_rng_below(rng, 4);
        int decoys[3] = {1, 2, 3};
        misi_rng_shuffle(rng, decoys, 3);
        int of_letter[4];
        for (int k = 0, n = 0; k < 4; k++)
            of_letter[k] = k == correct ? 0 : decoys[n++];

        static const char *const views[3] = {"front", "left", "top"};
        for (int k = 0; k < 3; k++)
            q->images[k] = misi_task_canonical(0, MISI_SHOW_COMPLEX, views[k]);
        q->images[3] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
        q->images[3].view = task_pose("front", ops[0], 2);
        for (int k = 0; k < 4; k++) {
            q->images[4 + k] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
            q->images[4 + k].view = task_pose("front", ops[of_letter[k]], NOPS);
        }
        q->nimages = 8;

        bool ok;
        int rc = task_check_mc_images(env, q, 4, &ok, &why, err);
        if (rc != MISI_OK)
            return rc;
        if (!ok)
            continue;

        static const char letters[] = "ABCD";
        q->noptions = 4;
        for (int k = 0; k < 4; k++) {
            q->option_image[k] = 4 + k;
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
            task_format_ops(ops[of_letter[k]], NOPS, text, sizeof text);
            cJSON_AddStringToObject(opts, name, text);
        }

        misi_question_printf(q, "%s", TASK_PREAMBLE);
        misi_question_printf(
            q,
            "Image 1 shows the complex from the front, image 2 from the left (rolled +90 degrees about y) "
            "and image 3 from the top (rolled +90 degrees about x). Image 4 shows the front view after two "
            "rolls about two different axes, one after the other, each by a multiple of %d degrees between "
            "-%d and %d. Images 5, 6, 7 and 8 are the options A, B, C and D. Which option shows the complex "
            "of image 4 after the same two rolls are applied to it again, in the same order? Answer with the "
            "letter of the option.",
            STEP, RANGE, RANGE);
        return MISI_OK;
    }
    return misi_error_set(err, MISI_E_INVALID,
                          "no rolls about %s then %s give an answerable question after %d "
                          "tries: %s",
                          axis_name(ax1), axis_name(ax2), TASK_MAX_TRIES, why);
}

const misi_task misi_task_rotation_rotation = {"rotation_rotation", 6, true, count, make};
