/* The H-bond finder on the bundled real complexes: every reported bond is
 * re-checked against HBONDS.md's numbers (an independent copy of the distance
 * cutoffs, keyed by class name), and the asset set really covers what
 * assets/README.md claims: a charged ligand group, an aromatic N acceptor, a
 * hydroxyl donor, a ligand without H-bonds, and a metal near a ligand. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "misi/hbond.h"

static const char *g_root = "assets/complexes";
static bool g_expect_metal;

static const char *assets_root(void)
{
    return g_root;
}

/* HBONDS.md acceptor distance cutoffs (relaxed), by the finder's class names. */
static float acceptor_cutoff(const char *name)
{
    static const struct {
        const char *name;
        float max;
    } T[] = {
        {"carboxylate O", 3.57f},   {"amide/ketone C=O", 3.70f}, {"ester/acid C=O", 3.57f},
        {"hydroxyl O", 3.43f},      {"phenol O", 3.57f},         {"water O", 3.43f},
        {"ether O", 3.82f},         {"5-ring O", 3.82f},         {"two-bond O3", 3.82f},
        {"phosphate O3-", 3.43f},   {"sulfonyl O3-", 3.93f},     {"6-ring N2 (sym)", 3.57f},
        {"6-ring N2 (asym)", 3.70f}, {"5-ring N (sym)", 3.70f},   {"5-ring N (asym)", 3.70f},
        {"imine N", 3.82f},         {"nitrile N", 3.70f},        {"thiocarbonyl S", 4.13f},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        if (!strcmp(T[i].name, name))
            return T[i].max;
    }
    return -1.0f;
}

static bool is_ring_n(int acc)
{
    return acc == MISI_ACC_RING6_N_SYM || acc == MISI_ACC_RING6_N_ASYM || acc == MISI_ACC_RING5_N_SYM ||
           acc == MISI_ACC_RING5_N_ASYM;
}

static bool is_charged_acc(int acc)
{
    return acc == MISI_ACC_CARBOXYLATE || acc == MISI_ACC_PHOSPHATE || acc == MISI_ACC_SULFONYL;
}

static bool is_charged_don(int don)
{
    return don == MISI_DON_NH3 || don == MISI_DON_R2NH2 || don == MISI_DON_R3NH || don == MISI_DON_NG_NH2 ||
           don == MISI_DON_ARG_NE;
}

static void hbonds_on_assets_satisfy_criteria_and_cover_the_cases(void **state)
{
    (void)state;
    misi_source_list src = {0};
    misi_error err = {0};
    assert_int_equal(misi_sources_add_path(&src, assets_root(), &err), MISI_OK);
    assert_true(src.count >= 6);
    int charged = 0, ring_n = 0, hydroxyl = 0, without = 0, metal_near = 0;
    size_t total = 0;
    for (size_t i = 0; i < src.count; i++) {
        misi_complex cx;
        misi_complex_init(&cx);
        int rc = misi_source_load(&src.items[i], NULL, &cx, &err);
        if (rc)
            fail_msg("%s: %s", src.items[i].id, err.msg);
        misi_hb_context *ctx = NULL;
        misi_hbond_list list = {0};
        assert_int_equal(misi_hb_context_create(&cx, NULL, &ctx, &err), MISI_OK);
        assert_int_equal(misi_hbonds_find(ctx, &list, &err), MISI_OK);
        total += list.count;
        without += list.count == 0;
        for (size_t k = 0; k < list.count; k++) {
            const misi_hbond *hb = &list.items[k];
            const misi_atom *pa = &cx.pocket.top.atoms[hb->pocket_atom];
            const misi_atom *la = &cx.ligand.top.atoms[hb->ligand_atom];
            const float *p = &cx.pocket.xyz[3 * hb->pocket_atom], *l = &cx.ligand.xyz[3 * hb->ligand_atom];
            float d = sqrtf((p[0] - l[0]) * (p[0] - l[0]) + (p[1] - l[1]) * (p[1] - l[1]) +
                            (p[2] - l[2]) * (p[2] - l[2]));
            assert_float_equal(d, hb->distance, 1e-4);
            assert_true(hb->eval.passed);
            for (uint8_t t = 0; t < hb->eval.ntests; t++) {
                const misi_hb_test *ts = &hb->eval.tests[t];
                if (!ts->passed)
                    fail_msg("%s %s %d %s - %s: test %s failed", cx.id, pa->resname, pa->resseq, pa->name,
                             la->name, ts->name);
                assert_true(ts->value >= ts->lo && ts->value <= ts->hi);
            }
            float cut = acceptor_cutoff(misi_acc_class_name(hb->eval.acc));
            assert_true(cut > 0);
            if (d > cut + 1e-4f)
                fail_msg("%s: %s %d %s - %s at %.2f A beyond the %s cutoff %.2f", cx.id, pa->resname, pa->resseq,
                         pa->name, la->name, d, misi_acc_class_name(hb->eval.acc), cut);
            assert_true(pa->element == 7 || pa->element == 8 || pa->element == 16);
            assert_true(la->element == 7 || la->element == 8 || la->element == 16);
            bool lig_acc = hb->donates == MISI_HB_POCKET_DONATES;
            bool lig_don = hb->donates == MISI_HB_LIGAND_DONATES;
            misi_hb_atom_type lt = misi_hb_type(ctx, true, hb->ligand_atom);
            charged += (lig_acc && is_charged_acc(lt.acc)) || (lig_don && is_charged_don(lt.don));
            ring_n += lig_acc && is_ring_n(lt.acc);
            hydroxyl += (lig_don || hb->donates == MISI_HB_BOTH_DONATE) &&
                        (lt.don == MISI_DON_HYDROXYL || lt.don == MISI_DON_PHENOL);
        }
        for (uint32_t m = 0; m < cx.pocket.top.natoms; m++) {
            if (!misi_element_is_metal(cx.pocket.top.atoms[m].element))
                continue;
            const float *M = &cx.pocket.xyz[3 * m];
            for (uint32_t j = 0; j < cx.ligand.top.natoms; j++) {
                const float *L = &cx.ligand.xyz[3 * j];
                float dx = M[0] - L[0], dy = M[1] - L[1], dz = M[2] - L[2];
                if (dx * dx + dy * dy + dz * dz <= 4.0f * 4.0f) {
                    metal_near++;
                    break;
                }
            }
        }
        misi_hbond_list_finish(&list);
        misi_hb_context_destroy(ctx);
        misi_complex_finish(&cx);
    }
    misi_sources_finish(&src);
    print_message("%zu H-bonds; charged %d, ring N %d, hydroxyl donor %d, without %d, metal near %d\n", total,
                  charged, ring_n, hydroxyl, without, metal_near);
    assert_true(total > 0);
    assert_true(charged > 0);
    assert_true(ring_n > 0);
    assert_true(hydroxyl > 0);
    assert_true(without > 0);
    if (g_expect_metal)
        assert_true(metal_near > 0);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        g_root = argv[1];
    g_expect_metal = argc > 2 && !strcmp(argv[2], "--expect-metal");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hbonds_on_assets_satisfy_criteria_and_cover_the_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
