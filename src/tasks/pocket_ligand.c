/* T9, pocket–ligand interaction (cloze): six views of the whole complex; the
 * answer lists every pocket–ligand H-bond in the finder's order (pocket file
 * order, then ligand atom order). */
#include <stdio.h>
#include <string.h>

#include "tasks/task_util.h"

static int count(const misi_task_env *env, misi_split split)
{
    (void)split;
    return env->own->hbonds->count > 0 ? 1 : 0;
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    (void)rng;
    (void)split;
    (void)index;
    const misi_task_complex *tc = env->own;
    if (tc->hbonds->count == 0)
        return misi_error_set(err, MISI_E_INVALID, "no pocket-ligand H-bond");
    for (int v = 0; v < MISI_NUM_CANONICAL_VIEWS; v++)
        q->images[v] = misi_task_canonical(0, MISI_SHOW_COMPLEX, MISI_CANONICAL_VIEW_NAMES[v]);
    q->nimages = MISI_NUM_CANONICAL_VIEWS;
    q->truth = cJSON_CreateObject();
    cJSON *bonds = cJSON_AddArrayToObject(q->truth, "bonds");
    int rc = task_bond_answer(tc, 9, UINT32_MAX, bonds, q->answer, sizeof q->answer, err);
    if (rc)
        return rc;
    misi_question_printf(q, "%s", TASK_PREAMBLE);
    misi_question_printf(q, "The six images show the same complex %s (images 1 to 6, in that order); ",
                         TASK_SIX_VIEWS);
    misi_question_printf(
        q, "pocket residues are labelled with name and number and ligand atoms with "
           "their names. List every hydrogen bond between a pocket residue and the ligand as "
           "'<residue name> <number> <residue atom> <chain>, <ligand atom>', separated by "
           "semicolons and ordered by residue as they appear in the structure: "
           "'<residue name> <number> <residue atom> <chain>, <ligand atom>; <residue name> <number> "
           "<residue atom> <chain>, <ligand atom>; ...'. A residue without a chain id has chain '_'.");
    return MISI_OK;
}

const misi_task misi_task_pocket_ligand = {"pocket_ligand", 9, false, count, make, 1};
