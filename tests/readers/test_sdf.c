/* SDF/MOL V2000 reader: charges from both places, bond orders, atom names. */
#include "test_util.h"

#include <stdlib.h>

static void read_ok(const char *rel, misi_mol *mol)
{
    misi_error err;
    misi_error_clear(&err);
    misi_mol_init(mol);
    if (misi_read_sdf(fixture(rel), mol, &err))
        fail_msg("read failed: %s", err.msg);
}

static void sdf_reads_atom_block_charge_codes(void **state)
{
    (void)state;
    misi_mol mol;
    read_ok("valid/sdf/charge_column.sdf", &mol);
    assert_int_equal(mol.top.atoms[8].charge, 1);  /* code 3 */
    assert_int_equal(mol.top.atoms[7].charge, -1); /* code 5 */
    assert_int_equal(mol.top.atoms[0].charge, 0);
    misi_mol_finish(&mol);
}

static void sdf_m_chg_overrides_atom_block_charges(void **state)
{
    (void)state;
    misi_mol mol;
    read_ok("valid/sdf/charge_mchg.sdf", &mol);
    assert_int_equal(mol.top.atoms[7].charge, -1);
    assert_int_equal(mol.top.atoms[8].charge, 2);
    /* Atom 1 had code 1 (+3) in the atom block: M  CHG supersedes it. */
    assert_int_equal(mol.top.atoms[0].charge, 0);
    misi_mol_finish(&mol);
}

static void sdf_reads_bond_orders_and_aromatic(void **state)
{
    (void)state;
    misi_mol mol;
    read_ok("valid/sdf/benzamide.sdf", &mol);
    assert_int_equal(mol.top.natoms, 11);
    assert_int_equal(mol.top.nbonds, 11);
    assert_int_equal(bond_order_between(&mol, 0, 1), MISI_BOND_AROMATIC);
    assert_int_equal(bond_order_between(&mol, 6, 7), MISI_BOND_DOUBLE);
    assert_int_equal(bond_order_between(&mol, 0, 6), MISI_BOND_SINGLE);
    misi_mol_finish(&mol);
}

static void sdf_names_atoms_by_element_rank(void **state)
{
    (void)state;
    misi_mol mol;
    read_ok("valid/sdf/benzamide.sdf", &mol);
    assert_string_equal(mol.top.atoms[0].name, "C1");
    assert_string_equal(mol.top.atoms[6].name, "C7");
    assert_string_equal(mol.top.atoms[7].name, "O1");
    assert_string_equal(mol.top.atoms[8].name, "N1");
    assert_string_equal(mol.top.atoms[10].name, "H2");
    assert_string_equal(mol.top.atoms[0].resname, "LIG");
    assert_true(mol.top.atoms[9].flags & MISI_ATOM_HYDROGEN);
    assert_int_equal(mol.top.nresidues, 1);
    misi_mol_finish(&mol);
}

static void sdf_rejects_v3000_clearly(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    assert_int_equal(misi_read_sdf(fixture("malformed/sdf_v3000.sdf"), &mol, &err), MISI_E_PARSE);
    assert_non_null(strstr(err.msg, "V3000 is not supported"));
    assert_non_null(strstr(err.msg, "sdf_v3000.sdf:4:"));
}

static void sdf_rejects_bond_to_missing_atom(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    assert_int_equal(misi_read_sdf(fixture("malformed/sdf_bond_out_of_range.sdf"), &mol, &err), MISI_E_RANGE);
    assert_non_null(strstr(err.msg, ":18:"));
    assert_null(mol.top.atoms);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sdf_reads_atom_block_charge_codes),
        cmocka_unit_test(sdf_m_chg_overrides_atom_block_charges),
        cmocka_unit_test(sdf_reads_bond_orders_and_aromatic),
        cmocka_unit_test(sdf_names_atoms_by_element_rank),
        cmocka_unit_test(sdf_rejects_v3000_clearly),
        cmocka_unit_test(sdf_rejects_bond_to_missing_atom),
    };
    RUN_TESTS(tests, argc, argv);
}
