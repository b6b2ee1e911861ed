/* T5 (translation + rotation), T6 (rotation + rotation) and T7 (docking) on
 * real complexes: paper counts, the right option equal to the true operations
 * and no decoy equal to it, parameters in their ranges and bins, right letters
 * spread over A-D, every image in frame, determinism; for docking, a
 * displaced ligand clear of the pocket and the answer undoing it exactly. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static const char *g_assets = "assets/complexes";

static const char *const IDS[] = {"1hpv", "1v2x", "3v2u", "4cup", "5dt0", "6c83", "1cs4"};
#define NIDS (int)(sizeof IDS / sizeof IDS[0])

static misi_oplist parse_ops(const char *text)
{
    misi_oplist l = {0};
    misi_error err = {0};
    if (misi_cmd_parse(text, &l, &err))
        fail_msg("'%s' does not parse: %s", text, err.msg);
    return l;
}

static misi_pose pose_of(const char *text)
{
    misi_pose p;
    misi_error err = {0};
    if (misi_pose_from_text(text, &p, &err))
        fail_msg("'%s' does not parse: %s", text, err.msg);
    return p;
}

static bool poses_close(const misi_pose *a, const misi_pose *b)
{
    for (int i = 0; i < 9; i++)
        if (fabsf(a->rot[i] - b->rot[i]) > 1e-4f)
            return false;
    for (int i = 0; i < 3; i++)
        if (fabsf(a->trans[i] - b->trans[i]) > 1e-4f)
            return false;
    return true;
}

static void assert_in_bins(float v, float range, float bin)
{
    assert_true(v >= -range && v <= range);
    assert_true(v != 0.0f);
    float steps = v / bin;
    assert_float_equal(steps, roundf(steps), 1e-6);
}

static const char *truth_str(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItem(o, key);
    assert_true(cJSON_IsString(it));
    return it->valuestring;
}

static double truth_num(const cJSON *o, const char *key)
{
    const cJSON *it = cJSON_GetObjectItem(o, key);
    assert_true(cJSON_IsNumber(it));
    return it->valuedouble;
}

/* Same question: images, answer, text, options and truth. */
static void assert_same_question(const misi_question *a, const misi_question *b)
{
    assert_int_equal(a->nimages, b->nimages);
    assert_memory_equal(a->images, b->images, sizeof a->images[0] * (size_t)a->nimages);
    assert_string_equal(a->answer, b->answer);
    assert_string_equal(a->text, b->text);
    assert_memory_equal(a->option_image, b->option_image, sizeof a->option_image);
    char *ta = cJSON_PrintUnformatted(a->truth), *tb = cJSON_PrintUnformatted(b->truth);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
}

/* Checks common to the two MC tasks: options are the last four images, each
 * option's truth text is what its image shows, the right one is the truth,
 * the four poses are pairwise different, every image is in frame. Returns the
 * index of the right letter. */
static int check_mc(task_harness *h, const misi_question *q, int first_option, int nops_option,
                    const char *right_ops)
{
    assert_int_equal(q->noptions, 4);
    assert_int_equal(q->nimages, first_option + 4);
    assert_int_equal(strlen(q->answer), 1);
    int correct = q->answer[0] - 'A';
    assert_true(correct >= 0 && correct < 4);
    assert_string_equal(truth_str(q->truth, "correct"), q->answer);
    const cJSON *opts = cJSON_GetObjectItem(q->truth, "options");
    assert_non_null(opts);
    misi_pose right = pose_of(right_ops);
    misi_pose shown[4];
    for (int k = 0; k < 4; k++) {
        assert_int_equal(q->option_image[k], first_option + k);
        assert_string_equal(q->options[k], "");
        const misi_image_req *r = &q->images[q->option_image[k]];
        char letter[2] = {(char)('A' + k), '\0'};
        const char *text = truth_str(opts, letter);
        misi_oplist l = parse_ops(text);
        assert_int_equal(l.count, (size_t)nops_option);
        misi_oplist_finish(&l);
        misi_pose p = pose_of(text);
        assert_memory_equal(&r->view, &p, sizeof p);
        shown[k] = r->view;
        if (k == correct)
            assert_memory_equal(&r->view, &right, sizeof right);
        else
            assert_false(poses_close(&r->view, &right));
    }
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            assert_false(poses_close(&shown[i], &shown[j]));
    for (int k = 0; k < q->nimages; k++)
        assert_true(misi_task_in_frame(&h->env, &q->images[k]));
    return correct;
}

static void composite_and_docking_counts_follow_the_paper_preset(void **s)
{
    (void)s;
    task_harness h;
    harness_init(&h, g_assets, "1hpv", "3v2u");
    const char *names[3] = {"translation_rotation", "rotation_rotation", "docking"};
    int numbers[3] = {5, 6, 7};
    for (int t = 0; t < 3; t++) {
        const misi_task *task = misi_task_find(names[t]);
        assert_non_null(task);
        assert_int_equal(task->number, numbers[t]);
        assert_int_equal(task->mc, t < 2);
        assert_int_equal(task->paper_count(&h.env, MISI_SPLIT_TRAIN), 6);
        assert_int_equal(task->paper_count(&h.env, MISI_SPLIT_TEST), 3);
    }
    harness_finish(&h);
}

static void translation_rotation_needs_a_partner(void **s)
{
    (void)s;
    task_harness h;
    harness_init(&h, g_assets, "1hpv", NULL);
    const misi_task *t = misi_task_find("translation_rotation");
    assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TRAIN), 0);
    assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TEST), 0);
    misi_question q;
    assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, 0, &q), MISI_E_INVALID);
    misi_question_finish(&q);
    harness_finish(&h);
    /* The other two need no partner. */
    harness_init(&h, g_assets, "1hpv", NULL);
    assert_int_equal(misi_task_find("rotation_rotation")->paper_count(&h.env, MISI_SPLIT_TRAIN), 6);
    assert_int_equal(misi_task_find("docking")->paper_count(&h.env, MISI_SPLIT_TRAIN), 6);
    harness_finish(&h);
}

/* T5 on every complex paired with the next: the right option is the partner
 * after the reference's operations, decoys are the three listed
 * perturbations, one scale for all eleven images. */
static void translation_rotation_right_option_repeats_the_reference_operations(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("translation_rotation");
    int letters[4] = {0, 0, 0, 0};
    for (int c = 0; c < NIDS; c++) {
        task_harness h;
        harness_init(&h, g_assets, IDS[c], IDS[(c + 1) % NIDS]);
        float scale = fminf(h.tc[0].px_per_A, h.tc[1].px_per_A);
        for (int split = 0; split < MISI_SPLIT_COUNT; split++) {
            for (int i = 0; i < t->paper_count(&h.env, (misi_split)split); i++) {
                misi_question q;
                h.equal_calls = 0;
                assert_int_equal(harness_make(&h, t, (misi_split)split, i, &q), MISI_OK);
                /* Every pair of options went through the pixel comparison. */
                assert_true(h.equal_calls >= 6);
                const char *ops = truth_str(q.truth, "operations");
                misi_oplist truth = parse_ops(ops);
                assert_int_equal(truth.count, 2);
                misi_op f1 = truth.ops[0], f2 = truth.ops[1];
                misi_oplist_finish(&truth);
                assert_int_equal(f1.kind, MISI_OP_MOVE);
                assert_true(f1.axis == MISI_AXIS_X || f1.axis == MISI_AXIS_Y);
                assert_in_bins(f1.value, 4, 1);
                assert_int_equal(f2.kind, MISI_OP_ROLL);
                assert_in_bins(f2.value, 90, 15);
                letters[check_mc(&h, &q, 7, 2, ops)]++;
                /* Images: reference views + after, partner views, options. */
                static const char *const views[3] = {"front", "left", "top"};
                for (int k = 0; k < 3; k++) {
                    misi_image_req ref = misi_task_canonical(0, MISI_SHOW_COMPLEX, views[k]);
                    misi_image_req par = misi_task_canonical(1, MISI_SHOW_COMPLEX, views[k]);
                    ref.px_per_A = par.px_per_A = scale;
                    assert_memory_equal(&q.images[k], &ref, sizeof ref);
                    assert_memory_equal(&q.images[4 + k], &par, sizeof par);
                }
                misi_pose after = pose_of(ops);
                assert_int_equal(q.images[3].complex, 0);
                assert_memory_equal(&q.images[3].view, &after, sizeof after);
                for (int k = 0; k < q.nimages; k++) {
                    assert_true(q.images[k].px_per_A == scale);
                    assert_int_equal(q.images[k].complex, k < 4 ? 0 : 1);
                }
                /* The options are a 2x2 factorial: two moves {f1, t'} times
                 * two rolls {f2, r'}, each cell once, t' a perturbation of
                 * f1 of one of the paper's kinds (magnitude, sign, axis),
                 * r' f2 with another magnitude of the same sign. The old
                 * decoys (three perturbations around the truth) fail here. */
                const cJSON *opts = cJSON_GetObjectItem(q.truth, "options");
                misi_op moves[4], rolls[4];
                for (int k = 0; k < 4; k++) {
                    char letter[2] = {(char)('A' + k), '\0'};
                    misi_oplist l = parse_ops(truth_str(opts, letter));
                    assert_int_equal(l.count, 2);
                    moves[k] = l.ops[0];
                    rolls[k] = l.ops[1];
                    misi_oplist_finish(&l);
                    assert_int_equal(moves[k].kind, MISI_OP_MOVE);
                    assert_in_bins(moves[k].value, 4, 1);
                    assert_int_equal(rolls[k].kind, MISI_OP_ROLL);
                    assert_int_equal(rolls[k].axis, f2.axis);
                    assert_in_bins(rolls[k].value, 90, 15);
                }
                int same_move = 0, same_roll = 0;
                misi_op t2 = f1, r2 = f2;
                for (int k = 0; k < 4; k++) {
                    bool m = moves[k].axis == f1.axis && moves[k].value == f1.value;
                    bool r = rolls[k].value == f2.value;
                    same_move += m;
                    same_roll += r;
                    if (!m)
                        t2 = moves[k];
                    if (!r)
                        r2 = rolls[k];
                    for (int j = 0; j < k; j++) /* every cell once */
                        assert_false(moves[j].axis == moves[k].axis && moves[j].value == moves[k].value &&
                                     rolls[j].value == rolls[k].value);
                }
                assert_int_equal(same_move, 2);
                assert_int_equal(same_roll, 2);
                for (int k = 0; k < 4; k++) {
                    assert_true((moves[k].axis == f1.axis && moves[k].value == f1.value) ||
                                (moves[k].axis == t2.axis && moves[k].value == t2.value));
                    assert_true(rolls[k].value == f2.value || rolls[k].value == r2.value);
                }
                bool magnitude = t2.axis == f1.axis && t2.value * f1.value > 0 && t2.value != f1.value;
                bool sign = t2.axis == f1.axis && t2.value == -f1.value;
                bool axis = t2.axis != f1.axis && t2.value == f1.value;
                assert_true(magnitude || sign || axis);
                assert_true(r2.value * f2.value > 0 && r2.value != f2.value);
                misi_question_finish(&q);
            }
        }
        harness_finish(&h);
    }
    for (int k = 0; k < 4; k++)
        assert_true(letters[k] > 0);
}

/* T6 on every complex: the right option is the front view after r1, r2, r1,
 * r2; r1 and r2 are about different axes. */
static void rotation_rotation_right_option_applies_the_two_rolls_again(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("rotation_rotation");
    int letters[4] = {0, 0, 0, 0};
    for (int c = 0; c < NIDS; c++) {
        task_harness h;
        harness_init(&h, g_assets, IDS[c], NULL);
        int first_axis[3] = {0, 0, 0};
        for (int split = 0; split < MISI_SPLIT_COUNT; split++) {
            for (int i = 0; i < t->paper_count(&h.env, (misi_split)split); i++) {
                misi_question q;
                h.equal_calls = 0;
                assert_int_equal(harness_make(&h, t, (misi_split)split, i, &q), MISI_OK);
                assert_true(h.equal_calls >= 6);
                const char *ops = truth_str(q.truth, "operations");
                misi_oplist truth = parse_ops(ops);
                assert_int_equal(truth.count, 2);
                misi_op r[4] = {truth.ops[0], truth.ops[1], truth.ops[0], truth.ops[1]};
                misi_oplist_finish(&truth);
                for (int k = 0; k < 2; k++) {
                    assert_int_equal(r[k].kind, MISI_OP_ROLL);
                    assert_in_bins(r[k].value, 90, 15);
                }
                assert_int_not_equal(r[0].axis, r[1].axis);
                char twice[256];
                assert_true(misi_cmd_format(r, 4, twice, sizeof twice) > 0);
                letters[check_mc(&h, &q, 4, 4, twice)]++;
                static const char *const views[3] = {"front", "left", "top"};
                for (int k = 0; k < 3; k++) {
                    misi_image_req v = misi_task_canonical(0, MISI_SHOW_COMPLEX, views[k]);
                    assert_memory_equal(&q.images[k], &v, sizeof v);
                }
                misi_pose once = pose_of(ops);
                assert_memory_equal(&q.images[3].view, &once, sizeof once);
                /* Every option is image 4's pair and then one cell of the
                 * factorial {(a, b), (b, a), (a*, b), (b, a*)}: the truth's
                 * pair is one of the cells, and so is its order swapped. */
                const cJSON *opts = cJSON_GetObjectItem(q.truth, "options");
                misi_op second[4][2];
                for (int k = 0; k < 4; k++) {
                    char letter[2] = {(char)('A' + k), '\0'};
                    misi_oplist l = parse_ops(truth_str(opts, letter));
                    assert_int_equal(l.count, 4);
                    for (size_t j = 0; j < l.count; j++) {
                        assert_int_equal(l.ops[j].kind, MISI_OP_ROLL);
                        assert_in_bins(l.ops[j].value, 90, 15);
                    }
                    /* The first application is image 4's. */
                    for (int j = 0; j < 2; j++) {
                        assert_int_equal(l.ops[j].axis, r[j].axis);
                        assert_true(l.ops[j].value == r[j].value);
                    }
                    second[k][0] = l.ops[2];
                    second[k][1] = l.ops[3];
                    assert_int_not_equal(second[k][0].axis, second[k][1].axis);
                    misi_oplist_finish(&l);
                }
                int swapped = 0;
                for (int k = 0; k < 4; k++)
                    for (int j = 0; j < 4; j++)
                        swapped += second[j][0].axis == second[k][1].axis &&
                                   second[j][0].value == second[k][1].value &&
                                   second[j][1].axis == second[k][0].axis &&
                                   second[j][1].value == second[k][0].value;
                assert_int_equal(swapped, 4); /* each cell's swap is a cell */
                misi_question_finish(&q);
            }
        }
        (void)first_axis;
        harness_finish(&h);
    }
    for (int k = 0; k < 4; k++)
        assert_true(letters[k] > 0);
}

/* Over many seeds the right letter is spread evenly over A-D. */
static void mc_right_letters_spread_over_abcd(void **s)
{
    (void)s;
    const char *names[2] = {"translation_rotation", "rotation_rotation"};
    for (int t = 0; t < 2; t++) {
        const misi_task *task = misi_task_find(names[t]);
        task_harness h;
        harness_init(&h, g_assets, "4cup", "1v2x");
        int letters[4] = {0, 0, 0, 0}, n = 0;
        for (uint64_t seed = 1; seed <= 40; seed++) {
            h.env.seed = seed;
            for (int i = 0; i < 6; i++, n++) {
                misi_question q;
                assert_int_equal(harness_make(&h, task, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
                letters[q.answer[0] - 'A']++;
                misi_question_finish(&q);
            }
        }
        /* 240 draws: 60 expected per letter; 35 is over 3.5 sigma below. */
        for (int k = 0; k < 4; k++)
            assert_true(letters[k] >= 35);
        harness_finish(&h);
    }
}

static void composite_and_docking_are_deterministic_per_seed(void **s)
{
    (void)s;
    const char *names[3] = {"translation_rotation", "rotation_rotation", "docking"};
    task_harness h;
    harness_init(&h, g_assets, "5dt0", "6c83");
    for (int t = 0; t < 3; t++) {
        const misi_task *task = misi_task_find(names[t]);
        for (int i = 0; i < 6; i++) {
            misi_question a, b;
            assert_int_equal(harness_make(&h, task, MISI_SPLIT_TRAIN, i, &a), MISI_OK);
            assert_int_equal(harness_make(&h, task, MISI_SPLIT_TRAIN, i, &b), MISI_OK);
            assert_same_question(&a, &b);
            misi_question_finish(&a);
            misi_question_finish(&b);
        }
    }
    harness_finish(&h);
}

static int always_equal(void *user, const misi_image_req *a, const misi_image_req *b, bool *equal,
                        misi_error *err)
{
    (void)a;
    (void)b;
    (void)err;
    ((task_harness *)user)->equal_calls++;
    *equal = true;
    return MISI_OK;
}

static int equal_once(void *user, const misi_image_req *a, const misi_image_req *b, bool *equal,
                      misi_error *err)
{
    (void)a;
    (void)b;
    (void)err;
    *equal = ((task_harness *)user)->equal_calls++ == 0;
    return MISI_OK;
}

/* Options whose pixels come out equal are resampled; when they always do, the
 * task refuses the complex instead of emitting an unanswerable question. */
static void mc_options_that_render_alike_are_resampled_or_refused(void **s)
{
    (void)s;
    const char *names[2] = {"translation_rotation", "rotation_rotation"};
    for (int t = 0; t < 2; t++) {
        const misi_task *task = misi_task_find(names[t]);
        task_harness h;
        harness_init(&h, g_assets, "1hpv", "1cs4");
        misi_question q;
        h.env.images_equal = equal_once;
        h.equal_calls = 0;
        assert_int_equal(harness_make(&h, task, MISI_SPLIT_TRAIN, 0, &q), MISI_OK);
        assert_int_equal(h.equal_calls, 1 + 6); /* one refused try, then six pairs */
        misi_question_finish(&q);
        h.env.images_equal = always_equal;
        assert_int_equal(harness_make(&h, task, MISI_SPLIT_TRAIN, 0, &q), MISI_E_INVALID);
        assert_null(q.truth);
        misi_question_finish(&q);
        harness_finish(&h);
    }
}

static bool heavy(const misi_atom *a)
{
    return a->element != 1;
}

/* T7 on every complex: images, the displacement clear of the pocket by the
 * smallest whole distance plus the gap, no contact under 3 Å, and the
 * answer, applied with the command language's meaning to the displaced
 * ligand, putting every ligand atom back within 1e-3 Å. */
/* Is the ligand under pose lp, moved `shift` Å more along x, clear of the
 * pocket on its side: beyond the pocket's heavy-atom x extent and every
 * heavy atom at least 3 Å from the pocket's? */
static bool docking_clear(const task_harness *h, const misi_pose *lp, float shift, float pmin, float pmax,
                          bool right)
{
    const misi_complex *cx = &h->cx[0];
    misi_pose p = *lp;
    p.trans[0] += shift;
    for (uint32_t a = 0; a < cx->ligand.top.natoms; a++) {
        if (!heavy(&cx->ligand.top.atoms[a]))
            continue;
        float m[3];
        misi_pose_point(&p, h->tc[0].ligand_centre, &cx->ligand.xyz[3 * a], m);
        for (int k = 0; k < 3; k++)
            m[k] += h->tc[0].ligand_centre[k];
        if (right ? !(m[0] > pmax) : !(m[0] < pmin))
            return false;
        for (uint32_t j = 0; j < cx->pocket.top.natoms; j++) {
            if (!heavy(&cx->pocket.top.atoms[j]))
                continue;
            float d2 = 0;
            for (int k = 0; k < 3; k++) {
                float d = m[k] - cx->pocket.xyz[3 * j + k];
                d2 += d * d;
            }
            if (d2 < 9.0f)
                return false;
        }
    }
    return true;
}

static void docking_answer_puts_the_displaced_ligand_back(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("docking");
    int sides[2] = {0, 0}, axes[3] = {0, 0, 0};
    for (int c = 0; c < NIDS; c++) {
        task_harness h;
        harness_init(&h, g_assets, IDS[c], NULL);
        const misi_complex *cx = &h.cx[0];
        float pmin = INFINITY, pmax = -INFINITY;
        for (uint32_t j = 0; j < cx->pocket.top.natoms; j++) {
            if (!heavy(&cx->pocket.top.atoms[j]))
                continue;
            pmin = fminf(pmin, cx->pocket.xyz[3 * j]);
            pmax = fmaxf(pmax, cx->pocket.xyz[3 * j]);
        }
        uint32_t n = cx->ligand.top.natoms;
        float *moved = malloc(sizeof(float) * 3 * n);
        assert_non_null(moved);
        for (int split = 0; split < MISI_SPLIT_COUNT; split++) {
            for (int i = 0; i < t->paper_count(&h.env, (misi_split)split); i++) {
                misi_question q;
                assert_int_equal(harness_make(&h, t, (misi_split)split, i, &q), MISI_OK);
                assert_int_equal(q.nimages, 7);
                assert_int_equal(q.noptions, 0);
                const misi_pose *lp = &q.images[3].ligand_pose;
                float scale = misi_task_docking_scale(&h.env);
                static const char *const views[3] = {"front", "left", "top"};
                for (int k = 0; k < 3; k++) {
                    misi_image_req pocket = misi_task_canonical(0, MISI_SHOW_POCKET, views[k]);
                    misi_image_req lig = misi_task_canonical(0, MISI_SHOW_LIGAND, views[k]);
                    pocket.px_per_A = lig.px_per_A = scale;
                    lig.ligand_moved = true;
                    lig.ligand_pose = *lp;
                    assert_memory_equal(&q.images[k], &pocket, sizeof pocket);
                    assert_memory_equal(&q.images[3 + k], &lig, sizeof lig);
                }
                misi_image_req both = misi_task_canonical(0, MISI_SHOW_COMPLEX, "front");
                both.ligand_moved = true;
                both.ligand_pose = *lp;
                both.px_per_A = scale;
                assert_memory_equal(&q.images[6], &both, sizeof both);
                for (int k = 0; k < q.nimages; k++)
                    assert_true(misi_task_in_frame(&h.env, &q.images[k]));

                /* The answer: one roll in range, then a whole move along x. */
                misi_oplist ops = parse_ops(q.answer);
                assert_int_equal(ops.count, 2);
                assert_int_equal(ops.ops[0].kind, MISI_OP_ROLL);
                assert_in_bins(ops.ops[0].value, 90, 15);
                assert_int_equal(ops.ops[1].kind, MISI_OP_MOVE);
                assert_int_equal(ops.ops[1].axis, MISI_AXIS_X);
                float dx = -ops.ops[1].value;
                assert_true(dx != 0.0f && dx == roundf(dx));
                axes[ops.ops[0].axis]++;
                const cJSON *rot = cJSON_GetObjectItem(q.truth, "rotation");
                const cJSON *tr = cJSON_GetObjectItem(q.truth, "translation");
                static const char *const axis_names[3] = {"x", "y", "z"};
                assert_string_equal(truth_str(rot, "axis"), axis_names[ops.ops[0].axis]);
                assert_true(truth_num(rot, "value") == ops.ops[0].value);
                assert_string_equal(truth_str(tr, "axis"), "x");
                assert_true(truth_num(tr, "value") == ops.ops[1].value);
                const cJSON *range = cJSON_GetObjectItem(q.truth, "range"); /* of rotation.value */
                assert_int_equal(cJSON_GetArraySize(range), 2);
                assert_true(cJSON_GetArrayItem(range, 0)->valuedouble == -90);
                assert_true(cJSON_GetArrayItem(range, 1)->valuedouble == 90);
                bool right = !strcmp(truth_str(q.truth, "side"), "right");
                assert_true(right ? dx > 0 : dx < 0);
                sides[right]++;
                int gap = (int)truth_num(q.truth, "gap");
                assert_true(gap >= 0 && gap <= 2);

                /* The displaced ligand: clear of the pocket's x extent on
                 * its side, by no more than one whole Å beyond the gap. */
                float lmin = INFINITY, lmax = -INFINITY, contact = INFINITY;
                for (uint32_t a = 0; a < n; a++) {
                    /* p' = R (p - c) + c + T, as misi_image_req defines it */
                    misi_pose_point(lp, h.tc[0].ligand_centre, &cx->ligand.xyz[3 * a], &moved[3 * a]);
                    for (int k = 0; k < 3; k++)
                        moved[3 * a + k] += h.tc[0].ligand_centre[k];
                    if (!heavy(&cx->ligand.top.atoms[a]))
                        continue;
                    lmin = fminf(lmin, moved[3 * a]);
                    lmax = fmaxf(lmax, moved[3 * a]);
                    for (uint32_t j = 0; j < cx->pocket.top.natoms; j++) {
                        if (!heavy(&cx->pocket.top.atoms[j]))
                            continue;
                        float d[3];
                        for (int k = 0; k < 3; k++)
                            d[k] = moved[3 * a + k] - cx->pocket.xyz[3 * j + k];
                        contact = fminf(contact, sqrtf(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]));
                    }
                }
                if (right)
                    assert_true(lmin > pmax);
                else
                    assert_true(lmax < pmin);
                assert_true(contact >= 3.0f);
                /* The smallest clear move plus the gap: without the gap it
                 * is still clear, one Å less is not (unless that is no move). */
                float back = right ? -(float)gap : (float)gap;
                assert_true(docking_clear(&h, lp, back, pmin, pmax, right));
                float base = lp->trans[0] + back;
                if (fabsf(base) > 1.5f)
                    assert_false(docking_clear(&h, lp, back + (right ? -1.0f : 1.0f), pmin, pmax, right));

                /* Apply the answer to the displaced atoms: a roll about the
                 * centroid of the shown (heavy) atoms as they are now, then
                 * the move. */
                for (size_t o = 0; o < ops.count; o++) {
                    const misi_op *op = &ops.ops[o];
                    if (op->kind == MISI_OP_MOVE) {
                        for (uint32_t a = 0; a < n; a++)
                            moved[3 * a + op->axis] += op->value;
                        continue;
                    }
                    double cen[3] = {0, 0, 0};
                    int nh = 0;
                    for (uint32_t a = 0; a < n; a++) {
                        if (!heavy(&cx->ligand.top.atoms[a]))
                            continue;
                        for (int k = 0; k < 3; k++)
                            cen[k] += moved[3 * a + k];
                        nh++;
                    }
                    float fc[3] = {(float)(cen[0] / nh), (float)(cen[1] / nh), (float)(cen[2] / nh)};
                    misi_pose turn;
                    misi_pose_identity(&turn);
                    misi_pose_apply(&turn, op, 1);
                    for (int k = 0; k < 3; k++)
                        turn.trans[k] = fc[k];
                    for (uint32_t a = 0; a < n; a++)
                        misi_pose_point(&turn, fc, &moved[3 * a], &moved[3 * a]);
                }
                for (uint32_t a = 0; a < 3 * n; a++)
                    assert_float_equal(moved[a], cx->ligand.xyz[a], 1e-3);
                misi_oplist_finish(&ops);
                misi_question_finish(&q);
            }
        }
        free(moved);
        harness_finish(&h);
    }
    assert_true(sides[0] > 0 && sides[1] > 0);
    for (int a = 0; a < 3; a++)
        assert_int_equal(axes[a], NIDS * 3);
}

/* The in-frame test reads ligand_pose as misi_image_req defines it, about
 * the ligand's centre: the identity leaves the ligand where it is, on a
 * complex far from the origin too. */
static void moved_ligand_pose_turns_about_the_ligand_centre(void **s)
{
    (void)s;
    task_harness h;
    harness_init(&h, g_assets, "1cs4", NULL);
    misi_image_req r = misi_task_canonical(0, MISI_SHOW_LIGAND, "front");
    r.ligand_moved = true;
    assert_true(misi_task_in_frame(&h.env, &r));
    misi_op turn = {MISI_OP_ROLL, MISI_AXIS_Z, 90};
    misi_pose_apply(&r.ligand_pose, &turn, 1);
    assert_true(misi_task_in_frame(&h.env, &r));
    r.ligand_pose.trans[0] = 2.0f * h.tc[0].frame.radius;
    assert_false(misi_task_in_frame(&h.env, &r));
    harness_finish(&h);
}

/* The side is drawn evenly even on a complex where one side is refused more
 * often (1v2x: a bulge of its pocket). */
/* Over many seeds the gap beyond "clear of the pocket" is uniform over 0,
 * 1 and 2 Å. Rejecting small gaps for touching the pocket skewed it to
 * 44 / 70 / 138 of 252 before the contact rule became part of "clear". */
static void docking_gaps_are_uniform_over_0_1_2(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("docking");
    int gaps[3] = {0, 0, 0}, n = 0;
    for (int c = 0; c < NIDS; c++) {
        task_harness h;
        harness_init(&h, g_assets, IDS[c], NULL);
        for (uint64_t seed = 1; seed <= 12; seed++) {
            h.env.seed = seed;
            for (int i = 0; i < 6; i++) {
                misi_question q;
                if (harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q) == MISI_OK) {
                    int g = (int)truth_num(q.truth, "gap");
                    assert_true(g >= 0 && g <= 2);
                    gaps[g]++;
                    n++;
                }
                misi_question_finish(&q);
            }
        }
        harness_finish(&h);
    }
    print_message("docking gaps 0/1/2 A: %d / %d / %d of %d\n", gaps[0], gaps[1], gaps[2], n);
    assert_true(n >= 400);
    /* n/3 each; sd = sqrt(n * 1/3 * 2/3): 4 sd either side. */
    double sd = sqrt(n * 2.0 / 9.0);
    for (int g = 0; g < 3; g++)
        assert_true(fabs(gaps[g] - n / 3.0) < 4 * sd);
}

/* Issue 15's framing: T7's seven images share one scale, the same for every
 * question of a complex (it may not tell the answer), and it fills the frame:
 * the pocket and the displaced ligand, over the question's images, reach at
 * least FILL of the half image from its centre, the farthest-reaching of a
 * complex's questions at least TIGHT, and no atom leaves it. The scale of
 * before (a sphere about the centre with room for the farthest
 * displacement) fails both: least 0.57, farthest of 1v2x 0.74. */
#define FILL 0.62f
#define TIGHT 0.80f
static void docking_frame_is_filled_and_the_same_for_every_answer(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("docking");
    float least = INFINITY;
    for (int c = 0; c < NIDS; c++) {
        task_harness h;
        harness_init(&h, g_assets, IDS[c], NULL);
        const misi_complex *cx = &h.cx[0];
        const misi_task_complex *tc = &h.tc[0];
        float scale = misi_task_docking_scale(&h.env), most = 0;
        float half = 0.5f * (float)(h.env.geo.width < h.env.geo.height ? h.env.geo.width : h.env.geo.height);
        for (int i = 0; i < 12; i++) {
            misi_question q;
            assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
            float reach = 0;
            for (int k = 0; k < q.nimages; k++) {
                const misi_image_req *r = &q.images[k];
                assert_true(r->px_per_A == scale);
                assert_true(misi_task_in_frame(&h.env, r));
                for (int side = 0; side < 2; side++) {
                    const misi_mol *m = side ? &cx->ligand : &cx->pocket;
                    if ((side == 0 && r->show == MISI_SHOW_LIGAND) || (side == 1 && r->show == MISI_SHOW_POCKET))
                        continue;
                    for (uint32_t j = 0; j < m->top.natoms; j++) {
                        if (!heavy(&m->top.atoms[j]))
                            continue;
                        float p[3], sc[3];
                        memcpy(p, &m->xyz[3 * j], sizeof p);
                        if (side == 1)
                            misi_task_moved_ligand_point(&r->ligand_pose, tc, p, p);
                        misi_pose_point(&r->view, tc->frame.centre, p, sc);
                        reach = fmaxf(reach, (fmaxf(fabsf(sc[0]), fabsf(sc[1])) + 0.5f) * scale / half);
                    }
                }
            }
            assert_true(reach <= 1.0f);
            least = fminf(least, reach);
            most = fmaxf(most, reach);
            if (reach < FILL)
                fail_msg("%s docking question %d: the molecules reach %.2f of the half image", IDS[c], i,
                         (double)reach);
            misi_question_finish(&q);
        }
        if (most < TIGHT)
            fail_msg("%s docking: the farthest-reaching question reaches %.2f of the half image", IDS[c],
                     (double)most);
        harness_finish(&h);
    }
    print_message("docking: the least-filled question reaches %.2f of the half image\n", (double)least);
}

static void docking_sides_are_drawn_evenly(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("docking");
    task_harness h;
    harness_init(&h, g_assets, "1v2x", NULL);
    int right = 0, n = 0;
    for (uint64_t seed = 1; seed <= 40; seed++) {
        h.env.seed = seed;
        for (int i = 0; i < 6; i++, n++) {
            misi_question q;
            assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
            right += !strcmp(truth_str(q.truth, "side"), "right");
            misi_question_finish(&q);
        }
    }
    /* 240 draws: 120 expected; 90 is about 4 sigma away. */
    assert_true(right >= 90 && n - right >= 90);
    harness_finish(&h);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_assets = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(composite_and_docking_counts_follow_the_paper_preset),
        cmocka_unit_test(translation_rotation_needs_a_partner),
        cmocka_unit_test(translation_rotation_right_option_repeats_the_reference_operations),
        cmocka_unit_test(rotation_rotation_right_option_applies_the_two_rolls_again),
        cmocka_unit_test(mc_right_letters_spread_over_abcd),
        cmocka_unit_test(composite_and_docking_are_deterministic_per_seed),
        cmocka_unit_test(mc_options_that_render_alike_are_resampled_or_refused),
        cmocka_unit_test(moved_ligand_pose_turns_about_the_ligand_centre),
        cmocka_unit_test(docking_answer_puts_the_displaced_ligand_back),
        cmocka_unit_test(docking_sides_are_drawn_evenly),
        cmocka_unit_test(docking_gaps_are_uniform_over_0_1_2),
        cmocka_unit_test(docking_frame_is_filled_and_the_same_for_every_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
