/* Donor criteria of HBONDS.md on hand-built geometries: the distance (or
 * H...A) cutoff of each donor class in each column that has an acceptor,
 * the donor angles, and the extra phi conditions. Acceptors: a ligand sulfonyl
 * O for the sp2-O column (3.93, only X-O...D >= 70, no theta) and a ligand
 * non-ring ether O for the sp3-O / planar-N column (3.82, phi >= 120, theta >=
 * 120), both at the origin with the donor on -x. No acceptor class uses the
 * sp3-N column (HBONDS.md makes every sp3 N a charged amine, never an
 * acceptor), so that column is untested. */
#include "builder.h"

#include <math.h>
#include <string.h>

typedef uint32_t (*rot_donor_fn)(misi_mol *m, int resseq, tb_vec d, tb_vec xdir);
typedef uint32_t (*planar_donor_fn)(misi_mol *m, int resseq, tb_vec d, tb_vec hdir, tb_vec pn);

/* Rotatable pocket donor at (-r, 0, 0) with X-D...A = ups. */
static bool rot_case(rot_donor_fn fn, misi_acc_class acc, float r, float ups, const misi_hbond_config *cfg,
                     misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    if (cfg)
        t.cfg = *cfg;
    uint32_t a = tb_acceptor(&t.cx.ligand, acc);
    uint32_t d = fn(&t.cx.pocket, 10, tb_v(-r, 0, 0), tb_xy(ups));
    bool ok = tb_eval(&t, false, d, a, ev);
    assert_int_equal(ev->acc, acc);
    tb_free(&t);
    return ok;
}

/* Planar pocket donor whose placed H points from D = (-r, 0, 0) at the
 * acceptor (theta 180, H...A = r - 0.91). */
static bool planar_case(planar_donor_fn fn, misi_acc_class acc, float r, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, acc);
    uint32_t d = fn(&t.cx.pocket, 10, tb_v(-r, 0, 0), tb_v(1, 0, 0), tb_v(0, 0, 1));
    bool ok = tb_eval(&t, false, d, a, ev);
    assert_int_equal(ev->acc, acc);
    assert_int_equal(ev->hydrogen, -1);
    tb_free(&t);
    return ok;
}

static void check_rot_cutoff(rot_donor_fn fn, misi_don_class don, misi_acc_class acc, float cutoff)
{
    misi_hb_eval ev;
    rot_case(fn, acc, cutoff - 0.02f, 120, NULL, &ev);
    assert_int_equal(ev.don, don);
    assert_hb_pass(&ev);
    rot_case(fn, acc, cutoff + 0.02f, 120, NULL, &ev);
    assert_hb_fail(&ev, "D..A(donor)");
    assert_float_equal(tb_find_test(&ev, "D..A(donor)")->hi, cutoff, 1e-4);
    assert_true(tb_find_test(&ev, "D..A(acceptor)")->passed);
}

static void check_planar_da_cutoff(planar_donor_fn fn, misi_don_class don, misi_acc_class acc, float cutoff)
{
    misi_hb_eval ev;
    planar_case(fn, acc, cutoff - 0.02f, &ev);
    assert_int_equal(ev.don, don);
    assert_hb_pass(&ev);
    planar_case(fn, acc, cutoff + 0.02f, &ev);
    assert_hb_fail(&ev, "D..A(donor)");
    assert_float_equal(tb_find_test(&ev, "D..A(donor)")->hi, cutoff, 1e-4);
}

static void check_planar_ha_cutoff(planar_donor_fn fn, misi_don_class don, misi_acc_class acc, float cutoff)
{
    misi_hb_eval ev;
    planar_case(fn, acc, cutoff - 0.02f + 0.91f, &ev);
    assert_int_equal(ev.don, don);
    assert_hb_pass(&ev);
    assert_float_equal(tb_find_test(&ev, "H..A")->value, cutoff - 0.02f, 2e-3);
    planar_case(fn, acc, cutoff + 0.02f + 0.91f, &ev);
    assert_hb_fail(&ev, "H..A");
    assert_float_equal(tb_find_test(&ev, "H..A")->hi, cutoff, 1e-4);
}

/* ---- D...A cutoffs, rotatable donors ---- */

static void hbond_ser_donor_sp2o_cutoff_3_57(void **s)
{
    (void)s;
    check_rot_cutoff(tb_ser, MISI_DON_HYDROXYL, MISI_ACC_SULFONYL, 3.57f);
}
static void hbond_ser_donor_sp3o_cutoff_3_43(void **s)
{
    (void)s;
    check_rot_cutoff(tb_ser, MISI_DON_HYDROXYL, MISI_ACC_ETHER, 3.43f);
}
static void hbond_tyr_donor_sp2o_cutoff_3_43(void **s)
{
    (void)s;
    check_rot_cutoff(tb_tyr, MISI_DON_PHENOL, MISI_ACC_SULFONYL, 3.43f);
}
static void hbond_tyr_donor_sp3o_cutoff_3_43(void **s)
{
    (void)s;
    check_rot_cutoff(tb_tyr, MISI_DON_PHENOL, MISI_ACC_ETHER, 3.43f);
}
static void hbond_lys_donor_sp2o_cutoff_3_57(void **s)
{
    (void)s;
    check_rot_cutoff(tb_lys, MISI_DON_NH3, MISI_ACC_SULFONYL, 3.57f);
}
static void hbond_lys_donor_sp3o_cutoff_3_57(void **s)
{
    (void)s;
    check_rot_cutoff(tb_lys, MISI_DON_NH3, MISI_ACC_ETHER, 3.57f);
}

/* Cys SG: 4.05 needs an acceptor that allows more: only thiocarbonyl (4.13). */
static void hbond_cys_donor_cutoff_4_05(void **s)
{
    (void)s;
    check_rot_cutoff(tb_cys, MISI_DON_THIOL, MISI_ACC_THIOCARBONYL, 4.05f);
}

/* ---- planar donors with placed H ---- */

static void hbond_asn_nd2_donor_sp2o_cutoff_3_70(void **s)
{
    (void)s;
    check_planar_da_cutoff(tb_asn, MISI_DON_AMIDE_NH2, MISI_ACC_SULFONYL, 3.70f);
}
static void hbond_asn_nd2_donor_sp3o_cutoff_3_70(void **s)
{
    (void)s;
    check_planar_da_cutoff(tb_asn, MISI_DON_AMIDE_NH2, MISI_ACC_ETHER, 3.70f);
}
static void hbond_arg_nh1_donor_sp2o_cutoff_3_57(void **s)
{
    (void)s;
    check_planar_da_cutoff(tb_arg_nh1, MISI_DON_NG_NH2, MISI_ACC_SULFONYL, 3.57f);
}
static void hbond_arg_nh1_donor_sp3o_cutoff_3_57(void **s)
{
    (void)s;
    check_planar_da_cutoff(tb_arg_nh1, MISI_DON_NG_NH2, MISI_ACC_ETHER, 3.57f);
}
static void hbond_backbone_nh_sp2o_h_a_2_63(void **s)
{
    (void)s;
    check_planar_ha_cutoff(tb_backbone_nh, MISI_DON_NH, MISI_ACC_SULFONYL, 2.63f);
}
static void hbond_backbone_nh_sp3o_h_a_2_63(void **s)
{
    (void)s;
    check_planar_ha_cutoff(tb_backbone_nh, MISI_DON_NH, MISI_ACC_ETHER, 2.63f);
}
static void hbond_trp_ne1_sp2o_h_a_2_49(void **s)
{
    (void)s;
    check_planar_ha_cutoff(tb_trp, MISI_DON_RING5_NH, MISI_ACC_SULFONYL, 2.49f);
}
static void hbond_trp_ne1_sp3o_h_a_2_49(void **s)
{
    (void)s;
    check_planar_ha_cutoff(tb_trp, MISI_DON_RING5_NH, MISI_ACC_ETHER, 2.49f);
}
static void hbond_arg_ne_sp2o_h_a_2_76(void **s)
{
    (void)s;
    check_planar_ha_cutoff(tb_arg_ne, MISI_DON_ARG_NE, MISI_ACC_SULFONYL, 2.76f);
}
static void hbond_arg_ne_sp3o_h_a_2_88(void **s)
{
    (void)s;
    check_planar_ha_cutoff(tb_arg_ne, MISI_DON_ARG_NE, MISI_ACC_ETHER, 2.88f);
}

/* ---- ligand charged amines donating to pocket acceptors ---- */

typedef uint32_t (*amine_fn)(misi_mol *m, tb_vec n, tb_vec hdir);

/* Ligand amine at (-r, 0, 0), H towards the origin; pocket acceptor at the
 * origin: backbone O (sp2-O) or His ND1 (5-ring N, planar-N column). */
static bool amine_case(amine_fn fn, bool his, float r, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = his ? tb_his_nd1(&t.cx.pocket, 57, tb_v(0, 0, 0), tb_v(-1, 0, 0), tb_v(0, 0, 1))
                     : tb_backbone_o(&t.cx.pocket, tb_v(0, 0, 0));
    uint32_t d = fn(&t.cx.ligand, tb_v(-r, 0, 0), tb_v(1, 0, 0));
    bool ok = tb_eval(&t, true, d, a, ev);
    assert_int_equal(ev->acc, his ? MISI_ACC_RING5_N_SYM : MISI_ACC_CARBONYL);
    assert_int_equal(ev->hydrogen, -1);
    tb_free(&t);
    return ok;
}

static void check_amine(amine_fn fn, misi_don_class don, bool his, float cutoff)
{
    misi_hb_eval ev;
    amine_case(fn, his, cutoff - 0.02f + 0.91f, &ev);
    assert_int_equal(ev.don, don);
    assert_hb_pass(&ev);
    assert_float_equal(tb_find_test(&ev, "H..A")->value, cutoff - 0.02f, 2e-3);
    amine_case(fn, his, cutoff + 0.02f + 0.91f, &ev);
    assert_hb_fail(&ev, "H..A");
    assert_float_equal(tb_find_test(&ev, "H..A")->hi, cutoff, 1e-4);
}

static void hbond_r3nh_to_carbonyl_h_a_2_32(void **s)
{
    (void)s;
    check_amine(tb_r3nh, MISI_DON_R3NH, false, 2.32f);
}
static void hbond_r3nh_to_his_n_h_a_2_49(void **s)
{
    (void)s;
    check_amine(tb_r3nh, MISI_DON_R3NH, true, 2.49f);
}
static void hbond_r2nh2_to_carbonyl_h_a_2_49(void **s)
{
    (void)s;
    check_amine(tb_r2nh2, MISI_DON_R2NH2, false, 2.49f);
}
static void hbond_r2nh2_to_his_n_h_a_2_49(void **s)
{
    (void)s;
    check_amine(tb_r2nh2, MISI_DON_R2NH2, true, 2.49f);
}

/* ---- donor angles ---- */

static void check_ups(rot_donor_fn fn, misi_acc_class acc, float lo, float hi)
{
    misi_hb_eval ev;
    rot_case(fn, acc, 3.0f, lo + 1.0f, NULL, &ev);
    assert_hb_pass(&ev);
    rot_case(fn, acc, 3.0f, lo - 1.0f, NULL, &ev);
    assert_hb_fail(&ev, "upsilon_D");
    rot_case(fn, acc, 3.0f, hi - 1.0f, NULL, &ev);
    assert_hb_pass(&ev);
    rot_case(fn, acc, 3.0f, hi + 1.0f, NULL, &ev);
    assert_hb_fail(&ev, "upsilon_D");
    assert_float_equal(tb_find_test(&ev, "upsilon_D")->lo, lo, 1e-4);
    assert_float_equal(tb_find_test(&ev, "upsilon_D")->hi, hi, 1e-4);
}

static void hbond_ser_upsilon_d_70_161_sp2o(void **s)
{
    (void)s;
    check_ups(tb_ser, MISI_ACC_SULFONYL, 70, 161);
}
static void hbond_ser_upsilon_d_70_161_sp3o(void **s)
{
    (void)s;
    check_ups(tb_ser, MISI_ACC_ETHER, 70, 161);
}
static void hbond_tyr_upsilon_d_83_156(void **s)
{
    (void)s;
    check_ups(tb_tyr, MISI_ACC_SULFONYL, 83, 156);
}
static void hbond_lys_upsilon_d_70_156_sp2o(void **s)
{
    (void)s;
    check_ups(tb_lys, MISI_ACC_SULFONYL, 70, 156);
}
static void hbond_lys_upsilon_d_70_152_sp3o(void **s)
{
    (void)s;
    check_ups(tb_lys, MISI_ACC_ETHER, 70, 152);
}

/* Backbone NH theta at the placed H: H 2.0 A from A, D-H...A = theta. */
static bool nh_theta_case(misi_acc_class acc, float theta, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, acc);
    tb_vec h = tb_v(-2.0f, 0, 0);
    tb_vec d = tb_along(h, tb_xy(theta), 0.91f);
    uint32_t n = tb_backbone_nh(&t.cx.pocket, 10, d, tb_sub(h, d), tb_v(0, 0, 1));
    bool ok = tb_eval(&t, false, n, a, ev);
    assert_float_equal(tb_find_test(ev, "theta(donor)")->value, theta, 0.05);
    tb_free(&t);
    return ok;
}

static void hbond_backbone_nh_theta_126(void **s)
{
    (void)s;
    misi_hb_eval ev;
    nh_theta_case(MISI_ACC_SULFONYL, 127, &ev);
    assert_hb_pass(&ev);
    nh_theta_case(MISI_ACC_SULFONYL, 125, &ev);
    assert_hb_fail(&ev, "theta(donor)");
}

/* The acceptor's own theta: 5-ring N (sym) needs 135 at the H. */
static void hbond_ring5_n_sym_theta_135_at_placed_h(void **s)
{
    (void)s;
    misi_hb_eval ev;
    nh_theta_case(MISI_ACC_RING5_N_SYM, 136, &ev);
    assert_hb_pass(&ev);
    nh_theta_case(MISI_ACC_RING5_N_SYM, 134, &ev);
    assert_hb_fail(&ev, "theta(acceptor)");
}

/* Arg NE: every X-N...A >= 70. A at 3 A, turned from the H direction
 * towards CD so that CD-NE...A = angle; theta stays >= 110. */
static bool arg_ne_case(float angle, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
    uint32_t ne = tb_arg_ne(&t.cx.pocket, 10, tb_v(-3.0f, 0, 0), tb_xy(angle - 120.0f), tb_v(0, 0, 1));
    bool ok = tb_eval(&t, false, ne, a, ev);
    tb_free(&t);
    return ok;
}

static void hbond_arg_ne_every_x_n_a_70(void **s)
{
    (void)s;
    misi_hb_eval ev;
    arg_ne_case(71, &ev);
    assert_hb_pass(&ev);
    arg_ne_case(69, &ev);
    assert_hb_fail(&ev, "X-D..A");
    assert_true(tb_find_test(&ev, "theta(donor)")->passed);
}

/* Extra phi: backbone NH to a two-bonded sp3 O (6-ring ether, whose own phi
 * is only >= 100) needs phi >= 120. D at 2.9 A, H pointing at A. */
static bool nh_phi_case(float phi, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_O3_TWO_BOND);
    tb_vec d = tb_scale(tb_xy(phi), 2.9f);
    uint32_t n = tb_backbone_nh(&t.cx.pocket, 10, d, tb_scale(d, -1.0f), tb_v(0, 0, 1));
    bool ok = tb_eval(&t, false, n, a, ev);
    tb_free(&t);
    return ok;
}

static void hbond_nh_to_two_bond_o3_needs_extra_phi_120(void **s)
{
    (void)s;
    misi_hb_eval ev;
    nh_phi_case(121, &ev);
    assert_hb_pass(&ev);
    nh_phi_case(119, &ev);
    assert_hb_fail(&ev, "phi(donor)");
    assert_true(tb_find_test(&ev, "phi")->passed);
}

/* Ligand donors to pocket His ND1 (two-bonded planar N, own phi >= 120) at
 * angle phi in the ring plane, H pointing at ND1: a 6-ring NH (explicit H)
 * needs 130, R2NH2+ needs 135. */
static bool lig_to_his_phi_case(bool r2nh2, float phi, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_his_nd1(&t.cx.pocket, 57, tb_v(0, 0, 0), tb_v(-1, 0, 0), tb_v(0, 0, 1));
    tb_vec d = tb_scale(tb_xy(phi), 2.9f);
    uint32_t n;
    if (r2nh2) {
        n = tb_r2nh2(&t.cx.ligand, d, tb_scale(d, -1.0f));
    } else {
        static const char *const names[] = {"N1", "C2", "C3", "C4", "C5", "C6"};
        static const char *const els[] = {"N", "C", "C", "C", "C", "C"};
        static const char *const syb[] = {"N.ar", "C.ar", "C.ar", "C.ar", "C.ar", "C.ar"};
        uint32_t idx[6];
        tb_ring(&t.cx.ligand, 6, names, els, syb, "LIG", 1, d, d, tb_v(0, 0, 1), 1.39f, MISI_BOND_AROMATIC,
                idx);
        n = idx[0];
        uint32_t h = tb_atom(&t.cx.ligand, "H1", "LIG", 1, "H", "H", tb_along(d, tb_scale(d, -1.0f), 0.91f));
        tb_bond(&t.cx.ligand, n, h, 1);
    }
    bool ok = tb_eval(&t, true, n, a, ev);
    assert_int_equal(ev->don, r2nh2 ? MISI_DON_R2NH2 : MISI_DON_RING6_NH);
    assert_int_equal(ev->acc, MISI_ACC_RING5_N_SYM);
    tb_free(&t);
    return ok;
}

static void hbond_ring6_nh_to_his_needs_extra_phi_130(void **s)
{
    (void)s;
    misi_hb_eval ev;
    lig_to_his_phi_case(false, 131, &ev);
    assert_hb_pass(&ev);
    assert_true(ev.hydrogen >= 0);
    lig_to_his_phi_case(false, 129, &ev);
    assert_hb_fail(&ev, "phi(donor)");
    assert_true(tb_find_test(&ev, "phi")->passed);
}

static void hbond_r2nh2_to_his_needs_extra_phi_135(void **s)
{
    (void)s;
    misi_hb_eval ev;
    lig_to_his_phi_case(true, 136, &ev);
    assert_hb_pass(&ev);
    lig_to_his_phi_case(true, 134, &ev);
    assert_hb_fail(&ev, "phi(donor)");
}

/* ---- boundary tests of the remaining donor angles ----
 * Each limit is probed 1 degree inside and 1 degree outside, with every other
 * criterion of the pair far from its own limit, so a shift of the table entry
 * by a degree or more flips one of the two verdicts. The columns: a ligand
 * sulfonyl O (no theta of its own) for sp2-O, a ligand 6-ring ether O (own
 * theta >= 115, phi >= 100, below every donor theta probed) for sp3-O; for
 * ligand donors a pocket backbone O (own theta >= 110) for sp2-O and a pocket
 * Ser OG (own theta >= 125) for sp3-O. */

/* Planar NH2 (one heavy neighbour X) at D = (-3, 0, 0): X in the xy-plane at
 * X-D...A = ups, and an explicit H on D pointing straight at A (theta 180), so
 * only upsilon_D can fail. Placed H cannot probe these bounds: they sit at
 * 120 degrees from D-X, so X-D...A = 174 leaves every H at >= 54 degrees from
 * D...A and theta below 115 at any D...A within 3.70. */
static bool planar_ups_case(planar_donor_fn fn, misi_acc_class acc, float ups, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, acc);
    tb_vec d = tb_v(-3.0f, 0, 0);
    uint32_t n = fn(&t.cx.pocket, 10, d, tb_xy(ups - 120.0f), tb_v(0, 0, 1));
    char res[8];
    snprintf(res, sizeof res, "%s", t.cx.pocket.top.atoms[n].resname);
    uint32_t h = tb_atom(&t.cx.pocket, "HX", res, 10, "H", "", tb_along(d, tb_v(1, 0, 0), 1.01f));
    tb_bond(&t.cx.pocket, n, h, 1);
    bool ok = tb_eval(&t, false, n, a, ev);
    assert_int_equal(ev->acc, acc);
    assert_int_equal(ev->hydrogen, (int)h);
    assert_float_equal(tb_find_test(ev, "upsilon_D")->value, ups, 0.05);
    assert_float_equal(tb_find_test(ev, "theta(donor)")->value, 180.0, 0.05);
    tb_free(&t);
    return ok;
}

static void check_planar_ups(planar_donor_fn fn, misi_don_class don, misi_acc_class acc, float lo, float hi)
{
    misi_hb_eval ev;
    planar_ups_case(fn, acc, lo + 1.0f, &ev);
    assert_int_equal(ev.don, don);
    assert_hb_pass(&ev);
    planar_ups_case(fn, acc, lo - 1.0f, &ev);
    assert_hb_fail(&ev, "upsilon_D");
    planar_ups_case(fn, acc, hi - 1.0f, &ev);
    assert_hb_pass(&ev);
    planar_ups_case(fn, acc, hi + 1.0f, &ev);
    assert_hb_fail(&ev, "upsilon_D");
    assert_float_equal(tb_find_test(&ev, "upsilon_D")->lo, lo, 1e-4);
    assert_float_equal(tb_find_test(&ev, "upsilon_D")->hi, hi, 1e-4);
}

/* amide NH2: 83-173 (sp2-O) / 89-161 (sp3-O or planar N) */
static void hbond_asn_nd2_upsilon_d_83_173_sp2o(void **s)
{
    (void)s;
    check_planar_ups(tb_asn, MISI_DON_AMIDE_NH2, MISI_ACC_SULFONYL, 83, 173);
}
static void hbond_asn_nd2_upsilon_d_89_161_sp3o(void **s)
{
    (void)s;
    check_planar_ups(tb_asn, MISI_DON_AMIDE_NH2, MISI_ACC_O3_TWO_BOND, 89, 161);
}
/* Ng+ NH2: 70-166 in both columns */
static void hbond_arg_nh1_upsilon_d_70_166_sp2o(void **s)
{
    (void)s;
    check_planar_ups(tb_arg_nh1, MISI_DON_NG_NH2, MISI_ACC_SULFONYL, 70, 166);
}
static void hbond_arg_nh1_upsilon_d_70_166_sp3o(void **s)
{
    (void)s;
    check_planar_ups(tb_arg_nh1, MISI_DON_NG_NH2, MISI_ACC_O3_TWO_BOND, 70, 166);
}

/* Planar pocket donor whose (first) placed H lies 2.0 A from A at (-2, 0, 0)
 * with D-H...A = theta, D in the xy-plane. The group's plane holds D-H and z,
 * so its heavy neighbours sit out of the D-H...A plane at X-D...A =
 * acos(-cos(delta) / 2), about 110 degrees (delta: H-D...A): inside every
 * upsilon_D range and above Arg NE's 70. Returns the verdict; asserts the
 * theta measured is the one built, i.e. the best H is the one aimed. */
static bool planar_theta_case(planar_donor_fn fn, misi_acc_class acc, float theta, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, acc);
    tb_vec h = tb_v(-2.0f, 0, 0);
    tb_vec d = tb_along(h, tb_xy(theta), 0.91f);
    tb_vec hdir = tb_sub(h, d);
    tb_vec pn = tb_unit(tb_cross(hdir, tb_v(0, 0, 1)));
    uint32_t n = fn(&t.cx.pocket, 10, d, hdir, pn);
    bool ok = tb_eval(&t, false, n, a, ev);
    assert_int_equal(ev->acc, acc);
    assert_int_equal(ev->hydrogen, -1);
    assert_float_equal(tb_find_test(ev, "theta(donor)")->value, theta, 0.05);
    for (int k = 0; k < ev->ntests; k++) {
        if (!strcmp(ev->tests[k].name, "upsilon_D") || !strcmp(ev->tests[k].name, "X-D..A"))
            assert_true(ev->tests[k].passed);
    }
    tb_free(&t);
    return ok;
}

static void check_planar_theta(planar_donor_fn fn, misi_don_class don, misi_acc_class acc, float min)
{
    misi_hb_eval ev;
    planar_theta_case(fn, acc, min + 1.0f, &ev);
    assert_int_equal(ev.don, don);
    assert_hb_pass(&ev);
    planar_theta_case(fn, acc, min - 1.0f, &ev);
    assert_hb_fail(&ev, "theta(donor)");
    assert_float_equal(tb_find_test(&ev, "theta(donor)")->lo, min, 1e-4);
}

/* amide NH2: theta >= 115 (sp2-O) / 120 (sp3-O or planar N) */
static void hbond_asn_nd2_theta_115_sp2o(void **s)
{
    (void)s;
    check_planar_theta(tb_asn, MISI_DON_AMIDE_NH2, MISI_ACC_SULFONYL, 115);
}
static void hbond_asn_nd2_theta_120_sp3o(void **s)
{
    (void)s;
    check_planar_theta(tb_asn, MISI_DON_AMIDE_NH2, MISI_ACC_O3_TWO_BOND, 120);
}
/* Ng+ NH2: theta >= 120 in both columns */
static void hbond_arg_nh1_theta_120_sp2o(void **s)
{
    (void)s;
    check_planar_theta(tb_arg_nh1, MISI_DON_NG_NH2, MISI_ACC_SULFONYL, 120);
}
static void hbond_arg_nh1_theta_120_sp3o(void **s)
{
    (void)s;
    check_planar_theta(tb_arg_nh1, MISI_DON_NG_NH2, MISI_ACC_O3_TWO_BOND, 120);
}
/* 5-ring NH (Trp NE1): theta >= 126 (sp2-O) / 121 (sp3-O or planar N) */
static void hbond_trp_ne1_theta_126_sp2o(void **s)
{
    (void)s;
    check_planar_theta(tb_trp, MISI_DON_RING5_NH, MISI_ACC_SULFONYL, 126);
}
static void hbond_trp_ne1_theta_121_sp3o(void **s)
{
    (void)s;
    check_planar_theta(tb_trp, MISI_DON_RING5_NH, MISI_ACC_O3_TWO_BOND, 121);
}
/* Arg NE: theta >= 110 in every column. In the sp2-O column (sulfonyl) the
 * bond flips at 110; no sp3-O / planar-N acceptor has a theta below 115, so
 * there the 6-ring ether's own 115 decides between 110 and 115 and the donor
 * limit shows in its own record only. */
static void hbond_arg_ne_theta_110(void **s)
{
    (void)s;
    check_planar_theta(tb_arg_ne, MISI_DON_ARG_NE, MISI_ACC_SULFONYL, 110);
    misi_hb_eval ev;
    planar_theta_case(tb_arg_ne, MISI_ACC_O3_TWO_BOND, 109, &ev);
    assert_hb_fail(&ev, "theta(donor)");
    assert_float_equal(tb_find_test(&ev, "theta(donor)")->lo, 110, 1e-4);
    planar_theta_case(tb_arg_ne, MISI_ACC_O3_TWO_BOND, 111, &ev);
    assert_hb_fail(&ev, "theta(acceptor)");
    assert_true(tb_find_test(&ev, "theta(donor)")->passed);
}

/* Ligand charged amine whose (first) placed tetrahedral H lies 2.0 A from a
 * pocket acceptor at the origin with D-H...A = theta: backbone O (sp2-O, own
 * theta >= 110) or Ser OG (sp3-O, hydroxyl, own theta >= 125, C-O...D >= 80;
 * CB on +x). */
static bool amine_theta_case(amine_fn fn, bool ser, float theta, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = ser ? tb_ser(&t.cx.pocket, 57, tb_v(0, 0, 0), tb_v(1, 0, 0))
                     : tb_backbone_o(&t.cx.pocket, tb_v(0, 0, 0));
    tb_vec h = tb_v(-2.0f, 0, 0);
    tb_vec d = tb_along(h, tb_xy(theta), 0.91f);
    uint32_t n = fn(&t.cx.ligand, d, tb_sub(h, d));
    bool ok = tb_eval(&t, true, n, a, ev);
    assert_int_equal(ev->acc, ser ? MISI_ACC_HYDROXYL : MISI_ACC_CARBONYL);
    assert_int_equal(ev->hydrogen, -1);
    assert_float_equal(tb_find_test(ev, "theta(donor)")->value, theta, 0.05);
    tb_free(&t);
    return ok;
}

static void check_amine_theta(amine_fn fn, misi_don_class don, bool ser, float min)
{
    misi_hb_eval ev;
    amine_theta_case(fn, ser, min + 1.0f, &ev);
    assert_int_equal(ev.don, don);
    assert_hb_pass(&ev);
    amine_theta_case(fn, ser, min - 1.0f, &ev);
    assert_hb_fail(&ev, "theta(donor)");
    assert_float_equal(tb_find_test(&ev, "theta(donor)")->lo, min, 1e-4);
}

/* R3NH+: theta >= 126 (sp2-O) / 126 (sp3-O or planar N) */
static void hbond_r3nh_to_carbonyl_theta_126(void **s)
{
    (void)s;
    check_amine_theta(tb_r3nh, MISI_DON_R3NH, false, 126);
}
static void hbond_r3nh_to_hydroxyl_theta_126(void **s)
{
    (void)s;
    check_amine_theta(tb_r3nh, MISI_DON_R3NH, true, 126);
}
/* R2NH2+: theta >= 121. To Ser OG (sp3-O) the hydroxyl's own 125 decides
 * between 121 and 125, so the donor limit shows in its record only. */
static void hbond_r2nh2_to_carbonyl_theta_121(void **s)
{
    (void)s;
    check_amine_theta(tb_r2nh2, MISI_DON_R2NH2, false, 121);
}
static void hbond_r2nh2_to_hydroxyl_theta_121(void **s)
{
    (void)s;
    misi_hb_eval ev;
    amine_theta_case(tb_r2nh2, true, 120, &ev);
    assert_hb_fail(&ev, "theta(donor)");
    assert_float_equal(tb_find_test(&ev, "theta(donor)")->lo, 121, 1e-4);
    amine_theta_case(tb_r2nh2, true, 122, &ev);
    assert_hb_fail(&ev, "theta(acceptor)");
    assert_true(tb_find_test(&ev, "theta(donor)")->passed);
    amine_theta_case(tb_r2nh2, true, 126, &ev);
    assert_hb_pass(&ev);
}

/* ---- water donor ----
 * Waters are stripped from the input files by residue name, so the finder
 * meets a water donor only as a lone ligand O.3 (no heavy neighbour): no H,
 * no upsilon_D, so its row is D...A plus the extra phi >= 120. Water at
 * r * (cos phi, sin phi, 0) from a pocket acceptor at the origin: backbone O
 * (sp2-O, own cutoff 3.70) or His ND1 (5-ring N, planar-N column, own cutoff
 * 3.70, own phi >= 120, ring on +x). */
static bool water_case(bool his, float r, float phi, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = his ? tb_his_nd1(&t.cx.pocket, 57, tb_v(0, 0, 0), tb_v(-1, 0, 0), tb_v(0, 0, 1))
                     : tb_backbone_o(&t.cx.pocket, tb_v(0, 0, 0));
    uint32_t w = tb_atom(&t.cx.ligand, "O1", "LIG", 1, "O", "O.3", tb_scale(tb_xy(phi), r));
    bool ok = tb_eval(&t, true, w, a, ev);
    assert_int_equal(ev->don, MISI_DON_WATER);
    assert_int_equal(ev->acc, his ? MISI_ACC_RING5_N_SYM : MISI_ACC_CARBONYL);
    assert_null(tb_find_test(ev, "theta(donor)"));
    tb_free(&t);
    return ok;
}

static void check_water_cutoff(bool his, float cutoff)
{
    misi_hb_eval ev;
    water_case(his, cutoff - 0.02f, 180, &ev);
    assert_hb_pass(&ev);
    water_case(his, cutoff + 0.02f, 180, &ev);
    assert_hb_fail(&ev, "D..A(donor)");
    assert_float_equal(tb_find_test(&ev, "D..A(donor)")->hi, cutoff, 1e-4);
}

static void hbond_water_donor_to_carbonyl_cutoff_3_67(void **s)
{
    (void)s;
    check_water_cutoff(false, 3.67f);
}
static void hbond_water_donor_to_his_n_cutoff_3_54(void **s)
{
    (void)s;
    check_water_cutoff(true, 3.54f);
}

/* Extra phi >= 120 for water to a two-bonded planar N. His ND1's own phi is
 * also >= 120 and is tested first, so below 120 the verdict names "phi"; the
 * donor's record must fail too, with the limit 120. */
static void hbond_water_donor_to_his_n_extra_phi_120(void **s)
{
    (void)s;
    misi_hb_eval ev;
    water_case(true, 2.9f, 121, &ev);
    assert_hb_pass(&ev);
    assert_true(tb_find_test(&ev, "phi(donor)")->passed);
    water_case(true, 2.9f, 119, &ev);
    assert_false(ev.passed);
    const misi_hb_test *p = tb_find_test(&ev, "phi(donor)");
    assert_non_null(p);
    assert_false(p->passed);
    assert_float_equal(p->value, 119, 0.05);
    assert_float_equal(p->lo, 120, 1e-4);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hbond_ser_donor_sp2o_cutoff_3_57),
        cmocka_unit_test(hbond_ser_donor_sp3o_cutoff_3_43),
        cmocka_unit_test(hbond_tyr_donor_sp2o_cutoff_3_43),
        cmocka_unit_test(hbond_tyr_donor_sp3o_cutoff_3_43),
        cmocka_unit_test(hbond_lys_donor_sp2o_cutoff_3_57),
        cmocka_unit_test(hbond_lys_donor_sp3o_cutoff_3_57),
        cmocka_unit_test(hbond_cys_donor_cutoff_4_05),
        cmocka_unit_test(hbond_asn_nd2_donor_sp2o_cutoff_3_70),
        cmocka_unit_test(hbond_asn_nd2_donor_sp3o_cutoff_3_70),
        cmocka_unit_test(hbond_arg_nh1_donor_sp2o_cutoff_3_57),
        cmocka_unit_test(hbond_arg_nh1_donor_sp3o_cutoff_3_57),
        cmocka_unit_test(hbond_backbone_nh_sp2o_h_a_2_63),
        cmocka_unit_test(hbond_backbone_nh_sp3o_h_a_2_63),
        cmocka_unit_test(hbond_trp_ne1_sp2o_h_a_2_49),
        cmocka_unit_test(hbond_trp_ne1_sp3o_h_a_2_49),
        cmocka_unit_test(hbond_arg_ne_sp2o_h_a_2_76),
        cmocka_unit_test(hbond_arg_ne_sp3o_h_a_2_88),
        cmocka_unit_test(hbond_r3nh_to_carbonyl_h_a_2_32),
        cmocka_unit_test(hbond_r3nh_to_his_n_h_a_2_49),
        cmocka_unit_test(hbond_r2nh2_to_carbonyl_h_a_2_49),
        cmocka_unit_test(hbond_r2nh2_to_his_n_h_a_2_49),
        cmocka_unit_test(hbond_ser_upsilon_d_70_161_sp2o),
        cmocka_unit_test(hbond_ser_upsilon_d_70_161_sp3o),
        cmocka_unit_test(hbond_tyr_upsilon_d_83_156),
        cmocka_unit_test(hbond_lys_upsilon_d_70_156_sp2o),
        cmocka_unit_test(hbond_lys_upsilon_d_70_152_sp3o),
        cmocka_unit_test(hbond_backbone_nh_theta_126),
        cmocka_unit_test(hbond_ring5_n_sym_theta_135_at_placed_h),
        cmocka_unit_test(hbond_arg_ne_every_x_n_a_70),
        cmocka_unit_test(hbond_nh_to_two_bond_o3_needs_extra_phi_120),
        cmocka_unit_test(hbond_ring6_nh_to_his_needs_extra_phi_130),
        cmocka_unit_test(hbond_r2nh2_to_his_needs_extra_phi_135),
        cmocka_unit_test(hbond_asn_nd2_upsilon_d_83_173_sp2o),
        cmocka_unit_test(hbond_asn_nd2_upsilon_d_89_161_sp3o),
        cmocka_unit_test(hbond_arg_nh1_upsilon_d_70_166_sp2o),
        cmocka_unit_test(hbond_arg_nh1_upsilon_d_70_166_sp3o),
        cmocka_unit_test(hbond_asn_nd2_theta_115_sp2o),
        cmocka_unit_test(hbond_asn_nd2_theta_120_sp3o),
        cmocka_unit_test(hbond_arg_nh1_theta_120_sp2o),
        cmocka_unit_test(hbond_arg_nh1_theta_120_sp3o),
        cmocka_unit_test(hbond_trp_ne1_theta_126_sp2o),
        cmocka_unit_test(hbond_trp_ne1_theta_121_sp3o),
        cmocka_unit_test(hbond_arg_ne_theta_110),
        cmocka_unit_test(hbond_r3nh_to_carbonyl_theta_126),
        cmocka_unit_test(hbond_r3nh_to_hydroxyl_theta_126),
        cmocka_unit_test(hbond_r2nh2_to_carbonyl_theta_121),
        cmocka_unit_test(hbond_r2nh2_to_hydroxyl_theta_121),
        cmocka_unit_test(hbond_water_donor_to_carbonyl_cutoff_3_67),
        cmocka_unit_test(hbond_water_donor_to_his_n_cutoff_3_54),
        cmocka_unit_test(hbond_water_donor_to_his_n_extra_phi_120),
    };
    RUN_TESTS(tests, argc, argv);
}
