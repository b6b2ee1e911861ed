/* T1-T3 and T9 on a real complex: paper counts, parameters in their ranges
 * and bins, the after image equal to the answer applied to the front view,
 * every image in frame, and determinism per (seed, complex, task, index). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"
#include "tasks/task_util.h"

static const char *g_assets = "assets/complexes";

static misi_pose task_pose_for_test(const misi_op *op)
{
    misi_pose p;
    misi_pose_identity(&p);
    misi_pose_apply(&p, op, 1);
    return p;
}

static void check_cloze(const char *name, int train, int test, int axis_mod, float lo, float hi, float bin,
                        int op_kind)
{
    task_harness h;
    harness_init(&h, g_assets, "1hpv", NULL);
    const misi_task *t = misi_task_find(name);
    assert_non_null(t);
    assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TRAIN), train);
    assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TEST), test);
    int per_axis[3] = {0, 0, 0};
    for (int i = 0; i < train; i++) {
        misi_question q, again;
        assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
        assert_int_equal(q.nimages, 4);
        misi_op op = harness_single_op(q.answer);
        assert_int_equal(op.kind, op_kind);
        per_axis[op.axis]++;
        assert_true(op.value >= lo && op.value <= hi && op.value != 0.0f);
        float steps = op.value / bin;
        assert_float_equal(steps, (float)(int)steps, 1e-6);
        /* The after image is the front view with the answer applied. */
        misi_pose expect = task_pose_for_test(&op);
        assert_memory_equal(&q.images[3].view, &expect, sizeof expect);
        for (int k = 0; k < q.nimages; k++)
            assert_true(misi_task_in_frame(&h.env, &q.images[k]));
        assert_non_null(cJSON_GetObjectItem(q.truth, "range"));
        assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &again), MISI_OK);
        assert_string_equal(q.answer, again.answer);
        misi_question_finish(&q);
        misi_question_finish(&again);
    }
    if (axis_mod == 1) /* zooming: always z */
        assert_int_equal(per_axis[2], train);
    else
        for (int a = 0; a < axis_mod; a++)
            assert_int_equal(per_axis[a], train / axis_mod);
    harness_finish(&h);
}

static void translation_counts_ranges_and_after_image(void **s)
{
    (void)s;
    check_cloze("translation", 4, 2, 2, -4, 4, 1, MISI_OP_MOVE);
}

static void rotation_counts_ranges_and_after_image(void **s)
{
    (void)s;
    check_cloze("rotation", 6, 3, 3, -90, 90, 15, MISI_OP_ROLL);
}

static void zooming_counts_ranges_and_after_image(void **s)
{
    (void)s;
    check_cloze("zooming", 4, 2, 1, 40, 60, 1, MISI_OP_MOVE);
}

static void pocket_ligand_lists_every_hbond_in_order(void **s)
{
    (void)s;
    task_harness h;
    harness_init(&h, g_assets, "1hpv", NULL);
    const misi_task *t = misi_task_find("pocket_ligand");
    assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TRAIN), 1);
    misi_question q;
    assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, 0, &q), MISI_OK);
    assert_int_equal(q.nimages, 6);
    assert_string_equal(q.answer, "ASP 25 OD1 A, O3; ASP 25 OD2 A, O3; ASP 30 N A, O6; ASP 25 OD1 B, O3; "
                                  "ASP 25 OD2 B, O3; ASP 30 O B, N3");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(q.truth, "bonds")), 6);
    misi_question_finish(&q);
    harness_finish(&h);
    /* A complex without H-bonds asks no T9 question. */
    harness_init(&h, g_assets, "4cup", NULL);
    assert_int_equal(t->paper_count(&h.env, MISI_SPLIT_TRAIN), 0);
    harness_finish(&h);
}

/* The axis (or axis pair) of a question is not its index's residue: over
 * seeds, index 0 asks every axis, while each block of n indices still asks
 * each one once. The old rule (axis = index mod n) fails here. */
static void question_index_does_not_give_the_axis(void **s)
{
    (void)s;
    static const struct {
        const char *name;
        int n;
    } TASKS[] = {{"translation", 2}, {"rotation", 3}, {"docking", 3}};
    for (size_t t = 0; t < sizeof TASKS / sizeof TASKS[0]; t++) {
        const misi_task *task = misi_task_find(TASKS[t].name);
        task_harness h;
        harness_init(&h, g_assets, "1hpv", NULL);
        int n = TASKS[t].n, first[3] = {0, 0, 0};
        for (uint64_t seed = 1; seed <= 12; seed++) {
            h.env.seed = seed;
            int block[3] = {0, 0, 0};
            for (int i = 0; i < n; i++) {
                misi_question q;
                assert_int_equal(harness_make(&h, task, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
                misi_oplist l = {0};
                misi_error err = {0};
                assert_int_equal(misi_cmd_parse(q.answer, &l, &err), MISI_OK);
                misi_op op = l.ops[0]; /* docking: the roll comes first */
                misi_oplist_finish(&l);
                block[op.axis]++;
                if (i == 0)
                    first[op.axis]++;
                misi_question_finish(&q);
            }
            for (int a = 0; a < n; a++)
                assert_int_equal(block[a], 1);
        }
        for (int a = 0; a < n; a++)
            assert_true(first[a] > 0);
        harness_finish(&h);
    }
}

/* A target is never one of the given views: roll x 90 is the top view and
 * roll y 90 the left one, which made 3 of 36 rotation questions trivial. */
static void rotation_target_is_never_a_given_view(void **s)
{
    (void)s;
    const misi_task *t = misi_task_find("rotation");
    task_harness h;
    harness_init(&h, g_assets, "1hpv", NULL);
    int n = 0;
    for (uint64_t seed = 1; seed <= 60; seed++) {
        h.env.seed = seed;
        for (int i = 0; i < 6; i++, n++) {
            misi_question q;
            assert_int_equal(harness_make(&h, t, MISI_SPLIT_TRAIN, i, &q), MISI_OK);
            assert_false(strcmp(q.answer, "roll x 90") == 0 || strcmp(q.answer, "roll y 90") == 0);
            for (int k = 0; k < 3; k++)
                assert_false(task_same_request(&q.images[3], &q.images[k]));
            misi_question_finish(&q);
        }
    }
    assert_true(n == 360);
    harness_finish(&h);
}

/* Does text hold a concrete command ("move x 3", "roll y -15")? */
static bool has_concrete_command(const char *text)
{
    for (const char *p = text; *p; p++) {
        if (strncmp(p, "move ", 5) != 0 && strncmp(p, "roll ", 5) != 0)
            continue;
        const char *v = p + 5;
        if ((v[0] == 'x' || v[0] == 'y' || v[0] == 'z') && v[1] == ' ' &&
            (v[2] == '-' || (v[2] >= '0' && v[2] <= '9')))
            return true;
    }
    return false;
}

/* Prompts show the answer's form with placeholders, never a value that can
 * be the answer ("such as 'move x 3'" primed T1's answer move x 3). */
static void prompts_show_the_answer_format_never_a_value(void **s)
{
    (void)s;
    static const char *const IDS[] = {"1hpv", "5dt0", "1cs4"};
    size_t ntasks;
    const misi_task *const *tasks = misi_tasks(&ntasks);
    for (size_t c = 0; c < 3; c++) {
        task_harness h;
        harness_init(&h, g_assets, IDS[c], IDS[(c + 1) % 3]);
        for (size_t t = 0; t < ntasks; t++) {
            int n = tasks[t]->paper_count(&h.env, MISI_SPLIT_TRAIN);
            for (int i = 0; i < n; i++) {
                misi_question q;
                assert_int_equal(harness_make(&h, tasks[t], MISI_SPLIT_TRAIN, i, &q), MISI_OK);
                /* T8 lists its options as commands; the rest show none. */
                if (!tasks[t]->mc || q.option_image[0] >= 0) {
                    if (has_concrete_command(q.text))
                        fail_msg("%s %s %d: a command in the prompt: %s", IDS[c], tasks[t]->name, i, q.text);
                }
                if (!tasks[t]->mc && strcmp(q.answer, "No") != 0)
                    assert_null(strstr(q.text, q.answer));
                misi_question_finish(&q);
            }
        }
        harness_finish(&h);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_assets = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(translation_counts_ranges_and_after_image),
        cmocka_unit_test(rotation_counts_ranges_and_after_image),
        cmocka_unit_test(zooming_counts_ranges_and_after_image),
        cmocka_unit_test(pocket_ligand_lists_every_hbond_in_order),
        cmocka_unit_test(question_index_does_not_give_the_axis),
        cmocka_unit_test(rotation_target_is_never_a_given_view),
        cmocka_unit_test(prompts_show_the_answer_format_never_a_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
