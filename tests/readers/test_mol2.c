/* MOL2 reader: bond orders, Sybyl types, residue names, lone pairs and
 * header counts. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

static const char MOL2_TYPES[] = "# a comment before the molecule\r\n"
                                 "@<TRIPOS>MOLECULE\r\n"
                                 "typed\r\n"
                                 " 9 8 1\r\n"
                                 "SMALL\r\n"
                                 "USER_CHARGES\r\n"
                                 "\r\n"
                                 "@<TRIPOS>ATOM\r\n"
                                 "  1 N1   0.0 0.0 0.0 N.ar    7 ABCD  -0.2\r\n"
                                 "  2 C2   1.3 0.0 0.0 C.ar    7 ABCD   0.1\r\n"
                                 "  3 CL1  2.0 1.5 0.0 Cl      7 ABCD   0.0\r\n"
                                 "  4 C4   2.0 -1.4 0.0 C.2    7 ABCD   0.0\r\n"
                                 "  5 O5   3.2 -1.4 0.0 O.co2  7 ABCD  -0.5\r\n"
                                 "  6 LP1  0.0 -0.5 0.0 LP     7 ABCD   0.0\r\n"
                                 "  7 N7   1.4 -2.6 0.0 N.am   7 ABCD   0.0\r\n"
                                 "  8 H8   1.9 -3.5 0.0 H      7 ABCD   0.0\r\n"
                                 "  9 ZN   4.5 -1.4 0.0 Zn\r\n"
                                 "@<TRIPOS>BOND\r\n"
                                 "  1 1 2 ar\r\n"
                                 "  2 2 3 1\r\n"
                                 "  3 2 4 2\r\n"
                                 "  4 4 5 3\r\n"
                                 "  5 1 6 1\r\n"
                                 "  6 4 7 am\r\n"
                                 "  7 7 8 1\r\n"
                                 "  8 5 9 nc\r\n"
                                 "@<TRIPOS>SUBSTRUCTURE\r\n"
                                 "  1 ABCD 1\r\n"
                                 "@<TRIPOS>MOLECULE\r\n"
                                 "second molecule, ignored\r\n"
                                 " 1 0\r\n"
                                 "@<TRIPOS>ATOM\r\n"
                                 "  1 C1 9 9 9 C.3\r\n";

static void parse_ok(const char *text, misi_mol *mol)
{
    misi_error err;
    misi_error_clear(&err);
    misi_mol_init(mol);
    if (misi_parse_mol2(text, strlen(text), "inline.mol2", mol, &err))
        fail_msg("parse failed: %s", err.msg);
}

static void mol2_reads_bond_orders_including_ar_and_am(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(MOL2_TYPES, &mol);
    assert_int_equal(bond_order_between(&mol, find_atom(&mol, 7, "N1"), find_atom(&mol, 7, "C2")),
                     MISI_BOND_AROMATIC);
    assert_int_equal(bond_order_between(&mol, find_atom(&mol, 7, "C2"), find_atom(&mol, 7, "CL1")),
                     MISI_BOND_SINGLE);
    assert_int_equal(bond_order_between(&mol, find_atom(&mol, 7, "C2"), find_atom(&mol, 7, "C4")),
                     MISI_BOND_DOUBLE);
    assert_int_equal(bond_order_between(&mol, find_atom(&mol, 7, "C4"), find_atom(&mol, 7, "O5")),
                     MISI_BOND_TRIPLE);
    assert_int_equal(bond_order_between(&mol, find_atom(&mol, 7, "C4"), find_atom(&mol, 7, "N7")),
                     MISI_BOND_AMIDE);
    /* "nc" (not connected) is no bond; the lone pair's bond went with it. */
    assert_int_equal(
        bond_order_between(&mol, find_atom(&mol, INT32_MIN, "O5"), find_atom(&mol, INT32_MIN, "ZN")), -1);
    assert_int_equal(mol.top.nbonds, 6);
    misi_mol_finish(&mol);
}

static void mol2_keeps_sybyl_types_and_derives_elements(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(MOL2_TYPES, &mol);
    const misi_atom *a = mol.top.atoms;
    assert_string_equal(a[0].sybyl, "N.ar");
    assert_int_equal(a[0].element, 7);
    assert_string_equal(a[2].sybyl, "Cl");
    assert_int_equal(a[2].element, 17);
    assert_string_equal(a[4].sybyl, "O.co2");
    assert_int_equal(a[4].element, 8);
    assert_string_equal(a[4].name, "O5");
    long h = find_atom(&mol, 7, "H8");
    assert_true(mol.top.atoms[h].flags & MISI_ATOM_HYDROGEN);
    long zn = find_atom(&mol, INT32_MIN, "ZN");
    assert_int_equal(mol.top.atoms[zn].element, 30);
    assert_true(mol.top.atoms[zn].flags & MISI_ATOM_METAL);
    misi_mol_finish(&mol);
}

static void mol2_drops_lone_pairs(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(MOL2_TYPES, &mol);
    assert_int_equal(mol.top.natoms, 8);
    assert_int_equal(find_atom(&mol, INT32_MIN, "LP1"), -1);
    misi_mol_finish(&mol);
}

static void mol2_residue_from_substructure_or_lig(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(MOL2_TYPES, &mol);
    assert_string_equal(mol.top.atoms[0].resname, "ABC"); /* first 3 characters */
    assert_int_equal(mol.top.atoms[0].resseq, 7);
    long zn = find_atom(&mol, INT32_MIN, "ZN");
    assert_string_equal(mol.top.atoms[zn].resname, "LIG"); /* no subst_name */
    assert_int_equal(mol.top.atoms[zn].resseq, 1);
    assert_int_equal(mol.top.nresidues, 2);
    misi_mol_finish(&mol);
}

static void mol2_reads_the_first_molecule_only(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(MOL2_TYPES, &mol);
    assert_int_equal(find_atom(&mol, INT32_MIN, "C1"), -1);
    misi_mol_finish(&mol);
}

static void mol2_reads_pdbbind_style_file(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    assert_int_equal(misi_read_mol2(fixture("valid/mol2/benzamide.mol2"), &mol, &err), 0);
    assert_int_equal(mol.top.natoms, 11);
    assert_int_equal(mol.top.nbonds, 11);
    assert_string_equal(mol.top.atoms[0].resname, "BZA");
    assert_int_equal(misi_mol_heavy_count(&mol), 9);
    misi_mol_finish(&mol);
}

/* MOL2 names run past PDB's four columns; they are kept whole (up to
 * MISI_ATOM_NAME_MAX), so OCARB_A and OCARB_B stay two names. */
static void mol2_keeps_atom_names_up_to_16_characters(void **state)
{
    (void)state;
    misi_mol mol;
    misi_mol_init(&mol);
    misi_error err;
    if (misi_read_mol2(fixture("valid/chem/5lng/5lng_ligand.mol2"), &mol, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(mol.top.natoms, 4);
    assert_string_equal(mol.top.atoms[0].name, "CARBOXYLATE_C1");
    assert_string_equal(mol.top.atoms[1].name, "OCARB_A");
    assert_string_equal(mol.top.atoms[2].name, "OCARB_B");
    assert_string_equal(mol.top.atoms[3].name, "CMETHYL_LONGNAME");
    assert_int_equal(strlen(mol.top.atoms[3].name), MISI_ATOM_NAME_MAX);
    misi_mol_finish(&mol);
}

static void mol2_header_count_beyond_records_names_section_end(void **state)
{
    (void)state;
    static const char text[] = "@<TRIPOS>MOLECULE\n"
                               "short\n"
                               "5 0\n"
                               "@<TRIPOS>ATOM\n"
                               "1 C1 0 0 0 C.3\n"
                               "2 C2 1.5 0 0 C.3\n"
                               "@<TRIPOS>BOND\n";
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    assert_int_equal(misi_parse_mol2(text, strlen(text), "short.mol2", &mol, &err), MISI_E_PARSE);
    assert_non_null(strstr(err.msg, "short.mol2:7:"));
    assert_non_null(strstr(err.msg, "expected 5 atom lines"));
    assert_null(mol.top.atoms);
}

static void mol2_rejects_bond_to_unknown_atom(void **state)
{
    (void)state;
    static const char text[] = "@<TRIPOS>MOLECULE\n"
                               "bad bond\n"
                               "2 1\n"
                               "@<TRIPOS>ATOM\n"
                               "1 C1 0 0 0 C.3\n"
                               "2 C2 1.5 0 0 C.3\n"
                               "@<TRIPOS>BOND\n"
                               "1 1 3 1\n";
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    assert_int_equal(misi_parse_mol2(text, strlen(text), "b.mol2", &mol, &err), MISI_E_RANGE);
    assert_non_null(strstr(err.msg, "b.mol2:8:"));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mol2_reads_bond_orders_including_ar_and_am),
        cmocka_unit_test(mol2_keeps_sybyl_types_and_derives_elements),
        cmocka_unit_test(mol2_drops_lone_pairs),
        cmocka_unit_test(mol2_residue_from_substructure_or_lig),
        cmocka_unit_test(mol2_reads_the_first_molecule_only),
        cmocka_unit_test(mol2_reads_pdbbind_style_file),
        cmocka_unit_test(mol2_keeps_atom_names_up_to_16_characters),
        cmocka_unit_test(mol2_header_count_beyond_records_names_section_end),
        cmocka_unit_test(mol2_rejects_bond_to_unknown_atom),
    };
    RUN_TESTS(tests, argc, argv);
}
