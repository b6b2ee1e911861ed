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
    /* Labelled: every pocket N, O or S within MISI_POLAR_CONTACT_A of the
     * ligand (a superset of the bonded ones, chosen without the H-bonds), so
     * residue atoms can be read without the labels giving the bonds away. */
    for (int v = 0; v < MISI_NUM_CANONICAL_VIEWS; v++) {
        q->images[v] = misi_task_canonical(0, MISI_SHOW_COMPLEX, MISI_CANONICAL_VIEW_NAMES[v]);
        q->images[v].labels = env->reframe ? MISI_LABEL_SET_POLAR_PAIRS : MISI_LABEL_SET_POLAR_CONTACTS;
        q->images[v].px_per_A = misi_task_six_view_scale(env); /* fill the image */
    }
    q->nimages = MISI_NUM_CANONICAL_VIEWS;
    q->truth = cJSON_CreateObject();
    cJSON *bonds = cJSON_AddArrayToObject(q->truth, "bonds");
    int rc = task_bond_answer(tc, 9, UINT32_MAX, bonds, q->answer, sizeof q->answer, err);
    if (rc)
        return rc;
    for (size_t k = 0; k < tc->hbonds->count; k++)
        misi_question_need_bond(q, &tc->hbonds->items[k], tc->cx, true);
    /* residue labels carry the chain only when the pocket has several
     * (MISI-SPEC §2): with one, the question text gives it */
    const misi_topology *pt = &tc->cx->pocket.top;
    bool multi = false;
    for (uint32_t r = 1; r < pt->nresidues; r++)
        multi |= pt->residues[r].chain != pt->residues[0].chain;
    char one_chain[96] = "";
    if (!multi && pt->nresidues)
        snprintf(one_chain, sizeof one_chain, " Every pocket residue here is in chain '%c'.",
                 pt->residues[0].chain == ' ' ? '_' : pt->residues[0].chain);
    misi_question_printf(q, "%s", TASK_PREAMBLE);
    misi_question_printf(q, "The six images show the same complex %s (images 1 to 6, in that order); ",
                         TASK_SIX_VIEWS);
    misi_question_printf(
        q, "pocket residues are labelled with name and number (and chain when the pocket has several), "
           "pocket N, O and S atoms near the ligand and ligand atoms with their names. List every hydrogen bond between a pocket residue and the ligand as "
           "'<residue name> <number> <residue atom> <chain>, <ligand atom>', separated by "
           "semicolons and ordered by residue as they appear in the structure: "
           "'<residue name> <number> <residue atom> <chain>, <ligand atom>; <residue name> <number> "
           "<residue atom> <chain>, <ligand atom>; ...'. A residue without a chain id has chain '_'.%s",
        one_chain);
    return MISI_OK;
}

const misi_task misi_task_pocket_ligand = {
    .name = "pocket_ligand",
    .number = 9,
    .mc = false,
    .paper_count = count,
    .make = make,
    .max_per_complex = 1,
    .asks = "every H-bond between the pocket and the ligand",
    .answer_form = "<residue name> <number> <residue atom> <chain>, <ligand atom>; ...",
    .images = 6,
    .count_rule = "1 when the complex has an H-bond, else 0",
};
