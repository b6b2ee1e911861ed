/* Fuzz target: the SDF (V2000) reader. */
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
    int rc = misi_parse_sdf((const char *)data, size, "fuzz.sdf", &mol, &err);
    if (rc) {
        fuzz_check_failure(rc, &err, &mol);
        return 0;
    }
    fuzz_check_mol(&mol);
    misi_mol_finish(&mol);
    return 0;
}
