/* T4, residue–ligand interaction (cloze): six canonical views of one pocket
 * residue and the ligand, the residue's atoms labelled; the answer is `No`, or
 * `Yes: VAL O, N1; VAL O, N2` listing that residue's H-bonds to the ligand
 * (residue name, residue atom, ligand atom) in the finder's order.
 *
 * Paper preset, per complex and split (the same rule for train and test):
 *   - every positive residue (one with at least one bond in env->own->hbonds),
 *     questions 0..npos-1, in residue (file) order;
 *   - then nneg = min(max(npos, 1), ncand) negatives, where the candidates are
 *     the pocket residues with one of the 20 standard amino-acid names and no
 *     bond (waters, ions, cofactors and modified residues are never asked).
 *     A complex without H-bonds still gets one negative. The negatives are the
 *     first nneg of the candidates shuffled by an rng keyed
 *     "<complex>/residue_ligand/<split>/negatives", so the negative set does
 *     not depend on the question index (and the per-question rng is unused).
 * This gives about as many negatives as positives, as in the paper (3.3 + 3.5
 * per complex). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasks/task_util.h"

static bool standard_amino_acid(const char *name)
{
    static const char *const AA[20] = {"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                       "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL"};
    for (int i = 0; i < 20; i++) {
        if (!strcmp(name, AA[i]))
            return true;
    }
    return false;
}

/* Per residue: does any bond's pocket atom belong to it? Caller frees. */
static bool *bonded_residues(const misi_task_complex *tc)
{
    const misi_topology *top = &tc->cx->pocket.top;
    bool *b = calloc(top->nresidues ? top->nresidues : 1, sizeof *b);
    if (!b)
        return NULL;
    for (size_t k = 0; k < tc->hbonds->count; k++)
        b[top->atoms[tc->hbonds->items[k].pocket_atom].residue] = true;
    return b;
}

/* The residues of the preset in question order: positives in residue order,
 * then the chosen negatives. *npos and *n say how many of each; the array is
 * the caller's to free (NULL on allocation failure). */
static uint32_t *question_residues(const misi_task_env *env, misi_split split, int *npos, int *n)
{
    const misi_task_complex *tc = env->own;
    const misi_topology *top = &tc->cx->pocket.top;
    bool *bonded = bonded_residues(tc);
    uint32_t *out = malloc((top->nresidues ? top->nresidues : 1) * sizeof *out);
    int *cand = malloc((top->nresidues ? top->nresidues : 1) * sizeof *cand);
    if (!bonded || !out || !cand) {
        free(bonded);
        free(out);
        free(cand);
        return NULL;
    }
    int np = 0, nc = 0;
    for (uint32_t r = 0; r < top->nresidues; r++) {
        if (bonded[r])
            out[np++] = r;
        else if (standard_amino_acid(top->residues[r].name))
            cand[nc++] = (int)r;
    }
    char key[256];
    snprintf(key, sizeof key, "%s/residue_ligand/%s/negatives", tc->cx->id, misi_split_name(split));
    misi_rng r;
    misi_rng_seed(&r, env->seed, key);
    misi_rng_shuffle(&r, cand, nc);
    int nneg = np > 1 ? np : 1;
    if (nneg > nc)
        nneg = nc;
    for (int i = 0; i < nneg; i++)
        out[np + i] = (uint32_t)cand[i];
    free(bonded);
    free(cand);
    *npos = np;
    *n = np + nneg;
    return out;
}

static int count(const misi_task_env *env, misi_split split)
{
    int npos, n;
    uint32_t *res = question_residues(env, split, &npos, &n);
    if (!res)
        return 0;
    free(res);
    return n;
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    (void)rng; /* the question is fixed by its index; negatives use a per-complex stream */
    const misi_task_complex *tc = env->own;
    const misi_complex *cx = tc->cx;
    int npos, n;
    uint32_t *res = question_residues(env, split, &npos, &n);
    if (!res)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory choosing residues");
    if (index < 0 || index >= n) {
        free(res);
        return misi_error_set(err, MISI_E_INVALID, "question %d of %d residue-ligand questions", index, n);
    }
    uint32_t ri = res[index];
    free(res);
    const misi_residue *rs = &cx->pocket.top.residues[ri];

    for (int v = 0; v < MISI_NUM_CANONICAL_VIEWS; v++) {
        q->images[v] = misi_task_canonical(0, MISI_SHOW_RESIDUE, MISI_CANONICAL_VIEW_NAMES[v]);
        q->images[v].residue = ri;
        /* Only the residue and the ligand are drawn: frame them, not the
         * whole complex, so both are large enough to read. */
        misi_task_frame_residue(env, ri, &q->images[v]);
        if (!misi_task_in_frame(env, &q->images[v]))
            return misi_error_set(err, MISI_E_INVALID, "residue %s %d leaves the frame in the %s view", rs->name,
                                  rs->seq, MISI_CANONICAL_VIEW_NAMES[v]);
    }
    q->nimages = MISI_NUM_CANONICAL_VIEWS;

    q->truth = cJSON_CreateObject();
    cJSON *ro = cJSON_AddObjectToObject(q->truth, "residue");
    char icode[2] = {rs->icode == ' ' ? 0 : rs->icode, 0};
    char chain[2] = {rs->chain == ' ' ? 0 : rs->chain, 0};
    cJSON_AddStringToObject(ro, "name", rs->name);
    cJSON_AddNumberToObject(ro, "number", rs->seq);
    cJSON_AddStringToObject(ro, "icode", icode);
    cJSON_AddStringToObject(ro, "chain", chain);
    cJSON *bonds = cJSON_AddArrayToObject(q->truth, "bonds");

    int rc = task_bond_answer(tc, 4, ri, bonds, q->answer, sizeof q->answer, err);
    if (rc)
        return rc;

    char num[32]; /* "25", "25A", "25 of chain B": two chains may share a residue number */
    if (rs->chain == ' ')
        snprintf(num, sizeof num, "%d%s", rs->seq, icode);
    else
        snprintf(num, sizeof num, "%d%s of chain %c", rs->seq, icode, rs->chain);
    misi_question_printf(q, "%s", TASK_PREAMBLE);
    misi_question_printf(q,
                         "The six images show only one pocket residue, %s %s, together with the ligand, seen "
                         "%s (images 1 to 6, in that order). "
                         "Every atom of the residue is labelled with its atom name and every ligand atom with "
                         "its name. Does this residue form a hydrogen bond with the ligand? If it does not, "
                         "answer 'No'. If it does, answer 'Yes: ' followed by each hydrogen bond as "
                         "'<residue name> <residue atom>, <ligand atom>', separated by semicolons, e.g. "
                         "'Yes: VAL O, N1; VAL O, N2'.",
                         rs->name, num, TASK_SIX_VIEWS);
    return MISI_OK;
}

const misi_task misi_task_residue_ligand = {"residue_ligand", 4, false, count, make};
