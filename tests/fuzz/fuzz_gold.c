/* Fuzz target: the scorer's gold QA reader (misi_gold_load_text). Every
 * record it accepts must be found by its id and must score 1 against its own
 * answer written back in canonical form. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "misi/score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    misi_gold g;
    misi_error err;
    memset(&g, 0, sizeof g);
    int rc = misi_gold_load_text((const char *)data, size, "gold.jsonl", &g, &err);
    if (rc) {
        fuzz_check_failure(rc, &err, NULL);
        FUZZ_REQUIRE(g.count == 0);
        misi_gold_finish(&g);
        return 0;
    }
    for (size_t i = 0; i < g.count; i++) {
        const misi_gold_item *it = &g.items[i];
        FUZZ_REQUIRE(it->id && it->split);
        FUZZ_REQUIRE(it->task >= 1 && it->task <= 9);
        FUZZ_REQUIRE(misi_gold_find(&g, it->id) == (long)i);
        int need = misi_answer_format(it->task, &it->truth, NULL, 0);
        FUZZ_REQUIRE(need >= 0);
        char *text = malloc((size_t)need + 1);
        if (!text)
            continue;
        FUZZ_REQUIRE(misi_answer_format(it->task, &it->truth, text, (size_t)need + 1) == need);
        double score = -1;
        bool exact = false;
        FUZZ_REQUIRE(misi_score_text(it, text, &score, &exact) == MISI_OK);
        FUZZ_REQUIRE(score >= 0.0 && score <= 1.0);
        free(text);
    }
    misi_gold_finish(&g);
    return 0;
}
