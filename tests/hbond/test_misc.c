/* Hydrogen placement, the metal rule, typing (Sybyl types and SDF-like bond
 * orders), configuration slops, pairs passing in both directions and the
 * finder's order, on hand-built geometries. */
#include "builder.h"

#include <math.h>
#include <string.h>

static void assert_vec_near(tb_vec a, tb_vec b, float tol)
{
    if (tb_len(tb_sub(a, b)) > tol)
        fail_msg("(%.3f %.3f %.3f) != (%.3f %.3f %.3f)", (double)a.x, (double)a.y, (double)a.z, (double)b.x,
                 (double)b.y, (double)b.z);
}

static tb_vec hpos(const misi_hb_eval *ev)
{
    return tb_v(ev->h_xyz[0], ev->h_xyz[1], ev->h_xyz[2]);
}

/* ---- hydrogen placement ---- */

/* Backbone N with unequal C-N-CA geometry: the placed H is 0.91 A from N, in
 * the plane, at equal angles to CA and C(i-1), on the outer side. */
static void hbond_backbone_h_on_outer_bisector_at_0_91(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *p = &t.cx.pocket;
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
    tb_vec n = tb_v(-2.9f, 0, 0);
    uint32_t pca = tb_atom(p, "CA", "GLY", 9, "C", "", tb_v(-5.5f, -2.0f, 0));
    uint32_t pc = tb_atom(p, "C", "GLY", 9, "C", "", tb_along(n, tb_xy(-110), 1.33f));
    uint32_t nn = tb_atom(p, "N", "GLY", 10, "N", "", n);
    uint32_t ca = tb_atom(p, "CA", "GLY", 10, "C", "", tb_along(n, tb_xy(135), 1.46f));
    tb_bond(p, pca, pc, 1);
    tb_bond(p, pc, nn, 1);
    tb_bond(p, nn, ca, 1);
    misi_hb_eval ev;
    tb_eval(&t, false, nn, a, &ev);
    assert_hb_pass(&ev);
    assert_int_equal(ev.hydrogen, -1);
    tb_vec h = hpos(&ev);
    assert_float_equal(tb_len(tb_sub(h, n)), 0.91f, 1e-3);
    assert_float_equal(h.z, 0.0f, 1e-4);
    float a1 = tb_angle(tb_pos(p, ca), n, h), a2 = tb_angle(tb_pos(p, pc), n, h);
    assert_float_equal(a1, a2, 0.05);
    assert_true(a1 > 90.0f);
    /* outer bisector of 135 and 250 degrees: 12.5 degrees */
    assert_vec_near(h, tb_along(n, tb_xy(12.5f), 0.91f), 2e-3);
    assert_float_equal(tb_find_test(&ev, "H..A")->value, tb_len(h), 2e-3);
    tb_free(&t);
}

/* Without C(i-1) the backbone H is not fixed: none is placed and the
 * heavy-atom fallback D...A <= H...A + 0.91 decides. */
static void hbond_backbone_n_without_previous_c_gets_no_h(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *p = &t.cx.pocket;
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
    uint32_t nn = tb_atom(p, "N", "GLY", 10, "N", "", tb_v(-3.0f, 0, 0));
    uint32_t ca = tb_atom(p, "CA", "GLY", 10, "C", "", tb_v(-4.0f, 1.0f, 0));
    tb_bond(p, nn, ca, 1);
    misi_hb_eval ev;
    tb_eval(&t, false, nn, a, &ev);
    assert_int_equal(ev.hydrogen, -2);
    assert_null(tb_find_test(&ev, "H..A"));
    assert_non_null(tb_find_test(&ev, "D..A(no H)"));
    tb_free(&t);
}

/* Amide NH2: two H in the plane of CB-CG-ND2 at 120 degrees either side of
 * the N-CG bond. Built twice, once with each H pointing at the acceptor. */
static void hbond_amide_nh2_two_in_plane_h_at_120(void **s)
{
    (void)s;
    for (int side = 0; side < 2; side++) {
        tb_complex t;
        tb_init(&t);
        uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
        tb_vec d = tb_v(-2.9f, 0, 0);
        /* side 0: the builder's H along +x; side 1: rotate the group by 120
         * degrees so that its other H points along +x */
        uint32_t nd2 = tb_asn(&t.cx.pocket, 10, d, side ? tb_xy(120) : tb_xy(0), tb_v(0, 0, 1));
        uint32_t cg = nd2 - 2;
        assert_string_equal(t.cx.pocket.top.atoms[cg].name, "CG");
        misi_hb_eval ev;
        tb_eval(&t, false, nd2, a, &ev);
        assert_hb_pass(&ev);
        assert_int_equal(ev.hydrogen, -1);
        tb_vec h = hpos(&ev);
        assert_vec_near(h, tb_v(-1.99f, 0, 0), 2e-3);
        assert_float_equal(tb_angle(tb_pos(&t.cx.pocket, cg), d, h), 120.0f, 0.05);
        /* CG on opposite sides of the N-H line in the two builds */
        float y = tb_pos(&t.cx.pocket, cg).y;
        assert_true(side ? y < 0 : y > 0);
        assert_float_equal(tb_find_test(&ev, "theta(donor)")->value, 180.0f, 0.1);
        tb_free(&t);
    }
}

/* An explicit H is used as given, even off the bisector and at 1.01 A. */
static void hbond_explicit_h_used_when_present(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *p = &t.cx.pocket;
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
    tb_vec n = tb_v(-2.9f, 0, 0);
    uint32_t nn = tb_backbone_nh(p, 10, n, tb_v(1, 0, 0), tb_v(0, 0, 1));
    tb_vec hp = tb_along(n, tb_xy(10), 1.01f);
    uint32_t h = tb_atom(p, "H", "ALA", 10, "H", "", hp);
    tb_bond(p, nn, h, 1);
    misi_hb_eval ev;
    tb_eval(&t, false, nn, a, &ev);
    assert_hb_pass(&ev);
    assert_int_equal(ev.hydrogen, (int)h);
    assert_vec_near(hpos(&ev), hp, 1e-5f);
    assert_float_equal(tb_find_test(&ev, "H..A")->value, tb_len(hp), 1e-3);
    tb_free(&t);
}

/* Rotatable OH: an explicit HG is ignored by default (no theta), used with
 * rotatable_h. */
static void hbond_rotatable_oh_h_used_only_when_asked(void **s)
{
    (void)s;
    for (int use = 0; use < 2; use++) {
        tb_complex t;
        tb_init(&t);
        t.cfg.rotatable_h = use;
        uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_CARBONYL);
        tb_vec d = tb_v(-2.8f, 0, 0);
        uint32_t og = tb_ser(&t.cx.pocket, 10, d, tb_xy(110));
        uint32_t hg = tb_atom(&t.cx.pocket, "HG", "SER", 10, "H", "", tb_along(d, tb_xy(0), 0.96f));
        tb_bond(&t.cx.pocket, og, hg, 1);
        misi_hb_eval ev;
        tb_eval(&t, false, og, a, &ev);
        assert_hb_pass(&ev);
        if (use) {
            assert_int_equal(ev.hydrogen, (int)hg);
            assert_non_null(tb_find_test(&ev, "theta(acceptor)"));
        } else {
            assert_int_equal(ev.hydrogen, -2);
            assert_null(tb_find_test(&ev, "theta(acceptor)"));
        }
        tb_free(&t);
    }
}

/* ---- metal rule ---- */

/* Cys SG at (-3,0,0) -> ligand amide O at the origin; Zn at dist from the
 * acceptor making D-A-Zn = angle. */
static bool metal_case(float dist, float angle, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_CARBONYL);
    uint32_t sg = tb_cys(&t.cx.pocket, 10, tb_v(-3.0f, 0, 0), tb_v(-1, 0, 0));
    tb_atom(&t.cx.pocket, "ZN", "ZN", 300, "Zn", "", tb_scale(tb_xy(180.0f - angle), dist));
    bool ok = tb_eval(&t, false, sg, a, ev);
    tb_free(&t);
    return ok;
}

static void hbond_metal_at_acceptor_below_45_rejects(void **s)
{
    (void)s;
    misi_hb_eval ev;
    metal_case(2.2f, 46, &ev);
    assert_hb_pass(&ev);
    assert_non_null(tb_find_test(&ev, "D-A-metal"));
    metal_case(2.2f, 44, &ev);
    assert_hb_fail(&ev, "D-A-metal");
}

static void hbond_metal_beyond_4_a_is_ignored(void **s)
{
    (void)s;
    misi_hb_eval ev;
    metal_case(4.02f, 10, &ev);
    assert_hb_pass(&ev);
    assert_null(tb_find_test(&ev, "D-A-metal"));
    metal_case(3.98f, 10, &ev);
    assert_hb_fail(&ev, "D-A-metal");
}

/* Backbone NH with a Zn behind it (far from the acceptor). */
static bool metal_donor_case(float dist, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
    tb_vec n = tb_v(-2.9f, 0, 0);
    uint32_t nn = tb_backbone_nh(&t.cx.pocket, 10, n, tb_v(1, 0, 0), tb_v(0, 0, 1));
    tb_atom(&t.cx.pocket, "ZN", "ZN", 300, "Zn", "", tb_add(n, tb_v(-dist, 0, 0)));
    bool ok = tb_eval(&t, false, nn, a, ev);
    tb_free(&t);
    return ok;
}

static void hbond_planar_n_within_4_a_of_metal_does_not_donate(void **s)
{
    (void)s;
    misi_hb_eval ev;
    metal_donor_case(4.02f, &ev);
    assert_hb_pass(&ev);
    metal_donor_case(3.98f, &ev);
    assert_hb_fail(&ev, "donor-metal");
}

/* ---- typing ---- */

static uint32_t lig(misi_mol *m, const char *name, const char *el, const char *syb, tb_vec p)
{
    return tb_atom(m, name, "LIG", 1, el, syb, p);
}

/* Atom 0 is a centre with `n` substituents of type sub (C.3 etc.). */
static misi_hb_atom_type type_centre(const char *el, const char *syb, int n, const char *sub_el,
                                     const char *sub_syb, int8_t charge)
{
    tb_complex t;
    tb_init(&t);
    misi_mol *m = &t.cx.ligand;
    uint32_t c = lig(m, "X1", el, syb, tb_v(0, 0, 0));
    m->top.atoms[c].charge = charge;
    for (int k = 0; k < n; k++) {
        uint32_t q = lig(m, "C", sub_el, sub_syb, tb_scale(tb_xy(120.0f * (float)k), 1.5f));
        tb_bond(m, c, q, 1);
    }
    misi_hb_atom_type ty = tb_type(&t, true, c);
    tb_free(&t);
    return ty;
}

static void hbond_typing_n4_is_charged_amine_donor_only(void **s)
{
    (void)s;
    misi_hb_atom_type ty = type_centre("N", "N.4", 1, "C", "C.3", 1);
    assert_int_equal(ty.don, MISI_DON_NH3);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    assert_int_equal(ty.nh, 3);
    ty = type_centre("N", "N.4", 2, "C", "C.3", 1);
    assert_int_equal(ty.don, MISI_DON_R2NH2);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    ty = type_centre("N", "N.4", 3, "C", "C.3", 1);
    assert_int_equal(ty.don, MISI_DON_R3NH);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
}

static void hbond_typing_n3_on_sp3_carbons_is_donor_only(void **s)
{
    (void)s;
    misi_hb_atom_type ty = type_centre("N", "N.3", 3, "C", "C.3", 0);
    assert_int_equal(ty.don, MISI_DON_R3NH);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    ty = type_centre("N", "N.3", 1, "C", "C.3", 0);
    assert_int_equal(ty.don, MISI_DON_NH3);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    /* on an aromatic carbon (aniline): planar NH2, still never an acceptor */
    ty = type_centre("N", "N.3", 1, "C", "C.ar", 0);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    assert_int_equal(ty.don, MISI_DON_AMIDE_NH2);
}

/* 5-ring N.ar: with an explicit H a donor, without one an acceptor. */
static void hbond_typing_n_ar_with_h_donates_without_h_accepts(void **s)
{
    (void)s;
    static const char *const names[] = {"N1", "C2", "C3", "C4", "C5"};
    static const char *const els[] = {"N", "C", "C", "C", "C"};
    static const char *const syb[] = {"N.ar", "C.ar", "C.ar", "C.ar", "C.ar"};
    for (int withh = 0; withh < 2; withh++) {
        tb_complex t;
        tb_init(&t);
        uint32_t idx[5];
        tb_ring(&t.cx.ligand, 5, names, els, syb, "LIG", 1, tb_v(0, 0, 0), tb_v(1, 0, 0), tb_v(0, 0, 1),
                1.38f, MISI_BOND_AROMATIC, idx);
        if (withh) {
            uint32_t h = lig(&t.cx.ligand, "H1", "H", "H", tb_v(-1.0f, 0, 0));
            tb_bond(&t.cx.ligand, idx[0], h, 1);
        }
        misi_hb_atom_type ty = tb_type(&t, true, idx[0]);
        if (withh) {
            assert_int_equal(ty.don, MISI_DON_RING5_NH);
            assert_int_equal(ty.acc, MISI_ACC_NONE);
        } else {
            assert_int_equal(ty.don, MISI_DON_NONE);
            assert_int_equal(ty.acc, MISI_ACC_RING5_N_SYM);
        }
        tb_free(&t);
    }
}

static misi_acc_class acc_of_fragment(misi_acc_class kind)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, kind);
    misi_hb_atom_type ty = tb_type(&t, true, a);
    tb_free(&t);
    return (misi_acc_class)ty.acc;
}

static void hbond_typing_o_co2_on_c_p_s(void **s)
{
    (void)s;
    assert_int_equal(acc_of_fragment(MISI_ACC_CARBOXYLATE), MISI_ACC_CARBOXYLATE);
    assert_int_equal(acc_of_fragment(MISI_ACC_PHOSPHATE), MISI_ACC_PHOSPHATE);
    /* O.co2 on S (sulfonate) */
    misi_hb_atom_type ty = type_centre("O", "O.co2", 1, "S", "S.O2", 0);
    assert_int_equal(ty.acc, MISI_ACC_SULFONYL);
    assert_int_equal(ty.don, MISI_DON_NONE);
}

static void hbond_typing_o2_on_s_is_sulfonyl(void **s)
{
    (void)s;
    assert_int_equal(acc_of_fragment(MISI_ACC_SULFONYL), MISI_ACC_SULFONYL);
    misi_hb_atom_type ty = type_centre("O", "O.2", 1, "S", "S.O2", 0);
    assert_int_equal(ty.acc, MISI_ACC_SULFONYL);
}

static void hbond_typing_o3_by_neighbour_count(void **s)
{
    (void)s;
    misi_hb_atom_type ty = type_centre("O", "O.3", 1, "C", "C.3", 0);
    assert_int_equal(ty.acc, MISI_ACC_HYDROXYL);
    assert_int_equal(ty.don, MISI_DON_HYDROXYL);
    assert_int_equal(ty.nh, 1);
    ty = type_centre("O", "O.3", 2, "C", "C.3", 0);
    assert_int_equal(ty.acc, MISI_ACC_ETHER);
    assert_int_equal(ty.don, MISI_DON_NONE);
    ty = type_centre("O", "O.3", 0, "C", "C.3", 0);
    assert_int_equal(ty.acc, MISI_ACC_WATER);
    assert_int_equal(ty.don, MISI_DON_WATER);
}

static void hbond_typing_phenol_vs_hydroxyl(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_PHENOL);
    misi_hb_atom_type ty = tb_type(&t, true, a);
    assert_int_equal(ty.acc, MISI_ACC_PHENOL);
    assert_int_equal(ty.don, MISI_DON_PHENOL);
    tb_free(&t);
    ty = type_centre("O", "O.3", 1, "C", "C.3", 0);
    assert_int_equal(ty.acc, MISI_ACC_HYDROXYL);
    assert_int_equal(ty.don, MISI_DON_HYDROXYL);
}

/* Pocket templates (heavy atoms, by name): backbone N donates except at
 * Pro; O is a carbonyl, a carboxylate in a residue with OXT; Met SD is
 * neither; His ring N both; a disulfide S does not donate. */
static void hbond_typing_pocket_templates(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *p = &t.cx.pocket;
    float x = 0;
#define AT(n, r, q, e) tb_atom(p, n, r, q, e, "", tb_v(x += 1.5f, 0, 0))
    uint32_t ala_n = AT("N", "ALA", 1, "N");
    uint32_t ala_ca = AT("CA", "ALA", 1, "C");
    uint32_t ala_o = AT("O", "ALA", 1, "O");
    uint32_t pro_n = AT("N", "PRO", 2, "N");
    uint32_t met_sd = AT("SD", "MET", 3, "S");
    uint32_t his_nd1 = AT("ND1", "HIS", 4, "N");
    uint32_t his_ne2 = AT("NE2", "HID", 4, "N");
    uint32_t cb1 = AT("CB", "CYS", 5, "C");
    uint32_t sg1 = AT("SG", "CYS", 5, "S");
    uint32_t sg2 = AT("SG", "CYS", 6, "S");
    uint32_t cb2 = AT("CB", "CYS", 6, "C");
    uint32_t sg3 = AT("SG", "CYS", 7, "S");
    uint32_t cb3 = AT("CB", "CYS", 7, "C");
    uint32_t gly_o = AT("O", "GLY", 8, "O");
    uint32_t gly_oxt = AT("OXT", "GLY", 8, "O");
    uint32_t hoh = AT("O", "HOH", 9, "O");
#undef AT
    tb_bond(p, ala_n, ala_ca, 1);
    tb_bond(p, cb1, sg1, 1);
    tb_bond(p, sg1, sg2, 1);
    tb_bond(p, sg2, cb2, 1);
    tb_bond(p, sg3, cb3, 1);
    tb_ready(&t);
    misi_hb_atom_type ty;
    ty = tb_type(&t, false, ala_n);
    assert_int_equal(ty.don, MISI_DON_NH);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    assert_int_equal(tb_type(&t, false, ala_o).acc, MISI_ACC_CARBONYL);
    ty = tb_type(&t, false, pro_n);
    assert_int_equal(ty.don, MISI_DON_NONE);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    ty = tb_type(&t, false, met_sd);
    assert_int_equal(ty.don, MISI_DON_NONE);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    ty = tb_type(&t, false, his_nd1);
    assert_int_equal(ty.don, MISI_DON_RING5_NH);
    assert_int_equal(ty.acc, MISI_ACC_RING5_N_SYM);
    ty = tb_type(&t, false, his_ne2);
    assert_int_equal(ty.don, MISI_DON_RING5_NH);
    assert_int_equal(ty.acc, MISI_ACC_RING5_N_SYM);
    assert_int_equal(tb_type(&t, false, sg1).don, MISI_DON_NONE);
    assert_int_equal(tb_type(&t, false, sg2).don, MISI_DON_NONE);
    assert_int_equal(tb_type(&t, false, sg3).don, MISI_DON_THIOL);
    assert_int_equal(tb_type(&t, false, sg3).acc, MISI_ACC_NONE);
    assert_int_equal(tb_type(&t, false, gly_o).acc, MISI_ACC_CARBOXYLATE);
    assert_int_equal(tb_type(&t, false, gly_oxt).acc, MISI_ACC_CARBOXYLATE);
    ty = tb_type(&t, false, hoh);
    assert_int_equal(ty.don, MISI_DON_NONE);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    tb_free(&t);
}

/* SDF-like input: no Sybyl types, bond orders and charges only. */
static void hbond_typing_sdf_carboxylate_from_charged_o(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *m = &t.cx.ligand;
    uint32_t c1 = lig(m, "C1", "C", "", tb_v(1.5f, 0, 0));
    uint32_t c2 = lig(m, "C2", "C", "", tb_v(0, 0, 0));
    uint32_t o1 = lig(m, "O1", "O", "", tb_scale(tb_xy(120), 1.25f));
    uint32_t o2 = lig(m, "O2", "O", "", tb_scale(tb_xy(-120), 1.25f));
    m->top.atoms[o2].charge = -1;
    tb_bond(m, c1, c2, 1);
    tb_bond(m, c2, o1, 2);
    tb_bond(m, c2, o2, 1);
    misi_hb_atom_type t1 = tb_type(&t, true, o1), t2 = tb_type(&t, true, o2);
    assert_int_equal(t2.acc, MISI_ACC_CARBOXYLATE);
    assert_int_equal(t2.don, MISI_DON_NONE);
    /* MOL2 would call both oxygens O.co2: the C=O one is a carboxylate O too */
    assert_int_equal(t1.acc, MISI_ACC_CARBOXYLATE);
    assert_int_equal(t1.don, MISI_DON_NONE);
    tb_free(&t);
}

/* Kekule phenolate (SDF): the O- sits on a ring carbon with a C=C double
 * bond, which is no carboxylate; and a charged O carries no H. */
static void hbond_typing_sdf_kekule_phenolate_is_no_carboxylate(void **s)
{
    (void)s;
    static const char *const names[] = {"C1", "C2", "C3", "C4", "C5", "C6"};
    static const char *const els[] = {"C", "C", "C", "C", "C", "C"};
    tb_complex t;
    tb_init(&t);
    misi_mol *m = &t.cx.ligand;
    uint32_t idx[6];
    tb_ring(m, 6, names, els, NULL, "LIG", 1, tb_v(1.36f, 0, 0), tb_v(1, 0, 0), tb_v(0, 0, 1), 1.39f, 0, idx);
    for (uint32_t k = 0; k < m->top.nbonds; k++)
        m->top.bonds[k].order = (k % 2) ? MISI_BOND_SINGLE : MISI_BOND_DOUBLE;
    uint32_t o = lig(m, "O1", "O", "", tb_v(0, 0, 0));
    m->top.atoms[o].charge = -1;
    tb_bond(m, o, idx[0], 1);
    misi_hb_atom_type ty = tb_type(&t, true, o);
    assert_int_equal(ty.acc, MISI_ACC_PHENOL);
    assert_int_equal(ty.don, MISI_DON_NONE);
    assert_int_equal(ty.nh, 0);
    tb_free(&t);
}

/* Neutral acid: C=O is an acid carbonyl, the OH a hydroxyl donor. */
static void hbond_typing_sdf_neutral_acid_and_ester(void **s)
{
    (void)s;
    for (int ester = 0; ester < 2; ester++) {
        tb_complex t;
        tb_init(&t);
        misi_mol *m = &t.cx.ligand;
        uint32_t c1 = lig(m, "C1", "C", "", tb_v(1.5f, 0, 0));
        uint32_t c2 = lig(m, "C2", "C", "", tb_v(0, 0, 0));
        uint32_t o1 = lig(m, "O1", "O", "", tb_scale(tb_xy(120), 1.23f));
        uint32_t o2 = lig(m, "O2", "O", "", tb_scale(tb_xy(-120), 1.33f));
        tb_bond(m, c1, c2, 1);
        tb_bond(m, c2, o1, 2);
        tb_bond(m, c2, o2, 1);
        if (ester) {
            uint32_t c3 = lig(m, "C3", "C", "", tb_add(tb_pos(m, o2), tb_v(-1.43f, 0, 0)));
            tb_bond(m, o2, c3, 1);
        }
        misi_hb_atom_type t1 = tb_type(&t, true, o1), t2 = tb_type(&t, true, o2);
        assert_int_equal(t1.acc, MISI_ACC_ESTER_CARBONYL);
        assert_int_equal(t2.acc, ester ? MISI_ACC_ETHER : MISI_ACC_HYDROXYL);
        assert_int_equal(t2.don, ester ? MISI_DON_NONE : MISI_DON_HYDROXYL);
        tb_free(&t);
    }
}

static void hbond_typing_sdf_ketone(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *m = &t.cx.ligand;
    uint32_t c = lig(m, "C1", "C", "", tb_v(0, 0, 0));
    uint32_t o = lig(m, "O1", "O", "", tb_v(-1.23f, 0, 0));
    uint32_t a = lig(m, "C2", "C", "", tb_scale(tb_xy(60), 1.5f));
    uint32_t b = lig(m, "C3", "C", "", tb_scale(tb_xy(-60), 1.5f));
    tb_bond(m, c, o, 2);
    tb_bond(m, c, a, 1);
    tb_bond(m, c, b, 1);
    misi_hb_atom_type ty = tb_type(&t, true, o);
    assert_int_equal(ty.acc, MISI_ACC_CARBONYL);
    assert_int_equal(ty.don, MISI_DON_NONE);
    tb_free(&t);
}

static void hbond_typing_sdf_pyridine_aromatic_bonds(void **s)
{
    (void)s;
    static const char *const names[] = {"N1", "C2", "C3", "C4", "C5", "C6"};
    static const char *const els[] = {"N", "C", "C", "C", "C", "C"};
    tb_complex t;
    tb_init(&t);
    uint32_t idx[6];
    tb_ring(&t.cx.ligand, 6, names, els, NULL, "LIG", 1, tb_v(0, 0, 0), tb_v(1, 0, 0), tb_v(0, 0, 1), 1.39f,
            MISI_BOND_AROMATIC, idx);
    misi_hb_atom_type ty = tb_type(&t, true, idx[0]);
    assert_int_equal(ty.acc, MISI_ACC_RING6_N_SYM);
    assert_int_equal(ty.don, MISI_DON_NONE);
    tb_free(&t);
}

/* Pinned choices where HBONDS.md leaves room (see the report / docs):
 * an N.2 in a 7-ring fits none of the 6-ring, 5-ring or non-ring C=N-C rows
 * and is left untyped; an O.2 on N (nitro) is no carbonyl acceptor. */
static void hbond_typing_n2_in_7_ring_and_nitro_o2_left_untyped(void **s)
{
    (void)s;
    static const char *const names[] = {"N1", "C2", "C3", "C4", "C5", "C6", "C7"};
    static const char *const els[] = {"N", "C", "C", "C", "C", "C", "C"};
    static const char *const syb[] = {"N.2", "C.2", "C.3", "C.3", "C.3", "C.3", "C.3"};
    tb_complex t;
    tb_init(&t);
    uint32_t idx[7];
    tb_ring(&t.cx.ligand, 7, names, els, syb, "LIG", 1, tb_v(0, 0, 0), tb_v(1, 0, 0), tb_v(0, 0, 1), 1.45f, 1,
            idx);
    t.cx.ligand.top.bonds[0].order = MISI_BOND_DOUBLE;
    misi_hb_atom_type ty = tb_type(&t, true, idx[0]);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
    assert_int_equal(ty.don, MISI_DON_NONE);
    tb_free(&t);
    ty = type_centre("O", "O.2", 1, "N", "N.pl3", 0);
    assert_int_equal(ty.acc, MISI_ACC_NONE);
}

/* The extra phi >= 120 "for NH" applies to the backbone/amide NH row, not to
 * the 5-ring NH row (His, Trp) or Arg NE: Trp NE1 to a 6-ring ether at
 * phi 110 (the ether's own phi >= 100) passes. */
static void hbond_ring5_nh_gets_no_extra_phi(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_O3_TWO_BOND);
    tb_vec d = tb_scale(tb_xy(110), 2.9f);
    uint32_t ne1 = tb_trp(&t.cx.pocket, 10, d, tb_scale(d, -1.0f), tb_v(0, 0, 1));
    misi_hb_eval ev;
    tb_eval(&t, false, ne1, a, &ev);
    assert_hb_pass(&ev);
    assert_null(tb_find_test(&ev, "phi(donor)"));
    assert_float_equal(tb_find_test(&ev, "phi")->value, 110.0f, 0.05);
    tb_free(&t);
}

/* ---- configuration slops ---- */

static bool slop_case(const misi_hbond_config *cfg, float r, float alpha, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    t.cfg = *cfg;
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_CARBONYL);
    uint32_t sg = tb_cys(&t.cx.pocket, 10, tb_scale(tb_xy(alpha), r), tb_xy(alpha));
    bool ok = tb_eval(&t, false, sg, a, ev);
    tb_free(&t);
    return ok;
}

static void hbond_distance_slop_minus_0_4_tightens(void **s)
{
    (void)s;
    misi_hbond_config cfg = {.distance_slop = -0.4f};
    misi_hb_eval ev;
    slop_case(&cfg, 3.28f, 180, &ev);
    assert_hb_pass(&ev);
    slop_case(&cfg, 3.32f, 180, &ev);
    assert_hb_fail(&ev, "D..A(acceptor)");
    assert_float_equal(tb_find_test(&ev, "D..A(acceptor)")->hi, 3.30f, 1e-4);
    assert_float_equal(tb_find_test(&ev, "D..A(donor)")->hi, 3.65f, 1e-4);
}

static void hbond_angle_slop_minus_20_tightens(void **s)
{
    (void)s;
    misi_hbond_config cfg = {.angle_slop = -20.0f};
    misi_hb_eval ev;
    slop_case(&cfg, 3.0f, 111, &ev);
    assert_hb_pass(&ev);
    slop_case(&cfg, 3.0f, 109, &ev);
    assert_hb_fail(&ev, "phi");
    /* upper bounds come down too: Ser 70-161 becomes 90-141 */
    tb_complex t;
    float ups[] = {140, 142, 91, 89};
    bool want[] = {true, false, true, false};
    for (int k = 0; k < 4; k++) {
        tb_init(&t);
        t.cfg = cfg;
        uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
        uint32_t og = tb_ser(&t.cx.pocket, 10, tb_v(-3.0f, 0, 0), tb_xy(ups[k]));
        tb_eval(&t, false, og, a, &ev);
        if (want[k])
            assert_hb_pass(&ev);
        else
            assert_hb_fail(&ev, "upsilon_D");
        tb_free(&t);
    }
}

/* Positive slop widens upper bounds but caps them at 180. */
static void hbond_angle_slop_upper_bound_capped_at_180(void **s)
{
    (void)s;
    misi_hbond_config cfg = {.angle_slop = 20.0f};
    tb_complex t;
    tb_init(&t);
    t.cfg = cfg;
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
    uint32_t og = tb_ser(&t.cx.pocket, 10, tb_v(-3.0f, 0, 0), tb_xy(179));
    misi_hb_eval ev;
    tb_eval(&t, false, og, a, &ev);
    assert_hb_pass(&ev);
    assert_float_equal(tb_find_test(&ev, "upsilon_D")->hi, 180.0f, 1e-4);
    assert_float_equal(tb_find_test(&ev, "upsilon_D")->lo, 50.0f, 1e-4);
    tb_free(&t);
}

/* ---- both directions, finder order ---- */

/* His ND1 (placed H on the ring bisector) and a ligand hydroxyl O 2.8 A out
 * along it, C-O...N 110: each donates to the other; one record. */
static void hbond_his_nd1_hydroxyl_reported_once_both_donate(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    uint32_t nd1 = tb_his_nd1(&t.cx.pocket, 57, tb_v(0, 0, 0), tb_v(-1, 0, 0), tb_v(0, 0, 1));
    tb_vec o = tb_v(-2.8f, 0, 0);
    uint32_t oh = lig(&t.cx.ligand, "O1", "O", "O.3", o);
    uint32_t c = lig(&t.cx.ligand, "C1", "C", "C.3", tb_along(o, tb_xy(110), 1.43f));
    tb_bond(&t.cx.ligand, oh, c, 1);
    misi_hb_eval e1, e2;
    assert_true(tb_eval(&t, false, nd1, oh, &e1));
    assert_true(tb_eval(&t, true, oh, nd1, &e2));
    misi_hbond_list list;
    misi_error err;
    assert_int_equal(misi_hbonds_find(t.ctx, &list, &err), 0);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].pocket_atom, nd1);
    assert_int_equal(list.items[0].ligand_atom, oh);
    assert_int_equal(list.items[0].donates, MISI_HB_BOTH_DONATE);
    assert_int_equal(list.items[0].eval.don, MISI_DON_RING5_NH);
    assert_float_equal(list.items[0].distance, 2.8f, 1e-4);
    misi_hbond_list_finish(&list);
    tb_free(&t);
}

/* Pocket Asp OD1 (template carboxylate) and a ligand hydroxyl donor at
 * phi = alpha from CG in the carboxylate plane, C-O...OD1 = 120: syn side
 * (towards OD2, y > 0) needs 70, anti 90; the finder reports the ligand as
 * donor. */
static size_t asp_case(float alpha, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    misi_mol *p = &t.cx.pocket;
    tb_vec cg = tb_v(1.25f, 0, 0);
    uint32_t cb = tb_atom(p, "CB", "ASP", 25, "C", "", tb_along(cg, tb_xy(-60), 1.52f));
    uint32_t g = tb_atom(p, "CG", "ASP", 25, "C", "", cg);
    uint32_t od1 = tb_atom(p, "OD1", "ASP", 25, "O", "", tb_v(0, 0, 0));
    uint32_t od2 = tb_atom(p, "OD2", "ASP", 25, "O", "", tb_along(cg, tb_xy(60), 1.25f));
    tb_bond(p, cb, g, 1);
    tb_bond(p, g, od1, 2);
    tb_bond(p, g, od2, 1);
    tb_vec o = tb_scale(tb_xy(alpha), 2.8f);
    uint32_t oh = lig(&t.cx.ligand, "O1", "O", "O.3", o);
    uint32_t c = lig(&t.cx.ligand, "C1", "C", "C.3",
                     tb_along(o, tb_tilt(tb_scale(o, -1.0f), tb_v(0, 0, 1), 120), 1.43f));
    tb_bond(&t.cx.ligand, oh, c, 1);
    tb_eval(&t, true, oh, od1, ev);
    assert_int_equal(ev->acc, MISI_ACC_CARBOXYLATE);
    misi_hbond_list list;
    misi_error err;
    assert_int_equal(misi_hbonds_find(t.ctx, &list, &err), 0);
    size_t n = list.count;
    for (size_t k = 0; k < n; k++) {
        assert_int_equal(list.items[k].donates, MISI_HB_LIGAND_DONATES);
        assert_int_equal(list.items[k].eval.don, MISI_DON_HYDROXYL);
    }
    misi_hbond_list_finish(&list);
    tb_free(&t);
    return n;
}

static void hbond_asp_template_carboxylate_syn_70_anti_90(void **s)
{
    (void)s;
    misi_hb_eval ev;
    asp_case(71, &ev);
    assert_hb_pass(&ev);
    asp_case(69, &ev);
    assert_hb_fail(&ev, "phi(syn)");
    asp_case(-91, &ev);
    assert_hb_pass(&ev);
    asp_case(-89, &ev);
    assert_hb_fail(&ev, "phi");
    assert_int_equal(asp_case(150, &ev), 1);
}

/* Two Cys (residue 20 first in the file, then 10) and two ligand carbonyl
 * O, every pair within reach: ordered by pocket residue in file order, then
 * ligand atom. */
static void hbond_find_orders_by_pocket_residue_then_ligand_atom(void **s)
{
    (void)s;
    tb_complex t;
    tb_init(&t);
    misi_mol *l = &t.cx.ligand;
    uint32_t ox[2];
    for (int k = 1; k >= 0; k--) { /* the ligand's second O (y = 0) first in the file */
        tb_vec o = tb_v(0, 3.0f * (float)k, 0);
        uint32_t c = lig(l, "C", "C", "C.2", tb_add(o, tb_v(1.23f, 0, 0)));
        uint32_t oo = lig(l, "O", "O", "O.2", o);
        uint32_t c2 = lig(l, "CX", "C", "C.3", tb_along(tb_pos(l, c), tb_xy(60), 1.5f));
        uint32_t c3 = lig(l, "CY", "C", "C.3", tb_along(tb_pos(l, c), tb_xy(-60), 1.5f));
        tb_bond(l, c, oo, 2);
        tb_bond(l, c, c2, 1);
        tb_bond(l, c, c3, 1);
        ox[k] = oo;
    }
    uint32_t s20 = tb_cys(&t.cx.pocket, 20, tb_v(-2.5f, 1.5f, 0), tb_v(-1, 0, 0));
    uint32_t s10 = tb_cys(&t.cx.pocket, 10, tb_v(-2.5f, 1.5f, 2.0f), tb_v(-1, 0, 1));
    tb_ready(&t);
    misi_hbond_list list;
    misi_error err;
    assert_int_equal(misi_hbonds_find(t.ctx, &list, &err), 0);
    assert_int_equal(list.count, 4);
    uint32_t want[4][2] = {{s20, ox[1]}, {s20, ox[0]}, {s10, ox[1]}, {s10, ox[0]}};
    assert_true(ox[1] < ox[0]);
    for (int k = 0; k < 4; k++) {
        assert_int_equal(list.items[k].pocket_atom, want[k][0]);
        assert_int_equal(list.items[k].ligand_atom, want[k][1]);
        assert_int_equal(list.items[k].donates, MISI_HB_POCKET_DONATES);
    }
    misi_hbond_list_finish(&list);
    tb_free(&t);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hbond_backbone_h_on_outer_bisector_at_0_91),
        cmocka_unit_test(hbond_backbone_n_without_previous_c_gets_no_h),
        cmocka_unit_test(hbond_amide_nh2_two_in_plane_h_at_120),
        cmocka_unit_test(hbond_explicit_h_used_when_present),
        cmocka_unit_test(hbond_rotatable_oh_h_used_only_when_asked),
        cmocka_unit_test(hbond_metal_at_acceptor_below_45_rejects),
        cmocka_unit_test(hbond_metal_beyond_4_a_is_ignored),
        cmocka_unit_test(hbond_planar_n_within_4_a_of_metal_does_not_donate),
        cmocka_unit_test(hbond_typing_n4_is_charged_amine_donor_only),
        cmocka_unit_test(hbond_typing_n3_on_sp3_carbons_is_donor_only),
        cmocka_unit_test(hbond_typing_n_ar_with_h_donates_without_h_accepts),
        cmocka_unit_test(hbond_typing_o_co2_on_c_p_s),
        cmocka_unit_test(hbond_typing_o2_on_s_is_sulfonyl),
        cmocka_unit_test(hbond_typing_o3_by_neighbour_count),
        cmocka_unit_test(hbond_typing_phenol_vs_hydroxyl),
        cmocka_unit_test(hbond_typing_pocket_templates),
        cmocka_unit_test(hbond_typing_sdf_carboxylate_from_charged_o),
        cmocka_unit_test(hbond_typing_sdf_kekule_phenolate_is_no_carboxylate),
        cmocka_unit_test(hbond_typing_sdf_neutral_acid_and_ester),
        cmocka_unit_test(hbond_typing_sdf_ketone),
        cmocka_unit_test(hbond_typing_sdf_pyridine_aromatic_bonds),
        cmocka_unit_test(hbond_typing_n2_in_7_ring_and_nitro_o2_left_untyped),
        cmocka_unit_test(hbond_ring5_nh_gets_no_extra_phi),
        cmocka_unit_test(hbond_distance_slop_minus_0_4_tightens),
        cmocka_unit_test(hbond_angle_slop_minus_20_tightens),
        cmocka_unit_test(hbond_angle_slop_upper_bound_capped_at_180),
        cmocka_unit_test(hbond_his_nd1_hydroxyl_reported_once_both_donate),
        cmocka_unit_test(hbond_asp_template_carboxylate_syn_70_anti_90),
        cmocka_unit_test(hbond_find_orders_by_pocket_residue_then_ligand_atom),
    };
    RUN_TESTS(tests, argc, argv);
}
