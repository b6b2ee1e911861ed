/* Fuzz target: the part-file checker that misi merge and --resume run on
 * parts made elsewhere (misi_part_parse). A part it accepts holds every
 * field assembly reads, with its type, and no image path that leaves the
 * dataset folder. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fuzz_check.h"
#include "pipeline/assemble.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* images/<id>/<file>: only letters, digits, '_', '-', '.', two slashes, and
 * no component that starts with a dot (so no "..") */
static void check_path(const char *p)
{
    FUZZ_REQUIRE(p != NULL);
    FUZZ_REQUIRE(strncmp(p, "images/", 7) == 0);
    FUZZ_REQUIRE(strstr(p, "/.") == NULL);
    int slashes = 0;
    for (const char *c = p; *c; c++) {
        slashes += *c == '/';
        FUZZ_REQUIRE((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
                     *c == '_' || *c == '-' || *c == '.' || *c == '/');
    }
    FUZZ_REQUIRE(slashes == 2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    misi_error err;
    memset(&err, 0, sizeof err);
    cJSON *p = misi_part_parse((const char *)data, size, "part.json", &err);
    if (!p) {
        fuzz_check_failure(err.code, &err, NULL);
        FUZZ_REQUIRE(strstr(err.msg, "part.json") != NULL);
        return 0;
    }
    const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(p, "status"));
    FUZZ_REQUIRE(status != NULL);
    if (!strcmp(status, "ok")) {
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(p, "images"))
        {
            check_path(cJSON_GetStringValue(cJSON_GetObjectItem(e, "path")));
            FUZZ_REQUIRE(cJSON_IsNumber(cJSON_GetObjectItem(e, "bytes")));
        }
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(p, "metadata"))
            check_path(cJSON_GetStringValue(cJSON_GetObjectItem(e, "file_name")));
    }
    cJSON_Delete(p);
    return 0;
}
