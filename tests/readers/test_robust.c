/* Every reader on every prefix of every valid fixture, and on byte-flipped
 * copies: each call must either succeed or fail with an error message and an
 * empty molecule. Under the sanitizers this is a small deterministic fuzz. */
#include "test_util.h"

#include <stdlib.h>

#include "misi/fs.h"

typedef int (*parse_fn)(const char *, size_t, const char *, misi_mol *, misi_error *);

static const char *const FILES[] = {
    "valid/pdb/tripeptide.pdb",
    "valid/pdb/tripeptide_crlf.pdb",
    "valid/complexes/1abc/1abc_pocket.pdb",
    "valid/mol2/benzamide.mol2",
    "valid/sdf/benzamide.sdf",
    "valid/sdf/charge_mchg.sdf",
    "malformed/pdb_binary_garbage.pdb",
};

static void check_one(parse_fn fn, const char *buf, size_t len)
{
    /* A private copy of exactly len bytes so ASan sees any overread. */
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    memcpy(copy, buf, len);
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    misi_error_clear(&err);
    int rc = fn(copy, len, "fuzz", &mol, &err);
    if (rc) {
        assert_true(rc < 0);
        assert_true(err.msg[0] != '\0');
        assert_null(mol.top.atoms);
        assert_int_equal(mol.top.natoms, 0);
    } else {
        assert_non_null(mol.path);
        for (uint32_t i = 0; i < mol.top.nbonds; i++)
            assert_true(mol.top.bonds[i].a < mol.top.bonds[i].b && mol.top.bonds[i].b < mol.top.natoms);
        if (fn == misi_parse_pdb) {
            misi_error e2;
            assert_int_equal(misi_perceive_bonds(&mol, &e2), 0);
        }
    }
    misi_mol_finish(&mol);
    free(copy);
}

static void readers_survive_truncation_and_byte_flips(void **state)
{
    (void)state;
    static const parse_fn PARSERS[] = {misi_parse_pdb, misi_parse_mol2, misi_parse_sdf};
    static const char FLIPS[] = {'\0', '\n', '\r', ' ', '-', '9', '.', 'e', '@', (char)0xff};
    for (size_t f = 0; f < sizeof FILES / sizeof FILES[0]; f++) {
        char *text;
        size_t len;
        misi_error err;
        if (misi_read_file(fixture(FILES[f]), 0, &text, &len, &err))
            fail_msg("%s", err.msg);
        for (size_t p = 0; p < sizeof PARSERS / sizeof PARSERS[0]; p++) {
            for (size_t cut = 0; cut <= len; cut += 1 + cut / 64)
                check_one(PARSERS[p], text, cut);
            /* Deterministic flips: position and byte from a fixed LCG. */
            uint32_t seed = 12345u + (uint32_t)f;
            char *m = malloc(len ? len : 1);
            assert_non_null(m);
            for (int round = 0; round < 300; round++) {
                memcpy(m, text, len);
                for (int k = 0; k < 4 && len; k++) {
                    seed = seed * 1664525u + 1013904223u;
                    m[(seed >> 8) % len] = FLIPS[(seed >> 3) % sizeof FLIPS];
                }
                check_one(PARSERS[p], m, len);
            }
            free(m);
        }
        free(text);
    }
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(readers_survive_truncation_and_byte_flips),
    };
    RUN_TESTS(tests, argc, argv);
}
