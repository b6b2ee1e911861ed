/* T4 (residue_ligand) and T8 (interaction_location) on real complexes: the
 * preset counts, T4's answers against the H-bond finder, T4's image requests,
 * T8's right option centring the bond midpoint and its decoys not, distinct
 * options, the right letter spread over A-D, and determinism per seed. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static const char *g_assets = "assets/complexes";

static const char *const COMPLEXES[] = {"1hpv", "1v2x", "3v2u", "4cup", "5dt0", "6c83", "1cs4"};
#define NCOMPLEXES (sizeof COMPLEXES / sizeof COMPLEXES[0])

static bool standard(const char *name)
{
    static const char *const AA[20] = {"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                       "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL"};
    for (int i = 0; i < 20; i++) {
        if (!strcmp(name, AA[i]))
            return true;
    }
    return false;
}

static int residue_bonds(const task_harness *h, uint32_t r)
{
    int n = 0;
    for (size_t k = 0; k < h->hbonds[0].count; k++)
        n += h->cx[0].pocket.top.atoms[h->hbonds[0].items[k].pocket_atom].residue == r;
    return n;
}

/* npos = residues with a bond; ncand = unbonded standard residues. */
static void residue_census(const task_harness *h, int *npos, int *ncand)
{
    *npos = *ncand = 0;
    const misi_topology *top = &h->cx[0].pocket.top;
    for (uint32_t r = 0; r < top->nresidues; r++) {
        if (residue_bonds(h, r))
            (*npos)++;
        else if (standard(top->residues[r].name))
            (*ncand)++;
    }
}

static int expected_t4(int npos, int ncand)
{
    int nneg = npos > 1 ? npos : 1;
    return npos + (nneg < ncand ? nneg : ncand);
}

static void residue_ligand_counts_follow_preset_rule(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("residue_ligand");
    assert_non_null(t);
    assert_int_equal(t->number, 4);
    assert_false(t->mc);
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        int npos, ncand;
        residue_census(&h, &npos, &ncand);
        assert_true(ncand > 0);
        assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TRAIN), expected_t4(npos, ncand));
        assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TEST), expected_t4(npos, ncand));
        if (!strcmp(COMPLEXES[c], "4cup")) /* no H-bonds: one negative */
            assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TRAIN), 1);
        harness_finish(&h);
    }
}

/* Every image is one of the six canonical views of the residue, in order, in
 * frame, all six with one frame. */
static void check_residue_images(task_harness *h, const misi_question *q, uint32_t *residue)
{
    assert_int_equal(q->nimages, MISI_NUM_CANONICAL_VIEWS);
    *residue = q->images[0].residue;
    assert_true(*residue < h->cx[0].pocket.top.nresidues);
    for (int v = 0; v < q->nimages; v++) {
        misi_image_req want = misi_task_canonical(0, MISI_SHOW_RESIDUE, MISI_CANONICAL_VIEW_NAMES[v]);
        want.residue = *residue;
        want.framed = true;
        want.frame = q->images[0].frame;
        want.px_per_A = q->images[0].px_per_A;
        assert_memory_equal(&q->images[v], &want, sizeof want);
        assert_true(q->images[v].px_per_A > 0);
        assert_true(misi_task_in_frame(&h->env, &q->images[v]));
    }
}

static void check_truth_residue(const task_harness *h, const misi_question *q, uint32_t r)
{
    const misi_residue *rs = &h->cx[0].pocket.top.residues[r];
    cJSON *ro = cJSON_GetObjectItem(q->truth, "residue");
    assert_non_null(ro);
    assert_string_equal(cJSON_GetObjectItem(ro, "name")->valuestring, rs->name);
    assert_int_equal(cJSON_GetObjectItem(ro, "number")->valueint, rs->seq);
    assert_non_null(cJSON_GetObjectItem(ro, "icode"));
    assert_non_null(cJSON_GetObjectItem(ro, "chain"));
}

static void residue_ligand_positives_list_their_bonds_in_finder_order(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("residue_ligand");
    int positives_seen = 0;
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        int npos, ncand;
        residue_census(&h, &npos, &ncand);
        int n = t->paper_count(&h.env, MISI_SPLIT_TRAIN), here = 0;
        for (int i = 0; i < n; i++) {
            misi_question q;
            assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
            uint32_t r;
            check_residue_images(&h, &q, &r);
            check_truth_residue(&h, &q, r);
            if (!residue_bonds(&h, r)) {
                misi_question_finish(&q);
                continue;
            }
            /* The expected answer, built from the finder's list. */
            char want[1024] = "";
            size_t used = 0;
            int nb = 0;
            for (size_t k = 0; k < h.hbonds[0].count; k++) {
                const misi_hbond *hb = &h.hbonds[0].items[k];
                const misi_atom *pa = &h.cx[0].pocket.top.atoms[hb->pocket_atom];
                if (pa->residue != r)
                    continue;
                used += (size_t)snprintf(want + used, sizeof want - used, "%s%s %s, %s",
                                         nb ? "; " : "Yes: ", pa->resname, pa->name,
                                         h.cx[0].ligand.top.atoms[hb->ligand_atom].name);
                nb++;
            }
            assert_true(nb > 0);
            assert_string_equal(q.answer, want);
            cJSON *bonds = cJSON_GetObjectItem(q.truth, "bonds");
            assert_int_equal(cJSON_GetArraySize(bonds), nb);
            positives_seen++;
            here++;
            misi_question_finish(&q);
        }
        assert_int_equal(here, npos); /* every positive residue asked once */
        harness_finish(&h);
    }
    assert_true(positives_seen > 0);
}

static void residue_ligand_negatives_are_unbonded_standard_residues_answering_no(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("residue_ligand");
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        int npos, ncand;
        residue_census(&h, &npos, &ncand);
        int n = t->paper_count(&h.env, MISI_SPLIT_TRAIN);
        assert_true(n > npos);
        uint32_t *asked = calloc((size_t)n, sizeof *asked);
        int nneg = 0;
        for (int i = 0; i < n; i++) {
            misi_question q;
            assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
            uint32_t r;
            check_residue_images(&h, &q, &r);
            for (int j = 0; j < i; j++)
                assert_int_not_equal(asked[j], r); /* each residue asked once */
            asked[i] = r;
            if (residue_bonds(&h, r)) {
                misi_question_finish(&q);
                continue;
            }
            check_truth_residue(&h, &q, r);
            assert_string_equal(q.answer, "No");
            assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(q.truth, "bonds")), 0);
            assert_true(standard(h.cx[0].pocket.top.residues[r].name));
            nneg++;
            misi_question_finish(&q);
        }
        assert_int_equal(nneg, n - npos);
        /* The residue set is per complex: remaking one question alone gives
         * the same residue. */
        misi_question q;
        assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, n - 1, &q), MISI_OK);
        assert_int_equal(q.images[0].residue, asked[n - 1]);
        misi_question_finish(&q);
        free(asked);
        harness_finish(&h);
    }
}

/* The index says nothing about the answer: positives and negatives are asked
 * in a shuffled order (in residue order, index < npos was always "Yes"), so
 * over seeds question 0 is sometimes a positive and sometimes a negative. */
static void residue_ligand_index_does_not_give_the_answer(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("residue_ligand");
    task_harness h;
    harness_init(&h, g_assets, "1hpv", NULL);
    int yes = 0, no = 0;
    for (uint64_t seed = 1; seed <= 24; seed++) {
        h.env.seed = seed;
        misi_question q;
        assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, 0, &q), MISI_OK);
        if (strcmp(q.answer, "No") == 0)
            no++;
        else
            yes++;
        misi_question_finish(&q);
    }
    assert_true(yes > 0 && no > 0);
    harness_finish(&h);
}

static void midpoint(const task_harness *h, const misi_hbond *hb, float out[3])
{
    const float *p = &h->cx[0].pocket.xyz[3 * hb->pocket_atom],
                *l = &h->cx[0].ligand.xyz[3 * hb->ligand_atom];
    for (int k = 0; k < 3; k++)
        out[k] = 0.5f * (p[k] + l[k]);
}

/* Screen position of the midpoint after the option's ops on the front pose;
 * checks the option is `move x a, move y b` with integers. */
static void option_screen(const task_harness *h, const char *option, const float mid[3], float s[3])
{
    misi_oplist l = {0};
    misi_error err = {0};
    if (misi_cmd_parse(option, &l, &err))
        fail_msg("option '%s': %s", option, err.msg);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.ops[0].kind, MISI_OP_MOVE);
    assert_int_equal(l.ops[0].axis, MISI_AXIS_X);
    assert_int_equal(l.ops[1].kind, MISI_OP_MOVE);
    assert_int_equal(l.ops[1].axis, MISI_AXIS_Y);
    for (int k = 0; k < 2; k++)
        assert_float_equal(l.ops[k].value, roundf(l.ops[k].value), 0);
    misi_pose p;
    misi_pose_identity(&p); /* the front view */
    misi_pose_apply(&p, l.ops, l.count);
    misi_pose_point(&p, h->tc[0].frame.centre, mid, s);
    misi_oplist_finish(&l);
}

/* The bond a T8 question names, found from its truth. */
static const misi_hbond *truth_bond(const task_harness *h, const misi_question *q)
{
    cJSON *b = cJSON_GetObjectItem(q->truth, "bond");
    assert_non_null(b);
    const char *ra = cJSON_GetObjectItem(b, "residue_atom")->valuestring;
    const char *la = cJSON_GetObjectItem(b, "ligand_atom")->valuestring;
    int num = cJSON_GetObjectItem(b, "number")->valueint;
    const char *chain = cJSON_GetObjectItem(b, "chain")->valuestring;
    const misi_hbond *found = NULL;
    for (size_t k = 0; k < h->hbonds[0].count; k++) {
        const misi_hbond *hb = &h->hbonds[0].items[k];
        const misi_atom *pa = &h->cx[0].pocket.top.atoms[hb->pocket_atom];
        char ch[2] = {pa->chain == ' ' ? 0 : pa->chain, 0};
        if (!strcmp(pa->name, ra) && pa->resseq == num && !strcmp(ch, chain) &&
            !strcmp(h->cx[0].ligand.top.atoms[hb->ligand_atom].name, la)) {
            assert_null(found); /* the words name one bond */
            found = hb;
        }
    }
    assert_non_null(found);
    return found;
}

static void interaction_location_counts_are_min_of_three_and_hbonds(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("interaction_location");
    assert_non_null(t);
    assert_int_equal(t->number, 8);
    assert_true(t->mc);
    int nonzero = 0;
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        int nb = (int)h.hbonds[0].count, want = nb < 3 ? nb : 3;
        assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TRAIN), want);
        assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TEST), want);
        if (!strcmp(COMPLEXES[c], "4cup"))
            assert_int_equal(want, 0);
        nonzero += want > 0;
        harness_finish(&h);
    }
    assert_true(nonzero >= 3);
}

static void interaction_location_right_option_centres_bond_midpoint_and_decoys_do_not(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("interaction_location");
    int checked = 0;
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        int n = t->paper_count(&h.env, MISI_SPLIT_TRAIN);
        const misi_hbond *named[3] = {NULL, NULL, NULL};
        for (int i = 0; i < n; i++) {
            misi_question q;
            assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
            assert_int_equal(q.nimages, MISI_NUM_CANONICAL_VIEWS);
            for (int v = 0; v < q.nimages; v++) {
                misi_image_req want = misi_task_canonical(0, MISI_SHOW_COMPLEX, MISI_CANONICAL_VIEW_NAMES[v]);
                /* polar contacts labelled, the complex filling the six views */
                want.labels = MISI_LABEL_SET_POLAR_CONTACTS;
                want.px_per_A = misi_task_six_view_scale(&h.env);
                assert_true(want.px_per_A >= h.env.own->px_per_A);
                assert_memory_equal(&q.images[v], &want, sizeof want);
            }
            assert_int_equal(q.noptions, 4);
            assert_int_equal(strlen(q.answer), 1);
            int right = q.answer[0] - 'A';
            assert_true(right >= 0 && right < 4);
            assert_string_equal(cJSON_GetObjectItem(q.truth, "correct")->valuestring, q.answer);
            const misi_hbond *hb = truth_bond(&h, &q);
            for (int j = 0; j < i; j++)
                assert_ptr_not_equal(named[j], hb); /* one bond per question */
            named[i] = hb;
            float mid[3];
            midpoint(&h, hb, mid);
            cJSON *opts = cJSON_GetObjectItem(q.truth, "options");
            for (int k = 0; k < 4; k++) {
                assert_int_equal(q.option_image[k], -1);
                assert_true(strstr(q.text, q.options[k]) != NULL);
                assert_string_equal(cJSON_GetObjectItem(opts, (char[2]){(char)('A' + k), 0})->valuestring,
                                    q.options[k]);
                for (int j = 0; j < k; j++)
                    assert_string_not_equal(q.options[j], q.options[k]);
                float sc[3];
                option_screen(&h, q.options[k], mid, sc);
                bool centred = fabsf(sc[0]) <= 0.5f && fabsf(sc[1]) <= 0.5f;
                if (k == right) {
                    assert_true(centred);
                    cJSON *mv = cJSON_GetObjectItem(q.truth, "move");
                    char buf[64];
                    snprintf(buf, sizeof buf, "move x %d, move y %d", cJSON_GetArrayItem(mv, 0)->valueint,
                             cJSON_GetArrayItem(mv, 1)->valueint);
                    assert_string_equal(buf, q.options[k]);
                } else {
                    assert_false(centred);
                }
            }
            /* The bond is named in words in the question. */
            const misi_atom *pa = &h.cx[0].pocket.top.atoms[hb->pocket_atom];
            char words[128];
            snprintf(words, sizeof words, "Residue %s %d", pa->resname, pa->resseq);
            assert_non_null(strstr(q.text, words));
            snprintf(words, sizeof words, "Atom %s; ligand %s", pa->name,
                     h.cx[0].ligand.top.atoms[hb->ligand_atom].name);
            assert_non_null(strstr(q.text, words));
            checked++;
            misi_question_finish(&q);
        }
        harness_finish(&h);
    }
    assert_true(checked >= 9);
}

static void interaction_location_right_letter_is_spread_over_a_to_d(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("interaction_location");
    int letters[4] = {0, 0, 0, 0}, total = 0;
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        int n = t->paper_count(&h.env, MISI_SPLIT_TRAIN);
        for (uint64_t seed = 1; seed <= 40 && n > 0; seed++) {
            h.env.seed = seed;
            for (int i = 0; i < n; i++) {
                misi_question q;
                assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
                letters[q.answer[0] - 'A']++;
                total++;
                misi_question_finish(&q);
            }
        }
        harness_finish(&h);
    }
    assert_true(total >= 400);
    for (int k = 0; k < 4; k++) {
        /* Expected total/4 each; a uniform draw stays well inside [0.15, 0.35]. */
        assert_true(letters[k] > total * 15 / 100);
        assert_true(letters[k] < total * 35 / 100);
    }
}

static void same_seed_gives_identical_questions(void **s)
{
    (void)s;
    const char *names[2] = {"residue_ligand", "interaction_location"};
    for (int ti = 0; ti < 2; ti++) {
        const misi_task *t = misi_task_find(names[ti]);
        for (size_t c = 0; c < NCOMPLEXES; c++) {
            task_harness h;
            harness_init(&h, g_assets, COMPLEXES[c], NULL);
            h.env.seed = 7;
            int n = t->paper_count(&h.env, MISI_SPLIT_TEST);
            for (int i = 0; i < n; i++) {
                misi_question a, b;
                assert_int_equal(harness_make(&h, t, MISI_SPLIT_TEST, i, &a), MISI_OK);
                assert_int_equal(harness_make(&h, t, MISI_SPLIT_TEST, i, &b), MISI_OK);
                assert_string_equal(a.text, b.text);
                assert_string_equal(a.answer, b.answer);
                assert_int_equal(a.noptions, b.noptions);
                for (int k = 0; k < a.noptions; k++)
                    assert_string_equal(a.options[k], b.options[k]);
                assert_int_equal(a.nimages, b.nimages);
                assert_memory_equal(a.images, b.images, (size_t)a.nimages * sizeof a.images[0]);
                char *ja = cJSON_PrintUnformatted(a.truth), *jb = cJSON_PrintUnformatted(b.truth);
                assert_string_equal(ja, jb);
                cJSON_free(ja);
                cJSON_free(jb);
                misi_question_finish(&a);
                misi_question_finish(&b);
            }
            harness_finish(&h);
        }
    }
}

/* Closest N/O to N/O distance between residue r and the ligand (heavy
 * atoms), written again here from the rule in residue_ligand.c's header. */
static float closest_polar(const task_harness *h, uint32_t r)
{
    const misi_complex *cx = &h->cx[0];
    float best = INFINITY;
    for (uint32_t i = 0; i < cx->pocket.top.natoms; i++) {
        const misi_atom *pa = &cx->pocket.top.atoms[i];
        if (pa->residue != r || (pa->element != 7 && pa->element != 8))
            continue;
        for (uint32_t j = 0; j < cx->ligand.top.natoms; j++) {
            const misi_atom *la = &cx->ligand.top.atoms[j];
            if (la->element != 7 && la->element != 8)
                continue;
            float d2 = 0;
            for (int k = 0; k < 3; k++) {
                float d = cx->pocket.xyz[3 * i + k] - cx->ligand.xyz[3 * j + k];
                d2 += d * d;
            }
            if (d2 < best)
                best = d2;
        }
    }
    return sqrtf(best);
}

/* Scale says nothing about the answer: every T4 image of a complex and split
 * has one frame and one px_per_A, positives and negatives alike. The
 * per-residue framing this replaced drew negatives (far from the ligand)
 * smaller, and fails here. */
static void residue_ligand_positives_and_negatives_share_one_frame(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("residue_ligand");
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        for (int sp = 0; sp < 2; sp++) {
            int n = t->paper_count(&h.env, (misi_split)sp);
            misi_image_req first;
            for (int i = 0; i < n; i++) {
                misi_question q;
                assert_int_equal(harness_make(&h, t, (misi_split)sp, i, &q), MISI_OK);
                if (!i)
                    first = q.images[0];
                assert_memory_equal(&q.images[0].frame, &first.frame, sizeof first.frame);
                assert_true(q.images[0].px_per_A == first.px_per_A);
                misi_question_finish(&q);
            }
        }
        harness_finish(&h);
    }
}

/* Negatives are hard: each positive in turn is matched with the unused
 * unbonded standard residue whose closest polar distance to the ligand is
 * nearest its own, so the negatives sit as close to the ligand as the
 * positives allow (a random draw took residues far from it). */
static void residue_ligand_negatives_match_the_positives_closest_polar_distance(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("residue_ligand");
    int matched = 0, npos_all = 0, nneg_all = 0, ncand_all = 0;
    double sum_pos = 0, sum_neg = 0, sum_cand = 0;
    /* histograms for docs/tasks/design.md: < 3, 3-3.5, 3.5-4, 4-5, 5-7, >= 7 Å */
    static const float EDGES[5] = {3.0f, 3.5f, 4.0f, 5.0f, 7.0f};
    int hist[3][6] = {{0}};
    for (size_t c = 0; c < NCOMPLEXES; c++) {
        task_harness h;
        harness_init(&h, g_assets, COMPLEXES[c], NULL);
        const misi_topology *top = &h.cx[0].pocket.top;
        int n = t->paper_count(&h.env, MISI_SPLIT_TRAIN);
        bool *asked = calloc(top->nresidues, sizeof *asked);
        for (int i = 0; i < n; i++) {
            misi_question q;
            assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
            asked[q.images[0].residue] = true;
            misi_question_finish(&q);
        }
        /* The rule again: each positive in residue order takes the unused
         * candidate nearest its closest polar distance (or, with no
         * positive, the closest candidate). */
        bool *taken = calloc(top->nresidues, sizeof *taken);
        int npos = 0;
        for (uint32_t r = 0; r < top->nresidues; r++)
            npos += residue_bonds(&h, r) > 0;
        int want_neg = 0;
        for (uint32_t r = 0; r < top->nresidues; r++)
            if (asked[r] && !residue_bonds(&h, r))
                want_neg++;
        for (uint32_t r = 0, k = 0; (int)k < want_neg && r <= top->nresidues; r++) {
            if (npos && (r == top->nresidues || !residue_bonds(&h, r)))
                continue;
            float want = npos ? closest_polar(&h, r) : 0.0f;
            int pick = -1;
            float best = INFINITY;
            bool tie = false;
            for (uint32_t o = 0; o < top->nresidues; o++) {
                if (taken[o] || residue_bonds(&h, o) || !standard(top->residues[o].name))
                    continue;
                float e = fabsf(closest_polar(&h, o) - want);
                tie = tie || fabsf(e - best) < 1e-5f;
                if (e < best - 1e-5f) {
                    best = e;
                    pick = (int)o;
                    tie = false;
                }
            }
            assert_true(pick >= 0);
            if (!tie)
                assert_true(asked[pick]);
            taken[pick] = true;
            k++;
            if (!npos)
                break;
        }
        for (uint32_t o = 0; o < top->nresidues; o++) {
            bool bonded = residue_bonds(&h, o) > 0;
            float d = closest_polar(&h, o);
            int bin = 0;
            while (bin < 5 && d >= EDGES[bin])
                bin++;
            if (bonded) {
                sum_pos += d;
                npos_all++;
                hist[0][bin]++;
            } else if (standard(top->residues[o].name)) {
                sum_cand += d;
                ncand_all++;
                hist[2][bin]++;
                if (asked[o]) {
                    sum_neg += d;
                    nneg_all++;
                    matched++;
                    hist[1][bin]++;
                }
            }
        }
        free(asked);
        free(taken);
        harness_finish(&h);
    }
    assert_true(matched >= 7);
    /* Closer than an unbonded residue taken at random. */
    assert_true(sum_neg / nneg_all < sum_cand / ncand_all);
    print_message("closest polar distance: positives %.2f A, negatives %.2f A, all candidates %.2f A\n",
                  sum_pos / npos_all, sum_neg / nneg_all, sum_cand / ncand_all);
    static const char *const NAMES[3] = {"positives", "negatives", "candidates"};
    for (int k = 0; k < 3; k++)
        print_message("%-10s <3: %d  3-3.5: %d  3.5-4: %d  4-5: %d  5-7: %d  >=7: %d\n", NAMES[k], hist[k][0],
                      hist[k][1], hist[k][2], hist[k][3], hist[k][4], hist[k][5]);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_assets = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(residue_ligand_counts_follow_preset_rule),
        cmocka_unit_test(residue_ligand_positives_list_their_bonds_in_finder_order),
        cmocka_unit_test(residue_ligand_negatives_are_unbonded_standard_residues_answering_no),
        cmocka_unit_test(interaction_location_counts_are_min_of_three_and_hbonds),
        cmocka_unit_test(interaction_location_right_option_centres_bond_midpoint_and_decoys_do_not),
        cmocka_unit_test(interaction_location_right_letter_is_spread_over_a_to_d),
        cmocka_unit_test(same_seed_gives_identical_questions),
        cmocka_unit_test(residue_ligand_positives_and_negatives_share_one_frame),
        cmocka_unit_test(residue_ligand_index_does_not_give_the_answer),
        cmocka_unit_test(residue_ligand_negatives_match_the_positives_closest_polar_distance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
