/* Complex loading: PDBbind folders, explicit pairs, list files, waters, and
 * the checks that reject unusable complexes. */
#include "test_util.h"

#include <string.h>

#include <stdlib.h>

static void complex_loads_pdbbind_folder(void **state)
{
    (void)state;
    misi_complex cx;
    misi_error err;
    misi_complex_init(&cx);
    if (misi_complex_load_dir(fixture("valid/complexes/1abc"), NULL, &cx, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(cx.id, "1abc");
    /* 24 protein atoms (one NE2 location of two) + ZN; both waters gone. */
    assert_int_equal(cx.pocket.top.natoms, 25);
    assert_int_equal(cx.pocket.top.nresidues, 4);
    assert_int_equal(cx.pocket.top.nbonds, 24);
    /* The folder has both ligand files; MOL2 wins (it carries Sybyl types). */
    assert_string_equal(cx.ligand.top.atoms[0].sybyl, "C.ar");
    assert_int_equal(cx.ligand.top.natoms, 11);
    assert_non_null(strstr(cx.ligand.path, "1abc_ligand.mol2"));
    misi_complex_finish(&cx);
}

static void complex_removes_waters(void **state)
{
    (void)state;
    misi_complex cx;
    misi_error err;
    misi_complex_init(&cx);
    assert_int_equal(misi_complex_load_dir(fixture("valid/complexes/1abc"), NULL, &cx, &err), 0);
    for (uint32_t i = 0; i < cx.pocket.top.natoms; i++)
        assert_string_not_equal(cx.pocket.top.atoms[i].resname, "HOH");
    misi_complex_finish(&cx);
    misi_load_config keep = {.keep_waters = true};
    assert_int_equal(misi_complex_load_dir(fixture("valid/complexes/1abc"), &keep, &cx, &err), 0);
    assert_int_equal(cx.pocket.top.natoms, 27);
    misi_complex_finish(&cx);
}

static void complex_falls_back_to_sdf_ligand(void **state)
{
    (void)state;
    misi_complex cx;
    misi_error err;
    misi_complex_init(&cx);
    assert_int_equal(misi_complex_load_dir(fixture("valid/complexes/2xyz/"), NULL, &cx, &err), 0);
    assert_string_equal(cx.id, "2xyz");
    assert_string_equal(cx.ligand.top.atoms[0].name, "C1");
    assert_non_null(strstr(cx.ligand.path, "2xyz_ligand.sdf"));
    misi_complex_finish(&cx);
}

static void complex_pair_names_missing_ligand_path(void **state)
{
    (void)state;
    misi_complex cx;
    misi_error err;
    misi_complex_init(&cx);
    assert_int_equal(misi_complex_load_dir(fixture("valid/complexes/3bad"), NULL, &cx, &err), MISI_E_IO);
    assert_non_null(strstr(err.msg, "3bad_ligand.mol2"));
    assert_string_equal(cx.id, "3bad");
    assert_null(cx.pocket.top.atoms);
    char pocket[4096];
    snprintf(pocket, sizeof pocket, "%s", fixture("valid/complexes/1abc/1abc_pocket.pdb"));
    assert_int_equal(
        misi_complex_load_pair(pocket, fixture("nowhere/9zzz_ligand.mol2"), NULL, NULL, &cx, &err),
        MISI_E_IO);
    assert_non_null(strstr(err.msg, "nowhere/9zzz_ligand.mol2"));
    assert_string_equal(cx.id, "9zzz");
    misi_complex_finish(&cx);
}

static void complex_rejects_distant_and_empty_ligands(void **state)
{
    (void)state;
    misi_complex cx;
    misi_error err;
    char pocket[4096];
    snprintf(pocket, sizeof pocket, "%s", fixture("valid/complexes/1abc/1abc_pocket.pdb"));
    misi_complex_init(&cx);
    assert_int_equal(misi_complex_load_pair(pocket, fixture("malformed/ligand_far_from_pocket.mol2"), "far",
                                            NULL, &cx, &err),
                     MISI_E_INVALID);
    assert_non_null(strstr(err.msg, "from its pocket"));
    /* A generous limit lets the same ligand through. */
    misi_load_config wide = {.max_ligand_distance = 100.0f};
    assert_int_equal(misi_complex_load_pair(pocket, fixture("malformed/ligand_far_from_pocket.mol2"), "far",
                                            &wide, &cx, &err),
                     0);
    assert_int_equal(
        misi_complex_load_pair(pocket, fixture("malformed/ligand_empty.mol2"), NULL, NULL, &cx, &err),
        MISI_E_INVALID);
    assert_non_null(strstr(err.msg, "empty ligand"));
    misi_complex_finish(&cx);
}

static void sources_folder_of_complexes_sorted_by_id(void **state)
{
    (void)state;
    misi_source_list list = {0};
    misi_error err;
    assert_int_equal(misi_sources_add_path(&list, fixture("valid/complexes"), &err), 0);
    assert_int_equal(list.count, 3);
    assert_string_equal(list.items[0].id, "1abc");
    assert_string_equal(list.items[1].id, "2xyz");
    assert_string_equal(list.items[2].id, "3bad");
    /* The subfolder without a ligand is kept so the batch can report it. */
    misi_complex cx;
    misi_complex_init(&cx);
    assert_int_equal(misi_source_load(&list.items[0], NULL, &cx, &err), 0);
    assert_int_not_equal(misi_source_load(&list.items[2], NULL, &cx, &err), 0);
    misi_complex_finish(&cx);
    misi_sources_finish(&list);
}

static void sources_single_complex_folder(void **state)
{
    (void)state;
    misi_source_list list = {0};
    misi_error err;
    assert_int_equal(misi_sources_add_path(&list, fixture("valid/complexes/2xyz"), &err), 0);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].id, "2xyz");
    assert_non_null(list.items[0].dir);
    misi_sources_finish(&list);
}

/* Two ligand atoms named O1: answers must name one atom each, so both are
 * qualified by their MOL2 atom id; unique names are left alone. */
static void complex_qualifies_duplicate_ligand_names(void **state)
{
    (void)state;
    misi_complex cx;
    misi_complex_init(&cx);
    misi_error err;
    if (misi_complex_load_dir(fixture("valid/chem/6dup"), NULL, &cx, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cx.nqualified, 2);
    assert_string_equal(cx.ligand.top.atoms[0].name, "C1");
    assert_string_equal(cx.ligand.top.atoms[1].name, "O1#2");
    assert_string_equal(cx.ligand.top.atoms[2].name, "O1#3");
    assert_string_equal(cx.ligand.top.atoms[3].name, "C2");
    assert_true(cx.ligand.top.atoms[1].flags & MISI_ATOM_QUALIFIED);
    assert_false(cx.ligand.top.atoms[0].flags & MISI_ATOM_QUALIFIED);
    misi_complex_finish(&cx);
    /* Names that differ only in case collide too: answers ignore case. */
    misi_mol m;
    misi_mol_init(&m);
    assert_int_equal(misi_mol_reserve_atoms(&m, 3, &err), 0);
    m.top.natoms = 3;
    memset(m.top.atoms, 0, 3 * sizeof *m.top.atoms);
    strcpy(m.top.atoms[0].name, "Ca");
    strcpy(m.top.atoms[1].name, "CA");
    strcpy(m.top.atoms[2].name, "CB");
    uint32_t nq = 0;
    assert_int_equal(misi_qualify_duplicate_names(&m, &nq, &err), 0);
    assert_int_equal(nq, 2);
    assert_string_equal(m.top.atoms[0].name, "Ca#1");
    assert_string_equal(m.top.atoms[1].name, "CA#2");
    assert_string_equal(m.top.atoms[2].name, "CB");
    misi_mol_finish(&m);
}

/* A ligand N 1.33 Å from a pocket carbonyl C is covalently bound: the loaded
 * complex says so; a ligand merely in contact is not. */
static void complex_marks_covalent_ligand(void **state)
{
    (void)state;
    misi_complex cx;
    misi_complex_init(&cx);
    misi_error err;
    if (misi_complex_load_dir(fixture("valid/chem/8cov"), NULL, &cx, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cx.ncovalent, 1);
    const misi_covalent_link *c = &cx.covalent[0];
    assert_string_equal(cx.pocket.top.atoms[c->pocket_atom].name, "C");
    assert_string_equal(cx.pocket.top.atoms[c->pocket_atom].resname, "VAL");
    assert_string_equal(cx.ligand.top.atoms[c->ligand_atom].name, "N1");
    assert_float_equal(c->distance, 1.33, 0.01);
    misi_complex_finish(&cx);
    misi_complex_init(&cx);
    if (misi_complex_load_dir(fixture("valid/chem/5lng"), NULL, &cx, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cx.ncovalent, 0);
    misi_complex_finish(&cx);
}

/* A folder of complexes may hold other folders (scripts, notes): one with no
 * complex file is skipped with a note, not made a source that fails. */
static void sources_skip_subfolder_without_complex_files(void **state)
{
    (void)state;
    misi_source_list list = {0};
    misi_error err;
    if (misi_sources_add_path(&list, fixture("valid/chem"), &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 4);
    assert_string_equal(list.items[0].id, "5lng");
    assert_string_equal(list.items[3].id, "8cov");
    assert_int_equal(list.nnotes, 1);
    assert_non_null(strstr(list.notes[0], "chem/tools"));
    assert_non_null(strstr(list.notes[0], "no complex files"));
    misi_sources_finish(&list);
    assert_int_equal(list.nnotes, 0);
}

static void sources_list_file_resolves_relative_paths(void **state)
{
    (void)state;
    misi_source_list list = {0};
    misi_error err;
    if (misi_sources_add_path(&list, fixture("valid/pairs.txt"), &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 2);
    assert_string_equal(list.items[0].id, "1abc");
    assert_string_equal(list.items[1].id, "2xyz");
    assert_null(list.items[0].dir);
    assert_string_equal(list.items[1].ligand, fixture("valid/complexes/2xyz/2xyz_ligand.sdf"));
    for (size_t i = 0; i < list.count; i++) {
        misi_complex cx;
        misi_complex_init(&cx);
        if (misi_source_load(&list.items[i], NULL, &cx, &err))
            fail_msg("%s", err.msg);
        assert_int_equal(cx.ligand.top.natoms, 11);
        misi_complex_finish(&cx);
    }
    misi_sources_finish(&list);
}

static void sources_list_file_bad_line_names_line(void **state)
{
    (void)state;
    misi_source_list list = {0};
    misi_error err;
    assert_int_equal(misi_sources_add_path(&list, fixture("valid/pairs_bad_line.txt"), &err), MISI_E_PARSE);
    assert_non_null(strstr(err.msg, "pairs_bad_line.txt:3:"));
    assert_int_equal(list.count, 0); /* nothing half-added */
    misi_sources_finish(&list);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(complex_loads_pdbbind_folder),
        cmocka_unit_test(complex_removes_waters),
        cmocka_unit_test(complex_falls_back_to_sdf_ligand),
        cmocka_unit_test(complex_pair_names_missing_ligand_path),
        cmocka_unit_test(complex_rejects_distant_and_empty_ligands),
        cmocka_unit_test(sources_folder_of_complexes_sorted_by_id),
        cmocka_unit_test(sources_single_complex_folder),
        cmocka_unit_test(complex_qualifies_duplicate_ligand_names),
        cmocka_unit_test(complex_marks_covalent_ligand),
        cmocka_unit_test(sources_skip_subfolder_without_complex_files),
        cmocka_unit_test(sources_list_file_resolves_relative_paths),
        cmocka_unit_test(sources_list_file_bad_line_names_line),
    };
    RUN_TESTS(tests, argc, argv);
}
