/* The random-answer baseline (random_answers.h). */
#include "random_answers.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "misi/rng.h"

static const int TASKS[7] = {MISI_TASK_TRANSLATION_ROTATION,
                             MISI_TASK_ROTATION_ROTATION,
                             MISI_TASK_INTERACTION_LOCATION,
                             MISI_TASK_TRANSLATION,
                             MISI_TASK_ROTATION,
                             MISI_TASK_ZOOMING,
                             MISI_TASK_DOCKING};

static int random_value(misi_rng *rng, double lo, double hi, int step);

/* A cloze answer and its truth.range, drawn like the generator's. */
static void synth_cloze(misi_rng *rng, int task, char *answer, size_t cap, cJSON *truth)
{
    const char *axes = "xyz";
    int lo = 0, hi = 0;
    switch (task) {
    case MISI_TASK_TRANSLATION:
        snprintf(answer, cap, "move %c %d", axes[misi_rng_below(rng, 2)], random_value(rng, -4, 4, 1));
        lo = -4, hi = 4;
        break;
    case MISI_TASK_ROTATION:
        snprintf(answer, cap, "roll %c %d", axes[misi_rng_below(rng, 3)], random_value(rng, -90, 90, 15));
        lo = -90, hi = 90;
        break;
    case MISI_TASK_ZOOMING:
        snprintf(answer, cap, "move z %d", misi_rng_range(rng, 40, 60));
        lo = 40, hi = 60;
        break;
    default: {
        int d = misi_rng_range(rng, 8, 20) * (misi_rng_below(rng, 2) ? 1 : -1);
        snprintf(answer, cap, "roll %c %d, move x %d", axes[misi_rng_below(rng, 3)],
                 random_value(rng, -90, 90, 15), d);
        lo = -90, hi = 90; /* T7: the rotation's range */
        break;
    }
    }
    cJSON_AddItemToObject(truth, "range", cJSON_CreateIntArray((const int[2]){lo, hi}, 2));
}

int random_synth_gold(const char *path, size_t n, uint64_t seed, bool cloze)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return MISI_E_IO;
    misi_rng rng;
    misi_rng_seed(&rng, seed, "synth-gold");
    for (size_t i = 0; i < n; i++) {
        int task = TASKS[i % (cloze ? 7 : 3)];
        char id[64], letter[2] = {(char)('A' + misi_rng_below(&rng, 4)), 0}, answer[128];
        snprintf(id, sizeof id, "synth-%s-test-%zu", misi_answer_task_name(task), i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", id);
        cJSON_AddStringToObject(o, "task", misi_answer_task_name(task));
        cJSON_AddNumberToObject(o, "task_number", task);
        cJSON_AddStringToObject(o, "split", "test");
        cJSON_AddStringToObject(o, "complex", "synth");
        cJSON_AddArrayToObject(o, "images");
        cJSON_AddStringToObject(o, "question", "Which option?");
        cJSON *truth = cJSON_CreateObject();
        if (!misi_answer_task_is_mc(task)) {
            synth_cloze(&rng, task, answer, sizeof answer, truth);
            cJSON_AddStringToObject(o, "answer", answer);
            cJSON_AddItemToObject(o, "truth", truth);
            goto write;
        }
        cJSON_AddStringToObject(o, "answer", letter);
        cJSON *opts = cJSON_AddObjectToObject(o, "options");
        for (int k = 0; k < 4; k++) {
            char key[2] = {(char)('A' + k), 0}, val[64];
            if (task == MISI_TASK_INTERACTION_LOCATION)
                snprintf(val, sizeof val, "move x %d, move y %d", k + 1, -(k + 1));
            else
                snprintf(val, sizeof val, "images/synth/%zu-%c.png", i, 'A' + k);
            cJSON_AddStringToObject(opts, key, val);
        }
        cJSON_AddItemToObject(o, "truth", truth);
        cJSON_AddStringToObject(truth, "correct", letter);
    write:;
        char *s = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!s) {
            fclose(f);
            return MISI_E_NOMEM;
        }
        fprintf(f, "%s\n", s);
        cJSON_free(s);
    }
    return fclose(f) ? MISI_E_IO : MISI_OK;
}

/* A random non-zero integer in [lo, hi] that is a multiple of step. */
static int random_value(misi_rng *rng, double lo, double hi, int step)
{
    int a = (int)(lo / step), b = (int)(hi / step);
    int v;
    do
        v = misi_rng_range(rng, a, b) * step;
    while (v == 0 && (a != 0 || b != 0));
    return v;
}

int random_answers(const misi_gold *g, const char *path, uint64_t seed)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return MISI_E_IO;
    misi_rng rng;
    misi_rng_seed(&rng, seed, "random-answers");
    const char *axes = "xyz";
    for (size_t i = 0; i < g->count; i++) {
        const misi_gold_item *it = &g->items[i];
        char ans[128];
        switch (it->task) {
        case MISI_TASK_TRANSLATION:
            snprintf(ans, sizeof ans, "move %c %d", axes[misi_rng_below(&rng, 2)],
                     random_value(&rng, -4, 4, 1));
            break;
        case MISI_TASK_ROTATION:
            snprintf(ans, sizeof ans, "roll %c %d", axes[misi_rng_below(&rng, 3)],
                     random_value(&rng, -90, 90, 15));
            break;
        case MISI_TASK_ZOOMING:
            snprintf(ans, sizeof ans, "move z %d", misi_rng_range(&rng, 40, 60));
            break;
        case MISI_TASK_DOCKING:
            snprintf(ans, sizeof ans, "roll %c %d, move %c %d", axes[misi_rng_below(&rng, 3)],
                     random_value(&rng, -90, 90, 15), axes[misi_rng_below(&rng, 2)],
                     random_value(&rng, -20, 20, 1));
            break;
        case MISI_TASK_RESIDUE_LIGAND:
        case MISI_TASK_POCKET_LIGAND:
            snprintf(ans, sizeof ans, "No");
            break;
        default:
            snprintf(ans, sizeof ans, "%c", 'A' + (int)misi_rng_below(&rng, 4));
            break;
        }
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", it->id);
        cJSON_AddStringToObject(o, "answer", ans);
        char *s = cJSON_PrintUnformatted(o);
        cJSON_Delete(o);
        if (!s) {
            fclose(f);
            return MISI_E_NOMEM;
        }
        fprintf(f, "%s\n", s);
        cJSON_free(s);
    }
    return fclose(f) ? MISI_E_IO : MISI_OK;
}
