/* Fuzz target: the JSON view-set loader (misi_viewset_load_json), appending
 * to a set that already holds the canonical views. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_check.h"
#include "misi/cmdlang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    misi_viewset set = {0};
    misi_error err;
    FUZZ_REQUIRE(misi_viewset_add_canonical(&set, &err) == MISI_OK);
    size_t before = set.count;
    int rc = misi_viewset_load_json((const char *)data, size, "fuzz.json", &set, &err);
    if (rc) {
        fuzz_check_failure(rc, &err, NULL);
        FUZZ_REQUIRE(set.count == before);
    }
    for (size_t i = 0; i < set.count; i++) {
        const misi_viewdef *v = &set.views[i];
        FUZZ_REQUIRE(v->name && v->commands);
        FUZZ_REQUIRE(strlen(v->name) > 0 && strlen(v->name) <= MISI_VIEW_NAME_MAX);
        FUZZ_REQUIRE(misi_viewset_find(&set, v->name) == (long)i);
        for (int k = 0; k < 9; k++)
            FUZZ_REQUIRE(isfinite(v->pose.rot[k]));
    }
    misi_viewset_finish(&set);
    return 0;
}
