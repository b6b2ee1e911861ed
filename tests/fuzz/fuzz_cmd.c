/* Fuzz target: the command language (misi_cmd_parse) and the promise that
 * format and parse round-trip: parse(format(ops)) gives the same ops. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "misi/cmdlang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The API takes a C string: an embedded NUL ends the text early, as it
     * would for a caller. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    misi_oplist ops = {0};
    misi_error err;
    int rc = misi_cmd_parse(text, &ops, &err);
    if (rc) {
        fuzz_check_failure(rc, &err, NULL);
        FUZZ_REQUIRE(ops.count == 0);
    } else {
        for (size_t i = 0; i < ops.count; i++) {
            FUZZ_REQUIRE(ops.ops[i].kind == MISI_OP_MOVE || ops.ops[i].kind == MISI_OP_ROLL);
            FUZZ_REQUIRE(ops.ops[i].axis <= MISI_AXIS_Z);
        }
        int need = misi_cmd_format(ops.ops, ops.count, NULL, 0);
        FUZZ_REQUIRE(need >= 0);
        char *canon = malloc((size_t)need + 1);
        if (canon) {
            FUZZ_REQUIRE(misi_cmd_format(ops.ops, ops.count, canon, (size_t)need + 1) == need);
            FUZZ_REQUIRE(strlen(canon) == (size_t)need);
            if (need > 0) {
                misi_oplist again = {0};
                FUZZ_REQUIRE(misi_cmd_parse(canon, &again, &err) == MISI_OK);
                FUZZ_REQUIRE(again.count == ops.count);
                for (size_t i = 0; i < ops.count; i++) {
                    const misi_op *a = &again.ops[i], *b = &ops.ops[i];
                    FUZZ_REQUIRE(a->kind == b->kind && a->axis == b->axis);
                    /* -0 prints as 0, so equal values, not equal bits. */
                    FUZZ_REQUIRE(a->value == b->value);
                }
                misi_oplist_finish(&again);
            }
            free(canon);
        }
        misi_pose pose;
        misi_pose_identity(&pose);
        misi_pose_apply(&pose, ops.ops, ops.count);
        for (int k = 0; k < 9; k++)
            FUZZ_REQUIRE(isfinite(pose.rot[k]));
    }
    misi_oplist_finish(&ops);
    free(text);
    return 0;
}
