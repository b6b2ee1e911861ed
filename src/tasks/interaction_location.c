/* T8, interaction location (MC): six canonical views of the whole complex and
 * one H-bond named in words; which `move x a, move y b` brings the midpoint of
 * the two bonded atoms to the screen centre of the front view (1 Å bins)?
 *
 * The front pose is the identity, so the midpoint's screen position is
 * s = p_mid - frame.centre and the answer is a = -round(s.x), b = -round(s.y).
 * Decoys perturb the truth: one or both axes get a flipped sign, a magnitude
 * changed by 1–4 Å, or both. A perturbed axis always differs from the truth
 * (a 0 axis cannot flip, so it gets a nonzero magnitude instead), and the four
 * options are distinct as text. The right letter is drawn uniformly.
 *
 * Paper preset, per complex and split: min(3, number of H-bonds) questions;
 * question i asks about bond order[i], with order the bond indices shuffled by
 * an rng keyed "<complex>/interaction_location/<split>/bonds", so different
 * questions of a complex name different bonds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasks/task_util.h"

#define MAX_PER_COMPLEX 3
#define PERTURB_MAX 4 /* Å */

static int count(const misi_task_env *env, misi_split split)
{
    (void)split;
    size_t n = env->own->hbonds->count;
    return n < MAX_PER_COMPLEX ? (int)n : MAX_PER_COMPLEX;
}

/* A changed magnitude, never 0, with v's sign (a random one when v is 0). */
static int change_magnitude(misi_rng *rng, int v)
{
    int m = abs(v), d = misi_rng_range(rng, 1, PERTURB_MAX);
    int nm = (m - d >= 1 && misi_rng_below(rng, 2)) ? m - d : m + d;
    int sign = v > 0 ? 1 : v < 0 ? -1 : (misi_rng_below(rng, 2) ? 1 : -1);
    return sign * nm;
}

/* One axis value, perturbed so that it differs from v. */
static int perturb_axis(misi_rng *rng, int v)
{
    switch (misi_rng_below(rng, 3)) {
    case 0: /* sign flipped */
        return v ? -v : change_magnitude(rng, v);
    case 1: /* magnitude changed */
        return change_magnitude(rng, v);
    default: /* both */
        return -change_magnitude(rng, v);
    }
}

static void format_move(int a, int b, char *buf, size_t cap)
{
    misi_op ops[2] = {{MISI_OP_MOVE, MISI_AXIS_X, (float)a}, {MISI_OP_MOVE, MISI_AXIS_Y, (float)b}};
    task_format_ops(ops, 2, buf, cap);
}

/* How far (Å, the larger axis) the midpoint stays from the centre after
 * move x a, move y b. */
static float residual(const float s[2], int a, int b)
{
    float dx = fabsf(s[0] + (float)a), dy = fabsf(s[1] + (float)b);
    return dx > dy ? dx : dy;
}

/* A decoy must leave the midpoint at least half an Å farther from the centre
 * than the right answer: a midpoint near a bin boundary would otherwise make
 * a decoy that only rounding tells apart, which no image shows. */
static bool clearly_worse(const float s[2], int a, int b, int x, int y)
{
    return residual(s, x, y) >= residual(s, a, b) + 0.5f;
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    const misi_task_complex *tc = env->own;
    const misi_complex *cx = tc->cx;
    int n = count(env, split);
    if (index < 0 || index >= n)
        return misi_error_set(err, MISI_E_INVALID, "question %d of %d interaction-location questions", index, n);

    /* Which bond: a per-complex shuffle, so questions never repeat a bond. */
    int nb = (int)tc->hbonds->count;
    int *order = malloc((size_t)nb * sizeof *order);
    if (!order)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory ordering %d H-bonds", nb);
    for (int i = 0; i < nb; i++)
        order[i] = i;
    char key[256];
    snprintf(key, sizeof key, "%s/interaction_location/%s/bonds", cx->id, misi_split_name(split));
    misi_rng br;
    misi_rng_seed(&br, env->seed, key);
    misi_rng_shuffle(&br, order, nb);
    const misi_hbond *hb = &tc->hbonds->items[order[index]];
    free(order);

    const float *pp = &cx->pocket.xyz[3 * hb->pocket_atom], *lp = &cx->ligand.xyz[3 * hb->ligand_atom];
    float s[2];
    for (int k = 0; k < 2; k++)
        s[k] = 0.5f * (pp[k] + lp[k]) - tc->frame.centre[k];
    int a = -(int)lroundf(s[0]), b = -(int)lroundf(s[1]);
    if (a == 0) /* -0 from lroundf of a small negative: keep the text "0" */
        a = 0;
    if (b == 0)
        b = 0;

    /* Options: the truth at a uniformly drawn letter, three distinct decoys. */
    int correct = (int)misi_rng_below(rng, 4);
    int val[4][2];
    val[0][0] = a;
    val[0][1] = b;
    int have = 1;
    for (int tries = 0; have < 4 && tries < 1000; tries++) {
        int kind = (int)misi_rng_below(rng, 3); /* x, y or both perturbed */
        int x = kind != 1 ? perturb_axis(rng, a) : a;
        int y = kind != 0 ? perturb_axis(rng, b) : b;
        bool dup = false;
        for (int k = 0; k < have; k++)
            dup = dup || (val[k][0] == x && val[k][1] == y);
        if (dup || !clearly_worse(s, a, b, x, y))
            continue;
        val[have][0] = x;
        val[have][1] = y;
        have++;
    }
    for (int d = 2; have < 4; d++) { /* unreachable in practice; keeps the contract */
        bool dup = false;
        for (int k = 0; k < have; k++)
            dup = dup || (val[k][0] == a + d && val[k][1] == b);
        if (dup || !clearly_worse(s, a, b, a + d, b))
            continue;
        val[have][0] = a + d;
        val[have][1] = b;
        have++;
    }
    static const char LETTER[4] = {'A', 'B', 'C', 'D'};
    int slot[4]; /* slot[k] = which value sits at letter k */
    for (int k = 0, decoy = 1; k < 4; k++)
        slot[k] = k == correct ? 0 : decoy++;
    q->noptions = 4;
    for (int k = 0; k < 4; k++) {
        format_move(val[slot[k]][0], val[slot[k]][1], q->options[k], sizeof q->options[k]);
        q->option_image[k] = -1;
    }
    snprintf(q->answer, sizeof q->answer, "%c", LETTER[correct]);

    for (int v = 0; v < MISI_NUM_CANONICAL_VIEWS; v++)
        q->images[v] = misi_task_canonical(0, MISI_SHOW_COMPLEX, MISI_CANONICAL_VIEW_NAMES[v]);
    q->nimages = MISI_NUM_CANONICAL_VIEWS;

    q->truth = cJSON_CreateObject();
    cJSON_AddStringToObject(q->truth, "correct", (char[2]){LETTER[correct], 0});
    cJSON_AddItemToObject(q->truth, "bond", misi_hbond_json(cx, hb));
    int move[2] = {a, b};
    cJSON_AddItemToObject(q->truth, "move", cJSON_CreateIntArray(move, 2));
    cJSON *opts = cJSON_AddObjectToObject(q->truth, "options");
    for (int k = 0; k < 4; k++)
        cJSON_AddStringToObject(opts, (char[2]){LETTER[k], 0}, q->options[k]);

    const misi_atom *pa = &cx->pocket.top.atoms[hb->pocket_atom];
    const misi_atom *la = &cx->ligand.top.atoms[hb->ligand_atom];
    char chain = pa->chain == ' ' ? '_' : pa->chain;
    char icode[2] = {pa->icode == ' ' ? 0 : pa->icode, 0};
    misi_question_printf(q, "%s", TASK_PREAMBLE);
    misi_question_printf(q, "The six images show the same complex %s (images 1 to 6, in that order); ", TASK_SIX_VIEWS);
    misi_question_printf(q,
                         "pocket residues are labelled with name and "
                         "number and ligand atoms with their names. Consider the hydrogen bond Chain %c, "
                         "Residue %s %d%s, Atom %s; ligand %s. Starting from the front view (image 1), which "
                         "commands bring the midpoint of the two bonded atoms to the centre of the image, to "
                         "the nearest angstrom? A residue without a chain id has chain '_'.\n"
                         "A: %s\nB: %s\nC: %s\nD: %s\nAnswer with the letter of the right option.",
                         chain, pa->resname, pa->resseq, icode, pa->name, la->name, q->options[0], q->options[1],
                         q->options[2], q->options[3]);
    return MISI_OK;
}

const misi_task misi_task_interaction_location = {"interaction_location", 8, true, count, make};
