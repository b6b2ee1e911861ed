/* Fuzz target: the PDB reader, then bond perception on what it accepted
 * (perception is run on every pocket, so garbage coordinates reach it). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_check.h"
#include "misi/mol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    misi_mol mol;
    misi_error err;
    misi_mol_init(&mol);
    int rc = misi_parse_pdb((const char *)data, size, "fuzz.pdb", &mol, &err);
    if (rc) {
        fuzz_check_failure(rc, &err, &mol);
        return 0;
    }
    fuzz_check_mol(&mol);
    uint32_t before = mol.top.nbonds;
    rc = misi_perceive_bonds(&mol, &err);
    if (rc == MISI_OK) {
        fuzz_check_mol(&mol);
        FUZZ_REQUIRE(mol.top.nbonds >= before);
        /* Idempotent, as mol.h promises. */
        uint32_t once = mol.top.nbonds;
        FUZZ_REQUIRE(misi_perceive_bonds(&mol, &err) == MISI_OK);
        FUZZ_REQUIRE(mol.top.nbonds == once);
    } else {
        FUZZ_REQUIRE(rc < 0);
    }
    misi_mol_finish(&mol);
    return 0;
}
