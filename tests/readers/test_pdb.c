/* PDB reader: alternate locations, insertion codes, element inference,
 * charges, CONECT, models and line endings. */
#include "test_util.h"

#include <stdlib.h>

static const char PDB_ALTLOC[] =
    "ATOM      1  N   SER A   5       1.000   0.000   0.000  1.00 20.00           N\n"
    "ATOM      2  CA  SER A   5       2.450   0.000   0.000  1.00 20.00           C\n"
    "ATOM      3  CB ASER A   5       3.000   1.400   0.000  0.50 20.00           C\n"
    "ATOM      4  CB BSER A   5       3.100   1.400   0.200  0.50 20.00           C\n"
    "ATOM      5  OG ASER A   5       4.400   1.400   0.000  0.30 20.00           O\n"
    "ATOM      6  OG BSER A   5       4.400   1.600   0.500  0.70 20.00           O\n"
    "HETATM    7  C1  LIG B 900       6.000   1.400   0.000  1.00 20.00           C\n"
    "CONECT    5    7\n"
    "END\n";

static const char PDB_ICODE[] =
    "ATOM      1  CA  GLY A  52       0.000   0.000   0.000  1.00 20.00           C\n"
    "ATOM      2  CA  ALA A  52A      3.800   0.000   0.000  1.00 20.00           C\n"
    "ATOM      3  CB  ALA A  52A      4.500   1.000   0.000  1.00 20.00           C\n"
    "ATOM      4  CA  SER A  52B      7.600   0.000   0.000  1.00 20.00           C\n"
    "ATOM      5  CA  THR B  53      11.400   0.000   0.000  1.00 20.00           C\n"
    "END\n";

static const char PDB_ELEMENTS[] =
    "ATOM      1  CA  ALA A   1       0.000   0.000   0.000  1.00 20.00\n"
    "ATOM      2 1HB  ALA A   1       1.000   0.000   0.000  1.00 20.00\n"
    "ATOM      3 HG21 THR A   2       2.000   0.000   0.000  1.00 20.00\n"
    "HETATM    4 FE   HEM A   3       3.000   0.000   0.000  1.00 20.00\n"
    "HETATM    5 CL1  LIG A   4       4.000   0.000   0.000  1.00 20.00\n"
    "HETATM    6  C1  LIG A   4       5.000   0.000   0.000  1.00 20.00\n"
    "HETATM    7 CA   CA  A   5       6.000   0.000   0.000  1.00 20.00\n"
    "HETATM    8 ZN   ZN  A   6       7.000   0.000   0.000  1.00 20.00          ZN2+\n"
    "HETATM    9  O1  LIG A   4       8.000   0.000   0.000  1.00 20.00           O1-\n"
    "ATOM     10  NZ  LYS A   7       9.000   0.000   0.000  1.00 20.00           N1+\n"
    "END\n";

static const char PDB_CONECT[] =
    "HETATM   10  C1  LIG A   1       0.000   0.000   0.000  1.00 20.00           C\n"
    "HETATM   11  C2  LIG A   1       1.500   0.000   0.000  1.00 20.00           C\n"
    "HETATM   12  O1  LIG A   1       2.200   1.200   0.000  1.00 20.00           O\n"
    "CONECT   10   11\n"
    "CONECT   11   10   12\n"
    "CONECT   12   11\n"
    "END\n";

static const char PDB_MODELS[] =
    "MODEL        1\n"
    "ATOM      1  CA  GLY A   1       0.000   0.000   0.000  1.00 20.00           C\n"
    "ATOM      2  CA  GLY A   2       3.800   0.000   0.000  1.00 20.00           C\n"
    "ENDMDL\n"
    "MODEL        2\n"
    "ATOM      1  CA  GLY A   1       0.000   0.000   1.000  1.00 20.00           C\n"
    "ATOM      2  CA  GLY A   2       3.800   0.000   1.000  1.00 20.00           C\n"
    "ENDMDL\n"
    "END\n";

static void parse_ok(const char *text, misi_mol *mol)
{
    misi_error err;
    misi_error_clear(&err);
    misi_mol_init(mol);
    int rc = misi_parse_pdb(text, strlen(text), "inline.pdb", mol, &err);
    if (rc)
        fail_msg("parse failed: %s", err.msg);
}

static void pdb_keeps_highest_occupancy_altloc(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_ALTLOC, &mol);
    assert_int_equal(mol.top.natoms, 5);
    long og = find_atom(&mol, 5, "OG");
    assert_true(og >= 0);
    assert_int_equal(mol.top.atoms[og].altloc, 'B'); /* 0.70 beats 0.30 */
    assert_int_equal(mol.top.atoms[og].serial, 6);
    assert_true(mol.xyz[3 * og + 1] > 1.55f);
    misi_mol_finish(&mol);
}

static void pdb_altloc_tie_keeps_first_seen(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_ALTLOC, &mol);
    long cb = find_atom(&mol, 5, "CB");
    assert_true(cb >= 0);
    assert_int_equal(mol.top.atoms[cb].altloc, 'A');
    assert_int_equal(mol.top.atoms[cb].serial, 3);
    long n = 0;
    for (uint32_t i = 0; i < mol.top.natoms; i++)
        n += !strcmp(mol.top.atoms[i].name, "CB");
    assert_int_equal(n, 1);
    misi_mol_finish(&mol);
}

static void pdb_conect_to_dropped_altloc_maps_to_kept_atom(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_ALTLOC, &mol);
    /* CONECT names serial 5 (OG A, dropped); the bond lands on OG B. */
    assert_int_equal(mol.top.nbonds, 1);
    assert_int_equal(bond_order_between(&mol, find_atom(&mol, 5, "OG"), find_atom(&mol, 900, "C1")),
                     MISI_BOND_UNKNOWN);
    misi_mol_finish(&mol);
}

static void pdb_insertion_codes_make_separate_residues(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_ICODE, &mol);
    assert_int_equal(mol.top.nresidues, 4);
    assert_int_equal(mol.top.residues[0].icode, ' ');
    assert_int_equal(mol.top.residues[1].icode, 'A');
    assert_int_equal(mol.top.residues[1].seq, 52);
    assert_int_equal(mol.top.residues[1].count, 2);
    assert_string_equal(mol.top.residues[1].name, "ALA");
    assert_int_equal(mol.top.residues[2].icode, 'B');
    assert_int_equal(mol.top.residues[3].chain, 'B');
    assert_int_equal(mol.top.atoms[2].residue, 1);
    misi_mol_finish(&mol);
}

static void pdb_element_falls_back_to_atom_name(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_ELEMENTS, &mol);
    const misi_atom *a = mol.top.atoms;
    assert_int_equal(a[0].element, 6);  /* " CA " in ATOM: carbon */
    assert_int_equal(a[1].element, 1);  /* "1HB ": digits skipped */
    assert_int_equal(a[2].element, 1);  /* "HG21": 4-letter hydrogen name */
    assert_int_equal(a[3].element, 26); /* "FE  " in HETATM */
    assert_int_equal(a[4].element, 17); /* "CL1 " in HETATM */
    assert_int_equal(a[5].element, 6);  /* " C1 " */
    assert_int_equal(a[6].element, 20); /* "CA  " HETATM: calcium */
    assert_true(a[1].flags & MISI_ATOM_HYDROGEN);
    assert_true(a[2].flags & MISI_ATOM_HYDROGEN);
    assert_true(a[3].flags & MISI_ATOM_METAL);
    assert_true(a[6].flags & MISI_ATOM_METAL);
    assert_false(a[0].flags & (MISI_ATOM_METAL | MISI_ATOM_HYDROGEN));
    assert_true(a[3].flags & MISI_ATOM_HETATM);
    assert_false(a[0].flags & MISI_ATOM_HETATM);
    misi_mol_finish(&mol);
}

static void pdb_reads_element_and_formal_charge_columns(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_ELEMENTS, &mol);
    const misi_atom *a = mol.top.atoms;
    assert_int_equal(a[7].element, 30);
    assert_int_equal(a[7].charge, 2);
    assert_int_equal(a[8].element, 8);
    assert_int_equal(a[8].charge, -1);
    assert_int_equal(a[9].charge, 1);
    assert_int_equal(a[0].charge, 0);
    misi_mol_finish(&mol);
}

static void pdb_conect_bonds_are_deduplicated(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_CONECT, &mol);
    assert_int_equal(mol.top.natoms, 3);
    assert_int_equal(mol.top.nbonds, 2); /* each bond is listed from both ends */
    assert_int_equal(mol.top.bonds[0].a, 0);
    assert_int_equal(mol.top.bonds[0].b, 1);
    assert_int_equal(mol.top.bonds[1].a, 1);
    assert_int_equal(mol.top.bonds[1].b, 2);
    assert_string_equal(mol.path, "inline.pdb");
    misi_mol_finish(&mol);
}

static void pdb_conect_to_unknown_serial_names_line(void **state)
{
    (void)state;
    static const char text[] =
        "HETATM   10  C1  LIG A   1       0.000   0.000   0.000  1.00 20.00           C\n"
        "HETATM   11  C2  LIG A   1       1.500   0.000   0.000  1.00 20.00           C\n"
        "CONECT   10   11\n"
        "CONECT   11   77\n";
    misi_mol mol;
    misi_mol_init(&mol);
    misi_error err;
    assert_int_equal(misi_parse_pdb(text, strlen(text), "x.pdb", &mol, &err), MISI_E_RANGE);
    assert_non_null(strstr(err.msg, "x.pdb:4:"));
    assert_non_null(strstr(err.msg, "77"));
    assert_int_equal(mol.top.natoms, 0);
    assert_null(mol.top.atoms);
}

static void pdb_reads_only_the_first_model(void **state)
{
    (void)state;
    misi_mol mol;
    parse_ok(PDB_MODELS, &mol);
    assert_int_equal(mol.top.natoms, 2);
    assert_true(mol.xyz[2] == 0.0f && mol.xyz[5] == 0.0f);
    misi_mol_finish(&mol);
}

static void pdb_reads_crlf_line_endings(void **state)
{
    (void)state;
    misi_mol a, b;
    misi_error err;
    misi_mol_init(&a);
    misi_mol_init(&b);
    assert_int_equal(misi_read_pdb(fixture("valid/pdb/tripeptide.pdb"), &a, &err), 0);
    assert_int_equal(misi_read_pdb(fixture("valid/pdb/tripeptide_crlf.pdb"), &b, &err), 0);
    assert_int_equal(a.top.natoms, 24);
    assert_int_equal(b.top.natoms, a.top.natoms);
    assert_int_equal(b.top.nresidues, 3);
    for (uint32_t i = 0; i < a.top.natoms; i++) {
        assert_string_equal(a.top.atoms[i].name, b.top.atoms[i].name);
        assert_int_equal(a.top.atoms[i].element, b.top.atoms[i].element);
    }
    assert_memory_equal(a.xyz, b.xyz, 3 * sizeof(float) * a.top.natoms);
    misi_mol_finish(&a);
    misi_mol_finish(&b);
}

static void pdb_rejects_short_atom_line_with_line_number(void **state)
{
    (void)state;
    static const char text[] = "REMARK   a short ATOM line follows\n"
                               "ATOM      1  N   PRO A   1      13.120  39.0\n";
    misi_mol mol;
    misi_mol_init(&mol);
    misi_error err;
    assert_int_equal(misi_parse_pdb(text, strlen(text), "cut.pdb", &mol, &err), MISI_E_PARSE);
    assert_non_null(strstr(err.msg, "cut.pdb:2:"));
    assert_null(mol.top.atoms);
}

static void pdb_decodes_hybrid36_serials(void **state)
{
    (void)state;
    /* Past 99999 atoms, serials continue as A0000 = 100000 (hybrid-36). */
    static const char text[] =
        "HETATMA0000  C1  LIG A   1       0.000   0.000   0.000  1.00 20.00           C\n"
        "HETATMA0001  C2  LIG A   1       1.500   0.000   0.000  1.00 20.00           C\n"
        "CONECTA0000A0001\n";
    misi_mol mol;
    parse_ok(text, &mol);
    assert_int_equal(mol.top.atoms[0].serial, 100000);
    assert_int_equal(mol.top.atoms[1].serial, 100001);
    assert_int_equal(mol.top.nbonds, 1);
    misi_mol_finish(&mol);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pdb_keeps_highest_occupancy_altloc),
        cmocka_unit_test(pdb_altloc_tie_keeps_first_seen),
        cmocka_unit_test(pdb_conect_to_dropped_altloc_maps_to_kept_atom),
        cmocka_unit_test(pdb_insertion_codes_make_separate_residues),
        cmocka_unit_test(pdb_element_falls_back_to_atom_name),
        cmocka_unit_test(pdb_reads_element_and_formal_charge_columns),
        cmocka_unit_test(pdb_conect_bonds_are_deduplicated),
        cmocka_unit_test(pdb_conect_to_unknown_serial_names_line),
        cmocka_unit_test(pdb_reads_only_the_first_model),
        cmocka_unit_test(pdb_reads_crlf_line_endings),
        cmocka_unit_test(pdb_rejects_short_atom_line_with_line_number),
        cmocka_unit_test(pdb_decodes_hybrid36_serials),
    };
    RUN_TESTS(tests, argc, argv);
}
