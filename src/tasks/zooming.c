/* T3, zooming (cloze): three views before, the front view after a move along
 * z (toward the viewer), which magnifies by D / (D - d). */
#include <stdio.h>

#include "tasks/task_util.h"

#define LO 40 /* Å, [40, 60] in 1 Å bins */
#define HI 60

static int count(const misi_task_env *env, misi_split split)
{
    (void)env;
    return split == MISI_SPLIT_TRAIN ? 4 : 2;
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    (void)split;
    (void)index;
    float D = env->geo.eye_distance > 0 ? env->geo.eye_distance : 100.0f;
    for (int tries = 0; tries < TASK_MAX_TRIES; tries++) {
        int d = misi_rng_range(rng, LO, HI);
        misi_op op = {MISI_OP_MOVE, 2, (float)d};
        if (!task_before_after(env, &op, 1, q))
            continue;
        task_format_ops(&op, 1, q->answer, sizeof q->answer);
        misi_question_printf(q, "%s", TASK_PREAMBLE);
        misi_question_printf(
            q,
            "The camera keeps a notional eye distance of %g angstrom, so moving the complex by "
            "d angstrom along +z magnifies the image by %g / (%g - d) about its centre. "
            "Image 1 shows the complex from the front, image 2 from the left (the complex "
            "rolled +90 degrees about y) and image 3 from the top (rolled +90 degrees about x). "
            "Image 4 shows the front view after the complex was moved toward the "
            "viewer by a whole number of angstrom between %d and %d. Which command turns "
            "image 1 into image 4? Answer with one command of the form 'move z <distance>'.",
            D, D, D, LO, HI);
        q->truth = cJSON_CreateObject();
        cJSON_AddStringToObject(q->truth, "axis", "z");
        cJSON_AddNumberToObject(q->truth, "value", d);
        int range[2] = {LO, HI};
        cJSON_AddItemToObject(q->truth, "range", cJSON_CreateIntArray(range, 2));
        return MISI_OK;
    }
    return misi_error_set(err, MISI_E_INVALID, "no zoom depth in [%d, %d] keeps the complex in the frame", LO,
                          HI);
}

const misi_task misi_task_zooming = {
    .name = "zooming",
    .number = 3,
    .mc = false,
    .paper_count = count,
    .make = make,
    .asks = "how far along z the complex moved between image 1 and image 4",
    .answer_form = "move z <distance>",
    .images = 4,
};
