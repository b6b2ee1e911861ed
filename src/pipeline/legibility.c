/* Per-question legibility: see legibility.h. The layout of each image is
 * computed once per complex (misi_label_layout, CPU only) and kept as the
 * labels it holds, placed or not, sorted by key. */
#include "pipeline/legibility.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misi/font.h"

typedef struct leg_label {
    uint32_t key;
    bool placed;
    char text[32];
} leg_label;

struct misi_leg_image {
    uint64_t key;
    misi_label_stats st;
    leg_label *labels; /* sorted by key, then placed first */
    uint32_t nlabels;
};

int misi_leg_init(misi_legibility *lg, const misi_render_params *p, misi_leg_prepare_fn prepare, void *user,
                  misi_error *err)
{
    memset(lg, 0, sizeof *lg);
    lg->params = *p;
    misi_render_params_defaults(&lg->params);
    lg->prepare = prepare;
    lg->user = user;
    misi_font_config fc = {.px = lg->params.label_px, .path = lg->params.font_path};
    return misi_font_atlas_create(&fc, &lg->atlas, err);
}

void misi_leg_reset(misi_legibility *lg)
{
    for (size_t i = 0; i < lg->ncache; i++)
        free(lg->cache[i].labels);
    lg->ncache = 0;
}

void misi_leg_finish(misi_legibility *lg)
{
    if (!lg)
        return;
    misi_leg_reset(lg);
    free(lg->cache);
    misi_font_atlas_destroy(lg->atlas);
    memset(lg, 0, sizeof *lg);
}

static int by_key(const void *pa, const void *pb)
{
    const leg_label *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (int)b->placed - (int)a->placed;
}

/* The labels of scene s as laid out in pl, sorted by key. */
static void fill_entry(misi_leg_image *e, const misi_scene *s, const misi_label_place *pl)
{
    for (uint32_t i = 0; i < s->nlabels; i++) {
        e->labels[i].key = s->labels[i].key;
        e->labels[i].placed = pl[i].placed;
        snprintf(e->labels[i].text, sizeof e->labels[i].text, "%s", s->labels[i].text);
    }
    e->nlabels = s->nlabels;
    qsort(e->labels, e->nlabels, sizeof *e->labels, by_key);
}

static misi_leg_image *find(misi_legibility *lg, uint64_t key)
{
    for (size_t i = 0; i < lg->ncache; i++)
        if (lg->cache[i].key == key)
            return &lg->cache[i];
    return NULL;
}

static int grow_cache(misi_legibility *lg, misi_error *err)
{
    if (lg->ncache < lg->capcache)
        return 0;
    size_t cap = lg->capcache ? 2 * lg->capcache : 64;
    misi_leg_image *c = realloc(lg->cache, cap * sizeof *c);
    if (!c)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    lg->cache = c;
    lg->capcache = cap;
    return 0;
}

int misi_leg_store(misi_legibility *lg, uint64_t key, const misi_scene *s, const misi_label_place *pl,
                   const misi_label_stats *st, misi_error *err)
{
    if (lg->params.labels != MISI_LABELS_ON || find(lg, key))
        return 0;
    int rc = grow_cache(lg, err);
    if (rc)
        return rc;
    misi_leg_image *e = &lg->cache[lg->ncache];
    memset(e, 0, sizeof *e);
    e->key = key;
    e->st = *st;
    e->labels = calloc((size_t)s->nlabels + 1, sizeof *e->labels);
    if (!e->labels)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    fill_entry(e, s, pl);
    lg->ncache++;
    return 0;
}

static int layout(misi_legibility *lg, const misi_image_req *r, uint64_t key, misi_leg_image **out,
                  misi_error *err)
{
    misi_leg_image *hit = find(lg, key);
    if (hit) {
        *out = hit;
        return 0;
    }
    int rc = grow_cache(lg, err);
    if (rc)
        return rc;
    misi_scene *s = NULL;
    misi_render_params p = lg->params;
    rc = lg->prepare(lg->user, r, &s, &p, err);
    if (rc)
        return rc;
    misi_leg_image *e = &lg->cache[lg->ncache];
    memset(e, 0, sizeof *e);
    e->key = key;
    misi_label_place *pl = calloc((size_t)s->nlabels + 1, sizeof *pl);
    e->labels = calloc((size_t)s->nlabels + 1, sizeof *e->labels);
    if (!pl || !e->labels) {
        free(pl);
        free(e->labels);
        misi_scene_destroy(s);
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    }
    misi_view v;
    memcpy(v.rot, r->view.rot, sizeof v.rot);
    memcpy(v.trans, r->view.trans, sizeof v.trans);
    if (p.labels == MISI_LABELS_OFF) {
        /* nothing drawn: every label is requested and none placed */
        misi_render_params q = p;
        q.labels = MISI_LABELS_ON;
        rc = misi_label_layout(s, &q, &v, lg->atlas, pl, &e->st, err);
        for (uint32_t i = 0; i < s->nlabels; i++)
            pl[i].placed = false;
        e->st.placed = 0;
        e->st.dropped = e->st.requested;
        e->st.overlap_px = e->st.covered_px = 0;
    } else {
        rc = misi_label_layout(s, &p, &v, lg->atlas, pl, &e->st, err);
    }
    if (!rc && p.labels == MISI_LABELS_PAPER) {
        /* the paper's labels are placed wherever their anchor is: one is
         * legible only when no other box overlaps it */
        for (uint32_t i = 0; i < s->nlabels; i++) {
            for (uint32_t j = 0; pl[i].placed && j < s->nlabels; j++) {
                if (j == i || !pl[j].placed)
                    continue;
                const misi_label_place *a = &pl[i], *b = &pl[j];
                if (!(a->x + a->w <= b->x || b->x + b->w <= a->x || a->y + a->h <= b->y ||
                      b->y + b->h <= a->y))
                    pl[i].placed = false;
            }
        }
    }
    if (!rc) {
        fill_entry(e, s, pl);
        lg->ncache++;
        *out = e;
    } else {
        free(e->labels);
    }
    free(pl);
    misi_scene_destroy(s);
    return rc;
}

int misi_leg_image_stats(misi_legibility *lg, const misi_image_req *r, uint64_t key, misi_label_stats *st,
                         misi_error *err)
{
    misi_leg_image *e = NULL;
    int rc = layout(lg, r, key, &e, err);
    if (!rc)
        *st = e->st;
    return rc;
}

static const char *kind_name(uint32_t key)
{
    switch (key >> 28) {
    case MISI_LABEL_KIND_RESIDUE:
        return "residue";
    case MISI_LABEL_KIND_POCKET_ATOM:
        return "residue atom";
    case MISI_LABEL_KIND_LIGAND_ATOM:
        return "ligand atom";
    default:
        return "label";
    }
}

int misi_leg_question(misi_legibility *lg, const misi_question *q, const uint64_t *keys, bool *ok, char *why,
                      size_t cap, cJSON *evidence, misi_error *err)
{
    *ok = true;
    if (q->need_overflow) {
        *ok = false;
        snprintf(why, cap, "the answer needs more than %d labels", MISI_Q_MAX_NEED);
        return 0;
    }
    if (!q->nneed)
        return 0;
    misi_leg_image *img[MISI_Q_MAX_IMAGES];
    for (int k = 0; k < q->nimages; k++) {
        int rc = layout(lg, &q->images[k], keys[k], &img[k], err);
        if (rc)
            return rc;
    }
    cJSON *found = cJSON_CreateArray();
    if (!found)
        return misi_error_set(err, MISI_E_NOMEM, "out of memory");
    for (int n = 0; n < q->nneed; n++) {
        const char *text = NULL;
        bool seen = false;
        int where = 0;
        for (int k = 0; k < q->nimages && !seen; k++) {
            const misi_leg_image *e = img[k];
            /* a label's entries are adjacent, placed first */
            size_t lo = 0, hi = e->nlabels;
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (e->labels[mid].key < q->need[n])
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo < e->nlabels && e->labels[lo].key == q->need[n]) {
                text = e->labels[lo].text;
                seen = e->labels[lo].placed;
                where = k + 1;
            }
        }
        if (seen) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "label", text);
            cJSON_AddStringToObject(o, "kind", kind_name(q->need[n]));
            cJSON_AddNumberToObject(o, "image", where);
            cJSON_AddItemToArray(found, o);
        }
        if (!seen) {
            cJSON_Delete(found);
            *ok = false;
            if (text)
                snprintf(why, cap,
                         "the %s label '%s' the answer needs is not legible in any of the %d images "
                         "(no free place beside its atom)",
                         kind_name(q->need[n]), text, q->nimages);
            else
                snprintf(why, cap, "the %s label %u the answer needs is in none of the images",
                         kind_name(q->need[n]), q->need[n] & 0x0FFFFFFFu);
            return 0;
        }
    }
    cJSON *it;
    while (evidence && (it = cJSON_DetachItemFromArray(found, 0)))
        cJSON_AddItemToArray(evidence, it);
    cJSON_Delete(found);
    return 0;
}

cJSON *misi_leg_stats_json(const misi_label_stats *st)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "requested", st->requested);
    cJSON_AddNumberToObject(o, "placed", st->placed);
    cJSON_AddNumberToObject(o, "dropped", st->dropped);
    cJSON_AddNumberToObject(o, "overlap_px", (double)st->overlap_px);
    cJSON_AddNumberToObject(o, "molecule_px", (double)st->molecule_px);
    cJSON_AddNumberToObject(o, "covered_px", (double)st->covered_px);
    /* a fraction rounded to 1e-4: the same text everywhere */
    double f = st->molecule_px ? (double)st->covered_px / (double)st->molecule_px : 0.0;
    cJSON_AddNumberToObject(o, "covered_fraction", (double)(long long)(f * 1e4 + 0.5) / 1e4);
    return o;
}
