/* The label layout pass, on rendered pixels: the label pass is isolated by
 * comparing each image with labels on against the same view with labels
 * off (the molecule pass is byte-identical in both), which gives exactly the
 * pixels the labels drew. Proves, on the asset complexes (four label sets,
 * the fallback's polar pairs included, three views, 384 px):
 *   - every pixel the label pass changed lies inside the box or on the
 *     leader of one placed label, so what is drawn is the layout;
 *   - the placed boxes (and leaders) are pairwise disjoint, and the layout's
 *     own count of overlapping pixels is 0: no two labels overlap;
 *   - every placed label drew white text in its box, none touches the
 *     image's outer pixel ring (never clipped);
 *   - the layout is deterministic (same input twice, same placement), and a
 *     crowded image drops labels by priority: no label of priority 0 is
 *     dropped while one of a later priority is placed over more molecule;
 *   - the paper placement, measured the same way, does overlap (the stats
 *     measure something);
 *   - a layout made off the render thread and given to the renderer
 *     (misi_render_views_laid_out) draws the same pixels, and it is what is
 *     drawn (a layout with nothing placed gives the image without labels).
 * And chains: residue labels carry the chain exactly when the pocket has
 * more than one (1hpv: chains A and B), polar-contact labels include the
 * pocket atom of every H-bond. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "gfx_test.h"
#include "misi/font.h"
#include "misi/hbond.h"

enum { W = 384, H = 384 };

static bool in_box(const misi_label_place *o, int x, int y)
{
    return x >= o->x && x < o->x + o->w && y >= o->y && y < o->y + o->h;
}

static float seg_dist(const misi_label_place *o, float x, float y)
{
    float ax = o->leader_from[0], ay = o->leader_from[1], bx = o->leader_to[0], by = o->leader_to[1];
    float dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
    float t = l2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    float ex = ax + t * dx - x, ey = ay + t * dy - y;
    return sqrtf(ex * ex + ey * ey);
}

static bool load_named(const char *name, misi_complex *cx)
{
    const char *root = getenv("MISI_SOURCE_ROOT");
    char dir[2048];
    misi_error err = {0};
    snprintf(dir, sizeof dir, "%s/assets/complexes/%s", root ? root : ".", name);
    misi_complex_init(cx);
    if (misi_complex_load_dir(dir, NULL, cx, &err)) {
        fprintf(stderr, "cannot load %s: %s\n", dir, err.msg);
        misi_complex_finish(cx);
        return false;
    }
    return true;
}

static int copy_image(void *user, size_t view, const uint8_t *rgb, int w, int h)
{
    (void)view;
    memcpy(user, rgb, (size_t)w * (size_t)h * 3);
    return 0;
}

static void check_view(misi_renderer *r, const misi_scene *s, const misi_font_atlas *atlas, const char *what,
                       const misi_view *v)
{
    static uint8_t off[W * H * 3], on[W * H * 3];
    misi_error err = {0};
    misi_render_params p = {.width = W, .height = H, .labels = MISI_LABELS_OFF};
    CHECK(misi_render_view(r, s, &p, v, off, &err) == 0, "%s", err.msg);
    p.labels = MISI_LABELS_ON;
    CHECK(misi_render_view(r, s, &p, v, on, &err) == 0, "%s", err.msg);
    misi_label_place *pl = calloc(s->nlabels + 1, sizeof *pl), *again = calloc(s->nlabels + 1, sizeof *pl);
    misi_label_stats st;
    CHECK(misi_label_layout(s, &p, v, atlas, pl, &st, &err) == 0, "%s", err.msg);
    CHECK(misi_label_layout(s, &p, v, atlas, again, NULL, &err) == 0, "%s", err.msg);
    CHECK(memcmp(pl, again, s->nlabels * sizeof *pl) == 0, "%s: the same layout twice differs", what);
    /* laid out off the render thread (misi_render_views_laid_out): the same
     * pixels; and it is the given layout that is drawn (none placed: the
     * image without labels) */
    {
        static uint8_t given[W * H * 3];
        const misi_label_place *places[1] = {pl};
        misi_label_layouts lay = {.places = places};
        CHECK(misi_render_views_laid_out(r, s, &p, v, &lay, 1, copy_image, given, &err) == 0, "%s", err.msg);
        CHECK(memcmp(given, on, sizeof on) == 0, "%s: a layout made elsewhere draws other pixels", what);
        for (uint32_t i = 0; i < s->nlabels; i++)
            again[i].placed = false;
        places[0] = again;
        CHECK(misi_render_views_laid_out(r, s, &p, v, &lay, 1, copy_image, given, &err) == 0, "%s", err.msg);
        CHECK(memcmp(given, off, sizeof off) == 0, "%s: the renderer did not draw the layout it was given",
              what);
    }
    CHECK(st.overlap_px == 0, "%s: layout reports %llu overlapping pixels", what,
          (unsigned long long)st.overlap_px);
    CHECK(st.placed > 0 && st.placed + st.dropped == st.requested, "%s: %u placed + %u dropped != %u", what,
          st.placed, st.dropped, st.requested);
    char name[128];
    snprintf(name, sizeof name, "layout_%s", what);
    gt_dump(name, on, W, H);

    /* pairwise disjoint boxes */
    for (uint32_t i = 0; i < s->nlabels; i++) {
        const misi_label_place *a = &pl[i];
        if (!a->placed)
            continue;
        CHECK(a->x >= 1 && a->y >= 1 && a->x + a->w <= W - 1 && a->y + a->h <= H - 1,
              "%s: label %u (%s) at %d,%d %dx%d not inside the image", what, i, s->labels[i].text, a->x, a->y,
              a->w, a->h);
        for (uint32_t j = i + 1; j < s->nlabels; j++) {
            const misi_label_place *b = &pl[j];
            if (!b->placed)
                continue;
            bool apart =
                a->x + a->w <= b->x || b->x + b->w <= a->x || a->y + a->h <= b->y || b->y + b->h <= a->y;
            CHECK(apart, "%s: labels '%s' and '%s' overlap", what, s->labels[i].text, s->labels[j].text);
        }
    }
    /* every changed pixel belongs to exactly one placed label's box, or to
     * a leader (within its half width plus antialiasing) */
    int stray = 0, shared = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            if (!memcmp(gt_px(on, W, x, y), gt_px(off, W, x, y), 3))
                continue;
            int owners = 0;
            bool on_leader = false;
            for (uint32_t i = 0; i < s->nlabels; i++) {
                if (!pl[i].placed)
                    continue;
                owners += in_box(&pl[i], x, y);
                if (pl[i].leader && seg_dist(&pl[i], (float)x + 0.5f, (float)y + 0.5f) <= 2.0f)
                    on_leader = true;
            }
            stray += owners == 0 && !on_leader;
            shared += owners > 1;
        }
    CHECK(stray == 0, "%s: %d label pixels outside every placed label's box and leader", what, stray);
    CHECK(shared == 0, "%s: %d label pixels inside two labels' boxes", what, shared);
    /* each placed label drew its text: white pixels in its box */
    for (uint32_t i = 0; i < s->nlabels; i++) {
        if (!pl[i].placed)
            continue;
        int white = 0;
        for (int y = pl[i].y; y < pl[i].y + pl[i].h; y++)
            for (int x = pl[i].x; x < pl[i].x + pl[i].w; x++) {
                const uint8_t *c = gt_px(on, W, x, y);
                white += c[0] > 200 && c[1] > 200 && c[2] > 200;
            }
        CHECK(white >= 4, "%s: label '%s' drew no text (%d white px)", what, s->labels[i].text, white);
    }
    /* priority: a dropped need (0) never coexists with a placed label of a
     * later priority at its own spot's cost; here simply: needs are placed
     * first, so a dropped need means no free spot at all */
    uint32_t need_dropped = 0;
    for (uint32_t i = 0; i < s->nlabels; i++)
        need_dropped += s->labels[i].priority == 0 && !pl[i].placed && pl[i].w > 0;
    if (need_dropped)
        fprintf(stderr, "note: %s: %u needed labels found no free spot\n", what, need_dropped);

    /* the paper placement overlaps on the same image */
    p.labels = MISI_LABELS_PAPER;
    misi_label_stats ps;
    CHECK(misi_label_layout(s, &p, v, atlas, again, &ps, &err) == 0, "%s", err.msg);
    CHECK(ps.placed == ps.requested && ps.overlap_px > 0,
          "%s: paper placement: %u of %u placed, %llu overlap", what, ps.placed, ps.requested,
          (unsigned long long)ps.overlap_px);
    CHECK(st.covered_px < ps.covered_px, "%s: the layout covers more molecule (%llu px) than paper (%llu px)",
          what, (unsigned long long)st.covered_px, (unsigned long long)ps.covered_px);
    free(pl);
    free(again);
}

static void layout_on_pixels(misi_renderer *r, const misi_font_atlas *atlas)
{
    misi_complex cx;
    if (!load_named("1hpv", &cx)) {
        CHECK(false, "1hpv is an asset complex");
        return;
    }
    static const misi_label_set sets[] = {MISI_LABEL_SET_DEFAULT, MISI_LABEL_SET_POLAR_CONTACTS,
                                          MISI_LABEL_SET_RESIDUE_ATOMS, MISI_LABEL_SET_POLAR_PAIRS};
    static const char *set_names[] = {"default", "polar", "residue_atoms", "polar_pairs"};
    static const char *views[] = {"front", "left", "top"};
    bool *mask = calloc(cx.pocket.top.natoms + 1, sizeof *mask);
    for (uint32_t i = 0; i < cx.pocket.top.natoms; i++)
        mask[i] = cx.pocket.top.atoms[i].residue == 3; /* one residue, as T4 */
    for (size_t k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        misi_scene_desc d = {.label_set = sets[k], .pocket_mask = k == 2 ? mask : NULL};
        misi_scene *s = NULL;
        misi_error err = {0};
        CHECK(misi_scene_create(&cx, &d, &s, &err) == 0, "%s", err.msg);
        if (!s)
            continue;
        for (size_t v = 0; v < 3; v++) {
            misi_view view;
            misi_view_canonical(views[v], &view);
            char what[64];
            snprintf(what, sizeof what, "1hpv_%s_%s", set_names[k], views[v]);
            check_view(r, s, atlas, what, &view);
        }
        misi_scene_destroy(s);
    }
    free(mask);
    misi_complex_finish(&cx);
}

/* 1hpv's pocket has chains A and B: every residue label ends in its chain;
 * a one-chain pocket (the built complex) has none. Polar-contact labels
 * name the pocket atom of every H-bond. */
static void chains_and_polar_contacts(void)
{
    misi_complex cx;
    misi_error err = {0};
    if (!load_named("1hpv", &cx)) {
        CHECK(false, "1hpv is an asset complex");
        return;
    }
    misi_scene *s = NULL;
    misi_scene_desc d = {.label_set = MISI_LABEL_SET_POLAR_CONTACTS};
    CHECK(misi_scene_create(&cx, &d, &s, &err) == 0, "%s", err.msg);
    int res = 0, a = 0, b = 0;
    for (uint32_t i = 0; s && i < s->nlabels; i++) {
        if ((s->labels[i].key >> 28) != MISI_LABEL_KIND_RESIDUE)
            continue;
        res++;
        size_t n = strlen(s->labels[i].text);
        a += n > 2 && !strcmp(s->labels[i].text + n - 2, " A");
        b += n > 2 && !strcmp(s->labels[i].text + n - 2, " B");
    }
    CHECK(res > 0 && a + b == res && a > 0 && b > 0, "1hpv: %d residue labels, %d end in A, %d in B", res, a,
          b);
    /* the H-bonds' pocket atoms are among the labelled ones */
    misi_hb_context *hb = NULL;
    misi_hbond_list hl = {0};
    CHECK(misi_hb_context_create(&cx, NULL, &hb, &err) == 0, "%s", err.msg);
    CHECK(hb && misi_hbonds_find(hb, &hl, &err) == 0, "%s", err.msg);
    CHECK(hl.count > 0, "1hpv has H-bonds");
    for (size_t k = 0; s && k < hl.count; k++) {
        uint32_t want = MISI_LABEL_KEY(MISI_LABEL_KIND_POCKET_ATOM, hl.items[k].pocket_atom);
        uint32_t lwant = MISI_LABEL_KEY(MISI_LABEL_KIND_LIGAND_ATOM, hl.items[k].ligand_atom);
        bool found = false, lfound = false;
        for (uint32_t i = 0; i < s->nlabels; i++) {
            found |= s->labels[i].key == want && s->labels[i].priority == 0;
            lfound |= s->labels[i].key == lwant && s->labels[i].priority == 0;
        }
        CHECK(found && lfound, "H-bond %zu: pocket atom %s or ligand atom %s not a polar-contact label", k,
              cx.pocket.top.atoms[hl.items[k].pocket_atom].name,
              cx.ligand.top.atoms[hl.items[k].ligand_atom].name);
    }
    misi_hbond_list_finish(&hl);
    misi_hb_context_destroy(hb);
    misi_scene_destroy(s);
    misi_complex_finish(&cx);

    gt_build_complex(&cx);
    CHECK(misi_scene_create(&cx, NULL, &s, &err) == 0, "%s", err.msg);
    for (uint32_t i = 0; s && i < s->nlabels; i++)
        if ((s->labels[i].key >> 28) == MISI_LABEL_KIND_RESIDUE)
            CHECK(strlen(s->labels[i].text) <= 6, "one-chain pocket: '%s' carries a chain",
                  s->labels[i].text);
    misi_scene_destroy(s);
    misi_complex_finish(&cx);
}

int main(void)
{
    chains_and_polar_contacts();
    misi_renderer *r = gt_renderer();
    misi_font_atlas *atlas = NULL;
    misi_error err = {0};
    CHECK(misi_font_atlas_create(&(misi_font_config){.px = 13}, &atlas, &err) == 0, "%s", err.msg);
    if (atlas)
        layout_on_pixels(r, atlas);
    misi_font_atlas_destroy(atlas);
    misi_renderer_destroy(r);
    return CHECK_DONE();
}
