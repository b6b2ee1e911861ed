/* A task environment on a real asset complex, for task unit tests. */
#ifndef MISI_TEST_TASK_HARNESS_H
#define MISI_TEST_TASK_HARNESS_H

#include "misi/tasks.h"

typedef struct task_harness {
    misi_complex cx[2];
    misi_hb_context *hb[2];
    misi_hbond_list hbonds[2];
    misi_task_complex tc[2];
    misi_task_env env;
    int equal_calls;
} task_harness;

/* Load assets/complexes/<id> (and <partner> when not NULL) at 512x512.
 * Fails the test on error. */
void harness_init(task_harness *h, const char *assets, const char *id, const char *partner);
void harness_finish(task_harness *h);

/* Make question `index` of task for split with the run seed; returns the
 * task's status. */
int harness_make(task_harness *h, const misi_task *t, misi_split split, int index, misi_question *q);

/* Parse "move x 3" / "roll y 15" answers into one op. */
misi_op harness_single_op(const char *answer);

#endif
