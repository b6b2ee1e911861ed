/* T6, rotation + rotation (MC): the complex before and after a pair of rolls
 * about different axes; which of four front views shows image 4 after the
 * same two rolls applied again, in the same order?
 *
 * The options are a 2x2 factorial design (docs/tasks/design.md) over the
 * pair applied the second time. From two rolls r1 (about a1) and r2 (about
 * a2) and a perturbed r1* — r1 with another magnitude of the same sign, or r1
 * about the third axis, drawn uniformly; which of the two rolls is perturbed
 * is drawn too — the four pairs are
 *     (r1, r2)   (r2, r1)   (r1*, r2)   (r2, r1*)
 * i.e. {order kept, order swapped} x {roll as drawn, roll perturbed}: the
 * paper's kinds of decoy (order, magnitude or axis, and both). The truth is
 * one of the four drawn uniformly: image 4 is the front view after it, the
 * right option the front view after it twice, and each decoy the front view
 * after it and then another cell. Every cell stands in the same relation to
 * the other three, so no option is the centre, the odd one out or the most
 * shared. Two rolls about different axes never commute in [-90, 90], so the
 * four poses differ; poses are still compared, and renderings through
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
    /* Ordered axis pairs, balanced per six indices. */
    static const int pairs[6][2] = {{0, 1}, {1, 2}, {2, 0}, {1, 0}, {2, 1}, {0, 2}};
    int pv = task_variant(env, "rotation_rotation", split, index, 6);
    int ax1 = pairs[pv][0], ax2 = pairs[pv][1], third = 3 - ax1 - ax2;
    const char *why = "no try was made";
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        misi_op r1 = {MISI_OP_ROLL, (uint8_t)ax1, (float)task_draw_bins(rng, STEP, RANGE / STEP)};
        misi_op r2 = {MISI_OP_ROLL, (uint8_t)ax2, (float)task_draw_bins(rng, STEP, RANGE / STEP)};
        if (misi_rng_below(rng, 2)) { /* which roll the second factor perturbs */
            misi_op x = r1;
            r1 = r2;
            r2 = x;
            third = 3 - r1.axis - r2.axis;
        }
        misi_op r1p = r1;
        if (misi_rng_below(rng, 2))
            r1p.value = (float)task_other_magnitude(rng, (int)r1.value, STEP, RANGE / STEP);
        else
            r1p.axis = (uint8_t)third;
        misi_op cell[4][2] = {{r1, r2}, {r2, r1}, {r1p, r2}, {r2, r1p}};
        int truth = (int)misi_rng_below(rng, 4);
        int of_letter[4] = {0, 1, 2, 3};
        misi_rng_shuffle(rng, of_letter, 4);
        int correct = 0;
        for (int k = 0; k < 4; k++)
            if (of_letter[k] == truth)
                correct = k;
        /* Option ops: the truth, then the letter's cell. */
        misi_op ops[4][NOPS];
        for (int k = 0; k < 4; k++) {
            ops[k][0] = cell[truth][0];
            ops[k][1] = cell[truth][1];
            ops[k][2] = cell[of_letter[k]][0];
            ops[k][3] = cell[of_letter[k]][1];
        }

        static const char *const views[3] = {"front", "left", "top"};
        for (int k = 0; k < 3; k++)
            q->images[k] = misi_task_canonical(0, MISI_SHOW_COMPLEX, views[k]);
        q->images[3] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
        q->images[3].view = task_pose("front", cell[truth], 2);
        for (int k = 0; k < 4; k++) {
            q->images[4 + k] = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
            q->images[4 + k].view = task_pose("front", ops[k], NOPS);
        }
        q->nimages = 8;

        bool ok;
        int rc = task_check_mc_images(env, q, 4, &ok, &why, err);
        if (rc != MISI_OK)
            return rc;
        if (!ok)
            continue;
        if (task_target_is_given(q, 4, 4, 4)) {
            why = "an option is one of the given views";
            continue;
        }

        static const char letters[] = "ABCD";
        q->noptions = 4;
        for (int k = 0; k < 4; k++) {
            q->option_image[k] = 4 + k;
            q->options[k][0] = '\0';
        }
        snprintf(q->answer, sizeof q->answer, "%c", letters[correct]);
        char text[256];
        task_format_ops(cell[truth], 2, text, sizeof text);
        q->truth = cJSON_CreateObject();
        cJSON_AddStringToObject(q->truth, "correct", q->answer);
        cJSON_AddStringToObject(q->truth, "operations", text);
        cJSON *opts = cJSON_AddObjectToObject(q->truth, "options");
        for (int k = 0; k < 4; k++) {
            char name[2] = {letters[k], '\0'};
            task_format_ops(ops[k], NOPS, text, sizeof text);
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

const misi_task misi_task_rotation_rotation = {
    .name = "rotation_rotation",
    .number = 6,
    .mc = true,
    .paper_count = count,
    .make = make,
    .asks = "which option shows image 4 after the same two rolls again",
    .answer_form = "<letter A-D>",
    .images = 8,
};
