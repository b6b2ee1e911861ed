/* T1-T3 and T9 on a real complex: paper counts, parameters in their ranges
 * and bins, the after image equal to the answer applied to the front view,
 * every image in frame, and determinism per (seed, complex, task, index). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

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

int main(int argc, char **argv)
{
    if (argc > 1)
        g_assets = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(translation_counts_ranges_and_after_image),
        cmocka_unit_test(rotation_counts_ranges_and_after_image),
        cmocka_unit_test(zooming_counts_ranges_and_after_image),
        cmocka_unit_test(pocket_ligand_lists_every_hbond_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
