/* LLaVA-style training JSON (docs/export.md "LLaVA"): <split>.json, one JSON
 * array of {"id", "image", "conversations"} as LLaVA's loader reads it,
 * "image" a path (one image) or a list of paths (several), relative to the
 * export folder, which holds the images under the same paths. The turns are
 * the dataset's own conversation records (<split>.conversations.jsonl), one
 * <image> placeholder per image; only the key "images" becomes "image". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "pipeline/export_internal.h"

typedef struct llava_state {
    export_file f;
    size_t n;
} llava_state;

static int llava_begin(export_ctx *x, const char *split, misi_error *err)
{
    if (!x->state && !(x->state = calloc(1, sizeof(llava_state))))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    llava_state *s = x->state;
    char rel[64];
    snprintf(rel, sizeof rel, "%s.json", split);
    s->n = 0;
    int rc = export_file_open(x, &s->f, rel, err);
    return rc ? rc : export_file_puts(&s->f, "[", err);
}

static int llava_record(export_ctx *x, const export_record *r, misi_error *err)
{
    llava_state *s = x->state;
    const cJSON *images = cJSON_GetObjectItemCaseSensitive(r->rec, "images");
    cJSON *o = cJSON_CreateObject();
    cJSON *image = r->nimg == 1 ? cJSON_CreateString(r->img[0].path) : cJSON_Duplicate(images, true);
    cJSON *turns = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(r->conv, "conversations"), true);
    bool ok = o && image && turns && cJSON_AddStringToObject(o, "id", r->id);
    ok = ok && cJSON_AddItemToObject(o, "image", image);
    if (!ok)
        cJSON_Delete(image);
    ok = ok && cJSON_AddItemToObject(o, "conversations", turns);
    if (!ok)
        cJSON_Delete(turns);
    char *text = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    if (!text)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    int rc = export_file_puts(&s->f, s->n++ ? ",\n" : "\n", err);
    if (!rc)
        rc = export_file_puts(&s->f, text, err);
    free(text);
    for (size_t i = 0; !rc && i < r->nimg; i++)
        rc = export_copy_image(x, &r->img[i], err);
    return rc;
}

static int llava_end(export_ctx *x, const char *split, misi_error *err)
{
    (void)split;
    llava_state *s = x->state;
    int rc = export_file_puts(&s->f, "\n]\n", err);
    if (rc) {
        export_file_drop(&s->f);
        return rc;
    }
    return export_file_close(&s->f, err);
}

static void llava_destroy(export_ctx *x)
{
    llava_state *s = x->state;
    if (s)
        export_file_drop(&s->f);
    free(s);
    x->state = NULL;
}

const export_writer export_llava_writer = {
    .conversations = true,
    .split_begin = llava_begin,
    .record = llava_record,
    .split_end = llava_end,
    .destroy = llava_destroy,
};
