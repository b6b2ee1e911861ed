/* T4, residue–ligand interaction (cloze): six canonical views of one pocket
 * residue and the ligand, the residue's atoms labelled; the answer is `No`, or
 * `Yes: VAL O, N1; VAL O, N2` listing that residue's H-bonds to the ligand
 * (residue name, residue atom, ligand atom) in the finder's order.
 *
 * Paper preset, per complex and split (the same rule for train and test):
 *   - every positive residue (one with at least one bond in env->own->hbonds);
 *   - then nneg = min(max(npos, 1), ncand) *hard* negatives, where the
 *     candidates are the pocket residues with one of the 20 standard
 *     amino-acid names and no bond (waters, ions, cofactors and modified
 *     residues are never asked). Each positive in turn takes the unused
 *     candidate whose closest polar-atom distance to the ligand (N/O to N/O,
 *     heavy atoms; any heavy atoms when a side has no N/O) is nearest its
 *     own, so negatives are residues as close to the ligand as the positives
 *     that still make no H-bond by the criteria, falling back to the nearest
 *     available. Ties go by an order shuffled with an rng keyed
 *     "<complex>/residue_ligand/<split>/negatives"; a complex without
 *     H-bonds gets the one closest candidate. The question's own rng is
 *     unused: the set does not depend on the index.
 *   - The questions ask positives and negatives in an order shuffled with an
 *     rng keyed "<complex>/residue_ligand/<split>/order": the index says
 *     nothing about the answer.
 *   - One frame for every T4 image of a complex and split: centred on the
 *     ligand and the asked residues together, large enough for all of them,
 *     so a positive and a negative are drawn at one scale and the scale says
 *     nothing about the answer (docs/tasks/design.md).
 * This gives about as many negatives as positives, as in the paper (3.3 + 3.5
 * per complex). */
#include <math.h>
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

static bool polar(const misi_atom *a)
{
    return a->element == 7 || a->element == 8;
}

/* Closest distance (Å) between the heavy atoms of pocket residue r and the
 * ligand's, polar to polar when both sides have polar atoms. */
static float closest_polar(const misi_complex *cx, uint32_t r)
{
    const misi_residue *res = &cx->pocket.top.residues[r];
    const misi_mol *lig = &cx->ligand;
    float best[2] = {INFINITY, INFINITY}; /* [0] polar pairs, [1] any heavy pair */
    for (uint32_t i = res->first; i < res->first + res->count; i++) {
        const misi_atom *pa = &cx->pocket.top.atoms[i];
        if (pa->element == 1)
            continue;
        for (uint32_t j = 0; j < lig->top.natoms; j++) {
            const misi_atom *la = &lig->top.atoms[j];
            if (la->element == 1)
                continue;
            float d2 = 0;
            for (int k = 0; k < 3; k++) {
                float d = cx->pocket.xyz[3 * i + k] - lig->xyz[3 * j + k];
                d2 += d * d;
            }
            if (d2 < best[1])
                best[1] = d2;
            if (polar(pa) && polar(la) && d2 < best[0])
                best[0] = d2;
        }
    }
    return sqrtf(isfinite(best[0]) ? best[0] : best[1]);
}

/* The residues of the preset in question order: the positives and the chosen
 * negatives, shuffled together. *npos and *n say how many positives and how
 * many in all; the array is the caller's to free (NULL on allocation
 * failure). */
static uint32_t *question_residues(const misi_task_env *env, misi_split split, int *npos, int *n)
{
    const misi_task_complex *tc = env->own;
    const misi_topology *top = &tc->cx->pocket.top;
    size_t nr = top->nresidues ? top->nresidues : 1;
    bool *bonded = bonded_residues(tc);
    uint32_t *out = malloc(nr * sizeof *out);
    int *cand = malloc(nr * sizeof *cand);
    float *dist = malloc(nr * sizeof *dist);
    if (!bonded || !out || !cand || !dist) {
        free(bonded);
        free(out);
        free(cand);
        free(dist);
        return NULL;
    }
    int np = 0, nc = 0;
    for (uint32_t r = 0; r < top->nresidues; r++) {
        if (bonded[r] || standard_amino_acid(top->residues[r].name))
            dist[r] = closest_polar(tc->cx, r);
        if (bonded[r])
            out[np++] = r;
        else if (standard_amino_acid(top->residues[r].name))
            cand[nc++] = (int)r;
    }
    char key[256];
    snprintf(key, sizeof key, "%s/residue_ligand/%s/negatives", tc->cx->id, misi_split_name(split));
    misi_rng rr;
    misi_rng_seed(&rr, env->seed, key);
    misi_rng_shuffle(&rr, cand, nc);
    int nneg = np > 1 ? np : 1;
    if (nneg > nc)
        nneg = nc;
    for (int i = 0; i < nneg; i++) {
        /* The target: the i-th positive's distance, or (no positive) 0 =
         * the closest candidate. */
        float want = np ? dist[out[i]] : 0.0f;
        int pick = -1;
        for (int c = 0; c < nc; c++) {
            if (cand[c] < 0)
                continue;
            if (pick < 0 || fabsf(dist[cand[c]] - want) < fabsf(dist[cand[pick]] - want))
                pick = c;
        }
        out[np + i] = (uint32_t)cand[pick];
        cand[pick] = -1;
    }
    /* Question order: positives and negatives shuffled together, so the
     * index says nothing about the answer (in residue order, index < npos
     * was a "Yes"). */
    snprintf(key, sizeof key, "%s/residue_ligand/%s/order", tc->cx->id, misi_split_name(split));
    misi_rng ro;
    misi_rng_seed(&ro, env->seed, key);
    int *perm = malloc((size_t)(np + nneg) * sizeof *perm + 1);
    if (!perm) {
        free(bonded);
        free(cand);
        free(dist);
        free(out);
        return NULL;
    }
    for (int i = 0; i < np + nneg; i++)
        perm[i] = (int)out[i];
    misi_rng_shuffle(&ro, perm, np + nneg);
    for (int i = 0; i < np + nneg; i++)
        out[i] = (uint32_t)perm[i];
    free(perm);
    free(bonded);
    free(cand);
    free(dist);
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
    const misi_residue *rs = &cx->pocket.top.residues[ri];

    /* Only residues and the ligand are drawn: frame them, not the whole
     * complex, so both are large enough to read; one frame for every asked
     * residue, so positives and negatives share a scale. */
    misi_image_req framed;
    misi_task_frame_residues(env, res, (size_t)n, &framed);
    free(res);
    for (int v = 0; v < MISI_NUM_CANONICAL_VIEWS; v++) {
        q->images[v] = misi_task_canonical(0, MISI_SHOW_RESIDUE, MISI_CANONICAL_VIEW_NAMES[v]);
        q->images[v].residue = ri;
        q->images[v].framed = true;
        q->images[v].frame = framed.frame;
        q->images[v].px_per_A = framed.px_per_A;
        if (!misi_task_in_frame(env, &q->images[v]))
            return misi_error_set(err, MISI_E_INVALID, "residue %s %d leaves the frame in the %s view",
                                  rs->name, rs->seq, MISI_CANONICAL_VIEW_NAMES[v]);
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
    /* the answer names the residue's atoms and the ligand's; the residue is
     * in the question text */
    for (size_t k = 0; k < tc->hbonds->count; k++)
        if (cx->pocket.top.atoms[tc->hbonds->items[k].pocket_atom].residue == ri)
            misi_question_need_bond(q, &tc->hbonds->items[k], cx, false);

    char num[32]; /* "25", "25A", "25 of chain B": two chains may share a residue number */
    if (rs->chain == ' ')
        snprintf(num, sizeof num, "%d%s", rs->seq, icode);
    else
        snprintf(num, sizeof num, "%d%s of chain %c", rs->seq, icode, rs->chain);
    misi_question_printf(q, "%s", TASK_PREAMBLE);
    misi_question_printf(
        q,
        "The six images show only one pocket residue, %s %s, together with the ligand, seen "
        "%s (images 1 to 6, in that order). "
        "Every atom of the residue is labelled with its atom name and every ligand atom with "
        "its name. Does this residue form a hydrogen bond with the ligand? If it does not, "
        "answer 'No'. If it does, answer 'Yes: ' followed by each hydrogen bond as "
        "'<residue name> <residue atom>, <ligand atom>', separated by semicolons: "
        "'Yes: <residue name> <residue atom>, <ligand atom>; <residue name> <residue atom>, "
        "<ligand atom>; ...'.",
        rs->name, num, TASK_SIX_VIEWS);
    return MISI_OK;
}

const misi_task misi_task_residue_ligand = {
    .name = "residue_ligand",
    .number = 4,
    .mc = false,
    .paper_count = count,
    .make = make,
    .asks = "does this one pocket residue H-bond the ligand, and through which atoms",
    .answer_form = "No | Yes: <residue name> <residue atom>, <ligand atom>; ...",
    .images = 6,
    .count_rule = "every residue that H-bonds the ligand plus as many non-bonding ones (at least 1)",
};
