/* Acceptor criteria of HBONDS.md on hand-built geometries: each distance
 * cutoff and each acceptor angle just inside and just outside, with a
 * permissive donor (Cys SG thiol: D...A <= 4.05, C-S...A >= 70, no H so no
 * theta) whose CB sits straight behind SG. */
#include "builder.h"

#include <math.h>
#include <string.h>

/* Thiol donor at r * tb_xy(alpha) from a ligand acceptor of class kind at the
 * origin; judge SG -> acceptor. */
static bool acc_case(misi_acc_class kind, float r, float alpha, const misi_hbond_config *cfg,
                     misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    if (cfg)
        t.cfg = *cfg;
    uint32_t a = tb_acceptor(&t.cx.ligand, kind);
    tb_vec d = tb_scale(tb_xy(alpha), r);
    uint32_t sg = tb_cys(&t.cx.pocket, 10, d, tb_xy(alpha));
    bool ok = tb_eval(&t, false, sg, a, ev);
    if (ev->acc != kind || ev->don != MISI_DON_THIOL) {
        print_message("typed acceptor %s, donor %s\n", misi_acc_class_name(ev->acc),
                      misi_don_class_name(ev->don));
        fail_msg("acceptor fragment %d typed as %d", (int)kind, (int)ev->acc);
    }
    tb_free(&t);
    return ok;
}

/* D...A cutoff: 0.02 A inside passes, 0.02 A outside fails at the acceptor's
 * distance test. */
static void check_acc_cutoff(misi_acc_class kind, float cutoff, float alpha)
{
    misi_hb_eval ev;
    acc_case(kind, cutoff - 0.02f, alpha, NULL, &ev);
    assert_hb_pass(&ev);
    acc_case(kind, cutoff + 0.02f, alpha, NULL, &ev);
    assert_hb_fail(&ev, "D..A(acceptor)");
    const misi_hb_test *tt = tb_find_test(&ev, "D..A(acceptor)");
    assert_non_null(tt);
    assert_float_equal(tt->hi, cutoff, 1e-4);
}

/* An angle lower bound at the acceptor: alpha = bound + 1 passes, bound - 1
 * fails at test `name`. */
static void check_acc_min(misi_acc_class kind, float bound, const char *name, float sign)
{
    misi_hb_eval ev;
    acc_case(kind, 3.0f, sign * (bound + 1.0f), NULL, &ev);
    assert_hb_pass(&ev);
    acc_case(kind, 3.0f, sign * (bound - 1.0f), NULL, &ev);
    assert_hb_fail(&ev, name);
}

/* ---- distance cutoffs ---- */

static void hbond_carboxylate_cutoff_3_57(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_CARBOXYLATE, 3.57f, 180);
}
static void hbond_amide_carbonyl_cutoff_3_70(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_CARBONYL, 3.70f, 180);
}
static void hbond_ester_carbonyl_cutoff_3_57(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_ESTER_CARBONYL, 3.57f, 180);
}
static void hbond_hydroxyl_acceptor_cutoff_3_43(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_HYDROXYL, 3.43f, 180);
}
static void hbond_phenol_acceptor_cutoff_3_57(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_PHENOL, 3.57f, 120);
}
static void hbond_water_acceptor_cutoff_3_43(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_WATER, 3.43f, 180);
}
static void hbond_ether_cutoff_3_82(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_ETHER, 3.82f, 180);
}
static void hbond_ring5_o_cutoff_3_82(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_RING5_O, 3.82f, 180);
}
static void hbond_two_bond_o3_cutoff_3_82(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_O3_TWO_BOND, 3.82f, 180);
}
static void hbond_phosphate_cutoff_3_43(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_PHOSPHATE, 3.43f, 180);
}
static void hbond_sulfonyl_cutoff_3_93(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_SULFONYL, 3.93f, 180);
}
static void hbond_ring6_n_sym_cutoff_3_57(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_RING6_N_SYM, 3.57f, 180);
}
static void hbond_ring6_n_asym_cutoff_3_70(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_RING6_N_ASYM, 3.70f, 180);
}
static void hbond_ring5_n_sym_cutoff_3_70(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_RING5_N_SYM, 3.70f, 180);
}
static void hbond_ring5_n_asym_cutoff_3_70(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_RING5_N_ASYM, 3.70f, 180);
}
static void hbond_imine_cutoff_3_82(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_IMINE, 3.82f, 180);
}
static void hbond_nitrile_cutoff_3_70(void **s)
{
    (void)s;
    check_acc_cutoff(MISI_ACC_NITRILE, 3.70f, 180);
}

/* Thiocarbonyl allows 4.13 but the thiol donor's 4.05 decides first. */
static void hbond_thiocarbonyl_thiol_donor_4_05_decides(void **s)
{
    (void)s;
    misi_hb_eval ev;
    acc_case(MISI_ACC_THIOCARBONYL, 4.03f, 180, NULL, &ev);
    assert_hb_pass(&ev);
    acc_case(MISI_ACC_THIOCARBONYL, 4.07f, 180, NULL, &ev);
    assert_hb_fail(&ev, "D..A(donor)");
    assert_true(tb_find_test(&ev, "D..A(acceptor)")->passed);
}

/* The thiocarbonyl's own 4.13 is recorded and judged: at 4.11 it passes
 * (the thiol fails), at 4.15 it is the first failure. No donor allows more
 * than 4.05 (+ the same slop), so 4.13 can never decide a pair alone. */
static void hbond_thiocarbonyl_acceptor_cutoff_4_13(void **s)
{
    (void)s;
    misi_hb_eval ev;
    acc_case(MISI_ACC_THIOCARBONYL, 4.11f, 180, NULL, &ev);
    assert_hb_fail(&ev, "D..A(donor)");
    const misi_hb_test *tt = tb_find_test(&ev, "D..A(acceptor)");
    assert_true(tt->passed);
    assert_float_equal(tt->hi, 4.13f, 1e-4);
    acc_case(MISI_ACC_THIOCARBONYL, 4.15f, 180, NULL, &ev);
    assert_hb_fail(&ev, "D..A(acceptor)");
}

/* ---- angles ---- */

static void hbond_amide_carbonyl_needs_phi_90(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_CARBONYL, 90, "phi", 1);
}
static void hbond_ester_carbonyl_needs_phi_90(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_ESTER_CARBONYL, 90, "phi", -1);
}
static void hbond_ether_needs_phi_120(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_ETHER, 120, "phi", 1);
}
static void hbond_ring5_o_needs_phi_130(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_RING5_O, 130, "phi", 1);
}
static void hbond_two_bond_o3_needs_phi_100(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_O3_TWO_BOND, 100, "phi", 1);
}
static void hbond_ring6_n_sym_needs_phi_130(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_RING6_N_SYM, 130, "phi", 1);
}
static void hbond_ring6_n_asym_needs_phi_120(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_RING6_N_ASYM, 120, "phi", 1);
}
static void hbond_ring5_n_sym_needs_phi_120(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_RING5_N_SYM, 120, "phi", 1);
}
static void hbond_ring5_n_asym_needs_phi_130(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_RING5_N_ASYM, 130, "phi", 1);
}
static void hbond_imine_needs_phi_120(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_IMINE, 120, "phi", 1);
}
static void hbond_thiocarbonyl_needs_phi_70(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_THIOCARBONYL, 70, "phi", 1);
}
static void hbond_carboxylate_syn_needs_phi_70(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_CARBOXYLATE, 70, "phi(syn)", 1);
}
static void hbond_carboxylate_anti_needs_phi_90(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_CARBOXYLATE, 90, "phi", -1);
}
static void hbond_hydroxyl_acceptor_needs_c_o_d_80(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_HYDROXYL, 80, "X-A..D", 1);
}
static void hbond_nitrile_needs_c_n_d_133(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_NITRILE, 133, "X-A..D", 1);
}
static void hbond_phenol_acceptor_upsilon_a_low_80(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_PHENOL, 80, "upsilon_A", 1);
}

/* The anti side does not get the syn side's 70: phi 75 passes syn, fails anti. */
static void hbond_carboxylate_anti_rejects_phi_75_that_syn_accepts(void **s)
{
    (void)s;
    misi_hb_eval ev;
    acc_case(MISI_ACC_CARBOXYLATE, 3.0f, 75, NULL, &ev);
    assert_hb_pass(&ev);
    assert_non_null(tb_find_test(&ev, "phi(syn)"));
    acc_case(MISI_ACC_CARBOXYLATE, 3.0f, -75, NULL, &ev);
    assert_hb_fail(&ev, "phi");
}

static void hbond_phenol_acceptor_upsilon_a_high_173(void **s)
{
    (void)s;
    misi_hb_eval ev;
    acc_case(MISI_ACC_PHENOL, 3.0f, 172, NULL, &ev);
    assert_hb_pass(&ev);
    acc_case(MISI_ACC_PHENOL, 3.0f, 174, NULL, &ev);
    assert_hb_fail(&ev, "upsilon_A");
    assert_float_equal(tb_find_test(&ev, "upsilon_A")->hi, 173.0f, 1e-4);
}

/* Sulfonyl: every X-O...D >= 70; the O has only S bonded. Tilt D towards S
 * in the plane and out of it. */
static void hbond_sulfonyl_needs_every_x_o_d_70(void **s)
{
    (void)s;
    check_acc_min(MISI_ACC_SULFONYL, 70, "X-A..D", 1);
    check_acc_min(MISI_ACC_SULFONYL, 70, "X-A..D", -1);
}

/* Phosphate: P is tetrahedral, so no substituent plane is defined and phi is
 * skipped (HBONDS.md: "skipped where no plane is defined"). */
static void hbond_phosphate_phi_skipped_without_plane(void **s)
{
    (void)s;
    misi_hb_eval ev;
    acc_case(MISI_ACC_PHOSPHATE, 3.0f, 60, NULL, &ev);
    assert_hb_pass(&ev);
    assert_null(tb_find_test(&ev, "phi"));
}

/* ---- theta at the acceptor ----
 * Donor: Arg NE (theta >= 110, H...A <= 2.76 / 2.88, no D...A cutoff), its
 * placed H 2.0 A from the acceptor with D-H...A = theta; CD and CZ lie out of
 * the xy-plane so that every X-N...A stays well above 70. */
static bool theta_case(misi_acc_class kind, float theta, misi_hb_eval *ev)
{
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, kind);
    tb_vec h = tb_v(-2.0f, 0, 0);
    tb_vec d = tb_along(h, tb_xy(theta), 0.91f);
    tb_vec hdir = tb_unit(tb_sub(h, d));
    uint32_t ne = tb_arg_ne(&t.cx.pocket, 10, d, hdir, tb_unit(tb_cross(hdir, tb_v(0, 0, 1))));
    bool ok = tb_eval(&t, false, ne, a, ev);
    assert_int_equal(ev->acc, kind);
    assert_int_equal(ev->don, MISI_DON_ARG_NE);
    assert_float_equal(tb_find_test(ev, "theta(acceptor)")->value, theta, 0.05);
    tb_free(&t);
    return ok;
}

static void check_acc_theta(misi_acc_class kind, float bound)
{
    misi_hb_eval ev;
    theta_case(kind, bound + 1.0f, &ev);
    assert_hb_pass(&ev);
    theta_case(kind, bound - 1.0f, &ev);
    assert_hb_fail(&ev, "theta(acceptor)");
    assert_float_equal(tb_find_test(&ev, "theta(acceptor)")->lo, bound, 1e-4);
}

static void hbond_carboxylate_theta_125(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_CARBOXYLATE, 125);
}
static void hbond_ester_carbonyl_theta_115(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_ESTER_CARBONYL, 115);
}
static void hbond_hydroxyl_acceptor_theta_125(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_HYDROXYL, 125);
}
static void hbond_phenol_acceptor_theta_130(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_PHENOL, 130);
}
static void hbond_water_acceptor_theta_125(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_WATER, 125);
}
static void hbond_ether_theta_120(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_ETHER, 120);
}
static void hbond_ring5_o_theta_115(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_RING5_O, 115);
}
static void hbond_two_bond_o3_theta_115(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_O3_TWO_BOND, 115);
}
static void hbond_phosphate_theta_115(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_PHOSPHATE, 115);
}
static void hbond_ring6_n_sym_theta_125(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_RING6_N_SYM, 125);
}
static void hbond_ring6_n_asym_theta_120(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_RING6_N_ASYM, 120);
}
static void hbond_ring5_n_sym_theta_135(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_RING5_N_SYM, 135);
}
static void hbond_ring5_n_asym_theta_115(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_RING5_N_ASYM, 115);
}
static void hbond_imine_theta_120(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_IMINE, 120);
}
static void hbond_nitrile_theta_130(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_NITRILE, 130);
}
static void hbond_thiocarbonyl_theta_125(void **s)
{
    (void)s;
    check_acc_theta(MISI_ACC_THIOCARBONYL, 125);
}

/* Amide C=O's 110 equals Arg NE's own 110: both record it, the donor's
 * (listed first) decides. Sulfonyl has no theta at all. */
static void hbond_amide_carbonyl_theta_110(void **s)
{
    (void)s;
    misi_hb_eval ev;
    theta_case(MISI_ACC_CARBONYL, 111, &ev);
    assert_hb_pass(&ev);
    theta_case(MISI_ACC_CARBONYL, 109, &ev);
    assert_hb_fail(&ev, "theta(donor)");
    assert_false(tb_find_test(&ev, "theta(acceptor)")->passed);
    assert_float_equal(tb_find_test(&ev, "theta(acceptor)")->lo, 110.0f, 1e-4);
}

static void hbond_sulfonyl_has_no_theta(void **s)
{
    (void)s;
    misi_hb_eval ev;
    tb_complex t;
    tb_init(&t);
    uint32_t a = tb_acceptor(&t.cx.ligand, MISI_ACC_SULFONYL);
    tb_vec h = tb_v(-2.0f, 0, 0);
    tb_vec d = tb_along(h, tb_xy(115), 0.91f);
    tb_vec hdir = tb_unit(tb_sub(h, d));
    uint32_t ne = tb_arg_ne(&t.cx.pocket, 10, d, hdir, tb_unit(tb_cross(hdir, tb_v(0, 0, 1))));
    tb_eval(&t, false, ne, a, &ev);
    assert_hb_pass(&ev);
    assert_null(tb_find_test(&ev, "theta(acceptor)"));
    tb_free(&t);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hbond_carboxylate_cutoff_3_57),
        cmocka_unit_test(hbond_amide_carbonyl_cutoff_3_70),
        cmocka_unit_test(hbond_ester_carbonyl_cutoff_3_57),
        cmocka_unit_test(hbond_hydroxyl_acceptor_cutoff_3_43),
        cmocka_unit_test(hbond_phenol_acceptor_cutoff_3_57),
        cmocka_unit_test(hbond_water_acceptor_cutoff_3_43),
        cmocka_unit_test(hbond_ether_cutoff_3_82),
        cmocka_unit_test(hbond_ring5_o_cutoff_3_82),
        cmocka_unit_test(hbond_two_bond_o3_cutoff_3_82),
        cmocka_unit_test(hbond_phosphate_cutoff_3_43),
        cmocka_unit_test(hbond_sulfonyl_cutoff_3_93),
        cmocka_unit_test(hbond_ring6_n_sym_cutoff_3_57),
        cmocka_unit_test(hbond_ring6_n_asym_cutoff_3_70),
        cmocka_unit_test(hbond_ring5_n_sym_cutoff_3_70),
        cmocka_unit_test(hbond_ring5_n_asym_cutoff_3_70),
        cmocka_unit_test(hbond_imine_cutoff_3_82),
        cmocka_unit_test(hbond_nitrile_cutoff_3_70),
        cmocka_unit_test(hbond_thiocarbonyl_thiol_donor_4_05_decides),
        cmocka_unit_test(hbond_thiocarbonyl_acceptor_cutoff_4_13),
        cmocka_unit_test(hbond_amide_carbonyl_needs_phi_90),
        cmocka_unit_test(hbond_ester_carbonyl_needs_phi_90),
        cmocka_unit_test(hbond_ether_needs_phi_120),
        cmocka_unit_test(hbond_ring5_o_needs_phi_130),
        cmocka_unit_test(hbond_two_bond_o3_needs_phi_100),
        cmocka_unit_test(hbond_ring6_n_sym_needs_phi_130),
        cmocka_unit_test(hbond_ring6_n_asym_needs_phi_120),
        cmocka_unit_test(hbond_ring5_n_sym_needs_phi_120),
        cmocka_unit_test(hbond_ring5_n_asym_needs_phi_130),
        cmocka_unit_test(hbond_imine_needs_phi_120),
        cmocka_unit_test(hbond_thiocarbonyl_needs_phi_70),
        cmocka_unit_test(hbond_carboxylate_syn_needs_phi_70),
        cmocka_unit_test(hbond_carboxylate_anti_needs_phi_90),
        cmocka_unit_test(hbond_carboxylate_anti_rejects_phi_75_that_syn_accepts),
        cmocka_unit_test(hbond_hydroxyl_acceptor_needs_c_o_d_80),
        cmocka_unit_test(hbond_nitrile_needs_c_n_d_133),
        cmocka_unit_test(hbond_phenol_acceptor_upsilon_a_low_80),
        cmocka_unit_test(hbond_phenol_acceptor_upsilon_a_high_173),
        cmocka_unit_test(hbond_sulfonyl_needs_every_x_o_d_70),
        cmocka_unit_test(hbond_phosphate_phi_skipped_without_plane),
        cmocka_unit_test(hbond_carboxylate_theta_125),
        cmocka_unit_test(hbond_ester_carbonyl_theta_115),
        cmocka_unit_test(hbond_hydroxyl_acceptor_theta_125),
        cmocka_unit_test(hbond_phenol_acceptor_theta_130),
        cmocka_unit_test(hbond_water_acceptor_theta_125),
        cmocka_unit_test(hbond_ether_theta_120),
        cmocka_unit_test(hbond_ring5_o_theta_115),
        cmocka_unit_test(hbond_two_bond_o3_theta_115),
        cmocka_unit_test(hbond_phosphate_theta_115),
        cmocka_unit_test(hbond_ring6_n_sym_theta_125),
        cmocka_unit_test(hbond_ring6_n_asym_theta_120),
        cmocka_unit_test(hbond_ring5_n_sym_theta_135),
        cmocka_unit_test(hbond_ring5_n_asym_theta_115),
        cmocka_unit_test(hbond_imine_theta_120),
        cmocka_unit_test(hbond_nitrile_theta_130),
        cmocka_unit_test(hbond_thiocarbonyl_theta_125),
        cmocka_unit_test(hbond_amide_carbonyl_theta_110),
        cmocka_unit_test(hbond_sulfonyl_has_no_theta),
    };
    RUN_TESTS(tests, argc, argv);
}
