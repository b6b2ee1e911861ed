/* T8, interaction location (MC): six canonical views of the whole complex and
 * one H-bond named in words; which `move x a, move y b` brings the midpoint of
 * the two bonded atoms to the screen centre of the front view (1 Å bins)?
 *
 * The front pose is the identity, so the midpoint's screen position is
 * s = p_mid - frame.centre and the answer is a = -round(s.x), b = -round(s.y).
 *
 * The options are a 2x2 factorial design (docs/tasks/design.md): {a, a'} x
 * {b, b'}, shuffled over A-D, where each axis's other value is one of the
 * paper's perturbations: the sign flipped (v' = -v), or the magnitude changed
 * by 1-2 Å, down as often as up. Each component appears in exactly two
 * options, so no option is the most shared, the medoid or the odd one out,
 * and the truth is as often the smaller as the larger of its pair: 0 cannot
 * flip, so a 0 gets +-1, and a +-1 gets 0 whenever that is clearly worse, or
 * "the option with a 0" or "the smallest move" would be the truth.
 * Each other value must leave the midpoint at least half an Å farther from
 * the centre on its axis than the truth (a midpoint near a bin boundary
 * would otherwise give a decoy that only rounding tells apart).
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

/* The other value of one axis: a perturbation of v (the truth) that leaves
 * the midpoint's coordinate sv at least half an Å farther from the centre.
 * The rules keep "which of the two is smaller" a coin toss: a sign flip
 * keeps the magnitude, a magnitude change goes down as often as up, and 0
 * (which cannot flip, so its partner is always larger) is balanced by a +-1
 * taking 0 as its partner whenever 0 is clearly worse — about half the time,
 * which matches 0 being about half as common as +-1 together. */
static int partner_value(misi_rng *rng, float sv, int v)
{
    float best = fabsf(sv + (float)v);
    int m = abs(v), sg = v < 0 ? -1 : 1;
    if (m == 1 && fabsf(sv) >= best + 0.5f)
        return 0;
    for (int tries = 0; tries < 64; tries++) {
        int w;
        if (v == 0) {
            w = misi_rng_below(rng, 2) ? 1 : -1;
        } else if (misi_rng_below(rng, 2)) {
            w = -v; /* sign flipped */
        } else {
            int d = misi_rng_range(rng, 1, 2); /* magnitude changed by 1-2 Å, down or up */
            if (m > 1 && misi_rng_below(rng, 2))
                w = sg * (m - (d < m ? d : m - 1));
            else
                w = sg * (m + d);
        }
        if (w != v && fabsf(sv + (float)w) >= best + 0.5f)
            return w;
    }
    /* Sign flip of v, or away from the midpoint: always clearly worse. */
    if (v != 0 && fabsf(sv - (float)v) >= best + 0.5f)
        return -v;
    return sv + (float)v >= 0 ? v + 1 : v - 1;
}

static void format_move(int a, int b, char *buf, size_t cap)
{
    misi_op ops[2] = {{MISI_OP_MOVE, MISI_AXIS_X, (float)a}, {MISI_OP_MOVE, MISI_AXIS_Y, (float)b}};
    task_format_ops(ops, 2, buf, cap);
}

static int make(const misi_task_env *env, misi_rng *rng, misi_split split, int index, misi_question *q,
                misi_error *err)
{
    const misi_task_complex *tc = env->own;
    const misi_complex *cx = tc->cx;
    int n = count(env, split);
    if (index < 0 || index >= n)
        return misi_error_set(err, MISI_E_INVALID, "question %d of %d interaction-location questions", index,
                              n);

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

    /* Options: the factorial's four cells, shuffled over A-D; cell 0 is the truth. */
    int xs[2] = {a, partner_value(rng, s[0], a)}, ys[2] = {b, partner_value(rng, s[1], b)};
    int val[4][2] = {{xs[0], ys[0]}, {xs[0], ys[1]}, {xs[1], ys[0]}, {xs[1], ys[1]}};
    int slot[4] = {0, 1, 2, 3}; /* slot[k] = which cell sits at letter k */
    misi_rng_shuffle(rng, slot, 4);
    int correct = 0;
    for (int k = 0; k < 4; k++)
        if (slot[k] == 0)
            correct = k;
    static const char LETTER[4] = {'A', 'B', 'C', 'D'};
    q->noptions = 4;
    for (int k = 0; k < 4; k++) {
        format_move(val[slot[k]][0], val[slot[k]][1], q->options[k], sizeof q->options[k]);
        q->option_image[k] = -1;
    }
    snprintf(q->answer, sizeof q->answer, "%c", LETTER[correct]);

    /* T9's images: the polar contacts labelled (the bond's atoms among
     * them, chosen without looking at the bonds) */
    for (int v = 0; v < MISI_NUM_CANONICAL_VIEWS; v++) {
        q->images[v] = misi_task_canonical(0, MISI_SHOW_COMPLEX, MISI_CANONICAL_VIEW_NAMES[v]);
        q->images[v].labels = env->reframe ? MISI_LABEL_SET_POLAR_PAIRS : MISI_LABEL_SET_POLAR_CONTACTS;
        q->images[v].px_per_A = misi_task_six_view_scale(env); /* fill the image */
    }
    q->nimages = MISI_NUM_CANONICAL_VIEWS;
    /* the named bond must be found in the images */
    misi_question_need_bond(q, hb, cx, true);

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
    misi_question_printf(q, "The six images show the same complex %s (images 1 to 6, in that order); ",
                         TASK_SIX_VIEWS);
    misi_question_printf(q,
                         "pocket residues are labelled with name and "
                         "number (and chain when the pocket has several), pocket N, O and S atoms near the "
                         "ligand and ligand atoms with their names. Consider the hydrogen bond Chain %c, "
                         "Residue %s %d%s, Atom %s; ligand %s. Starting from the front view (image 1), which "
                         "commands bring the midpoint of the two bonded atoms to the centre of the image, to "
                         "the nearest angstrom? A residue without a chain id has chain '_'.\n"
                         "A: %s\nB: %s\nC: %s\nD: %s\nAnswer with the letter of the right option.",
                         chain, pa->resname, pa->resseq, icode, pa->name, la->name, q->options[0],
                         q->options[1], q->options[2], q->options[3]);
    return MISI_OK;
}

const misi_task misi_task_interaction_location = {
    .name = "interaction_location",
    .number = 8,
    .mc = true,
    .paper_count = count,
    .make = make,
    .max_per_complex = MAX_PER_COMPLEX,
    .asks = "which two moves bring a named H-bond to the centre of the screen",
    .answer_form = "<letter A-D>",
    .images = 6,
    .count_rule = "one per H-bond of the complex, at most 3",
};
