/* T2, rotation (cloze): three views before, the front view after one roll
 * about x, y or z; the answer is that roll. */
#include <stdio.h>

#include "tasks/task_util.h"

#define RANGE 90 /* degrees, [-90, 90] in 15° bins, never 0 */
#define STEP 15

static int count(const misi_task_env *env, misi_split split)
{
    (void)env;
    return split == MISI_SPLIT_TRAIN ? 6 : 3; /* 2 / 1 per axis */
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    int axis = task_variant(env, "rotation", split, index, 3); /* x, y, z balanced per three indices */
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        int a = task_draw_bins(rng, STEP, RANGE / STEP);
        misi_op op = {MISI_OP_ROLL, (uint8_t)axis, (float)a};
        if (!task_before_after(env, &op, 1, q))
            continue;
        task_format_ops(&op, 1, q->answer, sizeof q->answer);
        misi_question_printf(q, "%s", TASK_PREAMBLE);
        misi_question_printf(
            q,
            "Image 1 shows the complex from the front, image 2 from the left (the complex "
            "rolled +90 degrees about y) and image 3 from the top (rolled +90 degrees about x). "
            "Image 4 shows the front view after the complex was rolled about the x, y or z "
            "axis by a multiple of %d degrees between -%d and %d. Which command turns image 1 "
            "into image 4? Answer with one command of the form 'roll <axis> <angle>'.",
            STEP, RANGE, RANGE);
        q->truth = cJSON_CreateObject();
        cJSON_AddStringToObject(q->truth, "axis", axis_name(axis));
        cJSON_AddNumberToObject(q->truth, "value", a);
        int range[2] = {-RANGE, RANGE};
        cJSON_AddItemToObject(q->truth, "range", cJSON_CreateIntArray(range, 2));
        return MISI_OK;
    }
    return misi_error_set(err, MISI_E_INVALID, "no roll about %s keeps the complex in the frame",
                          axis_name(axis));
}

const misi_task misi_task_rotation = {
    .name = "rotation",
    .number = 2,
    .mc = false,
    .paper_count = count,
    .make = make,
    .asks = "which one roll about x, y or z turns image 1 into image 4",
    .answer_form = "roll <axis> <angle>",
    .images = 4,
};
