/* Question-level WebDataset shards (docs/export.md "WebDataset"):
 * <split>-NNNNNN.tar, each a run of samples, one per question: <key>.json
 * (the record, without truth) and then <key>.<n>.png for its n-th image
 * (1-based, the record's order, as the question numbers them). WebDataset
 * groups consecutive members by the key, the name up to the first dot, so
 * the key is the question id with any '.' (complex ids may hold one) made
 * '+', which no id holds: two ids never share a key. Members are written
 * like misi generate's shards (misi/tar.h), so shards are reproducible. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "misi/tar.h"
#include "pipeline/export_internal.h"

typedef struct wds_state {
    export_file f;
    size_t in_shard; /* samples in the open shard */
    int shard;       /* number of the next shard of this split */
    char split[8];
} wds_state;

static int member(export_file *o, const char *name, const void *data, size_t len, misi_error *err)
{
    static const unsigned char pad[512];
    unsigned char h[512];
    int rc = misi_tar_header(h, name, len, err);
    if (!rc)
        rc = export_file_write(o, h, sizeof h, err);
    if (!rc)
        rc = export_file_write(o, data, len, err);
    if (!rc && len % 512)
        rc = export_file_write(o, pad, 512 - len % 512, err);
    return rc;
}

/* End the open shard with the two zero blocks of the end of an archive. */
static int close_shard(wds_state *s, misi_error *err)
{
    static const unsigned char zeros[1024];
    if (!s->f.f)
        return MISI_OK;
    int rc = export_file_write(&s->f, zeros, sizeof zeros, err);
    if (rc) {
        export_file_drop(&s->f);
        return rc;
    }
    s->in_shard = 0;
    return export_file_close(&s->f, err);
}

static int wds_begin(export_ctx *x, const char *split, misi_error *err)
{
    if (!x->state && !(x->state = calloc(1, sizeof(wds_state))))
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    wds_state *s = x->state;
    s->shard = 0;
    s->in_shard = 0;
    snprintf(s->split, sizeof s->split, "%s", split);
    return MISI_OK;
}

static int wds_record(export_ctx *x, const export_record *r, misi_error *err)
{
    wds_state *s = x->state;
    int per = x->cfg->shard_samples > 0 ? x->cfg->shard_samples : MISI_EXPORT_SHARD_SAMPLES;
    int rc = MISI_OK;
    if (s->f.f && s->in_shard >= (size_t)per)
        rc = close_shard(s, err);
    if (!rc && !s->f.f) {
        char rel[64];
        snprintf(rel, sizeof rel, "%s-%06d.tar", s->split, s->shard++);
        rc = export_file_open(x, &s->f, rel, err);
    }
    if (rc)
        return rc;
    s->in_shard++;
    char key[100], name[128];
    snprintf(key, sizeof key, "%s", r->id);
    for (char *p = key; *p; p++)
        if (*p == '.')
            *p = '+';
    char *json = cJSON_PrintUnformatted(r->rec);
    if (!json)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    snprintf(name, sizeof name, "%s.json", key);
    rc = strlen(r->id) >= sizeof key ? misi_error_set(err, MISI_E_LIMIT, "question id '%s' is too long for a "
                                                                         "tar member name",
                                                      r->id)
                                     : member(&s->f, name, json, strlen(json), err);
    free(json);
    for (size_t i = 0; !rc && i < r->nimg; i++) {
        snprintf(name, sizeof name, "%s.%zu.png", key, i + 1);
        rc = member(&s->f, name, r->img[i].data, r->img[i].len, err);
    }
    return rc;
}

static int wds_end(export_ctx *x, const char *split, misi_error *err)
{
    (void)split;
    return close_shard(x->state, err);
}

static void wds_destroy(export_ctx *x)
{
    wds_state *s = x->state;
    if (s)
        export_file_drop(&s->f);
    free(s);
    x->state = NULL;
}

const export_writer export_wds_writer = {
    .split_begin = wds_begin,
    .record = wds_record,
    .split_end = wds_end,
    .destroy = wds_destroy,
};
