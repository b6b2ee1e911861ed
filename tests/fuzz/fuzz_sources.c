/* Fuzz target: the `pocket,ligand` list-file parser (misi_sources_parse_list,
 * the buffer half of misi_sources_add_path on a file). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "misi/mol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    misi_source_list list = {0};
    misi_error err;
    /* A first entry that must survive a failing parse untouched. */
    FUZZ_REQUIRE(misi_sources_add_pair(&list, "/p.pdb", "/x/l_ligand.mol2", &err) == MISI_OK);
    int rc = misi_sources_parse_list(&list, (const char *)data, size, "lists/fuzz.txt", &err);
    if (rc) {
        fuzz_check_failure(rc, &err, NULL);
        FUZZ_REQUIRE(list.count == 1);
    } else {
        FUZZ_REQUIRE(list.count > 1);
    }
    FUZZ_REQUIRE(strcmp(list.items[0].id, "l") == 0);
    for (size_t i = 0; i < list.count; i++) {
        const misi_source *s = &list.items[i];
        FUZZ_REQUIRE(s->id && s->pocket && s->ligand && !s->dir);
        FUZZ_REQUIRE(s->pocket[0] != '\0' && s->ligand[0] != '\0');
        FUZZ_REQUIRE(strlen(s->id) < 64);
    }
    misi_sources_finish(&list);
    return 0;
}
