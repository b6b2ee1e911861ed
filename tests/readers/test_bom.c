/* A UTF-8 byte order mark before the first line (Windows editors add one)
 * changes nothing: each reader gives the molecule it gives without it. */
#include "test_util.h"

#include <stdlib.h>

#include "misi/fs.h"

typedef int (*parse_fn)(const char *, size_t, const char *, misi_mol *, misi_error *);

static void same_with_bom(const char *rel, parse_fn parse)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", FIXTURES_DIR, rel);
    char *text = NULL;
    size_t len = 0;
    assert_int_equal(misi_read_file(path, 0, &text, &len, NULL), MISI_OK);
    char *bom = malloc(len + 4);
    assert_non_null(bom);
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, text, len + 1);
    misi_mol a, b;
    misi_mol_init(&a);
    misi_mol_init(&b);
    misi_error err = {0};
    if (parse(text, len, path, &a, &err))
        fail_msg("without a BOM: %s", err.msg);
    if (parse(bom, len + 3, path, &b, &err))
        fail_msg("with a BOM: %s", err.msg);
    assert_true(a.top.natoms > 0);
    assert_int_equal(a.top.natoms, b.top.natoms);
    assert_int_equal(a.top.nbonds, b.top.nbonds);
    assert_memory_equal(a.xyz, b.xyz, 3 * sizeof *a.xyz * a.top.natoms);
    for (uint32_t i = 0; i < a.top.natoms; i++)
        assert_string_equal(a.top.atoms[i].name, b.top.atoms[i].name);
    misi_mol_finish(&a);
    misi_mol_finish(&b);
    free(bom);
    free(text);
}

static void readers_skip_a_utf8_byte_order_mark(void **state)
{
    (void)state;
    same_with_bom("valid/mol2/benzamide.mol2", misi_parse_mol2);
    same_with_bom("valid/sdf/benzamide.sdf", misi_parse_sdf);
    same_with_bom("valid/pdb/tripeptide.pdb", misi_parse_pdb);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readers_skip_a_utf8_byte_order_mark),
    };
    RUN_TESTS(tests, argc, argv);
}
