/* Pocket groups that are not standard residues (sugars, buffers, cofactors,
 * ions) typed from their own structure, and covalent ligands: pairs a few
 * bonds apart across the link are not H-bonds. Hand-built geometries plus
 * the fixtures of tests/fixtures/valid/chem. */
#include "builder.h"

#include <math.h>
#include <string.h>

#ifndef FIXTURES_DIR
#error "FIXTURES_DIR must name tests/fixtures"
#endif

static void load(const char *rel, misi_complex *cx)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", FIXTURES_DIR, rel);
    misi_error err;
    misi_complex_init(cx);
    if (misi_complex_load_dir(path, NULL, cx, &err))
        fail_msg("%s", err.msg);
}

static uint32_t atom_named(const misi_mol *m, const char *res, const char *name)
{
    for (uint32_t i = 0; i < m->top.natoms; i++)
        if ((!res || !strcmp(m->top.atoms[i].resname, res)) && !strcmp(m->top.atoms[i].name, name))
            return i;
    fail_msg("no atom %s %s", res ? res : "", name);
    return UINT32_MAX;
}

/* 3v2u's galactose (GLA 522, a HETATM group) donates from its O1 hydroxyl
 * to a phosphate O of the ligand at 2.55 Å; its Mg2+ is neither donor nor
 * acceptor. */
static void hbond_pocket_sugar_hydroxyl_donates_to_ligand(void **s)
{
    (void)s;
    misi_complex cx;
    load("valid/chem/7sug", &cx);
    misi_hb_context *ctx = NULL;
    misi_hbond_list list = {0};
    misi_error err;
    assert_int_equal(misi_hb_context_create(&cx, NULL, &ctx, &err), 0);
    assert_int_equal(misi_hbonds_find(ctx, &list, &err), 0);
    uint32_t o1 = atom_named(&cx.pocket, "GLA", "O1"), o2p = atom_named(&cx.ligand, NULL, "O2P");
    bool found = false;
    for (size_t k = 0; k < list.count; k++) {
        const misi_hbond *hb = &list.items[k];
        if (hb->pocket_atom == o1 && hb->ligand_atom == o2p) {
            found = true;
            assert_int_equal(hb->donates, MISI_HB_POCKET_DONATES);
            assert_int_equal(hb->eval.don, MISI_DON_HYDROXYL);
            assert_int_equal(hb->eval.acc, MISI_ACC_PHOSPHATE);
            assert_float_equal(hb->distance, 2.55, 0.01);
        }
    }
    assert_true(found);
    uint32_t mg = atom_named(&cx.pocket, "MG", "MG");
    assert_int_equal(misi_hb_group_typing_of(ctx, cx.pocket.top.atoms[o1].residue), MISI_HB_GROUP_STRUCTURE);
    assert_int_equal(misi_hb_group_typing_of(ctx, cx.pocket.top.atoms[mg].residue), MISI_HB_GROUP_METAL);
    misi_hb_atom_type t = misi_hb_type(ctx, false, mg);
    assert_int_equal(t.don, MISI_DON_NONE);
    assert_int_equal(t.acc, MISI_ACC_NONE);
    /* the ring O5 is an acceptor only, every other O a hydroxyl */
    t = misi_hb_type(ctx, false, atom_named(&cx.pocket, "GLA", "O5"));
    assert_int_equal(t.don, MISI_DON_NONE);
    assert_int_equal(t.acc, MISI_ACC_O3_TWO_BOND);
    t = misi_hb_type(ctx, false, atom_named(&cx.pocket, "GLA", "O6"));
    assert_int_equal(t.don, MISI_DON_HYDROXYL);
    assert_int_equal(t.acc, MISI_ACC_HYDROXYL);
    misi_hbond_list_finish(&list);
    misi_hb_context_destroy(ctx);
    misi_complex_finish(&cx);
}

/* A flat six-ring hetero group with one N (a pyridine-like cofactor part,
 * bonds of unknown order as in a PDB file) makes that N a ring acceptor, an
 * acetate ion's two oxygens (1.25 and 1.27 Å from C) carboxylate acceptors
 * and acetonitrile's N a nitrile acceptor; a ligand hydroxyl donates to the
 * ring N. */
static void hbond_pocket_hetero_ring_n_carboxylate_and_nitrile_from_geometry(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *p = &t.cx.pocket, *l = &t.cx.ligand;
    static const char *const names[] = {"N1", "C2", "C3", "C4", "C5", "C6"};
    static const char *const els[] = {"N", "C", "C", "C", "C", "C"};
    uint32_t ring[6];
    tb_vec n1 = tb_v(0, 0, 0);
    tb_ring(p, 6, names, els, NULL, "PYX", 301, n1, tb_v(1, 0, 0), tb_v(0, 0, 1), 1.39f, 0, ring);
    /* acetate well away from the ring */
    tb_vec c1 = tb_v(0, 12, 0);
    uint32_t act_c1 = tb_atom(p, "C1", "ACT", 302, "C", "", c1);
    uint32_t act_c2 = tb_atom(p, "C2", "ACT", 302, "C", "", tb_add(c1, tb_v(-1.52f, 0, 0)));
    uint32_t act_o1 = tb_atom(p, "O1", "ACT", 302, "O", "", tb_add(c1, tb_scale(tb_xy(62.5f), 1.25f)));
    uint32_t act_o2 = tb_atom(p, "O2", "ACT", 302, "O", "", tb_add(c1, tb_scale(tb_xy(-62.5f), 1.27f)));
    tb_bond(p, act_c1, act_c2, 0);
    tb_bond(p, act_c1, act_o1, 0);
    tb_bond(p, act_c1, act_o2, 0);
    /* acetonitrile: a linear C-C#N, 1.15 Å triple bond */
    tb_vec n3 = tb_v(0, -12, 0);
    uint32_t acn_n = tb_atom(p, "N3", "ACN", 303, "N", "", n3);
    uint32_t acn_c2 = tb_atom(p, "C2", "ACN", 303, "C", "", tb_add(n3, tb_v(1.15f, 0, 0)));
    uint32_t acn_c1 = tb_atom(p, "C1", "ACN", 303, "C", "", tb_add(n3, tb_v(2.61f, 0, 0)));
    tb_bond(p, acn_n, acn_c2, 0);
    tb_bond(p, acn_c2, acn_c1, 0);
    /* ligand hydroxyl 2.9 Å out along the ring N's outer bisector (-x) */
    tb_vec o = tb_v(-2.9f, 0, 0);
    uint32_t lo = tb_atom(l, "O1", "LIG", 1, "O", "O.3", o);
    uint32_t lc = tb_atom(l, "C1", "LIG", 1, "C", "C.3", tb_add(o, tb_scale(tb_tilt(tb_v(-1, 0, 0), tb_v(0, 1, 0), 70), 1.43f)));
    tb_bond(l, lo, lc, 1);
    tb_ready(&t);
    misi_hb_atom_type ty = tb_type(&t, false, ring[0]);
    assert_int_equal(ty.acc, MISI_ACC_RING6_N_SYM);
    assert_int_equal(ty.don, MISI_DON_NONE);
    for (int k = 1; k < 6; k++) {
        ty = tb_type(&t, false, ring[k]);
        assert_int_equal(ty.acc | ty.don, 0);
    }
    assert_int_equal(tb_type(&t, false, act_o1).acc, MISI_ACC_CARBOXYLATE);
    assert_int_equal(tb_type(&t, false, act_o2).acc, MISI_ACC_CARBOXYLATE);
    assert_int_equal(tb_type(&t, false, act_o2).don, MISI_DON_NONE);
    ty = tb_type(&t, false, acn_n);
    assert_int_equal(ty.acc, MISI_ACC_NITRILE);
    assert_int_equal(ty.don, MISI_DON_NONE);
    misi_hb_eval ev;
    tb_eval(&t, true, lo, ring[0], &ev);
    assert_hb_pass(&ev);
    tb_free(&t);
}

/* A ligand N acylated on VAL 70's carbonyl C: the VAL O sits 2.22 Å from it,
 * two bonds away across the link. The pair passes every H-bond criterion,
 * so only the covalent rule keeps it out. */
static void hbond_covalent_link_neighbours_are_not_hbonds(void **s)
{
    (void)s;
    misi_complex cx;
    load("valid/chem/8cov", &cx);
    assert_int_equal(cx.ncovalent, 1);
    uint32_t o = atom_named(&cx.pocket, "VAL", "O"), n1 = atom_named(&cx.ligand, NULL, "N1");
    misi_hb_context *ctx = NULL;
    misi_hbond_list list = {0};
    misi_error err;
    assert_int_equal(misi_hb_context_create(&cx, NULL, &ctx, &err), 0);
    assert_int_equal(misi_hbonds_find(ctx, &list, &err), 0);
    assert_int_equal(list.count, 0);
    misi_hb_eval ev;
    assert_false(misi_hb_evaluate(ctx, true, n1, o, &ev));
    assert_hb_fail(&ev, "bonds-apart");
    assert_float_equal(ev.tests[ev.failed].value, 2.0, 1e-6);
    misi_hbond_list_finish(&list);
    misi_hb_context_destroy(ctx);
    /* Without the link the same pair is an H-bond. */
    cx.ncovalent = 0;
    assert_int_equal(misi_hb_context_create(&cx, NULL, &ctx, &err), 0);
    assert_true(misi_hb_evaluate(ctx, true, n1, o, &ev));
    misi_hb_context_destroy(ctx);
    misi_complex_finish(&cx);
}

/* The rule counts bonds on both sides of the link: with a ligand C1 bonded
 * to SER OG, ligand oxygens 1 and 2 bonds from C1 (2 and 3 across the link)
 * are excluded, one 3 bonds from C1 (4 across) is judged on geometry. */
static void hbond_covalent_rule_stops_at_3_bonds(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *p = &t.cx.pocket, *l = &t.cx.ligand;
    uint32_t og = tb_ser(p, 195, tb_v(0, 0, 0), tb_v(1, 0, 0));
    uint32_t c1 = tb_atom(l, "C1", "LIG", 1, "C", "C.3", tb_v(-1.43f, 0, 0));
    uint32_t o2 = tb_atom(l, "O2", "LIG", 1, "O", "O.3", tb_v(-1.9f, 1.3f, 0));
    uint32_t c2 = tb_atom(l, "C2", "LIG", 1, "C", "C.3", tb_v(-2.2f, -1.2f, 0));
    uint32_t o3 = tb_atom(l, "O3", "LIG", 1, "O", "O.3", tb_v(-1.6f, -2.4f, 0.6f));
    uint32_t c3 = tb_atom(l, "C3", "LIG", 1, "C", "C.3", tb_v(-3.7f, -1.0f, 0));
    uint32_t o4 = tb_atom(l, "O4", "LIG", 1, "O", "O.3", tb_v(-4.3f, -2.2f, 0.5f));
    tb_bond(l, c1, o2, 1);
    tb_bond(l, c1, c2, 1);
    tb_bond(l, c2, o3, 1);
    tb_bond(l, c2, c3, 1);
    tb_bond(l, c3, o4, 1);
    t.cx.ncovalent = 1;
    t.cx.covalent[0] = (misi_covalent_link){.pocket_atom = og, .ligand_atom = c1, .distance = 1.43f};
    tb_ready(&t);
    misi_hb_eval ev;
    const misi_hb_test *ba;
    tb_eval(&t, false, og, o2, &ev);
    assert_non_null(ba = tb_find_test(&ev, "bonds-apart"));
    assert_float_equal(ba->value, 2.0, 1e-6);
    assert_false(ev.passed);
    tb_eval(&t, true, o3, og, &ev);
    assert_non_null(ba = tb_find_test(&ev, "bonds-apart"));
    assert_float_equal(ba->value, 3.0, 1e-6);
    assert_false(ev.passed);
    tb_eval(&t, true, o4, og, &ev);
    assert_null(tb_find_test(&ev, "bonds-apart"));
    tb_free(&t);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hbond_pocket_sugar_hydroxyl_donates_to_ligand),
        cmocka_unit_test(hbond_pocket_hetero_ring_n_carboxylate_and_nitrile_from_geometry),
        cmocka_unit_test(hbond_covalent_link_neighbours_are_not_hbonds),
        cmocka_unit_test(hbond_covalent_rule_stops_at_3_bonds),
    };
    RUN_TESTS(tests, argc, argv);
}
