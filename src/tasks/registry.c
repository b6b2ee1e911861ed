/* The task registry: adding a task is one file and one line here. */
#include <string.h>

#include "misi/tasks.h"

extern const misi_task misi_task_translation;
extern const misi_task misi_task_rotation;
extern const misi_task misi_task_zooming;
extern const misi_task misi_task_residue_ligand;
extern const misi_task misi_task_translation_rotation;
extern const misi_task misi_task_rotation_rotation;
extern const misi_task misi_task_docking;
extern const misi_task misi_task_interaction_location;
extern const misi_task misi_task_pocket_ligand;

static const misi_task *const TASKS[] = {
    &misi_task_translation,
    &misi_task_rotation,
    &misi_task_zooming,
    &misi_task_residue_ligand,
    &misi_task_translation_rotation,
    &misi_task_rotation_rotation,
    &misi_task_docking,
    &misi_task_interaction_location,
    &misi_task_pocket_ligand,
};

const misi_task *const *misi_tasks(size_t *count)
{
    *count = sizeof TASKS / sizeof TASKS[0];
    return TASKS;
}

const misi_task *misi_task_find(const char *name)
{
    for (size_t i = 0; i < sizeof TASKS / sizeof TASKS[0]; i++) {
        if (!strcmp(TASKS[i]->name, name))
            return TASKS[i];
    }
    return NULL;
}
