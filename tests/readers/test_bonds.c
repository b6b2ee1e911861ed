/* Bond perception: residues, peptide bonds, disulfides, metals, idempotence,
 * and a large synthetic pocket for speed. */
#include "test_util.h"

#include <math.h>
#include <stdlib.h>

static const char PDB_DISULFIDE[] =
    "ATOM      1  CA  CYS A  10       0.000   0.000   0.000  1.00 20.00           C\n"
    "ATOM      2  CB  CYS A  10       1.530   0.000   0.000  1.00 20.00           C\n"
    "ATOM      3  SG  CYS A  10       2.100   1.650   0.000  1.00 20.00           S\n"
    "ATOM      4  CA  CYS A  40       0.000   0.000   2.040  1.00 20.00           C\n"
    "ATOM      5  CB  CYS A  40       1.530   0.000   2.040  1.00 20.00           C\n"
    "ATOM      6  SG  CYS A  40       2.100   1.650   2.040  1.00 20.00           S\n"
    "HETATM    7 ZN    ZN A  50       2.100   3.900   1.000  1.00 20.00          ZN\n"
    "END\n";

/* An acetate whose CONECT lists C1-C2 and C1-O1 only, next to a residue
 * without CONECT records. */
static const char PDB_CONECT_GROUP[] =
    "ATOM      1  CA  GLY A   1      10.000   0.000   0.000  1.00 20.00           C\n"
    "ATOM      2  C   GLY A   1      11.520   0.000   0.000  1.00 20.00           C\n"
    "HETATM    3  C1  ACT A 101       0.000   0.000   0.000  1.00 20.00           C\n"
    "HETATM    4  C2  ACT A 101      -1.520   0.000   0.000  1.00 20.00           C\n"
    "HETATM    5  O1  ACT A 101       0.577   1.109   0.000  1.00 20.00           O\n"
    "HETATM    6  O2  ACT A 101       0.577  -1.109   0.000  1.00 20.00           O\n"
    "CONECT    3    4    5\n"
    "END\n";

static void read_tripeptide(misi_mol *mol)
{
    misi_error err;
    misi_mol_init(mol);
    if (misi_read_pdb(fixture("valid/pdb/tripeptide.pdb"), mol, &err))
        fail_msg("read failed: %s", err.msg);
}

static void bonds_perceives_tripeptide_with_peptide_bonds(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    read_tripeptide(&mol);
    assert_int_equal(mol.top.nbonds, 0);
    assert_int_equal(misi_perceive_bonds(&mol, &err), 0);
    /* PRO 7 (ring closed), GLN 8, ILE 7, plus two peptide bonds. */
    assert_int_equal(mol.top.nbonds, 24);
    assert_true(bond_order_between(&mol, find_atom(&mol, 1, "C"), find_atom(&mol, 2, "N")) >= 0);
    assert_true(bond_order_between(&mol, find_atom(&mol, 2, "C"), find_atom(&mol, 3, "N")) >= 0);
    assert_true(bond_order_between(&mol, find_atom(&mol, 1, "CD"), find_atom(&mol, 1, "N")) >= 0);
    assert_int_equal(bond_order_between(&mol, find_atom(&mol, 1, "C"), find_atom(&mol, 3, "N")), -1);
    misi_mol_finish(&mol);
}

static void bonds_perception_is_idempotent(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    read_tripeptide(&mol);
    assert_int_equal(misi_perceive_bonds(&mol, &err), 0);
    uint32_t n = mol.top.nbonds;
    assert_int_equal(misi_perceive_bonds(&mol, &err), 0);
    assert_int_equal(mol.top.nbonds, n);
    misi_mol_finish(&mol);
}

/* A group the file's CONECT records bond internally keeps exactly those
 * bonds (O2 stays unbonded although 1.25 Å from C1); other residues get
 * distance-inferred bonds. */
static void bonds_conect_group_keeps_its_conect_bonds(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    if (misi_parse_pdb(PDB_CONECT_GROUP, sizeof PDB_CONECT_GROUP - 1, "conect.pdb", &mol, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(mol.top.nbonds, 2);
    assert_int_equal(misi_perceive_bonds(&mol, &err), 0);
    assert_int_equal(mol.top.nbonds, 3); /* + GLY CA-C */
    assert_true(bond_order_between(&mol, 0, 1) >= 0);
    assert_int_equal(bond_order_between(&mol, 2, 5), -1);
    misi_mol_finish(&mol);
}

static void bonds_perceives_disulfide_and_skips_metals(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    assert_int_equal(misi_parse_pdb(PDB_DISULFIDE, strlen(PDB_DISULFIDE), "ss.pdb", &mol, &err), 0);
    assert_int_equal(misi_perceive_bonds(&mol, &err), 0);
    assert_true(bond_order_between(&mol, 2, 5) >= 0);     /* SG-SG */
    assert_int_equal(bond_order_between(&mol, 2, 6), -1); /* SG...ZN */
    assert_int_equal(bond_order_between(&mol, 1, 4), -1); /* CB...CB across residues */
    assert_int_equal(mol.top.nbonds, 5);
    misi_mol_finish(&mol);
}

/* A 12,000-atom lattice of 4-atom residues: perception must finish promptly
 * and find exactly the chain bonds (cells would blow up a quadratic scan). */
static void bonds_scale_to_large_pockets(void **state)
{
    (void)state;
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    const uint32_t nres = 3000;
    assert_int_equal(misi_mol_reserve_atoms(&mol, 4 * nres, &err), 0);
    static const char *const names[4] = {"N", "CA", "C", "O"};
    static const uint8_t elems[4] = {7, 6, 6, 8};
    for (uint32_t r = 0; r < nres; r++) {
        /* Residues on a 10x10 grid of strands 6 Å apart, 3.8 Å along a strand. */
        float bx = (float)(r % 30) * 3.8f, by = (float)((r / 30) % 10) * 6.0f, bz = (float)(r / 300) * 6.0f;
        const float off[4][3] = {{0, 0, 0}, {1.46f, 0, 0}, {2.5f, 0.9f, 0}, {2.4f, 2.1f, 0}};
        for (int k = 0; k < 4; k++) {
            uint32_t i = 4 * r + (uint32_t)k;
            misi_atom *a = &mol.top.atoms[i];
            memset(a, 0, sizeof *a);
            strcpy(a->name, names[k]);
            strcpy(a->resname, "GLY");
            a->chain = 'A';
            a->icode = ' ';
            a->altloc = ' ';
            a->resseq = (int32_t)r + 1;
            a->element = elems[k];
            mol.xyz[3 * i] = bx + off[k][0];
            mol.xyz[3 * i + 1] = by + off[k][1];
            mol.xyz[3 * i + 2] = bz + off[k][2];
        }
    }
    mol.top.natoms = 4 * nres;
    assert_int_equal(misi_mol_index_residues(&mol, &err), 0);
    assert_int_equal(misi_perceive_bonds(&mol, &err), 0);
    /* 3 bonds per residue; a peptide bond (C to the next N, 1.6 Å) within each strand of 30. */
    uint32_t peptide = nres - nres / 30;
    assert_int_equal(mol.top.nbonds, 3 * nres + peptide);
    misi_mol_finish(&mol);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bonds_perceives_tripeptide_with_peptide_bonds),
        cmocka_unit_test(bonds_perception_is_idempotent),
        cmocka_unit_test(bonds_conect_group_keeps_its_conect_bonds),
        cmocka_unit_test(bonds_perceives_disulfide_and_skips_metals),
        cmocka_unit_test(bonds_scale_to_large_pockets),
    };
    RUN_TESTS(tests, argc, argv);
}
