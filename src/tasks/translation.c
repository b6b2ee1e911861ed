/* T1, translation (cloze): three views before, the front view after one move
 * along x or y; the answer is that move. */
#include <stdio.h>

#include "tasks/task_util.h"

#define RANGE 4 /* Å, MISI-SPEC §4: [-4, 4] in 1 Å bins, never 0 */

static int count(const misi_task_env *env, misi_split split)
{
    (void)env;
    return split == MISI_SPLIT_TRAIN ? 4 : 2; /* 2 / 1 per axis */
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    int axis = task_variant(env, "translation", split, index, 2); /* x, y balanced per pair of indices */
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        int d = task_draw_bins(rng, 1, RANGE);
        misi_op op = {MISI_OP_MOVE, (uint8_t)axis, (float)d};
        if (!task_before_after(env, &op, 1, q))
            continue;
        task_format_ops(&op, 1, q->answer, sizeof q->answer);
        misi_question_printf(q, "%s", TASK_PREAMBLE);
        misi_question_printf(
            q,
            "Image 1 shows the complex from the front, image 2 from the left (the complex "
            "rolled +90 degrees about y) and image 3 from the top (rolled +90 degrees about x). "
            "Image 4 shows the front view after the complex was moved along the x or the y "
            "axis by a whole number of angstrom between -%d and %d. Which command turns image 1 "
            "into image 4? Answer with one command of the form 'move <axis> <distance>'.",
            RANGE, RANGE);
        q->truth = cJSON_CreateObject();
        cJSON_AddStringToObject(q->truth, "axis", axis_name(axis));
        cJSON_AddNumberToObject(q->truth, "value", d);
        int range[2] = {-RANGE, RANGE};
        cJSON_AddItemToObject(q->truth, "range", cJSON_CreateIntArray(range, 2));
        return MISI_OK;
    }
    return misi_error_set(err, MISI_E_INVALID, "no translation along %s keeps the complex in the frame",
                          axis_name(axis));
}

const misi_task misi_task_translation = {
    .name = "translation",
    .number = 1,
    .mc = false,
    .paper_count = count,
    .make = make,
    .asks = "which one move along x or y turns image 1 into image 4",
    .answer_form = "move <axis> <distance>",
    .images = 4,
};
